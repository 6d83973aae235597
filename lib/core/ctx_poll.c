/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Polling a context: wait on its epoll fd, drain every ring, poll the
 * plugins that read their own sources and run the collects that are due
 * (event_loop.c), flush the listeners. Trackers wake
 * the reader in batches, so a poll also drains everything at least every
 * max_latency_ms. Between drains it does the container cache's walks and
 * the tracker stops and frees that listeners asked for during a delivery.
 */
#include <string.h>
#include <sys/epoll.h>

#include "container/container.h"
#include "core/core.h"

/* Refuse a poll or consume from inside a delivery of the same context: the
 * outer one is reading the rings already, and would see every event twice. */
static int refuse_nested(const char *fn)
{
	return set_error(EBUSY, "%s: called from inside a delivery of the same context (a "
			 "listener or the event callback); return from it instead, the outer "
			 "poll goes on", fn);
}

/* Drain every ring, run due collects and flush the listeners. */
static int consume(struct eun_ctx *ctx)
{
	int total = 0, n = 0;

	clear_error();
	ctx->draining++;
	/* By index: a listener may create trackers (realloc) meanwhile. */
	for (size_t i = 0; i < ctx->n_trackers && n >= 0; i++) {
		struct eun_tracker *t = ctx->trackers[i];

		if (t->rb) {
			n = event_loop_drain(t);
			total += n > 0 ? n : 0;
		}
		if (n >= 0 && t->poll_fd >= 0) {
			n = event_loop_poll(t);
			total += n > 0 ? n : 0;
		}
	}
	if (n >= 0)
		n = event_loop_collect_due(ctx);
	bus_flush(&ctx->listeners);
	ctx->draining--;
	/* Between drains: what must never run inside a delivery. */
	container_cache_maintain(ctx->containers);
	tracker_run_pending(ctx);
	return n < 0 ? n : total + n;
}

int eun_ctx_consume(struct eun_ctx *ctx)
{
	clear_error();
	if (ctx->draining || ctx->listeners.depth)
		return refuse_nested("eun_ctx_consume");
	return consume(ctx);
}

int eun_ctx_poll(struct eun_ctx *ctx, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : monotonic_ms() + timeout_ms;
	struct epoll_event ee[8];

	clear_error();
	if (ctx->draining || ctx->listeners.depth)
		return refuse_nested("eun_ctx_poll");
	for (;;) {
		int64_t left = deadline < 0 ? ctx->max_latency_ms : deadline - monotonic_ms();
		int wait = left < 0 ? 0 : left > ctx->max_latency_ms ? (int)ctx->max_latency_ms : (int)left;
		int n;

		if (epoll_wait(ctx->epfd, ee, 8, wait) < 0)
			return errno == EINTR ? -EINTR
					      : set_error(errno, "epoll_wait: %s", strerror(errno));
		n = consume(ctx);
		if (n != 0 || (deadline >= 0 && monotonic_ms() >= deadline))
			return n;
	}
}

int eun_ctx_fd(const struct eun_ctx *ctx)
{
	return ctx->epfd;
}
