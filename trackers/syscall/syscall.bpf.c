// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `syscall` tracker: counts, errors and latency of every
 * system call, summed per process and syscall number in syscall_stats.
 * syscall.c drains that map every interval.
 *
 * Hooks: the BTF tracepoints sys_enter and sys_exit (raw_syscalls). The
 * entry time and number live in task local storage, which costs a pointer
 * lookup on the task instead of a hash update and delete per call.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "agg_header.bpf.h"
#include "syscall.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the plugin from its `failed_only` config key. */
const volatile __u8 syscall_cfg_failed_only = 0;

/* Calls not counted because syscall_stats was full. Read by the plugin. */
__u64 syscall_stats_full = 0;

/* The syscall a thread is in, from sys_enter to sys_exit. */
struct syscall_start {
	__u64 ts; /* 0: none pending (entered before the tracker started, or filtered) */
	__u64 nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct syscall_start);
} syscall_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCALL_MAX_ENTRIES);
	__type(key, struct syscall_key);
	__type(value, struct syscall_stats);
} syscall_stats SEC(".maps");

#define TS_COMPAT_ 0x0002 /* x86 thread_info.status: in a 32-bit syscall */

/* nr as a syscall_key number: flagged when it is one of the x86 ia32 table. */
static __always_inline __u32 key_nr(long nr)
{
#if defined(__TARGET_ARCH_x86)
	struct task_struct *task = bpf_get_current_task_btf();

	if (task->thread_info.status & TS_COMPAT_)
		return SYSCALL_NR_COMPAT | (__u32)nr;
#endif
	return nr;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(syscall_enter, struct pt_regs *regs, long nr)
{
	struct syscall_start *s;

	if (nr < 0 || !eun_should_trace()) /* -1: a tracer or seccomp cancelled the call */
		return 0;
	s = bpf_task_storage_get(&syscall_starts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s)
		return 0;
	s->nr = key_nr(nr);
	s->ts = bpf_ktime_get_ns();
	return 0;
}

/* The sums of key, created (with the current task's header) when missing. */
static __always_inline struct syscall_stats *stats_of(struct syscall_key *key)
{
	struct syscall_stats *st = bpf_map_lookup_elem(&syscall_stats, key);
	struct syscall_stats init = {};

	if (st)
		return st;
	agg_header_fill(&init.hdr, SYSCALL_STATS);
	/* Fails with EEXIST when another thread created it meanwhile (then
	 * the lookup finds theirs) and with E2BIG when the map is full. */
	bpf_map_update_elem(&syscall_stats, key, &init, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&syscall_stats, key);
	if (!st)
		__sync_fetch_and_add(&syscall_stats_full, 1);
	return st;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(syscall_exit, struct pt_regs *regs, long ret)
{
	struct syscall_start *s;
	struct syscall_stats *st;
	struct syscall_key key;
	__u64 ns;

	s = bpf_task_storage_get(&syscall_starts, bpf_get_current_task_btf(), 0, 0);
	if (!s || !s->ts)
		return 0;
	ns = bpf_ktime_get_ns() - s->ts;
	s->ts = 0;
	if (syscall_cfg_failed_only && ret >= 0)
		return 0;

	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.nr = s->nr;
	st = stats_of(&key);
	if (!st)
		return 0;
	__sync_fetch_and_add(&st->count, 1);
	if (ret < 0)
		__sync_fetch_and_add(&st->errors, 1);
	__sync_fetch_and_add(&st->total_ns, ns);
	if (ns > st->max_ns)
		st->max_ns = ns;
	return 0;
}
