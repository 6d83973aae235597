/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks attached to a context: every delivered event goes to each of them. */
#include <stdlib.h>
#include <string.h>

#include "sink.h"

int eun_ctx_add_sink(struct eun_ctx *ctx, struct eun_sink *sink)
{
	struct eun_sink **grown;

	clear_error();
	if (!ctx || !sink)
		return set_error(EINVAL, "eun_ctx_add_sink: ctx and sink must not be NULL");
	if (sink->ctx)
		return set_error(EBUSY, "output %s is attached to a context already; "
				 "detach it with eun_ctx_remove_sink() first", sink->name);
	grown = realloc(ctx->sinks, (ctx->n_sinks + 1) * sizeof(*grown));
	if (!grown)
		return set_error(ENOMEM, "out of memory attaching output %s", sink->name);
	grown[ctx->n_sinks++] = sink;
	ctx->sinks = grown;
	sink->ctx = ctx;
	return 0;
}

int eun_ctx_remove_sink(struct eun_ctx *ctx, struct eun_sink *sink)
{
	clear_error();
	if (!ctx || !sink)
		return set_error(EINVAL, "eun_ctx_remove_sink: ctx and sink must not be NULL");
	for (size_t i = 0; i < ctx->n_sinks; i++) {
		if (ctx->sinks[i] != sink)
			continue;
		memmove(&ctx->sinks[i], &ctx->sinks[i + 1], (ctx->n_sinks - i - 1) * sizeof(*ctx->sinks));
		ctx->n_sinks--;
		sink->ctx = NULL;
		return 0;
	}
	return set_error(ENOENT, "output %s is not attached to this context", sink->name);
}

void sink_detach(struct eun_sink *s)
{
	(void)eun_ctx_remove_sink(s->ctx, s);
}

void sinks_deliver(struct eun_ctx *ctx, const struct eun_event *ev)
{
	/* A failing sink keeps its error (eun_sink_error()); the others go on. */
	for (size_t i = 0; i < ctx->n_sinks; i++)
		(void)sink_write_event(ctx->sinks[i], ev);
}

void sinks_flush(struct eun_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_sinks; i++)
		(void)sink_drain(ctx->sinks[i]);
}

void sinks_detach_all(struct eun_ctx *ctx)
{
	sinks_flush(ctx);
	for (size_t i = 0; i < ctx->n_sinks; i++)
		ctx->sinks[i]->ctx = NULL;
	free(ctx->sinks);
	ctx->sinks = NULL;
	ctx->n_sinks = 0;
}
