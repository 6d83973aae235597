// SPDX-License-Identifier: GPL-2.0-only
/*
 * An exec tracer for the bpfobj tests: a ring buffer whose struct the
 * EUN_EXPORT_EVENT() annotation names (which also puts the struct into
 * the object's BTF), with an enum, a bool and a boot-time timestamp.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <eunomia/bpf/export.h>

char LICENSE[] SEC("license") = "GPL";

enum exec_kind {
	EXEC_BY_ROOT = 1,
	EXEC_BY_USER = 2,
};

struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	enum exec_kind kind;
	bool root;
	char comm[16];
	char filename[256];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} execs SEC(".maps");

EUN_EXPORT_EVENT(execs, exec_event);

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned int off = ctx->__data_loc_filename & 0xffff;
	struct exec_event *e = bpf_ringbuf_reserve(&execs, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->root = e->uid == 0;
	e->kind = e->root ? EXEC_BY_ROOT : EXEC_BY_USER;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(&e->filename, sizeof(e->filename), (void *)ctx + off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
