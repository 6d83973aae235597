/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* /v1/outputs: list, open, change rotation, close. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "outputs.h"

bool api_get_outputs(struct serve *s, struct api_call *c)
{
	json_t *list = json_array();

	for (size_t i = 0; i < s->n_outs; i++)
		json_array_append_new(list, output_json(s->outs[i]));
	api_json(&c->rs, 200, json_pack("{s:o}", "outputs", list));
	return false;
}

static struct output *find_or_404(struct serve *s, struct api_call *c)
{
	struct output *o = output_find(s, c->param);

	if (!o)
		api_error(&c->rs, 404, "unknown_id", "GET /v1/outputs lists the ids",
			  "no output has the id '%s'", c->param);
	return o;
}

bool api_get_output(struct serve *s, struct api_call *c)
{
	struct output *o = find_or_404(s, c);

	if (o)
		api_json(&c->rs, 200, output_json(o));
	return false;
}

/* Read the optional unsigned member name of body into *out. False with a 400. */
static bool get_uint(json_t *body, const char *name, uint64_t *out, struct api_response *rs)
{
	json_t *v = json_object_get(body, name);

	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		api_error(rs, 400, "bad_member", NULL, "\"%s\" must be an unsigned integer", name);
		return false;
	}
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool known_members(json_t *body, const char *const *names, size_t n, struct api_response *rs)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		bool known = false;

		for (size_t i = 0; i < n; i++)
			known |= !strcmp(key, names[i]);
		if (!known) {
			api_error(rs, 400, "bad_member", NULL, "unknown member '%s' in the body", key);
			return false;
		}
	}
	return true;
}

bool api_post_output(struct serve *s, struct api_call *c)
{
	static const char *const members[] = { "format", "path", "rotate_size", "rotate_keep",
					       "append" };
	json_t *body = api_body_object(c->rq, &c->rs);
	struct output_spec_api spec = { 0 };
	uint64_t size = 0, keep = 0;
	struct output *o;
	struct serve_err e;

	if (!body)
		return false;
	if (!known_members(body, members, 5, &c->rs) ||
	    !get_uint(body, "rotate_size", &size, &c->rs) ||
	    !get_uint(body, "rotate_keep", &keep, &c->rs))
		goto out;
	spec.format = json_string_value(json_object_get(body, "format"));
	spec.path = json_string_value(json_object_get(body, "path"));
	spec.rotate_bytes = size;
	spec.rotate_keep = keep > 100000 ? 100000 : (unsigned)keep;
	spec.append = json_is_true(json_object_get(body, "append"));
	if (output_create(s, &spec, &o, &e)) {
		api_error_from(&c->rs, &e);
	} else {
		api_json(&c->rs, 201, output_json(o));
		snprintf(c->rs.note, sizeof(c->rs.note), "opened %s: %s %s", o->id, o->format, o->path);
	}
out:
	json_decref(body);
	return false;
}

bool api_patch_output(struct serve *s, struct api_call *c)
{
	static const char *const members[] = { "rotate_size", "rotate_keep" };
	struct output *o = find_or_404(s, c);
	json_t *body = o ? api_body_object(c->rq, &c->rs) : NULL;
	uint64_t size, keep;
	struct serve_err e;

	if (!body)
		return false;
	size = o->rotate_bytes;
	keep = o->rotate_keep;
	if (!known_members(body, members, 2, &c->rs) ||
	    !get_uint(body, "rotate_size", &size, &c->rs) ||
	    !get_uint(body, "rotate_keep", &keep, &c->rs))
		goto out;
	if (output_reconfigure(s, o, size, keep > 100000 ? 100000 : (unsigned)keep, &e)) {
		api_error_from(&c->rs, &e);
	} else {
		api_json(&c->rs, 200, output_json(o));
		snprintf(c->rs.note, sizeof(c->rs.note), "reconfigured %s", o->id);
	}
out:
	json_decref(body);
	return false;
}

bool api_delete_output(struct serve *s, struct api_call *c)
{
	struct output *o = find_or_404(s, c);
	json_t *last;
	int err;

	if (!o)
		return false;
	last = output_json(o);
	snprintf(c->rs.note, sizeof(c->rs.note), "closed %s (%s)", o->id, o->path);
	err = output_remove(s, o);
	json_object_set_new(last, "error", err ? json_string(strerror(-err)) : json_null());
	api_json(&c->rs, 200, last);
	return false;
}
