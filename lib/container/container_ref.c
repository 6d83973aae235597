/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Reference-counted container infos: the cache hands out one info per
 * cgroup, events point at it, and copies of events taken to another thread
 * keep it alive after the cache has dropped it.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "container/container.h"

struct info_box {
	atomic_uint refs;
	struct eun_container_info info;
};

static struct info_box *box_of(const struct eun_container_info *info)
{
	return (struct info_box *)((char *)info - offsetof(struct info_box, info));
}

struct eun_container_info *container_info_new(void)
{
	struct info_box *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	atomic_init(&b->refs, 1);
	b->info.sz = sizeof(b->info);
	return &b->info;
}

const struct eun_container_info *container_info_ref(const struct eun_container_info *info)
{
	if (info)
		atomic_fetch_add_explicit(&box_of(info)->refs, 1, memory_order_relaxed);
	return info;
}

void container_info_unref(const struct eun_container_info *info)
{
	struct info_box *b;

	if (!info)
		return;
	b = box_of(info);
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		free(b);
}
