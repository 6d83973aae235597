/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The subcommands of eunomia and the options they share. */
#ifndef EUNOMIA_CLI_COMMANDS_H
#define EUNOMIA_CLI_COMMANDS_H

#include <stdbool.h>

/* Options given before the subcommand. */
struct global_opts {
	const char *plugin_path; /* --plugin-path, or NULL */
	bool verbose;            /* -v/--verbose */
};

/* Each command gets argv[0] = its own name; returns the exit status. */
int cmd_containers(const struct global_opts *g, int argc, char *argv[]);
int cmd_list(const struct global_opts *g, int argc, char *argv[]);
int cmd_run(const struct global_opts *g, int argc, char *argv[]);
int cmd_serve(const struct global_opts *g, int argc, char *argv[]);
int cmd_version(const struct global_opts *g, int argc, char *argv[]);

#endif
