// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* The thread's last error of libeunomia-seccomp. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sc.h"

static _Thread_local char last_error[1024];

const char *eun_seccomp_last_error(void)
{
	return last_error;
}

void sc_error_clear(void)
{
	last_error[0] = '\0';
}

int sc_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -err;
}

void *sc_error_null(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	errno = err;
	return NULL;
}

int sc_error_from_eun(int err, const char *what)
{
	const char *text = eun_last_error();

	return sc_error(-err, "%s: %s", what, text[0] ? text : strerror(-err));
}
