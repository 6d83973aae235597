/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A growing buffer for renderers with snprintf semantics. */
#ifndef EUNOMIA_CLI_LINEBUF_H
#define EUNOMIA_CLI_LINEBUF_H

#include <stddef.h>

#include <eunomia/eunomia.h>

/* A renderer: writes the text for ev (NULL for a header) into buf with
 * snprintf semantics, given its own argument. Length needed, or -errno. */
typedef int (*render_fn)(const void *arg, const struct eun_event *ev, char *buf, size_t size);

struct linebuf {
	char *text;      /* NUL-terminated output of the last render */
	size_t capacity; /* bytes allocated for text */
};

/* Render into lb, growing it until the whole text fits. Returns the
 * length (lb->text holds the text) or -errno. */
int linebuf_render(struct linebuf *lb, render_fn render, const void *arg,
		   const struct eun_event *ev);

/* Free the buffer; lb can be used again. */
void linebuf_free(struct linebuf *lb);

#endif
