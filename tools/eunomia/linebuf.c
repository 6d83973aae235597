/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A growing buffer for renderers with snprintf semantics. */
#include <errno.h>
#include <stdlib.h>

#include "linebuf.h"

/* Size of the first allocation; most events fit. */
#define LINEBUF_INITIAL_CAPACITY 4096

/* Make room for at least `needed` bytes. 0 or -ENOMEM. */
static int linebuf_reserve(struct linebuf *lb, size_t needed)
{
	size_t capacity = lb->capacity ? lb->capacity : LINEBUF_INITIAL_CAPACITY;
	char *grown;

	while (capacity < needed)
		capacity *= 2;
	if (capacity == lb->capacity)
		return 0;
	grown = realloc(lb->text, capacity);
	if (!grown)
		return -ENOMEM;
	lb->text = grown;
	lb->capacity = capacity;
	return 0;
}

/* Render into lb, growing it until the whole text fits. */
int linebuf_render(struct linebuf *lb, render_fn render, const void *arg,
		   const struct eun_event *ev)
{
	size_t needed = 1;

	for (;;) {
		int err = linebuf_reserve(lb, needed);
		int len;

		if (err < 0)
			return err;
		len = render(arg, ev, lb->text, lb->capacity);
		if (len < 0)
			return len;
		if ((size_t)len < lb->capacity)
			return len;
		needed = (size_t)len + 1;
	}
}

/* Free the buffer. */
void linebuf_free(struct linebuf *lb)
{
	free(lb->text);
	lb->text = NULL;
	lb->capacity = 0;
}
