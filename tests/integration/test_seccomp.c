/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia-seccomp in the kernel, through its API as an embedder uses it:
 *  - record seccomp_target (a command in a cgroup of its own), check what
 *    it did per phase, write its profile;
 *  - run it under the profile: it passes; with one syscall more (sysinfo)
 *    that call fails with EPERM, and the denial reaches the context's bus:
 *    a listener of ours and the Prometheus registry both count it;
 *  - await a container id that has no cgroup yet: make its cgroup (a
 *    conmon's first, which must not match), start a "runtime" in it that
 *    enters a mount namespace of its own and execs seccomp_target, remove
 *    the cgroup: its first syscalls are the runtime's, the rest the
 *    workload's, and the recording ends with the cgroup.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <eunomia/eunomia-seccomp.h>

#include "itest.h"

#ifndef EUN_TEST_SECCOMP_TARGET
#error "EUN_TEST_SECCOMP_TARGET must be defined by the build"
#endif

#define LONG_TIMEOUT_MS 20000

/* Whether the recording has syscall `name` of arch in phase. */
static bool has_call(const struct eun_seccomp_recording *r, const char *arch,
		     enum eun_seccomp_phase phase, const char *name)
{
	EUN_OPTS(eun_seccomp_call, c);

	for (size_t i = 0; i < eun_seccomp_recording_count(r); i++) {
		ITEST_CHECK(eun_seccomp_recording_call(r, i, &c) == 0, "call %zu", i);
		if (c.phase == phase && !strcmp(c.arch, arch) && !strcmp(c.name, name))
			return true;
	}
	return false;
}

/* Poll the recorder until the subject ends. */
static void record_until_done(struct eun_seccomp_recorder *rec)
{
	for (int waited = 0; waited < LONG_TIMEOUT_MS; waited += 100) {
		int n = eun_seccomp_recorder_poll(rec, 100);

		ITEST_CHECK(n >= 0 || n == -EINTR, "poll: %s", eun_seccomp_last_error());
		if (n == 1)
			return;
	}
	ITEST_FAIL("the subject did not end within %d ms", LONG_TIMEOUT_MS);
}

static struct eun_seccomp_profile *record_target(const char *dir)
{
	char *argv[] = { EUN_TEST_SECCOMP_TARGET, (char *)dir, NULL };
	struct eun_ctx *ctx = itest_ctx();
	struct eun_seccomp_recorder *rec;
	struct eun_seccomp_recording *r;
	struct eun_seccomp_profile *p;
	char *report;

	EUN_OPTS(eun_seccomp_recorder_opts, opts, .argv = argv);
	rec = eun_seccomp_recorder_new(ctx, &opts);
	ITEST_CHECK(rec, "recorder: %s", eun_seccomp_last_error());
	ITEST_CHECK(eun_seccomp_recorder_start(rec) == 0, "start: %s", eun_seccomp_last_error());
	record_until_done(rec);
	ITEST_CHECK(WIFEXITED(eun_seccomp_recorder_status(rec)) &&
		    WEXITSTATUS(eun_seccomp_recorder_status(rec)) == 0,
		    "seccomp_target failed while recorded (status %d)", eun_seccomp_recorder_status(rec));
	r = eun_seccomp_recorder_finish(rec);
	ITEST_CHECK(r, "finish: %s", eun_seccomp_last_error());
	eun_seccomp_recorder_free(rec);
	eun_ctx_free(ctx);

	/* Before its exec the child is the runtime (ours); the workload from it on. */
	ITEST_CHECK(has_call(r, "x86_64", EUN_SECCOMP_PHASE_RUNTIME, "execve"), "no runtime execve");
	ITEST_CHECK(!has_call(r, "x86_64", EUN_SECCOMP_PHASE_RUNTIME, "openat"),
		    "the workload's openat counted as the runtime's");
	for (const char *const *n = (const char *const[]){ "execve", "openat", "write", "read",
							   "socket", "munmap", "wait4", "exit_group",
							   NULL }; *n; n++)
		ITEST_CHECK(has_call(r, "x86_64", EUN_SECCOMP_PHASE_WORKLOAD, *n),
			    "the workload's %s was not recorded", *n);
	ITEST_CHECK(!has_call(r, "x86_64", EUN_SECCOMP_PHASE_WORKLOAD, "sysinfo"),
		    "sysinfo recorded, but the plain run never makes it");
	ITEST_CHECK(eun_seccomp_recording_report(r, EUN_SECCOMP_TEXT, &report) == 0, "report");
	ITEST_CHECK(strstr(report, "Workload started: pid") && strstr(report, "seccomp_target"),
		    "the report lacks the workload's start: %s", report);
	ITEST_CHECK(strstr(report, "socket       family 1, type 1"),
		    "the report lacks the AF_UNIX stream socket: %s", report);
	free(report);
	p = eun_seccomp_profile_from_recording(r, NULL);
	ITEST_CHECK(p, "profile: %s", eun_seccomp_last_error());
	eun_seccomp_recording_free(r);
	printf("ok: seccomp_target recorded, its profile written\n");
	return p;
}

/* The denials our listener saw. */
struct denials {
	int n;
	bool sysinfo;  /* sysinfo, errno action, EPERM, by seccomp_target */
	bool clone3;   /* clone3 answered with ENOSYS */
};

static int on_event(void *data, const struct eun_event *ev)
{
	struct denials *d = data;
	char syscall[40], action[16], comm[16];

	if (strcmp(eun_event_tracker_name(ev), "seccomp") || strcmp(eun_event_type_name(ev), "denied"))
		return 0;
	d->n++;
	ITEST_CHECK(itest_field_text(ev, "syscall", syscall, sizeof(syscall)) &&
		    itest_field_text(ev, "action", action, sizeof(action)), "denied fields");
	snprintf(comm, sizeof(comm), "%s", eun_event_comm(ev));
	if (!strcmp(syscall, "sysinfo") && !strcmp(action, "errno") &&
	    itest_field_s64(ev, "err") == EPERM && !strcmp(comm, "seccomp_target") &&
	    eun_event_pid(ev) > 0)
		d->sysinfo = true;
	if (!strcmp(syscall, "clone3") && itest_field_s64(ev, "err") == ENOSYS)
		d->clone3 = true;
	return 0;
}

static const struct eun_listener_ops denial_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = on_event,
};

/* Run seccomp_target DIR [extra] under p; its exit status; denials in *d. */
static int run_under(const struct eun_seccomp_profile *p, const char *dir, const char *extra,
		     struct denials *d, bool check_metrics)
{
	char *argv[] = { EUN_TEST_SECCOMP_TARGET, (char *)dir, (char *)extra, NULL };
	struct eun_ctx *ctx = itest_ctx();
	struct eun_seccomp_runner *run;
	struct eun_metrics *m;
	char text[65536];
	int status, n;

	memset(d, 0, sizeof(*d));
	ITEST_CHECK(eun_ctx_add_listener(ctx, &denial_ops, d, NULL), "listener");
	EUN_OPTS(eun_seccomp_runner_opts, opts, .profile = p, .argv = argv);
	run = eun_seccomp_runner_new(ctx, &opts);
	ITEST_CHECK(run, "runner: %s", eun_seccomp_last_error());
	m = eun_metrics_new(ctx, NULL);
	ITEST_CHECK(m && eun_metrics_attach(m) == 0, "metrics: %s", eun_last_error());
	ITEST_CHECK(eun_seccomp_runner_start(run) == 0, "start: %s", eun_seccomp_last_error());
	for (n = 0; n < LONG_TIMEOUT_MS / 100 && eun_seccomp_runner_poll(run, 100) != 1; n++)
		;
	status = eun_seccomp_runner_status(run);
	ITEST_CHECK(status != -1, "seccomp_target did not end");
	eun_seccomp_runner_free(run); /* the last denials are delivered */
	if (check_metrics) {
		ITEST_CHECK(eun_metrics_render(m, text, sizeof(text)) > 0, "render");
		ITEST_CHECK(strstr(text, "eunomia_events_total{tracker=\"seccomp\",event=\"denied\",syscall=\"sysinfo\""),
			    "no denied sysinfo among the metrics:\n%s", text);
	}
	eun_metrics_free(m);
	eun_ctx_free(ctx);
	ITEST_CHECK(WIFEXITED(status), "seccomp_target was killed (status %d)", status);
	return WEXITSTATUS(status);
}

static void enforce(const struct eun_seccomp_profile *p, const char *dir)
{
	struct denials d;

	ITEST_CHECK(run_under(p, dir, NULL, &d, false) == 0, "seccomp_target failed under its profile");
	ITEST_CHECK(!d.sysinfo, "a sysinfo denial without sysinfo");
	ITEST_CHECK(d.clone3, "clone3 was not answered with ENOSYS (glibc's pthread_create uses it)");
	printf("ok: seccomp_target passes under its profile (clone3: ENOSYS, then clone)\n");
	ITEST_CHECK(run_under(p, dir, "extra", &d, true) == 3,
		    "sysinfo, which the profile lacks, did not fail");
	ITEST_CHECK(d.sysinfo, "no denied event for sysinfo (EPERM, seccomp_target) among %d", d.n);
	printf("ok: sysinfo fails with EPERM and its denial reaches a listener and the metrics\n");
}

/* Make cgroup v2 directory name; its path. */
static const char *make_cgroup(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", itest_cgroup_v2(), name);
	ITEST_CHECK(mkdir(buf, 0755) == 0, "mkdir %s: %s", buf, strerror(errno));
	return buf;
}

static void remove_cgroup(const char *path)
{
	for (int i = 0; i < 100 && rmdir(path) && errno == EBUSY; i++)
		usleep(10000);
}

/* A "runtime": join cgroup dir, enter a mount namespace of its own, exec the target. */
static pid_t start_in_cgroup(const char *dir, const char *work)
{
	pid_t pid = fork();

	ITEST_CHECK(pid >= 0, "fork");
	if (pid == 0) {
		char procs[1100];
		FILE *f;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
		f = fopen(procs, "w");
		if (!f || fprintf(f, "0\n") < 0 || fclose(f))
			_exit(120);
		if (unshare(CLONE_NEWNS))
			_exit(121);
		execl(EUN_TEST_SECCOMP_TARGET, EUN_TEST_SECCOMP_TARGET, work, (char *)NULL);
		_exit(122);
	}
	return pid;
}

static void await_container(const char *work)
{
	char id[64], name[128], conmon[1024], scope[1024];
	struct eun_ctx *ctx = itest_ctx();
	struct eun_seccomp_recorder *rec;
	struct eun_seccomp_recording *r;
	int status;
	pid_t pid;

	snprintf(id, sizeof(id), "eunawait%d", (int)getpid());
	EUN_OPTS(eun_seccomp_recorder_opts, opts, .container = id);
	rec = eun_seccomp_recorder_new(ctx, &opts);
	ITEST_CHECK(rec, "recorder: %s", eun_seccomp_last_error());
	ITEST_CHECK(eun_seccomp_recorder_start(rec) == 0, "start: %s", eun_seccomp_last_error());
	/* podman's conmon gets a scope named like the container's: not the subject */
	snprintf(name, sizeof(name), "libpod-conmon-%s.scope", id);
	make_cgroup(name, conmon, sizeof(conmon));
	snprintf(name, sizeof(name), "libpod-%s.scope", id);
	make_cgroup(name, scope, sizeof(scope));
	pid = start_in_cgroup(scope, work);
	ITEST_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
		    "the runtime or seccomp_target failed (status %d)", status);
	remove_cgroup(conmon);
	remove_cgroup(scope);
	record_until_done(rec); /* ends with the cgroup */
	r = eun_seccomp_recorder_finish(rec);
	ITEST_CHECK(r, "finish: %s", eun_seccomp_last_error());
	eun_seccomp_recorder_free(rec);
	eun_ctx_free(ctx);
	/* The first syscalls in the cgroup (the write that moved the child
	 * happened before it was in) are the runtime's: unshare, then the exec. */
	ITEST_CHECK(has_call(r, "x86_64", EUN_SECCOMP_PHASE_RUNTIME, "unshare"),
		    "the runtime's unshare was not recorded");
	ITEST_CHECK(has_call(r, "x86_64", EUN_SECCOMP_PHASE_RUNTIME, "execve"),
		    "the runtime's execve was not recorded");
	ITEST_CHECK(has_call(r, "x86_64", EUN_SECCOMP_PHASE_WORKLOAD, "execve") &&
		    has_call(r, "x86_64", EUN_SECCOMP_PHASE_WORKLOAD, "openat"),
		    "the workload was not recorded");
	ITEST_CHECK(!has_call(r, "x86_64", EUN_SECCOMP_PHASE_WORKLOAD, "unshare"),
		    "the runtime's unshare counted as the workload's");
	eun_seccomp_recording_free(r);
	printf("ok: container id %s awaited, recorded from its cgroup's first syscall until "
	       "the cgroup went, the conmon scope left out\n", id);
}

int main(void)
{
	struct eun_seccomp_profile *p;
	const char *dir;

	itest_require_kernel();
	itest_cgroup_v2();
	dir = itest_tmpdir();
	p = record_target(dir);
	enforce(p, dir);
	eun_seccomp_profile_free(p);
	await_container(dir);
	return 0;
}
