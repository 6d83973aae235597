/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia run`: start trackers and write their events until told to stop. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eunomia/eunomia.h>

#include "commands.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "run_metrics.h"
#include "run_opts.h"
#include "run_otlp.h"
#include "run_outputs.h"
#include "signals.h"
#include "tracker_config.h"

/* Longest single wait for events, so that the duration and signals are
 * noticed promptly. */
#define POLL_INTERVAL_MS 100

/* What one run owns. */
struct run {
	struct eun_ctx *ctx;
	struct eun_tracker **trackers; /* n_trackers, in the order given */
	size_t n_trackers;
	struct run_outputs *outs;      /* the -o outputs, attached to ctx */
	struct eun_metrics *metrics;   /* --metrics or --otlp, else NULL */
	struct eun_otlp *otlp;         /* --otlp, else NULL */
	const char **paths;            /* per tracker of the run: its BPF object file, or NULL */
};

/* Report that `action` (e.g. "start") failed for tracker `name` with err.
 * libeunomia's messages name the tracker; strerror() is the fallback. */
static void report_tracker_failure(const char *action, const char *name, int err)
{
	const char *msg = eun_last_error();

	if (msg && *msg)
		cli_error("%s", msg);
	else
		cli_error("cannot %s tracker '%s': %s", action, name, strerror(-err));
}

/* Report why eun_tracker_new() failed with err for tracker `name` (of BPF
 * object `path`, or NULL). Returns the exit status: refused configuration
 * is a usage error. */
static int report_tracker_new_error(const char *name, const char *path, int err)
{
	report_tracker_failure("create", name, err);
	if (err != -EINVAL && err != -ERANGE)
		return CLI_EXIT_RUNTIME;
	fprintf(stderr, "Try 'eunomia list %s' for its config keys.\n", path ? path : name);
	return CLI_EXIT_USAGE;
}

/* Create one tracker with its config entries. Returns the exit status (0: created). */
static int create_tracker(struct run *r, const struct run_opts *o, const char *name,
			  const char *path)
{
	struct tracker_config cfg;
	struct eun_tracker *t;
	int err;

	if (!eun_plugin_find(r->ctx, name))
		return report_unknown_tracker(r->ctx, "run", name);
	if (tracker_config_build(&cfg, o, name) < 0) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg.entries, .n_config = cfg.n_entries);
	t = eun_tracker_new(r->ctx, name, &opts);
	err = -errno;
	tracker_config_free(&cfg);
	if (!t)
		return report_tracker_new_error(name, path, err);
	r->trackers[r->n_trackers++] = t;
	return CLI_EXIT_OK;
}

/* Load the BPF objects among the trackers and name each by its tracker, so
 * that --set TRACKER.KEY finds it. Returns the exit status (0: all loaded). */
static int load_objects(struct run *r, struct run_opts *o)
{
	int code = CLI_EXIT_OK;
	bool any = false;

	r->paths = calloc(o->n_trackers, sizeof(*r->paths));
	if (!r->paths) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	for (size_t i = 0; code == CLI_EXIT_OK && i < o->n_trackers; i++) {
		if (!is_bpf_object_arg(o->trackers[i]))
			continue;
		any = true;
		r->paths[i] = o->trackers[i];
		code = bpf_object_load(r->ctx, o->trackers[i], &o->objs, &o->trackers[i]);
	}
	if (code == CLI_EXIT_OK && o->objs.any && !any)
		return usage_error("run", "--event-struct, --schema, --event-header and --attach "
				   "describe BPF objects; give one as ./FILE.bpf.o");
	if (code == CLI_EXIT_OK && run_opts_check_settings(o) != CLI_CONTINUE)
		return CLI_EXIT_USAGE;
	return code;
}

/* Create every tracker of the run. Returns the exit status (0: all created). */
static int create_trackers(struct run *r, const struct run_opts *o)
{
	int code = CLI_EXIT_OK;

	r->trackers = calloc(o->n_trackers, sizeof(*r->trackers));
	if (!r->trackers) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	for (size_t i = 0; code == CLI_EXIT_OK && i < o->n_trackers; i++)
		code = create_tracker(r, o, o->trackers[i], r->paths[i]);
	return code;
}

/* Start every tracker, several at once. Returns the exit status matching the failure. */
static int start_trackers(struct run *r)
{
	int err = eun_ctx_start_trackers(r->ctx, NULL);
	const char *failed;

	if (err >= 0)
		return CLI_EXIT_OK;
	/* The one left FAILED, or the first if a kernel check refused them all. */
	failed = eun_tracker_name(r->trackers[0]);
	for (size_t i = 0; i < r->n_trackers; i++)
		if (eun_tracker_state(r->trackers[i]) == EUN_TRACKER_FAILED) {
			failed = eun_tracker_name(r->trackers[i]);
			break;
		}
	report_tracker_failure("start", failed, err);
	return exit_code_for_start_error(err);
}

/* Milliseconds on the monotonic clock. */
static uint64_t monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

/* Deliver events until the duration (0: none) has passed, a stop signal
 * arrives or an output fails. The outputs and the metrics registry are
 * listeners of the ctx: it hands them every event and flushes them after
 * each poll. Returns the exit status of the loop
 * itself; output failures are reported when the outputs are closed. */
static int poll_until_stopped(struct run *r, double duration_s)
{
	uint64_t deadline = monotonic_ms() + (uint64_t)(duration_s * 1000.0 + 0.5);

	while (!stop_requested()) {
		int timeout = POLL_INTERVAL_MS, n;

		if (duration_s > 0) {
			uint64_t now = monotonic_ms();

			if (now >= deadline)
				break;
			if (deadline - now < POLL_INTERVAL_MS)
				timeout = (int)(deadline - now);
		}
		n = eun_ctx_poll(r->ctx, timeout);
		if (run_outputs_failed(r->outs))
			break;
		if (n == -EINTR)
			continue;
		if (n < 0) {
			cli_error("cannot read events: %s", library_error(n));
			return CLI_EXIT_RUNTIME;
		}
	}
	return CLI_EXIT_OK;
}

/* Stop every running tracker, which delivers what is still buffered.
 * Returns code, or CLI_EXIT_RUNTIME if a stop failed. */
static int stop_trackers(struct run *r, int code)
{
	for (size_t i = 0; i < r->n_trackers; i++) {
		int err;

		if (eun_tracker_state(r->trackers[i]) != EUN_TRACKER_RUNNING)
			continue;
		err = eun_tracker_stop(r->trackers[i]);
		if (err < 0) {
			report_tracker_failure("stop", eun_tracker_name(r->trackers[i]), err);
			code = CLI_EXIT_RUNTIME;
		}
	}
	return code;
}

/* Print each tracker's counters to stderr: all of them with --stats, else
 * only those of trackers that lost events. Returns code, or
 * CLI_EXIT_RUNTIME if counters could not be read. */
static int report_stats(const struct run *r, bool always, int code)
{
	for (size_t i = 0; i < r->n_trackers; i++) {
		EUN_OPTS(eun_tracker_stats, st);
		const char *name = eun_tracker_name(r->trackers[i]);
		int err = eun_tracker_stats(r->trackers[i], &st);

		if (err < 0) {
			cli_error("cannot read the counters of tracker '%s': %s",
				  name, library_error(err));
			code = CLI_EXIT_RUNTIME;
		} else if (always || st.kernel_drops || st.decode_errors) {
			fprintf(stderr, "eunomia: %s: %" PRIu64 " events, %" PRIu64
				" kernel drops, %" PRIu64 " decode errors\n",
				name, st.events, st.kernel_drops, st.decode_errors);
		}
	}
	return code;
}

/* Start the trackers, open the outputs and deliver events until the run
 * ends; then stop the trackers, which delivers what their rings still
 * hold, and write every output out whole. The outputs are opened only
 * once tracing has started, so a failed start leaves existing files as
 * they were; events wait in the rings meanwhile. Returns the exit status. */
static int trace(struct run *r, const struct run_opts *o)
{
	struct run_outputs_opts outs_opts = {
		.specs = o->outputs, .n_specs = o->n_outputs, .format = o->format,
		.trackers = r->trackers, .n_trackers = r->n_trackers,
		.rotate_bytes = o->rotate_bytes, .rotate_keep = o->rotate_keep,
	};
	int code;

	code = start_trackers(r);
	if (code != CLI_EXIT_OK)
		return code; /* eun_ctx_free() stops the trackers that did start */
	r->outs = run_outputs_open(r->ctx, &outs_opts);
	if (!r->outs)
		return CLI_EXIT_RUNTIME;
	code = poll_until_stopped(r, o->duration_s);
	code = stop_trackers(r, code);
	code = run_outputs_close(r->outs, code);
	r->outs = NULL;
	if (r->otlp) {
		if (r->metrics)
			(void)eun_metrics_refresh(r->metrics); /* the last drop counts */
		code = run_otlp_finish(r->otlp, o->stats, code);
	}
	return report_stats(r, o->stats, code);
}

/* Run the trackers named in o. Returns the exit status. */
static int run_trackers(const struct global_opts *g, struct run_opts *o)
{
	struct run r = { 0 };
	int code, err = signals_install();

	if (err < 0) {
		cli_error("cannot install signal handlers: %s", strerror(-err));
		return CLI_EXIT_RUNTIME;
	}
	r.ctx = cli_ctx_open(g, true);
	if (!r.ctx)
		return CLI_EXIT_RUNTIME;
	code = load_objects(&r, o);
	if (code == CLI_EXIT_OK)
		code = create_trackers(&r, o);
	if (code == CLI_EXIT_OK && (o->metrics_addr || o->otlp))
		code = run_metrics_start(r.ctx, o, &r.metrics);
	if (code == CLI_EXIT_OK && o->otlp)
		code = run_otlp_start(r.ctx, o, r.metrics, &r.otlp);
	if (code == CLI_EXIT_OK)
		code = trace(&r, o);
	eun_otlp_free(r.otlp); /* before the registry it exports */
	eun_metrics_free(r.metrics);
	eun_ctx_free(r.ctx);
	free(r.trackers);
	free(r.paths);
	return code;
}

/* `eunomia run`. */
int cmd_run(const struct global_opts *g, int argc, char *argv[])
{
	struct run_opts o = { 0 };
	int code = run_opts_parse(&o, argc, argv);

	if (code == CLI_CONTINUE)
		code = run_trackers(g, &o);
	run_opts_free(&o);
	return code;
}
