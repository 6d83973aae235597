/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The InstrumentationScope of everything the exporter sends. */
#ifndef EUNOMIA_OTLP_SCOPE_H
#define EUNOMIA_OTLP_SCOPE_H

#include "buf.h"
#include "kv.h"

/* The scope's name. */
#define OTLP_SCOPE_NAME "eunomia"

/* Append the scope: in protobuf as field `field` of the message being
 * written, in JSON as a "scope" member (no comma). */
void scope_put(struct buf *b, enum otlp_format fmt, unsigned field);

#endif
