/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Stopping `eunomia run` on SIGINT/SIGTERM; surviving a closed pipe. */
#ifndef EUNOMIA_CLI_SIGNALS_H
#define EUNOMIA_CLI_SIGNALS_H

#include <stdbool.h>

/* Make SIGINT and SIGTERM request a stop (interrupting a blocked poll,
 * no SA_RESTART; a second one ends the process) and ignore SIGPIPE so a
 * closed pipe shows up as EPIPE. 0 or -errno. */
int signals_install(void);

/* True once SIGINT or SIGTERM has arrived. */
bool stop_requested(void);

#endif
