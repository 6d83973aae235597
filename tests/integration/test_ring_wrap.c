/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The core's ring reader (lib/ring_reader.c) maps a ring's data area once,
 * so a record that runs past the end of the area has to be joined from its
 * two pieces. The real `files` tracker with the smallest ring (4 KiB) and
 * opens of paths of every length from 1 to 200 bytes, each read before the
 * next open: the records wrap around the ring's end again and again, and
 * every path must arrive whole and in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

#define N_OPENS 200

struct seen {
	const char *dir;  /* prefix of our paths (the start-up's own opens come first) */
	const char *want; /* the path of the open in flight */
	int matched;      /* opens whose path arrived exactly */
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	char path[512];

	if (eun_event_pid(ev) != (uint32_t)getpid() || strcmp(eun_event_type_name(ev), "open"))
		return 0;
	ITEST_CHECK(itest_field_text(ev, "path", path, sizeof(path)), "open event has no path");
	if (strncmp(path, s->dir, strlen(s->dir)))
		return 0;
	ITEST_CHECK(!strcmp(path, s->want), "path '%s', want '%s' (open %d)", path, s->want,
		    s->matched);
	s->matched++;
	s->done = true;
	return 0;
}

int main(void)
{
	char pid[16], path[256];
	/* Only this process's opens, so that nothing else fills the tiny ring. */
	const struct eun_config_entry cfg[] = { { "ringbuf_kb", "4" }, { "wakeup_kb", "0" },
						{ "pid", pid } };
	struct seen s = { 0 };
	struct eun_tracker *t;
	struct eun_ctx *ctx;
	size_t dir_len;

	itest_require_kernel();
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &s);
	t = itest_start(ctx, "files", cfg, sizeof(cfg) / sizeof(cfg[0]));

	snprintf(path, sizeof(path), "%s/", itest_tmpdir());
	dir_len = strlen(path);
	s.dir = itest_tmpdir();
	for (int i = 1; i <= N_OPENS; i++) {
		/* dir/xxx...: a missing file whose name is i bytes long */
		size_t len = dir_len + (size_t)i < sizeof(path) - 1 ? dir_len + (size_t)i : sizeof(path) - 1;

		memset(path + dir_len, 'a' + i % 26, len - dir_len);
		path[len] = '\0';
		s.want = path;
		s.done = false;
		ITEST_CHECK(open(path, O_RDONLY | O_CLOEXEC) < 0 && errno == ENOENT,
			    "%s should not exist", path);
		ITEST_CHECK(itest_poll_until(ctx, &s.done), "open %d (%zu-byte path) not seen within %d ms",
			    i, len, ITEST_TIMEOUT_MS);
	}
	EUN_OPTS(eun_tracker_stats, st);
	ITEST_CHECK(eun_tracker_stats(t, &st) == 0, "stats: %s", eun_last_error());
	ITEST_CHECK(st.kernel_drops == 0 && st.decode_errors == 0,
		    "%llu kernel drops, %llu decode errors", (unsigned long long)st.kernel_drops,
		    (unsigned long long)st.decode_errors);
	eun_tracker_free(t);
	eun_ctx_free(ctx);
	printf("ok: %d paths of 1 to %d bytes whole through a 4 KiB ring\n", s.matched, N_OPENS);
	return 0;
}
