/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Creating, replacing and removing the daemon's trackers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instances.h"

struct eun_config_entry *config_dup(const struct eun_config_entry *cfg, size_t n)
{
	struct eun_config_entry *d = calloc(n ? n : 1, sizeof(*d));

	for (size_t i = 0; d && i < n; i++) {
		d[i].key = strdup(cfg[i].key);
		d[i].value = strdup(cfg[i].value);
		if (!d[i].key || !d[i].value) {
			config_entries_free(d, i + 1);
			d = NULL;
		}
	}
	if (!d)
		errno = ENOMEM;
	return d;
}

void config_entries_free(struct eun_config_entry *cfg, size_t n)
{
	for (size_t i = 0; cfg && i < n; i++) {
		free((char *)cfg[i].key);
		free((char *)cfg[i].value);
	}
	free(cfg);
}

/* A tracker of p (or of the plugin named tracker) with cfg, started. NULL with e set. */
static struct eun_tracker *start_tracker(struct serve *s, const struct eun_plugin *p,
					 const char *tracker, const struct eun_config_entry *cfg,
					 size_t n, struct serve_err *e)
{
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n);
	struct eun_tracker *t = p ? eun_tracker_new_of(s->ctx, p, &opts)
				  : eun_tracker_new(s->ctx, tracker, &opts);
	int err;

	if (!t) {
		err = errno;
		if (err == ENOENT)
			serve_err_set(e, 404, "unknown_tracker", "GET /v1/plugins lists the trackers; "
				      "PUT /v1/plugins/NAME uploads one", "%s", eun_last_error());
		else if (err == EINVAL || err == ERANGE)
			serve_err_set(e, 400, "bad_config", "GET /v1/plugins/NAME lists its config keys",
				      "%s", eun_last_error());
		else
			serve_err_set(e, 500, "create_failed", NULL, "%s", eun_last_error());
		return NULL;
	}
	err = eun_tracker_start(t);
	if (err < 0) {
		serve_err_set(e, 422, "start_failed",
			      err == -EPERM || err == -EACCES
				      ? "eunomia serve must run as root (or with CAP_BPF and "
					"CAP_PERFMON) to load BPF programs"
				      : NULL,
			      "%s", eun_last_error());
		e->errnum = err;
		eun_tracker_free(t);
		return NULL;
	}
	return t;
}

int instance_create(struct serve *s, const struct eun_plugin *p, const char *tracker,
		    const struct eun_config_entry *cfg, size_t n, bool builtin,
		    struct instance **out, struct serve_err *e)
{
	struct instance *in = calloc(1, sizeof(*in)), **grown;
	time_t now = time(NULL);
	struct tm tm;

	if (!in || !(grown = reallocarray(s->inst, s->n_inst + 1, sizeof(*grown)))) {
		free(in);
		serve_err_set(e, 500, "no_memory", NULL, "out of memory");
		return -1;
	}
	s->inst = grown;
	in->t = start_tracker(s, p, tracker, cfg, n, e);
	if (!in->t) {
		free(in);
		return -1;
	}
	in->tracker = strdup(eun_tracker_name(in->t));
	in->config = config_dup(cfg, n);
	in->n_config = n;
	in->builtin = builtin;
	if (builtin)
		snprintf(in->id, sizeof(in->id), "%s", in->tracker);
	else
		snprintf(in->id, sizeof(in->id), "t%u", ++s->next_inst_id);
	strftime(in->started, sizeof(in->started), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	s->inst[s->n_inst++] = in;
	*out = in;
	return 0;
}

int instance_swap(struct serve *s, struct instance *in, const struct eun_plugin *p,
		  const struct eun_config_entry *cfg, size_t n, struct serve_err *e)
{
	struct eun_config_entry *copy = config_dup(cfg, n);
	struct eun_tracker *t2;
	EUN_OPTS(eun_tracker_stats, st);

	if (!copy) {
		serve_err_set(e, 500, "no_memory", NULL, "out of memory");
		return -1;
	}
	t2 = start_tracker(s, p ? p : eun_tracker_plugin(in->t), in->tracker, cfg, n, e);
	if (!t2) {
		config_entries_free(copy, n);
		return -1;
	}
	if (eun_tracker_state(in->t) == EUN_TRACKER_RUNNING && eun_tracker_replace(in->t, t2) < 0)
		fprintf(stderr, "eunomia serve: %s: %s\n", in->id, eun_last_error());
	if (eun_tracker_stats(in->t, &st) == 0) {
		in->prev_events += st.events;
		in->prev_drops += st.kernel_drops;
		in->prev_decode_errors += st.decode_errors;
		in->prev_skipped += st.replaced_skipped;
	}
	eun_tracker_free(in->t);
	in->t = t2;
	in->generation++;
	config_entries_free(in->config, in->n_config);
	in->config = copy;
	in->n_config = n;
	return 0;
}

void instance_remove(struct serve *s, struct instance *in)
{
	for (size_t i = 0; i < s->n_inst; i++)
		if (s->inst[i] == in) {
			memmove(&s->inst[i], &s->inst[i + 1], (s->n_inst - i - 1) * sizeof(*s->inst));
			s->n_inst--;
			break;
		}
	if (s->audit == in)
		s->audit = NULL;
	eun_tracker_free(in->t);
	config_entries_free(in->config, in->n_config);
	free(in->tracker);
	free(in);
}

struct instance *instance_find(struct serve *s, const char *id)
{
	for (size_t i = 0; i < s->n_inst; i++)
		if (!strcmp(s->inst[i]->id, id))
			return s->inst[i];
	return NULL;
}

const char *instance_id_of(void *serve, const struct eun_tracker *t)
{
	struct serve *s = serve;

	for (size_t i = 0; t && i < s->n_inst; i++)
		if (s->inst[i]->t == t)
			return s->inst[i]->id;
	return "";
}

static const char *state_name(enum eun_tracker_state st)
{
	switch (st) {
	case EUN_TRACKER_RUNNING: return "running";
	case EUN_TRACKER_STOPPED: return "stopped";
	case EUN_TRACKER_FAILED: return "failed";
	default: return "created";
	}
}

json_t *instance_json(const struct instance *in)
{
	const struct eun_plugin *p = eun_tracker_plugin(in->t);
	json_t *cfg = json_object(), *o;
	EUN_OPTS(eun_tracker_stats, st);

	for (size_t i = 0; i < in->n_config; i++)
		json_object_set_new(cfg, in->config[i].key, json_string(in->config[i].value));
	eun_tracker_stats(in->t, &st);
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:s, s:b, s:{s:I, s:I, s:I, s:I}}",
		      "id", in->id, "tracker", in->tracker,
		      "plugin_version", eun_plugin_version(p) ? eun_plugin_version(p) : "",
		      "plugin_path", eun_plugin_path(p), "config", cfg,
		      "state", state_name(eun_tracker_state(in->t)),
		      "generation", (json_int_t)in->generation, "started", in->started,
		      "builtin", in->builtin, "stats",
		      "events", (json_int_t)(in->prev_events + st.events),
		      "kernel_drops", (json_int_t)(in->prev_drops + st.kernel_drops),
		      "decode_errors", (json_int_t)(in->prev_decode_errors + st.decode_errors),
		      "replaced_skipped", (json_int_t)(in->prev_skipped + st.replaced_skipped));
	return o;
}
