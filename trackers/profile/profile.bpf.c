// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `profile` tracker: runs on every software CPU-clock
 * perf event (one per online CPU, opened by the plugin at frequency_hz)
 * and counts the sample under (pid, comm, kernel stack, user stack).
 * The idle task (pid 0) is not counted: it is no work on the CPU.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "profile.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROFILE_MAX_COUNTS);
	__type(key, struct profile_key);
	__type(value, __u64);
} profile_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PROFILE_MAX_FRAMES * sizeof(__u64));
} profile_stack_traces SEC(".maps");

/* Samples lost because the count map was full; the plugin reads and resets it. */
__u64 profile_map_full = 0;

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	struct profile_key key = {};
	__u64 one = 1, *count;

	key.pid = bpf_get_current_pid_tgid() >> 32;
	if (!key.pid || !eun_should_trace())
		return 0;
	key.kstack = bpf_get_stackid(ctx, &profile_stack_traces, 0);
	key.ustack = bpf_get_stackid(ctx, &profile_stack_traces, BPF_F_USER_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));

	count = bpf_map_lookup_elem(&profile_counts, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	if (!bpf_map_update_elem(&profile_counts, &key, &one, BPF_NOEXIST))
		return 0;
	/* Another CPU created it meanwhile, or the map is full. */
	count = bpf_map_lookup_elem(&profile_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		__sync_fetch_and_add(&profile_map_full, 1);
	return 0;
}
