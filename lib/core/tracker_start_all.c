/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Start every tracker of a context at once. A tracker's start is almost all
 * CPU time in libbpf (parsing the kernel's BTF and relocating the object
 * against it, once per BPF object), so the plugins' start() run on several
 * threads; everything that touches the context (kernel checks, the event
 * loop, tracker states) stays on the calling thread.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

/* One tracker to start, and what its start() left behind. */
struct start_job {
	struct eun_tracker *t;
	int err;
	char error[1024]; /* the worker thread's error text */
};

struct start_queue {
	struct start_job *jobs;
	size_t n;
	size_t next; /* next job to take, shared by the workers */
};

/* Run the plugin's start() of job; its error text is thread-local, so keep a copy. */
static void run_job(struct start_job *job)
{
	clear_error();
	job->err = PLUGIN_OP(job->t, job->t->plugin->desc->start(job->t->state));
	if (job->err < 0)
		snprintf(job->error, sizeof(job->error), "%s", eun_last_error());
}

static void *worker(void *arg)
{
	struct start_queue *q = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED)) < q->n)
		run_job(&q->jobs[i]);
	return NULL;
}

/* CPUs this process may run on (at least 1). */
static unsigned usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}

/* Run every job's start() on up to `threads` threads (the caller's among
 * them). Threads that cannot be created leave their share to the others. */
static void run_jobs(struct start_queue *q, unsigned threads)
{
	pthread_t tids[64];
	size_t started = 0;

	if (threads > q->n)
		threads = (unsigned)q->n;
	if (threads > sizeof(tids) / sizeof(tids[0]) + 1)
		threads = sizeof(tids) / sizeof(tids[0]) + 1;
	for (unsigned i = 1; i < threads; i++)
		if (pthread_create(&tids[started], NULL, worker, q) == 0)
			started++;
	worker(q);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

/* Stop the trackers of jobs[0..n) that this call started. */
static void stop_started(struct start_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i].t->st == EUN_TRACKER_RUNNING)
			(void)eun_tracker_stop(jobs[i].t);
}

int eun_ctx_start_trackers(struct eun_ctx *ctx, const struct eun_ctx_start_opts *opts)
{
	struct start_queue q = { 0 };
	unsigned threads;
	int err = 0;

	clear_error();
	if (!ctx)
		return set_error(EINVAL, "eun_ctx_start_trackers: ctx must not be NULL");
	if (!OPTS_VALID(opts, eun_ctx_start_opts))
		return -EINVAL;
	threads = OPTS_GET(opts, threads, 0);
	if (!threads)
		threads = usable_cpus();
	if (!ctx->n_trackers)
		return 0;
	q.jobs = calloc(ctx->n_trackers, sizeof(*q.jobs));
	if (!q.jobs)
		return set_error(ENOMEM, "out of memory");
	/* Checks first, in order: they may mount tracefs, which the starts need. */
	for (size_t i = 0; i < ctx->n_trackers && !err; i++) {
		struct eun_tracker *t = ctx->trackers[i];
		int r = tracker_start_check(t);

		if (r < 0)
			err = r;
		else if (r == 0)
			q.jobs[q.n++].t = t;
	}
	if (!err && q.n) {
		char first_error[sizeof(q.jobs[0].error)] = "";

		run_jobs(&q, threads);
		/* In creation order, so the failure reported is the first tracker's. */
		for (size_t i = 0; i < q.n; i++) {
			struct start_job *job = &q.jobs[i];
			int r;

			clear_error();
			if (job->err < 0 && job->error[0])
				set_error(-job->err, "%s", job->error);
			r = tracker_start_finish(job->t, job->err);
			if (r < 0 && !err) {
				err = r;
				snprintf(first_error, sizeof(first_error), "%s", eun_last_error());
			}
		}
		if (err) {
			stop_started(q.jobs, q.n);
			set_error(-err, "%s", first_error);
		}
	}
	free(q.jobs);
	return err;
}
