/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia seccomp merge`, `diff` and `check`: working with profile files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/eunomia-seccomp.h>

#include "args.h"
#include "cmd_seccomp.h"
#include "diag.h"
#include "exit_codes.h"

enum files_option {
	OPT_OUTPUT = LONG_ONLY_OPTION,
	OPT_FORMAT,
	OPT_HELP,
};

/* Load n profiles; NULL after reporting the first that is refused. */
static struct eun_seccomp_profile **load_all(char *const paths[], int n)
{
	struct eun_seccomp_profile **v = calloc((size_t)n, sizeof(*v));

	if (!v) {
		cli_error("out of memory");
		return NULL;
	}
	for (int i = 0; i < n; i++)
		if (!(v[i] = eun_seccomp_profile_load(paths[i]))) {
			cli_error("%s", eun_seccomp_last_error());
			while (i--)
				eun_seccomp_profile_free(v[i]);
			free(v);
			return NULL;
		}
	return v;
}

static void free_all(struct eun_seccomp_profile **v, int n)
{
	for (int i = 0; i < n; i++)
		eun_seccomp_profile_free(v[i]);
	free(v);
}

int cmd_seccomp_merge(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct eun_seccomp_profile **v, *merged;
	const char *out = "-";
	int c, n, code = CLI_EXIT_OK;

	(void)g;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			out = optarg;
			break;
		case 'h':
		case OPT_HELP:
			fputs("Usage: eunomia seccomp merge [-o FILE] PROFILE PROFILE...\n"
			      "\n"
			      "Write the union of the profiles (several runs or replicas of one\n"
			      "workload): what any of them allows, under the conditions of all.\n", stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("seccomp merge", c, argv);
		}
	}
	n = argc - optind;
	if (n < 1)
		return usage_error("seccomp merge", "give the profiles to merge");
	if (!(v = load_all(argv + optind, n)))
		return CLI_EXIT_USAGE;
	merged = eun_seccomp_profile_merge((const struct eun_seccomp_profile *const *)v, (size_t)n);
	if (!merged || eun_seccomp_profile_save(merged, out)) {
		cli_error("%s", eun_seccomp_last_error());
		code = merged ? CLI_EXIT_RUNTIME : CLI_EXIT_USAGE;
	}
	eun_seccomp_profile_free(merged);
	free_all(v, n);
	return finish_stdout(code);
}

int cmd_seccomp_diff(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	enum eun_seccomp_format format = EUN_SECCOMP_TEXT;
	struct eun_seccomp_profile **v;
	char *text = NULL;
	int c, n;

	(void)g;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":f:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				format = EUN_SECCOMP_JSON;
			else if (strcmp(optarg, "text"))
				return usage_error("seccomp diff", "--format: say text or json");
			break;
		case 'h':
		case OPT_HELP:
			fputs("Usage: eunomia seccomp diff [--format text|json] A B\n"
			      "\n"
			      "What B allows that A does not (+) and the reverse (-): syscalls,\n"
			      "argument conditions, errno rules (~), architectures, default action.\n",
			      stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("seccomp diff", c, argv);
		}
	}
	if (argc - optind != 2)
		return usage_error("seccomp diff", "give two profiles");
	if (!(v = load_all(argv + optind, 2)))
		return CLI_EXIT_USAGE;
	n = eun_seccomp_profile_diff(v[0], v[1], format, &text);
	free_all(v, 2);
	if (n < 0) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_RUNTIME;
	}
	fputs(text, stdout);
	free(text);
	return finish_stdout(CLI_EXIT_OK);
}

int cmd_seccomp_check(const struct global_opts *g, int argc, char *argv[])
{
	int code = CLI_EXIT_OK;

	(void)g;
	if (argc < 2)
		return usage_error("seccomp check", "give the profiles to check");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs("Usage: eunomia seccomp check PROFILE...\n"
		      "\n"
		      "Check that each profile loads with libseccomp on this machine (nothing is\n"
		      "installed). Refusals name the file and the entry.\n", stdout);
		return finish_stdout(CLI_EXIT_OK);
	}
	for (int i = 1; i < argc; i++) {
		struct eun_seccomp_profile *p = eun_seccomp_profile_load(argv[i]);

		if (!p) {
			cli_error("%s", eun_seccomp_last_error());
			code = CLI_EXIT_USAGE;
			continue;
		}
		printf("%s: ok\n", argv[i]);
		eun_seccomp_profile_free(p);
	}
	return finish_stdout(code);
}
