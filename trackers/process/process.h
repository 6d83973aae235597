/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `process` tracker (exec, exit, fork), shared by
 * process.bpf.c and process.c. Every record starts with the common
 * struct eun_record_header (pid, tid, uid, comm...).
 */
#ifndef EUN_TRACKER_PROCESS_H
#define EUN_TRACKER_PROCESS_H

#include <eunomia/record.h>

enum process_event_type {
	PROCESS_EXEC = 1,
	PROCESS_EXIT = 2,
	PROCESS_FORK = 3,
};

#define PROCESS_FILENAME_LEN 256
#define PROCESS_ARGS_LEN 256

struct process_exec_event {
	struct eun_record_header hdr;
	__u32 ppid;        /* parent's pid */
	__u32 old_pid;     /* pid before exec (differs when a non-leader thread execs) */
	__u32 args_size;   /* bytes of the whole argv block, NULs included */
	__u32 args_copied; /* not a field: bytes of the block copied into args;
	                    * decode() turns them into a space-separated string */
	char filename[PROCESS_FILENAME_LEN];
	char args[PROCESS_ARGS_LEN];
};

struct process_exit_event {
	struct eun_record_header hdr;
	__u32 ppid;
	__s32 exit_code;   /* (exit_code >> 8) & 0xff, as exit() was given */
	__u32 signal;      /* terminating signal, 0 for a normal exit */
	__u32 pad_;
	__u64 lifetime_ns;
};

struct process_fork_event {
	struct eun_record_header hdr;
	__u32 ppid;        /* parent of the forking process */
	__u32 child_pid;   /* the new process */
};

#endif /* EUN_TRACKER_PROCESS_H */
