// SPDX-License-Identifier: GPL-2.0-only
/*
 * The program of bench/bpfobj.sh, written as libbpf-tools write theirs: the
 * arguments of openat saved at entry in a hash by thread, the record sent
 * at exit as a local variable through a perf buffer (or, built with
 * -DBENCH_RING, a ring buffer), only for tasks named targ_comm. The same
 * object runs as `eunomia run ./bpfobj_open_perf.bpf.o` (generic) and
 * inside the hand-written plugin native_open.c (native).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpfobj_open.h"

char LICENSE[] SEC("license") = "GPL";

const volatile char targ_comm[16] = "";

struct args {
	const char *fname;
	int flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct args);
} start SEC(".maps");

#ifdef BENCH_RING
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1024 * 1024);
} events SEC(".maps");
#else
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");
#endif

static __always_inline bool comm_matches(void)
{
	char comm[16];

	if (!targ_comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < 16; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int bench_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct args a = {};

	if (!comm_matches())
		return 0;
	a.fname = (const char *)ctx->args[1];
	a.flags = (int)ctx->args[2];
	bpf_map_update_elem(&start, &tid, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int bench_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct args *a = bpf_map_lookup_elem(&start, &tid);
	struct bench_open e = {};

	if (!a)
		return 0;
	e.ts = bpf_ktime_get_ns();
	e.pid = id >> 32;
	e.uid = (__u32)bpf_get_current_uid_gid();
	e.ret = (int)ctx->ret;
	e.flags = a->flags;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(e.fname, sizeof(e.fname), a->fname);
#ifdef BENCH_RING
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
#else
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
#endif
	bpf_map_delete_elem(&start, &tid);
	return 0;
}
