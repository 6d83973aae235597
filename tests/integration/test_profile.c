/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `profile` tracker, filtered in the kernel to profile_target,
 * which spins for 1.5 s in spin_here_for_profile(): every record must be
 * of that process, with a folded stack starting with its comm, and the
 * samples must include the spinning function called from main. The
 * target runs in a cgroup of its own: the records, whose header is read
 * from /proc in user space, must carry that cgroup's id.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itest.h"
#include "target_proc.h"

struct want {
	pid_t pid;
	uint64_t cgroup_id;   /* of the target's own cgroup */
	int64_t samples;      /* all samples of the target */
	int64_t spin_samples; /* those in main;spin_here_for_profile */
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char stack[4096];
	int64_t count;

	ITEST_CHECK(!strcmp(eun_event_tracker_name(ev), "profile"), "event of %s",
		    eun_event_tracker_name(ev));
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)w->pid, "sample of pid %u: the pid=%d filter "
		    "let it pass", eun_event_pid(ev), (int)w->pid);
	ITEST_CHECK(eun_event_cgroup_id(ev) == w->cgroup_id, "cgroup_id %llu, the target's "
		    "cgroup is %llu", (unsigned long long)eun_event_cgroup_id(ev),
		    (unsigned long long)w->cgroup_id);
	ITEST_CHECK(itest_field_text(ev, "stack", stack, sizeof(stack)), "no stack field");
	ITEST_CHECK(!strncmp(stack, "profile_target;", strlen("profile_target;")) ||
		    !strcmp(stack, "profile_target"), "stack does not start with the comm: %s", stack);
	count = itest_field_s64(ev, "count");
	ITEST_CHECK(count > 0, "a record with %lld samples", (long long)count);
	w->samples += count;
	if (strstr(stack, "main;spin_here_for_profile")) {
		ITEST_CHECK(itest_field_s64(ev, "user_frames") >= 2, "user_frames %lld for %s",
			    (long long)itest_field_s64(ev, "user_frames"), stack);
		w->spin_samples += count;
		printf("%lld samples: %s\n", (long long)count, stack);
		w->done = true;
	}
	return 0;
}

static char cgroup_dir[4200]; /* the target's cgroup, removed at exit */
static pid_t cgroup_member;

/* Write pid into the cgroup.procs of the cgroup at dir; false on error (errno set). */
static bool move_to_cgroup(const char *dir, pid_t pid)
{
	char procs[4300];
	FILE *f;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	f = fopen(procs, "we");
	if (!f)
		return false;
	fprintf(f, "%d\n", (int)pid);
	return fclose(f) == 0;
}

/* Move the target back to the root cgroup if it still runs, then remove its cgroup. */
static void remove_cgroup(void)
{
	if (cgroup_member > 0)
		move_to_cgroup(itest_cgroup_v2(), cgroup_member);
	rmdir(cgroup_dir);
}

/* A new cgroup holding pid; its id. */
static uint64_t own_cgroup(pid_t pid)
{
	struct stat st;

	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s/eun-profile-test-%d", itest_cgroup_v2(),
		 (int)getpid());
	ITEST_CHECK(mkdir(cgroup_dir, 0755) == 0, "mkdir %s: %s", cgroup_dir, strerror(errno));
	atexit(remove_cgroup);
	ITEST_CHECK(stat(cgroup_dir, &st) == 0, "stat %s: %s", cgroup_dir, strerror(errno));
	cgroup_member = pid;
	ITEST_CHECK(move_to_cgroup(cgroup_dir, pid), "moving %d into %s: %s", (int)pid,
		    cgroup_dir, strerror(errno));
	return st.st_ino;
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
		{ .key = "frequency_hz", .value = "99" },
		{ .key = "interval_ms", .value = "300" },
	};

	itest_require_kernel();
	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);

	target_start(&target, "profile_target", "1500");
	w.pid = target.pid;
	w.cgroup_id = own_cgroup(target.pid);
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	t = itest_start(ctx, "profile", cfg, 3);
	target_send(&target);
	ITEST_CHECK(target_wait_done(&target), "profile_target did not finish spinning");
	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "no sample in main;spin_here_for_profile (%lld samples of the target)",
		    (long long)w.samples);
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	printf("%lld samples of the target, %lld in spin_here_for_profile\n", (long long)w.samples,
	       (long long)w.spin_samples);
	target_finish(&target);
	cgroup_member = 0;
	eun_ctx_free(ctx);
	return 0;
}
