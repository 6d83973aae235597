/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Record header for aggregates: BPF programs that sum events in a map
 * keep, with each sum, the header of the task that started it, so that
 * collect() can emit a record naming that process. Include after
 * <eunomia/bpf/eunomia.bpf.h>.
 */
#ifndef EUN_BPF_AGG_HEADER_H
#define EUN_BPF_AGG_HEADER_H

/* Fill h from the current task: ts_ns 0 (the core stamps it when the
 * record is emitted), tid = pid since an aggregate covers all threads. */
static __always_inline void agg_header_fill(struct eun_record_header *h, __u32 type)
{
	eun_record_fill(h, type);
	h->ts_ns = 0;
	h->tid = h->pid;
}

#endif /* EUN_BPF_AGG_HEADER_H */
