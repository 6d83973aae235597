/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Per-context cache: cgroup id -> cgroup path -> container metadata.
 *
 * A miss is resolved on the spot through the cgroup's kernfs file handle
 * (one open_by_handle_at and a readlink) or, where handles are refused,
 * through /proc/PID/cgroup of the event's process: no walk of the tree
 * ever runs inside a lookup, so a lookup costs a hash probe, or a few
 * system calls for the first event of a new cgroup. Cgroups that are gone
 * are remembered as such.
 *
 * Walks run only in container_cache_maintain() (between deliveries) and
 * container_cache_refresh(): a first one to seed the table, one when a miss
 * could not be resolved, and a sweep every SWEEP_INTERVAL_MS or when the
 * table has doubled. Each is rate-limited so that walking takes at most
 * about 1/WALK_DUTY of the time, however large the tree.
 *
 * Invalidation: a walk marks every entry it sees; entries of cgroups that
 * two walks in a row did not see are dropped. Keeping them through one
 * walk lets events that were still in a ring when their cgroup was removed
 * (a container's last exit events) resolve. Cgroup ids are never reused,
 * so a kept entry is never wrong. Dropped infos are unreferenced only in
 * container_cache_maintain(), so a pointer handed out by a lookup stays
 * valid until then even if a refresh drops its entry.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "container/cache_internal.h"

#define MIN_WALK_INTERVAL_MS 100
#define WALK_DUTY 50 /* a walk that took d ms is not repeated within WALK_DUTY * d ms */
#define SWEEP_INTERVAL_MS 10000
#define MAX_WALK_DIRS 65536
#define MIN_SWEEP_ENTRIES 1024
#define INITIAL_BUCKETS 256

static size_t bucket_of(const struct container_cache *cc, uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (cc->n_buckets - 1);
}

static struct cc_entry *cache_find(const struct container_cache *cc, uint64_t id)
{
	for (struct cc_entry *e = cc->buckets[bucket_of(cc, id)]; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

/* Double the bucket array once entries outnumber buckets twice. */
static void cache_grow(struct container_cache *cc)
{
	size_t old_n = cc->n_buckets;
	struct cc_entry **old = cc->buckets, **grown;

	if (cc->n_entries < 2 * old_n || !(grown = calloc(2 * old_n, sizeof(*grown))))
		return;
	cc->buckets = grown;
	cc->n_buckets = 2 * old_n;
	for (size_t b = 0; b < old_n; b++) {
		while (old[b]) {
			struct cc_entry *e = old[b];
			size_t nb = bucket_of(cc, e->id);

			old[b] = e->next;
			e->next = grown[nb];
			grown[nb] = e;
		}
	}
	free(old);
}

/* Keep info until the next maintenance, then drop the cache's reference. */
static void retire(struct container_cache *cc, const struct eun_container_info *info)
{
	const struct eun_container_info **grown;

	if (!info)
		return;
	if (cc->n_retired == cc->cap_retired) {
		size_t n = cc->cap_retired ? 2 * cc->cap_retired : 16;

		grown = realloc(cc->retired, n * sizeof(*grown));
		if (!grown)
			return; /* leaks info rather than freeing it under a reader */
		cc->retired = grown;
		cc->cap_retired = n;
	}
	cc->retired[cc->n_retired++] = info;
}

/* Metadata of the cgroup at rel (NULL: gone), parsed and enriched. */
static const struct eun_container_info *make_info(const struct container_cache *cc, uint64_t id,
						  const char *rel)
{
	struct eun_container_info *info;

	if (!rel || !(info = container_info_new()))
		return NULL;
	/* A path too deep to parse is no container: info is left empty. */
	cgroup_path_parse(rel, info);
	if (strcmp(rel, "/"))
		container_enrich(info, cc->root);
	info->cgroup_id = id;
	return info;
}

struct cc_entry *cache_put(struct container_cache *cc, uint64_t id, const char *rel)
{
	struct cc_entry *e = cache_find(cc, id);

	if (e) {
		if (rel && (!e->info || strcmp(e->info->cgroup, rel))) {
			retire(cc, e->info);
			e->info = make_info(cc, id, rel);
		}
		e->gen = cc->gen;
		return e;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->id = id;
	e->info = make_info(cc, id, rel);
	e->gen = cc->gen;
	e->next = cc->buckets[bucket_of(cc, id)];
	cc->buckets[bucket_of(cc, id)] = e;
	cc->n_entries++;
	cache_grow(cc);
	return e;
}

static int scan_visit(uint64_t id, const char *rel, void *cookie)
{
	cache_put(cookie, id, rel);
	return 0;
}

void cache_rescan(struct container_cache *cc)
{
	int64_t start = monotonic_ms();

	cc->gen++;
	if (cc->root[0])
		cgroup_walk(cc->root, MAX_WALK_DIRS, scan_visit, cc);
	for (size_t b = 0; b < cc->n_buckets; b++) {
		struct cc_entry **link = &cc->buckets[b];

		while (*link) {
			struct cc_entry *e = *link;

			if (cc->gen - e->gen < 2) {
				link = &e->next;
				continue;
			}
			*link = e->next;
			retire(cc, e->info);
			free(e);
			cc->n_entries--;
		}
	}
	cc->sweep_at = cc->n_entries * 2 > MIN_SWEEP_ENTRIES ? cc->n_entries * 2 : MIN_SWEEP_ENTRIES;
	cc->last_walk_ms = monotonic_ms();
	cc->walk_gap_ms = (cc->last_walk_ms - start) * WALK_DUTY;
	if (cc->walk_gap_ms < MIN_WALK_INTERVAL_MS)
		cc->walk_gap_ms = MIN_WALK_INTERVAL_MS;
	cc->want_walk = false;
}

struct container_cache *container_cache_new(void)
{
	struct container_cache *cc = calloc(1, sizeof(*cc));

	if (!cc || !(cc->buckets = calloc(INITIAL_BUCKETS, sizeof(*cc->buckets)))) {
		free(cc);
		return NULL;
	}
	cc->n_buckets = INITIAL_BUCKETS;
	cc->sweep_at = MIN_SWEEP_ENTRIES;
	cc->walk_gap_ms = MIN_WALK_INTERVAL_MS;
	cc->last_walk_ms = monotonic_ms() - MIN_WALK_INTERVAL_MS; /* the first walk may run at once */
	if (cgroup_v2_mount(cc->root, sizeof(cc->root)))
		cc->root[0] = '\0';
	return cc;
}

/* Resolve a miss without walking: the cgroup's file handle, else the
 * process's current cgroup. NULL leaves it to the next walk. */
static struct cc_entry *cache_resolve(struct container_cache *cc, uint64_t id, uint32_t pid)
{
	char rel[PATH_MAX];
	int err;

	if (!cc->no_handles) {
		err = cgroup_path_by_id(cc->root, id, rel, sizeof(rel));
		if (!err)
			return cache_put(cc, id, rel);
		if (err == -ESTALE)
			return cache_put(cc, id, NULL);
		log_msg(EUN_LOG_DEBUG, "cgroup file handles unusable (%s); resolving cgroup ids "
			"through /proc/PID/cgroup and walks of %s instead", strerror(-err), cc->root);
		cc->no_handles = true;
	}
	if (pid && !cgroup_path_of_pid(cc->root, pid, id, rel, sizeof(rel)))
		return cache_put(cc, id, rel);
	cc->want_walk = true;
	return NULL;
}

const struct eun_container_info *container_cache_lookup(struct container_cache *cc, uint64_t id,
							uint32_t pid)
{
	struct cc_entry *e;

	if (!cc || !id || !cc->root[0])
		return NULL;
	e = cache_find(cc, id);
	if (!e)
		e = cache_resolve(cc, id, pid);
	if (cc->n_entries >= cc->sweep_at)
		cc->want_walk = true;
	return e ? e->info : NULL;
}

void container_cache_maintain(struct container_cache *cc)
{
	int64_t now;

	if (!cc)
		return;
	now = monotonic_ms();
	if (cc->root[0] && (cc->want_walk || (cc->n_entries && now - cc->last_walk_ms >= SWEEP_INTERVAL_MS)) &&
	    now - cc->last_walk_ms >= cc->walk_gap_ms)
		cache_rescan(cc);
	while (cc->n_retired)
		container_info_unref(cc->retired[--cc->n_retired]);
}

void container_cache_free(struct container_cache *cc)
{
	if (!cc)
		return;
	for (size_t b = 0; b < cc->n_buckets; b++) {
		while (cc->buckets[b]) {
			struct cc_entry *e = cc->buckets[b];

			cc->buckets[b] = e->next;
			container_info_unref(e->info);
			free(e);
		}
	}
	while (cc->n_retired)
		container_info_unref(cc->retired[--cc->n_retired]);
	free(cc->retired);
	free(cc->buckets);
	free(cc->list);
	free(cc);
}
