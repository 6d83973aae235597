/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Read-and-reset of a BPF hash map of aggregates, for collect()
 * operations: every entry is handed to a callback and deleted from the map
 * in one step (BPF_MAP_LOOKUP_AND_DELETE_ELEM), so an increment the BPF
 * side makes meanwhile lands either in this round or the next, never in
 * neither.
 */
#ifndef EUNOMIA_MAP_DRAIN_H
#define EUNOMIA_MAP_DRAIN_H

#include <stddef.h>

/* Called once per drained entry; a non-zero return stops the drain and
 * becomes its result. */
typedef int (*map_drain_fn)(const void *key, const void *value, void *arg);

/* Take every entry out of the hash map map_fd (keys of key_size bytes,
 * values of value_size bytes) and pass it to fn. Returns the number of
 * entries drained, fn's non-zero result, or -errno. */
int map_drain(int map_fd, size_t key_size, size_t value_size, map_drain_fn fn, void *arg);

/* Entries drained into one array: row i, at (char *)v + i * row_size, holds
 * the key at offset 0 and the value at value_offset. Reusable across drains;
 * free(v) when done. */
struct map_rows {
	void *v;
	size_t n, cap;
};

/* map_drain() into rows (emptied first), then sorted with order (qsort
 * semantics on rows; NULL: left in map order). The number of rows, or -errno. */
int map_drain_rows(int map_fd, size_t key_size, size_t value_size, size_t value_offset,
		   size_t row_size, int (*order)(const void *, const void *), struct map_rows *rows);

#endif /* EUNOMIA_MAP_DRAIN_H */
