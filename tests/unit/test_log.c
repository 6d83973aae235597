/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The log callback: discovery warnings for bad plugins, plugin messages,
 * restoring the default, and swapping it while helper threads log. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/plugin.h>

#include "helpers.h"

/* Check that every plugin file of the bad fixture directory is named in
 * the log; returns how many there are. */
static int check_each_bad_file_named(const char *log)
{
	DIR *d = opendir(EUN_TEST_BAD_DIR);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[4096];

		if (len < 4 || strcmp(de->d_name + len - 3, ".so"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", EUN_TEST_BAD_DIR, de->d_name);
		ck_assert_msg(strstr(log, path), "no warning names %s:\n%s", path, log);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(bad_plugins_skipped_with_warning)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_BAD_DIR, .no_default_path = true);
	struct log_capture lc;
	struct eun_ctx *ctx;

	log_capture_start(&lc);
	ctx = eun_ctx_new(&opts);
	log_capture_stop();
	ck_assert_msg(ctx, "one bad plugin must not fail discovery: %s", eun_last_error());
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	ck_assert_int_eq(lc.n_error, 0);
	ck_assert_int_eq(lc.n_warn, check_each_bad_file_named(lc.buf));
	ck_assert_int_ge(lc.n_warn, 14);
	ck_assert_msg(strstr(lc.buf, "ABI 2.0"), "%s", lc.buf);
	/* Discovery succeeded: no error is left over. */
	ck_assert_str_eq(eun_last_error(), "");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(good_plugins_survive_bad_neighbours)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_BAD_DIR ":" EUN_TEST_FIXTURE_DIR,
		 .no_default_path = true);
	struct log_capture lc;
	struct eun_ctx *ctx;

	log_capture_start(&lc);
	ctx = eun_ctx_new(&opts);
	log_capture_stop();
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, "abi_v1_0"));
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, "abi_v1_1"));
	ck_assert_uint_eq(eun_plugin_count(ctx), 3);
	ck_assert_int_eq(lc.n_warn, check_each_bad_file_named(lc.buf));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(clean_discovery_is_quiet)
{
	EUN_OPTS(eun_ctx_opts, opts,
		 .plugin_path = EUN_TEST_FIXTURE_DIR ":" EUN_TEST_FIXTURE_DIR ":/nonexistent/dir",
		 .no_default_path = true);
	struct log_capture lc;
	struct eun_ctx *ctx;

	log_capture_start(&lc);
	ctx = eun_ctx_new(&opts);
	log_capture_stop();
	ck_assert_ptr_nonnull(ctx);
	/* The second copy of the directory is shadowed by the first, not loaded twice. */
	ck_assert_uint_eq(eun_plugin_count(ctx), 3);
	ck_assert_msg(lc.n_warn == 0 && lc.n_error == 0, "unexpected warnings:\n%s", lc.buf);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(plugin_log_reaches_callback)
{
	static const struct eun_config_entry cfg[] = { { "verbose", "true" } };
	struct log_capture lc;
	struct eun_ctx *ctx = fixture_ctx();

	log_capture_start(&lc);
	fixture_tracker(ctx, cfg, 1);
	log_capture_stop();
	ck_assert_int_eq(lc.n_warn, 1);
	ck_assert_msg(strstr(lc.buf, "verbose create"), "%s", lc.buf);
	eun_ctx_free(ctx);
}
END_TEST

static void other_fn(enum eun_log_level level, const char *msg, void *cookie)
{
	(void)level;
	(void)msg;
	(*(int *)cookie)++;
}

START_TEST(set_log_fn_returns_previous)
{
	int calls = 0;
	struct log_capture lc;
	eun_log_fn prev;

	log_capture_start(&lc);
	prev = eun_set_log_fn(other_fn, &calls);
	ck_assert_ptr_nonnull(prev);
	ck_assert(prev != other_fn);
	/* Restoring the default hands back ours. */
	ck_assert(eun_set_log_fn(NULL, NULL) == other_fn);
	ck_assert(eun_set_log_fn(NULL, NULL) != other_fn);
	ck_assert_int_eq(calls, 0);
}
END_TEST

/*
 * The log callback and its cookie are one pair: a message logged while
 * another thread installs a new pair reaches one callback with its own
 * cookie, never the old callback with the new cookie. Start-up messages
 * of eun_ctx_start_trackers() come from its helper threads, so this in-
 * process plugin logs from start() until the swapping thread has swapped
 * often enough, while that thread swaps two pairs as fast as it can.
 */
struct swap_cookie {
	const char *name;
	unsigned long calls; /* under the library's log lock: one message at a time */
};

static struct swap_cookie cookie_a = { "a", 0 }, cookie_b = { "b", 0 };
static unsigned long torn, swaps, start_msgs;
static int stop_swapping;

#define SWAP_TRACKERS 8
#define SWAPS_WANTED 100000
#define MSGS_PER_START 200

static void log_a(enum eun_log_level level, const char *msg, void *cookie)
{
	struct swap_cookie *c = cookie;

	(void)level;
	(void)msg;
	if (c != &cookie_a)
		torn++;
	else
		c->calls++;
}

static void log_b(enum eun_log_level level, const char *msg, void *cookie)
{
	struct swap_cookie *c = cookie;

	(void)level;
	(void)msg;
	if (c != &cookie_b)
		torn++;
	else
		c->calls++;
}

static void *swapper(void *arg)
{
	(void)arg;
	for (unsigned long n = 1; !__atomic_load_n(&stop_swapping, __ATOMIC_ACQUIRE); n++) {
		if (n & 1)
			eun_set_log_fn(log_b, &cookie_b);
		else
			eun_set_log_fn(log_a, &cookie_a);
		__atomic_store_n(&swaps, n, __ATOMIC_RELEASE);
		/* Let the loggers in: the lock is not fair to them. */
		sched_yield();
	}
	return NULL;
}

struct talker {
	struct eun_tracker *t;
	const struct eun_host *host;
};

static int talker_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct talker *tk = calloc(1, sizeof(*tk));

	if (!tk)
		return -ENOMEM;
	tk->t = t;
	tk->host = host;
	*state = tk;
	return 0;
}

static void talker_destroy(void *state)
{
	free(state);
}

static int talker_start(void *state)
{
	struct talker *tk = state;

	for (unsigned i = 0; i < MSGS_PER_START ||
			     __atomic_load_n(&swaps, __ATOMIC_ACQUIRE) < SWAPS_WANTED; i++) {
		tk->host->log(tk->t, EUN_PLOG_WARN, "talker: start message %u", i);
		__atomic_add_fetch(&start_msgs, 1, __ATOMIC_RELAXED);
		sched_yield(); /* and let the swapper in */
	}
	return 0;
}

static int talker_stop(void *state)
{
	(void)state;
	return 0;
}

static int talker_collect(void *state)
{
	(void)state;
	return 0;
}

static const struct eun_event_type talker_types[] = {
	{ .name = "talk", .id = 1, .record_size = sizeof(struct eun_record_header) },
};
static const struct eun_plugin_desc talker_desc = {
	EUN_PLUGIN_DESC_HEADER("talker"),
	.version = "1",
	.description = "logs from start()",
	.license = "BSD-2-Clause",
	.event_types = talker_types,
	.n_event_types = 1,
	.create = talker_create,
	.destroy = talker_destroy,
	.start = talker_start,
	.stop = talker_stop,
	.collect = talker_collect,
};

START_TEST(log_fn_and_cookie_swap_together)
{
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	EUN_OPTS(eun_ctx_start_opts, start, .threads = 4);
	struct eun_ctx *ctx = eun_ctx_new(&opts);
	pthread_t th;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_msg(eun_ctx_add_plugin_desc(ctx, &talker_desc) == 0, "%s", eun_last_error());
	for (int i = 0; i < SWAP_TRACKERS; i++)
		ck_assert_msg(eun_tracker_new(ctx, "talker", NULL), "%s", eun_last_error());
	eun_set_log_fn(log_a, &cookie_a);
	ck_assert_int_eq(pthread_create(&th, NULL, swapper, NULL), 0);
	ck_assert_msg(eun_ctx_start_trackers(ctx, &start) == 0, "%s", eun_last_error());
	__atomic_store_n(&stop_swapping, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	eun_set_log_fn(NULL, NULL);

	ck_assert_msg(torn == 0, "%lu messages reached a callback with the other one's cookie", torn);
	ck_assert_uint_ge(swaps, SWAPS_WANTED);
	ck_assert_uint_ge(start_msgs, SWAP_TRACKERS * MSGS_PER_START);
	/* Every message reached one of the pairs, and both pairs got some. */
	ck_assert_uint_eq(cookie_a.calls + cookie_b.calls, start_msgs);
	ck_assert_uint_gt(cookie_a.calls, 0);
	ck_assert_uint_gt(cookie_b.calls, 0);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, bad_plugins_skipped_with_warning);
	tcase_add_test(tc, good_plugins_survive_bad_neighbours);
	tcase_add_test(tc, clean_discovery_is_quiet);
	tcase_add_test(tc, plugin_log_reaches_callback);
	tcase_add_test(tc, set_log_fn_returns_previous);
	tcase_add_test(tc, log_fn_and_cookie_swap_together);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(log_suite());
}
