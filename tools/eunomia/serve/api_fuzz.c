/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Requests handled on the caller's thread: the fuzzing and test entry point. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fuzz.h"
#include "audit.h"
#include "instances.h"
#include "outputs.h"
#include "plugin_store.h"
#include "stream_ring.h"

#define MAX_QUERY 32

static struct serve_config fuzz_config;

struct serve *serve_fuzz_new(const char *plugin_path, const char *state_dir, size_t ring_events)
{
	struct serve *s = calloc(1, sizeof(*s));
	char err[512];
	struct serve_err e;

	if (!s)
		return NULL;
	serve_config_init(&fuzz_config);
	s->cfg = &fuzz_config;
	ratelog_init(&s->log, 0);
	EUN_OPTS(eun_ctx_opts, co, .plugin_path = plugin_path, .no_default_path = true);
	s->ctx = eun_ctx_new(&co);
	if (!s->ctx || plugin_store_open(state_dir, NULL, &s->store, err, sizeof(err)) ||
	    audit_register(s->ctx) < 0 ||
	    instance_create(s, NULL, AUDIT_TRACKER, NULL, 0, true, &s->audit, &e) ||
	    (ring_events && !(s->ring = stream_ring_new(s->ctx, ring_events, 1u << 20, 4,
							 instance_id_of, s)))) {
		fprintf(stderr, "serve_fuzz_new: %s\n", s->ctx ? eun_last_error() : err);
		serve_fuzz_free(s);
		return NULL;
	}
	atomic_store(&s->loop_ms, serve_now_ms());
	atomic_store(&s->ready, true);
	return s;
}

void serve_fuzz_free(struct serve *s)
{
	if (!s)
		return;
	while (s->n_outs)
		output_remove(s, s->outs[s->n_outs - 1]);
	while (s->n_inst)
		instance_remove(s, s->inst[s->n_inst - 1]);
	stream_ring_free(s->ring);
	eun_ctx_free(s->ctx);
	plugin_store_free(s->store);
	free(s->inst);
	free(s->outs);
	free(s->pstatus);
	free(s);
}

static int hex(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Percent-decode in place ('+' is a space in a query). */
static void decode(char *s, bool plus)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			*o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
		} else {
			*o++ = plus && *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

/* Split url into the decoded path and query pairs (pointing into copy). */
static size_t split_url(char *copy, struct api_pair *q, size_t max)
{
	char *query = strchr(copy, '?'), *save = NULL;
	size_t n = 0;

	if (!query)
		return 0;
	*query++ = '\0';
	for (char *part = strtok_r(query, "&", &save); part && n < max;
	     part = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(part, '=');

		if (eq)
			*eq++ = '\0';
		decode(part, true);
		if (eq)
			decode(eq, true);
		q[n].name = part;
		q[n++].value = eq;
	}
	return n;
}

unsigned serve_handle_request(struct serve *s, const char *method, const char *url,
			      const struct api_pair *headers, size_t n_headers, const void *body,
			      size_t body_len, enum serve_role role, struct api_response *out)
{
	struct api_pair query[MAX_QUERY];
	struct api_request rq = { .method = method, .headers = headers, .n_headers = n_headers,
				  .body = body, .body_len = body_len, .query = query };
	struct api_call c = { .rq = &rq };
	char *copy = strdup(url ? url : "");
	size_t limit;

	if (!copy) {
		api_error(out, 500, "no_memory", NULL, "out of memory");
		return out->status;
	}
	rq.n_query = split_url(copy, query, MAX_QUERY);
	decode(copy, false);
	rq.path = copy;
	rq.who.role = role;
	strcpy(rq.who.who, "fuzz");
	strcpy(rq.who.how, "none");
	c.route = api_route_find(method, copy, c.param, sizeof(c.param), &c.rs);
	if (!c.route)
		goto done;
	if (role < c.route->role) {
		api_error(&c.rs, 403, "forbidden", NULL, "%s %s needs the %s role", method, copy,
			  serve_role_name(c.route->role));
		if (c.route->mutating)
			api_audit_refusal(s, &rq, 403, c.rs.note);
		goto done;
	}
	limit = c.route->body == BODY_JSON ? s->cfg->max_json_bytes
	      : c.route->body == BODY_PLUGIN ? s->cfg->max_plugin_bytes : 0;
	if (body_len > limit) {
		api_error(&c.rs, 413, "too_large", NULL, "a body of %zu bytes; at most %zu", body_len,
			  limit);
		goto done;
	}
	while (api_call_step(s, &c))
		eun_ctx_consume(s->ctx);
	eun_ctx_consume(s->ctx);
done:
	*out = c.rs;
	free(copy);
	return out->status;
}
