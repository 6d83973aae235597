/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text as OTLP needs it: valid UTF-8 (protobuf strings must be), and JSON
 * strings. */
#ifndef EUNOMIA_OTLP_TEXT_H
#define EUNOMIA_OTLP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* True if the n bytes at s are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

/* Append the n bytes at s with each byte of an ill-formed sequence
 * replaced by U+FFFD. */
void utf8_put(struct buf *b, const char *s, size_t n);

/* Append s as a JSON string, quotes included: well-formed UTF-8, '"', '\'
 * and control characters escaped. */
void json_put_str(struct buf *b, const char *s, size_t n);

#endif
