/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The bounded queue of encoded log records waiting to be sent, sized in
 * records and bytes, with an explicit drop policy. Not locked itself: the
 * exporter holds its lock around every call. */
#ifndef EUNOMIA_OTLP_QUEUE_H
#define EUNOMIA_OTLP_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/otlp.h>

struct resource;

/* One encoded LogRecord and the resource it belongs to. */
struct qitem {
	struct qitem *next;
	struct resource *res; /* holds a reference */
	int64_t queued_ms;    /* monotonic */
	size_t len;
	uint8_t data[];
};

struct queue {
	struct qitem *head, *tail;
	size_t items, bytes;
	size_t max_items, max_bytes;
	enum eun_otlp_drop_policy policy;
};

/* Queue it if the policy lets it in. Items the policy drops (it, or with
 * DROP_OLDEST the oldest ones) are chained onto *dropped for the caller to
 * free. True if it was queued. */
bool queue_push(struct queue *q, struct qitem *it, struct qitem **dropped);

/* Take the oldest records: at least one, then while at most max_items and
 * max_bytes are reached. Returns the chain (NULL if empty), its length in
 * *n. */
struct qitem *queue_take(struct queue *q, size_t max_items, size_t max_bytes, size_t *n);

#endif
