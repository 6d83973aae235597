// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * A cgroup v2 directory of our own for a command we start, so that its
 * whole process tree is one subject (children stay in their parent's
 * cgroup), made below the v2 root and removed again when it is done.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "sc.h"

int sc_cgroup_v2_root(char *buf, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char mnt[2048], type[64];
		const char *sep = strstr(line, " - ");

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - TYPE SOURCE OPTIONS */
		if (!sep || sscanf(line, "%*s %*s %*s %*s %2047s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, "cgroup2"))
			continue;
		fclose(f);
		snprintf(buf, size, "%s", mnt);
		return 0;
	}
	fclose(f);
	return -ENOTSUP;
}

int sc_cgroup_make(struct sc_cgroup *cg)
{
	static atomic_uint counter;
	char root[512];
	int err = sc_cgroup_v2_root(root, sizeof(root));

	memset(cg, 0, sizeof(*cg));
	if (err)
		return sc_error(ENOTSUP, "no cgroup v2 hierarchy is mounted (mountinfo lists no "
				"cgroup2); mount one: mount -t cgroup2 none /sys/fs/cgroup");
	snprintf(cg->path, sizeof(cg->path), "/eunomia-seccomp-%d-%u", (int)getpid(),
		 atomic_fetch_add(&counter, 1) + 1);
	snprintf(cg->dir, sizeof(cg->dir), "%s%s", root, cg->path);
	if (mkdir(cg->dir, 0755))
		return sc_error(errno, "cannot make the cgroup %s for the command: %s%s", cg->dir,
				strerror(errno), errno == EACCES || errno == EPERM
							 ? " (run as root)" : "");
	cg->made = true;
	return 0;
}

int sc_cgroup_enter(const struct sc_cgroup *cg, pid_t pid)
{
	char path[840];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir);
	f = fopen(path, "w");
	if (!f)
		return sc_error(errno, "cannot open %s: %s", path, strerror(errno));
	if (fprintf(f, "%d\n", (int)pid) < 0 || fflush(f))
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	return err ? sc_error(err, "cannot move process %d into %s: %s", (int)pid, cg->dir,
			      strerror(err)) : 0;
}

/* SIGKILL every process listed in the cgroup; how many there were. */
static int kill_procs(const struct sc_cgroup *cg)
{
	char path[840];
	int pid, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1) {
		kill(pid, SIGKILL);
		n++;
	}
	fclose(f);
	return n;
}

int sc_cgroup_remove(struct sc_cgroup *cg)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	if (!cg->made)
		return 0;
	/* A killed process leaves the cgroup once it is reaped (zombies of
	 * ours by the caller, others by their parents): wait up to 5 s. */
	for (int i = 0; i < 500; i++) {
		if (!rmdir(cg->dir) || errno == ENOENT) {
			cg->made = false;
			return 0;
		}
		if (errno != EBUSY)
			break;
		kill_procs(cg);
		nanosleep(&pause, NULL);
	}
	return sc_error(errno, "cannot remove the cgroup %s: %s", cg->dir, strerror(errno));
}
