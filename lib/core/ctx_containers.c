/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A context's view of the containers: its cache (container/) and the
 * public listing and lookup calls on it. */
#include "container/container.h"
#include "core/core.h"

struct container_cache *ctx_containers(struct eun_ctx *ctx)
{
	if (!ctx->containers)
		ctx->containers = container_cache_new();
	return ctx->containers;
}

int eun_ctx_containers_refresh(struct eun_ctx *ctx)
{
	struct container_cache *cc;

	clear_error();
	if (!ctx)
		return set_error(EINVAL, "eun_ctx_containers_refresh: ctx must not be NULL");
	if (!(cc = ctx_containers(ctx)))
		return set_error(ENOMEM, "out of memory creating the container cache");
	return container_cache_refresh(cc);
}

int eun_ctx_container_at(struct eun_ctx *ctx, size_t i, struct eun_container_info *out)
{
	const struct eun_container_info *row;
	int err;

	clear_error();
	if (!ctx)
		return set_error(EINVAL, "eun_ctx_container_at: ctx must not be NULL");
	if ((err = container_info_check(out, "eun_ctx_container_at")))
		return err;
	row = ctx->containers ? container_cache_row(ctx->containers, i) : NULL;
	if (!row)
		return set_error(ERANGE, "eun_ctx_container_at: no container %zu; call "
				 "eun_ctx_containers_refresh() for the count", i);
	container_info_copy(out, row);
	return 0;
}

int eun_ctx_container_find(struct eun_ctx *ctx, const char *id_or_name,
			   struct eun_container_info *out)
{
	const struct eun_container_info *match;
	struct container_cache *cc;
	int err;

	clear_error();
	if (!ctx || !id_or_name || !id_or_name[0])
		return set_error(EINVAL, "eun_ctx_container_find: ctx and a non-empty id or name "
				 "are needed");
	if ((err = container_info_check(out, "eun_ctx_container_find")))
		return err;
	if (!(cc = ctx_containers(ctx)))
		return set_error(ENOMEM, "out of memory creating the container cache");
	if ((err = container_cache_find(cc, id_or_name, &match)))
		return err;
	container_info_copy(out, match);
	return 0;
}
