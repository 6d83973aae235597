/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The container cache's own state, shared by container_cache.c (lookups,
 * walks) and container_list.c (the listing of running containers). */
#ifndef EUNOMIA_CONTAINER_CACHE_INTERNAL_H
#define EUNOMIA_CONTAINER_CACHE_INTERNAL_H

#include <limits.h>

#include "container/container.h"

struct cc_entry {
	uint64_t id;
	const struct eun_container_info *info; /* NULL: the cgroup is gone */
	unsigned gen;                          /* walk generation that last saw it */
	struct cc_entry *next;
};

struct container_cache {
	char root[PATH_MAX];  /* cgroup v2 mount; "" if there is none */
	bool no_handles;      /* open_by_handle_at refused: /proc/PID/cgroup and walks */
	bool want_walk;       /* a miss was left unresolved, or the table doubled */
	struct cc_entry **buckets;
	size_t n_buckets, n_entries, sweep_at;
	unsigned gen;
	int64_t last_walk_ms;  /* monotonic_ms() at the end of the last walk */
	int64_t walk_gap_ms;   /* least time between walks, from the last one's cost */
	const struct eun_container_info **retired; /* unreferenced at the next maintenance */
	size_t n_retired, cap_retired;
	struct eun_container_info *list; /* containers of the last refresh */
	size_t n_list;
};

/* Add or replace the entry of id (rel NULL: the cgroup is gone). */
EUN_HIDDEN struct cc_entry *cache_put(struct container_cache *cc, uint64_t id, const char *rel);
/* Walk the whole tree, then drop the entries neither this walk nor the
 * previous one saw. */
EUN_HIDDEN void cache_rescan(struct container_cache *cc);

#endif /* EUNOMIA_CONTAINER_CACHE_INTERNAL_H */
