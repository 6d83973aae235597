/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The control API without HTTP: a request (method, path, query, headers,
 * body, the authenticated client) goes to its route's handler, which
 * fills a response (status, JSON body). The HTTP layer (http.c) and the
 * fuzzing entry point (api_fuzz.h) both drive it. Errors are JSON
 * {error, message, hint}.
 */
#ifndef EUNOMIA_SERVE_API_H
#define EUNOMIA_SERVE_API_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "auth.h"
#include "serve.h"

struct api_pair {
	const char *name, *value;
};

struct api_request {
	const char *method;
	const char *path;                 /* decoded, without the query */
	const struct api_pair *query;     /* decoded ?name=value pairs */
	size_t n_query;
	const struct api_pair *headers;
	size_t n_headers;
	const void *body;
	size_t body_len;
	struct principal who;
};

struct api_response {
	unsigned status;
	char *body;               /* malloc'd */
	size_t len;
	const char *content_type;
	char allow[48];           /* methods of the path, for 405 */
	char note[200];           /* what was done or refused, for the audit record */
};

/* Where a route runs. */
enum api_where {
	API_ANY_THREAD, /* reads only what any thread may (health, metrics, the document) */
	API_CTX_THREAD, /* touches the context: a job on its thread */
	API_STREAM,     /* the event stream (http.c's own response) */
};

/* What a route's body may be. */
enum api_body {
	BODY_NONE,
	BODY_JSON,   /* a JSON object of at most max_json_bytes */
	BODY_PLUGIN, /* a plugin file of at most max_plugin_bytes */
};

struct api_call;

struct api_route {
	const char *method;
	const char *pattern;      /* "/v1/trackers/{}": {} is one path segment */
	enum serve_role role;     /* the least role allowed */
	bool mutating;            /* audited */
	enum api_where where;
	enum api_body body;
	/* Fill c->rs; true: call again on the next turn of the context's loop
	 * (a job of several steps, e.g. a hot update). */
	bool (*handle)(struct serve *s, struct api_call *c);
};

/* One request being handled. */
struct api_call {
	const struct api_route *route;
	const struct api_request *rq;
	struct api_response rs;
	char param[128];          /* the {} segment */
	void *work;               /* a multi-step handler's state */
};

/* The route for method and path. NULL with a 404 (no such path) or a 405
 * (rs->allow: the path's methods) in rs. */
const struct api_route *api_route_find(const char *method, const char *path, char *param,
				       size_t param_size, struct api_response *rs);

/* Every route (the OpenAPI test walks them); NULL-terminated by method. */
extern const struct api_route api_routes[];

/* Run the route's handler once (the thread the route names); true: again.
 * When a mutating call ends, its audit event is delivered. */
bool api_call_step(struct serve *s, struct api_call *c);

/* Record an audit event for a mutating request refused before its handler ran. */
void api_audit_refusal(struct serve *s, const struct api_request *rq, unsigned status,
		       const char *why);

/* Responses. api_json() takes the reference to body. */
void api_json(struct api_response *rs, unsigned status, json_t *body);
void api_error(struct api_response *rs, unsigned status, const char *code, const char *hint,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void api_error_from(struct api_response *rs, const struct serve_err *e);
void api_text(struct api_response *rs, unsigned status, const char *content_type, char *body,
	      size_t len);

/* The request's header or query value named name (case-insensitive for headers), or NULL. */
const char *api_header(const struct api_request *rq, const char *name);
const char *api_query(const struct api_request *rq, const char *name);

/* The body as a JSON object, or NULL with a 400 in rs. */
json_t *api_body_object(const struct api_request *rq, struct api_response *rs);

/* Handlers (api_*.c). */
bool api_get_plugins(struct serve *s, struct api_call *c);
bool api_get_plugin(struct serve *s, struct api_call *c);
bool api_put_plugin(struct serve *s, struct api_call *c);
bool api_get_trackers(struct serve *s, struct api_call *c);
bool api_get_tracker(struct serve *s, struct api_call *c);
bool api_post_tracker(struct serve *s, struct api_call *c);
bool api_patch_tracker(struct serve *s, struct api_call *c);
bool api_delete_tracker(struct serve *s, struct api_call *c);
bool api_get_outputs(struct serve *s, struct api_call *c);
bool api_get_output(struct serve *s, struct api_call *c);
bool api_post_output(struct serve *s, struct api_call *c);
bool api_patch_output(struct serve *s, struct api_call *c);
bool api_delete_output(struct serve *s, struct api_call *c);
bool api_healthz(struct serve *s, struct api_call *c);
bool api_readyz(struct serve *s, struct api_call *c);
bool api_metrics(struct serve *s, struct api_call *c);
bool api_openapi(struct serve *s, struct api_call *c);
bool api_whoami(struct serve *s, struct api_call *c);
/* The event stream's parameters checked (the stream itself is http.c's). */
bool api_events_check(struct serve *s, struct api_call *c);

struct stream_request;
/* The stream parameters of a GET /v1/events request (tracker, type,
 * format or Accept, after or Last-Event-ID). 0, or -1 with a 400 in rs. */
int api_stream_request(const struct api_request *rq, struct stream_request *out,
		       struct api_response *rs);

/* Config entries from a JSON object of strings, numbers and booleans.
 * 0 with *out (owned) and *n, or -1 with a 400 in rs. */
int api_config_entries(json_t *obj, struct eun_config_entry **out, size_t *n,
		       struct api_response *rs);

#endif
