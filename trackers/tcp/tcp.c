// SPDX-License-Identifier: GPL-2.0-only
/*
 * `tcp` tracker plugin: TCP connections over IPv4 and IPv6 (connect with
 * latency, accept, close with duration and byte counts) from the state
 * change and accept tracepoint programs in tcp.bpf.c. decode() renders
 * the binary addresses as text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "tcp.h"
#include "tcp.skel.h"

#define ADDR_FIELDS(rec)                                                                    \
	EUN_FIELD(rec, saddr, EUN_FIELD_STR, NULL, 0, "local address"),                     \
	EUN_FIELD(rec, sport, EUN_FIELD_U16, NULL, 0, "local port"),                        \
	EUN_FIELD(rec, daddr, EUN_FIELD_STR, NULL, 0, "remote address"),                    \
	EUN_FIELD(rec, dport, EUN_FIELD_U16, NULL, 0, "remote port"),                       \
	EUN_FIELD(rec, family, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,                        \
		  "address family of the socket: inet (IPv4) or inet6 (IPv6)")

#define OWNER_FIELDS(rec)                                                                   \
	EUN_FIELD(rec, owner_pid, EUN_FIELD_U32, NULL, 0,                                   \
		  "process owning the socket (the header's pid is whichever task ran the hook)"), \
	EUN_FIELD(rec, owner_comm, EUN_FIELD_STR, NULL, 0, "command name of owner_pid")

static const struct eun_field connect_fields[] = {
	ADDR_FIELDS(struct tcp_connect_event),
	OWNER_FIELDS(struct tcp_connect_event),
	EUN_FIELD(struct tcp_connect_event, latency_ns, EUN_FIELD_U64, "ns", 0,
		  "time from SYN_SENT (connect()) to ESTABLISHED"),
};

static const struct eun_field accept_fields[] = {
	ADDR_FIELDS(struct tcp_accept_event),
	OWNER_FIELDS(struct tcp_accept_event),
};

static const struct eun_field close_fields[] = {
	ADDR_FIELDS(struct tcp_close_event),
	OWNER_FIELDS(struct tcp_close_event),
	EUN_FIELD(struct tcp_close_event, duration_ns, EUN_FIELD_U64, "ns",
		  0, "time from ESTABLISHED to CLOSE"),
	EUN_FIELD(struct tcp_close_event, bytes_sent, EUN_FIELD_U64, "bytes", 0,
		  "bytes the peer acknowledged (tcp_sock.bytes_acked; +1 each for an acked SYN and FIN)"),
	EUN_FIELD(struct tcp_close_event, bytes_received, EUN_FIELD_U64, "bytes", 0,
		  "bytes received in sequence (tcp_sock.bytes_received; +1 for a received FIN)"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "connect", .description = "an outgoing connection was established",
	  .id = TCPT_CONNECT, .record_size = sizeof(struct tcp_connect_event),
	  .fields = connect_fields, .n_fields = EUN_ARRAY_LEN(connect_fields) },
	{ .name = "accept", .description = "a process accepted a connection (accept, accept4)",
	  .id = TCPT_ACCEPT, .record_size = sizeof(struct tcp_accept_event),
	  .fields = accept_fields, .n_fields = EUN_ARRAY_LEN(accept_fields) },
	{ .name = "close", .description = "an established connection was closed",
	  .id = TCPT_CLOSE, .record_size = sizeof(struct tcp_close_event),
	  .fields = close_fields, .n_fields = EUN_ARRAY_LEN(close_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "ports",
	  .description = "comma-separated ports (at most 16); keep only connections with one of them "
			 "as local or remote port. Empty: all",
	  .type = EUN_CONFIG_STRING },
	{ .name = "events", .description = "comma-separated event types to report",
	  .default_value = "connect,accept,close", .type = EUN_CONFIG_STRING },
};

/* Split the comma-separated list s; call fn for each item. -EINVAL on an
 * empty item, or fn's error. */
static int for_each_item(struct eun_skel *sp, const char *key, const char *list,
			 int (*fn)(struct eun_skel *sp, const char *item, void *arg), void *arg)
{
	const char *s = list;
	char item[64];

	while (*s) {
		size_t n = strcspn(s, ",");
		int err;

		if (n == 0 || n >= sizeof(item)) {
			sp->host->set_error(sp->t, "tcp: %s: \"%s\" has an empty or too long item",
					    key, list);
			return -EINVAL;
		}
		memcpy(item, s, n);
		item[n] = '\0';
		while (n && item[n - 1] == ' ')
			item[--n] = '\0';
		if ((err = fn(sp, item + strspn(item, " "), arg)))
			return err;
		s += n;
		if (*s == ',' && !*++s) {
			sp->host->set_error(sp->t, "tcp: %s: \"%s\" ends with a comma", key, list);
			return -EINVAL;
		}
	}
	return 0;
}

static int add_port(struct eun_skel *sp, const char *item, void *arg)
{
	struct tcp_bpf *skel = arg;
	unsigned long port;
	char *end;

	errno = 0;
	port = strtoul(item, &end, 10);
	if (*item < '0' || *item > '9' || *end || errno || port < 1 || port > 65535) {
		sp->host->set_error(sp->t, "tcp: ports: '%s' is not a port number (1-65535)", item);
		return -EINVAL;
	}
	if (skel->rodata->tcp_cfg_nports >= TCPT_MAX_PORTS) {
		sp->host->set_error(sp->t, "tcp: ports: more than %d ports (at '%s')", TCPT_MAX_PORTS,
				    item);
		return -E2BIG;
	}
	skel->rodata->tcp_cfg_ports[skel->rodata->tcp_cfg_nports++] = (__u16)port;
	return 0;
}

static int add_event(struct eun_skel *sp, const char *item, void *arg)
{
	__u32 *mask = arg;

	for (uint32_t i = 0; i < EUN_ARRAY_LEN(event_types); i++) {
		if (!strcmp(item, event_types[i].name)) {
			*mask |= TCPT_WANT(event_types[i].id);
			return 0;
		}
	}
	sp->host->set_error(sp->t, "tcp: events: '%s' is not an event type "
			    "(use connect, accept and/or close)", item);
	return -EINVAL;
}

static int tcp_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, tcp_bpf,
		EUN_SKEL_HINT_BTF_TP " and socket storage in tracing programs (5.11+); "
		EUN_SKEL_HINT_SYSCALL_TP);
	struct tcp_bpf *skel;
	const char *ports, *events;
	__u32 mask = 0;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	ports = host->config_str(t, "ports");
	events = host->config_str(t, "events");
	err = for_each_item(sp, "ports", ports ? ports : "", add_port, skel);
	if (!err)
		err = for_each_item(sp, "events", events ? events : "", add_event, &mask);
	if (!err && !mask) {
		host->set_error(t, "tcp: events: empty; name at least one of connect, accept, close");
		err = -EINVAL;
	}
	if (err)
		return eun_skel_fail(sp, err);
	skel->rodata->tcp_cfg_events = mask;
	return eun_skel_ready(sp, state);
}

static void family_name(char *buf, size_t size, unsigned int family)
{
	if (family == AF_INET)
		snprintf(buf, size, "inet");
	else if (family == AF_INET6)
		snprintf(buf, size, "inet6");
	else
		snprintf(buf, size, "af%u", family);
}

/* Write the common leading fields shared by the three output records. */
#define FILL_COMMON(out, raw)                                                        \
	do {                                                                         \
		int af_ = (raw)->family == AF_INET ? AF_INET : AF_INET6;             \
		(out)->hdr = (raw)->hdr;                                             \
		inet_ntop(af_, (raw)->saddr, (out)->saddr, sizeof((out)->saddr));    \
		inet_ntop(af_, (raw)->daddr, (out)->daddr, sizeof((out)->daddr));    \
		family_name((out)->family, sizeof((out)->family), (raw)->family);    \
		(out)->sport = (raw)->sport;                                         \
		(out)->dport = (raw)->dport;                                         \
	} while (0)

static long tcp_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct tcp_raw_event *r = raw;

	(void)state;
	if (raw_len < sizeof(*r))
		return -EINVAL;
	memset(out, 0, out_cap);
	switch (r->hdr.type) {
	case TCPT_CONNECT: {
		struct tcp_connect_event *e = out;

		FILL_COMMON(e, r);
		e->owner_pid = r->owner_pid;
		memcpy(e->owner_comm, r->owner_comm, sizeof(e->owner_comm));
		e->latency_ns = r->latency_ns;
		return sizeof(*e);
	}
	case TCPT_ACCEPT: {
		struct tcp_accept_event *e = out;

		FILL_COMMON(e, r);
		e->owner_pid = r->owner_pid;
		memcpy(e->owner_comm, r->owner_comm, sizeof(e->owner_comm));
		return sizeof(*e);
	}
	case TCPT_CLOSE: {
		struct tcp_close_event *e = out;

		FILL_COMMON(e, r);
		e->owner_pid = r->owner_pid;
		memcpy(e->owner_comm, r->owner_comm, sizeof(e->owner_comm));
		e->duration_ns = r->duration_ns;
		e->bytes_sent = r->bytes_sent;
		e->bytes_received = r->bytes_received;
		return sizeof(*e);
	}
	}
	return -EINVAL;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("tcp"),
	.version = "0.1.0",
	.description = "TCP connections (IPv4, IPv6): connect with latency, accept, close with "
		       "duration and bytes",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = tcp_create,
	EUN_SKEL_OPS,
	.decode = tcp_decode,
};

EUN_PLUGIN_DEFINE(desc)
