/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia-otlp: export events as OpenTelemetry logs and the metrics
 * registry as OpenTelemetry metrics over OTLP/HTTP (protobuf or JSON).
 *
 * A separate library (pkg-config libeunomia-otlp) so that programs which
 * only trace do not pull in libcurl and a TLS stack. It uses nothing of
 * libeunomia but its public API. docs/otlp.md describes the mapping, the
 * delivery rules and the counters.
 *
 *     EUN_OPTS(eun_otlp_opts, o, .endpoint = "http://127.0.0.1:4318", .metrics = m);
 *     struct eun_otlp *x = eun_otlp_new(&o);
 *     ... in the event callback: eun_otlp_observe(x, ev);
 *     eun_otlp_shutdown(x);   (after the trackers stopped: flushes, last metrics)
 *     eun_otlp_free(x);
 */
#ifndef EUNOMIA_OTLP_H
#define EUNOMIA_OTLP_H

#include <eunomia/eunomia.h>

#ifdef __cplusplus
extern "C" {
#endif

struct eun_otlp;

/* OTEL_EXPORTER_OTLP_PROTOCOL. */
enum eun_otlp_protocol {
	EUN_OTLP_PROTOCOL_DEFAULT = 0, /* the environment's, else http/protobuf */
	EUN_OTLP_HTTP_PROTOBUF,
	EUN_OTLP_HTTP_JSON,
};

/* OTEL_EXPORTER_OTLP_COMPRESSION. */
enum eun_otlp_compression {
	EUN_OTLP_COMPRESSION_DEFAULT = 0, /* the environment's, else gzip */
	EUN_OTLP_GZIP,
	EUN_OTLP_NO_COMPRESSION,
};

/* What a full queue does with a new record. Either way it is counted in
 * eun_otlp_stats.log_records_dropped. */
enum eun_otlp_drop_policy {
	EUN_OTLP_DROP_NEWEST = 0, /* refuse the new record (the Collector's default) */
	EUN_OTLP_DROP_OLDEST,     /* make room by dropping the oldest queued ones */
};

/* Every member may be left 0/NULL for its default. Strings are copied by
 * eun_otlp_new(). Unless ignore_env, unset members are taken from the
 * standard environment variables named below, then from the defaults. */
struct eun_otlp_opts {
	size_t sz; /* sizeof(struct eun_otlp_opts) */
	/* Base URL, "/v1/logs" and "/v1/metrics" are appended.
	 * $OTEL_EXPORTER_OTLP_ENDPOINT, default http://127.0.0.1:4318.
	 * $OTEL_EXPORTER_OTLP_LOGS_ENDPOINT / _METRICS_ENDPOINT, used as
	 * they are, win over the environment's base URL, not over this one. */
	const char *endpoint;
	/* Extra request headers "k1=v1,k2=v2" (values %-encoded as in the
	 * W3C baggage format), added to $OTEL_EXPORTER_OTLP_HEADERS. */
	const char *headers;
	enum eun_otlp_protocol protocol;       /* $OTEL_EXPORTER_OTLP_PROTOCOL */
	enum eun_otlp_compression compression; /* $OTEL_EXPORTER_OTLP_COMPRESSION */
	/* service.name of every resource: $OTEL_SERVICE_NAME, else the
	 * resource attributes' service.name, else "eunomia". */
	const char *service_name;
	/* Resource attributes "k1=v1,..." (%-encoded values), added to
	 * $OTEL_RESOURCE_ATTRIBUTES and winning over it. */
	const char *resource_attributes;
	bool ignore_env;                 /* read no environment variable */
	/* The registry to export as OTLP metrics (it must outlive the
	 * exporter), and where the exporter's own counters are set
	 * (eunomia_otlp_*). NULL: logs only. */
	struct eun_metrics *metrics;
	unsigned metrics_interval_ms;    /* $OTEL_METRIC_EXPORT_INTERVAL, default 60000 */
	unsigned timeout_ms;             /* per request: $OTEL_EXPORTER_OTLP_TIMEOUT, default 10000 */
	/* A logs request carries at most batch_max_items records
	 * ($OTEL_BLRP_MAX_EXPORT_BATCH_SIZE, default 1024) and about
	 * batch_max_bytes of them (default 4 MiB, before compression); one is
	 * sent once either is reached or the oldest record waited
	 * batch_timeout_ms ($OTEL_BLRP_SCHEDULE_DELAY, default 1000). */
	size_t batch_max_items;
	size_t batch_max_bytes;
	unsigned batch_timeout_ms;
	/* The queue of records waiting to be sent holds at most queue_max_items
	 * ($OTEL_BLRP_MAX_QUEUE_SIZE, default 8192) and queue_max_bytes
	 * (encoded, default 16 MiB); then drop_policy applies. */
	size_t queue_max_items;
	size_t queue_max_bytes;
	enum eun_otlp_drop_policy drop_policy;
	/* Retries of a request that failed with 429, 502, 503, 504 or a
	 * connection error: after Retry-After when the answer has one, else
	 * after retry_initial_ms (default 5000), each wait 1.5 times the last
	 * (+/- 50% jitter) up to retry_max_interval_ms (default 30000), and
	 * not after retry_max_elapsed_ms since the first try (default
	 * 300000). no_retry: never retry. */
	unsigned retry_initial_ms;
	unsigned retry_max_interval_ms;
	unsigned retry_max_elapsed_ms;
	bool no_retry;
	/* eun_otlp_shutdown() delivers what is queued, then a last metrics
	 * export, within this time (default 10000). */
	unsigned shutdown_timeout_ms;
	/* Messages about delivery (failures, recovery, drops), from the
	 * exporter's thread too. NULL: errors and warnings to stderr. */
	eun_log_fn log_fn;
	void *log_cookie;
	size_t :0;
};

/* Check the options, read the environment and start the sender thread.
 * NULL with errno set (EINVAL: bad option or environment variable, the
 * message names it) and eun_otlp_last_error() saying why. */
EUN_API struct eun_otlp *eun_otlp_new(const struct eun_otlp_opts *opts);

/* Attach the exporter to ctx as a listener with a thread and a bounded
 * queue of its own (of queue_max_items events): every event the ctx
 * delivers is encoded and queued for OTLP off the polling thread, which
 * never waits for it; what that queue has no room for is counted in
 * eun_otlp_stats.events_dropped_on_bus. eun_otlp_shutdown() detaches it
 * (call it on the ctx's thread then). 0, -EBUSY if attached already, or
 * -errno. */
EUN_API int eun_otlp_attach(struct eun_otlp *x, struct eun_ctx *ctx);

/* Copy what the OTLP log record of ev needs and queue it; for an exporter
 * that is not attached, call it from the ctx's event callback (one thread
 * at a time). 1 if queued, 0 if dropped
 * because the queue is full (counted), -ESHUTDOWN after
 * eun_otlp_shutdown(), -EINVAL or -ENOMEM. */
EUN_API int eun_otlp_observe(struct eun_otlp *x, const struct eun_event *ev);

/* Send every queued record now, and the metrics if there are any, and
 * wait until they are delivered or given up, or timeout_ms (-1: no
 * limit) has passed. 0, or -ETIMEDOUT. */
EUN_API int eun_otlp_flush(struct eun_otlp *x, int timeout_ms);

/* Detach from the ctx (after delivering what its queue holds), stop taking
 * records, deliver what is queued (retrying as usual, within
 * shutdown_timeout_ms), make a last metrics export and stop the thread.
 * What could not be delivered in time is counted as failed. Call it after
 * the trackers stopped (which delivers their last events). 0, or
 * -ETIMEDOUT if records had to be given up. Later calls return 0. */
EUN_API int eun_otlp_shutdown(struct eun_otlp *x);

/* Shut down if not done yet, then free. NULL is ignored. */
EUN_API void eun_otlp_free(struct eun_otlp *x);

/* The exporter's counters. After shutdown, log_records_received ==
 * sent + dropped + failed + rejected. */
struct eun_otlp_stats {
	size_t sz;                     /* sizeof(struct eun_otlp_stats) */
	uint64_t log_records_received; /* passed to eun_otlp_observe() and encoded */
	uint64_t log_records_sent;     /* accepted by the receiver */
	uint64_t log_records_dropped;  /* dropped because the queue was full */
	uint64_t log_records_failed;   /* given up: refused answer, retries exhausted, shutdown */
	uint64_t log_records_rejected; /* refused by the receiver's partial success */
	uint64_t metric_points_sent;
	uint64_t metric_points_failed;
	uint64_t metric_points_rejected;
	uint64_t requests;             /* HTTP requests made, retries included */
	uint64_t retries;              /* requests that were retries */
	uint64_t queue_items;          /* records waiting now (not those being sent) */
	uint64_t queue_bytes;
	uint64_t queue_max_items;      /* the queue's capacity */
	uint64_t queue_max_bytes;
	/* Attached exporters: events the bus could not queue for encoding
	 * (its listener queue was full), never passed to eun_otlp_observe(). */
	uint64_t events_dropped_on_bus;
	size_t :0;
};

/* Fill st (its sz set by the caller, e.g. with EUN_OPTS). Any thread. 0 or -EINVAL. */
EUN_API int eun_otlp_stats(const struct eun_otlp *x, struct eun_otlp_stats *st);

/* The OTLP SeverityNumber for a rule priority, case-insensitive:
 * emergency 23, alert 22, critical 21 (FATAL), error 17, warning 13,
 * notice 10, informational or info 9, debug 5; 0 (unspecified) for
 * anything else. */
EUN_API int eun_otlp_severity(const char *priority);

/* Text of the last failure of an eun_otlp_* call on this thread, "" if none. */
EUN_API const char *eun_otlp_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_OTLP_H */
