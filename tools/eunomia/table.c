/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text tables with aligned columns, for listings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Append a row of copied cells. */
int table_add_row(struct table *t, const char *const cells[])
{
	size_t first = t->n_rows * t->n_columns;
	char **grown = reallocarray(t->cells, first + t->n_columns, sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	t->cells = grown;
	for (size_t c = 0; c < t->n_columns; c++) {
		grown[first + c] = strdup(cells[c] ? cells[c] : "");
		if (!grown[first + c]) {
			while (c--)
				free(grown[first + c]);
			return -ENOMEM;
		}
	}
	t->n_rows++;
	return 0;
}

/* Width of the widest cell of column c. */
static int column_width(const struct table *t, size_t c)
{
	size_t width = 0;

	for (size_t r = 0; r < t->n_rows; r++) {
		size_t len = strlen(t->cells[r * t->n_columns + c]);

		if (len > width)
			width = len;
	}
	return (int)width;
}

/* Print the rows with aligned columns; the last column is not padded. */
void table_print(const struct table *t, FILE *f, int indent)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		fprintf(f, "%*s", indent, "");
		for (size_t c = 0; c < t->n_columns; c++) {
			const char *cell = t->cells[r * t->n_columns + c];

			if (c + 1 < t->n_columns)
				fprintf(f, "%-*s  ", column_width(t, c), cell);
			else
				fprintf(f, "%s\n", cell);
		}
	}
}

/* Free the cells; the table is empty again. */
void table_clear(struct table *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->n_rows = 0;
}
