/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Printing of libeunomia's log messages. */
#ifndef EUNOMIA_CLI_LOG_H
#define EUNOMIA_CLI_LOG_H

#include <stdbool.h>

#include <eunomia/eunomia.h>

/* Route libeunomia's log to stderr as "eunomia: LEVEL: message": errors
 * and warnings, plus informational and debug messages when verbose. */
void cli_log_install(bool verbose);

/* The callback cli_log_install() installed and its cookie, for libraries
 * that take a log callback of their own (libeunomia-otlp). */
eun_log_fn cli_log_fn(void **cookie);

#endif
