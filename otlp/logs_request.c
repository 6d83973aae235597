/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* ExportLogsServiceRequest (see logs_request.h). Field numbers are those of
 * opentelemetry/proto/logs/v1/logs.proto and .../collector/logs/v1/logs_service.proto. */
#include <errno.h>
#include <stdlib.h>

#include "logs_request.h"
#include "pb.h"
#include "resource.h"
#include "scope.h"

/* ExportLogsServiceRequest */
#define REQ_RESOURCE_LOGS 1
/* ResourceLogs */
#define RL_RESOURCE 1
#define RL_SCOPE_LOGS 2
/* ScopeLogs */
#define SL_SCOPE 1
#define SL_LOG_RECORDS 2

/* The records of one resource, in order. */
struct group {
	const struct resource *res;
	const struct qitem **items;
	size_t n;
};

/* Write one ResourceLogs. */
static void put_group(struct buf *b, enum otlp_format fmt, const struct group *g, bool first)
{
	if (fmt == OTLP_PROTOBUF) {
		size_t rl = pb_begin(b, REQ_RESOURCE_LOGS), sl;

		pb_bytes(b, RL_RESOURCE, g->res->enc.data, g->res->enc.len);
		sl = pb_begin(b, RL_SCOPE_LOGS);
		scope_put(b, fmt, SL_SCOPE);
		for (size_t i = 0; i < g->n; i++)
			pb_bytes(b, SL_LOG_RECORDS, g->items[i]->data, g->items[i]->len);
		pb_end(b, sl);
		pb_end(b, rl);
		return;
	}
	buf_puts(b, first ? "{\"resource\":" : ",{\"resource\":");
	buf_put(b, g->res->enc.data, g->res->enc.len);
	buf_puts(b, ",\"scopeLogs\":[{");
	scope_put(b, fmt, 0);
	buf_puts(b, ",\"logRecords\":[");
	for (size_t i = 0; i < g->n; i++) {
		if (i)
			buf_putc(b, ',');
		buf_put(b, g->items[i]->data, g->items[i]->len);
	}
	buf_puts(b, "]}]}");
}

int logs_request_encode(struct buf *b, enum otlp_format fmt, const struct qitem *items, size_t n)
{
	struct group *groups = calloc(n ? n : 1, sizeof(*groups));
	const struct qitem **slots = calloc(n ? n : 1, sizeof(*slots));
	size_t n_groups = 0, used = 0;
	int err = 0;

	buf_reset(b);
	if (!groups || !slots) {
		err = -ENOMEM;
		goto out;
	}
	/* Count each resource's records, then lay their slots out in order. */
	for (const struct qitem *it = items; it; it = it->next) {
		size_t g = 0;

		while (g < n_groups && groups[g].res != it->res)
			g++;
		if (g == n_groups)
			groups[n_groups++].res = it->res;
		groups[g].n++;
	}
	for (size_t g = 0; g < n_groups; g++) {
		groups[g].items = slots + used;
		used += groups[g].n;
		groups[g].n = 0;
	}
	for (const struct qitem *it = items; it; it = it->next) {
		size_t g = 0;

		while (groups[g].res != it->res)
			g++;
		groups[g].items[groups[g].n++] = it;
	}
	if (fmt == OTLP_JSON)
		buf_puts(b, "{\"resourceLogs\":[");
	for (size_t g = 0; g < n_groups; g++)
		put_group(b, fmt, &groups[g], g == 0);
	if (fmt == OTLP_JSON)
		buf_puts(b, "]}");
	err = b->oom ? -ENOMEM : 0;
out:
	free(groups);
	free(slots);
	return err;
}
