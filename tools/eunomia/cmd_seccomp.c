/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia seccomp`: hands over to record, profile, run, merge, diff or check. */
#include <stdio.h>
#include <string.h>

#include "cmd_seccomp.h"
#include "diag.h"
#include "exit_codes.h"

static void print_help(FILE *f)
{
	fputs("Usage: eunomia seccomp COMMAND [ARGS]\n"
	      "\n"
	      "Learn a seccomp profile from what a workload does, check and enforce it.\n"
	      "\n"
	      "Commands:\n"
	      "  record [SUBJECT] [-o FILE]   record a command, cgroup or container and write\n"
	      "                               its OCI linux.seccomp profile\n"
	      "  profile RECORDING [-o FILE]  write the profile of a recording saved with\n"
	      "                               record --report json:FILE\n"
	      "  run --profile FILE -- CMD    run CMD under a profile, reporting denials\n"
	      "  merge A B... [-o FILE]       the union of profiles\n"
	      "  diff A B                     syscalls and arguments added and removed\n"
	      "  check FILE...                check that profiles load with libseccomp\n"
	      "\n"
	      "Run 'eunomia seccomp COMMAND --help' for the options of a command.\n"
	      "See also 'eunomia caps' for capability sets.\n", f);
}

int cmd_seccomp(const struct global_opts *g, int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*run)(const struct global_opts *g, int argc, char *argv[]);
	} sub[] = {
		{ "record", cmd_seccomp_record },
		{ "profile", cmd_seccomp_profile },
		{ "run", cmd_seccomp_run },
		{ "merge", cmd_seccomp_merge },
		{ "diff", cmd_seccomp_diff },
		{ "check", cmd_seccomp_check },
	};

	if (argc < 2)
		return usage_error("seccomp", "no command given (record, profile, run, merge, diff "
				   "or check)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	}
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (!strcmp(argv[1], sub[i].name))
			return sub[i].run(g, argc - 1, argv + 1);
	return usage_error("seccomp", "unknown command '%s' (record, profile, run, merge, diff or "
			   "check)", argv[1]);
}
