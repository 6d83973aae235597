/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `syscall` tracker, filtered in the kernel to a child that makes
 * N_GETPPID getppid() calls and N_BADCLOSE close(-1) calls (each -EBADF).
 * Tracker `all` must sum, over its snapshots, exactly N_GETPPID getppid
 * calls without errors and at least N_BADCLOSE failed closes, with names,
 * numbers, latency and the child's identity; tracker `failed` (failed_only,
 * top=1) must report only failed calls: exactly N_BADCLOSE closes.
 * On x86-64 the child also makes N_IA32 getppid calls through int $0x80,
 * the 32-bit entry, which must be named ia32_getppid (compat, nr 64).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define CHILD_COMM "eun-sys-child"
#define N_GETPPID 2000
#define N_BADCLOSE 300
#define N_IA32 50
#define IA32_NR_GETPPID 64 /* <asm/unistd_32.h> */

struct sums {
	int64_t getppid_calls, getppid_errors, close_calls, close_errors, ia32_calls, other_calls;
};

struct want {
	pid_t child;
	bool ia32; /* the child made the int $0x80 calls */
	struct eun_tracker *all, *failed;
	struct sums s_all, s_failed;
	bool done;
};

static void check_record(const struct eun_event *ev, const char *name)
{
	int64_t count = itest_field_s64(ev, "count"), total = itest_field_s64(ev, "total_ns");
	int64_t max = itest_field_s64(ev, "max_ns");

	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "stats"), "type %s", eun_event_type_name(ev));
	ITEST_CHECK(!strcmp(eun_event_comm(ev), CHILD_COMM), "comm '%s', want %s",
		    eun_event_comm(ev), CHILD_COMM);
	ITEST_CHECK(eun_event_uid(ev) == getuid(), "uid %u", eun_event_uid(ev));
	ITEST_CHECK(count > 0, "%s: a snapshot record with count %lld", name, (long long)count);
	ITEST_CHECK(itest_field_s64(ev, "errors") <= count, "%s: more errors than calls", name);
	ITEST_CHECK(max > 0 && max <= total, "%s: max_ns %lld, total_ns %lld", name, (long long)max,
		    (long long)total);
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	struct sums *s;
	char name[64];
	int64_t nr;

	if (eun_event_pid(ev) != (uint32_t)w->child)
		ITEST_FAIL("record of pid %u passed the in-kernel pid=%d filter", eun_event_pid(ev),
			   (int)w->child);
	ITEST_CHECK(itest_field_text(ev, "syscall", name, sizeof(name)), "no syscall field");
	check_record(ev, name);
	s = eun_event_tracker(ev) == w->all ? &w->s_all : &w->s_failed;
	nr = itest_field_s64(ev, "nr");
	if (!strcmp(name, "getppid")) {
		ITEST_CHECK(nr == SYS_getppid, "getppid has nr %lld, want %d", (long long)nr, SYS_getppid);
		s->getppid_calls += itest_field_s64(ev, "count");
		s->getppid_errors += itest_field_s64(ev, "errors");
	} else if (!strcmp(name, "close")) {
		ITEST_CHECK(nr == SYS_close, "close has nr %lld, want %d", (long long)nr, SYS_close);
		s->close_calls += itest_field_s64(ev, "count");
		s->close_errors += itest_field_s64(ev, "errors");
	} else if (!strcmp(name, "ia32_getppid")) {
		ITEST_CHECK(nr == IA32_NR_GETPPID && itest_field_s64(ev, "compat") == 1,
			    "ia32_getppid: nr %lld compat %lld", (long long)nr,
			    (long long)itest_field_s64(ev, "compat"));
		s->ia32_calls += itest_field_s64(ev, "count");
	} else {
		ITEST_CHECK(itest_field_s64(ev, "compat") == 0, "%s flagged compat", name);
		s->other_calls += itest_field_s64(ev, "count");
	}
	w->done = w->s_all.getppid_calls >= N_GETPPID && w->s_all.close_errors >= N_BADCLOSE &&
		  w->s_failed.close_calls >= N_BADCLOSE &&
		  (!w->ia32 || w->s_all.ia32_calls >= N_IA32);
	return 0;
}

/* getppid through the 32-bit syscall entry, on x86-64 (the kernel kills
 * the caller with SIGSEGV when booted with ia32_emulation=0). */
static void ia32_calls(pid_t parent)
{
#if defined(__x86_64__)
	for (int i = 0; i < N_IA32; i++) {
		long ret = IA32_NR_GETPPID;

		__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
		if (ret != parent)
			_exit(124);
	}
	_exit(0);
#else
	(void)parent;
	_exit(77);
#endif
}

/* Waits for the go byte, then makes the calls the test counts. */
static void child(int go, pid_t parent)
{
	char c;

	prctl(PR_SET_NAME, CHILD_COMM);
	if (read(go, &c, 1) != 1)
		_exit(126);
	for (int i = 0; i < N_GETPPID; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < N_BADCLOSE; i++) {
		if (syscall(SYS_close, -1) != -1 || errno != EBADF)
			_exit(125);
	}
	ia32_calls(parent);
}

int main(void)
{
	struct want w = { 0 };
	struct eun_ctx *ctx;
	char pid_text[16], c = 'g';
	int go[2], status;
	pid_t parent;

	itest_require_kernel();
	ITEST_CHECK(pipe(go) == 0, "pipe");
	parent = getpid();
	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0) {
		close(go[1]);
		child(go[0], parent);
	}
	close(go[0]);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)w.child);

	const struct eun_config_entry cfg_all[] = { { "pid", pid_text }, { "interval_ms", "100" } };
	const struct eun_config_entry cfg_failed[] = {
		{ "pid", pid_text }, { "interval_ms", "100" }, { "failed_only", "true" }, { "top", "1" },
	};
	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	w.all = itest_start(ctx, "syscall", cfg_all, 2);
	w.failed = itest_start(ctx, "syscall", cfg_failed, 4);

	ITEST_CHECK(write(go[1], &c, 1) == 1, "write go");
	ITEST_CHECK(waitpid(w.child, &status, 0) == w.child, "waitpid");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		printf("note: int $0x80 killed the child: this kernel runs without ia32 emulation; "
		       "ia32 naming not checked\n");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		printf("note: not x86-64; ia32 naming not checked\n");
	else
		ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	w.ia32 = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	/* collect() runs only inside eun_ctx_poll(), called from here on, after
	 * the child is done: no call can race a drain of the map. */
	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "within %d ms: getppid %lld/%d, failed close %lld/%d (all), close %lld/%d "
		    "(failed_only), ia32_getppid %lld/%d", ITEST_TIMEOUT_MS,
		    (long long)w.s_all.getppid_calls, N_GETPPID, (long long)w.s_all.close_errors,
		    N_BADCLOSE, (long long)w.s_failed.close_calls, N_BADCLOSE,
		    (long long)w.s_all.ia32_calls, w.ia32 ? N_IA32 : 0);
	/* Stopping runs a last collect(): the totals must not move past exact. */
	ITEST_CHECK(eun_tracker_stop(w.all) == 0 && eun_tracker_stop(w.failed) == 0, "stop: %s",
		    eun_last_error());
	ITEST_CHECK(w.s_all.getppid_calls == N_GETPPID, "getppid calls %lld, want %d",
		    (long long)w.s_all.getppid_calls, N_GETPPID);
	ITEST_CHECK(w.s_all.getppid_errors == 0, "getppid errors %lld",
		    (long long)w.s_all.getppid_errors);
	ITEST_CHECK(w.s_all.close_calls >= N_BADCLOSE, "close calls %lld",
		    (long long)w.s_all.close_calls);
	ITEST_CHECK(w.s_failed.close_calls == N_BADCLOSE && w.s_failed.close_errors == N_BADCLOSE,
		    "failed_only: close calls %lld errors %lld, want %d each",
		    (long long)w.s_failed.close_calls, (long long)w.s_failed.close_errors, N_BADCLOSE);
	ITEST_CHECK(!w.ia32 || w.s_all.ia32_calls == N_IA32, "ia32_getppid calls %lld, want %d",
		    (long long)w.s_all.ia32_calls, N_IA32);
	ITEST_CHECK(w.s_failed.getppid_calls == 0 && w.s_failed.other_calls == 0,
		    "failed_only reported %lld getppid and %lld other calls that succeeded",
		    (long long)w.s_failed.getppid_calls, (long long)w.s_failed.other_calls);
	eun_ctx_free(ctx);
	printf("ok: %d getppid, %d failed close and %d ia32_getppid calls of pid %d counted in the "
	       "kernel\n", N_GETPPID, N_BADCLOSE, w.ia32 ? N_IA32 : 0, (int)w.child);
	return 0;
}
