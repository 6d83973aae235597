/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Evaluation of an event: the rules indexed under its (tracker, event
 * type), each compiled program run over values read on demand, an alert
 * for every match (or the first one, with first_match).
 */
#include <string.h>
#include <time.h>

#include "rules/rules_internal.h"

/* Every 2^TIME_SHIFT-th evaluation of a rule is timed (a clock read costs
 * more than most rules). */
#define TIME_SHIFT 6

static __int128 int_of(const struct val *v)
{
	return v->t == VT_SINT ? (__int128)v->s : (__int128)v->u;
}

static bool ip_in(const struct val *v, const struct lit *l)
{
	unsigned full = l->bits / 8, rest = l->bits % 8;

	if (memcmp(v->ip, l->ip, full))
		return false;
	return !rest || ((v->ip[full] ^ l->ip[full]) & (0xff << (8 - rest))) == 0;
}

/* v equals literal l (of v's type). */
static bool equal(const struct val *v, const struct lit *l)
{
	switch (v->t) {
	case VT_UINT:
	case VT_SINT:
		return int_of(v) == l->i;
	case VT_BOOL:
		return v->b == l->b;
	case VT_STR:
		return v->len == l->len && !memcmp(v->str, l->s, l->len);
	case VT_IP4:
	case VT_IP6:
		return ip_in(v, l);
	default:
		return false;
	}
}

bool cmp_eval(enum cmp_op op, const struct val *v, const struct lit_set *lits)
{
	const struct lit *l = lits && lits->n ? &lits->v[0] : NULL;

	switch (op) {
	case OP_EXISTS:
		return true;
	case OP_EQ:
		return l && equal(v, l);
	case OP_NE:
		return l && !equal(v, l);
	case OP_IN:
		for (size_t i = 0; lits && i < lits->n; i++)
			if (equal(v, &lits->v[i]))
				return true;
		return false;
	case OP_PMATCH:
		for (size_t i = 0; lits && i < lits->n; i++)
			if (str_pmatch(v->str, v->len, lits->v[i].s, lits->v[i].len))
				return true;
		return false;
	default:
		break;
	}
	if (!l)
		return false;
	switch (op) {
	case OP_LT: return int_of(v) < l->i;
	case OP_LE: return int_of(v) <= l->i;
	case OP_GT: return int_of(v) > l->i;
	case OP_GE: return int_of(v) >= l->i;
	case OP_CONTAINS: return l->len == 0 || (v->len >= l->len && memmem(v->str, v->len, l->s, l->len));
	case OP_ICONTAINS: return str_icontains(v->str, v->len, l->s, l->len);
	case OP_STARTSWITH: return v->len >= l->len && !memcmp(v->str, l->s, l->len);
	case OP_ENDSWITH: return v->len >= l->len && !memcmp(v->str + v->len - l->len, l->s, l->len);
	case OP_GLOB: return str_glob(l->s, l->len, v->str, v->len);
	default: return false;
	}
}

/* A comparison: its result for this event if another rule computed it, else computed. */
static inline bool cmp_node(struct eval_ctx *ec, const struct enode *n)
{
	struct memo_slot *m = &ec->memo[n->memo];
	struct val v;

	if (m->gen != ec->gen) {
		/* A value the event does not have makes every comparison false. */
		m->val = val_fetch(ec, &n->acc, &v) == 0 && cmp_eval((enum cmp_op)n->op, &v, n->lits);
		m->gen = ec->gen;
	}
	return m->val;
}

static inline bool kid(struct eval_ctx *ec, const struct enode *n)
{
	return n->kind == EN_CMP ? cmp_node(ec, n) : enode_eval(ec, n);
}

bool enode_eval(struct eval_ctx *ec, const struct enode *n)
{
	switch ((enum enode_kind)n->kind) {
	case EN_TRUE:
		return true;
	case EN_FALSE:
		return false;
	case EN_AND:
		for (uint32_t i = 0; i < n->n_kids; i++)
			if (!kid(ec, n->kids[i]))
				return false;
		return true;
	case EN_OR:
		for (uint32_t i = 0; i < n->n_kids; i++)
			if (kid(ec, n->kids[i]))
				return true;
		return false;
	case EN_NOT:
		return !kid(ec, n->kids[0]);
	case EN_CMP:
		return cmp_node(ec, n);
	}
	return false;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int eun_rules_eval(struct eun_rules *r, const struct eun_event *ev, const struct eun_rules_eval_opts *opts)
{
	struct eval_ctx ec;
	const struct pair *p;
	int pi, matched = 0;

	if (!r || !ev)
		return set_error(EINVAL, "eun_rules_eval: rules and event are required");
	if (!r->compiled || !r->ok)
		return set_error(EINVAL, "eun_rules_eval: the ruleset %s", r->compiled ?
				 "has errors (see eun_rules_diag_at())" : "is not compiled (eun_rules_compile())");
	if (!OPTS_VALID(opts, eun_rules_eval_opts))
		return -EINVAL;
	pi = pair_of(r, ev);
	if (pi < 0)
		return 0; /* a tracker or event type the ruleset was not compiled for */
	p = &r->pairs[pi];
	if (!p->n_progs)
		return 0;
	ec.ev = ev;
	ec.cached = ec.absent = 0;
	ec.memo = r->memo;
	if (++r->memo_gen == 0) { /* wrapped: no slot may look current */
		memset(r->memo, 0, (r->n_memo + 1) * sizeof(*r->memo));
		r->memo_gen = 1;
	}
	ec.gen = r->memo_gen;
	ec.ts = OPTS_GET(opts, ts, 0);
	if (!ec.ts)
		ec.ts = eun_event_ts(ev);
	ec.cont = OPTS_GET(opts, container, NULL);
	ec.cont_done = ec.cont != NULL;
	for (size_t i = 0; i < p->n_progs; i++) {
		struct rule_def *rule = p->progs[i].rule;
		bool timed = (rule->evals & ((1u << TIME_SHIFT) - 1)) == 0, hit;
		uint64_t t0 = timed ? now_ns() : 0;

		hit = enode_eval(&ec, p->progs[i].root);
		if (timed) {
			counter_add(&rule->ns_timed, now_ns() - t0);
			counter_add(&rule->timed, 1);
		}
		counter_add(&rule->evals, 1);
		if (!hit)
			continue;
		counter_add(&rule->matches, 1);
		matched++;
		if (r->alert_fn) {
			int err = alert_emit(r, &ec, rule, pi);

			if (err < 0)
				return err;
		}
		if (r->first_match)
			break;
	}
	return matched;
}
