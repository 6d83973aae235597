/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The file-backed executable mappings of a process, from /proc/PID/maps. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "symbolize/sym_tables.h"

#define DELETED_SUFFIX " (deleted)"

static int map_push(struct proc_maps *m, size_t *cap, const struct proc_map *pm)
{
	if (m->n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		struct proc_map *v = realloc(m->v, c * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->v = v;
		*cap = c;
	}
	m->v[m->n++] = *pm;
	return 0;
}

/* Parse one maps line; 1 if it is a file-backed executable mapping (pm
 * filled, path allocated), 0 to skip it, -errno. */
static int parse_line(const char *line, struct proc_map *pm)
{
	unsigned long long start, end, offset, ino;
	unsigned int major, minor;
	char perms[5];
	int path_at = 0;
	size_t len;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset, &major,
		   &minor, &ino, &path_at) < 7 || !path_at)
		return 0;
	if (perms[2] != 'x' || line[path_at] != '/')
		return 0; /* not code, or anonymous / [vdso] / [stack] */
	*pm = (struct proc_map){ .start = start, .end = end, .offset = offset,
				 .dev = makedev(major, minor), .ino = (ino_t)ino };
	pm->path = strdup(line + path_at);
	if (!pm->path)
		return -ENOMEM;
	len = strcspn(pm->path, "\n");
	pm->path[len] = '\0';
	if (len > strlen(DELETED_SUFFIX) &&
	    !strcmp(pm->path + len - strlen(DELETED_SUFFIX), DELETED_SUFFIX))
		pm->path[len - strlen(DELETED_SUFFIX)] = '\0';
	return 1;
}

/* Mark the mappings of the process's own executable. */
static void mark_main(uint32_t pid, struct proc_maps *m)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/exe", pid);
	if (stat(path, &st))
		return;
	for (size_t i = 0; i < m->n; i++)
		m->v[i].is_main = m->v[i].dev == st.st_dev && m->v[i].ino == st.st_ino;
}

int proc_maps_read(uint32_t pid, struct proc_maps *out)
{
	struct proc_maps m = { 0 };
	char path[64], line[PATH_MAX + 128];
	size_t cap = 0;
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	/* /proc lists the mappings in address order, so m stays sorted. */
	while (!err && fgets(line, sizeof(line), f)) {
		struct proc_map pm;
		int r = parse_line(line, &pm);

		if (r < 0)
			err = r;
		else if (r > 0 && (err = map_push(&m, &cap, &pm)))
			free(pm.path);
	}
	fclose(f);
	if (!err && !m.n)
		err = -ENOENT; /* a zombie, or a kernel thread: nothing to name */
	if (err) {
		proc_maps_clear(&m);
		return err;
	}
	mark_main(pid, &m);
	*out = m;
	return 0;
}

void proc_maps_clear(struct proc_maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	*m = (struct proc_maps){ 0 };
}

const struct proc_map *proc_maps_find(const struct proc_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	return NULL;
}

int proc_map_open(uint32_t pid, const struct proc_map *pm)
{
	char path[PATH_MAX + 64];
	struct stat st;
	int fd;

	/* map_files reaches the very file mapped, even deleted or in another
	 * mount namespace; it needs CAP_SYS_ADMIN. */
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/map_files/%" PRIx64 "-%" PRIx64, pid,
		 pm->start, pm->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* The path as the process sees it, through its root directory. */
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/root%s", pid, pm->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_ino != pm->ino) {
		close(fd); /* replaced since it was mapped: its symbols would lie */
		return -ESTALE;
	}
	return fd;
}
