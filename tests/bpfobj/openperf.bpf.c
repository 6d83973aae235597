// SPDX-License-Identifier: GPL-2.0-only
/*
 * A libbpf-tools-style open tracer for the bpfobj tests: arguments saved at
 * sys_enter_openat in a hash by thread, the event sent at sys_exit_openat
 * through a perf buffer as a local variable (so its struct is not in the
 * object's BTF: the tests describe it with --event-header openperf.h).
 * Parameters as `const volatile` globals, as those tools have them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "openperf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile pid_t targ_tgid = 0;     /* only this process; 0: all */
const volatile bool targ_failed = false; /* only failed opens */
const volatile __u8 targ_level = 1;     /* a small unsigned parameter */
const volatile char targ_prefix[8] = ""; /* only paths starting with it */

struct args_t {
	const char *fname;
	int flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct args_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct args_t args = {};

	if (targ_tgid && targ_tgid != (pid_t)(id >> 32))
		return 0;
	args.fname = (const char *)ctx->args[1];
	args.flags = (int)ctx->args[2];
	bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct event event = {};
	struct args_t *ap = bpf_map_lookup_elem(&start, &tid);

	if (!ap)
		return 0;
	event.ret = (int)ctx->ret;
	if (targ_failed && event.ret >= 0)
		goto out;
	bpf_probe_read_user_str(&event.fname, sizeof(event.fname), ap->fname);
	for (int i = 0; i < 7 && targ_prefix[i]; i++)
		if (event.fname[i] != targ_prefix[i])
			goto out;
	event.ts = bpf_ktime_get_ns();
	event.pid = id >> 32;
	event.uid = (__u32)bpf_get_current_uid_gid();
	event.flags = ap->flags;
	event.ids.tid = tid;
	event.ids.ppid = BPF_CORE_READ(task, real_parent, tgid);
	event.callers[0] = targ_level;
	event.callers[1] = 0xdeadbeef;
	bpf_get_current_comm(&event.comm, sizeof(event.comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &event, sizeof(event));
out:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}
