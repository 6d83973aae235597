// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bio` tracker plugin: block I/O latency (driver issue to completion) as
 * log2 histograms per disk and operation, emitted by collect() every
 * interval_ms, and one `slow` record per request at or above
 * min_latency_us, from the BPF program in bio.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "bio.h"
#include "bio.skel.h"
#include "map_drain.h"

static const struct eun_field latency_fields[] = {
	EUN_FIELD(struct bio_latency_event, disk, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "disk name, e.g. vda, nvme0n1, loop3"),
	EUN_FIELD(struct bio_latency_event, op, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "operation: read, write, flush, discard, write_zeroes, ... (else op_N)"),
	EUN_FIELD(struct bio_latency_event, count, EUN_FIELD_U64, NULL, EUN_FIELD_F_COUNTER,
		  "requests completed in this interval"),
	EUN_FIELD(struct bio_latency_event, bytes, EUN_FIELD_U64, "bytes", EUN_FIELD_F_COUNTER,
		  "bytes those requests transferred"),
	EUN_FIELD(struct bio_latency_event, latency_sum, EUN_FIELD_U64, "us", EUN_FIELD_F_COUNTER,
		  "sum of their latencies"),
	EUN_FIELD(struct bio_latency_event, latency, EUN_FIELD_HIST_LOG2, "us", 0,
		  "time from issue to the driver until completion"),
};

static const struct eun_field slow_fields[] = {
	EUN_FIELD(struct bio_slow_event, disk, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "disk name, e.g. vda, nvme0n1, loop3"),
	EUN_FIELD(struct bio_slow_event, op, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "operation: read, write, flush, discard, write_zeroes, ... (else op_N)"),
	EUN_FIELD(struct bio_slow_event, op_num, EUN_FIELD_U32, NULL, 0,
		  "operation number (enum req_op)"),
	EUN_FIELD(struct bio_slow_event, sector, EUN_FIELD_U64, NULL, 0,
		  "first sector (512-byte units) on the disk"),
	EUN_FIELD(struct bio_slow_event, bytes, EUN_FIELD_U32, "bytes", EUN_FIELD_F_COUNTER,
		  "size of the request"),
	EUN_FIELD(struct bio_slow_event, latency_ns, EUN_FIELD_U64, "ns", 0,
		  "time from issue to the driver until completion"),
	EUN_FIELD(struct bio_slow_event, status, EUN_FIELD_U8, NULL, 0,
		  "blk_status_t: 0 ok, 1 not supported, 3 no space, 5 timeout, 10 I/O error, ..."),
};

static const struct eun_event_type event_types[] = {
	{ .name = "latency", .description = "block I/O latency histogram of one disk and op over one interval",
	  .id = BIO_LATENCY, .record_size = sizeof(struct bio_latency_event),
	  .fields = latency_fields, .n_fields = EUN_ARRAY_LEN(latency_fields) },
	{ .name = "slow", .description = "a block request that took at least min_latency_us; the header names its submitter",
	  .id = BIO_SLOW, .record_size = sizeof(struct bio_slow_event),
	  .fields = slow_fields, .n_fields = EUN_ARRAY_LEN(slow_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "min_latency_us", .description = "send a `slow` record for requests at least this slow; 0: every request",
	  .default_value = "10000", .type = EUN_CONFIG_UINT, .min = 0, .max = 3600000000ULL },
	{ .name = "interval_ms", .description = "emit the histograms every this many ms; 0: only at stop",
	  .default_value = "1000", .type = EUN_CONFIG_UINT, .min = 0, .max = 86400000 },
};

/* enum req_op of include/linux/blk_types.h (stable numbers, part of the uapi of blktrace). */
static const char *const op_names[] = {
	[0] = "read",          [1] = "write",        [2] = "flush",       [3] = "discard",
	[5] = "secure_erase",  [7] = "zone_append",  [9] = "write_zeroes", [10] = "zone_open",
	[11] = "zone_close",   [12] = "zone_finish", [13] = "zone_reset", [15] = "zone_reset_all",
	[34] = "drv_in",       [35] = "drv_out",
};

static void op_name(uint32_t op, char *buf, size_t size)
{
	if (op < EUN_ARRAY_LEN(op_names) && op_names[op])
		snprintf(buf, size, "%s", op_names[op]);
	else
		snprintf(buf, size, "op_%u", op);
}

/* The BPF record stops before the op name: copy it and add the name. */
static long bio_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	struct bio_slow_event *e = out;

	(void)state;
	if (raw_len < BIO_SLOW_RAW_SIZE || out_cap < sizeof(*e))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	memcpy(e, raw, BIO_SLOW_RAW_SIZE);
	if (e->hdr.type != BIO_SLOW)
		return -EINVAL;
	e->disk[sizeof(e->disk) - 1] = '\0';
	op_name(e->op_num, e->op, sizeof(e->op));
	return (long)sizeof(*e);
}

/* State of one collect(): emit() sets its own error text when it fails. */
struct collect_run {
	struct eun_skel *sp;
	bool emit_failed;
};

/* Turn one map entry into a `latency` record and emit it. */
static int emit_hist(const void *key, const void *value, void *arg)
{
	const struct bio_key *k = key;
	const struct bio_hist *h = value;
	struct collect_run *run = arg;
	struct bio_latency_event e;
	int err;

	memset(&e, 0, sizeof(e));
	e.hdr.type = BIO_LATENCY;
	snprintf(e.disk, sizeof(e.disk), "%.*s", (int)sizeof(k->disk), k->disk);
	op_name(k->op, e.op, sizeof(e.op));
	e.count = h->count;
	e.bytes = h->bytes;
	e.latency_sum = h->sum_us;
	memcpy(e.latency, h->slots, sizeof(e.latency));
	err = run->sp->host->emit(run->sp->t, &e, sizeof(e));
	run->emit_failed = err != 0;
	return err;
}

static int bio_collect(void *state)
{
	struct collect_run run = { .sp = state };
	struct bio_bpf *skel = run.sp->skel;
	int n;

	if (!run.sp->loaded)
		return 0;
	n = map_drain(bpf_map__fd(skel->maps.bio_hists), sizeof(struct bio_key),
		      sizeof(struct bio_hist), emit_hist, &run);
	if (n < 0 && !run.emit_failed)
		run.sp->host->set_error(run.sp->t, "bio: cannot drain the histogram map: %s",
					strerror(-n));
	return n < 0 ? n : 0;
}

/* True when the running kernel has the block_io_start tracepoint (6.5+). */
static bool kernel_has_io_start(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool found;

	if (!vmlinux)
		return false;
	found = btf__find_by_name_kind(vmlinux, "btf_trace_block_io_start", BTF_KIND_TYPEDEF) > 0;
	btf__free(vmlinux);
	return found;
}

static int bio_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, bio_bpf, EUN_SKEL_HINT_BTF_TP);
	struct bio_bpf *skel;
	uint64_t min_us, interval;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_cfg_uint(sp, "min_latency_us", &min_us)) ||
	    (err = eun_skel_cfg_uint(sp, "interval_ms", &interval)))
		goto fail;
	skel->rodata->bio_cfg_min_latency_ns = min_us * 1000;
	/* Without it, the issuer is the task current at block_rq_issue. */
	if (!kernel_has_io_start())
		bpf_program__set_autoload(skel->progs.handle_block_io_start, false);
	if ((err = host->set_collect_interval(t, (uint32_t)interval)))
		goto fail;
	return eun_skel_ready(sp, state);
fail:
	eun_skel_destroy(sp);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("bio"),
	.version = "0.1.0",
	.description = "block I/O latency histograms per disk and operation, and slow requests",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = bio_create,
	EUN_SKEL_OPS,
	.decode = bio_decode,
	.collect = bio_collect,
};

EUN_PLUGIN_DEFINE(desc)
