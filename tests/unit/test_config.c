/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Tracker configuration: plugin keys of each type, the common keys, and what the plugin sees. */
#include <errno.h>
#include <string.h>

#include "helpers.h"

/* Create a fixture tracker with settings cfg; expect refusal naming every needle. */
static void expect_refused_cfg(const struct eun_config_entry *cfg, size_t n, const char *needle1,
			       const char *needle2)
{
	struct eun_ctx *ctx = fixture_ctx();
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n);
	const char *key = cfg[n - 1].key, *value = cfg[n - 1].value;
	const char *msg;

	errno = 0;
	ck_assert_msg(!eun_tracker_new(ctx, FIXTURE_NAME, &opts), "%s=%s was accepted", key, value);
	msg = eun_last_error();
	ck_assert_msg(errno == EINVAL, "%s=%s: errno %d, want EINVAL (%s)", key, value, errno, msg);
	ck_assert_msg(strstr(msg, needle1), "%s=%s: message lacks \"%s\": %s", key, value, needle1, msg);
	ck_assert_msg(!needle2 || strstr(msg, needle2), "%s=%s: message lacks \"%s\": %s", key,
		      value, needle2, msg);
	ck_assert_uint_eq(eun_tracker_count(ctx), 0);
	eun_ctx_free(ctx);
}

/* The same with the one setting key=value. */
static void expect_refused(const char *key, const char *value, const char *needle1,
			   const char *needle2)
{
	struct eun_config_entry e = { key, value };

	expect_refused_cfg(&e, 1, needle1, needle2);
}

static void expect_accepted(const struct eun_config_entry *cfg, size_t n)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, cfg, n);

	ck_assert_int_eq(eun_tracker_state(t), EUN_TRACKER_CREATED);
	eun_ctx_free(ctx);
}

START_TEST(unknown_key_named)
{
	expect_refused("bogus", "1", "'bogus'", "limit");
}
END_TEST

START_TEST(uint_out_of_range_names_key_and_range)
{
	expect_refused("limit", "101", "'limit'", "[1, 100]");
	expect_refused("limit", "0", "'limit'", "[1, 100]");
}
END_TEST

START_TEST(uint_not_a_number)
{
	expect_refused("limit", "ten", "'limit'", "'ten'");
	expect_refused("limit", "-5", "'limit'", NULL);
	expect_refused("limit", "", "'limit'", NULL);
	expect_refused("limit", "12abc", "'limit'", NULL);
	expect_refused("limit", "0x", "'limit'", NULL);

}
END_TEST

START_TEST(bad_bool_named)
{
	expect_refused("verbose", "maybe", "'verbose'", "'maybe'");
}
END_TEST

START_TEST(long_string_refused)
{
	char big[300];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_refused("tag", big, "'tag'", "255");
}
END_TEST

START_TEST(plugin_values_accepted)
{
	static const struct eun_config_entry ok1[] = {
		{ "verbose", "yes" }, { "limit", "100" }, { "tag", "" },
	};
	static const struct eun_config_entry ok2[] = {
		{ "verbose", "OFF" }, { "limit", "0x10" }, { "fail_create", "0" },
	};
	struct log_capture lc;

	log_capture_start(&lc); /* verbose=yes makes the fixture log a warning */
	expect_accepted(ok1, 3);
	expect_accepted(ok2, 3);
	log_capture_stop();
	ck_assert_int_eq(lc.n_warn, 1);
}
END_TEST

START_TEST(plugin_sees_parsed_values)
{
	static const struct eun_config_entry cfg[] = {
		{ "verbose", "on" }, { "limit", "0x20" }, { "tag", "blue" },
	};
	static const struct eun_config_entry defaults[] = { { "verbose", "1" } };
	struct log_capture lc;
	struct eun_ctx *ctx = fixture_ctx();

	log_capture_start(&lc);
	fixture_tracker(ctx, cfg, 3);
	ck_assert_msg(strstr(lc.buf, "limit=32 tag=blue"), "log: %s", lc.buf);
	fixture_tracker(ctx, defaults, 1);
	ck_assert_msg(strstr(lc.buf, "limit=10 tag=none"), "log: %s", lc.buf);
	ck_assert_int_eq(lc.n_warn, 2);
	log_capture_stop();
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(uint_leading_zero_is_decimal)
{
	/* "unsigned decimal or 0x hex": 010 is ten, not octal eight. */
	static const struct eun_config_entry cfg[] = { { "verbose", "1" }, { "limit", "010" } };
	static const struct eun_config_entry cfg8[] = { { "verbose", "1" }, { "limit", "08" } };
	struct log_capture lc;
	struct eun_ctx *ctx = fixture_ctx();

	log_capture_start(&lc);
	fixture_tracker(ctx, cfg, 2);
	fixture_tracker(ctx, cfg8, 2); /* not an invalid octal number either */
	log_capture_stop();
	ck_assert_msg(strstr(lc.buf, "limit=10 "), "log: %s", lc.buf);
	ck_assert_msg(strstr(lc.buf, "limit=8 "), "log: %s", lc.buf);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(create_error_reaches_caller)
{
	static const struct eun_config_entry cfg[] = { { "fail_create", "true" } };
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = 1);
	struct eun_ctx *ctx = fixture_ctx();

	errno = 0;
	ck_assert_ptr_null(eun_tracker_new(ctx, FIXTURE_NAME, &opts));
	ck_assert_int_eq(errno, ECANCELED);
	ck_assert_msg(strstr(eun_last_error(), "fail_create=true was asked"), "%s", eun_last_error());
	ck_assert_uint_eq(eun_tracker_count(ctx), 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(null_entry_refused)
{
	struct eun_config_entry e = { "limit", NULL };
	EUN_OPTS(eun_tracker_opts, opts, .config = &e, .n_config = 1);
	struct eun_ctx *ctx = fixture_ctx();

	errno = 0;
	ck_assert_ptr_null(eun_tracker_new(ctx, FIXTURE_NAME, &opts));
	ck_assert_int_eq(errno, EINVAL);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(common_keys_accepted)
{
	static const struct eun_config_entry cfg[] = {
		{ "pid", "1" }, { "uid", "0" }, { "comm", "bash" },
		{ "ringbuf_kb", "4096" }, { "wakeup_kb", "0" },
	};
	static const struct eun_config_entry max_comm[] = { { "comm", "exactly15bytes_" } };

	expect_accepted(cfg, 5);
	expect_accepted(max_comm, 1);
}
END_TEST

START_TEST(common_keys_refused)
{
	expect_refused("pid", "abc", "'pid'", NULL);
	expect_refused("pid", "-1", "'pid'", NULL);
	expect_refused("pid", "99999999", "'pid'", "range");
	expect_refused("uid", "4294967296", "'uid'", NULL);
	expect_refused("comm", "sixteen_bytes_xx", "'comm'", NULL);
	expect_refused("ringbuf_kb", "1000", "'ringbuf_kb'", "power of two");
	expect_refused("ringbuf_kb", "2", "'ringbuf_kb'", "range");
	/* The ring's size is known here only when ringbuf_kb is given; else
	 * the BPF object's size is checked when the tracker is created. */
	static const struct eun_config_entry big_wakeup[] = {
		{ "ringbuf_kb", "1024" }, { "wakeup_kb", "1024" },
	};

	expect_refused_cfg(big_wakeup, 2, "'wakeup_kb'", "ringbuf_kb");
}
END_TEST

START_TEST(cgroup_and_container_exclusive)
{
	static const struct eun_config_entry cfg[] = {
		{ "cgroup", "/docker" }, { "container", "web" },
	};
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = 2);
	struct eun_ctx *ctx = fixture_ctx();

	errno = 0;
	ck_assert_ptr_null(eun_tracker_new(ctx, FIXTURE_NAME, &opts));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "set only one"));
	eun_ctx_free(ctx);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, unknown_key_named);
	tcase_add_test(tc, uint_out_of_range_names_key_and_range);
	tcase_add_test(tc, uint_not_a_number);
	tcase_add_test(tc, bad_bool_named);
	tcase_add_test(tc, long_string_refused);
	tcase_add_test(tc, plugin_values_accepted);
	tcase_add_test(tc, plugin_sees_parsed_values);
	tcase_add_test(tc, uint_leading_zero_is_decimal);
	tcase_add_test(tc, create_error_reaches_caller);
	tcase_add_test(tc, cgroup_and_container_exclusive);
	tcase_add_test(tc, null_entry_refused);
	tcase_add_test(tc, common_keys_accepted);
	tcase_add_test(tc, common_keys_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(config_suite());
}
