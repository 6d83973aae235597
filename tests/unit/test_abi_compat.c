/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Plugin ABI compatibility: a plugin built against the frozen 1.0 headers
 * loads and renders in the current core, one built against the frozen 1.2
 * headers gets its errors to the embedder with their errno, a 1.1 plugin
 * still loads, and the current headers keep every 1.0, 1.1 and 1.2 member
 * where those versions put it. (The 1.1 fixture plugin is exercised by
 * test_collect.c.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <eunomia/plugin.h>

#include "abi_v1_0.h"
#include "abi_v1_2.h"
#include "helpers.h"
#include "json_check.h"
#include "layout.h"

static const struct abi_layout_entry layout_now_1_0[] = { ABI_LAYOUT_1_0_ENTRIES };
static const struct abi_layout_entry layout_now_1_1[] = { ABI_LAYOUT_1_1_ENTRIES };
static const struct abi_layout_entry layout_now_1_2[] = { ABI_LAYOUT_1_2_ENTRIES };
static const struct abi_layout_entry layout_now_1_3[] = { ABI_LAYOUT_1_3_ENTRIES };

/* Every member a frozen table measured is where it was; sized structs may only grow. */
static void check_layout(const struct abi_layout_entry *frozen, size_t n_frozen,
			 const struct abi_layout_entry *now, size_t n)
{
	ck_assert_uint_eq(n_frozen, n);
	for (size_t i = 0; i < n; i++) {
		const struct abi_layout_entry *old = &frozen[i];

		ck_assert_str_eq(old->what, now[i].what);
		if (old->may_grow)
			ck_assert_msg(now[i].value >= old->value, "%s shrank: %u -> %u", now[i].what,
				      old->value, now[i].value);
		else
			ck_assert_msg(now[i].value == old->value, "%s moved: %u -> %u", now[i].what,
				      old->value, now[i].value);
	}
}

START_TEST(current_headers_keep_1_3_layout)
{
	check_layout(abi_layout_v1_3, abi_layout_v1_3_count, layout_now_1_3,
		     sizeof(layout_now_1_3) / sizeof(layout_now_1_3[0]));
}
END_TEST

START_TEST(current_headers_keep_1_2_layout)
{
	check_layout(abi_layout_v1_2, abi_layout_v1_2_count, layout_now_1_2,
		     sizeof(layout_now_1_2) / sizeof(layout_now_1_2[0]));
}
END_TEST

START_TEST(current_headers_keep_1_1_layout)
{
	check_layout(abi_layout_v1_1, abi_layout_v1_1_count, layout_now_1_1,
		     sizeof(layout_now_1_1) / sizeof(layout_now_1_1[0]));
}
END_TEST

START_TEST(current_headers_keep_1_0_layout)
{
	check_layout(abi_layout_v1_0, abi_layout_v1_0_count, layout_now_1_0,
		     sizeof(layout_now_1_0) / sizeof(layout_now_1_0[0]));
	ck_assert_int_eq(EUN_PLUGIN_ABI_MAJOR, 1);
	ck_assert_str_eq(EUN_PLUGIN_ENTRY_SYMBOL, "eun_plugin_entry");
}
END_TEST

static struct eun_tracker *v1_tracker(struct eun_ctx *ctx, const char *step)
{
	struct eun_config_entry e = { "step", step };
	EUN_OPTS(eun_tracker_opts, opts, .config = &e, .n_config = step ? 1 : 0);

	return eun_tracker_new(ctx, ABI_V1_0_NAME, &opts);
}

static void tick_fill(struct abi_v1_0_tick *r, uint64_t seq)
{
	memset(r, 0, sizeof(*r));
	r->h.ts_ns = 5;
	r->h.cgroup_id = 1;
	r->h.type = ABI_V1_0_TYPE_TICK;
	r->h.pid = 77;
	r->h.tid = 78;
	r->h.uid = 0;
	memcpy(r->h.comm, "ticker", 6);
	r->h.net_ns = 4026532000u;
	r->seq = seq;
	r->status = -13;
	r->up = 0;
	memcpy(r->word, "hello world", sizeof(r->word)); /* 11 bytes: fills it, no NUL */
}

START_TEST(v1_0_plugin_loads)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *p = eun_plugin_find(ctx, ABI_V1_0_NAME);
	unsigned major = 9, minor = 9;

	ck_assert_msg(p, "abi_v1_0 not discovered in %s", EUN_TEST_FIXTURE_DIR);
	eun_plugin_built_abi(p, &major, &minor);
	ck_assert_uint_eq(major, 1);
	ck_assert_uint_eq(minor, 0);
	ck_assert_uint_eq(eun_plugin_event_type_count(p), 1);
	ck_assert_str_eq(eun_plugin_event_type(p, 0)->name, "tick");
	ck_assert_str_eq(eun_plugin_config_key(p, 0)->name, "step");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(v1_0_plugin_renders)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = v1_tracker(ctx, "5");
	struct abi_v1_0_tick rec;
	struct rendered r = { 0 };
	char want[512];

	ck_assert_msg(t, "%s", eun_last_error());
	tick_fill(&rec, 42);
	ck_assert_int_eq(inject_with(ctx, t, &rec, sizeof(rec), render_cb, &r), 1);
	ck_assert_int_eq(r.calls, 1);
	snprintf(want, sizeof(want),
		 "{\"ts\":%llu,\"tracker\":\"abi_v1_0\",\"type\":\"tick\",\"pid\":77,\"tid\":78,"
		 "\"uid\":0,\"comm\":\"ticker\",\"cgroup_id\":1,"
		 "\"pid_ns\":0,\"mnt_ns\":0,\"net_ns\":4026532000,\"user_ns\":0,"
		 "\"container_id\":\"\",\"container_runtime\":\"\",\"pod_uid\":\"\","
		 "\"seq\":42,\"status\":-13,\"up\":false,\"word\":\"hello world\"}",
		 r.ts);
	ck_assert_str_eq(r.json, want);
	ck_assert(json_valid(r.json, NULL));
	ck_assert_msg(strstr(r.text, " seq=42") && strstr(r.text, " status=-13") &&
			      strstr(r.text, " word=\"hello world\""),
		      "%s", r.text);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(v1_0_decode_drop_and_refuse)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = v1_tracker(ctx, NULL);
	EUN_OPTS(eun_tracker_stats, st);
	struct abi_v1_0_tick rec;
	struct rendered r = { 0 };

	ck_assert_msg(t, "%s", eun_last_error());
	/* decode() returning 0 drops the sample silently. */
	tick_fill(&rec, ABI_V1_0_DROP_SEQ);
	ck_assert_int_eq(inject_with(ctx, t, &rec, sizeof(rec), render_cb, &r), 0);
	/* decode() returning -errno is a decode error. */
	tick_fill(&rec, 1);
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec) - 1), -EBADMSG);
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), 1);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(eun_tracker_stats(t, &st), 0);
	ck_assert_uint_eq(st.events, 1);
	ck_assert_uint_eq(st.decode_errors, 1);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(v1_0_config_checked_by_core)
{
	struct eun_ctx *ctx = fixture_ctx();

	errno = 0;
	ck_assert_ptr_null(v1_tracker(ctx, "1001"));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "'step'"));
	ck_assert_ptr_nonnull(v1_tracker(ctx, "1000"));
	eun_ctx_free(ctx);
}
END_TEST

/* A context with the 1.2 fixture loaded by path, and the 1.1 one discovered. */
static struct eun_ctx *v1_2_ctx(void)
{
	struct eun_ctx *ctx = fixture_ctx();

	ck_assert_msg(eun_ctx_load_plugin(ctx, EUN_TEST_ABI_V1_2) == 0, "%s", eun_last_error());
	return ctx;
}

static struct eun_tracker *v1_2_tracker(struct eun_ctx *ctx, const char *fail)
{
	struct eun_config_entry e = { "fail", fail };
	EUN_OPTS(eun_tracker_opts, opts, .config = &e, .n_config = 1);

	return eun_tracker_new(ctx, ABI_V1_2_NAME, &opts);
}

START_TEST(v1_2_and_v1_1_plugins_load)
{
	struct eun_ctx *ctx = v1_2_ctx();
	unsigned major = 9, minor = 9;
	struct eun_tracker *t;

	eun_plugin_built_abi(eun_plugin_find(ctx, ABI_V1_2_NAME), &major, &minor);
	ck_assert_uint_eq(major, 1);
	ck_assert_uint_eq(minor, 2);
	/* A plugin built for 1.1 (a host table without set_error_errno) still
	 * loads and runs next to it. */
	eun_plugin_built_abi(eun_plugin_find(ctx, "abi_v1_1"), &major, &minor);
	ck_assert_uint_eq(minor, 1);
	ck_assert_msg(eun_tracker_new(ctx, "abi_v1_1", NULL), "%s", eun_last_error());
	t = v1_2_tracker(ctx, "");
	ck_assert_msg(t, "%s", eun_last_error());
	ck_assert_int_eq(eun_tracker_start(t), 0);
	usleep(3000);
	ck_assert_int_ge(eun_ctx_consume(ctx), 1);
	eun_ctx_free(ctx);
}
END_TEST

/* create() gives EACCES to set_error_errno() and returns -1 (-EPERM). */
START_TEST(v1_2_create_error_carries_errno)
{
	struct eun_ctx *ctx = v1_2_ctx();

	errno = 0;
	ck_assert_ptr_null(v1_2_tracker(ctx, ABI_V1_2_FAIL_CREATE));
	ck_assert_int_eq(errno, EACCES);
	ck_assert_str_eq(eun_last_error(), "tracker 'abi_v1_2': abi_v1_2: create fails as asked: "
			 "Permission denied");
	/* With err 0 the message has no errno, and the return value stands. */
	errno = 0;
	ck_assert_ptr_null(v1_2_tracker(ctx, ABI_V1_2_FAIL_CREATE_NO_ERRNO));
	ck_assert_int_eq(errno, ECANCELED);
	ck_assert_str_eq(eun_last_error(), "tracker 'abi_v1_2': abi_v1_2: create fails as asked, "
			 "errno unknown");
	eun_ctx_free(ctx);
}
END_TEST

/* start() gives EMFILE and returns -1: both ways to start return -EMFILE. */
START_TEST(v1_2_start_error_carries_errno)
{
	struct eun_ctx *ctx = v1_2_ctx();
	struct eun_tracker *t = v1_2_tracker(ctx, ABI_V1_2_FAIL_START);
	EUN_OPTS(eun_ctx_start_opts, opts, .threads = 2);

	ck_assert_msg(t, "%s", eun_last_error());
	ck_assert_int_eq(eun_tracker_start(t), -EMFILE);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "start fails as asked: Too many open files"));
	ck_assert_int_eq(eun_tracker_state(t), EUN_TRACKER_FAILED);
	eun_tracker_free(t);

	/* On the helper threads of eun_ctx_start_trackers(), next to a good one. */
	ck_assert_ptr_nonnull(v1_2_tracker(ctx, ""));
	ck_assert_ptr_nonnull(v1_2_tracker(ctx, ABI_V1_2_FAIL_START));
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, &opts), -EMFILE);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "Too many open files"));
	eun_ctx_free(ctx);
}
END_TEST

/* collect() gives ENOSPC (negative) and returns -1: the consume returns -ENOSPC. */
START_TEST(v1_2_collect_error_carries_errno)
{
	struct eun_ctx *ctx = v1_2_ctx();
	struct eun_tracker *t = v1_2_tracker(ctx, ABI_V1_2_FAIL_COLLECT);

	ck_assert_msg(t, "%s", eun_last_error());
	ck_assert_int_eq(eun_tracker_start(t), 0);
	usleep(3000);
	ck_assert_int_eq(eun_ctx_consume(ctx), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "collect fails as asked: No space left on device"));
	eun_ctx_free(ctx);
}
END_TEST

static Suite *abi_suite(void)
{
	Suite *s = suite_create("abi_compat");
	TCase *tc = tcase_create("v1.0");

	tcase_add_test(tc, current_headers_keep_1_0_layout);
	tcase_add_test(tc, current_headers_keep_1_1_layout);
	tcase_add_test(tc, current_headers_keep_1_3_layout);
	tcase_add_test(tc, current_headers_keep_1_2_layout);
	tcase_add_test(tc, v1_2_and_v1_1_plugins_load);
	tcase_add_test(tc, v1_2_create_error_carries_errno);
	tcase_add_test(tc, v1_2_start_error_carries_errno);
	tcase_add_test(tc, v1_2_collect_error_carries_errno);
	tcase_add_test(tc, v1_0_plugin_loads);
	tcase_add_test(tc, v1_0_plugin_renders);
	tcase_add_test(tc, v1_0_decode_drop_and_refuse);
	tcase_add_test(tc, v1_0_config_checked_by_core);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(abi_suite());
}
