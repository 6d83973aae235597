/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * eun_metrics_walk(): every series of the registry as typed values, with
 * its labels split back into names and values, for exporters that do not
 * speak the Prometheus text format (OTLP). Same order as the exposition.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

/* What one walk builds for each series it hands over. */
struct walk {
	struct eun_metrics *m;
	eun_metrics_walk_fn fn;
	void *cookie;
	struct eun_metric_label *labels; /* cap_labels */
	size_t cap_labels;
	char *text;                      /* unescaped label names and values */
	size_t cap_text;
	double *bounds;                  /* cap_buckets - 1 */
	uint64_t *counts;                /* cap_buckets */
	size_t cap_buckets;
};

/* Make room for n labels and `text` bytes of their unescaped text. 0 or -ENOMEM. */
static int walk_reserve_labels(struct walk *w, size_t n, size_t text)
{
	if (n > w->cap_labels) {
		struct eun_metric_label *grown = reallocarray(w->labels, n, sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		w->labels = grown;
		w->cap_labels = n;
	}
	if (text > w->cap_text) {
		char *grown = realloc(w->text, text);

		if (!grown)
			return -ENOMEM;
		w->text = grown;
		w->cap_text = text;
	}
	return 0;
}

/* Split escaped label text (name="value",... as the series keep it, or
 * "") into w->labels. Returns the number of labels or -ENOMEM. */
static int walk_split_labels(struct walk *w, const char *s)
{
	size_t n = 0, max = 1;
	char *out;

	for (const char *c = s; *c; c++)
		max += *c == '=';
	if (walk_reserve_labels(w, max, strlen(s) + 1) < 0)
		return -ENOMEM;
	out = w->text;
	while (*s) {
		w->labels[n].name = out;
		while (*s && *s != '=')
			*out++ = *s++;
		*out++ = '\0';
		s += *s ? 2 : 0; /* =" */
		w->labels[n].value = out;
		for (; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1]) {
				s++;
				*out++ = *s == 'n' ? '\n' : *s;
			} else {
				*out++ = *s;
			}
		}
		*out++ = '\0';
		s += *s ? 1 : 0; /* closing quote */
		s += *s == ',';
		n++;
	}
	return (int)n;
}

/* Room for n buckets. 0 or -ENOMEM. */
static int walk_reserve_buckets(struct walk *w, size_t n)
{
	double *bounds;
	uint64_t *counts;

	if (n <= w->cap_buckets)
		return 0;
	bounds = reallocarray(w->bounds, n, sizeof(*bounds));
	if (bounds)
		w->bounds = bounds;
	counts = reallocarray(w->counts, n, sizeof(*counts));
	if (counts)
		w->counts = counts;
	if (!bounds || !counts)
		return -ENOMEM;
	w->cap_buckets = n;
	return 0;
}

/* Fill value, value_int and is_int from a raw value and its conversion. */
static void put_number(struct eun_metric_series *out, const struct unit_conv *conv, uint64_t raw,
		       bool is_signed)
{
	bool exact = conv->mul == 1 && conv->div == 1;

	out->value = (is_signed ? (double)(int64_t)raw : (double)raw) * conv->mul / conv->div;
	out->is_int = exact && (is_signed || raw <= INT64_MAX);
	out->value_int = out->is_int ? (int64_t)raw : 0;
}

/* Hand series s of family f, described by help, to the callback. */
static int walk_series(struct walk *w, const struct family *f, const char *help,
		       const struct series *s)
{
	struct eun_metric_series out = {
		.sz = sizeof(out),
		.name = f->name,
		.help = help,
		.unit = f->conv.suffix,
		.start_time_ns = w->m->start_ns,
	};
	int n = walk_split_labels(w, s->labels);

	if (n < 0)
		return n;
	out.labels = w->labels;
	out.n_labels = (size_t)n;
	switch (f->kind) {
	case FAM_COUNTER:
	case FAM_GAUGE:
		out.kind = f->kind == FAM_COUNTER ? EUN_METRIC_COUNTER : EUN_METRIC_GAUGE;
		put_number(&out, &f->conv, s->value,
			   f->kind == FAM_GAUGE && f->field && field_is_signed(f->field));
		break;
	case FAM_HISTOGRAM:
		if (walk_reserve_buckets(w, f->n_slots + 1) < 0)
			return -ENOMEM;
		out.kind = EUN_METRIC_HISTOGRAM;
		for (size_t i = 0; i < f->n_slots; i++) {
			w->bounds[i] = (double)slot_upper_bound(i) * f->conv.mul / f->conv.div;
			w->counts[i] = s->slots[i];
		}
		w->counts[f->n_slots] = 0; /* the slots cover every value */
		out.n_buckets = f->n_slots + 1;
		out.upper_bounds = w->bounds;
		out.bucket_counts = w->counts;
		out.count = s->value;
		out.sum = (double)s->sum * f->conv.mul / f->conv.div;
		break;
	}
	return w->fn(&out, w->cookie);
}

/* Every series of family f; help NULL: the family's own. */
static int walk_family(struct walk *w, const struct family *f, const char *help)
{
	int err = 0;

	for (size_t i = 0; !err && i < f->n_series; i++)
		err = walk_series(w, f, help ? help : f->help, &f->series[i]);
	return err;
}

/* A series the registry makes up while rendering (build info, tracker
 * counts, overflow): one label, or two for build info. */
static int walk_fixed(struct walk *w, const char *name, const char *help, enum eun_metric_kind kind,
		      const struct eun_metric_label *labels, size_t n_labels, uint64_t value)
{
	struct eun_metric_series out = {
		.sz = sizeof(out),
		.name = name,
		.help = help,
		.kind = kind,
		.labels = labels,
		.n_labels = n_labels,
		.value = (double)value,
		.value_int = (int64_t)value,
		.is_int = value <= INT64_MAX,
		.start_time_ns = w->m->start_ns,
	};

	return w->fn(&out, w->cookie);
}

static int walk_build_info(struct walk *w)
{
	unsigned major, minor;
	char abi[32];
	struct eun_metric_label labels[2] = {
		{ "version", eun_version() },
		{ "plugin_abi", abi },
	};

	eun_plugin_abi_version(&major, &minor);
	snprintf(abi, sizeof(abi), "%u.%u", major, minor);
	return walk_fixed(w, "eunomia_build_info", "libeunomia version and plugin ABI; always 1",
			  EUN_METRIC_GAUGE, labels, 2, 1);
}

static int walk_tracker_counts(struct walk *w, bool drops)
{
	int err = 0;

	for (size_t i = 0; !err && i < w->m->n_counts; i++) {
		const struct tracker_counts *c = &w->m->counts[i];
		struct eun_metric_label l = { "tracker", c->tracker };

		err = drops ? walk_fixed(w, "eunomia_kernel_drops_total",
					 "Records lost in the kernel because the ring buffer was full",
					 EUN_METRIC_COUNTER, &l, 1, c->kernel_drops)
			    : walk_fixed(w, "eunomia_decode_errors_total", "Samples refused as malformed",
					 EUN_METRIC_COUNTER, &l, 1, c->decode_errors);
	}
	return err;
}

static int walk_overflow(struct walk *w)
{
	static const char help[] =
		"Observations not recorded because their metric reached the series limit";
	const struct eun_metrics *m = w->m;
	uint64_t events = 0;
	int err = 0;

	for (size_t e = 0; e < m->n_events; e++)
		events += m->events[e]->events.overflow;
	if (events) {
		struct eun_metric_label l = { "metric", "eunomia_events_total" };

		err = walk_fixed(w, "eunomia_series_overflow_total", help, EUN_METRIC_COUNTER, &l, 1,
				 events);
	}
	for (size_t e = 0; !err && e < m->n_events; e++) {
		for (size_t i = 0; !err && i < m->events[e]->n_fields; i++) {
			const struct family *f = m->events[e]->fields[i];
			struct eun_metric_label l = { "metric", f->name };

			if (f->overflow)
				err = walk_fixed(w, "eunomia_series_overflow_total", help,
						 EUN_METRIC_COUNTER, &l, 1, f->overflow);
		}
	}
	return err;
}

/* The whole registry, in render order; m->lock held. */
static int walk_locked(struct walk *w)
{
	const struct eun_metrics *m = w->m;
	int err = walk_build_info(w);

	for (size_t e = 0; !err && e < m->n_events; e++)
		err = walk_family(w, &m->events[e]->events,
				  "Events delivered, by tracker, event type and key fields");
	if (!err)
		err = walk_tracker_counts(w, true);
	if (!err)
		err = walk_tracker_counts(w, false);
	if (!err)
		err = walk_overflow(w);
	for (size_t e = 0; !err && e < m->n_events; e++)
		for (size_t i = 0; !err && i < m->events[e]->n_fields; i++)
			err = walk_family(w, m->events[e]->fields[i], NULL);
	for (size_t i = 0; !err && i < m->n_own; i++)
		err = walk_family(w, m->own[i], NULL);
	return err;
}

int eun_metrics_walk(struct eun_metrics *m, eun_metrics_walk_fn fn, void *cookie)
{
	struct walk w = { .m = m, .fn = fn, .cookie = cookie };
	int err;

	clear_error();
	if (!m || !fn)
		return set_error(EINVAL, "eun_metrics_walk: m and fn must not be NULL");
	pthread_mutex_lock(&m->lock);
	err = walk_locked(&w);
	pthread_mutex_unlock(&m->lock);
	free(w.labels);
	free(w.text);
	free(w.bounds);
	free(w.counts);
	if (err == -ENOMEM)
		return set_error(ENOMEM, "out of memory");
	return err;
}
