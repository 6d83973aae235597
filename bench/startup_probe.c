// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Startup timer for bench/run: starts a tracer command with its standard
 * output on a pipe and measures, from just before the fork, when the first
 * BPF link appears among the child's open files (the first program
 * attached) and when the first byte arrives on the pipe (for
 * `eunomia run ... --format csv`, the header row, written once every
 * tracker has started). Then it stops the child with SIGTERM and waits.
 *
 *     startup_probe [-t TIMEOUT_MS] COMMAND [ARG...]
 *
 * Prints one line, "first_link_ms=A ready_ms=B links=N", N being the BPF
 * links the child held when it became ready. Looks every 0.2 ms, so both
 * times are late by at most that much plus one scan of /proc/PID/fd.
 * Exit status 0 on success; 1 if the command exited, failed or timed out
 * (default 10000 ms) before writing anything; 2 on a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* BPF link fds process pid holds, or -1 if its fd directory is gone. */
static int count_links(pid_t pid)
{
	char dir[64], path[320], target[64];
	struct dirent *d;
	int n = 0;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	fds = opendir(dir);
	if (!fds)
		return -1;
	while ((d = readdir(fds))) {
		ssize_t len;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, "anon_inode:bpf_link"))
			n++;
	}
	closedir(fds);
	return n;
}

/* Start argv with its stdout on a new pipe; the pipe's read end in *out. */
static pid_t spawn(char **argv, int *out)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "startup_probe: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*out = p[0];
	return pid;
}

/* Stop the child and reap it; drains its output meanwhile. */
static void stop_child(pid_t pid, int out)
{
	char buf[4096];

	kill(pid, SIGTERM);
	while (read(out, buf, sizeof(buf)) > 0)
		;
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	double timeout_ms = 10000, t0, first_link = -1;
	int opt, out, links;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+t:")) != -1) {
		char *end;

		if (opt != 't')
			return 2;
		timeout_ms = strtod(optarg, &end);
		if (*end || timeout_ms <= 0)
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: startup_probe [-t TIMEOUT_MS] COMMAND [ARG...]\n");
		return 2;
	}

	t0 = now_ms();
	pid = spawn(argv + optind, &out);
	if (pid < 0) {
		fprintf(stderr, "startup_probe: cannot start %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = out, .events = POLLIN };
		struct timespec tick = { .tv_nsec = 200000 };
		int n = count_links(pid);
		char c;

		if (n > 0 && first_link < 0)
			first_link = now_ms() - t0;
		if (poll(&pfd, 1, 0) > 0) {
			double ready = now_ms() - t0;

			if (read(out, &c, 1) != 1) {
				fprintf(stderr, "startup_probe: %s exited before it was ready\n", argv[optind]);
				waitpid(pid, NULL, 0);
				return 1;
			}
			if (first_link < 0) /* attached between the last scan and the write */
				first_link = ready;
			links = count_links(pid);
			stop_child(pid, out);
			printf("first_link_ms=%.1f ready_ms=%.1f links=%d\n", first_link, ready, links);
			return 0;
		}
		if (now_ms() - t0 > timeout_ms) {
			fprintf(stderr, "startup_probe: %s not ready after %.0f ms\n", argv[optind], timeout_ms);
			stop_child(pid, out);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
}
