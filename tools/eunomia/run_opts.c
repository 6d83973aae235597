/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Options of `eunomia run`. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <eunomia/eunomia.h>

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
	OPT_CGROUP,
	OPT_CONTAINER,
	OPT_SET,
	OPT_STATS,
	OPT_METRICS,
	OPT_METRICS_LABEL,
	OPT_OTLP,
	OPT_OTLP_SET,
	OPT_ROTATE_SIZE,
	OPT_ROTATE_KEEP,
	OPT_HELP,
	OPT_BPF_OBJECT, /* the four of BPF_OBJECT_LONG_OPTIONS() from here */
};

/* Print the help of `eunomia run`. */
static void print_run_help(FILE *f)
{
	fputs("Usage: eunomia run TRACKER|OBJECT[,TRACKER|OBJECT...] [OPTIONS]\n"
	      "\n"
	      "Start the trackers and write their events until the duration has\n"
	      "passed or SIGINT/SIGTERM arrives. Loading BPF programs needs root\n"
	      "(or CAP_BPF and CAP_PERFMON). See 'eunomia list' for the trackers.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --format FORMAT       json (one object per line), csv or text, for the\n"
	      "                            outputs that name no format; default: text on a\n"
	      "                            terminal, json otherwise\n"
	      "  -o, --output [FORMAT:]FILE\n"
	      "                            write events to FILE ('-': standard output), in\n"
	      "                            FORMAT if given (e.g. json:events.json);\n"
	      "                            repeatable, each event goes to every output;\n"
	      "                            default: standard output\n"
	      "      --rotate-size SIZE    rotate output files before they pass SIZE bytes\n"
	      "                            (k, M, G suffixes: KiB, MiB, GiB): FILE becomes\n"
	      "                            FILE.1, FILE.1 becomes FILE.2, ...\n"
	      "      --rotate-keep N       rotated files kept per output (default 5)\n"
	      "  -d, --duration SECONDS    stop after SECONDS (decimals allowed, e.g. 0.5)\n"
	      "  -p, --pid PID             only events of process PID (every tracker)\n"
	      "  -u, --uid UID             only events of user UID (every tracker)\n"
	      "  -c, --comm NAME           only events of commands named NAME (every tracker)\n"
	      "      --cgroup PATH         only events of tasks in cgroup v2 PATH or below it\n"
	      "                            (e.g. /docker/ID; filtered in the kernel)\n"
	      "      --container ID|NAME   only events of this running container (id, unique\n"
	      "                            id prefix or name; see 'eunomia containers')\n"
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
	      "      --otlp [URL]          export events as OpenTelemetry logs and the\n"
	      "                            metrics over OTLP/HTTP to URL (default\n"
	      "                            $OTEL_EXPORTER_OTLP_ENDPOINT or\n"
	      "                            http://127.0.0.1:4318; see docs/otlp.md)\n"
	      "      --otlp-set KEY=VALUE  an exporter setting (protocol=http/json,\n"
	      "                            batch_max_items=N, retry_initial_ms=N, ...;\n"
	      "                            docs/otlp.md lists them); repeatable\n"
	      "  -h, --help                print this help\n"
	      "\n", f);
	fputs(bpf_object_options_help, f);
	fputc('\n', f);
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

/* Add a --otlp-set KEY=VALUE (checked when the exporter is made).
 * Returns CLI_CONTINUE or the exit status. */
static int add_otlp_setting(struct run_opts *o, const char *arg)
{
	const char **grown = reallocarray(o->otlp_settings, o->n_otlp_settings + 1, sizeof(*grown));

	if (!grown) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	o->otlp_settings = grown;
	grown[o->n_otlp_settings++] = arg;
	return CLI_CONTINUE;
}

/* Take --otlp and its optional URL: --otlp=URL, or --otlp URL when the
 * next argument looks like a URL (has "://"; the exporter checks it). */
static int take_otlp(struct run_opts *o, int argc, char *argv[])
{
	o->otlp = true;
	if (optarg) {
		o->otlp_url = optarg;
	} else if (optind < argc && strstr(argv[optind], "://")) {
		o->otlp_url = argv[optind++];
	}
	return CLI_CONTINUE;
}

/* Add an -o [FORMAT:]FILE to o->outputs. Returns CLI_CONTINUE or the exit status. */
static int add_output(struct run_opts *o, const char *arg)
{
	struct output_spec *grown = reallocarray(o->outputs, o->n_outputs + 1, sizeof(*grown));

	if (!grown) {
		cli_error("out of memory");
		return CLI_EXIT_RUNTIME;
	}
	o->outputs = grown;
	if (output_spec_parse(arg, &grown[o->n_outputs]) < 0)
		return usage_error("run", "--output %s names a format but no file; give FORMAT:FILE, "
				   "e.g. %sevents.log", arg, arg);
	o->n_outputs++;
	return CLI_CONTINUE;
}

/* Check and keep a --rotate-size value. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_rotate_size(struct run_opts *o, const char *arg)
{
	int err = parse_size(arg, &o->rotate_bytes);

	if (err == -ERANGE)
		return usage_error("run", "--rotate-size %s is too large", arg);
	if (err < 0)
		return usage_error("run", "--rotate-size needs a positive number of bytes with an "
				   "optional k, M or G suffix (e.g. 64M), not '%s'", arg);
	return CLI_CONTINUE;
}

/* Check and keep a --rotate-keep value. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_rotate_keep(struct run_opts *o, const char *arg)
{
	uint32_t n;

	if (parse_u32(arg, &n) < 0 || n == 0 || n > EUN_SINK_MAX_ROTATE_KEEP)
		return usage_error("run", "--rotate-keep needs a number of files from 1 to %d, not '%s'",
				   EUN_SINK_MAX_ROTATE_KEEP, arg);
	o->rotate_keep = n;
	return CLI_CONTINUE;
}

/* Where path would be opened: its directory resolved (symbolic links, "."
 * and ".." gone) plus its last component, so that "b.json" and "./b.json"
 * compare equal. Falls back to path itself when the directory does not
 * exist (opening it will fail and say so). */
static void resolved_path(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	struct stat st;

	/* An existing file may itself be a link to another output. */
	if (realpath(path, real) && !stat(real, &st) && S_ISREG(st.st_mode)) {
		snprintf(buf, size, "%s", real);
		return;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	if (realpath(dir, real))
		snprintf(buf, size, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path);
	else
		snprintf(buf, size, "%s", path);
}

/* Give the run standard output when no -o was given; refuse an output
 * named twice (also under two names for one file) and rotation without a
 * file. Returns CLI_CONTINUE or the exit status. */
static int check_outputs(struct run_opts *o)
{
	bool any_file = false;

	if (!o->n_outputs && add_output(o, "-") != CLI_CONTINUE)
		return CLI_EXIT_RUNTIME;
	for (size_t i = 0; i < o->n_outputs; i++) {
		const struct output_spec *a = &o->outputs[i];

		any_file |= a->path != NULL;
		for (size_t j = 0; j < i; j++) {
			const struct output_spec *b = &o->outputs[j];
			char ra[PATH_MAX + 256], rb[PATH_MAX + 256];

			if (!a->path && !b->path)
				return usage_error("run", "standard output ('-') is given twice as an output");
			if (!a->path || !b->path)
				continue;
			if (!strcmp(a->path, b->path))
				return usage_error("run", "output file '%s' is given twice", a->path);
			resolved_path(a->path, ra, sizeof(ra));
			resolved_path(b->path, rb, sizeof(rb));
			if (!strcmp(ra, rb))
				return usage_error("run", "outputs '%s' and '%s' are the same file (%s); "
						   "give each output its own file", b->path, a->path, ra);
		}
	}
	if (o->rotate_keep && !o->rotate_bytes)
		return usage_error("run", "--rotate-keep needs --rotate-size SIZE");
	if (o->rotate_bytes && !any_file)
		return usage_error("run", "--rotate-size rotates output files; add -o FILE");
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
	/* The tracker's pid key reads 0 as "no filter": --pid 0 would trace everything. */
	if (id == 0 && !strcmp(option, "--pid"))
		return usage_error("run", "--pid 0 names no process (0 would mean no filter); "
				   "leave --pid out to trace every process");
	*slot = arg;
	return CLI_CONTINUE;
}

/* Refuse a --set of a common key that its own option gives another value,
 * e.g. --pid 1 --set process.pid=2. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int check_filter_settings(const struct run_opts *o)
{
	const struct { const char *key, *option, *value; } filters[] = {
		{ "pid", "--pid", o->pid },          { "uid", "--uid", o->uid },
		{ "comm", "--comm", o->comm },       { "cgroup", "--cgroup", o->cgroup },
		{ "container", "--container", o->container },
	};

	for (size_t i = 0; i < o->n_settings; i++) {
		const struct config_setting *st = &o->settings[i];

		for (size_t f = 0; f < sizeof(filters) / sizeof(filters[0]); f++)
			if (filters[f].value && !strcmp(st->key, filters[f].key) &&
			    strcmp(st->value, filters[f].value))
				return usage_error("run", "%s %s and --set %s.%s=%s disagree; give "
						   "one of them", filters[f].option, filters[f].value,
						   st->tracker, st->key, st->value);
	}
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

int run_opts_check_settings(const struct run_opts *o)
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
static int apply_option(struct run_opts *o, int c, int argc, char *argv[])
{
	switch (c) {
	case 'f':
	case OPT_FORMAT:
		if (output_format_parse(optarg, &o->format) < 0)
			return usage_error("run", "unknown format '%s' (use json, csv or text)", optarg);
		return CLI_CONTINUE;
	case 'o':
	case OPT_OUTPUT:
		return add_output(o, optarg);
	case OPT_ROTATE_SIZE:
		return take_rotate_size(o, optarg);
	case OPT_ROTATE_KEEP:
		return take_rotate_keep(o, optarg);
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
	case OPT_CGROUP:
		o->cgroup = optarg;
		return CLI_CONTINUE;
	case OPT_CONTAINER:
		o->container = optarg;
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
	case OPT_OTLP:
		return take_otlp(o, argc, argv);
	case OPT_OTLP_SET:
		return add_otlp_setting(o, optarg);
	case 'h':
	case OPT_HELP:
		print_run_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	case OPT_BPF_OBJECT:
	case OPT_BPF_OBJECT + 1:
	case OPT_BPF_OBJECT + 2:
	case OPT_BPF_OBJECT + 3:
		return bpf_object_arg(&o->objs, "run", c - OPT_BPF_OBJECT, optarg);
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
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "set", required_argument, NULL, OPT_SET },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "metrics-label", required_argument, NULL, OPT_METRICS_LABEL },
		{ "otlp", optional_argument, NULL, OPT_OTLP },
		{ "otlp-set", required_argument, NULL, OPT_OTLP_SET },
		{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
		{ "rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP },
		{ "help", no_argument, NULL, OPT_HELP },
		BPF_OBJECT_LONG_OPTIONS(OPT_BPF_OBJECT),
		{ 0 },
	};
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":f:o:d:p:u:c:h", long_options, NULL)) != -1) {
		code = apply_option(o, c, argc, argv);
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
	if (o->cgroup && o->container)
		return usage_error("run", "--cgroup and --container both choose the cgroup to "
				   "trace; give only one");
	if (o->n_metrics_labels && !o->metrics_addr && !o->otlp)
		return usage_error("run", "--metrics-label needs --metrics HOST:PORT or --otlp");
	if (o->n_otlp_settings && !o->otlp)
		return usage_error("run", "--otlp-set needs --otlp");
	code = check_outputs(o);
	if (code == CLI_CONTINUE)
		code = check_filter_settings(o);
	/* --set TRACKER is checked once the BPF objects among the trackers
	 * have their names (run_opts_check_settings()). */
	return code;
}

/* Free what run_opts_parse() allocated. */
void run_opts_free(struct run_opts *o)
{
	for (size_t i = 0; i < o->n_settings; i++)
		free(o->settings[i].text);
	free(o->settings);
	free(o->metrics_labels);
	free(o->otlp_settings);
	free(o->outputs);
	free(o->trackers);
	free(o->tracker_list);
}
