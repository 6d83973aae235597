/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Creating the eunomia context and naming the trackers it offers. */
#ifndef EUNOMIA_CLI_CTX_OPEN_H
#define EUNOMIA_CLI_CTX_OPEN_H

#include <stdbool.h>

#include <eunomia/eunomia.h>

#include "commands.h"

/* Create a context searching the global options' plugin path first.
 * Reports a failure on stderr and returns NULL. */
struct eun_ctx *cli_ctx_open(const struct global_opts *g, bool capture_libbpf_logs);

/* Report that tracker `name` does not exist, listing those that do, as a
 * usage error of command cmd. Returns CLI_EXIT_USAGE. */
int report_unknown_tracker(const struct eun_ctx *ctx, const char *cmd, const char *name);

#endif
