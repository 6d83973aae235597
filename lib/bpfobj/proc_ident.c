/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * What /proc/PID says of a process (real uid, task name, cgroup v2 path and
 * id, namespace ids), for the header fields a foreign sample lacks and the
 * filters that need them. Cached for a second per pid in a small
 * direct-mapped table: a burst of events of one process costs one lookup.
 * The process may be gone when its event is read; its fields then stay
 * unknown.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpfobj/bpfobj.h"
#include "container/container.h"

#define SLOTS 512
#define TTL_MS 1000

struct proc_cache {
	struct proc_ident slot[SLOTS];
	char root[256]; /* the cgroup v2 mount, "" if none */
};

struct proc_cache *proc_cache_new(void)
{
	struct proc_cache *pc = calloc(1, sizeof(*pc));

	if (pc && cgroup_v2_mount(pc->root, sizeof(pc->root)))
		pc->root[0] = '\0';
	return pc;
}

void proc_cache_free(struct proc_cache *pc)
{
	free(pc);
}

/* Milliseconds of the coarse monotonic clock: the age of an entry needs no
 * more, and this is asked for every event. */
static int64_t coarse_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read /proc/PID/NAME into buf (NUL-terminated); its length or -1. */
static ssize_t read_proc(uint32_t pid, const char *name, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Inode of namespace link /proc/PID/ns/NAME ("mnt:[4026531841]"). */
static uint32_t ns_inode(uint32_t pid, const char *name)
{
	char path[64], link[64];
	ssize_t n;
	const char *br;

	snprintf(path, sizeof(path), "/proc/%u/ns/%s", pid, name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	br = strchr(link, '[');
	return br ? (uint32_t)strtoul(br + 1, NULL, 10) : 0;
}

static void lookup(struct proc_cache *pc, uint32_t pid, struct proc_ident *pi)
{
	static const char *const ns[4] = { "pid", "mnt", "net", "user" };
	char buf[4096], *p;
	struct stat st;

	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	pi->at_ms = coarse_ms();
	if (read_proc(pid, "status", buf, sizeof(buf)) < 0 || !(p = strstr(buf, "\nUid:")))
		return;
	pi->uid = (uint32_t)strtoul(p + 5, NULL, 10);
	if (read_proc(pid, "comm", buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(pi->comm, sizeof(pi->comm), "%.*s", (int)sizeof(pi->comm) - 1, buf);
	}
	/* The cgroup v2 line is "0::/path". */
	p = read_proc(pid, "cgroup", buf, sizeof(buf)) <= 0 ? NULL
	    : !strncmp(buf, "0::", 3)			     ? buf
							     : strstr(buf, "\n0::");
	if (p) {
		p += *p == '\n' ? 4 : 3;
		p[strcspn(p, "\n")] = '\0';
		snprintf(pi->cgroup, sizeof(pi->cgroup), "%s", p);
		if (pc->root[0] && snprintf(buf, sizeof(buf), "%s%s", pc->root, pi->cgroup) > 0 &&
		    !stat(buf, &st))
			pi->cgroup_id = (uint64_t)st.st_ino;
	}
	for (int i = 0; i < 4; i++)
		pi->ns[i] = ns_inode(pid, ns[i]);
	pi->ok = true;
}

const struct proc_ident *proc_cache_get(struct proc_cache *pc, uint32_t pid)
{
	struct proc_ident *pi = &pc->slot[pid % SLOTS];

	if (pi->pid != pid || coarse_ms() - pi->at_ms >= TTL_MS)
		lookup(pc, pid, pi);
	return pi;
}
