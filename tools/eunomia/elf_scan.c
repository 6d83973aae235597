/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Finding BPF objects inside a binary: a libbpf skeleton embeds its object
 * as an ELF image among the binary's data. Every "\x7fELF" is a candidate;
 * it is one when its header describes a 64-bit relocatable file for EM_BPF
 * (247) with a section header table and sections inside the file. Both
 * byte orders are read (bpfel and bpfeb objects).
 */
#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "elf_scan.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

static uint64_t rd(const unsigned char *p, size_t n, bool le)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

/* The extent of the BPF object at data (left bytes), or 0 if it is none. */
static size_t object_size(const unsigned char *p, size_t left)
{
	bool le;
	uint64_t shoff, end;
	uint16_t shnum, shentsize, shstrndx;

	if (left < sizeof(Elf64_Ehdr) || p[EI_CLASS] != ELFCLASS64 ||
	    (p[EI_DATA] != ELFDATA2LSB && p[EI_DATA] != ELFDATA2MSB) || p[EI_VERSION] != EV_CURRENT)
		return 0;
	le = p[EI_DATA] == ELFDATA2LSB;
	if (rd(p + offsetof(Elf64_Ehdr, e_type), 2, le) != ET_REL ||
	    rd(p + offsetof(Elf64_Ehdr, e_machine), 2, le) != EM_BPF ||
	    rd(p + offsetof(Elf64_Ehdr, e_ehsize), 2, le) != sizeof(Elf64_Ehdr))
		return 0;
	shoff = rd(p + offsetof(Elf64_Ehdr, e_shoff), 8, le);
	shnum = (uint16_t)rd(p + offsetof(Elf64_Ehdr, e_shnum), 2, le);
	shentsize = (uint16_t)rd(p + offsetof(Elf64_Ehdr, e_shentsize), 2, le);
	shstrndx = (uint16_t)rd(p + offsetof(Elf64_Ehdr, e_shstrndx), 2, le);
	if (shentsize != sizeof(Elf64_Shdr) || !shnum || shstrndx >= shnum || shoff > left ||
	    (uint64_t)shnum * shentsize > left - shoff)
		return 0;
	end = shoff + (uint64_t)shnum * shentsize;
	for (uint16_t i = 0; i < shnum; i++) {
		const unsigned char *sh = p + shoff + (size_t)i * shentsize;
		uint32_t type = (uint32_t)rd(sh + offsetof(Elf64_Shdr, sh_type), 4, le);
		uint64_t off = rd(sh + offsetof(Elf64_Shdr, sh_offset), 8, le);
		uint64_t sz = rd(sh + offsetof(Elf64_Shdr, sh_size), 8, le);

		if (type == SHT_NOBITS || type == SHT_NULL)
			continue;
		if (off > left || sz > left - off)
			return 0;
		if (off + sz > end)
			end = off + sz;
	}
	return (size_t)end;
}

size_t elf_scan_bpf(const unsigned char *data, size_t size, struct elf_found *out, size_t max)
{
	size_t n = 0, pos = 0;

	while (n < max && pos + 4 <= size) {
		const unsigned char *hit = memmem(data + pos, size - pos, ELFMAG, SELFMAG);
		size_t at, len;

		if (!hit)
			break;
		at = (size_t)(hit - data);
		len = object_size(hit, size - at);
		if (!len) {
			pos = at + 1;
			continue;
		}
		out[n++] = (struct elf_found){ .off = at, .size = len };
		pos = at + len;
	}
	return n;
}
