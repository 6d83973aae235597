/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Naming code addresses for stack traces: kernel addresses through
 * /proc/kallsyms, user addresses through the process's /proc/PID/maps and
 * the ELF symbol tables (.symtab, .dynsym) of the mapped files. Files are
 * opened through /proc/PID/map_files (or /proc/PID/root), so processes in
 * other mount namespaces (containers) resolve too. Below the core; knows
 * only base/. Never installed.
 */
#ifndef EUNOMIA_SYMBOLIZE_H
#define EUNOMIA_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

struct symbolizer;

/* A symbolizer with empty caches; NULL + errno on failure. */
EUN_HIDDEN struct symbolizer *symbolizer_new(void);
/* Free s and everything it cached; NULL is a no-op. */
EUN_HIDDEN void symbolizer_free(struct symbolizer *s);
/*
 * Name addr: in the kernel when pid is 0, else in process pid. Writes
 * "func+0xoff" (kernel modules and user shared objects add " [name]") to
 * buf with snprintf semantics and returns the full length. When the
 * address cannot be named (no symbol, no mapping, exited process, hidden
 * kallsyms) writes "0x<hex addr>" and returns -ENOENT.
 */
EUN_HIDDEN int symbolizer_name(struct symbolizer *s, uint32_t pid, uint64_t addr, char *buf,
			       size_t size);

#endif /* EUNOMIA_SYMBOLIZE_H */
