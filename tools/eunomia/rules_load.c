/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Loading rules files for the `eunomia rules` commands. */
#include <errno.h>
#include <stdio.h>

#include "diag.h"
#include "rules_load.h"

/* Print the load's messages to stderr and count them. */
static void print_diags(const struct eun_rules *r, struct rules_load_result *res)
{
	for (size_t i = 0; i < eun_rules_diag_count(r); i++) {
		EUN_OPTS(eun_rules_diag, d);

		if (eun_rules_diag_at(r, i, &d))
			continue;
		fprintf(stderr, "%s\n", d.text);
		if (d.severity == EUN_RULES_ERROR)
			res->errors++;
		else
			res->warnings++;
	}
}

struct eun_rules *cli_rules_load(struct eun_ctx *ctx, char *const *paths, size_t n, bool first_match,
				 struct rules_load_result *res)
{
	EUN_OPTS(eun_rules_opts, opts, .first_match = first_match);
	struct eun_rules *r = eun_rules_new(ctx, &opts);
	int err = 0;

	res->errors = res->warnings = 0;
	if (!r) {
		cli_error("cannot create a ruleset: %s", library_error(-errno));
		return NULL;
	}
	for (size_t i = 0; i < n && !err; i++)
		err = eun_rules_load_file(r, paths[i]);
	if (!err)
		err = eun_rules_compile(r);
	if (err && err != -EINVAL) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", library_error(err)); /* before the calls below reset it */
		print_diags(r, res); /* what the files read so far had */
		cli_error("%s", why);
		eun_rules_free(r);
		return NULL;
	}
	print_diags(r, res);
	return r;
}
