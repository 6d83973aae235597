/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia run --otlp`: the OTLP/HTTP exporter of a run (libeunomia-otlp). */
#ifndef EUNOMIA_CLI_RUN_OTLP_H
#define EUNOMIA_CLI_RUN_OTLP_H

#include <stdbool.h>

#include <eunomia/otlp.h>

#include "run_opts.h"

/* Create the exporter for o's --otlp URL and --otlp-set settings,
 * exporting the registry m (may be NULL), and attach it to ctx as a
 * listener. Returns CLI_EXIT_OK with *out set, or the exit status after
 * reporting the problem. */
int run_otlp_start(struct eun_ctx *ctx, const struct run_opts *o, struct eun_metrics *m,
		   struct eun_otlp **out);

/* Deliver what is queued and the last metrics (eun_otlp_shutdown()), then
 * print the exporter's counters to stderr: always with `always` (--stats),
 * else when records were lost. Returns code. */
int run_otlp_finish(struct eun_otlp *x, bool always, int code);

#endif
