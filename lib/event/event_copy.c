/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Copies of events that outlive their delivery (queues, other threads). */
#include <stdlib.h>

#include "container/container.h"
#include "event/event.h"

/* Records are 8-byte aligned in the ring; keep the copy's record so too. */
#define REC_ALIGN 8

struct eun_event *eun_event_copy(const struct eun_event *ev)
{
	size_t head = (sizeof(struct eun_event) + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
	struct eun_event *copy;
	uint8_t *rec;

	clear_error();
	if (!ev) {
		errno = -set_error(EINVAL, "eun_event_copy: ev must not be NULL");
		return NULL;
	}
	copy = malloc(head + ev->len);
	if (!copy) {
		errno = -set_error(ENOMEM, "out of memory copying a %zu-byte event", ev->len);
		return NULL;
	}
	*copy = *ev;
	rec = (uint8_t *)copy + head;
	memcpy(rec, ev->rec, ev->len);
	copy->rec = rec;
	copy->hdr = (const struct eun_record_header *)(const void *)rec;
	copy->tracker = NULL;
	copy->container = container_info_ref(ev->container);
	copy->owned = true;
	return copy;
}

void eun_event_free(struct eun_event *ev)
{
	if (!ev || !ev->owned)
		return;
	container_info_unref(ev->container);
	free(ev);
}
