/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The event bus: a context's ordered list of listeners (struct
 * eun_listener_ops tables, checked by version and NULL before each call),
 * delivery to them, and the bounded queue and thread of a listener that
 * asked for one. It knows events (event/) and nothing of the core: the
 * tracker a lifecycle call names is passed through as an opaque pointer.
 * Never installed.
 */
#ifndef EUNOMIA_BUS_H
#define EUNOMIA_BUS_H

#include "event/event.h"

struct listener_queue;

struct eun_listener {
	const struct eun_listener_ops *ops; /* borrowed until detached() */
	void *data;
	char *name;
	struct listener_queue *queue; /* own thread and bounded queue, or NULL */
	struct eun_listener_stats final; /* the queue's counters once it is gone */
	bool drained;                 /* final holds them: the queue is gone */
	struct listener_list *list;   /* the list it is on, once added */
	bool removed;                 /* detached during a delivery: freed after it */
	bool last;                    /* stays after every other listener (the ctx's callback) */
	uint64_t events;              /* handed to event() (direct) or queued */
};

/* The listeners of one context, in delivery order. */
struct listener_list {
	struct eun_listener **items;
	size_t n;
	unsigned depth; /* deliveries under way (nested ones count) */
	bool dirty;     /* a listener was removed during one */
};

/* A listener for ops/data named name (copied); with queue_events > 0 it
 * gets its own thread and a queue of at most queue_events events and
 * queue_bytes bytes. NULL + errno, error text set. */
EUN_HIDDEN struct eun_listener *listener_new(const struct eun_listener_ops *ops, void *data,
					     const char *name, size_t queue_events,
					     size_t queue_bytes);
/* Free a listener that was never added (no detached() call). */
EUN_HIDDEN void listener_free(struct eun_listener *l);
/* Append l (before the `last` one, if any). 0 or -ENOMEM. */
EUN_HIDDEN int bus_add(struct listener_list *b, struct eun_listener *l);
/* Detach l: its queue is drained to it and its thread joined, then its
 * detached() runs and it is freed; during a delivery, it is skipped from
 * now on and freed when the outermost delivery ends. */
EUN_HIDDEN void bus_remove(struct listener_list *b, struct eun_listener *l);
/* Detach every listener (eun_ctx_free()). */
EUN_HIDDEN void bus_remove_all(struct listener_list *b);
/* Hand ev to every listener in order: a direct one's event() runs now, a
 * queued one gets a copy (or counts a drop). 0, or the first negative
 * value an event() returned (the caller ends its drain with it). */
EUN_HIDDEN int bus_deliver(struct listener_list *b, const struct eun_event *ev);
/* The end of a poll/consume: every listener's flush(). */
EUN_HIDDEN void bus_flush(struct listener_list *b);
/* A tracker started or stopped: every listener's tracker_started() or
 * tracker_stopped(), on the calling (ctx) thread. */
EUN_HIDDEN void bus_tracker_started(struct listener_list *b, struct eun_tracker *t);
EUN_HIDDEN void bus_tracker_stopped(struct listener_list *b, struct eun_tracker *t);

/* ---- the queue and thread of one listener (listener_queue.c) ---- */

/* Start the thread of a queued listener. NULL + errno, error text set. */
EUN_HIDDEN struct listener_queue *listener_queue_new(struct eun_listener *l, size_t max_events,
						     size_t max_bytes);
/* Queue a copy of ev; when the queue is full the event is counted as
 * dropped instead. Never blocks on the consumer. */
EUN_HIDDEN void listener_queue_push(struct listener_queue *q, const struct eun_event *ev);
/* Queue a call of flush() after the events queued so far. */
EUN_HIDDEN void listener_queue_flush(struct listener_queue *q);
/* Deliver everything queued, stop the thread and free the queue, leaving
 * its last counters in *last (which may be NULL). */
EUN_HIDDEN void listener_queue_free(struct listener_queue *q, struct eun_listener_stats *last);
/* Counters of the queue (any thread). */
EUN_HIDDEN void listener_queue_stats(struct listener_queue *q, struct eun_listener_stats *st);

#endif /* EUNOMIA_BUS_H */
