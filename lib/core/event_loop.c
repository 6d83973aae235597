/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The rings of the event loop: every running tracker's ring buffer (and
 * the poll_fd() of plugins that read other sources, ABI 1.3) hangs off the
 * ctx's one epoll fd; draining one hands its samples to event_dispatch()
 * (event_deliver.c), poll() hands them to host->emit(); collect() of
 * aggregating trackers runs on their interval. ctx_poll.c drives it.
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

/* Add the plugin's poll_fd() (ABI 1.3) to the ctx's epoll fd. */
static int add_poll_fd(struct eun_tracker *t)
{
	const char *name = t->plugin->desc->name;
	struct epoll_event ee = { .events = EPOLLIN, .data.ptr = t };
	int fd = t->plugin->poll_fd(t->state);

	if (fd < 0)
		return set_error(EBADF, "tracker '%s': poll_fd() gave no file descriptor after start()",
				 name);
	if (epoll_ctl(t->ctx->epfd, EPOLL_CTL_ADD, fd, &ee) < 0)
		return set_error(errno, "tracker '%s': epoll_ctl on its poll_fd(): %s", name,
				 strerror(errno));
	t->poll_fd = fd;
	return 0;
}

/* Take the poll_fd out of the epoll fd, after delivering what still waits. */
static void remove_poll_fd(struct eun_tracker *t)
{
	if (t->poll_fd < 0)
		return;
	if (event_loop_poll(t) < 0)
		log_msg(EUN_LOG_WARN, "%s", eun_last_error());
	epoll_ctl(t->ctx->epfd, EPOLL_CTL_DEL, t->poll_fd, NULL);
	t->poll_fd = -1;
}

int event_loop_add(struct eun_tracker *t)
{
	const char *name = t->plugin->desc->name;
	struct epoll_event ee = { .events = EPOLLIN, .data.ptr = t };
	int fd, err;

	t->next_collect_ms = monotonic_ms() + t->collect_interval_ms;
	/* Validation guarantees event types come from a ring, collect(), poll() or several. */
	if (!t->plugin->desc->n_event_types)
		return 0;
	if (t->plugin->poll_fd && (err = add_poll_fd(t)))
		return err;
	if (!t->plugin->desc->ring_fd)
		return 0;
	fd = PLUGIN_OP(t, t->plugin->desc->ring_fd(t->state));
	if (fd < 0 && t->op_errno)
		return fd; /* the plugin said why */
	if (fd < 0)
		err = set_error(EBADF, "tracker '%s': ring_fd() gave no ring buffer after start()", name);
	else if (!(t->rb = ring_reader_new(fd)))
		err = set_error(errno, "tracker '%s': cannot map its ring buffer: %s", name,
				strerror(errno));
	else if (epoll_ctl(t->ctx->epfd, EPOLL_CTL_ADD, ring_reader_fd(t->rb), &ee) < 0) {
		err = set_error(errno, "tracker '%s': epoll_ctl: %s", name, strerror(errno));
		ring_reader_free(t->rb);
		t->rb = NULL;
	}
	if (err && t->poll_fd >= 0) {
		epoll_ctl(t->ctx->epfd, EPOLL_CTL_DEL, t->poll_fd, NULL);
		t->poll_fd = -1;
	}
	return err;
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

int event_loop_poll(struct eun_tracker *t)
{
	uint64_t before = t->events;
	int err;

	t->cb_status = 0;
	clear_error(); /* as in event_loop_collect() */
	err = t->plugin->poll(t->state);
	if (t->cb_status < 0)
		return t->cb_status;
	if (err < 0) {
		if (!*eun_last_error())
			set_error(-err, "tracker '%s': poll() failed: %s", t->plugin->desc->name,
				  strerror(-err));
		return err;
	}
	return (int)(t->events - before);
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
	remove_poll_fd(t);
	if (!t->rb)
		return;
	event_loop_drain(t);
	epoll_ctl(t->ctx->epfd, EPOLL_CTL_DEL, ring_reader_fd(t->rb), NULL);
	ring_reader_free(t->rb);
	t->rb = NULL;
}
