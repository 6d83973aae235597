/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The one record of the "hello" tracker, shared by hello.bpf.c and hello.c. */
#ifndef HELLO_H
#define HELLO_H

#include <eunomia/record.h>

#define HELLO_FORK 1 /* event type id */

struct hello_fork {
	struct eun_record_header hdr; /* pid/comm: the process that forked */
	__u32 child_pid;              /* the new process (or thread) */
	__u32 is_thread;              /* 1 for a new thread, 0 for a new process */
};

#endif /* HELLO_H */
