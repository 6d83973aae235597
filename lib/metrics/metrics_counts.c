/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The eunomia_kernel_drops_total and eunomia_decode_errors_total counters:
 * totals per tracker name, grown by what each tracker instance's own
 * counters grew by. Summing the instances alive at each scrape would make
 * a Prometheus counter go down when one is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

/* The totals of tracker name, added if new; NULL on ENOMEM. */
static struct tracker_counts *counts_of(struct eun_metrics *m, const char *tracker)
{
	struct tracker_counts *grown;

	for (size_t i = 0; i < m->n_counts; i++)
		if (!strcmp(m->counts[i].tracker, tracker))
			return &m->counts[i];
	grown = reallocarray(m->counts, m->n_counts + 1, sizeof(*grown));
	if (!grown)
		return NULL;
	m->counts = grown;
	grown[m->n_counts] = (struct tracker_counts){ .tracker = tracker };
	return &grown[m->n_counts++];
}

/* What tracker t read at the last refresh, added (as zeros) if new; NULL on ENOMEM. */
static struct tracker_seen *seen_of(struct eun_metrics *m, const struct eun_tracker *t)
{
	struct tracker_seen *grown;

	for (size_t i = 0; i < m->n_seen; i++)
		if (m->seen[i].t == t)
			return &m->seen[i];
	grown = reallocarray(m->seen, m->n_seen + 1, sizeof(*grown));
	if (!grown)
		return NULL;
	m->seen = grown;
	grown[m->n_seen] = (struct tracker_seen){ .t = t };
	return &grown[m->n_seen++];
}

/* How much a counter grew from before to now; a smaller value is a new
 * instance at a reused address, counted from 0. */
static uint64_t grew_by(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : now;
}

/* Forget the trackers that were not in the ctx at this refresh. */
static void forget_gone(struct eun_metrics *m)
{
	size_t kept = 0;

	for (size_t i = 0; i < m->n_seen; i++)
		if (m->seen[i].alive)
			m->seen[kept++] = m->seen[i];
	m->n_seen = kept;
}

int metrics_counts_refresh(struct eun_metrics *m)
{
	int err = 0;

	for (size_t i = 0; i < m->n_seen; i++)
		m->seen[i].alive = false;
	for (size_t i = 0; !err && i < eun_tracker_count(m->ctx); i++) {
		const struct eun_tracker *t = eun_tracker_at(m->ctx, i);
		EUN_OPTS(eun_tracker_stats, st);
		struct tracker_counts *c = counts_of(m, eun_tracker_name(t));
		struct tracker_seen *s = c ? seen_of(m, t) : NULL;

		if (!s)
			return set_error(ENOMEM, "out of memory");
		if ((err = eun_tracker_stats(t, &st)))
			break;
		c->kernel_drops += grew_by(st.kernel_drops, s->kernel_drops);
		c->decode_errors += grew_by(st.decode_errors, s->decode_errors);
		s->kernel_drops = st.kernel_drops;
		s->decode_errors = st.decode_errors;
		s->alive = true;
	}
	forget_gone(m);
	return err;
}
