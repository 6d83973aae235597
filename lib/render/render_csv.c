/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Render events as CSV rows (RFC 4180) under a column layout fixed up front. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

struct eun_csv {
	/* Schema field names after the header columns, borrowed from the
	 * plugins' descriptors (valid while their ctx lives). */
	const char **fields;
	size_t n_fields;
};

static bool csv_has_field(const struct eun_csv *csv, const char *name)
{
	for (size_t i = 0; i < csv->n_fields; i++)
		if (!strcmp(csv->fields[i], name))
			return true;
	return false;
}

/* Append the fields of every event type of plugin p not seen yet; 0 or -ENOMEM. */
static int csv_add_plugin(struct eun_csv *csv, const struct eun_plugin *p)
{
	for (size_t t = 0; t < eun_plugin_event_type_count(p); t++) {
		const struct eun_event_type *et = eun_plugin_event_type(p, t);

		for (uint32_t i = 0; i < et->n_fields; i++) {
			const char **grown;

			if (csv_has_field(csv, et->fields[i].name))
				continue;
			grown = realloc(csv->fields, (csv->n_fields + 1) * sizeof(*grown));
			if (!grown)
				return set_error(ENOMEM, "out of memory building the CSV columns");
			grown[csv->n_fields++] = et->fields[i].name;
			csv->fields = grown;
		}
	}
	return 0;
}

struct eun_csv *eun_csv_new(struct eun_tracker *const *trackers, size_t n)
{
	struct eun_csv *csv;
	int err;

	clear_error();
	if (n && !trackers) {
		errno = -set_error(EINVAL, "eun_csv_new: trackers is NULL but n is %zu", n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!trackers[i]) {
			errno = -set_error(EINVAL, "eun_csv_new: trackers[%zu] is NULL", i);
			return NULL;
		}
	}
	csv = calloc(1, sizeof(*csv));
	if (!csv) {
		errno = -set_error(ENOMEM, "out of memory creating a CSV layout");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if ((err = csv_add_plugin(csv, eun_tracker_plugin(trackers[i])))) {
			eun_csv_free(csv);
			errno = -err;
			return NULL;
		}
	}
	return csv;
}

void eun_csv_free(struct eun_csv *csv)
{
	if (!csv)
		return;
	free(csv->fields);
	free(csv);
}

/* One cell, quoted when it holds a comma, a quote, CR or LF. */
static void csv_put_cell(struct outbuf *o, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) && !memchr(s, '\n', n)) {
		outbuf_write(o, s, n);
		return;
	}
	outbuf_putc(o, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			outbuf_putc(o, '"');
		outbuf_putc(o, s[i]);
	}
	outbuf_putc(o, '"');
}

/* A histogram's text ("lo-hi:n,...") has commas but never quotes: always quote it. */
static void csv_put_hist(struct outbuf *o, const struct eun_field *f, const uint8_t *rec)
{
	outbuf_putc(o, '"');
	field_put(o, f, rec);
	outbuf_putc(o, '"');
}

static void csv_put_cstr(struct outbuf *o, const char *s)
{
	csv_put_cell(o, s, strlen(s));
}

int eun_csv_header(const struct eun_csv *csv, char *buf, size_t size)
{
	struct outbuf o;

	clear_error();
	if (!csv || (!buf && size))
		return set_error(EINVAL, "eun_csv_header: csv must not be NULL, nor buf unless size is 0");
	outbuf_init(&o, buf, size);
	for (size_t i = 0; i < N_HEADER_FIELDS; i++) {
		if (i)
			outbuf_putc(&o, ',');
		outbuf_puts(&o, header_field_names[i]);
	}
	for (size_t i = 0; i < csv->n_fields; i++) {
		outbuf_putc(&o, ',');
		csv_put_cstr(&o, csv->fields[i]);
	}
	return outbuf_finish(&o);
}

static const struct eun_field *event_field_named(const struct eun_event *ev, const char *name)
{
	for (uint32_t i = 0; i < ev->type->n_fields; i++)
		if (!strcmp(ev->type->fields[i].name, name))
			return &ev->type->fields[i];
	return NULL;
}

int eun_csv_row(const struct eun_csv *csv, const struct eun_event *ev, char *buf, size_t size)
{
	struct outbuf o;

	clear_error();
	if (!csv || !ev || (!buf && size))
		return set_error(EINVAL, "eun_csv_row: csv and ev must not be NULL, "
				 "nor buf unless size is 0");
	outbuf_init(&o, buf, size);
	for (int i = 0; i < N_HEADER_FIELDS; i++) {
		const char *str = header_field_str(ev, i);

		if (i)
			outbuf_putc(&o, ',');
		if (str)
			csv_put_cstr(&o, str);
		else
			outbuf_printf(&o, "%" PRIu64, header_field_num(ev, i));
	}
	for (size_t i = 0; i < csv->n_fields; i++) {
		const struct eun_field *f = event_field_named(ev, csv->fields[i]);

		outbuf_putc(&o, ',');
		if (!f)
			continue;
		if (f->type == EUN_FIELD_STR)
			csv_put_cell(&o, (const char *)ev->rec + f->offset, field_str_len(f, ev->rec));
		else if (f->type == EUN_FIELD_HIST_LOG2)
			csv_put_hist(&o, f, ev->rec);
		else
			field_put(&o, f, ev->rec); /* numbers, true/false, addresses: never quoted */
	}
	return outbuf_finish(&o);
}
