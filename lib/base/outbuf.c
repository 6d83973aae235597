/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output buffer with snprintf semantics: writes what fits, counts everything. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"

void outbuf_init(struct outbuf *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	if (size)
		buf[0] = '\0';
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

void outbuf_u64(struct outbuf *o, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char digits[20]; /* UINT64_MAX has 20 */
	size_t n = sizeof(digits);

	/* Two digits per division: half the (slow) 64-bit divisions. */
	while (v >= 100) {
		size_t p = (size_t)(v % 100) * 2;

		v /= 100;
		digits[--n] = pairs[p + 1];
		digits[--n] = pairs[p];
	}
	if (v >= 10) {
		digits[--n] = pairs[v * 2 + 1];
		digits[--n] = pairs[v * 2];
	} else {
		digits[--n] = (char)('0' + v);
	}
	outbuf_write(o, digits + n, sizeof(digits) - n);
}

void outbuf_s64(struct outbuf *o, int64_t v)
{
	if (v < 0) {
		outbuf_putc(o, '-');
		outbuf_u64(o, 0 - (uint64_t)v); /* also right for INT64_MIN */
	} else {
		outbuf_u64(o, (uint64_t)v);
	}
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
