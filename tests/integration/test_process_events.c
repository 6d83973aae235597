/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `process` tracker: a child we fork execs a uniquely named copy of
 * /bin/sh running `exit 7`; its exec event must carry that file name, our
 * pid as parent, and its exit event exit code 7.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

struct want {
	pid_t child;
	char path[256];
	char comm[16];
	bool saw_exec, saw_exit, done;
};

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);

	ITEST_CHECK(in >= 0 && out >= 0, "copy %s -> %s: %s", from, to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ITEST_CHECK(write(out, buf, (size_t)n) == n, "write %s: %s", to, strerror(errno));
	ITEST_CHECK(n == 0, "read %s: %s", from, strerror(errno));
	close(in);
	ITEST_CHECK(close(out) == 0, "close %s", to);
}

/* The child shares our namespaces: the header must carry their inode numbers. */
static void check_namespaces(const struct eun_event *ev)
{
	static const struct { enum eun_ns_kind kind; const char *path; } ns[] = {
		{ EUN_NS_PID, "/proc/self/ns/pid" }, { EUN_NS_MNT, "/proc/self/ns/mnt" },
		{ EUN_NS_NET, "/proc/self/ns/net" }, { EUN_NS_USER, "/proc/self/ns/user" },
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		ITEST_CHECK(stat(ns[i].path, &st) == 0, "stat %s: %s", ns[i].path, strerror(errno));
		ITEST_CHECK(eun_event_ns_id(ev, ns[i].kind) == st.st_ino, "%s: event has %u, want %lu",
			    ns[i].path, eun_event_ns_id(ev, ns[i].kind), (unsigned long)st.st_ino);
	}
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char buf[512];

	if (eun_event_pid(ev) != (uint32_t)w->child)
		return 0;
	if (!strcmp(eun_event_type_name(ev), "exec")) {
		ITEST_CHECK(itest_field_text(ev, "filename", buf, sizeof(buf)), "exec has no filename");
		ITEST_CHECK(!strcmp(buf, w->path), "exec filename '%s', want '%s'", buf, w->path);
		ITEST_CHECK(itest_field_s64(ev, "ppid") == getpid(), "exec ppid %lld, want %d",
			    (long long)itest_field_s64(ev, "ppid"), (int)getpid());
		if (itest_field_text(ev, "args", buf, sizeof(buf)))
			ITEST_CHECK(strstr(buf, "exit 7"), "exec args '%s' lack 'exit 7'", buf);
		check_namespaces(ev);
		w->saw_exec = true;
	} else if (!strcmp(eun_event_type_name(ev), "exit")) {
		ITEST_CHECK(w->saw_exec, "exit event delivered before the exec event");
		ITEST_CHECK(itest_field_s64(ev, "exit_code") == 7, "exit_code %lld, want 7",
			    (long long)itest_field_s64(ev, "exit_code"));
		ITEST_CHECK(!strcmp(eun_event_comm(ev), w->comm), "exit comm '%s', want '%s'",
			    eun_event_comm(ev), w->comm);
		w->saw_exit = true;
	}
	w->done = w->saw_exec && w->saw_exit;
	return 0;
}

int main(void)
{
	struct want w = { 0 };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int go[2], status;
	char c = 'x';

	itest_require_kernel();
	snprintf(w.comm, sizeof(w.comm), "eun-sh-%d", (int)getpid() % 100000);
	snprintf(w.path, sizeof(w.path), "%s/%s", itest_tmpdir(), w.comm);
	copy_file("/bin/sh", w.path);

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "process", NULL, 0);

	/* The child waits until the tracker runs, then execs. */
	ITEST_CHECK(pipe(go) == 0, "pipe");
	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(126);
		execl(w.path, w.comm, "-c", "exit 7", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	ITEST_CHECK(write(go[1], &c, 1) == 1, "write");
	close(go[1]);
	ITEST_CHECK(waitpid(w.child, &status, 0) == w.child, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child status %#x", status);

	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "no %s%s event for pid %d within %d ms", w.saw_exec ? "" : "exec ",
		    w.saw_exit ? "" : "exit", (int)w.child, ITEST_TIMEOUT_MS);

	{
		EUN_OPTS(eun_tracker_stats, st);

		ITEST_CHECK(eun_tracker_stats(t, &st) == 0, "stats");
		ITEST_CHECK(st.events >= 2, "stats.events %llu", (unsigned long long)st.events);
		ITEST_CHECK(st.decode_errors == 0, "decode errors %llu",
			    (unsigned long long)st.decode_errors);
	}
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_state(t) == EUN_TRACKER_STOPPED, "state after stop");
	eun_ctx_free(ctx);
	printf("ok: exec %s and exit 7 of pid %d seen\n", w.path, (int)w.child);
	return 0;
}
