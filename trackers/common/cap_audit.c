// SPDX-License-Identifier: GPL-2.0-only
/* Capability names and audited checks (see cap_audit.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cap_audit.h"
#include "stack_fold.h"

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

const char *cap_audit_name(uint32_t cap, char *buf, size_t size)
{
	if (cap < sizeof(cap_names) / sizeof(cap_names[0]))
		snprintf(buf, size, "%s", cap_names[cap]);
	else
		snprintf(buf, size, "CAP_%u", cap);
	return buf;
}

const char *cap_audit_of(const char *caller)
{
	for (size_t i = 0; i < sizeof(caller_audit) / sizeof(caller_audit[0]); i++)
		if (!strcmp(caller, caller_audit[i].caller))
			return caller_audit[i].audit ? "yes" : "no";
	return "unknown";
}

void cap_audit_find_caller(const struct eun_host *host, struct eun_tracker *t,
			   const __u64 *frames, size_t n, char *caller, size_t size)
{
	bool above = false;
	char name[128];

	caller[0] = '\0';
	for (size_t i = 0; i < n && frames[i]; i++) {
		if (host->symbolize(t, 0, frames[i], name, sizeof(name)) < 0)
			continue;
		stack_fold_drop_offset(name);
		if (!strcmp(name, "cap_capable")) {
			above = true;
		} else if (above && strcmp(name, "security_capable")) {
			size_t len = strnlen(name, size - 1);

			memcpy(caller, name, len);
			caller[len] = '\0';
			return;
		}
	}
}
