// SPDX-License-Identifier: GPL-2.0-only
/* Read-and-reset of a BPF hash map of aggregates (see map_drain.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "map_drain.h"

/* The keys present now, in a malloc'ed array of *n keys. Listing first and
 * deleting after keeps get_next_key from restarting at every deletion. */
static int list_keys(int map_fd, size_t key_size, void **keys, size_t *n)
{
	size_t cap = 64, cnt = 0;
	char *buf = malloc(cap * key_size), *prev = NULL;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cnt == cap) {
			char *nb = realloc(buf, 2 * cap * key_size);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		prev = cnt ? buf + (cnt - 1) * key_size : NULL;
		if (bpf_map_get_next_key(map_fd, prev, buf + cnt * key_size)) {
			if (errno == ENOENT)
				break;
			free(buf);
			return -errno;
		}
		cnt++;
	}
	*keys = buf;
	*n = cnt;
	return 0;
}

/* A drain into rows: where each entry goes. */
struct row_sink {
	struct map_rows *rows;
	size_t key_size, value_size, value_offset, row_size;
};

static int add_row(const void *key, const void *value, void *arg)
{
	struct row_sink *s = arg;
	struct map_rows *r = s->rows;
	char *row;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		void *v = realloc(r->v, cap * s->row_size);

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	row = (char *)r->v + r->n++ * s->row_size;
	memcpy(row, key, s->key_size);
	memcpy(row + s->value_offset, value, s->value_size);
	return 0;
}

int map_drain_rows(int map_fd, size_t key_size, size_t value_size, size_t value_offset,
		   size_t row_size, int (*order)(const void *, const void *), struct map_rows *rows)
{
	struct row_sink s = { rows, key_size, value_size, value_offset, row_size };
	int err;

	rows->n = 0;
	err = map_drain(map_fd, key_size, value_size, add_row, &s);
	if (err < 0)
		return err;
	if (order && rows->n > 1) /* v is NULL for an empty map */
		qsort(rows->v, rows->n, row_size, order);
	return (int)rows->n;
}

int map_drain(int map_fd, size_t key_size, size_t value_size, map_drain_fn fn, void *arg)
{
	void *keys = NULL, *value = malloc(value_size);
	size_t n = 0;
	int err, drained = 0;

	if (!value)
		return -ENOMEM;
	if ((err = list_keys(map_fd, key_size, &keys, &n))) {
		free(value);
		return err;
	}
	for (size_t i = 0; i < n; i++) {
		const char *key = (const char *)keys + i * key_size;

		if (bpf_map_lookup_and_delete_elem(map_fd, key, value)) {
			if (errno == ENOENT)
				continue; /* deleted meanwhile */
			err = -errno;
			break;
		}
		if ((err = fn(key, value, arg)))
			break;
		drained++;
	}
	free(keys);
	free(value);
	return err ? err : drained;
}
