// SPDX-License-Identifier: GPL-2.0-only
/*
 * An object built with <eunomia/bpf/eunomia.bpf.h> and no C plugin, for the
 * bpfobj tests: its records carry the eunomia header (type 7, named with
 * EUN_EXPORT_EVENT_ID), so the loader hands its ring to the core as it is
 * and its common filters run in the kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define EUN_RINGBUF_KB 256
#include <eunomia/bpf/eunomia.bpf.h>
#include <eunomia/bpf/export.h>

char LICENSE[] SEC("license") = "GPL";

#define NATIVE_OPEN 7

struct native_open {
	struct eun_record_header hdr;
	__s64 ret;
	char fname[128];
};

EUN_EXPORT_EVENT_ID(eun_events, native_open, NATIVE_OPEN);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} native_names SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int native_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 name = ctx->args[1];

	if (!eun_should_trace())
		return 0;
	bpf_map_update_elem(&native_names, &tid, &name, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int native_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *name = bpf_map_lookup_elem(&native_names, &tid);
	struct native_open *r;

	if (!name)
		return 0;
	r = eun_record_reserve(sizeof(*r), NATIVE_OPEN);
	if (r) {
		r->ret = ctx->ret;
		bpf_probe_read_user_str(r->fname, sizeof(r->fname), (const void *)*name);
		eun_record_submit(r);
	}
	bpf_map_delete_elem(&native_names, &tid);
	return 0;
}
