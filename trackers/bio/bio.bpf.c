// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `bio` tracker: block I/O latency from the moment the
 * driver is handed a request (block_rq_issue) to its completion
 * (block_rq_complete), as log2 histograms in microseconds per disk and
 * operation, plus one `slow` record per request at or above the threshold.
 *
 * Hooks (BTF tracepoints, all given the struct request):
 *   block_io_start     the request gets its first bio, in the context of
 *                      the task submitting it: remember that task (Linux
 *                      6.5+; the plugin disables it on older kernels)
 *   block_rq_issue     to the driver, often from a kworker: remember the
 *                      time, sector and size (and, for requests that had
 *                      no block_io_start such as flushes, the current task)
 *   block_rq_complete  add to the histogram, maybe send a `slow` record
 *
 * In-flight requests live in an LRU hash keyed by the request pointer, so
 * requests that never complete (merged away, or issued before the tracker
 * started and completed after it stopped) age out instead of filling it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* Only requests above min_latency_us (10 ms by default) are records of their
 * own; the histograms live in maps. A 256 KiB ring holds 2,000 of them. */
#define EUN_RINGBUF_KB 256
#include <eunomia/bpf/eunomia.bpf.h>
#include "bio.h"
#include "hist_log2.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the plugin from its `min_latency_us` config key; 0 sends every request. */
const volatile __u64 bio_cfg_min_latency_ns = 10000 * 1000ULL;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BIO_MAX_INFLIGHT);
	__type(key, __u64);
	__type(value, struct bio_start);
} bio_inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BIO_MAX_KEYS);
	__type(key, struct bio_key);
	__type(value, struct bio_hist);
} bio_hists SEC(".maps");

/* Request of kernels before 5.16, which named the disk in the request. */
struct request___rq_disk {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

/* The header a record of the current task would carry. */
static __always_inline void fill_issuer(struct eun_record_header *h)
{
	__u64 id = bpf_get_current_pid_tgid();

	h->type = BIO_SLOW;
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	eun_fill_ns(h);
}

static __always_inline void read_disk_name(struct request *rq, char *name)
{
	struct request___rq_disk *old = (void *)rq;

	if (bpf_core_field_exists(old->rq_disk))
		BPF_CORE_READ_STR_INTO((char(*)[BIO_DISK_LEN])name, old, rq_disk, disk_name);
	else
		BPF_CORE_READ_STR_INTO((char(*)[BIO_DISK_LEN])name, rq, q, disk, disk_name);
}

SEC("tp_btf/block_io_start")
int BPF_PROG(handle_block_io_start, struct request *rq)
{
	struct bio_start s = {};
	__u64 key = (__u64)rq;

	if (!eun_should_trace())
		return 0;
	fill_issuer(&s.issuer);
	bpf_map_update_elem(&bio_inflight, &key, &s, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(handle_block_rq_issue, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct bio_start *s = bpf_map_lookup_elem(&bio_inflight, &key);

	if (!s) {
		struct bio_start fresh = {};

		if (!eun_should_trace())
			return 0;
		fill_issuer(&fresh.issuer);
		bpf_map_update_elem(&bio_inflight, &key, &fresh, BPF_ANY);
		s = bpf_map_lookup_elem(&bio_inflight, &key);
		if (!s)
			return 0;
	}
	s->sector = BPF_CORE_READ(rq, __sector);
	s->bytes = BPF_CORE_READ(rq, __data_len);
	s->issue_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline void add_to_hist(struct bio_key *k, __u64 latency_us, __u32 bytes)
{
	static const struct bio_hist zero;
	struct bio_hist *h = bpf_map_lookup_elem(&bio_hists, k);

	if (!h) {
		bpf_map_update_elem(&bio_hists, k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&bio_hists, k);
		if (!h)
			return; /* the map is full until the next collect() */
	}
	__sync_fetch_and_add(&h->slots[hist_log2_slot(latency_us, BIO_SLOTS)], 1);
	__sync_fetch_and_add(&h->sum_us, latency_us);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->bytes, bytes);
}

static __always_inline void send_slow(struct bio_start *s, struct bio_key *k, __u64 latency_ns,
				      __u8 status)
{
	struct bio_slow_event *e = bpf_ringbuf_reserve(&eun_events, BIO_SLOW_RAW_SIZE, 0);

	if (!e) {
		__sync_fetch_and_add(&eun_dropped, 1);
		return;
	}
	__builtin_memcpy(&e->hdr, &s->issuer, sizeof(e->hdr));
	e->hdr.ts_ns = bpf_ktime_get_boot_ns();
	__builtin_memcpy(e->disk, k->disk, sizeof(e->disk));
	e->sector = s->sector;
	e->latency_ns = latency_ns;
	e->bytes = s->bytes;
	e->op_num = k->op;
	e->status = status;
	__builtin_memset(e->pad_, 0, sizeof(e->pad_));
	eun_record_submit(e);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(handle_block_rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
	__u64 key = (__u64)rq, now = bpf_ktime_get_ns(), latency_ns;
	struct bio_start *s = bpf_map_lookup_elem(&bio_inflight, &key);
	struct bio_key k = {};

	if (!s)
		return 0;
	if (!s->issue_ns) /* completed without being issued: nothing to measure */
		goto out;
	latency_ns = now - s->issue_ns;
	read_disk_name(rq, k.disk);
	k.op = BPF_CORE_READ(rq, cmd_flags) & BIO_OP_MASK;
	add_to_hist(&k, latency_ns / 1000, s->bytes);
	if (latency_ns >= bio_cfg_min_latency_ns)
		send_slow(s, &k, latency_ns, error);
out:
	bpf_map_delete_elem(&bio_inflight, &key);
	return 0;
}
