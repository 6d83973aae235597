/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Schema files (NAME.schema.yaml beside the object, or --schema FILE):
 * the layout of records whose struct the object's BTF does not carry (a
 * struct used only as a local variable is not emitted into BTF), or the
 * name of a struct it does carry. docs/bpf-objects.md gives the format:
 *
 *     events:
 *       - map: events          # optional when the object has one output
 *         name: open           # event type name
 *         size: 312            # sample size in bytes (default: the end of the last field)
 *         fields:
 *           - {name: pid, type: u32, offset: 8}
 *           - {name: fname, type: str, offset: 56, size: 255}
 *           - {name: ret, type: s32, offset: 16, flags: [errno]}
 *       - map: other
 *         struct: other_event  # or a struct of the object's BTF
 *     maps:
 *       - map: hists           # a hash or array map read as snapshots
 *         units: {slots: us}
 *
 * A file with one event may write its keys at the top level. Errors name
 * file:line:column.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bpfobj/bpfobj.h"
#include "yaml/yaml_doc.h"

#define MAX_SCHEMA_FILE (1u << 20)
#define MAX_SAMPLE (1u << 16)

struct ctx {
	const char *path;
	const struct ydoc *doc;
};

static int at(const struct ctx *c, const struct ydoc_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int at(const struct ctx *c, const struct ydoc_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return set_error(EINVAL, "schema file %s:%u:%u: %s", c->path, n ? n->line : 1,
			 n ? n->col : 1, msg);
}

/* Refuse keys of mapping m not in allowed. */
static int known_keys(const struct ctx *c, const struct ydoc_node *m, const char *what,
		      const char *const *allowed, const char *list)
{
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const char *const *a = allowed;

		while (*a && strcmp(*a, m->items[i]->text))
			a++;
		if (!*a)
			return at(c, m->items[i], "unknown key '%s' in %s (known: %s)", m->items[i]->text,
				  what, list);
	}
	return 0;
}

static int scalar(const struct ctx *c, const struct ydoc_node *n, const char *key, const char **out)
{
	if (n->kind != YDOC_SCALAR || !n->len)
		return at(c, n, "'%s' needs a non-empty value, not a %s", key, ydoc_kind_name(n->kind));
	*out = n->text;
	return 0;
}

static int number(const struct ctx *c, const struct ydoc_node *n, const char *key, uint32_t max,
		  uint32_t *out)
{
	const char *s = NULL;
	char *end;
	unsigned long v;

	if (scalar(c, n, key, &s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (*end || errno || *s == '-' || v > max)
		return at(c, n, "'%s' needs a number from 0 to %u, not '%s'", key, max, s);
	*out = (uint32_t)v;
	return 0;
}

static int dup_scalar(const struct ctx *c, const struct ydoc_node *n, const char *key, char **out)
{
	const char *s = NULL;

	if (scalar(c, n, key, &s))
		return -EINVAL;
	*out = strdup(s);
	return *out ? 0 : set_error(ENOMEM, "out of memory");
}

static const struct {
	const char *name;
	uint32_t type, size;
	bool is_signed;
} types[] = {
	{ "u8", EUN_FIELD_U8, 1, false },   { "u16", EUN_FIELD_U16, 2, false },
	{ "u32", EUN_FIELD_U32, 4, false }, { "u64", EUN_FIELD_U64, 8, false },
	{ "s8", EUN_FIELD_S8, 1, true },    { "s16", EUN_FIELD_S16, 2, true },
	{ "s32", EUN_FIELD_S32, 4, true },  { "s64", EUN_FIELD_S64, 8, true },
	{ "bool", EUN_FIELD_BOOL, 1, false }, { "str", EUN_FIELD_STR, 0, false },
	{ "ipv4", EUN_FIELD_IPV4, 4, false }, { "ipv6", EUN_FIELD_IPV6, 16, false },
};

static const struct {
	const char *name;
	uint32_t flag;
} flag_names[] = {
	{ "hex", EUN_FIELD_F_HEX },         { "key", EUN_FIELD_F_KEY },
	{ "counter", EUN_FIELD_F_COUNTER }, { "gauge", EUN_FIELD_F_GAUGE },
	{ "errno", EUN_FIELD_F_ERRNO },
};

static const char *const role_names[ROLE_MAX_] = {
	[ROLE_NONE] = "none", [ROLE_PID] = "pid", [ROLE_TID] = "tid", [ROLE_UID] = "uid",
	[ROLE_COMM] = "comm", [ROLE_CGROUP] = "cgroup_id", [ROLE_TS] = "ts", [ROLE_MNTNS] = "mnt_ns",
};

static int parse_flags(const struct ctx *c, const struct ydoc_node *n, uint32_t *flags)
{
	if (n->kind != YDOC_SEQ)
		return at(c, n, "'flags' needs a list, e.g. [errno, hex]");
	for (size_t i = 0; i < n->n; i++) {
		const struct ydoc_node *it = n->items[i];
		size_t k = 0;

		while (k < sizeof(flag_names) / sizeof(flag_names[0]) &&
		       (it->kind != YDOC_SCALAR || strcmp(it->text, flag_names[k].name)))
			k++;
		if (k == sizeof(flag_names) / sizeof(flag_names[0]))
			return at(c, it, "unknown flag (known: hex, key, counter, gauge, errno)");
		*flags |= flag_names[k].flag;
	}
	return 0;
}

static bool valid_name(const char *s)
{
	bool part = false;

	if (strlen(s) > 63)
		return false;
	for (; *s; s++) {
		if (*s == '.' && part) {
			part = false;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
		part = true;
	}
	return part;
}

/* One item of `fields:`. */
static int parse_field(const struct ctx *c, const struct ydoc_node *n, struct layout *lay)
{
	static const char *const keys[] = { "name", "type", "offset", "size", "unit", "flags",
					     "header", "clock", "description", NULL };
	const struct ydoc_node *v;
	struct lay_field f = { 0 };
	const char *name = NULL, *type = NULL, *s = NULL;
	size_t t = 0;
	bool role_given = false;
	int err;

	if (n->kind != YDOC_MAP)
		return at(c, n, "a field needs a mapping (name, type, offset...)");
	if ((err = known_keys(c, n, "a field", keys,
			      "name, type, offset, size, unit, flags, header, clock, description")))
		return err;
	if (!(v = ydoc_map_get(n, "name")) || scalar(c, v, "name", &name))
		return v ? -EINVAL : at(c, n, "a field needs a 'name'");
	if (!valid_name(name))
		return at(c, v, "field name '%s' must be [a-z0-9_] parts joined by dots", name);
	for (size_t i = 0; i < lay->n; i++)
		if (!strcmp(lay->f[i].name, name))
			return at(c, v, "field '%s' is given twice", name);
	if (!(v = ydoc_map_get(n, "type")) || scalar(c, v, "type", &type))
		return v ? -EINVAL : at(c, n, "field '%s' needs a 'type'", name);
	while (t < sizeof(types) / sizeof(types[0]) && strcmp(types[t].name, type))
		t++;
	if (t == sizeof(types) / sizeof(types[0]))
		return at(c, v, "field '%s': unknown type '%s' (u8, u16, u32, u64, s8, s16, s32, s64, "
			  "bool, str, ipv4, ipv6)", name, type);
	f.type = types[t].type;
	f.is_signed = types[t].is_signed;
	if (!(v = ydoc_map_get(n, "offset")))
		return at(c, n, "field '%s' needs an 'offset' (bytes from the start of the sample)", name);
	if ((err = number(c, v, "offset", MAX_SAMPLE, &f.offset)))
		return err;
	f.size = types[t].size;
	if ((v = ydoc_map_get(n, "size"))) {
		uint32_t size;

		if ((err = number(c, v, "size", MAX_SAMPLE, &size)))
			return err;
		if (f.size && size != f.size)
			return at(c, v, "field '%s' of type %s is %u bytes, not %u", name, type, f.size, size);
		f.size = size;
	}
	if (!f.size)
		return at(c, n, "field '%s' of type str needs a 'size' (its char array's length)", name);
	if ((v = ydoc_map_get(n, "flags")) && (err = parse_flags(c, v, &f.flags)))
		return err;
	if ((v = ydoc_map_get(n, "header"))) {
		int r = 0;

		if (scalar(c, v, "header", &s))
			return -EINVAL;
		while (r < ROLE_MAX_ && strcmp(role_names[r], s))
			r++;
		if (r == ROLE_MAX_)
			return at(c, v, "field '%s': unknown header column '%s' (pid, tid, uid, comm, "
				  "cgroup_id, mnt_ns, ts, none)", name, s);
		f.role = (enum hdr_role)r;
		role_given = true;
	} else {
		f.role = field_role(name, !strchr(name, '.'), NULL, f.type, f.size, &f.ts_boot);
	}
	if ((v = ydoc_map_get(n, "clock"))) {
		if (scalar(c, v, "clock", &s))
			return -EINVAL;
		if (strcmp(s, "boottime") && strcmp(s, "monotonic"))
			return at(c, v, "field '%s': clock is boottime (bpf_ktime_get_boot_ns) or "
				  "monotonic (bpf_ktime_get_ns), not '%s'", name, s);
		f.ts_boot = !strcmp(s, "boottime");
	}
	if (role_given && f.role != ROLE_NONE) {
		bool ints = f.type >= EUN_FIELD_U8 && f.type <= EUN_FIELD_S64;
		bool ok = f.role == ROLE_COMM ? f.type == EUN_FIELD_STR
			: f.role == ROLE_TS || f.role == ROLE_CGROUP ? ints && f.size == 8
								      : ints && f.size <= 8;

		if (!ok)
			return at(c, ydoc_map_get(n, "header"), "field '%s' (%s) cannot fill the header's "
				  "%s", name, type, role_names[f.role]);
	}
	f.name = (char *)name;
	if ((v = ydoc_map_get(n, "unit")) && scalar(c, v, "unit", (const char **)&f.unit))
		return -EINVAL;
	if ((v = ydoc_map_get(n, "description")) && scalar(c, v, "description", (const char **)&f.desc))
		return -EINVAL;
	return layout_add(lay, &f) ? set_error(ENOMEM, "out of memory") : 0;
}

/* `fields:` and `size:` of an event entry. */
static int parse_fields(const struct ctx *c, const struct ydoc_node *e, struct schema_entry *se)
{
	const struct ydoc_node *fields = ydoc_map_get(e, "fields"), *sz = ydoc_map_get(e, "size");
	uint32_t end = 0;
	int err;

	if (fields->kind != YDOC_SEQ || !fields->n)
		return at(c, fields, "'fields' needs a non-empty list of fields");
	for (size_t i = 0; i < fields->n; i++)
		if ((err = parse_field(c, fields->items[i], &se->lay)))
			return err;
	for (size_t i = 0; i < se->lay.n; i++)
		if (se->lay.f[i].offset + se->lay.f[i].size > end)
			end = se->lay.f[i].offset + se->lay.f[i].size;
	se->lay.size = end;
	if (!sz)
		return 0;
	if ((err = number(c, sz, "size", MAX_SAMPLE, &se->lay.size)))
		return err;
	for (size_t i = 0; i < se->lay.n; i++) {
		const struct lay_field *f = &se->lay.f[i];

		if (f->offset + f->size > se->lay.size)
			return at(c, fields->items[i], "field '%s' (offset %u, %u bytes) ends at byte %u, "
				  "past the %u-byte sample size", f->name, f->offset, f->size,
				  f->offset + f->size, se->lay.size);
	}
	return 0;
}

static int add_entry(struct schema_file *sf, struct schema_entry **out)
{
	struct schema_entry *grown = reallocarray(sf->e, sf->n + 1, sizeof(*grown));

	if (!grown)
		return set_error(ENOMEM, "out of memory");
	sf->e = grown;
	*out = &grown[sf->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

static int parse_event(const struct ctx *c, const struct ydoc_node *e, struct schema_file *sf)
{
	static const char *const keys[] = { "map", "name", "struct", "size", "fields", NULL };
	struct schema_entry *se;
	const struct ydoc_node *v;
	int err;

	if (e->kind != YDOC_MAP)
		return at(c, e, "an event needs a mapping (map, name, struct or fields)");
	if ((err = known_keys(c, e, "an event", keys, "map, name, struct, size, fields")) ||
	    (err = add_entry(sf, &se)))
		return err;
	se->line = e->line;
	if ((v = ydoc_map_get(e, "map")) && (err = dup_scalar(c, v, "map", &se->map)))
		return err;
	if ((v = ydoc_map_get(e, "name")) && (err = dup_scalar(c, v, "name", &se->event_name)))
		return err;
	if (ydoc_map_get(e, "struct") && ydoc_map_get(e, "fields"))
		return at(c, e, "give either 'struct' (a struct of the object's BTF) or 'fields', not both");
	if ((v = ydoc_map_get(e, "struct"))) {
		if (ydoc_map_get(e, "size"))
			return at(c, ydoc_map_get(e, "size"), "'size' goes with 'fields'; a struct has its own");
		return dup_scalar(c, v, "struct", &se->struct_name);
	}
	if (!ydoc_map_get(e, "fields"))
		return at(c, e, "an event needs 'struct' or 'fields'");
	return parse_fields(c, e, se);
}

static int parse_map(const struct ctx *c, const struct ydoc_node *e, struct schema_file *sf)
{
	static const char *const keys[] = { "map", "name", "units", NULL };
	const struct ydoc_node *v, *u;
	struct schema_entry *se;
	int err;

	if (e->kind != YDOC_MAP)
		return at(c, e, "a map needs a mapping (map, name, units)");
	if ((err = known_keys(c, e, "a map", keys, "map, name, units")) || (err = add_entry(sf, &se)))
		return err;
	se->line = e->line;
	se->snapshot = true;
	if (!(v = ydoc_map_get(e, "map")))
		return at(c, e, "a map entry needs 'map' (the map's name)");
	if ((err = dup_scalar(c, v, "map", &se->map)))
		return err;
	if ((v = ydoc_map_get(e, "name")) && (err = dup_scalar(c, v, "name", &se->event_name)))
		return err;
	if (!(u = ydoc_map_get(e, "units")))
		return 0;
	if (u->kind != YDOC_MAP)
		return at(c, u, "'units' needs a mapping of field names to units, e.g. {slots: us}");
	se->unit_fields = calloc(u->n / 2 + 1, sizeof(char *));
	se->units = calloc(u->n / 2 + 1, sizeof(char *));
	if (!se->unit_fields || !se->units)
		return set_error(ENOMEM, "out of memory");
	for (size_t i = 0; i + 1 < u->n; i += 2) {
		se->unit_fields[se->n_units] = strdup(u->items[i]->text);
		if (!se->unit_fields[se->n_units] ||
		    (err = dup_scalar(c, u->items[i + 1], "units", &se->units[se->n_units]))) {
			free(se->unit_fields[se->n_units]);
			return err ? err : set_error(ENOMEM, "out of memory");
		}
		se->n_units++;
	}
	return 0;
}

static int parse_list(const struct ctx *c, const struct ydoc_node *n, const char *key,
		      struct schema_file *sf, int (*one)(const struct ctx *, const struct ydoc_node *,
							 struct schema_file *))
{
	int err;

	if (n->kind != YDOC_SEQ)
		return at(c, n, "'%s' needs a list", key);
	for (size_t i = 0; i < n->n; i++)
		if ((err = one(c, n->items[i], sf)))
			return err;
	return 0;
}

static int parse_root(const struct ctx *c, const struct ydoc_node *root, struct schema_file *sf)
{
	const struct ydoc_node *ev = ydoc_map_get(root, "events"), *maps = ydoc_map_get(root, "maps");
	int err;

	if (root->kind != YDOC_MAP)
		return at(c, root, "the file needs a mapping at its top: 'events:' and 'maps:', or one "
			  "event's keys (map, name, struct or fields)");
	if (!ev && !maps)
		return parse_event(c, root, sf);
	if ((err = known_keys(c, root, "the file", (const char *const[]){ "events", "maps", NULL },
			      "events, maps")))
		return err;
	if (ev && (err = parse_list(c, ev, "events", sf, parse_event)))
		return err;
	return maps ? parse_list(c, maps, "maps", sf, parse_map) : 0;
}

/* The whole file into a NUL-terminated buffer. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	char *buf;

	if (!f)
		return set_error(errno, "schema file %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || st.st_size > MAX_SCHEMA_FILE) {
		fclose(f);
		return set_error(EFBIG, "schema file %s: larger than %u bytes", path, MAX_SCHEMA_FILE);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fclose(f);
		return set_error(ENOMEM, "out of memory");
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	*out = buf;
	return 0;
}

int schema_file_read(const char *path, struct schema_file *sf)
{
	struct ydoc_error yerr;
	struct ydoc *doc = NULL;
	struct ctx c = { .path = path };
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(sf, 0, sizeof(*sf));
	if ((err = slurp(path, &text, &len)))
		return err;
	err = ydoc_parse(text, len, &doc, &yerr);
	if (err == -EINVAL)
		err = set_error(EINVAL, "schema file %s:%u:%u: %s", path, yerr.line, yerr.col, yerr.msg);
	else if (err)
		err = set_error(ENOMEM, "out of memory");
	else if (doc->n_roots != 1)
		err = set_error(EINVAL, "schema file %s: holds %zu YAML documents; give one", path,
				doc->n_roots);
	else {
		c.doc = doc;
		err = parse_root(&c, doc->roots[0], sf);
	}
	if (!err && !(sf->path = strdup(path)))
		err = set_error(ENOMEM, "out of memory");
	ydoc_free(doc);
	free(text);
	if (err)
		schema_file_free(sf);
	return err;
}

void schema_file_free(struct schema_file *sf)
{
	for (size_t i = 0; i < sf->n; i++) {
		struct schema_entry *se = &sf->e[i];

		free(se->map);
		free(se->event_name);
		free(se->struct_name);
		layout_free(&se->lay);
		for (size_t u = 0; u < se->n_units; u++) {
			free(se->unit_fields[u]);
			free(se->units[u]);
		}
		free(se->unit_fields);
		free(se->units);
	}
	free(sf->e);
	free(sf->path);
	memset(sf, 0, sizeof(*sf));
}
