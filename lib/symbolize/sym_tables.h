/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The tables behind the symbolizer (symbolizer.c): the kernel's symbols
 * (ksyms.c), one ELF file's function symbols (elf_syms.c) and one
 * process's executable mappings (proc_maps.c). Never installed.
 */
#ifndef EUNOMIA_SYM_TABLES_H
#define EUNOMIA_SYM_TABLES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/base.h"

/* ---- the names of a symbol table (name_pool.c) ---- */

/* NUL-terminated names one after the other, referred to by offset. */
struct name_pool {
	char *buf;
	size_t len, cap;
	size_t first_cap; /* bytes allocated by the first add */
};

/* Copy the len bytes at s and a NUL into pool; their offset, or -ENOMEM. */
EUN_HIDDEN long name_pool_add(struct name_pool *pool, const char *s, size_t len);

/* ---- kernel symbols (ksyms.c) ---- */

struct ksyms;

/* Parse /proc/kallsyms (text symbols only). NULL + errno; ENOENT when
 * kptr_restrict hides the addresses. */
EUN_HIDDEN struct ksyms *ksyms_load(void);
EUN_HIDDEN void ksyms_free(struct ksyms *k);
/* "func+0xoff" or "func+0xoff [module]" into buf (snprintf semantics);
 * length, or -ENOENT when no symbol precedes addr. */
EUN_HIDDEN int ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t size);

/* ---- function symbols of one ELF file (elf_syms.c) ---- */

struct elf_syms;

/* Read the function symbols (.symtab, else .dynsym, both when present)
 * and loadable segments of the ELF file open on fd (fd stays open and
 * owned by the caller). NULL + errno (ENOEXEC: not ELF). */
EUN_HIDDEN struct elf_syms *elf_syms_load(int fd);
EUN_HIDDEN void elf_syms_free(struct elf_syms *e);
/* Where the separate debug file of e's build id would be
 * ("/usr/lib/debug/.build-id/ab/cdef....debug"); 0, or -ENOENT when e has
 * no build id. */
EUN_HIDDEN int elf_syms_debug_path(const struct elf_syms *e, char *buf, size_t size);
/* Add the symbols of e's debug file, open on debug_fd (e.g. the local
 * functions a stripped library lost). 0 or -errno. */
EUN_HIDDEN int elf_syms_add_debug(struct elf_syms *e, int debug_fd);
/* Name the code at file offset file_off: its symbol in *name (borrowed
 * until elf_syms_free) and the distance from the symbol in *off.
 * 0, or -ENOENT. */
EUN_HIDDEN int elf_syms_lookup(const struct elf_syms *e, uint64_t file_off, const char **name,
			       uint64_t *off);

/* ---- executable mappings of one process (proc_maps.c) ---- */

struct proc_map {
	uint64_t start, end; /* [start, end) in the process */
	uint64_t offset;     /* file offset mapped at start */
	dev_t dev;
	ino_t ino;
	char *path;          /* as /proc/PID/maps shows it, " (deleted)" removed */
	int is_main;         /* the process's executable (/proc/PID/exe) */
};

struct proc_maps {
	struct proc_map *v; /* sorted by start */
	size_t n;
};

/* Read the file-backed executable mappings of pid. 0, or -errno
 * (-ENOENT when the process is gone). */
EUN_HIDDEN int proc_maps_read(uint32_t pid, struct proc_maps *out);
EUN_HIDDEN void proc_maps_clear(struct proc_maps *m);
/* The mapping holding addr, or NULL. */
EUN_HIDDEN const struct proc_map *proc_maps_find(const struct proc_maps *m, uint64_t addr);
/* Open the file of mapping pm of pid read-only, via /proc/PID/map_files
 * or else /proc/PID/root + path (checked against dev/inode). fd or -errno. */
EUN_HIDDEN int proc_map_open(uint32_t pid, const struct proc_map *pm);

#endif /* EUNOMIA_SYM_TABLES_H */
