/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The string pool of the symbol tables (see sym_tables.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/sym_tables.h"

long name_pool_add(struct name_pool *pool, const char *s, size_t len)
{
	size_t at = pool->len;

	if (at + len + 1 > pool->cap) {
		size_t cap = pool->cap ? pool->cap * 2 : pool->first_cap;
		char *p;

		while (cap < at + len + 1)
			cap *= 2;
		p = realloc(pool->buf, cap);
		if (!p)
			return -ENOMEM;
		pool->buf = p;
		pool->cap = cap;
	}
	memcpy(pool->buf + at, s, len);
	pool->buf[at + len] = '\0';
	pool->len = at + len + 1;
	return (long)at;
}
