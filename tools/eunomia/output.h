/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Where and in which format `eunomia run` writes events. */
#ifndef EUNOMIA_CLI_OUTPUT_H
#define EUNOMIA_CLI_OUTPUT_H

#include <stddef.h>

#include <eunomia/eunomia.h>

enum output_format {
	OUTPUT_AUTO = 0, /* text on a terminal, json otherwise */
	OUTPUT_JSON,     /* one JSON object per line */
	OUTPUT_CSV,      /* a header row, then one row per event */
	OUTPUT_TEXT,     /* a header line, then one line per event for people */
};

struct output;

/* Parse "json", "csv" or "text". 0 or -EINVAL. */
int output_format_parse(const char *name, enum output_format *format);

/* Open path (NULL or "-": standard output) for events of the given
 * trackers. Reports a failure on stderr and returns NULL. */
struct output *output_open(const char *path, enum output_format format,
			   struct eun_tracker *const *trackers, size_t n_trackers);

/* Write the header the format starts with, if any. 0 or -errno. */
int output_write_header(struct output *out);

/* Write one event as a line. A write failure is kept (output_error())
 * and returned as -errno; an event that cannot be rendered is skipped
 * with a warning. */
int output_write_event(struct output *out, const struct eun_event *ev);

/* Push buffered lines to the file. 0 or -errno (also kept). */
int output_flush(struct output *out);

/* First write error (positive errno), 0 if none. */
int output_error(const struct output *out);

/* Name of the destination for messages: the path or "standard output". */
const char *output_name(const struct output *out);

/* Flush, close the file and free out. Returns the first write error
 * as -errno, or 0. NULL is ignored. */
int output_close(struct output *out);

#endif
