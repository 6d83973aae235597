/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The rule engine's memory: an arena freed with the ruleset, growing strings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

/* Bytes of a block, unless one allocation needs more. */
#define BLOCK_BYTES (64u * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!n)
		n = 16;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_BYTES ? n : BLOCK_BYTES;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = arena_alloc(a, (size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}

int ptr_push(void ***arr, size_t *n, void *p)
{
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4...: full, double it */
		void **bigger = realloc(*arr, (*n ? *n * 2 : 1) * sizeof(void *));

		if (!bigger)
			return -ENOMEM;
		*arr = bigger;
	}
	(*arr)[(*n)++] = p;
	return 0;
}

/* Room for n more bytes and the NUL. */
static bool sb_reserve(struct strbuf *sb, size_t n)
{
	size_t cap;
	char *bigger;

	if (sb->failed)
		return false;
	if (sb->cap - sb->len > n)
		return true;
	cap = sb->cap ? sb->cap : 256;
	while (cap - sb->len <= n)
		cap *= 2;
	bigger = realloc(sb->buf, cap);
	if (!bigger) {
		sb->failed = true;
		return false;
	}
	sb->buf = bigger;
	sb->cap = cap;
	return true;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	mem_copy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_json_str(struct strbuf *sb, const char *s, size_t n)
{
	struct outbuf o;
	size_t need;

	outbuf_init(&o, NULL, 0); /* measure, then write */
	json_put_string(&o, s, n);
	need = o.len;
	if (!sb_reserve(sb, need))
		return;
	outbuf_init(&o, sb->buf + sb->len, need + 1);
	json_put_string(&o, s, n);
	sb->len += need;
	sb->buf[sb->len] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}
