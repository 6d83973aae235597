/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The rings of the event loop: every running tracker's ring buffer hangs
 * off the ctx's one epoll fd; draining one hands its samples to
 * event_dispatch() (event_deliver.c); collect() of aggregating trackers
 * runs on their interval. ctx_poll.c drives it.
 */
#include <string.h>
#include <sys/epoll.h>

#include "core/core.h"

static int on_sample(void *cookie, const void *data, size_t size)
{
	struct eun_tracker *t = cookie;

	event_dispatch(t, data, size);
	/* A negative return stops the read and is handed back. */
	return t->cb_status;
}

int event_loop_add(struct eun_tracker *t)
{
	const char *name = t->plugin->desc->name;
	struct epoll_event ee = { .events = EPOLLIN, .data.ptr = t };
	int fd;

	t->next_collect_ms = monotonic_ms() + t->collect_interval_ms;
	/* Validation guarantees event types come from a ring, collect() or both. */
	if (!t->plugin->desc->n_event_types || !t->plugin->desc->ring_fd)
		return 0;
	fd = PLUGIN_OP(t, t->plugin->desc->ring_fd(t->state));
	if (fd < 0 && t->op_errno)
		return fd; /* the plugin said why */
	if (fd < 0)
		return set_error(EBADF, "tracker '%s': ring_fd() gave no ring buffer after start()", name);
	t->rb = ring_reader_new(fd);
	if (!t->rb)
		return set_error(errno, "tracker '%s': cannot map its ring buffer: %s", name,
				 strerror(errno));
	if (epoll_ctl(t->ctx->epfd, EPOLL_CTL_ADD, ring_reader_fd(t->rb), &ee) < 0) {
		int err = errno;

		ring_reader_free(t->rb);
		t->rb = NULL;
		return set_error(err, "tracker '%s': epoll_ctl: %s", name, strerror(err));
	}
	return 0;
}

int event_loop_drain(struct eun_tracker *t)
{
	int n;

	t->cb_status = 0;
	n = ring_reader_consume(t->rb, on_sample, t);
	if (t->cb_status < 0)
		return t->cb_status;
	if (n < 0) /* no memory to join a sample that wraps around the ring's end */
		return set_error(-n, "tracker '%s': cannot read its ring buffer: %s",
				 t->plugin->desc->name, strerror(-n));
	return n;
}

int event_loop_collect(struct eun_tracker *t)
{
	int err;

	t->cb_status = 0;
	/* Any text left now is an earlier failure's (a decode error in the same
	 * consume): it must not pass for what collect() says. */
	clear_error();
	err = PLUGIN_OP(t, t->plugin->collect(t->state));
	if (t->collect_interval_ms) {
		int64_t now = monotonic_ms();

		/* Keep the cadence, but never try to catch up on missed intervals. */
		t->next_collect_ms += t->collect_interval_ms;
		if (t->next_collect_ms <= now)
			t->next_collect_ms = now + t->collect_interval_ms;
	}
	if (t->cb_status < 0)
		return t->cb_status;
	if (err < 0 && !*eun_last_error())
		set_error(-err, "tracker '%s': collect() failed: %s", t->plugin->desc->name,
			  strerror(-err));
	return err < 0 ? err : 0;
}

int event_loop_collect_due(struct eun_ctx *ctx)
{
	int64_t now = monotonic_ms();
	int emitted = 0;

	for (size_t i = 0; i < ctx->n_trackers; i++) {
		struct eun_tracker *t = ctx->trackers[i];
		uint64_t before = t->events;
		int err;

		if (t->st != EUN_TRACKER_RUNNING || !t->plugin->collect || !t->collect_interval_ms ||
		    now < t->next_collect_ms)
			continue;
		if ((err = event_loop_collect(t)) < 0)
			return err;
		emitted += (int)(t->events - before);
	}
	return emitted;
}

void event_loop_remove(struct eun_tracker *t)
{
	if (!t->rb)
		return;
	event_loop_drain(t);
	epoll_ctl(t->ctx->epfd, EPOLL_CTL_DEL, ring_reader_fd(t->rb), NULL);
	ring_reader_free(t->rb);
	t->rb = NULL;
}
