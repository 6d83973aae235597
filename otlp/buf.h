/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A growable byte buffer whose allocation failure is sticky: callers write
 * freely and check `oom` once at the end. */
#ifndef EUNOMIA_OTLP_BUF_H
#define EUNOMIA_OTLP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len, cap;
	bool oom; /* an allocation failed: the content is incomplete */
};

/* Free the buffer's memory and zero it. */
void buf_free(struct buf *b);

/* Make room for `more` bytes past len. False (and oom set) on ENOMEM. */
bool buf_reserve(struct buf *b, size_t more);

/* Append n bytes. */
void buf_put(struct buf *b, const void *p, size_t n);

/* Append one byte. */
static inline void buf_putc(struct buf *b, uint8_t c)
{
	if (b->len < b->cap || buf_reserve(b, 1))
		b->data[b->len++] = c;
}

/* Append a NUL-terminated string (without its NUL). */
void buf_puts(struct buf *b, const char *s);

/* Append formatted text (without a NUL). */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty the buffer, keeping its memory and clearing oom. */
static inline void buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = false;
}

#endif
