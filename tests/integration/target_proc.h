/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Target programs of the stack tracker tests (memleak_target,
 * profile_target): built next to the tests, run with a pipe on stdin
 * (one byte: start working; closing it lets them exit) and one on stdout
 * (one byte once running, with their libraries loaded; one when the work
 * is done).
 */
#ifndef EUN_TARGET_PROC_H
#define EUN_TARGET_PROC_H

#include <stdbool.h>
#include <sys/types.h>

struct target_proc {
	pid_t pid;
	int to_child;   /* write end of its stdin */
	int from_child; /* read end of its stdout */
};

/* Run program `name` (found next to this test executable) with argument
 * arg (NULL: none) and wait until it runs; fails the test on error. */
void target_start(struct target_proc *p, const char *name, const char *arg);
/* Write one byte to its stdin. */
void target_send(struct target_proc *p);
/* Wait (up to 10 s) for its byte on stdout; false on timeout or EOF. */
bool target_wait_done(struct target_proc *p);
/* Close its stdin, reap it; fails the test unless it exited with 0. */
void target_finish(struct target_proc *p);

#endif /* EUN_TARGET_PROC_H */
