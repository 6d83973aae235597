/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The public face of a context's event bus: listeners, and the single
 * event callback, which is one listener kept after all the others. */
#include "core/core.h"

/* Bytes a queued listener may hold when its opts give no bound. */
#define DEFAULT_QUEUE_BYTES (16u << 20)

struct eun_listener *eun_ctx_add_listener(struct eun_ctx *ctx, const struct eun_listener_ops *ops,
					  void *data, const struct eun_listener_opts *opts)
{
	size_t queue_events = OPTS_GET(opts, queue_events, 0);
	size_t queue_bytes = OPTS_GET(opts, queue_bytes, 0);
	struct eun_listener *l;
	int err;

	clear_error();
	if (!OPTS_VALID(opts, eun_listener_opts)) {
		errno = EINVAL;
		return NULL;
	}
	if (!ctx || !ops) {
		errno = -set_error(EINVAL, "eun_ctx_add_listener: ctx and ops are required");
		return NULL;
	}
	if (queue_events && !ops->event) {
		errno = -set_error(EINVAL, "eun_ctx_add_listener: a queued listener needs an event() "
				   "method");
		return NULL;
	}
	l = listener_new(ops, data, OPTS_GET(opts, name, NULL), queue_events,
			 queue_bytes ? queue_bytes : DEFAULT_QUEUE_BYTES);
	if (!l)
		return NULL;
	if ((err = bus_add(&ctx->listeners, l))) {
		listener_free(l);
		errno = -err;
		return NULL;
	}
	return l;
}

int eun_listener_remove(struct eun_listener *l)
{
	clear_error();
	if (!l)
		return set_error(EINVAL, "eun_listener_remove: l must not be NULL");
	if (l->last)
		return set_error(EINVAL, "eun_listener_remove: this is the context's event callback; "
				 "clear it with eun_ctx_set_event_fn(ctx, NULL, NULL)");
	bus_remove(l->list, l);
	return 0;
}

const char *eun_listener_name(const struct eun_listener *l)
{
	return l->name;
}

int eun_listener_stats(const struct eun_listener *l, struct eun_listener_stats *st)
{
	struct eun_listener_stats full = { .sz = sizeof(full), .events = l ? l->events : 0 };

	clear_error();
	if (!l || !st || st->sz < offsetof(struct eun_listener_stats, events))
		return set_error(EINVAL, "eun_listener_stats: l and st (set up with EUN_OPTS()) are "
				 "required");
	if (l->queue)
		listener_queue_stats(l->queue, &full);
	else if (l->drained) /* in its detached(): the queue's last counters */
		full = l->final;
	full.sz = sizeof(full);
	opts_copy_out(st, &full, EUN_KNOWN_SZ(eun_listener_stats));
	return 0;
}

size_t eun_ctx_listener_count(const struct eun_ctx *ctx)
{
	return ctx->listeners.n;
}

struct eun_listener *eun_ctx_listener_at(const struct eun_ctx *ctx, size_t i)
{
	return i < ctx->listeners.n ? ctx->listeners.items[i] : NULL;
}

/* The callback's listener method: call the embedder's function. */
static int callback_event(void *data, const struct eun_event *ev)
{
	struct eun_ctx *ctx = data;

	return ctx->event_fn ? ctx->event_fn(ev, ctx->event_cookie) : 0;
}

static const struct eun_listener_ops callback_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = callback_event,
};

void eun_ctx_set_event_fn(struct eun_ctx *ctx, eun_event_fn fn, void *cookie)
{
	ctx->event_fn = fn;
	ctx->event_cookie = cookie;
	if (fn && !ctx->callback) {
		struct eun_listener *l = listener_new(&callback_ops, ctx, "event callback", 0, 0);

		if (l)
			l->last = true;
		if (!l || bus_add(&ctx->listeners, l)) {
			log_msg(EUN_LOG_ERROR, "out of memory setting the event callback; events are "
				"not passed to it");
			listener_free(l);
			return;
		}
		ctx->callback = l;
	}
}
