/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Two versions of one plugin in a context, for a hot update: loading a new
 * version next to the old one, instances of a given version, retiring the
 * version no tracker uses any more. */
#include <stdlib.h>

#include "core/core.h"

/* Index of p in ctx's list, or -1. */
static ssize_t plugin_index(const struct eun_ctx *ctx, const struct eun_plugin *p)
{
	for (size_t i = 0; p && i < ctx->n_plugins; i++)
		if (ctx->plugins[i] == p)
			return (ssize_t)i;
	return -1;
}

const struct eun_plugin *eun_ctx_load_plugin_update(struct eun_ctx *ctx, const char *path)
{
	struct eun_plugin *p;
	int err;

	clear_error();
	if (!ctx || !path) {
		errno = -set_error(EINVAL, "eun_ctx_load_plugin_update: ctx and path are required");
		return NULL;
	}
	err = plugin_open(path, &p);
	if (!err && (err = ctx_append_plugin(ctx, p)))
		plugin_close(p);
	if (err) {
		errno = -err;
		return NULL;
	}
	return p;
}

int eun_ctx_retire_plugin(struct eun_ctx *ctx, const struct eun_plugin *p)
{
	struct eun_plugin **grown;
	ssize_t i;

	clear_error();
	if (!ctx || (i = plugin_index(ctx, p)) < 0)
		return set_error(ENOENT, "eun_ctx_retire_plugin: the plugin is not loaded in this "
				 "context");
	for (size_t k = 0; k < ctx->n_trackers; k++)
		if (ctx->trackers[k]->plugin == p)
			return set_error(EBUSY, "plugin '%s' (%s) still has trackers; free them before "
					 "retiring it", p->desc->name, p->path);
	grown = realloc(ctx->retired, (ctx->n_retired + 1) * sizeof(*grown));
	if (!grown)
		return set_error(ENOMEM, "out of memory");
	ctx->retired = grown;
	ctx->retired[ctx->n_retired++] = ctx->plugins[i];
	memmove(&ctx->plugins[i], &ctx->plugins[i + 1],
		(ctx->n_plugins - (size_t)i - 1) * sizeof(*ctx->plugins));
	ctx->n_plugins--;
	return 0;
}

struct eun_tracker *eun_tracker_new_of(struct eun_ctx *ctx, const struct eun_plugin *p,
				       const struct eun_tracker_opts *opts)
{
	clear_error();
	if (!ctx || plugin_index(ctx, p) < 0) {
		errno = -set_error(ENOENT, "eun_tracker_new_of: the plugin is not loaded in this "
				   "context (retired, or of another one)");
		return NULL;
	}
	return tracker_create(ctx, ctx->plugins[plugin_index(ctx, p)], opts);
}
