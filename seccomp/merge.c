// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* The union of profiles (eun_seccomp_profile_merge()). */
#include <errno.h>
#include <stdio.h>

#include "sc.h"

static bool same_default(const struct eun_seccomp_profile *a, const struct eun_seccomp_profile *b)
{
	if (a->def.kind != b->def.kind)
		return false;
	if (a->def.kind != SC_ACT_ERRNO)
		return true;
	return sc_action_errno(&a->def, a) == sc_action_errno(&b->def, b);
}

struct eun_seccomp_profile *eun_seccomp_profile_merge(
	const struct eun_seccomp_profile *const *profiles, size_t n)
{
	struct eun_seccomp_profile *out;
	struct sc_view view = { 0 };
	int err = 0;

	sc_error_clear();
	if (!n || !profiles)
		return sc_error_null(EINVAL, "merge needs at least one profile");
	for (size_t i = 1; i < n; i++)
		if (!same_default(profiles[0], profiles[i]))
			return sc_error_null(EINVAL, "%s has defaultAction %s, %s has %s: merge "
					     "profiles of one kind (the complain variants apart)",
					     profiles[i]->origin, sc_action_oci(profiles[i]->def.kind),
					     profiles[0]->origin, sc_action_oci(profiles[0]->def.kind));
	out = sc_profile_new(profiles[0]->def.kind, "merged profile");
	if (!out)
		return NULL;
	out->def = profiles[0]->def;
	out->has_default_errno = profiles[0]->has_default_errno;
	out->default_errno = profiles[0]->default_errno;
	for (size_t i = 0; i < n && !err; i++) {
		out->flags |= profiles[i]->flags;
		for (size_t a = 0; a < profiles[i]->n_arches && !err; a++)
			err = sc_profile_add_arch(out, profiles[i]->arches[a]);
		if (!err)
			err = sc_view_add(&view, profiles[i]);
	}
	sc_view_sort(&view);
	if (!err)
		err = sc_view_to_rules(&view, out);
	sc_view_free(&view);
	if (!err)
		err = eun_seccomp_profile_check(out);
	if (err) {
		if (err == -ENOMEM)
			sc_error(ENOMEM, "out of memory merging profiles");
		eun_seccomp_profile_free(out);
		errno = -err;
		return NULL;
	}
	return out;
}
