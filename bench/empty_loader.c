// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Loads and attaches one set of the empty programs of empty.bpf.c (the
 * benchmark floor), prints "attached" once they are in place, and keeps
 * them attached until SIGTERM or SIGINT, then detaches and unloads them.
 *
 *     empty_loader [open|open_pair|exec|tcp|sys_enter]      (default: open)
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include "empty.skel.h"

/* Load only the programs of `set`; false if the set is unknown. */
static bool select_set(struct empty_bpf *skel, const char *set)
{
	bool open = !strcmp(set, "open"), pair = !strcmp(set, "open_pair");
	bool exec = !strcmp(set, "exec"), tcp = !strcmp(set, "tcp");
	bool sys_enter = !strcmp(set, "sys_enter");

	bpf_program__set_autoload(skel->progs.empty_enter_openat, pair);
	bpf_program__set_autoload(skel->progs.empty_exit_openat, open || pair);
	bpf_program__set_autoload(skel->progs.empty_exec, exec);
	bpf_program__set_autoload(skel->progs.empty_exit, exec);
	bpf_program__set_autoload(skel->progs.empty_sock_state, tcp);
	bpf_program__set_autoload(skel->progs.empty_sys_enter, sys_enter);
	return open || pair || exec || tcp || sys_enter;
}

int main(int argc, char **argv)
{
	const char *set = argc > 1 ? argv[1] : "open";
	struct empty_bpf *skel;
	sigset_t stop;
	int sig, err;

	/* Block the stop signals first, so that one sent early is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	skel = empty_bpf__open();
	if (!skel) {
		fprintf(stderr, "empty_loader: cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	if (argc > 2 || !select_set(skel, set)) {
		fprintf(stderr, "usage: empty_loader [open|open_pair|exec|tcp|sys_enter]\n");
		empty_bpf__destroy(skel);
		return 2;
	}
	err = empty_bpf__load(skel);
	if (!err)
		err = empty_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "empty_loader: cannot load or attach the '%s' programs: %s\n", set,
			strerror(-err));
		empty_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);

	sigwait(&stop, &sig);
	empty_bpf__destroy(skel);
	return 0;
}
