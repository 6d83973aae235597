/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * embed: a minimal program embedding libeunomia.
 *
 *     embed TRACKER [SECONDS] [KEY=VALUE...]
 *
 * Starts one tracker and prints its events as JSON lines for SECONDS
 * (default 5). Instead of eun_ctx_poll(), it waits in its own poll() loop on
 * eun_ctx_fd(), as a program with other file descriptors to watch would, and
 * calls eun_ctx_consume() when the fd is readable AND at least every
 * eun_ctx_max_latency_ms(): trackers wake readers in batches, so the fd
 * alone may stay quiet while a few events wait.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eunomia/eunomia.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int print_event(const struct eun_event *ev, void *cookie)
{
	char buf[4096];
	int n = eun_event_to_json(ev, buf, sizeof(buf));

	(void)cookie;
	if (n < 0)
		return n;
	/* Truncated output would be invalid JSON: skip it rather than print it. */
	if ((size_t)n >= sizeof(buf)) {
		fprintf(stderr, "embed: skipping a %d-byte event\n", n);
		return 0;
	}
	puts(buf);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct eun_config_entry cfg[16];
	size_t n_cfg = 0;
	double seconds = argc > 2 ? atof(argv[2]) : 5;
	struct eun_tracker *t;
	struct eun_ctx *ctx;
	long long end;
	int ret = 1;

	if (argc < 2 || seconds <= 0) {
		fprintf(stderr, "usage: %s TRACKER [SECONDS] [KEY=VALUE...]\n", argv[0]);
		return 2;
	}
	for (int i = 3; i < argc && n_cfg < 16; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "embed: '%s' is not KEY=VALUE\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		cfg[n_cfg].key = argv[i];
		cfg[n_cfg++].value = eq + 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	/* Plugins come from $EUNOMIA_PLUGIN_PATH and the installed plugin directory. */
	ctx = eun_ctx_new(NULL);
	if (!ctx) {
		fprintf(stderr, "embed: %s\n", eun_last_error());
		return 1;
	}
	{
		EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n_cfg);

		t = eun_tracker_new(ctx, argv[1], &opts);
	}
	if (!t || eun_tracker_start(t) < 0) {
		fprintf(stderr, "embed: %s\n", eun_last_error());
		goto out;
	}
	eun_ctx_set_event_fn(ctx, print_event, NULL);

	end = now_ms() + (long long)(seconds * 1000);
	while (!stop_requested) {
		struct pollfd pfd = { .fd = eun_ctx_fd(ctx), .events = POLLIN };
		long long left = end - now_ms();
		int wait = (int)eun_ctx_max_latency_ms(ctx);
		int n;

		if (left <= 0)
			break;
		if (left < wait)
			wait = (int)left;
		/* ... a real program would add its own fds here ... */
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
			perror("embed: poll");
			goto out;
		}
		/* Readable or not: consume at least every max-latency interval. */
		n = eun_ctx_consume(ctx);
		if (n < 0) {
			fprintf(stderr, "embed: %s\n", eun_last_error());
			goto out;
		}
		fflush(stdout);
	}
	/* Stopping delivers what the ring buffer still holds. */
	if (eun_tracker_stop(t) < 0)
		fprintf(stderr, "embed: %s\n", eun_last_error());
	fflush(stdout);
	ret = 0;
out:
	eun_ctx_free(ctx);
	return ret;
}
