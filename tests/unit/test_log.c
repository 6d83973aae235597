/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The log callback: discovery warnings for bad plugins, plugin messages, restoring the default. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

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

static Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, bad_plugins_skipped_with_warning);
	tcase_add_test(tc, good_plugins_survive_bad_neighbours);
	tcase_add_test(tc, clean_discovery_is_quiet);
	tcase_add_test(tc, plugin_log_reaches_callback);
	tcase_add_test(tc, set_log_fn_returns_previous);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(log_suite());
}
