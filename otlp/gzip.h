/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* gzip (RFC 1952) of a request body, for Content-Encoding: gzip. */
#ifndef EUNOMIA_OTLP_GZIP_H
#define EUNOMIA_OTLP_GZIP_H

#include <stddef.h>

#include "buf.h"

/* Replace out's content with the gzip of the n bytes at in. 0 or -ENOMEM. */
int gzip_compress(struct buf *out, const void *in, size_t n);

#endif
