/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text key=value lists (see attrs.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "diag.h"

int attrs_set(struct attr_list *l, const char *key, const char *value)
{
	char *v = strdup(value), *k;
	struct attr *grown;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].key, key)) {
			free(l->v[i].value);
			l->v[i].value = v;
			return 0;
		}
	}
	k = strdup(key);
	grown = k ? reallocarray(l->v, l->n + 1, sizeof(*grown)) : NULL;
	if (!grown) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	l->v = grown;
	l->v[l->n++] = (struct attr){ .key = k, .value = v };
	return 0;
}

const char *attrs_get(const struct attr_list *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return NULL;
}

void attrs_free(struct attr_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	*l = (struct attr_list){ 0 };
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copy [s, e) without surrounding blanks into a new string, %-decoded if
 * decode. NULL on ENOMEM, or with *bad set for a broken %-escape. */
static char *take(const char *s, const char *e, bool decode, bool *bad)
{
	char *out, *o;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	out = o = malloc((size_t)(e - s) + 1);
	if (!out)
		return NULL;
	for (; s < e; s++) {
		if (decode && *s == '%') {
			int hi = e - s >= 3 ? hex_digit(s[1]) : -1;

			if (hi < 0 || hex_digit(s[2]) < 0) {
				*bad = true;
				free(out);
				return NULL;
			}
			*o++ = (char)(hi << 4 | hex_digit(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

int attrs_parse(struct attr_list *l, const char *text, const char *what)
{
	const char *entry = text;

	while (*entry) {
		const char *end = strchr(entry, ','), *eq;
		bool bad = false;
		char *key, *value;
		int err;

		if (!end)
			end = entry + strlen(entry);
		eq = memchr(entry, '=', (size_t)(end - entry));
		key = eq ? take(entry, eq, false, &bad) : NULL;
		value = key ? take(eq + 1, end, true, &bad) : NULL;
		if (!eq || (key && !*key) || bad) {
			int n = (int)(end - entry);

			free(key);
			free(value);
			if (!eq && strspn(entry, " \t") >= (size_t)n) {
				entry = *end ? end + 1 : end; /* an empty entry */
				continue;
			}
			return otlp_error(EINVAL, "%s: '%.*s' is not KEY=VALUE with a %%-encoded "
					  "VALUE (e.g. a=b,c=d%%20e)", what, n, entry);
		}
		err = value ? attrs_set(l, key, value) : -ENOMEM;
		free(key);
		free(value);
		if (err)
			return otlp_error(ENOMEM, "out of memory");
		entry = *end ? end + 1 : end;
	}
	return 0;
}
