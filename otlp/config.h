/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter's settings: eun_otlp_opts, then the standard OTEL_*
 * environment variables, then the defaults. */
#ifndef EUNOMIA_OTLP_CONFIG_H
#define EUNOMIA_OTLP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <eunomia/otlp.h>

#include "attrs.h"
#include "diag.h"
#include "kv.h"

#define OTLP_DEFAULT_ENDPOINT "http://127.0.0.1:4318"

struct otlp_config {
	char *logs_url;
	char *metrics_url;
	struct attr_list headers;
	struct attr_list resource; /* attributes of every resource */
	enum otlp_format fmt;
	bool gzip;
	struct eun_metrics *metrics;
	unsigned metrics_interval_ms;
	unsigned timeout_ms;
	size_t batch_max_items, batch_max_bytes;
	unsigned batch_timeout_ms;
	size_t queue_max_items, queue_max_bytes;
	enum eun_otlp_drop_policy drop_policy;
	unsigned retry_initial_ms, retry_max_interval_ms, retry_max_elapsed_ms;
	bool no_retry;
	unsigned shutdown_timeout_ms;
	struct otlp_log log;
};

/* Fill c from opts (NULL: defaults) and the environment. 0, or -EINVAL /
 * -ENOMEM with the error text naming the option or variable. */
int config_build(struct otlp_config *c, const struct eun_otlp_opts *opts);

void config_free(struct otlp_config *c);

#endif
