/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Files on the plugin path that dlopen() must never see: a truncated copy
 * of a real plugin (dlopen() dies of SIGBUS on it), a plugin for another
 * machine, a 32-bit one, a file that is not ELF, an empty one, a FIFO and a
 * link to it (dlopen() blocks on them forever) and a directory, each named
 * *.so. Discovery skips each with a warning naming the file and its
 * problem, eun_ctx_load_plugin() refuses each with that message, and
 * nothing crashes or hangs (check runs each test in a child with a time
 * limit).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

/* A machine that is not this one, for the patched copy. */
#if defined(__aarch64__)
#define OTHER_MACHINE EM_X86_64
#define OTHER_NAME "x86_64"
#else
#define OTHER_MACHINE EM_AARCH64
#define OTHER_NAME "aarch64"
#endif

struct bad_file {
	const char *name; /* in the temporary plugin directory */
	int err;          /* what eun_ctx_load_plugin() returns */
	const char *what; /* in the message */
};

static const struct bad_file bad_files[] = {
	{ "truncated.so", -ENOEXEC, "is truncated" },
	{ "other_machine.so", -ENOEXEC, "was built for " OTHER_NAME ", this is " },
	{ "elf32.so", -ENOEXEC, "is a 32-bit ELF file, this process is 64-bit" },
	{ "text.so", -ENOEXEC, "does not start with the ELF magic" },
	{ "empty.so", -ENOEXEC, "too short" },
	{ "x.so", -EINVAL, "is a FIFO, not a regular file" },
	{ "fifo_link.so", -EINVAL, "is a FIFO, not a regular file" },
	{ "y.so", -EISDIR, "is a directory, not a regular file" },
};
#define N_BAD (sizeof(bad_files) / sizeof(bad_files[0]))

static char dir[] = "/tmp/eun-plugin-files-XXXXXX";

static const char *in_dir(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* The good fixture's bytes, malloc'd; *len set. */
static unsigned char *fixture_bytes(size_t *len)
{
	const char *src = fixture_path("fixture_good");
	struct stat st;
	unsigned char *buf;
	int fd = open(src, O_RDONLY);

	ck_assert_msg(fd >= 0 && fstat(fd, &st) == 0, "%s: %s", src, strerror(errno));
	buf = malloc((size_t)st.st_size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void write_file(const char *name, const void *bytes, size_t len)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0755);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
	close(fd);
}

/* Where the fixture's last PT_LOAD segment ends in the file. */
static size_t load_end(const unsigned char *elf)
{
	const ElfW(Ehdr) *eh = (const void *)elf;
	size_t end = 0;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const ElfW(Phdr) *ph = (const void *)(elf + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type == PT_LOAD && ph->p_offset + ph->p_filesz > end)
			end = ph->p_offset + ph->p_filesz;
	}
	return end;
}

static void make_bad_files(void)
{
	size_t len, end;
	unsigned char *elf = fixture_bytes(&len);
	Elf32_Ehdr e32;
	uint16_t machine = OTHER_MACHINE;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* Cut inside the last loadable segment: headers intact, data missing. */
	end = load_end(elf);
	ck_assert_uint_gt(end, 4096);
	write_file("truncated.so", elf, end - 64);
	/* The same plugin, its header saying another machine. */
	memcpy(elf + offsetof(ElfW(Ehdr), e_machine), &machine, sizeof(machine));
	write_file("other_machine.so", elf, len);
	free(elf);
	/* A 32-bit ARM shared object's header, crafted. */
	memset(&e32, 0, sizeof(e32));
	memcpy(e32.e_ident, ELFMAG, SELFMAG);
	e32.e_ident[EI_CLASS] = ELFCLASS32;
	e32.e_ident[EI_DATA] = ELFDATA2LSB;
	e32.e_ident[EI_VERSION] = EV_CURRENT;
	e32.e_type = ET_DYN;
	e32.e_machine = EM_ARM;
	e32.e_version = EV_CURRENT;
	e32.e_ehsize = sizeof(e32);
	write_file("elf32.so", &e32, sizeof(e32));
	write_file("text.so", "#!/bin/sh\necho not a plugin\n", 28);
	write_file("empty.so", "", 0);
	ck_assert_int_eq(mkfifo(in_dir("x.so"), 0644), 0);
	ck_assert_int_eq(symlink("x.so", in_dir("fifo_link.so")), 0);
	ck_assert_int_eq(mkdir(in_dir("y.so"), 0755), 0);
}

static void remove_bad_files(void)
{
	for (size_t i = 0; i < N_BAD; i++)
		if (!strcmp(bad_files[i].name, "y.so"))
			rmdir(in_dir(bad_files[i].name));
		else
			unlink(in_dir(bad_files[i].name));
	rmdir(dir);
}

/* The line of log naming path (followed by a space: x.so is not x.so.1) into line. */
static bool warning_about(const char *log, const char *path, char *line, size_t size)
{
	char key[4096 + 2];
	const char *at, *start, *end;

	snprintf(key, sizeof(key), "%s ", path);
	if (!(at = strstr(log, key)))
		return false;
	for (start = at; start > log && start[-1] != '\n'; start--)
		;
	end = strchr(at, '\n');
	snprintf(line, size, "%.*s", (int)(end ? end - start : (ptrdiff_t)strlen(start)), start);
	return true;
}

START_TEST(discovery_skips_each_with_a_warning)
{
	char path[8192];
	struct log_capture lc;
	struct eun_ctx *ctx;

	make_bad_files();
	snprintf(path, sizeof(path), "%s:%s", dir, EUN_TEST_FIXTURE_DIR);
	{
		EUN_OPTS(eun_ctx_opts, opts, .plugin_path = path, .no_default_path = true);

		log_capture_start(&lc);
		ctx = eun_ctx_new(&opts);
		log_capture_stop();
	}
	ck_assert_msg(ctx, "bad files must not fail discovery: %s", eun_last_error());
	/* The good plugins after them are all there. */
	ck_assert_ptr_nonnull(eun_plugin_find(ctx, FIXTURE_NAME));
	ck_assert_uint_eq(eun_plugin_count(ctx), 3);
	ck_assert_int_eq(lc.n_error, 0);
	ck_assert_int_eq(lc.n_warn, (int)N_BAD);
	for (size_t i = 0; i < N_BAD; i++) {
		char line[1024];

		ck_assert_msg(warning_about(lc.buf, in_dir(bad_files[i].name), line, sizeof(line)),
			      "no warning names %s:\n%s", in_dir(bad_files[i].name), lc.buf);
		ck_assert_msg(strstr(line, bad_files[i].what), "the warning about %s does not say "
			      "\"%s\": %s", bad_files[i].name, bad_files[i].what, line);
	}
	eun_ctx_free(ctx);
	remove_bad_files();
}
END_TEST

START_TEST(load_plugin_refuses_each)
{
	const struct bad_file *b = &bad_files[_i];
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);
	const char *path;
	int err;

	make_bad_files();
	path = in_dir(b->name);
	err = eun_ctx_load_plugin(ctx, path);
	ck_assert_msg(err == b->err, "%s: %d, want %d (%s)", b->name, err, b->err, eun_last_error());
	ck_assert_msg(strstr(eun_last_error(), path) && strstr(eun_last_error(), b->what),
		      "%s: %s", b->name, eun_last_error());
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	eun_ctx_free(ctx);
	remove_bad_files();
}
END_TEST

/* The check lets through what it should: the real plugins, and a link to one. */
START_TEST(good_plugin_files_pass)
{
	EUN_OPTS(eun_ctx_opts, opts, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(symlink(fixture_path("fixture_good"), in_dir("link.so")), 0);
	ck_assert_msg(eun_ctx_load_plugin(ctx, in_dir("link.so")) == 0, "%s", eun_last_error());
	ck_assert_msg(eun_ctx_load_plugin(ctx, fixture_path("abi_v1_0")) == 0, "%s", eun_last_error());
	ck_assert_uint_eq(eun_plugin_count(ctx), 2);
	eun_ctx_free(ctx);
	unlink(in_dir("link.so"));
	rmdir(dir);
}
END_TEST

static Suite *plugin_file_suite(void)
{
	Suite *s = suite_create("plugin_file");
	TCase *tc = tcase_create("files");

	tcase_add_test(tc, discovery_skips_each_with_a_warning);
	tcase_add_loop_test(tc, load_plugin_refuses_each, 0, (int)N_BAD);
	tcase_add_test(tc, good_plugin_files_pass);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(plugin_file_suite());
}
