/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The checks of a condition before it is compiled: macros found, parsed
 * and checked once (loops refused), list names expanded, fields resolved,
 * operators checked against the fields' types and values converted. What
 * the engine lacks (fields, events, operators) is collected, not reported:
 * it makes the rule "not supported".
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

#define ERR(r, loc, kind, item, ...) diag_add((r), EUN_RULES_ERROR, (loc), (kind), (item), __VA_ARGS__)

void missing_add(struct strbuf *sb, size_t *count, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = sb->buf; p && (p = strstr(p, name)); p += n)
		if ((p == sb->buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	sb_printf(sb, "%s%s", *count ? ", " : "", name);
	++*count;
}

void missing_free(struct missing *m)
{
	sb_free(&m->fields);
	sb_free(&m->events);
	sb_free(&m->other);
}

/* Add what a macro lacks to what its user lacks. */
static void miss_merge(struct missing *to, const struct missing *from)
{
	const struct strbuf *src[3] = { &from->fields, &from->events, &from->other };
	struct strbuf *dst[3] = { &to->fields, &to->events, &to->other };
	size_t *cnt[3] = { &to->n_fields, &to->n_events, &to->n_other };

	for (int k = 0; k < 3; k++) {
		char *copy = src[k]->buf ? strdup(src[k]->buf) : NULL, *save = NULL;

		for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save))
			missing_add(dst[k], cnt[k], tok + (*tok == ' '));
		free(copy);
	}
}

/* ---- list names ----------------------------------------------------- */

/* Walk values v, lists expanded: count them into *count, and with out,
 * store them there too (a first walk counts and reports loops, a second
 * one fills). 0, -EINVAL after an error, -ENOMEM. */
static int expand_into(struct eun_rules *r, const struct item_val *v, size_t n, struct item_val *out,
		       size_t *count, int depth, const char *kind, const char *item)
{
	for (size_t i = 0; i < n; i++) {
		struct list_def *l = v[i].quoted ? NULL : find_list(r, v[i].text, v[i].len);
		int err;

		if (!l) {
			struct item_val copy = v[i];

			/* A list's items are values as a condition writes them: "x" is x. */
			if (out && !copy.quoted && copy.len >= 2 && (copy.text[0] == '"' || copy.text[0] == '\'') &&
			    copy.text[copy.len - 1] == copy.text[0]) {
				copy.text = arena_strndup(&r->arena, copy.text + 1, copy.len - 2);
				copy.len -= 2;
				copy.quoted = true;
				if (!copy.text)
					return r->oom = true, -ENOMEM;
			}
			if (out)
				out[*count] = copy;
			++*count;
			continue;
		}
		if (l->visiting) {
			ERR(r, &v[i].loc, kind, item, "list '%s' contains itself", l->name);
			return -EINVAL;
		}
		if (depth >= RULES_MAX_MACRO_DEPTH) {
			ERR(r, &v[i].loc, kind, item, "lists nest deeper than %d levels", RULES_MAX_MACRO_DEPTH);
			return -EINVAL;
		}
		l->visiting = 1;
		err = expand_into(r, l->items, l->n_items, out, count, depth + 1, kind, item);
		l->visiting = 0;
		if (err)
			return err;
	}
	return 0;
}

/* n's values with every list name replaced by the list's items. */
static int expand_lists(struct eun_rules *r, struct ast *n, const char *kind, const char *item)
{
	size_t count = 0;
	int err;

	if (!n->list) {
		n->flat = n->vals;
		n->n_flat = n->n_vals;
		return 0;
	}
	err = expand_into(r, n->vals, n->n_vals, NULL, &count, 0, kind, item);
	if (err || !count)
		return err;
	n->flat = arena_alloc(&r->arena, count * sizeof(*n->flat));
	if (!n->flat)
		return r->oom = true, -ENOMEM;
	n->n_flat = 0;
	return expand_into(r, n->vals, n->n_vals, n->flat, &n->n_flat, 0, kind, item);
}

/* ---- evt.type ------------------------------------------------------- */

/* A literal set of the values of set (NULL: none) and one more, s or num. */
static const struct lit_set *lits_plus(struct eun_rules *r, const struct lit_set *set, enum vtype t,
				       const char *s, long long num)
{
	size_t n = set ? set->n : 0;
	struct lit_set *out = arena_alloc(&r->arena, sizeof(*out));

	if (!out || !(out->v = arena_alloc(&r->arena, (n + 1) * sizeof(*out->v))))
		return r->oom = true, NULL;
	if (n)
		memcpy(out->v, set->v, n * sizeof(*out->v));
	out->vtype = t;
	out->n = n + 1;
	if (s) {
		out->v[n].s = s;
		out->v[n].len = strlen(s);
	} else {
		out->v[n].i = num;
	}
	return out;
}

/* Let pair p be selected by a value of an evt.type test, refined by
 * field = str (or num): values refining the same field share one 'in'. */
static int evsel_add(struct eun_rules *r, struct evsel *e, const struct pair *p, const char *field,
		     const char *str, long long num)
{
	struct acc *accs;
	const struct lit_set **lits;
	int fi = -1;

	if (field)
		for (uint32_t i = 0; i < p->type->n_fields; i++)
			if (!strcmp(p->type->fields[i].name, field))
				fi = (int)i;
	if (fi < 0) {
		e->all = true;
		return 0;
	}
	for (size_t k = 0; k < e->n_ref; k++) {
		if (e->ref_acc[k].idx != fi)
			continue;
		e->ref_lits[k] = lits_plus(r, e->ref_lits[k], e->ref_acc[k].vtype, str, num);
		return e->ref_lits[k] ? 0 : -ENOMEM;
	}
	accs = arena_alloc(&r->arena, (e->n_ref + 1) * sizeof(*accs));
	lits = arena_alloc(&r->arena, (e->n_ref + 1) * sizeof(*lits));
	if (!accs || !lits)
		return r->oom = true, -ENOMEM;
	mem_copy(accs, e->ref_acc, e->n_ref * sizeof(*accs));
	mem_copy(lits, e->ref_lits, e->n_ref * sizeof(*lits));
	accs[e->n_ref] = (struct acc){ .kind = ACC_FIELD, .idx = fi, .f = &p->type->fields[fi],
		.vtype = str ? VT_STR : p->type->fields[fi].type >= EUN_FIELD_S8 &&
			 p->type->fields[fi].type <= EUN_FIELD_S64 ? VT_SINT : VT_UINT };
	lits[e->n_ref] = lits_plus(r, NULL, accs[e->n_ref].vtype, str, num);
	if (!lits[e->n_ref])
		return -ENOMEM;
	e->ref_acc = accs;
	e->ref_lits = lits;
	e->n_ref++;
	return 0;
}

static int pair_index(const struct eun_rules *r, const char *label)
{
	for (size_t i = 0; i < r->n_pairs; i++)
		if (!strcmp(r->pairs[i].label, label))
			return (int)i;
	return -1;
}

/* What each value of an evt.type test selects, per pair. */
static int check_evt_type(struct eun_rules *r, struct ast *n, const char *kind, const char *item,
			  struct missing *miss)
{
	struct evsel_set *es;

	if (n->op != OP_EQ && n->op != OP_NE && n->op != OP_IN) {
		ERR(r, &n->op_loc, kind, item, "evt.type is compared with =, != or in, not '%s'", n->op_name);
		return -EINVAL;
	}
	es = arena_alloc(&r->arena, sizeof(*es));
	if (!es || !(es->per_pair = arena_alloc(&r->arena, (r->n_pairs ? r->n_pairs : 1) * sizeof(struct evsel))))
		return r->oom = true, -ENOMEM;
	for (size_t i = 0; i < n->n_flat; i++) {
		const struct item_val *v = &n->flat[i];
		const char *dot = memchr(v->text, '.', v->len);
		bool found = false;

		for (size_t k = 0; k < n_falco_events && !found; k++) {
			const struct falco_event *fe = &falco_events[k];
			char label[128];
			int pi;

			if (strcmp(fe->name, v->text))
				continue;
			found = true;
			snprintf(label, sizeof(label), "%s.%s", fe->tracker, fe->type);
			pi = pair_index(r, label);
			if (pi < 0) {
				char *why = arena_printf(&r->arena, "%s (it needs the %s tracker)", v->text, fe->tracker);

				if (!why)
					return r->oom = true, -ENOMEM;
				missing_add(&miss->events, &miss->n_events, why);
			} else if (evsel_add(r, &es->per_pair[pi], &r->pairs[pi], fe->field, fe->str, fe->num)) {
				return -ENOMEM;
			}
		}
		if (found)
			continue;
		if (dot && pairs_of_tracker(r, v->text, (size_t)(dot - v->text), &(size_t){ 0 }, &(size_t){ 0 })) {
			int pi = pair_index(r, v->text);

			if (pi >= 0) {
				es->per_pair[pi].all = true;
				continue;
			}
			const char **labels = arena_alloc(&r->arena, (r->n_pairs + 1) * sizeof(*labels));

			if (!labels)
				return r->oom = true, -ENOMEM;
			for (size_t k = 0; k < r->n_pairs; k++)
				labels[k] = r->pairs[k].label;
			const char *close = suggest(v->text, labels, r->n_pairs);

			if (close)
				ERR(r, &v->loc, kind, item, "no event '%s'; did you mean '%s'?", v->text, close);
			else
				ERR(r, &v->loc, kind, item, "no event '%s' (see eunomia list %.*s)", v->text,
				    (int)(dot - v->text), v->text);
			return -EINVAL;
		}
		missing_add(&miss->events, &miss->n_events, v->text);
	}
	n->evsel = es;
	return 0;
}

/* ---- comparisons ---------------------------------------------------- */

/* Can op test a value of type t? The message says why not. */
static const char *op_refused(enum cmp_op op, enum vtype t)
{
	switch (op) {
	case OP_EXISTS:
		return NULL;
	case OP_EQ: case OP_NE: case OP_IN:
		return t == VT_HIST ? "a histogram can only be tested with exists" : NULL;
	case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		return t == VT_UINT || t == VT_SINT ? NULL : "needs a number";
	case OP_CONTAINS: case OP_ICONTAINS: case OP_STARTSWITH: case OP_ENDSWITH: case OP_GLOB:
	case OP_PMATCH:
		return t == VT_STR ? NULL : "needs a string";
	default:
		return NULL;
	}
}

static bool op_takes_list(enum cmp_op op)
{
	return op == OP_IN || op == OP_PMATCH;
}

static int check_cmp(struct eun_rules *r, struct ast *n, const char *kind, const char *item,
		     struct missing *miss)
{
	struct field_res *res;
	bool seen[VT_COUNT] = { false };
	size_t before = r->n_errors;

	if (n->unsupported)
		missing_add(&miss->other, &miss->n_other, n->unsupported);
	if (n->op == OP_UNSUPPORTED) {
		char *why = arena_printf(&r->arena, "operator %s", n->op_name);

		if (!why)
			return r->oom = true, -ENOMEM;
		missing_add(&miss->other, &miss->n_other, why);
	}
	if (n->unsupported)
		return 0;
	res = n->res = field_resolve(r, n->field);
	if (!res)
		return -ENOMEM;
	if (res->status == RES_ERROR) {
		ERR(r, &n->field_loc, kind, item, "%s", res->why);
		return -EINVAL;
	}
	if (res->status == RES_UNAVAILABLE)
		missing_add(&miss->fields, &miss->n_fields, res->missing);
	if (n->op == OP_UNSUPPORTED)
		return 0;
	if (expand_lists(r, n, kind, item))
		return r->oom ? -ENOMEM : -EINVAL;
	if (n->op != OP_EXISTS) {
		if (op_takes_list(n->op) && !n->list) {
			n->list = true; /* "in NAME": a list name without parentheses */
			if (expand_lists(r, n, kind, item))
				return r->oom ? -ENOMEM : -EINVAL;
		} else if (!op_takes_list(n->op) && n->list) {
			ERR(r, &n->op_loc, kind, item, "operator '%s' compares with one value, not a list%s",
			    n->op_name, n->op == OP_EQ ? " (use in)" : "");
			return -EINVAL;
		}
	}
	if (res->status == RES_UNAVAILABLE)
		return 0;
	if (res->evt_type)
		return check_evt_type(r, n, kind, item, miss);
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct acc *a = &res->acc[i];
		const char *why;

		if (a->kind == ACC_ABSENT || seen[a->vtype])
			continue;
		seen[a->vtype] = true;
		why = op_refused(n->op, (enum vtype)a->vtype);
		if (why) {
			ERR(r, &n->op_loc, kind, item, "operator '%s' %s, but '%s' is %s", n->op_name, why,
			    n->field, vtype_desc((enum vtype)a->vtype));
			return -EINVAL;
		}
		if (n->op != OP_EXISTS && !literals_for(r, n, (enum vtype)a->vtype, a, kind, item))
			return r->oom ? -ENOMEM : -EINVAL;
	}
	return r->n_errors == before ? 0 : -EINVAL;
}

/* ---- macros --------------------------------------------------------- */

static int check_macro_ref(struct eun_rules *r, struct ast *n, const char *kind, const char *item,
			   struct missing *miss, int depth)
{
	struct macro_def *m = find_macro(r, n->name);
	struct missing *mm;
	int err;

	if (!m) {
		struct field_res *res = field_resolve(r, n->name);
		const char **names;
		const char *close;

		if (!res)
			return -ENOMEM;
		if (res->status == RES_OK) {
			ERR(r, &n->loc, kind, item, "'%s' is a field: compare it (%s = VALUE) or test it "
			    "(%s exists)", n->name, n->name, n->name);
			return -EINVAL;
		}
		names = arena_alloc(&r->arena, (r->n_macros + 1) * sizeof(*names));
		if (!names)
			return r->oom = true, -ENOMEM;
		for (size_t i = 0; i < r->n_macros; i++)
			names[i] = r->macros[i]->name;
		close = suggest(n->name, names, r->n_macros);
		if (close)
			ERR(r, &n->loc, kind, item, "undefined macro '%s'; did you mean '%s'?", n->name, close);
		else
			ERR(r, &n->loc, kind, item, "undefined macro '%s'", n->name);
		return -EINVAL;
	}
	n->macro = m;
	if (m->state == 1) {
		struct strbuf path = { 0 };
		size_t from = 0;

		while (from < r->n_macro_stack && r->macro_stack[from] != m)
			from++;
		for (size_t i = from; i < r->n_macro_stack; i++)
			sb_printf(&path, "%s -> ", r->macro_stack[i]->name);
		sb_adds(&path, m->name);
		ERR(r, &n->loc, kind, item, "macro '%s' refers to itself: %s", m->name,
		    path.buf ? path.buf : m->name);
		sb_free(&path);
		return -EINVAL;
	}
	if (depth >= RULES_MAX_MACRO_DEPTH) {
		ERR(r, &n->loc, kind, item, "macros nest deeper than %d levels", RULES_MAX_MACRO_DEPTH);
		return -EINVAL;
	}
	if (m->state == 0) {
		m->state = 1;
		r->macro_stack[r->n_macro_stack++] = m;
		m->ast = cond_parse(r, &m->cond, "macro", m->name);
		m->failed = !m->ast;
		if (m->ast && check_ast(r, m->ast, "macro", m->name, &m->miss, depth + 1))
			m->failed = true;
		r->n_macro_stack--;
		m->state = 2;
	}
	mm = &m->miss;
	miss_merge(miss, mm);
	err = m->failed ? -EINVAL : 0; /* the rule is invalid through its macro */
	return r->oom ? -ENOMEM : err;
}

int check_ast(struct eun_rules *r, struct ast *a, const char *kind, const char *item,
	      struct missing *miss, int depth)
{
	int e1, e2;

	if (!a || r->oom)
		return r->oom ? -ENOMEM : 0;
	switch (a->kind) {
	case AST_AND:
	case AST_OR:
		e1 = check_ast(r, a->a, kind, item, miss, depth);
		e2 = check_ast(r, a->b, kind, item, miss, depth);
		return e1 == -ENOMEM || e2 == -ENOMEM ? -ENOMEM : e1 ? e1 : e2;
	case AST_NOT:
		return check_ast(r, a->a, kind, item, miss, depth);
	case AST_MACRO:
		return check_macro_ref(r, a, kind, item, miss, depth);
	case AST_CMP:
		if (a->bad)
			return -EINVAL;
		e1 = check_cmp(r, a, kind, item, miss);
		a->bad = e1 != 0;
		return e1;
	}
	return 0;
}
