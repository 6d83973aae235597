/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Container awareness inside the library: cgroup paths, the cgroup id cache,
 * runtime state enrichment. Never installed. */
#ifndef EUNOMIA_CONTAINER_H
#define EUNOMIA_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* ---- cgroup_path_parse.c ---- */

/* eun_cgroup_path_parse() into a full-size info (zeroed first). */
EUN_HIDDEN int cgroup_path_parse(const char *path, struct eun_container_info *info);

/* ---- container_info.c ---- */

/* 0 if out is usable (not NULL, sz covers this version's members), else
 * -EINVAL with an error naming the function fn. */
EUN_HIDDEN int container_info_check(const struct eun_container_info *out, const char *fn);
/* Copy in to out as far as out->sz allows, keeping out->sz. */
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

/* ---- container_cache.c ---- */

struct container_cache;
/* Free the context's cache (NULL is ignored). */
EUN_HIDDEN void container_cache_free(struct container_cache *cc);
/* Container metadata of cgroup id in ctx's cache, resolving a miss; NULL if
 * the cgroup cannot be found. Valid until the next lookup on ctx. */
EUN_HIDDEN const struct eun_container_info *container_cache_lookup(struct eun_ctx *ctx,
								   uint64_t id);

#endif /* EUNOMIA_CONTAINER_H */
