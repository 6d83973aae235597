/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The event streams' replay ring. One direct listener of the context
 * renders each event to JSON once and appends it with the next sequence
 * number (1, 2, ...) to a ring bounded in events and bytes, dropping the
 * oldest. Every stream client reads the ring at its own cursor, from an
 * HTTP thread, and never blocks the context: a client whose cursor fell
 * behind the oldest kept event is told how many sequence numbers it lost
 * and goes on from there.
 */
#ifndef EUNOMIA_SERVE_STREAM_RING_H
#define EUNOMIA_SERVE_STREAM_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <eunomia/eunomia.h>

struct stream_ring;
struct stream_client;

/* Names the API gives a tracker (its instance id), on the context's thread. */
typedef const char *(*stream_id_fn)(void *cookie, const struct eun_tracker *t);

/* A ring of at most max_events events and max_bytes bytes, attached to ctx. NULL + errno. */
struct stream_ring *stream_ring_new(struct eun_ctx *ctx, size_t max_events, size_t max_bytes,
				    unsigned max_clients, stream_id_fn id_fn, void *cookie);
/* Detach and free; every client must be gone. */
void stream_ring_free(struct stream_ring *r);

/* Wake the clients waiting for events when a heartbeat is due (the
 * context's loop calls it each turn). */
void stream_ring_tick(struct stream_ring *r);

/* End every stream (shutdown): waiting clients are woken and finish. */
void stream_ring_close(struct stream_ring *r);

/* Counters for /metrics. */
struct stream_ring_stats {
	uint64_t next_seq, oldest_seq; /* kept: [oldest_seq, next_seq) */
	uint64_t evicted;              /* events dropped from the ring to make room */
	uint64_t lost;                 /* sequence numbers reported lost to clients */
	unsigned clients;
};
void stream_ring_stats(struct stream_ring *r, struct stream_ring_stats *st);

/* What one client asks for. */
struct stream_request {
	bool sse;                 /* text/event-stream, else NDJSON */
	const char *trackers;     /* comma-separated tracker names or ids, NULL: all */
	const char *types;        /* comma-separated event type names, NULL: all */
	bool has_after;
	uint64_t after;           /* resume after this sequence number */
};

/* A client reading from the next event (or after req->after). suspend and
 * resume pause and restart the HTTP connection while no event waits; they
 * are called under the ring's lock. NULL with errno EBUSY when
 * max_clients read already, ENOMEM. */
struct stream_client *stream_client_new(struct stream_ring *r, const struct stream_request *req,
					void (*suspend)(void *conn), void (*resume)(void *conn),
					void *conn);
/* Up to max bytes of the stream into buf; 0 after suspending the
 * connection (resumed when events come or a heartbeat is due); -1 when the
 * ring is closed. HTTP thread. */
ssize_t stream_client_read(struct stream_client *c, char *buf, size_t max);
void stream_client_free(struct stream_client *c);

#endif
