/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * BPF-side helper for trackers that aggregate log2 histograms in a map
 * (EUN_FIELD_HIST_LOG2 records built by the plugin's collect()).
 * Include after vmlinux.h.
 */
#ifndef EUN_BPF_HIST_LOG2_H
#define EUN_BPF_HIST_LOG2_H

/* Slot of value v in a log2 histogram of n_slots slots: floor(log2(v)),
 * 0 for v == 0, clamped to the last slot. */
static __always_inline __u32 hist_log2_slot(__u64 v, __u32 n_slots)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r < n_slots ? r : n_slots - 1;
}

#endif /* EUN_BPF_HIST_LOG2_H */
