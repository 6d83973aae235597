/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The commands of `eunomia --server ...`: the local verbs, done by a daemon. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "../args.h"
#include "../diag.h"
#include "../exit_codes.h"
#include "../table.h"
#include "remote.h"

/* GET path and hand the JSON to show(). Exit status. */
static int get_json(struct remote *r, const char *path, int (*show)(json_t *j, const char *arg),
		    const char *arg)
{
	struct remote_reply rep;
	int code = remote_call(r, "GET", path, NULL, 0, NULL, NULL, &rep);

	if (code == CLI_CONTINUE && (code = remote_check(&rep)) == CLI_CONTINUE)
		code = rep.json ? show(rep.json, arg) : (cli_error("the daemon's reply is not JSON"),
							 CLI_EXIT_RUNTIME);
	remote_reply_free(&rep);
	return code;
}

/* Send a JSON body (taken) and print the reply's member `print` (NULL: all). */
static int send_json(struct remote *r, const char *method, const char *path, json_t *body,
		     const char *print)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	struct remote_reply rep;
	int code;

	json_decref(body);
	code = remote_call(r, method, path, text, text ? strlen(text) : 0,
			   text ? "application/json" : NULL, NULL, &rep);
	free(text);
	if (code == CLI_CONTINUE && (code = remote_check(&rep)) == CLI_CONTINUE) {
		json_t *v = print ? json_object_get(rep.json, print) : rep.json;

		if (json_is_string(v))
			printf("%s\n", json_string_value(v));
		else if (v)
			json_dumpf(v, stdout, JSON_INDENT(2)), putchar('\n');
		code = finish_stdout(CLI_EXIT_OK);
	}
	remote_reply_free(&rep);
	return code;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* ---- list ------------------------------------------------------------ */

static int show_plugins(json_t *j, const char *arg)
{
	struct table t = TABLE_INIT(4);
	size_t i;
	json_t *p;

	(void)arg;
	table_add_row(&t, (const char *const[]){ "TRACKER", "VERSION", "STATE", "DESCRIPTION" });
	json_array_foreach(json_object_get(j, "plugins"), i, p)
		table_add_row(&t, (const char *const[]){ str(p, "name"), str(p, "version"),
							 str(p, "state"), str(p, "description") });
	table_print(&t, stdout, 0);
	table_clear(&t);
	return finish_stdout(CLI_EXIT_OK);
}

static int show_plugin(json_t *p, const char *arg)
{
	size_t i, k;
	json_t *et, *f, *ck;

	(void)arg;
	printf("%s %s: %s\n  state: %s\n  path: %s\n", str(p, "name"), str(p, "version"),
	       str(p, "description"), str(p, "state"), str(p, "path"));
	if (json_is_string(json_object_get(p, "error")))
		printf("  error: %s\n", str(p, "error"));
	json_array_foreach(json_object_get(p, "event_types"), i, et) {
		printf("\nevent type %s: %s\n", str(et, "name"), str(et, "description"));
		json_array_foreach(json_object_get(et, "fields"), k, f)
			printf("  %-20s %-9s %-8s %s\n", str(f, "name"), str(f, "type"), str(f, "unit"),
			       str(f, "description"));
	}
	printf("\nconfig keys:\n");
	json_array_foreach(json_object_get(p, "config_keys"), i, ck)
		printf("  %-20s %-7s default %-8s %s\n", str(ck, "name"), str(ck, "type"),
		       json_is_string(json_object_get(ck, "default")) ? str(ck, "default") : "-",
		       str(ck, "description"));
	return finish_stdout(CLI_EXIT_OK);
}

static int remote_list(struct remote *r, int argc, char *argv[])
{
	char path[256];

	if (argc > 2)
		return usage_error("list", "give at most one tracker");
	if (argc == 1)
		return get_json(r, "/v1/plugins", show_plugins, NULL);
	snprintf(path, sizeof(path), "/v1/plugins/%s", argv[1]);
	return get_json(r, path, show_plugin, NULL);
}

/* ---- run, set, stop -------------------------------------------------- */

/* The config of tracker name: the keys for every tracker, then its own
 * TRACKER.KEY ones. */
static json_t *config_for(json_t *all, json_t *own, const char *name)
{
	json_t *cfg = json_deep_copy(all), *v;
	size_t len = strlen(name);
	const char *key;

	json_object_foreach(own, key, v)
		if (!strncmp(key, name, len) && key[len] == '.')
			json_object_set(cfg, key + len + 1, v);
	return cfg;
}

static int remote_run(struct remote *r, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "set", required_argument, NULL, 's' }, { "pid", required_argument, NULL, 'p' },
		{ "uid", required_argument, NULL, 'u' }, { "comm", required_argument, NULL, 'c' },
		{ "cgroup", required_argument, NULL, 'g' },
		{ "container", required_argument, NULL, 'C' }, { 0 },
	};
	json_t *all = json_object(), *own = json_object();
	char *list, *save = NULL;
	int c, code = CLI_EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":p:u:c:", opts, NULL)) != -1) {
		const char *key = c == 'p' ? "pid" : c == 'u' ? "uid" : c == 'c' ? "comm"
				: c == 'g' ? "cgroup" : c == 'C' ? "container" : NULL;
		char *eq;

		if (key) {
			json_object_set_new(all, key, json_string(optarg));
			continue;
		}
		if (c != 's' || !(eq = strchr(optarg, '=')) || eq == optarg) {
			json_decref(all);
			json_decref(own);
			return usage_error("run", "use --set [TRACKER.]KEY=VALUE, -p PID, -u UID, "
					   "-c COMM, --cgroup PATH or --container ID");
		}
		*eq = '\0';
		json_object_set_new(strchr(optarg, '.') ? own : all, optarg, json_string(eq + 1));
	}
	if (optind != argc - 1) {
		json_decref(all);
		json_decref(own);
		return usage_error("run", "give TRACKER[,TRACKER...] (the daemon prints each one's id)");
	}
	list = strdup(argv[optind]);
	for (char *name = strtok_r(list, ",", &save); name && code == CLI_EXIT_OK;
	     name = strtok_r(NULL, ",", &save))
		code = send_json(r, "POST", "/v1/trackers",
				 json_pack("{s:s, s:o}", "tracker", name, "config",
					   config_for(all, own, name)), "id");
	free(list);
	json_decref(all);
	json_decref(own);
	return code;
}

static int remote_set(struct remote *r, int argc, char *argv[])
{
	json_t *config = json_object();
	char path[256];

	if (argc < 3) {
		json_decref(config);
		return usage_error("set", "give ID KEY=VALUE... (KEY= removes the key)");
	}
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i]) {
			json_decref(config);
			return usage_error("set", "'%s' is not KEY=VALUE", argv[i]);
		}
		*eq = '\0';
		json_object_set_new(config, argv[i], eq[1] ? json_string(eq + 1) : json_null());
	}
	snprintf(path, sizeof(path), "/v1/trackers/%s", argv[1]);
	return send_json(r, "PATCH", path, json_pack("{s:o}", "config", config), "id");
}

static int delete_ids(struct remote *r, const char *what, int argc, char *argv[])
{
	int code = CLI_EXIT_OK;
	char path[256];

	if (argc < 2)
		return usage_error(argv[0], "give the ids to remove ('status' lists them)");
	for (int i = 1; i < argc && code == CLI_EXIT_OK; i++) {
		snprintf(path, sizeof(path), "/v1/%s/%s", what, argv[i]);
		code = send_json(r, "DELETE", path, NULL, "id");
	}
	return code;
}

/* ---- status ---------------------------------------------------------- */

static int show_trackers(json_t *j, const char *arg)
{
	struct table t = TABLE_INIT(6);
	size_t i;
	json_t *in;

	(void)arg;
	table_add_row(&t, (const char *const[]){ "ID", "TRACKER", "STATE", "EVENTS", "DROPS",
						 "CONFIG" });
	json_array_foreach(json_object_get(j, "trackers"), i, in) {
		json_t *st = json_object_get(in, "stats");
		char ev[24], dr[24], *cfg = json_dumps(json_object_get(in, "config"), JSON_COMPACT);

		snprintf(ev, sizeof(ev), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(st, "events")));
		snprintf(dr, sizeof(dr), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(st, "kernel_drops")));
		table_add_row(&t, (const char *const[]){ str(in, "id"), str(in, "tracker"),
							 str(in, "state"), ev, dr, cfg });
		free(cfg);
	}
	table_print(&t, stdout, 0);
	table_clear(&t);
	return CLI_EXIT_OK;
}

static int show_outputs(json_t *j, const char *arg)
{
	struct table t = TABLE_INIT(4);
	size_t i;
	json_t *o;

	(void)arg;
	table_add_row(&t, (const char *const[]){ "ID", "FORMAT", "PATH", "ERROR" });
	json_array_foreach(json_object_get(j, "outputs"), i, o)
		table_add_row(&t, (const char *const[]){ str(o, "id"), str(o, "format"), str(o, "path"),
							 str(o, "error") });
	table_print(&t, stdout, 0);
	table_clear(&t);
	return finish_stdout(CLI_EXIT_OK);
}

static int show_health(json_t *j, const char *arg)
{
	(void)arg;
	printf("daemon %s: %s\n", arg, str(j, "status"));
	return CLI_EXIT_OK;
}

static int remote_status(struct remote *r, int argc, char *argv[])
{
	int code;

	(void)argv;
	if (argc != 1)
		return usage_error("status", "takes no argument");
	code = get_json(r, "/healthz", show_health, r->g->server);
	if (code == CLI_EXIT_OK)
		code = get_json(r, "/v1/trackers", show_trackers, NULL);
	if (code == CLI_EXIT_OK) {
		putchar('\n');
		code = get_json(r, "/v1/outputs", show_outputs, NULL);
	}
	return code;
}

/* ---- events ---------------------------------------------------------- */

/* Append "&name=value" (escaped) to the query. */
static void add_param(CURL *curl, char *q, size_t size, const char *name, const char *value)
{
	char *esc = curl_easy_escape(curl, value, 0);
	size_t len = strlen(q);

	snprintf(q + len, size - len, "%s%s=%s", len ? "&" : "?", name, esc ? esc : "");
	curl_free(esc);
}

static int remote_events(struct remote *r, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "tracker", required_argument, NULL, 't' }, { "type", required_argument, NULL, 'y' },
		{ "after", required_argument, NULL, 'a' }, { 0 },
	};
	char q[1024] = "", path[1100];
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return usage_error("events", "use --tracker NAME|ID, --type TYPE, --after SEQ");
		add_param(r->curl, q, sizeof(q), c == 't' ? "tracker" : c == 'y' ? "type" : "after",
			  optarg);
	}
	if (optind != argc)
		return usage_error("events", "unexpected argument '%s'", argv[optind]);
	add_param(r->curl, q, sizeof(q), "format", "ndjson");
	snprintf(path, sizeof(path), "/v1/events%s", q);
	return remote_stream(r, path);
}

/* ---- plugins ----------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (buf = malloc((size_t)st.st_size + 1)) &&
	    read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	if (fd >= 0)
		close(fd);
	if (buf) {
		*len = (size_t)st.st_size;
		buf[*len] = '\0';
	}
	return buf;
}

static int remote_load_plugin(struct remote *r, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "sig", required_argument, NULL, 's' },
		{ 0 },
	};
	const char *name = NULL, *sig_path = NULL;
	char path[256], hdr[256] = "", *data, *sig = NULL, *base, *dot;
	struct remote_reply rep;
	size_t len, slen;
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'n')
			name = optarg;
		else if (c == 's')
			sig_path = optarg;
		else
			return usage_error("load-plugin", "use FILE [--name NAME] [--sig FILE.sig]");
	}
	if (optind != argc - 1)
		return usage_error("load-plugin", "give the plugin's .so file");
	if (!(data = slurp(argv[optind], &len))) {
		cli_error("cannot read %s: %s", argv[optind], strerror(errno));
		return CLI_EXIT_USAGE;
	}
	if (sig_path) {
		if (!(sig = slurp(sig_path, &slen))) {
			free(data);
			cli_error("cannot read the signature %s: %s", sig_path, strerror(errno));
			return CLI_EXIT_USAGE;
		}
		sig[strcspn(sig, " \r\n")] = '\0';
		snprintf(hdr, sizeof(hdr), "X-Eunomia-Signature: %s", sig);
	}
	base = strdup(name ? name : strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1
							      : argv[optind]);
	if (!name && (dot = strstr(base, ".so")))
		*dot = '\0';
	snprintf(path, sizeof(path), "/v1/plugins/%s", base);
	code = remote_call(r, "PUT", path, data, len, "application/octet-stream",
			   hdr[0] ? hdr : NULL, &rep);
	if (code == CLI_CONTINUE && (code = remote_check(&rep)) == CLI_CONTINUE) {
		printf("%s %s: %s", str(rep.json, "name"), str(rep.json, "version"),
		       json_is_true(json_object_get(rep.json, "unchanged")) ? "loaded already"
		       : rep.status == 201 ? "added" : "updated");
		if (json_array_size(json_object_get(rep.json, "updated"))) {
			size_t i;
			json_t *id;

			printf(", instances");
			json_array_foreach(json_object_get(rep.json, "updated"), i, id)
				printf(" %s", json_string_value(id));
		}
		putchar('\n');
		code = finish_stdout(CLI_EXIT_OK);
	}
	remote_reply_free(&rep);
	free(base);
	free(sig);
	free(data);
	return code;
}

/* ---- outputs ----------------------------------------------------------- */

static int remote_output_add(struct remote *r, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "rotate-size", required_argument, NULL, 's' },
		{ "rotate-keep", required_argument, NULL, 'k' }, { 0 },
	};
	const char *format = "json", *path;
	uint64_t size = 0;
	uint32_t keep = 0;
	char *colon;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((c == 's' && parse_size(optarg, &size) == 0) ||
		    (c == 'k' && parse_u32(optarg, &keep) == 0))
			continue;
		return usage_error("output-add", "use [FORMAT:]PATH [--rotate-size SIZE] "
				   "[--rotate-keep N]");
	}
	if (optind != argc - 1)
		return usage_error("output-add", "give [FORMAT:]PATH (an absolute path on the daemon's "
				   "machine, or - for its standard output)");
	path = argv[optind];
	if ((colon = strchr(path, ':')) && (!strncmp(path, "json:", 5) || !strncmp(path, "csv:", 4) ||
					    !strncmp(path, "text:", 5))) {
		*colon = '\0';
		format = path;
		path = colon + 1;
	}
	return send_json(r, "POST", "/v1/outputs",
			 json_pack("{s:s, s:s, s:I, s:I}", "format", format, "path", path,
				   "rotate_size", (json_int_t)size, "rotate_keep", (json_int_t)keep),
			 "id");
}

static int show_any(json_t *j, const char *arg)
{
	(void)arg;
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
	return finish_stdout(CLI_EXIT_OK);
}

static void print_help(void)
{
	fputs("Usage: eunomia --server URL|unix:PATH COMMAND [ARGS]\n"
	      "\n"
	      "  list [TRACKER]            the daemon's plugins, or one's schema\n"
	      "  run TRACKER[,...] [--set [TRACKER.]KEY=VALUE] [-p PID] [-u UID] [-c COMM]\n"
	      "                            start trackers; prints their ids\n"
	      "  set ID KEY=VALUE...       reconfigure a tracker without a gap (KEY= removes)\n"
	      "  stop ID...                stop and remove trackers\n"
	      "  status                    health, trackers and outputs\n"
	      "  events [--tracker NAME|ID] [--type TYPE] [--after SEQ]\n"
	      "                            stream events as JSON lines until Ctrl-C\n"
	      "  load-plugin FILE [--name NAME] [--sig FILE.sig]\n"
	      "                            upload a plugin; running instances are updated\n"
	      "  outputs                   the daemon's outputs\n"
	      "  output-add [FORMAT:]PATH [--rotate-size SIZE] [--rotate-keep N]\n"
	      "  output-rm ID...\n"
	      "  whoami                    who the daemon takes us for, and our role\n", stdout);
}

int remote_main(const struct global_opts *g, int argc, char *argv[])
{
	struct remote r;
	const char *cmd = argv[0];
	int code = remote_open(&r, g);

	if (code != CLI_CONTINUE)
		return code;
	if (!strcmp(cmd, "list"))
		code = remote_list(&r, argc, argv);
	else if (!strcmp(cmd, "run"))
		code = remote_run(&r, argc, argv);
	else if (!strcmp(cmd, "set"))
		code = remote_set(&r, argc, argv);
	else if (!strcmp(cmd, "stop"))
		code = delete_ids(&r, "trackers", argc, argv);
	else if (!strcmp(cmd, "status"))
		code = remote_status(&r, argc, argv);
	else if (!strcmp(cmd, "events"))
		code = remote_events(&r, argc, argv);
	else if (!strcmp(cmd, "load-plugin"))
		code = remote_load_plugin(&r, argc, argv);
	else if (!strcmp(cmd, "outputs"))
		code = get_json(&r, "/v1/outputs", show_outputs, NULL);
	else if (!strcmp(cmd, "output-add"))
		code = remote_output_add(&r, argc, argv);
	else if (!strcmp(cmd, "output-rm"))
		code = delete_ids(&r, "outputs", argc, argv);
	else if (!strcmp(cmd, "whoami"))
		code = get_json(&r, "/v1/whoami", show_any, NULL);
	else if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
		print_help();
		code = CLI_EXIT_OK;
	} else
		code = usage_error(NULL, "'%s' is not a command of a daemon (list, run, set, stop, "
				   "status, events, load-plugin, outputs, output-add, output-rm, "
				   "whoami)", cmd);
	remote_close(&r);
	return code;
}
