// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Benchmark workload for the `tcp` tracker: N TCP connections over
 * loopback, one after the other: connect to a listening socket of the same
 * process, accept, then close both ends (the connecting end with a zero
 * linger, so it resets and no TIME_WAIT socket holds its port). Pinned to
 * one CPU so that a tracer's consumer can run on another.
 *
 *     workload_tcp [-c CPU] [-n CONNECTS]
 *
 * Prints one line, "ops=N elapsed_ns=T ns_per_op=X port=P" (P: the
 * listening port, the destination port of every connection). Exit status
 * 0 on success, 1 if a call failed, 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: workload_tcp [-c CPU] [-n CONNECTS]\n");
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "workload_tcp: %s: %s\n", what, strerror(errno));
	return 1;
}

/* One connection to `addr` (served by `lfd`), accepted and closed; 0 or 1. */
static int connect_once(int lfd, const struct sockaddr_in *addr)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	int c, a;

	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return fail("socket");
	if (connect(c, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		close(c);
		return fail("connect");
	}
	a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (a < 0) {
		close(c);
		return fail("accept");
	}
	setsockopt(c, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	close(c);
	close(a);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	unsigned long ops = 20000;
	int cpu = 0, opt, lfd;

	while ((opt = getopt(argc, argv, "c:n:")) != -1) {
		char *end;

		if (opt == 'c')
			cpu = (int)strtol(optarg, &end, 10);
		else if (opt == 'n')
			ops = strtoul(optarg, &end, 10);
		else
			return usage();
		if (*optarg == '\0' || *end != '\0')
			return usage();
	}
	if (optind != argc || ops == 0)
		return usage();

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "workload_tcp: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return 1;
	}

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return fail("socket");
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
		return fail("listening socket on 127.0.0.1");

	uint64_t start = now_ns();
	for (unsigned long i = 0; i < ops; i++)
		if (connect_once(lfd, &addr))
			return 1;
	uint64_t elapsed = now_ns() - start;

	printf("ops=%lu elapsed_ns=%" PRIu64 " ns_per_op=%.1f port=%u\n", ops, elapsed,
	       (double)elapsed / (double)ops, ntohs(addr.sin_port));
	close(lfd);
	return 0;
}
