/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Loading rules files for the `eunomia rules` commands. */
#ifndef EUNOMIA_CLI_RULES_LOAD_H
#define EUNOMIA_CLI_RULES_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include <eunomia/rules.h>

/* Counts of a load's messages. */
struct rules_load_result {
	size_t errors, warnings;
};

/* Load every file or directory of paths into a new ruleset for ctx,
 * compile it and print each message to stderr as FILE:LINE:COL: ...
 * Returns the ruleset (compiled, with or without errors: see res), or NULL
 * after printing why none could be made (unreadable file, no memory). */
struct eun_rules *cli_rules_load(struct eun_ctx *ctx, char *const *paths, size_t n, bool first_match,
				 struct rules_load_result *res);

#endif
