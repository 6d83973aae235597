/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* "Did you mean ...?": the known name closest to a misspelled one. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

/* Names longer than this are compared no further (their tail is ignored). */
#define MAX_NAME 64

/* Edits (insert, delete, replace, swap of neighbours) from a to b. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t d[MAX_NAME + 1][MAX_NAME + 1];

	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

const char *suggest(const char *name, const char *const *cands, size_t n_cands)
{
	size_t n = strlen(name), limit, best = SIZE_MAX;
	const char *pick = NULL;

	if (n > MAX_NAME)
		n = MAX_NAME;
	/* One edit for short names, two from five characters on. */
	limit = n < 5 ? 1 : 2;
	for (size_t i = 0; i < n_cands; i++) {
		size_t m = strlen(cands[i]), d;

		if (m > MAX_NAME)
			m = MAX_NAME;
		if ((m > n ? m - n : n - m) > limit)
			continue;
		d = distance(name, n, cands[i], m);
		if (d > 0 && d <= limit && d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return pick;
}
