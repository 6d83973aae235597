/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Running the stack trackers' target programs (see target_proc.h). */
#include "target_proc.h"

#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

void target_start(struct target_proc *p, const char *name, const char *arg)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int in[2], out[2];
	char *slash;

	ITEST_CHECK(n > 0, "readlink /proc/self/exe failed");
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	ITEST_CHECK(slash, "no directory in %s", exe);
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, name);
	ITEST_CHECK(access(path, X_OK) == 0, "%s is missing: build the tests with ninja first", path);
	ITEST_CHECK(pipe(in) == 0 && pipe(out) == 0, "pipe failed");
	p->pid = fork();
	ITEST_CHECK(p->pid >= 0, "fork failed");
	if (!p->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(path, name, arg, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	p->to_child = in[1];
	p->from_child = out[0];
	ITEST_CHECK(target_wait_done(p), "%s did not start", path);
}

void target_send(struct target_proc *p)
{
	ITEST_CHECK(write(p->to_child, "g", 1) == 1, "cannot write to the target");
}

bool target_wait_done(struct target_proc *p)
{
	struct pollfd pfd = { .fd = p->from_child, .events = POLLIN };
	char c;

	if (poll(&pfd, 1, 10000) != 1)
		return false;
	return read(p->from_child, &c, 1) == 1;
}

void target_finish(struct target_proc *p)
{
	int status;

	close(p->to_child);
	close(p->from_child);
	ITEST_CHECK(waitpid(p->pid, &status, 0) == p->pid, "waitpid failed");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "target exited with status 0x%x",
		    status);
}
