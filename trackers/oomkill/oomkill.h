/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Record of the `oomkill` tracker (one per task the OOM killer picks),
 * shared by oomkill.bpf.c and oomkill.c. Starts with struct
 * eun_record_header, which describes the task that ran into the OOM (the
 * one whose allocation or charge failed), not the victim.
 */
#ifndef EUN_TRACKER_OOMKILL_H
#define EUN_TRACKER_OOMKILL_H

#include <eunomia/record.h>

enum oomkill_event_type {
	OOMKILL_KILL = 1,
};

struct oomkill_event {
	struct eun_record_header hdr;
	__u32 victim_pid;      /* thread group id of the victim */
	__u32 victim_uid;      /* victim's real uid */
	__s32 oom_score_adj;   /* victim's /proc/PID/oom_score_adj */
	__u32 pad_;
	__u64 memcg_id;        /* id of the victim's memory cgroup (0: none) */
	__u64 total_vm;        /* bytes of the victim's address space */
	__u64 anon_rss;        /* bytes resident, by kind */
	__u64 file_rss;
	__u64 shmem_rss;
	__u64 pgtables;        /* bytes of page tables */
	char victim_comm[EUN_COMM_LEN];
};

#endif /* EUN_TRACKER_OOMKILL_H */
