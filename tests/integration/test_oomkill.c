/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `oomkill` tracker, with real OOM kills inside a memory cgroup
 * limited to 32 MiB (cgroup v1 or v2, whichever holds the memory
 * controller; no swap):
 *  1. a child allocates until the OOM killer kills it: the event names it
 *     as victim and, as the task that ran into the OOM, in the header;
 *  2. a child with oom_score_adj 1000 holds 20 MiB and waits while a second
 *     child allocates 16 MiB: the first one is the victim, the header is
 *     the second one (the OOM runs in the allocating task's context).
 * waitpid must see SIGKILL for each victim. Memory, oom_score_adj and the
 * memory cgroup id (inode of the cgroup directory) are checked too.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define MiB (1024ull * 1024)
#define LIMIT (32 * MiB)

struct want {
	pid_t self_victim, victim, trigger;
	uint64_t memcg_ino;
	bool saw_self, saw_other, saw_trigger;
};

static char cg_dir[512];
static pid_t holder; /* the child that waits in the cgroup, killed at exit if still there */

static int write_file(const char *dir, const char *name, const char *value)
{
	char path[600];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		err = -errno;
	close(fd);
	return err;
}

static bool file_has_word(const char *path, const char *word)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
		if (!strcmp(tok, word))
			return true;
	return false;
}

/* Where cgroup2 is mounted, from /proc/self/mounts; false if nowhere. */
static bool cgroup2_mount(char *out, size_t size)
{
	char dev[256], dir[256], type[64];
	bool found = false;
	FILE *f = fopen("/proc/self/mounts", "re");

	if (!f)
		return false;
	while (!found && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			snprintf(out, size, "%s", dir);
			found = true;
		}
	fclose(f);
	return found;
}

/* Make a memory cgroup limited to LIMIT without swap; skip if the kernel has no memory controller. */
static void make_cgroup(void)
{
	char base[256], path[600];
	int err;

	if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", W_OK) == 0) {
		snprintf(cg_dir, sizeof(cg_dir), "/sys/fs/cgroup/memory/eun-oom-%d", (int)getpid());
		ITEST_CHECK(mkdir(cg_dir, 0755) == 0, "mkdir %s: %s", cg_dir, strerror(errno));
		err = write_file(cg_dir, "memory.limit_in_bytes", "33554432");
		ITEST_CHECK(!err, "memory.limit_in_bytes: %s", strerror(-err));
		/* memsw (memory + swap) exists only with swap accounting. */
		err = write_file(cg_dir, "memory.memsw.limit_in_bytes", "33554432");
		ITEST_CHECK(!err || err == -ENOENT, "memory.memsw.limit_in_bytes: %s", strerror(-err));
		write_file(cg_dir, "memory.swappiness", "0"); /* best effort */
		return;
	}
	if (!cgroup2_mount(base, sizeof(base)) ||
	    (snprintf(path, sizeof(path), "%s/cgroup.controllers", base),
	     !file_has_word(path, "memory"))) {
		printf("SKIP: no memory cgroup controller (neither cgroup v1 memory nor cgroup2 'memory')\n");
		exit(ITEST_SKIP);
	}
	err = write_file(base, "cgroup.subtree_control", "+memory");
	ITEST_CHECK(!err, "enable memory in %s/cgroup.subtree_control: %s", base, strerror(-err));
	snprintf(cg_dir, sizeof(cg_dir), "%s/eun-oom-%d", base, (int)getpid());
	ITEST_CHECK(mkdir(cg_dir, 0755) == 0, "mkdir %s: %s", cg_dir, strerror(errno));
	err = write_file(cg_dir, "memory.max", "33554432");
	ITEST_CHECK(!err, "memory.max: %s", strerror(-err));
	err = write_file(cg_dir, "memory.swap.max", "0");
	ITEST_CHECK(!err || err == -ENOENT, "memory.swap.max: %s", strerror(-err));
}

static void remove_cgroup(void)
{
	if (holder > 0 && kill(holder, SIGKILL) == 0)
		waitpid(holder, NULL, 0);
	/* The memcg may stay busy for a moment after its last task is gone. */
	for (int i = 0; i < 50 && cg_dir[0] && rmdir(cg_dir) && errno == EBUSY; i++)
		usleep(100 * 1000);
}

/* In a child: join the test cgroup, name ourselves, set oom_score_adj. */
static void child_setup(const char *comm, const char *adj)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (write_file(cg_dir, "cgroup.procs", pid) ||
	    write_file("/proc/self", "oom_score_adj", adj))
		_exit(120);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
}

/* Map and touch `bytes` of anonymous memory, page by page. */
static void touch_memory(uint64_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(121);
	for (uint64_t off = 0; off < bytes; off += 4096)
		p[off] = 1;
}

static void check_victim(const struct eun_event *ev, const struct want *w, const char *comm,
			 int adj, uint64_t min_anon)
{
	char buf[64];

	ITEST_CHECK(itest_field_text(ev, "victim_comm", buf, sizeof(buf)) && !strcmp(buf, comm),
		    "victim_comm '%s', want '%s'", buf, comm);
	ITEST_CHECK(itest_field_s64(ev, "oom_score_adj") == adj, "oom_score_adj %lld, want %d",
		    (long long)itest_field_s64(ev, "oom_score_adj"), adj);
	ITEST_CHECK(itest_field_s64(ev, "victim_uid") == (int64_t)getuid(), "victim_uid %lld",
		    (long long)itest_field_s64(ev, "victim_uid"));
	ITEST_CHECK((uint64_t)itest_field_s64(ev, "memcg_id") == w->memcg_ino,
		    "memcg_id %lld, want the inode of %s (%llu)",
		    (long long)itest_field_s64(ev, "memcg_id"), cg_dir,
		    (unsigned long long)w->memcg_ino);
	/* The kernel's rss counters are per-cpu sums read without folding:
	 * allow some slack above the limit. */
	ITEST_CHECK((uint64_t)itest_field_s64(ev, "anon_rss") >= min_anon &&
			    (uint64_t)itest_field_s64(ev, "anon_rss") <= LIMIT + 8 * MiB,
		    "anon_rss %lld bytes, want %llu..%llu",
		    (long long)itest_field_s64(ev, "anon_rss"), (unsigned long long)min_anon,
		    (unsigned long long)(LIMIT + 8 * MiB));
	ITEST_CHECK(itest_field_s64(ev, "total_vm") >= itest_field_s64(ev, "anon_rss"),
		    "total_vm %lld < anon_rss", (long long)itest_field_s64(ev, "total_vm"));
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	int64_t victim;

	if (strcmp(eun_event_type_name(ev), "kill"))
		return 0;
	victim = itest_field_s64(ev, "victim_pid");
	if (w->self_victim && victim == w->self_victim) {
		ITEST_CHECK(eun_event_pid(ev) == (uint32_t)w->self_victim,
			    "header pid %u, want the allocating victim %d", eun_event_pid(ev),
			    (int)w->self_victim);
		check_victim(ev, w, "eun-oom-self", 500, LIMIT / 2);
		w->saw_self = true;
	} else if (w->victim && victim == w->victim) {
		ITEST_CHECK(eun_event_pid(ev) == (uint32_t)w->trigger &&
				    !strcmp(eun_event_comm(ev), "eun-oom-trig"),
			    "header pid %u comm '%s', want the allocating child %d eun-oom-trig",
			    eun_event_pid(ev), eun_event_comm(ev), (int)w->trigger);
		check_victim(ev, w, "eun-oom-victim", 1000, 16 * MiB);
		w->saw_other = true;
	} else if (w->trigger && victim == w->trigger) {
		/* A second OOM raised before the first victim's memory was reaped. */
		ITEST_CHECK(w->saw_other, "allocating child %d killed before the holder %d",
			    (int)w->trigger, (int)w->victim);
		w->saw_trigger = true;
	}
	return 0;
}

static void expect_sigkill(pid_t pid, const char *what)
{
	int status;

	ITEST_CHECK(waitpid(pid, &status, 0) == pid, "waitpid %s: %s", what, strerror(errno));
	ITEST_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		    "%s (pid %d): status %#x, want killed by SIGKILL", what, (int)pid, status);
}

int main(void)
{
	struct want w = { 0 };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	struct stat st;
	int ready[2], status;
	char c;

	itest_require_kernel();
	make_cgroup();
	atexit(remove_cgroup);
	ITEST_CHECK(stat(cg_dir, &st) == 0, "stat %s: %s", cg_dir, strerror(errno));
	w.memcg_ino = st.st_ino;

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "oomkill", NULL, 0);

	/* 1: allocate until killed. */
	w.self_victim = fork();
	ITEST_CHECK(w.self_victim >= 0, "fork: %s", strerror(errno));
	if (w.self_victim == 0) {
		child_setup("eun-oom-self", "500");
		touch_memory(8 * LIMIT);
		_exit(3); /* not killed: the limit did not work */
	}
	expect_sigkill(w.self_victim, "allocating child");
	ITEST_CHECK(itest_poll_until(ctx, &w.saw_self), "no kill event for victim %d within %d ms",
		    (int)w.self_victim, ITEST_TIMEOUT_MS);

	/* 2: the victim holds memory, another task runs into the limit. */
	ITEST_CHECK(pipe(ready) == 0, "pipe");
	w.victim = fork();
	ITEST_CHECK(w.victim >= 0, "fork: %s", strerror(errno));
	if (w.victim == 0) {
		close(ready[0]);
		child_setup("eun-oom-victim", "1000");
		touch_memory(20 * MiB);
		if (write(ready[1], "r", 1) != 1)
			_exit(122);
		for (;;)
			pause();
	}
	holder = w.victim;
	close(ready[1]);
	ITEST_CHECK(read(ready[0], &c, 1) == 1, "victim child did not get ready");
	close(ready[0]);
	w.trigger = fork();
	ITEST_CHECK(w.trigger >= 0, "fork: %s", strerror(errno));
	if (w.trigger == 0) {
		child_setup("eun-oom-trig", "0");
		touch_memory(16 * MiB);
		_exit(0);
	}
	ITEST_CHECK(waitpid(w.trigger, &status, 0) == w.trigger, "waitpid trigger");
	expect_sigkill(w.victim, "victim child");
	holder = 0;
	ITEST_CHECK(itest_poll_until(ctx, &w.saw_other), "no kill event for victim %d within %d ms",
		    (int)w.victim, ITEST_TIMEOUT_MS);
	/* The kernel may OOM again before the holder's memory is reaped and
	 * then kill the allocating child too (negative oom_score_adj, which
	 * would prevent that, needs CAP_SYS_RESOURCE): that kill must be
	 * reported as well. Any other way of ending is a failure. */
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		ITEST_CHECK(itest_poll_until(ctx, &w.saw_trigger),
			    "allocating child %d was OOM-killed but no kill event named it",
			    (int)w.trigger);
	else
		ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			    "allocating child status %#x, want exit 0 or an OOM kill", status);

	eun_tracker_free(t);
	eun_ctx_free(ctx);
	printf("ok: OOM kills in %s: %d (self, SIGKILL), %d killed while %d allocated\n", cg_dir,
	       (int)w.self_victim, (int)w.victim, (int)w.trigger);
	return 0;
}
