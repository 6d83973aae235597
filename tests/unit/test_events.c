/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Event accessors by index and by name, and the tracker counters (events, decode errors). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

struct seen {
	int calls;
	struct eun_tracker *t;
};

static int alpha_accessors_cb(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	uint64_t u = 0;
	int64_t i = 0;
	const char *str = NULL;
	size_t len = 0;
	char buf[64];

	s->calls++;
	/* Common header. */
	ck_assert_uint_eq(eun_event_pid(ev), 1234);
	ck_assert_uint_eq(eun_event_tid(ev), 1235);
	ck_assert_uint_eq(eun_event_uid(ev), 1000);
	ck_assert_uint_eq(eun_event_cgroup_id(ev), 4242);
	ck_assert_uint_eq(eun_event_ns_id(ev, EUN_NS_PID), 4026531836u);
	ck_assert_uint_eq(eun_event_ns_id(ev, EUN_NS_MNT), 4026531841u);
	ck_assert_uint_eq(eun_event_ns_id(ev, EUN_NS_NET), 4026531840u);
	ck_assert_uint_eq(eun_event_ns_id(ev, EUN_NS_USER), 4026531837u);
	ck_assert_str_eq(eun_event_comm(ev), "tester");
	ck_assert_str_eq(eun_event_tracker_name(ev), FIXTURE_NAME);
	ck_assert_ptr_eq(eun_event_tracker(ev), s->t);
	ck_assert_str_eq(eun_event_type_name(ev), "alpha");
	ck_assert_uint_eq(eun_event_type(ev)->id, FIXTURE_ALPHA);

	/* Fields by index. */
	ck_assert_uint_eq(eun_event_field_count(ev), 8);
	ck_assert_str_eq(eun_event_field(ev, 0)->name, "big");
	ck_assert_str_eq(eun_event_field(ev, 7)->name, "label");
	errno = 0;
	ck_assert_ptr_null(eun_event_field(ev, 8));
	ck_assert_int_eq(errno, ERANGE);

	/* Fields by name. */
	ck_assert_int_eq(eun_event_field_index(ev, "big"), 0);
	ck_assert_int_eq(eun_event_field_index(ev, "label"), 7);
	ck_assert_int_eq(eun_event_field_index(ev, "nope"), -ENOENT);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "'nope'"));
	ck_assert_int_eq(eun_event_field_index(ev, "pid"), -ENOENT); /* header, not a field */

	/* Typed reads. */
	ck_assert_int_eq(eun_event_get_u64(ev, 0, &u), 0);
	ck_assert_uint_eq(u, UINT64_MAX);
	ck_assert_int_eq(eun_event_get_s64(ev, 0, &i), -ERANGE); /* does not fit */
	ck_assert_int_eq(eun_event_get_s64(ev, 1, &i), 0);
	ck_assert_int_eq(i, -2);
	ck_assert_int_eq(eun_event_get_u64(ev, 1, &u), -ERANGE); /* negative */
	ck_assert_int_eq(eun_event_get_u64(ev, 2, &u), 0);
	ck_assert_uint_eq(u, 0xbeef);
	ck_assert_int_eq(eun_event_get_s64(ev, 3, &i), 0);
	ck_assert_int_eq(i, -7);
	ck_assert_int_eq(eun_event_get_u64(ev, 4, &u), 0);
	ck_assert_uint_eq(u, 8080);
	ck_assert_int_eq(eun_event_get_u64(ev, 5, &u), 0);
	ck_assert_uint_eq(u, 200);
	ck_assert_int_eq(eun_event_get_u64(ev, 6, &u), 0); /* BOOL reads as an integer */
	ck_assert_uint_eq(u, 1);
	ck_assert_int_eq(eun_event_get_u64(ev, 7, &u), -EINVAL); /* STR is not an integer */
	ck_assert_int_eq(eun_event_get_u64(ev, 99, &u), -ERANGE);
	ck_assert_int_eq(eun_event_get_str(ev, 7, &str, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert(memcmp(str, "hello", 5) == 0);
	ck_assert_int_eq(eun_event_get_str(ev, 0, &str, &len), -EINVAL);
	ck_assert_int_eq(eun_event_get_str(ev, 99, &str, &len), -ERANGE);

	/* Any field, header or schema, as text. */
	ck_assert_int_eq(eun_event_format_field(ev, "mask", buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "0xbeef");
	eun_event_format_field(ev, "ret", buf, sizeof(buf));
	ck_assert_str_eq(buf, "-2");
	eun_event_format_field(ev, "ok", buf, sizeof(buf));
	ck_assert_str_eq(buf, "true");
	eun_event_format_field(ev, "label", buf, sizeof(buf));
	ck_assert_str_eq(buf, "hello");
	eun_event_format_field(ev, "pid", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1234");
	eun_event_format_field(ev, "comm", buf, sizeof(buf));
	ck_assert_str_eq(buf, "tester");
	eun_event_format_field(ev, "type", buf, sizeof(buf));
	ck_assert_str_eq(buf, "alpha");
	ck_assert_int_eq(eun_event_format_field(ev, "nope", buf, sizeof(buf)), -ENOENT);
	/* snprintf semantics. */
	ck_assert_int_eq(eun_event_format_field(ev, "big", buf, 4), 20);
	ck_assert_str_eq(buf, "184");
	return 0;
}

START_TEST(alpha_accessors)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct seen s = { .t = fixture_tracker(ctx, NULL, 0) };
	struct fixture_alpha rec;

	alpha_fill(&rec);
	ck_assert_int_eq(inject_with(ctx, s.t, &rec, sizeof(rec), alpha_accessors_cb, &s), 1);
	ck_assert_int_eq(s.calls, 1);
	eun_ctx_free(ctx);
}
END_TEST

static int beta_accessors_cb(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	char buf[64];
	uint64_t u;

	s->calls++;
	ck_assert_str_eq(eun_event_type_name(ev), "beta");
	eun_event_format_field(ev, "saddr", buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168.0.1");
	eun_event_format_field(ev, "daddr", buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8::1");
	ck_assert_int_eq(eun_event_get_u64(ev, 0, &u), -EINVAL); /* addresses are not integers */
	ck_assert_int_eq(eun_event_field_index(ev, "big"), -ENOENT); /* alpha's, not beta's */
	return 0;
}

START_TEST(beta_accessors)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct seen s = { .t = fixture_tracker(ctx, NULL, 0) };
	struct fixture_beta rec;

	beta_fill(&rec);
	ck_assert_int_eq(inject_with(ctx, s.t, &rec, sizeof(rec), beta_accessors_cb, &s), 1);
	ck_assert_int_eq(s.calls, 1);
	eun_ctx_free(ctx);
}
END_TEST

static int count_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	(*(int *)cookie)++;
	return 0;
}

static void assert_stats(struct eun_tracker *t, uint64_t events, uint64_t decode_errors)
{
	EUN_OPTS(eun_tracker_stats, st);

	ck_assert_int_eq(eun_tracker_stats(t, &st), 0);
	ck_assert_uint_eq(st.events, events);
	ck_assert_uint_eq(st.decode_errors, decode_errors);
	ck_assert_uint_eq(st.kernel_drops, 0); /* never started: no kernel side */
}

START_TEST(stats_count_events_and_decode_errors)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha a;
	struct {
		struct fixture_beta b;
		char extra[16];
	} longer;
	int calls = 0;

	assert_stats(t, 0, 0);
	alpha_fill(&a);
	beta_fill(&longer.b);
	eun_ctx_set_event_fn(ctx, count_cb, &calls);
	ck_assert_int_eq(eun_tracker_inject(t, &a, sizeof(a)), 1);
	ck_assert_int_eq(eun_tracker_inject(t, &a, sizeof(a)), 1);
	/* record_size is a minimum: longer records are fine. */
	ck_assert_int_eq(eun_tracker_inject(t, &longer, sizeof(longer)), 1);
	assert_stats(t, 3, 0);
	ck_assert_int_eq(calls, 3);

	/* One byte short of the schema's record_size. */
	ck_assert_int_lt(eun_tracker_inject(t, &a, sizeof(a) - 1), 0);
	ck_assert_msg(strstr(eun_last_error(), "alpha"), "%s", eun_last_error());
	assert_stats(t, 3, 1);
	/* Shorter than the record header. */
	ck_assert_int_lt(eun_tracker_inject(t, &a, 10), 0);
	assert_stats(t, 3, 2);
	/* An event type id the plugin never declared. */
	a.h.type = 99;
	ck_assert_int_lt(eun_tracker_inject(t, &a, sizeof(a)), 0);
	ck_assert_msg(strstr(eun_last_error(), "99"), "%s", eun_last_error());
	assert_stats(t, 3, 3);
	ck_assert_int_eq(calls, 3);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(events_counted_without_callback)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha a;

	alpha_fill(&a);
	eun_ctx_set_event_fn(ctx, NULL, NULL);
	ck_assert_int_ge(eun_tracker_inject(t, &a, sizeof(a)), 0);
	assert_stats(t, 1, 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(stats_are_per_tracker)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t1 = fixture_tracker(ctx, NULL, 0);
	struct eun_tracker *t2 = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha a;

	alpha_fill(&a);
	ck_assert_int_eq(eun_tracker_inject(t1, &a, sizeof(a)), 1);
	ck_assert_int_lt(eun_tracker_inject(t2, &a, 3), 0);
	assert_stats(t1, 1, 0);
	assert_stats(t2, 0, 1);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(start_failure_marks_tracker_failed)
{
	/* The fixture has no BPF: start() refuses with its own message. Without
	 * root the core refuses even earlier; either way nothing runs. */
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);

	ck_assert_int_lt(eun_tracker_start(t), 0);
	ck_assert_int_ne(eun_tracker_state(t), EUN_TRACKER_RUNNING);
	if (geteuid() == 0) {
		ck_assert_int_eq(eun_tracker_state(t), EUN_TRACKER_FAILED);
		ck_assert_msg(strstr(eun_last_error(), "no BPF programs"), "%s", eun_last_error());
		/* A failed tracker cannot be restarted, only freed. */
		ck_assert_int_lt(eun_tracker_start(t), 0);
	}
	ck_assert_int_eq(eun_tracker_stop(t), 0);
	eun_tracker_free(t);
	ck_assert_uint_eq(eun_tracker_count(ctx), 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(consume_without_running_trackers)
{
	struct eun_ctx *ctx = fixture_ctx();

	fixture_tracker(ctx, NULL, 0);
	ck_assert_int_ge(eun_ctx_fd(ctx), 0);
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	ck_assert_int_eq(eun_ctx_poll(ctx, 0), 0);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *acc = tcase_create("accessors");
	TCase *stats = tcase_create("stats");

	tcase_add_test(acc, alpha_accessors);
	tcase_add_test(acc, beta_accessors);
	tcase_add_test(stats, stats_count_events_and_decode_errors);
	tcase_add_test(stats, events_counted_without_callback);
	tcase_add_test(stats, stats_are_per_tracker);
	tcase_add_test(stats, start_failure_marks_tracker_failed);
	tcase_add_test(stats, consume_without_running_trackers);
	suite_add_tcase(s, acc);
	suite_add_tcase(s, stats);
	return s;
}

int main(void)
{
	return run_suite(events_suite());
}
