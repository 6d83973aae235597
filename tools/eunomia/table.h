/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text tables with aligned columns, for listings. */
#ifndef EUNOMIA_CLI_TABLE_H
#define EUNOMIA_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t n_columns;
	size_t n_rows;
	char **cells; /* n_rows * n_columns owned copies, row by row */
};

/* An empty table of n_columns columns. */
#define TABLE_INIT(N_COLUMNS) { .n_columns = (N_COLUMNS) }

/* Append a row of n_columns cells (copied; NULL cells print as ""). 0 or -ENOMEM. */
int table_add_row(struct table *t, const char *const cells[]);

/* Print the rows, each after `indent` spaces, columns two spaces apart. */
void table_print(const struct table *t, FILE *f, int indent);

/* Free the cells; the table is empty again. */
void table_clear(struct table *t);

#endif
