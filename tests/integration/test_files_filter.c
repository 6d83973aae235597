/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The common in-kernel filters (pid, uid, comm) on the real `files`
 * tracker. Several trackers run at once in one ctx: those whose filter
 * matches this process must report our open of a unique path, those whose
 * filter names someone else must not. Records are written during the
 * syscall, so once a matching tracker delivered ours and every ring buffer
 * is drained, a non-matching tracker that had it would have delivered it too.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define COMM "eun-filter-tst"

struct filter_case {
	const char *key, *value;
	bool match; /* does this process pass the filter? */
	struct eun_tracker *t;
	int seen;   /* events with our path */
};

struct state {
	struct filter_case *cases;
	size_t n;
	char path[256];
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct state *s = cookie;
	char path[512];
	bool all = true;

	if (!itest_field_text(ev, "path", path, sizeof(path)) || strcmp(path, s->path))
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		if (eun_event_tracker(ev) == s->cases[i].t)
			s->cases[i].seen++;
		if (s->cases[i].match && !s->cases[i].seen)
			all = false;
	}
	s->done = all;
	return 0;
}

int main(void)
{
	char mypid[16], otherpid[16];
	struct filter_case cases[] = {
		{ "pid", mypid, true },
		{ "pid", otherpid, false },
		{ "uid", "0", true },
		{ "uid", "4242", false },
		{ "comm", COMM, true },
		{ "comm", "eun-not-us", false },
	};
	struct state s = { .cases = cases, .n = sizeof(cases) / sizeof(cases[0]) };
	struct eun_ctx *ctx;
	pid_t other;
	int fd;

	itest_require_kernel();
	ITEST_CHECK(prctl(PR_SET_NAME, COMM) == 0, "prctl: %s", strerror(errno));
	/* Another live process, so the "other pid" is real but never ours. */
	other = fork();
	ITEST_CHECK(other >= 0, "fork");
	if (other == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
		pause();
		_exit(0);
	}
	snprintf(mypid, sizeof(mypid), "%d", (int)getpid());
	snprintf(otherpid, sizeof(otherpid), "%d", (int)other);
	snprintf(s.path, sizeof(s.path), "%s/filtered-%d", itest_tmpdir(), (int)getpid());

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &s);
	for (size_t i = 0; i < s.n; i++) {
		struct eun_config_entry e = { cases[i].key, cases[i].value };

		cases[i].t = itest_start(ctx, "files", &e, 1);
	}

	fd = open(s.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ITEST_CHECK(fd >= 0, "open %s: %s", s.path, strerror(errno));
	close(fd);

	ITEST_CHECK(itest_poll_until(ctx, &s.done), "a matching tracker missed our open");
	/* Drain what is left, then stopping delivers what the rings still hold. */
	ITEST_CHECK(eun_ctx_consume(ctx) >= 0, "consume: %s", eun_last_error());
	for (size_t i = 0; i < s.n; i++)
		ITEST_CHECK(eun_tracker_stop(cases[i].t) == 0, "stop: %s", eun_last_error());

	for (size_t i = 0; i < s.n; i++) {
		const struct filter_case *c = &cases[i];

		if (c->match)
			ITEST_CHECK(c->seen == 1, "%s=%s: our open seen %d times, want once", c->key,
				    c->value, c->seen);
		else
			ITEST_CHECK(c->seen == 0, "%s=%s: our open was delivered %d times though "
				    "the filter excludes us", c->key, c->value, c->seen);
		printf("ok: %s=%s %s\n", c->key, c->value, c->match ? "delivered" : "filtered out");
	}
	eun_ctx_free(ctx);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	return 0;
}
