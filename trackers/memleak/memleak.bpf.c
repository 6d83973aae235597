// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `memleak` tracker: uprobes on the libc allocator of the
 * target process. Entry probes remember the requested size per thread;
 * return probes record the block (address -> size, stack) and add it to
 * its stack's outstanding total; free() and realloc() take it back out.
 * The user stack is taken at return, where the registers are the
 * caller's, so the allocating function is the innermost frame.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "memleak.h"

char LICENSE[] SEC("license") = "GPL";

/* A call in progress on one thread, between entry and return probe. */
struct pending {
	__u64 size;
	__u64 old_ptr;    /* realloc: the block being resized */
	__u64 out_ptr;    /* posix_memalign: where the result is stored */
	__u8 is_realloc;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32); /* thread id */
	__type(value, struct pending);
} memleak_pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMLEAK_MAX_BLOCKS);
	__type(key, __u64); /* block address */
	__type(value, struct memleak_alloc);
} memleak_allocs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MEMLEAK_MAX_STACKS);
	__type(key, __u32); /* stack id */
	__type(value, struct memleak_outstanding);
} memleak_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MEMLEAK_MAX_FRAMES * sizeof(__u64));
} memleak_stack_traces SEC(".maps");

/* Allocations that found the live-allocation map full, and those whose
 * stack found the per-stack totals full; the plugin reads and resets them. */
__u64 memleak_map_full = 0;
__u64 memleak_stacks_full = 0;

static __always_inline int remember(__u64 size, __u64 old_ptr, __u64 out_ptr, __u8 is_realloc)
{
	struct pending p = { .size = size, .old_ptr = old_ptr, .out_ptr = out_ptr,
			     .is_realloc = is_realloc };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!eun_should_trace())
		return 0;
	bpf_map_update_elem(&memleak_pending, &tid, &p, BPF_ANY);
	return 0;
}

/* Take block addr out of the live allocations and of its stack's total. */
static __always_inline void forget(__u64 addr)
{
	struct memleak_alloc *a = bpf_map_lookup_elem(&memleak_allocs, &addr);
	struct memleak_outstanding *o;
	__u64 size;
	__u32 stack_id;

	if (!a)
		return;
	size = a->size;
	stack_id = a->stack_id;
	if (bpf_map_delete_elem(&memleak_allocs, &addr))
		return; /* another thread freed it first */
	o = bpf_map_lookup_elem(&memleak_stacks, &stack_id);
	if (o) {
		__sync_fetch_and_add(&o->bytes, -(__s64)size);
		__sync_fetch_and_add(&o->allocs, -1);
	}
}

/* Record block addr of size bytes allocated from the current user stack. */
static __always_inline void record(struct pt_regs *ctx, __u64 addr, __u64 size)
{
	struct memleak_alloc a = { .size = size };
	struct memleak_outstanding zero = {}, *o;
	long id = bpf_get_stackid(ctx, &memleak_stack_traces, BPF_F_USER_STACK);

	a.stack_id = id < 0 ? MEMLEAK_NO_STACK : (__u32)id;
	if (bpf_map_update_elem(&memleak_allocs, &addr, &a, BPF_ANY)) {
		__sync_fetch_and_add(&memleak_map_full, 1);
		return;
	}
	o = bpf_map_lookup_elem(&memleak_stacks, &a.stack_id);
	if (!o) {
		bpf_map_update_elem(&memleak_stacks, &a.stack_id, &zero, BPF_NOEXIST);
		o = bpf_map_lookup_elem(&memleak_stacks, &a.stack_id);
		if (!o) {
			/* Counted nowhere: forget the block too, and say so. */
			bpf_map_delete_elem(&memleak_allocs, &addr);
			__sync_fetch_and_add(&memleak_stacks_full, 1);
			return;
		}
	}
	__sync_fetch_and_add(&o->bytes, (__s64)size);
	__sync_fetch_and_add(&o->allocs, 1);
}

/* Return probe of every allocator: addr is the new block (0 on failure). */
static __always_inline int alloc_return(struct pt_regs *ctx, __u64 addr)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&memleak_pending, &tid);
	struct pending call;

	if (!p)
		return 0;
	call = *p;
	bpf_map_delete_elem(&memleak_pending, &tid);
	/* realloc frees the old block when it succeeds, or when size is 0. */
	if (call.is_realloc && call.old_ptr && (addr || !call.size))
		forget(call.old_ptr);
	if (call.out_ptr) {
		if (addr) /* posix_memalign returned an error number */
			return 0;
		if (bpf_probe_read_user(&addr, sizeof(addr), (void *)call.out_ptr))
			return 0;
	}
	if (addr)
		record(ctx, addr, call.size);
	return 0;
}

/* BPF_KPROBE/BPF_KRETPROBE read the arguments and return value from
 * pt_regs, which is what uprobes get too. */
SEC("uprobe")
int BPF_KPROBE(malloc_enter, __u64 size)
{
	return remember(size, 0, 0, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(malloc_return, void *ret)
{
	return alloc_return(ctx, (__u64)ret);
}

SEC("uprobe")
int BPF_KPROBE(calloc_enter, __u64 n, __u64 size)
{
	return remember((__u64)n * size, 0, 0, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(calloc_return, void *ret)
{
	return alloc_return(ctx, (__u64)ret);
}

SEC("uprobe")
int BPF_KPROBE(realloc_enter, void *ptr, __u64 size)
{
	return remember(size, (__u64)ptr, 0, 1);
}

SEC("uretprobe")
int BPF_KRETPROBE(realloc_return, void *ret)
{
	return alloc_return(ctx, (__u64)ret);
}

SEC("uprobe")
int BPF_KPROBE(aligned_alloc_enter, __u64 align, __u64 size)
{
	return remember(size, 0, 0, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(aligned_alloc_return, void *ret)
{
	return alloc_return(ctx, (__u64)ret);
}

SEC("uprobe")
int BPF_KPROBE(posix_memalign_enter, void **memptr, __u64 align, __u64 size)
{
	return remember(size, 0, (__u64)memptr, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(posix_memalign_return, int ret)
{
	return alloc_return(ctx, (__u64)(__s64)ret);
}

SEC("uprobe")
int BPF_KPROBE(free_enter, void *ptr)
{
	if (!ptr || !eun_should_trace())
		return 0;
	forget((__u64)ptr);
	return 0;
}
