// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * A profile from a recording (eun_seccomp_profile_from_recording()):
 * the syscalls of the phases that run under the profile, named per
 * architecture by libseccomp, argument rules where few values were seen,
 * and ENOSYS for clone3 and for syscalls newer than all of those allowed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

#define ENOSYS_ERRNO 38
#define MAX_NR 1024 /* above every syscall number of the tables libseccomp has */

/* Syscall names with argument kinds (the tracker's), the argument index
 * and how a value becomes a condition. */
enum cond_kind { COND_MASKED, COND_EQ, COND_SOCKET, COND_NO_EXEC };

static const struct {
	const char *kind;
	enum cond_kind how;
	uint32_t index;
	uint64_t mask;
} kinds[] = {
	{ "clone", COND_MASKED, 0, 0x7e020000ULL },   /* CLONE_NEW* flags */
	{ "clone3", COND_MASKED, 0, 0x7e020000ULL },  /* asked of clone, see below */
	{ "unshare", COND_MASKED, 0, 0x7e020080ULL }, /* and CLONE_NEWTIME */
	{ "socket", COND_SOCKET, 0, 0xfULL },         /* family, type without flags */
	{ "personality", COND_EQ, 0, 0 },
	{ "prctl", COND_EQ, 0, 0 },
	{ "ioctl", COND_MASKED, 1, 0xffffffffULL },   /* the request is an unsigned int */
	{ "mmap", COND_NO_EXEC, 2, 0x4ULL },          /* PROT_EXEC */
	{ "mprotect", COND_NO_EXEC, 2, 0x4ULL },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static bool included(const struct eun_seccomp_profile_opts *o, unsigned phase)
{
	return phase != EUN_SECCOMP_PHASE_RUNTIME || o->include_runtime;
}

/* The values seen of one argument kind of one syscall name. */
struct values {
	char name[40];
	size_t kind;
	uint64_t v[64];
	size_t n;
	bool overflow;
};

struct gen {
	const struct eun_seccomp_recording *r;
	const struct eun_seccomp_profile_opts *o;
	struct eun_seccomp_profile *p;
	struct sc_view view;
	struct values *vals;
	size_t n_vals, cap_vals;
	bool clone3_used;
};

static struct values *values_of(struct gen *g, const char *name, size_t kind)
{
	struct values *v;

	for (size_t i = 0; i < g->n_vals; i++)
		if (g->vals[i].kind == kind && !strcmp(g->vals[i].name, name))
			return &g->vals[i];
	v = sc_grow(&g->vals, &g->n_vals, &g->cap_vals, sizeof(*v));
	if (v) {
		snprintf(v->name, sizeof(v->name), "%s", name);
		v->kind = kind;
	}
	return v;
}

static int add_value(struct values *v, uint64_t x, bool overflow)
{
	if (overflow) {
		v->overflow = true;
		return 0;
	}
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return 0;
	if (v->n == sizeof(v->v) / sizeof(v->v[0]))
		v->overflow = true;
	else
		v->v[v->n++] = x;
	return 0;
}

/* The allowed names and the architectures, from the calls. */
static int add_calls(struct gen *g)
{
	int err = sc_profile_add_arch(g->p, seccomp_arch_native());

	for (size_t i = 0; i < g->r->n_calls && !err; i++) {
		const struct sc_call_rec *c = &g->r->calls[i];
		uint32_t token = sc_arch_from_name(c->arch);
		struct sc_view_entry *e;
		char name[40];

		if (!included(g->o, c->phase) || !token)
			continue;
		if ((err = sc_profile_add_arch(g->p, token)))
			break;
		if (!sc_syscall_name(c->arch, c->nr, name, sizeof(name))[0])
			continue; /* unknown to libseccomp: noted in the recording */
		if (!strcmp(name, "clone3")) {
			g->clone3_used = true;
			continue;
		}
		if (!(e = sc_view_find(&g->view, name))) {
			struct sc_rule tmp = { 0 };
			struct eun_seccomp_profile one = { .rules = &tmp, .n_rules = 1 };
			char *names[1] = { name };

			tmp.names = names;
			tmp.n_names = 1;
			tmp.act.kind = SC_ACT_ALLOW;
			/* Added as unconditional; add_conditions() may restrict it. */
			if ((err = sc_view_add(&g->view, &one)))
				break;
		}
	}
	return err;
}

/* Values per syscall name and argument kind, from the argument records. */
static int add_args(struct gen *g)
{
	for (size_t i = 0; i < g->r->n_args; i++) {
		const struct sc_arg_rec *a = &g->r->args[i];
		char name[40];
		struct values *v;
		size_t k;

		if (!included(g->o, a->phase))
			continue;
		for (k = 0; k < N_KINDS && strcmp(kinds[k].kind, a->kind); k++)
			;
		if (k == N_KINDS)
			continue;
		/* clone3 is answered with ENOSYS: glibc then calls clone with the same flags. */
		if (!strcmp(a->kind, "clone3")) {
			snprintf(name, sizeof(name), "clone");
			k = 0;
		} else if (!sc_syscall_name(a->arch, a->nr, name, sizeof(name))[0]) {
			continue;
		}
		if (!(v = values_of(g, name, k)) || add_value(v, a->value, a->overflow))
			return -ENOMEM;
	}
	return 0;
}

/* One condition for value x of kind k. */
static size_t cond_of(size_t k, uint64_t x, struct sc_arg *args)
{
	switch (kinds[k].how) {
	case COND_MASKED:
		args[0] = (struct sc_arg){ kinds[k].index, kinds[k].mask, x & kinds[k].mask,
					   SCMP_CMP_MASKED_EQ };
		return 1;
	case COND_EQ:
		args[0] = (struct sc_arg){ kinds[k].index, x, 0, SCMP_CMP_EQ };
		return 1;
	case COND_SOCKET:
		args[0] = (struct sc_arg){ 0, x >> 32, 0, SCMP_CMP_EQ };
		args[1] = (struct sc_arg){ 1, kinds[k].mask, x & kinds[k].mask, SCMP_CMP_MASKED_EQ };
		return 2;
	case COND_NO_EXEC:
		args[0] = (struct sc_arg){ kinds[k].index, kinds[k].mask, 0, SCMP_CMP_MASKED_EQ };
		return 1;
	}
	return 0;
}

/* Replace the unconditional allow of a syscall by conditions on what was seen. */
static int add_conditions(struct gen *g)
{
	unsigned max = g->o->max_arg_values ? g->o->max_arg_values : 8;

	for (size_t i = 0; i < g->n_vals; i++) {
		const struct values *v = &g->vals[i];
		struct sc_view_entry *e = sc_view_find(&g->view, v->name);
		struct sc_rule rule = { 0 };
		struct eun_seccomp_profile one = { .rules = &rule, .n_rules = 1 };
		char *names[1] = { (char *)v->name };
		struct sc_arg args[2];
		int err;

		if (!strcmp(v->name, "clone") && !e && g->clone3_used) {
			/* Only clone3 was used: clone is what glibc falls back to. */
			rule.names = names;
			rule.n_names = 1;
			rule.act.kind = SC_ACT_ALLOW;
			if ((err = sc_view_add(&g->view, &one)))
				return err;
			e = sc_view_find(&g->view, v->name);
		}
		if (!e || v->overflow || v->n == 0 || v->n > max)
			continue;
		if (kinds[v->kind].how == COND_NO_EXEC) {
			if (v->n != 1 || v->v[0] != 0)
				continue; /* PROT_EXEC used: allowed without condition */
		}
		e->unconditional = false;
		rule.names = names;
		rule.n_names = 1;
		rule.act.kind = SC_ACT_ALLOW;
		for (size_t j = 0; j < (kinds[v->kind].how == COND_NO_EXEC ? 1 : v->n); j++) {
			rule.n_args = cond_of(v->kind, v->v[j], args);
			rule.args = args;
			if ((err = sc_view_add(&g->view, &one)))
				return err;
		}
	}
	/* clone3 used with clone never used and no flags seen: allow clone anyway. */
	if (g->clone3_used && !sc_view_find(&g->view, "clone")) {
		struct sc_rule rule = { .act.kind = SC_ACT_ALLOW };
		struct eun_seccomp_profile one = { .rules = &rule, .n_rules = 1 };
		char *names[1] = { "clone" };

		rule.names = names;
		rule.n_names = 1;
		return sc_view_add(&g->view, &one);
	}
	return 0;
}

/* ENOSYS for clone3 and for the syscalls newer than all allowed, per architecture. */
static int add_enosys(struct gen *g)
{
	struct sc_action enosys = { .kind = SC_ACT_ERRNO, .has_value = true, .value = ENOSYS_ERRNO };
	struct sc_rule *rule = sc_profile_add_rule(g->p, enosys, NULL, 0);
	struct sc_view mine = { 0 };
	int err;

	if (!rule || sc_rule_add_name(rule, "clone3"))
		return -ENOMEM;
	for (size_t a = 0; a < g->p->n_arches; a++) {
		uint32_t token = g->p->arches[a];
		int max = -1;

		for (size_t i = 0; i < g->view.n; i++) {
			int nr = seccomp_syscall_resolve_name_arch(token, g->view.v[i].name);

			if (nr >= 0 && token == SCMP_ARCH_X32)
				nr &= ~0x40000000;
			if (nr > max)
				max = nr;
		}
		for (int nr = max + 1; max >= 0 && nr < MAX_NR; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(token, nr);

			if (name && strcmp(name, "clone3") && !sc_view_find(&g->view, name) &&
			    !sc_view_find(&mine, name)) {
				struct sc_rule tmp = { .act = enosys };
				struct eun_seccomp_profile one = { .rules = &tmp, .n_rules = 1 };
				char *names[1] = { name };

				tmp.names = names;
				tmp.n_names = 1;
				err = sc_view_add(&mine, &one) || sc_rule_add_name(rule, name) ? -ENOMEM : 0;
				if (err) {
					free(name);
					sc_view_free(&mine);
					return err;
				}
			}
			free(name);
		}
	}
	sc_view_free(&mine);
	return 0;
}

struct eun_seccomp_profile *eun_seccomp_profile_from_recording(
	const struct eun_seccomp_recording *r, const struct eun_seccomp_profile_opts *opts)
{
	struct eun_seccomp_profile_opts defaults = { .sz = sizeof(defaults) };
	struct gen g = { .r = r, .o = &defaults };
	int err;

	sc_error_clear();
	if (opts) {
		if (opts->sz < offsetof(struct eun_seccomp_profile_opts, max_arg_values) +
				       sizeof(opts->max_arg_values))
			return sc_error_null(EINVAL, "eun_seccomp_profile_opts without sz (declare "
					     "them with EUN_OPTS())");
		g.o = opts;
	}
	g.p = sc_profile_new(g.o->complain ? SC_ACT_LOG : SC_ACT_ERRNO, "recorded profile");
	if (!g.p)
		return NULL;
	if (!g.o->complain) {
		g.p->has_default_errno = true;
		g.p->default_errno = EPERM;
	}
	err = add_calls(&g);
	if (!err)
		err = add_args(&g);
	if (!err)
		err = add_conditions(&g);
	sc_view_sort(&g.view);
	if (!err && !g.view.n)
		err = sc_error(EINVAL, "the recording has no syscall the profile could allow (%zu "
			       "recorded%s); record the workload again, or allow the runtime's "
			       "calls with --include-runtime", r->n_calls,
			       g.o->include_runtime ? "" : ", runtime phase left out");
	if (!err && (err = sc_view_to_rules(&g.view, g.p)) == 0)
		err = add_enosys(&g);
	sc_view_free(&g.view);
	free(g.vals);
	if (!err)
		err = eun_seccomp_profile_check(g.p);
	if (err) {
		if (err == -ENOMEM)
			sc_error(ENOMEM, "out of memory writing the profile");
		eun_seccomp_profile_free(g.p);
		errno = -err;
		return NULL;
	}
	return g.p;
}
