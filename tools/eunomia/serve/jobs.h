/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Work handed from the HTTP threads to the thread that owns the context.
 * A job runs in steps, one per turn of the context's loop, so that a long
 * job (a hot update, instance by instance) lets events flow between steps. */
#ifndef EUNOMIA_SERVE_JOBS_H
#define EUNOMIA_SERVE_JOBS_H

#include <stdbool.h>

struct job {
	/* One step on the context's thread; true: call again next turn. */
	bool (*step)(struct job *j);
	/* After the last step, on the context's thread. */
	void (*done)(struct job *j);
	struct job *next;
};

struct jobs;

/* NULL on failure (errno set). */
struct jobs *jobs_new(void);
void jobs_free(struct jobs *q);

/* A file descriptor readable while posted jobs wait for jobs_run(). */
int jobs_fd(const struct jobs *q);

/* Queue j (any thread); false once jobs_close() was called. */
bool jobs_post(struct jobs *q, struct job *j);

/* Refuse further jobs (shutdown); those queued still run. */
void jobs_close(struct jobs *q);

/* Run one step of every job (the context's thread). The number still unfinished. */
unsigned jobs_run(struct jobs *q);

#endif
