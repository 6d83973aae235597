// SPDX-License-Identifier: GPL-2.0-only
/* The build architecture's ABIs for the `seccomp` tracker (seccomp_abi.h). */
#include <stdio.h>

#include "seccomp_abi.h"
#include "syscall_names.h"

#define NONE UINT32_MAX

/* Syscall numbers from the kernel's tables (arch/x86/entry/syscalls,
 * arch/arm64/tools/syscall_*.tbl, arch/arm/tools/syscall.tbl). Kinds in
 * order: clone clone3 unshare socket personality prctl ioctl mmap mprotect
 * seccomp execve execveat; mmap is mmap2 on the 32-bit ABIs (the old mmap
 * takes a pointer); the x32 numbers are without __X32_SYSCALL_BIT. */
#define KINDS(clone, clone3, unshare, socket, personality, prctl, ioctl, mmap, mprotect, \
	      seccomp, execve, execveat)                                                  \
	{ [SECCOMP_KIND_NONE] = NONE, [SECCOMP_KIND_CLONE] = clone,                       \
	  [SECCOMP_KIND_CLONE3] = clone3, [SECCOMP_KIND_UNSHARE] = unshare,               \
	  [SECCOMP_KIND_SOCKET] = socket, [SECCOMP_KIND_PERSONALITY] = personality,       \
	  [SECCOMP_KIND_PRCTL] = prctl, [SECCOMP_KIND_IOCTL] = ioctl,                     \
	  [SECCOMP_KIND_MMAP] = mmap, [SECCOMP_KIND_MPROTECT] = mprotect,                 \
	  [SECCOMP_KIND_SECCOMP] = seccomp, [SECCOMP_KIND_EXECVE] = execve,               \
	  [SECCOMP_KIND_EXECVEAT] = execveat }

#if defined(__x86_64__)
const struct seccomp_abi_def seccomp_abi_defs[SECCOMP_ABIS] = {
	[SECCOMP_ABI_NATIVE] = { "x86_64", KINDS(56, 435, 272, 41, 135, 157, 16, 9, 10, 317, 59, 322) },
	[SECCOMP_ABI_COMPAT] = { "x86", KINDS(120, 435, 310, 359, 136, 172, 54, 192, 125, 354, 11, 358) },
	[SECCOMP_ABI_X32] = { "x32", KINDS(56, 435, 272, 41, 135, 157, 514, 9, 10, 317, 520, 545) },
};
#elif defined(__aarch64__)
const struct seccomp_abi_def seccomp_abi_defs[SECCOMP_ABIS] = {
	[SECCOMP_ABI_NATIVE] = { "aarch64", KINDS(220, 435, 97, 198, 92, 167, 29, 222, 226, 277, 221, 281) },
	[SECCOMP_ABI_COMPAT] = { "arm", KINDS(120, 435, 337, 281, 136, 172, 54, 192, 125, 383, 11, 387) },
	[SECCOMP_ABI_X32] = { NULL, KINDS(NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
					  NONE, NONE) },
};
#else
#error "the seccomp tracker knows the syscall ABIs of x86-64 and arm64 only; add this architecture's"
#endif

const char *seccomp_abi_arch(uint32_t abi)
{
	return abi < SECCOMP_ABIS && seccomp_abi_defs[abi].arch ? seccomp_abi_defs[abi].arch : "?";
}

const char *seccomp_phase_name(uint32_t phase)
{
	switch (phase) {
	case SECCOMP_PHASE_RUNTIME:
		return "runtime";
	case SECCOMP_PHASE_FILTERED:
		return "runtime_filtered";
	case SECCOMP_PHASE_WORKLOAD:
		return "workload";
	}
	return "?";
}

const char *seccomp_kind_name(uint32_t kind)
{
	static const char *const names[SECCOMP_KIND_ARGS_END_] = {
		[SECCOMP_KIND_CLONE] = "clone",           [SECCOMP_KIND_CLONE3] = "clone3",
		[SECCOMP_KIND_UNSHARE] = "unshare",       [SECCOMP_KIND_SOCKET] = "socket",
		[SECCOMP_KIND_PERSONALITY] = "personality", [SECCOMP_KIND_PRCTL] = "prctl",
		[SECCOMP_KIND_IOCTL] = "ioctl",           [SECCOMP_KIND_MMAP] = "mmap",
		[SECCOMP_KIND_MPROTECT] = "mprotect",
	};

	return kind < SECCOMP_KIND_ARGS_END_ ? names[kind] : NULL;
}

uint32_t seccomp_slot_nr(int slot)
{
	return slot < SECCOMP_NR_DIRECT ? (uint32_t)slot
					: SECCOMP_ARM_NR_BASE + (uint32_t)(slot - SECCOMP_NR_DIRECT);
}

static const char *find(const struct syscall_name *table, unsigned int n, uint32_t nr)
{
	for (unsigned int i = 0; table && i < n; i++)
		if (table[i].nr == (long)nr)
			return table[i].name;
	return NULL;
}

const char *seccomp_syscall_name(uint32_t abi, uint32_t nr, char *buf, size_t size)
{
	const char *name = abi == SECCOMP_ABI_COMPAT
				   ? find(syscall_names_compat, syscall_names_compat_count, nr)
				   : find(syscall_names, syscall_names_count, nr);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "sys_%u", nr);
	return buf;
}
