/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* One HTTP POST at a time through libcurl, connection kept between them. */
#ifndef EUNOMIA_OTLP_HTTP_H
#define EUNOMIA_OTLP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attrs.h"
#include "buf.h"
#include "kv.h"

/* Bytes of a response body kept (the OTLP spec's client cap). */
#define HTTP_MAX_RESPONSE (4u << 20)

struct http;

/* How a POST went. */
struct http_result {
	long status;         /* HTTP status; 0: no answer (connection error, timeout) */
	long retry_after_s;  /* the Retry-After header in seconds, -1 if none */
	bool permanent;      /* no answer, and retrying cannot help (bad URL, TLS refused) */
	const uint8_t *body; /* the answer's first HTTP_MAX_RESPONSE bytes */
	size_t body_len;
	const char *content_type; /* may be NULL */
	const char *error;   /* with status 0: what went wrong */
};

/* A client sending fmt's content type, gzip-encoded if gzip, with the
 * extra headers. NULL with the error text set. */
struct http *http_new(enum otlp_format fmt, bool gzip, const struct attr_list *headers);

/* POST the n bytes at body to url within timeout_ms. *r is valid until
 * the next call. */
void http_post(struct http *h, const char *url, const void *body, size_t n, unsigned timeout_ms,
	       struct http_result *r);

void http_free(struct http *h);

#endif
