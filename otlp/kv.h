/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Attributes (OTLP KeyValue lists) and AnyValue, in protobuf or JSON. */
#ifndef EUNOMIA_OTLP_KV_H
#define EUNOMIA_OTLP_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum otlp_format {
	OTLP_PROTOBUF,
	OTLP_JSON,
};

/* Writes KeyValues: in protobuf each is field `field` of the message being
 * written; in JSON each is an element of the array the caller opened. */
struct kv_writer {
	struct buf *b;
	enum otlp_format fmt;
	unsigned field;
	size_t n; /* written so far */
};

/* A string attribute (made valid UTF-8). */
void kv_str(struct kv_writer *w, const char *key, const char *s, size_t n);
/* An integer attribute. */
void kv_int(struct kv_writer *w, const char *key, int64_t v);
/* An unsigned one: an integer up to INT64_MAX, else its decimal text. */
void kv_uint(struct kv_writer *w, const char *key, uint64_t v);
void kv_bool(struct kv_writer *w, const char *key, bool v);
void kv_double(struct kv_writer *w, const char *key, double v);
/* An array of unsigned integers (as kv_uint()). */
void kv_uint_array(struct kv_writer *w, const char *key, const uint64_t *v, size_t n);
/* An array of strings. */
void kv_str_array(struct kv_writer *w, const char *key, const char *const *v, size_t n);

/* Append a string AnyValue: in protobuf its fields (the caller wraps them
 * in the field that holds it), in JSON the whole {"stringValue":...}. */
void any_str(struct buf *b, enum otlp_format fmt, const char *s, size_t n);

/* Append a protobuf string field, made valid UTF-8. */
void pb_string(struct buf *b, unsigned field, const char *s, size_t n);

/* Append v as a JSON string of its decimal digits (OTLP's 64-bit integers). */
void json_put_u64(struct buf *b, uint64_t v);
void json_put_s64(struct buf *b, int64_t v);
/* Append v as a JSON number ("NaN", "Infinity", "-Infinity" as strings). */
void json_put_double(struct buf *b, double v);

#endif
