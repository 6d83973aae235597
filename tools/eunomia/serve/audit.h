/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The "audit" tracker: an in-process plugin whose events are the API's
 * mutating calls, so they reach the outputs, the metrics and the streams
 * like any other event. */
#ifndef EUNOMIA_SERVE_AUDIT_H
#define EUNOMIA_SERVE_AUDIT_H

#include <eunomia/eunomia.h>

#include "auth.h"

#define AUDIT_TRACKER "audit"

/* Register the audit plugin with ctx. 0 or -errno. */
int audit_register(struct eun_ctx *ctx);

/* Deliver one "api_call" event through audit tracker t (the context's
 * thread): who called, in which role, what, and with what result. */
void audit_record(struct eun_tracker *t, const struct principal *who, const char *method,
		  const char *path, unsigned status, const char *message);

#endif
