/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Unix and TCP listening sockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "http_listen.h"

#define BACKLOG 128

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -e;
}

/* mkdir -p of path's directory. */
static int make_parent(const char *path)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

static int resolve_group(const char *name, gid_t *gid)
{
	struct group *g;
	char *end;
	unsigned long v = strtoul(name, &end, 10);

	if (*name && !*end) {
		*gid = (gid_t)v;
		return 0;
	}
	g = getgrnam(name);
	if (!g)
		return -ENOENT;
	*gid = g->gr_gid;
	return 0;
}

/* A socket file at path nobody listens on (a crash left it): remove it. */
static int clear_stale(const struct sockaddr_un *sa, const char *text, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (lstat(sa->sun_path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return fail(err, errlen, EEXIST, "--listen %s: %s exists and is not a socket; remove "
			    "it or pick another path", text, sa->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(fd);
		return fail(err, errlen, EADDRINUSE, "--listen %s: another daemon listens on %s "
			    "already; stop it or pick another path", text, sa->sun_path);
	}
	if (fd >= 0)
		close(fd);
	unlink(sa->sun_path);
	return 0;
}

static int listen_unix(const struct serve_config *c, const struct serve_listen *l, char *err,
		       size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	gid_t gid = (gid_t)-1;
	mode_t old;
	int fd, rc;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", l->path);
	if (c->socket_group && resolve_group(c->socket_group, &gid) < 0)
		return fail(err, errlen, ENOENT, "--socket-group %s: no such group", c->socket_group);
	if ((rc = make_parent(l->path)) < 0)
		return fail(err, errlen, -rc, "--listen %s: cannot create its directory: %s", l->text,
			    strerror(-rc));
	if ((rc = clear_stale(&sa, l->text, err, errlen)))
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(err, errlen, errno, "socket: %s", strerror(errno));
	/* No moment at which others could connect before the mode is set. */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || chmod(l->path, c->socket_mode) < 0 ||
	    (gid != (gid_t)-1 && chown(l->path, (uid_t)-1, gid) < 0) || listen(fd, BACKLOG) < 0) {
		rc = errno;
		close(fd);
		return fail(err, errlen, rc, "--listen %s: %s", l->text, strerror(rc));
	}
	return fd;
}

static int listen_tcp(const struct serve_listen *l, uint16_t *port, char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, one = 1, rc;

	if (strchr(l->host, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(l->port);
		inet_pton(AF_INET6, l->host, &s6->sin6_addr);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(l->port);
		inet_pton(AF_INET, l->host, &s4->sin_addr);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(err, errlen, errno, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, BACKLOG) < 0) {
		rc = errno;
		close(fd);
		return fail(err, errlen, rc, "cannot listen on %s: %s; %s", l->text, strerror(rc),
			    rc == EACCES ? "ports below 1024 need root" : "pick another address or port");
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int http_listen(const struct serve_config *c, const struct serve_listen *l, uint16_t *port,
		char *err, size_t errlen)
{
	*port = 0;
	return l->is_unix ? listen_unix(c, l, err, errlen) : listen_tcp(l, port, err, errlen);
}
