/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The cgroup v2 hierarchy as files: its mount, ids, paths and a bounded walk. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/container.h"

#define MAX_WALK_DEPTH 32
/* Handle type of kernfs (cgroupfs) file handles: the 64-bit node id. */
#define FILEID_KERNFS 0xfe

int cgroup_v2_mount(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int err = -ENOENT;

	if (!f)
		return -errno;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
	while (err && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[PATH_MAX];

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 || strlen(mnt) >= size)
			continue;
		strcpy(buf, mnt);
		err = 0;
	}
	fclose(f);
	return err;
}

/* Absolute directory of `path` in the v2 hierarchy mounted at root. */
static int absolute_cgroup_dir(const char *root, const char *path, char *buf, size_t size)
{
	size_t rl = strlen(root);
	int n;

	if (!strncmp(path, root, rl) && (path[rl] == '/' || !path[rl]))
		n = snprintf(buf, size, "%s", path);
	else if (!strncmp(path, "/sys/fs/cgroup/", 15))
		return set_error(EINVAL, "cgroup '%s' is not in the cgroup v2 hierarchy (mounted at "
				 "%s); give the path below %s, e.g. /docker/ID", path, root, root);
	else
		n = snprintf(buf, size, "%s%s%s", root, path[0] == '/' ? "" : "/", path);
	if (n < 0 || (size_t)n >= size)
		return set_error(ENAMETOOLONG, "cgroup path '%s' is too long", path);
	return 0;
}

int cgroup_resolve(const char *path, uint64_t *id, uint32_t *level)
{
	char root[PATH_MAX], dir[PATH_MAX], real[PATH_MAX];
	size_t rl;
	struct stat st;
	uint32_t depth = 0;
	int err;

	if (cgroup_v2_mount(root, sizeof(root)))
		return set_error(ENOTSUP, "cgroup filter '%s': no cgroup v2 hierarchy is mounted; "
				 "mount one with 'mount -t cgroup2 none /sys/fs/cgroup/unified'",
				 path);
	if ((err = absolute_cgroup_dir(root, path, dir, sizeof(dir))))
		return err;
	if (!realpath(dir, real) || stat(real, &st) || !S_ISDIR(st.st_mode))
		return set_error(ENOENT, "cgroup '%s' does not exist (no directory %s); list the "
				 "cgroups with 'ls %s' or pick a running container", path, dir, root);
	/* ".." and "." would make the depth count wrong, and may leave the hierarchy. */
	rl = strlen(root);
	if (strncmp(real, root, rl) || (real[rl] && real[rl] != '/'))
		return set_error(EINVAL, "cgroup '%s' is %s, outside the cgroup v2 hierarchy at %s; "
				 "give a path below it, e.g. /docker/ID", path, real, root);
	/* Depth = components after the mount point. */
	for (const char *p = real + rl; *p; p++)
		if (*p != '/' && (p[-1] == '/'))
			depth++;
	*id = st.st_ino;
	*level = depth;
	return 0;
}

int cgroup_path_by_id(const char *root, uint64_t id, char *buf, size_t size)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t), .fh.handle_type = FILEID_KERNFS };
	char link[64], target[PATH_MAX];
	size_t rl = strlen(root);
	int mfd, fd, err = 0;
	ssize_t n;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	mfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return -errno;
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		err = errno == ENOENT ? -ESTALE : -errno;
	close(mfd);
	if (err)
		return err;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (strncmp(target, root, rl) || (target[rl] && target[rl] != '/'))
		return -ENOENT;
	if ((size_t)snprintf(buf, size, "%s", target[rl] ? target + rl : "/") >= size)
		return -ENAMETOOLONG;
	return 0;
}

int cgroup_path_of_pid(const char *root, uint32_t pid, uint64_t id, char *buf, size_t size)
{
	char path[64], line[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	FILE *f;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	/* The v2 entry is the one line "0::/path". */
	while (err && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		if (strncmp(line, "0::/", 4))
			continue;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)snprintf(dir, sizeof(dir), "%s%s", root, line + 3) >= sizeof(dir) ||
		    stat(dir, &st) || st.st_ino != id)
			break; /* moved since the event, or gone: the id says which cgroup it was */
		if ((size_t)snprintf(buf, size, "%s", line + 3) >= size)
			break;
		err = 0;
	}
	fclose(f);
	return err;
}

struct walk {
	size_t max_dirs, seen;
	int (*fn)(uint64_t id, const char *rel, void *cookie);
	void *cookie;
	char rel[PATH_MAX];
};

/* Visit directory dfd (whose path below the root is w->rel) and its subdirectories. */
static int walk_dir(struct walk *w, int dfd, int depth)
{
	size_t len = strlen(w->rel);
	struct stat st;
	struct dirent *de;
	DIR *d;
	int ret;

	if (fstat(dfd, &st) || w->seen++ >= w->max_dirs) {
		close(dfd);
		return 0;
	}
	if ((ret = w->fn(st.st_ino, len ? w->rel : "/", w->cookie)) || depth >= MAX_WALK_DEPTH) {
		close(dfd);
		return ret;
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	while (!ret && (de = readdir(d))) {
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (len + 1 + strlen(de->d_name) >= sizeof(w->rel))
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub < 0)
			continue; /* removed meanwhile */
		sprintf(w->rel + len, "/%s", de->d_name);
		ret = walk_dir(w, sub, depth + 1);
		w->rel[len] = '\0';
	}
	closedir(d);
	return ret;
}

int cgroup_walk(const char *root, size_t max_dirs,
		int (*fn)(uint64_t id, const char *rel, void *cookie), void *cookie)
{
	struct walk *w = calloc(1, sizeof(*w));
	int fd, ret;

	if (!w)
		return -ENOMEM;
	w->max_dirs = max_dirs;
	w->fn = fn;
	w->cookie = cookie;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = fd < 0 ? -errno : walk_dir(w, fd, 0);
	free(w);
	return ret;
}

uint32_t cgroup_count_procs(const char *root, const char *rel)
{
	char path[PATH_MAX], line[32];
	uint32_t n = 0;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s%s/cgroup.procs", root,
			     strcmp(rel, "/") ? rel : "") >= sizeof(path))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}
