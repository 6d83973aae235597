/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A C struct, read from BTF, as the flat list of fields a schema declares:
 * integers, enums and bools by size and sign, char arrays as strings,
 * nested structs and small arrays flattened into dotted names ("proc.pid",
 * "callers.0"), log2 histogram slots of map values. Fields that name a pid,
 * thread id, uid, task name, cgroup id, timestamp or mount namespace (by
 * name at the top level, or by Inspektor Gadget's gadget_* typedefs at any
 * depth) get the header role that a foreign sample needs filled.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "bpfobj/bpfobj.h"
#include "event/event.h"

/* Arrays of more elements than this are left out (a stack of 127 frames
 * would drown every output in columns). */
#define MAX_FLAT_ELEMS 16
#define MAX_DEPTH 8
#define MAX_NAME 63

struct walk {
	const struct btf *btf;
	struct layout *lay;
	bool key;       /* a map key: fields are labels */
	bool hist_ok;   /* map values: "slots" arrays are histograms */
};

/* Skip typedefs and qualifiers; *tag gets the first gadget_* typedef on the way. */
static const struct btf_type *resolve(const struct btf *btf, __u32 *id, const char **tag)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		if (btf_is_typedef(t) && tag && !*tag) {
			const char *n = btf__name_by_offset(btf, t->name_off);

			if (n && !strncmp(n, "gadget_", 7))
				*tag = n;
		}
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* "Member" names as field name parts: lower case, [a-z0-9_]. */
static void name_part(char *dst, size_t cap, const char *src)
{
	size_t i = 0;

	for (; src && *src && i + 1 < cap; src++, i++)
		dst[i] = isalnum((unsigned char)*src) ? (char)tolower((unsigned char)*src) : '_';
	dst[i] = '\0';
}

static bool tag_is(const char *tag, const char *name)
{
	return tag && !strcmp(tag, name);
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

enum hdr_role field_role(const char *leaf, bool top, const char *tag, uint32_t type,
			     uint32_t size, bool *ts_boot)
{
	static const char *const pid[] = { "pid", "tgid", NULL }, *const tid[] = { "tid", NULL };
	static const char *const uid[] = { "uid", NULL }, *const comm[] = { "comm", "task", NULL };
	static const char *const cg[] = { "cgroup_id", "cgroup", "cgid", NULL };
	static const char *const ts[] = { "ts", "timestamp", "ts_ns", "time_ns", NULL };
	static const char *const mnt[] = { "mntns_id", "mntns", "mnt_ns", NULL };
	bool is_int = type >= EUN_FIELD_U8 && type <= EUN_FIELD_S64;

	if (tag_is(tag, "gadget_timestamp") && size == 8)
		return *ts_boot = true, ROLE_TS;
	if (is_int && size == 4 && (tag_is(tag, "gadget_pid") || (top && name_in(leaf, pid))))
		return ROLE_PID;
	if (is_int && size == 4 && (tag_is(tag, "gadget_tid") || (top && name_in(leaf, tid))))
		return ROLE_TID;
	if (is_int && size == 4 && (tag_is(tag, "gadget_uid") || (top && name_in(leaf, uid))))
		return ROLE_UID;
	if (type == EUN_FIELD_STR && size <= EUN_COMM_LEN &&
	    (tag_is(tag, "gadget_comm") || (top && name_in(leaf, comm))))
		return ROLE_COMM;
	if (is_int && size == 8 && top && name_in(leaf, cg))
		return ROLE_CGROUP;
	if (is_int && size == 8 && top && name_in(leaf, ts))
		return ROLE_TS;
	if (is_int && (size == 4 || size == 8) &&
	    (tag_is(tag, "gadget_mntns_id") || (top && name_in(leaf, mnt))))
		return ROLE_MNTNS;
	return ROLE_NONE;
}

/* Unit from a name's suffix ("delta_us"), NULL if none. */
static const char *unit_of(const char *leaf)
{
	static const char *const units[] = { "ns", "us", "ms", "bytes", NULL };
	size_t n = strlen(leaf);

	for (const char *const *u = units; *u; u++) {
		size_t ul = strlen(*u);

		if ((n > ul + 1 && leaf[n - ul - 1] == '_' && !strcmp(leaf + n - ul, *u)) ||
		    !strcmp(leaf, *u))
			return *u;
	}
	return NULL;
}

bool is_errno_name(const char *leaf)
{
	static const char *const names[] = { "ret", "retval", "err", "errno", "error", "rc", NULL };

	return name_in(leaf, names);
}

/* Add one scalar field. */
static int add_scalar(struct walk *w, const char *path, const char *leaf, bool top, const char *tag,
		      uint32_t type, uint32_t off, uint32_t size, bool is_signed, uint32_t flags)
{
	struct lay_field f = { .name = (char *)path, .type = type, .offset = off, .size = size,
			       .flags = flags, .is_signed = is_signed };

	if (strlen(path) > MAX_NAME)
		return 0; /* cannot be named: left out */
	f.role = field_role(leaf, top, tag, type, size, &f.ts_boot);
	f.unit = (char *)unit_of(leaf);
	if (tag_is(tag, "gadget_bytes"))
		f.unit = "bytes";
	if (tag_is(tag, "gadget_duration"))
		f.unit = "ns";
	if (is_signed && top && is_errno_name(leaf))
		f.flags |= EUN_FIELD_F_ERRNO;
	if (w->key)
		f.flags |= EUN_FIELD_F_KEY;
	else if (tag && (!strncmp(tag, "gadget_counter__", 16)))
		f.flags |= EUN_FIELD_F_COUNTER;
	else if (tag && (!strncmp(tag, "gadget_gauge__", 14)))
		f.flags |= EUN_FIELD_F_GAUGE;
	return layout_add(w->lay, &f);
}

static int walk_type(struct walk *w, __u32 id, const char *path, const char *leaf, uint32_t off,
		     int depth, const char *tag);

/* The last part of a dotted path. */
static const char *leaf_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

static int walk_members(struct walk *w, const struct btf_type *t, const char *path, uint32_t off,
			int depth)
{
	const struct btf_member *m = btf_members(t);
	int err = 0;

	for (int i = 0; i < btf_vlen(t) && !err; i++, m++) {
		const char *mn = btf__name_by_offset(w->btf, m->name_off);
		char part[MAX_NAME + 1], sub[2 * MAX_NAME + 2];

		if (btf_member_bitfield_size(t, i) || btf_member_bit_offset(t, i) % 8)
			continue; /* bit fields have no byte offset to read */
		if (!mn || !*mn) { /* an anonymous struct or union: its members are ours */
			err = walk_type(w, m->type, path, leaf_of(path), off + btf_member_bit_offset(t, i) / 8,
					depth, NULL);
			continue;
		}
		name_part(part, sizeof(part), mn);
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", part);
		err = walk_type(w, m->type, sub, part, off + btf_member_bit_offset(t, i) / 8, depth + 1,
				NULL);
	}
	return err;
}

/* Arrays: strings, histograms, small arrays element by element. */
static int walk_array(struct walk *w, const struct btf_type *t, const char *path, const char *leaf,
		      uint32_t off, int depth, const char *tag)
{
	const struct btf_array *a = btf_array(t);
	const char *etag = NULL;
	__u32 eid = a->type;
	const struct btf_type *et = resolve(w->btf, &eid, &etag);
	__s64 esize = btf__resolve_size(w->btf, a->type);
	bool top = depth == 1;
	int err = 0;

	if (!et || esize <= 0 || a->nelems == 0)
		return 0;
	if (btf_is_int(et) && esize == 1 && !(btf_int_encoding(et) & BTF_INT_BOOL)) {
		if (!etag)
			etag = tag;
		return add_scalar(w, path, leaf, top, etag, EUN_FIELD_STR, off, a->nelems, false, 0);
	}
	if (w->hist_ok && btf_is_int(et) && (esize == 4 || esize == 8) && a->nelems <= 64 &&
	    (!strcmp(leaf, "slots") || (etag && !strncmp(etag, "gadget_histogram_slot__", 23)))) {
		struct lay_field f = { .name = (char *)path, .type = EUN_FIELD_HIST_LOG2,
				       .offset = off, .size = a->nelems * (uint32_t)esize,
				       .slot_size = (uint32_t)esize, .flags = EUN_FIELD_F_COUNTER };

		/* It needs room for its "<name>_sum" beside it. */
		return strlen(path) + 4 > MAX_NAME ? 0 : layout_add(w->lay, &f);
	}
	if (a->nelems > MAX_FLAT_ELEMS)
		return 0;
	for (uint32_t i = 0; i < a->nelems && !err; i++) {
		char sub[2 * MAX_NAME + 2], part[12];

		snprintf(part, sizeof(part), "%u", i);
		snprintf(sub, sizeof(sub), "%s.%s", path, part);
		err = walk_type(w, a->type, sub, part, off + i * (uint32_t)esize, depth + 1, tag);
	}
	return err;
}

static int walk_type(struct walk *w, __u32 id, const char *path, const char *leaf, uint32_t off,
		     int depth, const char *tag)
{
	const struct btf_type *t = resolve(w->btf, &id, &tag);
	bool top = depth == 1;
	uint32_t size;

	if (!t || depth > MAX_DEPTH)
		return 0;
	if (btf_is_composite(t))
		return walk_members(w, t, path, off, depth);
	if (btf_is_array(t))
		return walk_array(w, t, path, leaf, off, depth, tag);
	if (!*path)
		return 0;
	size = t->size;
	if (btf_is_ptr(t))
		return add_scalar(w, path, leaf, top, tag, EUN_FIELD_U64, off, 8, false, EUN_FIELD_F_HEX);
	if (btf_is_any_enum(t) || btf_is_int(t)) {
		bool sign = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0 : btf_kflag(t);
		static const uint32_t u[] = { 0, EUN_FIELD_U8, EUN_FIELD_U16, 0, EUN_FIELD_U32,
					      0, 0, 0, EUN_FIELD_U64 };

		if (btf_is_int(t) && (btf_int_offset(t) || btf_int_bits(t) != size * 8))
			return 0;
		if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL) && size == 1)
			return add_scalar(w, path, leaf, top, tag, EUN_FIELD_BOOL, off, 1, false, 0);
		if (size == 16 && strstr(leaf, "addr"))
			return add_scalar(w, path, leaf, top, tag, EUN_FIELD_IPV6, off, 16, false, 0);
		if (size > 8 || !u[size])
			return 0;
		return add_scalar(w, path, leaf, top, tag, u[size] + (sign ? 4 : 0), off, size, sign, 0);
	}
	return 0; /* floats, functions: nothing a schema can type */
}

/* True if member 0 of struct t is a struct eun_record_header at offset 0. */
static bool starts_with_eun_header(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	__u32 id;
	const struct btf_type *mt;

	if (!btf_is_struct(t) || btf_vlen(t) == 0 || btf_member_bit_offset(t, 0))
		return false;
	id = m->type;
	mt = resolve(btf, &id, NULL);
	return mt && btf_is_struct(mt) && mt->size == sizeof(struct eun_record_header) &&
	       !strcmp(btf__name_by_offset(btf, mt->name_off), "eun_record_header");
}

int btf_layout_build(const struct btf *btf, int type_id, const char *what, enum lay_use use,
		     struct layout *lay)
{
	__u32 id = (__u32)type_id;
	const struct btf_type *t = resolve(btf, &id, NULL);
	bool key = use == LAY_KEY;
	struct walk w = { .btf = btf, .lay = lay, .key = key,
			  .hist_ok = use == LAY_VALUE };
	int err;

	if (!t)
		return set_error(EINVAL, "%s: BTF type %d does not exist", what, type_id);
	lay->size = (uint32_t)btf__resolve_size(btf, id);
	if (btf_is_composite(t)) {
		const char *n = btf__name_by_offset(btf, t->name_off);

		if (n && *n && !lay->struct_name && !(lay->struct_name = strdup(n)))
			return set_error(ENOMEM, "out of memory");
		if (starts_with_eun_header(btf, t)) {
			const struct btf_member *m = btf_members(t);

			lay->eun_header = true;
			err = 0;
			for (int i = 1; i < btf_vlen(t) && !err; i++) {
				char part[MAX_NAME + 1];

				m = btf_members(t) + i;
				if (btf_member_bitfield_size(t, i) || btf_member_bit_offset(t, i) % 8)
					continue;
				name_part(part, sizeof(part), btf__name_by_offset(btf, m->name_off));
				err = walk_type(&w, m->type, part, part, btf_member_bit_offset(t, i) / 8,
						1, NULL);
			}
			return err ? set_error(-err, "out of memory") : 0;
		}
		err = walk_members(&w, t, "", 0, 0);
	} else {
		/* A plain integer key or value: one field named after what it is. */
		err = walk_type(&w, id, key ? "key" : "value", key ? "key" : "value", 0, 1, NULL);
	}
	if (err)
		return set_error(-err, "out of memory");
	if (!lay->n)
		return set_error(EINVAL, "%s: struct %s has no member a schema can describe (integers, "
				 "enums, bools, char arrays, nested structs, small arrays)", what,
				 lay->struct_name ? lay->struct_name : "(anonymous)");
	return 0;
}
