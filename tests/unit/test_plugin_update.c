/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Hot update support: two versions of one plugin in a context
 * (eun_ctx_load_plugin_update(), eun_tracker_new_of(), eun_ctx_retire_plugin())
 * and one tracker taking over from another (eun_tracker_replace()). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <eunomia/plugin.h>

#include "helpers.h"

/* A copy of the fixture plugin under another path: a "new version" of it. */
static char copy_path[64];

static void copy_fixture(void)
{
	char buf[65536];
	int in = open(fixture_path("fixture_good"), O_RDONLY), out;
	ssize_t n;

	strcpy(copy_path, "/tmp/eun-update-XXXXXX.so");
	out = mkstemps(copy_path, 3);
	ck_assert(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

START_TEST(two_versions)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *old = eun_plugin_find(ctx, FIXTURE_NAME), *neu;
	size_t count = eun_plugin_count(ctx);
	struct eun_tracker *t_old, *t_new;

	ck_assert_ptr_nonnull(old);
	copy_fixture();
	/* The plain loader refuses the name twice; the update loader does not. */
	ck_assert_int_eq(eun_ctx_load_plugin(ctx, copy_path), -EEXIST);
	neu = eun_ctx_load_plugin_update(ctx, copy_path);
	ck_assert_msg(neu, "%s", eun_last_error());
	ck_assert_ptr_ne(neu, old);
	ck_assert_uint_eq(eun_plugin_count(ctx), count + 1);
	ck_assert_ptr_eq(eun_plugin_find(ctx, FIXTURE_NAME), neu);
	ck_assert_str_eq(eun_plugin_path(neu), copy_path);

	/* By name: the new version; by handle: either. */
	t_new = eun_tracker_new(ctx, FIXTURE_NAME, NULL);
	ck_assert_ptr_eq(eun_tracker_plugin(t_new), neu);
	t_old = eun_tracker_new_of(ctx, old, NULL);
	ck_assert_msg(t_old, "%s", eun_last_error());
	ck_assert_ptr_eq(eun_tracker_plugin(t_old), old);

	/* Retiring waits for the trackers. */
	ck_assert_int_eq(eun_ctx_retire_plugin(ctx, neu), -EBUSY);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "still has trackers"));
	eun_tracker_free(t_new);
	ck_assert_int_eq(eun_ctx_retire_plugin(ctx, neu), 0);
	ck_assert_uint_eq(eun_plugin_count(ctx), count);
	ck_assert_ptr_eq(eun_plugin_find(ctx, FIXTURE_NAME), old);
	ck_assert_int_eq(eun_ctx_retire_plugin(ctx, neu), -ENOENT);
	ck_assert_ptr_null(eun_tracker_new_of(ctx, neu, NULL));
	ck_assert_int_eq(errno, ENOENT);

	/* The old version goes on serving its tracker. */
	ck_assert_ptr_eq(eun_tracker_plugin(t_old), old);
	eun_ctx_free(ctx);
	unlink(copy_path);
}
END_TEST

/* ---- eun_tracker_replace() with an in-process tracker that starts ---- */

struct relay_rec {
	struct eun_record_header h;
	uint64_t n;
};

static const struct eun_field relay_fields[] = {
	EUN_FIELD(struct relay_rec, n, EUN_FIELD_U64, NULL, 0, "sequence"),
};

static const struct eun_event_type relay_types[] = {
	{ .name = "tick", .id = 1, .record_size = sizeof(struct relay_rec),
	  .fields = relay_fields, .n_fields = 1 },
};

static int relay_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	(void)t;
	(void)host;
	*state = malloc(1);
	return *state ? 0 : -ENOMEM;
}

static int relay_noop(void *state)
{
	(void)state;
	return 0;
}

static const struct eun_plugin_desc relay_desc = {
	EUN_PLUGIN_DESC_HEADER("relay"),
	.version = "1", .description = "test", .license = "MIT",
	.event_types = relay_types, .n_event_types = 1,
	.create = relay_create, .destroy = free, .start = relay_noop, .stop = relay_noop,
	.collect = relay_noop,
};

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int count_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	++*(int *)cookie;
	return 0;
}

static int inject_at(struct eun_tracker *t, uint64_t ts)
{
	struct relay_rec r = { .h = { .ts_ns = ts, .type = 1 }, .n = ts };

	return eun_tracker_inject(t, &r, sizeof(r));
}

START_TEST(replace_hands_over)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *a, *b;
	uint64_t before, after;
	int delivered = 0;

	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &relay_desc), 0);
	eun_ctx_set_event_fn(ctx, count_cb, &delivered);
	a = eun_tracker_new(ctx, "relay", NULL);
	b = eun_tracker_new(ctx, "relay", NULL);
	ck_assert_int_eq(eun_tracker_replace(a, b), -EINVAL); /* not running yet */
	ck_assert_int_eq(eun_tracker_start(a), 0);
	ck_assert_int_eq(eun_tracker_replace(a, a), -EINVAL);
	ck_assert_int_eq(eun_tracker_start(b), 0);
	before = boot_ns();
	ck_assert_int_eq(inject_at(a, before), 1);
	ck_assert_int_eq(eun_tracker_replace(a, b), 0);
	ck_assert_int_eq(eun_tracker_state(a), EUN_TRACKER_STOPPED);
	after = boot_ns();
	/* b saw the same kernel event as a: dropped; a later one goes through. */
	ck_assert_int_eq(inject_at(b, before), 0);
	ck_assert_int_eq(inject_at(b, after), 1);
	ck_assert_int_eq(delivered, 2);
	EUN_OPTS(eun_tracker_stats, st);
	ck_assert_int_eq(eun_tracker_stats(b, &st), 0);
	ck_assert_uint_eq(st.replaced_skipped, 1);
	ck_assert_uint_eq(st.events, 1);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin_update");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, two_versions);
	tcase_add_test(tc, replace_hands_over);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
