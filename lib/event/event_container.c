/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The container an event happened in, as resolved when it was delivered. */
#include "container/container.h"
#include "event/event.h"

int eun_event_container(const struct eun_event *ev, struct eun_container_info *out)
{
	struct eun_container_info none = { .sz = sizeof(none) };
	const struct eun_container_info *info;
	int err;

	clear_error();
	if (!ev)
		return set_error(EINVAL, "eun_event_container: ev must not be NULL");
	if ((err = container_info_check(out, "eun_event_container")))
		return err;
	info = ev->container;
	if (!info) {
		none.cgroup_id = ev->hdr->cgroup_id;
		info = &none;
	}
	container_info_copy(out, info);
	return info->id[0] != '\0';
}
