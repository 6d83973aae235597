/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* BPF objects embedded in a file: what a libbpf skeleton binary carries. */
#ifndef EUNOMIA_CLI_ELF_SCAN_H
#define EUNOMIA_CLI_ELF_SCAN_H

#include <stddef.h>

/* One embedded object: its bytes are data[off, off + size). */
struct elf_found {
	size_t off, size;
};

/* Find the BPF objects in data (size bytes): ELF images whose header says
 * a relocatable file for EM_BPF, 64-bit, and whose section headers and
 * sections all lie inside data. Each one's extent ends with its last
 * section or its section header table. At most max into out; how many. */
size_t elf_scan_bpf(const unsigned char *data, size_t size, struct elf_found *out, size_t max);

#endif
