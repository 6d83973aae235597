// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Benchmark workload for the `files` tracker: N openat(2) + close(2) pairs
 * of one existing file, as fast as possible, pinned to one CPU so that a
 * tracer's consumer can run on another.
 *
 *     workload_open [-c CPU] [-n OPS] [-t SECONDS [-r OPS_PER_SEC]] PATH
 *
 * With -t it runs for SECONDS instead of OPS pairs (the sustained-rate loss
 * test), as fast as it can or, with -r, paced to OPS_PER_SEC.
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
	fprintf(stderr, "usage: workload_open [-c CPU] [-n OPS] [-t SECONDS [-r OPS_PER_SEC]] PATH\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long ops = 500000, seconds = 0, rate = 0;
	int cpu = 0, opt;

	while ((opt = getopt(argc, argv, "c:n:t:r:")) != -1) {
		char *end;

		if (opt == 'c')
			cpu = (int)strtol(optarg, &end, 10);
		else if (opt == 'n')
			ops = strtoul(optarg, &end, 10);
		else if (opt == 't')
			seconds = strtoul(optarg, &end, 10);
		else if (opt == 'r')
			rate = strtoul(optarg, &end, 10);
		else
			return usage();
		if (*optarg == '\0' || *end != '\0')
			return usage();
	}
	if (optind != argc - 1 || ops == 0 || (rate && !seconds))
		return usage();
	const char *path = argv[optind];

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "workload_open: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return 1;
	}

	uint64_t start = now_ns(), end_ns = start + seconds * 1000000000u;
	unsigned long i;
	for (i = 0; seconds || i < ops; i++) {
		int fd;

		/* Timed mode: look at the clock every 1000 pairs; when paced,
		 * sleep until pair i is due. */
		if (seconds && i % 1000 == 0) {
			uint64_t now = now_ns();

			if (now >= end_ns)
				break;
			if (rate) {
				uint64_t due = start + (uint64_t)((double)i * 1e9 / (double)rate);

				if (due > now) {
					struct timespec ts = { .tv_sec = (time_t)((due - now) / 1000000000u),
							       .tv_nsec = (long)((due - now) % 1000000000u) };

					nanosleep(&ts, NULL);
				}
			}
		}
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "workload_open: %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	}
	ops = i;
	uint64_t elapsed = now_ns() - start;

	printf("ops=%lu elapsed_ns=%" PRIu64 " ns_per_op=%.1f\n", ops, elapsed,
	       (double)elapsed / (double)ops);
	return 0;
}
