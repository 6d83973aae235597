/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Routing, responses, request accessors and auditing of the control API. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "audit.h"
#include "instances.h"

/*
 * The routes. Rule sets get their lifecycle here when the rules engine
 * lands (issue 12): GET/POST /v1/rules, GET/PATCH/DELETE /v1/rules/{}, as
 * API_CTX_THREAD admin routes beside the trackers'.
 */
const struct api_route api_routes[] = {
	{ "GET", "/healthz", ROLE_NONE, false, API_ANY_THREAD, BODY_NONE, api_healthz },
	{ "GET", "/readyz", ROLE_NONE, false, API_ANY_THREAD, BODY_NONE, api_readyz },
	{ "GET", "/metrics", ROLE_OBSERVER, false, API_ANY_THREAD, BODY_NONE, api_metrics },
	{ "GET", "/v1/openapi.json", ROLE_NONE, false, API_ANY_THREAD, BODY_NONE, api_openapi },
	{ "GET", "/v1/whoami", ROLE_NONE, false, API_ANY_THREAD, BODY_NONE, api_whoami },
	{ "GET", "/v1/plugins", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_plugins },
	{ "GET", "/v1/plugins/{}", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_plugin },
	{ "PUT", "/v1/plugins/{}", ROLE_ADMIN, true, API_CTX_THREAD, BODY_PLUGIN, api_put_plugin },
	{ "GET", "/v1/trackers", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_trackers },
	{ "POST", "/v1/trackers", ROLE_ADMIN, true, API_CTX_THREAD, BODY_JSON, api_post_tracker },
	{ "GET", "/v1/trackers/{}", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_tracker },
	{ "PATCH", "/v1/trackers/{}", ROLE_ADMIN, true, API_CTX_THREAD, BODY_JSON, api_patch_tracker },
	{ "DELETE", "/v1/trackers/{}", ROLE_ADMIN, true, API_CTX_THREAD, BODY_NONE, api_delete_tracker },
	{ "GET", "/v1/outputs", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_outputs },
	{ "POST", "/v1/outputs", ROLE_ADMIN, true, API_CTX_THREAD, BODY_JSON, api_post_output },
	{ "GET", "/v1/outputs/{}", ROLE_OBSERVER, false, API_CTX_THREAD, BODY_NONE, api_get_output },
	{ "PATCH", "/v1/outputs/{}", ROLE_ADMIN, true, API_CTX_THREAD, BODY_JSON, api_patch_output },
	{ "DELETE", "/v1/outputs/{}", ROLE_ADMIN, true, API_CTX_THREAD, BODY_NONE, api_delete_output },
	{ "GET", "/v1/events", ROLE_OBSERVER, false, API_STREAM, BODY_NONE, api_events_check },
	{ NULL },
};

/* Does path match pattern? The {} segment is copied to param. */
static bool match(const char *pattern, const char *path, char *param, size_t size)
{
	const char *brace = strstr(pattern, "{}");
	size_t pre, seg;

	if (!brace)
		return !strcmp(pattern, path);
	pre = (size_t)(brace - pattern);
	if (strncmp(pattern, path, pre))
		return false;
	seg = strcspn(path + pre, "/");
	if (!seg || seg >= size || strcmp(brace + 2, path + pre + seg))
		return false;
	memcpy(param, path + pre, seg);
	param[seg] = '\0';
	return true;
}

const struct api_route *api_route_find(const char *method, const char *path, char *param,
				       size_t param_size, struct api_response *rs)
{
	size_t used = 0;

	rs->allow[0] = '\0';
	for (const struct api_route *r = api_routes; r->method; r++) {
		if (!match(r->pattern, path, param, param_size))
			continue;
		if (!strcmp(r->method, method))
			return r;
		used += (size_t)snprintf(rs->allow + used, sizeof(rs->allow) - used, "%s%s",
					 used ? ", " : "", r->method);
		if (used >= sizeof(rs->allow))
			used = sizeof(rs->allow) - 1;
	}
	if (!used) {
		api_error(rs, 404, "not_found", "GET /v1/openapi.json lists the endpoints",
			  "no endpoint %s", path);
		return NULL;
	}
	api_error(rs, 405, "method_not_allowed", "the Allow header lists the methods of this path",
		  "%s is not a method of %s", method, path);
	return NULL;
}

void api_json(struct api_response *rs, unsigned status, json_t *body)
{
	free(rs->body);
	rs->status = status;
	rs->content_type = "application/json";
	rs->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (rs->body) {
		rs->len = strlen(rs->body);
		/* One line per response: curl and shells print it well. */
		char *nl = realloc(rs->body, rs->len + 2);

		if (nl) {
			rs->body = nl;
			rs->body[rs->len++] = '\n';
			rs->body[rs->len] = '\0';
		}
	} else {
		rs->status = 500;
		rs->body = strdup("{\"error\":\"no_memory\",\"message\":\"out of memory\",\"hint\":null}\n");
		rs->len = rs->body ? strlen(rs->body) : 0;
	}
	json_decref(body);
}

void api_error(struct api_response *rs, unsigned status, const char *code, const char *hint,
	       const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	serve_copy(rs->note, sizeof(rs->note), msg);
	api_json(rs, status, json_pack("{s:s, s:s, s:o}", "error", code, "message", msg, "hint",
				       hint ? json_string(hint) : json_null()));
}

void api_error_from(struct api_response *rs, const struct serve_err *e)
{
	api_error(rs, e->status, e->code, e->hint, "%s", e->message);
}

void api_text(struct api_response *rs, unsigned status, const char *content_type, char *body,
	      size_t len)
{
	free(rs->body);
	rs->status = status;
	rs->content_type = content_type;
	rs->body = body;
	rs->len = len;
}

const char *api_header(const struct api_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_headers; i++)
		if (!strcasecmp(rq->headers[i].name, name))
			return rq->headers[i].value;
	return NULL;
}

const char *api_query(const struct api_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_query; i++)
		if (!strcmp(rq->query[i].name, name))
			return rq->query[i].value ? rq->query[i].value : "";
	return NULL;
}

json_t *api_body_object(const struct api_request *rq, struct api_response *rs)
{
	json_error_t jerr;
	json_t *j;

	if (!rq->body_len) {
		api_error(rs, 400, "no_body", "send a JSON object with Content-Type: application/json",
			  "%s %s needs a JSON body", rq->method, rq->path);
		return NULL;
	}
	j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		api_error(rs, 400, "bad_json", NULL, "the body is not JSON: %s (line %d, column %d)",
			  jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		api_error(rs, 400, "bad_json", NULL, "the body must be a JSON object");
		return NULL;
	}
	return j;
}

int api_config_entries(json_t *obj, struct eun_config_entry **out, size_t *n,
		       struct api_response *rs)
{
	struct eun_config_entry *e;
	const char *key;
	json_t *v;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!obj)
		return 0;
	if (!json_is_object(obj)) {
		api_error(rs, 400, "bad_config", "give \"config\": {\"KEY\": VALUE, ...}",
			  "config must be an object");
		return -1;
	}
	e = calloc(json_object_size(obj) + 1, sizeof(*e));
	if (!e) {
		api_error(rs, 500, "no_memory", NULL, "out of memory");
		return -1;
	}
	json_object_foreach(obj, key, v) {
		char *text = NULL;

		if (json_is_string(v))
			text = strdup(json_string_value(v));
		else if (json_is_integer(v) && json_integer_value(v) >= 0)
			(void)!asprintf(&text, "%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			text = strdup(json_is_true(v) ? "true" : "false");
		else {
			config_entries_free(e, i);
			api_error(rs, 400, "bad_config", "values are strings, unsigned integers or "
				  "booleans", "config key '%s' has a value of the wrong kind", key);
			return -1;
		}
		e[i].key = strdup(key);
		e[i].value = text;
		i++;
		if (!e[i - 1].key || !text) {
			config_entries_free(e, i);
			api_error(rs, 500, "no_memory", NULL, "out of memory");
			return -1;
		}
	}
	*out = e;
	*n = i;
	return 0;
}

void api_audit_refusal(struct serve *s, const struct api_request *rq, unsigned status,
		       const char *why)
{
	if (s->audit)
		audit_record(s->audit->t, &rq->who, rq->method, rq->path, status, why);
}

bool api_call_step(struct serve *s, struct api_call *c)
{
	const char *note;

	if (c->route->handle(s, c))
		return true;
	if (!c->route->mutating || !s->audit)
		return false;
	note = c->rs.note[0] ? c->rs.note : c->rs.status < 300 ? "done" : "refused";
	audit_record(s->audit->t, &c->rq->who, c->rq->method, c->rq->path, c->rs.status, note);
	return false;
}
