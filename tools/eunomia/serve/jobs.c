/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The queue from the HTTP threads to the context's thread: a list under a
 * lock and an eventfd that wakes the context's poll. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "jobs.h"

struct jobs {
	pthread_mutex_t lock;
	struct job *incoming;  /* posted, newest first */
	struct job *running;   /* owned by the context's thread, in order */
	int efd;
	bool closed;
};

struct jobs *jobs_new(void)
{
	struct jobs *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->efd < 0) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void jobs_free(struct jobs *q)
{
	if (!q)
		return;
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

int jobs_fd(const struct jobs *q)
{
	return q->efd;
}

bool jobs_post(struct jobs *q, struct job *j)
{
	uint64_t one = 1;
	bool ok;

	pthread_mutex_lock(&q->lock);
	ok = !q->closed;
	if (ok) {
		j->next = q->incoming;
		q->incoming = j;
	}
	pthread_mutex_unlock(&q->lock);
	if (ok && write(q->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return true; /* the job is queued; the loop's timeout finds it */
	return ok;
}

void jobs_close(struct jobs *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_mutex_unlock(&q->lock);
}

/* Move the posted jobs, oldest first, to the end of the running list. */
static void take_incoming(struct jobs *q)
{
	struct job *in, *rev = NULL, **tail = &q->running;
	uint64_t n;

	if (read(q->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		n = 0;
	pthread_mutex_lock(&q->lock);
	in = q->incoming;
	q->incoming = NULL;
	pthread_mutex_unlock(&q->lock);
	while (in) {
		struct job *next = in->next;

		in->next = rev;
		rev = in;
		in = next;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = rev;
}

unsigned jobs_run(struct jobs *q)
{
	struct job **pp = &q->running;
	unsigned left = 0;

	take_incoming(q);
	while (*pp) {
		struct job *j = *pp;

		if (j->step(j)) {
			left++;
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		j->done(j);
	}
	return left;
}
