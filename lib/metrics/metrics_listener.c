/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The registry as a listener on its context's bus: every event observed,
 * the trackers' counters copied at each flush, new trackers' series made
 * when they start. */
#include "metrics/metrics.h"

static int metrics_on_event(void *data, const struct eun_event *ev)
{
	/* Only ENOMEM: the event is not counted, delivery goes on. */
	(void)eun_metrics_observe(data, ev);
	return 0;
}

static void metrics_on_flush(void *data)
{
	(void)eun_metrics_refresh(data); /* only ENOMEM; the next flush retries */
}

static void metrics_on_tracker(void *data, struct eun_tracker *t)
{
	(void)t;
	(void)eun_metrics_refresh(data);
}

static void metrics_on_detached(void *data)
{
	((struct eun_metrics *)data)->listener = NULL;
}

static const struct eun_listener_ops metrics_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = metrics_on_event,
	.flush = metrics_on_flush,
	.tracker_started = metrics_on_tracker,
	.tracker_stopped = metrics_on_tracker,
	.detached = metrics_on_detached,
};

int eun_metrics_attach(struct eun_metrics *m)
{
	clear_error();
	if (!m)
		return set_error(EINVAL, "eun_metrics_attach: m must not be NULL");
	if (m->listener)
		return set_error(EBUSY, "eun_metrics_attach: the registry is attached already");
	EUN_OPTS(eun_listener_opts, opts, .name = "metrics");
	m->listener = eun_ctx_add_listener(m->ctx, &metrics_ops, m, &opts);
	return m->listener ? 0 : -errno;
}

void metrics_detach(struct eun_metrics *m)
{
	if (m->listener)
		eun_listener_remove(m->listener); /* its detached() clears m->listener */
}
