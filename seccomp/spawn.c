// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Starting a command as a subject: fork, move the child into its cgroup
 * while it waits on a pipe (so even its first syscall after the move is
 * the subject's), load the seccomp filter in it if one is given, exec.
 * A second pipe, closed by the exec, tells the parent whether it worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "sc.h"

/* What the child writes when it fails before or at its exec. */
struct child_error {
	int err;
	int stage; /* 0: exec, 1: the filter */
};

static void child_fail(int fd, int err, int stage)
{
	struct child_error e = { err, stage };

	if (write(fd, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

int sc_spawn(char *const argv[], const struct sc_cgroup *cg, scmp_filter_ctx filter,
	     struct sc_child *c)
{
	int gate[2], report[2], err;
	struct child_error e;
	ssize_t n;
	char go;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	if (pipe2(gate, O_CLOEXEC))
		return sc_error(errno, "cannot make a pipe: %s", strerror(errno));
	if (pipe2(report, O_CLOEXEC)) {
		err = errno;
		close(gate[0]);
		close(gate[1]);
		return sc_error(err, "cannot make a pipe: %s", strerror(err));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(gate[0]);
		close(gate[1]);
		close(report[0]);
		close(report[1]);
		return sc_error(err, "cannot fork: %s", strerror(err));
	}
	if (pid == 0) {
		close(gate[1]);
		close(report[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (read(gate[0], &go, 1) != 1)
			_exit(127); /* the parent gave up */
		close(gate[0]);
		if (filter && (err = seccomp_load(filter)))
			child_fail(report[1], -err, 1);
		execvp(argv[0], argv);
		child_fail(report[1], errno, 0);
	}
	close(gate[0]);
	close(report[1]);
	c->pid = pid;
	err = cg ? sc_cgroup_enter(cg, pid) : 0;
	if (!err && write(gate[1], "g", 1) != 1)
		err = sc_error(errno, "cannot release the command: %s", strerror(errno));
	close(gate[1]);
	if (err) {
		kill(pid, SIGKILL);
		close(report[0]);
		waitpid(pid, &c->status, 0);
		c->reaped = true;
		return err;
	}
	do
		n = read(report[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(pid, &c->status, 0);
		c->reaped = true;
		if (e.stage == 1)
			return sc_error(e.err, "the kernel refused the seccomp filter: %s",
					strerror(e.err));
		return sc_error(e.err, "cannot execute '%s': %s", argv[0], strerror(e.err));
	}
	return 0;
}

bool sc_child_reap(struct sc_child *c)
{
	if (c->pid && !c->reaped && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
		c->reaped = true;
	return c->reaped;
}

char **sc_argv_dup(char *const argv[])
{
	size_t n = 0;
	char **v;

	while (argv[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] = strdup(argv[i]))) {
			sc_argv_free(v);
			return NULL;
		}
	return v;
}

void sc_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void sc_argv_text(char *const argv[], char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv[i] && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", argv[i]);
}
