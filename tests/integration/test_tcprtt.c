/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `tcprtt` tracker, twice: keyed by remote address (the default)
 * and by local port, both filtered to the port of a loopback listener we
 * open. We then play ping-pong over one connection to it, so each side
 * receives ROUNDS data segments (each a tcp_probe hit). The raddr instance
 * must report 127.0.0.1 and the lport instance the listener's port, with
 * at least ROUNDS samples, and every histogram must agree with its count
 * and its sum.
 *
 * Two more instances carry a pid filter, which tcp_probe (softirq) cannot
 * test itself: one on our pid must count our connection's samples (at
 * least ROUNDS), one on the pid of an idle child must count none.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "itest.h"

#define ROUNDS 50
#define MSG_LEN 100

struct seen {
	struct eun_tracker *by_addr, *by_port, *mine, *other;
	uint16_t port;
	uint64_t addr_count; /* samples in records for 127.0.0.1 */
	uint64_t port_count; /* samples in records for the listener's port */
	uint64_t mine_count; /* samples counted by the instance filtered to our pid */
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	uint64_t count;
	char addr[64], family[16];

	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "rtt"), "type %s", eun_event_type_name(ev));
	count = (uint64_t)itest_field_s64(ev, "count");
	ITEST_CHECK(count > 0, "a record with no samples");
	itest_check_hist(ev, "srtt", "srtt_sum", count);
	ITEST_CHECK(itest_field_text(ev, "addr", addr, sizeof(addr)), "no addr");
	ITEST_CHECK(itest_field_text(ev, "family", family, sizeof(family)), "no family");
	ITEST_CHECK(eun_event_tracker(ev) != s->other,
		    "%llu samples for %s passed the filter on the idle child's pid",
		    (unsigned long long)count, addr);
	if (eun_event_tracker(ev) == s->mine) {
		ITEST_CHECK(!strcmp(addr, "127.0.0.1"), "addr '%s' passed the port filter", addr);
		s->mine_count += count;
	} else if (eun_event_tracker(ev) == s->by_addr) {
		/* Both ends of our connection have 127.0.0.1 as remote address. */
		ITEST_CHECK(!strcmp(addr, "127.0.0.1"), "addr '%s': the port filter let it pass", addr);
		ITEST_CHECK(!strcmp(family, "inet"), "family '%s', want inet", family);
		ITEST_CHECK(itest_field_s64(ev, "port") == 0, "port set when keyed by raddr");
		s->addr_count += count;
	} else {
		ITEST_CHECK(eun_event_tracker(ev) == s->by_port, "event of an unknown tracker");
		ITEST_CHECK(!addr[0] && !family[0], "addr '%s' family '%s' set when keyed by lport",
			    addr, family);
		/* The client end has its ephemeral port as local port. */
		if (itest_field_s64(ev, "port") == s->port)
			s->port_count += count;
	}
	s->done = s->addr_count >= 2 * ROUNDS && s->port_count >= ROUNDS && s->mine_count >= ROUNDS;
	return 0;
}

/* Ping-pong ROUNDS messages each way over a loopback connection to lfd. */
static void ping_pong(int lfd, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[MSG_LEN];
	int c, a;

	memset(buf, 'x', sizeof(buf));
	c = socket(AF_INET, SOCK_STREAM, 0);
	ITEST_CHECK(c >= 0, "socket: %s", strerror(errno));
	ITEST_CHECK(connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect: %s", strerror(errno));
	a = accept(lfd, NULL, NULL);
	ITEST_CHECK(a >= 0, "accept: %s", strerror(errno));
	for (int i = 0; i < ROUNDS; i++) {
		ITEST_CHECK(send(c, buf, sizeof(buf), 0) == sizeof(buf), "send: %s", strerror(errno));
		ITEST_CHECK(recv(a, buf, sizeof(buf), MSG_WAITALL) == sizeof(buf), "server recv");
		ITEST_CHECK(send(a, buf, sizeof(buf), 0) == sizeof(buf), "send: %s", strerror(errno));
		ITEST_CHECK(recv(c, buf, sizeof(buf), MSG_WAITALL) == sizeof(buf), "client recv");
	}
	close(c);
	close(a);
}

static void require_tcp_probe(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool found = vmlinux && btf__find_by_name_kind(vmlinux, "btf_trace_tcp_probe",
						       BTF_KIND_TYPEDEF) > 0;

	btf__free(vmlinux);
	if (!found) {
		printf("SKIP: this kernel has no tcp:tcp_probe tracepoint\n");
		exit(ITEST_SKIP);
	}
}

int main(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct seen s = { 0 };
	char port[8], me[16], idle[16];
	struct eun_ctx *ctx;
	pid_t child;
	int lfd;

	itest_require_kernel();
	require_tcp_probe();
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ITEST_CHECK(lfd >= 0, "socket: %s", strerror(errno));
	ITEST_CHECK(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind: %s", strerror(errno));
	ITEST_CHECK(listen(lfd, 1) == 0, "listen: %s", strerror(errno));
	ITEST_CHECK(getsockname(lfd, (struct sockaddr *)&sa, &len) == 0, "getsockname");
	s.port = ntohs(sa.sin_port);
	snprintf(port, sizeof(port), "%u", s.port);

	child = fork();
	ITEST_CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* gone with us, also when a check fails */
		pause();
		_exit(0);
	}
	snprintf(me, sizeof(me), "%d", (int)getpid());
	snprintf(idle, sizeof(idle), "%d", (int)child);

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &s);
	{
		const struct eun_config_entry by_addr[] = { { "port", port }, { "interval_ms", "100" } };
		const struct eun_config_entry by_port[] = { { "port", port }, { "key", "lport" },
							    { "interval_ms", "100" } };
		const struct eun_config_entry mine[] = { { "port", port }, { "pid", me },
							 { "interval_ms", "100" } };
		const struct eun_config_entry other[] = { { "port", port }, { "pid", idle },
							  { "interval_ms", "100" } };

		s.by_addr = itest_start(ctx, "tcprtt", by_addr, 2);
		s.by_port = itest_start(ctx, "tcprtt", by_port, 3);
		s.mine = itest_start(ctx, "tcprtt", mine, 3);
		s.other = itest_start(ctx, "tcprtt", other, 3);
	}
	ping_pong(lfd, s.port);
	close(lfd);

	ITEST_CHECK(itest_poll_until(ctx, &s.done),
		    "within %d ms: %llu samples for 127.0.0.1 (want >= %d), %llu for port %u (want >= %d), "
		    "%llu with pid=%s (want >= %d)",
		    ITEST_TIMEOUT_MS, (unsigned long long)s.addr_count, 2 * ROUNDS,
		    (unsigned long long)s.port_count, s.port, ROUNDS,
		    (unsigned long long)s.mine_count, me, ROUNDS);
	/* Stopping runs the last collect(): the idle child's instance must stay empty. */
	ITEST_CHECK(eun_tracker_stop(s.by_addr) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_stop(s.by_port) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_stop(s.mine) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_stop(s.other) == 0, "stop: %s", eun_last_error());
	eun_ctx_free(ctx);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("ok: %llu RTT samples for 127.0.0.1, %llu for local port %u, %llu with pid=%s, "
	       "none with the idle child's pid\n",
	       (unsigned long long)s.addr_count, (unsigned long long)s.port_count, s.port,
	       (unsigned long long)s.mine_count, me);
	return 0;
}
