/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Minimal JSON reading (see json_scan.h). */
#include <string.h>

#include "json_scan.h"

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the string starting at p (a quote), or NULL if unterminated. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Past the value starting at p, or NULL if malformed. */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	p = skip_ws(p, end);
	if (p == end)
		return NULL;
	if (*p != '{' && *p != '[') {
		if (*p == '"')
			return skip_string(p, end);
		while (p < end && !strchr(",}] \t\r\n", *p))
			p++;
		return p;
	}
	for (; p < end; p++) {
		if (*p == '"') {
			p = skip_string(p, end);
			if (!p)
				return NULL;
			p--;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if ((*p == '}' || *p == ']') && --depth == 0) {
			return p + 1;
		}
	}
	return NULL;
}

bool json_member(struct jv v, const char *key, struct jv *out)
{
	const char *p = skip_ws(v.p, v.end), *end = v.end;
	size_t klen = strlen(key);

	if (p == end || *p != '{')
		return false;
	p = skip_ws(p + 1, end);
	while (p < end && *p == '"') {
		const char *name = p + 1, *after = skip_string(p, end);
		bool match;

		if (!after)
			return false;
		match = (size_t)(after - 1 - name) == klen && !memcmp(name, key, klen);
		p = skip_ws(after, end);
		if (p == end || *p != ':')
			return false;
		p = skip_ws(p + 1, end);
		if (match) {
			*out = (struct jv){ p, end };
			return true;
		}
		p = skip_value(p, end);
		if (!p)
			return false;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	return false;
}

bool json_int(struct jv v, int64_t *out)
{
	const char *p = skip_ws(v.p, v.end);
	bool quoted = p < v.end && *p == '"', neg = false, any = false;
	uint64_t n = 0;

	p += quoted;
	if (p < v.end && *p == '-') {
		neg = true;
		p++;
	}
	for (; p < v.end && *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_C(1) << 62))
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
		any = true;
	}
	if (!any || (quoted && (p == v.end || *p != '"')))
		return false;
	*out = neg ? -(int64_t)n : (int64_t)n;
	return true;
}

bool json_str(struct jv v, char *out, size_t size)
{
	const char *p = skip_ws(v.p, v.end);
	size_t n = 0;

	if (p == v.end || *p != '"' || !size)
		return false;
	for (p++; p < v.end && *p != '"'; p++) {
		char c = *p;

		if (c == '\\' && p + 1 < v.end) {
			c = *++p;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'u' ? '?' : c;
			if (*p == 'u')
				p += (v.end - p > 4) ? 4 : 0;
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	return p < v.end;
}
