/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Small shared pieces of the daemon: the clock, error records, plugin statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

int64_t serve_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void serve_err_set(struct serve_err *e, unsigned status, const char *code, const char *hint,
		   const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->code = code;
	e->hint = hint;
	e->errnum = 0;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

struct plugin_status *serve_plugin_status(struct serve *s, const char *name)
{
	struct plugin_status *grown;

	for (size_t i = 0; i < s->n_pstatus; i++)
		if (!strcmp(s->pstatus[i].name, name))
			return &s->pstatus[i];
	grown = realloc(s->pstatus, (s->n_pstatus + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	s->pstatus = grown;
	memset(&grown[s->n_pstatus], 0, sizeof(*grown));
	snprintf(grown[s->n_pstatus].name, sizeof(grown->name), "%s", name);
	return &grown[s->n_pstatus++];
}
