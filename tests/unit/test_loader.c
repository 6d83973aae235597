/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Explicit plugin loading: each invalid fixture is refused with a message naming its problem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/plugin.h>

#include "helpers.h"

struct bad_case {
	const char *file; /* in the bad fixture directory, without .so */
	int err;          /* expected return of eun_ctx_load_plugin() */
	const char *what; /* distinctive part of the message */
	const char *also; /* a second one, or NULL */
};

static char minor_new[32], minor_speaks[32];

static const struct bad_case cases[] = {
	{ "no_entry", -EINVAL, "eun_plugin_entry", "not a libeunomia plugin" },
	{ "abi_major", -EPROTO, "ABI 2.0", "speaks 1." },
	{ "abi_minor_new", -EPROTO, minor_new, minor_speaks },
	{ "null_name", -EINVAL, "tracker name", NULL },
	{ "bad_offset", -EINVAL, "field 'beyond' at offset", "outside the record" },
	{ "bad_ops", -EINVAL, "stop()", "is NULL" },
	{ "small_size", -EINVAL, "descriptor is", "ABI 1.0 needs" },
	{ "dup_field", -EINVAL, "two fields named 'value'", NULL },
	{ "reserved_name", -EINVAL, "field 'pid'", "common header" },
	{ "bad_type", -EINVAL, "field 'value'", "unknown type 99" },
	{ "size_mismatch", -EINVAL, "field 'value' has size 8", NULL },
	{ "bad_flags", -EINVAL, "field 'value'", "unknown flags 0x40000000" },
	{ "bad_reserved", -EINVAL, "event 'ev'", "non-zero reserved_" },
	{ "bad_range", -EINVAL, "config key 'limit'", "min 10 above max 2" },
	{ "hist_no_sum", -EINVAL, "histogram 'lat'", "needs a U64 field 'lat_sum'" },
	{ "hist_in_1_0", -EINVAL, "HIST_LOG2", "ABI 1.0 does not have" },
	{ "no_producer", -EINVAL, "neither ring_fd()", "nor collect()" },
};

static void setup(void)
{
	snprintf(minor_new, sizeof(minor_new), "ABI %d.%d", EUN_PLUGIN_ABI_MAJOR,
		 EUN_PLUGIN_ABI_MINOR + 1);
	snprintf(minor_speaks, sizeof(minor_speaks), "speaks %d.%d", EUN_PLUGIN_ABI_MAJOR,
		 EUN_PLUGIN_ABI_MINOR);
}

START_TEST(bad_plugin_refused)
{
	const struct bad_case *c = &cases[_i];
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);
	const char *path = bad_fixture_path(c->file);
	const char *msg;
	int err;

	ck_assert_ptr_nonnull(ctx);
	err = eun_ctx_load_plugin(ctx, path);
	msg = eun_last_error();
	ck_assert_msg(err == c->err, "%s: expected %d, got %d (%s)", c->file, c->err, err, msg);
	ck_assert_msg(strstr(msg, c->what), "%s: message lacks \"%s\": %s", c->file, c->what, msg);
	ck_assert_msg(!c->also || strstr(msg, c->also), "%s: message lacks \"%s\": %s", c->file,
		      c->also, msg);
	ck_assert_msg(strstr(msg, path), "%s: message does not name the file: %s", c->file, msg);
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(missing_file_is_enoent)
{
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);
	const char *path = bad_fixture_path("does_not_exist");

	ck_assert_int_eq(eun_ctx_load_plugin(ctx, path), -ENOENT);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), path));
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(good_plugin_loads_explicitly)
{
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);
	const char *path = fixture_path("fixture_good");
	const struct eun_plugin *p;
	unsigned major = 99, minor = 99;

	ck_assert_int_eq(eun_ctx_load_plugin(ctx, path), 0);
	ck_assert_str_eq(eun_last_error(), "");
	ck_assert_uint_eq(eun_plugin_count(ctx), 1);
	p = eun_plugin_at(ctx, 0);
	ck_assert_ptr_eq(p, eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_str_eq(eun_plugin_path(p), path);
	eun_plugin_built_abi(p, &major, &minor);
	ck_assert_uint_eq(major, EUN_PLUGIN_ABI_MAJOR);
	ck_assert_uint_eq(minor, EUN_PLUGIN_ABI_MINOR);
	ck_assert_ptr_null(eun_plugin_at(ctx, 1));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(duplicate_name_refused)
{
	struct eun_ctx *ctx = fixture_ctx(); /* already has "fixture" from discovery */
	size_t before = eun_plugin_count(ctx);
	int err = eun_ctx_load_plugin(ctx, fixture_path("fixture_good"));

	ck_assert_int_eq(err, -EEXIST);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), FIXTURE_NAME));
	ck_assert_uint_eq(eun_plugin_count(ctx), before);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(core_speaks_header_abi)
{
	unsigned major = 0, minor = 99;

	eun_plugin_abi_version(&major, &minor);
	ck_assert_uint_eq(major, EUN_PLUGIN_ABI_MAJOR);
	ck_assert_uint_eq(minor, EUN_PLUGIN_ABI_MINOR);
	ck_assert_str_eq(eun_version(), EUN_VERSION_STRING);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("load");

	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, bad_plugin_refused, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, missing_file_is_enoent);
	tcase_add_test(tc, good_plugin_loads_explicitly);
	tcase_add_test(tc, duplicate_name_refused);
	tcase_add_test(tc, core_speaks_header_abi);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(loader_suite());
}
