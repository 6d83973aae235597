/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A batch of encoded LogRecords as one ExportLogsServiceRequest, with one
 * ResourceLogs per resource (container). */
#ifndef EUNOMIA_OTLP_LOGS_REQUEST_H
#define EUNOMIA_OTLP_LOGS_REQUEST_H

#include <stddef.h>

#include "buf.h"
#include "kv.h"
#include "queue.h"

/* Encode the chain of n records into b (emptied first), grouped by
 * resource in order of first appearance, each group in queue order.
 * 0 or -ENOMEM. */
int logs_request_encode(struct buf *b, enum otlp_format fmt, const struct qitem *items, size_t n);

#endif
