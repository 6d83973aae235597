// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Benchmark workload for the `seccomp` tracker's worst case: N getppid(2)
 * calls, the cheapest syscall there is, so that what a sys_enter program
 * costs is as large a share of the call as it can be.
 *
 *     workload_syscall [-c CPU] [-n OPS]
 *
 * Prints "ops=N elapsed_ns=T ns_per_op=X" for bench/run.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <sys/syscall.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000u + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long ops = 1000000;
	unsigned long long t0, t1;
	int c;

	while ((c = getopt(argc, argv, "c:n:")) != -1) {
		if (c == 'c') {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(atoi(optarg), &set);
			if (sched_setaffinity(0, sizeof(set), &set)) {
				perror("workload_syscall: sched_setaffinity");
				return 1;
			}
		} else if (c == 'n') {
			ops = strtoul(optarg, NULL, 10);
		} else {
			fprintf(stderr, "usage: workload_syscall [-c CPU] [-n OPS]\n");
			return 2;
		}
	}
	if (!ops) {
		fprintf(stderr, "workload_syscall: -n must be positive\n");
		return 2;
	}
	t0 = now_ns();
	for (unsigned long i = 0; i < ops; i++)
		syscall(SYS_getppid);
	t1 = now_ns();
	printf("ops=%lu elapsed_ns=%llu ns_per_op=%.1f\n", ops, t1 - t0, (double)(t1 - t0) / ops);
	return 0;
}
