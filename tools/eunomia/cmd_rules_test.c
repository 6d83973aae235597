/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * `eunomia rules test`: replay recorded JSON-lines events through rules,
 * offline. Each line becomes a record of its tracker's schema, injected
 * into a tracker that is created but never started (no kernel), and the
 * rules see it in the event callback like a live event.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/rules.h>

#include "args.h"
#include "commands.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "json_read.h"
#include "replay_record.h"
#include "rules_load.h"

enum test_option {
	OPT_EVENTS = LONG_ONLY_OPTION,
	OPT_FIRST_MATCH,
	OPT_HELP,
};

static void print_test_help(FILE *f)
{
	fputs("Usage: eunomia rules test [--first-match] --events EVENTS.jsonl FILE|DIR...\n"
	      "\n"
	      "Load the rules files (as 'eunomia rules check' does), then replay the\n"
	      "recorded events through them, without the kernel: each line of EVENTS\n"
	      "is one event as 'eunomia run -f json' writes it. Every alert is printed\n"
	      "to standard output as one JSON object per line; a count of events and\n"
	      "alerts goes to standard error.\n"
	      "\n"
	      "Options:\n"
	      "      --events FILE  the recorded events ('-': standard input)\n"
	      "      --first-match  fire only the first matching rule per event\n"
	      "                     (default: every rule that matches)\n"
	      "  -h, --help         print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* The replay in progress, shared with the callbacks. */
struct replay {
	struct eun_ctx *ctx;
	struct eun_rules *rules;
	struct replay_extra extra;    /* of the event being injected */
	char *line;                   /* alert JSON */
	size_t line_cap;
	unsigned long alerts;
	int write_error;
};

static int on_alert(const struct eun_alert *a, void *cookie)
{
	struct replay *rp = cookie;
	int n = eun_alert_to_json(a, rp->line, rp->line_cap);

	if (n >= 0 && (size_t)n >= rp->line_cap) {
		char *bigger = realloc(rp->line, (size_t)n + 1);

		if (!bigger)
			return -ENOMEM;
		rp->line = bigger;
		rp->line_cap = (size_t)n + 1;
		n = eun_alert_to_json(a, rp->line, rp->line_cap);
	}
	if (n < 0)
		return n;
	if (puts(rp->line) < 0)
		rp->write_error = errno;
	rp->alerts++;
	return 0;
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct replay *rp = cookie;
	EUN_OPTS(eun_rules_eval_opts, opts, .ts = rp->extra.ts, .container = &rp->extra.cont);
	int n = eun_rules_eval(rp->rules, ev, &opts);

	return n < 0 ? n : 0;
}

/* The tracker named `name`, created (not started) on first use. */
static struct eun_tracker *tracker_for(struct replay *rp, const char *name, char *err, size_t size)
{
	struct eun_tracker *t;

	for (size_t i = 0; i < eun_tracker_count(rp->ctx); i++) {
		t = eun_tracker_at(rp->ctx, i);
		if (!strcmp(eun_tracker_name(t), name))
			return t;
	}
	if (!eun_plugin_find(rp->ctx, name)) {
		snprintf(err, size, "no tracker '%s' on the plugin path (see eunomia list)", name);
		return NULL;
	}
	t = eun_tracker_new(rp->ctx, name, NULL);
	if (!t)
		snprintf(err, size, "cannot create tracker '%s' for the replay: %s", name, library_error(-errno));
	return t;
}

static const struct eun_event_type *type_for(const struct eun_tracker *t, const char *name)
{
	const struct eun_plugin *p = eun_tracker_plugin(t);

	for (size_t i = 0; i < eun_plugin_event_type_count(p); i++)
		if (!strcmp(eun_plugin_event_type(p, i)->name, name))
			return eun_plugin_event_type(p, i);
	return NULL;
}

/* Replay one line. 0, or -1 with the reason in err. */
static int replay_line(struct replay *rp, const char *line, size_t len, char *err, size_t size)
{
	const struct json_value *tv, *yv;
	const struct eun_event_type *type;
	struct eun_tracker *t;
	struct json_value obj;
	void *rec;
	int rc;

	if (json_parse(line, len, &obj, err, size))
		return -1;
	tv = json_get(&obj, "tracker");
	yv = json_get(&obj, "type");
	rc = -1;
	if (obj.type != JSON_OBJECT || !tv || tv->type != JSON_STRING || !yv || yv->type != JSON_STRING) {
		snprintf(err, size, "an event is a JSON object with \"tracker\" and \"type\" strings");
		goto out;
	}
	if (!(t = tracker_for(rp, tv->str, err, size)))
		goto out;
	if (!(type = type_for(t, yv->str))) {
		snprintf(err, size, "tracker '%s' has no event type '%s'", tv->str, yv->str);
		goto out;
	}
	rec = malloc(type->record_size);
	if (!rec) {
		snprintf(err, size, "out of memory");
		goto out;
	}
	if (replay_record_build(type, &obj, rec, &rp->extra, err, size) == 0) {
		rc = eun_tracker_inject_record(t, rec, type->record_size);
		if (rc < 0)
			snprintf(err, size, "%s", library_error(rc));
		rc = rc < 0 ? -1 : 0;
	}
	free(rec);
out:
	json_free(&obj);
	return rc;
}

/* Replay every line of f. The number of bad lines, or -1 on a read error. */
static long replay_file(struct replay *rp, FILE *f, const char *name, unsigned long *events)
{
	char *line = NULL, err[512];
	size_t cap = 0;
	unsigned long lineno = 0;
	long bad = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		if (replay_line(rp, line, (size_t)n, err, sizeof(err))) {
			fprintf(stderr, "%s:%lu: %s\n", name, lineno, err);
			bad++;
			continue;
		}
		++*events;
	}
	free(line);
	if (ferror(f)) {
		cli_error("cannot read %s: %s", name, strerror(errno));
		return -1;
	}
	return bad;
}

static int parse_test_args(int argc, char *argv[], const char **events, bool *first_match)
{
	static const struct option long_options[] = {
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "first-match", no_argument, NULL, OPT_FIRST_MATCH },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_EVENTS:
			*events = optarg;
			break;
		case OPT_FIRST_MATCH:
			*first_match = true;
			break;
		case 'h':
		case OPT_HELP:
			print_test_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("rules test", c, argv);
		}
	}
	if (!*events)
		return usage_error("rules test", "--events EVENTS.jsonl is required");
	if (optind == argc)
		return usage_error("rules test", "at least one rules file or directory is required");
	return CLI_CONTINUE;
}

int cmd_rules_test(const struct global_opts *g, int argc, char *argv[])
{
	struct replay rp = { 0 };
	struct rules_load_result res;
	const char *events = NULL;
	bool first_match = false;
	unsigned long n_events = 0;
	long bad;
	FILE *f;
	int code = parse_test_args(argc, argv, &events, &first_match);

	if (code != CLI_CONTINUE)
		return code;
	f = strcmp(events, "-") ? fopen(events, "re") : stdin;
	if (!f) {
		cli_error("cannot open %s: %s", events, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	rp.ctx = cli_ctx_open(g, false);
	if (!rp.ctx) {
		code = CLI_EXIT_RUNTIME;
		goto out;
	}
	rp.rules = cli_rules_load(rp.ctx, argv + optind, (size_t)(argc - optind), first_match, &res);
	if (!rp.rules || res.errors) {
		if (rp.rules)
			fprintf(stderr, "eunomia: the rules have %zu error%s; nothing replayed\n", res.errors,
				res.errors == 1 ? "" : "s");
		code = CLI_EXIT_USAGE;
		goto out;
	}
	eun_rules_set_alert_fn(rp.rules, on_alert, &rp);
	eun_ctx_set_event_fn(rp.ctx, on_event, &rp);
	bad = replay_file(&rp, f, strcmp(events, "-") ? events : "<stdin>", &n_events);
	fprintf(stderr, "eunomia: %lu events replayed, %lu alerts%s\n", n_events, rp.alerts,
		bad > 0 ? "; some lines could not be replayed" : "");
	code = bad < 0 ? CLI_EXIT_RUNTIME : bad > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	if (rp.write_error) {
		cli_error("cannot write the alerts: %s", strerror(rp.write_error));
		code = CLI_EXIT_RUNTIME;
	}
out:
	eun_rules_free(rp.rules);
	eun_ctx_free(rp.ctx);
	free(rp.line);
	if (f != stdin)
		fclose(f);
	return finish_stdout(code);
}
