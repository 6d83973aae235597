/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * An event as an OTLP LogRecord: time_unix_nano from the event,
 * observed_time_unix_nano from its delivery, event_name "TRACKER.TYPE",
 * the header and every schema field as typed attributes; for the `alert`
 * tracker the output as body, the priority as severity and
 * security_rule.* attributes. docs/otlp.md has the whole mapping.
 */
#ifndef EUNOMIA_OTLP_LOG_RECORD_H
#define EUNOMIA_OTLP_LOG_RECORD_H

#include <stdint.h>

#include <eunomia/eunomia.h>

#include "buf.h"
#include "kv.h"

struct plan;

/* How the events of each event type are mapped, worked out on first sight. */
struct plans {
	struct plan **v; /* n */
	size_t n;
};

/* Append the LogRecord of ev: in protobuf the message's fields, in JSON
 * the whole object. 0 or -ENOMEM. */
int log_record_encode(struct plans *p, struct buf *b, enum otlp_format fmt,
		      const struct eun_event *ev, uint64_t observed_ns);

/* Free the plans. */
void plans_free(struct plans *p);

#endif
