/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `tcp` tracker: for a listener on 127.0.0.1 and one on ::1, the
 * test connects, accepts, sends data both ways and closes. It expects, per
 * family, a connect (client's view: sport = the client's ephemeral port,
 * dport = the listener's), an accept (the accepted socket's view: ports
 * swapped, owner the accepting process), and two closes with the byte
 * counts of each side. The tracker runs with ports=<the two listener
 * ports>, so any other event means the in-kernel port filter failed; a
 * bad port value must be refused by name.
 *
 * Then again with new listeners, served by a child process, and the
 * tracker filtered to the child's pid: the accept and the server side's
 * close must be reported with the child as owner (although the handshake
 * and the close run in softirq, often in our context on loopback), and
 * our connect and client-side close must not be reported at all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define TO_SERVER 1000 /* bytes the client sends */
#define TO_CLIENT 300  /* bytes the server answers */
#define SERVER_COMM "eun-tcp-server"

struct conn {
	int family;            /* AF_INET or AF_INET6 */
	const char *addr;      /* "127.0.0.1" or "::1" */
	const char *fam_name;  /* "inet" or "inet6" */
	uint16_t lport, cport; /* listener port, client's ephemeral port */
	bool connect, accept, close_client, close_server;
};

struct want {
	struct conn c[2];
	char comm[16];  /* our comm, owner of everything in the first run */
	pid_t server;   /* second run: the child serving, the only pid traced */
	bool done;
};

static void check_str(const struct eun_event *ev, const char *field, const char *want)
{
	char buf[64];

	ITEST_CHECK(itest_field_text(ev, field, buf, sizeof(buf)), "%s event has no field %s",
		    eun_event_type_name(ev), field);
	ITEST_CHECK(!strcmp(buf, want), "%s: %s is '%s', want '%s'", eun_event_type_name(ev),
		    field, buf, want);
}

static void check_int(const struct eun_event *ev, const char *field, int64_t want)
{
	int64_t v = itest_field_s64(ev, field);

	ITEST_CHECK(v == want, "%s: %s is %lld, want %lld", eun_event_type_name(ev), field,
		    (long long)v, (long long)want);
}

/* The socket's owner: we, or in the second run the serving child. */
static void check_owner(const struct eun_event *ev, const struct want *w)
{
	check_int(ev, "owner_pid", w->server ? w->server : getpid());
	check_str(ev, "owner_comm", w->server ? SERVER_COMM : w->comm);
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	const char *type = eun_event_type_name(ev);
	int64_t sport = itest_field_s64(ev, "sport"), dport = itest_field_s64(ev, "dport");
	struct conn *c = NULL;

	for (int i = 0; i < 2; i++)
		if (sport == w->c[i].lport || dport == w->c[i].lport)
			c = &w->c[i];
	ITEST_CHECK(c, "%s event for ports %lld -> %lld passed the ports filter", type,
		    (long long)sport, (long long)dport);
	if (!c->cport)
		return 0; /* not connected yet: someone else's connection to our port */
	check_str(ev, "saddr", c->addr);
	check_str(ev, "daddr", c->addr);
	check_str(ev, "family", c->fam_name);

	bool client_side = sport == c->cport && dport == c->lport;
	bool server_side = sport == c->lport && dport == c->cport;

	if (!client_side && !server_side)
		return 0; /* an earlier connection to our listener */
	ITEST_CHECK(!w->server || server_side, "%s of our client side passed the pid=%d filter",
		    type, (int)w->server);
	if (!strcmp(type, "connect")) {
		ITEST_CHECK(client_side, "connect seen from the listener's side");
		ITEST_CHECK(itest_field_s64(ev, "latency_ns") > 0, "connect latency is 0");
		check_owner(ev, w);
		c->connect = true;
	} else if (!strcmp(type, "accept")) {
		ITEST_CHECK(server_side, "accept seen from the client's side");
		check_owner(ev, w);
		c->accept = true;
	} else if (!strcmp(type, "close")) {
		ITEST_CHECK(itest_field_s64(ev, "duration_ns") > 0, "close duration is 0");
		check_owner(ev, w);
		/* The kernel counters are sequence space: the client's SYN
		 * and both FINs count one byte each; the server's SYN-ACK is
		 * sent before its socket exists. */
		check_int(ev, "bytes_sent", client_side ? TO_SERVER + 2 : TO_CLIENT + 1);
		check_int(ev, "bytes_received", client_side ? TO_CLIENT + 1 : TO_SERVER + 1);
		if (client_side)
			c->close_client = true;
		else
			c->close_server = true;
	} else {
		ITEST_FAIL("unknown event type %s", type);
	}
	if (w->server) { /* the second run traces one connection at a time */
		w->done = c->accept && c->close_server;
		return 0;
	}
	w->done = true;
	for (int i = 0; i < 2; i++)
		w->done = w->done && w->c[i].connect && w->c[i].accept && w->c[i].close_client &&
			  w->c[i].close_server;
	return 0;
}

static int listener(struct conn *c)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss);
	int fd = socket(c->family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ITEST_CHECK(fd >= 0, "socket: %s", strerror(errno));
	if (c->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		inet_pton(AF_INET, c->addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, c->addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	ITEST_CHECK(bind(fd, (struct sockaddr *)&ss, len) == 0, "bind %s: %s", c->addr,
		    strerror(errno));
	ITEST_CHECK(listen(fd, 4) == 0, "listen: %s", strerror(errno));
	len = sizeof(ss);
	ITEST_CHECK(getsockname(fd, (struct sockaddr *)&ss, &len) == 0, "getsockname: %s",
		    strerror(errno));
	c->lport = ntohs(((struct sockaddr_in *)&ss)->sin_port); /* same offset in sin6 */
	return fd;
}

/* Send n (at most TO_SERVER) bytes on fd. */
static void send_n(int fd, size_t n)
{
	char buf[TO_SERVER];

	memset(buf, 'x', n);
	ITEST_CHECK(send(fd, buf, n, 0) == (ssize_t)n, "send: %s", strerror(errno));
}

/* Receive exactly n bytes on fd. */
static void recv_n(int fd, size_t n)
{
	char buf[TO_SERVER];
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(fd, buf, n - got, 0);

		ITEST_CHECK(r > 0, "recv: %s", r ? strerror(errno) : "EOF");
		got += (size_t)r;
	}
}

/* A client socket connected to listener lfd; sets c->cport. */
static int connect_client(struct conn *c, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int cfd;

	ITEST_CHECK(getsockname(lfd, (struct sockaddr *)&ss, &len) == 0, "getsockname: %s",
		    strerror(errno));
	cfd = socket(c->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ITEST_CHECK(cfd >= 0, "socket: %s", strerror(errno));
	ITEST_CHECK(connect(cfd, (struct sockaddr *)&ss, len) == 0, "connect to %s port %u: %s",
		    c->addr, c->lport, strerror(errno));
	len = sizeof(ss);
	ITEST_CHECK(getsockname(cfd, (struct sockaddr *)&ss, &len) == 0, "getsockname: %s",
		    strerror(errno));
	c->cport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return cfd;
}

/* The server's end: wait for the client's close (EOF), then close. */
static void close_after_eof(int sfd)
{
	char b;

	ITEST_CHECK(recv(sfd, &b, 1, 0) == 0, "server side: want EOF after the client's close");
	close(sfd);
}

/* One connection to listener lfd: connect, accept, data both ways, close. */
static void run_conn(struct conn *c, int lfd)
{
	int cfd = connect_client(c, lfd), sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	ITEST_CHECK(sfd >= 0, "accept: %s", strerror(errno));
	send_n(cfd, TO_SERVER);
	recv_n(sfd, TO_SERVER);
	send_n(sfd, TO_CLIENT);
	recv_n(cfd, TO_CLIENT);
	close(cfd);
	close_after_eof(sfd);
}

/* The serving child of run_conn_forked(): accept one connection on lfd,
 * TO_SERVER bytes in, TO_CLIENT out, close after the client's. */
static void server_child(int lfd)
{
	int sfd;

	prctl(PR_SET_NAME, SERVER_COMM);
	sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	ITEST_CHECK(sfd >= 0, "accept: %s", strerror(errno));
	recv_n(sfd, TO_SERVER);
	send_n(sfd, TO_CLIENT);
	close_after_eof(sfd);
	_exit(0);
}

/* As run_conn(), but the connection is accepted and served by the child
 * w->server, which waits for a byte on go; its checks exit it with 1. */
static void run_conn_forked(struct want *w, struct conn *c, int lfd, int go)
{
	int cfd = connect_client(c, lfd), status;

	ITEST_CHECK(write(go, "g", 1) == 1, "cannot start the server child");
	send_n(cfd, TO_SERVER);
	recv_n(cfd, TO_CLIENT);
	close(cfd);
	ITEST_CHECK(waitpid(w->server, &status, 0) == w->server, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "server child status %#x", status);
}

/* Second run: a child per family serves, and only the child is traced. */
static void run_filtered(struct eun_ctx *ctx, struct want *w)
{
	char ports[32], pid[16];
	struct eun_tracker *t;

	for (int i = 0; i < 2; i++) {
		struct conn *c = &w->c[i];
		int lfd = listener(c), go[2];
		char b;

		ITEST_CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
		w->server = fork();
		ITEST_CHECK(w->server >= 0, "fork: %s", strerror(errno));
		if (w->server == 0) {
			close(go[1]);
			if (read(go[0], &b, 1) != 1)
				_exit(1);
			server_child(lfd);
		}
		close(go[0]);
		snprintf(ports, sizeof(ports), "%u", c->lport);
		snprintf(pid, sizeof(pid), "%d", (int)w->server);
		{
			const struct eun_config_entry cfg[] = { { "ports", ports }, { "pid", pid } };

			t = itest_start(ctx, "tcp", cfg, 2);
		}
		/* The connection is made before the child accepts: the
		 * handshake completes in our context, as on any loopback. */
		run_conn_forked(w, c, lfd, go[1]);
		close(go[1]);
		close(lfd);
		w->done = false;
		ITEST_CHECK(itest_poll_until(ctx, &w->done),
			    "within %d ms, for %s served by pid %d: accept %d close %d", ITEST_TIMEOUT_MS,
			    c->addr, (int)w->server, c->accept, c->close_server);
		/* Drain what came after, so that a client-side event would fail. */
		ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
		eun_tracker_free(t);
		printf("ok: %s port %u <- %u served by pid %d: accept, close, our side filtered out\n",
		       c->addr, c->lport, c->cport, (int)w->server);
	}
}

int main(void)
{
	struct want w = {
		.c = { { .family = AF_INET, .addr = "127.0.0.1", .fam_name = "inet" },
		       { .family = AF_INET6, .addr = "::1", .fam_name = "inet6" } },
	};
	struct eun_config_entry bad = { .key = "ports", .value = "80,http" };
	struct eun_config_entry cfg;
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	char ports[32];
	int lfd4, lfd6;

	itest_require_kernel();
	ITEST_CHECK(prctl(PR_GET_NAME, w.comm) == 0, "PR_GET_NAME: %s", strerror(errno));
	lfd4 = listener(&w.c[0]);
	lfd6 = listener(&w.c[1]);

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);

	/* A bad port is refused at create time, naming the value. */
	EUN_OPTS(eun_tracker_opts, bad_opts, .config = &bad, .n_config = 1);
	ITEST_CHECK(!eun_tracker_new(ctx, "tcp", &bad_opts), "ports=80,http was accepted");
	ITEST_CHECK(strstr(eun_last_error(), "'http'"), "error does not name the bad port: %s",
		    eun_last_error());

	snprintf(ports, sizeof(ports), "%u,%u", w.c[0].lport, w.c[1].lport);
	cfg = (struct eun_config_entry){ .key = "ports", .value = ports };
	t = itest_start(ctx, "tcp", &cfg, 1);

	run_conn(&w.c[0], lfd4);
	run_conn(&w.c[1], lfd6);

	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "within %d ms: v4 connect %d accept %d close %d/%d, v6 connect %d accept %d "
		    "close %d/%d",
		    ITEST_TIMEOUT_MS, w.c[0].connect, w.c[0].accept, w.c[0].close_client,
		    w.c[0].close_server, w.c[1].connect, w.c[1].accept, w.c[1].close_client,
		    w.c[1].close_server);
	eun_tracker_free(t);
	ITEST_CHECK(eun_tracker_count(ctx) == 0, "tracker not removed");
	close(lfd4);
	close(lfd6);
	printf("ok: 127.0.0.1 port %u <- %u and ::1 port %u <- %u: connect, accept, close x2\n",
	       w.c[0].lport, w.c[0].cport, w.c[1].lport, w.c[1].cport);

	for (int i = 0; i < 2; i++)
		w.c[i] = (struct conn){ .family = w.c[i].family, .addr = w.c[i].addr,
					.fam_name = w.c[i].fam_name };
	run_filtered(ctx, &w);
	eun_ctx_free(ctx);
	return 0;
}
