/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The plugin descriptor of an object, built from its outputs and globals:
 * one event type per output, records laid out as the header followed by
 * the sample (or, for a record that carries struct eun_record_header
 * itself, the sample alone); map snapshots as header, key, value and the
 * histograms widened to 64-bit slots with their sums.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

#define HDR ((uint32_t)sizeof(struct eun_record_header))

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

static struct lay_field *field_named(struct layout *lay, const char *name)
{
	for (size_t i = 0; i < lay->n; i++)
		if (!strcmp(lay->f[i].name, name))
			return &lay->f[i];
	return NULL;
}

/* Record offsets of a snapshot output's fields and histograms. */
static void place_snapshot(struct output *out)
{
	uint32_t cur = 0;

	out->hist_off = HDR + align8(out->lay.size);
	for (size_t i = 0; i < out->lay.n; i++) {
		struct lay_field *f = &out->lay.f[i];

		f->rec_off = HDR + f->offset;
		if (f->type != EUN_FIELD_HIST_LOG2)
			continue;
		f->rec_off = out->hist_off + cur;
		cur += f->size / f->slot_size * 8;
	}
	for (size_t i = 0; i < out->lay.n; i++) {
		struct lay_field *f = &out->lay.f[i], *sum;
		char name[80];

		if (f->type != EUN_FIELD_HIST_LOG2)
			continue;
		snprintf(name, sizeof(name), "%s_sum", f->name);
		sum = field_named(&out->lay, name);
		if (sum && sum->type == EUN_FIELD_U64) {
			f->sum_off = HDR + sum->offset;
		} else {
			f->sum_off = out->hist_off + cur;
			f->sum_made = true;
			cur += 8;
		}
	}
	out->record_size = out->hist_off + cur;
}

int outputs_place(struct bpfobj *o)
{
	uint32_t next = 1;

	o->ring_out = -1;
	o->max_record = HDR;
	for (size_t i = 0; i < o->n_outs; i++) {
		struct output *out = &o->outs[i];

		if (!out->lay.eun_header)
			continue;
		if (out->kind == OUT_SNAP || !out->lay.has_type_id)
			return set_error(EINVAL, "object %s: struct %s starts with struct eun_record_header, "
					 "so its records say their type themselves: give that type id with "
					 "EUN_EXPORT_EVENT_ID(%s, %s, ID) from <eunomia/bpf/export.h>",
					 o->path, out->lay.struct_name, out->map, out->lay.struct_name);
		out->type_id = out->lay.type_id;
		for (size_t j = 0; j < i; j++)
			if (o->outs[j].lay.eun_header && o->outs[j].type_id == out->type_id)
				return set_error(EINVAL, "object %s: structs %s and %s both have type id %u",
						 o->path, o->outs[j].lay.struct_name,
						 out->lay.struct_name, out->type_id);
	}
	for (size_t i = 0; i < o->n_outs; i++) {
		struct output *out = &o->outs[i];
		bool taken;

		for (int r = 0; r < ROLE_MAX_; r++)
			out->role_field[r] = -1;
		for (size_t f = 0; f < out->lay.n && f < INT16_MAX; f++)
			if (out->lay.f[f].role != ROLE_NONE)
				out->role_field[out->lay.f[f].role] = (int16_t)f;

		if (!out->lay.eun_header) {
			do {
				taken = false;
				for (size_t j = 0; j < o->n_outs && !taken; j++)
					taken = o->outs[j].lay.eun_header && o->outs[j].type_id == next;
				out->type_id = next++;
			} while (taken);
		}
		if (out->kind == OUT_SNAP) {
			place_snapshot(out);
			o->any_snap = true;
		} else {
			uint32_t base = out->lay.eun_header ? 0 : HDR;

			for (size_t f = 0; f < out->lay.n; f++)
				out->lay.f[f].rec_off = base + out->lay.f[f].offset;
			out->record_size = base + out->lay.size;
			if (out->kind == OUT_RING && o->ring_out < 0)
				o->ring_out = (int)i;
		}
		if (out->record_size > o->max_record)
			o->max_record = out->record_size;
	}
	/* The core reads the first ring; other rings and perf buffers are polled. */
	for (size_t i = 0; i < o->n_outs; i++) {
		const struct output *out = &o->outs[i];

		if (out->kind != OUT_SNAP &&
		    (o->ring_out < 0 || strcmp(out->map, o->outs[o->ring_out].map)))
			o->any_polled = true;
	}
	return 0;
}

/* An event type name: [a-z0-9_], unique among the object's. */
static char *event_name(const struct bpfobj *o, size_t idx)
{
	const struct output *out = &o->outs[idx];
	const char *base = out->lay.event_name ? out->lay.event_name
			 : out->kind != OUT_SNAP && out->lay.struct_name ? out->lay.struct_name
									  : out->map;
	char name[64];
	size_t n = 0;

	for (; *base && n + 1 < sizeof(name) - 12; base++) {
		char c = *base;

		name[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a')
			    : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	name[n] = '\0';
	for (size_t j = 0; j < idx; j++)
		if (!strcmp(o->types[j].name, name)) {
			snprintf(name + n, sizeof(name) - n, "_%zu", idx);
			break;
		}
	return strdup(name);
}

/* The schema fields of one output. */
static int type_fields(const struct output *out, struct eun_field **fields, uint32_t *n)
{
	struct eun_field *fs = calloc(out->lay.n * 2 + 1, sizeof(*fs));
	uint32_t k = 0;

	if (!fs)
		return -ENOMEM;
	for (size_t i = 0; i < out->lay.n; i++) {
		const struct lay_field *f = &out->lay.f[i];
		struct eun_field *e = &fs[k];
		bool ints = f->type >= EUN_FIELD_U8 && f->type <= EUN_FIELD_S64;

		if (f->role != ROLE_NONE)
			continue; /* shown as the header's column */
		*e = (struct eun_field){ .name = strdup(f->name), .description = f->desc, .unit = f->unit,
					 .type = f->type, .offset = f->rec_off, .size = f->size,
					 .flags = f->flags };
		/* Map values are what the interval added (deltas of arrays). */
		if (out->kind == OUT_SNAP && ints && f->offset >= out->value_off &&
		    !(f->flags & (EUN_FIELD_F_GAUGE | EUN_FIELD_F_KEY)))
			e->flags |= EUN_FIELD_F_COUNTER;
		if (out->kind == OUT_SNAP && f->offset < out->value_off)
			e->flags = (e->flags & ~(uint32_t)EUN_FIELD_F_COUNTER) | EUN_FIELD_F_KEY;
		if (f->type == EUN_FIELD_HIST_LOG2)
			e->size = f->size / f->slot_size * 8;
		if (!fs[k++].name)
			goto nomem;
		if (f->type == EUN_FIELD_HIST_LOG2 && f->sum_made) {
			char *sum = malloc(strlen(f->name) + 5);

			if (!sum)
				goto nomem;
			sprintf(sum, "%s_sum", f->name);
			fs[k++] = (struct eun_field){
				.name = sum, .unit = f->unit, .type = EUN_FIELD_U64, .offset = f->sum_off,
				.size = 8, .flags = EUN_FIELD_F_COUNTER,
				.description = "sum of the values counted, estimated from the lower bound "
					       "of each slot (the map keeps no sum)",
			};
		}
	}
	*fields = fs;
	*n = k;
	return 0;
nomem:
	for (uint32_t i = 0; i < k; i++)
		free((char *)fs[i].name);
	free(fs);
	return -ENOMEM;
}

/* The tracker's own config key, after the globals'. */
static const struct eun_config_key interval_key = {
	.name = "interval_ms", .type = EUN_CONFIG_UINT, .default_value = "1000", .max = 86400000,
	.description = "read the object's maps of counters and histograms every this many ms; "
		       "0: only when the tracker stops",
};

int desc_build(struct bpfobj *o)
{
	struct eun_plugin_desc *d = &o->desc;
	char desc[512];

	o->types = calloc(o->n_outs, sizeof(*o->types));
	o->fields = calloc(o->n_outs, sizeof(*o->fields));
	o->keys = calloc(o->n_params + 1, sizeof(*o->keys));
	if (!o->types || !o->fields || !o->keys)
		return set_error(ENOMEM, "out of memory");
	for (size_t i = 0; i < o->n_outs; i++) {
		struct eun_event_type *et = &o->types[i];
		const struct output *out = &o->outs[i];
		char what[160];

		et->name = event_name(o, i);
		snprintf(what, sizeof(what), "%s %s of %s (%s)",
			 out->kind == OUT_SNAP ? "snapshot of map" : "records of",
			 out->map, o->name, out->lay.origin ? out->lay.origin : "");
		et->description = strdup(what);
		et->id = out->type_id;
		et->record_size = out->record_size;
		if (!et->name || !et->description || type_fields(out, &o->fields[i], &et->n_fields))
			return set_error(ENOMEM, "out of memory");
		et->fields = o->fields[i];
	}
	for (size_t i = 0; i < o->n_params; i++)
		o->keys[o->n_keys++] = o->param_keys[i];
	if (o->any_snap)
		o->keys[o->n_keys++] = interval_key;
	d->config_keys = o->n_keys ? o->keys : NULL;
	d->n_config_keys = (uint32_t)o->n_keys;
	d->size = sizeof(*d);
	d->abi_major = EUN_PLUGIN_ABI_MAJOR;
	d->abi_minor = EUN_PLUGIN_ABI_MINOR;
	d->name = o->name;
	snprintf(desc, sizeof(desc), "BPF object %s, loaded without a C wrapper", o->path);
	o->description = strdup(desc);
	o->version = strdup("bpf-object");
	if (!o->description || !o->version)
		return set_error(ENOMEM, "out of memory");
	d->version = o->version;
	d->description = o->description;
	d->license = o->license;
	d->event_types = o->types;
	d->n_event_types = (uint32_t)o->n_outs;
	d->create = inst_create;
	d->destroy = inst_destroy;
	d->start = inst_start;
	d->stop = inst_stop;
	if (o->ring_out >= 0) {
		d->ring_fd = inst_ring_fd;
		if (!o->outs[o->ring_out].lay.eun_header)
			d->decode = inst_decode;
	}
	if (o->any_snap)
		d->collect = inst_collect;
	if (o->any_polled) {
		d->poll_fd = inst_poll_fd;
		d->poll = inst_poll;
	}
	d->kernel_drops = inst_kernel_drops;
	return 0;
}

void bpfobj_free(void *arg)
{
	struct bpfobj *o = arg;

	if (!o)
		return;
	for (size_t i = 0; o->types && i < o->n_outs; i++) {
		free((char *)o->types[i].name);
		free((char *)o->types[i].description);
		for (uint32_t f = 0; o->fields && o->fields[i] && f < o->types[i].n_fields; f++)
			free((char *)o->fields[i][f].name);
		free(o->fields ? o->fields[i] : NULL);
	}
	for (size_t i = 0; i < o->n_outs; i++) {
		free(o->outs[i].map);
		layout_free(&o->outs[i].lay);
	}
	free(o->outs);
	free(o->types);
	free(o->fields);
	params_free(o->params, o->param_keys, o->n_params);
	free(o->keys);
	free(o->path);
	free(o->name);
	free(o->elf);
	free(o->license);
	free(o->description);
	free(o->version);
	free(o);
}

struct bpf_object *bpfobj_open(const struct bpfobj *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = o->name);
	struct bpf_object *obj = bpf_object__open_mem(o->elf, o->elf_size, &opts);

	if (!obj) {
		int err = errno;

		set_error(err, "object %s: libbpf cannot open it: %s", o->path, strerror(err));
		errno = err;
	}
	return obj;
}
