/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Wire format of one event record, shared by BPF programs and user space.
 *
 * Every record a tracker writes into its ring buffer starts with
 * struct eun_record_header; the tracker-specific body follows. Field
 * offsets in a plugin's schema are measured from the start of the record
 * (so they are always >= sizeof(struct eun_record_header)).
 */
#ifndef EUNOMIA_RECORD_H
#define EUNOMIA_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* A compile-time check in C11, C++ and (as an array size that is negative
 * when the check fails) C99, without a pedantic warning in any of them. */
#ifndef EUN_STATIC_ASSERT_
#if defined(__cplusplus)
#define EUN_STATIC_ASSERT_(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define EUN_STATIC_ASSERT_(cond, msg) _Static_assert(cond, msg)
#else
#define EUN_STATIC_ASSERT_(cond, msg) extern char eun_static_assert_[(cond) ? 1 : -1]
#endif
#endif

#define EUN_COMM_LEN 16

struct eun_record_header {
	__u64 ts_ns;          /* CLOCK_BOOTTIME nanoseconds (bpf_ktime_get_boot_ns) */
	__u64 cgroup_id;      /* cgroup v2 id of the task (bpf_get_current_cgroup_id) */
	__u32 type;           /* event type id, as declared in the plugin's schema */
	__u32 pid;            /* thread group id (what user space calls the pid) */
	__u32 tid;            /* thread id */
	__u32 uid;            /* real uid */
	char comm[EUN_COMM_LEN];
	/* Namespace inode numbers of the task, as in ls -l /proc/PID/ns/;
	 * equal values mean the same namespace ("same container"). */
	__u32 pid_ns;         /* the task's own (active) pid namespace */
	__u32 mnt_ns;
	__u32 net_ns;
	__u32 user_ns;
};

#if !defined(__bpf__)
EUN_STATIC_ASSERT_(sizeof(struct eun_record_header) == 64, "record header layout is frozen");
#endif

#endif /* EUNOMIA_RECORD_H */
