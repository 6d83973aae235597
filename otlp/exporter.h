/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter's state, shared by the caller's side (exporter.c) and the
 * sender thread (sender.c). */
#ifndef EUNOMIA_OTLP_EXPORTER_H
#define EUNOMIA_OTLP_EXPORTER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <eunomia/otlp.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "log_record.h"
#include "queue.h"
#include "resource.h"

struct eun_otlp {
	struct otlp_config cfg;
	struct http *http;            /* the sender thread's */

	pthread_mutex_t lock;         /* guards everything below up to the observer's part */
	pthread_cond_t wake;          /* the sender thread waits on it */
	pthread_cond_t idle;          /* eun_otlp_flush() waits on it */
	struct queue q;
	struct resources res;
	struct eun_otlp_stats st;     /* counters */
	uint64_t dropped_reported;    /* st.log_records_dropped when last logged */
	bool stopping;                /* eun_otlp_shutdown() asked: take no more records */
	unsigned flush_asked;         /* eun_otlp_flush() calls so far */
	unsigned flush_done;          /* of them, those the sender finished */
	bool thread_running;
	bool shut_down;               /* eun_otlp_shutdown() has returned */
	int shutdown_result;

	struct resource *host;        /* the host's resource, for the metrics (own reference) */
	pthread_t thread;

	/* eun_otlp_attach()'s listener on the ctx's bus (ctx thread only), and
	 * what its queue had dropped when it was removed. */
	struct eun_listener *listener;
	uint64_t bus_dropped;

	/* The observer's: used by eun_otlp_observe() only, one thread at a time. */
	struct plans plans;
	struct buf rec;
};

/* CLOCK_MONOTONIC ms, and CLOCK_REALTIME ns. */
int64_t otlp_now_ms(void);
uint64_t otlp_epoch_ns(void);

/* The sender thread: batches, sends, retries, exports metrics, until
 * shutdown has delivered everything or run out of time. */
void *otlp_sender_main(void *arg);

/* Free a chain of queue items, dropping their resource references; x->lock held. */
void otlp_items_free(struct eun_otlp *x, struct qitem *it);

/* Remove eun_otlp_attach()'s listener, if any, keeping its drop count. */
void otlp_detach(struct eun_otlp *x);
/* Events the attached listener's queue dropped, so far or until detached. */
uint64_t otlp_bus_dropped(const struct eun_otlp *x);

#endif
