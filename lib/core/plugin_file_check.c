/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Look at a plugin file before dlopen() does. dlopen() maps the file's
 * segments without checking that the file holds them, so a truncated .so
 * faults (SIGBUS) on first touch and takes the whole process down; it
 * opens a FIFO and blocks forever; and it says "No such file or directory"
 * for a plugin built for another machine. Here a plugin file must be a
 * regular file (opened without blocking), an ELF shared object of this
 * process's class, byte order and machine, whose PT_LOAD segments all lie
 * within the file. A leaf of the core.
 */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	default: return "not a regular file";
	}
}

/* Name of an ELF machine, for "built for X, this is Y". */
static const char *machine_name(unsigned m, char *buf, size_t size)
{
	static const struct {
		unsigned em;
		const char *name;
	} names[] = {
		{ EM_386, "i386" },       { EM_X86_64, "x86_64" }, { EM_ARM, "arm" },
		{ EM_AARCH64, "aarch64" }, { EM_RISCV, "riscv" },  { EM_PPC, "ppc" },
		{ EM_PPC64, "ppc64" },    { EM_S390, "s390" },     { EM_MIPS, "mips" },
		{ EM_SPARCV9, "sparc64" }, { EM_LOONGARCH, "loongarch" }, { EM_BPF, "BPF" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].em == m)
			return names[i].name;
	snprintf(buf, size, "ELF machine %u", m);
	return buf;
}

/* The ELF header of libeunomia itself, as mapped: what a plugin must match. */
static const ElfW(Ehdr) *own_header(void)
{
	Dl_info di;

	if (!dladdr((void *)plugin_file_check, &di) || !di.dli_fbase)
		return NULL;
	return di.dli_fbase;
}

/* Read len bytes at off; false if the file is shorter. */
static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	return n >= 0 && (size_t)n == len;
}

/* Check the identification bytes: ELF, and this process's class and byte
 * order. 0 or -ENOEXEC with the text set. */
static int check_ident(const char *path, const unsigned char *ident, const ElfW(Ehdr) *own)
{
	if (memcmp(ident, ELFMAG, SELFMAG))
		return set_error(ENOEXEC, "plugin file %s is not an ELF shared object (it does not "
				 "start with the ELF magic); rebuild it, or remove it from the plugin "
				 "directory", path);
	if (own && ident[EI_CLASS] != own->e_ident[EI_CLASS])
		return set_error(ENOEXEC, "plugin file %s is a %s ELF file, this process is %s; "
				 "rebuild the plugin for it", path,
				 ident[EI_CLASS] == ELFCLASS32 ? "32-bit" : ident[EI_CLASS] == ELFCLASS64
				 ? "64-bit" : "broken", own->e_ident[EI_CLASS] == ELFCLASS32
				 ? "32-bit" : "64-bit");
	if (own && ident[EI_DATA] != own->e_ident[EI_DATA])
		return set_error(ENOEXEC, "plugin file %s is %s, this machine is %s; rebuild the "
				 "plugin for it", path,
				 ident[EI_DATA] == ELFDATA2MSB ? "big-endian" : "little-endian",
				 own->e_ident[EI_DATA] == ELFDATA2MSB ? "big-endian" : "little-endian");
	return 0;
}

/* Check the machine and the file type. 0 or -ENOEXEC with the text set. */
static int check_type(const char *path, const ElfW(Ehdr) *eh, const ElfW(Ehdr) *own)
{
	char b1[32], b2[32];

	if (own && eh->e_machine != own->e_machine)
		return set_error(ENOEXEC, "plugin file %s was built for %s, this is %s; rebuild the "
				 "plugin for this machine", path,
				 machine_name(eh->e_machine, b1, sizeof(b1)),
				 machine_name(own->e_machine, b2, sizeof(b2)));
	if (eh->e_type != ET_DYN)
		return set_error(ENOEXEC, "plugin file %s is %s, not a shared object; link the "
				 "plugin with -shared", path,
				 eh->e_type == ET_REL ? "an object file (.o)" : eh->e_type == ET_EXEC
				 ? "an executable" : "an ELF file of another kind");
	return 0;
}

/* Every PT_LOAD segment must lie within the file's size bytes. */
static int check_segments(const char *path, int fd, const ElfW(Ehdr) *eh, uint64_t size)
{
	ElfW(Phdr) ph;
	int loads = 0;

	if (eh->e_phentsize != sizeof(ph) || eh->e_phnum == 0 || eh->e_phnum == PN_XNUM)
		return set_error(ENOEXEC, "plugin file %s has no usable program headers (%u of %u "
				 "bytes); it is not a shared object dlopen() can load: rebuild it",
				 path, eh->e_phnum, eh->e_phentsize);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		uint64_t at = (uint64_t)eh->e_phoff + (uint64_t)i * sizeof(ph);

		if (!read_at(fd, &ph, sizeof(ph), at))
			return set_error(ENOEXEC, "plugin file %s is truncated: it has %llu bytes, its "
					 "program headers end at %llu; copy or rebuild it again", path,
					 (unsigned long long)size,
					 (unsigned long long)(eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(ph)));
		if (ph.p_type != PT_LOAD)
			continue;
		loads++;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return set_error(ENOEXEC, "plugin file %s is truncated: it has %llu bytes, its "
					 "segment %u needs bytes %llu to %llu; copy or rebuild it again",
					 path, (unsigned long long)size, i,
					 (unsigned long long)ph.p_offset,
					 (unsigned long long)(ph.p_offset + ph.p_filesz));
	}
	if (!loads)
		return set_error(ENOEXEC, "plugin file %s has no loadable segment; it is not a "
				 "shared object: rebuild it", path);
	return 0;
}

int plugin_file_check(const char *path)
{
	const ElfW(Ehdr) *own = own_header();
	unsigned char ident[EI_NIDENT];
	ElfW(Ehdr) eh;
	struct stat st;
	int fd, err;

	/* stat() first: a device or FIFO is never opened, a link is followed. */
	if (stat(path, &st) < 0)
		return set_error(errno, "cannot load plugin %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return set_error(S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "plugin file %s is %s, not a "
				 "regular file; remove it from the plugin directory", path,
				 file_kind(st.st_mode));
	/* O_NONBLOCK: should it have become a FIFO since, the open does not wait. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return set_error(errno, "cannot open plugin %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return set_error(EINVAL, "plugin file %s is not a regular file; remove it from the "
				 "plugin directory", path);
	}
	if (!read_at(fd, ident, sizeof(ident), 0))
		err = set_error(ENOEXEC, "plugin file %s is not an ELF shared object (%lld bytes, too "
				"short for one); rebuild it, or remove it from the plugin directory",
				path, (long long)st.st_size);
	else if (!(err = check_ident(path, ident, own)) && !read_at(fd, &eh, sizeof(eh), 0))
		err = set_error(ENOEXEC, "plugin file %s is truncated: %lld bytes, shorter than an "
				"ELF header; copy or rebuild it again", path, (long long)st.st_size);
	if (!err)
		err = check_type(path, &eh, own);
	if (!err)
		err = check_segments(path, fd, &eh, (uint64_t)st.st_size);
	close(fd);
	return err;
}
