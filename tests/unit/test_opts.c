/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The sz rules of *_opts structs: older (smaller) and newer (bigger) callers. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* What a program built against an older header (with only plugin_path) passes. */
struct old_ctx_opts {
	size_t sz;
	const char *plugin_path;
};

/* What a program built against a newer header passes: one unknown member more. */
struct new_ctx_opts {
	struct eun_ctx_opts known;
	unsigned long long future_member;
};

START_TEST(ctx_null_opts_uses_env_path)
{
	/* meson sets EUNOMIA_PLUGIN_PATH to the fixture directory. */
	struct eun_ctx *ctx = eun_ctx_new(NULL);

	ck_assert_msg(ctx, "%s", eun_last_error());
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_uint_eq(eun_ctx_max_latency_ms(ctx), 50);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(ctx_smaller_sz_works)
{
	struct old_ctx_opts old = { .sz = sizeof(old), .plugin_path = EUN_TEST_FIXTURE_DIR };
	struct eun_ctx *ctx = eun_ctx_new((const struct eun_ctx_opts *)&old);

	ck_assert_msg(ctx, "old-sized opts refused: %s", eun_last_error());
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, FIXTURE_NAME));
	/* Members past the caller's sz take their defaults. */
	ck_assert_uint_eq(eun_ctx_max_latency_ms(ctx), 50);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(ctx_only_sz_works)
{
	size_t sz_only = sizeof(size_t);
	struct eun_ctx *ctx = eun_ctx_new((const struct eun_ctx_opts *)&sz_only);

	ck_assert_msg(ctx, "sz-only opts refused: %s", eun_last_error());
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(ctx_zero_sz_refused)
{
	struct eun_ctx_opts opts;

	memset(&opts, 0, sizeof(opts));
	errno = 0;
	ck_assert_ptr_null(eun_ctx_new(&opts));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_ctx_opts"));
}
END_TEST

START_TEST(ctx_bigger_sz_nonzero_tail_refused)
{
	struct new_ctx_opts n;

	memset(&n, 0, sizeof(n));
	n.known.sz = sizeof(n);
	n.known.plugin_path = EUN_TEST_FIXTURE_DIR;
	n.future_member = 1;
	errno = 0;
	ck_assert_ptr_null(eun_ctx_new(&n.known));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_ctx_opts"));
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "newer"));
}
END_TEST

START_TEST(ctx_bigger_sz_zero_tail_works)
{
	struct new_ctx_opts n;
	struct eun_ctx *ctx;

	memset(&n, 0, sizeof(n));
	n.known.sz = sizeof(n);
	n.known.plugin_path = EUN_TEST_FIXTURE_DIR;
	n.known.no_default_path = true;
	n.known.max_latency_ms = 7;
	ctx = eun_ctx_new(&n.known);
	ck_assert_msg(ctx, "zero tail refused: %s", eun_last_error());
	/* The known members are still honoured. */
	ck_assert_uint_eq(eun_ctx_max_latency_ms(ctx), 7);
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, FIXTURE_NAME));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(ctx_no_default_path_without_path_finds_nothing)
{
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_msg(ctx, "%s", eun_last_error());
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	ck_assert_ptr_null(eun_plugin_find(ctx, FIXTURE_NAME));
	eun_ctx_free(ctx);
}
END_TEST

struct new_tracker_opts {
	struct eun_tracker_opts known;
	void *future_member;
};

START_TEST(tracker_opts_sz_rules)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct new_tracker_opts n;
	size_t sz_only = sizeof(size_t);
	struct eun_tracker *t;

	/* Older caller: sz only, no config. */
	t = eun_tracker_new(ctx, FIXTURE_NAME, (const struct eun_tracker_opts *)&sz_only);
	ck_assert_msg(t, "%s", eun_last_error());
	eun_tracker_free(t);

	/* Newer caller with an unknown member set. */
	memset(&n, 0, sizeof(n));
	n.known.sz = sizeof(n);
	n.future_member = &n;
	errno = 0;
	ck_assert_ptr_null(eun_tracker_new(ctx, FIXTURE_NAME, &n.known));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_tracker_opts"));

	/* Newer caller leaving it zero. */
	n.future_member = NULL;
	t = eun_tracker_new(ctx, FIXTURE_NAME, &n.known);
	ck_assert_msg(t, "%s", eun_last_error());
	ck_assert_uint_eq(eun_tracker_count(ctx), 1);
	eun_ctx_free(ctx);
}
END_TEST

/* An older eun_tracker_stats with only `events`. */
struct old_stats {
	size_t sz;
	uint64_t events;
};

START_TEST(stats_smaller_sz_not_overrun)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha rec;
	struct {
		struct old_stats st;
		unsigned char guard[32];
	} buf;

	alpha_fill(&rec);
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), 1);
	memset(&buf, 0xa5, sizeof(buf));
	buf.st.sz = sizeof(buf.st);
	ck_assert_int_eq(eun_tracker_stats(t, (struct eun_tracker_stats *)&buf.st), 0);
	ck_assert_uint_eq(buf.st.events, 1);
	for (size_t i = 0; i < sizeof(buf.guard); i++)
		ck_assert_msg(buf.guard[i] == 0xa5, "byte %zu past the caller's sz was written", i);

	memset(&buf, 0, sizeof(buf));
	ck_assert_int_eq(eun_tracker_stats(t, (struct eun_tracker_stats *)&buf.st), -EINVAL);
	eun_ctx_free(ctx);
}
END_TEST

/*
 * A member a newer header adds in what is tail padding today (a bool after
 * eun_sink_opts.append, a u32 after eun_ctx_start_opts.threads) keeps
 * sizeof the same, so a check from sizeof would accept it set and ignore
 * it. The check starts at the end of the last known member instead.
 */
START_TEST(member_in_tail_padding_refused)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_ctx_start_opts start;
	struct eun_sink_opts sink;
	int fds[2];

	ck_assert_uint_lt(EUN_KNOWN_SZ(eun_ctx_start_opts), sizeof(start));
	ck_assert_uint_lt(EUN_KNOWN_SZ(eun_sink_opts), sizeof(sink));
	ck_assert_int_eq(pipe(fds), 0);

	memset(&start, 0, sizeof(start));
	start.sz = sizeof(start);
	((unsigned char *)&start)[EUN_KNOWN_SZ(eun_ctx_start_opts)] = 1;
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, &start), -EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_ctx_start_opts"));
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "newer header"));

	memset(&sink, 0, sizeof(sink));
	sink.sz = sizeof(sink);
	((unsigned char *)&sink)[EUN_KNOWN_SZ(eun_sink_opts)] = 1;
	errno = 0;
	ck_assert_ptr_null(eun_sink_new_fd(fds[1], EUN_SINK_JSON, &sink));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_sink_opts"));

	/* The same structs with the padding zero, and a caller that sizes them
	 * from the end of their last member, are accepted. */
	memset(&sink, 0, sizeof(sink));
	for (size_t sz = EUN_KNOWN_SZ(eun_sink_opts); sz <= sizeof(sink); sz++) {
		struct eun_sink *sk;

		sink.sz = sz;
		sink.append = false;
		sk = eun_sink_new_fd(fds[1], EUN_SINK_JSON, &sink);
		ck_assert_msg(sk, "sz %zu: %s", sz, eun_last_error());
		ck_assert_int_eq(eun_sink_free(sk), 0);
	}
	memset(&start, 0, sizeof(start));
	start.sz = EUN_KNOWN_SZ(eun_ctx_start_opts);
	ck_assert_int_eq(eun_ctx_start_trackers(ctx, &start), 0);
	close(fds[0]);
	close(fds[1]);
	eun_ctx_free(ctx);
}
END_TEST

/* How many bytes of p in [from, to) are 0xa5, the filler the tests start with. */
static size_t count_a5(const void *p, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++)
		n += ((const unsigned char *)p)[i] == 0xa5;
	return n;
}

/* A caller built against a newer header hands in a bigger struct to fill:
 * the library writes its own members and zeroes the rest, rather than
 * copying its own tail padding there or leaving the caller's bytes. */
START_TEST(filled_structs_zero_what_library_does_not_know)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha rec;
	struct {
		struct eun_tracker_stats st;
		unsigned char newer[24];
	} stats;
	struct {
		struct eun_container_info info;
		unsigned char newer[24];
	} c;
	size_t known = EUN_KNOWN_SZ(eun_container_info);

	alpha_fill(&rec);
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), 1);
	memset(&stats, 0xa5, sizeof(stats));
	stats.st.sz = sizeof(stats);
	ck_assert_int_eq(eun_tracker_stats(t, &stats.st), 0);
	ck_assert_uint_eq(stats.st.events, 1);
	ck_assert_uint_eq(stats.st.decode_errors, 0);
	ck_assert_uint_eq(count_a5(&stats, EUN_KNOWN_SZ(eun_tracker_stats), sizeof(stats)), 0);
	for (size_t i = 0; i < sizeof(stats.newer); i++)
		ck_assert_uint_eq(stats.newer[i], 0);

	memset(&c, 0xa5, sizeof(c));
	c.info.sz = sizeof(c);
	ck_assert_int_eq(eun_cgroup_path_parse("/system.slice/docker-"
					       "0123456789abcdef0123456789abcdef"
					       "0123456789abcdef0123456789abcdef.scope",
					       &c.info), 1);
	ck_assert_str_eq(c.info.runtime, "docker");
	for (size_t i = known; i < sizeof(c); i++)
		ck_assert_msg(((unsigned char *)&c)[i] == 0, "byte %zu past the known %zu is %#x", i,
			      known, ((unsigned char *)&c)[i]);

	/* An older caller (smaller sz) gets no byte past its sz. */
	memset(&c, 0xa5, sizeof(c));
	c.info.sz = known;
	ck_assert_int_eq(eun_cgroup_path_parse("/docker/0123456789abcdef0123456789abcdef"
					       "0123456789abcdef0123456789abcdef", &c.info), 1);
	ck_assert_uint_eq(count_a5(&c, known, sizeof(c)), sizeof(c) - known);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("sz");

	tcase_add_test(tc, ctx_null_opts_uses_env_path);
	tcase_add_test(tc, ctx_smaller_sz_works);
	tcase_add_test(tc, ctx_only_sz_works);
	tcase_add_test(tc, ctx_zero_sz_refused);
	tcase_add_test(tc, ctx_bigger_sz_nonzero_tail_refused);
	tcase_add_test(tc, ctx_bigger_sz_zero_tail_works);
	tcase_add_test(tc, ctx_no_default_path_without_path_finds_nothing);
	tcase_add_test(tc, tracker_opts_sz_rules);
	tcase_add_test(tc, stats_smaller_sz_not_overrun);
	tcase_add_test(tc, member_in_tail_padding_refused);
	tcase_add_test(tc, filled_structs_zero_what_library_does_not_know);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(opts_suite());
}
