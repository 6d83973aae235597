/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Handing struct eun_container_info to callers whose struct may be older or newer. */
#include <string.h>

#include "container/container.h"

/* The struct as libeunomia 0.1 defined it, the smallest a caller can have:
 * its strings cannot be cut short. */
#define INFO_MIN_SZ (offsetof(struct eun_container_info, processes) + sizeof(uint32_t))

int container_info_check(const struct eun_container_info *out, const char *fn)
{
	if (!out || out->sz < INFO_MIN_SZ)
		return set_error(EINVAL, "%s: out must not be NULL and out->sz must be set to "
				 "sizeof(struct eun_container_info) (use EUN_OPTS)", fn);
	return 0;
}

void container_info_copy(struct eun_container_info *out, const struct eun_container_info *in)
{
	opts_copy_out(out, in, EUN_KNOWN_SZ(eun_container_info));
}
