/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* /v1/plugins: the plugins with their full schemas, and uploads with hot
 * update: a new version replaces the old one instance by instance (start
 * the new, hand over, free the old), one instance per turn of the loop so
 * events flow meanwhile, and rolls back if one fails to start. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "instances.h"
#include "plugin_store.h"

/* ---- schemas ---------------------------------------------------------- */

static const char *const field_types[] = {
	[EUN_FIELD_U8] = "u8", [EUN_FIELD_U16] = "u16", [EUN_FIELD_U32] = "u32",
	[EUN_FIELD_U64] = "u64", [EUN_FIELD_S8] = "s8", [EUN_FIELD_S16] = "s16",
	[EUN_FIELD_S32] = "s32", [EUN_FIELD_S64] = "s64", [EUN_FIELD_BOOL] = "bool",
	[EUN_FIELD_STR] = "str", [EUN_FIELD_IPV4] = "ipv4", [EUN_FIELD_IPV6] = "ipv6",
	[EUN_FIELD_HIST_LOG2] = "hist_log2",
};

/* Every event's JSON starts with these, then the type's fields. */
static const char *const header_fields[][2] = {
	{ "ts", "u64" }, { "tracker", "str" }, { "type", "str" }, { "pid", "u32" },
	{ "tid", "u32" }, { "uid", "u32" }, { "comm", "str" }, { "cgroup_id", "u64" },
	{ "pid_ns", "u32" }, { "mnt_ns", "u32" }, { "net_ns", "u32" }, { "user_ns", "u32" },
	{ "container_id", "str" }, { "container_runtime", "str" }, { "pod_uid", "str" },
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *field_json(const struct eun_field *f)
{
	static const char *const flag_names[] = { "hex", "key", "counter", "gauge", "errno" };
	json_t *flags = json_array();

	for (unsigned b = 0; b < 5; b++)
		if (f->flags & (1u << b))
			json_array_append_new(flags, json_string(flag_names[b]));
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o}", "name", f->name, "type",
			 f->type < EUN_FIELD_TYPE_MAX_ && field_types[f->type] ? field_types[f->type]
										: "?",
			 "size", (json_int_t)f->size, "unit", str_or_null(f->unit), "description",
			 str_or_null(f->description), "flags", flags);
}

static json_t *config_key_json(const struct eun_config_key *k)
{
	static const char *const types[] = { [EUN_CONFIG_BOOL] = "bool", [EUN_CONFIG_UINT] = "uint",
					     [EUN_CONFIG_STRING] = "string" };
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "name", k->name, "type",
			      k->type < EUN_CONFIG_TYPE_MAX_ && types[k->type] ? types[k->type] : "?",
			      "default", str_or_null(k->default_value), "description",
			      str_or_null(k->description));

	if (k->type == EUN_CONFIG_UINT && (k->min || k->max)) {
		json_object_set_new(o, "min", json_integer((json_int_t)k->min));
		json_object_set_new(o, "max", json_integer((json_int_t)k->max));
	}
	return o;
}

static json_t *event_types_json(const struct eun_plugin *p)
{
	json_t *list = json_array();

	for (size_t i = 0; i < eun_plugin_event_type_count(p); i++) {
		const struct eun_event_type *t = eun_plugin_event_type(p, i);
		json_t *fields = json_array();

		for (uint32_t f = 0; f < t->n_fields; f++)
			json_array_append_new(fields, field_json(&t->fields[f]));
		json_array_append_new(list, json_pack("{s:s, s:o, s:I, s:I, s:o}", "name", t->name,
						      "description", str_or_null(t->description),
						      "id", (json_int_t)t->id, "record_size",
						      (json_int_t)t->record_size, "fields", fields));
	}
	return list;
}

/* The content hash of a stored upload, from its file name, or NULL. */
static json_t *sha_of(const struct eun_plugin *p)
{
	const char *s = strstr(eun_plugin_path(p), "/sha256-");

	return s && strlen(s) == 8 + 64 + 3 ? json_stringn(s + 8, 64) : json_null();
}

/* Trackers of plugin p, and how many of them run. */
static size_t count_instances(struct serve *s, const struct eun_plugin *p, const char *name,
			      size_t *running)
{
	size_t n = 0;

	*running = 0;
	for (size_t i = 0; i < s->n_inst; i++) {
		struct eun_tracker *t = s->inst[i]->t;

		if (p ? eun_tracker_plugin(t) != p : strcmp(s->inst[i]->tracker, name))
			continue;
		n++;
		*running += eun_tracker_state(t) == EUN_TRACKER_RUNNING;
	}
	return n;
}

static const char *plugin_state(struct serve *s, const char *name, const char **error)
{
	struct plugin_status *ps = NULL;
	size_t running, n = count_instances(s, NULL, name, &running);

	for (size_t i = 0; i < s->n_pstatus; i++)
		if (!strcmp(s->pstatus[i].name, name))
			ps = &s->pstatus[i];
	*error = NULL;
	if (ps && ps->state[0]) {
		*error = ps->error[0] ? ps->error : NULL;
		return ps->state;
	}
	if (!running)
		return "stopped";
	return running == n ? "running" : "partially_running";
}

static json_t *plugin_json(struct serve *s, const struct eun_plugin *p)
{
	const char *name = eun_plugin_name(p), *error;
	json_t *cfg = json_array(), *versions = json_array(), *o;
	unsigned major, minor;
	char abi[16];
	size_t running;

	for (size_t i = 0; i < eun_plugin_config_count(p); i++)
		json_array_append_new(cfg, config_key_json(eun_plugin_config_key(p, i)));
	for (size_t i = eun_plugin_count(s->ctx); i-- > 0;) {
		const struct eun_plugin *v = eun_plugin_at(s->ctx, i);

		if (strcmp(eun_plugin_name(v), name))
			continue;
		json_array_append_new(versions, json_pack("{s:o, s:s, s:o, s:I, s:b}", "version",
			str_or_null(eun_plugin_version(v)), "path", eun_plugin_path(v), "sha256",
			sha_of(v), "instances", (json_int_t)count_instances(s, v, NULL, &running),
			"current", v == p));
	}
	eun_plugin_built_abi(p, &major, &minor);
	snprintf(abi, sizeof(abi), "%u.%u", major, minor);
	o = json_pack("{s:s, s:o, s:o, s:o, s:s, s:o, s:s, s:b, s:s, s:o, s:o, s:o}", "name", name,
		      "version", str_or_null(eun_plugin_version(p)), "description",
		      str_or_null(eun_plugin_description(p)), "license",
		      str_or_null(eun_plugin_license(p)), "path", eun_plugin_path(p), "sha256",
		      sha_of(p), "abi", abi, "builtin", !strcmp(eun_plugin_path(p), "(in-process)"),
		      "state", plugin_state(s, name, &error), "event_types", event_types_json(p),
		      "config_keys", cfg, "versions", versions);
	json_object_set_new(o, "error", str_or_null(error));
	return o;
}

bool api_get_plugins(struct serve *s, struct api_call *c)
{
	json_t *list = json_array(), *common = json_array(), *hdr = json_array();

	for (size_t i = 0; i < eun_plugin_count(s->ctx); i++) {
		const struct eun_plugin *p = eun_plugin_at(s->ctx, i);

		/* One entry per name: the version found by name. */
		if (eun_plugin_find(s->ctx, eun_plugin_name(p)) == p)
			json_array_append_new(list, plugin_json(s, p));
	}
	for (size_t i = 0; i < eun_common_config_count(); i++)
		json_array_append_new(common, config_key_json(eun_common_config_key(i)));
	for (size_t i = 0; i < sizeof(header_fields) / sizeof(header_fields[0]); i++)
		json_array_append_new(hdr, json_pack("{s:s, s:s}", "name", header_fields[i][0],
						     "type", header_fields[i][1]));
	api_json(&c->rs, 200, json_pack("{s:o, s:o, s:o}", "plugins", list, "common_config_keys",
					common, "header_fields", hdr));
	return false;
}

bool api_get_plugin(struct serve *s, struct api_call *c)
{
	const struct eun_plugin *p = eun_plugin_find(s->ctx, c->param);

	if (!p)
		api_error(&c->rs, 404, "unknown_plugin", "GET /v1/plugins lists them",
			  "no plugin is named '%s'", c->param);
	else
		api_json(&c->rs, 200, plugin_json(s, p));
	return false;
}

/* ---- upload and hot update -------------------------------------------- */

struct update {
	int phase;                      /* 0: check and load, 1: swap, 2: roll back */
	const struct eun_plugin *neu;
	struct instance **todo;         /* instances of the name on another version */
	const struct eun_plugin **was;  /* the version each ran before */
	size_t n, next;
	struct serve_err failure;
	char failed_id[16];
	char sha[65];
	unsigned signer;
	bool existed;                   /* the name was loaded before */
};

static bool valid_name(const char *n)
{
	if (!*n || strlen(n) > 63)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '_'))
			return false;
	return true;
}

/* Retire every version of name that is not current and has no tracker. */
static void retire_unused(struct serve *s, const char *name)
{
	bool again = true;

	while (again) {
		again = false;
		for (size_t i = 0; i < eun_plugin_count(s->ctx) && !again; i++) {
			const struct eun_plugin *p = eun_plugin_at(s->ctx, i);
			size_t running;

			if (strcmp(eun_plugin_name(p), name) || eun_plugin_find(s->ctx, name) == p ||
			    count_instances(s, p, NULL, &running))
				continue;
			again = eun_ctx_retire_plugin(s->ctx, p) == 0;
		}
	}
}

static void set_status(struct serve *s, const char *name, const char *state, const char *error,
		       const char *sha)
{
	struct plugin_status *ps = serve_plugin_status(s, name);

	if (!ps)
		return;
	snprintf(ps->state, sizeof(ps->state), "%s", state);
	serve_copy(ps->error, sizeof(ps->error), error);
	snprintf(ps->sha256, sizeof(ps->sha256), "%s", sha ? sha : "");
}

static void update_free(struct update *u)
{
	free(u->todo);
	free(u->was);
	free(u);
}

/* The first step: check, keep and load the file; list what to update. */
static bool update_load(struct serve *s, struct api_call *c, struct update *u)
{
	const char *name = c->param, *sig = api_header(c->rq, "X-Eunomia-Signature");
	char path[PATH_MAX], err[768];
	const struct eun_plugin *cur = eun_plugin_find(s->ctx, name);
	int rc;

	if (!valid_name(name)) {
		api_error(&c->rs, 400, "bad_name", "plugin names are [a-z0-9_]+, as their trackers",
			  "'%s' is not a plugin name", name);
		return false;
	}
	if (!strcmp(name, "audit")) {
		api_error(&c->rs, 409, "builtin", NULL, "the audit plugin is part of the daemon");
		return false;
	}
	if (!c->rq->body_len) {
		api_error(&c->rs, 400, "no_body", "send the .so file as the body "
			  "(Content-Type: application/octet-stream)", "the upload is empty");
		return false;
	}
	rc = plugin_store_check(s->store, c->rq->body, c->rq->body_len, sig, &u->signer, err,
				sizeof(err));
	if (rc) {
		api_error(&c->rs, 403, "bad_signature", NULL, "%s", err);
		return false;
	}
	if ((rc = plugin_store_put(s->store, c->rq->body, c->rq->body_len, path, u->sha, err,
				   sizeof(err)))) {
		api_error(&c->rs, 500, "store_failed", NULL, "%s", err);
		return false;
	}
	if (cur && !strcmp(eun_plugin_path(cur), path)) {
		json_t *o = plugin_json(s, cur);

		json_object_set_new(o, "updated", json_array());
		json_object_set_new(o, "unchanged", json_true());
		api_json(&c->rs, 200, o);
		snprintf(c->rs.note, sizeof(c->rs.note), "%s sha256:%.12s is loaded already", name,
			 u->sha);
		return false;
	}
	u->existed = cur != NULL;
	u->neu = eun_ctx_load_plugin_update(s->ctx, path);
	if (!u->neu || strcmp(eun_plugin_name(u->neu), name)) {
		if (u->neu) {
			snprintf(err, sizeof(err), "the file's plugin is named '%s', not '%s'",
				 eun_plugin_name(u->neu), name);
			eun_ctx_retire_plugin(s->ctx, u->neu);
		} else {
			/* The loader checked the file before opening it: not a plugin at all? */
			bool not_elf = errno == ENOEXEC;

			snprintf(err, sizeof(err), "%s", eun_last_error());
			unlink(path);
			if (not_elf) {
				api_error(&c->rs, 400, "not_a_plugin", "send a shared object built for "
					  "this machine against <eunomia/plugin.h>", "%s", err);
				return false;
			}
		}
		set_status(s, name, cur ? "load_error" : "", err, u->sha);
		api_error(&c->rs, 400, "load_error", "build the plugin against this libeunomia's "
			  "<eunomia/plugin.h>, and upload it under its own name", "%s", err);
		return false;
	}
	u->todo = calloc(s->n_inst + 1, sizeof(*u->todo));
	u->was = calloc(s->n_inst + 1, sizeof(*u->was));
	if (!u->todo || !u->was) {
		api_error(&c->rs, 500, "no_memory", NULL, "out of memory");
		return false;
	}
	for (size_t i = 0; i < s->n_inst; i++)
		if (!strcmp(s->inst[i]->tracker, name)) {
			u->was[u->n] = eun_tracker_plugin(s->inst[i]->t);
			u->todo[u->n++] = s->inst[i];
		}
	set_status(s, name, "loading", NULL, u->sha);
	u->phase = 1;
	return true;
}

static void update_done(struct serve *s, struct api_call *c, struct update *u)
{
	json_t *ids = json_array(), *o;

	for (size_t i = 0; i < u->n; i++)
		json_array_append_new(ids, json_string(u->todo[i]->id));
	set_status(s, c->param, "", NULL, u->sha);
	retire_unused(s, c->param);
	if (plugin_store_set_current(s->store, c->param, eun_plugin_path(u->neu)) < 0)
		fprintf(stderr, "eunomia serve: cannot record %s as the version of %s to load at "
			"boot: %s\n", eun_plugin_path(u->neu), c->param, strerror(errno));
	o = plugin_json(s, u->neu);
	json_object_set_new(o, "updated", ids);
	json_object_set_new(o, "signed_by_key", u->signer ? json_integer(u->signer) : json_null());
	api_json(&c->rs, u->existed ? 200 : 201, o);
	snprintf(c->rs.note, sizeof(c->rs.note), "%s %s sha256:%.12s, %zu instance(s) updated",
		 u->existed ? "updated" : "added", c->param, u->sha, u->n);
}

static void update_rolled_back(struct serve *s, struct api_call *c, struct update *u)
{
	char msg[900];

	snprintf(msg, sizeof(msg), "instance %s did not start with the new version, so the "
		 "update was rolled back: %s", u->failed_id, u->failure.message);
	set_status(s, c->param, "load_error", msg, u->sha);
	if (eun_ctx_retire_plugin(s->ctx, u->neu) < 0)
		fprintf(stderr, "eunomia serve: %s\n", eun_last_error());
	api_error(&c->rs, 422, "update_failed", "the instances run the previous version; fix "
		  "the plugin and upload it again", "%s", msg);
}

bool api_put_plugin(struct serve *s, struct api_call *c)
{
	struct update *u = c->work;
	struct serve_err e;

	if (!u) {
		u = c->work = calloc(1, sizeof(*u));
		if (!u) {
			api_error(&c->rs, 500, "no_memory", NULL, "out of memory");
			return false;
		}
	}
	if (u->phase == 0 && update_load(s, c, u))
		return true;
	if (u->phase == 1) {
		if (u->next < u->n) {
			struct instance *in = u->todo[u->next];

			if (instance_swap(s, in, u->neu, in->config, in->n_config, &u->failure) == 0) {
				u->next++;
				return true;
			}
			snprintf(u->failed_id, sizeof(u->failed_id), "%s", in->id);
			u->phase = 2;
			return true;
		}
		update_done(s, c, u);
	} else if (u->phase == 2) {
		if (u->next > 0) {
			struct instance *in = u->todo[--u->next];

			if (instance_swap(s, in, u->was[u->next], in->config, in->n_config, &e))
				fprintf(stderr, "eunomia serve: rolling %s back failed: %s\n", in->id,
					e.message);
			return true;
		}
		update_rolled_back(s, c, u);
	}
	update_free(u);
	c->work = NULL;
	return false;
}
