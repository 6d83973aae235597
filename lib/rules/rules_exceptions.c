/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A rule's exceptions: tuples of fields, comparisons and rows of values.
 * Read from YAML here, and lowered at compile into the condition
 * `... and not ((f1 c1 v1 and f2 c2 v2) or (...))`, one such term per
 * exception.
 */
#include <string.h>

#include "rules/rules_internal.h"

#define EXC_ERR(r, rule, src, node, ...) \
	diag_add((r), EUN_RULES_ERROR, &(struct src_loc){ .file = (src)->name, .line = (node)->line, \
		 .col = (node)->col }, "rule", (rule)->name, __VA_ARGS__)

static struct item_val val_of(const struct rules_source *src, const struct ydoc_node *n)
{
	return (struct item_val){ .text = n->text, .len = n->len,
		.quoted = n->style == YDOC_SINGLE_QUOTED || n->style == YDOC_DOUBLE_QUOTED,
		.loc = node_loc(src, n) };
}

/* A scalar, or a sequence of scalars, into vals. -1 on error. */
static int names_of(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
		    const char *key, const struct ydoc_node *v, struct item_val **out, size_t *n, bool *single)
{
	*single = v->kind == YDOC_SCALAR;
	if (*single) {
		if (!(*out = arena_alloc(&r->arena, sizeof(**out))))
			return r->oom = true, -1;
		(*out)[0] = val_of(src, v);
		*n = 1;
		return 0;
	}
	if (v->kind != YDOC_SEQ) {
		EXC_ERR(r, rule, src, v, "exception '%s' must be a name or a sequence of them", key);
		return -1;
	}
	*n = v->n;
	if (v->n && !(*out = arena_alloc(&r->arena, v->n * sizeof(**out))))
		return r->oom = true, -1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YDOC_SCALAR) {
			EXC_ERR(r, rule, src, v->items[i], "each entry of exception '%s' must be a name", key);
			return -1;
		}
		(*out)[i] = val_of(src, v->items[i]);
	}
	return 0;
}

/* One cell: a value, or a sequence of values (a list for in/pmatch). */
static int cell_of(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
		   const struct ydoc_node *v, struct exc_cell *c)
{
	c->loc = node_loc(src, v);
	if (v->kind == YDOC_SCALAR) {
		if (!(c->items = arena_alloc(&r->arena, sizeof(*c->items))))
			return r->oom = true, -1;
		c->items[0] = val_of(src, v);
		c->n = 1;
		return 0;
	}
	if (v->kind != YDOC_SEQ) {
		EXC_ERR(r, rule, src, v, "an exception value must be a value or a sequence of values");
		return -1;
	}
	c->is_list = true;
	c->n = v->n;
	if (v->n && !(c->items = arena_alloc(&r->arena, v->n * sizeof(*c->items))))
		return r->oom = true, -1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YDOC_SCALAR) {
			EXC_ERR(r, rule, src, v->items[i], "values nest at most two sequences deep");
			return -1;
		}
		c->items[i] = val_of(src, v->items[i]);
	}
	return 0;
}

/* The values: rows of n_fields cells, or single values for a single field. */
static int rows_of(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
		   const struct exc_def *e, const struct ydoc_node *v, struct exc_row **out, size_t *n)
{
	if (v->kind != YDOC_SEQ) {
		EXC_ERR(r, rule, src, v, "exception values must be a sequence");
		return -1;
	}
	*n = v->n;
	*out = v->n ? arena_alloc(&r->arena, v->n * sizeof(**out)) : NULL;
	if (v->n && !*out)
		return r->oom = true, -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct ydoc_node *row = v->items[i];
		struct exc_row *dst = &(*out)[i];

		dst->loc = node_loc(src, row);
		if (e->single) {
			dst->n = 1;
			if (!(dst->cells = arena_alloc(&r->arena, sizeof(*dst->cells))))
				return r->oom = true, -1;
			if (cell_of(r, rule, src, row, &dst->cells[0]))
				return -1;
			continue;
		}
		if (row->kind != YDOC_SEQ || row->n != e->n_fields) {
			EXC_ERR(r, rule, src, row, "exception '%s' has %zu fields, so each of its values "
				"must be a sequence of %zu", e->name, e->n_fields, e->n_fields);
			return -1;
		}
		dst->n = row->n;
		if (!(dst->cells = arena_alloc(&r->arena, row->n * sizeof(*dst->cells))))
			return r->oom = true, -1;
		for (size_t j = 0; j < row->n; j++)
			if (cell_of(r, rule, src, row->items[j], &dst->cells[j]))
				return -1;
	}
	return 0;
}

static struct exc_def *find_exc(struct rule_def *rule, const char *name)
{
	for (size_t i = 0; i < rule->n_exc; i++)
		if (!strcmp(rule->exc[i].name, name))
			return &rule->exc[i];
	return NULL;
}

/* Read one exception mapping into e (new) or onto old (append of values). */
static int exception_read(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
			  const struct ydoc_node *m, bool append)
{
	static const char *const keys[] = { "name", "fields", "comps", "values" };
	const struct ydoc_node *name = ydoc_map_get(m, "name"), *fields = ydoc_map_get(m, "fields");
	const struct ydoc_node *comps = ydoc_map_get(m, "comps"), *values = ydoc_map_get(m, "values");
	struct exc_def e = { 0 }, *old;
	bool single_comp;
	struct exc_row *rows;
	size_t n_rows;

	if (m->kind != YDOC_MAP) {
		EXC_ERR(r, rule, src, m, "each exception must be a mapping with name, fields, comps and values");
		return -1;
	}
	for (size_t i = 0; i < m->n; i += 2) {
		const struct ydoc_node *k = m->items[i];
		bool known = false;

		for (size_t j = 0; j < 4; j++)
			known |= !strcmp(k->text, keys[j]);
		if (!known) {
			const char *s = suggest(k->text, keys, 4);

			EXC_ERR(r, rule, src, k, "unknown exception key '%s'%s%s%s", k->text,
				s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
			return -1;
		}
	}
	if (!name || name->kind != YDOC_SCALAR || !name->len) {
		EXC_ERR(r, rule, src, name ? name : m, "an exception needs a name");
		return -1;
	}
	old = append ? find_exc(rule, name->text) : NULL;
	if (old) {
		if (fields || comps) {
			EXC_ERR(r, rule, src, fields ? fields : comps, "exception '%s' is defined already: "
				"an append gives only its name and more values", name->text);
			return -1;
		}
		if (!values)
			return 0;
		if (rows_of(r, rule, src, old, values, &rows, &n_rows))
			return -1;
		struct exc_row *all = arena_alloc(&r->arena, (old->n_rows + n_rows) * sizeof(*all) + 1);

		if (!all)
			return r->oom = true, -1;
		mem_copy(all, old->rows, old->n_rows * sizeof(*all));
		mem_copy(all + old->n_rows, rows, n_rows * sizeof(*all));
		old->rows = all;
		old->n_rows += n_rows;
		return 0;
	}
	if (find_exc(rule, name->text)) {
		EXC_ERR(r, rule, src, name, "exception '%s' is given twice", name->text);
		return -1;
	}
	e.name = name->text;
	e.loc = node_loc(src, name);
	if (!fields) {
		EXC_ERR(r, rule, src, name, "exception '%s' has no fields", e.name);
		return -1;
	}
	if (names_of(r, rule, src, "fields", fields, &e.fields, &e.n_fields, &e.single))
		return -1;
	if (comps) {
		if (names_of(r, rule, src, "comps", comps, &e.comps, &e.n_comps, &single_comp))
			return -1;
		if (single_comp != e.single || e.n_comps != e.n_fields) {
			EXC_ERR(r, rule, src, comps, "exception '%s' needs one comparison per field "
				"(%zu), not %zu", e.name, e.n_fields, e.n_comps);
			return -1;
		}
	}
	if (values && rows_of(r, rule, src, &e, values, &e.rows, &e.n_rows))
		return -1;
	{
		struct exc_def *all = arena_alloc(&r->arena, (rule->n_exc + 1) * sizeof(*all));

		if (!all)
			return r->oom = true, -1;
		mem_copy(all, rule->exc, rule->n_exc * sizeof(*all));
		all[rule->n_exc] = e;
		rule->exc = all;
		rule->n_exc++;
	}
	return 0;
}

int exceptions_read(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
		    const struct ydoc_node *seq, bool append)
{
	int err = 0;

	if (seq->kind == YDOC_SCALAR && seq->len == 0 && seq->style == YDOC_PLAIN)
		return 0;
	if (seq->kind != YDOC_SEQ) {
		EXC_ERR(r, rule, src, seq, "exceptions must be a sequence of mappings");
		return -1;
	}
	for (size_t i = 0; i < seq->n; i++)
		if (exception_read(r, rule, src, seq->items[i], append))
			err = -1;
	return err;
}

/* ---- lowering ------------------------------------------------------- */

static struct ast *node(struct eun_rules *r, enum ast_kind kind, struct src_loc loc,
			struct ast *a, struct ast *b)
{
	struct ast *n = arena_alloc(&r->arena, sizeof(*n));

	if (!n)
		return r->oom = true, NULL;
	n->kind = kind;
	n->loc = loc;
	n->a = a;
	n->b = b;
	return n;
}

/* field COMP value(s), for one field of an exception. */
static struct ast *comparison(struct eun_rules *r, struct rule_def *rule, const struct exc_def *e,
			      size_t f, struct item_val *vals, size_t n, bool list)
{
	const struct item_val *comp = e->n_comps ? &e->comps[f] : NULL;
	struct ast *c = node(r, AST_CMP, e->fields[f].loc, NULL, NULL);
	int op = comp ? cmp_op_lookup(comp->text, comp->len) : OP_EQ;

	if (!c)
		return NULL;
	if (op < 0) {
		diag_add(r, EUN_RULES_ERROR, &comp->loc, "rule", rule->name,
			 "exception '%s': unknown comparison '%s'", e->name, comp->text);
		c->bad = true;
		op = OP_EQ;
	}
	c->field = e->fields[f].text;
	c->field_loc = e->fields[f].loc;
	c->op = (enum cmp_op)op;
	c->op_name = comp ? comp->text : "=";
	c->op_loc = comp ? comp->loc : e->fields[f].loc;
	/* in and pmatch take a list: a single value is a list name or a one-item list. */
	c->list = list || op == OP_IN || op == OP_PMATCH;
	c->vals = vals;
	c->n_vals = n;
	if (op == OP_EXISTS)
		c->n_vals = 0;
	return c;
}

/* One exception as "(row1) or (row2) ...", NULL with nothing to add. */
static struct ast *exception_ast(struct eun_rules *r, struct rule_def *rule, const struct exc_def *e)
{
	struct ast *any = NULL;

	if (e->single && e->n_rows && e->n_comps &&
	    (cmp_op_lookup(e->comps[0].text, e->comps[0].len) == OP_IN ||
	     cmp_op_lookup(e->comps[0].text, e->comps[0].len) == OP_PMATCH)) {
		/* One field compared with in/pmatch: all values make one list. */
		size_t n = 0, k = 0;
		struct item_val *all;

		for (size_t i = 0; i < e->n_rows; i++)
			n += e->rows[i].cells[0].n;
		all = arena_alloc(&r->arena, n * sizeof(*all) + 1);
		if (!all)
			return r->oom = true, NULL;
		for (size_t i = 0; i < e->n_rows; i++)
			for (size_t j = 0; j < e->rows[i].cells[0].n; j++)
				all[k++] = e->rows[i].cells[0].items[j];
		return comparison(r, rule, e, 0, all, n, true);
	}
	for (size_t i = 0; i < e->n_rows; i++) {
		const struct exc_row *row = &e->rows[i];
		struct ast *all = NULL;

		for (size_t f = 0; f < row->n; f++) {
			struct ast *c = comparison(r, rule, e, f, row->cells[f].items, row->cells[f].n,
						   row->cells[f].is_list);

			if (!c)
				return NULL;
			all = all ? node(r, AST_AND, row->loc, all, c) : c;
			if (!all)
				return NULL;
		}
		any = any ? node(r, AST_OR, row->loc, any, all) : all;
		if (!any)
			return NULL;
	}
	return any;
}

struct ast *exceptions_ast(struct eun_rules *r, struct rule_def *rule)
{
	struct ast *out = NULL;

	for (size_t i = 0; i < rule->n_exc; i++) {
		struct ast *e = exception_ast(r, rule, &rule->exc[i]), *not;

		if (!e)
			continue; /* no values (or out of memory: r->oom) */
		not = node(r, AST_NOT, rule->exc[i].loc, e, NULL);
		out = out ? node(r, AST_AND, rule->exc[i].loc, out, not) : not;
		if (!out)
			return NULL;
	}
	return out;
}
