// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* Architectures: libseccomp tokens, names and the OCI SCMP_ARCH_* names. */
#include <string.h>

#include "sc.h"

static const struct {
	uint32_t token;
	const char *name;
	const char *oci;
} arches[] = {
	{ SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86" },
	{ SCMP_ARCH_X86_64, "x86_64", "SCMP_ARCH_X86_64" },
	{ SCMP_ARCH_X32, "x32", "SCMP_ARCH_X32" },
	{ SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM" },
	{ SCMP_ARCH_AARCH64, "aarch64", "SCMP_ARCH_AARCH64" },
	{ SCMP_ARCH_MIPS, "mips", "SCMP_ARCH_MIPS" },
	{ SCMP_ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64" },
	{ SCMP_ARCH_MIPS64N32, "mips64n32", "SCMP_ARCH_MIPS64N32" },
	{ SCMP_ARCH_MIPSEL, "mipsel", "SCMP_ARCH_MIPSEL" },
	{ SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64" },
	{ SCMP_ARCH_MIPSEL64N32, "mipsel64n32", "SCMP_ARCH_MIPSEL64N32" },
	{ SCMP_ARCH_PPC, "ppc", "SCMP_ARCH_PPC" },
	{ SCMP_ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64" },
	{ SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE" },
	{ SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390" },
	{ SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X" },
	{ SCMP_ARCH_PARISC, "parisc", "SCMP_ARCH_PARISC" },
	{ SCMP_ARCH_PARISC64, "parisc64", "SCMP_ARCH_PARISC64" },
	{ SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64" },
};

#define N_ARCHES (sizeof(arches) / sizeof(arches[0]))

uint32_t sc_arch_from_oci(const char *oci)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (!strcmp(arches[i].oci, oci))
			return arches[i].token;
	return 0;
}

uint32_t sc_arch_from_name(const char *name)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (!strcmp(arches[i].name, name))
			return arches[i].token;
	return 0;
}

const char *sc_arch_oci(uint32_t token)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (arches[i].token == token)
			return arches[i].oci;
	return "?";
}

const char *sc_arch_name(uint32_t token)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (arches[i].token == token)
			return arches[i].name;
	return "?";
}

const char *sc_arch_known_list(void)
{
	static _Thread_local char list[640];

	if (!list[0])
		for (size_t i = 0; i < N_ARCHES; i++) {
			if (i)
				strcat(list, ", ");
			strcat(list, arches[i].oci);
		}
	return list;
}

bool sc_arch_runs_here(uint32_t token)
{
	uint32_t native = seccomp_arch_native();

	if (token == native)
		return true;
	if (native == SCMP_ARCH_X86_64)
		return token == SCMP_ARCH_X86 || token == SCMP_ARCH_X32;
	if (native == SCMP_ARCH_AARCH64)
		return token == SCMP_ARCH_ARM;
	return false;
}
