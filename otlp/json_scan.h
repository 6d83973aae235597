/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Just enough JSON reading for OTLP/JSON responses: members of objects,
 * integers (numbers or decimal strings) and strings. */
#ifndef EUNOMIA_OTLP_JSON_SCAN_H
#define EUNOMIA_OTLP_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A JSON value: the bytes from its first character to the end of the text. */
struct jv {
	const char *p, *end;
};

/* The value of member `key` of the object v. False if v is no object, has
 * no such member or is malformed before it. */
bool json_member(struct jv v, const char *key, struct jv *out);

/* v as an integer, given as a number or a string of digits (int64 in
 * OTLP/JSON). False if it is neither. */
bool json_int(struct jv v, int64_t *out);

/* v as a string into out (escapes decoded, \\u escapes as '?'), cut to
 * size - 1 bytes. False if v is no string. */
bool json_str(struct jv v, char *out, size_t size);

#endif
