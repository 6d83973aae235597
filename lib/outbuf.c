/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output buffer with snprintf semantics: writes what fits, counts everything. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void outbuf_init(struct outbuf *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	if (size)
		buf[0] = '\0';
}

/* Bytes still free before the byte reserved for the terminating NUL. */
static size_t outbuf_room(const struct outbuf *o)
{
	return o->len + 1 < o->size ? o->size - o->len - 1 : 0;
}

static void outbuf_count(struct outbuf *o, size_t n)
{
	o->len = n > SIZE_MAX - o->len ? SIZE_MAX : o->len + n;
}

void outbuf_write(struct outbuf *o, const char *s, size_t n)
{
	size_t room = outbuf_room(o);

	if (room)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	outbuf_count(o, n);
}

void outbuf_putc(struct outbuf *o, char c)
{
	outbuf_write(o, &c, 1);
}

void outbuf_puts(struct outbuf *o, const char *s)
{
	outbuf_write(o, s, strlen(s));
}

void outbuf_printf(struct outbuf *o, const char *fmt, ...)
{
	size_t room = outbuf_room(o);
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* vsnprintf's own NUL lands on the reserved byte at worst. */
	n = room ? vsnprintf(o->buf + o->len, room + 1, fmt, ap) : vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	/* vsnprintf fails only when the text exceeds INT_MAX: make finish report it. */
	outbuf_count(o, n < 0 ? SIZE_MAX : (size_t)n);
}

int outbuf_finish(struct outbuf *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	if (o->len > INT_MAX)
		return set_error(EOVERFLOW, "output would be longer than %d bytes, "
				 "more than an int return value can report", INT_MAX);
	return (int)o->len;
}

void join_names(char *buf, size_t size, const char *(*name_at)(const void *src, size_t i),
		const void *src, size_t n, const char *if_empty)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	for (size_t i = 0; i < n; i++) {
		if (i)
			outbuf_puts(&o, ", ");
		outbuf_puts(&o, name_at(src, i));
	}
	if (!n)
		outbuf_puts(&o, if_empty);
	outbuf_finish(&o);
}
