// SPDX-License-Identifier: GPL-2.0-only
/*
 * One hook three ways, for the attach policy tests: a kprobe (this test
 * machine's kernel has none: attaching it fails), an fentry program (which
 * some kernels refuse at load) and a syscall tracepoint, which works.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <eunomia/bpf/export.h>

char LICENSE[] SEC("license") = "GPL";

const volatile pid_t targ_tgid = 0;

struct hit {
	__u32 pid;
	__u32 which; /* 1 kprobe, 2 fentry, 3 tracepoint */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} hits SEC(".maps");

EUN_EXPORT_EVENT(hits, hit);

static __always_inline int hit(__u32 which)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct hit *h;

	if (targ_tgid && targ_tgid != (pid_t)pid)
		return 0;
	h = bpf_ringbuf_reserve(&hits, sizeof(*h), 0);
	if (!h)
		return 0;
	h->pid = pid;
	h->which = which;
	bpf_ringbuf_submit(h, 0);
	return 0;
}

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(on_kprobe)
{
	return hit(1);
}

SEC("fentry/do_sys_openat2")
int BPF_PROG(on_fentry)
{
	return hit(2);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int on_tracepoint(void *ctx)
{
	return hit(3);
}
