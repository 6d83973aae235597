/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The config entries `eunomia run` gives each tracker. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracker_config.h"

/* Number of common keys set by their own options: pid, uid, comm, cgroup, container. */
#define N_FILTER_OPTIONS 5

/* Set key to value in cfg, replacing an earlier entry of the same key.
 * cfg->entries has room for one more entry. NULL values are skipped. */
static void put_entry(struct tracker_config *cfg, const char *key, const char *value)
{
	if (!value)
		return;
	for (size_t i = 0; i < cfg->n_entries; i++) {
		if (strcmp(cfg->entries[i].key, key) == 0) {
			cfg->entries[i].value = value;
			return;
		}
	}
	cfg->entries[cfg->n_entries++] = (struct eun_config_entry){ .key = key, .value = value };
}

/* Collect the config entries of tracker `name`. */
int tracker_config_build(struct tracker_config *cfg, const struct run_opts *o, const char *name)
{
	cfg->n_entries = 0;
	cfg->entries = calloc(N_FILTER_OPTIONS + o->n_settings, sizeof(*cfg->entries));
	if (!cfg->entries)
		return -ENOMEM;
	put_entry(cfg, "pid", o->pid);
	put_entry(cfg, "uid", o->uid);
	put_entry(cfg, "comm", o->comm);
	put_entry(cfg, "cgroup", o->cgroup);
	put_entry(cfg, "container", o->container);
	for (size_t i = 0; i < o->n_settings; i++)
		if (strcmp(o->settings[i].tracker, name) == 0)
			put_entry(cfg, o->settings[i].key, o->settings[i].value);
	return 0;
}

/* Free the entries. */
void tracker_config_free(struct tracker_config *cfg)
{
	free(cfg->entries);
	cfg->entries = NULL;
	cfg->n_entries = 0;
}
