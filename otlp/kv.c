/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* KeyValue and AnyValue writers (see kv.h). Field numbers are those of
 * opentelemetry/proto/common/v1/common.proto. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kv.h"
#include "pb.h"
#include "text.h"

/* KeyValue */
#define KV_KEY 1
#define KV_VALUE 2
/* AnyValue */
#define ANY_STRING 1
#define ANY_BOOL 2
#define ANY_INT 3
#define ANY_DOUBLE 4
#define ANY_ARRAY 5
/* ArrayValue */
#define ARRAY_VALUES 1

void pb_string(struct buf *b, unsigned field, const char *s, size_t n)
{
	size_t start;

	if (utf8_valid(s, n)) {
		pb_bytes(b, field, s, n);
		return;
	}
	start = pb_begin(b, field);
	utf8_put(b, s, n);
	pb_end(b, start);
}

void json_put_u64(struct buf *b, uint64_t v)
{
	buf_printf(b, "\"%" PRIu64 "\"", v);
}

void json_put_s64(struct buf *b, int64_t v)
{
	buf_printf(b, "\"%" PRId64 "\"", v);
}

void json_put_double(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "\"NaN\"");
	else if (isinf(v))
		buf_puts(b, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	else
		buf_printf(b, "%.17g", v);
}

/* The kinds of value an attribute holds. */
enum any_kind {
	ANYK_STR,
	ANYK_INT,
	ANYK_UINT,
	ANYK_BOOL,
	ANYK_DOUBLE,
};

/* One scalar value. */
struct any {
	enum any_kind kind;
	const char *s;
	size_t n;
	int64_t i;
	uint64_t u;
	double d;
};

/* Append the AnyValue of a (protobuf fields, or a JSON object). */
static void put_any(struct buf *b, enum otlp_format fmt, const struct any *a)
{
	uint64_t bits;

	if (a->kind == ANYK_UINT && a->u > INT64_MAX) {
		char digits[24];
		int n = snprintf(digits, sizeof(digits), "%" PRIu64, a->u);

		any_str(b, fmt, digits, (size_t)n);
		return;
	}
	if (fmt == OTLP_PROTOBUF) {
		switch (a->kind) {
		case ANYK_STR:
			pb_string(b, ANY_STRING, a->s, a->n);
			break;
		case ANYK_INT:
			pb_int64(b, ANY_INT, a->i);
			break;
		case ANYK_UINT:
			pb_uint(b, ANY_INT, a->u);
			break;
		case ANYK_BOOL:
			pb_uint(b, ANY_BOOL, a->u);
			break;
		case ANYK_DOUBLE:
			memcpy(&bits, &a->d, sizeof(bits));
			pb_fixed64(b, ANY_DOUBLE, bits);
			break;
		}
		return;
	}
	switch (a->kind) {
	case ANYK_STR:
		buf_puts(b, "{\"stringValue\":");
		json_put_str(b, a->s, a->n);
		break;
	case ANYK_INT:
		buf_puts(b, "{\"intValue\":");
		json_put_s64(b, a->i);
		break;
	case ANYK_UINT:
		buf_puts(b, "{\"intValue\":");
		json_put_u64(b, a->u);
		break;
	case ANYK_BOOL:
		buf_puts(b, a->u ? "{\"boolValue\":true" : "{\"boolValue\":false");
		break;
	case ANYK_DOUBLE:
		buf_puts(b, "{\"doubleValue\":");
		json_put_double(b, a->d);
		break;
	}
	buf_putc(b, '}');
}

void any_str(struct buf *b, enum otlp_format fmt, const char *s, size_t n)
{
	struct any a = { .kind = ANYK_STR, .s = s, .n = n };

	put_any(b, fmt, &a);
}

/* Start a KeyValue called key; returns what kv_close() needs. */
static size_t kv_open(struct kv_writer *w, const char *key)
{
	size_t start = 0;

	if (w->fmt == OTLP_PROTOBUF) {
		start = pb_begin(w->b, w->field);
		pb_string(w->b, KV_KEY, key, strlen(key));
	} else {
		if (w->n)
			buf_putc(w->b, ',');
		buf_puts(w->b, "{\"key\":");
		json_put_str(w->b, key, strlen(key));
		buf_puts(w->b, ",\"value\":");
	}
	w->n++;
	return start;
}

static void kv_close(struct kv_writer *w, size_t start)
{
	if (w->fmt == OTLP_PROTOBUF)
		pb_end(w->b, start);
	else
		buf_putc(w->b, '}');
}

/* A KeyValue holding the scalar a. */
static void kv_scalar(struct kv_writer *w, const char *key, const struct any *a)
{
	size_t start = kv_open(w, key), value = 0;

	if (w->fmt == OTLP_PROTOBUF)
		value = pb_begin(w->b, KV_VALUE);
	put_any(w->b, w->fmt, a);
	if (w->fmt == OTLP_PROTOBUF)
		pb_end(w->b, value);
	kv_close(w, start);
}

void kv_str(struct kv_writer *w, const char *key, const char *s, size_t n)
{
	struct any a = { .kind = ANYK_STR, .s = s, .n = n };

	kv_scalar(w, key, &a);
}

void kv_int(struct kv_writer *w, const char *key, int64_t v)
{
	struct any a = { .kind = ANYK_INT, .i = v };

	kv_scalar(w, key, &a);
}

void kv_uint(struct kv_writer *w, const char *key, uint64_t v)
{
	struct any a = { .kind = ANYK_UINT, .u = v };

	kv_scalar(w, key, &a);
}

void kv_bool(struct kv_writer *w, const char *key, bool v)
{
	struct any a = { .kind = ANYK_BOOL, .u = v };

	kv_scalar(w, key, &a);
}

void kv_double(struct kv_writer *w, const char *key, double v)
{
	struct any a = { .kind = ANYK_DOUBLE, .d = v };

	kv_scalar(w, key, &a);
}

/* A KeyValue holding an array of the n scalars that get(i) fills. */
static void kv_array(struct kv_writer *w, const char *key, size_t n,
		     void (*get)(const void *v, size_t i, struct any *a), const void *v)
{
	size_t start = kv_open(w, key), value = 0, array = 0;

	if (w->fmt == OTLP_PROTOBUF) {
		value = pb_begin(w->b, KV_VALUE);
		array = pb_begin(w->b, ANY_ARRAY);
	} else {
		buf_puts(w->b, "{\"arrayValue\":{\"values\":[");
	}
	for (size_t i = 0; i < n; i++) {
		struct any a;

		get(v, i, &a);
		if (w->fmt == OTLP_PROTOBUF) {
			size_t elem = pb_begin(w->b, ARRAY_VALUES);

			put_any(w->b, w->fmt, &a);
			pb_end(w->b, elem);
		} else {
			if (i)
				buf_putc(w->b, ',');
			put_any(w->b, w->fmt, &a);
		}
	}
	if (w->fmt == OTLP_PROTOBUF) {
		pb_end(w->b, array);
		pb_end(w->b, value);
	} else {
		buf_puts(w->b, "]}}");
	}
	kv_close(w, start);
}

static void get_uint(const void *v, size_t i, struct any *a)
{
	*a = (struct any){ .kind = ANYK_UINT, .u = ((const uint64_t *)v)[i] };
}

static void get_str(const void *v, size_t i, struct any *a)
{
	const char *s = ((const char *const *)v)[i];

	*a = (struct any){ .kind = ANYK_STR, .s = s, .n = strlen(s) };
}

void kv_uint_array(struct kv_writer *w, const char *key, const uint64_t *v, size_t n)
{
	kv_array(w, key, n, get_uint, v);
}

void kv_str_array(struct kv_writer *w, const char *key, const char *const *v, size_t n)
{
	kv_array(w, key, n, get_str, v);
}
