/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A strict RFC 4180 record parser for the renderer and sink tests. */
#ifndef EUN_TEST_CSV_CHECK_H
#define EUN_TEST_CSV_CHECK_H

#include <stddef.h>

#define CSV_MAX_COLS 64

/* Parse the record at *p, up to its '\n' or the end of the string (quoted
 * cells may hold commas, doubled quotes, CR and LF; unquoted ones none of
 * them). Unquoted copies of the cells go to store, with pointers in cols.
 * Moves *p past the record and its '\n'. Returns the cell count, or -1 if
 * the record is malformed or does not fit. */
int csv_record(const char **p, char *store, size_t store_size, char **cols);

/* Index of the column called name in cols (n cells), or -1. */
int csv_col(char *const *cols, int n, const char *name);

#endif /* EUN_TEST_CSV_CHECK_H */
