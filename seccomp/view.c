// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * What profiles allow, per syscall name: allowed without conditions, or
 * under a set of argument conditions, or denied by a rule of its own. The
 * common ground of merge, diff and the rules written for a recording.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

struct sc_view_entry *sc_view_find(const struct sc_view *view, const char *name)
{
	for (size_t i = 0; i < view->n; i++)
		if (!strcmp(view->v[i].name, name))
			return &view->v[i];
	return NULL;
}

static struct sc_view_entry *entry_of(struct sc_view *view, const char *name)
{
	struct sc_view_entry *e = sc_view_find(view, name);

	if (e)
		return e;
	e = sc_grow(&view->v, &view->n, &view->cap, sizeof(*e));
	if (!e)
		return NULL;
	if (!(e->name = strdup(name))) {
		view->n--;
		return NULL;
	}
	return e;
}

static int by_index(const void *a, const void *b)
{
	const struct sc_arg *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->value_two < y->value_two ? -1 : x->value_two > y->value_two;
}

bool sc_cond_equal(const struct sc_cond *a, const struct sc_cond *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (by_index(&a->args[i], &b->args[i]))
			return false;
	return true;
}

static int add_cond(struct sc_view_entry *e, const struct sc_arg *args, size_t n)
{
	struct sc_cond c = { .n = n }, *slot;

	c.args = malloc(n * sizeof(*args));
	if (!c.args)
		return -ENOMEM;
	memcpy(c.args, args, n * sizeof(*args));
	qsort(c.args, n, sizeof(*c.args), by_index);
	for (size_t i = 0; i < e->n_conds; i++)
		if (sc_cond_equal(&e->conds[i], &c)) {
			free(c.args);
			return 0;
		}
	slot = sc_grow(&e->conds, &e->n_conds, &e->cap_conds, sizeof(*slot));
	if (!slot) {
		free(c.args);
		return -ENOMEM;
	}
	*slot = c;
	return 0;
}

int sc_view_add(struct sc_view *view, const struct eun_seccomp_profile *p)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		bool allows = r->act.kind == SC_ACT_ALLOW || r->act.kind == SC_ACT_LOG;

		for (size_t j = 0; j < r->n_names; j++) {
			struct sc_view_entry *e = entry_of(view, r->names[j]);

			if (!e)
				return -ENOMEM;
			if (!allows) {
				if (!e->denied) {
					e->denied = true;
					e->deny = r->act;
				}
				continue;
			}
			e->allowed = true;
			if (!r->n_args)
				e->unconditional = true;
			else if (add_cond(e, r->args, r->n_args))
				return -ENOMEM;
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct sc_view_entry *)a)->name, ((const struct sc_view_entry *)b)->name);
}

void sc_view_sort(struct sc_view *view)
{
	if (view->n)
		qsort(view->v, view->n, sizeof(*view->v), by_name);
}

void sc_view_free(struct sc_view *view)
{
	for (size_t i = 0; i < view->n; i++) {
		for (size_t c = 0; c < view->v[i].n_conds; c++)
			free(view->v[i].conds[c].args);
		free(view->v[i].conds);
		free(view->v[i].name);
	}
	free(view->v);
	memset(view, 0, sizeof(*view));
}

static bool same_action(const struct sc_action *a, const struct sc_action *b)
{
	return a->kind == b->kind && a->has_value == b->has_value &&
	       (!a->has_value || a->value == b->value);
}

int sc_view_to_rules(const struct sc_view *view, struct eun_seccomp_profile *p)
{
	struct sc_action allow = { .kind = SC_ACT_ALLOW };
	struct sc_rule *r = NULL;

	for (size_t i = 0; i < view->n; i++) {
		const struct sc_view_entry *e = &view->v[i];

		if (!e->allowed || !e->unconditional)
			continue;
		if (!r && !(r = sc_profile_add_rule(p, allow, NULL, 0)))
			return -ENOMEM;
		if (sc_rule_add_name(r, e->name))
			return -ENOMEM;
	}
	for (size_t i = 0; i < view->n; i++) {
		const struct sc_view_entry *e = &view->v[i];

		if (!e->allowed || e->unconditional)
			continue;
		for (size_t c = 0; c < e->n_conds; c++) {
			r = sc_profile_add_rule(p, allow, e->conds[c].args, e->conds[c].n);
			if (!r || sc_rule_add_name(r, e->name))
				return -ENOMEM;
		}
	}
	/* Denials of what is not allowed, one rule per action, in first-seen order. */
	for (size_t i = 0; i < view->n; i++) {
		const struct sc_view_entry *e = &view->v[i];
		bool done = false;

		if (e->allowed || !e->denied)
			continue;
		for (size_t k = 0; k < i && !done; k++)
			done = !view->v[k].allowed && view->v[k].denied &&
			       same_action(&view->v[k].deny, &e->deny);
		if (done)
			continue;
		if (!(r = sc_profile_add_rule(p, e->deny, NULL, 0)))
			return -ENOMEM;
		for (size_t k = i; k < view->n; k++)
			if (!view->v[k].allowed && view->v[k].denied &&
			    same_action(&view->v[k].deny, &e->deny) &&
			    sc_rule_add_name(r, view->v[k].name))
				return -ENOMEM;
	}
	return 0;
}

void sc_cond_text(const struct sc_cond *c, struct sc_buf *b)
{
	static const char *const ops[] = {
		[SCMP_CMP_NE] = "!=", [SCMP_CMP_LT] = "<",  [SCMP_CMP_LE] = "<=",
		[SCMP_CMP_EQ] = "==", [SCMP_CMP_GE] = ">=", [SCMP_CMP_GT] = ">",
	};

	for (size_t i = 0; i < c->n; i++) {
		const struct sc_arg *a = &c->args[i];

		if (i)
			sc_buf_printf(b, " && ");
		if (a->op == SCMP_CMP_MASKED_EQ)
			sc_buf_printf(b, "a%u & 0x%" PRIx64 " == 0x%" PRIx64, a->index, a->value,
				      a->value_two);
		else
			sc_buf_printf(b, "a%u %s 0x%" PRIx64, a->index,
				      a->op < sizeof(ops) / sizeof(ops[0]) && ops[a->op] ? ops[a->op] : "?",
				      a->value);
	}
}
