/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* UTF-8 checks and JSON strings (see text.h). */
#include <stdint.h>
#include <string.h>

#include "text.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Length of the well-formed UTF-8 sequence at p (n bytes left), 0 if ill-formed. */
static size_t seq_len(const uint8_t *p, size_t n)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* No overlong forms, surrogates or code points above U+10FFFF. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;

	for (size_t i = 0; i < n;) {
		size_t len = seq_len(p + i, n - i);

		if (!len)
			return false;
		i += len;
	}
	return true;
}

void utf8_put(struct buf *b, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t start = 0, i = 0;

	while (i < n) {
		size_t len = seq_len(p + i, n - i);

		if (len) {
			i += len;
			continue;
		}
		buf_put(b, s + start, i - start);
		buf_put(b, replacement, 3);
		start = ++i;
	}
	buf_put(b, s + start, n - start);
}

void json_put_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0;

	buf_putc(b, '"');
	while (i < n) {
		size_t len = seq_len(p + i, n - i);
		uint8_t c = p[i];

		if (!len) {
			buf_put(b, replacement, 3);
			i++;
			continue;
		}
		if (len > 1) {
			buf_put(b, s + i, len);
			i += len;
			continue;
		}
		i++;
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, c);
		} else if (c == '\n') {
			buf_put(b, "\\n", 2);
		} else if (c == '\t') {
			buf_put(b, "\\t", 2);
		} else if (c == '\r') {
			buf_put(b, "\\r", 2);
		} else if (c < 0x20 || c == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			buf_put(b, esc, sizeof(esc));
		} else {
			buf_putc(b, c);
		}
	}
	buf_putc(b, '"');
}
