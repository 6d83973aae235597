/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The metrics registry as one ExportMetricsServiceRequest: counters as
 * cumulative monotonic Sums, gauges as Gauges, log2 histograms as
 * cumulative explicit-bound Histograms. */
#ifndef EUNOMIA_OTLP_METRICS_REQUEST_H
#define EUNOMIA_OTLP_METRICS_REQUEST_H

#include <stdint.h>

#include <eunomia/eunomia.h>

#include "buf.h"
#include "kv.h"

/* Encode every series of m, under the resource whose encoding is
 * `resource` (see resource.h), stamped now_ns, into b (emptied first).
 * Returns the number of data points, or -ENOMEM. */
int metrics_request_encode(struct buf *b, enum otlp_format fmt, struct eun_metrics *m,
			   const struct buf *resource, uint64_t now_ns);

#endif
