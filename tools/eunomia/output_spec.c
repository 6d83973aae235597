/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* What one `eunomia run -o [FORMAT:]PATH` asks for. */
#include <errno.h>
#include <string.h>

#include "output_spec.h"

static const struct {
	const char *name;
	enum output_format format;
} formats[] = {
	{ "json", OUTPUT_JSON },
	{ "csv", OUTPUT_CSV },
	{ "text", OUTPUT_TEXT },
};

/* The format named by the n bytes at name. 0 or -EINVAL. */
static int format_lookup(const char *name, size_t n, enum output_format *format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strlen(formats[i].name) == n && strncmp(formats[i].name, name, n) == 0) {
			*format = formats[i].format;
			return 0;
		}
	}
	return -EINVAL;
}

int output_format_parse(const char *name, enum output_format *format)
{
	return format_lookup(name, strlen(name), format);
}

int output_spec_parse(const char *arg, struct output_spec *spec)
{
	const char *colon = strchr(arg, ':');
	const char *path = arg;

	spec->format = OUTPUT_AUTO;
	if (colon && format_lookup(arg, (size_t)(colon - arg), &spec->format) == 0) {
		path = colon + 1;
		if (!*path)
			return -EINVAL;
	}
	spec->path = strcmp(path, "-") == 0 ? NULL : path;
	return 0;
}

const char *output_spec_name(const struct output_spec *spec)
{
	return spec->path ? spec->path : "standard output";
}
