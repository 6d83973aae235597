// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Loads and attaches the empty programs of empty.bpf.c (the benchmark
 * floor), prints "attached" once they are in place, and keeps them attached
 * until SIGTERM or SIGINT, then detaches and unloads them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include "empty.skel.h"

int main(void)
{
	struct empty_bpf *skel;
	sigset_t stop;
	int sig, err;

	/* Block the stop signals first, so that one sent early is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	skel = empty_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "empty_loader: cannot load the BPF programs: %s\n", strerror(errno));
		return 1;
	}
	err = empty_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "empty_loader: cannot attach the BPF programs: %s\n", strerror(-err));
		empty_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);

	sigwait(&stop, &sig);
	empty_bpf__destroy(skel);
	return 0;
}
