// SPDX-License-Identifier: GPL-2.0-only
/*
 * `capable` tracker plugin: capability checks (which capability, granted
 * or refused, in which user namespace, for which effective uid), from the
 * BPF program in capable.bpf.c. decode() adds the capability name and,
 * from the kernel frames the BPF side kept, the function that asked for
 * the check and whether it asked for an audited check.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "capable.h"
#include "capable.skel.h"
#include "stack_fold.h"

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
	EUN_FIELD(struct capable_check_event, caller, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "kernel function that asked for the check (kallsyms), e.g. ns_capable; empty if not found"),
	EUN_FIELD(struct capable_check_event, audit, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "whether caller asks for an audited check: yes, no (a *_noaudit check) or unknown"),
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

/*
 * Kernel functions that call security_capable() or cap_capable() with
 * fixed CAP_OPT_* options (kernel/capability.c, security/commoncap.c), and
 * whether those ask for an audited check. Other callers (e.g. of newer
 * kernels) are "unknown".
 */
static const struct {
	const char *caller;
	bool audit;
} caller_audit[] = {
	{ "capable", true },
	{ "ns_capable", true },
	{ "ns_capable_setid", true },
	{ "file_ns_capable", true },
	{ "has_capability", true },
	{ "has_ns_capability", true },
	{ "capable_wrt_inode_uidgid", true },
	{ "cap_capset", true },
	{ "cap_mmap_addr", true },
	{ "ns_capable_noaudit", false },
	{ "has_capability_noaudit", false },
	{ "has_ns_capability_noaudit", false },
	{ "cap_vm_enough_memory", false },
	{ "security_vm_enough_memory_mm", false }, /* cap_vm_enough_memory inlined */
	{ "kallsyms_show_value", false },
};

static const char *audit_of(const char *caller)
{
	for (size_t i = 0; i < EUN_ARRAY_LEN(caller_audit); i++)
		if (!strcmp(caller, caller_audit[i].caller))
			return caller_audit[i].audit ? "yes" : "no";
	return "unknown";
}

/* The caller of the check: the first frame above cap_capable that is not
 * security_capable (cap_capable is reached through it, or directly from
 * within commoncap). Empty when cap_capable is not among the frames. */
static void find_caller(struct eun_skel *sp, const __u64 *frames, char *caller, size_t size)
{
	bool above = false;
	char name[128];

	caller[0] = '\0';
	for (int i = 0; i < CAPABLE_FRAMES && frames[i]; i++) {
		if (sp->host->symbolize(sp->t, 0, frames[i], name, sizeof(name)) < 0)
			continue;
		stack_fold_drop_offset(name);
		if (!strcmp(name, "cap_capable")) {
			above = true;
		} else if (above && strcmp(name, "security_capable")) {
			size_t n = strnlen(name, size - 1);

			memcpy(caller, name, n);
			caller[n] = '\0';
			return;
		}
	}
}

static int capable_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp;
	struct capable_bpf *skel;
	uint64_t cap = 0;
	int err;

	sp = EUN_SKEL_OPEN(t, host, capable_bpf,
		"the kernel needs BTF tracepoints and the capability:cap_capable tracepoint, which only recent kernels have");
	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->capable_cfg_failed_only)))
		return eun_skel_fail(sp, err);
	/* CAP_CHOWN is 0, so "unset" must stay distinct from cap=0. */
	err = host->config_uint(t, "cap", &cap);
	if (err && err != -ENODATA) {
		host->set_error(t, "cannot read config key 'cap': %s", strerror(-err));
		return eun_skel_fail(sp, err);
	}
	skel->rodata->capable_cfg_cap_set = err == 0;
	skel->rodata->capable_cfg_cap = (__u32)cap;
	return eun_skel_ready(sp, state);
}

/* Numbers from the raw record; names of the capability and of the caller. */
static long capable_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct capable_raw_event *r = raw;
	struct capable_check_event *e = out;

	if (raw_len < sizeof(*r) || out_cap < sizeof(*e) || r->hdr.type != CAPABLE_CHECK)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->hdr = r->hdr;
	e->cap = r->cap;
	e->ret = r->ret;
	e->target_userns = r->target_userns;
	e->euid = r->euid;
	if (e->cap < EUN_ARRAY_LEN(cap_names))
		snprintf(e->cap_name, sizeof(e->cap_name), "%s", cap_names[e->cap]);
	else
		snprintf(e->cap_name, sizeof(e->cap_name), "CAP_%u", e->cap);
	find_caller(state, r->frames, e->caller, sizeof(e->caller));
	snprintf(e->audit, sizeof(e->audit), "%s", audit_of(e->caller));
	return (long)sizeof(*e);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("capable"),
	.version = "0.1.0",
	.description = "capability checks: capability, result, target user namespace, effective uid, "
		       "calling kernel function and audit",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = capable_create,
	EUN_SKEL_OPS,
	.decode = capable_decode,
};

EUN_PLUGIN_DEFINE(desc)
