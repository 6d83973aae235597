/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Every setting of `eunomia serve` in one struct. The command-line flags
 * fill it (serve_opts.c); a config file may fill the same struct. Nothing
 * here opens a socket or a file: serve_config_validate() checks the
 * settings on their own, before anything starts.
 */
#ifndef EUNOMIA_SERVE_CONFIG_H
#define EUNOMIA_SERVE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <eunomia/eunomia.h>

#define SERVE_DEFAULT_SOCKET "/run/eunomia/eunomia.sock"
#define SERVE_DEFAULT_STATE_DIR "/var/lib/eunomia"

/* What a client may do: observers read and stream, admins also change. */
enum serve_role {
	ROLE_NONE = 0,
	ROLE_OBSERVER,
	ROLE_ADMIN,
};

/* "observer", "admin" or "none". */
const char *serve_role_name(enum serve_role r);
/* Parse "observer" or "admin". 0 or -EINVAL. */
int serve_role_parse(const char *text, enum serve_role *out);

/* One --listen address. */
struct serve_listen {
	bool is_unix;
	char *text; /* as given, for messages */
	char *path; /* unix: the socket's path */
	char *host; /* TCP: numeric address, without brackets */
	uint16_t port;
};

/* One unix-socket peer mapping: uid or gid -> role. */
struct serve_unix_role {
	bool is_group;
	uint32_t id;
	enum serve_role role;
};

/* One client-certificate mapping: subject common name -> role. */
struct serve_cert_role {
	char *cn;
	enum serve_role role;
};

/* A tracker started at boot, with its config entries (strings owned). */
struct serve_boot_tracker {
	char *name;
	struct eun_config_entry *config;
	size_t n_config;
};

/* An output opened at boot. */
struct serve_boot_output {
	char *format; /* json, csv or text */
	char *path;   /* a file, or "-" for standard output */
};

struct serve_config {
	struct serve_listen *listen;      /* none given: SERVE_DEFAULT_SOCKET */
	size_t n_listen;
	unsigned socket_mode;             /* of unix sockets, default 0660 */
	char *socket_group;               /* group of unix sockets (name or gid), NULL: ours */
	char *tls_cert, *tls_key;         /* PEM files; both or neither */
	char *tls_client_ca;              /* PEM; clients may then present certificates */
	struct serve_unix_role *unix_roles; /* uid 0 is admin unless mapped otherwise */
	size_t n_unix_roles;
	enum serve_role unix_default_role; /* unmapped unix peers; default observer */
	struct serve_cert_role *cert_roles; /* verified certificates; unmapped: observer */
	size_t n_cert_roles;
	char *tokens_file;                /* bearer tokens, 0600; NULL: none */
	char *state_dir;                  /* uploaded plugins live below it */
	char *trusted_keys_file;          /* Ed25519 keys; NULL: unsigned plugins accepted */
	char *plugin_path;                /* searched before the default plugin path */

	/* started at boot */
	struct serve_boot_tracker *trackers;
	size_t n_trackers;
	struct serve_boot_output *outputs;
	size_t n_outputs;
	uint64_t rotate_bytes;            /* for the boot outputs; 0: none */
	unsigned rotate_keep;
	char *metrics_addr;               /* a separate Prometheus listener, NULL: none */
	char **metrics_labels;
	size_t n_metrics_labels;

	/* limits */
	unsigned max_connections;         /* per listener */
	unsigned max_per_address;         /* per client address (TCP) or uid (unix) */
	unsigned idle_timeout_s;          /* a connection sending or taking nothing */
	unsigned request_timeout_s;       /* from connect (or the last response) to whole headers */
	size_t max_header_bytes;          /* request line and headers */
	size_t max_json_bytes;            /* JSON request bodies */
	size_t max_plugin_bytes;          /* uploaded plugin files */
	size_t stream_buffer_events;      /* replay ring of the event streams */
	size_t stream_buffer_bytes;
	unsigned max_streams;             /* concurrent event streams, all listeners */
	unsigned log_burst;               /* bad-request messages per 10 s, then a count */
};

/* Fill c with the defaults (no listener yet: validation adds the default socket). */
void serve_config_init(struct serve_config *c);

/* Check the settings on their own and fill in what defaults on others.
 * 0, or -EINVAL with a sentence naming the setting and the fix in err. */
int serve_config_validate(struct serve_config *c, char *err, size_t errlen);

/* Parse a --listen value ("unix:PATH", "HOST:PORT", "[V6]:PORT") into l. 0 or -EINVAL (err set). */
int serve_listen_parse(const char *text, struct serve_listen *l, char *err, size_t errlen);

/* True if l is a unix socket or a TCP address on the loopback. */
bool serve_listen_is_local(const struct serve_listen *l);

/* Free what c owns. */
void serve_config_free(struct serve_config *c);

#endif
