/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A listener's own thread and bounded queue: the ctx thread copies each
 * event into the queue and never waits for the consumer; when the queue
 * holds max_events events or max_bytes bytes, the event is dropped and
 * counted instead, so a slow consumer (network, disk) can lose events but
 * never silently and never at the trackers' expense.
 */
#include <pthread.h>
#include <stdlib.h>

#include "bus/bus.h"

/* One queued item: an event copy, or (ev NULL) a flush() marker. */
struct item {
	struct eun_event *ev;
	size_t bytes;
	struct item *next;
};

struct listener_queue {
	struct eun_listener *l;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct item *head, *tail; /* guarded by lock, like everything below */
	size_t n_events, bytes, max_events, max_bytes;
	bool flush_pending;       /* a flush marker is queued and not yet reached */
	bool stopping;
	uint64_t delivered, dropped, failed, high_water;
};

/* Bytes an event copy is accounted at: its record and the struct around it. */
static size_t copy_bytes(const struct eun_event *ev)
{
	return sizeof(*ev) + ev->len;
}

static void enqueue(struct listener_queue *q, struct item *it)
{
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	pthread_cond_signal(&q->wake);
}

void listener_queue_push(struct listener_queue *q, const struct eun_event *ev)
{
	size_t bytes = copy_bytes(ev);
	struct item *it;
	bool full;

	pthread_mutex_lock(&q->lock);
	full = q->n_events >= q->max_events || q->bytes + bytes > q->max_bytes;
	pthread_mutex_unlock(&q->lock);
	/* Copy outside the lock: the consumer never waits on the producer's malloc. */
	it = full ? NULL : malloc(sizeof(*it));
	if (it && !(it->ev = eun_event_copy(ev))) {
		free(it);
		it = NULL;
	}
	pthread_mutex_lock(&q->lock);
	if (!it) {
		q->dropped++;
	} else {
		it->bytes = bytes;
		it->next = NULL;
		q->n_events++;
		q->bytes += bytes;
		if (q->n_events > q->high_water)
			q->high_water = q->n_events;
		enqueue(q, it);
	}
	pthread_mutex_unlock(&q->lock);
}

void listener_queue_flush(struct listener_queue *q)
{
	struct item *it;

	pthread_mutex_lock(&q->lock);
	/* One marker is enough until the consumer reaches it. */
	if (!q->flush_pending && (it = calloc(1, sizeof(*it)))) {
		q->flush_pending = true;
		enqueue(q, it);
	}
	pthread_mutex_unlock(&q->lock);
}

static void *consume(void *arg)
{
	struct listener_queue *q = arg;
	const struct eun_listener_ops *ops = q->l->ops;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct item *it = q->head;

		if (!it) {
			if (q->stopping)
				break;
			pthread_cond_wait(&q->wake, &q->lock);
			continue;
		}
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		if (it->ev) {
			q->n_events--;
			q->bytes -= it->bytes;
		} else {
			q->flush_pending = false;
		}
		pthread_mutex_unlock(&q->lock);
		if (it->ev) {
			int r = ops->event(q->l->data, it->ev);

			eun_event_free(it->ev);
			pthread_mutex_lock(&q->lock);
			q->delivered++;
			q->failed += r < 0;
		} else {
			if (ops->flush)
				ops->flush(q->l->data);
			pthread_mutex_lock(&q->lock);
		}
		free(it);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct listener_queue *listener_queue_new(struct eun_listener *l, size_t max_events,
					  size_t max_bytes)
{
	struct listener_queue *q = calloc(1, sizeof(*q));
	int err;

	if (!q) {
		errno = -set_error(ENOMEM, "out of memory for the queue of listener '%s'", l->name);
		return NULL;
	}
	q->l = l;
	q->max_events = max_events;
	q->max_bytes = max_bytes;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	err = pthread_create(&q->thread, NULL, consume, q);
	if (err) {
		pthread_cond_destroy(&q->wake);
		pthread_mutex_destroy(&q->lock);
		free(q);
		errno = -set_error(err, "cannot start the thread of listener '%s': %s", l->name,
				   strerror(err));
		return NULL;
	}
	return q;
}

void listener_queue_free(struct listener_queue *q, struct eun_listener_stats *last)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL); /* after it has delivered everything queued */
	if (last)
		listener_queue_stats(q, last);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

void listener_queue_stats(struct listener_queue *q, struct eun_listener_stats *st)
{
	pthread_mutex_lock(&q->lock);
	st->events = q->delivered;
	st->dropped = q->dropped;
	st->failed = q->failed;
	st->queued = q->n_events;
	st->queued_max = q->high_water;
	pthread_mutex_unlock(&q->lock);
}
