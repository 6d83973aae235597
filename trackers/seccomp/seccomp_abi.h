/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ABIs of the build architecture as the `seccomp` tracker numbers them
 * (enum seccomp_abi): their libseccomp architecture names, the numbers of
 * the syscalls the BPF side looks at closely, slots of a row, and syscall
 * names for the tracker's records (from the tables the `syscall` tracker
 * generates at build time; libeunomia-seccomp names them with libseccomp).
 */
#ifndef EUN_SECCOMP_ABI_H
#define EUN_SECCOMP_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "seccomp.h"

/* One ABI: its libseccomp architecture name (NULL: the build
 * architecture has no such ABI) and the number of each enum seccomp_kind
 * syscall in its table (UINT32_MAX: absent). */
struct seccomp_abi_def {
	const char *arch;
	uint32_t nr[SECCOMP_KINDS];
};

/* Indexed by enum seccomp_abi. */
extern const struct seccomp_abi_def seccomp_abi_defs[SECCOMP_ABIS];

/* The architecture name of abi ("x86_64", "x86", "x32", "aarch64", "arm"),
 * "?" if out of range or absent. */
const char *seccomp_abi_arch(uint32_t abi);

/* Name of a phase: "runtime", "runtime_filtered", "workload". */
const char *seccomp_phase_name(uint32_t phase);

/* Name of an argument kind: "clone", "socket", ...; NULL for kinds without one. */
const char *seccomp_kind_name(uint32_t kind);

/* The syscall number held in slot of a row (the inverse of the BPF side's
 * slot_of(), x32 numbers without their bit). */
uint32_t seccomp_slot_nr(int slot);

/* Name of syscall nr of abi into buf ("sys_N" if the tables lack it); buf. */
const char *seccomp_syscall_name(uint32_t abi, uint32_t nr, char *buf, size_t size);

#endif /* EUN_SECCOMP_ABI_H */
