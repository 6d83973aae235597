/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The common header every event carries, as named columns for the renderers. */
#include <string.h>

#include "event/event.h"

const char *const header_field_names[N_HEADER_FIELDS] = {
	[HDR_TS] = "ts",           [HDR_TRACKER] = "tracker", [HDR_TYPE] = "type",
	[HDR_PID] = "pid",         [HDR_TID] = "tid",         [HDR_UID] = "uid",
	[HDR_COMM] = "comm",       [HDR_CGROUP_ID] = "cgroup_id",
	[HDR_PID_NS] = "pid_ns",   [HDR_MNT_NS] = "mnt_ns",   [HDR_NET_NS] = "net_ns",
	[HDR_USER_NS] = "user_ns", [HDR_CONTAINER_ID] = "container_id",
	[HDR_CONTAINER_RUNTIME] = "container_runtime", [HDR_POD_UID] = "pod_uid",
};

int header_field_index(const char *name)
{
	for (int i = 0; i < N_HEADER_FIELDS; i++)
		if (!strcmp(header_field_names[i], name))
			return i;
	return -ENOENT;
}

/* Container columns of ev's cgroup ("" for host processes and unknown cgroups). */
static const char *header_container_str(const struct eun_event *ev, enum header_field i)
{
	const struct eun_container_info *info = ev->container;

	if (!info)
		return "";
	return i == HDR_CONTAINER_ID ? info->id : i == HDR_CONTAINER_RUNTIME ? info->runtime
									      : info->pod_uid;
}

const char *header_field_str(const struct eun_event *ev, enum header_field i)
{
	switch (i) {
	case HDR_TRACKER: return ev->tracker_name;
	case HDR_TYPE: return ev->type->name;
	case HDR_COMM: return ev->comm;
	case HDR_CONTAINER_ID:
	case HDR_CONTAINER_RUNTIME:
	case HDR_POD_UID: return header_container_str(ev, i);
	default: return NULL;
	}
}

uint64_t header_field_num(const struct eun_event *ev, enum header_field i)
{
	const struct eun_record_header *h = ev->hdr;

	switch (i) {
	case HDR_TS: return ev->ts;
	case HDR_PID: return h->pid;
	case HDR_TID: return h->tid;
	case HDR_UID: return h->uid;
	case HDR_CGROUP_ID: return h->cgroup_id;
	case HDR_PID_NS: return h->pid_ns;
	case HDR_MNT_NS: return h->mnt_ns;
	case HDR_NET_NS: return h->net_ns;
	case HDR_USER_NS: return h->user_ns;
	default: return 0;
	}
}
