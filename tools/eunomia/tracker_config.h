/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The config entries `eunomia run` gives each tracker. */
#ifndef EUNOMIA_CLI_TRACKER_CONFIG_H
#define EUNOMIA_CLI_TRACKER_CONFIG_H

#include <stddef.h>

#include <eunomia/eunomia.h>

#include "run_opts.h"

/* Config entries of one tracker; the strings are borrowed from run_opts. */
struct tracker_config {
	struct eun_config_entry *entries;
	size_t n_entries;
};

/* Collect the entries of tracker `name`: the common keys pid, uid, comm,
 * cgroup and container from --pid/--uid/--comm/--cgroup/--container, then
 * its --set options in order; a later value of a key replaces an earlier
 * one. 0 or -ENOMEM. */
int tracker_config_build(struct tracker_config *cfg, const struct run_opts *o, const char *name);

/* Free the entries. */
void tracker_config_free(struct tracker_config *cfg);

#endif
