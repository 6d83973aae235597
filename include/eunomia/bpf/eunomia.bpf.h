/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * BPF-side helpers for libeunomia trackers.
 *
 * Include after vmlinux.h and <bpf/bpf_helpers.h>. Provides the ring buffer
 * every tracker writes to (eun_events), the common in-kernel filters
 * (pid, uid, comm) the core sets through host->prepare_bpf(), batched
 * wakeups and a kernel-side drop counter.
 *
 *     if (!eun_should_trace())
 *             return 0;
 *     struct my_event *e = eun_record_reserve(sizeof(*e), MY_TYPE_ID);
 *     if (!e)
 *             return 0;
 *     ... fill e->body fields ...
 *     eun_record_submit(e);
 */
#ifndef EUNOMIA_BPF_H
#define EUNOMIA_BPF_H

#include <bpf/bpf_core_read.h>
#include <eunomia/record.h>

/* Set by the core before load. Names are part of the plugin ABI. */
const volatile __u32 eun_cfg_pid = 0;          /* 0: any process */
const volatile __u32 eun_cfg_uid = 0;          /* checked when eun_cfg_uid_set */
const volatile __u8 eun_cfg_uid_set = 0;
const volatile char eun_cfg_comm[EUN_COMM_LEN] = {}; /* "" : any comm */
const volatile __u64 eun_cfg_wakeup_bytes = 0; /* 0: wake the reader for every record */

/* Records that did not fit into the ring buffer. Read by the core. */
__u64 eun_dropped = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by the core (ringbuf_kb) */
} eun_events SEC(".maps");

/* True when the current task passes the configured pid/uid/comm filters. */
static __always_inline int eun_should_trace(void)
{
	if (eun_cfg_pid && (__u32)(bpf_get_current_pid_tgid() >> 32) != eun_cfg_pid)
		return 0;
	if (eun_cfg_uid_set && (__u32)bpf_get_current_uid_gid() != eun_cfg_uid)
		return 0;
	if (eun_cfg_comm[0]) {
		char comm[EUN_COMM_LEN];
		bpf_get_current_comm(comm, sizeof(comm));
		for (int i = 0; i < EUN_COMM_LEN; i++) {
			if (comm[i] != eun_cfg_comm[i])
				return 0;
			if (!comm[i])
				break;
		}
	}
	return 1;
}

/* Fill the namespace ids of the header from the current task. */
static __always_inline void eun_fill_ns(struct eun_record_header *h)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pid *pid = task->thread_pid;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid upid = {};

	bpf_core_read(&upid, sizeof(upid), &pid->numbers[level]);
	h->pid_ns = BPF_CORE_READ(upid.ns, ns.inum);
	h->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	h->net_ns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
	h->user_ns = BPF_CORE_READ(task, real_cred, user_ns, ns.inum);
}

/*
 * Reserve a record of `size` bytes (header included) of event type `type`
 * and fill its header from the current task. NULL (and a drop counted)
 * when the ring buffer is full.
 */
static __always_inline void *eun_record_reserve(__u32 size, __u32 type)
{
	struct eun_record_header *h = bpf_ringbuf_reserve(&eun_events, size, 0);
	__u64 id;

	if (!h) {
		__sync_fetch_and_add(&eun_dropped, 1);
		return 0;
	}
	id = bpf_get_current_pid_tgid();
	h->ts_ns = bpf_ktime_get_boot_ns();
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->type = type;
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	eun_fill_ns(h);
	return h;
}

/* Flags for a ring buffer submit: wake the reader only once a batch is waiting. */
static __always_inline __u64 eun_wakeup_flags(void)
{
	if (!eun_cfg_wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&eun_events, BPF_RB_AVAIL_DATA) >= eun_cfg_wakeup_bytes
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

/* Publish a record obtained from eun_record_reserve(). */
static __always_inline void eun_record_submit(void *rec)
{
	bpf_ringbuf_submit(rec, eun_wakeup_flags());
}

/* Give back a reserved record without publishing it. */
static __always_inline void eun_record_discard(void *rec)
{
	bpf_ringbuf_discard(rec, 0);
}

#endif /* EUNOMIA_BPF_H */
