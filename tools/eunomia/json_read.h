/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A small, strict JSON reader (RFC 8259) for the JSON lines eunomia writes:
 * one value per text, no trailing garbage, no duplicate keys, no control
 * characters in strings, nesting at most JSON_MAX_DEPTH deep. One
 * deviation, for round trips of eunomia's own output: \u0080 to \u00ff
 * stand for that single byte, which is how eunomia escapes the bytes of
 * invalid UTF-8 (a valid U+0080..U+00FF is written unescaped).
 */
#ifndef EUNOMIA_CLI_JSON_READ_H
#define EUNOMIA_CLI_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32

enum json_type {
	JSON_NULL = 0,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_member;

struct json_value {
	enum json_type type;
	bool b;                       /* JSON_BOOL */
	char *str;                    /* JSON_STRING: decoded, NUL-terminated; JSON_NUMBER: its text */
	size_t len;
	struct json_value *items;     /* JSON_ARRAY */
	struct json_member *members;  /* JSON_OBJECT */
	size_t n;                     /* items or members */
};

struct json_member {
	char *key;
	size_t key_len;
	struct json_value value;
};

/* Parse len bytes holding exactly one JSON value into *out. 0, or -1 with
 * a message naming the byte offset in err. */
int json_parse(const char *text, size_t len, struct json_value *out, char *err, size_t err_size);

/* Free what json_parse() allocated in v. */
void json_free(struct json_value *v);

/* Member key of object obj, or NULL. */
const struct json_value *json_get(const struct json_value *obj, const char *key);

/* Name of a type for messages: "a string", "a number"... */
const char *json_type_name(enum json_type t);

#endif
