/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A small, strict JSON reader (RFC 8259), recursive descent. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

struct reader {
	const char *s;
	size_t len, pos;
	char *err;
	size_t err_size;
};

static int fail(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!rd->err_size)
		return -1;
	n = snprintf(rd->err, rd->err_size, "at byte %zu: ", rd->pos + 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < rd->err_size)
		vsnprintf(rd->err + n, rd->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = { "null", "true or false", "a number", "a string",
					     "an array", "an object" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static void skip_ws(struct reader *rd)
{
	while (rd->pos < rd->len && (rd->s[rd->pos] == ' ' || rd->s[rd->pos] == '\t' ||
				     rd->s[rd->pos] == '\n' || rd->s[rd->pos] == '\r'))
		rd->pos++;
}

/* A growing byte buffer for strings. */
struct bytes {
	char *buf;
	size_t len, cap;
};

static int put(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *bigger;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(bigger = realloc(b->buf, cap)))
			return -1;
		b->buf = bigger;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

/* The code point as UTF-8. */
static int put_utf8(struct bytes *b, uint32_t c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return put(b, u, n);
}

static int hex4(struct reader *rd, uint32_t *out)
{
	uint32_t v = 0;

	if (rd->len - rd->pos < 4)
		return fail(rd, "\\u needs four hexadecimal digits");
	for (int i = 0; i < 4; i++) {
		char c = rd->s[rd->pos++];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return rd->pos--, fail(rd, "\\u needs four hexadecimal digits");
		v = v * 16 + (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* One escape after its backslash. */
static int escape(struct reader *rd, struct bytes *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	uint32_t c, lo;
	char e;

	if (rd->pos >= rd->len)
		return fail(rd, "the string has no closing quote");
	e = rd->s[rd->pos++];
	if (e && (hit = strchr(from, e)))
		return put(b, &to[hit - from], 1);
	if (e != 'u')
		return rd->pos--, fail(rd, "unknown escape \\%c", e);
	if (hex4(rd, &c))
		return -1;
	if (c >= 0x80 && c <= 0xff) { /* eunomia's escape of a byte of invalid UTF-8 */
		unsigned char byte = (unsigned char)c;

		return put(b, &byte, 1);
	}
	if (c >= 0xdc00 && c <= 0xdfff)
		return fail(rd, "a lone low surrogate \\u%04x", c);
	if (c >= 0xd800 && c <= 0xdbff) {
		if (rd->len - rd->pos < 2 || rd->s[rd->pos] != '\\' || rd->s[rd->pos + 1] != 'u')
			return fail(rd, "a high surrogate \\u%04x without its low one", c);
		rd->pos += 2;
		if (hex4(rd, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(rd, "a high surrogate followed by \\u%04x", lo);
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	return put_utf8(b, c);
}

static int string(struct reader *rd, char **out, size_t *len)
{
	struct bytes b = { 0 };

	rd->pos++; /* the quote */
	if (put(&b, "", 0))
		return fail(rd, "out of memory");
	for (;;) {
		size_t start = rd->pos;

		while (rd->pos < rd->len && rd->s[rd->pos] != '"' && rd->s[rd->pos] != '\\' &&
		       (unsigned char)rd->s[rd->pos] >= 0x20)
			rd->pos++;
		if (put(&b, rd->s + start, rd->pos - start))
			goto oom;
		if (rd->pos >= rd->len) {
			fail(rd, "the string has no closing quote");
			goto bad;
		}
		if (rd->s[rd->pos] == '"')
			break;
		if ((unsigned char)rd->s[rd->pos] < 0x20) {
			fail(rd, "control character 0x%02x in a string (write it as \\u%04x)",
			     (unsigned char)rd->s[rd->pos], (unsigned char)rd->s[rd->pos]);
			goto bad;
		}
		rd->pos++;
		if (escape(rd, &b))
			goto bad;
	}
	rd->pos++;
	*out = b.buf;
	*len = b.len;
	return 0;
oom:
	fail(rd, "out of memory");
bad:
	free(b.buf);
	return -1;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static int number(struct reader *rd, struct json_value *v)
{
	size_t start = rd->pos;

	if (rd->pos < rd->len && rd->s[rd->pos] == '-')
		rd->pos++;
	if (rd->pos >= rd->len || !digit(rd->s[rd->pos]))
		return fail(rd, "expected a digit");
	if (rd->s[rd->pos] == '0')
		rd->pos++;
	else
		while (rd->pos < rd->len && digit(rd->s[rd->pos]))
			rd->pos++;
	if (rd->pos < rd->len && rd->s[rd->pos] == '.') {
		rd->pos++;
		if (rd->pos >= rd->len || !digit(rd->s[rd->pos]))
			return fail(rd, "expected a digit after '.'");
		while (rd->pos < rd->len && digit(rd->s[rd->pos]))
			rd->pos++;
	}
	if (rd->pos < rd->len && (rd->s[rd->pos] == 'e' || rd->s[rd->pos] == 'E')) {
		rd->pos++;
		if (rd->pos < rd->len && (rd->s[rd->pos] == '+' || rd->s[rd->pos] == '-'))
			rd->pos++;
		if (rd->pos >= rd->len || !digit(rd->s[rd->pos]))
			return fail(rd, "expected a digit in the exponent");
		while (rd->pos < rd->len && digit(rd->s[rd->pos]))
			rd->pos++;
	}
	v->type = JSON_NUMBER;
	v->len = rd->pos - start;
	if (!(v->str = strndup(rd->s + start, v->len)))
		return fail(rd, "out of memory");
	return 0;
}

static int value(struct reader *rd, struct json_value *v, int depth);

static int array(struct reader *rd, struct json_value *v, int depth)
{
	size_t cap = 0;

	v->type = JSON_ARRAY;
	rd->pos++;
	skip_ws(rd);
	if (rd->pos < rd->len && rd->s[rd->pos] == ']')
		return rd->pos++, 0;
	for (;;) {
		if (v->n == cap) {
			struct json_value *bigger = realloc(v->items, (cap ? cap * 2 : 8) * sizeof(*bigger));

			if (!bigger)
				return fail(rd, "out of memory");
			v->items = bigger;
			cap = cap ? cap * 2 : 8;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (value(rd, &v->items[v->n++], depth + 1))
			return -1;
		skip_ws(rd);
		if (rd->pos < rd->len && rd->s[rd->pos] == ']')
			return rd->pos++, 0;
		if (rd->pos >= rd->len || rd->s[rd->pos] != ',')
			return fail(rd, "expected ',' or ']' in an array");
		rd->pos++;
	}
}

static int object(struct reader *rd, struct json_value *v, int depth)
{
	size_t cap = 0;

	v->type = JSON_OBJECT;
	rd->pos++;
	skip_ws(rd);
	if (rd->pos < rd->len && rd->s[rd->pos] == '}')
		return rd->pos++, 0;
	for (;;) {
		struct json_member *m;
		size_t key_at;

		skip_ws(rd);
		if (rd->pos >= rd->len || rd->s[rd->pos] != '"')
			return fail(rd, "expected a key (a string) in an object");
		if (v->n == cap) {
			struct json_member *bigger = realloc(v->members, (cap ? cap * 2 : 16) * sizeof(*bigger));

			if (!bigger)
				return fail(rd, "out of memory");
			v->members = bigger;
			cap = cap ? cap * 2 : 16;
		}
		m = &v->members[v->n];
		memset(m, 0, sizeof(*m));
		key_at = rd->pos;
		if (string(rd, &m->key, &m->key_len))
			return -1;
		v->n++;
		for (size_t i = 0; i + 1 < v->n; i++)
			if (v->members[i].key_len == m->key_len && !memcmp(v->members[i].key, m->key, m->key_len)) {
				rd->pos = key_at;
				return fail(rd, "key \"%s\" is given twice", m->key);
			}
		skip_ws(rd);
		if (rd->pos >= rd->len || rd->s[rd->pos] != ':')
			return fail(rd, "expected ':' after a key");
		rd->pos++;
		if (value(rd, &m->value, depth + 1))
			return -1;
		skip_ws(rd);
		if (rd->pos < rd->len && rd->s[rd->pos] == '}')
			return rd->pos++, 0;
		if (rd->pos >= rd->len || rd->s[rd->pos] != ',')
			return fail(rd, "expected ',' or '}' in an object");
		rd->pos++;
	}
}

/* The literal word at the reader, e.g. "true". */
static bool word(struct reader *rd, const char *w)
{
	size_t n = strlen(w);

	if (rd->len - rd->pos < n || memcmp(rd->s + rd->pos, w, n))
		return false;
	rd->pos += n;
	return true;
}

static int value(struct reader *rd, struct json_value *v, int depth)
{
	char c;

	if (depth > JSON_MAX_DEPTH)
		return fail(rd, "nested deeper than %d levels", JSON_MAX_DEPTH);
	skip_ws(rd);
	if (rd->pos >= rd->len)
		return fail(rd, "expected a value");
	c = rd->s[rd->pos];
	switch (c) {
	case '{':
		return object(rd, v, depth);
	case '[':
		return array(rd, v, depth);
	case '"':
		v->type = JSON_STRING;
		return string(rd, &v->str, &v->len);
	case 't':
	case 'f':
		v->type = JSON_BOOL;
		v->b = c == 't';
		if (word(rd, v->b ? "true" : "false"))
			return 0;
		break;
	case 'n':
		v->type = JSON_NULL;
		if (word(rd, "null"))
			return 0;
		break;
	default:
		if (c == '-' || digit(c))
			return number(rd, v);
		break;
	}
	return fail(rd, "expected a value, found '%c'", c);
}

int json_parse(const char *text, size_t len, struct json_value *out, char *err, size_t err_size)
{
	struct reader rd = { .s = text, .len = len, .err = err, .err_size = err_size };

	memset(out, 0, sizeof(*out));
	if (err_size)
		err[0] = '\0';
	if (value(&rd, out, 0) == 0) {
		skip_ws(&rd);
		if (rd.pos == rd.len)
			return 0;
		fail(&rd, "unexpected text after the value");
	}
	json_free(out);
	return -1;
}

void json_free(struct json_value *v)
{
	for (size_t i = 0; v->type == JSON_ARRAY && i < v->n; i++)
		json_free(&v->items[i]);
	for (size_t i = 0; v->type == JSON_OBJECT && i < v->n; i++) {
		free(v->members[i].key);
		json_free(&v->members[i].value);
	}
	free(v->items);
	free(v->members);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; obj->type == JSON_OBJECT && i < obj->n; i++)
		if (obj->members[i].key_len == n && !memcmp(obj->members[i].key, key, n))
			return &obj->members[i].value;
	return NULL;
}
