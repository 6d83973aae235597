/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A small recursive-descent JSON validator (no values are built). */
#include "json_check.h"

#include <stddef.h>

struct jp {
	const unsigned char *p;
	int depth;
};

static bool value(struct jp *j);

static void skip_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* One UTF-8 sequence starting at j->p (first byte >= 0x80): shortest form,
 * no surrogates, at most U+10FFFF. */
static bool utf8_seq(struct jp *j)
{
	const unsigned char *p = j->p;
	unsigned cp, n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 1;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 2;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 3;
		cp = p[0] & 0x07;
	} else {
		return false;
	}
	for (unsigned i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return false;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	j->p += n + 1;
	return true;
}

static bool string(struct jp *j)
{
	if (*j->p != '"')
		return false;
	j->p++;
	for (;;) {
		unsigned char c = *j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20) /* includes the terminating NUL */
			return false;
		if (c == '\\') {
			c = j->p[1];
			if (c == 'u') {
				for (int i = 2; i < 6; i++)
					if (!is_hex(j->p[i]))
						return false;
				j->p += 6;
			} else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
				   c == 'n' || c == 'r' || c == 't') {
				j->p += 2;
			} else {
				return false;
			}
		} else if (c >= 0x80) {
			if (!utf8_seq(j))
				return false;
		} else {
			j->p++;
		}
	}
}

static bool digits(struct jp *j)
{
	if (*j->p < '0' || *j->p > '9')
		return false;
	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return true;
}

static bool number(struct jp *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (!digits(j))
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!digits(j))
			return false;
	}
	return true;
}

static bool literal(struct jp *j, const char *word)
{
	for (; *word; word++, j->p++)
		if (*j->p != (unsigned char)*word)
			return false;
	return true;
}

/* Members or elements between open and close, separated by commas. */
static bool container(struct jp *j, unsigned char close, bool object)
{
	if (++j->depth > 64)
		return false;
	j->p++;
	skip_ws(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		skip_ws(j);
		if (object) {
			if (!string(j))
				return false;
			skip_ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!value(j))
			return false;
		skip_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != close)
			return false;
		j->p++;
		j->depth--;
		return true;
	}
}

static bool value(struct jp *j)
{
	skip_ws(j);
	switch (*j->p) {
	case '{': return container(j, '}', true);
	case '[': return container(j, ']', false);
	case '"': return string(j);
	case 't': return literal(j, "true");
	case 'f': return literal(j, "false");
	case 'n': return literal(j, "null");
	default:  return number(j);
	}
}

bool json_valid(const char *s, const char **where)
{
	struct jp j = { .p = (const unsigned char *)s };
	bool ok = value(&j);

	if (ok) {
		skip_ws(&j);
		ok = *j.p == '\0';
	}
	if (where)
		*where = ok ? NULL : (const char *)j.p;
	return ok;
}
