/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The workload of the capability tests: needs exactly CAP_CHOWN (giving a
 * file it made to another user) and CAP_NET_BIND_SERVICE (binding a port
 * below 1024 on loopback), nothing else, when run as root.
 *
 *     caps_target DIR
 *
 * Exit status 0; 3 if the chown failed, 4 if no low port could be bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Bind a TCP socket to 127.0.0.1 on a port below 1024, trying a few in
 * case one is taken. 0, or the errno of the last try. */
static int bind_low_port(void)
{
	int err = EADDRINUSE;

	for (unsigned port = 1000; port > 900 && err == EADDRINUSE; port--) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			return errno;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		err = bind(fd, (struct sockaddr *)&a, sizeof(a)) ? errno : 0;
		close(fd);
	}
	return err;
}

int main(int argc, char *argv[])
{
	char path[4096];
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: caps_target DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/caps-target", argv[1]);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0) {
		fprintf(stderr, "caps_target: open %s: %s\n", path, strerror(errno));
		return 2;
	}
	err = fchown(fd, 1, 1) ? errno : 0;
	close(fd);
	unlink(path);
	if (err) {
		fprintf(stderr, "caps_target: fchown: %s\n", strerror(err));
		return 3;
	}
	if ((err = bind_low_port())) {
		fprintf(stderr, "caps_target: bind below 1024: %s\n", strerror(err));
		return 4;
	}
	printf("caps_target: ok\n");
	return 0;
}
