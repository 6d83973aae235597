/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Options of `eunomia run`. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "diag.h"
#include "exit_codes.h"
#include "run_opts.h"

enum run_option {
	OPT_FORMAT = LONG_ONLY_OPTION,
	OPT_OUTPUT,
	OPT_DURATION,
	OPT_PID,
	OPT_UID,
	OPT_COMM,
	OPT_SET,
	OPT_STATS,
	OPT_METRICS,
	OPT_METRICS_LABEL,
	OPT_HELP,
};

/* Print the help of `eunomia run`. */
static void print_run_help(FILE *f)
{
	fputs("Usage: eunomia run TRACKER[,TRACKER...] [OPTIONS]\n"
	      "\n"
	      "Start the trackers and write their events until the duration has\n"
	      "passed or SIGINT/SIGTERM arrives. Loading BPF programs needs root\n"
	      "(or CAP_BPF and CAP_PERFMON). See 'eunomia list' for the trackers.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --format FORMAT       json (one object per line), csv or text;\n"
	      "                            default: text on a terminal, json otherwise\n"
	      "  -o, --output FILE         write events to FILE ('-': standard output)\n"
	      "  -d, --duration SECONDS    stop after SECONDS (decimals allowed, e.g. 0.5)\n"
	      "  -p, --pid PID             only events of process PID (every tracker)\n"
	      "  -u, --uid UID             only events of user UID (every tracker)\n"
	      "  -c, --comm NAME           only events of commands named NAME (every tracker)\n"
	      "      --set TRACKER.KEY=VALUE\n"
	      "                            set a config key of one of the trackers run;\n"
	      "                            repeatable; 'eunomia list TRACKER' shows its keys\n"
	      "      --stats               print each tracker's counters to stderr at exit\n"
	      "                            (printed anyway when events were lost)\n"
	      "      --metrics HOST:PORT   serve Prometheus metrics on http://HOST:PORT/metrics\n"
	      "                            (e.g. 127.0.0.1:9464; see docs/prometheus.md)\n"
	      "      --metrics-label TRACKER.FIELD\n"
	      "                            also label the metrics with this field (e.g.\n"
	      "                            tcp.daddr or process.comm); repeatable\n"
	      "  -h, --help                print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* Split TRACKER[,TRACKER...] into o->trackers. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int parse_tracker_list(struct run_opts *o, const char *arg)
{
	size_t len = strlen(arg);
	char *save = NULL;

	if (len == 0 || arg[0] == ',' || arg[len - 1] == ',' || strstr(arg, ",,"))
		return usage_error("run", "empty tracker name in '%s'", arg);
	/* n non-empty names take at least 2n - 1 characters */
	o->tracker_list = strdup(arg);
	o->trackers = calloc(len / 2 + 1, sizeof(*o->trackers));
	if (!o->tracker_list || !o->trackers) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	for (char *name = strtok_r(o->tracker_list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; i < o->n_trackers; i++)
			if (strcmp(o->trackers[i], name) == 0)
				return usage_error("run", "tracker '%s' is given twice", name);
		o->trackers[o->n_trackers++] = name;
	}
	return CLI_CONTINUE;
}

/* Add a --set TRACKER.KEY=VALUE to o->settings. Returns CLI_CONTINUE or the exit status. */
static int add_setting(struct run_opts *o, const char *arg)
{
	struct config_setting *grown, *s;
	char *dot, *equals;

	grown = reallocarray(o->settings, o->n_settings + 1, sizeof(*grown));
	if (!grown) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	o->settings = grown;
	s = &grown[o->n_settings];
	s->text = strdup(arg);
	if (!s->text) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	o->n_settings++;

	equals = strchr(s->text, '=');
	if (equals)
		*equals = '\0';
	dot = strchr(s->text, '.');
	if (!equals || !dot || dot == s->text || dot[1] == '\0')
		return usage_error("run", "--set needs TRACKER.KEY=VALUE, not '%s'", arg);
	*dot = '\0';
	s->tracker = s->text;
	s->key = dot + 1;
	s->value = equals + 1;
	return CLI_CONTINUE;
}

/* Add a --metrics-label TRACKER.FIELD (checked when the registry is made).
 * Returns CLI_CONTINUE or the exit status. */
static int add_metrics_label(struct run_opts *o, const char *arg)
{
	const char **grown = reallocarray(o->metrics_labels, o->n_metrics_labels + 1, sizeof(*grown));

	if (!grown) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	o->metrics_labels = grown;
	grown[o->n_metrics_labels++] = arg;
	return CLI_CONTINUE;
}

/* Check a --pid or --uid value and keep it. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_id(const char *option, const char *arg, const char **slot)
{
	uint32_t id;
	int err = parse_u32(arg, &id);

	if (err == -ERANGE)
		return usage_error("run", "%s %s is too large", option, arg);
	if (err < 0)
		return usage_error("run", "%s needs an unsigned decimal number, not '%s'", option, arg);
	*slot = arg;
	return CLI_CONTINUE;
}

/* Check and keep a --duration value. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_duration(struct run_opts *o, const char *arg)
{
	int err = parse_seconds(arg, &o->duration_s);

	if (err == -ERANGE)
		return usage_error("run", "--duration %s is too long", arg);
	if (err < 0)
		return usage_error("run", "--duration needs a positive number of seconds "
				   "(e.g. 10 or 0.5), not '%s'", arg);
	return CLI_CONTINUE;
}

/* Check that every --set names a tracker of the run. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int check_setting_trackers(const struct run_opts *o)
{
	for (size_t s = 0; s < o->n_settings; s++) {
		const char *tracker = o->settings[s].tracker;
		bool found = false;

		for (size_t i = 0; i < o->n_trackers && !found; i++)
			found = strcmp(o->trackers[i], tracker) == 0;
		if (!found)
			return usage_error("run", "--set %s.%s: tracker '%s' is not being run",
					   tracker, o->settings[s].key, tracker);
	}
	return CLI_CONTINUE;
}

/* Handle one option getopt_long() returned. Returns CLI_CONTINUE or the exit status. */
static int apply_option(struct run_opts *o, int c, char *argv[])
{
	switch (c) {
	case 'f':
	case OPT_FORMAT:
		if (output_format_parse(optarg, &o->format) < 0)
			return usage_error("run", "unknown format '%s' (use json, csv or text)", optarg);
		return CLI_CONTINUE;
	case 'o':
	case OPT_OUTPUT:
		o->output_path = optarg;
		return CLI_CONTINUE;
	case 'd':
	case OPT_DURATION:
		return take_duration(o, optarg);
	case 'p':
	case OPT_PID:
		return take_id("--pid", optarg, &o->pid);
	case 'u':
	case OPT_UID:
		return take_id("--uid", optarg, &o->uid);
	case 'c':
	case OPT_COMM:
		o->comm = optarg;
		return CLI_CONTINUE;
	case OPT_SET:
		return add_setting(o, optarg);
	case OPT_STATS:
		o->stats = true;
		return CLI_CONTINUE;
	case OPT_METRICS:
		o->metrics_addr = optarg;
		return CLI_CONTINUE;
	case OPT_METRICS_LABEL:
		return add_metrics_label(o, optarg);
	case 'h':
	case OPT_HELP:
		print_run_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	default:
		return report_bad_option("run", c, argv);
	}
}

/* Parse the arguments of `eunomia run`. */
int run_opts_parse(struct run_opts *o, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "set", required_argument, NULL, OPT_SET },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "metrics-label", required_argument, NULL, OPT_METRICS_LABEL },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":f:o:d:p:u:c:h", long_options, NULL)) != -1) {
		code = apply_option(o, c, argv);
		if (code != CLI_CONTINUE)
			return code;
	}
	if (optind == argc)
		return usage_error("run", "which trackers? Give TRACKER[,TRACKER...]");
	if (argc - optind > 1)
		return usage_error("run", "unexpected argument '%s' (separate trackers with commas)",
				   argv[optind + 1]);
	code = parse_tracker_list(o, argv[optind]);
	if (code != CLI_CONTINUE)
		return code;
	if (o->n_metrics_labels && !o->metrics_addr)
		return usage_error("run", "--metrics-label needs --metrics HOST:PORT");
	return check_setting_trackers(o);
}

/* Free what run_opts_parse() allocated. */
void run_opts_free(struct run_opts *o)
{
	for (size_t i = 0; i < o->n_settings; i++)
		free(o->settings[i].text);
	free(o->settings);
	free(o->metrics_labels);
	free(o->trackers);
	free(o->tracker_list);
}
