/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Read a schema field's value out of a record and render it as plain text. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "event/event.h"

bool field_is_int(const struct eun_field *f)
{
	return f->type >= EUN_FIELD_U8 && f->type <= EUN_FIELD_BOOL;
}

bool field_is_signed(const struct eun_field *f)
{
	return f->type >= EUN_FIELD_S8 && f->type <= EUN_FIELD_S64;
}

/* Records come from a ring buffer with no alignment promise: copy, never cast. */
#define READ_AS(T, p) ({ T v_; memcpy(&v_, (p), sizeof(v_)); v_; })

uint64_t field_read_u64(const struct eun_field *f, const uint8_t *rec)
{
	const uint8_t *p = rec + f->offset;

	/* Converting a negative signed value to uint64_t sign-extends it. */
	switch (f->type) {
	case EUN_FIELD_U8:   return READ_AS(uint8_t, p);
	case EUN_FIELD_U16:  return READ_AS(uint16_t, p);
	case EUN_FIELD_U32:  return READ_AS(uint32_t, p);
	case EUN_FIELD_U64:  return READ_AS(uint64_t, p);
	case EUN_FIELD_S8:   return (uint64_t)READ_AS(int8_t, p);
	case EUN_FIELD_S16:  return (uint64_t)READ_AS(int16_t, p);
	case EUN_FIELD_S32:  return (uint64_t)READ_AS(int32_t, p);
	case EUN_FIELD_S64:  return (uint64_t)READ_AS(int64_t, p);
	case EUN_FIELD_BOOL: return *p != 0;
	default:             return 0;
	}
}

size_t field_hist_slots(const struct eun_field *f)
{
	return f->size / sizeof(uint64_t);
}

uint64_t field_hist_slot(const struct eun_field *f, const uint8_t *rec, size_t i)
{
	return READ_AS(uint64_t, rec + f->offset + i * sizeof(uint64_t));
}

/* Non-empty slots as "lo-hi:count" joined by commas, e.g. "0-1:3,16-31:7". */
static void put_hist(struct outbuf *o, const struct eun_field *f, const uint8_t *rec)
{
	bool first = true;

	for (size_t i = 0; i < field_hist_slots(f); i++) {
		uint64_t n = field_hist_slot(f, rec, i);
		uint64_t lo = i ? UINT64_C(1) << i : 0;
		uint64_t hi = i == 63 ? UINT64_MAX : (UINT64_C(1) << (i + 1)) - 1;

		if (!n)
			continue;
		outbuf_printf(o, "%s%" PRIu64 "-%" PRIu64 ":%" PRIu64, first ? "" : ",", lo, hi, n);
		first = false;
	}
}

size_t field_str_len(const struct eun_field *f, const uint8_t *rec)
{
	return strnlen((const char *)rec + f->offset, f->size);
}

static void put_int(struct outbuf *o, const struct eun_field *f, uint64_t v)
{
	if (f->flags & EUN_FIELD_F_HEX) {
		/* Only the field's own bytes: an S32 of -1 is 0xffffffff. */
		if (f->size < sizeof(v))
			v &= (UINT64_C(1) << (8 * f->size)) - 1;
		outbuf_printf(o, "0x%" PRIx64, v);
	} else if (field_is_signed(f)) {
		outbuf_s64(o, (int64_t)v);
	} else {
		outbuf_u64(o, v);
	}
}

void field_put(struct outbuf *o, const struct eun_field *f, const uint8_t *rec)
{
	const uint8_t *p = rec + f->offset;
	char ip6[INET6_ADDRSTRLEN];

	switch (f->type) {
	case EUN_FIELD_BOOL:
		outbuf_puts(o, *p ? "true" : "false");
		break;
	case EUN_FIELD_STR:
		outbuf_write(o, (const char *)p, field_str_len(f, rec));
		break;
	case EUN_FIELD_IPV4:
		outbuf_printf(o, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		break;
	case EUN_FIELD_IPV6:
		outbuf_puts(o, inet_ntop(AF_INET6, p, ip6, sizeof(ip6)));
		break;
	case EUN_FIELD_HIST_LOG2:
		put_hist(o, f, rec);
		break;
	default:
		if (field_is_int(f))
			put_int(o, f, field_read_u64(f, rec));
		break;
	}
}

int field_format(const struct eun_field *f, const uint8_t *rec, char *buf, size_t size)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	field_put(&o, f, rec);
	return outbuf_finish(&o);
}
