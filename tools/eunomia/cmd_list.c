/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia list [TRACKER]`: the available trackers, or one tracker's schema. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/eunomia.h>

#include "args.h"
#include "bpf_objects.h"
#include "commands.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "schema_text.h"
#include "table.h"

/* Room for one line of a description. */
#define LINE_MAX_LEN 512

enum list_option {
	OPT_HELP = LONG_ONLY_OPTION,
	OPT_BPF_OBJECT, /* the four of BPF_OBJECT_LONG_OPTIONS() from here */
};

/* Print the help of `eunomia list`. */
static void print_list_help(FILE *f)
{
	fputs("Usage: eunomia list [TRACKER|OBJECT]\n"
	      "\n"
	      "Without TRACKER, list the available trackers with their version and\n"
	      "description. With TRACKER, describe its event types and their fields,\n"
	      "its configuration keys, and the keys every tracker accepts.\n"
	      "Set a key when running with --set TRACKER.KEY=VALUE.\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help  print this help\n"
	      "\n", f);
	fputs(bpf_object_options_help, f);
	fputc('\n', f);
	exit_codes_print_help(f);
}

/* Print a table, or report that it could not be built. 0 or CLI_EXIT_RUNTIME. */
static int print_table_or_fail(struct table *t, int err, int indent)
{
	if (err < 0) {
		cli_error("cannot build the listing: %s", strerror(-err));
		table_clear(t);
		return CLI_EXIT_RUNTIME;
	}
	table_print(t, stdout, indent);
	table_clear(t);
	return CLI_EXIT_OK;
}

/* List every loaded tracker: name, version, description. */
static int list_trackers(const struct eun_ctx *ctx)
{
	struct table t = TABLE_INIT(3);
	char line[LINE_MAX_LEN];
	int err;

	if (eun_plugin_count(ctx) == 0) {
		cli_warning("no trackers were found on the plugin search path (see 'eunomia version')");
		return CLI_EXIT_OK;
	}
	err = table_add_row(&t, (const char *const[]){ "NAME", "VERSION", "DESCRIPTION" });
	for (size_t i = 0; err == 0 && i < eun_plugin_count(ctx); i++) {
		const struct eun_plugin *p = eun_plugin_at(ctx, i);

		err = table_add_row(&t, (const char *const[]){
			eun_plugin_name(p), eun_plugin_version(p),
			first_line(eun_plugin_description(p), line, sizeof(line)) });
	}
	return print_table_or_fail(&t, err, 0);
}

/* Print the fields of one event type as an indented table. */
static int print_event_type(const struct eun_event_type *type)
{
	struct table t = TABLE_INIT(4);
	char line[LINE_MAX_LEN], type_text[32];
	int err;

	printf("  %s%s%s\n", type->name, type->description ? ": " : "",
	       type->description ? first_line(type->description, line, sizeof(line)) : "");
	if (type->n_fields == 0) {
		printf("    (no fields)\n");
		return CLI_EXIT_OK;
	}
	err = table_add_row(&t, (const char *const[]){ "FIELD", "TYPE", "UNIT", "DESCRIPTION" });
	for (uint32_t i = 0; err == 0 && i < type->n_fields; i++) {
		const struct eun_field *f = &type->fields[i];

		err = table_add_row(&t, (const char *const[]){
			f->name, field_type_text(f, type_text, sizeof(type_text)),
			f->unit ? f->unit : "-",
			first_line(f->description, line, sizeof(line)) });
	}
	return print_table_or_fail(&t, err, 4);
}

/* Print config keys (count of them, i-th from key_at) as an indented table. */
static int print_config_keys(size_t count, const struct eun_config_key *(*key_at)(const void *, size_t),
			     const void *owner)
{
	struct table t = TABLE_INIT(5);
	char line[LINE_MAX_LEN], range[48];
	int err;

	if (count == 0) {
		printf("  (none)\n");
		return CLI_EXIT_OK;
	}
	err = table_add_row(&t, (const char *const[]){ "KEY", "TYPE", "DEFAULT", "RANGE", "DESCRIPTION" });
	for (size_t i = 0; err == 0 && i < count; i++) {
		const struct eun_config_key *k = key_at(owner, i);

		err = table_add_row(&t, (const char *const[]){
			k->name, config_type_text(k), config_default_text(k),
			config_range_text(k, range, sizeof(range)),
			first_line(k->description, line, sizeof(line)) });
	}
	return print_table_or_fail(&t, err, 2);
}

/* key_at for a plugin's own config keys. */
static const struct eun_config_key *plugin_key_at(const void *plugin, size_t i)
{
	return eun_plugin_config_key(plugin, i);
}

/* key_at for the config keys every tracker accepts. */
static const struct eun_config_key *common_key_at(const void *unused, size_t i)
{
	(void)unused;
	return eun_common_config_key(i);
}

/* Describe one tracker: header, event types, its config keys, the common keys. */
static int describe_tracker(const struct eun_plugin *p)
{
	char line[LINE_MAX_LEN];
	int code = CLI_EXIT_OK;

	printf("%s %s: %s\n", eun_plugin_name(p), eun_plugin_version(p),
	       first_line(eun_plugin_description(p), line, sizeof(line)));
	printf("%s: %s\nlicense: %s\n", strcmp(eun_plugin_version(p), "bpf-object") ? "plugin file"
	       : "BPF object", eun_plugin_path(p), eun_plugin_license(p));

	printf("\nEvent types:\n");
	if (eun_plugin_event_type_count(p) == 0)
		printf("  (none)\n");
	for (size_t i = 0; code == CLI_EXIT_OK && i < eun_plugin_event_type_count(p); i++)
		code = print_event_type(eun_plugin_event_type(p, i));

	if (code == CLI_EXIT_OK) {
		printf("\nConfig keys (--set %s.KEY=VALUE):\n", eun_plugin_name(p));
		code = print_config_keys(eun_plugin_config_count(p), plugin_key_at, p);
	}
	if (code == CLI_EXIT_OK) {
		printf("\nCommon config keys of every tracker (--pid, --uid, --comm, --cgroup, "
		       "--container or --set):\n");
		code = print_config_keys(eun_common_config_count(), common_key_at, NULL);
	}
	return code;
}

/* Parse the options of `eunomia list`; sets *tracker to TRACKER or NULL.
 * Returns CLI_CONTINUE or the exit status. */
static int parse_list_args(int argc, char *argv[], const char **tracker,
			   struct bpf_object_args *objs)
{
	static const struct option long_options[] = {
		{ "help", no_argument, NULL, OPT_HELP },
		BPF_OBJECT_LONG_OPTIONS(OPT_BPF_OBJECT),
		{ 0 },
	};
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			print_list_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		case OPT_BPF_OBJECT:
		case OPT_BPF_OBJECT + 1:
		case OPT_BPF_OBJECT + 2:
		case OPT_BPF_OBJECT + 3:
			code = bpf_object_arg(objs, "list", c - OPT_BPF_OBJECT, optarg);
			if (code != CLI_CONTINUE)
				return code;
			break;
		default:
			return report_bad_option("list", c, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("list", "too many arguments: '%s'", argv[optind + 1]);
	*tracker = optind < argc ? argv[optind] : NULL;
	return CLI_CONTINUE;
}

/* `eunomia list [TRACKER]`. */
int cmd_list(const struct global_opts *g, int argc, char *argv[])
{
	struct bpf_object_args objs = { 0 };
	const char *tracker = NULL;
	struct eun_ctx *ctx;
	int code = parse_list_args(argc, argv, &tracker, &objs);

	if (code != CLI_CONTINUE)
		return code;
	if (objs.any && !(tracker && is_bpf_object_arg(tracker)))
		return usage_error("list", "--event-struct, --schema, --event-header and --attach "
				   "describe a BPF object; give one as ./FILE.bpf.o");
	ctx = cli_ctx_open(g, false);
	if (!ctx)
		return CLI_EXIT_RUNTIME;
	if (tracker && is_bpf_object_arg(tracker) &&
	    (code = bpf_object_load(ctx, tracker, &objs, &tracker)) != CLI_EXIT_OK) {
		eun_ctx_free(ctx);
		return code;
	}
	if (!tracker) {
		code = list_trackers(ctx);
	} else {
		const struct eun_plugin *p = eun_plugin_find(ctx, tracker);

		code = p ? describe_tracker(p) : report_unknown_tracker(ctx, "list", tracker);
	}
	eun_ctx_free(ctx);
	return finish_stdout(code);
}
