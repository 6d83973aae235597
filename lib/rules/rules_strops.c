/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* String tests of conditions on (pointer, length) values: glob, pmatch, icontains. */
#include <ctype.h>
#include <string.h>

#include "rules/rules_internal.h"

/* Does class "[...]" at pat[*i] (after its '[') hold c? Moves *i past the ']'. */
static bool class_match(const char *pat, size_t plen, size_t *i, char c, bool *ok)
{
	bool neg = false, hit = false;
	size_t j = *i;

	if (j < plen && (pat[j] == '!' || pat[j] == '^')) {
		neg = true;
		j++;
	}
	for (bool first = true; j < plen && (first || pat[j] != ']'); first = false) {
		char lo = pat[j], hi = lo;

		if (j + 2 < plen && pat[j + 1] == '-' && pat[j + 2] != ']') {
			hi = pat[j + 2];
			j += 2;
		}
		if ((unsigned char)c >= (unsigned char)lo && (unsigned char)c <= (unsigned char)hi)
			hit = true;
		j++;
	}
	*ok = j < plen; /* an unclosed '[' matches nothing */
	*i = j + 1;
	return hit != neg;
}

/* Shell-style pattern: * any run (also of '/'), ? one byte, [a-z] [!a-z] classes, \x a literal x. */
bool str_glob(const char *pat, size_t plen, const char *s, size_t n)
{
	size_t p = 0, i = 0, star_p = SIZE_MAX, star_i = 0;

	while (i < n) {
		if (p < plen && pat[p] == '*') {
			star_p = ++p;
			star_i = i;
			continue;
		}
		if (p < plen) {
			size_t next = p + 1;
			bool hit, ok = true;

			if (pat[p] == '?') {
				hit = true;
			} else if (pat[p] == '[') {
				hit = class_match(pat, plen, &next, s[i], &ok) && ok;
			} else if (pat[p] == '\\' && p + 1 < plen) {
				hit = pat[p + 1] == s[i];
				next = p + 2;
			} else {
				hit = pat[p] == s[i];
			}
			if (hit) {
				p = next;
				i++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		p = star_p; /* let the last * take one more byte */
		i = ++star_i;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

bool str_icontains(const char *hay, size_t n, const char *lower_needle, size_t m)
{
	if (m == 0)
		return true;
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;

		while (k < m && tolower((unsigned char)hay[i + k]) == (unsigned char)lower_needle[k])
			k++;
		if (k == m)
			return true;
	}
	return false;
}

/* path is prefix itself, or below it (prefix has no trailing '/', unless it is "/"). */
bool str_pmatch(const char *path, size_t n, const char *prefix, size_t m)
{
	if (m == 0)
		return n == 0;
	if (m > n || memcmp(path, prefix, m))
		return false;
	return n == m || prefix[m - 1] == '/' || path[m] == '/';
}
