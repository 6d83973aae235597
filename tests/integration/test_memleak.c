/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `memleak` tracker on memleak_target: the tracker must refuse
 * to start without a pid; on the target, the LEAK_COUNT blocks of
 * LEAK_SIZE bytes leaked from leak_blocks_here() must be reported with
 * their exact total and a symbolized stack ending in main;leak_blocks_here,
 * and the blocks free_blocks_here() freed (malloc, calloc, realloc) must
 * not be reported at all.
 */
#include <stdio.h>
#include <string.h>

#include "itest.h"
#include "memleak_target.h"
#include "target_proc.h"

struct want {
	pid_t pid;
	int records;  /* records of the target seen */
	bool done;    /* the full leak was reported */
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char stack[4096], comm[32];
	int64_t bytes, allocs;

	ITEST_CHECK(!strcmp(eun_event_tracker_name(ev), "memleak"), "event of %s",
		    eun_event_tracker_name(ev));
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)w->pid, "record of pid %u, target is %d",
		    eun_event_pid(ev), (int)w->pid);
	w->records++;
	ITEST_CHECK(itest_field_text(ev, "stack", stack, sizeof(stack)), "no stack field");
	ITEST_CHECK(!strstr(stack, "free_blocks_here"), "freed blocks reported: %s", stack);
	if (!strstr(stack, "leak_blocks_here"))
		return 0;
	ITEST_CHECK(strstr(stack, "main;leak_blocks_here"),
		    "stack does not end in main;leak_blocks_here: %s", stack);
	bytes = itest_field_s64(ev, "bytes");
	allocs = itest_field_s64(ev, "allocs");
	ITEST_CHECK(bytes == (int64_t)allocs * LEAK_SIZE, "%lld bytes in %lld blocks of %d",
		    (long long)bytes, (long long)allocs, LEAK_SIZE);
	ITEST_CHECK(allocs == LEAK_COUNT, "%lld leaked blocks, want %d", (long long)allocs,
		    LEAK_COUNT);
	ITEST_CHECK(itest_field_text(ev, "comm", comm, sizeof(comm)), "no comm");
	ITEST_CHECK(!strcmp(comm, "memleak_target"), "comm '%s'", comm);
	printf("leak: %lld bytes in %lld blocks at %s\n", (long long)bytes, (long long)allocs, stack);
	w->done = true;
	return 0;
}

/* Without a target pid the tracker refuses to be created, naming the key. */
static void needs_pid(struct eun_ctx *ctx)
{
	struct eun_tracker *t = eun_tracker_new(ctx, "memleak", NULL);

	ITEST_CHECK(!t, "memleak was created without a pid");
	ITEST_CHECK(strstr(eun_last_error(), "pid"), "error does not name pid: %s", eun_last_error());
}

int main(void)
{
	struct want w = { 0 };
	struct target_proc target;
	struct eun_tracker *t;
	struct eun_ctx *ctx;
	char pid[16];
	const struct eun_config_entry cfg[] = {
		{ .key = "pid", .value = pid },
		{ .key = "interval_ms", .value = "200" },
	};

	itest_require_kernel();
	ctx = itest_ctx();
	needs_pid(ctx);
	eun_ctx_set_event_fn(ctx, on_event, &w);

	target_start(&target, "memleak_target", NULL);
	w.pid = target.pid;
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	t = itest_start(ctx, "memleak", cfg, 2);
	target_send(&target);
	ITEST_CHECK(target_wait_done(&target), "memleak_target did not finish its allocations");
	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "no record of the %d leaked blocks of %d bytes (%d records of the target)",
		    LEAK_COUNT, LEAK_SIZE, w.records);
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	target_finish(&target);
	eun_ctx_free(ctx);
	return 0;
}
