/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Tracker instances: create from a plugin and config, start, stop, free, stats.
 * A stop or free asked for during a delivery (from a listener) is done when
 * the delivery ends: the ring being read must outlive the read. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static const char *plugin_name_at(const void *ctx, size_t i)
{
	return ((const struct eun_ctx *)ctx)->plugins[i]->desc->name;
}

static int add_to_ctx(struct eun_ctx *ctx, struct eun_tracker *t)
{
	struct eun_tracker **grown = realloc(ctx->trackers, (ctx->n_trackers + 1) * sizeof(*grown));

	if (!grown)
		return set_error(ENOMEM, "out of memory");
	ctx->trackers = grown;
	ctx->trackers[ctx->n_trackers++] = t;
	return 0;
}

static void remove_from_ctx(struct eun_ctx *ctx, struct eun_tracker *t)
{
	for (size_t i = 0; i < ctx->n_trackers; i++) {
		if (ctx->trackers[i] != t)
			continue;
		memmove(&ctx->trackers[i], &ctx->trackers[i + 1],
			(ctx->n_trackers - i - 1) * sizeof(*ctx->trackers));
		ctx->n_trackers--;
		return;
	}
}

/* Release what eun_tracker_new() allocated before the plugin instance exists. */
static void tracker_release(struct eun_tracker *t)
{
	config_free(t);
	free(t->decode_buf);
	free(t);
}

struct eun_tracker *eun_tracker_new(struct eun_ctx *ctx, const char *name,
				    const struct eun_tracker_opts *opts)
{
	struct eun_plugin *p;
	char names[512];

	clear_error();
	if (!ctx || !name) {
		errno = -set_error(EINVAL, "eun_tracker_new: ctx and name are required");
		return NULL;
	}
	p = (struct eun_plugin *)eun_plugin_find(ctx, name);
	if (!p) {
		join_names(names, sizeof(names), plugin_name_at, ctx, ctx->n_plugins, "none found");
		errno = -set_error(ENOENT, "unknown tracker '%s'; available: %s (plugins are searched "
				   "in EUNOMIA_PLUGIN_PATH and %s)", name, names, EUN_PLUGINDIR);
		return NULL;
	}
	return tracker_create(ctx, p, opts);
}

struct eun_tracker *tracker_create(struct eun_ctx *ctx, struct eun_plugin *p,
				   const struct eun_tracker_opts *opts)
{
	const char *name = p->desc->name;
	struct eun_tracker *t;
	int err;

	if (!OPTS_VALID(opts, eun_tracker_opts)) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		errno = -set_error(ENOMEM, "out of memory");
		return NULL;
	}
	t->ctx = ctx;
	t->plugin = p;
	t->poll_fd = -1;
	err = config_build(t, OPTS_GET(opts, config, NULL), OPTS_GET(opts, n_config, 0));
	if (!err && p->desc->decode && !(t->decode_buf = calloc(1, p->max_record)))
		err = set_error(ENOMEM, "out of memory");
	if (!err) {
		err = PLUGIN_OP(t, p->desc->create(t, &core_host, &t->state));
		if (err >= 0 && !t->state)
			err = set_error(EINVAL, "tracker '%s': create() succeeded without an instance",
					name);
		if (err < 0 && !*eun_last_error())
			set_error(-err, "tracker '%s' could not be created: %s", name, strerror(-err));
	}
	if (!err && (err = add_to_ctx(ctx, t)))
		p->desc->destroy(t->state);
	if (err < 0) {
		tracker_release(t);
		errno = -err;
		return NULL;
	}
	return t;
}

int tracker_start_check(struct eun_tracker *t)
{
	if (t->st == EUN_TRACKER_RUNNING)
		return 1;
	if (t->st == EUN_TRACKER_FAILED)
		return set_error(EINVAL, "tracker '%s' failed to start before; free it and create a new one",
				 t->plugin->desc->name);
	/* A plugin that handed the core no BPF object and reads no ring (pure
	 * user-space collect() or poll()) needs nothing from the kernel the core
	 * checks; one that reads its own BPF maps checks for itself. */
	if (t->obj || t->plugin->desc->ring_fd)
		return kernel_env_prepare(t->obj);
	return 0;
}

int tracker_start_finish(struct eun_tracker *t, int err)
{
	if (err < 0) {
		if (!*eun_last_error())
			set_error(-err, "tracker '%s' could not start: %s", t->plugin->desc->name,
				  strerror(-err));
		t->st = EUN_TRACKER_FAILED;
		return err;
	}
	if ((err = event_loop_add(t))) {
		t->plugin->desc->stop(t->state);
		t->st = EUN_TRACKER_FAILED;
		return err;
	}
	t->st = EUN_TRACKER_RUNNING;
	bus_tracker_started(&t->ctx->listeners, t);
	return 0;
}

int eun_tracker_start(struct eun_tracker *t)
{
	int err;

	clear_error();
	if ((err = tracker_start_check(t)))
		return err < 0 ? err : 0;
	return tracker_start_finish(t, PLUGIN_OP(t, t->plugin->desc->start(t->state)));
}

/* True during a delivery of t's context, when t's work must wait: mark it. */
static bool defer(struct eun_tracker *t, enum tracker_pending what)
{
	struct eun_ctx *ctx = t->ctx;

	if (!ctx->draining && !ctx->listeners.depth)
		return false;
	if (t->pending == PENDING_NONE)
		ctx->n_pending++;
	if (what > t->pending)
		t->pending = what;
	return true;
}

/* Do the pending work of the trackers from index `from` down to 0. */
static void run_pending_below(struct eun_ctx *ctx, size_t from)
{
	/* Newest first, so a free does not move the trackers still to visit. */
	for (size_t i = from; ctx->n_pending && i-- > 0;) {
		struct eun_tracker *t = ctx->trackers[i];
		enum tracker_pending what = t->pending;

		if (what == PENDING_NONE)
			continue;
		t->pending = PENDING_NONE;
		ctx->n_pending--;
		if (what == PENDING_FREE)
			eun_tracker_free(t);
		else if (eun_tracker_stop(t) < 0)
			log_msg(EUN_LOG_WARN, "%s", eun_last_error());
	}
}

void tracker_run_pending(struct eun_ctx *ctx)
{
	/* A stop delivers the rest of its ring, whose listeners may ask for
	 * more; a few passes settle it (each one does at least one tracker). */
	for (int pass = 0; ctx->n_pending && pass < 16; pass++)
		run_pending_below(ctx, ctx->n_trackers);
}

int eun_tracker_stop(struct eun_tracker *t)
{
	int err;

	clear_error();
	if (t->st != EUN_TRACKER_RUNNING || defer(t, PENDING_STOP))
		return 0;
	/* Last snapshot first, so nothing aggregated since the previous one is lost. */
	if (t->plugin->collect && (err = event_loop_collect(t)) < 0)
		log_msg(EUN_LOG_WARN, "tracker '%s': final collect: %s", t->plugin->desc->name,
			eun_last_error());
	err = PLUGIN_OP(t, t->plugin->desc->stop(t->state));
	/* Detached now: what an instance taking over must not deliver again. */
	t->detached_ns = boottime_ns();
	event_loop_remove(t);
	t->st = EUN_TRACKER_STOPPED;
	bus_tracker_stopped(&t->ctx->listeners, t);
	if (err < 0 && !*eun_last_error())
		set_error(-err, "tracker '%s' could not stop cleanly: %s", t->plugin->desc->name,
			  strerror(-err));
	return err < 0 ? err : 0;
}

void eun_tracker_free(struct eun_tracker *t)
{
	if (!t || defer(t, PENDING_FREE))
		return;
	if (t->pending != PENDING_NONE)
		t->ctx->n_pending--;
	eun_tracker_stop(t);
	t->plugin->desc->destroy(t->state);
	remove_from_ctx(t->ctx, t);
	tracker_release(t);
}

enum eun_tracker_state eun_tracker_state(const struct eun_tracker *t)
{
	return t->st;
}

const char *eun_tracker_name(const struct eun_tracker *t)
{
	return t->plugin->desc->name;
}

const struct eun_plugin *eun_tracker_plugin(const struct eun_tracker *t)
{
	return t->plugin;
}

int eun_tracker_stats(const struct eun_tracker *t, struct eun_tracker_stats *st)
{
	struct eun_tracker_stats full = {
		.sz = sizeof(full),
		.events = t->events,
		.kernel_drops = bpf_settings_read_drops(t->obj) +
				(t->plugin->kernel_drops ? t->plugin->kernel_drops(t->state) : 0),
		.decode_errors = t->decode_errors,
		.replaced_skipped = t->replaced_skipped,
	};

	clear_error();
	if (!st || st->sz < offsetof(struct eun_tracker_stats, events))
		return set_error(EINVAL, "eun_tracker_stats: st must be set up with EUN_OPTS()");
	opts_copy_out(st, &full, EUN_KNOWN_SZ(eun_tracker_stats));
	return 0;
}

int eun_tracker_inject(struct eun_tracker *t, const void *raw, size_t len)
{
	struct eun_ctx *ctx;
	int n;

	clear_error();
	if (!t || !raw)
		return set_error(EINVAL, "eun_tracker_inject: tracker and data are required");
	ctx = t->ctx;
	t->cb_status = 0;
	n = event_dispatch(t, raw, len);
	if (n >= 0 && t->cb_status < 0)
		n = t->cb_status;
	/* An outermost injection: do what its listeners asked (t may be gone). */
	if (!ctx->draining && !ctx->listeners.depth && ctx->n_pending)
		tracker_run_pending(ctx);
	return n;
}
