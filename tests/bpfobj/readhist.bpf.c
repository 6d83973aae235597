// SPDX-License-Identifier: GPL-2.0-only
/*
 * read(2) sizes for the bpfobj tests, summed in the kernel as libbpf-tools'
 * histogram tools do: a log2 histogram per process (a hash whose value has
 * a `slots` array, read as snapshots without any annotation), call and
 * byte counts per process (a hash, EUN_EXPORT_MAP) and in total (an array,
 * EUN_EXPORT_MAP, whose totals are turned into deltas).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <eunomia/bpf/export.h>

char LICENSE[] SEC("license") = "GPL";

#define READHIST_SLOTS 32

const volatile pid_t targ_tgid = 0;

struct hkey {
	__u32 pid;
	char comm[16];
};

struct hist {
	__u32 slots[READHIST_SLOTS];
};

struct rstat {
	__u64 calls;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hkey);
	__type(value, struct hist);
} read_sizes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hkey);
	__type(value, struct rstat);
} read_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rstat);
} read_totals SEC(".maps");

EUN_EXPORT_MAP(read_stats);
EUN_EXPORT_MAP(read_totals);

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = 0;

	for (int i = 0; i < 63 && v > 1; i++) {
		v >>= 1;
		r++;
	}
	return r < READHIST_SLOTS ? r : READHIST_SLOTS - 1;
}

SEC("tracepoint/syscalls/sys_exit_read")
int exit_read(struct trace_event_raw_sys_exit *ctx)
{
	static const struct hist zero_hist;
	static const struct rstat zero_stat;
	struct hkey key = {};
	struct hist *h;
	struct rstat *s;
	__u32 z = 0, slot;
	long ret = ctx->ret;

	key.pid = bpf_get_current_pid_tgid() >> 32;
	if (ret <= 0 || (targ_tgid && targ_tgid != (pid_t)key.pid))
		return 0;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	h = bpf_map_lookup_elem(&read_sizes, &key);
	if (!h) {
		bpf_map_update_elem(&read_sizes, &key, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&read_sizes, &key);
		if (!h)
			return 0;
	}
	slot = log2_slot((__u64)ret);
	if (slot < READHIST_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], 1);
	s = bpf_map_lookup_elem(&read_stats, &key);
	if (!s) {
		bpf_map_update_elem(&read_stats, &key, &zero_stat, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&read_stats, &key);
		if (!s)
			return 0;
	}
	__sync_fetch_and_add(&s->calls, 1);
	__sync_fetch_and_add(&s->bytes, ret);
	s = bpf_map_lookup_elem(&read_totals, &z);
	if (s) {
		__sync_fetch_and_add(&s->calls, 1);
		__sync_fetch_and_add(&s->bytes, ret);
	}
	return 0;
}
