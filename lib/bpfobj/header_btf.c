/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * --event-header: the C header that defines a program's event struct
 * (libbpf-tools' tool.h), compiled with clang to BTF at load time. A
 * translation unit includes it after the kernel-style integer typedefs
 * those headers expect from vmlinux.h and keeps one pointer per struct it
 * defines, so that clang -g emits every one of them into BTF.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "bpfobj/bpfobj.h"

#define MAX_HEADER (1u << 20)
#define MAX_STRUCTS 256
#define CLANG_OUT_MAX 1500

/* What libbpf-tools headers get from vmlinux.h. */
static const char prelude[] =
	"typedef signed char __s8; typedef unsigned char __u8;\n"
	"typedef short __s16; typedef unsigned short __u16;\n"
	"typedef int __s32; typedef unsigned int __u32;\n"
	"typedef long long __s64; typedef unsigned long long __u64;\n"
	"typedef __s8 s8; typedef __u8 u8; typedef __s16 s16; typedef __u16 u16;\n"
	"typedef __s32 s32; typedef __u32 u32; typedef __s64 s64; typedef __u64 u64;\n"
	"typedef int pid_t; typedef unsigned int uid_t; typedef unsigned int gid_t;\n"
	"typedef _Bool bool; enum { false = 0, true = 1 };\n"
	"typedef unsigned long size_t; typedef __u64 uintptr_t;\n"
	"typedef __u8 uint8_t; typedef __u16 uint16_t; typedef __u32 uint32_t; typedef __u64 uint64_t;\n"
	"typedef __s8 int8_t; typedef __s16 int16_t; typedef __s32 int32_t; typedef __s64 int64_t;\n";

/* Names of the structs the header text defines ("struct NAME {"). */
static size_t struct_names(const char *text, char **names, size_t max)
{
	size_t n = 0;

	for (const char *p = strstr(text, "struct"); p && n < max; p = strstr(p + 6, "struct")) {
		const char *q = p + 6, *id;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		id = q;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		if (q == id)
			continue;
		{
			const char *b = q;

			while (*b == ' ' || *b == '\t' || *b == '\n')
				b++;
			if (*b != '{')
				continue;
		}
		names[n] = strndup(id, (size_t)(q - id));
		if (names[n])
			n++;
	}
	return n;
}

static int read_text(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	size_t n;

	if (!f)
		return set_error(errno, "event header %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || st.st_size > MAX_HEADER) {
		fclose(f);
		return set_error(EFBIG, "event header %s: larger than %u bytes", path, MAX_HEADER);
	}
	*out = malloc((size_t)st.st_size + 1);
	if (!*out) {
		fclose(f);
		return set_error(ENOMEM, "out of memory");
	}
	n = fread(*out, 1, (size_t)st.st_size, f);
	(*out)[n] = '\0';
	fclose(f);
	return 0;
}

/* Write the translation unit: prelude, the header, one anchor per struct. */
static int write_tu(const char *tu, const char *header_abs, char **names, size_t n)
{
	FILE *f = fopen(tu, "we");

	if (!f)
		return set_error(errno, "cannot write %s: %s", tu, strerror(errno));
	fputs(prelude, f);
	fprintf(f, "#include \"%s\"\n", header_abs);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "struct %s *__eun_anchor_%zu;\n", names[i], i);
	if (fclose(f))
		return set_error(EIO, "cannot write %s", tu);
	return 0;
}

/* The compiler: $EUNOMIA_CLANG, else clang on the PATH. */
static const char *clang_path(void)
{
	const char *c = getenv("EUNOMIA_CLANG");

	return c && *c ? c : "clang";
}

/* Run clang on tu into obj; its messages (cut) into msg. 0, -ENOENT when
 * clang cannot be run, or -EINVAL when it fails. */
static int run_clang(const char *tu, const char *obj, const char *incdir, char *msg, size_t cap)
{
	const char *cc = clang_path();
	char incarg[PATH_MAX + 3];
	int pipefd[2], status;
	pid_t pid;
	size_t len = 0;
	ssize_t r;

	snprintf(incarg, sizeof(incarg), "-I%s", incdir);
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(pipefd[1], 2);
		dup2(pipefd[1], 1);
		execlp(cc, cc, "-g", "-O0", "-target", "bpf", "-c", "-w", "-fno-color-diagnostics",
		       incarg, tu, "-o", obj, (char *)NULL);
		dprintf(2, "exec %s: %s", cc, strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(pipefd[1]);
	while ((r = read(pipefd[0], msg + len, cap - 1 - len)) > 0 && len + 1 < cap)
		len += (size_t)r;
	while (r > 0) /* drain the rest so clang never blocks */
		r = read(pipefd[0], (char[256]){ 0 }, 256);
	msg[len] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EINVAL;
}

int header_btf_compile(const char *path, struct btf **out, char **export_struct)
{
	char dir[] = "/tmp/eunomia-header-XXXXXX", tu[64], obj[64], msg[CLANG_OUT_MAX];
	char abs[PATH_MAX], incdir[PATH_MAX], *text = NULL, *names[MAX_STRUCTS], *exp[1];
	size_t n = 0;
	int err;

	*out = NULL;
	*export_struct = NULL;
	if (!realpath(path, abs))
		return set_error(errno, "event header %s: %s", path, strerror(errno));
	if ((err = read_text(abs, &text)))
		return err;
	n = struct_names(text, names, MAX_STRUCTS);
	if (export_comments_scan(text, exp, 1))
		*export_struct = exp[0];
	free(text);
	if (!n) {
		err = set_error(EINVAL, "event header %s defines no struct (struct NAME { ... })", path);
		goto out;
	}
	snprintf(incdir, sizeof(incdir), "%s", abs);
	*strrchr(incdir, '/') = '\0';
	if (!mkdtemp(dir)) {
		err = set_error(errno, "cannot make a directory in /tmp: %s", strerror(errno));
		goto out;
	}
	snprintf(tu, sizeof(tu), "%s/h.c", dir);
	snprintf(obj, sizeof(obj), "%s/h.o", dir);
	if (!(err = write_tu(tu, abs, names, n))) {
		err = run_clang(tu, obj, incdir, msg, sizeof(msg));
		if (err == -ENOENT)
			err = set_error(ENOENT, "event header %s: reading it needs clang, which is not "
					"installed (apt-get install clang), or set EUNOMIA_CLANG to "
					"its path; or describe the records with a schema file instead",
					path);
		else if (err == -EINVAL)
			err = set_error(EINVAL, "event header %s does not compile with %s -target bpf: %s",
					path, clang_path(), msg);
		else if (err)
			err = set_error(-err, "event header %s: cannot run %s: %s", path, clang_path(),
					strerror(-err));
	}
	if (!err) {
		*out = btf__parse_elf(obj, NULL);
		if (!*out) {
			err = set_error(errno, "event header %s: clang produced no BTF: %s", path,
					strerror(errno));
			*out = NULL;
		}
	}
	unlink(tu);
	unlink(obj);
	rmdir(dir);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (err) {
		free(*export_struct);
		*export_struct = NULL;
	}
	return err;
}
