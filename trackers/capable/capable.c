// SPDX-License-Identifier: GPL-2.0-only
/*
 * `capable` tracker plugin: capability checks (which capability, granted
 * or refused, in which user namespace, for which effective uid), from the
 * BPF program in capable.bpf.c. decode() adds the capability name and,
 * from the kernel frames the BPF side kept, the function that asked for
 * the check and whether it asked for an audited check.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "capable.h"
#include "capable.skel.h"
#include "cap_audit.h"

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
	struct eun_skel *sp = state;

	if (raw_len < sizeof(*r) || out_cap < sizeof(*e) || r->hdr.type != CAPABLE_CHECK)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->hdr = r->hdr;
	e->cap = r->cap;
	e->ret = r->ret;
	e->target_userns = r->target_userns;
	e->euid = r->euid;
	cap_audit_name(e->cap, e->cap_name, sizeof(e->cap_name));
	cap_audit_find_caller(sp->host, sp->t, r->frames, CAPABLE_FRAMES, e->caller,
			      sizeof(e->caller));
	snprintf(e->audit, sizeof(e->audit), "%s", cap_audit_of(e->caller));
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
