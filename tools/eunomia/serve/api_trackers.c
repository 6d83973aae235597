/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* /v1/trackers: list, start, reconfigure without a gap, stop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "instances.h"

bool api_get_trackers(struct serve *s, struct api_call *c)
{
	json_t *list = json_array();

	for (size_t i = 0; i < s->n_inst; i++)
		json_array_append_new(list, instance_json(s->inst[i]));
	api_json(&c->rs, 200, json_pack("{s:o}", "trackers", list));
	return false;
}

static struct instance *find_or_404(struct serve *s, struct api_call *c)
{
	struct instance *in = instance_find(s, c->param);

	if (!in)
		api_error(&c->rs, 404, "unknown_id", "GET /v1/trackers lists the ids",
			  "no tracker has the id '%s'", c->param);
	return in;
}

bool api_get_tracker(struct serve *s, struct api_call *c)
{
	struct instance *in = find_or_404(s, c);

	if (in)
		api_json(&c->rs, 200, instance_json(in));
	return false;
}

/* Only the members a body may have. */
static bool only_members(json_t *body, const char *const *names, size_t n, struct api_response *rs)
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

bool api_post_tracker(struct serve *s, struct api_call *c)
{
	static const char *const members[] = { "tracker", "config" };
	json_t *body = api_body_object(c->rq, &c->rs), *name;
	struct eun_config_entry *cfg = NULL;
	struct instance *in;
	struct serve_err e;
	size_t n = 0;

	if (!body)
		return false;
	name = json_object_get(body, "tracker");
	if (!only_members(body, members, 2, &c->rs))
		goto out;
	if (!json_is_string(name)) {
		api_error(&c->rs, 400, "bad_member", "give {\"tracker\": NAME, \"config\": {...}}",
			  "\"tracker\" must be a tracker's name");
		goto out;
	}
	if (!strcmp(json_string_value(name), "audit")) {
		api_error(&c->rs, 409, "builtin", NULL, "the audit tracker runs once, as 'audit'");
		goto out;
	}
	if (api_config_entries(json_object_get(body, "config"), &cfg, &n, &c->rs))
		goto out;
	if (instance_create(s, NULL, json_string_value(name), cfg, n, false, &in, &e)) {
		api_error_from(&c->rs, &e);
	} else {
		api_json(&c->rs, 201, instance_json(in));
		snprintf(c->rs.note, sizeof(c->rs.note), "started %s as %s", in->tracker, in->id);
	}
	config_entries_free(cfg, n);
out:
	json_decref(body);
	return false;
}

/* in's config with patch applied: members replace keys, null removes one. */
static int merged_config(const struct instance *in, json_t *patch, struct eun_config_entry **out,
			 size_t *n, struct api_response *rs)
{
	json_t *obj = json_object(), *v;
	const char *key;
	void *tmp;
	int rc;

	for (size_t i = 0; i < in->n_config; i++)
		json_object_set_new(obj, in->config[i].key, json_string(in->config[i].value));
	json_object_foreach_safe(patch, tmp, key, v) {
		if (json_is_null(v))
			json_object_del(obj, key);
		else
			json_object_set(obj, key, v);
	}
	rc = api_config_entries(obj, out, n, rs);
	json_decref(obj);
	return rc;
}

bool api_patch_tracker(struct serve *s, struct api_call *c)
{
	static const char *const members[] = { "config" };
	struct instance *in = find_or_404(s, c);
	json_t *body = in ? api_body_object(c->rq, &c->rs) : NULL, *patch;
	struct eun_config_entry *cfg = NULL;
	struct serve_err e;
	size_t n = 0;

	if (!body)
		return false;
	patch = json_object_get(body, "config");
	if (!only_members(body, members, 1, &c->rs))
		goto out;
	if (!json_is_object(patch)) {
		api_error(&c->rs, 400, "bad_member", "give {\"config\": {\"KEY\": VALUE or null}}",
			  "\"config\" must be an object");
		goto out;
	}
	if (in->builtin) {
		api_error(&c->rs, 409, "builtin", NULL, "the audit tracker has no config");
		goto out;
	}
	if (merged_config(in, patch, &cfg, &n, &c->rs))
		goto out;
	if (instance_swap(s, in, NULL, cfg, n, &e)) {
		api_error_from(&c->rs, &e);
	} else {
		api_json(&c->rs, 200, instance_json(in));
		snprintf(c->rs.note, sizeof(c->rs.note), "reconfigured %s (generation %u)", in->id,
			 in->generation);
	}
	config_entries_free(cfg, n);
out:
	json_decref(body);
	return false;
}

bool api_delete_tracker(struct serve *s, struct api_call *c)
{
	struct instance *in = find_or_404(s, c);
	json_t *last;

	if (!in)
		return false;
	if (in->builtin) {
		api_error(&c->rs, 409, "builtin", "the audit tracker records the API's changes; it "
			  "stops with the daemon", "the audit tracker cannot be stopped");
		return false;
	}
	/* Stopped first, so the reply counts its last events. */
	eun_tracker_stop(in->t);
	last = instance_json(in);
	snprintf(c->rs.note, sizeof(c->rs.note), "stopped %s (%s)", in->id, in->tracker);
	instance_remove(s, in);
	api_json(&c->rs, 200, last);
	return false;
}
