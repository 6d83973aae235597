/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * collect(): the object's hash and array maps of counters and histograms
 * as periodic snapshots, one record per entry that changed. Hash maps are
 * drained with lookup-and-delete, so an increment made meanwhile lands in
 * this snapshot or the next, never in neither; array maps cannot lose their
 * entries, so what each one added since the last snapshot is computed from
 * the totals read then. Per-CPU values are summed; log2 histogram slots of
 * 32 or 64 bits become the 64-bit slots of a HIST_LOG2 field, with the sum
 * of the values counted (estimated from the slots when the map has none).
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

/* Keys taken per snapshot of one hash map at most (a full map's worth). */
#define MAX_KEYS (1u << 20)

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

static bool is_int(uint32_t type)
{
	return type >= EUN_FIELD_U8 && type <= EUN_FIELD_S64;
}

static uint64_t get(const char *p, uint32_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size);
	return v;
}

static void put(char *p, uint32_t size, uint64_t v)
{
	memcpy(p, &v, size);
}

/* Call fn on the summable parts of the value: integers, each histogram slot. */
static void for_each_counter(const struct output *out, char *dst, const char *src,
			     void (*fn)(char *dst, const char *src, uint32_t size))
{
	for (size_t i = 0; i < out->lay.n; i++) {
		const struct lay_field *f = &out->lay.f[i];
		uint32_t off = f->offset - out->value_off;

		if (f->offset < out->value_off)
			continue;
		if (is_int(f->type) && !(f->flags & EUN_FIELD_F_GAUGE))
			fn(dst + off, src + off, f->size);
		else if (f->type == EUN_FIELD_HIST_LOG2)
			for (uint32_t s = 0; s < f->size; s += f->slot_size)
				fn(dst + off + s, src + off + s, f->slot_size);
	}
}

static void add_one(char *dst, const char *src, uint32_t size)
{
	put(dst, size, get(dst, size) + get(src, size));
}

/* dst - src, or dst itself when it went down (the counter was reset). */
static void sub_one(char *dst, const char *src, uint32_t size)
{
	uint64_t d = get(dst, size), s = get(src, size);

	put(dst, size, d >= s ? d - s : d);
}

/* Per-CPU values summed into dst (value_size bytes); text and gauges from
 * the first CPU that has them. */
static void sum_cpus(const struct output *out, const char *vals, int ncpu, char *dst)
{
	uint32_t stride = align8(out->value_size);

	memcpy(dst, vals, out->value_size);
	for (int c = 1; c < ncpu; c++) {
		const char *src = vals + (size_t)c * stride;

		for_each_counter(out, dst, src, add_one);
		for (size_t i = 0; i < out->lay.n; i++) {
			const struct lay_field *f = &out->lay.f[i];
			uint32_t off = f->offset - out->value_off;
			bool counted = (is_int(f->type) && !(f->flags & EUN_FIELD_F_GAUGE)) ||
				       f->type == EUN_FIELD_HIST_LOG2;

			if (f->offset < out->value_off || counted)
				continue;
			if (!memcmp(dst + off, (const char[64]){ 0 }, f->size < 64 ? f->size : 64))
				memcpy(dst + off, src + off, f->size);
		}
	}
}

static bool all_zero(const struct output *out, const char *val)
{
	bool zero = true;

	for (size_t i = 0; i < out->lay.n && zero; i++) {
		const struct lay_field *f = &out->lay.f[i];

		if (f->offset < out->value_off || (!is_int(f->type) && f->type != EUN_FIELD_HIST_LOG2))
			continue;
		for (uint32_t b = 0; b < f->size && zero; b++)
			zero = !val[f->offset - out->value_off + b];
	}
	return zero;
}

/* Emit the record of one entry: key, value (summed, as a delta), histograms widened. */
static int emit_entry(struct inst *in, size_t oi, const void *key, const char *val)
{
	const struct output *out = &in->o->outs[oi];
	char *sample = in->snap_sum, *rec = in->rec;
	long n;

	memset(sample, 0, out->lay.size);
	memcpy(sample, key, out->key_size);
	memcpy(sample + out->value_off, val, out->value_size);
	memset(rec, 0, out->record_size);
	n = record_from_sample(in, oi, sample, rec);
	if (n <= 0)
		return 0; /* filtered out */
	for (size_t i = 0; i < out->lay.n; i++) {
		const struct lay_field *f = &out->lay.f[i];
		uint64_t sum = 0;
		uint32_t slots;

		if (f->type != EUN_FIELD_HIST_LOG2)
			continue;
		slots = f->size / f->slot_size;
		for (uint32_t s = 0; s < slots; s++) {
			uint64_t c = get(sample + f->offset + s * f->slot_size, f->slot_size);

			memcpy(rec + f->rec_off + s * 8, &c, 8);
			sum += c * (s ? 1ull << s : 0);
		}
		if (f->sum_made)
			memcpy(rec + f->sum_off, &sum, 8);
	}
	return in->host->emit(in->t, rec, out->record_size);
}

static int read_error(struct inst *in, const struct output *out, int err)
{
	in->host->set_error(in->t, "object %s: cannot read map '%s': %s", in->o->path, out->map,
			    strerror(-err));
	return err;
}

/* Hash maps: take every key, then each entry out with lookup-and-delete. */
static int collect_hash(struct inst *in, size_t oi, int fd, int ncpu, char *vals, char *val)
{
	const struct output *out = &in->o->outs[oi];
	size_t n = 0, cap = 0;
	char *keys = NULL;
	int err = 0;

	/* The keys first: deleting while walking would restart the walk. */
	for (;;) {
		if (n == cap) {
			char *grown;

			if (cap >= MAX_KEYS)
				break; /* the rest waits for the next snapshot */
			cap = cap ? cap * 2 : 64;
			if (!(grown = realloc(keys, cap * out->key_size))) {
				free(keys);
				return set_error(ENOMEM, "out of memory");
			}
			keys = grown;
		}
		if (bpf_map_get_next_key(fd, n ? keys + (n - 1) * out->key_size : NULL,
					 keys + n * out->key_size))
			break;
		n++;
	}
	for (size_t i = 0; i < n && !err; i++) {
		const char *k = keys + i * out->key_size;

		if (bpf_map_lookup_and_delete_elem(fd, k, vals)) {
			if (errno == ENOENT)
				continue;
			err = read_error(in, out, -errno);
			break;
		}
		sum_cpus(out, vals, ncpu, val);
		err = emit_entry(in, oi, k, val);
	}
	free(keys);
	return err;
}

/* Array maps: every entry, as what it added since the last snapshot. */
static int collect_array(struct inst *in, size_t oi, int fd, int ncpu, char *vals, char *val)
{
	const struct output *out = &in->o->outs[oi];
	struct snap_prev *prev = &in->prev[oi];
	uint32_t n = bpf_map__max_entries(bpf_object__find_map_by_name(in->obj, out->map));
	char *delta = malloc(out->value_size);
	int err = 0;

	if (!delta || (!prev->values && !(prev->values = calloc(n ? n : 1, out->value_size)))) {
		free(delta);
		return set_error(ENOMEM, "out of memory");
	}
	for (uint32_t k = 0; k < n && !err; k++) {
		char *totals = (char *)prev->values + (size_t)k * out->value_size;
		char key[8] = { 0 };

		if (bpf_map_lookup_elem(fd, &k, vals)) {
			err = read_error(in, out, -errno);
			break;
		}
		sum_cpus(out, vals, ncpu, val);
		/* Counters and slots as what changed; text and gauges as they are now. */
		memcpy(delta, val, out->value_size);
		for_each_counter(out, delta, totals, sub_one);
		memcpy(totals, val, out->value_size);
		memcpy(key, &k, sizeof(k));
		if (!all_zero(out, delta))
			err = emit_entry(in, oi, key, delta);
	}
	free(delta);
	return err;
}

int inst_collect(void *state)
{
	struct inst *in = state;
	struct bpfobj *o = in->o;
	int ncpu = libbpf_num_possible_cpus(), err = 0;

	if (!in->loaded)
		return 0;
	if (ncpu < 1)
		return set_error(-ncpu, "cannot count the possible CPUs: %s", strerror(-ncpu));
	in->boot_minus_mono = boot_minus_mono_ns();
	for (size_t i = 0; i < o->n_outs && !err; i++) {
		const struct output *out = &o->outs[i];
		size_t vbytes = (size_t)align8(out->value_size) * (size_t)(out->percpu ? ncpu : 1);
		char *vals, *val;
		int fd;

		if (out->kind != OUT_SNAP)
			continue;
		fd = bpf_object__find_map_fd_by_name(in->obj, out->map);
		vals = malloc(vbytes);
		val = malloc(out->value_size);
		free(in->snap_sum);
		in->snap_sum = malloc(out->lay.size);
		if (!vals || !val || !in->snap_sum)
			err = set_error(ENOMEM, "out of memory");
		else if (out->hash)
			err = collect_hash(in, i, fd, out->percpu ? ncpu : 1, vals, val);
		else
			err = collect_array(in, i, fd, out->percpu ? ncpu : 1, vals, val);
		free(vals);
		free(val);
	}
	return err;
}
