// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `tcp` tracker: TCP connections over IPv4 and IPv6,
 * from the BTF tracepoint sock:inet_sock_set_state, and accept() from the
 * exit tracepoints of accept and accept4.
 *
 *   CLOSE -> SYN_SENT         connect() in process context: remember the
 *                             time and the owning process in socket storage
 *                             (when that process passes the filters)
 *   SYN_SENT -> ESTABLISHED   "connect" event, latency since SYN_SENT
 *   SYN_RECV -> ESTABLISHED   a listener's new child socket, in softirq:
 *                             its storage starts here, owner unknown
 *   accept(), accept4()       "accept" event, in the accepting process
 *   -> FIN_WAIT1 / LAST_ACK   close()/shutdown() in process context: the
 *                             owner of an accepted socket is learnt here,
 *                             and tested against the filters
 *   -> CLOSE                  "close" event of an established connection:
 *                             duration, bytes acked and received
 *
 * Most transitions run in softirq context, where the current task is not
 * the socket's owner; hence the owner fields kept in the socket storage,
 * and the filters tested only where the owner runs.
 * BPF_MAP_TYPE_SK_STORAGE lives and dies with the socket, so nothing leaks
 * for connections that end while the tracker is stopped.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "fd_socket.bpf.h"
#include "tcp.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10

/* Set by the plugin from its `events` and `ports` config keys. */
const volatile __u32 tcp_cfg_events = TCPT_WANT(TCPT_CONNECT) | TCPT_WANT(TCPT_ACCEPT) |
				      TCPT_WANT(TCPT_CLOSE);
const volatile __u32 tcp_cfg_nports = 0; /* 0: every port */
const volatile __u16 tcp_cfg_ports[TCPT_MAX_PORTS] = {};

/* What we know about one connection. */
struct conn_info {
	__u64 syn_sent_ns;    /* connect() time; 0 for an accepted socket */
	__u64 established_ns; /* 0 until ESTABLISHED */
	__u32 owner_pid;      /* 0 until known */
	__u8 owner_traced;    /* the owner passed the filters (set with owner_pid) */
	char owner_comm[EUN_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct conn_info);
} conn_info SEC(".maps");

static __always_inline int port_wanted(__u16 sport, __u16 dport)
{
	if (!tcp_cfg_nports)
		return 1;
	for (int i = 0; i < TCPT_MAX_PORTS && i < tcp_cfg_nports; i++)
		if (tcp_cfg_ports[i] == sport || tcp_cfg_ports[i] == dport)
			return 1;
	return 0;
}

/* The current task owns the socket (process context). */
static __always_inline void set_owner(struct conn_info *ci)
{
	ci->owner_pid = bpf_get_current_pid_tgid() >> 32;
	ci->owner_traced = eun_should_trace();
	bpf_get_current_comm(ci->owner_comm, sizeof(ci->owner_comm));
}

/* Reserve a record of `type` for sk filled with its addresses and ports,
 * or NULL when the ports filter drops it (or the ring is full). sk may be
 * a BTF pointer or one read from the fd table: CO-RE reads only. */
static __always_inline struct tcp_raw_event *reserve(struct sock *sk, __u16 family, __u32 type,
						     struct conn_info *ci)
{
	/* inet_sport, not skc_num: the latter is already 0 when the trace
	 * point reports CLOSE (the local port has been released). */
	__u16 sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	__u16 dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	struct tcp_raw_event *e;

	if (!port_wanted(sport, dport))
		return 0;
	e = eun_record_reserve(sizeof(*e), type);
	if (!e)
		return 0;
	if (family == AF_INET) {
		__builtin_memset(e->saddr, 0, sizeof(e->saddr));
		__builtin_memset(e->daddr, 0, sizeof(e->daddr));
		*(__u32 *)e->saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u32 *)e->daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&e->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&e->daddr, sk, __sk_common.skc_v6_daddr);
	}
	e->sport = sport;
	e->dport = dport;
	e->family = family;
	e->pad_ = 0;
	e->latency_ns = 0;
	e->duration_ns = 0;
	e->bytes_sent = 0;
	e->bytes_received = 0;
	if (ci) {
		e->owner_pid = ci->owner_pid;
		__builtin_memcpy(e->owner_comm, ci->owner_comm, sizeof(e->owner_comm));
	} else {
		e->owner_pid = 0;
		__builtin_memset(e->owner_comm, 0, sizeof(e->owner_comm));
	}
	return e;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_set_state, const struct sock *csk, int oldstate, int newstate)
{
	struct sock *sk = (struct sock *)csk;
	__u16 family = sk->__sk_common.skc_family;
	struct tcp_raw_event *e;
	struct conn_info *ci;
	__u64 now;

	if (sk->sk_protocol != IPPROTO_TCP || (family != AF_INET && family != AF_INET6))
		return 0;

	switch (newstate) {
	case TCP_SYN_SENT:
		/* connect(): process context, the caller owns the socket. */
		if (!(tcp_cfg_events & (TCPT_WANT(TCPT_CONNECT) | TCPT_WANT(TCPT_CLOSE))))
			return 0;
		if (!eun_should_trace())
			return 0;
		ci = bpf_sk_storage_get(&conn_info, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (!ci)
			return 0;
		ci->syn_sent_ns = bpf_ktime_get_ns();
		ci->established_ns = 0;
		set_owner(ci);
		return 0;

	case TCP_ESTABLISHED:
		now = bpf_ktime_get_ns();
		ci = bpf_sk_storage_get(&conn_info, sk, 0, 0);
		if (ci && ci->syn_sent_ns && !ci->established_ns) {
			/* Our connect() (also after a simultaneous open via SYN_RECV). */
			ci->established_ns = now;
			if (!(tcp_cfg_events & TCPT_WANT(TCPT_CONNECT)))
				return 0;
			e = reserve(sk, family, TCPT_CONNECT, ci);
			if (!e)
				return 0;
			e->latency_ns = now - ci->syn_sent_ns;
			eun_record_submit(e);
			return 0;
		}
		if (ci || oldstate != TCP_SYN_RECV || !(tcp_cfg_events & TCPT_WANT(TCPT_CLOSE)))
			return 0;
		/* A listener's new connection, in softirq: the current task is
		 * whoever was interrupted, so the owner (and the filters) wait
		 * for the close()/shutdown() of the socket. */
		ci = bpf_sk_storage_get(&conn_info, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (ci) {
			ci->syn_sent_ns = 0;
			ci->established_ns = now;
			ci->owner_pid = 0;
			ci->owner_traced = 0;
			__builtin_memset(ci->owner_comm, 0, sizeof(ci->owner_comm));
		}
		return 0;

	case TCP_FIN_WAIT1:
	case TCP_LAST_ACK:
		/* Only tcp_close()/tcp_shutdown() enter these states: the
		 * calling process owns the socket. */
		ci = bpf_sk_storage_get(&conn_info, sk, 0, 0);
		if (ci && !ci->owner_pid)
			set_owner(ci);
		return 0;

	case TCP_CLOSE:
		ci = bpf_sk_storage_get(&conn_info, sk, 0, 0);
		if (!ci)
			return 0;
		/* Owner unknown (an accepted socket reset before close()):
		 * reported only when no filter could have refused it. */
		if (ci->owner_pid ? !ci->owner_traced : eun_filters_set())
			goto forget;
		if (ci->established_ns && (tcp_cfg_events & TCPT_WANT(TCPT_CLOSE))) {
			e = reserve(sk, family, TCPT_CLOSE, ci);
			if (e) {
				struct tcp_sock *tp = (struct tcp_sock *)sk;

				e->duration_ns = bpf_ktime_get_ns() - ci->established_ns;
				e->bytes_sent = BPF_CORE_READ(tp, bytes_acked);
				e->bytes_received = BPF_CORE_READ(tp, bytes_received);
				eun_record_submit(e);
			}
		}
forget:
		/* The socket may connect() again; start afresh then. */
		bpf_sk_storage_delete(&conn_info, sk);
		return 0;
	}
	return 0;
}

/* accept() or accept4() returned ret: an "accept" event for the new
 * socket if it is TCP, in the context of the accepting process. */
static __always_inline int on_accept_exit(long ret)
{
	struct tcp_raw_event *e;
	struct socket *sock;
	struct sock *sk;
	__u16 family;

	if (ret < 0 || !(tcp_cfg_events & TCPT_WANT(TCPT_ACCEPT)) || !eun_should_trace())
		return 0;
	sock = fd_socket(ret);
	sk = sock ? BPF_CORE_READ(sock, sk) : 0;
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	e = reserve(sk, family, TCPT_ACCEPT, 0);
	if (!e)
		return 0;
	e->owner_pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->owner_comm, sizeof(e->owner_comm));
	eun_record_submit(e);
	return 0;
}

SEC("tp/syscalls/sys_exit_accept4")
int handle_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}

SEC("tp/syscalls/sys_exit_accept")
int handle_accept(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx->ret);
}
