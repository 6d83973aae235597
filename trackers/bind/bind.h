/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `bind` tracker (one per bind() call), shared by
 * bind.bpf.c and bind.c. The BPF side submits struct
 * bind_raw_event (numbers, binary address); the plugin's decode() turns it
 * into struct bind_event (names and text).
 */
#ifndef EUN_TRACKER_BIND_H
#define EUN_TRACKER_BIND_H

#include <eunomia/record.h>

enum bind_event_type {
	BIND_BIND = 1,
};

#define BIND_ADDR_LEN 46 /* INET6_ADDRSTRLEN */
#define BIND_NAME_LEN 12

/* What the BPF program submits. */
struct bind_raw_event {
	struct eun_record_header hdr;
	__s64 ret;          /* 0 or -errno */
	__s32 fd;
	__u16 family;       /* sa_family of the caller's sockaddr; 0 if unreadable */
	__u16 port;         /* port in the sockaddr, host order (AF_INET/AF_INET6) */
	__u16 bound_port;   /* the socket's local port after the call */
	__u16 sock_family;  /* the socket's own family; 0 if fd is not a socket */
	__u16 sock_type;    /* SOCK_STREAM, SOCK_DGRAM...; 0 if fd is not a socket */
	__u16 protocol;     /* sk->sk_protocol */
	__u8 addr[16];      /* 4 bytes for AF_INET, 16 for AF_INET6 */
};

/* The record the plugin hands out (after decode). */
struct bind_event {
	struct eun_record_header hdr;
	__s64 ret;
	__s32 fd;
	__u16 port;
	__u16 bound_port;
	char family[8];
	char protocol[BIND_NAME_LEN];
	char sock_type[BIND_NAME_LEN];
	char address[BIND_ADDR_LEN];
};

#endif /* EUN_TRACKER_BIND_H */
