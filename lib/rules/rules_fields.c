/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The (tracker, event type) pairs of the ctx's plugins, and field names
 * resolved against them: for each pair, where the field's value comes
 * from (a schema field, a header column, a value derived from fields) or
 * that this pair does not have it.
 *
 * Names, in the order they are tried: the header columns (pid, comm,
 * container_id, ..., tracker, type); evt.type; Falco's aliases
 * (rules_aliases.c); TRACKER.FIELD and TRACKER.COLUMN; then, for a name
 * of one of Falco's field classes, "not available".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

static const char *const hdr_names[HC_COUNT] = {
	[HC_TS] = "ts", [HC_PID] = "pid", [HC_TID] = "tid", [HC_UID] = "uid", [HC_COMM] = "comm",
	[HC_CGROUP_ID] = "cgroup_id", [HC_PID_NS] = "pid_ns", [HC_MNT_NS] = "mnt_ns",
	[HC_NET_NS] = "net_ns", [HC_USER_NS] = "user_ns", [HC_CONTAINER_ID] = "container_id",
	[HC_CONTAINER_RUNTIME] = "container_runtime", [HC_POD_UID] = "pod_uid",
};

const char *vtype_desc(enum vtype t)
{
	switch (t) {
	case VT_UINT:
	case VT_SINT: return "a number";
	case VT_BOOL: return "true or false";
	case VT_STR: return "a string";
	case VT_IP4: return "an IPv4 address";
	case VT_IP6: return "an IPv6 address";
	case VT_HIST: return "a histogram";
	default: return "nothing";
	}
}

static enum vtype vtype_of(const struct eun_field *f)
{
	switch (f->type) {
	case EUN_FIELD_U8: case EUN_FIELD_U16: case EUN_FIELD_U32: case EUN_FIELD_U64:
		return VT_UINT;
	case EUN_FIELD_S8: case EUN_FIELD_S16: case EUN_FIELD_S32: case EUN_FIELD_S64:
		return VT_SINT;
	case EUN_FIELD_BOOL: return VT_BOOL;
	case EUN_FIELD_STR: return VT_STR;
	case EUN_FIELD_IPV4: return VT_IP4;
	case EUN_FIELD_IPV6: return VT_IP6;
	case EUN_FIELD_HIST_LOG2: return VT_HIST;
	default: return VT_NONE;
	}
}

static enum vtype hdr_vtype(enum hdr_col c)
{
	return c == HC_COMM || c == HC_CONTAINER_ID || c == HC_CONTAINER_RUNTIME || c == HC_POD_UID
	       ? VT_STR : VT_UINT;
}

static int hdr_lookup(const char *name, size_t n)
{
	for (int i = 0; i < HC_COUNT; i++)
		if (strlen(hdr_names[i]) == n && !memcmp(hdr_names[i], name, n))
			return i;
	return -1;
}

/* ---- pairs ----------------------------------------------------------- */

static size_t slot_of(const void *type, size_t n_slots)
{
	uintptr_t h = (uintptr_t)type;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 7) & (n_slots - 1);
}

/* Every name a field can be written as, for suggestions. */
static int names_build(struct eun_rules *r)
{
	const char **names;
	size_t n = 0, cap = HC_COUNT + 3 + n_field_aliases;

	for (size_t i = 0; i < r->n_pairs; i++)
		cap += r->pairs[i].type->n_fields;
	names = arena_alloc(&r->arena, cap * sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (int i = 0; i < HC_COUNT; i++)
		names[n++] = hdr_names[i];
	names[n++] = "tracker";
	names[n++] = "type";
	names[n++] = "evt.type";
	for (size_t i = 0; i < n_field_aliases; i++)
		names[n++] = field_aliases[i].name;
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct eun_event_type *t = r->pairs[i].type;

		for (uint32_t f = 0; f < t->n_fields; f++) {
			char *full = arena_printf(&r->arena, "%s.%s", r->pairs[i].tracker, t->fields[f].name);
			bool dup = false;

			if (!full)
				return -ENOMEM;
			for (size_t k = 0; k < n && !dup; k++)
				dup = !strcmp(names[k], full);
			if (!dup)
				names[n++] = full;
		}
	}
	r->field_names = names;
	r->n_field_names = n;
	return 0;
}

int pairs_build(struct eun_rules *r)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < eun_plugin_count(r->ctx); i++)
		n += eun_plugin_event_type_count(eun_plugin_at(r->ctx, i));
	r->pairs = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*r->pairs));
	for (r->n_slots = 4; r->n_slots < 2 * n; r->n_slots *= 2)
		;
	r->pair_slots = arena_alloc(&r->arena, r->n_slots * sizeof(*r->pair_slots));
	if (!r->pairs || !r->pair_slots)
		return -ENOMEM;
	for (size_t s = 0; s < r->n_slots; s++)
		r->pair_slots[s] = -1;
	for (size_t i = 0; i < eun_plugin_count(r->ctx); i++) {
		const struct eun_plugin *p = eun_plugin_at(r->ctx, i);

		for (size_t j = 0; j < eun_plugin_event_type_count(p); j++) {
			struct pair *pr = &r->pairs[k];
			size_t s;

			pr->plugin = p;
			pr->tracker = eun_plugin_name(p);
			pr->type = eun_plugin_event_type(p, j);
			pr->label = arena_printf(&r->arena, "%s.%s", pr->tracker, pr->type->name);
			if (!pr->label)
				return -ENOMEM;
			for (s = slot_of(pr->type, r->n_slots); r->pair_slots[s] >= 0; s = (s + 1) & (r->n_slots - 1))
				;
			r->pair_slots[s] = (int32_t)k++;
		}
	}
	r->n_pairs = k;
	return names_build(r);
}

int pair_of(const struct eun_rules *r, const struct eun_event *ev)
{
	const struct eun_event_type *t = eun_event_type(ev);
	const struct eun_plugin *p = eun_tracker_plugin(eun_event_tracker(ev));

	for (size_t s = slot_of(t, r->n_slots);; s = (s + 1) & (r->n_slots - 1)) {
		int32_t i = r->pair_slots[s];

		if (i < 0)
			return -1;
		if (r->pairs[i].type == t && r->pairs[i].plugin == p)
			return i;
	}
}

bool pairs_of_tracker(const struct eun_rules *r, const char *name, size_t n, size_t *first, size_t *count)
{
	*count = 0;
	for (size_t i = 0; i < r->n_pairs; i++) {
		if (strlen(r->pairs[i].tracker) != n || memcmp(r->pairs[i].tracker, name, n))
			continue;
		if (!*count)
			*first = i;
		++*count;
	}
	return *count > 0;
}

/* ---- resolving one name ---------------------------------------------- */

static int field_index(const struct eun_event_type *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_fields; i++)
		if (!strcmp(t->fields[i].name, name))
			return (int)i;
	return -1;
}

/* Set pair i's accessor to schema field fi, or to a value derived from it. */
static void acc_field(struct acc *a, const struct eun_event_type *t, int fi, enum derived der)
{
	a->idx = fi;
	a->f = &t->fields[fi];
	if (der == DER_NONE) {
		a->kind = ACC_FIELD;
		a->vtype = vtype_of(a->f);
		return;
	}
	a->kind = ACC_DERIVED;
	a->id = der;
	a->vtype = der == DER_EVT_FAILED || der == DER_OPEN_READ || der == DER_OPEN_WRITE ? VT_BOOL : VT_STR;
}

/* May field f feed derived value der? */
static bool feeds(const struct eun_field *f, enum derived der)
{
	switch (der) {
	case DER_NONE: return true;
	case DER_EVT_RES: case DER_EVT_FAILED: return vtype_of(f) == VT_SINT;
	case DER_OPEN_READ: case DER_OPEN_WRITE: return vtype_of(f) == VT_UINT;
	default: return vtype_of(f) == VT_STR;
	}
}

static void resolve_alias(struct eun_rules *r, struct field_res *res, const struct field_alias *al)
{
	bool any = false, any_tracker = false;
	struct strbuf from = { 0 };

	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct pair *p = &r->pairs[i];
		struct acc *a = &res->acc[i];

		if (al->hdr >= 0) {
			*a = (struct acc){ .kind = ACC_HDR, .id = (uint16_t)al->hdr, .vtype = hdr_vtype(al->hdr) };
			any = true;
			continue;
		}
		if (al->der != DER_NONE) {
			*a = (struct acc){ .kind = ACC_DERIVED, .id = al->der, .idx = -1, .vtype = VT_STR };
			any = true;
			continue;
		}
		for (size_t m = 0; m < 4 && al->maps[m].field; m++) {
			const struct alias_map *mp = &al->maps[m];
			int fi;

			if (strcmp(mp->tracker, "*") && strcmp(mp->tracker, p->tracker))
				continue;
			if (mp->type && strcmp(mp->type, p->type->name))
				continue;
			fi = field_index(p->type, mp->field);
			if (fi < 0 || !feeds(&p->type->fields[fi], mp->der))
				continue;
			acc_field(a, p->type, fi, mp->der);
			any = true;
			break;
		}
	}
	if (any)
		return;
	res->status = RES_UNAVAILABLE;
	for (size_t m = 0; m < 4 && al->maps[m].field; m++) {
		if (!strcmp(al->maps[m].tracker, "*")) {
			any_tracker = true;
			continue;
		}
		if (from.len && strstr(from.buf, al->maps[m].tracker))
			continue;
		sb_printf(&from, "%s%s", from.len ? " or " : "", al->maps[m].tracker);
	}
	if (any_tracker)
		res->missing = arena_printf(&r->arena, "%s (no loaded tracker has a '%s' field)",
					    res->name, al->maps[0].field);
	else
		res->missing = arena_printf(&r->arena, "%s (it needs the %s tracker)", res->name,
					    from.buf ? from.buf : "?");
	sb_free(&from);
}

/* TRACKER.NAME for a loaded tracker; false if the tracker is not loaded. */
static bool resolve_tracker_field(struct eun_rules *r, struct field_res *res, const char *dot)
{
	const char *name = res->name, *rest = dot + 1;
	size_t first, count, n_names = 0;
	const char **names;
	const char *close;
	bool any = false;
	int hc = hdr_lookup(rest, strlen(rest));

	if (!pairs_of_tracker(r, name, (size_t)(dot - name), &first, &count))
		return false;
	for (size_t i = first; i < first + count; i++) {
		const struct pair *p = &r->pairs[i];
		struct acc *a = &res->acc[i];
		int fi;

		if (hc >= 0) {
			*a = (struct acc){ .kind = ACC_HDR, .id = (uint16_t)hc, .vtype = hdr_vtype(hc) };
		} else if (!strcmp(rest, "tracker") || !strcmp(rest, "type")) {
			*a = (struct acc){ .kind = ACC_CONST, .vtype = VT_STR,
					   .cstr = rest[0] == 't' && rest[1] == 'r' ? p->tracker : p->type->name };
		} else if ((fi = field_index(p->type, rest)) >= 0) {
			acc_field(a, p->type, fi, DER_NONE);
		} else {
			continue;
		}
		any = true;
	}
	if (any)
		return true;
	/* No such field: suggest one of this tracker's. */
	names = arena_alloc(&r->arena, (r->n_field_names + 1) * sizeof(*names));
	if (!names)
		return r->oom = true;
	for (size_t i = 0; i < r->n_field_names; i++)
		if (!strncmp(r->field_names[i], name, (size_t)(dot - name) + 1))
			names[n_names++] = r->field_names[i];
	close = suggest(name, names, n_names);
	res->status = RES_ERROR;
	if (close) {
		res->why = arena_printf(&r->arena, "no field '%s'; did you mean '%s'?", name, close);
	} else {
		struct strbuf all = { 0 };

		for (size_t i = 0; i < n_names; i++)
			sb_printf(&all, "%s%s", i ? ", " : "", names[i] + (dot - name) + 1);
		res->why = arena_printf(&r->arena, "no field '%s': tracker '%.*s' has %s", name,
					(int)(dot - name), name, all.buf ? all.buf : "no fields");
		sb_free(&all);
	}
	return true;
}

static void resolve(struct eun_rules *r, struct field_res *res)
{
	const char *name = res->name, *dot = strchr(name, '.'), *close;
	int hc = hdr_lookup(name, strlen(name));

	if (hc >= 0) {
		for (size_t i = 0; i < r->n_pairs; i++)
			res->acc[i] = (struct acc){ .kind = ACC_HDR, .id = (uint16_t)hc, .vtype = hdr_vtype(hc) };
		return;
	}
	if (!strcmp(name, "tracker") || !strcmp(name, "type") || !strcmp(name, "evt.type")) {
		res->evt_type = !strcmp(name, "evt.type");
		for (size_t i = 0; i < r->n_pairs; i++)
			res->acc[i] = (struct acc){ .kind = ACC_CONST, .vtype = VT_STR,
				.cstr = res->evt_type ? r->pairs[i].label
					: name[1] == 'r' ? r->pairs[i].tracker : r->pairs[i].type->name };
		return;
	}
	for (size_t i = 0; i < n_field_aliases; i++) {
		if (!strcmp(field_aliases[i].name, name)) {
			resolve_alias(r, res, &field_aliases[i]);
			return;
		}
	}
	if (dot && resolve_tracker_field(r, res, dot))
		return;
	close = falco_known_field(name) ? NULL : suggest(name, r->field_names, r->n_field_names);
	if (falco_field_class(name)) {
		res->status = RES_UNAVAILABLE;
		res->missing = close ? arena_printf(&r->arena, "%s (did you mean '%s'?)", name, close)
				     : res->name;
	} else if (close) {
		res->status = RES_ERROR;
		res->why = arena_printf(&r->arena, "no field '%s'; did you mean '%s'?", name, close);
	} else if (dot) {
		res->status = RES_UNAVAILABLE;
		res->missing = arena_printf(&r->arena, "%s (no tracker '%.*s' is loaded)", name,
					    (int)(dot - name), name);
	} else {
		res->status = RES_ERROR;
		res->why = arena_printf(&r->arena, "no field '%s'", name);
	}
}

struct field_res *field_resolve(struct eun_rules *r, const char *name)
{
	struct field_res *res;

	for (res = r->res_cache; res; res = res->next)
		if (!strcmp(res->name, name))
			return res;
	res = arena_alloc(&r->arena, sizeof(*res));
	if (!res || !(res->name = arena_strndup(&r->arena, name, strlen(name))) ||
	    !(res->acc = arena_alloc(&r->arena, (r->n_pairs ? r->n_pairs : 1) * sizeof(*res->acc))))
		return r->oom = true, NULL;
	resolve(r, res);
	if ((res->status == RES_ERROR && !res->why) || (res->status == RES_UNAVAILABLE && !res->missing))
		return r->oom = true, NULL;
	res->next = r->res_cache;
	r->res_cache = res;
	return res;
}
