/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia token add FILE NAME ROLE`: a new bearer token for a daemon's
 * --tokens file. The file keeps only its SHA-256; the token is printed once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "exit_codes.h"
#include "serve/auth.h"

int cmd_token(const struct global_opts *g, int argc, char *argv[])
{
	enum serve_role role;
	char err[512], *secret;

	(void)g;
	if (argc != 5 || strcmp(argv[1], "add") || serve_role_parse(argv[4], &role) < 0) {
		fputs("Usage: eunomia token add FILE NAME admin|observer\n\nAppend a token's hash to "
		      "FILE (created with mode 0600) and print the token, which is not stored.\n",
		      stderr);
		return CLI_EXIT_USAGE;
	}
	if (tokens_add(argv[2], argv[3], role, &secret, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		return CLI_EXIT_USAGE;
	}
	printf("%s\n", secret);
	free(secret);
	return finish_stdout(CLI_EXIT_OK);
}
