// SPDX-License-Identifier: GPL-2.0-only
/*
 * `capable` tracker plugin: capability checks (which capability, granted
 * or refused, in which user namespace, for which effective uid), from the
 * BPF program in bpf/capable.bpf.c. decode() adds the capability name.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>

#include "capable.h"
#include "capable.skel.h"
#include "skel_plugin.h"

static const struct eun_field check_fields[] = {
	EUN_FIELD(struct capable_check_event, cap, EUN_FIELD_U32, NULL, EUN_FIELD_F_KEY,
		  "capability number (CAP_* of linux/capability.h)"),
	EUN_FIELD(struct capable_check_event, cap_name, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "capability name, e.g. CAP_SYS_ADMIN"),
	EUN_FIELD(struct capable_check_event, ret, EUN_FIELD_S32, NULL, EUN_FIELD_F_ERRNO,
		  "result: 0 granted, -EPERM (-1) refused"),
	EUN_FIELD(struct capable_check_event, target_userns, EUN_FIELD_U32, NULL, 0,
		  "inode of the user namespace the capability is needed in (as ls -l /proc/PID/ns/user)"),
	EUN_FIELD(struct capable_check_event, euid, EUN_FIELD_U32, NULL, 0,
		  "effective uid of the credentials checked"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "check", .description = "the kernel checked a capability",
	  .id = CAPABLE_CHECK, .record_size = sizeof(struct capable_check_event),
	  .fields = check_fields, .n_fields = EUN_ARRAY_LEN(check_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "failed_only", .description = "report only refused checks (ret < 0), tested in the kernel",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
	{ .name = "cap", .description = "report only this capability number, tested in the kernel; unset: all",
	  .default_value = NULL, .type = EUN_CONFIG_UINT, .min = 0, .max = 63 },
};

static const char *const cap_names[] = {
	"CAP_CHOWN",           "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",          "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
	"CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",       "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
	"CAP_SYS_MODULE",      "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",       "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
	"CAP_LEASE",           "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",   "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static int capable_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct skel_plugin *sp = SKEL_PLUGIN_OPEN(t, host, capable_bpf,
		"the kernel needs BTF tracepoints and the capability:cap_capable tracepoint, which only recent kernels have");
	struct capable_bpf *skel;
	bool failed_only;
	uint64_t cap = 0;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = skel_plugin_cfg_bool(sp, "failed_only", &failed_only)))
		goto fail;
	/* CAP_CHOWN is 0, so "unset" must stay distinct from cap=0. */
	err = host->config_uint(t, "cap", &cap);
	if (err && err != -ENODATA) {
		host->set_error(t, "cannot read config key 'cap': %s", strerror(-err));
		goto fail;
	}
	skel->rodata->capable_cfg_failed_only = failed_only;
	skel->rodata->capable_cfg_cap_set = err == 0;
	skel->rodata->capable_cfg_cap = (__u32)cap;
	return skel_plugin_ready(sp, state);
fail:
	skel_plugin_destroy(sp);
	return err;
}

/* The BPF record stops before the name: copy it and add it. */
static long capable_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	struct capable_check_event *e = out;

	(void)state;
	if (raw_len < CAPABLE_RAW_SIZE || out_cap < sizeof(*e))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	memcpy(e, raw, CAPABLE_RAW_SIZE);
	if (e->hdr.type != CAPABLE_CHECK)
		return -EINVAL;
	if (e->cap < EUN_ARRAY_LEN(cap_names))
		snprintf(e->cap_name, sizeof(e->cap_name), "%s", cap_names[e->cap]);
	else
		snprintf(e->cap_name, sizeof(e->cap_name), "CAP_%u", e->cap);
	return (long)sizeof(*e);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("capable"),
	.version = "0.1.0",
	.description = "capability checks: capability, result, target user namespace, effective uid",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = capable_create,
	SKEL_PLUGIN_OPS,
	.decode = capable_decode,
};

EUN_PLUGIN_DEFINE(desc)
