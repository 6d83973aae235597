/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A plugin using every macro and function of <eunomia/plugin_skel.h>, for
 * plugin_skel_compile.sh to compile (never run) as C11 and as C++20 with
 * -Wall -Wextra -pedantic -Werror. Valid C and C++ alike: casts from
 * void *, designated initializers in declaration order.
 */
#include <eunomia/plugin_skel.h>

/* The shape bpftool gives the skeleton of an object named demo_bpf. */
struct demo_bpf {
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
	struct demo_bpf__rodata {
		bool failed_only;
		__u16 port;
	} *rodata;
	struct demo_bpf__bss {
		__u64 map_full;
	} *bss;
};

static struct demo_bpf *demo_bpf__open(void)
{
	errno = ENOSYS;
	return NULL;
}

static const struct eun_config_key config_keys[] = {
	{ "failed_only", "only failed calls", "false", EUN_CONFIG_BOOL, 0, 0, 0 },
	{ "port", "only this port", "0", EUN_CONFIG_UINT, 0, 0, 65535 },
	{ "top", "rows per interval", "10", EUN_CONFIG_UINT, 0, 0, 100 },
};

static int demo_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, demo_bpf, EUN_SKEL_HINT_SYSCALL_TP);
	struct demo_bpf *skel;
	uint64_t top;
	bool on;
	int err;

	if (!sp)
		return -errno;
	skel = (struct demo_bpf *)sp->skel;
	if ((err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->failed_only)) ||
	    (err = eun_skel_bind_uint(sp, "port", &skel->rodata->port)) ||
	    (err = eun_skel_bind_bool_size(sp, "failed_only", &on, sizeof(on))) ||
	    (err = eun_skel_bind_uint_size(sp, "top", &top, sizeof(top))) ||
	    (err = eun_skel_cfg_bool(sp, "failed_only", &on)) ||
	    (err = eun_skel_cfg_uint(sp, "top", &top)))
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
}

/* A plugin with a state of its own around the kit's. */
struct demo_state {
	struct eun_skel *sp;
};

static int demo_collect(void *state)
{
	struct eun_skel *sp = ((struct demo_state *)state)->sp;
	struct demo_bpf *skel = (struct demo_bpf *)sp->skel;
	int err = eun_skel_load(sp);

	if (!err)
		eun_skel_warn_lost(sp, &skel->bss->map_full, "rows were not counted: %s", "map full");
	return err;
}

static struct eun_skel *demo_wrap(struct eun_tracker *t, const struct eun_host *host)
{
	struct demo_bpf *skel = demo_bpf__open();

	if (!skel)
		return eun_skel_wrap(t, host, NULL, NULL, NULL, NULL);
	return eun_skel_wrap(t, host, skel, skel->skeleton, skel->obj, EUN_SKEL_HINT_BTF_TP);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("demo"),
	.version = "1.0.0",
	.description = "compile test of the plugin kit",
	.license = "GPL-2.0-only",
	.event_types = NULL,
	.n_event_types = 0,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.config_keys = config_keys,
	.create = demo_create,
	EUN_SKEL_OPS,
	.decode = NULL,
	.collect = demo_collect,
	.poll_fd = NULL,
	.poll = NULL,
	.kernel_drops = NULL,
};

EUN_PLUGIN_DEFINE(desc)

/* Referenced so that no compiler calls it unused. */
struct eun_skel *(*demo_wrap_fn)(struct eun_tracker *, const struct eun_host *) = demo_wrap;
