/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The `memleak` tracker, shared by memleak.bpf.c and memleak.c.
 * The BPF side keeps the live allocations of the target process and, per
 * user stack, how many bytes and blocks are outstanding; the plugin's
 * collect() turns that per-stack table into records.
 */
#ifndef EUN_TRACKER_MEMLEAK_H
#define EUN_TRACKER_MEMLEAK_H

#include <eunomia/record.h>

enum memleak_event_type {
	MEMLEAK_STACK = 1,
};

#define MEMLEAK_MAX_FRAMES 127 /* PERF_MAX_STACK_DEPTH */
#define MEMLEAK_STACK_LEN 4096
#define MEMLEAK_MAX_BLOCKS (1 << 18) /* live allocations tracked at once */
#define MEMLEAK_MAX_STACKS 16384     /* distinct stacks with outstanding bytes */
/* Stack id under which allocations whose stack could not be taken count. */
#define MEMLEAK_NO_STACK 0xffffffffu

/* Value of the per-stack map (key: __u32 stack id). */
struct memleak_outstanding {
	__s64 bytes;  /* allocated and not yet freed */
	__s64 allocs; /* blocks allocated and not yet freed */
};

/* Value of the live-allocation map (key: __u64 address). */
struct memleak_alloc {
	__u64 size;
	__u32 stack_id;
	__u32 pad_;
};

/* One record per stack with outstanding allocations, built by collect(). */
struct memleak_stack_event {
	struct eun_record_header hdr; /* pid/comm: the target process */
	__u64 bytes;                  /* outstanding bytes allocated from this stack */
	__u64 allocs;                 /* outstanding blocks allocated from this stack */
	__u32 stack_id;               /* kernel stack map id (stable while the stack is live) */
	__u32 frames;                 /* user frames in the stack */
	char stack[MEMLEAK_STACK_LEN]; /* "outer;...;inner" symbolized frames */
};

#endif /* EUN_TRACKER_MEMLEAK_H */
