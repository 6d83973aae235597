// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `oomkill` tracker: one record each time the OOM killer
 * marks a victim (global or memory cgroup OOM), with the victim's pid,
 * comm, memory, oom_score_adj and memory cgroup.
 *
 * Hook: the BTF tracepoint mark_victim(task, uid), hit from
 * mark_oom_victim() with the victim's task lock held, in the context of the
 * task whose allocation ran into the OOM; so the common header describes
 * that task and the victim is in the body.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* Rare events: a 64 KiB ring holds thousands of them between two reads. */
#define EUN_RINGBUF_KB 64
#include <eunomia/bpf/eunomia.bpf.h>
#include "oomkill.h"

char LICENSE[] SEC("license") = "GPL";

/* log2 of the page size, set by the plugin; the kernel counts in pages. */
const volatile __u32 oomkill_cfg_page_shift = 12;

/* One mm counter, as the kernel's get_mm_counter() reads it (never < 0). */
static __always_inline __u64 mm_counter(struct mm_struct *mm, int idx)
{
	s64 n = BPF_CORE_READ(mm, rss_stat[idx].count);

	return n > 0 ? (__u64)n << oomkill_cfg_page_shift : 0;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(handle_mark_victim, struct task_struct *task, uid_t uid)
{
	struct oomkill_event *e;
	struct mm_struct *mm;
	struct cgroup_subsys_state *css = 0;
	struct css_set *cset;
	int memcg = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);

	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), OOMKILL_KILL);
	if (!e)
		return 0;
	e->victim_pid = BPF_CORE_READ(task, tgid);
	e->victim_uid = uid;
	e->oom_score_adj = BPF_CORE_READ(task, signal, oom_score_adj);
	e->pad_ = 0;
	bpf_probe_read_kernel_str(e->victim_comm, sizeof(e->victim_comm), task->comm);

	mm = BPF_CORE_READ(task, mm); /* the OOM killer checked it is still there */
	e->total_vm = (__u64)BPF_CORE_READ(mm, total_vm) << oomkill_cfg_page_shift;
	e->file_rss = mm_counter(mm, MM_FILEPAGES);
	e->anon_rss = mm_counter(mm, MM_ANONPAGES);
	e->shmem_rss = mm_counter(mm, MM_SHMEMPAGES);
	e->pgtables = BPF_CORE_READ(mm, pgtables_bytes.counter);

	cset = BPF_CORE_READ(task, cgroups);
	bpf_core_read(&css, sizeof(css), &cset->subsys[memcg]);
	e->memcg_id = css ? BPF_CORE_READ(css, cgroup, kn, id) : 0;

	eun_record_submit(e);
	return 0;
}
