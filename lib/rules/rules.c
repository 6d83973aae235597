/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The ruleset object: creation, compilation, what it reports, freeing. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules_internal.h"

/* The Falco rules-engine version whose file format is read. */
#define ENGINE_VERSION "0.62.0"

const char *eun_rules_engine_version(void)
{
	return ENGINE_VERSION;
}

struct eun_rules *eun_rules_new(struct eun_ctx *ctx, const struct eun_rules_opts *opts)
{
	struct eun_rules *r;

	clear_error();
	if (!ctx) {
		set_error(EINVAL, "eun_rules_new: a context is required (its plugins give the fields)");
		errno = EINVAL;
		return NULL;
	}
	if (!OPTS_VALID(opts, eun_rules_opts)) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		set_error(ENOMEM, "out of memory creating a ruleset");
		errno = ENOMEM;
		return NULL;
	}
	r->ctx = ctx;
	r->first_match = OPTS_GET(opts, first_match, false);
	sha256_init(&r->sha_state);
	{
		struct sha256 empty = r->sha_state;

		sha256_hex(&empty, r->sha256);
	}
	if (gethostname(r->hostname, sizeof(r->hostname) - 1) < 0)
		r->hostname[0] = '\0';
	return r;
}

void eun_rules_free(struct eun_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_pairs; i++)
		free(r->pairs[i].progs);
	for (size_t i = 0; i < r->n_rules; i++) {
		free(r->rules[i]->events);
		if (r->rules[i]->out)
			sb_free(&r->rules[i]->out->missing);
	}
	for (size_t i = 0; i < r->n_macros; i++)
		missing_free(&r->macros[i]->miss);
	free(r->cmp_table);
	free(r->memo);
	free(r->rules);
	free(r->macros);
	free(r->lists);
	sources_free(r);
	diags_free(r);
	sb_free(&r->out);
	sb_free(&r->out_fields);
	sb_free(&r->fields);
	arena_free(&r->arena);
	free(r);
}

int eun_rules_compile(struct eun_rules *r)
{
	clear_error();
	if (!r)
		return set_error(EINVAL, "eun_rules_compile: rules are required");
	if (r->compiled)
		return set_error(EALREADY, "eun_rules_compile: the ruleset is compiled already");
	r->compiled = true;
	if (r->oom || pairs_build(r) || compile_rules(r)) {
		r->oom = true;
		return set_error(ENOMEM, "out of memory compiling the rules");
	}
	r->ok = r->n_errors == 0;
	if (!r->ok) {
		const char *first = "";

		for (size_t i = 0; i < r->n_diags && !*first; i++)
			if (r->diags[i].sev == EUN_RULES_ERROR)
				first = r->diags[i].text;
		return set_error(EINVAL, "%s%s (%zu error%s in all)", first,
				 r->diag_lost ? " (some messages were lost: out of memory)" : "",
				 r->n_errors, r->n_errors == 1 ? "" : "s");
	}
	return 0;
}

size_t eun_rules_diag_count(const struct eun_rules *r)
{
	return r ? r->n_diags : 0;
}

int eun_rules_diag_at(const struct eun_rules *r, size_t i, struct eun_rules_diag *out)
{
	struct eun_rules_diag full = { .sz = sizeof(full) };
	const struct rules_diag *d;

	clear_error();
	if (!r || !out || out->sz < offsetof(struct eun_rules_diag, severity) + sizeof(out->severity))
		return set_error(EINVAL, "eun_rules_diag_at: rules and an out struct set up with EUN_OPTS() "
				 "are required");
	if (i >= r->n_diags)
		return set_error(ERANGE, "eun_rules_diag_at: there are %zu messages", r->n_diags);
	d = &r->diags[i];
	full.severity = d->sev;
	full.file = d->loc.file;
	full.line = d->loc.line;
	full.column = d->loc.col;
	full.item_kind = d->kind;
	full.item = d->item;
	full.message = d->msg;
	full.text = d->text;
	opts_copy_out(out, &full, EUN_KNOWN_SZ(eun_rules_diag));
	return 0;
}

size_t eun_rules_rule_count(const struct eun_rules *r)
{
	return r && r->compiled ? r->n_rules : 0;
}

int eun_rules_rule_at(const struct eun_rules *r, size_t i, struct eun_rule_info *out)
{
	struct eun_rule_info full = { .sz = sizeof(full) };
	const struct rule_def *rule;
	uint64_t timed;

	clear_error();
	if (!r || !out || out->sz < offsetof(struct eun_rule_info, name) + sizeof(out->name))
		return set_error(EINVAL, "eun_rules_rule_at: rules and an out struct set up with EUN_OPTS() "
				 "are required");
	if (i >= eun_rules_rule_count(r))
		return set_error(ERANGE, "eun_rules_rule_at: there are %zu rules", eun_rules_rule_count(r));
	rule = r->rules[i];
	full.name = rule->name;
	full.desc = rule->desc;
	full.priority = rule->priority;
	full.tags = rule->tags;
	full.n_tags = rule->n_tags;
	full.status = rule->status;
	full.reason = rule->reason ? rule->reason : "";
	full.file = rule->loc.file;
	full.line = rule->loc.line;
	full.column = rule->loc.col;
	full.events = rule->events ? rule->events : "";
	full.evaluations = counter_get(&rule->evals);
	full.matches = counter_get(&rule->matches);
	timed = counter_get(&rule->timed);
	full.ns = timed ? (uint64_t)((unsigned __int128)counter_get(&rule->ns_timed) * full.evaluations / timed) : 0;
	opts_copy_out(out, &full, EUN_KNOWN_SZ(eun_rule_info));
	return 0;
}

const char *eun_rules_sha256(const struct eun_rules *r)
{
	return r ? r->sha256 : "";
}

void eun_rules_set_alert_fn(struct eun_rules *r, eun_alert_fn fn, void *cookie)
{
	if (!r)
		return;
	r->alert_fn = fn;
	r->alert_cookie = fn ? cookie : NULL;
}
