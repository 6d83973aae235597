/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Recording one subject for `eunomia seccomp record` and `eunomia caps record`. */
#ifndef EUNOMIA_CLI_RECORD_SUBJECT_H
#define EUNOMIA_CLI_RECORD_SUBJECT_H

#include <stdbool.h>

#include <eunomia/eunomia-seccomp.h>

#include "commands.h"

/* The subject and how long to record it. */
struct record_subject {
	const char *container;  /* --container ID|NAME */
	const char *cgroup;     /* --cgroup PATH */
	char **argv;            /* -- CMD ARGS */
	double duration_s;      /* --duration; 0: until the subject ends or SIGINT */
	bool caps;              /* record capability checks too */
};

/* Check that exactly one subject was given; cmd names the command in the
 * usage error. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
int record_subject_check(const struct record_subject *s, const char *cmd);

/* Record the subject until it ends, the duration passes or SIGINT/SIGTERM
 * arrives; *out gets the recording. Reports failures on stderr; returns
 * the exit status. */
int record_subject_run(const struct global_opts *g, const struct record_subject *s,
		       struct eun_seccomp_recording **out);

/* Print the recording's notes as warnings on stderr. */
void record_print_notes(const struct eun_seccomp_recording *r);

#endif
