/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Aggregates and record of the `syscall` tracker, shared by syscall.bpf.c
 * and syscall.c. The BPF side sums calls per process and syscall
 * in a hash map; collect() drains it every interval into `stats` records.
 */
#ifndef EUN_TRACKER_SYSCALL_H
#define EUN_TRACKER_SYSCALL_H

#include <eunomia/record.h>

enum syscall_event_type {
	SYSCALL_STATS = 1,
};

#define SYSCALL_NAME_LEN 32
#define SYSCALL_MAX_ENTRIES 16384 /* (process, syscall) pairs per interval */

/* Set in syscall_key.nr for a 32-bit call of a compat task (x86 ia32);
 * the rest is then a number of the 32-bit table. */
#define SYSCALL_NR_COMPAT 0x80000000u

struct syscall_key {
	__u32 pid; /* thread group id */
	__u32 nr;  /* syscall number of the native table, or SYSCALL_NR_COMPAT | 32-bit number */
};

struct syscall_stats {
	__u64 count;
	__u64 errors;   /* calls that returned a negative value (-errno) */
	__u64 total_ns; /* sum of entry-to-exit times */
	__u64 max_ns;   /* longest call (updated without atomics: may miss a racing maximum) */
	struct eun_record_header hdr; /* the process, as seen at its first call this interval */
};

struct syscall_stats_event {
	struct eun_record_header hdr;
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u32 nr;      /* of the native table, or of the 32-bit one when compat */
	__u8 compat;   /* a 32-bit call of a compat task */
	__u8 pad_[3];
	char syscall[SYSCALL_NAME_LEN];
};

#endif /* EUN_TRACKER_SYSCALL_H */
