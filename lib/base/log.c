/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The log callback (one message at a time) and libbpf log capture. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "base/base.h"

static void default_log(enum eun_log_level level, const char *msg, void *cookie)
{
	(void)cookie;
	if (level <= EUN_LOG_WARN)
		fprintf(stderr, "libeunomia: %s: %s\n", level == EUN_LOG_ERROR ? "error" : "warning", msg);
}

static eun_log_fn log_fn = default_log;
static void *log_cookie;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

eun_log_fn eun_set_log_fn(eun_log_fn fn, void *cookie)
{
	eun_log_fn old;

	/* Under the lock messages are sent with: a helper thread logging
	 * meanwhile sees the old pair or the new one, never a mix. */
	pthread_mutex_lock(&log_lock);
	old = log_fn;
	log_fn = fn ? fn : default_log;
	log_cookie = fn ? cookie : NULL;
	pthread_mutex_unlock(&log_lock);
	return old;
}

void log_msg_v(enum eun_log_level lvl, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* Trackers started by eun_ctx_start_trackers() log from several
	 * threads; the callback sees one message at a time. */
	pthread_mutex_lock(&log_lock);
	log_fn(lvl, msg, log_cookie);
	pthread_mutex_unlock(&log_lock);
}

void log_msg(enum eun_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msg_v(lvl, fmt, ap);
	va_end(ap);
}

static int libbpf_to_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum eun_log_level lvl = level == LIBBPF_WARN ? EUN_LOG_WARN
				 : level == LIBBPF_INFO ? EUN_LOG_INFO
							: EUN_LOG_DEBUG;

	log_msg_v(lvl, fmt, ap);
	return 0;
}

void libbpf_logs_capture(bool on)
{
	/* Nested: the first context asking captures, the last one restores. */
	static libbpf_print_fn_t saved;
	static int users;

	if (on && users++ == 0)
		saved = libbpf_set_print(libbpf_to_log);
	else if (!on && --users == 0)
		libbpf_set_print(saved);
}

