/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The plugin kit (<eunomia/plugin_skel.h>) through the skel_kit test
 * plugin, which binds its keys to the variables of a real BPF skeleton:
 * good bindings create a tracker, each binding mistake refuses it with
 * an error naming the key, the problem and the fix. Nothing is loaded
 * into the kernel here (tests/integration/test_skel_kit.c does that).
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"

#ifndef EUN_TEST_SKEL_KIT_DIR
#error "EUN_TEST_SKEL_KIT_DIR must be defined by the build"
#endif

static struct eun_ctx *kit_ctx(void)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_SKEL_KIT_DIR, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_msg(ctx, "eun_ctx_new: %s", eun_last_error());
	return ctx;
}

/* Create skel_kit with cfg; expect refusal with errno want_errno and a
 * message holding every non-NULL needle. */
static void expect_refused(const struct eun_config_entry *cfg, size_t n, int want_errno,
			   const char *needle1, const char *needle2, const char *needle3)
{
	const char *needles[] = { needle1, needle2, needle3 };
	struct eun_ctx *ctx = kit_ctx();
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n);
	const char *what = cfg[n - 1].value, *msg;

	errno = 0;
	ck_assert_msg(!eun_tracker_new(ctx, "skel_kit", &opts), "%s was accepted", what);
	msg = eun_last_error();
	ck_assert_msg(errno == want_errno, "%s: errno %d, want %d (%s)", what, errno, want_errno,
		      msg);
	for (size_t i = 0; i < 3; i++)
		ck_assert_msg(!needles[i] || strstr(msg, needles[i]),
			      "%s: message lacks \"%s\": %s", what, needles[i], msg);
	ck_assert_uint_eq(eun_tracker_count(ctx), 0);
	eun_ctx_free(ctx);
}

START_TEST(good_bindings_create)
{
	const struct eun_config_entry cfg[] = {
		{ "flag", "true" }, { "port", "65535" }, { "big", "18446744073709551615" },
	};
	struct eun_ctx *ctx = kit_ctx();
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = 3);
	struct eun_tracker *t = eun_tracker_new(ctx, "skel_kit", &opts);

	ck_assert_msg(t, "eun_tracker_new: %s", eun_last_error());
	ck_assert_int_eq(eun_tracker_state(t), EUN_TRACKER_CREATED);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(unknown_key)
{
	const struct eun_config_entry cfg[] = { { "misuse", "unknown" } };

	expect_refused(cfg, 1, ENOENT, "'no_such_key'", "not declared", "config_keys");
}
END_TEST

START_TEST(wrong_type)
{
	const struct eun_config_entry cfg[] = { { "misuse", "type" } };

	expect_refused(cfg, 1, EINVAL, "'port'", "not a BOOL key", NULL);
}
END_TEST

START_TEST(wrong_size)
{
	const struct eun_config_entry cfg[] = { { "misuse", "size" } };

	expect_refused(cfg, 1, EINVAL, "'big'", "16-byte variable", "1, 2, 4 or 8 bytes");
}
END_TEST

START_TEST(value_does_not_fit)
{
	const struct eun_config_entry cfg[] = { { "port", "65536" } };

	expect_refused(cfg, 1, ERANGE, "'port' is 65536", "2-byte", "max = 65535");
}
END_TEST

static Suite *plugin_skel_suite(void)
{
	Suite *s = suite_create("plugin_skel");
	TCase *tc = tcase_create("bindings");

	tcase_add_test(tc, good_bindings_create);
	tcase_add_test(tc, unknown_key);
	tcase_add_test(tc, wrong_type);
	tcase_add_test(tc, wrong_size);
	tcase_add_test(tc, value_does_not_fit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(plugin_skel_suite());
}
