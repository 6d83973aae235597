/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter's public calls: create, observe events, flush, shut down,
 * counters. The sending happens on the thread of sender.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exporter.h"

int64_t otlp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t otlp_epoch_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void otlp_items_free(struct eun_otlp *x, struct qitem *it)
{
	while (it) {
		struct qitem *next = it->next;

		resources_put(&x->res, it->res);
		free(it);
		it = next;
	}
}

/* Free what eun_otlp_new() made; the thread is not running. */
static void exporter_free(struct eun_otlp *x)
{
	otlp_items_free(x, x->q.head);
	if (x->host)
		resources_put(&x->res, x->host);
	resources_free(&x->res);
	plans_free(&x->plans);
	buf_free(&x->rec);
	http_free(x->http);
	pthread_cond_destroy(&x->idle);
	pthread_cond_destroy(&x->wake);
	pthread_mutex_destroy(&x->lock);
	config_free(&x->cfg);
	free(x);
}

struct eun_otlp *eun_otlp_new(const struct eun_otlp_opts *opts)
{
	struct eun_otlp *x;
	pthread_condattr_t ca;
	int err;

	otlp_clear_error();
	x = calloc(1, sizeof(*x));
	if (!x) {
		errno = -otlp_error(ENOMEM, "out of memory");
		return NULL;
	}
	err = config_build(&x->cfg, opts);
	if (err) {
		free(x);
		errno = -err;
		return NULL;
	}
	pthread_mutex_init(&x->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&x->wake, &ca);
	pthread_cond_init(&x->idle, &ca);
	pthread_condattr_destroy(&ca);
	x->q = (struct queue){ .max_items = x->cfg.queue_max_items,
			       .max_bytes = x->cfg.queue_max_bytes,
			       .policy = x->cfg.drop_policy };
	x->st.queue_max_items = x->cfg.queue_max_items;
	x->st.queue_max_bytes = x->cfg.queue_max_bytes;
	err = resources_init(&x->res, x->cfg.fmt, &x->cfg.resource);
	if (!err && !(x->host = resources_get(&x->res, NULL)))
		err = -ENOMEM;
	if (err) {
		otlp_error(ENOMEM, "out of memory");
		exporter_free(x);
		errno = ENOMEM;
		return NULL;
	}
	x->http = http_new(x->cfg.fmt, x->cfg.gzip, &x->cfg.headers);
	if (!x->http) {
		exporter_free(x);
		errno = ENOMEM;
		return NULL;
	}
	err = pthread_create(&x->thread, NULL, otlp_sender_main, x);
	if (err) {
		otlp_error(err, "cannot start the OTLP sender thread: %s", strerror(err));
		exporter_free(x);
		errno = err;
		return NULL;
	}
	x->thread_running = true;
	otlp_log(&x->cfg.log, EUN_LOG_DEBUG, "exporting to %s%s%s (%s%s)", x->cfg.logs_url,
		 x->cfg.metrics ? " and " : "", x->cfg.metrics ? x->cfg.metrics_url : "",
		 x->cfg.fmt == OTLP_JSON ? "http/json" : "http/protobuf", x->cfg.gzip ? ", gzip" : "");
	return x;
}

int eun_otlp_observe(struct eun_otlp *x, const struct eun_event *ev)
{
	EUN_OPTS(eun_container_info, c);
	struct qitem *it, *dropped = NULL;
	bool queued, was_empty;
	int err;

	if (!x || !ev)
		return otlp_error(EINVAL, "eun_otlp_observe: x and ev must not be NULL");
	buf_reset(&x->rec);
	err = log_record_encode(&x->plans, &x->rec, x->cfg.fmt, ev, otlp_epoch_ns());
	if (err)
		return otlp_error(ENOMEM, "out of memory");
	if (eun_event_container(ev, &c) < 0)
		c.id[0] = c.pod_uid[0] = '\0';
	it = malloc(sizeof(*it) + x->rec.len);
	if (!it)
		return otlp_error(ENOMEM, "out of memory");
	it->len = x->rec.len;
	memcpy(it->data, x->rec.data, x->rec.len);
	it->queued_ms = otlp_now_ms();
	pthread_mutex_lock(&x->lock);
	if (x->stopping) {
		pthread_mutex_unlock(&x->lock);
		free(it);
		return otlp_error(ESHUTDOWN, "eun_otlp_observe: the exporter is shut down");
	}
	it->res = resources_get(&x->res, &c);
	if (!it->res) {
		pthread_mutex_unlock(&x->lock);
		free(it);
		return otlp_error(ENOMEM, "out of memory");
	}
	x->st.log_records_received++;
	was_empty = !x->q.items;
	queued = queue_push(&x->q, it, &dropped);
	for (struct qitem *d = dropped; d; d = d->next)
		x->st.log_records_dropped++;
	otlp_items_free(x, dropped);
	/* The sender needs to know when to send: a first record starts the
	 * batch timer, a full batch goes at once. */
	if ((queued && was_empty) || x->q.items >= x->cfg.batch_max_items ||
	    x->q.bytes >= x->cfg.batch_max_bytes)
		pthread_cond_signal(&x->wake);
	pthread_mutex_unlock(&x->lock);
	return queued;
}

/* Absolute CLOCK_MONOTONIC time timeout_ms from now. */
static struct timespec deadline_in(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

int eun_otlp_flush(struct eun_otlp *x, int timeout_ms)
{
	struct timespec until;
	unsigned asked;
	int err = 0;

	otlp_clear_error();
	if (!x)
		return otlp_error(EINVAL, "eun_otlp_flush: x must not be NULL");
	until = deadline_in(timeout_ms < 0 ? 0 : timeout_ms);
	pthread_mutex_lock(&x->lock);
	asked = ++x->flush_asked;
	pthread_cond_signal(&x->wake);
	while (x->thread_running && (int)(x->flush_done - asked) < 0 && !err)
		err = timeout_ms < 0 ? pthread_cond_wait(&x->idle, &x->lock)
				     : pthread_cond_timedwait(&x->idle, &x->lock, &until);
	pthread_mutex_unlock(&x->lock);
	if (err == ETIMEDOUT)
		return otlp_error(ETIMEDOUT, "eun_otlp_flush: not everything was delivered within "
				  "%d ms", timeout_ms);
	return 0;
}

int eun_otlp_shutdown(struct eun_otlp *x)
{
	otlp_clear_error();
	if (!x)
		return otlp_error(EINVAL, "eun_otlp_shutdown: x must not be NULL");
	otlp_detach(x); /* its queue's last events first */
	pthread_mutex_lock(&x->lock);
	if (x->shut_down) {
		pthread_mutex_unlock(&x->lock);
		return 0;
	}
	x->stopping = true;
	pthread_cond_signal(&x->wake);
	pthread_mutex_unlock(&x->lock);
	pthread_join(x->thread, NULL);
	pthread_mutex_lock(&x->lock);
	x->thread_running = false;
	x->shut_down = true;
	pthread_cond_broadcast(&x->idle);
	pthread_mutex_unlock(&x->lock);
	if (x->shutdown_result)
		return otlp_error(-x->shutdown_result, "eun_otlp_shutdown: records were given up "
				  "after %u ms (see eun_otlp_stats())", x->cfg.shutdown_timeout_ms);
	return 0;
}

void eun_otlp_free(struct eun_otlp *x)
{
	if (!x)
		return;
	eun_otlp_shutdown(x);
	exporter_free(x);
}

int eun_otlp_stats(const struct eun_otlp *x, struct eun_otlp_stats *st)
{
	struct eun_otlp *mx = (struct eun_otlp *)x;
	struct eun_otlp_stats now;
	size_t n;

	otlp_clear_error();
	if (!x || !st || st->sz < sizeof(size_t))
		return otlp_error(EINVAL, "eun_otlp_stats: x and st must not be NULL, and st->sz "
				  "must be set (EUN_OPTS)");
	pthread_mutex_lock(&mx->lock);
	now = x->st;
	now.queue_items = x->q.items;
	now.queue_bytes = x->q.bytes;
	pthread_mutex_unlock(&mx->lock);
	now.events_dropped_on_bus = otlp_bus_dropped(x);
	n = st->sz < sizeof(now) ? st->sz : sizeof(now);
	memcpy((char *)st + sizeof(size_t), (char *)&now + sizeof(size_t), n - sizeof(size_t));
	return 0;
}
