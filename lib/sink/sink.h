/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks: rendered lines to an fd or a rotated file, attached to a
 * context as listeners. Above the core and the renderers; the private state
 * shared by lib/sink/; never installed. */
#ifndef EUNOMIA_SINK_H
#define EUNOMIA_SINK_H

#include "render/render.h"

struct eun_sink {
	enum eun_sink_format format;
	struct eun_csv *csv;     /* column layout of a CSV sink */
	char *header;            /* header line with its newline, NULL if none */
	size_t header_len;

	/* Target. */
	int fd;                  /* -1 after a failed rotation */
	bool owns_fd;            /* opened from path: close it */
	char *path;              /* file sinks; NULL for fd sinks */
	char *name;              /* path, or "fd N", for messages */
	uint64_t rotate_bytes;   /* 0: never rotate */
	unsigned rotate_keep;    /* rotated files kept: path.1 ... path.N */
	uint64_t file_bytes;     /* size of the current file, buffered bytes included */
	uint64_t file_lines;     /* event lines in the current file, buffered included */

	/* Complete lines not written yet. */
	char *buf;
	size_t buf_len, buf_cap;

	/* Scratch for rendering one line. */
	char *line;
	size_t line_cap;

	int err;                 /* first write error (positive errno), 0 if none */
	struct eun_ctx *ctx;     /* context the sink is attached to, or NULL */
	struct eun_listener *listener; /* its listener on that context */
};

/* ---- target I/O (sink_file.c) ---- */

/* Open (create, truncate or append) the file of a file sink and set
 * file_bytes to its current size. 0 or -errno with the error text set. */
EUN_HIDDEN int sink_file_open(struct eun_sink *s, bool append);
/* Write all n bytes (whole lines) to the sink's fd, retrying short
 * writes and EINTR, waiting out EAGAIN. On failure, a line cut short in
 * the sink's own file is removed from it. 0 or -errno (error text set,
 * naming the sink). */
EUN_HIDDEN int sink_write_all(struct eun_sink *s, const char *data, size_t n);
/* Close the current file, shift path -> path.1 -> ... -> path.N (dropping
 * the oldest) and open a fresh, empty path. 0 or -errno. */
EUN_HIDDEN int sink_file_rotate(struct eun_sink *s);

/* ---- lines (sink_write.c) ---- */

/* Render the format's header line into s->header (JSON and no_header: none). 0 or -errno. */
EUN_HIDDEN int sink_render_header(struct eun_sink *s);
/* Append the header line (if any) to the buffer. 0 or -errno. */
EUN_HIDDEN int sink_put_header(struct eun_sink *s);
/* eun_sink_write() without the argument checks; leaves the error text
 * alone unless it fails. 0 or -errno. */
EUN_HIDDEN int sink_write_event(struct eun_sink *s, const struct eun_event *ev);
/* Write the buffered lines out. 0 or -errno (kept in s->err). */
EUN_HIDDEN int sink_drain(struct eun_sink *s);
/* Detach from the ctx the sink is attached to (sink_ctx.c). */
EUN_HIDDEN void sink_detach(struct eun_sink *s);

#endif /* EUNOMIA_SINK_H */
