/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The context: its plugins and their metadata, its trackers, its lifetime. */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "container/container.h"
#include "core/core.h"
#include "symbolize/symbolize.h"

#define DEFAULT_MAX_LATENCY_MS 50

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* plugin_discover()'s hand-over: keep the plugin unless its name is taken. */
static int discovered(void *cookie, struct eun_plugin *p)
{
	if (ctx_add_plugin(cookie, p) < 0) {
		log_msg(EUN_LOG_DEBUG, "%s", eun_last_error());
		return -EEXIST;
	}
	return 0;
}

struct eun_ctx *eun_ctx_new(const struct eun_ctx_opts *opts)
{
	struct eun_ctx *ctx;
	int err;

	clear_error();
	if (!OPTS_VALID(opts, eun_ctx_opts)) {
		errno = EINVAL;
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		errno = -set_error(ENOMEM, "out of memory");
		return NULL;
	}
	ctx->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ctx->epfd < 0) {
		errno = -set_error(errno, "cannot create an epoll fd: %s", strerror(errno));
		free(ctx);
		return NULL;
	}
	ctx->max_latency_ms = OPTS_GET(opts, max_latency_ms, 0);
	if (!ctx->max_latency_ms)
		ctx->max_latency_ms = DEFAULT_MAX_LATENCY_MS;
	ctx->boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (OPTS_GET(opts, capture_libbpf_logs, false)) {
		libbpf_logs_capture(true);
		ctx->captured_libbpf = true;
	}
	err = plugin_discover(OPTS_GET(opts, plugin_path, NULL),
			      OPTS_GET(opts, no_default_path, false), discovered, ctx);
	if (err) {
		eun_ctx_free(ctx);
		errno = -err;
		return NULL;
	}
	return ctx;
}

void eun_ctx_free(struct eun_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->draining || ctx->listeners.depth) {
		log_msg(EUN_LOG_ERROR, "eun_ctx_free() called during a delivery of the same context; "
			"ignored: free the context after eun_ctx_poll()/eun_ctx_consume() returns");
		return;
	}
	while (ctx->n_trackers)
		eun_tracker_free(ctx->trackers[ctx->n_trackers - 1]);
	free(ctx->trackers);
	/* After the trackers' last events: each listener flushes and detaches. */
	bus_flush(&ctx->listeners);
	bus_remove_all(&ctx->listeners);
	for (size_t i = 0; i < ctx->n_plugins; i++)
		plugin_close(ctx->plugins[i]);
	free(ctx->plugins);
	for (size_t i = 0; i < ctx->n_retired; i++)
		plugin_close(ctx->retired[i]);
	free(ctx->retired);
	if (ctx->captured_libbpf)
		libbpf_logs_capture(false);
	container_cache_free(ctx->containers);
	symbolizer_free(ctx->sym);
	close(ctx->epfd);
	free(ctx);
}

int ctx_add_plugin(struct eun_ctx *ctx, struct eun_plugin *p)
{
	const struct eun_plugin *other = eun_plugin_find(ctx, p->desc->name);

	if (other)
		return set_error(EEXIST, "plugin '%s' (%s) is shadowed by %s, found earlier on the "
				 "plugin path", p->desc->name, p->path, other->path);
	return ctx_append_plugin(ctx, p);
}

int ctx_append_plugin(struct eun_ctx *ctx, struct eun_plugin *p)
{
	struct eun_plugin **grown = realloc(ctx->plugins, (ctx->n_plugins + 1) * sizeof(*grown));
	if (!grown)
		return set_error(ENOMEM, "out of memory");
	ctx->plugins = grown;
	ctx->plugins[ctx->n_plugins++] = p;
	return 0;
}

int eun_ctx_add_plugin_desc(struct eun_ctx *ctx, const struct eun_plugin_desc *desc)
{
	struct eun_plugin *p;
	int err;

	clear_error();
	if (!ctx || !desc)
		return set_error(EINVAL, "eun_ctx_add_plugin_desc: ctx and desc are required");
	err = plugin_from_desc(desc, "(in-process)", &p);
	if (err)
		return err;
	err = ctx_add_plugin(ctx, p);
	if (err)
		plugin_close(p);
	return err;
}

int ctx_add_owned_desc(struct eun_ctx *ctx, const struct eun_plugin_desc *d, const char *where,
		       void (*release)(void *arg), void *arg)
{
	struct eun_plugin *p;
	int err = plugin_from_desc(d, where, &p);

	if (err) {
		release(arg);
		return err;
	}
	p->release = release;
	p->release_arg = arg;
	err = ctx_add_plugin(ctx, p);
	if (err)
		plugin_close(p);
	return err;
}

int eun_ctx_load_plugin(struct eun_ctx *ctx, const char *path)
{
	struct eun_plugin *p;
	int err;

	clear_error();
	if (!ctx || !path)
		return set_error(EINVAL, "eun_ctx_load_plugin: ctx and path are required");
	err = plugin_open(path, &p);
	if (err)
		return err;
	err = ctx_add_plugin(ctx, p);
	if (err)
		plugin_close(p);
	return err;
}

unsigned eun_ctx_max_latency_ms(const struct eun_ctx *ctx)
{
	return ctx->max_latency_ms;
}

size_t eun_plugin_count(const struct eun_ctx *ctx)
{
	return ctx->n_plugins;
}

const struct eun_plugin *eun_plugin_at(const struct eun_ctx *ctx, size_t i)
{
	return i < ctx->n_plugins ? ctx->plugins[i] : NULL;
}

const struct eun_plugin *eun_plugin_find(const struct eun_ctx *ctx, const char *name)
{
	/* Newest first: eun_ctx_load_plugin_update() may load a name twice. */
	for (size_t i = ctx->n_plugins; name && i-- > 0;)
		if (!strcmp(ctx->plugins[i]->desc->name, name))
			return ctx->plugins[i];
	errno = ENOENT;
	return NULL;
}

const char *eun_plugin_name(const struct eun_plugin *p)
{
	return p->desc->name;
}

const char *eun_plugin_version(const struct eun_plugin *p)
{
	return p->desc->version;
}

const char *eun_plugin_description(const struct eun_plugin *p)
{
	return p->desc->description;
}

const char *eun_plugin_license(const struct eun_plugin *p)
{
	return p->desc->license;
}

const char *eun_plugin_path(const struct eun_plugin *p)
{
	return p->path;
}

void eun_plugin_built_abi(const struct eun_plugin *p, unsigned *major, unsigned *minor)
{
	if (major)
		*major = p->desc->abi_major;
	if (minor)
		*minor = p->desc->abi_minor;
}

size_t eun_plugin_event_type_count(const struct eun_plugin *p)
{
	return p->desc->n_event_types;
}

const struct eun_event_type *eun_plugin_event_type(const struct eun_plugin *p, size_t i)
{
	return i < p->desc->n_event_types ? &p->desc->event_types[i] : NULL;
}

size_t eun_plugin_config_count(const struct eun_plugin *p)
{
	return p->desc->n_config_keys;
}

const struct eun_config_key *eun_plugin_config_key(const struct eun_plugin *p, size_t i)
{
	return i < p->desc->n_config_keys ? &p->desc->config_keys[i] : NULL;
}

size_t eun_tracker_count(const struct eun_ctx *ctx)
{
	return ctx->n_trackers;
}

struct eun_tracker *eun_tracker_at(const struct eun_ctx *ctx, size_t i)
{
	return i < ctx->n_trackers ? ctx->trackers[i] : NULL;
}
