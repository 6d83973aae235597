/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Renderers: exact JSON, JSON escaping, text key=value, CSV header union and quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "csv_check.h"
#include "json_check.h"

static unsigned long long clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* Render one record through a fresh fixture tracker. */
static void render_record(const void *rec, size_t len, struct rendered *out)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);

	memset(out, 0, sizeof(*out));
	ck_assert_int_eq(inject_with(ctx, t, rec, len, render_cb, out), 1);
	ck_assert_int_eq(out->calls, 1);
	eun_ctx_free(ctx);
}

static void assert_valid_json(const char *s)
{
	const char *where;

	ck_assert_msg(json_valid(s, &where), "invalid JSON at offset %td: %s", where - s, s);
}

START_TEST(json_validator_self_check)
{
	/* The validator must itself reject what the renderer must never produce. */
	ck_assert(json_valid("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\xc3\xa9\"]}", NULL));
	ck_assert(!json_valid("{\"a\":\"\xff\"}", NULL));
	ck_assert(!json_valid("{\"a\":\"\xc3\"}", NULL));
	ck_assert(!json_valid("{\"a\":\"\xc0\xaf\"}", NULL));
	ck_assert(!json_valid("{\"a\":\"\xed\xa0\x80\"}", NULL));
	ck_assert(!json_valid("{\"a\":\"\x01\"}", NULL));
	ck_assert(!json_valid("{\"a\":\"\\x41\"}", NULL));
	ck_assert(!json_valid("{\"a\":01}", NULL));
	ck_assert(!json_valid("{\"a\":1,}", NULL));
	ck_assert(!json_valid("{\"a\":1} x", NULL));
}
END_TEST

START_TEST(json_exact_alpha)
{
	struct fixture_alpha rec;
	struct rendered r;
	char want[1024];
	unsigned long long expect_ts = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME) + 1000000000ull;

	alpha_fill(&rec);
	render_record(&rec, sizeof(rec), &r);
	/* ts is converted from boot time to wall-clock time. */
	ck_assert_msg(r.ts > expect_ts - 1000000000ull && r.ts < expect_ts + 1000000000ull,
		      "ts %llu is not wall-clock (expected about %llu)", r.ts, expect_ts);
	snprintf(want, sizeof(want),
		 "{\"ts\":%llu,\"tracker\":\"fixture\",\"type\":\"alpha\",\"pid\":1234,\"tid\":1235,"
		 "\"uid\":1000,\"comm\":\"tester\",\"cgroup_id\":4242,"
		 "\"pid_ns\":4026531836,\"mnt_ns\":4026531841,\"net_ns\":4026531840,"
		 "\"user_ns\":4026531837,"
		 "\"container_id\":\"\",\"container_runtime\":\"\",\"pod_uid\":\"\","
		 "\"big\":18446744073709551615,\"ret\":-2,\"mask\":48879,\"delta\":-7,"
		 "\"port\":8080,\"level\":200,\"ok\":true,\"label\":\"hello\"}",
		 r.ts);
	ck_assert_str_eq(r.json, want);
	ck_assert_int_eq(r.json_len, (int)strlen(want));
	assert_valid_json(r.json);
}
END_TEST

START_TEST(json_exact_beta)
{
	struct fixture_beta rec;
	struct rendered r;
	char want[1024];

	beta_fill(&rec);
	render_record(&rec, sizeof(rec), &r);
	snprintf(want, sizeof(want),
		 "{\"ts\":%llu,\"tracker\":\"fixture\",\"type\":\"beta\",\"pid\":1234,\"tid\":1235,"
		 "\"uid\":1000,\"comm\":\"tester\",\"cgroup_id\":4242,"
		 "\"pid_ns\":4026531836,\"mnt_ns\":4026531841,\"net_ns\":4026531840,"
		 "\"user_ns\":4026531837,"
		 "\"container_id\":\"\",\"container_runtime\":\"\",\"pod_uid\":\"\","
		 "\"saddr\":\"192.168.0.1\",\"daddr\":\"2001:db8::1\",\"flags\":65,"
		 "\"label\":\"b\",\"path\":\"/tmp/x\"}",
		 r.ts);
	ck_assert_str_eq(r.json, want);
	assert_valid_json(r.json);
}
END_TEST

START_TEST(json_escapes_quotes_and_controls)
{
	struct fixture_alpha rec;
	struct rendered r;

	alpha_fill(&rec);
	str_fill(rec.label, sizeof(rec.label), "q\"b\\s\n\t\x01/\xc3\xa9");
	str_fill(rec.h.comm, sizeof(rec.h.comm), "c\"m\x1f");
	render_record(&rec, sizeof(rec), &r);
	assert_valid_json(r.json);
	ck_assert_msg(strstr(r.json, "\"label\":\"q\\\"b\\\\s\\n\\t\\u0001/\xc3\xa9\"}"), "%s", r.json);
	ck_assert_msg(strstr(r.json, "\"comm\":\"c\\\"m\\u001f\""), "%s", r.json);
}
END_TEST

/* Integers are written without printf: the ends of each range and zero. */
START_TEST(json_integer_extremes)
{
	struct fixture_alpha rec;
	struct rendered r;

	alpha_fill(&rec);
	rec.big = 0;
	rec.ret = INT64_MIN;
	rec.delta = INT32_MIN;
	render_record(&rec, sizeof(rec), &r);
	assert_valid_json(r.json);
	ck_assert_msg(strstr(r.json, "\"big\":0,\"ret\":-9223372036854775808,\"mask\":48879,"
				     "\"delta\":-2147483648,"), "%s", r.json);
	rec.ret = INT64_MAX;
	rec.delta = 0;
	render_record(&rec, sizeof(rec), &r);
	ck_assert_msg(strstr(r.json, "\"ret\":9223372036854775807,\"mask\":48879,\"delta\":0,"),
		      "%s", r.json);
}
END_TEST

START_TEST(json_invalid_utf8_stays_valid)
{
	/* Stray continuation, truncated sequence, overlong form, surrogate,
	 * > U+10FFFF, bytes that never occur, and a valid sequence next to a
	 * truncated one: each byte of a bad sequence becomes \u00XX. */
	static const char *const bad[][2] = {
		{ "a\x80z", "a\\u0080z" },
		{ "a\xc3", "a\\u00c3" },
		{ "a\xc0\xafz", "a\\u00c0\\u00afz" },
		{ "a\xed\xa0\x80z", "a\\u00ed\\u00a0\\u0080z" },
		{ "a\xf4\x90\x80\x80z", "a\\u00f4\\u0090\\u0080\\u0080z" },
		{ "\xff\xfe", "\\u00ff\\u00fe" },
		{ "\xc3\xa9\xe2\x82", "\xc3\xa9\\u00e2\\u0082" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fixture_beta rec;
		struct rendered r;
		char want[128];

		beta_fill(&rec);
		str_fill(rec.path, sizeof(rec.path), bad[i][0]);
		str_fill(rec.h.comm, sizeof(rec.h.comm), bad[i][0]);
		render_record(&rec, sizeof(rec), &r);
		assert_valid_json(r.json);
		snprintf(want, sizeof(want), "\"path\":\"%s\"}", bad[i][1]);
		ck_assert_msg(strstr(r.json, want), "no %s in %s", want, r.json);
		snprintf(want, sizeof(want), "\"comm\":\"%s\",", bad[i][1]);
		ck_assert_msg(strstr(r.json, want), "no %s in %s", want, r.json);
	}
}
END_TEST

START_TEST(json_full_string_without_nul)
{
	struct fixture_alpha rec;
	struct rendered r;
	char want[FIXTURE_LABEL_LEN + 16];

	alpha_fill(&rec);
	memset(rec.label, 'x', sizeof(rec.label)); /* fills the array: no NUL */
	render_record(&rec, sizeof(rec), &r);
	snprintf(want, sizeof(want), "\"label\":\"%.*s\"}", FIXTURE_LABEL_LEN, rec.label);
	ck_assert_msg(strstr(r.json, want), "%s", r.json);
	assert_valid_json(r.json);
}
END_TEST

/* Render into buffers of every size; check snprintf semantics. */
static int truncation_cb(const struct eun_event *ev, void *cookie)
{
	char full[2048], small[2048];
	int n = eun_event_to_json(ev, full, sizeof(full));

	(void)cookie;
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(eun_event_to_json(ev, NULL, 0), n);
	for (int size = 1; size <= n + 1; size++) {
		memset(small, '#', sizeof(small));
		ck_assert_int_eq(eun_event_to_json(ev, small, (size_t)size), n);
		ck_assert_uint_eq(strlen(small), (size_t)(size - 1));
		ck_assert(strncmp(small, full, (size_t)(size - 1)) == 0);
		ck_assert(small[size] == '#');
	}
	n = eun_event_to_text(ev, full, sizeof(full));
	ck_assert_int_eq(eun_event_to_text(ev, small, 8), n);
	ck_assert_uint_eq(strlen(small), 7);
	return 0;
}

START_TEST(renderers_truncate_like_snprintf)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct fixture_alpha rec;

	alpha_fill(&rec);
	ck_assert_int_eq(inject_with(ctx, t, &rec, sizeof(rec), truncation_cb, NULL), 1);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(text_key_values)
{
	static const char *const alpha_want[] = {
		"fixture", "alpha", "1234", "tester", " big=18446744073709551615", " ret=-2",
		" mask=0xbeef", " delta=-7", " port=8080", " level=200", " ok=true", " label=hello",
	};
	static const char *const beta_want[] = {
		" saddr=192.168.0.1", " daddr=2001:db8::1", " flags=0x41", " label=b", " path=/tmp/x",
	};
	struct fixture_alpha a;
	struct fixture_beta b;
	struct rendered r;

	alpha_fill(&a);
	render_record(&a, sizeof(a), &r);
	ck_assert_int_eq(r.text_len, (int)strlen(r.text));
	ck_assert_ptr_null(strchr(r.text, '\n'));
	for (size_t i = 0; i < sizeof(alpha_want) / sizeof(alpha_want[0]); i++)
		ck_assert_msg(strstr(r.text, alpha_want[i]), "no \"%s\" in: %s", alpha_want[i], r.text);
	beta_fill(&b);
	render_record(&b, sizeof(b), &r);
	for (size_t i = 0; i < sizeof(beta_want) / sizeof(beta_want[0]); i++)
		ck_assert_msg(strstr(r.text, beta_want[i]), "no \"%s\" in: %s", beta_want[i], r.text);
}
END_TEST

START_TEST(text_quotes_awkward_strings)
{
	struct fixture_alpha rec;
	struct rendered r;

	alpha_fill(&rec);
	str_fill(rec.label, sizeof(rec.label), "two words\n");
	render_record(&rec, sizeof(rec), &r);
	/* One line, and the value cannot be mistaken for two key=value pairs. */
	ck_assert_ptr_null(strchr(r.text, '\n'));
	ck_assert_msg(strstr(r.text, " label=\"two words\\n\""), "%s", r.text);
}
END_TEST

START_TEST(text_header_columns)
{
	char buf[256];
	int n = eun_text_header(buf, sizeof(buf));

	ck_assert_int_eq(n, (int)strlen(buf));
	ck_assert_ptr_nonnull(strstr(buf, "PID"));
	ck_assert_ptr_nonnull(strstr(buf, "COMM"));
	ck_assert_ptr_null(strchr(buf, '\n'));
}
END_TEST

/* ---- CSV ---- */

/* Split one rendered row or header (no newline after it) into cols. Count or -1. */
static int csv_split(const char *line, char *store, size_t store_size, char **cols)
{
	const char *p = line;
	int n = csv_record(&p, store, store_size, cols);

	return *p || (p > line && p[-1] == '\n') ? -1 : n;
}

struct csv_capture {
	struct eun_csv *csv;
	char row[4096];
	int len;
};

static int csv_cb(const struct eun_event *ev, void *cookie)
{
	struct csv_capture *c = cookie;

	c->len = eun_csv_row(c->csv, ev, c->row, sizeof(c->row));
	return 0;
}

START_TEST(csv_header_is_union)
{
	static const char *const want[] = {
		"ts", "tracker", "type", "pid", "tid", "uid", "comm", "cgroup_id",
		"pid_ns", "mnt_ns", "net_ns", "user_ns", "container_id", "container_runtime",
		"pod_uid", "big", "ret", "mask", "delta", "port", "level", "ok", "label",
		"saddr", "daddr", "flags", "path", "seq", "status", "up", "word",
	};
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *ts[2];
	struct eun_csv *csv;
	char buf[1024], store[1024], *cols[CSV_MAX_COLS];
	int n;

	ts[0] = fixture_tracker(ctx, NULL, 0);
	ts[1] = eun_tracker_new(ctx, "abi_v1_0", NULL);
	ck_assert_msg(ts[1], "%s", eun_last_error());
	csv = eun_csv_new(ts, 2);
	ck_assert_msg(csv, "%s", eun_last_error());
	n = eun_csv_header(csv, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(buf));
	ck_assert_ptr_null(strchr(buf, '\n'));
	n = csv_split(buf, store, sizeof(store), cols);
	/* Every column once: "label" is in both fixture event types. */
	ck_assert_msg(n == (int)(sizeof(want) / sizeof(want[0])), "%d columns: %s", n, buf);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(csv_col(cols, n, want[i]) >= 0, "no column %s in: %s", want[i], buf);
	/* The common header comes first, in the documented order. */
	for (int i = 0; i < 8; i++)
		ck_assert_str_eq(cols[i], want[i]);
	eun_csv_free(csv);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(csv_rows_align_and_quote)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct csv_capture cap = { 0 };
	struct fixture_alpha a;
	struct fixture_beta b;
	char head[1024], hstore[1024], rstore[4096], *hcols[CSV_MAX_COLS], *rcols[CSV_MAX_COLS];
	int nh, nr;
	const char *awkward = "a,b \"c\"\nd\re";

	cap.csv = eun_csv_new(&t, 1);
	ck_assert_msg(cap.csv, "%s", eun_last_error());
	eun_csv_header(cap.csv, head, sizeof(head));
	nh = csv_split(head, hstore, sizeof(hstore), hcols);
	ck_assert_int_gt(nh, 8);

	alpha_fill(&a);
	str_fill(a.label, sizeof(a.label), awkward);
	str_fill(a.h.comm, sizeof(a.h.comm), "x,y");
	ck_assert_int_eq(inject_with(ctx, t, &a, sizeof(a), csv_cb, &cap), 1);
	ck_assert_int_eq(cap.len, (int)strlen(cap.row));
	nr = csv_split(cap.row, rstore, sizeof(rstore), rcols);
	ck_assert_msg(nr == nh, "row has %d columns, header %d: %s", nr, nh, cap.row);
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "label")], awkward);
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "comm")], "x,y");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "pid")], "1234");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "type")], "alpha");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "port")], "8080");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "ret")], "-2");
	/* Fields of the other event type are empty. */
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "path")], "");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "saddr")], "");

	beta_fill(&b);
	ck_assert_int_eq(inject_with(ctx, t, &b, sizeof(b), csv_cb, &cap), 1);
	nr = csv_split(cap.row, rstore, sizeof(rstore), rcols);
	ck_assert_int_eq(nr, nh);
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "saddr")], "192.168.0.1");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "daddr")], "2001:db8::1");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "path")], "/tmp/x");
	/* A path with every character CSV must quote, and bytes it must not touch. */
	str_fill(b.path, sizeof(b.path), "/tmp/\"q\",c,\n\r\xff.log");
	ck_assert_int_eq(inject_with(ctx, t, &b, sizeof(b), csv_cb, &cap), 1);
	ck_assert_msg(strstr(cap.row, ",\"/tmp/\"\"q\"\",c,\n\r\xff.log\""), "%s", cap.row);
	nr = csv_split(cap.row, rstore, sizeof(rstore), rcols);
	ck_assert_int_eq(nr, nh);
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "path")], "/tmp/\"q\",c,\n\r\xff.log");
	beta_fill(&b);
	ck_assert_int_eq(inject_with(ctx, t, &b, sizeof(b), csv_cb, &cap), 1);
	nr = csv_split(cap.row, rstore, sizeof(rstore), rcols);
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "label")], "b");
	ck_assert_str_eq(rcols[csv_col(hcols, nh, "big")], "");
	eun_csv_free(cap.csv);
	eun_ctx_free(ctx);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *json = tcase_create("json");
	TCase *text = tcase_create("text");
	TCase *csv = tcase_create("csv");

	tcase_add_test(json, json_validator_self_check);
	tcase_add_test(json, json_exact_alpha);
	tcase_add_test(json, json_exact_beta);
	tcase_add_test(json, json_escapes_quotes_and_controls);
	tcase_add_test(json, json_integer_extremes);
	tcase_add_test(json, json_invalid_utf8_stays_valid);
	tcase_add_test(json, json_full_string_without_nul);
	tcase_add_test(json, renderers_truncate_like_snprintf);
	tcase_add_test(text, text_key_values);
	tcase_add_test(text, text_quotes_awkward_strings);
	tcase_add_test(text, text_header_columns);
	tcase_add_test(csv, csv_header_is_union);
	tcase_add_test(csv, csv_rows_align_and_quote);
	suite_add_tcase(s, json);
	suite_add_tcase(s, text);
	suite_add_tcase(s, csv);
	return s;
}

int main(void)
{
	return run_suite(render_suite());
}
