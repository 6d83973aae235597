/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `bind` tracker: a UDP socket bound to 127.0.0.1 port 0 reports
 * the port the kernel chose; a TCP socket bound to [::1]:P reports that
 * address and port; a second TCP socket bound to the same [::1]:P reports
 * ret == -EADDRINUSE. Events are matched by this process's pid and fd.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest.h"

struct bind_case {
	int fd;
	const char *family, *address, *protocol, *sock_type;
	uint16_t port, bound_port;
	int ret;
	bool seen;
};

struct want {
	struct bind_case c[3];
	bool done;
};

static void check_str(const struct eun_event *ev, const char *field, const char *want)
{
	char buf[64];

	ITEST_CHECK(itest_field_text(ev, field, buf, sizeof(buf)), "bind event has no field %s",
		    field);
	ITEST_CHECK(!strcmp(buf, want), "%s is '%s', want '%s'", field, buf, want);
}

static void check_int(const struct eun_event *ev, const char *field, int64_t want)
{
	int64_t v = itest_field_s64(ev, field);

	ITEST_CHECK(v == want, "%s is %lld, want %lld", field, (long long)v, (long long)want);
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	int64_t fd;

	if (eun_event_pid(ev) != (uint32_t)getpid() || strcmp(eun_event_type_name(ev), "bind"))
		return 0;
	fd = itest_field_s64(ev, "fd");
	w->done = true;
	for (int i = 0; i < 3; i++) {
		struct bind_case *c = &w->c[i];

		if (fd == c->fd) {
			check_str(ev, "family", c->family);
			check_str(ev, "address", c->address);
			check_str(ev, "protocol", c->protocol);
			check_str(ev, "sock_type", c->sock_type);
			check_int(ev, "port", c->port);
			check_int(ev, "bound_port", c->bound_port);
			check_int(ev, "ret", c->ret);
			c->seen = true;
		}
		w->done = w->done && c->seen;
	}
	return 0;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin6);

	ITEST_CHECK(getsockname(fd, (struct sockaddr *)&sin6, &len) == 0, "getsockname: %s",
		    strerror(errno));
	return ntohs(sin6.sin6_port); /* same offset in sockaddr_in */
}

int main(void)
{
	struct want w = {
		.c = { { .family = "inet", .address = "127.0.0.1", .protocol = "udp",
			 .sock_type = "dgram", .port = 0, .ret = 0 },
		       { .family = "inet6", .address = "::1", .protocol = "tcp",
			 .sock_type = "stream", .ret = 0 },
		       { .family = "inet6", .address = "::1", .protocol = "tcp",
			 .sock_type = "stream", .bound_port = 0, .ret = -EADDRINUSE } },
	};
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = 0 };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	uint16_t port;
	int probe;

	itest_require_kernel();
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	/* A TCP port free on ::1 right now, found before the tracker runs. */
	probe = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ITEST_CHECK(probe >= 0 && bind(probe, (struct sockaddr *)&sin6, sizeof(sin6)) == 0,
		    "bind [::1]:0: %s", strerror(errno));
	port = local_port(probe);
	close(probe);

	for (int i = 0; i < 3; i++) {
		int type = i ? SOCK_STREAM : SOCK_DGRAM;

		w.c[i].fd = socket(i ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0);
		ITEST_CHECK(w.c[i].fd >= 0, "socket: %s", strerror(errno));
	}

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "bind", NULL, 0);

	ITEST_CHECK(bind(w.c[0].fd, (struct sockaddr *)&sin, sizeof(sin)) == 0,
		    "bind 127.0.0.1:0: %s", strerror(errno));
	w.c[0].bound_port = local_port(w.c[0].fd);
	sin6.sin6_port = htons(port);
	ITEST_CHECK(bind(w.c[1].fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0,
		    "bind [::1]:%u: %s", port, strerror(errno));
	w.c[1].port = w.c[1].bound_port = port;
	ITEST_CHECK(bind(w.c[2].fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0 &&
		    errno == EADDRINUSE, "second bind to [::1]:%u should fail with EADDRINUSE", port);
	w.c[2].port = port;

	ITEST_CHECK(itest_poll_until(ctx, &w.done), "within %d ms: udp %s, tcp %s, failed tcp %s",
		    ITEST_TIMEOUT_MS, w.c[0].seen ? "seen" : "NOT seen",
		    w.c[1].seen ? "seen" : "NOT seen", w.c[2].seen ? "seen" : "NOT seen");
	eun_tracker_free(t);
	ITEST_CHECK(eun_tracker_count(ctx) == 0, "tracker not removed");
	eun_ctx_free(ctx);
	for (int i = 0; i < 3; i++)
		close(w.c[i].fd);
	printf("ok: udp 127.0.0.1:0 -> port %u, tcp [::1]:%u, second tcp [::1]:%u -EADDRINUSE\n",
	       w.c[0].bound_port, port, port);
	return 0;
}
