/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `tcp` tracker (connect, accept, close), shared by
 * tcp.bpf.c and tcp.c.
 *
 * The BPF side writes one raw record layout for all three event types
 * (struct tcp_raw_event: binary addresses); the plugin's decode() turns it
 * into the per-type records below, whose addresses are text.
 */
#ifndef EUN_TRACKER_TCP_H
#define EUN_TRACKER_TCP_H

#include <eunomia/record.h>

enum tcp_event_type {
	TCPT_CONNECT = 1,
	TCPT_ACCEPT = 2,
	TCPT_CLOSE = 3,
};

/* Bits of tcp_cfg_events (the `events` config key). */
#define TCPT_WANT(type) (1u << (type))

#define TCPT_MAX_PORTS 16
#define TCPT_ADDR_LEN 46 /* INET6_ADDRSTRLEN */
#define TCPT_FAMILY_LEN 8

/* What the BPF programs submit. */
struct tcp_raw_event {
	struct eun_record_header hdr;
	__u8 saddr[16];       /* local address: 4 bytes for AF_INET, 16 for AF_INET6 */
	__u8 daddr[16];       /* remote address */
	__u64 latency_ns;     /* connect: SYN_SENT -> ESTABLISHED */
	__u64 duration_ns;    /* close: ESTABLISHED -> CLOSE */
	__u64 bytes_sent;     /* close: tcp_sock.bytes_acked */
	__u64 bytes_received; /* close: tcp_sock.bytes_received */
	__u32 owner_pid;      /* process that owns the socket (accept: the acceptor), 0 if unknown */
	__u16 sport;          /* local port, host order */
	__u16 dport;          /* remote port, host order */
	__u16 family;         /* AF_INET or AF_INET6 */
	__u16 pad_;
	char owner_comm[EUN_COMM_LEN];
};

/* The records the plugin hands out (after decode). */
struct tcp_accept_event {
	struct eun_record_header hdr;
	char saddr[TCPT_ADDR_LEN];
	char daddr[TCPT_ADDR_LEN];
	char family[TCPT_FAMILY_LEN];
	__u16 sport;
	__u16 dport;
	__u32 owner_pid;
	char owner_comm[EUN_COMM_LEN];
};

struct tcp_connect_event {
	struct eun_record_header hdr;
	char saddr[TCPT_ADDR_LEN];
	char daddr[TCPT_ADDR_LEN];
	char family[TCPT_FAMILY_LEN];
	__u16 sport;
	__u16 dport;
	__u32 owner_pid;
	__u64 latency_ns;
	char owner_comm[EUN_COMM_LEN];
};

struct tcp_close_event {
	struct eun_record_header hdr;
	char saddr[TCPT_ADDR_LEN];
	char daddr[TCPT_ADDR_LEN];
	char family[TCPT_FAMILY_LEN];
	__u16 sport;
	__u16 dport;
	__u32 owner_pid;
	__u64 duration_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	char owner_comm[EUN_COMM_LEN];
};

#endif /* EUN_TRACKER_TCP_H */
