// SPDX-License-Identifier: GPL-2.0-only
/* Record headers from /proc/PID (see proc_header.h). */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "proc_header.h"

/* Inode of /proc/PID/ns/NAME, or 0. */
static __u32 ns_inode(uint32_t pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/ns/%s", pid, name);
	return stat(path, &st) ? 0 : (__u32)st.st_ino;
}

/* Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup, or
 * /sys/fs/cgroup/unified on hybrid v1/v2 systems; NULL if neither. */
static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct statfs fs;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (!statfs(roots[i], &fs) && fs.f_type == CGROUP2_SUPER_MAGIC)
			return roots[i];
	return NULL;
}

/* cgroup v2 id (the inode of its directory) of process pid, or 0. */
static __u64 cgroup_id(uint32_t pid)
{
	char path[PATH_MAX + 32], line[PATH_MAX];
	const char *root = cgroup2_root();
	struct stat st;
	__u64 id = 0;
	FILE *f;

	if (!root)
		return 0;
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue; /* a cgroup v1 hierarchy */
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s%s", root, line + 3);
		if (!stat(path, &st))
			id = st.st_ino;
		break;
	}
	fclose(f);
	return id;
}

/* Real uid of process pid (first value of Uid: in its status), or 0. */
static __u32 real_uid(uint32_t pid)
{
	char path[64], line[256];
	unsigned int uid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %u", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

void proc_header_fill(struct eun_record_header *h, uint32_t type, uint32_t pid)
{
	char path[64];
	FILE *f;

	memset(h, 0, sizeof(*h));
	h->type = type;
	h->pid = pid;
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(h->comm, sizeof(h->comm), f))
			h->comm[strcspn(h->comm, "\n")] = '\0';
		fclose(f);
	}
	h->uid = real_uid(pid);
	h->cgroup_id = cgroup_id(pid);
	h->pid_ns = ns_inode(pid, "pid");
	h->mnt_ns = ns_inode(pid, "mnt");
	h->net_ns = ns_inode(pid, "net");
	h->user_ns = ns_inode(pid, "user");
}
