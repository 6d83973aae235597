/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Handing struct eun_container_info to callers whose struct may be older. */
#include <string.h>

#include "container/container.h"

int container_info_check(const struct eun_container_info *out, const char *fn)
{
	if (!out || out->sz < offsetof(struct eun_container_info, processes) + sizeof(uint32_t))
		return set_error(EINVAL, "%s: out must not be NULL and out->sz must be set to "
				 "sizeof(struct eun_container_info) (use EUN_OPTS)", fn);
	return 0;
}

void container_info_copy(struct eun_container_info *out, const struct eun_container_info *in)
{
	size_t n = out->sz < sizeof(*in) ? out->sz : sizeof(*in);

	memcpy((char *)out + sizeof(out->sz), (const char *)in + sizeof(in->sz), n - sizeof(in->sz));
}
