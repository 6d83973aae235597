/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Apply the common tracker settings to a plugin's BPF object before load:
 * the eun_cfg_* variables from <eunomia/bpf/eunomia.bpf.h> (found by name
 * through the object's BTF) and the size of the eun_events ring buffer
 * (ringbuf_kb, or one page for a plugin that reads no ring).
 */
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "container/container.h"
#include "core/core.h"

/* The internal map holding section `sec` (".rodata", ".bss") of obj. */
static struct bpf_map *section_map(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *m;
	size_t n = strlen(sec);

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t len = strlen(name);

		if (bpf_map__is_internal(m) && len >= n && !strcmp(name + len - n, sec))
			return m;
	}
	return NULL;
}

/* Address of variable `var` inside section map m's data, or NULL. */
static void *section_var(struct bpf_object *obj, struct bpf_map *m, const char *sec,
			 const char *var, size_t size)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *t;
	size_t data_size;
	char *data;
	int id;

	if (!btf || !m)
		return NULL;
	data = (char *)bpf_map__initial_value(m, &data_size);
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (!data || id < 0)
		return NULL;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *vt = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, vt->name_off), var))
			return vs->size == size && vs->offset + size <= data_size ? data + vs->offset
										   : NULL;
	}
	return NULL;
}

/* Copy size bytes of val into .rodata variable var; -ENOENT if absent. */
static int set_rodata(struct eun_tracker *t, struct bpf_object *obj, const char *var,
		      const void *val, size_t size)
{
	void *p = section_var(obj, section_map(obj, ".rodata"), ".rodata", var, size);

	if (!p)
		return set_error(ENOENT,
				 "tracker '%s': its BPF object has no %s variable of %zu bytes; "
				 "include <eunomia/bpf/eunomia.bpf.h> in the BPF program and "
				 "call eun_should_trace()",
				 t->plugin->desc->name, var, size);
	memcpy(p, val, size);
	return 0;
}

/* The `container` key: the running container's (shallowest) cgroup into
 * info. An unknown or ambiguous container is bad configuration (-EINVAL). */
static int container_cgroup(struct eun_tracker *t, const char *container,
			    struct eun_container_info *info)
{
	int err;

	info->sz = sizeof(*info);
	err = eun_ctx_container_find(t->ctx, container, info);
	if (err)
		return set_error(err == -ENOENT || err == -EEXIST ? EINVAL : -err,
				 "tracker '%s': config key 'container': %s", t->plugin->desc->name,
				 eun_last_error());
	return 0;
}

/* The `cgroup` or `container` key: resolve the cgroup to its id and depth
 * for eun_should_trace(). */
static int apply_cgroup_filter(struct eun_tracker *t, struct bpf_object *obj)
{
	const char *path = config_find(t, "cgroup")->text;
	const char *container = config_find(t, "container")->text;
	const char *key = container[0] ? "container" : "cgroup";
	struct bpf_map *rodata = section_map(obj, ".rodata");
	struct eun_container_info info;
	uint64_t id;
	uint32_t level;
	void *id_var, *level_var;
	int err;

	if (container[0]) {
		if ((err = container_cgroup(t, container, &info)))
			return err;
		path = info.cgroup;
	}
	if (!path[0])
		return 0;
	/* A cgroup that does not exist is bad configuration, like a bad pid. */
	if ((err = cgroup_resolve(path, &id, &level)))
		return set_error(err == -ENOENT ? EINVAL : -err, "tracker '%s': config key '%s': %s",
				 t->plugin->desc->name, key, eun_last_error());
	id_var = section_var(obj, rodata, ".rodata", "eun_cfg_cgroup_id", sizeof(id));
	level_var = section_var(obj, rodata, ".rodata", "eun_cfg_cgroup_level", sizeof(level));
	if (!id_var || !level_var)
		return set_error(ENOTSUP, "tracker '%s': config key '%s': the plugin was built "
				 "without the cgroup filter; rebuild it against this version of "
				 "<eunomia/bpf/eunomia.bpf.h>", t->plugin->desc->name, key);
	memcpy(id_var, &id, sizeof(id));
	memcpy(level_var, &level, sizeof(level));
	return 0;
}

/* Ring size and wakeup threshold in bytes from ringbuf_kb and wakeup_kb,
 * the size the BPF object declares (EUN_RINGBUF_KB) standing in for an
 * unset ringbuf_kb. 0 or -EINVAL for settings that do not fit. */
static int ring_settings(struct eun_tracker *t, struct bpf_map *events, uint64_t *ring,
			 uint64_t *wakeup)
{
	const struct config_value *rb = config_find(t, "ringbuf_kb");
	const struct config_value *wk = config_find(t, "wakeup_kb");
	const char *name = t->plugin->desc->name;

	/* A plugin without ring_fd() (its records come from collect()) never
	 * has its ring read: give the kernel the smallest one it allows. */
	if (!t->plugin->desc->ring_fd) {
		if (rb->given || wk->given)
			return set_error(EINVAL, "tracker '%s' aggregates in the kernel and reads no "
					 "ring buffer: config keys ringbuf_kb and wakeup_kb do not "
					 "apply to it; remove them", name);
		*ring = (uint64_t)sysconf(_SC_PAGESIZE);
		*wakeup = 0;
		return 0;
	}
	*ring = rb->set ? rb->uint_val * 1024 : bpf_map__max_entries(events);
	*wakeup = wk->uint_val * 1024;
	if (*wakeup < *ring / 16 || (wk->given && *wakeup < *ring))
		return 0;
	if (wk->given)
		return set_error(EINVAL, "tracker '%s': config key 'wakeup_kb': %llu must be smaller "
				 "than its %llu KiB ring buffer (raise ringbuf_kb or lower wakeup_kb)",
				 name, (unsigned long long)wk->uint_val,
				 (unsigned long long)(*ring / 1024));
	*wakeup = *ring / 16;
	return 0;
}

int bpf_settings_apply(struct eun_tracker *t, struct bpf_object *obj)
{
	const struct config_value *uid = config_find(t, "uid");
	uint32_t pid = (uint32_t)config_find(t, "pid")->uint_val;
	uint32_t uid_val = (uint32_t)uid->uint_val;
	uint8_t uid_set = uid->set;
	uint64_t wakeup = 0, ring = 0;
	char comm[EUN_COMM_LEN] = { 0 };
	struct bpf_map *events;
	int err;

	if (!obj)
		return set_error(EINVAL, "tracker '%s': prepare_bpf() was given a NULL object",
				 t->plugin->desc->name);
	events = bpf_object__find_map_by_name(obj, "eun_events");
	if (!events)
		return set_error(ENOENT, "tracker '%s': its BPF object has no eun_events ring buffer; "
				 "include <eunomia/bpf/eunomia.bpf.h>", t->plugin->desc->name);
	if ((err = ring_settings(t, events, &ring, &wakeup)))
		return err;
	strncpy(comm, config_find(t, "comm")->text, sizeof(comm) - 1);
	if ((err = set_rodata(t, obj, "eun_cfg_pid", &pid, sizeof(pid))) ||
	    (err = set_rodata(t, obj, "eun_cfg_uid", &uid_val, sizeof(uid_val))) ||
	    (err = set_rodata(t, obj, "eun_cfg_uid_set", &uid_set, sizeof(uid_set))) ||
	    (err = set_rodata(t, obj, "eun_cfg_comm", comm, sizeof(comm))) ||
	    (err = set_rodata(t, obj, "eun_cfg_wakeup_bytes", &wakeup, sizeof(wakeup))) ||
	    (err = apply_cgroup_filter(t, obj)))
		return err;
	err = bpf_map__set_max_entries(events, (uint32_t)ring);
	if (err)
		return set_error(-err, "tracker '%s': cannot size the ring buffer to %llu bytes: %s",
				 t->plugin->desc->name, (unsigned long long)ring, strerror(-err));
	return 0;
}

uint64_t bpf_settings_read_drops(struct bpf_object *obj)
{
	const volatile uint64_t *p;

	if (!obj)
		return 0;
	p = section_var(obj, section_map(obj, ".bss"), ".bss", "eun_dropped", sizeof(uint64_t));
	return p ? *p : 0;
}
