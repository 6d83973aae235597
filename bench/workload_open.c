// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Benchmark workload for the `files` tracker: N openat(2) + close(2) pairs
 * of one existing file, as fast as possible, pinned to one CPU so that a
 * tracer's consumer can run on another.
 *
 *     workload_open [-c CPU] [-n OPS] PATH
 *
 * Prints one line, "ops=N elapsed_ns=T ns_per_op=X", for bench/run to parse.
 * Exit status 0 on success, 1 if a call failed, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: workload_open [-c CPU] [-n OPS] PATH\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long ops = 500000;
	int cpu = 0, opt;

	while ((opt = getopt(argc, argv, "c:n:")) != -1) {
		char *end;

		if (opt == 'c')
			cpu = (int)strtol(optarg, &end, 10);
		else if (opt == 'n')
			ops = strtoul(optarg, &end, 10);
		else
			return usage();
		if (*optarg == '\0' || *end != '\0')
			return usage();
	}
	if (optind != argc - 1 || ops == 0)
		return usage();
	const char *path = argv[optind];

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "workload_open: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return 1;
	}

	uint64_t start = now_ns();
	for (unsigned long i = 0; i < ops; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "workload_open: %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	}
	uint64_t elapsed = now_ns() - start;

	printf("ops=%lu elapsed_ns=%" PRIu64 " ns_per_op=%.1f\n", ops, elapsed,
	       (double)elapsed / (double)ops);
	return 0;
}
