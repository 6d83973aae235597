/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Documentation of the exit statuses and the mapping of start errors to them. */
#include <errno.h>

#include "exit_codes.h"

/* One line of the exit status documentation. */
struct exit_code_doc {
	enum cli_exit code;
	const char *meaning;
};

static const struct exit_code_doc exit_code_docs[] = {
	{ CLI_EXIT_OK, "success" },
	{ CLI_EXIT_RUNTIME, "runtime failure (a tracker failed, output could not be written)" },
	{ CLI_EXIT_USAGE, "usage error (bad option, unknown tracker, bad configuration)" },
	{ CLI_EXIT_PRIVILEGE, "missing privilege to load BPF programs (run as root)" },
	{ CLI_EXIT_KERNEL, "the kernel lacks a needed feature (BTF, tracefs)" },
};

/* Print the "Exit status:" section of a --help text. */
void exit_codes_print_help(FILE *f)
{
	fputs("Exit status:\n", f);
	for (size_t i = 0; i < sizeof(exit_code_docs) / sizeof(exit_code_docs[0]); i++)
		fprintf(f, "  %d  %s\n", (int)exit_code_docs[i].code, exit_code_docs[i].meaning);
}

/* Exit status for a failure of eun_tracker_start() returning err (negative errno). */
enum cli_exit exit_code_for_start_error(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return CLI_EXIT_PRIVILEGE;
	case ENOTSUP:
#if EOPNOTSUPP != ENOTSUP
	case EOPNOTSUPP:
#endif
	case ENOENT:
		return CLI_EXIT_KERNEL;
	default:
		return CLI_EXIT_RUNTIME;
	}
}
