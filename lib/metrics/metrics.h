/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The Prometheus metrics registry: families derived from the schemas, fed
 * as a listener on a context's bus, rendered and served over HTTP. Above
 * the core: it reads trackers through the public API. Shared by
 * lib/metrics/; never installed. */
#ifndef EUNOMIA_METRICS_INTERNAL_H
#define EUNOMIA_METRICS_INTERNAL_H

#include <pthread.h>

#include "event/event.h"

#define METRICS_DEFAULT_MAX_SERIES 1000

enum family_kind {
	FAM_COUNTER,
	FAM_GAUGE,
	FAM_HISTOGRAM,
};

/* How a raw field value becomes a value in the metric's base unit:
 * raw * mul / div, named by suffix ("seconds", "bytes"; NULL: unitless). */
struct unit_conv {
	const char *suffix;
	double mul, div;
};

/* One label combination of a family and its value. */
struct series {
	char *labels;    /* escaped name="value" pairs without braces, "" for none */
	uint64_t hash;
	uint64_t value;  /* counter: sum of raw deltas; gauge: raw bits of the last value;
			  * histogram: number of observations */
	uint64_t sum;    /* histogram: sum of raw values */
	uint64_t *slots; /* histogram: n_slots non-cumulative counts */
};

/* One metric family (one name) fed by one field of one event type, or the
 * events of one event type. Families with the same name (events_total of
 * every event type) are rendered together. */
struct family {
	char *name;                        /* full name; counters end in _total */
	char *help;
	enum family_kind kind;
	struct unit_conv conv;
	const struct eun_field *field;     /* NULL: counts events */
	const struct eun_field *sum_field; /* histogram: "<name>_sum" */
	size_t n_slots;                    /* histogram */
	struct series *series;             /* n_series, in creation order */
	size_t n_series, cap_series;
	uint32_t *index;                   /* open addressing: series index + 1, 0 = free */
	size_t index_cap;                  /* power of two */
	uint64_t overflow;                 /* observations refused by the series cap */
};

/* Where the value of one label comes from. */
struct label_src {
	char *name;                    /* label name */
	const struct eun_field *field; /* a field of the event type, or NULL: */
	int header;                    /* enum header_field */
};

/* Everything derived from one event type of one tracker. */
struct event_metrics {
	const char *tracker;            /* plugin name, owned by the plugin */
	const struct eun_event_type *et;
	struct label_src *labels;       /* n_labels: key fields, then extra ones */
	size_t n_labels;
	char *events_labels;            /* tracker="..",event=".." */
	struct family events;           /* eunomia_events_total */
	struct family **fields;         /* n_fields families of COUNTER/GAUGE/HIST fields */
	size_t n_fields;
};

/* Counters of one tracker name, summed over its instances. */
struct tracker_counts {
	const char *tracker; /* plugin name, owned by the plugin */
	uint64_t kernel_drops, decode_errors;
};

/* One tracker's own counters as the last refresh read them. */
struct tracker_seen {
	const struct eun_tracker *t;
	uint64_t kernel_drops, decode_errors;
	bool alive; /* in the ctx at this refresh */
};

/* An extra label field asked for in the opts. */
struct extra_label {
	char *tracker;
	char *field;
};

struct metrics_http;

struct eun_metrics {
	struct eun_ctx *ctx;
	pthread_mutex_t lock;          /* guards everything below against the HTTP thread */
	size_t max_series;
	struct extra_label *extra;
	size_t n_extra;
	struct event_metrics **events; /* n_events, in order of first sight */
	size_t n_events;
	struct tracker_counts *counts; /* n_counts, totals per tracker name */
	size_t n_counts;
	struct tracker_seen *seen;     /* n_seen, per tracker of the ctx */
	size_t n_seen;
	char *scratch;                 /* label text being built */
	size_t scratch_cap;
	struct metrics_http *http;     /* while serving */
	struct eun_listener *listener; /* eun_metrics_attach(), else NULL */
	uint64_t start_ns;             /* epoch ns at eun_metrics_new(): counting starts */
	struct family **own;           /* n_own label-less families set by the embedder */
	size_t n_own;
};

/* The upper bound of log2 slot i in raw units: slot i holds [2^i, 2^(i+1)),
 * integers, so its largest value is 2^(i+1) - 1. */
static inline uint64_t slot_upper_bound(size_t i)
{
	return i >= 63 ? UINT64_MAX : (UINT64_C(1) << (i + 1)) - 1;
}

/* ---- naming and units (metrics_naming.c) ---- */

/* Conversion of values in `unit` (NULL: none) to Prometheus base units. */
EUN_HIDDEN struct unit_conv metrics_unit_conv(const char *unit);
/* Metric name for field f of event type et of tracker: eunomia_TRACKER_EVENT_FIELD,
 * a unit suffix, "_total" for counters. Allocated; NULL on ENOMEM. */
EUN_HIDDEN char *metrics_field_name(const char *tracker, const struct eun_event_type *et,
				    const struct eun_field *f, enum family_kind kind);
/* Label name for field name `name`: itself, or "field_NAME" when it is
 * reserved (tracker, event, le, quantile, metric) or not a valid label name. Allocated. */
EUN_HIDDEN char *metrics_label_name(const char *name);
/* Append a label value: backslash, double quote and newline escaped,
 * invalid UTF-8 replaced by U+FFFD. */
EUN_HIDDEN void metrics_put_label_value(struct outbuf *o, const char *s, size_t n);
/* Append text for a HELP line: backslash and newline escaped. */
EUN_HIDDEN void metrics_put_help(struct outbuf *o, const char *s);
/* Append a sample value: an exact integer, or the shortest text that reads back as v. */
EUN_HIDDEN void metrics_put_double(struct outbuf *o, double v);
/* Append raw converted by conv; signed raw values are read as int64_t. */
EUN_HIDDEN void metrics_put_value(struct outbuf *o, const struct unit_conv *conv, uint64_t raw,
				  bool is_signed);

/* ---- series (metrics_series.c) ---- */

/* The series of f with these labels, created if the cap allows; NULL when
 * the cap refuses it (counted in f->overflow) or on ENOMEM (*err set). */
EUN_HIDDEN struct series *family_series(struct family *f, const char *labels, size_t max_series,
					int *err);
/* Free the series and names of f (not f itself). */
EUN_HIDDEN void family_release(struct family *f);

/* ---- exposition (metrics_render.c) ---- */

/* Append the whole registry in text format 0.0.4; call with m->lock held. */
EUN_HIDDEN void metrics_render_locked(struct eun_metrics *m, struct outbuf *o);

/* ---- families (metrics_registry.c) ---- */

/* True if a family of m, or of em (NULL: none) that is being added, has
 * this name, or the registry keeps it for itself; m->lock held. */
EUN_HIDDEN bool metrics_name_taken(const struct eun_metrics *m, const struct event_metrics *em,
				   const char *name);

/* ---- the embedder's own metrics (metrics_own.c) ---- */

/* The embedder's family called name, or NULL; m->lock held. */
EUN_HIDDEN struct family *metrics_own_find(const struct eun_metrics *m, const char *name);
/* Free them all. */
EUN_HIDDEN void metrics_own_free(struct eun_metrics *m);

/* ---- HTTP server (metrics_http.c) ---- */

/* Stop the server and free it. */
EUN_HIDDEN void metrics_http_stop(struct metrics_http *h);

/* ---- per-tracker counters (metrics_counts.c); m->lock held ---- */

/* Add what each tracker's kernel drops and decode errors grew by since the
 * last call to its name's totals, which so never go down, also when
 * trackers come and go. 0 or -ENOMEM (error text set). */
EUN_HIDDEN int metrics_counts_refresh(struct eun_metrics *m);

/* ---- the registry as a listener (metrics_listener.c) ---- */

/* Detach the registry from its context's bus if eun_metrics_attach() attached it. */
EUN_HIDDEN void metrics_detach(struct eun_metrics *m);

#endif /* EUNOMIA_METRICS_INTERNAL_H */
