/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The symbolizer: kernel addresses through kallsyms (parsed once), user
 * addresses through the process's mappings (cached per pid for a short
 * while) and the symbol tables of the mapped files and of their debug
 * files (cached per file, keyed by device and inode, so a library shared
 * by many processes and containers is read once).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbolize/sym_tables.h"
#include "symbolize/symbolize.h"

/* Mappings older than this are read again: processes map new libraries. */
#define MAPS_MAX_AGE_MS 1000
/* An address outside every cached mapping makes them be read again, but
 * not more often than this (JIT code and [vdso] never resolve). */
#define MAPS_MISS_AGE_MS 100
/* Processes whose mappings are kept; the least recently used goes first. */
#define MAPS_CACHE_SLOTS 64

struct pid_maps {
	uint32_t pid;
	int64_t read_ms;  /* when the mappings were read (CLOCK_MONOTONIC) */
	uint64_t used;    /* s->clock at the last use */
	struct proc_maps maps;
};

struct elf_file {
	dev_t dev;
	ino_t ino;
	struct elf_syms *syms; /* NULL: the file could not be read (negative cache) */
};

struct symbolizer {
	struct ksyms *ksyms;
	int ksyms_err;    /* errno of a failed load, not retried */
	struct pid_maps pids[MAPS_CACHE_SLOTS];
	uint64_t clock;
	struct elf_file *files;
	size_t n_files, cap_files;
};

struct symbolizer *symbolizer_new(void)
{
	return calloc(1, sizeof(struct symbolizer));
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	ksyms_free(s->ksyms);
	for (size_t i = 0; i < MAPS_CACHE_SLOTS; i++)
		proc_maps_clear(&s->pids[i].maps);
	for (size_t i = 0; i < s->n_files; i++)
		elf_syms_free(s->files[i].syms);
	free(s->files);
	free(s);
}

static int kernel_name(struct symbolizer *s, uint64_t addr, char *buf, size_t size)
{
	if (!s->ksyms && !s->ksyms_err) {
		s->ksyms = ksyms_load();
		if (!s->ksyms)
			s->ksyms_err = errno ? errno : ENOENT;
	}
	if (!s->ksyms)
		return -ENOENT;
	return ksyms_name(s->ksyms, addr, buf, size);
}

/* Read (again) the mappings of pid into a cache slot. */
static struct pid_maps *maps_refresh(struct symbolizer *s, uint32_t pid, struct pid_maps *slot)
{
	struct proc_maps m;

	if (!slot) {
		slot = &s->pids[0];
		for (size_t i = 1; i < MAPS_CACHE_SLOTS; i++)
			if (s->pids[i].used < slot->used)
				slot = &s->pids[i];
	}
	proc_maps_clear(&slot->maps);
	slot->pid = 0;
	if (proc_maps_read(pid, &m))
		return NULL;
	*slot = (struct pid_maps){ .pid = pid, .read_ms = monotonic_ms(), .used = ++s->clock, .maps = m };
	return slot;
}

/* The mapping of pid holding addr, reading the mappings when the cached
 * ones are missing, old, or do not cover addr. */
static const struct proc_map *find_mapping(struct symbolizer *s, uint32_t pid, uint64_t addr)
{
	struct pid_maps *slot = NULL;
	const struct proc_map *pm;

	for (size_t i = 0; i < MAPS_CACHE_SLOTS; i++)
		if (s->pids[i].pid == pid)
			slot = &s->pids[i];
	if (slot && monotonic_ms() - slot->read_ms <= MAPS_MAX_AGE_MS) {
		slot->used = ++s->clock;
		pm = proc_maps_find(&slot->maps, addr);
		if (pm || monotonic_ms() - slot->read_ms <= MAPS_MISS_AGE_MS)
			return pm;
	}
	slot = maps_refresh(s, pid, slot);
	return slot ? proc_maps_find(&slot->maps, addr) : NULL;
}

/* Add the symbols of syms's separate debug file, looked up in the
 * process's own root first (a container ships its own), then in ours. */
static void add_debug_file(struct elf_syms *syms, uint32_t pid)
{
	char debug[128], path[192];
	int fd;

	if (elf_syms_debug_path(syms, debug, sizeof(debug)))
		return;
	snprintf(path, sizeof(path), "/proc/%u/root%s", (unsigned)pid, debug);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fd = open(debug, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf_syms_add_debug(syms, fd); /* on failure the file's own symbols remain */
	close(fd);
}

/* The cached symbols of mapping pm's file, loading them the first time. */
static const struct elf_syms *file_syms(struct symbolizer *s, uint32_t pid, const struct proc_map *pm)
{
	struct elf_file *f;
	int fd;

	for (size_t i = 0; i < s->n_files; i++)
		if (s->files[i].dev == pm->dev && s->files[i].ino == pm->ino)
			return s->files[i].syms;
	fd = proc_map_open(pid, pm);
	if (fd < 0)
		return NULL; /* not cached: another process may reach the file */
	if (s->n_files == s->cap_files) {
		size_t cap = s->cap_files ? s->cap_files * 2 : 16;
		struct elf_file *v = realloc(s->files, cap * sizeof(*v));

		if (!v) {
			close(fd);
			return NULL;
		}
		s->files = v;
		s->cap_files = cap;
	}
	f = &s->files[s->n_files++];
	*f = (struct elf_file){ .dev = pm->dev, .ino = pm->ino, .syms = elf_syms_load(fd) };
	close(fd);
	if (f->syms)
		add_debug_file(f->syms, pid);
	return f->syms;
}

static int user_name(struct symbolizer *s, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	const struct proc_map *pm = find_mapping(s, pid, addr);
	const struct elf_syms *syms;
	const char *name, *base;
	uint64_t off;

	if (!pm)
		return -ENOENT;
	syms = file_syms(s, pid, pm);
	if (!syms || elf_syms_lookup(syms, addr - pm->start + pm->offset, &name, &off))
		return -ENOENT;
	if (pm->is_main)
		return snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
	base = strrchr(pm->path, '/');
	return snprintf(buf, size, "%s+0x%llx [%s]", name, (unsigned long long)off,
			base ? base + 1 : pm->path);
}

int symbolizer_name(struct symbolizer *s, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	int n = pid ? user_name(s, pid, addr, buf, size) : kernel_name(s, addr, buf, size);

	if (n >= 0)
		return n;
	snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	return -ENOENT;
}
