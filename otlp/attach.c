/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter as a listener on a context's bus, with a thread and a
 * queue of its own so that encoding never runs on the polling thread. */
#include <errno.h>

#include "exporter.h"

static int on_event(void *data, const struct eun_event *ev)
{
	int r = eun_otlp_observe(data, ev);

	return r < 0 ? r : 0; /* a record the exporter's queue refused is counted there */
}

static void on_detached(void *data)
{
	struct eun_otlp *x = data;

	x->bus_dropped = otlp_bus_dropped(x); /* the queue's final count */
	x->listener = NULL;
}

static const struct eun_listener_ops otlp_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = on_event,
	.detached = on_detached,
};

int eun_otlp_attach(struct eun_otlp *x, struct eun_ctx *ctx)
{
	otlp_clear_error();
	if (!x || !ctx)
		return otlp_error(EINVAL, "eun_otlp_attach: x and ctx must not be NULL");
	if (x->listener)
		return otlp_error(EBUSY, "eun_otlp_attach: the exporter is attached already");
	EUN_OPTS(eun_listener_opts, opts, .name = "otlp", .queue_events = x->cfg.queue_max_items);
	x->listener = eun_ctx_add_listener(ctx, &otlp_ops, x, &opts);
	if (!x->listener)
		return otlp_error(errno, "eun_otlp_attach: %s", eun_last_error());
	return 0;
}

uint64_t otlp_bus_dropped(const struct eun_otlp *x)
{
	EUN_OPTS(eun_listener_stats, st);

	if (x->listener && eun_listener_stats(x->listener, &st) == 0)
		return st.dropped;
	return x->bus_dropped;
}

void otlp_detach(struct eun_otlp *x)
{
	if (x->listener)
		eun_listener_remove(x->listener); /* delivers its queue, then on_detached() */
}
