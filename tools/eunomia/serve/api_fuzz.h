/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The control API's request handling without HTTP or threads, for fuzz
 * targets and unit tests: one call takes a method, a URL (path and
 * query), headers and a body, and gives the response the daemon would
 * send. Everything runs on the calling thread, which owns the context.
 */
#ifndef EUNOMIA_SERVE_API_FUZZ_H
#define EUNOMIA_SERVE_API_FUZZ_H

#include "api.h"

/* A daemon without listeners: a context on plugin_path (only), the audit
 * tracker, a stream ring of ring_events, and a state directory (made if
 * missing). NULL with the reason on stderr. */
struct serve *serve_fuzz_new(const char *plugin_path, const char *state_dir, size_t ring_events);
void serve_fuzz_free(struct serve *s);

/* Handle one request from a client with role role (its name is "fuzz").
 * Routing, role and size checks and the handler run as they do behind
 * HTTP; a handler of several steps runs to its end, with the context's
 * events delivered between steps; GET /v1/events only checks its
 * parameters. out must be zeroed; free out->body. Returns out->status. */
unsigned serve_handle_request(struct serve *s, const char *method, const char *url,
			      const struct api_pair *headers, size_t n_headers, const void *body,
			      size_t body_len, enum serve_role role, struct api_response *out);

#endif
