// SPDX-License-Identifier: GPL-2.0-only
/*
 * An object written for eunomia-bpf, for the bpfobj tests: its event
 * struct is marked with a "/// @export" comment (which only this source
 * carries) and kept in BTF with an unused global pointer, much as eunomia-bpf's
 * documentation advises. The loader reads the comment when this source
 * lies beside the object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/// @export
struct unlink_event {
	__u32 pid;
	char comm[16];
	__s64 ret;
};

struct unlink_event *unlink_event_ptr __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} unlinks SEC(".maps");

SEC("tracepoint/syscalls/sys_exit_unlinkat")
int on_unlinkat(struct trace_event_raw_sys_exit *ctx)
{
	struct unlink_event *e = bpf_ringbuf_reserve(&unlinks, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->ret = ctx->ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
