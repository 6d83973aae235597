// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* The profile model: actions, comparisons, rules, architectures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

const char *const sc_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};
const size_t sc_n_flags = sizeof(sc_flag_names) / sizeof(sc_flag_names[0]);

static const struct {
	enum sc_act_kind kind;
	const char *oci;
} actions[] = {
	{ SC_ACT_KILL_THREAD, "SCMP_ACT_KILL" }, /* first: the name written */
	{ SC_ACT_KILL_THREAD, "SCMP_ACT_KILL_THREAD" },
	{ SC_ACT_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS" },
	{ SC_ACT_TRAP, "SCMP_ACT_TRAP" },
	{ SC_ACT_ERRNO, "SCMP_ACT_ERRNO" },
	{ SC_ACT_TRACE, "SCMP_ACT_TRACE" },
	{ SC_ACT_ALLOW, "SCMP_ACT_ALLOW" },
	{ SC_ACT_LOG, "SCMP_ACT_LOG" },
	{ SC_ACT_NOTIFY, "SCMP_ACT_NOTIFY" },
};

static const struct {
	enum scmp_compare op;
	const char *oci;
} ops[] = {
	{ SCMP_CMP_NE, "SCMP_CMP_NE" },
	{ SCMP_CMP_LT, "SCMP_CMP_LT" },
	{ SCMP_CMP_LE, "SCMP_CMP_LE" },
	{ SCMP_CMP_EQ, "SCMP_CMP_EQ" },
	{ SCMP_CMP_GE, "SCMP_CMP_GE" },
	{ SCMP_CMP_GT, "SCMP_CMP_GT" },
	{ SCMP_CMP_MASKED_EQ, "SCMP_CMP_MASKED_EQ" },
};

const char *sc_action_oci(enum sc_act_kind kind)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (actions[i].kind == kind)
			return actions[i].oci;
	return "?";
}

int sc_action_from_oci(const char *name, enum sc_act_kind *out)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].oci, name)) {
			*out = actions[i].kind;
			return 0;
		}
	return -EINVAL;
}

const char *sc_op_oci(enum scmp_compare op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return ops[i].oci;
	return "?";
}

int sc_op_from_oci(const char *name, enum scmp_compare *out)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].oci, name)) {
			*out = ops[i].op;
			return 0;
		}
	return -EINVAL;
}

uint32_t sc_action_errno(const struct sc_action *a, const struct eun_seccomp_profile *p)
{
	if (a->has_value)
		return a->value;
	return p && p->has_default_errno ? p->default_errno : EPERM;
}

uint32_t sc_action_scmp(const struct sc_action *a, const struct eun_seccomp_profile *p)
{
	switch (a->kind) {
	case SC_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SC_ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case SC_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SC_ACT_ERRNO:
		return SCMP_ACT_ERRNO(sc_action_errno(a, p));
	case SC_ACT_TRACE:
		return SCMP_ACT_TRACE(a->has_value ? a->value : 0);
	case SC_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case SC_ACT_LOG:
		return SCMP_ACT_LOG;
	case SC_ACT_NOTIFY:
		return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

struct eun_seccomp_profile *sc_profile_new(enum sc_act_kind def, const char *origin)
{
	struct eun_seccomp_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return sc_error_null(ENOMEM, "out of memory for a profile");
	p->def.kind = def;
	snprintf(p->origin, sizeof(p->origin), "%s", origin);
	return p;
}

int sc_profile_add_arch(struct eun_seccomp_profile *p, uint32_t token)
{
	uint32_t *slot;

	for (size_t i = 0; i < p->n_arches; i++)
		if (p->arches[i] == token)
			return 0;
	slot = sc_grow(&p->arches, &p->n_arches, &p->cap_arches, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = token;
	return 0;
}

struct sc_rule *sc_profile_add_rule(struct eun_seccomp_profile *p, struct sc_action act,
				    const struct sc_arg *args, size_t n_args)
{
	struct sc_rule *r = sc_grow(&p->rules, &p->n_rules, &p->cap_rules, sizeof(*r));

	if (!r)
		return NULL;
	r->act = act;
	if (n_args) {
		r->args = malloc(n_args * sizeof(*args));
		if (!r->args) {
			p->n_rules--;
			errno = ENOMEM;
			return NULL;
		}
		memcpy(r->args, args, n_args * sizeof(*args));
		r->n_args = n_args;
	}
	return r;
}

int sc_rule_add_name(struct sc_rule *r, const char *name)
{
	char **slot, *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	slot = sc_grow(&r->names, &r->n_names, &r->cap_names, sizeof(*slot));
	if (!slot) {
		free(copy);
		return -ENOMEM;
	}
	*slot = copy;
	return 0;
}

void eun_seccomp_profile_free(struct eun_seccomp_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			free(p->rules[i].names[j]);
		free(p->rules[i].names);
		free(p->rules[i].args);
	}
	free(p->rules);
	free(p->arches);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p);
}

int eun_seccomp_action_parse(const char *name, enum eun_seccomp_action *out)
{
	static const char *const names[] = { "profile", "errno", "log", "kill" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name && !strcmp(name, names[i])) {
			*out = (enum eun_seccomp_action)i;
			return 0;
		}
	return sc_error(EINVAL, "unknown action '%s': say errno, log or kill", name ? name : "");
}
