/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The event loop: every running tracker's ring buffer hangs off the ctx's one
 * epoll fd; samples are decoded, checked against the schema and handed to
 * the event callback. Trackers wake the reader in batches, so polling also
 * drains everything at least every max_latency_ms, and runs the collect()
 * of trackers whose interval is due.
 */
#include <string.h>
#include <sys/epoll.h>

#include "internal.h"

static const struct eun_event_type *find_type(const struct eun_plugin_desc *d, uint32_t id)
{
	for (uint32_t i = 0; i < d->n_event_types; i++)
		if (d->event_types[i].id == id)
			return &d->event_types[i];
	return NULL;
}

static int decode_error(struct eun_tracker *t, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int decode_error(struct eun_tracker *t, int err, const char *fmt, ...)
{
	va_list ap;

	t->decode_errors++;
	va_start(ap, fmt);
	set_error_v(err, fmt, ap);
	va_end(ap);
	return -err;
}

int event_dispatch(struct eun_tracker *t, const void *raw, size_t len)
{
	const struct eun_plugin_desc *d = t->plugin->desc;

	if (d->decode) {
		long n = d->decode(t->state, raw, len, t->decode_buf, t->plugin->max_record);

		if (n < 0)
			return decode_error(t, (int)-n, "tracker '%s': decode() refused a %zu-byte sample: %s",
					    d->name, len, strerror((int)-n));
		if (n == 0)
			return 0;
		if ((size_t)n > t->plugin->max_record)
			return decode_error(t, EOVERFLOW, "tracker '%s': decode() returned %ld bytes, "
					    "more than the %zu it was given", d->name, n,
					    t->plugin->max_record);
		return event_deliver(t, t->decode_buf, (size_t)n);
	}
	return event_deliver(t, raw, len);
}

int event_deliver(struct eun_tracker *t, const void *rec, size_t len)
{
	const struct eun_plugin_desc *d = t->plugin->desc;
	struct eun_event ev = { .tracker = t, .rec = rec, .len = len };
	struct eun_ctx *ctx = t->ctx;

	if (ev.len < sizeof(struct eun_record_header))
		return decode_error(t, EBADMSG, "tracker '%s': %zu-byte record is shorter than the "
				    "record header", d->name, ev.len);
	ev.hdr = (const struct eun_record_header *)ev.rec;
	ev.type = find_type(d, ev.hdr->type);
	if (!ev.type)
		return decode_error(t, EBADMSG, "tracker '%s': record of undeclared event type %u",
				    d->name, ev.hdr->type);
	if (ev.len < ev.type->record_size)
		return decode_error(t, EBADMSG, "tracker '%s': '%s' record is %zu bytes, the schema "
				    "needs %u", d->name, ev.type->name, ev.len, ev.type->record_size);
	memcpy(ev.comm, ev.hdr->comm, EUN_COMM_LEN);
	ev.comm[EUN_COMM_LEN] = '\0';
	t->events++;
	sinks_deliver(ctx, &ev);
	if (ctx->event_fn) {
		int r = ctx->event_fn(&ev, ctx->event_cookie);

		if (r < 0)
			t->cb_status = r;
	}
	return 1;
}

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
	fd = t->plugin->desc->ring_fd(t->state);
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

/* Deliver what one tracker's ring holds; count or the callback's negative value. */
static int drain(struct eun_tracker *t)
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
	err = t->plugin->collect(t->state);
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

/* Run collect() of every running tracker whose interval has passed; the
 * number of records they emitted, or a negative error. */
static int collect_due(struct eun_ctx *ctx)
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
	drain(t);
	epoll_ctl(t->ctx->epfd, EPOLL_CTL_DEL, ring_reader_fd(t->rb), NULL);
	ring_reader_free(t->rb);
	t->rb = NULL;
}

int eun_ctx_consume(struct eun_ctx *ctx)
{
	int total = 0, n;

	clear_error();
	for (size_t i = 0; i < ctx->n_trackers; i++) {
		struct eun_tracker *t = ctx->trackers[i];

		if (!t->rb)
			continue;
		n = drain(t);
		if (n < 0)
			return n;
		total += n;
	}
	n = collect_due(ctx);
	sinks_flush(ctx);
	return n < 0 ? n : total + n;
}

int eun_ctx_poll(struct eun_ctx *ctx, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : monotonic_ms() + timeout_ms;
	struct epoll_event ee[8];

	clear_error();
	for (;;) {
		int64_t left = deadline < 0 ? ctx->max_latency_ms : deadline - monotonic_ms();
		int wait = left < 0 ? 0 : left > ctx->max_latency_ms ? (int)ctx->max_latency_ms : (int)left;
		int n;

		if (epoll_wait(ctx->epfd, ee, 8, wait) < 0)
			return errno == EINTR ? -EINTR
					      : set_error(errno, "epoll_wait: %s", strerror(errno));
		n = eun_ctx_consume(ctx);
		if (n != 0 || (deadline >= 0 && monotonic_ms() >= deadline))
			return n;
	}
}

int eun_ctx_fd(const struct eun_ctx *ctx)
{
	return ctx->epfd;
}

void eun_ctx_set_event_fn(struct eun_ctx *ctx, eun_event_fn fn, void *cookie)
{
	ctx->event_fn = fn;
	ctx->event_cookie = cookie;
}
