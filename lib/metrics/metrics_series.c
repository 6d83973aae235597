/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The series of one metric family: lookup by label text, bounded by a cap. */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

/* FNV-1a over the label text. */
static uint64_t labels_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Rebuild the index with room for twice the series. 0 or -ENOMEM. */
static int index_grow(struct family *f)
{
	size_t cap = f->index_cap ? f->index_cap * 2 : 16;
	uint32_t *index = calloc(cap, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_series; i++) {
		size_t slot = f->series[i].hash & (cap - 1);

		while (index[slot])
			slot = (slot + 1) & (cap - 1);
		index[slot] = (uint32_t)i + 1;
	}
	free(f->index);
	f->index = index;
	f->index_cap = cap;
	return 0;
}

/* Append a new series; NULL on ENOMEM. */
static struct series *series_add(struct family *f, const char *labels, uint64_t hash)
{
	struct series *s;

	if (f->n_series == f->cap_series) {
		size_t cap = f->cap_series ? f->cap_series * 2 : 4;
		struct series *grown = reallocarray(f->series, cap, sizeof(*grown));

		if (!grown)
			return NULL;
		f->series = grown;
		f->cap_series = cap;
	}
	/* Keep the index at most half full. */
	if ((f->n_series + 1) * 2 > f->index_cap && index_grow(f) < 0)
		return NULL;
	s = &f->series[f->n_series];
	memset(s, 0, sizeof(*s));
	s->hash = hash;
	s->labels = strdup(labels);
	if (f->kind == FAM_HISTOGRAM)
		s->slots = calloc(f->n_slots, sizeof(*s->slots));
	if (!s->labels || (f->kind == FAM_HISTOGRAM && !s->slots)) {
		free(s->labels);
		free(s->slots);
		return NULL;
	}
	f->n_series++;
	return s;
}

struct series *family_series(struct family *f, const char *labels, size_t max_series, int *err)
{
	uint64_t hash = labels_hash(labels);
	struct series *s;
	size_t slot;

	*err = 0;
	if (f->index_cap) {
		for (slot = hash & (f->index_cap - 1); f->index[slot];
		     slot = (slot + 1) & (f->index_cap - 1)) {
			s = &f->series[f->index[slot] - 1];
			if (s->hash == hash && !strcmp(s->labels, labels))
				return s;
		}
	}
	if (f->n_series >= max_series) {
		f->overflow++;
		return NULL;
	}
	s = series_add(f, labels, hash);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	/* The index may have been rebuilt: find the free slot again. */
	for (slot = hash & (f->index_cap - 1); f->index[slot]; slot = (slot + 1) & (f->index_cap - 1))
		;
	f->index[slot] = (uint32_t)f->n_series;
	return s;
}

void family_release(struct family *f)
{
	for (size_t i = 0; i < f->n_series; i++) {
		free(f->series[i].labels);
		free(f->series[i].slots);
	}
	free(f->series);
	free(f->index);
	free(f->name);
	free(f->help);
	memset(f, 0, sizeof(*f));
}
