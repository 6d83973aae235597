/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The daemon's outputs: library sinks attached to its context, each with an
 * id. Created, reconfigured and removed between polls, so none of them
 * misses or repeats an event. The context's thread only. */
#ifndef EUNOMIA_SERVE_OUTPUTS_H
#define EUNOMIA_SERVE_OUTPUTS_H

#include <jansson.h>

#include "serve.h"

struct output {
	char id[16];
	char *format;          /* json, csv or text */
	char *path;            /* a file, or "-" for the daemon's standard output */
	uint64_t rotate_bytes; /* 0: no rotation */
	unsigned rotate_keep;
	bool append;
	struct eun_sink *sink;
};

/* What an output is asked to be. */
struct output_spec_api {
	const char *format, *path;
	uint64_t rotate_bytes;
	unsigned rotate_keep;
	bool append;
};

/* Open and attach an output. 0 with *out set, or -1 with e set. */
int output_create(struct serve *s, const struct output_spec_api *spec, struct output **out,
		  struct serve_err *e);

/* Reopen o's file with new rotation settings (appending). 0 or -1 with e set. */
int output_reconfigure(struct serve *s, struct output *o, uint64_t rotate_bytes,
		       unsigned rotate_keep, struct serve_err *e);

/* Detach, write out and close; forget it. Returns the sink's first write error or 0. */
int output_remove(struct serve *s, struct output *o);

struct output *output_find(struct serve *s, const char *id);

/* {id, format, path, rotate_size, rotate_keep, append, error}. */
json_t *output_json(const struct output *o);

#endif
