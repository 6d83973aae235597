/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia containers`: the running containers found in the cgroup v2 tree. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/eunomia.h>

#include "args.h"
#include "commands.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "table.h"

enum containers_option {
	OPT_FORMAT = LONG_ONLY_OPTION,
	OPT_HELP,
};

/* Print the help of `eunomia containers`. */
static void print_containers_help(FILE *f)
{
	fputs("Usage: eunomia containers [OPTIONS]\n"
	      "\n"
	      "List the running containers: every container id named by a cgroup\n"
	      "that holds processes, with its runtime, name and image (when the\n"
	      "runtime's state directory is readable), Kubernetes pod uid and QoS\n"
	      "class, its cgroup below the cgroup v2 mount and its process count.\n"
	      "Only the cgroup tree and state files are read, no runtime is asked.\n"
	      "Filter 'eunomia run' by one of them with --container ID|NAME.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --format FORMAT  text (a table, '-' for unknown values) or json\n"
	      "                       (one object per line); default text\n"
	      "  -h, --help           print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* Cell text: "-" for an unknown (empty) value. */
static const char *cell(const char *s)
{
	return s[0] ? s : "-";
}

/* Print the containers as an aligned table. 0 or -ENOMEM. */
static int print_table(struct eun_ctx *ctx, size_t n)
{
	struct table t = TABLE_INIT(8);
	int err = table_add_row(&t, (const char *const[]){ "ID", "RUNTIME", "NAME", "IMAGE",
							    "POD", "QOS", "PROCESSES", "CGROUP" });

	for (size_t i = 0; !err && i < n; i++) {
		EUN_OPTS(eun_container_info, c);
		char procs[16];

		if ((err = eun_ctx_container_at(ctx, i, &c)))
			break;
		snprintf(procs, sizeof(procs), "%" PRIu32, c.processes);
		err = table_add_row(&t, (const char *const[]){ c.id, cell(c.runtime), cell(c.name),
							      cell(c.image), cell(c.pod_uid),
							      cell(c.qos), procs, c.cgroup });
	}
	if (!err)
		table_print(&t, stdout, 0);
	table_clear(&t);
	return err;
}

/* Print the containers as JSON lines. 0 or -errno. */
static int print_json(struct eun_ctx *ctx, size_t n)
{
	/* Each byte of the strings (1.6 KB at most) takes 6 at worst (\u00XX). */
	static char line[16384];

	for (size_t i = 0; i < n; i++) {
		EUN_OPTS(eun_container_info, c);
		int err = eun_ctx_container_at(ctx, i, &c);

		if (!err)
			err = eun_container_to_json(&c, line, sizeof(line));
		if (err < 0)
			return err;
		puts(line);
	}
	return 0;
}

/* List the containers in the chosen format. Returns the exit status. */
static int list_containers(const struct global_opts *g, bool json)
{
	struct eun_ctx *ctx = cli_ctx_open(g, false);
	int n, err;

	if (!ctx)
		return CLI_EXIT_RUNTIME;
	n = eun_ctx_containers_refresh(ctx);
	if (n < 0) {
		cli_error("cannot list the containers: %s", library_error(n));
		eun_ctx_free(ctx);
		return n == -ENOTSUP ? CLI_EXIT_KERNEL : CLI_EXIT_RUNTIME;
	}
	err = json ? print_json(ctx, (size_t)n) : print_table(ctx, (size_t)n);
	if (err)
		cli_error("cannot list the containers: %s", library_error(err));
	eun_ctx_free(ctx);
	return finish_stdout(err ? CLI_EXIT_RUNTIME : CLI_EXIT_OK);
}

/* `eunomia containers`. */
int cmd_containers(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	bool json = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":f:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
		case OPT_FORMAT:
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return usage_error("containers", "unknown format '%s' (use text "
						   "or json)", optarg);
			json = !strcmp(optarg, "json");
			break;
		case 'h':
		case OPT_HELP:
			print_containers_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("containers", c, argv);
		}
	}
	if (optind < argc)
		return usage_error("containers", "unexpected argument '%s'", argv[optind]);
	return list_containers(g, json);
}
