/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Discovery and what a loaded plugin tells about itself: metadata, schemas, config keys. */
#include <errno.h>
#include <string.h>

#include <eunomia/plugin.h>

#include "helpers.h"

START_TEST(discovery_finds_fixture_only)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *p;

	/* The good fixture directory holds fixture_good.so and abi_v1_0.so. */
	ck_assert_ptr_nonnull(p = eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_ptr_null(eun_plugin_find(ctx, "process"));
	ck_assert_ptr_null(eun_plugin_find(ctx, "no_such_tracker"));
	for (size_t i = 0; i < eun_plugin_count(ctx); i++)
		ck_assert_ptr_nonnull(strstr(eun_plugin_path(eun_plugin_at(ctx, i)),
					     EUN_TEST_FIXTURE_DIR));
	ck_assert_str_eq(eun_plugin_name(p), "fixture");
	ck_assert_str_eq(eun_plugin_version(p), "1.2.3");
	ck_assert_str_eq(eun_plugin_description(p), "test plugin without BPF");
	ck_assert_str_eq(eun_plugin_license(p), "BSD-2-Clause");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(event_types_and_fields)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *p = eun_plugin_find(ctx, FIXTURE_NAME);
	const struct eun_event_type *a, *b;
	static const char *const alpha_names[] = { "big", "ret", "mask", "delta",
						   "port", "level", "ok", "label" };
	static const unsigned alpha_types[] = { EUN_FIELD_U64, EUN_FIELD_S64, EUN_FIELD_U32,
						EUN_FIELD_S32, EUN_FIELD_U16, EUN_FIELD_U8,
						EUN_FIELD_BOOL, EUN_FIELD_STR };

	ck_assert_uint_eq(eun_plugin_event_type_count(p), 2);
	a = eun_plugin_event_type(p, 0);
	b = eun_plugin_event_type(p, 1);
	ck_assert_ptr_null(eun_plugin_event_type(p, 2));
	ck_assert_str_eq(a->name, "alpha");
	ck_assert_uint_eq(a->id, FIXTURE_ALPHA);
	ck_assert_uint_eq(a->record_size, sizeof(struct fixture_alpha));
	ck_assert_uint_eq(a->n_fields, 8);
	for (unsigned i = 0; i < a->n_fields; i++) {
		ck_assert_str_eq(a->fields[i].name, alpha_names[i]);
		ck_assert_uint_eq(a->fields[i].type, alpha_types[i]);
	}
	ck_assert_str_eq(a->fields[0].unit, "bytes");
	ck_assert_uint_eq(a->fields[1].flags, EUN_FIELD_F_ERRNO);
	ck_assert_uint_eq(a->fields[2].flags, EUN_FIELD_F_HEX);
	ck_assert_uint_eq(a->fields[7].size, FIXTURE_LABEL_LEN);
	ck_assert_str_eq(b->name, "beta");
	ck_assert_uint_eq(b->fields[0].type, EUN_FIELD_IPV4);
	ck_assert_uint_eq(b->fields[1].type, EUN_FIELD_IPV6);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(plugin_config_keys)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *p = eun_plugin_find(ctx, FIXTURE_NAME);
	const struct eun_config_key *k;

	ck_assert_uint_eq(eun_plugin_config_count(p), 4);
	k = eun_plugin_config_key(p, 2);
	ck_assert_str_eq(k->name, "limit");
	ck_assert_uint_eq(k->type, EUN_CONFIG_UINT);
	ck_assert_uint_eq(k->min, 1);
	ck_assert_uint_eq(k->max, 100);
	ck_assert_str_eq(eun_plugin_config_key(p, 3)->name, "tag");
	ck_assert_ptr_null(eun_plugin_config_key(p, 4));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(common_config_keys)
{
	static const char *const want[] = { "pid", "uid", "comm", "ringbuf_kb", "wakeup_kb",
					    "cgroup", "container" };

	ck_assert_uint_eq(eun_common_config_count(), 7);
	for (size_t i = 0; i < 7; i++) {
		const struct eun_config_key *k = eun_common_config_key(i);

		ck_assert_str_eq(k->name, want[i]);
		ck_assert_ptr_nonnull(k->description);
		ck_assert(k->type == EUN_CONFIG_UINT || k->type == EUN_CONFIG_STRING);
	}
	ck_assert_uint_eq(eun_common_config_key(2)->type, EUN_CONFIG_STRING);
	ck_assert_uint_eq(eun_common_config_key(5)->type, EUN_CONFIG_STRING);
	ck_assert_uint_eq(eun_common_config_key(6)->type, EUN_CONFIG_STRING);
	ck_assert_ptr_null(eun_common_config_key(7));
}
END_TEST

START_TEST(tracker_identity)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t1 = fixture_tracker(ctx, NULL, 0);
	struct eun_tracker *t2 = fixture_tracker(ctx, NULL, 0);

	ck_assert_str_eq(eun_tracker_name(t1), FIXTURE_NAME);
	ck_assert_ptr_eq(eun_tracker_plugin(t1), eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_int_eq(eun_tracker_state(t1), EUN_TRACKER_CREATED);
	ck_assert_uint_eq(eun_tracker_count(ctx), 2);
	ck_assert_ptr_eq(eun_tracker_at(ctx, 0), t1);
	ck_assert_ptr_eq(eun_tracker_at(ctx, 1), t2);
	ck_assert_ptr_null(eun_tracker_at(ctx, 2));
	eun_tracker_free(t1);
	ck_assert_uint_eq(eun_tracker_count(ctx), 1);
	ck_assert_ptr_eq(eun_tracker_at(ctx, 0), t2);
	eun_tracker_free(NULL);
	eun_ctx_free(ctx); /* frees t2 */
	eun_ctx_free(NULL);
}
END_TEST

START_TEST(unknown_tracker_lists_available)
{
	struct eun_ctx *ctx = fixture_ctx();

	errno = 0;
	ck_assert_ptr_null(eun_tracker_new(ctx, "nope", NULL));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "'nope'"));
	ck_assert_ptr_nonnull(strstr(eun_last_error(), FIXTURE_NAME));
	eun_ctx_free(ctx);
}
END_TEST

static Suite *schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, discovery_finds_fixture_only);
	tcase_add_test(tc, event_types_and_fields);
	tcase_add_test(tc, plugin_config_keys);
	tcase_add_test(tc, common_config_keys);
	tcase_add_test(tc, tracker_identity);
	tcase_add_test(tc, unknown_tracker_lists_available);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(schema_suite());
}
