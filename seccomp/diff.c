// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* What changed from one profile to another (eun_seccomp_profile_diff()). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sc.h"

/* One difference: a syscall allowed or not, a condition, a setting. */
struct change {
	char sign;       /* '+' in b only, '-' in a only, '~' changed */
	const char *what; /* syscall, args, errno, default, arch */
	char *name;
	char *detail;    /* condition text, action... */
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static int add(struct changes *c, char sign, const char *what, const char *name, char *detail)
{
	struct change *x = sc_grow(&c->v, &c->n, &c->cap, sizeof(*x));

	if (!x || !(x->name = strdup(name))) {
		free(detail);
		return -ENOMEM;
	}
	x->sign = sign;
	x->what = what;
	x->detail = detail;
	return 0;
}

static char *cond_text(const struct sc_cond *c)
{
	struct sc_buf b = { 0 };

	sc_cond_text(c, &b);
	return sc_buf_take(&b);
}

static char *action_text(const struct sc_action *a, const struct eun_seccomp_profile *p)
{
	if (a->kind == SC_ACT_ERRNO)
		return sc_strdupf("%s(%u)", sc_action_oci(a->kind), sc_action_errno(a, p));
	return sc_strdupf("%s", sc_action_oci(a->kind));
}

static bool has_cond(const struct sc_view_entry *e, const struct sc_cond *c)
{
	for (size_t i = 0; i < e->n_conds; i++)
		if (sc_cond_equal(&e->conds[i], c))
			return true;
	return false;
}

/* Conditions of x missing from y, as changes of sign. */
static int cond_changes(struct changes *c, char sign, const struct sc_view_entry *x,
			const struct sc_view_entry *y)
{
	for (size_t i = 0; i < x->n_conds; i++)
		if (!has_cond(y, &x->conds[i]) && add(c, sign, "args", x->name, cond_text(&x->conds[i])))
			return -ENOMEM;
	return 0;
}

/* Changes of one syscall present in a (ea, may be NULL) and b (eb, may be NULL). */
static int entry_changes(struct changes *c, const struct sc_view_entry *ea,
			 const struct sc_view_entry *eb, const struct eun_seccomp_profile *a,
			 const struct eun_seccomp_profile *b)
{
	bool in_a = ea && ea->allowed, in_b = eb && eb->allowed;
	const char *name = ea ? ea->name : eb->name;

	if (in_a != in_b)
		return add(c, in_b ? '+' : '-', "syscall", name,
			   (in_b ? !eb->unconditional : !ea->unconditional) ? strdup("with conditions")
									    : NULL);
	if (in_a) {
		if (ea->unconditional != eb->unconditional)
			return add(c, '~', "args", name,
				   strdup(eb->unconditional ? "now without conditions"
							    : "now only with conditions"));
		if (!ea->unconditional && (cond_changes(c, '-', ea, eb) || cond_changes(c, '+', eb, ea)))
			return -ENOMEM;
		return 0;
	}
	/* Allowed by neither: compare their errno rules. */
	bool da = ea && ea->denied, db = eb && eb->denied;

	if (da != db || (da && strcmp(sc_action_oci(ea->deny.kind), sc_action_oci(eb->deny.kind))) ||
	    (da && ea->deny.kind == SC_ACT_ERRNO &&
	     sc_action_errno(&ea->deny, a) != sc_action_errno(&eb->deny, b))) {
		char *from = da ? action_text(&ea->deny, a) : strdup("default");
		char *to = db ? action_text(&eb->deny, b) : strdup("default");
		char *d = from && to ? sc_strdupf("%s -> %s", from, to) : NULL;

		free(from);
		free(to);
		return add(c, '~', "errno", name, d);
	}
	return 0;
}

static int settings_changes(struct changes *c, const struct eun_seccomp_profile *a,
			    const struct eun_seccomp_profile *b)
{
	char *da = action_text(&a->def, a), *db = action_text(&b->def, b);
	int err = 0;

	if (da && db && strcmp(da, db))
		err = add(c, '~', "default", "defaultAction", sc_strdupf("%s -> %s", da, db));
	free(da);
	free(db);
	for (size_t i = 0; i < b->n_arches && !err; i++) {
		bool found = false;

		for (size_t j = 0; j < a->n_arches; j++)
			found |= a->arches[j] == b->arches[i];
		if (!found)
			err = add(c, '+', "arch", sc_arch_oci(b->arches[i]), NULL);
	}
	for (size_t i = 0; i < a->n_arches && !err; i++) {
		bool found = false;

		for (size_t j = 0; j < b->n_arches; j++)
			found |= b->arches[j] == a->arches[i];
		if (!found)
			err = add(c, '-', "arch", sc_arch_oci(a->arches[i]), NULL);
	}
	return err;
}

/* The kinds of change, in the order the text lists them. */
static const char *const kinds[] = { "default", "arch", "syscall", "args", "errno" };

static char *render_text(const struct changes *c, const struct eun_seccomp_profile *a,
			 const struct eun_seccomp_profile *b)
{
	struct sc_buf out = { 0 };

	sc_buf_printf(&out, "--- %s\n+++ %s\n", a->origin, b->origin);
	/* Settings, then syscalls, their conditions, and errno rules last. */
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t i = 0; i < c->n; i++) {
			const struct change *x = &c->v[i];

			if (strcmp(x->what, kinds[k]))
				continue;
			sc_buf_printf(&out, "%c %-8s %s%s%s\n", x->sign, x->what, x->name,
				      x->detail ? ": " : "", x->detail ? x->detail : "");
		}
	if (!c->n)
		sc_buf_printf(&out, "(the profiles allow the same)\n");
	return sc_buf_take(&out);
}

static char *render_json(const struct changes *c, const struct eun_seccomp_profile *a,
			 const struct eun_seccomp_profile *b)
{
	json_t *root = json_object(), *arr[3];
	static const char *const keys[3] = { "added", "removed", "changed" };
	char *text, *out;

	json_object_set_new(root, "a", json_string(a->origin));
	json_object_set_new(root, "b", json_string(b->origin));
	for (int k = 0; k < 3; k++)
		arr[k] = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "what", json_string(x->what));
		json_object_set_new(o, "name", json_string(x->name));
		if (x->detail)
			json_object_set_new(o, "detail", json_string(x->detail));
		json_array_append_new(arr[x->sign == '+' ? 0 : x->sign == '-' ? 1 : 2], o);
	}
	for (int k = 0; k < 3; k++)
		json_object_set_new(root, keys[k], arr[k]);
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	out = text ? sc_strdupf("%s\n", text) : NULL;
	free(text);
	return out;
}

int eun_seccomp_profile_diff(const struct eun_seccomp_profile *a,
			     const struct eun_seccomp_profile *b,
			     enum eun_seccomp_format format, char **out)
{
	struct sc_view va = { 0 }, vb = { 0 };
	struct changes c = { 0 };
	int err;

	sc_error_clear();
	err = sc_view_add(&va, a);
	if (!err)
		err = sc_view_add(&vb, b);
	sc_view_sort(&va);
	sc_view_sort(&vb);
	if (!err)
		err = settings_changes(&c, a, b);
	for (size_t i = 0; i < va.n && !err; i++)
		err = entry_changes(&c, &va.v[i], sc_view_find(&vb, va.v[i].name), a, b);
	for (size_t i = 0; i < vb.n && !err; i++)
		if (!sc_view_find(&va, vb.v[i].name))
			err = entry_changes(&c, NULL, &vb.v[i], a, b);
	if (!err) {
		*out = format == EUN_SECCOMP_JSON ? render_json(&c, a, b) : render_text(&c, a, b);
		if (!*out)
			err = -ENOMEM;
	}
	sc_view_free(&va);
	sc_view_free(&vb);
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].name);
		free(c.v[i].detail);
	}
	free(c.v);
	if (err)
		return sc_error(-err, "out of memory comparing profiles");
	return (int)c.n;
}
