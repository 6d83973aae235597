// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `process` tracker: reports exec (with file name and
 * argv), the end of whole processes (exit code, signal, lifetime) and,
 * when enabled by the plugin, forks of new processes. Uses BTF tracepoints
 * (tp_btf/), which need neither tracefs nor kprobes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "process.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct process_exec_event *e;
	unsigned long start, end;
	__u64 size;
	__u32 n;

	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), PROCESS_EXEC);
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->old_pid = old_pid;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));

	/* argv is a block of NUL-terminated strings on the new user stack;
	 * copy its head as is, decode() in user space joins it with spaces. */
	start = BPF_CORE_READ(p, mm, arg_start);
	end = BPF_CORE_READ(p, mm, arg_end);
	size = end > start ? end - start : 0;
	e->args_size = size > 0xffffffffu ? 0xffffffffu : size;
	n = size > PROCESS_ARGS_LEN ? PROCESS_ARGS_LEN : size;
	if (bpf_probe_read_user(e->args, n, (const void *)start))
		n = 0;
	e->args_copied = n;

	eun_record_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *p)
{
	struct process_exit_event *e;
	__u64 id = bpf_get_current_pid_tgid();
	int code;

	/* A process ends with its thread group leader; other threads are not
	 * reported. */
	if ((__u32)id != (__u32)(id >> 32))
		return 0;
	/* When another thread execs, the kernel kills the old leader but the
	 * process goes on: not an exit. signal->group_exec_task names the
	 * exec'ing thread meanwhile (kernel 5.17+; older ones lack the field). */
	if (bpf_core_field_exists(struct signal_struct, group_exec_task) &&
	    BPF_CORE_READ(p, signal, group_exec_task))
		return 0;
	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), PROCESS_EXIT);
	if (!e)
		return 0;
	code = BPF_CORE_READ(p, exit_code);
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->exit_code = (code >> 8) & 0xff;
	e->signal = code & 0x7f;
	e->pad_ = 0;
	e->lifetime_ns = bpf_ktime_get_ns() - BPF_CORE_READ(p, start_time);
	eun_record_submit(e);
	return 0;
}

/* Not loaded unless the plugin's `fork` config key is true. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	struct process_fork_event *e;
	pid_t tgid;

	if (!eun_should_trace())
		return 0;
	tgid = BPF_CORE_READ(child, tgid);
	if (BPF_CORE_READ(child, pid) != tgid)
		return 0; /* a new thread, not a new process */
	e = eun_record_reserve(sizeof(*e), PROCESS_FORK);
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(parent, real_parent, tgid);
	e->child_pid = tgid;
	eun_record_submit(e);
	return 0;
}
