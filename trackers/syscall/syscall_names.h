/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Syscall number -> name tables of the build architecture, generated at
 * build time from <sys/syscall.h> (and, on x86-64, <asm/unistd_32.h> for
 * 32-bit tasks) by gen-syscall-names.sh beside this file (syscall_table.c
 * in the build directory).
 */
#ifndef EUN_SYSCALL_NAMES_H
#define EUN_SYSCALL_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct syscall_name {
	long nr;
	const char *name;
};

/* Every __NR_* of <sys/syscall.h>, in name order (generated). */
extern const struct syscall_name syscall_names[];
extern const unsigned int syscall_names_count;
/* The 32-bit compat table (x86-64: ia32), in number order; NULL and 0 elsewhere. */
extern const struct syscall_name *const syscall_names_compat;
extern const unsigned int syscall_names_compat_count;

/* Name of syscall nr into buf and return buf. With compat set, nr is a
 * number of the 32-bit table and the name starts with "ia32_". Numbers
 * the tables lack become "sys_N" (or "ia32_sys_N"). */
const char *syscall_name(uint32_t nr, int compat, char *buf, size_t size);

#endif /* EUN_SYSCALL_NAMES_H */
