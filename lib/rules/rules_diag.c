/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The problems of a load: each with its place, its item and one line of text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

struct src_loc node_loc(const struct rules_source *src, const struct ydoc_node *n)
{
	return (struct src_loc){ .file = src->name, .line = n ? n->line : 0, .col = n ? n->col : 0 };
}

void diag_add(struct eun_rules *r, enum eun_rules_severity sev, const struct src_loc *loc,
	      const char *kind, const char *item, const char *fmt, ...)
{
	struct rules_diag d = { .sev = sev, .kind = kind };
	struct strbuf sb = { 0 };
	va_list ap;
	int n;

	if (sev == EUN_RULES_ERROR)
		r->n_errors++;
	if (loc)
		d.loc = *loc;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	d.msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (d.msg) {
		va_start(ap, fmt);
		vsnprintf(d.msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	d.item = item ? strdup(item) : NULL;
	if (d.loc.file && d.loc.line)
		sb_printf(&sb, "%s:%u:%u: ", d.loc.file, d.loc.line, d.loc.col);
	else if (d.loc.file)
		sb_printf(&sb, "%s: ", d.loc.file);
	sb_adds(&sb, sev == EUN_RULES_ERROR ? "error: " : "warning: ");
	if (kind && item)
		sb_printf(&sb, "%s '%s': ", kind, item);
	if (d.msg)
		sb_adds(&sb, d.msg);
	d.text = sb.buf;
	if (!d.msg || (item && !d.item) || !d.text || sb.failed)
		goto lost;
	if (r->n_diags == r->cap_diags) {
		size_t cap = r->cap_diags ? r->cap_diags * 2 : 16;
		struct rules_diag *bigger = realloc(r->diags, cap * sizeof(*bigger));

		if (!bigger)
			goto lost;
		r->diags = bigger;
		r->cap_diags = cap;
	}
	r->diags[r->n_diags++] = d;
	return;
lost:
	free(d.msg);
	free(d.item);
	free(d.text);
	r->diag_lost++;
}

void diags_free(struct eun_rules *r)
{
	for (size_t i = 0; i < r->n_diags; i++) {
		free(r->diags[i].msg);
		free(r->diags[i].item);
		free(r->diags[i].text);
	}
	free(r->diags);
	r->diags = NULL;
	r->n_diags = r->cap_diags = 0;
}
