/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* eunomia_otlp_* metrics (see self_metrics.h); their names follow the
 * Collector's otelcol_exporter_* ones. */
#include <stddef.h>

#include "self_metrics.h"

int self_metrics_set(struct eun_metrics *m, const struct eun_otlp_stats *st)
{
	static const struct {
		const char *name, *help;
		enum eun_metric_kind kind;
		size_t offset;
	} metrics[] = {
		{ "eunomia_otlp_sent_log_records_total", "Log records the OTLP receiver accepted",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, log_records_sent) },
		{ "eunomia_otlp_send_failed_log_records_total",
		  "Log records given up: refused by the receiver, retries exhausted or shutdown",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, log_records_failed) },
		{ "eunomia_otlp_enqueue_failed_log_records_total",
		  "Log records dropped because the OTLP queue was full",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, log_records_dropped) },
		{ "eunomia_otlp_rejected_log_records_total",
		  "Log records the OTLP receiver rejected in a partial success",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, log_records_rejected) },
		{ "eunomia_otlp_sent_metric_points_total", "Metric data points the OTLP receiver accepted",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, metric_points_sent) },
		{ "eunomia_otlp_send_failed_metric_points_total", "Metric data points given up",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, metric_points_failed) },
		{ "eunomia_otlp_rejected_metric_points_total",
		  "Metric data points the OTLP receiver rejected in a partial success",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, metric_points_rejected) },
		{ "eunomia_otlp_requests_total", "OTLP/HTTP requests made, retries included",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, requests) },
		{ "eunomia_otlp_retries_total", "OTLP/HTTP requests that were retries",
		  EUN_METRIC_COUNTER, offsetof(struct eun_otlp_stats, retries) },
		{ "eunomia_otlp_queue_size", "Log records waiting in the OTLP queue",
		  EUN_METRIC_GAUGE, offsetof(struct eun_otlp_stats, queue_items) },
		{ "eunomia_otlp_queue_bytes", "Bytes of encoded log records waiting in the OTLP queue",
		  EUN_METRIC_GAUGE, offsetof(struct eun_otlp_stats, queue_bytes) },
		{ "eunomia_otlp_queue_capacity", "Log records the OTLP queue holds at most",
		  EUN_METRIC_GAUGE, offsetof(struct eun_otlp_stats, queue_max_items) },
	};
	int err = 0;

	for (size_t i = 0; !err && i < sizeof(metrics) / sizeof(metrics[0]); i++)
		err = eun_metrics_set(m, metrics[i].name, metrics[i].help, metrics[i].kind,
				      *(const uint64_t *)((const char *)st + metrics[i].offset));
	return err;
}
