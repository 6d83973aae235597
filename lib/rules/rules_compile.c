/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Compilation: each rule's checked AST instantiated once per (tracker,
 * event type) pair. Everything fixed for the pair is decided there and
 * folded away: fields the pair lacks make their comparisons false, the
 * tracker, type and evt.type tests become true or false (or a test of the
 * field that tells calls apart, e.g. files.syscall), 'and'/'or' chains are
 * flattened. A rule whose program is not `false` for a pair is indexed
 * under it, so an event meets only the rules that can match it.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

static const struct enode en_false = { .kind = EN_FALSE };
static const struct enode en_true = { .kind = EN_TRUE };

static struct enode *en_new(struct eun_rules *r, enum enode_kind kind, uint32_t n_kids)
{
	struct enode *n = arena_alloc(&r->arena, sizeof(*n));

	if (!n || (n_kids && !(n->kids = arena_alloc(&r->arena, n_kids * sizeof(*n->kids)))))
		return r->oom = true, NULL;
	n->kind = kind;
	n->n_kids = n_kids;
	return n;
}

/* a AND b (or a OR b), folded and flattened. NULL if out of memory. */
static const struct enode *en_join(struct eun_rules *r, enum enode_kind kind, const struct enode *a,
				   const struct enode *b)
{
	const struct enode *absorb = kind == EN_AND ? &en_false : &en_true;
	enum enode_kind absorb_kind = kind == EN_AND ? EN_FALSE : EN_TRUE;
	enum enode_kind neutral_kind = kind == EN_AND ? EN_TRUE : EN_FALSE;
	uint32_t na, nb;
	struct enode *n;

	if (!a || !b)
		return NULL;
	if (a->kind == absorb_kind || b->kind == absorb_kind)
		return absorb;
	if (a->kind == neutral_kind)
		return b;
	if (b->kind == neutral_kind)
		return a;
	na = a->kind == kind ? a->n_kids : 1;
	nb = b->kind == kind ? b->n_kids : 1;
	n = en_new(r, kind, na + nb);
	if (!n)
		return NULL;
	if (a->kind == kind)
		memcpy(n->kids, a->kids, na * sizeof(*n->kids));
	else
		n->kids[0] = a;
	if (b->kind == kind)
		memcpy(n->kids + na, b->kids, nb * sizeof(*n->kids));
	else
		n->kids[na] = b;
	return n;
}

static const struct enode *en_not(struct eun_rules *r, const struct enode *a)
{
	struct enode *n;

	if (!a)
		return NULL;
	if (a->kind == EN_TRUE)
		return &en_false;
	if (a->kind == EN_FALSE)
		return &en_true;
	if (a->kind == EN_NOT)
		return a->kids[0];
	n = en_new(r, EN_NOT, 1);
	if (n)
		n->kids[0] = a;
	return n;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t bytes_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

/* Hash of what a comparison tests: operator, source and values. */
static uint64_t cmp_hash(enum cmp_op op, const struct acc *a, const struct lit_set *l)
{
	uint64_t h = mix(mix(mix(mix(mix(op, a->kind), a->id), (uint64_t)a->idx), a->vtype), (uintptr_t)a->f);

	for (size_t i = 0; l && i < l->n; i++) {
		const struct lit *v = &l->v[i];

		h = mix(h, (uint64_t)v->i);
		h = mix(h, (uint64_t)(v->i >> 64));
		h = bytes_hash(h, v->s ? v->s : "", v->len);
		h = bytes_hash(h, v->ip, sizeof(v->ip));
		h = mix(mix(h, v->bits), v->b);
	}
	return h;
}

static bool lits_same(const struct lit_set *x, const struct lit_set *y)
{
	if (!x || !y)
		return x == y;
	if (x->n != y->n || x->vtype != y->vtype)
		return false;
	for (size_t i = 0; i < x->n; i++) {
		const struct lit *a = &x->v[i], *b = &y->v[i];

		if (a->i != b->i || a->len != b->len || a->bits != b->bits || a->b != b->b ||
		    memcmp(a->ip, b->ip, sizeof(a->ip)) || (a->len && memcmp(a->s, b->s, a->len)))
			return false;
	}
	return true;
}

static bool cmp_same(const struct enode *n, enum cmp_op op, const struct acc *a, const struct lit_set *l)
{
	/* The field itself (f), not only its index: an index means another
	 * field on another event type. */
	return n->op == op && n->acc.kind == a->kind && n->acc.id == a->id && n->acc.idx == a->idx &&
	       n->acc.vtype == a->vtype && n->acc.f == a->f && lits_same(n->lits, l);
}

/* Double the table of distinct comparisons. 0 or -ENOMEM. */
static int cmp_table_grow(struct eun_rules *r)
{
	size_t cap = r->cmp_cap ? r->cmp_cap * 2 : 256;
	struct enode **t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < r->cmp_cap; i++) {
		struct enode *n = r->cmp_table[i];
		size_t s;

		if (!n)
			continue;
		for (s = cmp_hash(n->op, &n->acc, n->lits) & (cap - 1); t[s]; s = (s + 1) & (cap - 1))
			;
		t[s] = n;
	}
	free(r->cmp_table);
	r->cmp_table = t;
	r->cmp_cap = cap;
	return 0;
}

/* The comparison node for (op, acc, lits): the one made already for the
 * same test (in another rule, or a macro), else a new one. */
static const struct enode *en_cmp(struct eun_rules *r, enum cmp_op op, const struct acc *acc,
				  const struct lit_set *lits)
{
	struct enode *n;
	size_t s;

	if (2 * (r->n_memo + 1) > r->cmp_cap && cmp_table_grow(r))
		return r->oom = true, NULL;
	for (s = cmp_hash(op, acc, lits) & (r->cmp_cap - 1); r->cmp_table[s]; s = (s + 1) & (r->cmp_cap - 1))
		if (cmp_same(r->cmp_table[s], op, acc, lits))
			return r->cmp_table[s];
	n = en_new(r, EN_CMP, 0);
	if (!n)
		return NULL;
	n->op = (uint8_t)op;
	n->acc = *acc;
	n->lits = lits;
	n->memo = (uint32_t)++r->n_memo;
	r->cmp_table[s] = n;
	return n;
}

/* An evt.type test on pair pi. */
static const struct enode *inst_evt_type(struct eun_rules *r, const struct ast *a, size_t pi)
{
	const struct evsel *e = &a->evsel->per_pair[pi];
	const struct enode *n = &en_false;

	if (e->all)
		n = &en_true;
	else
		for (size_t i = 0; i < e->n_ref && n; i++)
			n = en_join(r, EN_OR, n, en_cmp(r, OP_IN, &e->ref_acc[i], e->ref_lits[i]));
	return a->op == OP_NE ? en_not(r, n) : n;
}

static const struct enode *inst(struct eun_rules *r, const struct ast *a, size_t pi)
{
	const struct acc *acc;

	switch (a->kind) {
	case AST_AND:
		return en_join(r, EN_AND, inst(r, a->a, pi), inst(r, a->b, pi));
	case AST_OR:
		return en_join(r, EN_OR, inst(r, a->a, pi), inst(r, a->b, pi));
	case AST_NOT:
		return en_not(r, inst(r, a->a, pi));
	case AST_MACRO:
		return inst(r, a->macro->ast, pi);
	case AST_CMP:
		break;
	}
	if (a->res->evt_type)
		return inst_evt_type(r, a, pi);
	acc = &a->res->acc[pi];
	if (acc->kind == ACC_ABSENT)
		return &en_false;
	if (a->op == OP_EXISTS)
		return acc->kind == ACC_DERIVED ? en_cmp(r, OP_EXISTS, acc, NULL) : &en_true;
	if (acc->kind == ACC_CONST) {
		struct val v = { .t = VT_STR, .str = acc->cstr, .len = strlen(acc->cstr) };

		return cmp_eval(a->op, &v, a->lits[VT_STR]) ? &en_true : &en_false;
	}
	return en_cmp(r, a->op, acc, a->lits[acc->vtype]);
}

static int prog_add(struct pair *p, struct rule_def *rule, const struct enode *root)
{
	if (p->n_progs == p->cap_progs) {
		size_t cap = p->cap_progs ? p->cap_progs * 2 : 8;
		struct rule_prog *bigger = realloc(p->progs, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		p->progs = bigger;
		p->cap_progs = cap;
	}
	p->progs[p->n_progs++] = (struct rule_prog){ rule, root };
	return 0;
}

/* "field A, B are not available; event C is not available; ..." */
static const char *reason_of(struct eun_rules *r, const struct missing *m, bool events)
{
	struct strbuf sb = { 0 };
	const char *out;

	if (m->n_fields)
		sb_printf(&sb, "%s %s %s not available", m->n_fields > 1 ? "fields" : "field",
			  m->fields.buf, m->n_fields > 1 ? "are" : "is");
	if (m->n_other)
		sb_printf(&sb, "%s%s %s not available", sb.len ? "; " : "", m->other.buf,
			  m->n_other > 1 ? "are" : "is");
	if (events && m->n_events)
		sb_printf(&sb, "%s%s %s %s not available", sb.len ? "; " : "",
			  m->n_events > 1 ? "events" : "event", m->events.buf, m->n_events > 1 ? "are" : "is");
	out = arena_strndup(&r->arena, sb.buf ? sb.buf : "", sb.len);
	sb_free(&sb);
	if (!out)
		r->oom = true;
	return out ? out : "";
}

/* Check, instantiate and index one rule. */
static int compile_rule(struct eun_rules *r, struct rule_def *rule)
{
	struct missing miss = { 0 };
	struct ast *cond, *exc;
	struct strbuf events = { 0 };
	size_t before = r->n_errors, n_on = 0;
	int err = 0;

	rule->reason = "";
	cond = cond_parse(r, &rule->cond, "rule", rule->name);
	exc = exceptions_ast(r, rule);
	if (r->oom)
		return -ENOMEM;
	if (cond && check_ast(r, cond, "rule", rule->name, &miss, 0) == -ENOMEM)
		return -ENOMEM;
	if (exc && check_ast(r, exc, "rule", rule->name, &miss, 0) == -ENOMEM)
		return -ENOMEM;
	rule->out = output_parse(r, rule);
	if (!rule->out)
		return -ENOMEM;
	if (!cond || rule->broken || r->n_errors != before) {
		rule->status = EUN_RULE_INVALID;
		rule->reason = "it has errors (see the messages of the load)";
		goto out;
	}
	rule->ast = cond;
	if (exc) {
		struct ast *both = arena_alloc(&r->arena, sizeof(*both));

		if (!both)
			return r->oom = true, -ENOMEM;
		*both = (struct ast){ .kind = AST_AND, .loc = cond->loc, .a = cond, .b = exc };
		rule->ast = both;
	}
	if (miss.n_fields || miss.n_other) {
		rule->status = EUN_RULE_UNSUPPORTED;
		rule->reason = reason_of(r, &miss, true);
		goto out;
	}
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct enode *root = inst(r, rule->ast, i);

		if (!root)
			return -ENOMEM;
		if (root->kind == EN_FALSE)
			continue;
		sb_printf(&events, "%s%s", n_on++ ? "," : "", r->pairs[i].label);
		if (rule->enabled && prog_add(&r->pairs[i], rule, root))
			return r->oom = true, -ENOMEM;
	}
	if (events.failed)
		return r->oom = true, -ENOMEM;
	rule->events = events.buf;
	events.buf = NULL;
	if (n_on == 0 && miss.n_events) {
		rule->status = EUN_RULE_UNSUPPORTED;
		rule->reason = reason_of(r, &miss, true);
		goto out;
	}
	rule->status = rule->enabled ? EUN_RULE_LOADED : EUN_RULE_DISABLED;
	if (rule->out->n_missing)
		diag_add(r, EUN_RULES_WARNING, &rule->out->missing_loc, "rule", rule->name,
			 "output %s %s %s not available: written as <NA>",
			 rule->out->n_missing > 1 ? "fields" : "field", rule->out->missing.buf,
			 rule->out->n_missing > 1 ? "are" : "is");
	if (miss.n_events)
		diag_add(r, EUN_RULES_WARNING, &rule->loc, "rule", rule->name, "%s %s %s not available; "
			 "the rule is evaluated on %s", miss.n_events > 1 ? "events" : "event",
			 miss.events.buf, miss.n_events > 1 ? "are" : "is", rule->events);
	if (n_on == 0)
		diag_add(r, EUN_RULES_WARNING, &rule->loc, "rule", rule->name,
			 "the condition cannot be true for any event of the loaded trackers");
	else if (n_on == r->n_pairs && r->n_pairs > 1 && rule->warn_evttypes)
		diag_add(r, EUN_RULES_WARNING, &rule->loc, "rule", rule->name,
			 "the condition tests no evt.type or tracker, so it is evaluated on every event "
			 "of every tracker");
out:
	sb_free(&events);
	missing_free(&miss);
	return err;
}

int compile_rules(struct eun_rules *r)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		if (compile_rule(r, r->rules[i]))
			return -ENOMEM;
	}
	/* Errors in macros no rule uses are errors too: check every macro. */
	for (size_t i = 0; i < r->n_macros; i++) {
		struct macro_def *m = r->macros[i];

		if (m->state == 0) {
			struct ast ref = { .kind = AST_MACRO, .loc = m->loc, .name = m->name };
			struct missing unused = { 0 };
			int err = check_ast(r, &ref, "macro", m->name, &unused, 0);

			missing_free(&unused);
			if (err == -ENOMEM)
				return -ENOMEM;
		}
	}
	if (r->oom)
		return -ENOMEM;
	r->memo = calloc(r->n_memo + 1, sizeof(*r->memo));
	free(r->cmp_table); /* needed only to find the same comparisons */
	r->cmp_table = NULL;
	return r->memo ? 0 : -ENOMEM;
}
