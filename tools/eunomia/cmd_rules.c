/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia rules check|test`: validate rules files, replay events through them. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/rules.h>

#include "args.h"
#include "commands.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "rules_load.h"
#include "table.h"

enum check_option {
	OPT_HELP = LONG_ONLY_OPTION,
};

static void print_rules_help(FILE *f)
{
	fputs("Usage: eunomia rules check FILE|DIR...\n"
	      "       eunomia rules test [--first-match] --events EVENTS.jsonl FILE|DIR...\n"
	      "\n"
	      "check  load and validate rules files (a directory: its *.yaml and *.yml\n"
	      "       files in name order) against the trackers on the plugin path; print\n"
	      "       every problem as FILE:LINE:COLUMN, then each rule as loaded (with the\n"
	      "       event types it is evaluated on), disabled, not supported (and what is\n"
	      "       not available) or invalid. Exit status 0 when there is no error, 2\n"
	      "       when there is one.\n"
	      "test   replay recorded events (JSON lines as 'eunomia run -f json' writes\n"
	      "       them) through the rules, without the kernel, and print each alert\n"
	      "       as a JSON line. See 'eunomia rules test --help'.\n"
	      "\n"
	      "The language, fields and aliases are described in docs/rules.md.\n"
	      "\n", f);
	exit_codes_print_help(f);
}

static const char *status_text(enum eun_rule_status s)
{
	switch (s) {
	case EUN_RULE_LOADED: return "loaded";
	case EUN_RULE_DISABLED: return "disabled";
	case EUN_RULE_UNSUPPORTED: return "not supported";
	default: return "invalid";
	}
}

/* One line per rule, and a count of each status. */
static int print_rules(const struct eun_rules *r)
{
	struct table t = TABLE_INIT(3);
	size_t count[4] = { 0 };
	int err = table_add_row(&t, (const char *const[]){ "STATUS", "RULE", "EVENTS OR REASON" });

	for (size_t i = 0; !err && i < eun_rules_rule_count(r); i++) {
		EUN_OPTS(eun_rule_info, info);

		if (eun_rules_rule_at(r, i, &info))
			continue;
		count[info.status < 4 ? info.status : 3]++;
		err = table_add_row(&t, (const char *const[]){
			status_text(info.status), info.name,
			info.status == EUN_RULE_LOADED || info.status == EUN_RULE_DISABLED ? info.events
												  : info.reason });
	}
	if (err) {
		cli_error("cannot build the listing: %s", strerror(-err));
		table_clear(&t);
		return CLI_EXIT_RUNTIME;
	}
	if (eun_rules_rule_count(r))
		table_print(&t, stdout, 0);
	table_clear(&t);
	printf("%zu rules: %zu loaded, %zu not supported, %zu disabled, %zu invalid\n",
	       eun_rules_rule_count(r), count[EUN_RULE_LOADED], count[EUN_RULE_UNSUPPORTED],
	       count[EUN_RULE_DISABLED], count[EUN_RULE_INVALID]);
	return CLI_EXIT_OK;
}

static int cmd_rules_check(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct rules_load_result res;
	struct eun_rules *r;
	struct eun_ctx *ctx;
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			print_rules_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("rules check", c, argv);
		}
	}
	if (optind == argc)
		return usage_error("rules", "'rules check' needs at least one rules file or directory");
	ctx = cli_ctx_open(g, false);
	if (!ctx)
		return CLI_EXIT_RUNTIME;
	r = cli_rules_load(ctx, argv + optind, (size_t)(argc - optind), false, &res);
	if (!r) {
		eun_ctx_free(ctx);
		return CLI_EXIT_USAGE;
	}
	code = print_rules(r);
	if (code == CLI_EXIT_OK && res.errors) {
		fprintf(stderr, "eunomia: %zu error%s, %zu warning%s: the rules are invalid\n", res.errors,
			res.errors == 1 ? "" : "s", res.warnings, res.warnings == 1 ? "" : "s");
		code = CLI_EXIT_USAGE;
	}
	eun_rules_free(r);
	eun_ctx_free(ctx);
	return finish_stdout(code);
}

int cmd_rules(const struct global_opts *g, int argc, char *argv[])
{
	if (argc < 2)
		return usage_error("rules", "'rules' needs a command: check or test");
	if (!strcmp(argv[1], "check"))
		return cmd_rules_check(g, argc - 1, argv + 1);
	if (!strcmp(argv[1], "test"))
		return cmd_rules_test(g, argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_rules_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	}
	return usage_error("rules", "unknown rules command '%s' (check or test)", argv[1]);
}
