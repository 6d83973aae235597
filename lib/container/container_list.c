/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The running containers, listed from a fresh walk of the cgroup tree. */
#include <stdlib.h>
#include <string.h>

#include "container/cache_internal.h"

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

int container_cache_refresh(struct container_cache *cc)
{
	size_t cap = 0;
	int err;

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
	if (cc->n_list > 1)
		qsort(cc->list, cc->n_list, sizeof(*cc->list), compare_rows);
	return (int)cc->n_list;
}

const struct eun_container_info *container_cache_row(const struct container_cache *cc, size_t i)
{
	return i < cc->n_list ? &cc->list[i] : NULL;
}

int container_cache_find(struct container_cache *cc, const char *id_or_name,
			 const struct eun_container_info **out)
{
	const struct eun_container_info *match = NULL;
	size_t n_prefix = 0, len = strlen(id_or_name);
	int n;

	if ((n = container_cache_refresh(cc)) < 0)
		return n;
	for (size_t i = 0; i < cc->n_list && !match; i++)
		if (!strcmp(cc->list[i].id, id_or_name) || !strcmp(cc->list[i].name, id_or_name))
			match = &cc->list[i];
	for (size_t i = 0; i < cc->n_list && !match; i++) {
		if (strncmp(cc->list[i].id, id_or_name, len))
			continue;
		if (n_prefix++)
			return set_error(EEXIST, "container id prefix '%s' is ambiguous; give more of "
					 "the id", id_or_name);
	}
	for (size_t i = 0; i < cc->n_list && !match; i++)
		if (!strncmp(cc->list[i].id, id_or_name, len))
			match = &cc->list[i];
	if (!match)
		return set_error(ENOENT, "no running container has the id or name '%s'", id_or_name);
	*out = match;
	return 0;
}
