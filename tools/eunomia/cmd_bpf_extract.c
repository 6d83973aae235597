/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * `eunomia bpf-extract BINARY`: write the BPF objects a libbpf skeleton
 * binary carries (e.g. Debian's libbpf-tools), so that a tool available
 * only as a binary can be run with `eunomia run ./NAME.bpf.o`.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "elf_scan.h"
#include "exit_codes.h"

#define MAX_OBJECTS 64

enum extract_option {
	OPT_OUTPUT_DIR = LONG_ONLY_OPTION,
	OPT_FORCE,
	OPT_HELP,
};

static void print_extract_help(FILE *f)
{
	fputs("Usage: eunomia bpf-extract BINARY [OPTIONS]\n"
	      "\n"
	      "Write the BPF objects embedded in BINARY (a program built with libbpf\n"
	      "skeletons, such as the tools of Debian's libbpf-tools) as NAME.bpf.o, NAME\n"
	      "being BINARY's file name (NAME.1.bpf.o, NAME.2.bpf.o... when it holds\n"
	      "several). Run one with 'eunomia run ./NAME.bpf.o'; its records may need a\n"
	      "schema file (see docs/bpf-objects.md).\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output-dir DIR  write the objects into DIR (default: .)\n"
	      "      --force           replace files that exist\n"
	      "  -h, --help            print this help\n"
	      "\n", f);
	exit_codes_print_help(f);
}

/* Write len bytes to path, refusing to replace a file unless force. */
static int write_object(const char *path, const unsigned char *data, size_t len, bool force)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
	size_t done = 0;

	if (fd < 0) {
		if (errno == EEXIST)
			cli_error("%s exists; remove it or give --force", path);
		else
			cli_error("cannot write %s: %s", path, strerror(errno));
		return errno == EEXIST ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n <= 0) {
			cli_error("cannot write %s: %s", path, strerror(n < 0 ? errno : EIO));
			close(fd);
			return CLI_EXIT_RUNTIME;
		}
		done += (size_t)n;
	}
	if (close(fd)) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

/* Write every object found in the mapped binary. */
static int extract(const char *binary, const unsigned char *data, size_t size, const char *dir,
		   bool force)
{
	struct elf_found found[MAX_OBJECTS];
	size_t n = elf_scan_bpf(data, size, found, MAX_OBJECTS);
	const char *base = strrchr(binary, '/') ? strrchr(binary, '/') + 1 : binary;
	int code = CLI_EXIT_OK;

	if (!n) {
		cli_error("%s holds no BPF object (an ELF relocatable file for EM_BPF); is it built "
			  "with libbpf skeletons?", binary);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < n && code == CLI_EXIT_OK; i++) {
		char path[4096];

		if (n == 1)
			snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, base);
		else
			snprintf(path, sizeof(path), "%s/%s.%zu.bpf.o", dir, base, i + 1);
		code = write_object(path, data + found[i].off, found[i].size, force);
		if (code == CLI_EXIT_OK)
			printf("%s (%zu bytes at offset %zu of %s)\n", path, found[i].size,
			       found[i].off, binary);
	}
	return code;
}

int cmd_bpf_extract(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "output-dir", required_argument, NULL, OPT_OUTPUT_DIR },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	const char *dir = ".";
	bool force = false;
	struct stat st;
	void *map;
	int c, fd, code;

	(void)g;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT_DIR:
			dir = optarg;
			break;
		case OPT_FORCE:
			force = true;
			break;
		case 'h':
		case OPT_HELP:
			print_extract_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("bpf-extract", c, argv);
		}
	}
	if (optind == argc)
		return usage_error("bpf-extract", "which binary? Give BINARY, e.g. /usr/sbin/opensnoop");
	if (argc - optind > 1)
		return usage_error("bpf-extract", "unexpected argument '%s'", argv[optind + 1]);
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0) {
		cli_error("cannot read %s: %s", argv[optind], fd < 0 || errno ? strerror(errno)
							       : "not a non-empty regular file");
		if (fd >= 0)
			close(fd);
		return CLI_EXIT_USAGE;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		cli_error("cannot map %s: %s", argv[optind], strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	code = extract(argv[optind], map, (size_t)st.st_size, dir, force);
	munmap(map, (size_t)st.st_size);
	return finish_stdout(code);
}
