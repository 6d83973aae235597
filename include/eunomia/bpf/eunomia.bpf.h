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
/* cgroup filter: only tasks in cgroup v2 id eun_cfg_cgroup_id, found at depth
 * eun_cfg_cgroup_level below the root, or in its descendants. 0: any cgroup. */
const volatile __u64 eun_cfg_cgroup_id = 0;
const volatile __u32 eun_cfg_cgroup_level = 0;

/* Records that did not fit into the ring buffer. Read by the core. */
__u64 eun_dropped = 0;

/* Size in KiB of the tracker's ring buffer when the user sets no
 * ringbuf_kb: a power of two, at least 4. A tracker of rare events defines
 * a smaller one before including this header (each KiB is resident memory
 * of the consumer). */
#ifndef EUN_RINGBUF_KB
#define EUN_RINGBUF_KB 1024
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EUN_RINGBUF_KB * 1024); /* ringbuf_kb, when set, replaces it */
} eun_events SEC(".maps");

/* Kernel function (no helper call: the verifier only retypes the pointer). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/*
 * `task` as a read-only, untrusted pointer: loads through it stay plain
 * loads, but the verifier no longer asks, for every pointer it loads on
 * the way (task->cgroups->dfl_cgrp->kn, task->nsproxy->...), whether that
 * field is trusted, a search by name through all of the kernel's BTF.
 * Those searches were about a third of the CPU time of starting every
 * tracker at once (bench/run, startup).
 */
static __always_inline struct task_struct *eun_task_ro(struct task_struct *task)
{
	return bpf_rdonly_cast(task, bpf_core_type_id_kernel(struct task_struct));
}

/*
 * True when `task`, the current task, is in cgroup v2 `id`, found at depth
 * `level`, or below it. The task's own cgroup is read with plain loads;
 * only a task deeper than `level` costs the ancestor helper call (40-50 ns
 * with return-thunk mitigations, as much as an empty program on a syscall).
 */
static __always_inline int eun_task_in_cgroup(struct task_struct *task, __u64 id, __u32 level)
{
	struct cgroup *cg = eun_task_ro(task)->cgroups->dfl_cgrp;

	if (cg->kn->id == id)
		return 1;
	if ((__u32)cg->level <= level)
		return 0;
	/* The ancestor at the filter's depth is the filter cgroup exactly
	 * when the task is below it. */
	return bpf_get_current_ancestor_cgroup_id(level) == id;
}

/* eun_should_trace() of `task`, the current task, for programs that have
 * it at hand already (one helper call less). */
static __always_inline int eun_should_trace_task(struct task_struct *task)
{
	if (eun_cfg_cgroup_id && !eun_task_in_cgroup(task, eun_cfg_cgroup_id, eun_cfg_cgroup_level))
		return 0;
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

/* True when the current task passes the configured pid/uid/comm/cgroup filters. */
static __always_inline int eun_should_trace(void)
{
	return eun_should_trace_task(bpf_get_current_task_btf());
}

/* True when any of the pid/uid/comm/cgroup filters is set. For hooks that
 * run outside their subject's context (softirq) and must test the filters
 * elsewhere, on the task that owns what they see. */
static __always_inline int eun_filters_set(void)
{
	return eun_cfg_pid || eun_cfg_uid_set || eun_cfg_comm[0] || eun_cfg_cgroup_id;
}

/* Fill the namespace ids of the header from `task`. */
static __always_inline void eun_fill_ns_of(struct eun_record_header *h, struct task_struct *task)
{
	task = eun_task_ro(task);
	struct pid *pid = task->thread_pid;
	struct nsproxy *nsp = task->nsproxy;
	/* The active pid namespace is the one at the pid's own level; a
	 * variable index into a kernel struct needs the cast to be read. */
	struct upid *up = bpf_rdonly_cast(&pid->numbers[pid->level],
					  bpf_core_type_id_kernel(struct upid));

	h->pid_ns = up->ns->ns.inum;
	h->mnt_ns = nsp->mnt_ns->ns.inum;
	h->net_ns = nsp->net_ns->ns.inum;
	h->user_ns = task->real_cred->user_ns->ns.inum;
}

/* Fill the namespace ids of the header from the current task. */
static __always_inline void eun_fill_ns(struct eun_record_header *h)
{
	eun_fill_ns_of(h, bpf_get_current_task_btf());
}

/*
 * Fill the header of a record of event type `type` from the current task.
 * Reads the task's fields directly (plain loads the verifier makes
 * fault-safe) rather than through one helper call each: a helper call costs
 * 40-50 ns on a kernel with return-thunk mitigations, a load next to nothing.
 */
static __always_inline void eun_record_fill(struct eun_record_header *h, __u32 type)
{
	struct task_struct *task = eun_task_ro(bpf_get_current_task_btf());

	h->ts_ns = bpf_ktime_get_boot_ns();
	h->cgroup_id = task->cgroups->dfl_cgrp->kn->id;
	h->type = type;
	h->pid = task->tgid;
	h->tid = task->pid;
	h->uid = task->cred->uid.val;
	__builtin_memcpy(h->comm, task->comm, sizeof(h->comm));
	eun_fill_ns_of(h, task);
}

/*
 * Reserve a record of `size` bytes (header included) of event type `type`
 * and fill its header from the current task. NULL (and a drop counted)
 * when the ring buffer is full.
 */
static __always_inline void *eun_record_reserve(__u32 size, __u32 type)
{
	struct eun_record_header *h = bpf_ringbuf_reserve(&eun_events, size, 0);

	if (!h) {
		__sync_fetch_and_add(&eun_dropped, 1);
		return 0;
	}
	eun_record_fill(h, type);
	return h;
}

/* Records published since the ring's fill level was last looked at.
 * Updated without atomics: a lost update only delays a wakeup by a record. */
__u32 eun_unqueried = 0;

/* How many records may go by between two looks at the fill level: the look
 * is a helper call, about as dear as the rest of a small record's header. */
#define EUN_WAKEUP_QUERY_EVERY 8

/*
 * Flags for a ring buffer submit: wake the reader only once a batch of
 * eun_cfg_wakeup_bytes is waiting, checked every EUN_WAKEUP_QUERY_EVERY
 * records (the reader also polls every max_latency_ms).
 */
static __always_inline __u64 eun_wakeup_flags(void)
{
	if (!eun_cfg_wakeup_bytes)
		return 0;
	if (++eun_unqueried < EUN_WAKEUP_QUERY_EVERY)
		return BPF_RB_NO_WAKEUP;
	eun_unqueried = 0;
	return bpf_ringbuf_query(&eun_events, BPF_RB_AVAIL_DATA) >= eun_cfg_wakeup_bytes
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

/* Publish a record obtained from eun_record_reserve(). */
static __always_inline void eun_record_submit(void *rec)
{
	bpf_ringbuf_submit(rec, eun_wakeup_flags());
}

/*
 * Publish the first `size` bytes of a record built outside the ring (header
 * filled with eun_record_fill()), for records whose length is only known at
 * run time: the ring then carries only what the record needs. Usually built
 * in a per-CPU array map, as the BPF stack is too small for large records.
 * The schema's record_size is a minimum, so the plugin's decode() pads a
 * short record back to it. A drop is counted when the ring is full.
 */
static __always_inline void eun_record_output(void *rec, __u64 size)
{
	if (bpf_ringbuf_output(&eun_events, rec, size, eun_wakeup_flags()))
		__sync_fetch_and_add(&eun_dropped, 1);
}

/* Give back a reserved record without publishing it. */
static __always_inline void eun_record_discard(void *rec)
{
	bpf_ringbuf_discard(rec, 0);
}

#endif /* EUNOMIA_BPF_H */
