/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The `profile` tracker, shared by profile.bpf.c and profile.c.
 * The BPF side counts CPU-clock samples per (process, task name, kernel
 * stack, user stack); the plugin's collect() turns the counts into
 * folded-stack records.
 */
#ifndef EUN_TRACKER_PROFILE_H
#define EUN_TRACKER_PROFILE_H

#include <eunomia/record.h>

enum profile_event_type {
	PROFILE_SAMPLE = 1,
};

#define PROFILE_MAX_FRAMES 127 /* PERF_MAX_STACK_DEPTH */
#define PROFILE_STACK_LEN 4096
#define PROFILE_MAX_COUNTS 16384 /* distinct (pid, comm, stacks) keys per interval */

/* Key of the sample counts (value: __u64 samples). Negative stack ids:
 * no stack of that kind (kernel thread, sample in user mode, lost). */
struct profile_key {
	__u32 pid;     /* thread group id */
	__s32 kstack;  /* kernel stack id in the stack map */
	__s32 ustack;  /* user stack id in the stack map */
	char comm[EUN_COMM_LEN];
};

/* One record per counted key, built by collect(). */
struct profile_sample_event {
	struct eun_record_header hdr; /* pid, comm: the sampled task */
	__u64 count;                  /* samples in this interval */
	__u32 user_frames;
	__u32 kernel_frames;
	char stack[PROFILE_STACK_LEN]; /* "comm;user outer..inner;kernel outer..inner" */
};

#endif /* EUN_TRACKER_PROFILE_H */
