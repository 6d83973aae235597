/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A strict JSON (RFC 8259) validator for the renderer tests. */
#ifndef EUN_TEST_JSON_CHECK_H
#define EUN_TEST_JSON_CHECK_H

#include <stdbool.h>

/* True if s is exactly one valid JSON value (objects, arrays, strings with
 * valid escapes and valid UTF-8, numbers, literals), surrounded by nothing
 * but whitespace. On failure *where (if not NULL) points at the problem. */
bool json_valid(const char *s, const char **where);

#endif /* EUN_TEST_JSON_CHECK_H */
