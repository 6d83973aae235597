/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The object's global variables as config keys: `const volatile` globals
 * in .rodata (the verifier sees their values as constants) and the globals
 * of .data and .bss, typed from BTF: unsigned integers and enums as UINT
 * keys bounded by their size, signed ones as text checked against their
 * range, bools as BOOL, char arrays as strings that must fit. A value is
 * written into the section's initial data before the object is loaded.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

#define MAX_KEY 63
#define MAX_STR_DEFAULT 255

static const char *const sections[] = { ".rodata", ".data", ".bss" };

/* Names that are not parameters: the eunomia BPF header's settings and the
 * annotation markers of eunomia and Inspektor Gadget. */
static bool internal_var(const char *name)
{
	return !strncmp(name, "eun_", 4) || !strncmp(name, "__eun_", 6) ||
	       !strncmp(name, "gadget_", 7) || !strncmp(name, "__gadget_", 9);
}

/* The internal map of section sec (".rodata" matches "opensnoo.rodata"). */
static struct bpf_map *section_map(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *m;
	size_t n = strlen(sec);

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t len = strlen(name);

		if (bpf_map__is_internal(m) && len >= n && !strcmp(name + len - n, sec))
			return m;
	}
	return NULL;
}

/* The section a DATASEC name stands for, or NULL (.kconfig, .maps...). */
static const char *param_section(const char *dsname)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(dsname, sections[i]))
			return sections[i];
	return NULL;
}

/* Kind, size and C type of a global's type; false if it is no parameter. */
static bool param_type(const struct btf *btf, __u32 id, struct param *p, char *ctype, size_t cap)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const char *named = NULL;

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		if (btf_is_typedef(t) && !named)
			named = btf__name_by_offset(btf, t->name_off);
		t = btf__type_by_id(btf, t->type);
	}
	if (!t)
		return false;
	if (btf_is_int(t) && t->size <= 8 && (t->size & (t->size - 1)) == 0 &&
	    !btf_int_offset(t) && btf_int_bits(t) == t->size * 8) {
		uint8_t enc = btf_int_encoding(t);

		p->size = t->size;
		p->kind = (enc & BTF_INT_BOOL) && t->size == 1 ? PARAM_BOOL
			  : (enc & BTF_INT_SIGNED)             ? PARAM_SINT
							       : PARAM_UINT;
	} else if (btf_is_any_enum(t) && t->size <= 8 && (t->size & (t->size - 1)) == 0) {
		p->size = t->size;
		p->kind = btf_kflag(t) ? PARAM_SINT : PARAM_UINT;
	} else if (btf_is_array(t)) {
		const struct btf_type *e = btf__type_by_id(btf, btf_array(t)->type);

		while (e && (btf_is_typedef(e) || btf_is_mod(e)))
			e = btf__type_by_id(btf, e->type);
		if (!e || !btf_is_int(e) || e->size != 1 || btf_array(t)->nelems < 2)
			return false;
		p->size = btf_array(t)->nelems;
		p->kind = PARAM_STR;
		snprintf(ctype, cap, "char[%u]", p->size);
		return true;
	} else {
		return false;
	}
	{
		char base[8];

		if (p->kind == PARAM_BOOL)
			snprintf(base, sizeof(base), "bool");
		else
			snprintf(base, sizeof(base), "%c%u", p->kind == PARAM_SINT ? 's' : 'u', p->size * 8);
		if (named && strcmp(named, "bool"))
			snprintf(ctype, cap, "%s, %s", named, base);
		else
			snprintf(ctype, cap, "%s", base);
	}
	return true;
}

/* Largest value of a size-byte unsigned or signed integer. */
static uint64_t umax(uint32_t size)
{
	return size >= 8 ? UINT64_MAX : (1ull << (size * 8)) - 1;
}

static int64_t smin(uint32_t size)
{
	return size >= 8 ? INT64_MIN : -(int64_t)(1ull << (size * 8 - 1));
}

static int64_t smax(uint32_t size)
{
	return size >= 8 ? INT64_MAX : (int64_t)(1ull << (size * 8 - 1)) - 1;
}

/* The initial value of p in the section data as config text into buf. */
static void default_text(const struct param *p, const char *data, size_t data_size, char *buf,
			 size_t cap)
{
	uint64_t u = 0;

	buf[0] = '\0';
	if (!data || p->offset + p->size > data_size) {
		snprintf(buf, cap, "%s", p->kind == PARAM_BOOL ? "false" : p->kind == PARAM_STR ? "" : "0");
		return;
	}
	data += p->offset;
	switch (p->kind) {
	case PARAM_STR: {
		size_t n = strnlen(data, p->size);

		snprintf(buf, cap, "%.*s", (int)(n < MAX_STR_DEFAULT ? n : MAX_STR_DEFAULT), data);
		for (char *c = buf; *c; c++)
			if ((unsigned char)*c < 0x20)
				*c = '?';
		return;
	}
	case PARAM_BOOL:
		snprintf(buf, cap, "%s", data[0] ? "true" : "false");
		return;
	default:
		memcpy(&u, data, p->size); /* little-endian hosts, as BPF objects loaded here */
		if (p->kind == PARAM_SINT && p->size < 8 && (u >> (p->size * 8 - 1)) & 1)
			u |= ~umax(p->size);
		if (p->kind == PARAM_SINT)
			snprintf(buf, cap, "%" PRId64, (int64_t)u);
		else
			snprintf(buf, cap, "%" PRIu64, u);
	}
}

static bool key_taken(const char *key, const char *const *reserved, const struct param *ps,
		      size_t n)
{
	for (size_t i = 0; i < eun_common_config_count(); i++)
		if (!strcmp(key, eun_common_config_key(i)->name))
			return true;
	for (; reserved && *reserved; reserved++)
		if (!strcmp(key, *reserved))
			return true;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ps[i].key, key))
			return true;
	return false;
}

/* Config key of global var: its name in lower case; "_var" appended when a
 * key of the tracker has that name. NULL if it cannot be a key. */
static char *key_of(const char *var, const char *const *reserved, const struct param *ps, size_t n)
{
	char key[MAX_KEY + 1];
	size_t len = strlen(var);

	if (len + 4 > MAX_KEY)
		return NULL;
	for (size_t i = 0; i <= len; i++) {
		char c = var[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return NULL;
		key[i] = c;
	}
	if (key_taken(key, reserved, ps, n))
		strcat(key, "_var");
	return key_taken(key, reserved, ps, n) ? NULL : strdup(key);
}

static int add_param(struct param **ps, size_t *n, struct param *p, const char *ctype)
{
	struct param *grown = reallocarray(*ps, *n + 1, sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	*ps = grown;
	p->ctype = strdup(ctype);
	if (!p->ctype)
		return -ENOMEM;
	grown[(*n)++] = *p;
	return 0;
}

/* Fill key k for param p. */
static int make_key(const struct param *p, const char *data, size_t data_size,
		    struct eun_config_key *k)
{
	char def[MAX_STR_DEFAULT + 1], desc[256];

	default_text(p, data, data_size, def, sizeof(def));
	memset(k, 0, sizeof(*k));
	k->name = p->key;
	switch (p->kind) {
	case PARAM_BOOL:
		k->type = EUN_CONFIG_BOOL;
		snprintf(desc, sizeof(desc), "global %s (%s, in %s)", p->var, p->ctype, p->sec);
		break;
	case PARAM_UINT:
		k->type = EUN_CONFIG_UINT;
		k->max = umax(p->size);
		snprintf(desc, sizeof(desc), "global %s (%s, in %s): 0 to %" PRIu64, p->var, p->ctype,
			 p->sec, k->max);
		break;
	case PARAM_SINT:
		k->type = EUN_CONFIG_STRING;
		snprintf(desc, sizeof(desc), "global %s (%s, in %s): %" PRId64 " to %" PRId64, p->var,
			 p->ctype, p->sec, smin(p->size), smax(p->size));
		break;
	case PARAM_STR:
		k->type = EUN_CONFIG_STRING;
		snprintf(desc, sizeof(desc), "global %s (%s, in %s): text of at most %u bytes", p->var,
			 p->ctype, p->sec, p->size - 1);
		break;
	}
	k->description = strdup(desc);
	k->default_value = strdup(def);
	return k->description && k->default_value ? 0 : -ENOMEM;
}

int params_read(struct bpf_object *obj, const char *obj_path, const char *const *reserved,
		struct param **params, size_t *n_params, struct eun_config_key **keys)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct param *ps = NULL;
	size_t n = 0;
	__u32 cnt = btf ? btf__type_cnt(btf) : 0;
	int err = 0;

	for (__u32 id = 1; id < cnt && !err; id++) {
		const struct btf_type *ds = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		const char *sec;

		if (!btf_is_datasec(ds) || !(sec = param_section(btf__name_by_offset(btf, ds->name_off))))
			continue;
		vs = btf_var_secinfos(ds);
		for (int i = 0; i < btf_vlen(ds) && !err; i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);
			const char *var = btf__name_by_offset(btf, v->name_off);
			struct param p = { .offset = vs->offset };
			char ctype[64];

			if (!btf_is_var(v) || btf_var(v)->linkage == BTF_VAR_STATIC || internal_var(var) ||
			    !param_type(btf, v->type, &p, ctype, sizeof(ctype)) || p.size != vs->size)
				continue;
			p.key = key_of(var, reserved, ps, n);
			p.var = strdup(var);
			p.sec = strdup(sec);
			if (!p.key || !p.var || !p.sec) {
				if (p.var && p.sec && !p.key)
					log_msg(EUN_LOG_DEBUG, "object %s: global %s cannot be a config "
						"key (its name is not [A-Za-z0-9_] or taken)", obj_path, var);
				free(p.key);
				free(p.var);
				free(p.sec);
				if (p.var && p.sec)
					continue;
				err = -ENOMEM;
				break;
			}
			err = add_param(&ps, &n, &p, ctype);
		}
	}
	if (!err && n && !(*keys = calloc(n, sizeof(**keys))))
		err = -ENOMEM;
	for (size_t i = 0; !err && i < n; i++) {
		struct bpf_map *m = section_map(obj, ps[i].sec);
		size_t size = 0;
		const char *data = m ? bpf_map__initial_value(m, &size) : NULL;

		err = make_key(&ps[i], data, size, &(*keys)[i]);
	}
	if (err) {
		params_free(ps, n ? *keys : NULL, n);
		*keys = NULL;
		return set_error(ENOMEM, "out of memory reading the globals of %s", obj_path);
	}
	if (!n)
		*keys = NULL;
	*params = ps;
	*n_params = n;
	return 0;
}

void params_free(struct param *p, struct eun_config_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].var);
		free(p[i].sec);
		free(p[i].ctype);
		if (keys) {
			free((char *)keys[i].description);
			free((char *)keys[i].default_value);
		}
	}
	free(p);
	free(keys);
}

/* Parse text as p's value into out (p->size bytes). 0 or -EINVAL. */
static int encode(const struct param *p, const char *text, void *out)
{
	char *end;

	memset(out, 0, p->size);
	switch (p->kind) {
	case PARAM_STR:
		if (strlen(text) >= p->size)
			return -EINVAL;
		memcpy(out, text, strlen(text));
		return 0;
	case PARAM_BOOL: {
		static const char *const yes[] = { "true", "1", "yes", "on" };
		static const char *const no[] = { "false", "0", "no", "off" };

		for (size_t i = 0; i < 4; i++) {
			if (!strcasecmp(text, yes[i]) || !strcasecmp(text, no[i])) {
				*(uint8_t *)out = !strcasecmp(text, yes[i]);
				return 0;
			}
		}
		return -EINVAL;
	}
	case PARAM_UINT: {
		unsigned long long v;

		errno = 0;
		if (!*text || *text == '-' || *text == '+')
			return -EINVAL;
		v = text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? strtoull(text + 2, &end, 16)
									: strtoull(text, &end, 10);
		if (*end || errno || v > umax(p->size))
			return -EINVAL;
		memcpy(out, &v, p->size);
		return 0;
	}
	case PARAM_SINT: {
		long long v;

		errno = 0;
		v = strtoll(text, &end, 10);
		if (!*text || *end || errno || v < smin(p->size) || v > smax(p->size))
			return -EINVAL;
		memcpy(out, &v, p->size);
		return 0;
	}
	}
	return -EINVAL;
}

int param_check(const struct param *p, const char *obj_path, const char *text)
{
	char buf[256 + 8];
	void *out = p->size <= sizeof(buf) ? buf : malloc(p->size);
	int err;

	if (!out)
		return set_error(ENOMEM, "out of memory");
	err = encode(p, text, out);
	if (out != buf)
		free(out);
	if (!err)
		return 0;
	if (p->kind == PARAM_STR)
		return set_error(EINVAL, "object %s: config key '%s': '%s' does not fit global %s "
				 "(%s): at most %u bytes", obj_path, p->key, text, p->var, p->ctype,
				 p->size - 1);
	if (p->kind == PARAM_SINT)
		return set_error(EINVAL, "object %s: config key '%s': '%s' does not fit global %s (%s): "
				 "give a decimal number from %" PRId64 " to %" PRId64, obj_path, p->key,
				 text, p->var, p->ctype, smin(p->size), smax(p->size));
	return set_error(EINVAL, "object %s: config key '%s': '%s' does not fit global %s (%s)",
			 obj_path, p->key, text, p->var, p->ctype);
}

int param_apply(const struct param *p, struct bpf_object *obj, const char *text)
{
	struct bpf_map *m = section_map(obj, p->sec);
	size_t size = 0;
	/* libbpf's copy of the section, written before load (as libbpf's skeletons do) */
	char *data = m ? (char *)bpf_map__initial_value(m, &size) : NULL;

	if (!data || p->offset + p->size > size)
		return set_error(ENOENT, "config key '%s': the object has no %s data for global %s",
				 p->key, p->sec, p->var);
	return encode(p, text, data + p->offset) ? -EINVAL : 0;
}
