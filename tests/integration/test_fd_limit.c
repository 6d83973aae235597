/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Starting a tracker with too few file descriptors left must say so: the
 * error names the open-files limit and how to raise it, not BTF, root or
 * tracefs, which are not the problem. The limit is raised step by step
 * until the tracker starts, each try in a child of its own: libbpf caches
 * its probes of kernel features per process, and a probe that ran out of
 * fds would poison the later tries.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

static void set_nofile(rlim_t n)
{
	struct rlimit rl;

	ITEST_CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0, "getrlimit: %s", strerror(errno));
	rl.rlim_cur = n;
	ITEST_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit %lu: %s", (unsigned long)n,
		    strerror(errno));
}

/* One try in this (child) process: 0 if files started with `limit` fds,
 * 1 if it was refused with the right message; fails the test otherwise. */
static int try_limit(rlim_t limit)
{
	struct eun_ctx *ctx = itest_ctx();
	struct eun_tracker *t = eun_tracker_new(ctx, "files", NULL);
	const char *msg;
	int err;

	ITEST_CHECK(t, "eun_tracker_new(files): %s", eun_last_error());
	set_nofile(limit);
	err = eun_tracker_start(t);
	msg = eun_last_error();
	set_nofile(1024);
	if (err == 0) {
		eun_ctx_free(ctx);
		return 0;
	}
	ITEST_CHECK(err == -EMFILE, "limit %lu: start failed with %d (%s), want -EMFILE",
		    (unsigned long)limit, err, msg);
	ITEST_CHECK(strstr(msg, "too many open files") && strstr(msg, "ulimit -n"),
		    "limit %lu: the message does not name the fd limit: %s", (unsigned long)limit, msg);
	ITEST_CHECK(!strstr(msg, "BTF") && !strstr(msg, "root") && !strstr(msg, "tracefs"),
		    "limit %lu: the message blames something else: %s", (unsigned long)limit, msg);
	eun_ctx_free(ctx);
	return 1;
}

int main(void)
{
	int refused = 0;

	itest_require_kernel();
	for (rlim_t limit = 8; limit < 256; limit++) {
		int status;
		pid_t pid = fork();

		ITEST_CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (pid == 0)
			exit(try_limit(limit) ? 10 : 0);
		ITEST_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status),
			    "limit %lu: the try did not exit", (unsigned long)limit);
		if (WEXITSTATUS(status) == 0) {
			printf("ok: files starts with %lu fds; %d lower limits were refused naming "
			       "the fd limit\n", (unsigned long)limit, refused);
			ITEST_CHECK(refused > 0, "no limit was low enough to fail");
			return 0;
		}
		ITEST_CHECK(WEXITSTATUS(status) == 10, "limit %lu: the try failed (see above)",
			    (unsigned long)limit);
		refused++;
	}
	ITEST_FAIL("files did not start even with 255 fds");
}
