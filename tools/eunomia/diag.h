/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Messages of the eunomia command to standard error. */
#ifndef EUNOMIA_CLI_DIAG_H
#define EUNOMIA_CLI_DIAG_H

/* Print "eunomia: MESSAGE" and a newline to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "eunomia: warning: MESSAGE" and a newline to stderr. */
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a usage error and a hint to the --help of command cmd (NULL: the
 * top level) to stderr. Returns CLI_EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Why the last libeunomia call failed: eun_last_error(), or strerror(-err)
 * when the library left no message. */
const char *library_error(int err);

/* Flush stdout at the end of a command. Returns code, or CLI_EXIT_RUNTIME
 * after reporting a write error. */
int finish_stdout(int code);

#endif
