// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Benchmark workload for the `process` tracker: N spawns of a program
 * (posix_spawn, i.e. a fork, an exec and an exit each) waited for one after
 * the other, pinned to one CPU so that a tracer's consumer can run on
 * another.
 *
 *     workload_exec [-c CPU] [-n EXECS] PROGRAM
 *
 * PROGRAM runs without arguments and must exit with status 0 (bench/run
 * gives it a copy of true(1) with a name of its own, so its execs can be
 * counted). Prints one line, "ops=N elapsed_ns=T ns_per_op=X". Exit status
 * 0 on success, 1 if a spawn failed, 2 on a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr, "usage: workload_exec [-c CPU] [-n EXECS] PROGRAM\n");
	return 2;
}

/* Spawn `prog` once and wait for it; 0, or 1 with a message. */
static int spawn_once(const char *prog)
{
	char *const argv[] = { (char *)prog, NULL };
	int status, err;
	pid_t pid;

	err = posix_spawn(&pid, prog, NULL, NULL, argv, environ);
	if (err) {
		fprintf(stderr, "workload_exec: cannot run %s: %s\n", prog, strerror(err));
		return 1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "workload_exec: %s did not exit with status 0\n", prog);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long ops = 2000;
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
	const char *prog = argv[optind];

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		fprintf(stderr, "workload_exec: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return 1;
	}

	uint64_t start = now_ns();
	for (unsigned long i = 0; i < ops; i++)
		if (spawn_once(prog))
			return 1;
	uint64_t elapsed = now_ns() - start;

	printf("ops=%lu elapsed_ns=%" PRIu64 " ns_per_op=%.1f\n", ops, elapsed,
	       (double)elapsed / (double)ops);
	return 0;
}
