/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The outputs of `eunomia run`: one libeunomia sink per -o, attached to the run's context. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "run_outputs.h"

struct run_outputs {
	struct eun_sink **sinks;  /* n, in the order given */
	const char **names;       /* for messages */
	size_t n;
};

/* The library's format for spec; OUTPUT_AUTO is the -f format, and without
 * one text on a terminal, JSON otherwise (files are JSON). */
static enum eun_sink_format sink_format(const struct output_spec *spec, enum output_format fallback)
{
	enum output_format f = spec->format != OUTPUT_AUTO ? spec->format : fallback;

	if (f == OUTPUT_AUTO)
		f = !spec->path && isatty(STDOUT_FILENO) ? OUTPUT_TEXT : OUTPUT_JSON;
	return f == OUTPUT_CSV ? EUN_SINK_CSV : f == OUTPUT_TEXT ? EUN_SINK_TEXT : EUN_SINK_JSON;
}

/* Open the sink of one spec. NULL with the library's error text set. */
static struct eun_sink *sink_open(const struct output_spec *spec, const struct run_outputs_opts *o)
{
	enum eun_sink_format format = sink_format(spec, o->format);
	EUN_OPTS(eun_sink_opts, opts, .trackers = o->trackers, .n_trackers = o->n_trackers);

	if (!spec->path)
		return eun_sink_new_fd(STDOUT_FILENO, format, &opts);
	opts.rotate_bytes = o->rotate_bytes;
	opts.rotate_keep = o->rotate_keep;
	return eun_sink_new_file(spec->path, format, &opts);
}

struct run_outputs *run_outputs_open(struct eun_ctx *ctx, const struct run_outputs_opts *o)
{
	struct run_outputs *outs = calloc(1, sizeof(*outs));

	if (outs) {
		outs->sinks = calloc(o->n_specs, sizeof(*outs->sinks));
		outs->names = calloc(o->n_specs, sizeof(*outs->names));
	}
	if (!outs || !outs->sinks || !outs->names) {
		cli_error("out of memory");
		(void)run_outputs_close(outs, CLI_EXIT_RUNTIME);
		return NULL;
	}
	for (size_t i = 0; i < o->n_specs; i++) {
		struct eun_sink *s = sink_open(&o->specs[i], o);
		int err = s ? eun_ctx_add_sink(ctx, s) : -errno;

		/* The trackers are attached: a CSV or text header shows it at once
		 * rather than with the first events. */
		if (!err)
			err = eun_sink_flush(s);

		if (err < 0) {
			cli_error("%s", library_error(err));
			(void)eun_sink_free(s); /* NULL, or a sink that holds no event yet */
			(void)run_outputs_close(outs, CLI_EXIT_RUNTIME);
			return NULL;
		}
		outs->names[outs->n] = output_spec_name(&o->specs[i]);
		outs->sinks[outs->n++] = s;
	}
	return outs;
}

bool run_outputs_failed(const struct run_outputs *outs)
{
	for (size_t i = 0; i < outs->n; i++)
		if (eun_sink_error(outs->sinks[i]) < 0)
			return true;
	return false;
}

int run_outputs_close(struct run_outputs *outs, int code)
{
	if (!outs)
		return code;
	for (size_t i = 0; i < outs->n; i++) {
		int err = eun_sink_free(outs->sinks[i]);

		if (err < 0) {
			cli_error("cannot write to %s: %s", outs->names[i], strerror(-err));
			code = CLI_EXIT_RUNTIME;
		}
	}
	free(outs->sinks);
	free(outs->names);
	free(outs);
	return code;
}
