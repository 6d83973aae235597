/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia run --metrics`: the Prometheus exporter of a run. */
#ifndef EUNOMIA_CLI_RUN_METRICS_H
#define EUNOMIA_CLI_RUN_METRICS_H

#include <eunomia/eunomia.h>

#include "run_opts.h"

/* Create the registry for ctx's trackers with o's --metrics-label fields
 * and serve it on o->metrics_addr if given (--otlp alone exports it over
 * OTLP only). Returns CLI_EXIT_OK with *out set, or the exit status after
 * reporting the problem. */
int run_metrics_start(struct eun_ctx *ctx, const struct run_opts *o, struct eun_metrics **out);

#endif
