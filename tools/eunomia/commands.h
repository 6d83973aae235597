/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The subcommands of eunomia and the options they share. */
#ifndef EUNOMIA_CLI_COMMANDS_H
#define EUNOMIA_CLI_COMMANDS_H

#include <stdbool.h>

/* Options given before the subcommand. */
struct global_opts {
	const char *plugin_path; /* --plugin-path, or NULL */
	bool verbose;            /* -v/--verbose */
	/* The client of a daemon (remote/): the commands then go to it. */
	const char *server;      /* --server URL|unix:PATH, or NULL: run here */
	const char *token_file;  /* --token-file FILE (else $EUNOMIA_TOKEN) */
	const char *cacert;      /* --cacert FILE: the daemon's CA */
	const char *cert, *key;  /* --cert FILE --key FILE: a client certificate */
};

/* Each command gets argv[0] = its own name; returns the exit status. */
int cmd_bpf_extract(const struct global_opts *g, int argc, char *argv[]);
int cmd_caps(const struct global_opts *g, int argc, char *argv[]);
int cmd_containers(const struct global_opts *g, int argc, char *argv[]);
int cmd_list(const struct global_opts *g, int argc, char *argv[]);
int cmd_rules(const struct global_opts *g, int argc, char *argv[]);
/* `eunomia rules test`, called by cmd_rules() with argv[0] = "test". */
int cmd_rules_test(const struct global_opts *g, int argc, char *argv[]);
int cmd_run(const struct global_opts *g, int argc, char *argv[]);
int cmd_serve(const struct global_opts *g, int argc, char *argv[]);
int cmd_seccomp(const struct global_opts *g, int argc, char *argv[]);
int cmd_version(const struct global_opts *g, int argc, char *argv[]);
int cmd_keygen(const struct global_opts *g, int argc, char *argv[]);
int cmd_sign(const struct global_opts *g, int argc, char *argv[]);
int cmd_token(const struct global_opts *g, int argc, char *argv[]);

/* A command given with --server: sent to the daemon (remote/remote_cmds.c). */
int remote_main(const struct global_opts *g, int argc, char *argv[]);

#endif
