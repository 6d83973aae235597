/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* eunomia: run eBPF tracker plugins from the command line. Parses the
 * global options and hands over to the subcommand. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h> /* mallopt() */
#endif

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "exit_codes.h"
#include "log.h"

enum global_option {
	OPT_PLUGIN_PATH = LONG_ONLY_OPTION,
	OPT_VERBOSE,
	OPT_SERVER,
	OPT_TOKEN_FILE,
	OPT_CACERT,
	OPT_CERT,
	OPT_KEY,
	OPT_HELP,
};

/* A subcommand: its name and entry point. */
struct command {
	const char *name;
	int (*run)(const struct global_opts *g, int argc, char *argv[]);
};

static const struct command commands[] = {
	{ "bpf-extract", cmd_bpf_extract },
	{ "caps", cmd_caps },
	{ "containers", cmd_containers },
	{ "keygen", cmd_keygen },
	{ "list", cmd_list },
	{ "rules", cmd_rules },
	{ "run", cmd_run },
	{ "seccomp", cmd_seccomp },
	{ "serve", cmd_serve },
	{ "sign", cmd_sign },
	{ "token", cmd_token },
	{ "version", cmd_version },
};

/* Print the top-level help. */
static void print_main_help(FILE *f)
{
	fputs("Usage: eunomia [GLOBAL OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Run eBPF tracker plugins and write their events.\n"
	      "\n"
	      "Commands:\n"
	      "  bpf-extract BINARY     write the BPF objects a libbpf skeleton binary holds\n"
	      "  caps record|run        the capabilities a workload needs, and only those\n"
	      "  containers             list the running containers and their cgroups\n"
	      "  list [TRACKER]         list the trackers, or describe one\n"
	      "  rules check|test ...   validate rules files, replay events through them\n"
	      "  run TRACKER[,...]      run trackers (or BPF objects, ./NAME.bpf.o) and write\n"
	      "                         their events\n"
	      "  seccomp COMMAND        learn, check, merge, diff and enforce seccomp profiles\n"
	      "  serve [TRACKER,...]    run as a daemon with an HTTP API (docs/control-plane.md)\n"
	      "  version                print versions and the plugin search path\n"
	      "  keygen PREFIX          make an Ed25519 key pair for signing plugins\n"
	      "  sign --key KEY FILE    write FILE.sig, a detached signature of FILE\n"
	      "  token add FILE NAME ROLE  add a bearer token to a tokens file\n"
	      "\n"
	      "With --server, these go to a daemon: list [TRACKER], run TRACKER [OPTIONS],\n"
	      "stop ID, set ID KEY=VALUE..., status, events [OPTIONS], load-plugin FILE,\n"
	      "outputs, output-add [FORMAT:]PATH, output-rm ID, whoami.\n"
	      "\n"
	      "Global options (before COMMAND):\n"
	      "      --plugin-path DIRS  colon-separated directories searched for\n"
	      "                          plugins before $EUNOMIA_PLUGIN_PATH and the\n"
	      "                          installed plugin directory\n"
	      "  -v, --verbose           also print informational and debug messages\n"
	      "      --server URL|unix:PATH  send the command to an 'eunomia serve' daemon\n"
	      "      --token-file FILE   its bearer token (else $EUNOMIA_TOKEN)\n"
	      "      --cacert FILE, --cert FILE, --key FILE  TLS: the daemon's CA, our\n"
	      "                          client certificate and key\n"
	      "  -h, --help              print this help\n"
	      "\n"
	      "Run 'eunomia COMMAND --help' for the options of a command.\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* Parse the options before the subcommand. Returns CLI_CONTINUE or the exit status. */
static int parse_global_args(struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "plugin-path", required_argument, NULL, OPT_PLUGIN_PATH },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "server", required_argument, NULL, OPT_SERVER },
		{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	int c;

	/* "+": stop at the subcommand, whose options are its own */
	while ((c = getopt_long(argc, argv, "+:vh", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_PLUGIN_PATH:
			g->plugin_path = optarg;
			break;
		case 'v':
		case OPT_VERBOSE:
			g->verbose = true;
			break;
		case OPT_SERVER:
			g->server = optarg;
			break;
		case OPT_TOKEN_FILE:
			g->token_file = optarg;
			break;
		case OPT_CACERT:
			g->cacert = optarg;
			break;
		case OPT_CERT:
			g->cert = optarg;
			break;
		case OPT_KEY:
			g->key = optarg;
			break;
		case 'h':
		case OPT_HELP:
			print_main_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option(NULL, c, argv);
		}
	}
	if (optind == argc)
		return usage_error(NULL, "no command given (bpf-extract, caps, containers, list, rules, "
				   "run, seccomp, serve or version)");
	return CLI_CONTINUE;
}

/* Parse the global options and run the subcommand. */
int main(int argc, char *argv[])
{
	struct global_opts g = { 0 };
	int code = parse_global_args(&g, argc, argv);
	const char *name;

	if (code != CLI_CONTINUE)
		return code;
#ifdef __GLIBC__
	/* libbpf reads the kernel's BTF (5 MB) into a buffer per tracker and
	 * frees it. By default glibc then raises its mmap and trim thresholds
	 * past that size, and what the trackers' start threads freed stays in
	 * their arenas: 20 MB of RSS for the thirteen trackers. A fixed
	 * threshold keeps large blocks in mmap(), given back when freed. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	cli_log_install(g.verbose);
	name = argv[optind];
	if (g.server)
		return remote_main(&g, argc - optind, argv + optind);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].run(&g, argc - optind, argv + optind);
	return usage_error(NULL, "unknown command '%s' (bpf-extract, caps, containers, keygen, list, "
			   "rules, run, seccomp, serve, sign, token or version)", name);
}
