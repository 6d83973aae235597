/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia serve`: boot the context (audit tracker, streams, metrics, the
 * configured trackers and outputs), serve the API, and turn the context's
 * loop (events, then jobs) until SIGINT/SIGTERM; then answer the waiting
 * jobs, stop the trackers (their last events reach the outputs), close
 * everything. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../commands.h"
#include "../ctx_open.h"
#include "../diag.h"
#include "../exit_codes.h"
#include "../signals.h"
#include "audit.h"
#include "auth.h"
#include "http.h"
#include "instances.h"
#include "jobs.h"
#include "outputs.h"
#include "plugin_store.h"
#include "serve_opts.h"
#include "stream_ring.h"

/* Longest the shutdown waits for jobs under way (e.g. a hot update). */
#define DRAIN_JOBS_MS 10000

static int boot_error(const char *what, const struct serve_err *e)
{
	cli_error("%s: %s%s%s", what, e->message, e->hint ? "; " : "", e->hint ? e->hint : "");
	if (e->errnum)
		return exit_code_for_start_error(e->errnum);
	return e->status == 400 || e->status == 404 ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
}

static int start_metrics(struct serve *s)
{
	const struct serve_config *c = s->cfg;
	EUN_OPTS(eun_metrics_opts, mo, .label_fields = (const char *const *)c->metrics_labels,
		 .n_label_fields = c->n_metrics_labels);

	s->metrics = eun_metrics_new(s->ctx, &mo);
	if (!s->metrics || eun_metrics_attach(s->metrics) < 0) {
		cli_error("metrics: %s", eun_last_error());
		return CLI_EXIT_USAGE;
	}
	if (c->metrics_addr && eun_metrics_serve(s->metrics, c->metrics_addr) < 0) {
		cli_error("%s", eun_last_error());
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/* An upload of an earlier run: loaded as the version found by name. */
static void load_stored(void *cookie, const char *path)
{
	struct serve *s = cookie;
	char real[PATH_MAX];
	const struct eun_plugin *p;

	/* By the file's own path, as an upload names it, not the link's. */
	if (!realpath(path, real) || !(p = eun_ctx_load_plugin_update(s->ctx, real)))
		cli_warning("uploaded plugin %s is not loaded: %s", path, eun_last_error());
	else
		fprintf(stderr, "eunomia serve: loaded the uploaded %s %s\n", eun_plugin_name(p),
			eun_plugin_version(p) ? eun_plugin_version(p) : "");
}

static int boot(struct serve *s)
{
	const struct serve_config *c = s->cfg;
	struct instance *in;
	struct output *o;
	struct serve_err e;
	int code;

	if (audit_register(s->ctx) < 0 ||
	    instance_create(s, NULL, AUDIT_TRACKER, NULL, 0, true, &s->audit, &e)) {
		cli_error("cannot start the audit tracker: %s", eun_last_error());
		return CLI_EXIT_RUNTIME;
	}
	if (c->stream_buffer_events &&
	    !(s->ring = stream_ring_new(s->ctx, c->stream_buffer_events, c->stream_buffer_bytes,
					c->max_streams, instance_id_of, s))) {
		cli_error("cannot set up the event streams: %s", eun_last_error());
		return CLI_EXIT_RUNTIME;
	}
	plugin_store_each_current(s->store, load_stored, s);
	if ((code = start_metrics(s)))
		return code;
	for (size_t i = 0; i < c->n_trackers; i++)
		if (instance_create(s, NULL, c->trackers[i].name, c->trackers[i].config,
				    c->trackers[i].n_config, false, &in, &e))
			return boot_error(c->trackers[i].name, &e);
	for (size_t i = 0; i < c->n_outputs; i++) {
		struct output_spec_api spec = { .format = c->outputs[i].format,
						.path = c->outputs[i].path,
						.rotate_bytes = !strcmp(c->outputs[i].path, "-") ? 0
							       : c->rotate_bytes,
						.rotate_keep = !strcmp(c->outputs[i].path, "-") ? 0
							      : c->rotate_keep };

		if (output_create(s, &spec, &o, &e))
			return boot_error(c->outputs[i].path, &e);
	}
	return CLI_EXIT_OK;
}

/* One turn: wait for events or jobs (not while a job has steps left),
 * deliver the events, run one step of each job. The jobs left. */
static unsigned turn(struct serve *s, unsigned pending)
{
	struct pollfd pfd[2] = {
		{ .fd = eun_ctx_fd(s->ctx), .events = POLLIN },
		{ .fd = jobs_fd(s->jobs), .events = POLLIN },
	};
	int n;
	unsigned left;

	poll(pfd, 2, pending ? 0 : (int)eun_ctx_max_latency_ms(s->ctx));
	n = eun_ctx_consume(s->ctx);
	if (n < 0 && n != -EINTR)
		ratelog(&s->log, "reading events: %s", eun_last_error());
	atomic_store(&s->loop_ms, serve_now_ms());
	left = jobs_run(s->jobs);
	if (s->ring)
		stream_ring_tick(s->ring);
	return left;
}

static void shutdown_all(struct serve *s)
{
	int64_t deadline = serve_now_ms() + DRAIN_JOBS_MS;

	atomic_store(&s->stopping, true);
	if (s->jobs) {
		http_quiesce(s);
		jobs_close(s->jobs);
		unsigned left = turn(s, 0);

		while (left && serve_now_ms() < deadline)
			left = turn(s, left);
		turn(s, 0);
	}
	http_stop(s);
	/* Stopped first: their last events reach the outputs. */
	for (size_t i = 0; i < s->n_inst; i++)
		eun_tracker_stop(s->inst[i]->t);
	eun_ctx_consume(s->ctx);
	while (s->n_outs)
		if (output_remove(s, s->outs[s->n_outs - 1]) < 0)
			cli_warning("an output had a write error");
	while (s->n_inst)
		instance_remove(s, s->inst[s->n_inst - 1]);
	eun_metrics_free(s->metrics);
	stream_ring_free(s->ring);
	eun_ctx_free(s->ctx);
	jobs_free(s->jobs);
	plugin_store_free(s->store);
	tokens_free(s->tokens);
	free(s->inst);
	free(s->outs);
	free(s->pstatus);
}

static int serve_run(const struct global_opts *g, const struct serve_config *c)
{
	struct serve s = { .cfg = c };
	char err[768];
	int code = CLI_EXIT_OK, rc;

	if ((rc = signals_install()) < 0) {
		cli_error("cannot install signal handlers: %s", strerror(-rc));
		return CLI_EXIT_RUNTIME;
	}
	if (sodium_init() < 0) {
		cli_error("libsodium failed to initialise");
		return CLI_EXIT_RUNTIME;
	}
	ratelog_init(&s.log, c->log_burst);
	if (c->tokens_file && tokens_load(c->tokens_file, &s.tokens, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		return CLI_EXIT_USAGE;
	}
	if (plugin_store_open(c->state_dir, c->trusted_keys_file, &s.store, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		tokens_free(s.tokens);
		return CLI_EXIT_USAGE;
	}
	s.ctx = cli_ctx_open(g, true);
	if (!s.ctx) {
		plugin_store_free(s.store);
		tokens_free(s.tokens);
		return CLI_EXIT_RUNTIME;
	}
	atomic_store(&s.loop_ms, serve_now_ms());
	code = boot(&s);
	if (code == CLI_EXIT_OK && !(s.jobs = jobs_new())) {
		cli_error("out of memory");
		code = CLI_EXIT_RUNTIME;
	}
	if (code == CLI_EXIT_OK && (rc = http_start(&s, err, sizeof(err))) < 0) {
		cli_error("%s", err);
		code = rc == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	if (code == CLI_EXIT_OK) {
		atomic_store(&s.ready, true);
		fprintf(stderr, "eunomia serve: ready (%zu tracker(s), %zu output(s))\n",
			s.n_inst - 1, s.n_outs);
		unsigned left = 0;

		while (!stop_requested())
			left = turn(&s, left);
		fprintf(stderr, "eunomia serve: stopping\n");
	}
	shutdown_all(&s);
	return code;
}

int cmd_serve(const struct global_opts *g, int argc, char *argv[])
{
	struct serve_config c;
	char err[768];
	int code;

	serve_config_init(&c);
	code = serve_opts_parse(&c, argc, argv);
	if (code == CLI_CONTINUE) {
		if (serve_config_validate(&c, err, sizeof(err)) < 0)
			code = usage_error("serve", "%s", err);
		else
			code = serve_run(g, &c);
	}
	serve_config_free(&c);
	return code;
}
