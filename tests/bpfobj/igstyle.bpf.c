// SPDX-License-Identifier: GPL-2.0-only
/*
 * An object written to Inspektor Gadget's conventions, for the bpfobj
 * tests: the two globals its GADGET_TRACER(open, opens, event) macro
 * declares (names and types are the convention; this file defines them
 * itself), gadget_* typedefs as semantic tags, and the process fields in a
 * nested struct.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

typedef __u64 gadget_timestamp; /* bpf_ktime_get_boot_ns() */
typedef __u64 gadget_mntns_id;
typedef __u32 gadget_pid;
typedef __u32 gadget_tid;
typedef __u32 gadget_uid;
typedef char gadget_comm;
typedef __u32 gadget_errno;

struct proc_info {
	gadget_comm comm[16];
	gadget_pid pid;
	gadget_tid tid;
	gadget_uid uid;
	gadget_mntns_id mntns_id;
};

struct event {
	gadget_timestamp timestamp_raw;
	struct proc_info proc;
	gadget_errno error_raw;
	__s32 fd;
	char fname[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} opens SEC(".maps");

const void *gadget_tracer_open___opens___event __attribute__((unused));
const struct event *__gadget_tracer_type_open __attribute__((unused));

const volatile pid_t targ_tgid = 0;

SEC("tracepoint/syscalls/sys_exit_openat")
int on_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	struct event *e;

	if (targ_tgid && targ_tgid != (pid_t)(id >> 32))
		return 0;
	e = bpf_ringbuf_reserve(&opens, sizeof(*e), 0);
	if (!e)
		return 0;
	e->timestamp_raw = bpf_ktime_get_boot_ns();
	bpf_get_current_comm(&e->proc.comm, sizeof(e->proc.comm));
	e->proc.pid = id >> 32;
	e->proc.tid = (__u32)id;
	e->proc.uid = (__u32)bpf_get_current_uid_gid();
	e->proc.mntns_id = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->fd = ctx->ret >= 0 ? (__s32)ctx->ret : -1;
	e->error_raw = ctx->ret < 0 ? (__u32)-ctx->ret : 0;
	e->fname[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}
