/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The daemon's trackers as the API sees them: an id that stays while the
 * tracker behind it is replaced (new config, new plugin version), its
 * config, and counters summed over every tracker it has had. The
 * context's thread only. */
#ifndef EUNOMIA_SERVE_INSTANCES_H
#define EUNOMIA_SERVE_INSTANCES_H

#include <jansson.h>

#include "serve.h"

struct instance {
	char id[16];
	char *tracker;                   /* the plugin's name */
	struct eun_config_entry *config; /* as given, strings owned */
	size_t n_config;
	struct eun_tracker *t;           /* the tracker now */
	unsigned generation;             /* trackers it has had, minus one */
	uint64_t prev_events, prev_drops, prev_decode_errors, prev_skipped;
	bool builtin;                    /* the audit tracker: not stopped over the API */
	char started[32];                /* UTC time of creation */
};

/* Owned copies of config entries; NULL + ENOMEM (n = 0 gives a valid empty array). */
struct eun_config_entry *config_dup(const struct eun_config_entry *cfg, size_t n);
void config_entries_free(struct eun_config_entry *cfg, size_t n);

/* Create and start a tracker of plugin p (NULL: the one named tracker)
 * with cfg, and give it an id. 0 with *out set, or -1 with e set. */
int instance_create(struct serve *s, const struct eun_plugin *p, const char *tracker,
		    const struct eun_config_entry *cfg, size_t n, bool builtin,
		    struct instance **out, struct serve_err *e);

/* Replace in's tracker by a new one of plugin p (NULL: the same plugin)
 * with cfg: the new one starts, then takes over (eun_tracker_replace()),
 * then the old one is freed. On failure nothing changes. 0 or -1 with e set. */
int instance_swap(struct serve *s, struct instance *in, const struct eun_plugin *p,
		  const struct eun_config_entry *cfg, size_t n, struct serve_err *e);

/* Stop and free the tracker, forget the instance. */
void instance_remove(struct serve *s, struct instance *in);

/* The instance with id, or NULL. */
struct instance *instance_find(struct serve *s, const char *id);

/* The instance id of tracker t, or "" (stream_id_fn). */
const char *instance_id_of(void *serve, const struct eun_tracker *t);

/* {id, tracker, plugin_version, plugin_path, config, state, generation, started, stats}. */
json_t *instance_json(const struct instance *in);

#endif
