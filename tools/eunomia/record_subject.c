/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Recording one subject: a context, the recorder, the wait for its end. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <sys/wait.h>

#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "record_subject.h"
#include "signals.h"

#define POLL_INTERVAL_MS 100

int record_subject_check(const struct record_subject *s, const char *cmd)
{
	int n = !!s->container + !!s->cgroup + !!s->argv;

	if (n == 1)
		return CLI_CONTINUE;
	return usage_error(cmd, n ? "choose one subject: --container, --cgroup or -- CMD"
				  : "nothing to record: give --container ID|NAME, --cgroup PATH "
				    "or -- CMD ARGS");
}

static uint64_t monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static void say_what(const struct record_subject *s)
{
	if (s->argv)
		fprintf(stderr, "eunomia: recording '%s' (started) and its children until it "
			"exits\n", s->argv[0]);
	else if (s->cgroup)
		fprintf(stderr, "eunomia: recording cgroup %s until it is removed%s\n", s->cgroup,
			s->duration_s > 0 ? " or the duration ends" : " or Ctrl-C");
	else
		fprintf(stderr, "eunomia: recording container %s (from its first syscall if it "
			"is not running yet) until it stops%s\n", s->container,
			s->duration_s > 0 ? " or the duration ends" : " or Ctrl-C");
}

int record_subject_run(const struct global_opts *g, const struct record_subject *s,
		       struct eun_seccomp_recording **out)
{
	struct eun_seccomp_recorder *rec;
	struct eun_ctx *ctx;
	uint64_t deadline = monotonic_ms() + (uint64_t)(s->duration_s * 1000.0 + 0.5);
	int err, code = CLI_EXIT_OK, status;

	*out = NULL;
	ctx = cli_ctx_open(g, true);
	if (!ctx)
		return CLI_EXIT_RUNTIME;
	if (signals_install() < 0) {
		cli_error("cannot install the signal handlers");
		eun_ctx_free(ctx);
		return CLI_EXIT_RUNTIME;
	}
	EUN_OPTS(eun_seccomp_recorder_opts, opts, .cgroup = s->cgroup, .container = s->container,
		 .argv = s->argv, .caps = s->caps);
	rec = eun_seccomp_recorder_new(ctx, &opts);
	if (!rec) {
		err = -errno;
		cli_error("%s", eun_seccomp_last_error());
		eun_ctx_free(ctx);
		return err == -ENOENT || err == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	err = eun_seccomp_recorder_start(rec);
	if (err) {
		/* The tracker runs: it was the command that could not start. */
		bool running = eun_tracker_state(eun_seccomp_recorder_tracker(rec)) ==
			       EUN_TRACKER_RUNNING;

		cli_error("%s", eun_seccomp_last_error());
		eun_seccomp_recorder_free(rec);
		eun_ctx_free(ctx);
		return running ? CLI_EXIT_USAGE : exit_code_for_start_error(err);
	}
	say_what(s); /* recording from here on */
	while (!stop_requested()) {
		int timeout = POLL_INTERVAL_MS;

		if (s->duration_s > 0) {
			uint64_t now = monotonic_ms();

			if (now >= deadline)
				break;
			if (deadline - now < POLL_INTERVAL_MS)
				timeout = (int)(deadline - now);
		}
		err = eun_seccomp_recorder_poll(rec, timeout);
		if (err == -EINTR)
			continue;
		if (err < 0) {
			cli_error("%s", eun_seccomp_last_error());
			code = CLI_EXIT_RUNTIME;
			break;
		}
		if (err == 1)
			break;
	}
	*out = eun_seccomp_recorder_finish(rec);
	if (!*out) {
		cli_error("%s", eun_seccomp_last_error());
		code = CLI_EXIT_RUNTIME;
	}
	status = eun_seccomp_recorder_status(rec);
	if (s->argv && status != -1) {
		if (WIFEXITED(status) && WEXITSTATUS(status))
			cli_warning("'%s' exited with status %d: the recording may lack what it "
				    "does when it succeeds", s->argv[0], WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			cli_warning("'%s' was killed by signal %d", s->argv[0], WTERMSIG(status));
	}
	eun_seccomp_recorder_free(rec);
	eun_ctx_free(ctx);
	return code;
}

void record_print_notes(const struct eun_seccomp_recording *r)
{
	const char *note;

	for (size_t i = 0; (note = eun_seccomp_recording_note(r, i)); i++)
		cli_warning("%s", note);
}
