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
