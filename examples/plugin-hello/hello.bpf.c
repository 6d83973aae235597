// SPDX-License-Identifier: GPL-2.0-only
/* BPF side of the "hello" example tracker: one record per fork. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "hello.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by hello.c from the "threads" config key before the object is loaded. */
const volatile __u8 report_threads = 0;

SEC("tp_btf/sched_process_fork")
int BPF_PROG(hello_fork, struct task_struct *parent, struct task_struct *child)
{
	struct hello_fork *e;
	pid_t pid = BPF_CORE_READ(child, pid);
	pid_t tgid = BPF_CORE_READ(child, tgid);

	if (pid != tgid && !report_threads)
		return 0;
	/* Filters (pid, uid, comm) apply to the forking task, the current one. */
	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), HELLO_FORK);
	if (!e)
		return 0;
	e->child_pid = pid;
	e->is_thread = pid != tgid;
	eun_record_submit(e);
	return 0;
}
