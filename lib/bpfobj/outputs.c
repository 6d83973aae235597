/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The outputs of an object and where each one's layout comes from. Ring
 * buffers and perf event arrays carry records whose struct the map's BTF
 * cannot name; for each one the first of these that says wins:
 *   1. an annotation in the object (EUN_EXPORT_EVENT, GADGET_TRACER) or a
 *      "/// @export" comment in its source beside it;
 *   2. --event-struct STRUCT (or MAP=STRUCT), a struct of the object's BTF;
 *   3. a schema file (--schema FILE, or NAME.schema.yaml beside the object);
 *   4. --event-header FILE, compiled with clang to BTF.
 * Hash and array maps become snapshot outputs when annotated
 * (EUN_EXPORT_MAP, GADGET_MAPITER), listed under `maps:` in the schema
 * file, or when their value holds a log2 histogram ("slots").
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

/* One STRUCT or MAP=STRUCT of --event-struct. */
struct named_struct {
	char *map;  /* NULL: the object's only output */
	char *st;
	bool used;
};

struct resolve {
	struct bpfobj *o;
	struct bpf_object *obj;
	const struct btf *btf;
	const struct bpfobj_sources *src;
	struct annotation *ann;
	size_t n_ann;
	struct schema_file sf;
	bool *sf_used;
	struct named_struct *ns;
	size_t n_ns;
	struct btf *hbtf;       /* the compiled --event-header, on first use */
	char *hexport;          /* its "/// @export" struct */
	bool hdone;
	size_t n_event_maps;    /* ring buffers and perf event arrays to describe */
	size_t n_unannotated;   /* of those, with no annotation naming them */
};

static const char *kind_name(enum out_kind k)
{
	return k == OUT_RING ? "ring buffer" : k == OUT_PERF ? "perf event array" : "map";
}

static bool is_snapshot_type(enum bpf_map_type t, bool *hash, bool *percpu)
{
	*percpu = t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
		  t == BPF_MAP_TYPE_PERCPU_ARRAY;
	*hash = t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_LRU_HASH ||
		t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	return *hash || t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* The layout of struct `name` of btf into lay, naming it `origin`. */
static int lay_from_struct(const struct btf *btf, const char *name, const char *origin,
			   struct layout *lay)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	char what[256];
	int err;

	if (id < 0)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_UNION);
	if (id < 0)
		return -ENOENT;
	snprintf(what, sizeof(what), "struct %s (%s)", name, origin);
	if ((err = btf_layout_build(btf, id, what, LAY_EVENT, lay)) || (err = layout_settle(lay)))
		return err < 0 && err != -ENOMEM ? err : set_error(ENOMEM, "out of memory");
	lay->origin = strdup(origin);
	return lay->origin ? 0 : set_error(ENOMEM, "out of memory");
}

static int push(struct resolve *r, const char *map, enum out_kind kind, uint32_t map_type,
		struct layout *lay, const char *event_name)
{
	struct bpfobj *o = r->o;
	struct output *grown = reallocarray(o->outs, o->n_outs + 1, sizeof(*grown));
	struct output *out;

	if (!grown) {
		layout_free(lay);
		return set_error(ENOMEM, "out of memory");
	}
	o->outs = grown;
	out = &grown[o->n_outs];
	memset(out, 0, sizeof(*out));
	out->map = strdup(map);
	out->kind = kind;
	out->map_type = map_type;
	out->lay = *lay;
	memset(lay, 0, sizeof(*lay));
	if (event_name && !out->lay.event_name)
		out->lay.event_name = strdup(event_name);
	if (!out->map || (event_name && !out->lay.event_name)) {
		free(out->map);
		layout_free(&out->lay);
		return set_error(ENOMEM, "out of memory");
	}
	o->n_outs++;
	return 0;
}

/* The --event-header's BTF, compiled on first use; NULL with the error set. */
static struct btf *header(struct resolve *r, int *err)
{
	*err = 0;
	if (!r->hdone) {
		r->hdone = true;
		*err = header_btf_compile(r->src->event_header, &r->hbtf, &r->hexport);
	}
	if (!r->hbtf && !*err)
		*err = -ENOENT;
	return r->hbtf;
}

/* A struct by name: from the object's BTF, else the --event-header's. */
static int struct_layout(struct resolve *r, const char *name, const char *origin,
			 struct layout *lay)
{
	char hdr_origin[512];
	struct btf *hb;
	int err = lay_from_struct(r->btf, name, origin, lay);

	if (err != -ENOENT || !r->src->event_header)
		return err;
	if (!(hb = header(r, &err)))
		return err;
	snprintf(hdr_origin, sizeof(hdr_origin), "%s, from --event-header %s", origin,
		 r->src->event_header);
	return lay_from_struct(hb, name, hdr_origin, lay);
}

static int missing_struct(struct resolve *r, const char *name, const char *origin)
{
	return set_error(EINVAL, "object %s: struct %s (%s) is in neither the object's BTF%s: a "
			 "struct the program only uses as a local variable is not emitted; give a "
			 "schema file with its fields, or --event-header FILE with its definition",
			 r->o->path, name, origin, r->src->event_header ? " nor the event header" : "");
}

/* 1. Annotations naming this map. 1 if they gave its layout, 0 if none, or -errno. */
static int from_annotations(struct resolve *r, const char *map, enum out_kind kind, uint32_t type)
{
	size_t found = 0, foreign = 0;
	int err;

	for (size_t i = 0; i < r->n_ann; i++) {
		const struct annotation *a = &r->ann[i];
		struct layout lay = { 0 };
		char origin[256];

		if (a->snapshot || !a->map || strcmp(a->map, map))
			continue;
		snprintf(origin, sizeof(origin), "named by %s in the object", a->how);
		err = lay_from_struct(r->btf, a->struct_name, origin, &lay);
		if (err == -ENOENT)
			return missing_struct(r, a->struct_name, origin);
		if (err)
			return err;
		lay.has_type_id = a->has_id && lay.eun_header;
		lay.type_id = a->id;
		foreign += !lay.eun_header;
		if ((err = push(r, map, kind, type, &lay, a->event_name)))
			return err;
		found++;
	}
	if (found > 1 && foreign)
		return set_error(EINVAL, "object %s: map '%s' is annotated with %zu structs; records "
				 "without struct eun_record_header first cannot say which they are, so "
				 "a %s carries one struct", r->o->path, map, found, kind_name(kind));
	return found > 0;
}

/* 1b. eunomia-bpf's "/// @export" in the source, for the one output no annotation names. */
static int from_export_comment(struct resolve *r, const char *map, enum out_kind kind,
			       uint32_t type)
{
	struct layout lay = { 0 };
	int err;

	if (r->n_unannotated != 1)
		return 0;
	for (size_t i = 0; i < r->n_ann; i++) {
		const struct annotation *a = &r->ann[i];

		if (a->map || a->snapshot)
			continue;
		if ((err = lay_from_struct(r->btf, a->struct_name,
					   "marked /// @export in the program's source", &lay)))
			return err;
		return push(r, map, kind, type, &lay, NULL) ? -ENOMEM : 1;
	}
	return 0;
}

/* 2. --event-struct. */
static int from_option(struct resolve *r, const char *map, enum out_kind kind, uint32_t type)
{
	for (size_t i = 0; i < r->n_ns; i++) {
		struct named_struct *ns = &r->ns[i];
		struct layout lay = { 0 };
		char origin[256];
		int err;

		if (ns->used || (ns->map ? strcmp(ns->map, map) : r->n_unannotated != 1))
			continue;
		ns->used = true;
		snprintf(origin, sizeof(origin), "given by --event-struct");
		err = struct_layout(r, ns->st, origin, &lay);
		if (err == -ENOENT)
			return missing_struct(r, ns->st, origin);
		if (err)
			return err;
		return push(r, map, kind, type, &lay, NULL) ? -ENOMEM : 1;
	}
	return 0;
}

/* Copy the schema entry's own layout, naming its origin. */
static int schema_fields(struct resolve *r, const struct schema_entry *se, struct layout *lay)
{
	char origin[512];

	memset(lay, 0, sizeof(*lay));
	snprintf(origin, sizeof(origin), "listed in schema file %s", r->sf.path);
	lay->size = se->lay.size;
	lay->origin = strdup(origin);
	if (!lay->origin)
		return set_error(ENOMEM, "out of memory");
	for (size_t i = 0; i < se->lay.n; i++)
		if (layout_add(lay, &se->lay.f[i]))
			return set_error(ENOMEM, "out of memory");
	return layout_settle(lay) ? set_error(ENOMEM, "out of memory") : 0;
}

/* 3. The schema file's entry for this map. */
static int from_schema(struct resolve *r, const char *map, enum out_kind kind, uint32_t type)
{
	for (size_t i = 0; i < r->sf.n; i++) {
		const struct schema_entry *se = &r->sf.e[i];
		struct layout lay = { 0 };
		char origin[512];
		int err;

		if (r->sf_used[i] || se->snapshot || (se->map ? strcmp(se->map, map) : r->n_unannotated != 1))
			continue;
		r->sf_used[i] = true;
		if (se->struct_name) {
			snprintf(origin, sizeof(origin), "named in schema file %s line %u", r->sf.path,
				 se->line);
			err = struct_layout(r, se->struct_name, origin, &lay);
			if (err == -ENOENT)
				return missing_struct(r, se->struct_name, origin);
		} else {
			err = schema_fields(r, se, &lay);
		}
		if (err)
			return err;
		return push(r, map, kind, type, &lay, se->event_name) ? -ENOMEM : 1;
	}
	return 0;
}

/* 4. The --event-header's struct: its "/// @export" one, its only one, or `event`. */
static int from_header(struct resolve *r, const char *map, enum out_kind kind, uint32_t type)
{
	struct layout lay = { 0 };
	const char *name = NULL;
	char origin[512], only[128] = "";
	size_t n_structs = 0;
	struct btf *hb;
	int err;

	if (!r->src->event_header || r->n_unannotated != 1)
		return 0;
	if (!(hb = header(r, &err)))
		return err;
	for (__u32 id = 1; id < btf__type_cnt(hb); id++) {
		const struct btf_type *t = btf__type_by_id(hb, id);
		const char *n = btf__name_by_offset(hb, t->name_off);

		if (btf_is_struct(t) && n && *n) {
			n_structs++;
			snprintf(only, sizeof(only), "%s", n);
		}
	}
	name = r->hexport ? r->hexport : n_structs == 1 ? only
		: btf__find_by_name_kind(hb, "event", BTF_KIND_STRUCT) > 0 ? "event" : NULL;
	if (!name)
		return set_error(EINVAL, "object %s: event header %s defines %zu structs and none is "
				 "marked: say which with --event-struct NAME (or a /// @export line "
				 "before it)", r->o->path, r->src->event_header, n_structs);
	snprintf(origin, sizeof(origin), "from --event-header %s", r->src->event_header);
	if ((err = lay_from_struct(hb, name, origin, &lay)))
		return err == -ENOENT ? missing_struct(r, name, origin) : err;
	return push(r, map, kind, type, &lay, NULL) ? -ENOMEM : 1;
}

static int resolve_event(struct resolve *r, struct bpf_map *m, enum out_kind kind)
{
	static int (*const sources[])(struct resolve *, const char *, enum out_kind, uint32_t) = {
		from_annotations, from_export_comment, from_option, from_schema, from_header,
	};
	const char *map = bpf_map__name(m);
	uint32_t type = bpf_map__type(m);

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		int got = sources[i](r, map, kind, type);

		if (got)
			return got < 0 ? got : 0;
	}
	/* eunomia.bpf.h declares eun_events in every object; one that only
	 * aggregates never writes it. */
	if (r->o->eun_native && !strcmp(map, "eun_events"))
		return 0;
	return set_error(EINVAL, "object %s: map '%s' (%s) carries records, but nothing says what "
			 "they hold: declare EUN_EXPORT_EVENT(%s, STRUCT) from <eunomia/bpf/export.h> "
			 "in the program, or give --event-struct STRUCT, a schema file (%s) or "
			 "--event-header FILE", r->o->path, map, kind_name(kind), map,
			 r->src->schema_path ? r->src->schema_path : "NAME.schema.yaml beside it");
}

/* Key and value of a hash or array map as one layout: key at 0, value at value_off. */
static int snapshot_layout(struct resolve *r, struct bpf_map *m, struct layout *lay,
			   uint32_t *value_off)
{
	const char *map = bpf_map__name(m);
	__u32 kid = bpf_map__btf_key_type_id(m), vid = bpf_map__btf_value_type_id(m);
	struct layout key = { 0 }, val = { 0 };
	char what[256];
	int err;

	*value_off = (bpf_map__key_size(m) + 7) & ~7u;
	snprintf(what, sizeof(what), "object %s: map '%s' value", r->o->path, map);
	if (!vid)
		return set_error(EINVAL, "object %s: map '%s' declares no BTF value type (__type(value, "
				 "...)), so its entries cannot be read as fields", r->o->path, map);
	if ((err = btf_layout_build(r->btf, (int)vid, what, LAY_VALUE, &val)))
		return err;
	snprintf(what, sizeof(what), "object %s: map '%s' key", r->o->path, map);
	if (kid && btf_layout_build(r->btf, (int)kid, what, LAY_KEY, &key))
		layout_free(&key); /* a key with nothing to show: the records go without it */
	clear_error();
	*lay = key;
	lay->struct_name = NULL;
	free(key.struct_name);
	for (size_t i = 0; i < val.n && !err; i++) {
		val.f[i].offset += *value_off;
		err = layout_add(lay, &val.f[i]);
	}
	lay->size = *value_off + bpf_map__value_size(m);
	lay->struct_name = val.struct_name;
	val.struct_name = NULL;
	layout_free(&val);
	if (err || layout_settle(lay))
		return set_error(ENOMEM, "out of memory");
	return 0;
}

/* Units of a schema file's `maps:` entry. */
static int apply_units(struct resolve *r, const struct schema_entry *se, struct layout *lay)
{
	for (size_t u = 0; u < se->n_units; u++) {
		struct lay_field *f = NULL;

		for (size_t i = 0; i < lay->n && !f; i++)
			if (!strcmp(lay->f[i].name, se->unit_fields[u]))
				f = &lay->f[i];
		if (!f)
			return set_error(EINVAL, "schema file %s line %u: map '%s' has no field '%s' to "
					 "give a unit", r->sf.path, se->line, se->map, se->unit_fields[u]);
		free(f->unit);
		if (!(f->unit = strdup(se->units[u])))
			return set_error(ENOMEM, "out of memory");
	}
	return 0;
}

static bool has_hist(const struct layout *lay)
{
	for (size_t i = 0; i < lay->n; i++)
		if (lay->f[i].type == EUN_FIELD_HIST_LOG2)
			return true;
	return false;
}

static int resolve_snapshot(struct resolve *r, struct bpf_map *m)
{
	const char *map = bpf_map__name(m), *how = NULL, *event_name = NULL;
	const struct schema_entry *se = NULL;
	bool hash, percpu, typed = is_snapshot_type(bpf_map__type(m), &hash, &percpu);
	struct layout lay = { 0 };
	uint32_t value_off;
	int err;

	for (size_t i = 0; i < r->n_ann && !how; i++)
		if (r->ann[i].snapshot && !strcmp(r->ann[i].map, map)) {
			how = r->ann[i].how;
			event_name = r->ann[i].event_name;
		}
	for (size_t i = 0; i < r->sf.n && !se; i++)
		if (r->sf.e[i].snapshot && !strcmp(r->sf.e[i].map, map)) {
			se = &r->sf.e[i];
			r->sf_used[i] = true;
		}
	if ((how || se) && !typed)
		return set_error(EINVAL, "object %s: map '%s' is %s as a map of aggregates, but only "
				 "hash and array maps are read as snapshots", r->o->path, map,
				 how ? "annotated" : "listed in the schema file");
	if (!typed)
		return 0;
	if (!how && !se) {
		/* Unannotated: only a map whose value is a histogram is surely an output. */
		err = snapshot_layout(r, m, &lay, &value_off);
		clear_error();
		if (err || !has_hist(&lay)) {
			layout_free(&lay);
			return 0;
		}
	} else if ((err = snapshot_layout(r, m, &lay, &value_off))) {
		return err;
	}
	if (se && (err = apply_units(r, se, &lay))) {
		layout_free(&lay);
		return err;
	}
	if (!(lay.origin = strdup(how ? how : se ? "schema file" : "histogram value"))) {
		layout_free(&lay);
		return set_error(ENOMEM, "out of memory");
	}
	if ((err = push(r, map, OUT_SNAP, bpf_map__type(m), &lay,
			se && se->event_name ? se->event_name : event_name)))
		return err;
	r->o->outs[r->o->n_outs - 1].hash = hash;
	r->o->outs[r->o->n_outs - 1].percpu = percpu;
	r->o->outs[r->o->n_outs - 1].key_size = bpf_map__key_size(m);
	r->o->outs[r->o->n_outs - 1].value_size = bpf_map__value_size(m);
	r->o->outs[r->o->n_outs - 1].value_off = value_off;
	return 0;
}

/* Split --event-struct "A,MAP=B" into r->ns. */
static int parse_event_struct(struct resolve *r)
{
	const char *s = r->src->event_struct;

	while (s && *s) {
		const char *end = strchrnul(s, ','), *eq = memchr(s, '=', (size_t)(end - s));
		struct named_struct *grown = reallocarray(r->ns, r->n_ns + 1, sizeof(*grown));
		struct named_struct *ns;

		if (!grown)
			return set_error(ENOMEM, "out of memory");
		r->ns = grown;
		ns = &grown[r->n_ns];
		memset(ns, 0, sizeof(*ns));
		ns->map = eq ? strndup(s, (size_t)(eq - s)) : NULL;
		ns->st = eq ? strndup(eq + 1, (size_t)(end - eq - 1)) : strndup(s, (size_t)(end - s));
		r->n_ns++;
		if ((eq && !ns->map) || !ns->st)
			return set_error(ENOMEM, "out of memory");
		if (!*ns->st || (ns->map && !*ns->map))
			return set_error(EINVAL, "--event-struct '%s': give STRUCT or MAP=STRUCT, "
					 "separated by commas", r->src->event_struct);
		s = *end ? end + 1 : end;
	}
	return 0;
}

/* The schema file: as given, else NAME.schema.yaml beside the object if it exists. */
static int read_schema(struct resolve *r)
{
	const char *p = r->o->path;
	size_t len = strlen(p), stem = len;
	char beside[4096];
	int err;

	if (r->src->schema_path)
		err = schema_file_read(r->src->schema_path, &r->sf);
	else {
		if (len > 6 && !strcmp(p + len - 6, ".bpf.o"))
			stem = len - 6;
		else if (len > 2 && !strcmp(p + len - 2, ".o"))
			stem = len - 2;
		if ((size_t)snprintf(beside, sizeof(beside), "%.*s.schema.yaml", (int)stem, p) >=
		    sizeof(beside) || access(beside, F_OK))
			return 0;
		err = schema_file_read(beside, &r->sf);
	}
	if (err)
		return err;
	r->sf_used = calloc(r->sf.n + 1, sizeof(bool));
	return r->sf_used ? 0 : set_error(ENOMEM, "out of memory");
}

/* Maps named by --event-struct and the schema file must exist: a typo is
 * an error before anything else is looked at. */
static int check_named_maps(struct resolve *r)
{
	for (size_t i = 0; i < r->n_ns; i++)
		if (r->ns[i].map && !bpf_object__find_map_by_name(r->obj, r->ns[i].map))
			return set_error(EINVAL, "object %s: --event-struct %s=%s: the object has no map "
					 "'%s'", r->o->path, r->ns[i].map, r->ns[i].st, r->ns[i].map);
	for (size_t i = 0; i < r->sf.n; i++)
		if (r->sf.e[i].map && !bpf_object__find_map_by_name(r->obj, r->sf.e[i].map))
			return set_error(EINVAL, "schema file %s line %u: object %s has no map '%s'",
					 r->sf.path, r->sf.e[i].line, r->o->path, r->sf.e[i].map);
	return 0;
}

/* Explicit sources that described nothing: a source that a higher one
 * shadowed is a warning, one that fits no map an error. */
static int check_unused(struct resolve *r)
{
	for (size_t i = 0; i < r->n_ns; i++) {
		const struct named_struct *ns = &r->ns[i];

		if (ns->used)
			continue;
		if (!ns->map && r->n_unannotated != 1)
			return set_error(EINVAL, "object %s: --event-struct %s: the object has %zu ring "
					 "or perf buffers; say which one with MAP=%s", r->o->path, ns->st,
					 r->n_event_maps, ns->st);
		log_msg(EUN_LOG_WARN, "object %s: --event-struct %s ignored: an annotation in the "
			"object describes the records already", r->o->path, ns->st);
	}
	for (size_t i = 0; i < r->sf.n; i++) {
		const struct schema_entry *se = &r->sf.e[i];

		if (r->sf_used[i])
			continue;
		if (!se->map && r->n_unannotated != 1)
			return set_error(EINVAL, "schema file %s line %u: object %s has %zu ring or perf "
					 "buffers; say which one this entry describes with 'map:'",
					 r->sf.path, se->line, r->o->path, r->n_event_maps);
		log_msg(EUN_LOG_WARN, "schema file %s line %u ignored: %s describes that map already",
			r->sf.path, se->line, "a source that comes first (annotation, --event-struct)");
	}
	return 0;
}

static void resolve_free(struct resolve *r)
{
	annotations_free(r->ann, r->n_ann);
	schema_file_free(&r->sf);
	free(r->sf_used);
	for (size_t i = 0; i < r->n_ns; i++) {
		free(r->ns[i].map);
		free(r->ns[i].st);
	}
	free(r->ns);
	btf__free(r->hbtf);
	free(r->hexport);
}

/* Count the ring and perf buffers to describe, and those no annotation names. */
static void count_event_maps(struct resolve *r)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, r->obj) {
		enum bpf_map_type t = bpf_map__type(m);
		const char *name = bpf_map__name(m);
		bool named = false;

		if (t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		for (size_t i = 0; i < r->n_ann && !named; i++)
			named = r->ann[i].map && !strcmp(r->ann[i].map, name);
		/* The native ring counts only when something names it. */
		if (r->o->eun_native && !strcmp(name, "eun_events") && !named)
			continue;
		r->n_event_maps++;
		r->n_unannotated += !named;
	}
}

int outputs_find(struct bpfobj *o, struct bpf_object *obj, const struct bpfobj_sources *src)
{
	struct resolve r = { .o = o, .obj = obj, .btf = bpf_object__btf(obj), .src = src };
	struct bpf_map *m;
	int err;

	if ((err = annotations_read(r.btf, o->path, &r.ann, &r.n_ann)) ||
	    (err = parse_event_struct(&r)) || (err = read_schema(&r)) || (err = check_named_maps(&r)))
		goto out;
	count_event_maps(&r);
	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);

		if (bpf_map__is_internal(m))
			continue;
		if (t == BPF_MAP_TYPE_RINGBUF || t == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			err = resolve_event(&r, m, t == BPF_MAP_TYPE_RINGBUF ? OUT_RING : OUT_PERF);
		else
			err = resolve_snapshot(&r, m);
		if (err)
			goto out;
	}
	if ((err = check_unused(&r)))
		goto out;
	if (!o->n_outs)
		err = set_error(EINVAL, "object %s has no output map: no ring buffer or perf event array "
				"(BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_PERF_EVENT_ARRAY) to read records "
				"from, and no hash or array map of counters or histograms (annotate one "
				"with EUN_EXPORT_MAP(map) or list it under 'maps:' in a schema file)",
				o->path);
out:
	resolve_free(&r);
	return err;
}
