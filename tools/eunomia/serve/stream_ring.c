/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The replay ring of rendered events, its listener, and the clients'
 * cursors with their loss records and heartbeats. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream_ring.h"

#define HEARTBEAT_MS 15000
#define NAME_LEN 64

struct entry {
	char *json;
	size_t len;
	char tracker[NAME_LEN];
	char id[NAME_LEN];
	char type[NAME_LEN];
};

struct stream_ring {
	pthread_mutex_t lock;
	struct entry *e;          /* cap slots; seq s is in e[s % cap] */
	size_t cap, max_bytes, bytes;
	uint64_t head;            /* next sequence number */
	uint64_t tail;            /* oldest kept; == head when empty */
	uint64_t evicted, lost;
	unsigned clients, max_clients;
	struct stream_client *waiting;
	bool closed, appended;
	int64_t last_beat_ms;
	struct eun_listener *listener;
	stream_id_fn id_fn;
	void *cookie;
	char *buf;                /* rendering buffer, context's thread */
	size_t buf_size;
};

struct stream_client {
	struct stream_ring *r;
	uint64_t cursor;
	bool sse;
	char *trackers, *types;   /* ",a,b," for a strstr() match, NULL: all */
	char *out;                /* formatted, not yet handed over */
	size_t out_len, out_off, out_cap;
	int64_t last_out_ms;
	bool suspended;
	struct stream_client *next_waiting;
	void (*suspend)(void *conn), (*resume)(void *conn);
	void *conn;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_oldest(struct stream_ring *r)
{
	struct entry *e = &r->e[r->tail % r->cap];

	r->bytes -= e->len;
	free(e->json);
	e->json = NULL;
	r->tail++;
	r->evicted++;
}

/* Wake every waiting client (lock held). */
static void wake_all(struct stream_ring *r)
{
	for (struct stream_client *c = r->waiting; c; c = c->next_waiting) {
		c->suspended = false;
		c->resume(c->conn);
	}
	r->waiting = NULL;
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, NAME_LEN, "%s", src ? src : "");
}

static int on_event(void *data, const struct eun_event *ev)
{
	struct stream_ring *r = data;
	int n = eun_event_to_json(ev, r->buf, r->buf_size);
	const char *id;
	struct entry *e;
	char *json;

	if (n < 0)
		return 0;
	if ((size_t)n >= r->buf_size) {
		char *grown = realloc(r->buf, (size_t)n + 1);

		if (!grown)
			return 0;
		r->buf = grown;
		r->buf_size = (size_t)n + 1;
		eun_event_to_json(ev, r->buf, r->buf_size);
	}
	json = malloc((size_t)n + 1);
	if (!json)
		return 0;
	memcpy(json, r->buf, (size_t)n + 1);
	id = r->id_fn(r->cookie, eun_event_tracker(ev));
	pthread_mutex_lock(&r->lock);
	while (r->head - r->tail >= r->cap || (r->head > r->tail && r->bytes + (size_t)n > r->max_bytes))
		drop_oldest(r);
	e = &r->e[r->head % r->cap];
	e->json = json;
	e->len = (size_t)n;
	copy_name(e->tracker, eun_event_tracker_name(ev));
	copy_name(e->type, eun_event_type_name(ev));
	copy_name(e->id, id);
	r->bytes += (size_t)n;
	r->head++;
	r->appended = true;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

/* The end of a poll: wake the readers once for the whole batch. */
static void on_flush(void *data)
{
	struct stream_ring *r = data;

	pthread_mutex_lock(&r->lock);
	if (r->appended)
		wake_all(r);
	r->appended = false;
	pthread_mutex_unlock(&r->lock);
}

static const struct eun_listener_ops ring_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = on_event,
	.flush = on_flush,
};

struct stream_ring *stream_ring_new(struct eun_ctx *ctx, size_t max_events, size_t max_bytes,
				    unsigned max_clients, stream_id_fn id_fn, void *cookie)
{
	struct stream_ring *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cap = max_events;
	r->max_bytes = max_bytes;
	r->max_clients = max_clients;
	r->head = r->tail = 1;
	r->id_fn = id_fn;
	r->cookie = cookie;
	r->last_beat_ms = now_ms();
	r->buf_size = 4096;
	r->e = calloc(r->cap, sizeof(*r->e));
	r->buf = malloc(r->buf_size);
	pthread_mutex_init(&r->lock, NULL);
	if (r->e && r->buf) {
		EUN_OPTS(eun_listener_opts, lo, .name = "event streams");
		r->listener = eun_ctx_add_listener(ctx, &ring_ops, r, &lo);
	}
	if (!r->listener) {
		stream_ring_free(r);
		return NULL;
	}
	return r;
}

void stream_ring_free(struct stream_ring *r)
{
	if (!r)
		return;
	if (r->listener)
		eun_listener_remove(r->listener);
	while (r->e && r->tail < r->head)
		drop_oldest(r);
	free(r->e);
	free(r->buf);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void stream_ring_tick(struct stream_ring *r)
{
	int64_t now = now_ms();

	pthread_mutex_lock(&r->lock);
	if (now - r->last_beat_ms >= HEARTBEAT_MS / 2) {
		r->last_beat_ms = now;
		wake_all(r);
	}
	pthread_mutex_unlock(&r->lock);
}

void stream_ring_close(struct stream_ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->closed = true;
	wake_all(r);
	pthread_mutex_unlock(&r->lock);
}

void stream_ring_stats(struct stream_ring *r, struct stream_ring_stats *st)
{
	pthread_mutex_lock(&r->lock);
	st->next_seq = r->head;
	st->oldest_seq = r->tail;
	st->evicted = r->evicted;
	st->lost = r->lost;
	st->clients = r->clients;
	pthread_mutex_unlock(&r->lock);
}

/* ",a,b," from "a,b" for whole-name matching; NULL for NULL or "". */
static char *list_of(const char *csv, bool *oom)
{
	char *l;

	if (!csv || !*csv)
		return NULL;
	if (asprintf(&l, ",%s,", csv) < 0) {
		*oom = true;
		return NULL;
	}
	return l;
}

static bool in_list(const char *list, const char *name)
{
	char key[NAME_LEN + 2];

	if (!*name)
		return false;
	snprintf(key, sizeof(key), ",%s,", name);
	return strstr(list, key) != NULL;
}

static bool matches(const struct stream_client *c, const struct entry *e)
{
	if (c->trackers && !in_list(c->trackers, e->tracker) && !in_list(c->trackers, e->id))
		return false;
	return !c->types || in_list(c->types, e->type);
}

struct stream_client *stream_client_new(struct stream_ring *r, const struct stream_request *req,
					void (*suspend)(void *conn), void (*resume)(void *conn),
					void *conn)
{
	struct stream_client *c = calloc(1, sizeof(*c));
	bool oom = false;

	if (!c)
		return NULL;
	c->sse = req->sse;
	c->trackers = list_of(req->trackers, &oom);
	c->types = list_of(req->types, &oom);
	c->suspend = suspend;
	c->resume = resume;
	c->conn = conn;
	c->last_out_ms = now_ms();
	if (oom) {
		stream_client_free(c);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&r->lock);
	if (r->clients >= r->max_clients) {
		pthread_mutex_unlock(&r->lock);
		free(c->trackers);
		free(c->types);
		free(c);
		errno = EBUSY;
		return NULL;
	}
	r->clients++;
	/* An id past the newest (e.g. from before a restart): from the newest. */
	c->cursor = req->has_after && req->after < r->head ? req->after + 1 : r->head;
	pthread_mutex_unlock(&r->lock);
	c->r = r; /* counted: stream_client_free() uncounts it */
	return c;
}

void stream_client_free(struct stream_client *c)
{
	if (!c)
		return;
	if (c->r) {
		pthread_mutex_lock(&c->r->lock);
		for (struct stream_client **pp = &c->r->waiting; *pp; pp = &(*pp)->next_waiting)
			if (*pp == c) {
				*pp = c->next_waiting;
				break;
			}
		c->r->clients--;
		pthread_mutex_unlock(&c->r->lock);
	}
	free(c->trackers);
	free(c->types);
	free(c->out);
	free(c);
}

/* Append to the client's output buffer (lock held). False without memory. */
static bool out_put(struct stream_client *c, const char *s, size_t n)
{
	if (c->out_len + n > c->out_cap) {
		size_t cap = (c->out_len + n) * 2;
		char *grown = realloc(c->out, cap);

		if (!grown)
			return false;
		c->out = grown;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, s, n);
	c->out_len += n;
	return true;
}

/* One record: an event's JSON (NDJSON: with "seq" first) or a loss record. */
static bool out_record(struct stream_client *c, uint64_t id, const char *json, size_t len)
{
	char head[48];
	int n;

	if (c->sse) {
		n = snprintf(head, sizeof(head), "id: %" PRIu64 "\ndata: ", id);
		return out_put(c, head, (size_t)n) && out_put(c, json, len) && out_put(c, "\n\n", 2);
	}
	n = snprintf(head, sizeof(head), "{\"seq\":%" PRIu64 ",", id);
	return out_put(c, head, (size_t)n) && out_put(c, json + 1, len - 1) && out_put(c, "\n", 1);
}

static bool out_lost(struct stream_client *c, uint64_t since, uint64_t n)
{
	char rec[96];
	int len = snprintf(rec, sizeof(rec), "{\"lost\":%" PRIu64 ",\"since_seq\":%" PRIu64 "}", n,
			   since);

	if (c->sse)
		return out_record(c, since + n - 1, rec, (size_t)len);
	return out_put(c, rec, (size_t)len) && out_put(c, "\n", 1);
}

static bool out_heartbeat(struct stream_client *c, uint64_t next)
{
	char rec[64];
	int len;

	if (c->sse)
		return out_put(c, ": heartbeat\n\n", 13);
	len = snprintf(rec, sizeof(rec), "{\"heartbeat\":true,\"next_seq\":%" PRIu64 "}\n", next);
	return out_put(c, rec, (size_t)len);
}

/* Format what the client may send now into its buffer, at most about max
 * bytes (lock held). */
static void fill(struct stream_client *c, size_t max)
{
	struct stream_ring *r = c->r;

	if (c->cursor < r->tail) {
		uint64_t n = r->tail - c->cursor;

		if (!out_lost(c, c->cursor, n))
			return;
		r->lost += n;
		c->cursor = r->tail;
	}
	while (c->cursor < r->head && c->out_len < max) {
		const struct entry *e = &r->e[c->cursor % r->cap];

		if (matches(c, e) && !out_record(c, c->cursor, e->json, e->len))
			return;
		c->cursor++;
	}
}

ssize_t stream_client_read(struct stream_client *c, char *buf, size_t max)
{
	struct stream_ring *r = c->r;
	size_t n;

	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		pthread_mutex_lock(&r->lock);
		fill(c, max);
		if (!c->out_len && now_ms() - c->last_out_ms >= HEARTBEAT_MS)
			out_heartbeat(c, c->cursor);
		if (!c->out_len) {
			if (r->closed) {
				pthread_mutex_unlock(&r->lock);
				return -1;
			}
			c->suspended = true;
			c->next_waiting = r->waiting;
			r->waiting = c;
			c->suspend(c->conn);
			pthread_mutex_unlock(&r->lock);
			return 0;
		}
		pthread_mutex_unlock(&r->lock);
		c->last_out_ms = now_ms();
	}
	n = c->out_len - c->out_off;
	if (n > max)
		n = max;
	memcpy(buf, c->out + c->out_off, n);
	c->out_off += n;
	return (ssize_t)n;
}
