/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Plugin ABI 1.1 in the core: collect() is called at the interval the
 * plugin asks for and once more on stop, host->emit() delivers records
 * (stamping a zero timestamp, refusing malformed ones), and histogram
 * fields render in every format. Uses the abi_v1_1 fixture, which is
 * built only against the frozen 1.1 headers and needs no kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/plugin.h>

#include "abi_v1_1.h"
#include "helpers.h"
#include "json_check.h"

struct seen {
	int n;
	uint64_t last_seq, ts;
	char json[2048], text[2048], csv[2048];
	struct eun_csv *csv_layout;
	uint64_t slots[ABI_V1_1_SLOTS];
	size_t n_slots;
};

static int seen_cb(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	const uint64_t *slots;
	int idx;

	s->n++;
	s->ts = eun_event_ts(ev);
	ck_assert_int_ge(eun_event_to_json(ev, s->json, sizeof(s->json)), 0);
	ck_assert_int_ge(eun_event_to_text(ev, s->text, sizeof(s->text)), 0);
	if (s->csv_layout)
		ck_assert_int_ge(eun_csv_row(s->csv_layout, ev, s->csv, sizeof(s->csv)), 0);
	idx = eun_event_field_index(ev, "lat");
	ck_assert_int_ge(idx, 0);
	ck_assert_int_eq(eun_event_get_hist(ev, (size_t)idx, &slots, &s->n_slots), 0);
	ck_assert_uint_eq(s->n_slots, ABI_V1_1_SLOTS);
	memcpy(s->slots, slots, sizeof(s->slots));
	idx = eun_event_field_index(ev, "seq");
	ck_assert_int_eq(eun_event_get_u64(ev, (size_t)idx, &s->last_seq), 0);
	return 0;
}

static struct eun_tracker *v11_tracker(struct eun_ctx *ctx, const char *interval, bool emit_bad)
{
	struct eun_config_entry e[] = { { "interval_ms", interval },
					{ "emit_bad", emit_bad ? "true" : "false" } };
	EUN_OPTS(eun_tracker_opts, opts, .config = e, .n_config = 2);

	return eun_tracker_new(ctx, ABI_V1_1_NAME, &opts);
}

START_TEST(v1_1_plugin_loads_without_ring)
{
	struct eun_ctx *ctx = fixture_ctx();
	const struct eun_plugin *p = eun_plugin_find(ctx, ABI_V1_1_NAME);
	unsigned major = 9, minor = 9;

	ck_assert_msg(p, "abi_v1_1 not discovered in %s: %s", EUN_TEST_FIXTURE_DIR, eun_last_error());
	eun_plugin_built_abi(p, &major, &minor);
	ck_assert_uint_eq(major, 1);
	ck_assert_uint_eq(minor, 1);
	ck_assert_uint_eq(eun_plugin_event_type(p, 0)->fields[2].type, EUN_FIELD_HIST_LOG2);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(collect_runs_at_interval_and_on_stop)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = v11_tracker(ctx, "20", false);
	struct seen s = { 0 };
	int total = 0;

	ck_assert_msg(t, "%s", eun_last_error());
	eun_ctx_set_event_fn(ctx, seen_cb, &s);
	ck_assert_int_eq(eun_tracker_start(t), 0);
	/* Nothing is due before the first interval has passed. */
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	while (s.n < 3) {
		int n = eun_ctx_poll(ctx, 1000);

		ck_assert_int_ge(n, 0);
		total += n;
	}
	ck_assert_int_eq(total, s.n);
	ck_assert_uint_eq(s.last_seq, (uint64_t)s.n);
	/* Stopping collects once more, so the last interval is not lost. */
	ck_assert_int_eq(eun_tracker_stop(t), 0);
	ck_assert_int_eq(s.n, total + 1);
	ck_assert_uint_eq(s.last_seq, (uint64_t)s.n);
	/* Stopped trackers are not collected. */
	ck_assert_int_eq(eun_ctx_poll(ctx, 60), 0);
	ck_assert_int_eq(s.n, total + 1);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(emit_stamps_time_and_renders_histogram)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = v11_tracker(ctx, "60000", false);
	struct seen s = { 0 };
	const uint64_t want[ABI_V1_1_SLOTS] = { 1, 2, 0, 1 };
	char hdr[2048];

	ck_assert_msg(t, "%s", eun_last_error());
	s.csv_layout = eun_csv_new(&t, 1);
	ck_assert_ptr_nonnull(s.csv_layout);
	eun_ctx_set_event_fn(ctx, seen_cb, &s);
	ck_assert_int_eq(eun_tracker_start(t), 0);
	ck_assert_int_eq(eun_tracker_stop(t), 0); /* the final collect */
	ck_assert_int_eq(s.n, 1);
	ck_assert_uint_gt(s.ts, 0);
	ck_assert_mem_eq(s.slots, want, sizeof(want));
	ck_assert(json_valid(s.json, NULL));
	ck_assert_msg(strstr(s.json, "\"calls\":4,\"lat\":[1,2,0,1,0,0,0,0],\"lat_sum\":15,"),
		      "%s", s.json);
	ck_assert_msg(strstr(s.text, " lat=0-1:1,2-3:2,8-15:1 lat_sum=15"), "%s", s.text);
	ck_assert_int_ge(eun_csv_header(s.csv_layout, hdr, sizeof(hdr)), 0);
	ck_assert_msg(strstr(hdr, ",seq,calls,lat,lat_sum,key"), "%s", hdr);
	ck_assert_msg(strstr(s.csv, ",1,4,\"0-1:1,2-3:2,8-15:1\",15,k1"), "%s", s.csv);
	eun_csv_free(s.csv_layout);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(emit_refuses_undeclared_type)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = v11_tracker(ctx, "60000", true);
	EUN_OPTS(eun_tracker_stats, st);
	struct seen s = { 0 };
	struct log_capture lc;
	char want[64];

	ck_assert_msg(t, "%s", eun_last_error());
	eun_ctx_set_event_fn(ctx, seen_cb, &s);
	ck_assert_int_eq(eun_tracker_start(t), 0);
	log_capture_start(&lc);
	ck_assert_int_eq(eun_tracker_stop(t), 0);
	log_capture_stop();
	snprintf(want, sizeof(want), "returned %d", -EBADMSG);
	ck_assert_msg(strstr(lc.buf, want), "%s", lc.buf);
	ck_assert_int_eq(s.n, 1);
	ck_assert_int_eq(eun_tracker_stats(t, &st), 0);
	ck_assert_uint_eq(st.events, 1);
	ck_assert_uint_eq(st.decode_errors, 1);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *collect_suite(void)
{
	Suite *s = suite_create("collect");
	TCase *tc = tcase_create("abi_1_1");

	tcase_add_test(tc, v1_1_plugin_loads_without_ring);
	tcase_add_test(tc, collect_runs_at_interval_and_on_stop);
	tcase_add_test(tc, emit_stamps_time_and_renders_histogram);
	tcase_add_test(tc, emit_refuses_undeclared_type);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(collect_suite());
}
