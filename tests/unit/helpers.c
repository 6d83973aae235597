/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fixture_path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s.so", EUN_TEST_FIXTURE_DIR, name);
	return buf;
}

const char *bad_fixture_path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s.so", EUN_TEST_BAD_DIR, name);
	return buf;
}

struct eun_ctx *fixture_ctx(void)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_FIXTURE_DIR, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_msg(ctx, "eun_ctx_new: %s", eun_last_error());
	return ctx;
}

struct eun_tracker *fixture_tracker(struct eun_ctx *ctx, const struct eun_config_entry *cfg,
				    size_t n)
{
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n);
	struct eun_tracker *t = eun_tracker_new(ctx, FIXTURE_NAME, &opts);

	ck_assert_msg(t, "eun_tracker_new(fixture): %s", eun_last_error());
	return t;
}

void str_fill(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	memset(dst, 0, cap);
	memcpy(dst, src, n < cap ? n : cap);
}

static void header_fill(struct eun_record_header *h, unsigned type)
{
	memset(h, 0, sizeof(*h));
	h->ts_ns = 1000000000ull;
	h->cgroup_id = 4242;
	h->type = type;
	h->pid = 1234;
	h->tid = 1235;
	h->uid = 1000;
	str_fill(h->comm, sizeof(h->comm), "tester");
	h->pid_ns = 4026531836u;
	h->mnt_ns = 4026531841u;
	h->net_ns = 4026531840u;
	h->user_ns = 4026531837u;
}

void alpha_fill(struct fixture_alpha *r)
{
	memset(r, 0, sizeof(*r));
	header_fill(&r->h, FIXTURE_ALPHA);
	r->big = 18446744073709551615ull;
	r->ret = -2;
	r->mask = 0xbeef;
	r->delta = -7;
	r->port = 8080;
	r->level = 200;
	r->ok = 1;
	str_fill(r->label, sizeof(r->label), "hello");
}

void beta_fill(struct fixture_beta *r)
{
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };

	memset(r, 0, sizeof(*r));
	header_fill(&r->h, FIXTURE_BETA);
	r->saddr[0] = 192;
	r->saddr[1] = 168;
	r->saddr[2] = 0;
	r->saddr[3] = 1;
	memcpy(r->daddr, v6, sizeof(v6));
	r->flags = 0x41;
	str_fill(r->label, sizeof(r->label), "b");
	str_fill(r->path, sizeof(r->path), "/tmp/x");
}

int inject_with(struct eun_ctx *ctx, struct eun_tracker *t, const void *rec, size_t len,
		eun_event_fn fn, void *cookie)
{
	eun_ctx_set_event_fn(ctx, fn, cookie);
	return eun_tracker_inject(t, rec, len);
}

int render_cb(const struct eun_event *ev, void *cookie)
{
	struct rendered *r = cookie;

	r->calls++;
	r->ts = (unsigned long long)eun_event_ts(ev);
	r->json_len = eun_event_to_json(ev, r->json, sizeof(r->json));
	r->text_len = eun_event_to_text(ev, r->text, sizeof(r->text));
	return 0;
}

static void capture_fn(enum eun_log_level level, const char *msg, void *cookie)
{
	struct log_capture *lc = cookie;
	int n;

	if (level == EUN_LOG_WARN)
		lc->n_warn++;
	if (level == EUN_LOG_ERROR)
		lc->n_error++;
	if (lc->len >= sizeof(lc->buf))
		return;
	n = snprintf(lc->buf + lc->len, sizeof(lc->buf) - lc->len, "%d %s\n", (int)level, msg);
	if (n > 0)
		lc->len += (size_t)n;
	if (lc->len > sizeof(lc->buf))
		lc->len = sizeof(lc->buf);
}

void log_capture_start(struct log_capture *lc)
{
	memset(lc, 0, sizeof(*lc));
	eun_set_log_fn(capture_fn, lc);
}

void log_capture_stop(void)
{
	eun_set_log_fn(NULL, NULL);
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
