/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* What one `eunomia run -o [FORMAT:]PATH` asks for. */
#ifndef EUNOMIA_CLI_OUTPUT_SPEC_H
#define EUNOMIA_CLI_OUTPUT_SPEC_H

enum output_format {
	OUTPUT_AUTO = 0, /* the -f format; without one, text on a terminal, json otherwise */
	OUTPUT_JSON,     /* one JSON object per line */
	OUTPUT_CSV,      /* a header row, then one row per event */
	OUTPUT_TEXT,     /* a header line, then one line per event for people */
};

struct output_spec {
	enum output_format format;
	const char *path; /* NULL: standard output */
};

/* Parse "json", "csv" or "text". 0 or -EINVAL. */
int output_format_parse(const char *name, enum output_format *format);

/* Parse an -o argument: "FORMAT:PATH" with FORMAT json, csv or text, or
 * just PATH (format OUTPUT_AUTO); "-" is standard output. The path points
 * into arg. 0, or -EINVAL for a FORMAT: with no path after it. */
int output_spec_parse(const char *arg, struct output_spec *spec);

/* Name of the output for messages: its path or "standard output". */
const char *output_spec_name(const struct output_spec *spec);

#endif
