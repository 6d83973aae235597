/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Output sinks: render events into whole lines, buffer them, write the
 * buffer out and rotate the file between lines. Only complete lines ever
 * enter the buffer and the buffer is always written whole, so a line is
 * never split between two writes' worth of buffering, nor between files.
 */
#include <stdlib.h>
#include <string.h>

#include "sink/sink.h"

/* Render ev (NULL: the header) with the sink's format into s->line,
 * growing it until the text fits. Length, or -errno. */
static int render_line(struct eun_sink *s, const struct eun_event *ev)
{
	for (;;) {
		char *grown;
		int n;

		switch (s->format) {
		case EUN_SINK_CSV:
			n = ev ? eun_csv_row(s->csv, ev, s->line, s->line_cap)
			       : eun_csv_header(s->csv, s->line, s->line_cap);
			break;
		case EUN_SINK_TEXT:
			n = ev ? eun_event_to_text(ev, s->line, s->line_cap)
			       : eun_text_header(s->line, s->line_cap);
			break;
		default:
			n = ev ? eun_event_to_json(ev, s->line, s->line_cap) : 0;
			break;
		}
		if (n < 0 || (size_t)n < s->line_cap)
			return n;
		/* Room for the text and its NUL, which eun_sink_write() turns into '\n'. */
		grown = realloc(s->line, (size_t)n + 1);

		if (!grown)
			return set_error(ENOMEM, "out of memory rendering a %d-byte line for output %s",
					 n, s->name);
		s->line = grown;
		s->line_cap = (size_t)n + 1;
	}
}

int sink_render_header(struct eun_sink *s)
{
	int n;

	if (s->format == EUN_SINK_JSON)
		return 0;
	n = render_line(s, NULL);
	if (n < 0)
		return n;
	s->header = malloc((size_t)n + 1);
	if (!s->header)
		return set_error(ENOMEM, "out of memory for the header line of output %s", s->name);
	memcpy(s->header, s->line, (size_t)n);
	s->header[n] = '\n';
	s->header_len = (size_t)n + 1;
	return 0;
}

/* Remember the first write error; every later write returns it. */
static int keep_error(struct eun_sink *s, int err)
{
	if (!s->err)
		s->err = -err;
	return err;
}

int sink_drain(struct eun_sink *s)
{
	int err;

	if (s->err)
		return -s->err;
	if (!s->buf_len)
		return 0;
	err = sink_write_all(s, s->buf, s->buf_len);
	/* Written, or lost with the error kept: either way the lines are gone. */
	s->buf_len = 0;
	return err ? keep_error(s, err) : 0;
}

/* Append one line (text ends with its '\n') to the buffer, writing the
 * buffer out first if it has no room, or the line directly if it is
 * larger than the whole buffer. 0 or -errno (kept). */
static int put_line(struct eun_sink *s, const char *text, size_t len)
{
	int err;

	if (s->buf_len + len > s->buf_cap && (err = sink_drain(s)) < 0)
		return err;
	s->file_bytes += len;
	if (len > s->buf_cap)
		return (err = sink_write_all(s, text, len)) < 0 ? keep_error(s, err) : 0;
	memcpy(s->buf + s->buf_len, text, len);
	s->buf_len += len;
	return 0;
}

int sink_put_header(struct eun_sink *s)
{
	return s->header ? put_line(s, s->header, s->header_len) : 0;
}

/* Start a new file if a line of len bytes would take the current one, which
 * already holds lines, past rotate_bytes. 0 or -errno (kept). */
static int rotate_if_full(struct eun_sink *s, size_t len)
{
	int err;

	if (!s->rotate_bytes || !s->file_lines || s->file_bytes + len <= s->rotate_bytes)
		return 0;
	if ((err = sink_drain(s)) < 0)
		return err;
	if ((err = sink_file_rotate(s)) < 0)
		return keep_error(s, err);
	return sink_put_header(s);
}

int sink_write_event(struct eun_sink *s, const struct eun_event *ev)
{
	int n, err;

	if (s->err)
		return -s->err;
	n = render_line(s, ev);
	if (n < 0)
		return n;
	s->line[n] = '\n';
	if ((err = rotate_if_full(s, (size_t)n + 1)) < 0)
		return err;
	if ((err = put_line(s, s->line, (size_t)n + 1)) < 0)
		return err;
	s->file_lines++;
	return 0;
}

int eun_sink_write(struct eun_sink *s, const struct eun_event *ev)
{
	clear_error();
	if (!s || !ev)
		return set_error(EINVAL, "eun_sink_write: sink and ev must not be NULL");
	if (s->err)
		return set_error(s->err, "output %s failed earlier (%s); its later lines are dropped",
				 s->name, strerror(s->err));
	return sink_write_event(s, ev);
}

int eun_sink_flush(struct eun_sink *s)
{
	clear_error();
	if (!s)
		return set_error(EINVAL, "eun_sink_flush: sink must not be NULL");
	if (s->err)
		return set_error(s->err, "output %s failed earlier: %s", s->name, strerror(s->err));
	return sink_drain(s);
}

int eun_sink_error(const struct eun_sink *s)
{
	return s && s->err ? -s->err : 0;
}
