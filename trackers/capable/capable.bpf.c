// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `capable` tracker: one record per capability check the
 * commoncap LSM makes (capable(), ns_capable(), file_ns_capable()...),
 * with the capability, the result and the target user namespace. Hook:
 * the BTF tracepoint capability:cap_capable (present in recent kernels only; prototype:
 * cred, target_ns, capable_ns, cap, ret).
 *
 * The tracepoint does not pass the check's CAP_OPT_* options, so the
 * record also carries the innermost kernel frames: user space names the
 * function that asked for the check (ns_capable, ns_capable_noaudit, ...),
 * which says whether it asked for an audited check.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "capable.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the plugin from its config keys; tested before anything else,
 * since capability checks are frequent. */
const volatile __u8 capable_cfg_failed_only = 0;
const volatile __u8 capable_cfg_cap_set = 0;
const volatile __u32 capable_cfg_cap = 0;

SEC("tp_btf/cap_capable")
int BPF_PROG(handle_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct capable_raw_event *e;
	long n;

	if (capable_cfg_failed_only && ret == 0)
		return 0;
	if (capable_cfg_cap_set && (__u32)cap != capable_cfg_cap)
		return 0;
	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), CAPABLE_CHECK);
	if (!e)
		return 0;
	e->cap = cap;
	e->ret = ret;
	e->target_userns = BPF_CORE_READ(target_ns, ns.inum);
	e->euid = BPF_CORE_READ(cred, euid.val);
	n = bpf_get_stack(ctx, e->frames, sizeof(e->frames), 0);
	if (n < 0)
		n = 0;
	/* Zero what the walk did not fill: the ring memory is not cleared. */
	for (int i = 0; i < CAPABLE_FRAMES; i++)
		if (i * 8 >= n)
			e->frames[i] = 0;
	eun_record_submit(e);
	return 0;
}
