/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `mount` tracker: a child in its own mount namespace makes /
 * private, mounts a tmpfs named "eun-test-<pid>" on a fresh directory and
 * unmounts it, tries a mount on a missing directory (-ENOENT), then mounts
 * a tmpfs again with the new API (fsopen, fsmount, move_mount). Each call
 * must be reported with its source, target, type, flags and result.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mount.h>

#include "itest.h"

/* umount2() flag from <sys/mount.h>, which clashes with <linux/mount.h>. */
#ifndef MNT_DETACH
#define MNT_DETACH 2
#endif

struct want {
	pid_t child;
	char source[64], target[256], missing[256];
	bool saw_mount, saw_umount, saw_fail, saw_fsopen, saw_move, done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char call[32], source[256], target[512], fstype[64];

	if (eun_event_pid(ev) != (uint32_t)w->child || strcmp(eun_event_type_name(ev), "mount"))
		return 0;
	ITEST_CHECK(itest_field_text(ev, "call", call, sizeof(call)) &&
		    itest_field_text(ev, "source", source, sizeof(source)) &&
		    itest_field_text(ev, "target", target, sizeof(target)) &&
		    itest_field_text(ev, "fstype", fstype, sizeof(fstype)), "mount event lacks fields");
	if (!strcmp(call, "mount") && !strcmp(target, w->target)) {
		ITEST_CHECK(!strcmp(source, w->source), "source '%s', want '%s'", source, w->source);
		ITEST_CHECK(!strcmp(fstype, "tmpfs"), "fstype '%s', want tmpfs", fstype);
		ITEST_CHECK(itest_field_s64(ev, "flags") == (MS_NOSUID | MS_NODEV), "flags %#llx",
			    (long long)itest_field_s64(ev, "flags"));
		ITEST_CHECK(itest_field_s64(ev, "ret") == 0, "mount ret %lld",
			    (long long)itest_field_s64(ev, "ret"));
		w->saw_mount = true;
	} else if (!strcmp(call, "umount2") && !strcmp(target, w->target)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == 0, "umount2 ret %lld",
			    (long long)itest_field_s64(ev, "ret"));
		ITEST_CHECK(itest_field_s64(ev, "flags") == MNT_DETACH, "umount2 flags %#llx",
			    (long long)itest_field_s64(ev, "flags"));
		ITEST_CHECK(!source[0] && !fstype[0], "umount2 has source/fstype");
		w->saw_umount = true;
	} else if (!strcmp(call, "mount") && !strcmp(target, w->missing)) {
		ITEST_CHECK(!strcmp(source, w->source) && !strcmp(fstype, "tmpfs"),
			    "failed mount source '%s' fstype '%s'", source, fstype);
		ITEST_CHECK(itest_field_s64(ev, "ret") == -ENOENT, "ret %lld, want -ENOENT",
			    (long long)itest_field_s64(ev, "ret"));
		w->saw_fail = true;
	} else if (!strcmp(call, "fsopen")) {
		ITEST_CHECK(!strcmp(fstype, "tmpfs"), "fsopen fstype '%s'", fstype);
		ITEST_CHECK(itest_field_s64(ev, "ret") >= 0, "fsopen ret %lld",
			    (long long)itest_field_s64(ev, "ret"));
		ITEST_CHECK(itest_field_s64(ev, "flags") == FSOPEN_CLOEXEC, "fsopen flags %#llx",
			    (long long)itest_field_s64(ev, "flags"));
		w->saw_fsopen = true;
	} else if (!strcmp(call, "move_mount") && !strcmp(target, w->target)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == 0, "move_mount ret %lld",
			    (long long)itest_field_s64(ev, "ret"));
		ITEST_CHECK(itest_field_s64(ev, "flags") == MOVE_MOUNT_F_EMPTY_PATH,
			    "move_mount flags %#llx", (long long)itest_field_s64(ev, "flags"));
		w->saw_move = true;
	}
	w->done = w->saw_mount && w->saw_umount && w->saw_fail && w->saw_fsopen && w->saw_move;
	return 0;
}

/* The child's work; exit code = step that failed (0: all went as planned). */
static int child_main(const struct want *w)
{
	int fs, mnt;

	if (unshare(CLONE_NEWNS))
		return 10;
	if (syscall(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 11;
	if (syscall(SYS_mount, w->source, w->target, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"))
		return 12;
	if (syscall(SYS_umount2, w->target, MNT_DETACH))
		return 13;
	if (syscall(SYS_mount, w->source, w->missing, "tmpfs", 0, NULL) == 0 || errno != ENOENT)
		return 14;
	fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return 15;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return 16;
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		return 17;
	if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, w->target, MOVE_MOUNT_F_EMPTY_PATH))
		return 18;
	if (syscall(SYS_umount2, w->target, MNT_DETACH))
		return 19;
	return 0;
}

int main(void)
{
	struct want w = { 0 };
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int status;

	itest_require_kernel();
	snprintf(w.source, sizeof(w.source), "eun-test-%d", (int)getpid());
	snprintf(w.target, sizeof(w.target), "%s/mnt-%d", itest_tmpdir(), (int)getpid());
	snprintf(w.missing, sizeof(w.missing), "%s/missing-%d", itest_tmpdir(), (int)getpid());
	ITEST_CHECK(mkdir(w.target, 0700) == 0, "mkdir %s: %s", w.target, strerror(errno));

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	t = itest_start(ctx, "mount", NULL, 0);

	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0)
		_exit(child_main(&w)); /* _exit: the tmpdir belongs to the parent */
	ITEST_CHECK(waitpid(w.child, &status, 0) == w.child, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "child status %#x (exit code = failed step, see child_main)", status);

	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "within %d ms: mount %d umount2 %d failed mount %d fsopen %d move_mount %d",
		    ITEST_TIMEOUT_MS, w.saw_mount, w.saw_umount, w.saw_fail, w.saw_fsopen,
		    w.saw_move);
	eun_tracker_free(t);
	eun_ctx_free(ctx);
	rmdir(w.target);
	printf("ok: mount/umount2 of %s on %s, -ENOENT on %s, fsopen + move_mount seen\n",
	       w.source, w.target, w.missing);
	return 0;
}
