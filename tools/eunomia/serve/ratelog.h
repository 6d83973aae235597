/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Messages about clients (bad requests, refused connections), at most a
 * burst per ten seconds: a flood of malformed requests cannot flood the log. */
#ifndef EUNOMIA_SERVE_RATELOG_H
#define EUNOMIA_SERVE_RATELOG_H

#include <pthread.h>
#include <stdint.h>

struct ratelog {
	pthread_mutex_t lock;
	unsigned burst;      /* messages per window */
	int64_t window_start_ms;
	unsigned used;       /* messages printed in this window */
	uint64_t suppressed; /* not printed since the last printed one */
};

/* Allow burst messages per 10 s (0: 10). */
void ratelog_init(struct ratelog *r, unsigned burst);

/* Print "eunomia serve: MESSAGE" to stderr unless the window's burst is
 * spent; the next printed message first says how many were left out. Any thread. */
void ratelog(struct ratelog *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
