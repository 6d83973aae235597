/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Error text and log messages of the exporter (see diag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/otlp.h>

#include "diag.h"

static _Thread_local char last_error[1024];

const char *eun_otlp_last_error(void)
{
	return last_error;
}

void otlp_clear_error(void)
{
	last_error[0] = '\0';
}

int otlp_error(int err, const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	/* Through a copy: the arguments may quote the previous text. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	return -err;
}

void otlp_log(const struct otlp_log *l, enum eun_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "otlp: ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (l->fn)
		l->fn(level, msg, l->cookie);
	else if (level <= EUN_LOG_WARN)
		fprintf(stderr, "libeunomia-otlp: %s: %s\n", level == EUN_LOG_ERROR ? "error" : "warning",
			msg + n);
}
