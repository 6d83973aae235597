/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Prometheus names, base units, label and HELP escaping, value formatting. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

/* Schema units Prometheus wants in another base unit, and those it keeps. */
static const struct {
	const char *unit;
	struct unit_conv conv;
} known_units[] = {
	{ "ns", { "seconds", 1, 1e9 } },
	{ "nsec", { "seconds", 1, 1e9 } },
	{ "us", { "seconds", 1, 1e6 } },
	{ "usec", { "seconds", 1, 1e6 } },
	{ "ms", { "seconds", 1, 1e3 } },
	{ "msec", { "seconds", 1, 1e3 } },
	{ "s", { "seconds", 1, 1 } },
	{ "sec", { "seconds", 1, 1 } },
	{ "seconds", { "seconds", 1, 1 } },
	{ "bytes", { "bytes", 1, 1 } },
	{ "byte", { "bytes", 1, 1 } },
	{ "B", { "bytes", 1, 1 } },
	{ "kb", { "bytes", 1024, 1 } },
	{ "kB", { "bytes", 1024, 1 } },
	{ "KiB", { "bytes", 1024, 1 } },
};

/* True if s is [a-z0-9_]+. */
static bool is_name_part(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

struct unit_conv metrics_unit_conv(const char *unit)
{
	struct unit_conv none = { NULL, 1, 1 };

	if (!unit)
		return none;
	for (size_t i = 0; i < sizeof(known_units) / sizeof(known_units[0]); i++)
		if (!strcmp(known_units[i].unit, unit))
			return known_units[i].conv;
	/* Other units ("pages", "packets") name themselves if they can. */
	if (is_name_part(unit))
		none.suffix = unit;
	return none;
}

/* Length of name without a trailing "_<word>" (or all of it if name == word). */
static size_t strip_word(const char *name, size_t len, const char *word)
{
	size_t wl = strlen(word);

	if (len == wl && !memcmp(name, word, wl))
		return 0;
	if (len > wl + 1 && name[len - wl - 1] == '_' && !memcmp(name + len - wl, word, wl))
		return len - wl - 1;
	return len;
}

/* Field names may be dotted paths (members of nested structs, ABI 1.2);
 * Prometheus names may not hold dots: "proc.pid" becomes "proc_pid". */
static char *undot(char *name)
{
	for (char *p = name; p && *p; p++)
		if (*p == '.')
			*p = '_';
	return name;
}

char *metrics_field_name(const char *tracker, const struct eun_event_type *et,
			 const struct eun_field *f, enum family_kind kind)
{
	struct unit_conv conv = metrics_unit_conv(f->unit);
	size_t base = strlen(f->name);
	char *name = NULL;

	/* "lifetime_ns" in ns becomes "lifetime_seconds", not "lifetime_ns_seconds". */
	if (conv.suffix) {
		base = strip_word(f->name, base, f->unit);
		base = strip_word(f->name, base, conv.suffix);
	}
	if (asprintf(&name, "eunomia_%s_%s%s%.*s%s%s%s", tracker, et->name, base ? "_" : "",
		     (int)base, f->name, conv.suffix ? "_" : "", conv.suffix ? conv.suffix : "",
		     kind == FAM_COUNTER ? "_total" : "") < 0)
		return NULL;
	return undot(name);
}

char *metrics_label_name(const char *name)
{
	static const char *const reserved[] = { "tracker", "event", "le", "quantile", "metric" };
	bool rename = name[0] >= '0' && name[0] <= '9';
	char *out = NULL;

	rename = rename || !strncmp(name, "__", 2);
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		rename = rename || !strcmp(name, reserved[i]);
	if (asprintf(&out, "%s%s", rename ? "field_" : "", name) < 0)
		return NULL;
	return undot(out);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void metrics_put_label_value(struct outbuf *o, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq_len(u + i, n - i);

		if (len == 0) {
			outbuf_puts(o, "\xef\xbf\xbd"); /* U+FFFD REPLACEMENT CHARACTER */
			i++;
			continue;
		}
		if (u[i] == '\\')
			outbuf_puts(o, "\\\\");
		else if (u[i] == '"')
			outbuf_puts(o, "\\\"");
		else if (u[i] == '\n')
			outbuf_puts(o, "\\n");
		else
			outbuf_write(o, s + i, len);
		i += len;
	}
}

void metrics_put_help(struct outbuf *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			outbuf_puts(o, "\\\\");
		else if (*s == '\n')
			outbuf_puts(o, "\\n");
		else
			outbuf_putc(o, *s);
	}
}

void metrics_put_double(struct outbuf *o, double v)
{
	char buf[40];

	if (isinf(v)) {
		outbuf_puts(o, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (isnan(v)) {
		outbuf_puts(o, "NaN");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		outbuf_printf(o, "%.0f", v);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	outbuf_puts(o, buf);
}

void metrics_put_value(struct outbuf *o, const struct unit_conv *conv, uint64_t raw, bool is_signed)
{
	if (conv->mul == 1 && conv->div == 1) {
		if (is_signed)
			outbuf_printf(o, "%" PRId64, (int64_t)raw);
		else
			outbuf_printf(o, "%" PRIu64, raw);
		return;
	}
	metrics_put_double(o, (is_signed ? (double)(int64_t)raw : (double)raw) * conv->mul / conv->div);
}
