/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Container awareness: cgroup paths, the cgroup v2 tree, runtime state
 * enrichment and the cgroup id -> container cache. Below the core: knows
 * only base/ and the public container struct. Never installed.
 */
#ifndef EUNOMIA_CONTAINER_H
#define EUNOMIA_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* ---- cgroup_path_parse.c ---- */

/* eun_cgroup_path_parse() into a full-size info (zeroed first). */
EUN_HIDDEN int cgroup_path_parse(const char *path, struct eun_container_info *info);

/* ---- container_info.c ---- */

/* 0 if out is usable (not NULL, sz covers at least the 0.1 members), else
 * -EINVAL with an error naming the function fn. */
EUN_HIDDEN int container_info_check(const struct eun_container_info *out, const char *fn);
/* Copy in to out as far as out->sz allows, keeping out->sz; zero what out has past our members. */
EUN_HIDDEN void container_info_copy(struct eun_container_info *out,
				    const struct eun_container_info *in);

/* ---- cgroup_fs.c ---- */

/* Mount point of the cgroup v2 hierarchy (e.g. /sys/fs/cgroup, or
 * /sys/fs/cgroup/unified on hybrid systems) into buf. 0 or -ENOENT. */
EUN_HIDDEN int cgroup_v2_mount(char *buf, size_t size);
/* Id (inode) and depth below the mount (root 0) of the cgroup at `path`,
 * which is either a directory under the v2 mount or a path relative to it
 * ("/docker/ID"). 0 or -errno with an error naming the path and the fix. */
EUN_HIDDEN int cgroup_resolve(const char *path, uint64_t *id, uint32_t *level);
/* Path below mount `root` of the cgroup with this id, found through its
 * kernfs file handle (needs CAP_DAC_READ_SEARCH). 0, -ESTALE if the cgroup
 * is gone, or another -errno if handles cannot be used. */
EUN_HIDDEN int cgroup_path_by_id(const char *root, uint64_t id, char *buf, size_t size);
/* Path below mount `root` of the cgroup process pid is in now, if that
 * cgroup has this id (read from /proc/PID/cgroup, checked with stat()).
 * 0, or -ENOENT when the process is gone or has moved. */
EUN_HIDDEN int cgroup_path_of_pid(const char *root, uint32_t pid, uint64_t id, char *buf,
				  size_t size);
/* Call fn for every cgroup directory below root (root included, as "/"),
 * at most max_dirs of them and 32 levels deep. 0 or fn's non-zero return. */
EUN_HIDDEN int cgroup_walk(const char *root, size_t max_dirs,
			   int (*fn)(uint64_t id, const char *rel, void *cookie), void *cookie);
/* Number of processes in the cgroup `rel` below root (not descendants). */
EUN_HIDDEN uint32_t cgroup_count_procs(const char *root, const char *rel);

/* ---- container_enrich.c ---- */

/* Fill name/image (and a more exact runtime) of a container from the
 * runtime state directories that are readable. For a cgroup whose path
 * names no container, find one whose runc state claims the cgroup (below
 * the v2 mount cgroup_root). Silently leaves what it cannot find. */
EUN_HIDDEN void container_enrich(struct eun_container_info *info, const char *cgroup_root);

/* ---- container_ref.c: shared, immutable metadata of one cgroup ---- */

/* A new info with one reference (the caller's), zeroed; NULL without memory. */
EUN_HIDDEN struct eun_container_info *container_info_new(void);
/* Take one more reference to info (made by container_info_new()); any thread. */
EUN_HIDDEN const struct eun_container_info *container_info_ref(const struct eun_container_info *info);
/* Drop a reference; the last one frees info. Any thread; NULL is ignored. */
EUN_HIDDEN void container_info_unref(const struct eun_container_info *info);

/* ---- container_cache.c: cgroup id -> container, one per context ---- */

struct container_cache;

/* An empty cache of the cgroup v2 hierarchy (none mounted: every lookup
 * misses). NULL without memory. */
EUN_HIDDEN struct container_cache *container_cache_new(void);
/* Free the cache (NULL is ignored); infos still referenced elsewhere live on. */
EUN_HIDDEN void container_cache_free(struct container_cache *cc);
/* Metadata of cgroup id (seen on an event of process pid); NULL for the
 * root cgroup, a cgroup that was gone before its first lookup, or one that
 * cannot be resolved yet. A miss is resolved through the cgroup's file
 * handle or /proc/PID/cgroup, never by walking the tree: a miss neither
 * can resolve is left for container_cache_maintain(). The pointer stays
 * valid until the next container_cache_maintain(); container_info_ref()
 * keeps it longer. */
EUN_HIDDEN const struct eun_container_info *container_cache_lookup(struct container_cache *cc,
								   uint64_t id, uint32_t pid);
/* The work lookups leave to be done between deliveries: the walk of the
 * tree that unresolved misses and invalidation need, at most one at a time
 * and rate-limited to a small share of the time; then freeing what walks
 * dropped. */
EUN_HIDDEN void container_cache_maintain(struct container_cache *cc);
/* Walk the tree now and rebuild the listing of running containers: one row
 * per container id, with its shallowest cgroup and its process count,
 * sorted by id. The count, -ENOTSUP without a cgroup v2 mount, -ENOMEM. */
EUN_HIDDEN int container_cache_refresh(struct container_cache *cc);
/* Row i of the last refresh, or NULL past its end. */
EUN_HIDDEN const struct eun_container_info *container_cache_row(const struct container_cache *cc,
								size_t i);
/* Refresh, then the running container with this id, name or unique id
 * prefix. 0 (*out set), -ENOENT, -EEXIST for an ambiguous prefix, or the
 * refresh's error; the error text names what was asked. */
EUN_HIDDEN int container_cache_find(struct container_cache *cc, const char *id_or_name,
				    const struct eun_container_info **out);

#endif /* EUNOMIA_CONTAINER_H */
