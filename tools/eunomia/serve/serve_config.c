/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The settings of `eunomia serve`: defaults, --listen values, validation. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "serve_config.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *serve_role_name(enum serve_role r)
{
	return r == ROLE_ADMIN ? "admin" : r == ROLE_OBSERVER ? "observer" : "none";
}

int serve_role_parse(const char *text, enum serve_role *out)
{
	if (!strcmp(text, "admin"))
		*out = ROLE_ADMIN;
	else if (!strcmp(text, "observer"))
		*out = ROLE_OBSERVER;
	else
		return -EINVAL;
	return 0;
}

void serve_config_init(struct serve_config *c)
{
	memset(c, 0, sizeof(*c));
	c->socket_mode = 0660;
	c->unix_default_role = ROLE_OBSERVER;
	c->max_connections = 256;
	c->max_per_address = 32;
	c->idle_timeout_s = 30;
	c->request_timeout_s = 10;
	c->max_header_bytes = 16 * 1024;
	c->max_json_bytes = 64 * 1024;
	c->max_plugin_bytes = 64u << 20;
	c->stream_buffer_events = 16384;
	c->stream_buffer_bytes = 32u << 20;
	c->max_streams = 64;
	c->log_burst = 10;
}

int serve_listen_parse(const char *text, struct serve_listen *l, char *err, size_t errlen)
{
	const char *colon;
	struct in6_addr a6;
	struct in_addr a4;
	unsigned long port;
	char *end;
	size_t hlen;

	memset(l, 0, sizeof(*l));
	if (!strncmp(text, "unix:", 5)) {
		if (!text[5])
			return fail(err, errlen, "--listen %s: give the socket's path, e.g. unix:%s", text,
				    SERVE_DEFAULT_SOCKET);
		if (strlen(text + 5) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return fail(err, errlen, "--listen %s: a unix socket path has at most %zu bytes",
				    text, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		l->is_unix = true;
		l->path = strdup(text + 5);
		l->text = strdup(text);
		return l->path && l->text ? 0 : -ENOMEM;
	}
	colon = strrchr(text, ':');
	if (!colon || colon == text || !colon[1])
		return fail(err, errlen, "--listen %s is neither unix:PATH nor HOST:PORT (e.g. "
			    "127.0.0.1:8527 or [::1]:8527)", text);
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end || errno || port > 65535 || colon[1] < '0' || colon[1] > '9')
		return fail(err, errlen, "--listen %s: the port must be a number from 0 to 65535", text);
	hlen = (size_t)(colon - text);
	if (text[0] == '[') {
		if (hlen < 3 || text[hlen - 1] != ']')
			return fail(err, errlen, "--listen %s: an IPv6 address goes in brackets, e.g. "
				    "[::1]:8527", text);
		l->host = strndup(text + 1, hlen - 2);
	} else {
		l->host = strndup(text, hlen);
	}
	l->text = strdup(text);
	if (!l->host || !l->text)
		return -ENOMEM;
	if (inet_pton(AF_INET, l->host, &a4) != 1 && inet_pton(AF_INET6, l->host, &a6) != 1)
		return fail(err, errlen, "--listen %s: '%s' is not a numeric IPv4 or IPv6 address "
			    "(host names are not resolved)", text, l->host);
	l->port = (uint16_t)port;
	return 0;
}

bool serve_listen_is_local(const struct serve_listen *l)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (l->is_unix)
		return true;
	if (inet_pton(AF_INET, l->host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, l->host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* The default listener when none is given. */
static int add_default_listener(struct serve_config *c, char *err, size_t errlen)
{
	c->listen = calloc(1, sizeof(*c->listen));
	if (!c->listen)
		return -ENOMEM;
	c->n_listen = 1;
	return serve_listen_parse("unix:" SERVE_DEFAULT_SOCKET, c->listen, err, errlen);
}

static int check_listeners(const struct serve_config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n_listen; i++) {
		const struct serve_listen *l = &c->listen[i];

		if (!l->is_unix && !serve_listen_is_local(l) && !c->tls_cert)
			return fail(err, errlen, "--listen %s is not a loopback address and TLS is not "
				    "configured: tokens would cross the network in clear text; add "
				    "--tls-cert FILE --tls-key FILE, or listen on 127.0.0.1 or a unix "
				    "socket", l->text);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->listen[j].text, l->text))
				return fail(err, errlen, "--listen %s is given twice", l->text);
	}
	return 0;
}

static int check_tls(const struct serve_config *c, char *err, size_t errlen)
{
	if (!c->tls_cert != !c->tls_key)
		return fail(err, errlen, "--tls-cert and --tls-key go together: give both PEM files");
	if (c->tls_client_ca && !c->tls_cert)
		return fail(err, errlen, "--tls-client-ca needs TLS: add --tls-cert and --tls-key");
	if (c->n_cert_roles && !c->tls_client_ca)
		return fail(err, errlen, "--cert-role maps client certificates, which need "
			    "--tls-client-ca FILE");
	return 0;
}

static int check_limits(const struct serve_config *c, char *err, size_t errlen)
{
	if (c->max_connections < 4 || c->max_connections > 65536)
		return fail(err, errlen, "--max-connections must be from 4 to 65536, not %u",
			    c->max_connections);
	if (!c->max_per_address || c->max_per_address > c->max_connections)
		return fail(err, errlen, "--max-per-address must be from 1 to --max-connections (%u), "
			    "not %u", c->max_connections, c->max_per_address);
	if (!c->idle_timeout_s || c->idle_timeout_s > 3600 || !c->request_timeout_s ||
	    c->request_timeout_s > 3600)
		return fail(err, errlen, "the idle and request timeouts must be from 1 to 3600 s");
	if (c->max_header_bytes < 1024 || c->max_header_bytes > (1u << 20))
		return fail(err, errlen, "--max-header-size must be from 1k to 1M");
	if (c->stream_buffer_events && c->stream_buffer_events < 2)
		return fail(err, errlen, "--stream-buffer must be 0 (no event streams) or at least 2 "
			    "events");
	if (c->rotate_keep && !c->rotate_bytes)
		return fail(err, errlen, "--rotate-keep needs --rotate-size SIZE");
	if (c->socket_mode & ~0777u)
		return fail(err, errlen, "--socket-mode must be permission bits, e.g. 0660");
	return 0;
}

static int check_boot(const struct serve_config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n_outputs; i++) {
		const struct serve_boot_output *o = &c->outputs[i];

		if (strcmp(o->format, "json") && strcmp(o->format, "csv") && strcmp(o->format, "text"))
			return fail(err, errlen, "output %s: unknown format '%s' (json, csv or text)",
				    o->path, o->format);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->outputs[j].path, o->path))
				return fail(err, errlen, "output '%s' is given twice", o->path);
	}
	for (size_t i = 0; i < c->n_trackers; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->trackers[j].name, c->trackers[i].name))
				return fail(err, errlen, "tracker '%s' is given twice to start at boot; "
					    "start more instances over the API", c->trackers[i].name);
	return 0;
}

int serve_config_validate(struct serve_config *c, char *err, size_t errlen)
{
	int rc;

	if (!c->n_listen && (rc = add_default_listener(c, err, errlen)))
		return rc;
	if (!c->state_dir && !(c->state_dir = strdup(SERVE_DEFAULT_STATE_DIR)))
		return -ENOMEM;
	if ((rc = check_tls(c, err, errlen)) || (rc = check_listeners(c, err, errlen)) ||
	    (rc = check_limits(c, err, errlen)) || (rc = check_boot(c, err, errlen)))
		return rc;
	return 0;
}

static void listen_free(struct serve_listen *l)
{
	free(l->text);
	free(l->path);
	free(l->host);
}

void serve_config_free(struct serve_config *c)
{
	for (size_t i = 0; i < c->n_listen; i++)
		listen_free(&c->listen[i]);
	free(c->listen);
	for (size_t i = 0; i < c->n_cert_roles; i++)
		free(c->cert_roles[i].cn);
	free(c->cert_roles);
	free(c->unix_roles);
	for (size_t i = 0; i < c->n_trackers; i++) {
		for (size_t k = 0; k < c->trackers[i].n_config; k++) {
			free((char *)c->trackers[i].config[k].key);
			free((char *)c->trackers[i].config[k].value);
		}
		free(c->trackers[i].config);
		free(c->trackers[i].name);
	}
	free(c->trackers);
	for (size_t i = 0; i < c->n_outputs; i++) {
		free(c->outputs[i].format);
		free(c->outputs[i].path);
	}
	free(c->outputs);
	for (size_t i = 0; i < c->n_metrics_labels; i++)
		free(c->metrics_labels[i]);
	free(c->metrics_labels);
	free(c->socket_group);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->tls_client_ca);
	free(c->tokens_file);
	free(c->state_dir);
	free(c->trusted_keys_file);
	free(c->plugin_path);
	free(c->metrics_addr);
	memset(c, 0, sizeof(*c));
}
