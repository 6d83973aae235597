/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * eun_ctx_start_trackers(): every tracker of a context started together,
 * on several threads, with the states and the error of eun_tracker_start().
 * Uses the abi_v1_1 fixture, whose start() needs no kernel, and the good
 * fixture, whose start() always fails.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "abi_v1_1.h"
#include "helpers.h"

/* n abi_v1_1 trackers (collect every 10 ms) in ctx, into ts. */
static void add_collectors(struct eun_ctx *ctx, struct eun_tracker **ts, size_t n)
{
	struct eun_config_entry e = { "interval_ms", "10" };
	EUN_OPTS(eun_tracker_opts, opts, .config = &e, .n_config = 1);

	for (size_t i = 0; i < n; i++) {
		ts[i] = eun_tracker_new(ctx, ABI_V1_1_NAME, &opts);
		ck_assert_msg(ts[i], "%s", eun_last_error());
	}
}

static int count_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	++*(int *)cookie;
	return 0;
}

START_TEST(starts_every_tracker_on_threads)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *ts[6];
	EUN_OPTS(eun_ctx_start_opts, opts, .threads = 3);
	int events = 0;

	add_collectors(ctx, ts, 6);
	eun_ctx_set_event_fn(ctx, count_cb, &events);
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, &opts), 0);
	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(eun_tracker_state(ts[i]), EUN_TRACKER_RUNNING);
	/* Running trackers are left alone by a second call. */
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, NULL), 0);
	/* Each one runs: its collect() is due within the poll. */
	while (events < 6)
		ck_assert_int_ge(eun_ctx_poll(ctx, 50), 0);
	/* Stopped trackers start again. */
	ck_assert_int_eq(eun_tracker_stop(ts[2]), 0);
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, NULL), 0);
	ck_assert_int_eq(eun_tracker_state(ts[2]), EUN_TRACKER_RUNNING);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(one_failure_stops_the_others)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *ts[4], *bad;
	int err;

	add_collectors(ctx, ts, 2);
	bad = fixture_tracker(ctx, NULL, 0);
	add_collectors(ctx, ts + 2, 2);
	err = eun_ctx_start_trackers(ctx, NULL);
	ck_assert_int_lt(err, 0);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_ne(eun_tracker_state(ts[i]), EUN_TRACKER_RUNNING);
	if (geteuid() == 0) {
		/* Past the kernel checks, the fixture's start() refuses with its own words. */
		ck_assert_int_eq(err, -ENOTSUP);
		ck_assert_int_eq(eun_tracker_state(bad), EUN_TRACKER_FAILED);
		ck_assert_msg(strstr(eun_last_error(), "no BPF programs"), "%s", eun_last_error());
		for (size_t i = 0; i < 4; i++)
			ck_assert_int_eq(eun_tracker_state(ts[i]), EUN_TRACKER_STOPPED);
		/* Without the failed one, the rest start. */
		eun_tracker_free(bad);
		ck_assert_int_eq(eun_ctx_start_trackers(ctx, NULL), 0);
		ck_assert_int_eq(eun_tracker_state(ts[3]), EUN_TRACKER_RUNNING);
	} else {
		ck_assert_int_eq(eun_tracker_state(bad), EUN_TRACKER_CREATED);
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(bad_arguments)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct { struct eun_ctx_start_opts o; char newer[8]; } big = { .o.sz = sizeof(big) };

	ck_assert_int_eq(eun_ctx_start_trackers(NULL, NULL), -EINVAL);
	big.newer[3] = 1;
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, &big.o), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "eun_ctx_start_opts"), "%s", eun_last_error());
	/* An empty context has nothing to start. */
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, NULL), 0);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *start_all_suite(void)
{
	Suite *s = suite_create("start_all");
	TCase *tc = tcase_create("start_all");

	tcase_add_test(tc, starts_every_tracker_on_threads);
	tcase_add_test(tc, one_failure_stops_the_others);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(start_all_suite());
}
