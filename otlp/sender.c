/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The sender thread. It takes batches of records off the queue (by count,
 * bytes or age), sends one logs request at a time and retries it as
 * retry.c allows, exports the metrics every interval, and on shutdown
 * sends what is queued, then a last metrics export, within the shutdown
 * time. Everything it decides is under x->lock; the HTTP requests, the
 * encoding and the log messages are not.
 */
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"
#include "gzip.h"
#include "logs_request.h"
#include "metrics_request.h"
#include "response.h"
#include "retry.h"
#include "self_metrics.h"

/* How often, at most, the queue-full drops are reported in the log. */
#define DROP_REPORT_MS 10000
/* How often the eunomia_otlp_* metrics are brought up to date. */
#define SELF_METRICS_MS 1000

/* A request being sent and retried. */
struct request {
	bool active;
	size_t n;           /* records or data points */
	struct buf raw;     /* the encoded request */
	struct buf gz;      /* its gzip, when compressing */
	struct backoff bo;
	int64_t next_ms;    /* when to try (again) */
	unsigned tries;
};

struct sender {
	struct eun_otlp *x;
	struct request logs;
	struct request metrics;    /* active while retrying */
	int64_t next_metrics_ms;   /* the next regular metrics export */
	unsigned metrics_flushed;  /* the flush generation the last metrics export served */
	bool final_metrics_done;
	bool stop_seen;
	int64_t logs_deadline_ms;  /* when stopping: records still unsent then are given up */
	int64_t stop_deadline_ms;  /* when stopping: the end of the shutdown time */
	int64_t self_metrics_ms;   /* next update of the eunomia_otlp_* metrics */
	unsigned logs_failing;     /* logs requests failed in a row */
	int64_t drop_report_ms;
};

/* Body to send of req: the gzip or the raw encoding. */
static const struct buf *wire(const struct eun_otlp *x, const struct request *req)
{
	return x->cfg.gzip ? &req->gz : &req->raw;
}

/* Compress req->raw when the exporter compresses. 0 or -ENOMEM. */
static int request_seal(const struct eun_otlp *x, struct request *req)
{
	if (req->raw.oom)
		return -ENOMEM;
	return x->cfg.gzip ? gzip_compress(&req->gz, req->raw.data, req->raw.len) : 0;
}

/* Time an attempt may take: the request timeout, cut to the deadline when stopping. */
static unsigned attempt_timeout(const struct sender *s, int64_t deadline, int64_t now)
{
	unsigned t = s->x->cfg.timeout_ms;

	if (s->stop_seen && deadline - now < (int64_t)t)
		t = deadline > now ? (unsigned)(deadline - now) : 1;
	return t;
}

/* Text for a failed attempt: the status and the receiver's message, or the connection error. */
static void describe(const struct eun_otlp *x, const struct http_result *r, char *out, size_t size)
{
	char msg[256];

	if (!r->status) {
		snprintf(out, size, "%s", r->error);
		return;
	}
	response_status_message(r->body, r->body_len, response_format(r->content_type, x->cfg.fmt),
				msg, sizeof(msg));
	snprintf(out, size, "HTTP %ld%s%s", r->status, msg[0] ? ": " : "", msg);
}

/* Update the eunomia_otlp_* metrics. */
static void self_metrics_push(struct sender *s)
{
	struct eun_otlp *x = s->x;
	EUN_OPTS(eun_otlp_stats, st);

	if (!x->cfg.metrics)
		return;
	eun_otlp_stats(x, &st);
	if (self_metrics_set(x->cfg.metrics, &st) < 0)
		otlp_log(&x->cfg.log, EUN_LOG_DEBUG, "cannot set the exporter's own metrics: %s",
			 eun_last_error());
	s->self_metrics_ms = otlp_now_ms() + SELF_METRICS_MS;
}

/* What a 2xx answer rejected of n items, clamped to [0, n], with its message. */
static size_t rejected_of(const struct eun_otlp *x, const struct http_result *r, size_t n,
			  char *msg, size_t size)
{
	int64_t rejected = 0;

	if (response_partial(r->body, r->body_len, response_format(r->content_type, x->cfg.fmt),
			     &rejected, msg, size) < 0) {
		otlp_log(&x->cfg.log, EUN_LOG_DEBUG, "the receiver's answer (%zu bytes) is not an "
			 "Export*ServiceResponse; taken as full success", r->body_len);
		return 0;
	}
	if (rejected < 0)
		return 0;
	return (uint64_t)rejected > n ? n : (size_t)rejected;
}

/* Send the logs request once and act on the answer; x->lock not held. */
static void logs_attempt(struct sender *s)
{
	struct eun_otlp *x = s->x;
	struct request *req = &s->logs;
	const struct buf *body = wire(x, req);
	int64_t now = otlp_now_ms(), wait = -1;
	unsigned timeout = attempt_timeout(s, s->logs_deadline_ms, now);
	struct http_result r;
	char why[512], msg[256] = "";
	size_t rejected = 0;
	bool ok, retry;

	http_post(x->http, x->cfg.logs_url, body->data, body->len, timeout, &r);
	now = otlp_now_ms();
	ok = r.status >= 200 && r.status < 300;
	if (ok)
		rejected = rejected_of(x, &r, req->n, msg, sizeof(msg));
	else
		describe(x, &r, why, sizeof(why));
	retry = !ok && !x->cfg.no_retry && retry_allowed(&r);
	if (retry) {
		wait = backoff_next(&req->bo, &r, now);
		if (wait >= 0 && s->stop_seen && now + wait > s->logs_deadline_ms)
			wait = -1;
	}
	pthread_mutex_lock(&x->lock);
	x->st.requests++;
	x->st.retries += req->tries > 0;
	req->tries++;
	if (ok) {
		x->st.log_records_sent += req->n - rejected;
		x->st.log_records_rejected += rejected;
	} else if (wait < 0) {
		x->st.log_records_failed += req->n;
		if (s->stop_seen && retry)
			x->shutdown_result = -ETIMEDOUT;
	}
	req->active = !ok && wait >= 0;
	req->next_ms = now + wait;
	pthread_mutex_unlock(&x->lock);

	if (ok) {
		if (rejected || msg[0])
			otlp_log(&x->cfg.log, EUN_LOG_WARN, "the receiver rejected %zu of %zu log "
				 "records: %s", rejected, req->n, msg[0] ? msg : "(no message)");
		if (s->logs_failing)
			otlp_log(&x->cfg.log, EUN_LOG_INFO, "logs delivered again to %s after %u "
				 "failed requests", x->cfg.logs_url, s->logs_failing);
		s->logs_failing = 0;
	} else if (wait >= 0) {
		if (!s->logs_failing++)
			otlp_log(&x->cfg.log, EUN_LOG_WARN, "cannot send logs to %s (%s); retrying "
				 "in %" PRId64 " ms", x->cfg.logs_url, why, wait);
		else
			otlp_log(&x->cfg.log, EUN_LOG_DEBUG, "logs: %s; retrying in %" PRId64 " ms",
				 why, wait);
	} else {
		s->logs_failing++;
		otlp_log(&x->cfg.log, EUN_LOG_WARN, "%zu log records given up after %u tries to "
			 "%s: %s%s", req->n, req->tries, x->cfg.logs_url, why,
			 !retry ? " (not retried: the answer says retrying cannot help)"
			 : s->stop_seen ? " (shutdown time is up)" : " (retry time is up)");
	}
}

/* Take a batch off the queue and encode it; x->lock held, released meanwhile. */
static void logs_take(struct sender *s)
{
	struct eun_otlp *x = s->x;
	struct request *req = &s->logs;
	struct qitem *items = queue_take(&x->q, x->cfg.batch_max_items, x->cfg.batch_max_bytes,
					 &req->n);
	int err;

	pthread_mutex_unlock(&x->lock);
	err = logs_request_encode(&req->raw, x->cfg.fmt, items, req->n);
	if (!err)
		err = request_seal(x, req);
	pthread_mutex_lock(&x->lock);
	otlp_items_free(x, items);
	if (err) {
		x->st.log_records_failed += req->n;
		pthread_mutex_unlock(&x->lock);
		otlp_log(&x->cfg.log, EUN_LOG_ERROR, "out of memory encoding %zu log records; "
			 "they are lost", req->n);
		pthread_mutex_lock(&x->lock);
		return;
	}
	req->active = true;
	req->tries = 0;
	req->bo = (struct backoff){ .initial_ms = x->cfg.retry_initial_ms,
				    .max_interval_ms = x->cfg.retry_max_interval_ms,
				    .max_elapsed_ms = x->cfg.retry_max_elapsed_ms,
				    .rand = req->bo.rand };
	req->next_ms = otlp_now_ms();
	backoff_start(&req->bo, req->next_ms);
}

/* Export the metrics once and act on the answer; x->lock not held. */
static void metrics_attempt(struct sender *s, bool final)
{
	struct eun_otlp *x = s->x;
	struct request *req = &s->metrics;
	int64_t now = otlp_now_ms(), wait = -1, limit;
	struct http_result r;
	char why[512], msg[256] = "";
	size_t rejected = 0;
	bool ok, retry;
	int points;

	self_metrics_push(s);
	points = metrics_request_encode(&req->raw, x->cfg.fmt, x->cfg.metrics, &x->host->enc,
					otlp_epoch_ns());
	if (points < 0 || request_seal(x, req) < 0) {
		otlp_log(&x->cfg.log, EUN_LOG_ERROR, "cannot encode the metrics: %s",
			 points == -ENOMEM || points >= 0 ? "out of memory" : eun_last_error());
		req->active = false;
		return;
	}
	if (!req->active) {
		req->tries = 0;
		req->bo = (struct backoff){ .initial_ms = x->cfg.retry_initial_ms,
					    .max_interval_ms = x->cfg.retry_max_interval_ms,
					    .max_elapsed_ms = x->cfg.retry_max_elapsed_ms,
					    .rand = req->bo.rand };
		backoff_start(&req->bo, now);
	}
	req->n = (size_t)points;
	http_post(x->http, x->cfg.metrics_url, wire(x, req)->data, wire(x, req)->len,
		  attempt_timeout(s, s->stop_deadline_ms, now), &r);
	now = otlp_now_ms();
	ok = r.status >= 200 && r.status < 300;
	if (ok)
		rejected = rejected_of(x, &r, req->n, msg, sizeof(msg));
	else
		describe(x, &r, why, sizeof(why));
	retry = !ok && !x->cfg.no_retry && retry_allowed(&r);
	if (retry) {
		/* A newer export replaces this one: retry only until it is due. */
		limit = final ? s->stop_deadline_ms : s->next_metrics_ms;
		wait = backoff_next(&req->bo, &r, now);
		if (wait >= 0 && now + wait >= limit)
			wait = -1;
	}
	pthread_mutex_lock(&x->lock);
	x->st.requests++;
	x->st.retries += req->tries > 0;
	req->tries++;
	if (ok) {
		x->st.metric_points_sent += req->n - rejected;
		x->st.metric_points_rejected += rejected;
	} else if (wait < 0) {
		x->st.metric_points_failed += req->n;
	}
	req->active = !ok && wait >= 0;
	req->next_ms = now + wait;
	pthread_mutex_unlock(&x->lock);
	if (ok && (rejected || msg[0]))
		otlp_log(&x->cfg.log, EUN_LOG_WARN, "the receiver rejected %zu of %zu metric data "
			 "points: %s", rejected, req->n, msg[0] ? msg : "(no message)");
	else if (!ok)
		otlp_log(&x->cfg.log, wait >= 0 ? EUN_LOG_DEBUG : EUN_LOG_WARN,
			 "cannot send metrics to %s (%s)%s", x->cfg.metrics_url, why,
			 wait >= 0 ? "; retrying" : "; this export is given up");
	self_metrics_push(s);
}

/* True when nothing of the logs is queued or being sent; x->lock held. */
static bool logs_idle(const struct sender *s)
{
	return !s->logs.active && !s->x->q.items;
}

/* When stopping and out of time: give up the batch and the queue; x->lock held. */
static void give_up_logs(struct sender *s)
{
	struct eun_otlp *x = s->x;
	size_t n = x->q.items + (s->logs.active ? s->logs.n : 0);
	struct qitem *all;

	if (!n)
		return;
	x->st.log_records_failed += n;
	x->shutdown_result = -ETIMEDOUT;
	s->logs.active = false;
	all = x->q.head;
	x->q = (struct queue){ .max_items = x->q.max_items, .max_bytes = x->q.max_bytes,
			       .policy = x->q.policy };
	otlp_items_free(x, all);
	pthread_mutex_unlock(&x->lock);
	otlp_log(&x->cfg.log, EUN_LOG_WARN, "shutdown: %zu log records were not delivered within "
		 "%u ms and are given up", n, x->cfg.shutdown_timeout_ms);
	pthread_mutex_lock(&x->lock);
}

/* True if a batch should be taken off the queue now; x->lock held. */
static bool batch_ready(const struct sender *s, int64_t now, bool urgent)
{
	const struct eun_otlp *x = s->x;

	return !s->logs.active && x->q.items &&
	       (urgent || x->q.items >= x->cfg.batch_max_items ||
		x->q.bytes >= x->cfg.batch_max_bytes ||
		now - x->q.head->queued_ms >= (int64_t)x->cfg.batch_timeout_ms);
}

/* Note a shutdown request: fix the deadlines; x->lock held. */
static void see_stop(struct sender *s, int64_t now)
{
	const struct otlp_config *c = &s->x->cfg;
	unsigned reserve = 0;

	s->stop_seen = true;
	s->stop_deadline_ms = now + c->shutdown_timeout_ms;
	/* Keep time for the last metrics export. */
	if (c->metrics)
		reserve = c->timeout_ms < c->shutdown_timeout_ms / 4 ? c->timeout_ms
								      : c->shutdown_timeout_ms / 4;
	s->logs_deadline_ms = s->stop_deadline_ms - reserve;
	/* A retry waiting past the deadline is tried now instead. */
	if (s->logs.active && s->logs.next_ms > now)
		s->logs.next_ms = now;
}

/* Report queue-full drops, at most every DROP_REPORT_MS; x->lock held. */
static void report_drops(struct sender *s, int64_t now)
{
	struct eun_otlp *x = s->x;
	uint64_t n = x->st.log_records_dropped - x->dropped_reported;

	if (!n || now < s->drop_report_ms)
		return;
	x->dropped_reported = x->st.log_records_dropped;
	s->drop_report_ms = now + DROP_REPORT_MS;
	pthread_mutex_unlock(&x->lock);
	otlp_log(&x->cfg.log, EUN_LOG_WARN, "%" PRIu64 " log records dropped: the queue is full "
		 "(%zu records, %zu bytes); the receiver is down or slower than the events", n,
		 x->cfg.queue_max_items, x->cfg.queue_max_bytes);
	pthread_mutex_lock(&x->lock);
}

/* Wait for something to do until `until` (monotonic ms); x->lock held. */
static void sleep_until(struct eun_otlp *x, int64_t until)
{
	struct timespec ts;
	int64_t now = otlp_now_ms();

	if (until <= now)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (until - now) / 1000;
	ts.tv_nsec += (long)((until - now) % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&x->wake, &x->lock, &ts);
}

/* The earliest time something may become due; x->lock held. */
static int64_t next_due(const struct sender *s, int64_t now)
{
	const struct eun_otlp *x = s->x;
	int64_t t = now + 60000;

	if (s->logs.active && s->logs.next_ms < t)
		t = s->logs.next_ms;
	if (!s->logs.active && x->q.head && x->q.head->queued_ms + x->cfg.batch_timeout_ms < t)
		t = x->q.head->queued_ms + x->cfg.batch_timeout_ms;
	if (x->cfg.metrics) {
		int64_t m = s->metrics.active ? s->metrics.next_ms : s->next_metrics_ms;

		if (m < t)
			t = m;
		if (s->self_metrics_ms < t)
			t = s->self_metrics_ms;
	}
	if (s->stop_seen && s->logs_deadline_ms < t && !logs_idle(s))
		t = s->logs_deadline_ms;
	return t;
}

/* Do the next thing that is due; false when the thread is done. x->lock held. */
static bool step(struct sender *s)
{
	struct eun_otlp *x = s->x;
	int64_t now = otlp_now_ms();
	bool flush = x->flush_asked != x->flush_done, metrics_due;

	if (x->stopping && !s->stop_seen)
		see_stop(s, now);
	if (s->stop_seen && now >= s->logs_deadline_ms)
		give_up_logs(s);
	report_drops(s, now);
	if (batch_ready(s, now, flush || s->stop_seen)) {
		logs_take(s);
		return true;
	}
	if (s->logs.active && now >= s->logs.next_ms) {
		pthread_mutex_unlock(&x->lock);
		logs_attempt(s);
		pthread_mutex_lock(&x->lock);
		return true;
	}
	/* Metrics: when due, retried, or after the logs for a flush or shutdown. */
	metrics_due = x->cfg.metrics &&
		      (s->metrics.active ? now >= s->metrics.next_ms
					 : now >= s->next_metrics_ms ||
					   (logs_idle(s) && flush && s->metrics_flushed != x->flush_asked) ||
					   (logs_idle(s) && s->stop_seen && !s->final_metrics_done));
	if (metrics_due) {
		unsigned gen = x->flush_asked;
		bool final = s->stop_seen && logs_idle(s);

		if (!s->metrics.active)
			s->next_metrics_ms = now + x->cfg.metrics_interval_ms;
		pthread_mutex_unlock(&x->lock);
		metrics_attempt(s, final);
		pthread_mutex_lock(&x->lock);
		if (!s->metrics.active) {
			s->metrics_flushed = gen;
			s->final_metrics_done |= final;
		}
		return true;
	}
	if (s->stop_seen && logs_idle(s) && (!x->cfg.metrics || s->final_metrics_done ||
					      now >= s->stop_deadline_ms))
		return false;
	if (flush && logs_idle(s) &&
	    (!x->cfg.metrics || (!s->metrics.active && s->metrics_flushed == x->flush_asked))) {
		x->flush_done = x->flush_asked;
		pthread_cond_broadcast(&x->idle);
		return true;
	}
	if (x->cfg.metrics && now >= s->self_metrics_ms) {
		pthread_mutex_unlock(&x->lock);
		self_metrics_push(s);
		pthread_mutex_lock(&x->lock);
		return true;
	}
	sleep_until(x, next_due(s, now));
	return true;
}

void *otlp_sender_main(void *arg)
{
	struct sender s = { .x = arg };
	struct eun_otlp *x = s.x;
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);

	/* JSON numbers need a '.' whatever the program's locale. */
	if (c_locale)
		uselocale(c_locale);
	s.next_metrics_ms = otlp_now_ms() + x->cfg.metrics_interval_ms;
	pthread_mutex_lock(&x->lock);
	while (step(&s))
		;
	x->flush_done = x->flush_asked;
	pthread_cond_broadcast(&x->idle);
	pthread_mutex_unlock(&x->lock);
	self_metrics_push(&s);
	buf_free(&s.logs.raw);
	buf_free(&s.logs.gz);
	buf_free(&s.metrics.raw);
	buf_free(&s.metrics.gz);
	if (c_locale) {
		uselocale(LC_GLOBAL_LOCALE);
		freelocale(c_locale);
	}
	return NULL;
}
