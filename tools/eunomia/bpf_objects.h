/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* BPF object files given to `eunomia run` and `eunomia list` in place of trackers. */
#ifndef EUNOMIA_CLI_BPF_OBJECTS_H
#define EUNOMIA_CLI_BPF_OBJECTS_H

#include <stdbool.h>

#include <eunomia/eunomia.h>

/* The options that describe the objects (they apply to each object given). */
struct bpf_object_args {
	const char *event_struct; /* --event-struct STRUCT or MAP=STRUCT[,...] */
	const char *schema;       /* --schema FILE */
	const char *event_header; /* --event-header FILE */
	enum eun_bpf_attach_policy attach; /* --attach all|available */
	bool any;                 /* one of them was given */
};

/* The long options of those four, for getopt_long (val from first). */
#define BPF_OBJECT_LONG_OPTIONS(first)                                  \
	{ "event-struct", required_argument, NULL, (first) },           \
	{ "schema", required_argument, NULL, (first) + 1 },             \
	{ "event-header", required_argument, NULL, (first) + 2 },       \
	{ "attach", required_argument, NULL, (first) + 3 }

/* Options help text of those four. */
extern const char bpf_object_options_help[];

/* Take option `which` (0..3: the order above) with its argument. Returns
 * CLI_CONTINUE or CLI_EXIT_USAGE (reported for command cmd). */
int bpf_object_arg(struct bpf_object_args *a, const char *cmd, int which, const char *arg);

/* True if a TRACKER argument names a BPF object file (it holds a '/' or
 * ends with ".o"). */
bool is_bpf_object_arg(const char *arg);

/* Load the object at path into ctx; *name gets its tracker's name (owned by
 * ctx). Returns the exit status (0: loaded), the error reported. */
int bpf_object_load(struct eun_ctx *ctx, const char *path, const struct bpf_object_args *a,
		    const char **name);

#endif
