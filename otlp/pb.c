/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Protobuf wire format writer and reader (see pb.h). */
#include <errno.h>
#include <string.h>

#include "pb.h"

/* The length placeholder pb_begin() leaves: one byte, enough below 128. */
#define PB_LEN_GUESS 1

size_t pb_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Write v as a varint at p, which has room; returns the bytes written. */
static size_t varint_at(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

void pb_varint(struct buf *b, uint64_t v)
{
	if (buf_reserve(b, 10))
		b->len += varint_at(b->data + b->len, v);
}

void pb_tag(struct buf *b, unsigned field, enum pb_wire w)
{
	pb_varint(b, (uint64_t)field << 3 | (uint64_t)w);
}

void pb_uint(struct buf *b, unsigned field, uint64_t v)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, v);
}

void pb_int64(struct buf *b, unsigned field, int64_t v)
{
	pb_uint(b, field, (uint64_t)v);
}

/* Append v little-endian in 8 bytes. */
static void put_le64(struct buf *b, uint64_t v)
{
	uint8_t le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	buf_put(b, le, sizeof(le));
}

void pb_fixed64(struct buf *b, unsigned field, uint64_t v)
{
	pb_tag(b, field, PB_I64);
	put_le64(b, v);
}

void pb_double(struct buf *b, unsigned field, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	pb_fixed64(b, field, bits);
}

void pb_bytes(struct buf *b, unsigned field, const void *p, size_t n)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, n);
	buf_put(b, p, n);
}

size_t pb_begin(struct buf *b, unsigned field)
{
	pb_tag(b, field, PB_LEN);
	if (buf_reserve(b, PB_LEN_GUESS))
		b->len += PB_LEN_GUESS;
	return b->len;
}

void pb_end(struct buf *b, size_t start)
{
	size_t n, need;

	if (b->oom)
		return;
	n = b->len - start;
	need = pb_varint_len(n);
	if (need > PB_LEN_GUESS) {
		/* Longer than the guess: move the content up to make room. */
		if (!buf_reserve(b, need - PB_LEN_GUESS))
			return;
		memmove(b->data + start + need - PB_LEN_GUESS, b->data + start, n);
		b->len += need - PB_LEN_GUESS;
	}
	varint_at(b->data + start - PB_LEN_GUESS, n);
}

/* Read a varint. 0 or -EBADMSG. */
static int read_varint(struct pb_reader *r, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint8_t byte;

		if (r->p == r->end)
			return -EBADMSG;
		byte = *r->p++;
		*v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return 0;
	}
	return -EBADMSG;
}

/* Read n bytes as a little-endian number. 0 or -EBADMSG. */
static int read_le(struct pb_reader *r, size_t n, uint64_t *v)
{
	if ((size_t)(r->end - r->p) < n)
		return -EBADMSG;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return 0;
}

int pb_next(struct pb_reader *r, struct pb_field *f)
{
	uint64_t key;

	if (r->p == r->end)
		return 0;
	if (read_varint(r, &key) < 0 || (key >> 3) == 0 || (key >> 3) > UINT32_MAX)
		return -EBADMSG;
	*f = (struct pb_field){ .number = (unsigned)(key >> 3), .wire = (enum pb_wire)(key & 7) };
	switch (f->wire) {
	case PB_VARINT:
		return read_varint(r, &f->value) < 0 ? -EBADMSG : 1;
	case PB_I64:
		return read_le(r, 8, &f->value) < 0 ? -EBADMSG : 1;
	case PB_I32:
		return read_le(r, 4, &f->value) < 0 ? -EBADMSG : 1;
	case PB_LEN:
		if (read_varint(r, &f->value) < 0 || f->value > (uint64_t)(r->end - r->p))
			return -EBADMSG;
		f->data = r->p;
		f->len = (size_t)f->value;
		r->p += f->len;
		return 1;
	default:
		return -EBADMSG;
	}
}
