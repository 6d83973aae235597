/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Calls back into the library from an event callback while a real ring
 * buffer is being read: freeing or stopping the tracker whose ring is under
 * the reader (which once freed the ring mid-read) is done when the drain
 * ends, every event already in the ring still arrives, and a nested poll is
 * refused instead of delivering events twice.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define CHILDREN 40

struct run {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	pid_t kids[CHILDREN];
	int execs[CHILDREN];
	int events, nested;
	bool stop_instead;
};

static int kid_index(const struct run *r, uint32_t pid)
{
	for (int i = 0; i < CHILDREN; i++)
		if (r->kids[i] == (pid_t)pid)
			return i;
	return -1;
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct run *r = cookie;
	int k = kid_index(r, eun_event_pid(ev));

	if (k >= 0 && !strcmp(eun_event_type_name(ev), "exec"))
		r->execs[k]++;
	if (r->events++ == 0) {
		r->nested = eun_ctx_poll(r->ctx, 0);
		if (r->stop_instead)
			ITEST_CHECK(eun_tracker_stop(r->t) == 0, "deferred stop: %s", eun_last_error());
		else
			eun_tracker_free(r->t);
		/* Deferred: still the context's, still running. */
		ITEST_CHECK(eun_tracker_at(r->ctx, 0) == r->t, "tracker gone inside the callback");
		ITEST_CHECK(eun_tracker_state(r->t) == EUN_TRACKER_RUNNING, "state changed inside");
	}
	return 0;
}

/* Fork CHILDREN children that exec /bin/true, and reap them, so that their
 * exec events wait in the ring together. */
static void spawn_children(struct run *r)
{
	for (int i = 0; i < CHILDREN; i++) {
		r->kids[i] = fork();
		ITEST_CHECK(r->kids[i] >= 0, "fork: %s", strerror(errno));
		if (r->kids[i] == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
	}
	for (int i = 0; i < CHILDREN; i++)
		waitpid(r->kids[i], NULL, 0);
}

static void run_case(bool stop_instead)
{
	struct run r = { .stop_instead = stop_instead };
	int n;

	r.ctx = itest_ctx();
	r.t = itest_start(r.ctx, "process", NULL, 0);
	eun_ctx_set_event_fn(r.ctx, on_event, &r);
	spawn_children(&r);
	n = eun_ctx_poll(r.ctx, ITEST_TIMEOUT_MS);
	ITEST_CHECK(n > 0, "poll delivered %d: %s", n, eun_last_error());
	ITEST_CHECK(r.nested == -EBUSY, "nested poll returned %d, want -EBUSY", r.nested);
	for (int i = 0; i < CHILDREN; i++)
		ITEST_CHECK(r.execs[i] == 1, "child %d (pid %d): %d exec events, want exactly 1",
			    i, (int)r.kids[i], r.execs[i]);
	if (stop_instead) {
		ITEST_CHECK(eun_tracker_state(r.t) == EUN_TRACKER_STOPPED, "not stopped after the drain");
		ITEST_CHECK(eun_tracker_start(r.t) == 0, "restart: %s", eun_last_error());
	} else {
		ITEST_CHECK(eun_tracker_count(r.ctx) == 0, "tracker not freed after the drain");
	}
	eun_ctx_free(r.ctx);
	printf("ok: %s from the callback with %d events in the ring\n",
	       stop_instead ? "stop" : "free", r.events);
}

int main(void)
{
	itest_require_kernel();
	run_case(false);
	run_case(true);
	return 0;
}
