/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Stopping `eunomia run` on SIGINT/SIGTERM; surviving a closed pipe. */
#include <errno.h>
#include <signal.h>

#include "signals.h"

static volatile sig_atomic_t stop_signal_received;

/* Signal handler: note that a stop was requested. */
static void on_stop_signal(int sig)
{
	(void)sig;
	stop_signal_received = 1;
}

/* Install the handlers. */
int signals_install(void)
{
	struct sigaction stop = { .sa_handler = on_stop_signal, .sa_flags = SA_RESETHAND };
	struct sigaction ignore = { .sa_handler = SIG_IGN };

	sigemptyset(&stop.sa_mask);
	sigemptyset(&ignore.sa_mask);
	if (sigaction(SIGINT, &stop, NULL) < 0 || sigaction(SIGTERM, &stop, NULL) < 0 ||
	    sigaction(SIGPIPE, &ignore, NULL) < 0)
		return -errno;
	return 0;
}

/* True once SIGINT or SIGTERM has arrived. */
bool stop_requested(void)
{
	return stop_signal_received != 0;
}
