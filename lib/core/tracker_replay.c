/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Delivering records that are decoded already: replayed events. */
#include "core/core.h"

int eun_tracker_inject_record(struct eun_tracker *t, const void *rec, size_t len)
{
	int n;

	clear_error();
	if (!t || !rec)
		return set_error(EINVAL, "eun_tracker_inject_record: tracker and record are required");
	if (len > t->plugin->max_record) {
		t->decode_errors++;
		return set_error(EBADMSG, "tracker '%s': a %zu-byte record is longer than its largest "
				 "event type (%zu bytes)", t->plugin->desc->name, len, t->plugin->max_record);
	}
	t->cb_status = 0;
	n = event_deliver(t, rec, len);
	return t->cb_status < 0 ? t->cb_status : n;
}
