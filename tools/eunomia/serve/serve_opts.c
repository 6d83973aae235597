/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The flags of `eunomia serve`: listeners, TLS, roles, tokens, state, limits,
 * and the trackers and outputs to start at boot (as `eunomia run` names them). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../args.h"
#include "../diag.h"
#include "../exit_codes.h"
#include "../output_spec.h"
#include "serve_opts.h"

enum serve_option {
	OPT_LISTEN = LONG_ONLY_OPTION,
	OPT_SOCKET_MODE,
	OPT_SOCKET_GROUP,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TLS_CLIENT_CA,
	OPT_UNIX_ADMIN,
	OPT_UNIX_OBSERVER,
	OPT_UNIX_DEFAULT_ROLE,
	OPT_CERT_ROLE,
	OPT_TOKENS,
	OPT_STATE_DIR,
	OPT_TRUSTED_KEYS,
	OPT_OUTPUT,
	OPT_FORMAT,
	OPT_SET,
	OPT_PID,
	OPT_UID,
	OPT_COMM,
	OPT_CGROUP,
	OPT_CONTAINER,
	OPT_ROTATE_SIZE,
	OPT_ROTATE_KEEP,
	OPT_METRICS,
	OPT_METRICS_LABEL,
	OPT_MAX_CONNECTIONS,
	OPT_MAX_PER_ADDRESS,
	OPT_IDLE_TIMEOUT,
	OPT_REQUEST_TIMEOUT,
	OPT_MAX_PLUGIN_SIZE,
	OPT_STREAM_BUFFER,
	OPT_STREAM_BUFFER_SIZE,
	OPT_MAX_STREAMS,
	OPT_HELP,
};

/* What the boot flags collect before they become serve_boot_tracker entries. */
struct boot_flags {
	const char *trackers; /* TRACKER[,TRACKER...] */
	const char *common[5][2]; /* pid, uid, comm, cgroup, container */
	const char **sets;    /* --set TRACKER.KEY=VALUE */
	size_t n_sets;
	const char *format;   /* -f */
};

static void print_help(FILE *f)
{
	fputs("Usage: eunomia serve [OPTIONS] [TRACKER[,TRACKER...]]\n"
	      "\n"
	      "Run a context as a service with an HTTP API (docs/control-plane.md): the\n"
	      "trackers, outputs and metrics given here start at boot; everything else\n"
	      "comes and goes over the API. Stops on SIGINT/SIGTERM.\n"
	      "\n"
	      "Listening and access:\n"
	      "      --listen unix:PATH|HOST:PORT  repeatable; default unix:" SERVE_DEFAULT_SOCKET "\n"
	      "                            (TCP on a non-loopback address needs TLS)\n"
	      "      --socket-mode MODE    permissions of unix sockets (default 0660)\n"
	      "      --socket-group GROUP  group of unix sockets (name or gid)\n"
	      "      --tls-cert FILE, --tls-key FILE   serve TCP over TLS (PEM)\n"
	      "      --tls-client-ca FILE  accept client certificates signed by this CA\n"
	      "      --cert-role CN=ROLE   role of a client certificate's common name\n"
	      "                            (verified certificates are observers otherwise)\n"
	      "      --unix-admin UID|@GID, --unix-observer UID|@GID\n"
	      "                            role of unix-socket peers (uid 0 is admin)\n"
	      "      --unix-default-role observer|none  role of the other peers (observer)\n"
	      "      --tokens FILE         bearer tokens (NAME ROLE sha256:HEX lines, mode\n"
	      "                            0600; 'eunomia token add' writes them)\n"
	      "      --state-dir DIR       uploaded plugins (default " SERVE_DEFAULT_STATE_DIR ")\n"
	      "      --trusted-keys FILE   accept only plugins signed by these Ed25519 keys\n"
	      "\n"
	      "Started at boot (as with 'eunomia run'):\n"
	      "  TRACKER[,...], -o [FORMAT:]FILE, -f FORMAT, --set TRACKER.KEY=VALUE,\n"
	      "  -p PID, -u UID, -c COMM, --cgroup PATH, --container ID|NAME,\n"
	      "  --rotate-size SIZE, --rotate-keep N, --metrics HOST:PORT,\n"
	      "  --metrics-label TRACKER.FIELD\n"
	      "\n"
	      "Limits:\n"
	      "      --max-connections N   per listener (default 256)\n"
	      "      --max-per-address N   per client address or uid (default 32)\n"
	      "      --idle-timeout S      close connections idle this long (default 30)\n"
	      "      --request-timeout S   whole request headers within S (default 10)\n"
	      "      --max-plugin-size SIZE  largest plugin upload (default 64M)\n"
	      "      --stream-buffer N     events kept for replay (default 16384; 0: no streams)\n"
	      "      --stream-buffer-size SIZE  bytes kept for replay (default 32M)\n"
	      "      --max-streams N       concurrent event streams (default 64)\n"
	      "  -h, --help                print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		cli_error("out of memory");
		exit(CLI_EXIT_RUNTIME);
	}
	return d;
}

static void *grow(void *p, size_t n, size_t size)
{
	void *g = reallocarray(p, n, size);

	if (!g) {
		cli_error("out of memory");
		exit(CLI_EXIT_RUNTIME);
	}
	return g;
}

static int add_listen(struct serve_config *c, const char *arg)
{
	char err[256];

	c->listen = grow(c->listen, c->n_listen + 1, sizeof(*c->listen));
	if (serve_listen_parse(arg, &c->listen[c->n_listen], err, sizeof(err)) < 0) {
		c->n_listen++; /* freed with the rest */
		return usage_error("serve", "%s", err);
	}
	c->n_listen++;
	return CLI_CONTINUE;
}

static int add_unix_role(struct serve_config *c, const char *arg, enum serve_role role)
{
	struct serve_unix_role *r;
	bool group = arg[0] == '@';
	uint32_t id;

	if (parse_u32(arg + group, &id) < 0)
		return usage_error("serve", "--unix-%s needs a numeric uid or @gid, not '%s'",
				   serve_role_name(role), arg);
	c->unix_roles = grow(c->unix_roles, c->n_unix_roles + 1, sizeof(*c->unix_roles));
	r = &c->unix_roles[c->n_unix_roles++];
	r->is_group = group;
	r->id = id;
	r->role = role;
	return CLI_CONTINUE;
}

static int add_cert_role(struct serve_config *c, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	enum serve_role role;

	if (!eq || eq == arg || serve_role_parse(eq + 1, &role) < 0)
		return usage_error("serve", "--cert-role needs CN=admin or CN=observer, not '%s'", arg);
	c->cert_roles = grow(c->cert_roles, c->n_cert_roles + 1, sizeof(*c->cert_roles));
	c->cert_roles[c->n_cert_roles].cn = strndup(arg, (size_t)(eq - arg));
	c->cert_roles[c->n_cert_roles++].role = role;
	return CLI_CONTINUE;
}

static int add_output(struct serve_config *c, const char *arg)
{
	struct output_spec spec;
	struct serve_boot_output *o;

	if (output_spec_parse(arg, &spec) < 0)
		return usage_error("serve", "-o %s names a format but no file", arg);
	c->outputs = grow(c->outputs, c->n_outputs + 1, sizeof(*c->outputs));
	o = &c->outputs[c->n_outputs++];
	o->path = dup_or_die(spec.path ? spec.path : "-");
	o->format = spec.format == OUTPUT_CSV ? dup_or_die("csv")
		  : spec.format == OUTPUT_TEXT ? dup_or_die("text")
		  : spec.format == OUTPUT_JSON ? dup_or_die("json") : NULL;
	return CLI_CONTINUE;
}

static int take_uint(const char *opt, const char *arg, unsigned *out)
{
	uint32_t v;

	if (parse_u32(arg, &v) < 0)
		return usage_error("serve", "%s needs a number, not '%s'", opt, arg);
	*out = v;
	return CLI_CONTINUE;
}

static int take_size(const char *opt, const char *arg, size_t *out)
{
	uint64_t v;

	if (parse_size(arg, &v) < 0 || v > SIZE_MAX)
		return usage_error("serve", "%s needs a size with an optional k, M or G suffix, not "
				   "'%s'", opt, arg);
	*out = (size_t)v;
	return CLI_CONTINUE;
}

static int take_mode(struct serve_config *c, const char *arg)
{
	char *end;
	unsigned long m = strtoul(arg, &end, 8);

	if (!*arg || *end || m > 0777)
		return usage_error("serve", "--socket-mode needs octal permission bits, e.g. 0660, not "
				   "'%s'", arg);
	c->socket_mode = (unsigned)m;
	return CLI_CONTINUE;
}

/* Add entry key=value to tracker t (a later value of a key replaces an earlier one). */
static void boot_set(struct serve_boot_tracker *t, const char *key, const char *value)
{
	for (size_t i = 0; i < t->n_config; i++)
		if (!strcmp(t->config[i].key, key)) {
			free((char *)t->config[i].value);
			t->config[i].value = dup_or_die(value);
			return;
		}
	t->config = grow(t->config, t->n_config + 1, sizeof(*t->config));
	t->config[t->n_config].key = dup_or_die(key);
	t->config[t->n_config++].value = dup_or_die(value);
}

/* Turn the boot flags into c->trackers and give the outputs their format. */
static int build_boot(struct serve_config *c, const struct boot_flags *b)
{
	char *list, *save = NULL;

	for (size_t i = 0; i < c->n_outputs; i++)
		if (!c->outputs[i].format)
			c->outputs[i].format = dup_or_die(b->format ? b->format : "json");
	if (!b->trackers) {
		if (b->n_sets)
			return usage_error("serve", "--set %s: no tracker is started at boot", b->sets[0]);
		return CLI_CONTINUE;
	}
	list = dup_or_die(b->trackers);
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct serve_boot_tracker *t;

		c->trackers = grow(c->trackers, c->n_trackers + 1, sizeof(*c->trackers));
		t = &c->trackers[c->n_trackers++];
		memset(t, 0, sizeof(*t));
		t->name = dup_or_die(name);
		for (int k = 0; k < 5; k++)
			if (b->common[k][1])
				boot_set(t, b->common[k][0], b->common[k][1]);
	}
	free(list);
	for (size_t s = 0; s < b->n_sets; s++) {
		char *text = dup_or_die(b->sets[s]), *dot = strchr(text, '.'), *eq = strchr(text, '=');
		bool found = false;

		if (!dot || !eq || dot > eq || dot == text || dot + 1 == eq) {
			free(text);
			return usage_error("serve", "--set needs TRACKER.KEY=VALUE, not '%s'", b->sets[s]);
		}
		*dot = *eq = '\0';
		for (size_t i = 0; i < c->n_trackers; i++)
			if (!strcmp(c->trackers[i].name, text)) {
				boot_set(&c->trackers[i], dot + 1, eq + 1);
				found = true;
			}
		if (!found) {
			usage_error("serve", "--set %s: tracker '%s' is not started at boot", b->sets[s],
				    text);
			free(text);
			return CLI_EXIT_USAGE;
		}
		free(text);
	}
	return CLI_CONTINUE;
}

static int apply(struct serve_config *c, struct boot_flags *b, int opt, char *argv[])
{
	enum output_format fmt;

	switch (opt) {
	case OPT_LISTEN: return add_listen(c, optarg);
	case OPT_SOCKET_MODE: return take_mode(c, optarg);
	case OPT_SOCKET_GROUP: free(c->socket_group); c->socket_group = dup_or_die(optarg); break;
	case OPT_TLS_CERT: free(c->tls_cert); c->tls_cert = dup_or_die(optarg); break;
	case OPT_TLS_KEY: free(c->tls_key); c->tls_key = dup_or_die(optarg); break;
	case OPT_TLS_CLIENT_CA: free(c->tls_client_ca); c->tls_client_ca = dup_or_die(optarg); break;
	case OPT_UNIX_ADMIN: return add_unix_role(c, optarg, ROLE_ADMIN);
	case OPT_UNIX_OBSERVER: return add_unix_role(c, optarg, ROLE_OBSERVER);
	case OPT_UNIX_DEFAULT_ROLE:
		if (!strcmp(optarg, "none"))
			c->unix_default_role = ROLE_NONE;
		else if (serve_role_parse(optarg, &c->unix_default_role) < 0)
			return usage_error("serve", "--unix-default-role needs observer, admin or none");
		break;
	case OPT_CERT_ROLE: return add_cert_role(c, optarg);
	case OPT_TOKENS: free(c->tokens_file); c->tokens_file = dup_or_die(optarg); break;
	case OPT_STATE_DIR: free(c->state_dir); c->state_dir = dup_or_die(optarg); break;
	case OPT_TRUSTED_KEYS: free(c->trusted_keys_file); c->trusted_keys_file = dup_or_die(optarg); break;
	case 'o': case OPT_OUTPUT: return add_output(c, optarg);
	case 'f': case OPT_FORMAT:
		if (output_format_parse(optarg, &fmt) < 0)
			return usage_error("serve", "unknown format '%s' (json, csv or text)", optarg);
		b->format = optarg;
		break;
	case OPT_SET:
		b->sets = grow(b->sets, b->n_sets + 1, sizeof(*b->sets));
		b->sets[b->n_sets++] = optarg;
		break;
	case 'p': case OPT_PID: b->common[0][1] = optarg; break;
	case 'u': case OPT_UID: b->common[1][1] = optarg; break;
	case 'c': case OPT_COMM: b->common[2][1] = optarg; break;
	case OPT_CGROUP: b->common[3][1] = optarg; break;
	case OPT_CONTAINER: b->common[4][1] = optarg; break;
	case OPT_ROTATE_SIZE: {
		size_t v = 0;
		int rc = take_size("--rotate-size", optarg, &v);

		c->rotate_bytes = v;
		return rc;
	}
	case OPT_ROTATE_KEEP: return take_uint("--rotate-keep", optarg, &c->rotate_keep);
	case OPT_METRICS: free(c->metrics_addr); c->metrics_addr = dup_or_die(optarg); break;
	case OPT_METRICS_LABEL:
		c->metrics_labels = grow(c->metrics_labels, c->n_metrics_labels + 1, sizeof(char *));
		c->metrics_labels[c->n_metrics_labels++] = dup_or_die(optarg);
		break;
	case OPT_MAX_CONNECTIONS: return take_uint("--max-connections", optarg, &c->max_connections);
	case OPT_MAX_PER_ADDRESS: return take_uint("--max-per-address", optarg, &c->max_per_address);
	case OPT_IDLE_TIMEOUT: return take_uint("--idle-timeout", optarg, &c->idle_timeout_s);
	case OPT_REQUEST_TIMEOUT: return take_uint("--request-timeout", optarg, &c->request_timeout_s);
	case OPT_MAX_PLUGIN_SIZE: return take_size("--max-plugin-size", optarg, &c->max_plugin_bytes);
	case OPT_STREAM_BUFFER: {
		unsigned v = 0;
		int rc = take_uint("--stream-buffer", optarg, &v);

		c->stream_buffer_events = v;
		return rc;
	}
	case OPT_STREAM_BUFFER_SIZE:
		return take_size("--stream-buffer-size", optarg, &c->stream_buffer_bytes);
	case OPT_MAX_STREAMS: return take_uint("--max-streams", optarg, &c->max_streams);
	case 'h': case OPT_HELP:
		print_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	default:
		return report_bad_option("serve", opt, argv);
	}
	return CLI_CONTINUE;
}

int serve_opts_parse(struct serve_config *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "socket-mode", required_argument, NULL, OPT_SOCKET_MODE },
		{ "socket-group", required_argument, NULL, OPT_SOCKET_GROUP },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "tls-client-ca", required_argument, NULL, OPT_TLS_CLIENT_CA },
		{ "unix-admin", required_argument, NULL, OPT_UNIX_ADMIN },
		{ "unix-observer", required_argument, NULL, OPT_UNIX_OBSERVER },
		{ "unix-default-role", required_argument, NULL, OPT_UNIX_DEFAULT_ROLE },
		{ "cert-role", required_argument, NULL, OPT_CERT_ROLE },
		{ "tokens", required_argument, NULL, OPT_TOKENS },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "trusted-keys", required_argument, NULL, OPT_TRUSTED_KEYS },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "set", required_argument, NULL, OPT_SET },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
		{ "rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "metrics-label", required_argument, NULL, OPT_METRICS_LABEL },
		{ "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
		{ "max-per-address", required_argument, NULL, OPT_MAX_PER_ADDRESS },
		{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
		{ "request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT },
		{ "max-plugin-size", required_argument, NULL, OPT_MAX_PLUGIN_SIZE },
		{ "stream-buffer", required_argument, NULL, OPT_STREAM_BUFFER },
		{ "stream-buffer-size", required_argument, NULL, OPT_STREAM_BUFFER_SIZE },
		{ "max-streams", required_argument, NULL, OPT_MAX_STREAMS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct boot_flags b = { .common = { { "pid" }, { "uid" }, { "comm" }, { "cgroup" },
					    { "container" } } };
	int opt, code = CLI_CONTINUE;

	optind = 0;
	while (code == CLI_CONTINUE &&
	       (opt = getopt_long(argc, argv, ":o:f:p:u:c:h", opts, NULL)) != -1)
		code = apply(c, &b, opt, argv);
	if (code == CLI_CONTINUE && optind < argc) {
		if (argc - optind > 1)
			code = usage_error("serve", "unexpected argument '%s' (separate trackers with "
					   "commas)", argv[optind + 1]);
		else
			b.trackers = argv[optind];
	}
	if (code == CLI_CONTINUE && b.common[3][1] && b.common[4][1])
		code = usage_error("serve", "--cgroup and --container both choose the cgroup; give one");
	if (code == CLI_CONTINUE)
		code = build_boot(c, &b);
	free(b.sets);
	return code;
}
