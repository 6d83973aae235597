/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `files` tracker: opening a unique existing file reports its path
 * and the very fd open() returned; opening a unique missing path reports
 * ret == -ENOENT.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

struct want {
	char existing[256], missing[256];
	int fd;
	bool saw_existing, saw_missing, done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char path[512];

	if (eun_event_pid(ev) != (uint32_t)getpid() || strcmp(eun_event_type_name(ev), "open"))
		return 0;
	ITEST_CHECK(itest_field_text(ev, "path", path, sizeof(path)), "open event has no path");
	if (!strcmp(path, w->existing)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == w->fd, "ret %lld, want fd %d",
			    (long long)itest_field_s64(ev, "ret"), w->fd);
		w->saw_existing = true;
	} else if (!strcmp(path, w->missing)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == -ENOENT, "ret %lld, want -ENOENT (%d)",
			    (long long)itest_field_s64(ev, "ret"), -ENOENT);
		w->saw_missing = true;
	}
	w->done = w->saw_existing && w->saw_missing;
	return 0;
}

int main(void)
{
	struct want w = { .fd = -1 };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int fd;

	itest_require_kernel();
	snprintf(w.existing, sizeof(w.existing), "%s/exists-%d", itest_tmpdir(), (int)getpid());
	snprintf(w.missing, sizeof(w.missing), "%s/missing-%d", itest_tmpdir(), (int)getpid());
	fd = open(w.existing, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ITEST_CHECK(fd >= 0, "create %s: %s", w.existing, strerror(errno));
	close(fd);

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "files", NULL, 0);

	w.fd = open(w.existing, O_RDONLY | O_CLOEXEC);
	ITEST_CHECK(w.fd >= 0, "open %s: %s", w.existing, strerror(errno));
	ITEST_CHECK(open(w.missing, O_RDONLY | O_CLOEXEC) < 0 && errno == ENOENT,
		    "%s should not exist", w.missing);

	ITEST_CHECK(itest_poll_until(ctx, &w.done), "within %d ms: existing %s, missing %s",
		    ITEST_TIMEOUT_MS, w.saw_existing ? "seen" : "NOT seen",
		    w.saw_missing ? "seen" : "NOT seen");
	close(w.fd);
	eun_tracker_free(t);
	ITEST_CHECK(eun_tracker_count(ctx) == 0, "tracker not removed");
	eun_ctx_free(ctx);
	printf("ok: open of %s (fd %d) and %s (-ENOENT) seen\n", w.existing, w.fd, w.missing);
	return 0;
}
