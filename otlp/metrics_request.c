/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The registry as an ExportMetricsServiceRequest (see metrics_request.h).
 * Field numbers are those of opentelemetry/proto/metrics/v1/metrics.proto
 * and .../collector/metrics/v1/metrics_service.proto. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "metrics_request.h"
#include "pb.h"
#include "scope.h"
#include "text.h"

/* ExportMetricsServiceRequest */
#define REQ_RESOURCE_METRICS 1
/* ResourceMetrics */
#define RM_RESOURCE 1
#define RM_SCOPE_METRICS 2
/* ScopeMetrics */
#define SM_SCOPE 1
#define SM_METRICS 2
/* Metric */
#define METRIC_NAME 1
#define METRIC_DESCRIPTION 2
#define METRIC_UNIT 3
#define METRIC_GAUGE 5
#define METRIC_SUM 7
#define METRIC_HISTOGRAM 9
/* Gauge, Sum, Histogram */
#define DATA_POINTS 1
#define AGGREGATION_TEMPORALITY 2
#define SUM_IS_MONOTONIC 3
#define TEMPORALITY_CUMULATIVE 2
/* NumberDataPoint */
#define NDP_START_TIME 2
#define NDP_TIME 3
#define NDP_AS_DOUBLE 4
#define NDP_AS_INT 6
#define NDP_ATTRIBUTES 7
/* HistogramDataPoint */
#define HDP_START_TIME 2
#define HDP_TIME 3
#define HDP_COUNT 4
#define HDP_SUM 5
#define HDP_BUCKET_COUNTS 6
#define HDP_EXPLICIT_BOUNDS 7
#define HDP_ATTRIBUTES 9

/* The state of one encoding walk. */
struct menc {
	struct buf *b;
	enum otlp_format fmt;
	uint64_t now_ns;
	char name[256];          /* the metric being written, "" before the first */
	enum eun_metric_kind kind;
	size_t metric_at, data_at; /* protobuf: pb_begin() positions */
	size_t n_metrics, n_points_here;
	int points;
};

/* The OTLP name of a series: the Prometheus name, without a counter's "_total". */
static void otlp_name(const struct eun_metric_series *s, char *out, size_t size)
{
	size_t n = strlen(s->name);

	if (s->kind == EUN_METRIC_COUNTER && n > 6 && !strcmp(s->name + n - 6, "_total"))
		n -= 6;
	snprintf(out, size, "%.*s", (int)n, s->name);
}

/* The UCUM unit for a registry unit. */
static void otlp_unit(const char *unit, char *out, size_t size)
{
	if (!unit)
		out[0] = '\0';
	else if (!strcmp(unit, "seconds"))
		snprintf(out, size, "s");
	else if (!strcmp(unit, "bytes"))
		snprintf(out, size, "By");
	else
		snprintf(out, size, "{%s}", unit);
}

/* Finish the metric being written, if any. */
static void metric_close(struct menc *e)
{
	struct buf *b = e->b;

	if (!e->name[0])
		return;
	if (e->fmt == OTLP_PROTOBUF) {
		if (e->kind != EUN_METRIC_GAUGE)
			pb_uint(b, AGGREGATION_TEMPORALITY, TEMPORALITY_CUMULATIVE);
		if (e->kind == EUN_METRIC_COUNTER)
			pb_uint(b, SUM_IS_MONOTONIC, 1);
		pb_end(b, e->data_at);
		pb_end(b, e->metric_at);
	} else {
		buf_putc(b, ']');
		if (e->kind != EUN_METRIC_GAUGE)
			buf_printf(b, ",\"aggregationTemporality\":%d", TEMPORALITY_CUMULATIVE);
		if (e->kind == EUN_METRIC_COUNTER)
			buf_puts(b, ",\"isMonotonic\":true");
		buf_puts(b, "}}");
	}
	e->name[0] = '\0';
}

/* Start the metric of s (named name). */
static void metric_open(struct menc *e, const struct eun_metric_series *s, const char *name)
{
	static const unsigned pb_data[] = {
		[EUN_METRIC_COUNTER] = METRIC_SUM,
		[EUN_METRIC_GAUGE] = METRIC_GAUGE,
		[EUN_METRIC_HISTOGRAM] = METRIC_HISTOGRAM,
	};
	static const char *const json_data[] = {
		[EUN_METRIC_COUNTER] = "sum",
		[EUN_METRIC_GAUGE] = "gauge",
		[EUN_METRIC_HISTOGRAM] = "histogram",
	};
	struct buf *b = e->b;
	char unit[64];

	otlp_unit(s->unit, unit, sizeof(unit));
	if (e->fmt == OTLP_PROTOBUF) {
		e->metric_at = pb_begin(b, SM_METRICS);
		pb_string(b, METRIC_NAME, name, strlen(name));
		pb_string(b, METRIC_DESCRIPTION, s->help, strlen(s->help));
		if (unit[0])
			pb_string(b, METRIC_UNIT, unit, strlen(unit));
		e->data_at = pb_begin(b, pb_data[s->kind]);
	} else {
		if (e->n_metrics)
			buf_putc(b, ',');
		buf_puts(b, "{\"name\":");
		json_put_str(b, name, strlen(name));
		buf_puts(b, ",\"description\":");
		json_put_str(b, s->help, strlen(s->help));
		if (unit[0]) {
			buf_puts(b, ",\"unit\":");
			json_put_str(b, unit, strlen(unit));
		}
		buf_printf(b, ",\"%s\":{\"dataPoints\":[", json_data[s->kind]);
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->kind = s->kind;
	e->n_metrics++;
	e->n_points_here = 0;
}

/* The data point's attributes: its labels. */
static void point_attrs(struct menc *e, const struct eun_metric_series *s, unsigned field)
{
	struct kv_writer w = { .b = e->b, .fmt = e->fmt, .field = field };

	if (e->fmt == OTLP_JSON)
		buf_puts(e->b, ",\"attributes\":[");
	for (size_t i = 0; i < s->n_labels; i++)
		kv_str(&w, s->labels[i].name, s->labels[i].value, strlen(s->labels[i].value));
	if (e->fmt == OTLP_JSON)
		buf_putc(e->b, ']');
}

static void number_point(struct menc *e, const struct eun_metric_series *s)
{
	struct buf *b = e->b;
	bool cumulative = s->kind == EUN_METRIC_COUNTER;

	if (e->fmt == OTLP_PROTOBUF) {
		size_t at = pb_begin(b, DATA_POINTS);

		if (cumulative)
			pb_fixed64(b, NDP_START_TIME, s->start_time_ns);
		pb_fixed64(b, NDP_TIME, e->now_ns);
		if (s->is_int)
			pb_fixed64(b, NDP_AS_INT, (uint64_t)s->value_int);
		else
			pb_double(b, NDP_AS_DOUBLE, s->value);
		point_attrs(e, s, NDP_ATTRIBUTES);
		pb_end(b, at);
		return;
	}
	buf_putc(b, '{');
	if (cumulative) {
		buf_puts(b, "\"startTimeUnixNano\":");
		json_put_u64(b, s->start_time_ns);
		buf_putc(b, ',');
	}
	buf_puts(b, "\"timeUnixNano\":");
	json_put_u64(b, e->now_ns);
	if (s->is_int) {
		buf_puts(b, ",\"asInt\":");
		json_put_s64(b, s->value_int);
	} else {
		buf_puts(b, ",\"asDouble\":");
		json_put_double(b, s->value);
	}
	point_attrs(e, s, NDP_ATTRIBUTES);
	buf_putc(b, '}');
}

/* Append v little-endian in 8 bytes, as packed fixed64 and double are. */
static void put_le64(struct buf *b, uint64_t v)
{
	uint8_t le[8];

	for (int k = 0; k < 8; k++)
		le[k] = (uint8_t)(v >> (8 * k));
	buf_put(b, le, sizeof(le));
}

static void histogram_point(struct menc *e, const struct eun_metric_series *s)
{
	struct buf *b = e->b;

	if (e->fmt == OTLP_PROTOBUF) {
		size_t at = pb_begin(b, DATA_POINTS), packed;

		pb_fixed64(b, HDP_START_TIME, s->start_time_ns);
		pb_fixed64(b, HDP_TIME, e->now_ns);
		pb_fixed64(b, HDP_COUNT, s->count);
		pb_double(b, HDP_SUM, s->sum);
		/* Packed repeated fixed64 and double: 8 bytes each, no keys. */
		packed = pb_begin(b, HDP_BUCKET_COUNTS);
		for (size_t i = 0; i < s->n_buckets; i++)
			put_le64(b, s->bucket_counts[i]);
		pb_end(b, packed);
		packed = pb_begin(b, HDP_EXPLICIT_BOUNDS);
		for (size_t i = 0; i + 1 < s->n_buckets; i++) {
			uint64_t bits;

			memcpy(&bits, &s->upper_bounds[i], sizeof(bits));
			put_le64(b, bits);
		}
		pb_end(b, packed);
		point_attrs(e, s, HDP_ATTRIBUTES);
		pb_end(b, at);
		return;
	}
	buf_puts(b, "{\"startTimeUnixNano\":");
	json_put_u64(b, s->start_time_ns);
	buf_puts(b, ",\"timeUnixNano\":");
	json_put_u64(b, e->now_ns);
	buf_puts(b, ",\"count\":");
	json_put_u64(b, s->count);
	buf_puts(b, ",\"sum\":");
	json_put_double(b, s->sum);
	buf_puts(b, ",\"bucketCounts\":[");
	for (size_t i = 0; i < s->n_buckets; i++) {
		if (i)
			buf_putc(b, ',');
		json_put_u64(b, s->bucket_counts[i]);
	}
	buf_puts(b, "],\"explicitBounds\":[");
	for (size_t i = 0; i + 1 < s->n_buckets; i++) {
		if (i)
			buf_putc(b, ',');
		json_put_double(b, s->upper_bounds[i]);
	}
	buf_putc(b, ']');
	point_attrs(e, s, HDP_ATTRIBUTES);
	buf_putc(b, '}');
}

static int on_series(const struct eun_metric_series *s, void *cookie)
{
	struct menc *e = cookie;
	char name[256];

	otlp_name(s, name, sizeof(name));
	if (strcmp(name, e->name) || s->kind != e->kind) {
		metric_close(e);
		metric_open(e, s, name);
	}
	if (e->fmt == OTLP_JSON && e->n_points_here)
		buf_putc(e->b, ',');
	if (s->kind == EUN_METRIC_HISTOGRAM)
		histogram_point(e, s);
	else
		number_point(e, s);
	e->n_points_here++;
	e->points++;
	return e->b->oom ? -ENOMEM : 0;
}

int metrics_request_encode(struct buf *b, enum otlp_format fmt, struct eun_metrics *m,
			   const struct buf *resource, uint64_t now_ns)
{
	struct menc e = { .b = b, .fmt = fmt, .now_ns = now_ns };
	size_t rm = 0, sm = 0;
	int err;

	buf_reset(b);
	if (fmt == OTLP_PROTOBUF) {
		rm = pb_begin(b, REQ_RESOURCE_METRICS);
		pb_bytes(b, RM_RESOURCE, resource->data, resource->len);
		sm = pb_begin(b, RM_SCOPE_METRICS);
		scope_put(b, fmt, SM_SCOPE);
	} else {
		buf_puts(b, "{\"resourceMetrics\":[{\"resource\":");
		buf_put(b, resource->data, resource->len);
		buf_puts(b, ",\"scopeMetrics\":[{");
		scope_put(b, fmt, 0);
		buf_puts(b, ",\"metrics\":[");
	}
	err = eun_metrics_walk(m, on_series, &e);
	if (err < 0)
		return err;
	metric_close(&e);
	if (fmt == OTLP_PROTOBUF) {
		pb_end(b, sm);
		pb_end(b, rm);
	} else {
		buf_puts(b, "]}]}]}");
	}
	return b->oom ? -ENOMEM : e.points;
}
