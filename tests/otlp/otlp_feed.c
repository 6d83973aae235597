/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * otlp_feed: drives libeunomia-otlp for the Node tests of tests/otlp/.
 * It loads the BPF-less test plugins (fixture, mfix, alert), injects a
 * known mix of events through the library's real delivery path, hands
 * each to an exporter (and a metrics registry), then shuts the exporter
 * down and prints its counters as one JSON object.
 *
 * usage: otlp_feed --endpoint URL [--opt KEY=VALUE]... [--events KIND:N,...]
 *                  [--rate PER_SECOND] [--metrics] [--flush] [--json-out FILE]
 *                  [--prom-out FILE] [--attach] FIXTURE_SO...
 * --opt sets a member of eun_otlp_opts (see set_opt()); --flush calls
 * eun_otlp_flush() after the events, before eun_otlp_shutdown().
 * KIND: alpha, beta (fixture), req, tick (mfix), alert; events are made in
 * rounds of one of each kind still due. Event k (from 0, over all kinds)
 * carries k in its sequence field: alpha.big, alert.seq, req.bytes,
 * tick.n, beta.flags.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <eunomia/otlp.h>

#include "fixture_alert.h"
#include "fixture_good.h"
#include "fixture_metrics.h"

enum kind { K_ALPHA, K_BETA, K_REQ, K_TICK, K_ALERT, K_MAX };

static const char *const kind_names[K_MAX] = { "alpha", "beta", "req", "tick", "alert" };
static const char *const kind_trackers[K_MAX] = { FIXTURE_NAME, FIXTURE_NAME, MFIX_NAME, MFIX_NAME,
						  FALERT_NAME };

struct feed {
	struct eun_ctx *ctx;
	struct eun_tracker *trackers[K_MAX];
	struct eun_metrics *metrics;
	struct eun_otlp *otlp;
	FILE *json;
	bool attached;   /* --attach: exporter and registry are listeners */
	uint64_t observed, queued, refused;
	uint64_t alerts; /* alerts made so far: their priorities cycle */
};

static _Noreturn void die(const char *what, const char *why)
{
	fprintf(stderr, "otlp_feed: %s: %s\n", what, why);
	exit(1);
}

/* The event callback: the exporter, the registry, the JSON copy. */
static int on_event(const struct eun_event *ev, void *cookie)
{
	struct feed *f = cookie;
	char line[8192];
	int n;

	f->observed++;
	if (!f->attached) {
		if (f->metrics && eun_metrics_observe(f->metrics, ev) < 0)
			die("eun_metrics_observe", eun_last_error());
		n = eun_otlp_observe(f->otlp, ev);
		if (n < 0)
			die("eun_otlp_observe", eun_otlp_last_error());
		f->queued += n == 1;
		f->refused += n == 0;
	}
	if (f->json) {
		eun_event_to_json(ev, line, sizeof(line));
		fprintf(f->json, "%s\n", line);
	}
	return 0;
}

/* Apply one --opt KEY=VALUE to o; strings point into arg. */
static void set_opt(struct eun_otlp_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');
	const char *v;
	unsigned long long n;

	if (!eq)
		die("--opt", "needs KEY=VALUE");
	*eq = '\0';
	v = eq + 1;
	n = strtoull(v, NULL, 10);
	if (!strcmp(arg, "protocol"))
		o->protocol = !strcmp(v, "json") ? EUN_OTLP_HTTP_JSON : EUN_OTLP_HTTP_PROTOBUF;
	else if (!strcmp(arg, "compression"))
		o->compression = !strcmp(v, "none") ? EUN_OTLP_NO_COMPRESSION : EUN_OTLP_GZIP;
	else if (!strcmp(arg, "drop"))
		o->drop_policy = !strcmp(v, "oldest") ? EUN_OTLP_DROP_OLDEST : EUN_OTLP_DROP_NEWEST;
	else if (!strcmp(arg, "headers"))
		o->headers = v;
	else if (!strcmp(arg, "service_name"))
		o->service_name = v;
	else if (!strcmp(arg, "resource_attributes"))
		o->resource_attributes = v;
	else if (!strcmp(arg, "ignore_env"))
		o->ignore_env = n != 0;
	else if (!strcmp(arg, "no_retry"))
		o->no_retry = n != 0;
	else if (!strcmp(arg, "batch_items"))
		o->batch_max_items = n;
	else if (!strcmp(arg, "batch_bytes"))
		o->batch_max_bytes = n;
	else if (!strcmp(arg, "batch_timeout_ms"))
		o->batch_timeout_ms = (unsigned)n;
	else if (!strcmp(arg, "queue_items"))
		o->queue_max_items = n;
	else if (!strcmp(arg, "queue_bytes"))
		o->queue_max_bytes = n;
	else if (!strcmp(arg, "retry_initial_ms"))
		o->retry_initial_ms = (unsigned)n;
	else if (!strcmp(arg, "retry_max_interval_ms"))
		o->retry_max_interval_ms = (unsigned)n;
	else if (!strcmp(arg, "retry_max_elapsed_ms"))
		o->retry_max_elapsed_ms = (unsigned)n;
	else if (!strcmp(arg, "timeout_ms"))
		o->timeout_ms = (unsigned)n;
	else if (!strcmp(arg, "metrics_interval_ms"))
		o->metrics_interval_ms = (unsigned)n;
	else if (!strcmp(arg, "shutdown_timeout_ms"))
		o->shutdown_timeout_ms = (unsigned)n;
	else
		die("--opt", arg);
}

/* Parse "alpha:10,alert:3" into counts. */
static void parse_events(const char *spec, uint64_t counts[K_MAX])
{
	char *copy = strdup(spec), *save = NULL;

	for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(e, ':');
		int k;

		if (!colon)
			die("--events", "needs KIND:N,...");
		*colon = '\0';
		for (k = 0; k < K_MAX && strcmp(kind_names[k], e); k++)
			;
		if (k == K_MAX)
			die("--events: unknown kind", e);
		counts[k] = strtoull(colon + 1, NULL, 10);
	}
	free(copy);
}

static void header(struct eun_record_header *h, unsigned type, uint64_t seq)
{
	memset(h, 0, sizeof(*h));
	h->ts_ns = 1000000000ull + seq * 1000ull;
	h->type = type;
	h->pid = 1000 + (uint32_t)(seq % 50);
	h->tid = h->pid + 1;
	h->uid = (uint32_t)(seq % 3);
	snprintf(h->comm, sizeof(h->comm), "feeder%u", (unsigned)(seq % 7));
}

static void inject(struct feed *f, enum kind k, const void *rec, size_t len)
{
	int n = eun_tracker_inject(f->trackers[k], rec, len);

	if (n != 1)
		die("eun_tracker_inject", n < 0 ? eun_last_error() : "dropped");
}

/* Labels: plain, with a quote and a backslash, UTF-8, an invalid byte. */
static void label_of(char *out, size_t size, uint64_t seq)
{
	switch (seq % 4) {
	case 0:
		snprintf(out, size, "l%" PRIu64, seq);
		break;
	case 1:
		snprintf(out, size, "q\"%" PRIu64 "\\", seq);
		break;
	case 2:
		snprintf(out, size, "caf\xc3\xa9-%" PRIu64, seq);
		break;
	default:
		snprintf(out, size, "bad\xff%" PRIu64, seq);
		break;
	}
}

static void make_event(struct feed *f, enum kind k, uint64_t seq)
{
	static const char *const priorities[] = {
		"Emergency", "alert", "CRITICAL", "error", "warning", "notice", "informational",
		"info", "debug", "bogus",
	};

	switch (k) {
	case K_ALPHA: {
		struct fixture_alpha a = { 0 };

		header(&a.h, FIXTURE_ALPHA, seq);
		a.big = seq;
		a.ret = seq % 3 ? (int64_t)seq : -2;
		a.mask = 0xdeadbeefu ^ (uint32_t)seq;
		a.delta = -(int32_t)(seq % 100000);
		a.port = (uint16_t)seq;
		a.level = (uint8_t)seq;
		a.ok = seq & 1;
		label_of(a.label, sizeof(a.label), seq);
		inject(f, k, &a, sizeof(a));
		break;
	}
	case K_BETA: {
		struct fixture_beta b = { 0 };

		header(&b.h, FIXTURE_BETA, seq);
		b.saddr[0] = 10;
		b.saddr[2] = (uint8_t)(seq >> 8);
		b.saddr[3] = (uint8_t)seq;
		b.daddr[0] = 0x20;
		b.daddr[1] = 0x01;
		b.daddr[2] = 0x0d;
		b.daddr[3] = 0xb8;
		b.daddr[15] = (uint8_t)seq;
		b.flags = (uint32_t)seq;
		label_of(b.label, sizeof(b.label), seq);
		snprintf(b.path, sizeof(b.path), "/tmp/p%" PRIu64, seq);
		inject(f, k, &b, sizeof(b));
		break;
	}
	case K_REQ: {
		struct mfix_req r = { 0 };

		header(&r.h, MFIX_REQ, seq);
		r.lat[seq % MFIX_LAT_SLOTS] = 1 + seq % 3;
		r.lat_sum = (1 + seq % 3) * (UINT64_C(1) << (seq % MFIX_LAT_SLOTS));
		r.bytes = seq;
		r.wait_ns = 1500 * (seq + 1);
		r.depth = (int32_t)(seq % 7) - 3;
		r.pages = (uint32_t)(seq % 11);
		r.code = seq % 2 ? 404 : 200;
		r.addr[0] = 127;
		r.addr[3] = 1;
		snprintf(r.method, sizeof(r.method), "%s", seq % 3 ? "GET" : "POST");
		snprintf(r.path, sizeof(r.path), "/r/%" PRIu64, seq);
		inject(f, k, &r, sizeof(r));
		break;
	}
	case K_TICK: {
		struct mfix_tick t = { 0 };

		header(&t.h, MFIX_TICK, seq);
		t.n = seq;
		inject(f, k, &t, sizeof(t));
		break;
	}
	case K_ALERT: {
		struct falert_match m = { 0 };
		const char *prio = priorities[f->alerts++ % (sizeof(priorities) / sizeof(priorities[0]))];

		header(&m.h, FALERT_MATCH, seq);
		m.seq = (uint32_t)seq;
		snprintf(m.rule, sizeof(m.rule), "rule-%u", (unsigned)(seq % 5));
		snprintf(m.priority, sizeof(m.priority), "%s", prio);
		snprintf(m.category, sizeof(m.category), "test");
		snprintf(m.output, sizeof(m.output), "rule-%u matched event %" PRIu64 " (%s)",
			 (unsigned)(seq % 5), seq, prio);
		inject(f, k, &m, sizeof(m));
		break;
	}
	default:
		break;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every event due, in rounds, at `rate` per second (0: at once). */
static void feed_all(struct feed *f, uint64_t counts[K_MAX], double rate)
{
	double start = now_s();
	uint64_t seq = 0;
	bool more = true;

	while (more) {
		more = false;
		for (int k = 0; k < K_MAX; k++) {
			if (!counts[k])
				continue;
			counts[k]--;
			more = true;
			if (rate > 0) {
				double due = start + (double)seq / rate, wait = due - now_s();

				if (wait > 0)
					usleep((useconds_t)(wait * 1e6));
			}
			make_event(f, (enum kind)k, seq++);
		}
	}
}

static void write_prom(struct feed *f, const char *path)
{
	int n = eun_metrics_render(f->metrics, NULL, 0);
	char *text = malloc((size_t)n + 1);
	FILE *out = fopen(path, "w");

	if (!text || !out)
		die(path, strerror(errno));
	eun_metrics_render(f->metrics, text, (size_t)n + 1);
	fputs(text, out);
	fclose(out);
	free(text);
}

int main(int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "endpoint", required_argument, NULL, 'e' },
		{ "opt", required_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "metrics", no_argument, NULL, 'm' },
		{ "flush", no_argument, NULL, 'f' },
		{ "json-out", required_argument, NULL, 'j' },
		{ "prom-out", required_argument, NULL, 'p' },
		{ "attach", no_argument, NULL, 'a' },
		{ 0 },
	};
	EUN_OPTS(eun_otlp_opts, o, .ignore_env = true);
	EUN_OPTS(eun_ctx_opts, copts, .plugin_path = "/nonexistent", .no_default_path = true);
	EUN_OPTS(eun_otlp_stats, st);
	EUN_OPTS(eun_otlp_stats, flushed);
	uint64_t counts[K_MAX] = { 0 };
	struct feed f = { 0 };
	const char *prom = NULL;
	bool with_metrics = false, flush = false;
	double rate = 0;
	int c, rc, frc = 0;

	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (c) {
		case 'e': o.endpoint = optarg; break;
		case 'o': set_opt(&o, optarg); break;
		case 'n': parse_events(optarg, counts); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'm': with_metrics = true; break;
		case 'f': flush = true; break;
		case 'j':
			f.json = fopen(optarg, "w");
			if (!f.json)
				die(optarg, strerror(errno));
			break;
		case 'p': prom = optarg; break;
		case 'a': f.attached = true; break;
		default: die("usage", "see the comment at the top of otlp_feed.c");
		}
	}
	f.ctx = eun_ctx_new(&copts);
	if (!f.ctx)
		die("eun_ctx_new", eun_last_error());
	for (int i = optind; i < argc; i++)
		if (eun_ctx_load_plugin(f.ctx, argv[i]) < 0)
			die(argv[i], eun_last_error());
	for (int k = 0; k < K_MAX; k++) {
		for (int j = 0; j < k && !f.trackers[k]; j++)
			if (!strcmp(kind_trackers[j], kind_trackers[k]))
				f.trackers[k] = f.trackers[j];
		if (!f.trackers[k] && counts[k] && !(f.trackers[k] = eun_tracker_new(f.ctx, kind_trackers[k], NULL)))
			die(kind_trackers[k], eun_last_error());
	}
	if (with_metrics && !(f.metrics = eun_metrics_new(f.ctx, NULL)))
		die("eun_metrics_new", eun_last_error());
	o.metrics = f.metrics;
	f.otlp = eun_otlp_new(&o);
	if (!f.otlp)
		die("eun_otlp_new", eun_otlp_last_error());
	if (f.attached && eun_otlp_attach(f.otlp, f.ctx) < 0)
		die("eun_otlp_attach", eun_otlp_last_error());
	if (f.attached && f.metrics && eun_metrics_attach(f.metrics) < 0)
		die("eun_metrics_attach", eun_last_error());
	eun_ctx_set_event_fn(f.ctx, on_event, &f);
	if (f.metrics && eun_metrics_refresh(f.metrics) < 0)
		die("eun_metrics_refresh", eun_last_error());
	feed_all(&f, counts, rate);
	if (flush) {
		frc = eun_otlp_flush(f.otlp, -1);
		if (eun_otlp_stats(f.otlp, &flushed) < 0)
			die("eun_otlp_stats", eun_otlp_last_error());
	}
	rc = eun_otlp_shutdown(f.otlp);
	if (eun_otlp_stats(f.otlp, &st) < 0)
		die("eun_otlp_stats", eun_otlp_last_error());
	if (prom)
		write_prom(&f, prom);
	printf("{\"observed\":%" PRIu64 ",\"queued\":%" PRIu64 ",\"refused\":%" PRIu64
	       ",\"flush\":%d,\"shutdown\":%d,\"received\":%" PRIu64 ",\"sent\":%" PRIu64
	       ",\"dropped\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"rejected\":%" PRIu64
	       ",\"points_sent\":%" PRIu64 ",\"points_failed\":%" PRIu64
	       ",\"points_rejected\":%" PRIu64 ",\"requests\":%" PRIu64 ",\"retries\":%" PRIu64
	       ",\"queue_items\":%" PRIu64 ",\"queue_bytes\":%" PRIu64
	       ",\"sent_at_flush\":%" PRIu64 ",\"points_sent_at_flush\":%" PRIu64
	       ",\"bus_dropped\":%" PRIu64 "}\n",
	       f.observed, f.queued, f.refused, frc, rc, st.log_records_received,
	       st.log_records_sent, st.log_records_dropped, st.log_records_failed,
	       st.log_records_rejected, st.metric_points_sent, st.metric_points_failed,
	       st.metric_points_rejected, st.requests, st.retries, st.queue_items, st.queue_bytes,
	       flushed.log_records_sent, flushed.metric_points_sent, st.events_dropped_on_bus);
	eun_otlp_free(f.otlp);
	eun_metrics_free(f.metrics);
	eun_ctx_free(f.ctx);
	if (f.json)
		fclose(f.json);
	return 0;
}
