/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Render an event as one JSON object. */
#include <string.h>

#include "render/render.h"

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF) that starts with a byte >= 0x80 at
 * s, n bytes being available; 0 if there is none. */
static size_t utf8_seq_len(const uint8_t *s, size_t n)
{
	uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* True for the bytes a JSON string carries as they are: printable ASCII
 * but the quote and the backslash. */
static bool json_plain(uint8_t c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Runs of plain bytes are copied in one write: most strings (paths,
 * names) are one run. */
void json_put_string(struct outbuf *o, const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0, seq;

	outbuf_putc(o, '"');
	while (i < n) {
		uint8_t c = s[i];
		size_t end = i;

		while (end < n && json_plain(s[end]))
			end++;
		if (end > i) {
			outbuf_write(o, str + i, end - i);
			i = end;
			continue;
		}
		if (c >= 0x80) {
			seq = utf8_seq_len(s + i, n - i);
			if (seq) {
				outbuf_write(o, str + i, seq);
				i += seq;
				continue;
			}
			outbuf_printf(o, "\\u%04x", c);
		} else if (c == '"' || c == '\\') {
			outbuf_putc(o, '\\');
			outbuf_putc(o, (char)c);
		} else if (c == '\n') {
			outbuf_puts(o, "\\n");
		} else if (c == '\t') {
			outbuf_puts(o, "\\t");
		} else if (c == '\r') {
			outbuf_puts(o, "\\r");
		} else if (c == '\b') {
			outbuf_puts(o, "\\b");
		} else if (c == '\f') {
			outbuf_puts(o, "\\f");
		} else { /* other control characters */
			outbuf_printf(o, "\\u%04x", c);
		}
		i++;
	}
	outbuf_putc(o, '"');
}

/* "key": — header and field names are identifiers (plugin_validate.c
 * refuses others), which JSON takes as they are. */
static void json_put_key(struct outbuf *o, const char *key)
{
	outbuf_putc(o, '"');
	outbuf_write(o, key, strlen(key));
	outbuf_write(o, "\":", 2);
}

static void json_put_field(struct outbuf *o, const struct eun_field *f, const uint8_t *rec)
{
	switch (f->type) {
	case EUN_FIELD_STR:
		json_put_string(o, (const char *)rec + f->offset, field_str_len(f, rec));
		break;
	case EUN_FIELD_IPV4:
	case EUN_FIELD_IPV6:
		/* Addresses in text form need no escaping. */
		outbuf_putc(o, '"');
		field_put(o, f, rec);
		outbuf_putc(o, '"');
		break;
	case EUN_FIELD_BOOL:
		field_put(o, f, rec);
		break;
	case EUN_FIELD_HIST_LOG2:
		/* Slot i counts values in [2^i, 2^(i+1)), as the schema says. */
		outbuf_putc(o, '[');
		for (size_t i = 0; i < field_hist_slots(f); i++) {
			if (i)
				outbuf_putc(o, ',');
			outbuf_u64(o, field_hist_slot(f, rec, i));
		}
		outbuf_putc(o, ']');
		break;
	default:
		/* JSON numbers are decimal, whatever EUN_FIELD_F_HEX asks for text. */
		if (field_is_signed(f))
			outbuf_s64(o, (int64_t)field_read_u64(f, rec));
		else
			outbuf_u64(o, field_read_u64(f, rec));
		break;
	}
}

int eun_event_to_json(const struct eun_event *ev, char *buf, size_t size)
{
	const struct eun_event_type *et;
	struct outbuf o;

	clear_error();
	if (!ev || (!buf && size))
		return set_error(EINVAL, "eun_event_to_json: ev must not be NULL, nor buf unless size is 0");
	et = ev->type;
	outbuf_init(&o, buf, size);
	outbuf_putc(&o, '{');
	for (int i = 0; i < N_HEADER_FIELDS; i++) {
		const char *str = header_field_str(ev, i);

		if (i)
			outbuf_putc(&o, ',');
		json_put_key(&o, header_field_names[i]);
		if (str)
			json_put_string(&o, str, strlen(str));
		else
			outbuf_u64(&o, header_field_num(ev, i));
	}
	for (uint32_t i = 0; i < et->n_fields; i++) {
		outbuf_putc(&o, ',');
		json_put_key(&o, et->fields[i].name);
		json_put_field(&o, &et->fields[i], ev->rec);
	}
	outbuf_putc(&o, '}');
	return outbuf_finish(&o);
}
