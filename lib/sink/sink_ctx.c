/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks attached to a context: each is a listener on its bus that
 * writes every event as a line and writes its buffer out at each flush. */
#include "sink/sink.h"

static int sink_on_event(void *data, const struct eun_event *ev)
{
	/* A failing sink keeps its error (eun_sink_error()); delivery goes on. */
	(void)sink_write_event(data, ev);
	return 0;
}

static void sink_on_flush(void *data)
{
	(void)sink_drain(data);
}

static void sink_on_detached(void *data)
{
	struct eun_sink *s = data;

	s->listener = NULL;
	s->ctx = NULL;
}

static const struct eun_listener_ops sink_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = sink_on_event,
	.flush = sink_on_flush,
	.detached = sink_on_detached,
};

int eun_ctx_add_sink(struct eun_ctx *ctx, struct eun_sink *sink)
{
	clear_error();
	if (!ctx || !sink)
		return set_error(EINVAL, "eun_ctx_add_sink: ctx and sink must not be NULL");
	if (sink->ctx)
		return set_error(EBUSY, "output %s is attached to a context already; "
				 "detach it with eun_ctx_remove_sink() first", sink->name);
	EUN_OPTS(eun_listener_opts, opts, .name = sink->name);
	sink->listener = eun_ctx_add_listener(ctx, &sink_ops, sink, &opts);
	if (!sink->listener)
		return -errno;
	sink->ctx = ctx;
	return 0;
}

int eun_ctx_remove_sink(struct eun_ctx *ctx, struct eun_sink *sink)
{
	clear_error();
	if (!ctx || !sink)
		return set_error(EINVAL, "eun_ctx_remove_sink: ctx and sink must not be NULL");
	if (sink->ctx != ctx)
		return set_error(ENOENT, "output %s is not attached to this context", sink->name);
	return eun_listener_remove(sink->listener); /* its detached() clears sink->ctx */
}

void sink_detach(struct eun_sink *s)
{
	(void)eun_ctx_remove_sink(s->ctx, s);
}
