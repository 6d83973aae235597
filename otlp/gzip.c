/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* gzip through zlib (see gzip.h). */
#include <errno.h>
#include <zlib.h>

#include "gzip.h"

/* zlib's windowBits for a gzip wrapper: 15 (32 KiB window) + 16. */
#define GZIP_WINDOW_BITS (15 + 16)

int gzip_compress(struct buf *out, const void *in, size_t n)
{
	z_stream z = { 0 };
	int ret;

	buf_reset(out);
	/* The fastest level: a sender thread compresses every request, and
	 * records compress well at any level. */
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	if (!buf_reserve(out, deflateBound(&z, n))) {
		deflateEnd(&z);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out->data;
	z.avail_out = (uInt)(out->cap - out->len);
	ret = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -ENOMEM;
}
