/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The registry in the Prometheus text exposition format, version 0.0.4. */
#include <inttypes.h>

#include "metrics/metrics.h"

static const char *const kind_names[] = {
	[FAM_COUNTER] = "counter",
	[FAM_GAUGE] = "gauge",
	[FAM_HISTOGRAM] = "histogram",
};

/* The # HELP and # TYPE lines of a family. */
static void put_header(struct outbuf *o, const char *name, const char *help, enum family_kind kind)
{
	outbuf_printf(o, "# HELP %s ", name);
	metrics_put_help(o, help);
	outbuf_printf(o, "\n# TYPE %s %s\n", name, kind_names[kind]);
}

/* name{labels} or name{labels,extra} or name when both are empty, then a space. */
static void put_sample_name(struct outbuf *o, const char *name, const char *suffix,
			    const char *labels, const char *extra)
{
	outbuf_printf(o, "%s%s", name, suffix);
	if (*labels || extra) {
		outbuf_printf(o, "{%s%s", labels, *labels && extra ? "," : "");
		if (extra)
			outbuf_puts(o, extra);
		outbuf_putc(o, '}');
	}
	outbuf_putc(o, ' ');
}

/* The _bucket, _sum and _count lines of one histogram series. */
static void put_histogram(struct outbuf *o, const struct family *f, const struct series *s)
{
	uint64_t cumulative = 0;

	for (size_t i = 0; i < f->n_slots; i++) {
		struct outbuf le;
		char bound[64];

		cumulative += s->slots[i];
		outbuf_init(&le, bound, sizeof(bound));
		outbuf_puts(&le, "le=\"");
		metrics_put_double(&le, (double)slot_upper_bound(i) * f->conv.mul / f->conv.div);
		outbuf_putc(&le, '"');
		outbuf_finish(&le);
		put_sample_name(o, f->name, "_bucket", s->labels, bound);
		outbuf_printf(o, "%" PRIu64 "\n", cumulative);
	}
	put_sample_name(o, f->name, "_bucket", s->labels, "le=\"+Inf\"");
	outbuf_printf(o, "%" PRIu64 "\n", s->value);
	put_sample_name(o, f->name, "_sum", s->labels, NULL);
	metrics_put_value(o, &f->conv, s->sum, false);
	outbuf_putc(o, '\n');
	put_sample_name(o, f->name, "_count", s->labels, NULL);
	outbuf_printf(o, "%" PRIu64 "\n", s->value);
}

/* Every series of family f (its header is written by the caller). */
static void put_series(struct outbuf *o, const struct family *f)
{
	bool is_signed = f->field && field_is_signed(f->field);

	for (size_t i = 0; i < f->n_series; i++) {
		const struct series *s = &f->series[i];

		if (f->kind == FAM_HISTOGRAM) {
			put_histogram(o, f, s);
			continue;
		}
		put_sample_name(o, f->name, "", s->labels, NULL);
		metrics_put_value(o, &f->conv, s->value, f->kind == FAM_GAUGE && is_signed);
		outbuf_putc(o, '\n');
	}
}

/* eunomia_kernel_drops_total or eunomia_decode_errors_total, per tracker. */
static void put_tracker_counts(struct outbuf *o, const struct eun_metrics *m, bool drops)
{
	const char *name = drops ? "eunomia_kernel_drops_total" : "eunomia_decode_errors_total";

	put_header(o, name, drops ? "Records lost in the kernel because the ring buffer was full"
				  : "Samples refused as malformed", FAM_COUNTER);
	for (size_t i = 0; i < m->n_counts; i++) {
		outbuf_printf(o, "%s{tracker=\"", name);
		metrics_put_label_value(o, m->counts[i].tracker, strlen(m->counts[i].tracker));
		outbuf_printf(o, "\"} %" PRIu64 "\n",
			      drops ? m->counts[i].kernel_drops : m->counts[i].decode_errors);
	}
}

/* eunomia_series_overflow_total per family that refused series. */
static void put_overflow(struct outbuf *o, const struct eun_metrics *m)
{
	uint64_t events = 0;

	put_header(o, "eunomia_series_overflow_total",
		   "Observations not recorded because their metric reached the series limit",
		   FAM_COUNTER);
	for (size_t e = 0; e < m->n_events; e++)
		events += m->events[e]->events.overflow;
	if (events)
		outbuf_printf(o, "eunomia_series_overflow_total{metric=\"eunomia_events_total\"} %"
			      PRIu64 "\n", events);
	for (size_t e = 0; e < m->n_events; e++) {
		for (size_t i = 0; i < m->events[e]->n_fields; i++) {
			const struct family *f = m->events[e]->fields[i];

			if (f->overflow)
				outbuf_printf(o, "eunomia_series_overflow_total{metric=\"%s\"} %"
					      PRIu64 "\n", f->name, f->overflow);
		}
	}
}

void metrics_render_locked(struct eun_metrics *m, struct outbuf *o)
{
	unsigned major, minor;

	eun_plugin_abi_version(&major, &minor);
	put_header(o, "eunomia_build_info", "libeunomia version and plugin ABI; always 1", FAM_GAUGE);
	outbuf_puts(o, "eunomia_build_info{version=\"");
	metrics_put_label_value(o, eun_version(), strlen(eun_version()));
	outbuf_printf(o, "\",plugin_abi=\"%u.%u\"} 1\n", major, minor);

	put_header(o, "eunomia_events_total", "Events delivered, by tracker, event type and key fields",
		   FAM_COUNTER);
	for (size_t e = 0; e < m->n_events; e++)
		put_series(o, &m->events[e]->events);
	put_tracker_counts(o, m, true);
	put_tracker_counts(o, m, false);
	put_overflow(o, m);

	for (size_t e = 0; e < m->n_events; e++) {
		for (size_t i = 0; i < m->events[e]->n_fields; i++) {
			const struct family *f = m->events[e]->fields[i];

			put_header(o, f->name, f->help, f->kind);
			put_series(o, f);
		}
	}
	for (size_t i = 0; i < m->n_own; i++) {
		put_header(o, m->own[i]->name, m->own[i]->help, m->own[i]->kind);
		put_series(o, m->own[i]);
	}
}

int eun_metrics_render(struct eun_metrics *m, char *buf, size_t size)
{
	struct outbuf o;

	clear_error();
	if (!m || (!buf && size))
		return set_error(EINVAL, "eun_metrics_render: m must not be NULL, nor buf unless size is 0");
	outbuf_init(&o, buf, size);
	pthread_mutex_lock(&m->lock);
	metrics_render_locked(m, &o);
	pthread_mutex_unlock(&m->lock);
	return outbuf_finish(&o);
}
