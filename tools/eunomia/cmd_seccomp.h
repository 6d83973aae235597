/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The commands of `eunomia seccomp` and `eunomia caps`; each gets argv[0] = its name. */
#ifndef EUNOMIA_CLI_CMD_SECCOMP_H
#define EUNOMIA_CLI_CMD_SECCOMP_H

#include "commands.h"

int cmd_seccomp_record(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp_profile(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp_run(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp_merge(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp_diff(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp_check(const struct global_opts *g, int argc, char *argv[]);
int cmd_caps_record(const struct global_opts *g, int argc, char *argv[]);
int cmd_caps_run(const struct global_opts *g, int argc, char *argv[]);

#endif
