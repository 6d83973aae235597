/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia run --otlp [URL]` and `--otlp-set KEY=VALUE`: the OTLP/HTTP
 * exporter of a run. Unset settings come from the OTEL_* environment
 * variables, then libeunomia-otlp's defaults (docs/otlp.md). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "diag.h"
#include "exit_codes.h"
#include "log.h"
#include "run_otlp.h"

/* The keys of --otlp-set, for the usage error of an unknown one. */
static const char known_keys[] =
	"protocol, compression, headers, service_name, resource_attributes, timeout_ms, "
	"metrics_interval_ms, batch_max_items, batch_max_bytes, batch_timeout_ms, "
	"queue_max_items, queue_max_bytes, drop, retry, retry_initial_ms, "
	"retry_max_interval_ms, retry_max_elapsed_ms, shutdown_timeout_ms";

/* A positive number (of ms or records) for key. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_number(const char *key, const char *v, unsigned *ms, size_t *n)
{
	uint32_t u;

	if (parse_u32(v, &u) < 0 || u == 0)
		return usage_error("run", "--otlp-set %s needs a positive whole number, not '%s'", key, v);
	if (ms)
		*ms = u;
	else
		*n = u;
	return CLI_CONTINUE;
}

/* A byte count with a k, M or G suffix for key. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_size(const char *key, const char *v, size_t *out)
{
	uint64_t n;

	if (parse_size(v, &n) < 0 || n > SIZE_MAX)
		return usage_error("run", "--otlp-set %s needs a number of bytes with an optional k, "
				   "M or G suffix (e.g. 16M), not '%s'", key, v);
	*out = (size_t)n;
	return CLI_CONTINUE;
}

/* One of two words for key. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int take_choice(const char *key, const char *v, const char *a, const char *b, bool *is_b)
{
	if (strcmp(v, a) && strcmp(v, b))
		return usage_error("run", "--otlp-set %s is %s or %s, not '%s'", key, a, b, v);
	*is_b = !strcmp(v, b);
	return CLI_CONTINUE;
}

/* Apply one --otlp-set KEY=VALUE to opts. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
static int apply_setting(struct eun_otlp_opts *opts, const char *arg)
{
	const char *eq = strchr(arg, '='), *v;
	char key[64];
	bool b;
	int code;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(key))
		return usage_error("run", "--otlp-set needs KEY=VALUE, not '%s'", arg);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - arg), arg);
	v = eq + 1;
	if (!strcmp(key, "protocol")) {
		code = take_choice(key, v, "http/protobuf", "http/json", &b);
		opts->protocol = b ? EUN_OTLP_HTTP_JSON : EUN_OTLP_HTTP_PROTOBUF;
		return code;
	}
	if (!strcmp(key, "compression")) {
		code = take_choice(key, v, "gzip", "none", &b);
		opts->compression = b ? EUN_OTLP_NO_COMPRESSION : EUN_OTLP_GZIP;
		return code;
	}
	if (!strcmp(key, "drop")) {
		code = take_choice(key, v, "newest", "oldest", &b);
		opts->drop_policy = b ? EUN_OTLP_DROP_OLDEST : EUN_OTLP_DROP_NEWEST;
		return code;
	}
	if (!strcmp(key, "retry")) {
		code = take_choice(key, v, "on", "off", &b);
		opts->no_retry = b;
		return code;
	}
	if (!strcmp(key, "headers"))
		opts->headers = v;
	else if (!strcmp(key, "service_name"))
		opts->service_name = v;
	else if (!strcmp(key, "resource_attributes"))
		opts->resource_attributes = v;
	else if (!strcmp(key, "timeout_ms"))
		return take_number(key, v, &opts->timeout_ms, NULL);
	else if (!strcmp(key, "metrics_interval_ms"))
		return take_number(key, v, &opts->metrics_interval_ms, NULL);
	else if (!strcmp(key, "batch_timeout_ms"))
		return take_number(key, v, &opts->batch_timeout_ms, NULL);
	else if (!strcmp(key, "retry_initial_ms"))
		return take_number(key, v, &opts->retry_initial_ms, NULL);
	else if (!strcmp(key, "retry_max_interval_ms"))
		return take_number(key, v, &opts->retry_max_interval_ms, NULL);
	else if (!strcmp(key, "retry_max_elapsed_ms"))
		return take_number(key, v, &opts->retry_max_elapsed_ms, NULL);
	else if (!strcmp(key, "shutdown_timeout_ms"))
		return take_number(key, v, &opts->shutdown_timeout_ms, NULL);
	else if (!strcmp(key, "batch_max_items"))
		return take_number(key, v, NULL, &opts->batch_max_items);
	else if (!strcmp(key, "queue_max_items"))
		return take_number(key, v, NULL, &opts->queue_max_items);
	else if (!strcmp(key, "batch_max_bytes"))
		return take_size(key, v, &opts->batch_max_bytes);
	else if (!strcmp(key, "queue_max_bytes"))
		return take_size(key, v, &opts->queue_max_bytes);
	else
		return usage_error("run", "--otlp-set: unknown key '%s'; the keys are %s", key,
				   known_keys);
	return CLI_CONTINUE;
}

int run_otlp_start(struct eun_ctx *ctx, const struct run_opts *o, struct eun_metrics *m,
		   struct eun_otlp **out)
{
	EUN_OPTS(eun_otlp_opts, opts, .endpoint = o->otlp_url, .metrics = m);
	struct eun_otlp *x;
	int code;

	opts.log_fn = cli_log_fn(&opts.log_cookie);
	for (size_t i = 0; i < o->n_otlp_settings; i++) {
		code = apply_setting(&opts, o->otlp_settings[i]);
		if (code != CLI_CONTINUE)
			return code;
	}
	x = eun_otlp_new(&opts);
	if (!x) {
		int err = errno;

		cli_error("--otlp: %s", *eun_otlp_last_error() ? eun_otlp_last_error() : strerror(err));
		return err == EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	if (eun_otlp_attach(x, ctx) < 0) {
		cli_error("--otlp: %s", eun_otlp_last_error());
		eun_otlp_free(x);
		return CLI_EXIT_RUNTIME;
	}
	fprintf(stderr, "eunomia: exporting OTLP to %s\n",
		o->otlp_url ? o->otlp_url : "the endpoint of $OTEL_EXPORTER_OTLP_* (default "
		"http://127.0.0.1:4318)");
	*out = x;
	return CLI_EXIT_OK;
}

int run_otlp_finish(struct eun_otlp *x, bool always, int code)
{
	EUN_OPTS(eun_otlp_stats, st);
	int err = eun_otlp_shutdown(x);

	if (eun_otlp_stats(x, &st) < 0)
		return code;
	if (always || err || st.log_records_dropped || st.log_records_failed ||
	    st.log_records_rejected || st.metric_points_failed || st.events_dropped_on_bus)
		fprintf(stderr, "eunomia: otlp: %" PRIu64 " log records, %" PRIu64 " sent, %" PRIu64
			" dropped (queue full), %" PRIu64 " failed, %" PRIu64 " rejected; %" PRIu64
			" metric points sent, %" PRIu64 " failed; %" PRIu64 " requests, %" PRIu64
			" retries; %" PRIu64 " events lost before encoding (its listener queue was "
			"full)\n", st.log_records_received, st.log_records_sent,
			st.log_records_dropped, st.log_records_failed, st.log_records_rejected,
			st.metric_points_sent, st.metric_points_failed, st.requests, st.retries,
			st.events_dropped_on_bus);
	return code;
}
