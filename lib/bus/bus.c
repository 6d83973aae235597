/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Delivery to a context's listeners, in order, with removal made safe
 * during a delivery. */
#include <stdlib.h>

#include "bus/bus.h"

/* A method of the version-0 table that the listener filled in. Methods
 * added by a later version go at the end of the table and are called only
 * when ops->version is at least that version, so a listener built against
 * an older header never has a member read that it does not have. */
#define HAS(l, method) ((l)->ops->method != NULL)

struct eun_listener *listener_new(const struct eun_listener_ops *ops, void *data, const char *name,
				  size_t queue_events, size_t queue_bytes)
{
	struct eun_listener *l = calloc(1, sizeof(*l));

	if (!l || !(l->name = strdup(name ? name : "listener"))) {
		free(l);
		errno = -set_error(ENOMEM, "out of memory adding a listener");
		return NULL;
	}
	l->ops = ops;
	l->data = data;
	if (queue_events && !(l->queue = listener_queue_new(l, queue_events, queue_bytes))) {
		int err = errno;

		free(l->name);
		free(l);
		errno = err;
		return NULL;
	}
	return l;
}

int bus_add(struct listener_list *b, struct eun_listener *l)
{
	struct eun_listener **grown = realloc(b->items, (b->n + 1) * sizeof(*grown));
	size_t at = b->n;

	if (!grown)
		return set_error(ENOMEM, "out of memory adding listener '%s'", l->name);
	b->items = grown;
	if (!l->last && at && b->items[at - 1]->last) {
		b->items[at] = b->items[at - 1];
		at--;
	}
	b->items[at] = l;
	b->n++;
	l->list = b;
	return 0;
}

void listener_free(struct eun_listener *l)
{
	if (!l)
		return;
	listener_queue_free(l->queue, NULL);
	free(l->name);
	free(l);
}

/* Let l's queue deliver everything, say detached() (which may still read
 * the listener's stats, now final), then free l. */
static void listener_release(struct eun_listener *l)
{
	if (l->queue) {
		listener_queue_free(l->queue, &l->final);
		l->queue = NULL;
		l->drained = true;
	}
	if (HAS(l, detached))
		l->ops->detached(l->data);
	listener_free(l);
}

/* Drop the listeners removed during the delivery that just ended. */
static void bus_sweep(struct listener_list *b)
{
	size_t kept = 0;

	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i]->removed)
			listener_release(b->items[i]);
		else
			b->items[kept++] = b->items[i];
	}
	b->n = kept;
	b->dirty = false;
}

void bus_remove(struct listener_list *b, struct eun_listener *l)
{
	l->removed = true;
	if (b->depth) {
		b->dirty = true;
		return;
	}
	bus_sweep(b);
}

void bus_remove_all(struct listener_list *b)
{
	/* Newest first, as contexts free their trackers. */
	while (b->n)
		listener_release(b->items[--b->n]);
	free(b->items);
	b->items = NULL;
}

/* Leave a delivery; the outermost one frees what was removed meanwhile. */
static void bus_leave(struct listener_list *b)
{
	if (--b->depth == 0 && b->dirty)
		bus_sweep(b);
}

int bus_deliver(struct listener_list *b, const struct eun_event *ev)
{
	int ret = 0;

	b->depth++;
	/* By index: a listener may add another (realloc) during its event().
	 * Every listener gets the event; a negative return only ends the
	 * drain after it. */
	for (size_t i = 0; i < b->n; i++) {
		struct eun_listener *l = b->items[i];
		int r;

		if (l->removed || !HAS(l, event))
			continue;
		l->events++;
		if (l->queue) {
			listener_queue_push(l->queue, ev);
			continue;
		}
		r = l->ops->event(l->data, ev);
		if (r < 0 && ret == 0)
			ret = r;
	}
	bus_leave(b);
	return ret;
}

void bus_flush(struct listener_list *b)
{
	b->depth++;
	for (size_t i = 0; i < b->n; i++) {
		struct eun_listener *l = b->items[i];

		if (l->removed || !HAS(l, flush))
			continue;
		if (l->queue)
			listener_queue_flush(l->queue);
		else
			l->ops->flush(l->data);
	}
	bus_leave(b);
}

void bus_tracker_started(struct listener_list *b, struct eun_tracker *t)
{
	b->depth++;
	for (size_t i = 0; i < b->n; i++)
		if (!b->items[i]->removed && HAS(b->items[i], tracker_started))
			b->items[i]->ops->tracker_started(b->items[i]->data, t);
	bus_leave(b);
}

void bus_tracker_stopped(struct listener_list *b, struct eun_tracker *t)
{
	b->depth++;
	for (size_t i = 0; i < b->n; i++)
		if (!b->items[i]->removed && HAS(b->items[i], tracker_stopped))
			b->items[i]->ops->tracker_stopped(b->items[i]->data, t);
	bus_leave(b);
}
