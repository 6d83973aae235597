/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The protobuf wire format: what the OTLP messages need to be written, and
 * read back from a response. */
#ifndef EUNOMIA_OTLP_PB_H
#define EUNOMIA_OTLP_PB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum pb_wire {
	PB_VARINT = 0,
	PB_I64 = 1,
	PB_LEN = 2,
	PB_I32 = 5,
};

/* Bytes the varint encoding of v takes (1 to 10). */
size_t pb_varint_len(uint64_t v);

/* Append v as a varint. */
void pb_varint(struct buf *b, uint64_t v);

/* Append the key of field `field` with wire type w. */
void pb_tag(struct buf *b, unsigned field, enum pb_wire w);

/* Fields. pb_int64 writes a negative value as its 64-bit two's complement
 * (10 bytes), as int32/int64/enum fields are. */
void pb_uint(struct buf *b, unsigned field, uint64_t v);
void pb_int64(struct buf *b, unsigned field, int64_t v);
void pb_fixed64(struct buf *b, unsigned field, uint64_t v);
void pb_double(struct buf *b, unsigned field, double v);
void pb_bytes(struct buf *b, unsigned field, const void *p, size_t n);

/* Start an embedded message as field `field`; returns where its content
 * starts, for pb_end(). */
size_t pb_begin(struct buf *b, unsigned field);

/* Finish the embedded message started at `start`: write its length. */
void pb_end(struct buf *b, size_t start);

/* A read position in a message. */
struct pb_reader {
	const uint8_t *p, *end;
};

/* One field read by pb_next(). */
struct pb_field {
	unsigned number;
	enum pb_wire wire;
	uint64_t value;       /* VARINT, I64, I32 */
	const uint8_t *data;  /* LEN */
	size_t len;
};

/* Read the next field. 1 if one was read, 0 at the end, -EBADMSG if the
 * bytes are not protobuf (groups included: OTLP has none). */
int pb_next(struct pb_reader *r, struct pb_field *f);

#endif
