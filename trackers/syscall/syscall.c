// SPDX-License-Identifier: GPL-2.0-only
/*
 * `syscall` tracker plugin: per process and syscall, the number of calls,
 * failed calls and time spent, summed in the kernel by syscall.bpf.c
 * and emitted by collect() as one `stats` record per (process, syscall)
 * active in each interval, busiest first. Syscall names come from the
 * table generated from <sys/syscall.h> at build time (syscall_table.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "map_drain.h"
#include "syscall.h"
#include "syscall.skel.h"
#include "syscall_names.h"

static const struct eun_field stats_fields[] = {
	EUN_FIELD(struct syscall_stats_event, syscall, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "system call name; ia32_NAME for a 32-bit call on x86-64; sys_N when the "
		  "build's headers do not know N"),
	EUN_FIELD(struct syscall_stats_event, nr, EUN_FIELD_U32, NULL, 0,
		  "system call number (of the 32-bit table when compat)"),
	EUN_FIELD(struct syscall_stats_event, compat, EUN_FIELD_BOOL, NULL, 0,
		  "a 32-bit call of a compat task (x86-64 ia32)"),
	EUN_FIELD(struct syscall_stats_event, count, EUN_FIELD_U64, "calls", EUN_FIELD_F_COUNTER,
		  "calls that returned in this interval"),
	EUN_FIELD(struct syscall_stats_event, errors, EUN_FIELD_U64, "calls", EUN_FIELD_F_COUNTER,
		  "of those, calls that failed (returned -errno)"),
	EUN_FIELD(struct syscall_stats_event, total_ns, EUN_FIELD_U64, "ns", EUN_FIELD_F_COUNTER,
		  "time spent in those calls, entry to exit, summed"),
	EUN_FIELD(struct syscall_stats_event, max_ns, EUN_FIELD_U64, "ns", EUN_FIELD_F_GAUGE,
		  "longest of those calls"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "stats", .description = "calls of one syscall by one process over one interval",
	  .id = SYSCALL_STATS, .record_size = sizeof(struct syscall_stats_event),
	  .fields = stats_fields, .n_fields = EUN_ARRAY_LEN(stats_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "interval_ms", .description = "emit the counts every this many ms; 0: only at stop",
	  .default_value = "1000", .type = EUN_CONFIG_UINT, .min = 0, .max = 86400000 },
	{ .name = "top", .description = "emit at most this many records per interval, busiest first; 0: all",
	  .default_value = "0", .type = EUN_CONFIG_UINT, .min = 0, .max = SYSCALL_MAX_ENTRIES },
	{ .name = "failed_only", .description = "count only calls that failed (tested in the kernel)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
};

struct syscall_row {
	struct syscall_key key;
	struct syscall_stats stats;
};

struct syscall_state {
	struct eun_skel *sp;
	uint64_t top;            /* 0: no limit */
	struct map_rows rows;     /* one drain's entries, struct syscall_row */
};

/* qsort order: most calls first, then most time. */
static int busiest_first(const void *a, const void *b)
{
	const struct syscall_stats *x = &((const struct syscall_row *)a)->stats;
	const struct syscall_stats *y = &((const struct syscall_row *)b)->stats;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return 0;
}

static int emit_row(struct syscall_state *st, const struct syscall_row *row)
{
	struct syscall_stats_event e;

	memset(&e, 0, sizeof(e));
	e.hdr = row->stats.hdr;
	e.hdr.type = SYSCALL_STATS;
	e.hdr.ts_ns = 0;
	e.count = row->stats.count;
	e.errors = row->stats.errors;
	e.total_ns = row->stats.total_ns;
	e.max_ns = row->stats.max_ns;
	e.nr = row->key.nr & ~SYSCALL_NR_COMPAT;
	e.compat = (row->key.nr & SYSCALL_NR_COMPAT) != 0;
	syscall_name(e.nr, e.compat, e.syscall, sizeof(e.syscall));
	return st->sp->host->emit(st->sp->t, &e, sizeof(e));
}

static int syscall_collect(void *state)
{
	struct syscall_state *st = state;
	struct syscall_bpf *skel = st->sp->skel;
	const struct syscall_row *rows;
	size_t n;
	int err;

	if (!st->sp->loaded)
		return 0;
	err = map_drain_rows(bpf_map__fd(skel->maps.syscall_stats), sizeof(struct syscall_key),
			     sizeof(struct syscall_stats), offsetof(struct syscall_row, stats),
			     sizeof(struct syscall_row), busiest_first, &st->rows);
	if (err < 0) {
		st->sp->host->set_error(st->sp->t, "cannot read the syscall counts map: %s",
					strerror(-err));
		return err;
	}
	rows = st->rows.v;
	n = st->top && st->top < st->rows.n ? st->top : st->rows.n;
	for (size_t i = 0; i < n; i++) {
		if ((err = emit_row(st, &rows[i])))
			return err; /* emit() set the error text */
	}
	eun_skel_warn_lost(st->sp, &skel->bss->syscall_stats_full,
			   "calls were not counted: more than %d (process, syscall) pairs in one "
			   "interval; lower interval_ms or filter by pid, uid or comm",
			   SYSCALL_MAX_ENTRIES);
	return 0;
}

static void syscall_destroy(void *state)
{
	struct syscall_state *st = state;

	eun_skel_destroy(st->sp);
	free(st->rows.v);
	free(st);
}

static int syscall_start(void *state)
{
	return eun_skel_start(((struct syscall_state *)state)->sp);
}

static int syscall_stop(void *state)
{
	return eun_skel_stop(((struct syscall_state *)state)->sp);
}

static int syscall_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct syscall_state *st;
	struct syscall_bpf *skel;
	struct eun_skel *sp;
	uint64_t interval;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	sp = EUN_SKEL_OPEN(t, host, syscall_bpf, EUN_SKEL_HINT_BTF_TP);
	if (!sp) {
		err = -errno;
		free(st);
		return err;
	}
	st->sp = sp;
	skel = sp->skel;
	if ((err = eun_skel_cfg_uint(sp, "interval_ms", &interval)) ||
	    (err = eun_skel_cfg_uint(sp, "top", &st->top)) ||
	    (err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->syscall_cfg_failed_only)) ||
	    (err = host->set_collect_interval(t, (uint32_t)interval)))
		goto fail;
	/* Without ring_fd(), the core gives the unused ring its smallest size. */
	if ((err = host->prepare_bpf(t, sp->obj)))
		goto fail; /* prepare_bpf set the error text */
	*state = st;
	return 0;
fail:
	eun_skel_destroy(sp);
	free(st);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("syscall"),
	.version = "0.1.0",
	.description = "syscall counts, errors and latency per process, summed in the kernel",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = syscall_create,
	.destroy = syscall_destroy,
	.start = syscall_start,
	.stop = syscall_stop,
	.collect = syscall_collect,
};

EUN_PLUGIN_DEFINE(desc)
