/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Field lists of layouts: adding, settling the header roles, freeing. */
#include <stdlib.h>
#include <string.h>

#include "bpfobj/bpfobj.h"
#include "event/event.h"

int layout_add(struct layout *lay, const struct lay_field *f)
{
	struct lay_field *grown = reallocarray(lay->f, lay->n + 1, sizeof(*grown));
	struct lay_field *nf;

	if (!grown)
		return -ENOMEM;
	lay->f = grown;
	nf = &grown[lay->n];
	*nf = *f;
	nf->name = strdup(f->name);
	nf->unit = f->unit ? strdup(f->unit) : NULL;
	nf->desc = f->desc ? strdup(f->desc) : NULL;
	if (!nf->name || (f->unit && !nf->unit) || (f->desc && !nf->desc)) {
		free(nf->name);
		free(nf->unit);
		free(nf->desc);
		return -ENOMEM;
	}
	lay->n++;
	return 0;
}

void layout_free(struct layout *lay)
{
	for (size_t i = 0; i < lay->n; i++) {
		free(lay->f[i].name);
		free(lay->f[i].unit);
		free(lay->f[i].desc);
	}
	free(lay->f);
	free(lay->struct_name);
	free(lay->event_name);
	free(lay->origin);
	memset(lay, 0, sizeof(*lay));
}

static struct lay_field *find(struct layout *lay, const char *name)
{
	for (size_t i = 0; i < lay->n; i++)
		if (!strcmp(lay->f[i].name, name))
			return &lay->f[i];
	return NULL;
}

static bool name_taken(struct layout *lay, const char *name)
{
	return header_field_index(name) >= 0 || find(lay, name);
}

int layout_settle(struct layout *lay)
{
	bool seen[ROLE_MAX_] = { false };
	struct lay_field *tgid = find(lay, "tgid"), *pid = find(lay, "pid");

	/* Both kernel terms: tgid is the process, pid its thread. */
	if (tgid && pid && tgid->role == ROLE_PID && pid->role == ROLE_PID) {
		bool have_tid = false;

		for (size_t i = 0; i < lay->n; i++)
			have_tid |= lay->f[i].role == ROLE_TID;
		pid->role = have_tid ? ROLE_NONE : ROLE_TID;
	}
	for (size_t i = 0; i < lay->n; i++) {
		struct lay_field *f = &lay->f[i];

		/* A record that carries the real header needs nothing filled. */
		if (lay->eun_header || seen[f->role])
			f->role = ROLE_NONE;
		seen[f->role] = f->role != ROLE_NONE;
	}
	/* The fields a header column shows stay out of the body; others of a
	 * header column's name get a trailing '_'. */
	for (size_t i = 0; i < lay->n; i++) {
		struct lay_field *f = &lay->f[i];
		size_t len = strlen(f->name);
		char *renamed;

		if (f->role != ROLE_NONE || header_field_index(f->name) < 0)
			continue;
		renamed = malloc(len + 8);
		if (!renamed)
			return -ENOMEM;
		memcpy(renamed, f->name, len + 1);
		while (name_taken(lay, renamed) && strlen(renamed) < len + 7)
			strcat(renamed, "_");
		free(f->name);
		f->name = renamed;
	}
	return 0;
}
