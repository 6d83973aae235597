/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Function symbols and loadable segments of one ELF file, read with
 * libelf, plus the symbols of its separate debug file when one is
 * installed (found by build id, as distributions' -dbg packages ship
 * them). Lookups go from a file offset (what a mapping in /proc/PID/maps
 * tells) through the PT_LOAD program headers to a virtual address, and
 * from there to the symbol that contains it, so executables, PIE and
 * shared objects all work whatever their load bias.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/sym_tables.h"

struct esym {
	uint64_t value, size;
	uint32_t name; /* offset in names */
	uint8_t rank;  /* among aliases at one address, the lowest rank is kept */
};

struct eseg {
	uint64_t offset, vaddr, memsz;
};

struct elf_syms {
	uint8_t build_id[64];
	size_t build_id_len;
	struct esym *syms;
	size_t n_syms, cap_syms;
	struct eseg *segs;
	size_t n_segs;
	struct name_pool names;
};

/* Preference among aliases at one address: names without a leading
 * underscore (getpid over __getpid), then global, weak, local. */
static uint8_t sym_rank(const GElf_Sym *sym, const char *name)
{
	uint8_t bind = GELF_ST_BIND(sym->st_info);

	return (name[0] == '_') * 4 + (bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2);
}

static int add_symbols(struct elf_syms *e, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	if (!data)
		return 0;
	for (size_t i = 0; i < count; i++) {
		GElf_Sym sym;
		const char *name;
		uint8_t type;
		long off;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
		    !sym.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !name[0])
			continue;
		if (e->n_syms == e->cap_syms) {
			size_t cap = e->cap_syms ? e->cap_syms * 2 : 256;
			struct esym *v = realloc(e->syms, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			e->syms = v;
			e->cap_syms = cap;
		}
		off = name_pool_add(&e->names, name, strlen(name));
		if (off < 0)
			return (int)off;
		e->syms[e->n_syms++] = (struct esym){ .value = sym.st_value, .size = sym.st_size,
						      .name = (uint32_t)off,
						      .rank = sym_rank(&sym, name) };
	}
	return 0;
}

static int read_segments(struct elf_syms *e, Elf *elf)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	e->segs = calloc(n ? n : 1, sizeof(*e->segs));
	if (!e->segs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		e->segs[e->n_segs++] = (struct eseg){ .offset = ph.p_offset, .vaddr = ph.p_vaddr,
						      .memsz = ph.p_memsz };
	}
	return 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

/* Sort by address and keep one symbol (the best-ranked) per address. */
static void sort_unique(struct elf_syms *e)
{
	size_t out = 0;

	if (e->n_syms > 1) /* syms may be NULL when there are none */
		qsort(e->syms, e->n_syms, sizeof(*e->syms), sym_cmp);
	for (size_t i = 0; i < e->n_syms; i++)
		if (!out || e->syms[out - 1].value != e->syms[i].value)
			e->syms[out++] = e->syms[i];
	e->n_syms = out;
}

/* Keep the GNU build id of note section scn, if it has one. */
static void read_build_id(struct elf_syms *e, Elf_Scn *scn)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    memcmp((const char *)data->d_buf + name_off, "GNU", 4) ||
		    nh.n_descsz > sizeof(e->build_id))
			continue;
		memcpy(e->build_id, (const char *)data->d_buf + desc_off, nh.n_descsz);
		e->build_id_len = nh.n_descsz;
		return;
	}
}

/* Add the symbols of elf (and, when with_layout, its segments and build
 * id) to e. */
static int read_elf(struct elf_syms *e, Elf *elf, bool with_layout)
{
	Elf_Scn *scn = NULL;
	int err;

	if (elf_kind(elf) != ELF_K_ELF)
		return -ENOEXEC;
	if (with_layout && (err = read_segments(e, elf)))
		return err;
	/* Both tables: .symtab has the local functions, .dynsym may have
	 * what a stripped .symtab lost. Duplicates collapse in sort_unique(). */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (with_layout && sh.sh_type == SHT_NOTE && !e->build_id_len)
			read_build_id(e, scn);
		if (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)
			continue;
		if ((err = add_symbols(e, elf, scn, &sh)))
			return err;
	}
	sort_unique(e);
	return 0;
}

/* Run read_elf on the ELF file open on fd. */
static int read_fd(struct elf_syms *e, int fd, bool with_layout)
{
	Elf *elf;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return -ENOEXEC;
	err = read_elf(e, elf, with_layout);
	elf_end(elf);
	return err;
}

struct elf_syms *elf_syms_load(int fd)
{
	struct elf_syms *e = calloc(1, sizeof(*e));
	int err;

	if (!e)
		return NULL;
	e->names.first_cap = 4096;
	if ((err = read_fd(e, fd, true))) {
		elf_syms_free(e);
		errno = -err;
		return NULL;
	}
	return e;
}

int elf_syms_add_debug(struct elf_syms *e, int debug_fd)
{
	return read_fd(e, debug_fd, false);
}

int elf_syms_debug_path(const struct elf_syms *e, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t len;

	if (e->build_id_len < 2 || size < sizeof("/usr/lib/debug/.build-id/xx/.debug") + 2 * e->build_id_len)
		return -ENOENT;
	len = (size_t)snprintf(buf, size, "/usr/lib/debug/.build-id/%c%c/", hex[e->build_id[0] >> 4],
			       hex[e->build_id[0] & 15]);
	for (size_t i = 1; i < e->build_id_len; i++) {
		buf[len++] = hex[e->build_id[i] >> 4];
		buf[len++] = hex[e->build_id[i] & 15];
	}
	snprintf(buf + len, size - len, ".debug");
	return 0;
}

void elf_syms_free(struct elf_syms *e)
{
	if (!e)
		return;
	free(e->syms);
	free(e->segs);
	free(e->names.buf);
	free(e);
}

/* Virtual address (as in the symbol table) of file offset off; 0 if no
 * loadable segment holds it. */
static uint64_t offset_to_vaddr(const struct elf_syms *e, uint64_t off)
{
	for (size_t i = 0; i < e->n_segs; i++) {
		const struct eseg *s = &e->segs[i];

		if (off >= s->offset && off < s->offset + s->memsz)
			return off - s->offset + s->vaddr;
	}
	return 0;
}

int elf_syms_lookup(const struct elf_syms *e, uint64_t file_off, const char **name, uint64_t *off)
{
	uint64_t va = offset_to_vaddr(e, file_off);
	size_t lo = 0, hi = e->n_syms;
	const struct esym *s;

	if (!va)
		return -ENOENT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->syms[mid].value <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	s = &e->syms[lo - 1];
	/* A sized symbol must contain va; a size-0 one (hand-written
	 * assembly) is taken as reaching up to the next symbol. */
	if (s->size && va >= s->value + s->size)
		return -ENOENT;
	*name = e->names.buf + s->name;
	*off = va - s->value;
	return 0;
}
