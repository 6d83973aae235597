/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The metrics registry: families derived from schemas, fed by events and tracker counters. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics/metrics.h"

#define EVENTS_TOTAL "eunomia_events_total"

/* Names the registry itself renders; no field family may take them. */
static const char *const fixed_names[] = {
	"eunomia_build_info", EVENTS_TOTAL, "eunomia_kernel_drops_total",
	"eunomia_decode_errors_total", "eunomia_series_overflow_total",
};

static const char *plugin_name_at(const void *ctx, size_t i)
{
	return eun_plugin_name(eun_plugin_at(ctx, i));
}

/* True if field k of event type i of p is usable as a label and no earlier
 * event type of p has a field of its name. */
static bool first_label_field(const struct eun_plugin *p, size_t i, uint32_t k)
{
	const struct eun_field *f = &eun_plugin_event_type(p, i)->fields[k];

	if (f->type == EUN_FIELD_HIST_LOG2)
		return false;
	for (size_t j = 0; j < i; j++) {
		const struct eun_event_type *et = eun_plugin_event_type(p, j);

		for (uint32_t n = 0; n < et->n_fields; n++)
			if (!strcmp(et->fields[n].name, f->name))
				return false;
	}
	return true;
}

/* The fields of p's events usable as labels, "a, b, c", into buf (truncated to size). */
static void label_fields_of(const struct eun_plugin *p, char *buf, size_t size)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	for (size_t i = 0; i < eun_plugin_event_type_count(p); i++) {
		const struct eun_event_type *et = eun_plugin_event_type(p, i);

		for (uint32_t k = 0; k < et->n_fields; k++) {
			if (!first_label_field(p, i, k))
				continue;
			if (o.len)
				outbuf_puts(&o, ", ");
			outbuf_puts(&o, et->fields[k].name);
		}
	}
	outbuf_finish(&o);
}

/* Split "TRACKER.FIELD" into e and check it against the plugins of ctx. 0 or -EINVAL. */
static int extra_label_parse(struct eun_ctx *ctx, const char *spec, struct extra_label *e)
{
	const char *dot = spec ? strchr(spec, '.') : NULL;
	const struct eun_plugin *p;
	char names[512];
	bool found;

	if (!dot || dot == spec || !dot[1])
		return set_error(EINVAL, "metrics label field '%s' is not TRACKER.FIELD; "
				 "give it as e.g. \"tcp.daddr\"", spec ? spec : "(null)");
	e->tracker = strndup(spec, (size_t)(dot - spec));
	e->field = strdup(dot + 1);
	if (!e->tracker || !e->field)
		return set_error(ENOMEM, "out of memory");
	p = eun_plugin_find(ctx, e->tracker);
	if (!p) {
		join_names(names, sizeof(names), plugin_name_at, ctx, eun_plugin_count(ctx), "none");
		return set_error(EINVAL, "metrics label field '%s': no tracker '%s' is loaded; "
				 "loaded: %s", spec, e->tracker, names);
	}
	found = header_field_index(e->field) >= 0;
	for (size_t i = 0; !found && i < eun_plugin_event_type_count(p); i++) {
		const struct eun_event_type *et = eun_plugin_event_type(p, i);

		for (uint32_t k = 0; !found && k < et->n_fields; k++)
			found = !strcmp(et->fields[k].name, e->field) &&
				et->fields[k].type != EUN_FIELD_HIST_LOG2;
	}
	if (!found) {
		label_fields_of(p, names, sizeof(names));
		return set_error(EINVAL, "metrics label field '%s': tracker '%s' has no field '%s'; "
				 "its fields: %s, or a header column (pid, comm, ...)", spec,
				 e->tracker, e->field, names[0] ? names : "none");
	}
	return 0;
}

static void extra_labels_free(struct eun_metrics *m)
{
	for (size_t i = 0; i < m->n_extra; i++) {
		free(m->extra[i].tracker);
		free(m->extra[i].field);
	}
	free(m->extra);
}

static void event_metrics_free(struct event_metrics *em)
{
	for (size_t i = 0; i < em->n_labels; i++)
		free(em->labels[i].name);
	free(em->labels);
	for (size_t i = 0; i < em->n_fields; i++) {
		family_release(em->fields[i]);
		free(em->fields[i]);
	}
	free(em->fields);
	family_release(&em->events);
	free(em->events_labels);
	free(em);
}

struct eun_metrics *eun_metrics_new(struct eun_ctx *ctx, const struct eun_metrics_opts *opts)
{
	struct eun_metrics *m;
	size_t n_extra = OPTS_GET(opts, n_label_fields, 0);
	struct timespec now;
	int err;

	clear_error();
	if (!OPTS_VALID(opts, eun_metrics_opts)) {
		errno = EINVAL;
		return NULL;
	}
	if (!ctx || (n_extra && !OPTS_GET(opts, label_fields, NULL))) {
		errno = -set_error(EINVAL, "eun_metrics_new: ctx must not be NULL, nor label_fields "
				   "when n_label_fields is set");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m || pthread_mutex_init(&m->lock, NULL)) {
		free(m);
		errno = -set_error(ENOMEM, "out of memory");
		return NULL;
	}
	m->ctx = ctx;
	clock_gettime(CLOCK_REALTIME, &now);
	m->start_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	m->max_series = OPTS_GET(opts, max_series, 0) ?: METRICS_DEFAULT_MAX_SERIES;
	m->extra = calloc(n_extra ?: 1, sizeof(*m->extra));
	err = m->extra ? 0 : set_error(ENOMEM, "out of memory");
	for (size_t i = 0; !err && i < n_extra; i++) {
		m->n_extra++;
		err = extra_label_parse(ctx, opts->label_fields[i], &m->extra[i]);
	}
	if (!err)
		err = eun_metrics_refresh(m);
	if (err) {
		eun_metrics_free(m);
		errno = -err;
		return NULL;
	}
	return m;
}

void eun_metrics_free(struct eun_metrics *m)
{
	if (!m)
		return;
	metrics_detach(m);
	/* The server thread renders under the lock: stop it before freeing. */
	if (m->http)
		metrics_http_stop(m->http);
	for (size_t i = 0; i < m->n_events; i++)
		event_metrics_free(m->events[i]);
	free(m->events);
	free(m->counts);
	free(m->seen);
	free(m->scratch);
	metrics_own_free(m);
	extra_labels_free(m);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* Add a label source unless one of that name exists. 0 or -ENOMEM. */
static int add_label(struct event_metrics *em, const char *field_name, const struct eun_field *f,
		     int header)
{
	char *name = metrics_label_name(field_name);
	struct label_src *grown;

	if (!name)
		return -ENOMEM;
	for (size_t i = 0; i < em->n_labels; i++) {
		if (!strcmp(em->labels[i].name, name)) {
			free(name);
			return 0;
		}
	}
	grown = reallocarray(em->labels, em->n_labels + 1, sizeof(*grown));
	if (!grown) {
		free(name);
		return -ENOMEM;
	}
	em->labels = grown;
	grown[em->n_labels++] = (struct label_src){ .name = name, .field = f, .header = header };
	return 0;
}

/* Labels of an event type: its KEY fields, then the extra fields asked for
 * this tracker that the event type has (or header columns). 0 or -ENOMEM. */
static int event_labels(struct eun_metrics *m, struct event_metrics *em)
{
	const struct eun_event_type *et = em->et;
	int err = 0;

	for (uint32_t i = 0; !err && i < et->n_fields; i++)
		if ((et->fields[i].flags & EUN_FIELD_F_KEY) && et->fields[i].type != EUN_FIELD_HIST_LOG2)
			err = add_label(em, et->fields[i].name, &et->fields[i], 0);
	for (size_t x = 0; !err && x < m->n_extra; x++) {
		const struct extra_label *e = &m->extra[x];
		const struct eun_field *f = NULL;

		if (strcmp(e->tracker, em->tracker))
			continue;
		for (uint32_t i = 0; !f && i < et->n_fields; i++)
			if (!strcmp(et->fields[i].name, e->field) &&
			    et->fields[i].type != EUN_FIELD_HIST_LOG2)
				f = &et->fields[i];
		if (f)
			err = add_label(em, f->name, f, 0);
		else if (header_field_index(e->field) >= 0)
			err = add_label(em, e->field, NULL, header_field_index(e->field));
	}
	return err;
}

bool metrics_name_taken(const struct eun_metrics *m, const struct event_metrics *em, const char *name)
{
	for (size_t i = 0; i < sizeof(fixed_names) / sizeof(fixed_names[0]); i++)
		if (!strcmp(fixed_names[i], name))
			return true;
	if (metrics_own_find(m, name))
		return true;
	for (size_t e = 0; e < m->n_events + (em != NULL); e++) {
		const struct event_metrics *other = e < m->n_events ? m->events[e] : em;

		for (size_t i = 0; i < other->n_fields; i++)
			if (!strcmp(other->fields[i]->name, name))
				return true;
	}
	return false;
}

/* The "<name>_sum" U64 field a histogram field needs, or NULL. */
static const struct eun_field *hist_sum_field(const struct eun_event_type *et, const struct eun_field *h)
{
	size_t len = strlen(h->name);

	for (uint32_t i = 0; i < et->n_fields; i++) {
		const struct eun_field *f = &et->fields[i];

		if (f->type == EUN_FIELD_U64 && !strncmp(f->name, h->name, len) &&
		    !strcmp(f->name + len, "_sum"))
			return f;
	}
	return NULL;
}

/* True if f is the "<name>_sum" of a histogram of et: the histogram's _sum shows it. */
static bool is_hist_sum(const struct eun_event_type *et, const struct eun_field *f)
{
	for (uint32_t i = 0; i < et->n_fields; i++)
		if (et->fields[i].type == EUN_FIELD_HIST_LOG2 && hist_sum_field(et, &et->fields[i]) == f)
			return true;
	return false;
}

/* What family kind field f feeds, or -1 for none. */
static int field_kind(const struct eun_event_type *et, const struct eun_field *f)
{
	if (f->type == EUN_FIELD_HIST_LOG2)
		return hist_sum_field(et, f) ? FAM_HISTOGRAM : -1;
	if (!field_is_int(f) || is_hist_sum(et, f))
		return -1;
	if (f->flags & EUN_FIELD_F_COUNTER)
		return FAM_COUNTER;
	if (f->flags & EUN_FIELD_F_GAUGE)
		return FAM_GAUGE;
	return -1;
}

/* Create the family of field f. 0, or -ENOMEM. */
static int add_field_family(struct eun_metrics *m, struct event_metrics *em,
			    const struct eun_field *f, enum family_kind kind)
{
	struct family *fam = calloc(1, sizeof(*fam)), **grown;
	int n;

	if (!fam)
		return -ENOMEM;
	fam->kind = kind;
	fam->field = f;
	fam->conv = metrics_unit_conv(f->unit);
	fam->name = metrics_field_name(em->tracker, em->et, f, kind);
	if (kind == FAM_HISTOGRAM) {
		fam->sum_field = hist_sum_field(em->et, f);
		fam->n_slots = f->size / sizeof(uint64_t);
	}
	n = asprintf(&fam->help, "%s (tracker %s, event %s, field %s%s%s%s)",
		     f->description ? f->description : f->name, em->tracker, em->et->name, f->name,
		     f->unit ? ", from " : "", f->unit ? f->unit : "",
		     fam->conv.mul != 1 || fam->conv.div != 1 ? " converted" : "");
	if (n < 0)
		fam->help = NULL;
	if (!fam->name || !fam->help) {
		family_release(fam);
		free(fam);
		return -ENOMEM;
	}
	if (metrics_name_taken(m, em, fam->name)) {
		log_msg(EUN_LOG_WARN, "metrics: field '%s' of %s/%s would be named %s, which is taken; "
			"it is not exported (rename the field in the plugin)",
			f->name, em->tracker, em->et->name, fam->name);
		family_release(fam);
		free(fam);
		return 0;
	}
	grown = reallocarray(em->fields, em->n_fields + 1, sizeof(*grown));
	if (!grown) {
		family_release(fam);
		free(fam);
		return -ENOMEM;
	}
	em->fields = grown;
	grown[em->n_fields++] = fam;
	return 0;
}

/* Append the label text escaped for Prometheus to o. */
static void put_quoted(struct outbuf *o, const char *name, const char *value)
{
	outbuf_printf(o, "%s=\"", name);
	metrics_put_label_value(o, value, strlen(value));
	outbuf_putc(o, '"');
}

/* Fill the events family and its constant labels. 0 or -ENOMEM. */
static int events_family(struct event_metrics *em)
{
	struct outbuf o;
	int len;

	outbuf_init(&o, NULL, 0);
	put_quoted(&o, "tracker", em->tracker);
	outbuf_putc(&o, ',');
	put_quoted(&o, "event", em->et->name);
	len = outbuf_finish(&o);
	em->events_labels = malloc((size_t)len + 1);
	em->events.name = strdup(EVENTS_TOTAL);
	if (!em->events_labels || !em->events.name)
		return -ENOMEM;
	outbuf_init(&o, em->events_labels, (size_t)len + 1);
	put_quoted(&o, "tracker", em->tracker);
	outbuf_putc(&o, ',');
	put_quoted(&o, "event", em->et->name);
	outbuf_finish(&o);
	em->events.kind = FAM_COUNTER;
	em->events.conv = metrics_unit_conv(NULL);
	return 0;
}

/* The derived metrics of event type et of tracker, created on first use; NULL on ENOMEM. */
static struct event_metrics *metrics_event(struct eun_metrics *m, const char *tracker,
					   const struct eun_event_type *et)
{
	struct event_metrics *em, **grown;
	int err;

	for (size_t i = 0; i < m->n_events; i++)
		if (m->events[i]->et == et && !strcmp(m->events[i]->tracker, tracker))
			return m->events[i];
	em = calloc(1, sizeof(*em));
	if (!em)
		return NULL;
	em->tracker = tracker;
	em->et = et;
	err = event_labels(m, em);
	if (!err)
		err = events_family(em);
	for (uint32_t i = 0; !err && i < et->n_fields; i++) {
		int kind = field_kind(et, &et->fields[i]);

		if (kind >= 0)
			err = add_field_family(m, em, &et->fields[i], (enum family_kind)kind);
	}
	grown = err ? NULL : reallocarray(m->events, m->n_events + 1, sizeof(*grown));
	if (!grown) {
		event_metrics_free(em);
		return NULL;
	}
	m->events = grown;
	grown[m->n_events++] = em;
	return em;
}

/* Append the value of label l of ev, escaped. */
static void put_label_value(struct outbuf *o, const struct eun_event *ev, const struct label_src *l)
{
	char text[64];
	const char *str;
	int n;

	if (!l->field) {
		str = header_field_str(ev, l->header);
		if (str)
			metrics_put_label_value(o, str, strlen(str));
		else
			outbuf_printf(o, "%" PRIu64, header_field_num(ev, l->header));
		return;
	}
	if (l->field->type == EUN_FIELD_STR) {
		metrics_put_label_value(o, (const char *)ev->rec + l->field->offset,
					field_str_len(l->field, ev->rec));
		return;
	}
	n = field_format(l->field, ev->rec, text, sizeof(text));
	metrics_put_label_value(o, text, n < 0 ? 0 : strnlen(text, sizeof(text)));
}

/* Write into o: the events labels, then (after *keys_at) the key labels of ev. */
static void put_event_labels(struct outbuf *o, const struct event_metrics *em,
			     const struct eun_event *ev, size_t *keys_at)
{
	outbuf_puts(o, em->events_labels);
	if (em->n_labels)
		outbuf_putc(o, ',');
	*keys_at = o->len;
	for (size_t i = 0; i < em->n_labels; i++) {
		if (i)
			outbuf_putc(o, ',');
		outbuf_printf(o, "%s=\"", em->labels[i].name);
		put_label_value(o, ev, &em->labels[i]);
		outbuf_putc(o, '"');
	}
}

/* Build the label text of ev in m->scratch. 0 or -ENOMEM. */
static int build_labels(struct eun_metrics *m, const struct event_metrics *em,
			const struct eun_event *ev, size_t *keys_at)
{
	for (;;) {
		struct outbuf o;
		size_t need;
		char *grown;

		outbuf_init(&o, m->scratch, m->scratch_cap);
		put_event_labels(&o, em, ev, keys_at);
		need = o.len + 1;
		outbuf_finish(&o);
		if (need <= m->scratch_cap)
			return 0;
		grown = realloc(m->scratch, need);
		if (!grown)
			return -ENOMEM;
		m->scratch = grown;
		m->scratch_cap = need;
	}
}

/* Add what ev says to the series s of field family fam. */
static void family_observe(struct family *fam, struct series *s, const struct eun_event *ev)
{
	const uint64_t *slots;
	uint64_t v;
	size_t n;

	switch (fam->kind) {
	case FAM_COUNTER:
		v = field_read_u64(fam->field, ev->rec);
		/* A Prometheus counter never goes down: negative deltas are ignored. */
		if (!field_is_signed(fam->field) || (int64_t)v >= 0)
			s->value += v;
		break;
	case FAM_GAUGE:
		s->value = field_read_u64(fam->field, ev->rec);
		break;
	case FAM_HISTOGRAM:
		if (eun_event_get_hist(ev, (size_t)(fam->field - ev->type->fields), &slots, &n) < 0)
			break;
		for (size_t i = 0; i < n && i < fam->n_slots; i++) {
			s->slots[i] += slots[i];
			s->value += slots[i];
		}
		s->sum += field_read_u64(fam->sum_field, ev->rec);
		break;
	}
}

int eun_metrics_observe(struct eun_metrics *m, const struct eun_event *ev)
{
	struct event_metrics *em;
	struct series *s;
	size_t keys_at;
	int err = 0;

	clear_error();
	if (!m || !ev)
		return set_error(EINVAL, "eun_metrics_observe: m and ev must not be NULL");
	pthread_mutex_lock(&m->lock);
	em = metrics_event(m, eun_event_tracker_name(ev), ev->type);
	if (!em || build_labels(m, em, ev, &keys_at) < 0) {
		err = set_error(ENOMEM, "out of memory");
		goto out;
	}
	s = family_series(&em->events, m->scratch, m->max_series, &err);
	if (s)
		s->value++;
	for (size_t i = 0; !err && i < em->n_fields; i++) {
		s = family_series(em->fields[i], em->n_labels ? m->scratch + keys_at : "",
				  m->max_series, &err);
		if (s)
			family_observe(em->fields[i], s, ev);
	}
	if (err)
		err = set_error(-err, "out of memory");
out:
	pthread_mutex_unlock(&m->lock);
	return err;
}

/* Zero-valued event series for the label-less event types of tracker t,
 * so that rates start from 0 rather than from the first event. 0 or -errno. */
static int seed_events(struct eun_metrics *m, const struct eun_tracker *t)
{
	const struct eun_plugin *p = eun_tracker_plugin(t);
	int err = 0;

	for (size_t i = 0; !err && i < eun_plugin_event_type_count(p); i++) {
		struct event_metrics *em = metrics_event(m, eun_plugin_name(p),
							 eun_plugin_event_type(p, i));

		if (!em)
			return -ENOMEM;
		if (!em->n_labels && !em->events.n_series)
			family_series(&em->events, em->events_labels, m->max_series, &err);
	}
	return err;
}

int eun_metrics_refresh(struct eun_metrics *m)
{
	int err = 0;

	clear_error();
	if (!m)
		return set_error(EINVAL, "eun_metrics_refresh: m must not be NULL");
	pthread_mutex_lock(&m->lock);
	err = metrics_counts_refresh(m);
	for (size_t i = 0; !err && i < eun_tracker_count(m->ctx); i++) {
		err = seed_events(m, eun_tracker_at(m->ctx, i));
		if (err)
			err = set_error(-err, "out of memory");
	}
	pthread_mutex_unlock(&m->lock);
	return err;
}
