/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Render a container's metadata as one JSON object, for listings. */
#include <inttypes.h>
#include <string.h>

#include "container/container.h"
#include "render/render.h"

/* One string member of struct eun_container_info: its key and its array. */
#define STR_MEMBER(m) { #m, offsetof(struct eun_container_info, m), sizeof(((struct eun_container_info *)0)->m) }

static const struct {
	const char *key;
	size_t offset, size;
} str_members[] = {
	STR_MEMBER(id),      STR_MEMBER(runtime), STR_MEMBER(name),   STR_MEMBER(image),
	STR_MEMBER(pod_uid), STR_MEMBER(qos),     STR_MEMBER(cgroup),
};

int eun_container_to_json(const struct eun_container_info *c, char *buf, size_t size)
{
	struct outbuf o;
	int err;

	clear_error();
	if ((err = container_info_check(c, "eun_container_to_json")))
		return err;
	if (!buf && size)
		return set_error(EINVAL, "eun_container_to_json: buf must not be NULL unless size is 0");
	outbuf_init(&o, buf, size);
	for (size_t i = 0; i < sizeof(str_members) / sizeof(str_members[0]); i++) {
		const char *s = (const char *)c + str_members[i].offset;

		outbuf_printf(&o, "%s\"%s\":", i ? "," : "{", str_members[i].key);
		json_put_string(&o, s, strnlen(s, str_members[i].size));
	}
	outbuf_printf(&o, ",\"cgroup_id\":%" PRIu64 ",\"processes\":%" PRIu32 "}", c->cgroup_id,
		      c->processes);
	return outbuf_finish(&o);
}
