/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Creating the eunomia context and naming the trackers it offers. */
#include <errno.h>
#include <stdio.h>

#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"

/* Create a context searching the global options' plugin path first. */
struct eun_ctx *cli_ctx_open(const struct global_opts *g, bool capture_libbpf_logs)
{
	EUN_OPTS(eun_ctx_opts, opts,
		 .plugin_path = g->plugin_path,
		 .capture_libbpf_logs = capture_libbpf_logs);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	if (!ctx)
		cli_error("cannot create the eunomia context: %s", library_error(-errno));
	return ctx;
}

/* Report an unknown tracker, listing the available ones. */
int report_unknown_tracker(const struct eun_ctx *ctx, const char *cmd, const char *name)
{
	size_t n = eun_plugin_count(ctx);

	if (n == 0)
		return usage_error(cmd, "unknown tracker '%s': no trackers were found on the plugin "
				   "search path (see 'eunomia version')", name);
	fprintf(stderr, "eunomia: unknown tracker '%s'; available trackers:", name);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", eun_plugin_name(eun_plugin_at(ctx, i)));
	fputc('\n', stderr);
	fprintf(stderr, "Try 'eunomia list' for their descriptions.\n");
	return CLI_EXIT_USAGE;
}
