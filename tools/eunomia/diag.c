/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Messages of the eunomia command to standard error. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/eunomia.h>

#include "diag.h"
#include "exit_codes.h"

/* Print "eunomia: PREFIX" then the formatted message and a newline to stderr. */
static void print_message(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "eunomia: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print "eunomia: MESSAGE" and a newline to stderr. */
void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_message("", fmt, ap);
	va_end(ap);
}

/* Print "eunomia: warning: MESSAGE" and a newline to stderr. */
void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_message("warning: ", fmt, ap);
	va_end(ap);
}

/* Print a usage error and a hint to the --help of command cmd. Returns CLI_EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_message("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'eunomia %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	return CLI_EXIT_USAGE;
}

/* eun_last_error(), or strerror(-err) when the library left no message. */
const char *library_error(int err)
{
	const char *msg = eun_last_error();

	return msg && *msg ? msg : strerror(err < 0 ? -err : err);
}

/* Flush stdout at the end of a command; report a write error. */
int finish_stdout(int code)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return code;
	cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
	return CLI_EXIT_RUNTIME;
}
