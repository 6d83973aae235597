/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * From a raw sample to an event: the plugin's decode(), the schema checks,
 * the event's tracker name, wall-clock time and container, and delivery to
 * the context's listeners.
 */
#include <string.h>

#include "container/container.h"
#include "core/core.h"

/* Deliveries inside deliveries (listeners that inject events, e.g. alerts
 * about events) beyond this depth are refused: they would never end. */
#define MAX_NESTED_DELIVERIES 4

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
	struct eun_event ev = { .tracker = t, .tracker_name = d->name, .rec = rec, .len = len };
	struct eun_ctx *ctx = t->ctx;
	int r;

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
	/* Stamped before the instance this one replaced had detached: that one
	 * delivered it already (eun_tracker_replace()). */
	if (ev.hdr->ts_ns < t->skip_before_ns) {
		t->replaced_skipped++;
		return 0;
	}
	if (ctx->listeners.depth >= MAX_NESTED_DELIVERIES)
		return set_error(ELOOP, "tracker '%s': a listener delivered an event while %d "
				 "deliveries were under way; events that cause events must end",
				 d->name, MAX_NESTED_DELIVERIES);
	memcpy(ev.comm, ev.hdr->comm, EUN_COMM_LEN);
	ev.comm[EUN_COMM_LEN] = '\0';
	ev.ts = ev.hdr->ts_ns + ctx->boot_to_real_ns;
	/* Once, here: renderers, listeners and the metrics lock never resolve it. */
	ev.container = container_cache_lookup(ctx_containers(ctx), ev.hdr->cgroup_id, ev.hdr->pid);
	t->events++;
	r = bus_deliver(&ctx->listeners, &ev);
	if (r < 0)
		t->cb_status = r;
	return 1;
}

