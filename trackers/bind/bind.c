// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bind` tracker plugin: one event per bind() call (family, address, port,
 * the socket's protocol and type, the local port it got, result) from the
 * exit-tracepoint-only BPF program in bind.bpf.c. decode() renders the
 * address as text and numbers as names.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "bind.h"
#include "bind.skel.h"

static const struct eun_field bind_fields[] = {
	EUN_FIELD(struct bind_event, fd, EUN_FIELD_S32, NULL, 0, "socket file descriptor"),
	EUN_FIELD(struct bind_event, family, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "address family of the given sockaddr: inet, inet6, unix, netlink, packet... "
		  "or afN"),
	EUN_FIELD(struct bind_event, address, EUN_FIELD_STR, NULL, 0,
		  "address asked for (inet and inet6 only; empty otherwise)"),
	EUN_FIELD(struct bind_event, port, EUN_FIELD_U16, NULL, 0,
		  "port asked for; 0 lets the kernel choose (inet and inet6 only)"),
	EUN_FIELD(struct bind_event, bound_port, EUN_FIELD_U16, NULL, 0,
		  "the socket's local port after the call; 0 if it has none (inet and inet6 only)"),
	EUN_FIELD(struct bind_event, protocol, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "the socket's protocol: tcp, udp, icmp... or its number; empty if fd is no socket"),
	EUN_FIELD(struct bind_event, sock_type, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "socket type: stream, dgram, raw, seqpacket... ; empty if fd is no socket"),
	EUN_FIELD(struct bind_event, ret, EUN_FIELD_S64, NULL, EUN_FIELD_F_ERRNO,
		  "0, or -errno on failure"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "bind", .description = "a socket was bound to an address, or a bind() failed",
	  .id = BIND_BIND, .record_size = sizeof(struct bind_event),
	  .fields = bind_fields, .n_fields = EUN_ARRAY_LEN(bind_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "failed_only", .description = "report only bind() calls that failed (ret < 0)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
};

static int bind_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, bind_bpf, EUN_SKEL_HINT_SYSCALL_TP);
	struct bind_bpf *skel;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->bind_cfg_failed_only)))
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
}

struct name {
	unsigned int value;
	const char *name;
};

static const struct name families[] = {
	{ AF_UNIX, "unix" }, { AF_INET, "inet" }, { AF_INET6, "inet6" },
	{ AF_NETLINK, "netlink" }, { AF_PACKET, "packet" }, { AF_VSOCK, "vsock" },
	{ AF_UNSPEC, "unspec" },
};

static const struct name protocols[] = { /* for inet and inet6 sockets */
	{ IPPROTO_TCP, "tcp" }, { IPPROTO_UDP, "udp" }, { IPPROTO_ICMP, "icmp" },
	{ IPPROTO_ICMPV6, "icmpv6" }, { IPPROTO_UDPLITE, "udplite" }, { IPPROTO_SCTP, "sctp" },
	{ IPPROTO_RAW, "raw" }, { 262 /* IPPROTO_MPTCP */, "mptcp" },
};

static const struct name types[] = {
	{ SOCK_STREAM, "stream" }, { SOCK_DGRAM, "dgram" }, { SOCK_RAW, "raw" },
	{ SOCK_RDM, "rdm" }, { SOCK_SEQPACKET, "seqpacket" }, { SOCK_DCCP, "dccp" },
	{ SOCK_PACKET, "packet" },
};

/* name of value in table, or prefix + number. */
static void name_of(char *buf, size_t size, const struct name *table, size_t n,
		    unsigned int value, const char *prefix)
{
	for (size_t i = 0; i < n; i++) {
		if (table[i].value == value) {
			snprintf(buf, size, "%s", table[i].name);
			return;
		}
	}
	snprintf(buf, size, "%s%u", prefix, value);
}

static long bind_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct bind_raw_event *r = raw;
	struct bind_event *e = out;

	(void)state;
	if (raw_len < sizeof(*r) || out_cap < sizeof(*e) || r->hdr.type != BIND_BIND)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->hdr = r->hdr;
	e->ret = r->ret;
	e->fd = r->fd;
	e->port = r->port;
	e->bound_port = r->bound_port;
	name_of(e->family, sizeof(e->family), families, EUN_ARRAY_LEN(families), r->family, "af");
	if (r->family == AF_INET || r->family == AF_INET6)
		inet_ntop(r->family, r->addr, e->address, sizeof(e->address));
	if (r->sock_type) { /* a socket */
		name_of(e->sock_type, sizeof(e->sock_type), types, EUN_ARRAY_LEN(types),
			r->sock_type, "");
		if (r->sock_family == AF_INET || r->sock_family == AF_INET6)
			name_of(e->protocol, sizeof(e->protocol), protocols,
				EUN_ARRAY_LEN(protocols), r->protocol, "");
		else
			snprintf(e->protocol, sizeof(e->protocol), "%u", r->protocol);
	}
	return sizeof(*e);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("bind"),
	.version = "0.1.0",
	.description = "bind() calls: family, address, port, socket protocol and type, result",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = bind_create,
	EUN_SKEL_OPS,
	.decode = bind_decode,
};

EUN_PLUGIN_DEFINE(desc)
