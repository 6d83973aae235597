/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Per-context cache: cgroup id -> cgroup path -> container metadata.
 *
 * The first lookup walks the cgroup v2 tree once. A later miss is resolved
 * through the cgroup's kernfs file handle (one open_by_handle_at and a
 * readlink), or, where handles are refused, by a walk done at most every
 * MIN_WALK_INTERVAL_MS. Cgroups that are gone are remembered as such.
 *
 * Invalidation: a walk marks every entry it sees; entries of cgroups that
 * two walks in a row did not see are dropped. Keeping them through one
 * walk lets events that were still in a ring when their cgroup was removed
 * (a container's last exit events) resolve. A walk happens on every
 * eun_ctx_containers_refresh() and, on a miss, once SWEEP_INTERVAL_MS has
 * passed since the last one or the table has doubled. Cgroup ids are never
 * reused, so a kept entry is never wrong.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

#define MIN_WALK_INTERVAL_MS 100
#define SWEEP_INTERVAL_MS 10000
#define MAX_WALK_DIRS 65536
#define MIN_SWEEP_ENTRIES 1024
#define INITIAL_BUCKETS 256

struct cc_entry {
	uint64_t id;
	struct eun_container_info *info; /* NULL: the cgroup is gone */
	unsigned gen;                    /* walk generation that last saw it */
	struct cc_entry *next;
};

struct container_cache {
	char root[PATH_MAX];  /* cgroup v2 mount; "" if there is none */
	bool no_handles;      /* open_by_handle_at refused: walk instead */
	struct cc_entry **buckets;
	size_t n_buckets, n_entries, sweep_at;
	unsigned gen;
	int64_t last_walk_ms;     /* monotonic_ms() of the last walk */
	struct eun_container_info *list; /* containers of the last refresh */
	size_t n_list;
};

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

/* Metadata of the cgroup at rel (NULL: gone), parsed and enriched. */
static struct eun_container_info *make_info(const struct container_cache *cc, uint64_t id,
					    const char *rel)
{
	struct eun_container_info *info;

	if (!rel || !(info = malloc(sizeof(*info))))
		return NULL;
	/* A path too deep to parse is no container: info is left empty. */
	cgroup_path_parse(rel, info);
	if (strcmp(rel, "/"))
		container_enrich(info, cc->root);
	info->cgroup_id = id;
	return info;
}

/* Add or replace the entry of id. */
static struct cc_entry *cache_put(struct container_cache *cc, uint64_t id, const char *rel)
{
	struct cc_entry *e = cache_find(cc, id);

	if (e) {
		if (rel && (!e->info || strcmp(e->info->cgroup, rel))) {
			free(e->info);
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

/* Walk the whole tree, then drop the entries neither this walk nor the
 * previous one saw. */
static void cache_rescan(struct container_cache *cc)
{
	cc->gen++;
	cc->last_walk_ms = monotonic_ms();
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
			free(e->info);
			free(e);
			cc->n_entries--;
		}
	}
	cc->sweep_at = cc->n_entries * 2 > MIN_SWEEP_ENTRIES ? cc->n_entries * 2 : MIN_SWEEP_ENTRIES;
}

/* The ctx's cache, created on first use; NULL without memory. */
static struct container_cache *cache_of(struct eun_ctx *ctx)
{
	struct container_cache *cc = ctx->containers;

	if (cc)
		return cc;
	cc = calloc(1, sizeof(*cc));
	if (!cc || !(cc->buckets = calloc(INITIAL_BUCKETS, sizeof(*cc->buckets)))) {
		free(cc);
		return NULL;
	}
	cc->n_buckets = INITIAL_BUCKETS;
	cc->sweep_at = MIN_SWEEP_ENTRIES;
	if (cgroup_v2_mount(cc->root, sizeof(cc->root)))
		cc->root[0] = '\0';
	ctx->containers = cc;
	return cc;
}

/* Look id up in the kernel (handle) or the tree (rate-limited walk). */
static struct cc_entry *cache_resolve(struct container_cache *cc, uint64_t id)
{
	char rel[PATH_MAX];
	int err;

	if (!cc->root[0])
		return NULL;
	if (!cc->no_handles) {
		err = cgroup_path_by_id(cc->root, id, rel, sizeof(rel));
		if (!err)
			return cache_put(cc, id, rel);
		if (err == -ESTALE)
			return cache_put(cc, id, NULL);
		log_msg(EUN_LOG_DEBUG, "cgroup file handles unusable (%s); resolving cgroup ids by "
			"walking %s instead", strerror(-err), cc->root);
		cc->no_handles = true;
	}
	if (monotonic_ms() - cc->last_walk_ms < MIN_WALK_INTERVAL_MS)
		return NULL;
	cache_rescan(cc);
	/* It was there when the event happened: not in the tree now means gone. */
	return cache_find(cc, id) ?: cache_put(cc, id, NULL);
}

const struct eun_container_info *container_cache_lookup(struct eun_ctx *ctx, uint64_t id)
{
	struct container_cache *cc = cache_of(ctx);
	struct cc_entry *e;

	if (!cc || !id)
		return NULL;
	e = cache_find(cc, id);
	if (!e) {
		if (cc->n_entries >= cc->sweep_at || monotonic_ms() - cc->last_walk_ms >= SWEEP_INTERVAL_MS)
			cache_rescan(cc);
		e = cache_find(cc, id) ?: cache_resolve(cc, id);
	}
	return e ? e->info : NULL;
}

void container_cache_free(struct container_cache *cc)
{
	if (!cc)
		return;
	for (size_t b = 0; b < cc->n_buckets; b++) {
		while (cc->buckets[b]) {
			struct cc_entry *e = cc->buckets[b];

			cc->buckets[b] = e->next;
			free(e->info);
			free(e);
		}
	}
	free(cc->buckets);
	free(cc->list);
	free(cc);
}

/* ---- public API ---- */

int eun_event_container(const struct eun_event *ev, struct eun_container_info *out)
{
	const struct eun_container_info *info;
	struct eun_container_info none = { .sz = sizeof(none) };
	int err;

	clear_error();
	if (!ev)
		return set_error(EINVAL, "eun_event_container: ev must not be NULL");
	if ((err = container_info_check(out, "eun_event_container")))
		return err;
	info = container_cache_lookup(ev->tracker->ctx, ev->hdr->cgroup_id);
	if (!info) {
		none.cgroup_id = ev->hdr->cgroup_id;
		info = &none;
	}
	container_info_copy(out, info);
	return info->id[0] != '\0';
}

/* Number of path components of a cgroup path. */
static size_t path_depth(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		n += *p != '/' && (p[1] == '/' || !p[1]);
	return n;
}

/* Merge the cgroup of info into the listing: one row per container id,
 * with its shallowest cgroup and the processes of all of them. */
static int list_add(struct container_cache *cc, const struct eun_container_info *info,
		    size_t *cap)
{
	uint32_t procs = cgroup_count_procs(cc->root, info->cgroup);
	struct eun_container_info *row;

	for (size_t i = 0; i < cc->n_list; i++) {
		row = &cc->list[i];
		if (strcmp(row->id, info->id))
			continue;
		row->processes += procs;
		if (path_depth(info->cgroup) < path_depth(row->cgroup)) {
			uint32_t total = row->processes;

			*row = *info;
			row->processes = total;
		}
		return 0;
	}
	if (cc->n_list == *cap) {
		size_t n = *cap ? 2 * *cap : 16;

		row = realloc(cc->list, n * sizeof(*row));
		if (!row)
			return set_error(ENOMEM, "out of memory listing containers");
		cc->list = row;
		*cap = n;
	}
	row = &cc->list[cc->n_list++];
	*row = *info;
	row->processes = procs;
	return 0;
}

/* A container without processes in any of its cgroups is not running. */
static void drop_empty_rows(struct container_cache *cc)
{
	size_t kept = 0;

	for (size_t i = 0; i < cc->n_list; i++)
		if (cc->list[i].processes)
			cc->list[kept++] = cc->list[i];
	cc->n_list = kept;
}

static int compare_rows(const void *a, const void *b)
{
	return strcmp(((const struct eun_container_info *)a)->id,
		      ((const struct eun_container_info *)b)->id);
}

int eun_ctx_containers_refresh(struct eun_ctx *ctx)
{
	struct container_cache *cc;
	size_t cap = 0;
	int err;

	clear_error();
	if (!ctx)
		return set_error(EINVAL, "eun_ctx_containers_refresh: ctx must not be NULL");
	cc = cache_of(ctx);
	if (!cc)
		return set_error(ENOMEM, "out of memory creating the container cache");
	if (!cc->root[0])
		return set_error(ENOTSUP, "no cgroup v2 hierarchy is mounted, so containers cannot be "
				 "found; mount one with 'mount -t cgroup2 none /sys/fs/cgroup/unified'");
	cache_rescan(cc);
	free(cc->list);
	cc->list = NULL;
	cc->n_list = 0;
	/* Entries this walk did not see are kept for late events, not listed. */
	for (size_t b = 0; b < cc->n_buckets; b++)
		for (struct cc_entry *e = cc->buckets[b]; e; e = e->next)
			if (e->gen == cc->gen && e->info && e->info->id[0] &&
			    (err = list_add(cc, e->info, &cap)))
				return err;
	drop_empty_rows(cc);
	qsort(cc->list, cc->n_list, sizeof(*cc->list), compare_rows);
	return (int)cc->n_list;
}

int eun_ctx_container_at(struct eun_ctx *ctx, size_t i, struct eun_container_info *out)
{
	int err;

	clear_error();
	if (!ctx)
		return set_error(EINVAL, "eun_ctx_container_at: ctx must not be NULL");
	if ((err = container_info_check(out, "eun_ctx_container_at")))
		return err;
	if (!ctx->containers || i >= ctx->containers->n_list)
		return set_error(ERANGE, "eun_ctx_container_at: no container %zu; call "
				 "eun_ctx_containers_refresh() for the count", i);
	container_info_copy(out, &ctx->containers->list[i]);
	return 0;
}

int eun_ctx_container_find(struct eun_ctx *ctx, const char *id_or_name,
			   struct eun_container_info *out)
{
	const struct eun_container_info *match = NULL;
	struct container_cache *cc;
	size_t n_prefix = 0, len;
	int n;

	clear_error();
	if (!ctx || !id_or_name || !id_or_name[0])
		return set_error(EINVAL, "eun_ctx_container_find: ctx and a non-empty id or name "
				 "are needed");
	if ((n = container_info_check(out, "eun_ctx_container_find")))
		return n;
	if ((n = eun_ctx_containers_refresh(ctx)) < 0)
		return n;
	cc = ctx->containers;
	len = strlen(id_or_name);
	for (size_t i = 0; i < cc->n_list && !match; i++)
		if (!strcmp(cc->list[i].id, id_or_name) || !strcmp(cc->list[i].name, id_or_name))
			match = &cc->list[i];
	for (size_t i = 0; i < cc->n_list && !match; i++) {
		if (strncmp(cc->list[i].id, id_or_name, len))
			continue;
		if (n_prefix++)
			return set_error(EEXIST, "container id prefix '%s' is ambiguous; give more of "
					 "the id (see 'eunomia containers')", id_or_name);
	}
	for (size_t i = 0; i < cc->n_list && !match; i++)
		if (!strncmp(cc->list[i].id, id_or_name, len))
			match = &cc->list[i];
	if (!match)
		return set_error(ENOENT, "no running container has the id or name '%s'; "
				 "'eunomia containers' lists them", id_or_name);
	container_info_copy(out, match);
	return 0;
}
