/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The bounded record queue (see queue.h). */
#include "queue.h"

/* Chain it onto *list. */
static void chain(struct qitem **list, struct qitem *it)
{
	it->next = *list;
	*list = it;
}

/* Unlink and return the oldest item. */
static struct qitem *pop(struct queue *q)
{
	struct qitem *it = q->head;

	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	q->items--;
	q->bytes -= it->len;
	it->next = NULL;
	return it;
}

static bool fits(const struct queue *q, const struct qitem *it)
{
	return q->items < q->max_items && it->len <= q->max_bytes - q->bytes;
}

bool queue_push(struct queue *q, struct qitem *it, struct qitem **dropped)
{
	/* One record bigger than the whole queue never fits. */
	if (it->len > q->max_bytes || (!fits(q, it) && q->policy == EUN_OTLP_DROP_NEWEST)) {
		chain(dropped, it);
		return false;
	}
	while (!fits(q, it))
		chain(dropped, pop(q));
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->items++;
	q->bytes += it->len;
	return true;
}

struct qitem *queue_take(struct queue *q, size_t max_items, size_t max_bytes, size_t *n)
{
	struct qitem *first = q->head, *last = NULL;
	size_t bytes = 0;

	*n = 0;
	while (q->head && (*n == 0 || (*n < max_items && bytes + q->head->len <= max_bytes))) {
		bytes += q->head->len;
		last = q->head;
		q->head = q->head->next;
		(*n)++;
	}
	if (!*n)
		return NULL;
	last->next = NULL;
	if (!q->head)
		q->tail = NULL;
	q->items -= *n;
	q->bytes -= bytes;
	return first;
}
