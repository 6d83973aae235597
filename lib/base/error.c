/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The per-thread text of the last failure, read with eun_last_error(). */
#include <stdio.h>
#include <string.h>

#include "base/base.h"

static _Thread_local char last_error[1024];

const char *eun_last_error(void)
{
	return last_error;
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
