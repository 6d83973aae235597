/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Exit statuses of the eunomia command (documented in its --help). */
#ifndef EUNOMIA_CLI_EXIT_CODES_H
#define EUNOMIA_CLI_EXIT_CODES_H

#include <stdio.h>

enum cli_exit {
	CLI_EXIT_OK = 0,        /* success */
	CLI_EXIT_RUNTIME = 1,   /* runtime failure: a tracker failed, output could not be written */
	CLI_EXIT_USAGE = 2,     /* usage error: bad option, unknown tracker, bad configuration */
	CLI_EXIT_PRIVILEGE = 3, /* not allowed to load BPF programs */
	CLI_EXIT_KERNEL = 4,    /* the kernel lacks a needed feature (BTF, tracefs) */
};

/* Returned by option parsers when the command goes on; never an exit status. */
#define CLI_CONTINUE (-1)

/* Print the "Exit status:" section of a --help text. */
void exit_codes_print_help(FILE *f);

/* Exit status for a failure of eun_tracker_start() returning err (negative errno). */
enum cli_exit exit_code_for_start_error(int err);

#endif
