/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Printing of libeunomia's log messages. */
#include <stdio.h>

#include <eunomia/eunomia.h>

#include "log.h"

/* Most detailed level printed; the log callback's cookie points here. */
static enum eun_log_level max_printed_level;

/* Word printed before a message of the given level. */
static const char *level_name(enum eun_log_level level)
{
	switch (level) {
	case EUN_LOG_ERROR:
		return "error";
	case EUN_LOG_WARN:
		return "warning";
	case EUN_LOG_INFO:
		return "info";
	case EUN_LOG_DEBUG:
		return "debug";
	}
	return "log";
}

/* Log callback: print messages up to the level the cookie points to. */
static void print_log_message(enum eun_log_level level, const char *msg, void *cookie)
{
	const enum eun_log_level *max_level = cookie;

	if (level <= *max_level)
		fprintf(stderr, "eunomia: %s: %s\n", level_name(level), msg);
}

/* Route libeunomia's log to stderr. */
void cli_log_install(bool verbose)
{
	max_printed_level = verbose ? EUN_LOG_DEBUG : EUN_LOG_WARN;
	eun_set_log_fn(print_log_message, &max_printed_level);
}

eun_log_fn cli_log_fn(void **cookie)
{
	*cookie = &max_printed_level;
	return print_log_message;
}
