/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Maps and records of the `bio` tracker, shared by bio.bpf.c and
 * bio.c. The BPF side adds each block request's issue-to-complete
 * latency to a log2 histogram per disk and operation in bio_hists (read by
 * the plugin's collect(), which emits `latency` records) and sends one
 * `slow` record per request at or above min_latency_us through the ring
 * buffer (up to BIO_SLOW_RAW_SIZE; decode() adds the operation's name).
 */
#ifndef EUN_TRACKER_BIO_H
#define EUN_TRACKER_BIO_H

#include <eunomia/record.h>

enum bio_event_type {
	BIO_LATENCY = 1,
	BIO_SLOW = 2,
};

#define BIO_SLOTS 32         /* 1 us .. 2^31 us */
#define BIO_DISK_LEN 32      /* DISK_NAME_LEN */
#define BIO_OP_LEN 16
#define BIO_MAX_KEYS 1024    /* disk and op pairs per interval */
#define BIO_MAX_INFLIGHT 16384
#define BIO_OP_MASK 0xff     /* REQ_OP_MASK: the op is the low byte of cmd_flags */

/* Key of bio_hists. */
struct bio_key {
	char disk[BIO_DISK_LEN];
	__u32 op;            /* enum req_op */
};

/* Value of bio_hists. */
struct bio_hist {
	__u64 slots[BIO_SLOTS];
	__u64 sum_us;
	__u64 count;
	__u64 bytes;
};

/* Value of bio_inflight (keyed by the struct request pointer): who issued
 * the request, and when the driver got it. */
struct bio_start {
	struct eun_record_header issuer; /* header of the issuing task, as a record would have */
	__u64 issue_ns;                  /* 0 until block_rq_issue */
	__u64 sector;
	__u32 bytes;
	__u32 pad_;
};

/* A request at or above min_latency_us. The header names the task that
 * submitted it. */
struct bio_slow_event {
	struct eun_record_header hdr;
	char disk[BIO_DISK_LEN];
	__u64 sector;
	__u64 latency_ns;
	__u32 bytes;
	__u32 op_num;        /* enum req_op */
	__u8 status;         /* blk_status_t: 0 ok, 10 BLK_STS_IOERR, ... */
	__u8 pad_[7];
	/* --- filled by decode() in user space --- */
	char op[BIO_OP_LEN];
};

#define BIO_SLOW_RAW_SIZE __builtin_offsetof(struct bio_slow_event, op)

/* One histogram record emitted by collect(). */
struct bio_latency_event {
	struct eun_record_header hdr;
	char disk[BIO_DISK_LEN];
	char op[BIO_OP_LEN];
	__u64 count;
	__u64 bytes;
	__u64 latency_sum;
	__u64 latency[BIO_SLOTS];
};

#endif /* EUN_TRACKER_BIO_H */
