// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* Growing arrays and text buffers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

void *sc_grow(void *v_, size_t *n, size_t *cap, size_t size)
{
	void **v = v_;
	char *p;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;

		p = realloc(*v, c * size);
		if (!p) {
			errno = ENOMEM;
			return NULL;
		}
		*v = p;
		*cap = c;
	}
	p = (char *)*v + (*n)++ * size;
	memset(p, 0, size);
	return p;
}

char *sc_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void sc_buf_printf(struct sc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

char *sc_buf_take(struct sc_buf *b)
{
	char *s = b->s;

	if (b->failed || !s) {
		free(s);
		if (!b->failed && (s = strdup("")))
			return s;
		errno = ENOMEM;
		return NULL;
	}
	b->s = NULL;
	return s;
}
