/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Metrics registry: exact exposition lines, units, histograms, label escaping,
 * the series cap, extra labels, the HTTP server and promtool on a real scrape. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_metrics.h"
#include "helpers.h"

#ifndef EUN_TEST_METRICS_FIXTURE
#error "EUN_TEST_METRICS_FIXTURE must be defined by the build"
#endif

/* One ctx with only the mfix plugin, one mfix tracker, and its registry. */
struct mfx {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	struct eun_metrics *m;
	char text[65536];
};

static int observe_cb(const struct eun_event *ev, void *cookie)
{
	return eun_metrics_observe(cookie, ev);
}

static void mfx_open(struct mfx *x, const struct eun_metrics_opts *opts)
{
	EUN_OPTS(eun_ctx_opts, copts, .plugin_path = "/nonexistent", .no_default_path = true);

	x->ctx = eun_ctx_new(&copts);
	ck_assert_msg(x->ctx, "eun_ctx_new: %s", eun_last_error());
	ck_assert_msg(eun_ctx_load_plugin(x->ctx, EUN_TEST_METRICS_FIXTURE) == 0,
		      "load %s: %s", EUN_TEST_METRICS_FIXTURE, eun_last_error());
	x->t = eun_tracker_new(x->ctx, MFIX_NAME, NULL);
	ck_assert_msg(x->t, "eun_tracker_new(mfix): %s", eun_last_error());
	x->m = eun_metrics_new(x->ctx, opts);
	ck_assert_msg(x->m, "eun_metrics_new: %s", eun_last_error());
	eun_ctx_set_event_fn(x->ctx, observe_cb, x->m);
}

static void mfx_close(struct mfx *x)
{
	eun_metrics_free(x->m);
	eun_ctx_free(x->ctx);
}

static void mfx_render(struct mfx *x)
{
	int n = eun_metrics_render(x->m, x->text, sizeof(x->text));

	ck_assert_msg(n > 0 && (size_t)n < sizeof(x->text), "render returned %d", n);
	ck_assert_int_eq((int)strlen(x->text), n);
}

/* Assert that text holds `line` as a whole line. */
#define assert_line(text, line)                                                        \
	do {                                                                           \
		char want_[1024];                                                      \
		snprintf(want_, sizeof(want_), "\n%s\n", (line));                      \
		ck_assert_msg(strstr((text), want_), "missing line <%s> in:\n%s", (line), (text)); \
	} while (0)

#define assert_no(text, part) ck_assert_msg(!strstr((text), (part)), "unexpected <%s> in:\n%s", (part), (text))

static void header_fill(struct eun_record_header *h, unsigned type)
{
	memset(h, 0, sizeof(*h));
	h->ts_ns = 1000000000ull;
	h->type = type;
	h->pid = 4321;
	h->tid = 4321;
	h->uid = 1000;
	str_fill(h->comm, sizeof(h->comm), "server");
}

static void req_fill(struct mfix_req *r, const char *method, uint16_t code)
{
	memset(r, 0, sizeof(*r));
	header_fill(&r->h, MFIX_REQ);
	str_fill(r->method, sizeof(r->method), method);
	r->code = code;
	r->addr[0] = 10;
	r->addr[3] = 7;
	str_fill(r->path, sizeof(r->path), "/index.html");
	r->bytes = 1500;
	r->wait_ns = 2500000; /* 2.5 ms */
	r->depth = -3;
	r->pages = 12;
	r->lat[0] = 1; /* 0..1 us */
	r->lat[3] = 2; /* 8..15 us */
	r->lat[7] = 1; /* 128..255 us */
	r->lat_sum = 1 + 9 + 10 + 200;
}

static void inject(struct mfx *x, const void *rec, size_t len)
{
	ck_assert_msg(eun_tracker_inject(x->t, rec, len) == 1, "inject: %s", eun_last_error());
}

START_TEST(exposition_exact_lines)
{
	struct mfix_req r;
	struct mfx x;
	char build[128];
	unsigned abi_major = 0, abi_minor = 0;

	mfx_open(&x, NULL);
	req_fill(&r, "GET", 200);
	inject(&x, &r, sizeof(r));
	r.depth = 5;  /* a gauge keeps the last value */
	r.pages = 13;
	inject(&x, &r, sizeof(r));
	mfx_render(&x);

	eun_plugin_abi_version(&abi_major, &abi_minor);
	snprintf(build, sizeof(build), "eunomia_build_info{version=\"%s\",plugin_abi=\"%u.%u\"} 1",
		 eun_version(), abi_major, abi_minor);
	assert_line(x.text, build);
	assert_line(x.text, "# TYPE eunomia_events_total counter");
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"req\",method=\"GET\","
			    "code=\"200\",addr=\"10.0.0.7\"} 2");
	/* An event type without keys has its series from the start. */
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"tick\"} 0");
	assert_line(x.text, "eunomia_kernel_drops_total{tracker=\"mfix\"} 0");
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 0");

	/* Counters: deltas add up; ns become seconds; names carry the base unit once. */
	assert_line(x.text, "# TYPE eunomia_mfix_req_bytes_total counter");
	assert_line(x.text, "eunomia_mfix_req_bytes_total{method=\"GET\",code=\"200\",addr=\"10.0.0.7\"} 3000");
	assert_line(x.text, "# TYPE eunomia_mfix_req_wait_seconds_total counter");
	assert_line(x.text, "eunomia_mfix_req_wait_seconds_total{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\"} 0.005");
	/* Gauges: the last value, signed. */
	assert_line(x.text, "# TYPE eunomia_mfix_req_depth gauge");
	assert_line(x.text, "eunomia_mfix_req_depth{method=\"GET\",code=\"200\",addr=\"10.0.0.7\"} 5");
	assert_line(x.text, "eunomia_mfix_req_pages{method=\"GET\",code=\"200\",addr=\"10.0.0.7\"} 13");

	/* The histogram: cumulative buckets, le in seconds (slot i ends at 2^(i+1)-1 us). */
	assert_line(x.text, "# TYPE eunomia_mfix_req_lat_seconds histogram");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_bucket{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\",le=\"1e-06\"} 2");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_bucket{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\",le=\"7e-06\"} 2");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_bucket{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\",le=\"1.5e-05\"} 6");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_bucket{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\",le=\"0.000255\"} 8");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_bucket{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\",le=\"+Inf\"} 8");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_sum{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\"} 0.00044");
	assert_line(x.text, "eunomia_mfix_req_lat_seconds_count{method=\"GET\",code=\"200\","
			    "addr=\"10.0.0.7\"} 8");
	/* The histogram's companion sum is its _sum, not a metric of its own;
	 * fields without a metric flag and non-key strings make nothing. */
	assert_no(x.text, "lat_sum");
	assert_no(x.text, "path");
	assert_no(x.text, "index.html");
	/* Unitless counter of the key-less event: declared, no series yet. */
	assert_line(x.text, "# TYPE eunomia_mfix_tick_n_total counter");
	assert_no(x.text, "\neunomia_mfix_tick_n_total");
	mfx_close(&x);
}
END_TEST

START_TEST(exposition_help_lines)
{
	struct mfx x;

	mfx_open(&x, NULL);
	mfx_render(&x);
	assert_line(x.text, "# HELP eunomia_mfix_req_wait_seconds_total time queued "
			    "(tracker mfix, event req, field wait_ns, from ns converted)");
	assert_line(x.text, "# HELP eunomia_mfix_req_depth queue depth (tracker mfix, event req, field depth)");
	mfx_close(&x);
}
END_TEST

START_TEST(label_values_escaped)
{
	struct mfix_req r;
	struct mfx x;

	mfx_open(&x, NULL);
	req_fill(&r, "a\"b\\c\nd", 404);
	inject(&x, &r, sizeof(r));
	/* Invalid UTF-8 becomes U+FFFD; valid multi-byte text stays. */
	req_fill(&r, "\xff\xc3\xa9\xc3", 500);
	inject(&x, &r, sizeof(r));
	mfx_render(&x);
	assert_line(x.text, "eunomia_mfix_req_depth{method=\"a\\\"b\\\\c\\nd\",code=\"404\","
			    "addr=\"10.0.0.7\"} -3");
	assert_line(x.text, "eunomia_mfix_req_depth{method=\"\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\","
			    "code=\"500\",addr=\"10.0.0.7\"} -3");
	mfx_close(&x);
}
END_TEST

START_TEST(series_cap_counts_overflow)
{
	EUN_OPTS(eun_metrics_opts, opts, .max_series = 2);
	struct mfix_req r;
	struct mfx x;

	mfx_open(&x, &opts);
	for (uint16_t code = 200; code < 205; code++) {
		req_fill(&r, "GET", code);
		inject(&x, &r, sizeof(r));
	}
	req_fill(&r, "GET", 200); /* an existing series still counts */
	inject(&x, &r, sizeof(r));
	mfx_render(&x);
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"req\",method=\"GET\","
			    "code=\"200\",addr=\"10.0.0.7\"} 2");
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"req\",method=\"GET\","
			    "code=\"201\",addr=\"10.0.0.7\"} 1");
	assert_no(x.text, "code=\"202\"");
	assert_line(x.text, "# TYPE eunomia_series_overflow_total counter");
	/* Codes 202 to 204 found every family of req at its cap of 2 series. */
	assert_line(x.text, "eunomia_series_overflow_total{metric=\"eunomia_events_total\"} 3");
	assert_line(x.text, "eunomia_series_overflow_total{metric=\"eunomia_mfix_req_bytes_total\"} 3");
	assert_line(x.text, "eunomia_series_overflow_total{metric=\"eunomia_mfix_req_lat_seconds\"} 3");
	mfx_close(&x);
}
END_TEST

START_TEST(extra_label_fields)
{
	static const char *const extra[] = { "mfix.path", "mfix.comm", "mfix.pid" };
	EUN_OPTS(eun_metrics_opts, opts, .label_fields = extra, .n_label_fields = 3);
	struct mfix_tick tick;
	struct mfix_req r;
	struct mfx x;

	mfx_open(&x, &opts);
	req_fill(&r, "PUT", 201);
	inject(&x, &r, sizeof(r));
	memset(&tick, 0, sizeof(tick));
	header_fill(&tick.h, MFIX_TICK);
	tick.n = 3;
	inject(&x, &tick, sizeof(tick));
	mfx_render(&x);
	assert_line(x.text, "eunomia_mfix_req_bytes_total{method=\"PUT\",code=\"201\",addr=\"10.0.0.7\","
			    "path=\"/index.html\",comm=\"server\",pid=\"4321\"} 1500");
	/* tick has no path field; the header columns apply to every event type. */
	assert_line(x.text, "eunomia_mfix_tick_n_total{comm=\"server\",pid=\"4321\"} 3");
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"tick\",comm=\"server\",pid=\"4321\"} 1");
	mfx_close(&x);
}
END_TEST

START_TEST(extra_label_fields_refused)
{
	static const char *const bad[] = { "mfix.nosuch", "nosuch.path", "path", "mfix.", ".path" };
	EUN_OPTS(eun_ctx_opts, copts, .plugin_path = "/nonexistent", .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&copts);

	ck_assert_int_eq(eun_ctx_load_plugin(ctx, EUN_TEST_METRICS_FIXTURE), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EUN_OPTS(eun_metrics_opts, opts, .label_fields = &bad[i], .n_label_fields = 1);

		errno = 0;
		ck_assert_msg(!eun_metrics_new(ctx, &opts), "'%s' was accepted", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_msg(strstr(eun_last_error(), "metrics label field"), "%s", eun_last_error());
	}
	/* The message names the fix: the fields there are (not the histogram,
	 * and each once), or the trackers there are; and no CLI command. */
	{
		EUN_OPTS(eun_metrics_opts, opts, .label_fields = &bad[0], .n_label_fields = 1);
		const char *msg;

		ck_assert(!eun_metrics_new(ctx, &opts));
		msg = eun_last_error();
		ck_assert_msg(strstr(msg, "its fields: method, code, addr, path, bytes, wait_ns, "
				     "depth, pages, lat_sum, n, or a header column"), "%s", msg);
		ck_assert_msg(!strstr(msg, "eunomia "), "%s", msg);
	}
	{
		EUN_OPTS(eun_metrics_opts, opts, .label_fields = &bad[1], .n_label_fields = 1);
		const char *msg;

		ck_assert(!eun_metrics_new(ctx, &opts));
		msg = eun_last_error();
		ck_assert_msg(strstr(msg, "no tracker 'nosuch' is loaded; loaded: mfix"), "%s", msg);
		ck_assert_msg(!strstr(msg, "eunomia "), "%s", msg);
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(decode_errors_after_refresh)
{
	struct mfix_req r;
	struct mfx x;

	mfx_open(&x, NULL);
	req_fill(&r, "GET", 200);
	/* Shorter than the declared record: refused as malformed. */
	ck_assert_int_lt(eun_tracker_inject(x.t, &r, sizeof(r) - 8), 0);
	mfx_render(&x);
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 0");
	ck_assert_int_eq(eun_metrics_refresh(x.m), 0);
	mfx_render(&x);
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 1");
	mfx_close(&x);
}
END_TEST

START_TEST(error_counters_survive_freed_trackers)
{
	struct eun_tracker *second;
	struct mfix_req r;
	struct mfx x;

	mfx_open(&x, NULL);
	req_fill(&r, "GET", 200);
	second = eun_tracker_new(x.ctx, MFIX_NAME, NULL);
	ck_assert_msg(second, "%s", eun_last_error());
	ck_assert_int_lt(eun_tracker_inject(x.t, &r, sizeof(r) - 8), 0);
	ck_assert_int_lt(eun_tracker_inject(second, &r, sizeof(r) - 8), 0);
	ck_assert_int_lt(eun_tracker_inject(second, &r, sizeof(r) - 8), 0);
	ck_assert_int_eq(eun_metrics_refresh(x.m), 0);
	ck_assert_int_eq(eun_metrics_refresh(x.m), 0); /* nothing new: no change */
	mfx_render(&x);
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 3");
	/* A counter never goes down: the freed tracker's errors stay counted. */
	eun_tracker_free(x.t);
	ck_assert_int_eq(eun_metrics_refresh(x.m), 0);
	mfx_render(&x);
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 3");
	ck_assert_int_lt(eun_tracker_inject(second, &r, sizeof(r) - 8), 0);
	ck_assert_int_eq(eun_metrics_refresh(x.m), 0);
	mfx_render(&x);
	assert_line(x.text, "eunomia_decode_errors_total{tracker=\"mfix\"} 4");
	mfx_close(&x);
}
END_TEST

START_TEST(render_snprintf_semantics)
{
	struct mfx x;
	char small[16];
	int full, n;

	mfx_open(&x, NULL);
	full = eun_metrics_render(x.m, NULL, 0);
	ck_assert_int_gt(full, 0);
	n = eun_metrics_render(x.m, small, sizeof(small));
	ck_assert_int_eq(n, full);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(eun_metrics_render(NULL, small, sizeof(small)), -EINVAL);
	mfx_close(&x);
}
END_TEST

/* `method path` to 127.0.0.1:port; the whole response (headers and body) into buf. */
static void http_request(int port, const char *method, const char *path, char *buf, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char req[256];
	size_t len = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect: %s", strerror(errno));
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		 "Content-Length: 0\r\n\r\n", method, path);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while (len + 1 < size && (n = read(fd, buf + len, size - len - 1)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
}

static void http_get(int port, const char *path, char *buf, size_t size)
{
	http_request(port, "GET", path, buf, size);
}

START_TEST(http_serves_metrics)
{
	struct mfix_req r;
	struct mfx x;
	int port;

	mfx_open(&x, NULL);
	ck_assert_int_eq(eun_metrics_port(x.m), -ENOTCONN);
	ck_assert_msg(eun_metrics_serve(x.m, "127.0.0.1:0") == 0, "serve: %s", eun_last_error());
	port = eun_metrics_port(x.m);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(eun_metrics_serve(x.m, "127.0.0.1:0"), -EALREADY);
	req_fill(&r, "GET", 200);
	inject(&x, &r, sizeof(r));

	http_get(port, "/metrics", x.text, sizeof(x.text));
	ck_assert_msg(!strncmp(x.text, "HTTP/1.1 200", 12), "%s", x.text);
	ck_assert_msg(strstr(x.text, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"),
		      "%s", x.text);
	assert_line(x.text, "eunomia_events_total{tracker=\"mfix\",event=\"req\",method=\"GET\","
			    "code=\"200\",addr=\"10.0.0.7\"} 1");
	http_get(port, "/nope", x.text, sizeof(x.text));
	ck_assert_msg(!strncmp(x.text, "HTTP/1.1 404", 12), "%s", x.text);
	http_request(port, "POST", "/metrics", x.text, sizeof(x.text));
	ck_assert_msg(!strncmp(x.text, "HTTP/1.1 405", 12), "%s", x.text);
	ck_assert_msg(strstr(x.text, "Allow: GET, HEAD\r\n"), "%s", x.text);
	/* HEAD: the headers of GET, no body. */
	http_request(port, "HEAD", "/metrics", x.text, sizeof(x.text));
	ck_assert_msg(!strncmp(x.text, "HTTP/1.1 200", 12), "%s", x.text);
	ck_assert_msg(!strstr(x.text, "eunomia_events_total"), "%s", x.text);
	mfx_close(&x);
}
END_TEST

/* What the scraping thread saw. */
struct scraper {
	int port;
	int scrapes, bad;
	unsigned long long last;
	char buf[65536];
};

/* The req event count in a scrape, or -1 if it has none. */
static long long scraped_count(const char *text)
{
	static const char line[] = "\neunomia_events_total{tracker=\"mfix\",event=\"req\","
				   "method=\"GET\",code=\"200\",addr=\"10.0.0.7\"} ";
	const char *p = strstr(text, line);

	return p ? strtoll(p + sizeof(line) - 1, NULL, 10) : -1;
}

/* Scrape 30 times; counts must never go down and every reply must be whole. */
static void *scrape_loop(void *arg)
{
	struct scraper *sc = arg;

	for (int i = 0; i < 30; i++) {
		long long n;

		http_get(sc->port, "/metrics", sc->buf, sizeof(sc->buf));
		n = scraped_count(sc->buf);
		sc->scrapes++;
		if (strncmp(sc->buf, "HTTP/1.1 200", 12) || !strstr(sc->buf, "# TYPE eunomia_mfix_tick_n_total counter\n"))
			sc->bad++;
		else if (n >= 0 && (unsigned long long)n < sc->last)
			sc->bad++;
		else if (n >= 0)
			sc->last = (unsigned long long)n;
	}
	return NULL;
}

START_TEST(http_scrapes_while_observing)
{
	struct scraper sc = { 0 };
	struct mfix_req r;
	struct mfx x;
	pthread_t th;

	mfx_open(&x, NULL);
	ck_assert_int_eq(eun_metrics_serve(x.m, "127.0.0.1:0"), 0);
	sc.port = eun_metrics_port(x.m);
	req_fill(&r, "GET", 200);
	ck_assert_int_eq(pthread_create(&th, NULL, scrape_loop, &sc), 0);
	for (int i = 0; i < 20000; i++)
		inject(&x, &r, sizeof(r));
	pthread_join(th, NULL);
	ck_assert_int_eq(sc.scrapes, 30);
	ck_assert_int_eq(sc.bad, 0);
	mfx_render(&x);
	ck_assert_int_eq(scraped_count(x.text), 20000);
	mfx_close(&x);
}
END_TEST

START_TEST(http_address_errors)
{
	struct mfx x, y;

	mfx_open(&x, NULL);
	ck_assert_int_eq(eun_metrics_serve(x.m, "9464"), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "HOST:PORT"), "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_serve(x.m, "127.0.0.1:http"), -EINVAL);
	ck_assert_int_eq(eun_metrics_serve(x.m, "127.0.0.1:0"), 0);
	/* A second registry on the same port is refused with the reason. */
	mfx_open(&y, NULL);
	{
		char addr[64];

		snprintf(addr, sizeof(addr), "127.0.0.1:%d", eun_metrics_port(x.m));
		ck_assert_int_eq(eun_metrics_serve(y.m, addr), -EADDRINUSE);
		ck_assert_msg(strstr(eun_last_error(), "pick another"), "%s", eun_last_error());
	}
	mfx_close(&y);
	mfx_close(&x);
}
END_TEST

/* What a walk saw: each series as one line "NAME KIND LABELS VALUE". */
struct walked {
	char text[16384];
	size_t len;
	int n;
	const char *last_name;
	bool names_apart; /* a name seen again after another one */
	char seen[64][128];
	int n_seen;
	uint64_t start;
};

static int walk_cb(const struct eun_metric_series *s, void *cookie)
{
	struct walked *w = cookie;
	size_t room = sizeof(w->text) - w->len;
	int n;

	ck_assert_uint_ge(s->sz, sizeof(*s));
	if (!w->last_name || strcmp(w->last_name, s->name)) {
		for (int i = 0; i < w->n_seen; i++)
			w->names_apart |= !strcmp(w->seen[i], s->name);
		if (w->n_seen < 64)
			snprintf(w->seen[w->n_seen++], sizeof(w->seen[0]), "%s", s->name);
	}
	w->last_name = w->seen[w->n_seen - 1];
	w->start = s->start_time_ns;
	n = snprintf(w->text + w->len, room, "%s %d %s", s->name, s->kind, s->unit ? s->unit : "-");
	for (size_t i = 0; i < s->n_labels; i++)
		n += snprintf(w->text + w->len + n, room - n, " %s=[%s]", s->labels[i].name,
			      s->labels[i].value);
	if (s->kind == EUN_METRIC_HISTOGRAM) {
		n += snprintf(w->text + w->len + n, room - n, " count=%llu sum=%g",
			      (unsigned long long)s->count, s->sum);
		for (size_t i = 0; i + 1 < s->n_buckets; i++)
			n += snprintf(w->text + w->len + n, room - n, " %g:%llu", s->upper_bounds[i],
				      (unsigned long long)s->bucket_counts[i]);
		n += snprintf(w->text + w->len + n, room - n, " inf:%llu",
			      (unsigned long long)s->bucket_counts[s->n_buckets - 1]);
	} else if (s->is_int) {
		n += snprintf(w->text + w->len + n, room - n, " =%lld", (long long)s->value_int);
	} else {
		n += snprintf(w->text + w->len + n, room - n, " ~%g", s->value);
	}
	n += snprintf(w->text + w->len + n, room - n, "\n");
	w->len += (size_t)n;
	w->n++;
	return 0;
}

/* Stops the walk at the third series. */
static int walk_stop(const struct eun_metric_series *s, void *cookie)
{
	(void)s;
	return ++*(int *)cookie == 3 ? -ECANCELED : 0;
}

START_TEST(walk_gives_typed_series)
{
	struct walked w = { .len = 1 };
	struct mfix_req r;
	struct mfx x;
	char line[512];
	int stopped = 0;

	w.text[0] = '\n';
	mfx_open(&x, NULL);
	req_fill(&r, "a\"b\\c\nd", 200);
	inject(&x, &r, sizeof(r));
	inject(&x, &r, sizeof(r));
	ck_assert_int_eq(eun_metrics_walk(x.m, walk_cb, &w), 0);
	ck_assert_msg(!w.names_apart, "the series of one name are not together:%s", w.text);
	unsigned major, minor;

	eun_plugin_abi_version(&major, &minor);
	snprintf(line, sizeof(line), "eunomia_build_info 1 - version=[%s] plugin_abi=[%u.%u] =1",
		 eun_version(), major, minor);
	assert_line(w.text, line);
	/* Labels come back unescaped, in the order the registry keeps them. */
	assert_line(w.text, "eunomia_events_total 0 - tracker=[mfix] event=[req] method=[a\"b\\c\nd] "
			    "code=[200] addr=[10.0.0.7] =2");
	assert_line(w.text, "eunomia_events_total 0 - tracker=[mfix] event=[tick] =0");
	assert_line(w.text, "eunomia_kernel_drops_total 0 - tracker=[mfix] =0");
	assert_line(w.text, "eunomia_mfix_req_bytes_total 0 bytes method=[a\"b\\c\nd] code=[200] "
			    "addr=[10.0.0.7] =3000");
	/* A converted value is a double, exact ones are integers; signed gauges stay signed. */
	assert_line(w.text, "eunomia_mfix_req_wait_seconds_total 0 seconds method=[a\"b\\c\nd] "
			    "code=[200] addr=[10.0.0.7] ~0.005");
	assert_line(w.text, "eunomia_mfix_req_depth 1 - method=[a\"b\\c\nd] code=[200] "
			    "addr=[10.0.0.7] =-3");
	assert_line(w.text, "eunomia_mfix_req_pages 1 pages method=[a\"b\\c\nd] code=[200] "
			    "addr=[10.0.0.7] =12");
	/* Histogram buckets are the slots, not cumulative, bounds in seconds, and
	 * one last bucket above every bound. */
	assert_line(w.text, "eunomia_mfix_req_lat_seconds 2 seconds method=[a\"b\\c\nd] code=[200] "
			    "addr=[10.0.0.7] count=8 sum=0.00044 1e-06:2 3e-06:0 7e-06:0 1.5e-05:4 "
			    "3.1e-05:0 6.3e-05:0 0.000127:0 0.000255:2 inf:0");
	ck_assert_uint_gt(w.start, 0);
	ck_assert_int_eq(eun_metrics_walk(x.m, walk_stop, &stopped), -ECANCELED);
	ck_assert_int_eq(stopped, 3);
	ck_assert_int_eq(eun_metrics_walk(NULL, walk_cb, &w), -EINVAL);
	ck_assert_int_eq(eun_metrics_walk(x.m, NULL, &w), -EINVAL);
	mfx_close(&x);
}
END_TEST

START_TEST(own_metrics_rendered_and_walked)
{
	struct walked w = { .len = 1 };
	struct mfx x;

	w.text[0] = '\n';
	mfx_open(&x, NULL);
	ck_assert_int_eq(eun_metrics_set(x.m, "app_sent_total", "Things sent", EUN_METRIC_COUNTER, 5), 0);
	ck_assert_int_eq(eun_metrics_set(x.m, "app_queue", "Queued now", EUN_METRIC_GAUGE, 9), 0);
	ck_assert_int_eq(eun_metrics_set(x.m, "app_sent_total", "Things sent", EUN_METRIC_COUNTER, 7), 0);
	ck_assert_int_eq(eun_metrics_set(x.m, "app_queue", "Queued now", EUN_METRIC_GAUGE, 2), 0);
	mfx_render(&x);
	assert_line(x.text, "# HELP app_sent_total Things sent");
	assert_line(x.text, "# TYPE app_sent_total counter");
	assert_line(x.text, "app_sent_total 7");
	assert_line(x.text, "# TYPE app_queue gauge");
	assert_line(x.text, "app_queue 2");
	ck_assert_int_eq(eun_metrics_walk(x.m, walk_cb, &w), 0);
	assert_line(w.text, "app_sent_total 0 - =7");
	assert_line(w.text, "app_queue 1 - =2");

	/* Refused: a counter going down, a changed kind, bad names, the registry's names. */
	ck_assert_int_eq(eun_metrics_set(x.m, "app_sent_total", "x", EUN_METRIC_COUNTER, 6), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "go down"), "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_set(x.m, "app_queue", "x", EUN_METRIC_COUNTER, 6), -EINVAL);
	ck_assert_int_eq(eun_metrics_set(x.m, "app_sent_total", "x", EUN_METRIC_GAUGE, 9), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "keeps its kind"), "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_set(x.m, "app_count", "x", EUN_METRIC_COUNTER, 1), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "_total"), "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_set(x.m, "9lives", "x", EUN_METRIC_GAUGE, 1), -EINVAL);
	ck_assert_int_eq(eun_metrics_set(x.m, "a-b", "x", EUN_METRIC_GAUGE, 1), -EINVAL);
	ck_assert_int_eq(eun_metrics_set(x.m, "h", "x", EUN_METRIC_HISTOGRAM, 1), -EINVAL);
	ck_assert_int_eq(eun_metrics_set(x.m, "eunomia_events_total", "x", EUN_METRIC_COUNTER, 1), -EINVAL);
	ck_assert_int_eq(eun_metrics_set(x.m, "eunomia_mfix_req_depth", "x", EUN_METRIC_GAUGE, 1), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "registry itself"), "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_set(NULL, "a", "x", EUN_METRIC_GAUGE, 1), -EINVAL);
	mfx_render(&x);
	assert_line(x.text, "app_sent_total 7");
	mfx_close(&x);
}
END_TEST

START_TEST(promtool_accepts_a_scrape)
{
	static const char *const extra[] = { "mfix.path" };
	EUN_OPTS(eun_metrics_opts, opts, .label_fields = extra, .n_label_fields = 1);
	struct mfix_tick tick;
	struct mfix_req r;
	struct mfx x;
	const char *body;
	char cmd[512];
	FILE *p;
	int status;

	ck_assert_msg(EUN_TEST_PROMTOOL[0], "promtool not found: install the Debian package "
		      "prometheus (scripts/setup does)");
	mfx_open(&x, &opts);
	ck_assert_int_eq(eun_metrics_serve(x.m, "127.0.0.1:0"), 0);
	req_fill(&r, "GET", 200);
	str_fill(r.path, sizeof(r.path), "/a \"quoted\"\\path\n");
	inject(&x, &r, sizeof(r));
	req_fill(&r, "\xff", 500);
	inject(&x, &r, sizeof(r));
	memset(&tick, 0, sizeof(tick));
	header_fill(&tick.h, MFIX_TICK);
	tick.n = 1;
	inject(&x, &tick, sizeof(tick));

	http_get(eun_metrics_port(x.m), "/metrics", x.text, sizeof(x.text));
	body = strstr(x.text, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	snprintf(cmd, sizeof(cmd), "%s check metrics", EUN_TEST_PROMTOOL);
	p = popen(cmd, "w");
	ck_assert_ptr_nonnull(p);
	fputs(body + 4, p);
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "promtool check metrics failed (status %d) on:\n%s", status, body + 4);
	mfx_close(&x);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("registry");

	tcase_add_test(tc, exposition_exact_lines);
	tcase_add_test(tc, exposition_help_lines);
	tcase_add_test(tc, label_values_escaped);
	tcase_add_test(tc, series_cap_counts_overflow);
	tcase_add_test(tc, extra_label_fields);
	tcase_add_test(tc, extra_label_fields_refused);
	tcase_add_test(tc, decode_errors_after_refresh);
	tcase_add_test(tc, error_counters_survive_freed_trackers);
	tcase_add_test(tc, render_snprintf_semantics);
	tcase_add_test(tc, walk_gives_typed_series);
	tcase_add_test(tc, own_metrics_rendered_and_walked);
	suite_add_tcase(s, tc);
	tc = tcase_create("http");
	tcase_add_test(tc, http_serves_metrics);
	tcase_add_test(tc, http_scrapes_while_observing);
	tcase_add_test(tc, http_address_errors);
	tcase_add_test(tc, promtool_accepts_a_scrape);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
