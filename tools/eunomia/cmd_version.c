/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia version`: versions and the plugin search path. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/eunomia.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "exit_codes.h"

enum version_option {
	OPT_HELP = LONG_ONLY_OPTION,
};

/* Print the help of `eunomia version`. */
static void print_version_help(FILE *f)
{
	fputs("Usage: eunomia version\n"
	      "\n"
	      "Print the versions of eunomia, of libeunomia and of the plugin ABI,\n"
	      "and the directories searched for tracker plugins, in order.\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help  print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* Print each directory of a colon-separated list, tagged with where it comes from. */
static void print_search_dirs(const char *dirs, const char *origin)
{
	while (dirs && *dirs) {
		size_t len = strcspn(dirs, ":");

		if (len > 0)
			printf("  %.*s  (%s)\n", (int)len, dirs, origin);
		dirs += len;
		if (*dirs == ':')
			dirs++;
	}
}

/* `eunomia version`. */
int cmd_version(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	unsigned abi_major, abi_minor;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			print_version_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("version", c, argv);
		}
	}
	if (optind < argc)
		return usage_error("version", "unexpected argument '%s'", argv[optind]);

	eun_plugin_abi_version(&abi_major, &abi_minor);
	printf("eunomia %s\n", EUN_VERSION_STRING);
	printf("libeunomia %s\n", eun_version());
	printf("plugin ABI %u.%u\n", abi_major, abi_minor);
	printf("plugin search path:\n");
	print_search_dirs(g->plugin_path, "--plugin-path");
	print_search_dirs(getenv("EUNOMIA_PLUGIN_PATH"), "EUNOMIA_PLUGIN_PATH");
	print_search_dirs(eun_plugin_install_dir(), "installed");
	return finish_stdout(CLI_EXIT_OK);
}
