/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The flags of `eunomia serve`, into a struct serve_config. */
#ifndef EUNOMIA_SERVE_OPTS_H
#define EUNOMIA_SERVE_OPTS_H

#include "serve_config.h"

/* Parse argv (argv[0] is "serve") into c, initialised with
 * serve_config_init(). Returns CLI_CONTINUE or the exit status (after
 * printing the help or the problem). */
int serve_opts_parse(struct serve_config *c, int argc, char *argv[]);

#endif
