// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `bind` tracker: one record per bind() call with the
 * address and port asked for, the socket's type and protocol, the local
 * port it got and the result.
 *
 * Only the syscall exit tracepoint is used: the arguments (fd, addr,
 * addrlen) are read back from the task's saved user registers, the
 * sockaddr from user memory, and the socket from the task's fd table.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

/* Rare events: a 64 KiB ring holds thousands of them between two reads. */
#define EUN_RINGBUF_KB 64
#include <eunomia/bpf/eunomia.bpf.h>
#include "bind.h"
#include "fd_socket.bpf.h"
#include "syscall_args.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10

/* Set by the plugin from its `failed_only` config key. */
const volatile __u8 bind_cfg_failed_only = 0;

SEC("tp/syscalls/sys_exit_bind")
int handle_bind(struct trace_event_raw_sys_exit *ctx)
{
	struct bind_raw_event *e;
	struct pt_regs *regs;
	struct socket *sock;
	const char *uaddr;
	__u32 addrlen;
	__u16 family = 0;

	if (bind_cfg_failed_only && ctx->ret >= 0)
		return 0;
	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), BIND_BIND);
	if (!e)
		return 0;

	regs = SYSCALL_REGS();
	e->ret = ctx->ret;
	e->fd = SYSCALL_ARG0(regs);
	uaddr = (const char *)SYSCALL_ARG1(regs);
	addrlen = SYSCALL_ARG2(regs);

	e->port = 0;
	__builtin_memset(e->addr, 0, sizeof(e->addr));
	if (addrlen >= sizeof(family))
		bpf_probe_read_user(&family, sizeof(family), uaddr);
	if (family == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		if (!bpf_probe_read_user(&sin, sizeof(sin), uaddr)) {
			e->port = bpf_ntohs(sin.sin_port);
			__builtin_memcpy(e->addr, &sin.sin_addr, 4);
		}
	} else if (family == AF_INET6 && addrlen >= 24) { /* SIN6_LEN_RFC2133: no scope id */
		struct sockaddr_in6 sin6 = {};

		if (!bpf_probe_read_user(&sin6, 24, uaddr)) {
			e->port = bpf_ntohs(sin6.sin6_port);
			__builtin_memcpy(e->addr, &sin6.sin6_addr, 16);
		}
	}
	e->family = family;

	e->bound_port = 0;
	e->sock_family = 0;
	e->sock_type = 0;
	e->protocol = 0;
	sock = fd_socket(e->fd);
	if (sock) {
		struct sock *sk = BPF_CORE_READ(sock, sk);

		e->sock_type = BPF_CORE_READ(sock, type);
		if (sk) {
			e->sock_family = BPF_CORE_READ(sk, __sk_common.skc_family);
			e->protocol = BPF_CORE_READ(sk, sk_protocol);
			if (e->sock_family == AF_INET || e->sock_family == AF_INET6)
				e->bound_port = BPF_CORE_READ(sk, __sk_common.skc_num);
		}
	}
	eun_record_submit(e);
	return 0;
}
