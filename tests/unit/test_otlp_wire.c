/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia-otlp's pieces, byte by byte: protobuf varints and fields,
 * nested lengths, KeyValue/AnyValue in protobuf and JSON, UTF-8 repair, a
 * whole LogRecord of a known event, the grouping of a logs request,
 * answers (partial success, google.rpc.Status), gzip, attribute lists,
 * the retry rules and backoff, the queue's drop policies, the options and
 * environment variables, and the severities. The Node tests in tests/otlp
 * decode whole requests with the real OTLP schema.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <eunomia/otlp.h>

#include "attrs.h"
#include "buf.h"
#include "config.h"
#include "fixture_metrics.h"
#include "gzip.h"
#include "helpers.h"
#include "kv.h"
#include "log_record.h"
#include "logs_request.h"
#include "pb.h"
#include "queue.h"
#include "resource.h"
#include "response.h"
#include "retry.h"
#include "text.h"

#ifndef EUN_TEST_METRICS_FIXTURE
#error "EUN_TEST_METRICS_FIXTURE must be defined by the build"
#endif

/* Assert that b holds exactly the n bytes of want. */
static void assert_bytes(const struct buf *b, const void *want, size_t n)
{
	char got[4096] = "", exp[4096] = "";

	ck_assert(!b->oom);
	for (size_t i = 0; i < b->len && i < 1300; i++)
		snprintf(got + 3 * i, 4, "%02x ", b->data[i]);
	for (size_t i = 0; i < n && i < 1300; i++)
		snprintf(exp + 3 * i, 4, "%02x ", ((const uint8_t *)want)[i]);
	ck_assert_msg(b->len == n && !memcmp(b->data, want, n), "got  %s\nwant %s", got, exp);
}

/* Assert that b holds the text want. */
static void assert_text(const struct buf *b, const char *want)
{
	ck_assert(!b->oom);
	ck_assert_msg(b->len == strlen(want) && !memcmp(b->data, want, b->len),
		      "got  %.*s\nwant %s", (int)b->len, (const char *)b->data, want);
}

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

START_TEST(varints)
{
	static const struct {
		uint64_t v;
		uint8_t bytes[10];
		size_t n;
	} cases[] = {
		{ 0, { 0x00 }, 1 },
		{ 1, { 0x01 }, 1 },
		{ 127, { 0x7f }, 1 },
		{ 128, { 0x80, 0x01 }, 2 },
		{ 300, { 0xac, 0x02 }, 2 },
		{ 16384, { 0x80, 0x80, 0x01 }, 3 },
		{ UINT64_MAX, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = { 0 };

		pb_varint(&b, cases[i].v);
		ck_assert_uint_eq(pb_varint_len(cases[i].v), cases[i].n);
		assert_bytes(&b, cases[i].bytes, cases[i].n);
		buf_free(&b);
	}
}
END_TEST

START_TEST(scalar_fields)
{
	struct buf b = { 0 };

	pb_uint(&b, 2, 9);            /* severity_number = 9 */
	pb_int64(&b, 3, -1);          /* int64 -1: ten bytes */
	pb_fixed64(&b, 1, 0x0102030405060708ull);
	pb_double(&b, 4, 1.5);
	pb_bytes(&b, 12, "ab", 2);
	pb_uint(&b, 16, 1);           /* field 16: a two-byte key */
	assert_bytes(&b, BYTES(0x10, 0x09,
			       0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
			       0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
			       0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
			       0x62, 0x02, 'a', 'b',
			       0x80, 0x01, 0x01));
	buf_free(&b);
}
END_TEST

START_TEST(nested_lengths)
{
	struct buf b = { 0 };
	size_t outer, inner;
	char big[200];

	/* Short: one length byte. */
	outer = pb_begin(&b, 1);
	pb_uint(&b, 1, 5);
	pb_end(&b, outer);
	assert_bytes(&b, BYTES(0x0a, 0x02, 0x08, 0x05));

	/* 203 bytes of content need two length bytes: the content moves. */
	buf_reset(&b);
	memset(big, 'x', sizeof(big));
	outer = pb_begin(&b, 2);
	inner = pb_begin(&b, 1);
	buf_put(&b, big, 1);
	pb_end(&b, inner);
	pb_bytes(&b, 3, big, 198);
	pb_end(&b, outer);
	ck_assert_uint_eq(b.len, 3 + 3 + 3 + 198);
	ck_assert_uint_eq(b.data[0], 0x12);
	ck_assert_uint_eq(b.data[1], 0xcc); /* 204 = 0xcc 0x01 */
	ck_assert_uint_eq(b.data[2], 0x01);
	ck_assert_uint_eq(b.data[3], 0x0a);
	ck_assert_uint_eq(b.data[4], 0x01);
	ck_assert_uint_eq(b.data[5], 'x');
	ck_assert_uint_eq(b.data[6], 0x1a);
	ck_assert_uint_eq(b.data[7], 0xc6); /* 198 */
	ck_assert_uint_eq(b.data[8], 0x01);
	ck_assert_uint_eq(b.data[b.len - 1], 'x');
	buf_free(&b);
}
END_TEST

START_TEST(reader)
{
	static const uint8_t msg[] = { 0x08, 0x96, 0x01, 0x12, 0x02, 'h', 'i', 0x19, 1, 0, 0, 0,
				       0, 0, 0, 0, 0x25, 2, 0, 0, 0 };
	struct pb_reader r = { msg, msg + sizeof(msg) };
	struct pb_field f;

	ck_assert_int_eq(pb_next(&r, &f), 1);
	ck_assert(f.number == 1 && f.wire == PB_VARINT && f.value == 150);
	ck_assert_int_eq(pb_next(&r, &f), 1);
	ck_assert(f.number == 2 && f.wire == PB_LEN && f.len == 2 && !memcmp(f.data, "hi", 2));
	ck_assert_int_eq(pb_next(&r, &f), 1);
	ck_assert(f.number == 3 && f.wire == PB_I64 && f.value == 1);
	ck_assert_int_eq(pb_next(&r, &f), 1);
	ck_assert(f.number == 4 && f.wire == PB_I32 && f.value == 2);
	ck_assert_int_eq(pb_next(&r, &f), 0);
	/* A length past the end, a truncated varint, a group. */
	r = (struct pb_reader){ (const uint8_t *)"\x12\x05hi", (const uint8_t *)"\x12\x05hi" + 4 };
	ck_assert_int_eq(pb_next(&r, &f), -EBADMSG);
	r = (struct pb_reader){ (const uint8_t *)"\x08\x80", (const uint8_t *)"\x08\x80" + 2 };
	ck_assert_int_eq(pb_next(&r, &f), -EBADMSG);
	r = (struct pb_reader){ (const uint8_t *)"\x0b", (const uint8_t *)"\x0b" + 1 };
	ck_assert_int_eq(pb_next(&r, &f), -EBADMSG);
}
END_TEST

START_TEST(key_values_protobuf)
{
	static const uint64_t slots[] = { 1, 2 };
	static const char *const tags[] = { "v1" };
	struct buf b = { 0 };
	struct kv_writer w = { .b = &b, .fmt = OTLP_PROTOBUF, .field = 6 };

	kv_str(&w, "k", "v", 1);
	assert_bytes(&b, BYTES(0x32, 0x08, 0x0a, 0x01, 'k', 0x12, 0x03, 0x0a, 0x01, 'v'));
	buf_reset(&b);
	kv_int(&w, "n", -2);
	assert_bytes(&b, BYTES(0x32, 0x10, 0x0a, 0x01, 'n', 0x12, 0x0b, 0x18,
			       0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
	buf_reset(&b);
	kv_bool(&w, "b", true);
	assert_bytes(&b, BYTES(0x32, 0x07, 0x0a, 0x01, 'b', 0x12, 0x02, 0x10, 0x01));
	buf_reset(&b);
	kv_double(&w, "d", 1.5);
	assert_bytes(&b, BYTES(0x32, 0x0e, 0x0a, 0x01, 'd', 0x12, 0x09, 0x21,
			       0, 0, 0, 0, 0, 0, 0xf8, 0x3f));
	buf_reset(&b);
	/* Above INT64_MAX: its decimal text. */
	kv_uint(&w, "u", UINT64_MAX);
	assert_bytes(&b, BYTES(0x32, 0x1b, 0x0a, 0x01, 'u', 0x12, 0x16, 0x0a, 0x14,
			       '1', '8', '4', '4', '6', '7', '4', '4', '0', '7', '3', '7', '0', '9',
			       '5', '5', '1', '6', '1', '5'));
	buf_reset(&b);
	kv_uint_array(&w, "h", slots, 2);
	assert_bytes(&b, BYTES(0x32, 0x0f, 0x0a, 0x01, 'h', 0x12, 0x0a, 0x2a, 0x08,
			       0x0a, 0x02, 0x18, 0x01, 0x0a, 0x02, 0x18, 0x02));
	buf_reset(&b);
	kv_str_array(&w, "t", tags, 1);
	assert_bytes(&b, BYTES(0x32, 0x0d, 0x0a, 0x01, 't', 0x12, 0x08, 0x2a, 0x06,
			       0x0a, 0x04, 0x0a, 0x02, 'v', '1'));
	buf_free(&b);
}
END_TEST

START_TEST(key_values_json)
{
	static const uint64_t slots[] = { 0, 3 };
	struct buf b = { 0 };
	struct kv_writer w = { .b = &b, .fmt = OTLP_JSON };

	kv_str(&w, "s", "a\"b\\c\n\t\x01\x7f", 9);
	kv_int(&w, "i", -5);
	kv_uint(&w, "u", 7);
	kv_bool(&w, "b", false);
	kv_double(&w, "d", 0.25);
	kv_uint_array(&w, "h", slots, 2);
	assert_text(&b, "{\"key\":\"s\",\"value\":{\"stringValue\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\"}},"
			"{\"key\":\"i\",\"value\":{\"intValue\":\"-5\"}},"
			"{\"key\":\"u\",\"value\":{\"intValue\":\"7\"}},"
			"{\"key\":\"b\",\"value\":{\"boolValue\":false}},"
			"{\"key\":\"d\",\"value\":{\"doubleValue\":0.25}},"
			"{\"key\":\"h\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"0\"},"
			"{\"intValue\":\"3\"}]}}}");
	buf_reset(&b);
	json_put_double(&b, 1.0 / 0.0);
	json_put_double(&b, 1e-7);
	assert_text(&b, "\"Infinity\"9.9999999999999995e-08");
	buf_free(&b);
}
END_TEST

START_TEST(utf8_repaired)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "\xff", "\xef\xbf\xbd" },
		{ "\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd" },             /* overlong NUL */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* > U+10FFFF */
		{ "a\xe2\x82", "a\xef\xbf\xbd\xef\xbf\xbd" },            /* cut short */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = { 0 }, j = { 0 };
		char want[64];

		ck_assert(utf8_valid(cases[i].in, strlen(cases[i].in)) == !strcmp(cases[i].in, cases[i].out));
		pb_string(&b, 1, cases[i].in, strlen(cases[i].in));
		ck_assert_uint_eq(b.data[1], strlen(cases[i].out));
		ck_assert(!memcmp(b.data + 2, cases[i].out, strlen(cases[i].out)));
		json_put_str(&j, cases[i].in, strlen(cases[i].in));
		snprintf(want, sizeof(want), "\"%s\"", cases[i].out);
		assert_text(&j, want);
		buf_free(&b);
		buf_free(&j);
	}
}
END_TEST

/* One mfix tick event, its encoding, as the callback sees it. */
struct captured {
	struct plans plans;
	struct buf pb, json;
	uint64_t ts;
};

static int capture_cb(const struct eun_event *ev, void *cookie)
{
	struct captured *c = cookie;

	c->ts = eun_event_ts(ev);
	ck_assert_int_eq(log_record_encode(&c->plans, &c->pb, OTLP_PROTOBUF, ev, 0x0102030405060708ull), 0);
	ck_assert_int_eq(log_record_encode(&c->plans, &c->json, OTLP_JSON, ev, 72623859790382856ull), 0);
	return 0;
}

/* Append to b a KeyValue (field 6) with a short key and an AnyValue of n bytes. */
static void want_kv(struct buf *b, const char *key, const void *any, size_t n)
{
	size_t k = strlen(key);

	buf_put(b, BYTES(0x32, (uint8_t)(2 + k + 2 + n), 0x0a, (uint8_t)k));
	buf_put(b, key, k);
	buf_put(b, BYTES(0x12, (uint8_t)n));
	buf_put(b, any, n);
}

START_TEST(log_record_of_an_event)
{
	EUN_OPTS(eun_ctx_opts, copts, .plugin_path = "/nonexistent", .no_default_path = true);
	struct captured c = { 0 };
	struct buf want = { 0 };
	struct mfix_tick tick = { 0 };
	struct eun_ctx *ctx = eun_ctx_new(&copts);
	struct eun_tracker *t;
	char json[1024];

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(eun_ctx_load_plugin(ctx, EUN_TEST_METRICS_FIXTURE), 0);
	t = eun_tracker_new(ctx, MFIX_NAME, NULL);
	ck_assert_ptr_nonnull(t);
	tick.h.ts_ns = 5000;
	tick.h.type = MFIX_TICK;
	tick.h.pid = 7;
	tick.h.tid = 8;
	tick.h.uid = 9;
	str_fill(tick.h.comm, sizeof(tick.h.comm), "ab");
	tick.n = 5;
	ck_assert_int_eq(inject_with(ctx, t, &tick, sizeof(tick), capture_cb, &c), 1);

	/* time_unix_nano, severity INFO, the attributes, observed time, event_name. */
	buf_putc(&want, 0x09);
	for (int i = 0; i < 8; i++)
		buf_putc(&want, (uint8_t)(c.ts >> (8 * i)));
	buf_put(&want, BYTES(0x10, 0x09));
	want_kv(&want, "process.pid", BYTES(0x18, 7));
	want_kv(&want, "thread.id", BYTES(0x18, 8));
	want_kv(&want, "process.real_user.id", BYTES(0x18, 9));
	want_kv(&want, "process.executable.name", BYTES(0x0a, 2, 'a', 'b'));
	want_kv(&want, "eunomia.mfix.n", BYTES(0x18, 5));
	buf_put(&want, BYTES(0x59, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01));
	buf_put(&want, BYTES(0x62, 9, 'm', 'f', 'i', 'x', '.', 't', 'i', 'c', 'k'));
	assert_bytes(&c.pb, want.data, want.len);

	snprintf(json, sizeof(json), "{\"timeUnixNano\":\"%llu\",\"observedTimeUnixNano\":"
		 "\"72623859790382856\",\"severityNumber\":9,\"attributes\":["
		 "{\"key\":\"process.pid\",\"value\":{\"intValue\":\"7\"}},"
		 "{\"key\":\"thread.id\",\"value\":{\"intValue\":\"8\"}},"
		 "{\"key\":\"process.real_user.id\",\"value\":{\"intValue\":\"9\"}},"
		 "{\"key\":\"process.executable.name\",\"value\":{\"stringValue\":\"ab\"}},"
		 "{\"key\":\"eunomia.mfix.n\",\"value\":{\"intValue\":\"5\"}}],"
		 "\"eventName\":\"mfix.tick\"}", (unsigned long long)c.ts);
	assert_text(&c.json, json);
	ck_assert_uint_eq(c.plans.n, 1);
	buf_free(&want);
	buf_free(&c.pb);
	buf_free(&c.json);
	plans_free(&c.plans);
	eun_ctx_free(ctx);
}
END_TEST

/* A queue item holding text s for resource r. */
static struct qitem *item(struct resource *r, const char *s)
{
	struct qitem *it = calloc(1, sizeof(*it) + strlen(s));

	ck_assert_ptr_nonnull(it);
	it->res = r;
	it->len = strlen(s);
	memcpy(it->data, s, it->len);
	return it;
}

START_TEST(logs_request_groups_by_container)
{
	struct attr_list common = { 0 };
	struct resources t;
	EUN_OPTS(eun_container_info, ctr);
	struct resource *host, *ctr_res;
	struct qitem *a, *b, *c;
	struct buf out = { 0 };
	char want[2048];

	ck_assert_int_eq(attrs_set(&common, "service.name", "s"), 0);
	ck_assert_int_eq(attrs_set(&common, "container.name", "agent-wide"), 0);
	ck_assert_int_eq(resources_init(&t, OTLP_JSON, &common), 0);
	snprintf(ctr.id, sizeof(ctr.id), "c1");
	snprintf(ctr.runtime, sizeof(ctr.runtime), "runc");
	snprintf(ctr.name, sizeof(ctr.name), "web");
	snprintf(ctr.image, sizeof(ctr.image), "reg:5000/busybox:1.36");
	snprintf(ctr.pod_uid, sizeof(ctr.pod_uid), "p-1");
	host = resources_get(&t, NULL);
	ctr_res = resources_get(&t, &ctr);
	ck_assert_ptr_eq(resources_get(&t, &ctr), ctr_res); /* the same container: shared */
	ck_assert_uint_eq(t.count, 2);
	a = item(host, "{\"a\":1}");
	b = item(ctr_res, "{\"b\":2}");
	c = item(host, "{\"c\":3}");
	a->next = b;
	b->next = c;
	ck_assert_int_eq(logs_request_encode(&out, OTLP_JSON, a, 3), 0);
	snprintf(want, sizeof(want),
		 "{\"resourceLogs\":["
		 "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}},"
		 "{\"key\":\"container.name\",\"value\":{\"stringValue\":\"agent-wide\"}}]},"
		 "\"scopeLogs\":[{\"scope\":{\"name\":\"eunomia\",\"version\":\"%s\"},"
		 "\"logRecords\":[{\"a\":1},{\"c\":3}]}]},"
		 "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}},"
		 "{\"key\":\"container.id\",\"value\":{\"stringValue\":\"c1\"}},"
		 "{\"key\":\"container.runtime.name\",\"value\":{\"stringValue\":\"runc\"}},"
		 "{\"key\":\"container.name\",\"value\":{\"stringValue\":\"web\"}},"
		 "{\"key\":\"container.image.name\",\"value\":{\"stringValue\":\"reg:5000/busybox\"}},"
		 "{\"key\":\"k8s.pod.uid\",\"value\":{\"stringValue\":\"p-1\"}},"
		 "{\"key\":\"container.image.tags\",\"value\":{\"arrayValue\":{\"values\":"
		 "[{\"stringValue\":\"1.36\"}]}}}]},"
		 "\"scopeLogs\":[{\"scope\":{\"name\":\"eunomia\",\"version\":\"%s\"},"
		 "\"logRecords\":[{\"b\":2}]}]}]}", eun_version(), eun_version());
	assert_text(&out, want);
	free(a);
	free(b);
	free(c);
	/* Freed with the last reference. */
	resources_put(&t, ctr_res);
	resources_put(&t, ctr_res);
	ck_assert_uint_eq(t.count, 1);
	resources_put(&t, host);
	ck_assert_uint_eq(t.count, 0);
	resources_free(&t);
	attrs_free(&common);
	buf_free(&out);
}
END_TEST

START_TEST(answers)
{
	static const uint8_t pb_partial[] = { 0x0a, 0x0a, 0x08, 0x03, 0x12, 0x06, 'r', 'e', 'a', 's', 'o', 'n' };
	static const uint8_t pb_status[] = { 0x08, 0x03, 0x12, 0x04, 'o', 'o', 'p', 's', 0x1a, 0x00 };
	const char *json = " {\"partialSuccess\" : {\"errorMessage\":\"x\\\"y\\n\", \"other\":[1,{\"a\":\"]\"}],"
			   "\"rejectedLogRecords\":\"5\"}}";
	char msg[64];
	int64_t n;

	ck_assert_int_eq(response_partial(pb_partial, sizeof(pb_partial), OTLP_PROTOBUF, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(msg, "reason");
	ck_assert_int_eq(response_partial("", 0, OTLP_PROTOBUF, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(response_partial("\x0a\x09", 2, OTLP_PROTOBUF, &n, msg, sizeof(msg)), -EBADMSG);
	ck_assert_int_eq(response_partial(json, strlen(json), OTLP_JSON, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(msg, "x\"y\n");
	ck_assert_int_eq(response_partial("{\"partialSuccess\":{\"rejectedDataPoints\":7}}", 43,
					  OTLP_JSON, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(response_partial("{}", 2, OTLP_JSON, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(response_partial("", 0, OTLP_JSON, &n, msg, sizeof(msg)), 0);
	ck_assert_int_eq(response_partial("<html>", 6, OTLP_JSON, &n, msg, sizeof(msg)), -EBADMSG);
	response_status_message(pb_status, sizeof(pb_status), OTLP_PROTOBUF, msg, sizeof(msg));
	ck_assert_str_eq(msg, "oops");
	response_status_message("{\"code\":3,\"message\":\"bad\"}", 26, OTLP_JSON, msg, sizeof(msg));
	ck_assert_str_eq(msg, "bad");
	ck_assert_int_eq(response_format("application/json; charset=utf-8", OTLP_PROTOBUF), OTLP_JSON);
	ck_assert_int_eq(response_format("application/x-protobuf", OTLP_JSON), OTLP_PROTOBUF);
	ck_assert_int_eq(response_format(NULL, OTLP_JSON), OTLP_JSON);
}
END_TEST

START_TEST(gzip_round_trip)
{
	struct buf z = { 0 };
	char in[5000], out[6000];
	uLongf n = sizeof(out);
	z_stream s = { 0 };

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)('a' + i % 7);
	ck_assert_int_eq(gzip_compress(&z, in, sizeof(in)), 0);
	ck_assert_uint_lt(z.len, sizeof(in) / 4);
	ck_assert(z.data[0] == 0x1f && z.data[1] == 0x8b); /* the gzip magic */
	ck_assert_int_eq(inflateInit2(&s, 15 + 16), Z_OK);
	s.next_in = z.data;
	s.avail_in = (uInt)z.len;
	s.next_out = (Bytef *)out;
	s.avail_out = (uInt)n;
	ck_assert_int_eq(inflate(&s, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(s.total_out, sizeof(in));
	ck_assert(!memcmp(in, out, sizeof(in)));
	inflateEnd(&s);
	buf_free(&z);
}
END_TEST

START_TEST(attribute_lists)
{
	struct attr_list l = { 0 };

	ck_assert_int_eq(attrs_parse(&l, "a=1, b = two%20words ,,c=%41%2c, a=again", "T"), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(attrs_get(&l, "a"), "again");
	ck_assert_str_eq(attrs_get(&l, "b"), "two words");
	ck_assert_str_eq(attrs_get(&l, "c"), "A,");
	ck_assert_int_eq(attrs_parse(&l, "", "T"), 0);
	ck_assert_int_eq(attrs_parse(&l, "novalue", "OTEL_X"), -EINVAL);
	ck_assert_msg(strstr(eun_otlp_last_error(), "OTEL_X: 'novalue' is not KEY=VALUE"), "%s",
		      eun_otlp_last_error());
	ck_assert_int_eq(attrs_parse(&l, "=x", "T"), -EINVAL);
	ck_assert_int_eq(attrs_parse(&l, "a=%zz", "T"), -EINVAL);
	ck_assert_int_eq(attrs_parse(&l, "a=%4", "T"), -EINVAL);
	attrs_free(&l);
}
END_TEST

START_TEST(retry_rules)
{
	struct http_result r = { .retry_after_s = -1 };
	struct backoff b = { .initial_ms = 100, .max_interval_ms = 300, .max_elapsed_ms = 2000, .rand = 42 };
	static const long yes[] = { 429, 502, 503, 504 };
	static const long no[] = { 200, 400, 401, 403, 404, 408, 413, 500, 501 };
	int64_t now = 1000, lo[] = { 50, 75, 112, 150, 150 }, hi[] = { 150, 225, 338, 450, 450 };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		r.status = yes[i];
		ck_assert_msg(retry_allowed(&r), "%ld is retried", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		r.status = no[i];
		ck_assert_msg(!retry_allowed(&r), "%ld is not retried", no[i]);
	}
	r.status = 0;
	ck_assert(retry_allowed(&r));    /* connection refused, reset, timed out */
	r.permanent = true;
	ck_assert(!retry_allowed(&r));   /* a bad URL, TLS refused */

	/* Exponential, 1.5 times, +/- 50%, capped at the max interval. */
	r = (struct http_result){ .status = 503, .retry_after_s = -1 };
	backoff_start(&b, now);
	for (int i = 0; i < 5; i++) {
		int64_t w = backoff_next(&b, &r, now);

		ck_assert_msg(w >= lo[i] && w <= hi[i], "wait %d: %lld", i, (long long)w);
	}
	/* Retry-After wins, and no try after max_elapsed_ms. */
	r.retry_after_s = 1;
	ck_assert_int_eq(backoff_next(&b, &r, now), 1000);
	ck_assert_int_eq(backoff_next(&b, &r, now + 1001), -1);
	r.retry_after_s = 3;
	ck_assert_int_eq(backoff_next(&b, &r, now), -1);
}
END_TEST

/* A queue item of n bytes. */
static struct qitem *sized(size_t n, unsigned tag)
{
	struct qitem *it = calloc(1, sizeof(*it) + n);

	it->len = n;
	it->queued_ms = tag;
	return it;
}

static size_t chain_free(struct qitem *it)
{
	size_t n = 0;

	while (it) {
		struct qitem *next = it->next;

		free(it);
		it = next;
		n++;
	}
	return n;
}

START_TEST(queue_policies)
{
	struct queue q = { .max_items = 3, .max_bytes = 100, .policy = EUN_OTLP_DROP_NEWEST };
	struct qitem *dropped = NULL, *taken;
	size_t n;

	ck_assert(queue_push(&q, sized(10, 1), &dropped));
	ck_assert(queue_push(&q, sized(10, 2), &dropped));
	ck_assert(queue_push(&q, sized(10, 3), &dropped));
	ck_assert(!queue_push(&q, sized(10, 4), &dropped)); /* full by count: the new one goes */
	ck_assert_uint_eq(dropped->queued_ms, 4);
	ck_assert_uint_eq(chain_free(dropped), 1);
	dropped = NULL;
	ck_assert(!queue_push(&q, sized(101, 5), &dropped)); /* bigger than the whole queue */
	ck_assert_uint_eq(chain_free(dropped), 1);
	dropped = NULL;

	q.policy = EUN_OTLP_DROP_OLDEST;
	ck_assert(queue_push(&q, sized(75, 6), &dropped));  /* full by count: the oldest goes */
	ck_assert_uint_eq(q.items, 3);
	ck_assert_uint_eq(q.bytes, 95);
	ck_assert_uint_eq(dropped->queued_ms, 1);
	ck_assert_uint_eq(chain_free(dropped), 1);
	dropped = NULL;
	q.max_items = 10;
	ck_assert(queue_push(&q, sized(50, 7), &dropped));  /* by bytes: 10, 10 and 75 make room */
	ck_assert_uint_eq(chain_free(dropped), 3);
	dropped = NULL;
	ck_assert(!queue_push(&q, sized(200, 8), &dropped)); /* never fits: nothing evicted for it */
	ck_assert_uint_eq(q.items, 1);
	ck_assert_uint_eq(chain_free(dropped), 1);
	dropped = NULL;
	ck_assert(queue_push(&q, sized(10, 9), &dropped));
	ck_assert(queue_push(&q, sized(10, 10), &dropped));
	ck_assert_ptr_null(dropped);

	/* take: at least one, then within both limits. */
	taken = queue_take(&q, 10, 20, &n);
	ck_assert_uint_eq(n, 1);             /* 50 bytes, more than 20: still sent alone */
	ck_assert_uint_eq(taken->queued_ms, 7);
	chain_free(taken);
	taken = queue_take(&q, 10, 20, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(taken->queued_ms, 9);
	ck_assert_uint_eq(taken->next->queued_ms, 10);
	chain_free(taken);
	ck_assert_ptr_null(queue_take(&q, 10, 20, &n));
	ck_assert_uint_eq(q.items, 0);
	ck_assert_uint_eq(q.bytes, 0);
}
END_TEST

static void clear_env(void)
{
	static const char *const vars[] = {
		"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS",
		"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_COMPRESSION",
		"OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
		"OTEL_METRIC_EXPORT_INTERVAL", "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE",
		"OTEL_BLRP_SCHEDULE_DELAY", "OTEL_BLRP_MAX_QUEUE_SIZE",
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

/* config_build() refuses: the error names `part`. */
static void assert_refused(const struct eun_otlp_opts *o, const char *part)
{
	struct otlp_config c;

	ck_assert_int_eq(config_build(&c, o), -EINVAL);
	ck_assert_msg(strstr(eun_otlp_last_error(), part), "'%s' not in: %s", part, eun_otlp_last_error());
}

START_TEST(config_defaults_and_environment)
{
	struct otlp_config c;

	clear_env();
	ck_assert_int_eq(config_build(&c, NULL), 0);
	ck_assert_str_eq(c.logs_url, "http://127.0.0.1:4318/v1/logs");
	ck_assert_str_eq(c.metrics_url, "http://127.0.0.1:4318/v1/metrics");
	ck_assert_int_eq(c.fmt, OTLP_PROTOBUF);
	ck_assert(c.gzip);
	ck_assert_uint_eq(c.timeout_ms, 10000);
	ck_assert_uint_eq(c.metrics_interval_ms, 60000);
	ck_assert_uint_eq(c.batch_max_items, 1024);
	ck_assert_uint_eq(c.queue_max_items, 8192);
	ck_assert_uint_eq(c.retry_initial_ms, 5000);
	ck_assert_uint_eq(c.retry_max_interval_ms, 30000);
	ck_assert_uint_eq(c.retry_max_elapsed_ms, 300000);
	ck_assert_str_eq(attrs_get(&c.resource, "service.name"), "eunomia");
	ck_assert_ptr_nonnull(attrs_get(&c.resource, "host.name"));
	ck_assert_str_eq(attrs_get(&c.resource, "os.type"), "linux");
	config_free(&c);

	setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/base/", 1);
	setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:9/exact", 1);
	setenv("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s%3Dcret,x=1", 1);
	setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", 1);
	setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "none", 1);
	setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "2500", 1);
	setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,host.name=h1,k8s.cluster.name=c", 1);
	setenv("OTEL_METRIC_EXPORT_INTERVAL", "15000", 1);
	setenv("OTEL_BLRP_MAX_QUEUE_SIZE", "100", 1);
	ck_assert_int_eq(config_build(&c, NULL), 0);
	ck_assert_str_eq(c.logs_url, "https://collector:4318/base/v1/logs");
	ck_assert_str_eq(c.metrics_url, "http://m:9/exact");
	ck_assert_str_eq(attrs_get(&c.headers, "api-key"), "s=cret");
	ck_assert_int_eq(c.fmt, OTLP_JSON);
	ck_assert(!c.gzip);
	ck_assert_uint_eq(c.timeout_ms, 2500);
	ck_assert_uint_eq(c.metrics_interval_ms, 15000);
	ck_assert_uint_eq(c.queue_max_items, 100);
	ck_assert_str_eq(attrs_get(&c.resource, "service.name"), "from-attrs");
	ck_assert_str_eq(attrs_get(&c.resource, "host.name"), "h1");
	ck_assert_str_eq(attrs_get(&c.resource, "k8s.cluster.name"), "c");
	config_free(&c);

	/* OTEL_SERVICE_NAME wins over the attributes; options win over both. */
	setenv("OTEL_SERVICE_NAME", "from-env", 1);
	ck_assert_int_eq(config_build(&c, NULL), 0);
	ck_assert_str_eq(attrs_get(&c.resource, "service.name"), "from-env");
	config_free(&c);
	{
		EUN_OPTS(eun_otlp_opts, o, .endpoint = "http://opt:1", .service_name = "opt",
			 .protocol = EUN_OTLP_HTTP_PROTOBUF, .timeout_ms = 7,
			 .resource_attributes = "host.name=h2");
		ck_assert_int_eq(config_build(&c, &o), 0);
		ck_assert_str_eq(c.logs_url, "http://opt:1/v1/logs");
		ck_assert_str_eq(c.metrics_url, "http://opt:1/v1/metrics"); /* not the env's */
		ck_assert_str_eq(attrs_get(&c.resource, "service.name"), "opt");
		ck_assert_str_eq(attrs_get(&c.resource, "host.name"), "h2");
		ck_assert_int_eq(c.fmt, OTLP_PROTOBUF);
		ck_assert_uint_eq(c.timeout_ms, 7);
		config_free(&c);
	}
	{
		EUN_OPTS(eun_otlp_opts, o, .ignore_env = true);
		ck_assert_int_eq(config_build(&c, &o), 0);
		ck_assert_str_eq(c.logs_url, "http://127.0.0.1:4318/v1/logs");
		ck_assert_str_eq(attrs_get(&c.resource, "service.name"), "eunomia");
		ck_assert_uint_eq(c.headers.n, 0);
		config_free(&c);
	}
	clear_env();
}
END_TEST

START_TEST(config_refusals)
{
	EUN_OPTS(eun_otlp_opts, o);
	struct {
		struct eun_otlp_opts o;
		char newer[8];
	} big;

	clear_env();
	o.sz = 0;
	assert_refused(&o, "sz is 0");
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.newer[3] = 1;
	assert_refused(&big.o, "does not know");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .endpoint = "127.0.0.1:4318" };
	assert_refused(&o, "is not an http:// or https:// URL");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .endpoint = "ftp://x" };
	assert_refused(&o, "ftp://x");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .headers = "a=b%0d%0aEvil: 1" };
	assert_refused(&o, "no HTTP header may have");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .headers = "bad name=1" };
	assert_refused(&o, "no HTTP header may have");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .batch_max_bytes = 64u << 20 };
	assert_refused(&o, "batch_max_bytes");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .protocol = 9 };
	assert_refused(&o, "eun_otlp_opts.protocol");
	o = (struct eun_otlp_opts){ .sz = sizeof(o), .drop_policy = 5 };
	assert_refused(&o, "drop_policy");
	o = (struct eun_otlp_opts){ .sz = sizeof(o) };
	setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", 1);
	assert_refused(&o, "OTLP/HTTP only");
	setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift", 1);
	assert_refused(&o, "OTEL_EXPORTER_OTLP_PROTOCOL='thrift'");
	unsetenv("OTEL_EXPORTER_OTLP_PROTOCOL");
	setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "10s", 1);
	assert_refused(&o, "OTEL_EXPORTER_OTLP_TIMEOUT='10s' is not a whole number");
	unsetenv("OTEL_EXPORTER_OTLP_TIMEOUT");
	setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd", 1);
	assert_refused(&o, "OTEL_EXPORTER_OTLP_COMPRESSION='zstd'");
	unsetenv("OTEL_EXPORTER_OTLP_COMPRESSION");
	setenv("OTEL_RESOURCE_ATTRIBUTES", "justtext", 1);
	assert_refused(&o, "OTEL_RESOURCE_ATTRIBUTES");
	unsetenv("OTEL_RESOURCE_ATTRIBUTES");
	setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318", 1);
	assert_refused(&o, "OTEL_EXPORTER_OTLP_ENDPOINT 'localhost:4318'");
	/* eun_otlp_new() passes the refusal on. */
	errno = 0;
	ck_assert_ptr_null(eun_otlp_new(NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_msg(strstr(eun_otlp_last_error(), "OTEL_EXPORTER_OTLP_ENDPOINT"), "%s",
		      eun_otlp_last_error());
	clear_env();
}
END_TEST

START_TEST(severities)
{
	static const struct {
		const char *p;
		int s;
	} cases[] = {
		{ "emergency", 23 }, { "Alert", 22 }, { "CRITICAL", 21 }, { "error", 17 },
		{ "warning", 13 }, { "notice", 10 }, { "informational", 9 }, { "info", 9 },
		{ "debug", 5 }, { "warn", 0 }, { "", 0 }, { NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_int_eq(eun_otlp_severity(cases[i].p), cases[i].s);
}
END_TEST

START_TEST(public_calls_check_arguments)
{
	EUN_OPTS(eun_otlp_opts, o, .ignore_env = true, .endpoint = "http://127.0.0.1:9");
	EUN_OPTS(eun_otlp_stats, st);
	struct eun_otlp *x = eun_otlp_new(&o);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(eun_otlp_observe(x, NULL), -EINVAL);
	ck_assert_int_eq(eun_otlp_observe(NULL, NULL), -EINVAL);
	ck_assert_int_eq(eun_otlp_flush(NULL, 0), -EINVAL);
	ck_assert_int_eq(eun_otlp_stats(x, NULL), -EINVAL);
	st.sz = 0;
	ck_assert_int_eq(eun_otlp_stats(x, &st), -EINVAL);
	st.sz = sizeof(st);
	ck_assert_int_eq(eun_otlp_stats(x, &st), 0);
	ck_assert_uint_eq(st.queue_max_items, 8192);
	ck_assert_uint_eq(st.queue_max_bytes, 16u << 20);
	/* Nothing queued: the flush and the shutdown have nothing to send. */
	ck_assert_int_eq(eun_otlp_flush(x, 5000), 0);
	ck_assert_int_eq(eun_otlp_shutdown(x), 0);
	ck_assert_int_eq(eun_otlp_shutdown(x), 0);
	ck_assert_int_eq(eun_otlp_shutdown(NULL), -EINVAL);
	eun_otlp_free(x);
	eun_otlp_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("otlp_wire");
	TCase *tc = tcase_create("protobuf");

	tcase_add_test(tc, varints);
	tcase_add_test(tc, scalar_fields);
	tcase_add_test(tc, nested_lengths);
	tcase_add_test(tc, reader);
	tcase_add_test(tc, key_values_protobuf);
	tcase_add_test(tc, key_values_json);
	tcase_add_test(tc, utf8_repaired);
	tcase_add_test(tc, log_record_of_an_event);
	tcase_add_test(tc, logs_request_groups_by_container);
	tcase_add_test(tc, answers);
	tcase_add_test(tc, gzip_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("delivery");
	tcase_add_test(tc, attribute_lists);
	tcase_add_test(tc, retry_rules);
	tcase_add_test(tc, queue_policies);
	tcase_add_test(tc, config_defaults_and_environment);
	tcase_add_test(tc, config_refusals);
	tcase_add_test(tc, severities);
	tcase_add_test(tc, public_calls_check_arguments);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
