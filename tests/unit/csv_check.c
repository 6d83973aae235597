/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A strict RFC 4180 record parser (one record at a time). */
#include "csv_check.h"

#include <string.h>

/* Copy a quoted cell starting after its opening quote. 0 or -1. */
static int quoted_cell(const char **pp, char *store, size_t store_size, size_t *used)
{
	const char *p = *pp;

	for (;;) {
		if (!*p)
			return -1; /* unterminated quote */
		if (*p == '"' && p[1] == '"') {
			store[(*used)++] = '"';
			p += 2;
		} else if (*p == '"') {
			p++;
			break;
		} else {
			store[(*used)++] = *p++;
		}
		if (*used >= store_size)
			return -1;
	}
	*pp = p;
	return *p && *p != ',' && *p != '\n' ? -1 : 0; /* text after the closing quote */
}

/* Copy an unquoted cell. 0 or -1. */
static int bare_cell(const char **pp, char *store, size_t store_size, size_t *used)
{
	const char *p = *pp;

	while (*p && *p != ',' && *p != '\n') {
		if (*p == '"' || *p == '\r')
			return -1; /* must have been quoted */
		store[(*used)++] = *p++;
		if (*used >= store_size)
			return -1;
	}
	*pp = p;
	return 0;
}

int csv_record(const char **pp, char *store, size_t store_size, char **cols)
{
	const char *p = *pp;
	size_t used = 0;
	int n = 0, err;

	for (;;) {
		if (n == CSV_MAX_COLS || used >= store_size)
			return -1;
		cols[n++] = store + used;
		if (*p == '"') {
			p++;
			err = quoted_cell(&p, store, store_size, &used);
		} else {
			err = bare_cell(&p, store, store_size, &used);
		}
		if (err < 0 || used >= store_size)
			return -1;
		store[used++] = '\0';
		if (*p != ',')
			break;
		p++;
	}
	*pp = *p == '\n' ? p + 1 : p;
	return n;
}

int csv_col(char *const *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return i;
	return -1;
}
