/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Annotations for BPF programs run as trackers with no C wrapper
 * (eunomia run ./prog.bpf.o, eun_ctx_load_bpf_object(); docs/bpf-objects.md).
 *
 * The kernel refuses a value type on ring buffer and perf event array
 * maps, so their BTF cannot say what the records are. These macros say it:
 * each declares an unused global variable whose name and BTF type the
 * loader reads (clang -g emits it, and with it the struct, into BTF). They
 * need nothing else from libeunomia; include after <bpf/bpf_helpers.h>.
 *
 *     struct event { __u32 pid; char comm[16]; char path[256]; };
 *     struct { __uint(type, BPF_MAP_TYPE_RINGBUF); ... } events SEC(".maps");
 *     EUN_EXPORT_EVENT(events, event);
 */
#ifndef EUNOMIA_BPF_EXPORT_H
#define EUNOMIA_BPF_EXPORT_H

/* Records of `struct type` go to user space through ring buffer or perf
 * event array `map`. */
#define EUN_EXPORT_EVENT(map, type) EUN_EXPORT_EVENT_ID(map, type, 1)

/* The same for records that start with struct eun_record_header (programs
 * built with <eunomia/bpf/eunomia.bpf.h>) whose header's type is `id`, so
 * that one ring can carry several structs. The id is the array length of
 * the variable's type, so any constant expression (an enum value) works. */
#define EUN_EXPORT_EVENT_ID(map, type, id) \
	const struct type (*eun_export__##map##__##type)[id] __attribute__((unused))

/* Hash or array map `map` holds counters or log2 histograms (an array
 * member named `slots`) that user space reads as periodic snapshots. A map
 * whose value has a `slots` array is read so without it. */
#define EUN_EXPORT_MAP(map) const void *eun_export_map__##map __attribute__((unused))

#endif /* EUNOMIA_BPF_EXPORT_H */
