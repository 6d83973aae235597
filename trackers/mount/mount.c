// SPDX-License-Identifier: GPL-2.0-only
/*
 * `mount` tracker plugin: one event per mount, umount2, fsopen and
 * move_mount call (source, target, file system type, flags, result), from
 * the exit-tracepoint-only BPF programs in mount.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "mount.h"
#include "mount.skel.h"

static const struct eun_field call_fields[] = {
	EUN_FIELD(struct mount_event, call, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "system call: mount, umount2, fsopen or move_mount"),
	EUN_FIELD(struct mount_event, source, EUN_FIELD_STR, NULL, 0,
		  "mount: source (device, or a name for pseudo file systems); move_mount: from_path; cut at 128 bytes"),
	EUN_FIELD(struct mount_event, target, EUN_FIELD_STR, NULL, 0,
		  "mount, umount2: mount point; move_mount: to_path; as passed, cut at 256 bytes"),
	EUN_FIELD(struct mount_event, fstype, EUN_FIELD_STR, NULL, 0,
		  "file system type (mount, fsopen); empty when not given"),
	EUN_FIELD(struct mount_event, flags, EUN_FIELD_U64, NULL, EUN_FIELD_F_HEX,
		  "flags as passed: MS_* (mount), MNT_*/UMOUNT_* (umount2), FSOPEN_* (fsopen), MOVE_MOUNT_* (move_mount)"),
	EUN_FIELD(struct mount_event, ret, EUN_FIELD_S64, NULL, EUN_FIELD_F_ERRNO,
		  "0 (fsopen: the new fd) on success, or -errno"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "mount", .description = "a mount, umount2, fsopen or move_mount call returned",
	  .id = MOUNT_CALL, .record_size = sizeof(struct mount_event),
	  .fields = call_fields, .n_fields = EUN_ARRAY_LEN(call_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "failed_only", .description = "report only calls that failed (ret < 0)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
};

static int mount_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, mount_bpf, EUN_SKEL_HINT_SYSCALL_TP);
	struct mount_bpf *skel;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->mount_cfg_failed_only)))
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("mount"),
	.version = "0.1.0",
	.description = "mounts and unmounts: mount, umount2, fsopen and move_mount with source, target, type, flags and result",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = mount_create,
	EUN_SKEL_OPS,
};

EUN_PLUGIN_DEFINE(desc)
