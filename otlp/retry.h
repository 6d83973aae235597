/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* When a failed request is tried again, as the OTLP/HTTP spec and the
 * Collector's exporterhelper do: only 429, 502, 503, 504 and connection
 * errors are retried, after Retry-After or an exponential backoff with
 * jitter, and not past a total time. */
#ifndef EUNOMIA_OTLP_RETRY_H
#define EUNOMIA_OTLP_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"

/* True if the request that got r may be tried again. */
bool retry_allowed(const struct http_result *r);

/* The backoff of one request. */
struct backoff {
	unsigned initial_ms, max_interval_ms, max_elapsed_ms;
	uint64_t next_ms; /* the next wait before jitter */
	int64_t first_ms; /* monotonic time of the first try */
	uint64_t rand;    /* jitter state */
};

/* Start the backoff of a request first tried at now_ms. */
void backoff_start(struct backoff *b, int64_t now_ms);

/* The wait before the next try after r at now_ms: Retry-After if r has
 * it, else the backoff (+/- 50%), which then grows 1.5 times up to
 * max_interval_ms. -1 if the try would come more than max_elapsed_ms
 * after the first. */
int64_t backoff_next(struct backoff *b, const struct http_result *r, int64_t now_ms);

#endif
