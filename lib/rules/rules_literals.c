/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The values of a comparison, converted once for the type of its field. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_internal.h"

/* Name of the field's declared type, e.g. "u16", or "" for other sources. */
static const char *decl_type(const struct acc *a, char *buf, size_t size)
{
	static const char *const names[] = {
		[EUN_FIELD_U8] = "u8", [EUN_FIELD_U16] = "u16", [EUN_FIELD_U32] = "u32",
		[EUN_FIELD_U64] = "u64", [EUN_FIELD_S8] = "s8", [EUN_FIELD_S16] = "s16",
		[EUN_FIELD_S32] = "s32", [EUN_FIELD_S64] = "s64",
	};

	if (a->kind == ACC_FIELD && a->f->type < sizeof(names) / sizeof(names[0]) && names[a->f->type])
		snprintf(buf, size, "%s", names[a->f->type]);
	else if (a->kind == ACC_HDR)
		snprintf(buf, size, "%s", a->id == HC_TS || a->id == HC_CGROUP_ID ? "u64" : "u32");
	else
		snprintf(buf, size, "%s", a->vtype == VT_SINT ? "s64" : "u64");
	return buf;
}

/* Bounds of the field's integer type. */
static void int_bounds(const struct acc *a, __int128 *lo, __int128 *hi)
{
	char t[8];
	unsigned bits;

	decl_type(a, t, sizeof(t));
	bits = (unsigned)atoi(t + 1);
	if (t[0] == 'u') {
		*lo = 0;
		*hi = ((__int128)1 << bits) - 1;
	} else {
		*lo = -((__int128)1 << (bits - 1));
		*hi = ((__int128)1 << (bits - 1)) - 1;
	}
}

/* Decimal or 0x hexadecimal, with an optional '-'. */
static bool parse_int(const char *s, __int128 *out)
{
	bool neg = *s == '-';
	unsigned base = 10;
	__int128 v = 0;

	if (neg)
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = isdigit((unsigned char)*s) ? *s - '0'
			: base == 16 && isxdigit((unsigned char)*s) ? tolower((unsigned char)*s) - 'a' + 10 : -1;

		if (d < 0)
			return false;
		v = v * base + d;
		if (v > ((__int128)1 << 65)) /* far past any field: stop before overflowing */
			return false;
	}
	*out = neg ? -v : v;
	return true;
}

/* "10.0.0.1", "10.0.0.0/8", "2001:db8::/32" for a field of type t. */
static bool parse_ip(const char *s, enum vtype t, struct lit *l)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max = t == VT_IP4 ? 32 : 128;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(t == VT_IP4 ? AF_INET : AF_INET6, buf, l->ip) != 1)
		return false;
	l->bits = (uint8_t)max;
	if (slash) {
		char *end;
		unsigned long bits = strtoul(slash + 1, &end, 10);

		if (!slash[1] || *end || bits > max)
			return false;
		l->bits = (uint8_t)bits;
	}
	return true;
}

static bool convert(struct eun_rules *r, const struct ast *n, const struct item_val *v, enum vtype t,
		    const struct acc *ex, struct lit *l, const char *kind, const char *item)
{
	char ty[8];
	__int128 lo, hi;

	switch (t) {
	case VT_UINT:
	case VT_SINT:
		if (!parse_int(v->text, &l->i)) {
			diag_add(r, EUN_RULES_ERROR, &v->loc, kind, item, "'%s' is not a number ('%s' is %s)",
				 v->text, n->field, decl_type(ex, ty, sizeof(ty)));
			return false;
		}
		int_bounds(ex, &lo, &hi);
		if (l->i < lo || l->i > hi) {
			diag_add(r, EUN_RULES_ERROR, &v->loc, kind, item, "%s is out of range for '%s' (%s)",
				 v->text, n->field, decl_type(ex, ty, sizeof(ty)));
			return false;
		}
		return true;
	case VT_BOOL:
		if (!strcasecmp(v->text, "true") || !strcasecmp(v->text, "false")) {
			l->b = !strcasecmp(v->text, "true");
			return true;
		}
		diag_add(r, EUN_RULES_ERROR, &v->loc, kind, item, "'%s' is not true or false ('%s' is a "
			 "boolean)", v->text, n->field);
		return false;
	case VT_IP4:
	case VT_IP6:
		if (parse_ip(v->text, t, l))
			return true;
		diag_add(r, EUN_RULES_ERROR, &v->loc, kind, item, "'%s' is not %s or network ('%s' is %s)",
			 v->text, t == VT_IP4 ? "an IPv4 address" : "an IPv6 address", n->field,
			 t == VT_IP4 ? "ipv4" : "ipv6");
		return false;
	case VT_STR:
		l->len = v->len;
		if (n->op == OP_PMATCH)
			while (l->len > 1 && v->text[l->len - 1] == '/')
				l->len--;
		if (n->op == OP_ICONTAINS) {
			char *low = arena_strndup(&r->arena, v->text, v->len);

			if (!low)
				return r->oom = true, false;
			for (size_t i = 0; i < v->len; i++)
				low[i] = (char)tolower((unsigned char)low[i]);
			l->s = low;
		} else {
			l->s = v->text;
		}
		return true;
	default:
		return false;
	}
}

const struct lit_set *literals_for(struct eun_rules *r, struct ast *n, enum vtype t,
				   const struct acc *example, const char *kind, const char *item)
{
	struct lit_set *set;
	bool ok = true;

	if (n->lits[t])
		return n->lits[t];
	set = arena_alloc(&r->arena, sizeof(*set));
	if (!set || !(set->v = arena_alloc(&r->arena, (n->n_flat ? n->n_flat : 1) * sizeof(*set->v))))
		return r->oom = true, NULL;
	set->vtype = t;
	set->n = n->n_flat;
	for (size_t i = 0; i < n->n_flat; i++)
		ok &= convert(r, n, &n->flat[i], t, example, &set->v[i], kind, item);
	if (!ok)
		return NULL;
	n->lits[t] = set;
	return set;
}
