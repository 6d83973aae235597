/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Where and in which format `eunomia run` writes events. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "linebuf.h"
#include "output.h"

struct output {
	FILE *stream;
	const char *name;       /* path, or "standard output" */
	bool owns_stream;       /* opened by us: fclose() it */
	enum output_format format;
	struct eun_csv *csv;    /* CSV layout, for OUTPUT_CSV */
	struct linebuf line;    /* rendered text of the current line */
	int err;                /* first write error (positive errno) */
	bool warned_render;     /* a render failure was reported */
};

/* Parse "json", "csv" or "text". */
int output_format_parse(const char *name, enum output_format *format)
{
	if (strcmp(name, "json") == 0)
		*format = OUTPUT_JSON;
	else if (strcmp(name, "csv") == 0)
		*format = OUTPUT_CSV;
	else if (strcmp(name, "text") == 0)
		*format = OUTPUT_TEXT;
	else
		return -EINVAL;
	return 0;
}

/* Renderer of events as JSON objects. */
static int render_json(const void *unused, const struct eun_event *ev, char *buf, size_t size)
{
	(void)unused;
	return eun_event_to_json(ev, buf, size);
}

/* Renderer of events as text lines. */
static int render_text(const void *unused, const struct eun_event *ev, char *buf, size_t size)
{
	(void)unused;
	return eun_event_to_text(ev, buf, size);
}

/* Renderer of the text header. */
static int render_text_header(const void *unused, const struct eun_event *ev, char *buf, size_t size)
{
	(void)unused;
	(void)ev;
	return eun_text_header(buf, size);
}

/* Renderer of events as CSV rows of the layout in csv. */
static int render_csv_row(const void *csv, const struct eun_event *ev, char *buf, size_t size)
{
	return eun_csv_row(csv, ev, buf, size);
}

/* Renderer of the CSV header row of the layout in csv. */
static int render_csv_header(const void *csv, const struct eun_event *ev, char *buf, size_t size)
{
	(void)ev;
	return eun_csv_header(csv, buf, size);
}

/* Remember the first write error, taken from errno. Returns it as -errno. */
static int record_write_error(struct output *out)
{
	if (!out->err)
		out->err = errno ? errno : EIO;
	return -out->err;
}

/* Render with `render` and write the text and a newline. 0 or -errno; a
 * render error is returned as is, without being kept. */
static int write_line(struct output *out, render_fn render, const void *arg,
		      const struct eun_event *ev)
{
	int len = linebuf_render(&out->line, render, arg, ev);

	if (len < 0)
		return len;
	if (out->err)
		return -out->err;
	errno = 0;
	if (fwrite(out->line.text, 1, (size_t)len, out->stream) != (size_t)len ||
	    putc('\n', out->stream) == EOF)
		return record_write_error(out);
	return 0;
}

/* Open the destination and set up the format. */
struct output *output_open(const char *path, enum output_format format,
			   struct eun_tracker *const *trackers, size_t n_trackers)
{
	struct output *out = calloc(1, sizeof(*out));

	if (!out) {
		cli_error("out of memory");
		return NULL;
	}
	if (!path || strcmp(path, "-") == 0) {
		out->stream = stdout;
		out->name = "standard output";
	} else {
		out->stream = fopen(path, "w");
		out->name = path;
		out->owns_stream = true;
		if (!out->stream) {
			cli_error("cannot open '%s' for writing: %s", path, strerror(errno));
			free(out);
			return NULL;
		}
	}
	if (format == OUTPUT_AUTO)
		format = isatty(fileno(out->stream)) ? OUTPUT_TEXT : OUTPUT_JSON;
	out->format = format;
	if (format == OUTPUT_CSV) {
		out->csv = eun_csv_new(trackers, n_trackers);
		if (!out->csv) {
			cli_error("cannot set up CSV output: %s", library_error(-errno));
			(void)output_close(out); /* nothing written yet */
			return NULL;
		}
	}
	return out;
}

/* Write the header the format starts with, if any. */
int output_write_header(struct output *out)
{
	int err = 0;

	if (out->format == OUTPUT_TEXT)
		err = write_line(out, render_text_header, NULL, NULL);
	else if (out->format == OUTPUT_CSV)
		err = write_line(out, render_csv_header, out->csv, NULL);
	if (err < 0 && !out->err)
		cli_error("cannot render the output header: %s", library_error(err));
	return err;
}

/* Write one event as a line; skip it with a warning if it cannot be rendered. */
int output_write_event(struct output *out, const struct eun_event *ev)
{
	int err;

	switch (out->format) {
	case OUTPUT_CSV:
		err = write_line(out, render_csv_row, out->csv, ev);
		break;
	case OUTPUT_TEXT:
		err = write_line(out, render_text, NULL, ev);
		break;
	default:
		err = write_line(out, render_json, NULL, ev);
		break;
	}
	if (err == 0 || out->err)
		return err;
	if (!out->warned_render) {
		cli_warning("cannot render a '%s' event of tracker '%s' (%s); events that cannot be rendered are skipped",
			    eun_event_type_name(ev), eun_event_tracker_name(ev), library_error(err));
		out->warned_render = true;
	}
	return 0;
}

/* Push buffered lines to the file. */
int output_flush(struct output *out)
{
	if (out->err)
		return -out->err;
	errno = 0;
	if (fflush(out->stream) != 0)
		return record_write_error(out);
	return 0;
}

/* First write error (positive errno), 0 if none. */
int output_error(const struct output *out)
{
	return out->err;
}

/* Name of the destination for messages. */
const char *output_name(const struct output *out)
{
	return out->name;
}

/* Flush, close the file and free out. */
int output_close(struct output *out)
{
	int err;

	if (!out)
		return 0;
	(void)output_flush(out); /* a failure is kept in out->err */
	if (out->owns_stream && fclose(out->stream) != 0)
		record_write_error(out);
	err = out->err;
	eun_csv_free(out->csv);
	linebuf_free(&out->line);
	free(out);
	return -err;
}
