/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `signal` tracker, filtered in the kernel to SIGUSR1 (sig=10).
 * A child we fork first ignores SIGUSR1, then handles it. We send it
 * SIGUSR2 (must be filtered out), SIGUSR1 while ignored (result "ignored")
 * and SIGUSR1 while handled (result "delivered"); each event must name us
 * as sender and the child as target.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define CHILD_COMM "eun-sig-child"

struct want {
	pid_t child;
	int seen;   /* SIGUSR1 events from us to the child so far */
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	static const char *const want_result[] = { "ignored", "delivered" };
	struct want *w = cookie;
	char buf[64];

	if (eun_event_pid(ev) != (uint32_t)getpid())
		return 0;
	if (itest_field_s64(ev, "target_pid") != w->child)
		return 0;
	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "send"), "type %s", eun_event_type_name(ev));
	ITEST_CHECK(itest_field_s64(ev, "sig") == SIGUSR1, "sig %lld: the sig=10 filter let it pass",
		    (long long)itest_field_s64(ev, "sig"));
	ITEST_CHECK(w->seen < 2, "more than two SIGUSR1 events to pid %d", (int)w->child);
	ITEST_CHECK(itest_field_text(ev, "sig_name", buf, sizeof(buf)), "no sig_name");
	ITEST_CHECK(!strcmp(buf, "SIGUSR1"), "sig_name '%s', want SIGUSR1", buf);
	ITEST_CHECK(itest_field_s64(ev, "target_tid") == w->child, "target_tid %lld",
		    (long long)itest_field_s64(ev, "target_tid"));
	ITEST_CHECK(itest_field_text(ev, "target_comm", buf, sizeof(buf)), "no target_comm");
	ITEST_CHECK(!strcmp(buf, CHILD_COMM), "target_comm '%s', want %s", buf, CHILD_COMM);
	ITEST_CHECK(itest_field_s64(ev, "code") == SI_USER, "code %lld, want SI_USER (kill)",
		    (long long)itest_field_s64(ev, "code"));
	ITEST_CHECK(itest_field_s64(ev, "group") == 1, "kill() sends to the thread group");
	ITEST_CHECK(itest_field_s64(ev, "result") == 1 - w->seen, "event %d: result %lld, want %d",
		    w->seen, (long long)itest_field_s64(ev, "result"), 1 - w->seen);
	ITEST_CHECK(itest_field_text(ev, "result_name", buf, sizeof(buf)), "no result_name");
	ITEST_CHECK(!strcmp(buf, want_result[w->seen]), "event %d: result_name '%s', want %s",
		    w->seen, buf, want_result[w->seen]);
	w->seen++;
	w->done = w->seen == 2;
	return 0;
}

static volatile sig_atomic_t got_usr1;

static void on_usr(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
}

static void set_action(int sig, void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		_exit(125);
}

/* Ignores SIGUSR1 until told, then waits for one. */
static void child(int ready, int go)
{
	char c = 'r';

	prctl(PR_SET_NAME, CHILD_COMM);
	set_action(SIGUSR1, SIG_IGN);
	set_action(SIGUSR2, on_usr);
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(126);
	set_action(SIGUSR1, on_usr);
	if (write(ready, &c, 1) != 1)
		_exit(126);
	while (!got_usr1)
		pause();
	_exit(0);
}

int main(void)
{
	const struct eun_config_entry cfg[] = { { "sig", "10" } };
	struct want w = { 0 };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int ready[2], go[2], status;
	char c = 'g';

	itest_require_kernel();
	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "signal", cfg, 1);

	ITEST_CHECK(pipe(ready) == 0 && pipe(go) == 0, "pipe");
	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0) {
		close(ready[0]);
		close(go[1]);
		child(ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	ITEST_CHECK(read(ready[0], &c, 1) == 1, "child not ready");
	ITEST_CHECK(kill(w.child, SIGUSR2) == 0, "kill SIGUSR2: %s", strerror(errno));
	ITEST_CHECK(kill(w.child, SIGUSR1) == 0, "kill SIGUSR1: %s", strerror(errno));
	ITEST_CHECK(write(go[1], &c, 1) == 1, "write");
	ITEST_CHECK(read(ready[0], &c, 1) == 1, "child not ready for SIGUSR1");
	ITEST_CHECK(kill(w.child, SIGUSR1) == 0, "kill SIGUSR1: %s", strerror(errno));
	ITEST_CHECK(waitpid(w.child, &status, 0) == w.child, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);

	ITEST_CHECK(itest_poll_until(ctx, &w.done), "saw %d of 2 SIGUSR1 events to pid %d within %d ms",
		    w.seen, (int)w.child, ITEST_TIMEOUT_MS);
	{
		EUN_OPTS(eun_tracker_stats, st);

		ITEST_CHECK(eun_tracker_stats(t, &st) == 0, "stats");
		ITEST_CHECK(st.decode_errors == 0, "decode errors %llu",
			    (unsigned long long)st.decode_errors);
	}
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	eun_ctx_free(ctx);
	printf("ok: SIGUSR1 to pid %d seen ignored then delivered, SIGUSR2 filtered out\n",
	       (int)w.child);
	return 0;
}
