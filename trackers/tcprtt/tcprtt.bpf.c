// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `tcprtt` tracker: the smoothed round-trip time of TCP
 * connections, as log2 histograms in microseconds per remote address (or
 * local address, remote port, local port, or one for everything).
 *
 * Hook: the BTF tracepoint tcp_probe, which the kernel runs for every
 * segment an established connection receives (tcp_rcv_established). The
 * sample is the connection's srtt at that moment, the value the tcp_probe
 * trace event reports too. Nothing goes through the ring buffer;
 * collect() reads the map.
 *
 * tcp_probe runs in softirq context, where the current task is not the
 * socket's owner. So with a pid/uid/comm/cgroup filter set, the filter is
 * tested where the owner runs: at connect() (inet_sock_set_state to
 * SYN_SENT) and at the socket's first send or receive system call
 * (sock_send_length, sock_recv_length), whichever comes first; the result
 * is kept in socket storage, and tcp_probe counts only sockets that
 * passed. The plugin loads those three programs only when a filter is set.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "hist_log2.bpf.h"
#include "tcprtt.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10

/* Set by the plugin from its `key` and `port` config keys. */
const volatile __u32 tcprtt_cfg_key = TCPRTT_KEY_RADDR;
const volatile __u16 tcprtt_cfg_port = 0; /* 0: every port */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPRTT_MAX_KEYS);
	__type(key, struct tcprtt_key);
	__type(value, struct tcprtt_hist);
} tcprtt_hists SEC(".maps");

/* Samples lost because the histogram map was full; the plugin reads and resets it. */
__u64 tcprtt_map_full = 0;

/* Per socket: whether its owner passed the filters (1) or not (0). */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} tcprtt_owner_traced SEC(".maps");

/* In process context on a TCP socket: the first call decides whether its
 * samples count, by testing the current task against the filters. */
static __always_inline void note_owner(struct sock *sk)
{
	__u8 *traced;

	if (sk->sk_protocol != IPPROTO_TCP || bpf_sk_storage_get(&tcprtt_owner_traced, sk, 0, 0))
		return;
	traced = bpf_sk_storage_get(&tcprtt_owner_traced, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (traced)
		*traced = eun_should_trace();
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_set_state, const struct sock *sk, int oldstate, int newstate)
{
	if (newstate == TCP_SYN_SENT) /* connect(), in the caller's context */
		note_owner((struct sock *)sk);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(handle_send_length, struct sock *sk, int ret, int flags)
{
	note_owner(sk);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(handle_recv_length, struct sock *sk, int ret, int flags)
{
	note_owner(sk);
	return 0;
}

/* Fill the address part of k from sk: remote when remote, else local. */
static __always_inline void key_addr(struct tcprtt_key *k, struct sock *sk, __u16 family,
				     int remote)
{
	k->family = family;
	if (family == AF_INET) {
		__u32 a = remote ? sk->__sk_common.skc_daddr : sk->__sk_common.skc_rcv_saddr;

		__builtin_memcpy(k->addr, &a, sizeof(a));
	} else if (remote) {
		BPF_CORE_READ_INTO(k->addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		BPF_CORE_READ_INTO(k->addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	}
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(handle_tcp_probe, struct sock *sk, struct sk_buff *skb)
{
	static const struct tcprtt_hist zero;
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	__u16 family = sk->__sk_common.skc_family;
	__u16 lport = sk->__sk_common.skc_num;
	__u16 rport = bpf_ntohs(sk->__sk_common.skc_dport);
	struct tcprtt_key k = {};
	struct tcprtt_hist *h;
	__u64 srtt;

	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (tcprtt_cfg_port && lport != tcprtt_cfg_port && rport != tcprtt_cfg_port)
		return 0;
	if (eun_filters_set()) {
		__u8 *traced = bpf_sk_storage_get(&tcprtt_owner_traced, sk, 0, 0);

		if (!traced || !*traced)
			return 0;
	}
	/* srtt_us holds 8 times the smoothed RTT in microseconds. */
	srtt = BPF_CORE_READ(tp, srtt_us) >> 3;

	switch (tcprtt_cfg_key) {
	case TCPRTT_KEY_RADDR:
		key_addr(&k, sk, family, 1);
		break;
	case TCPRTT_KEY_LADDR:
		key_addr(&k, sk, family, 0);
		break;
	case TCPRTT_KEY_RPORT:
		k.port = rport;
		break;
	case TCPRTT_KEY_LPORT:
		k.port = lport;
		break;
	default:
		break;
	}

	h = bpf_map_lookup_elem(&tcprtt_hists, &k);
	if (!h) {
		bpf_map_update_elem(&tcprtt_hists, &k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&tcprtt_hists, &k);
		if (!h) { /* the map is full until the next collect() */
			__sync_fetch_and_add(&tcprtt_map_full, 1);
			return 0;
		}
	}
	__sync_fetch_and_add(&h->slots[hist_log2_slot(srtt, TCPRTT_SLOTS)], 1);
	__sync_fetch_and_add(&h->sum_us, srtt);
	__sync_fetch_and_add(&h->count, 1);
	return 0;
}
