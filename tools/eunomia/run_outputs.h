/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The outputs of `eunomia run`: one libeunomia sink per -o, attached to the run's context. */
#ifndef EUNOMIA_CLI_RUN_OUTPUTS_H
#define EUNOMIA_CLI_RUN_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/eunomia.h>

#include "output_spec.h"

struct run_outputs;

/* How to open the outputs. */
struct run_outputs_opts {
	const struct output_spec *specs; /* n_specs outputs */
	size_t n_specs;
	enum output_format format;       /* -f: for the specs without a format */
	struct eun_tracker *const *trackers; /* the run's trackers (CSV columns) */
	size_t n_trackers;
	uint64_t rotate_bytes;           /* files only; 0: no rotation */
	unsigned rotate_keep;            /* 0: the library's default */
};

/* Open every output and attach it to ctx, which then writes each event to
 * all of them. Reports a failure on stderr and returns NULL. */
struct run_outputs *run_outputs_open(struct eun_ctx *ctx, const struct run_outputs_opts *o);

/* True once an output has failed to write (reported by run_outputs_close()). */
bool run_outputs_failed(const struct run_outputs *outs);

/* Write out what every output holds, close them and free outs, reporting
 * each write error on stderr. Returns code, or CLI_EXIT_RUNTIME after a
 * write error. NULL: code. */
int run_outputs_close(struct run_outputs *outs, int code);

#endif
