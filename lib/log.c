/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Log callback, per-thread error text, version queries and opts checks. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "internal.h"

static void default_log(enum eun_log_level level, const char *msg, void *cookie)
{
	(void)cookie;
	if (level <= EUN_LOG_WARN)
		fprintf(stderr, "libeunomia: %s: %s\n", level == EUN_LOG_ERROR ? "error" : "warning", msg);
}

static eun_log_fn log_fn = default_log;
static void *log_cookie;
static _Thread_local char last_error[1024];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

eun_log_fn eun_set_log_fn(eun_log_fn fn, void *cookie)
{
	eun_log_fn old = log_fn;

	log_fn = fn ? fn : default_log;
	log_cookie = fn ? cookie : NULL;
	return old;
}

const char *eun_last_error(void)
{
	return last_error;
}

const char *eun_plugin_install_dir(void)
{
	return EUN_PLUGINDIR;
}

const char *eun_version(void)
{
	return EUN_VERSION_STRING;
}

void eun_plugin_abi_version(unsigned *major, unsigned *minor)
{
	if (major)
		*major = EUN_PLUGIN_ABI_MAJOR;
	if (minor)
		*minor = EUN_PLUGIN_ABI_MINOR;
}

void clear_error(void)
{
	last_error[0] = '\0';
}

int set_error_v(int err, const char *fmt, va_list ap)
{
	/* Through a copy: callers may wrap the previous error text in a new one. */
	char msg[sizeof(last_error)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(last_error, msg, sizeof(msg));
	return -err;
}

int set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error_v(err, fmt, ap);
	va_end(ap);
	return -err;
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

bool opts_valid(const void *opts, size_t known_sz, const char *type_name)
{
	const size_t *sz = opts;
	const unsigned char *bytes = opts;

	if (!opts)
		return true;
	if (*sz < sizeof(size_t)) {
		set_error(EINVAL, "struct %s: sz is %zu; set it with EUN_OPTS() or to sizeof(struct %s)",
			  type_name, *sz, type_name);
		return false;
	}
	for (size_t i = known_sz; i < *sz; i++) {
		if (bytes[i]) {
			set_error(EINVAL,
				  "struct %s has non-zero members this libeunomia %s does not know "
				  "(caller built against a newer header); upgrade libeunomia or leave them unset",
				  type_name, EUN_VERSION_STRING);
			return false;
		}
	}
	return true;
}
