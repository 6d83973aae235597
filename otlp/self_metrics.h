/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter's own counters as metrics of the registry it exports
 * (eunomia_otlp_*), so that Prometheus and the OTLP metrics show them. */
#ifndef EUNOMIA_OTLP_SELF_METRICS_H
#define EUNOMIA_OTLP_SELF_METRICS_H

#include <eunomia/otlp.h>

/* Set the registry's eunomia_otlp_* metrics to st. 0 or -errno. */
int self_metrics_set(struct eun_metrics *m, const struct eun_otlp_stats *st);

#endif
