/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Options, environment variables and defaults (see config.h). The
 * variables are those of the OpenTelemetry SDK configuration and OTLP
 * exporter specifications. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "resource.h"

#define MIB (1024u * 1024u)
/* The OTLP spec asks clients to keep requests below 64 MiB. */
#define MAX_BATCH_BYTES (32u * MIB)

/* Member of opts if the caller's struct is big enough to hold it, else dflt. */
#define OPT(opts, field, dflt)                                                               \
	((opts) && (opts)->sz >= offsetof(struct eun_otlp_opts, field) + sizeof((opts)->field) \
		 ? (opts)->field                                                              \
		 : (dflt))

/* True if opts is NULL, or its sz is sane and every byte this library does
 * not know is zero (libbpf's rule). */
static int opts_check(const struct eun_otlp_opts *opts)
{
	const unsigned char *bytes = (const unsigned char *)opts;

	if (!opts)
		return 0;
	if (opts->sz < sizeof(size_t))
		return otlp_error(EINVAL, "struct eun_otlp_opts: sz is %zu; set it with EUN_OPTS() "
				  "or to sizeof(struct eun_otlp_opts)", opts->sz);
	for (size_t i = sizeof(*opts); i < opts->sz; i++)
		if (bytes[i])
			return otlp_error(EINVAL, "struct eun_otlp_opts has non-zero members this "
					  "libeunomia-otlp %s does not know (caller built against a "
					  "newer header); upgrade it or leave them unset",
					  EUN_VERSION_STRING);
	return 0;
}

/* The variable's value, or NULL if unset, empty or the environment is ignored. */
static const char *env(bool ignore, const char *name)
{
	const char *v = ignore ? NULL : getenv(name);

	return v && *v ? v : NULL;
}

/* An unsigned number of milliseconds (or items) from variable `name`. 0 or -EINVAL. */
static int env_uint(bool ignore, const char *name, uint64_t max, uint64_t *out)
{
	const char *v = ignore ? NULL : getenv(name);
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	*out = strtoull(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || *out > max)
		return otlp_error(EINVAL, "%s='%s' is not a whole number from 0 to %llu", name, v,
				  (unsigned long long)max);
	return 0;
}

/* A settable number: the option if non-zero, else the variable, else dflt. */
static int pick_uint(uint64_t opt, bool ignore, const char *var, uint64_t max, uint64_t dflt,
		     uint64_t *out)
{
	uint64_t v = 0;
	int err;

	if (opt) {
		*out = opt;
		return 0;
	}
	if ((err = env_uint(ignore, var, max, &v)))
		return err;
	*out = v ? v : dflt;
	return 0;
}

/* True if url is http:// or https:// with a host. */
static bool url_ok(const char *url)
{
	const char *rest = !strncasecmp(url, "http://", 7) ? url + 7
			 : !strncasecmp(url, "https://", 8) ? url + 8 : NULL;

	return rest && *rest && *rest != '/';
}

/* base + path (one '/' between them) into *out. 0 or -errno. */
static int join_url(const char *base, const char *what, const char *path, char **out)
{
	size_t n = strlen(base);

	if (!url_ok(base))
		return otlp_error(EINVAL, "%s '%s' is not an http:// or https:// URL (e.g. "
				  OTLP_DEFAULT_ENDPOINT ")", what, base);
	while (n && base[n - 1] == '/')
		n--;
	if (asprintf(out, "%.*s%s", (int)n, base, path) < 0) {
		*out = NULL;
		return otlp_error(ENOMEM, "out of memory");
	}
	return 0;
}

/* The logs and metrics URLs. */
static int pick_urls(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	const char *base = OPT(opts, endpoint, NULL);
	const char *what = "eun_otlp_opts.endpoint";
	const char *logs = NULL, *metrics = NULL;
	int err;

	if (!base) {
		logs = env(ignore, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
		metrics = env(ignore, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
		base = env(ignore, "OTEL_EXPORTER_OTLP_ENDPOINT");
		what = "OTEL_EXPORTER_OTLP_ENDPOINT";
	}
	if (!base) {
		base = OTLP_DEFAULT_ENDPOINT;
		what = "the default endpoint";
	}
	if (logs)
		err = join_url(logs, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "", &c->logs_url);
	else
		err = join_url(base, what, "/v1/logs", &c->logs_url);
	if (!err && metrics)
		err = join_url(metrics, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "", &c->metrics_url);
	else if (!err)
		err = join_url(base, what, "/v1/metrics", &c->metrics_url);
	return err;
}

static int pick_protocol(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	enum eun_otlp_protocol p = OPT(opts, protocol, EUN_OTLP_PROTOCOL_DEFAULT);
	const char *v = env(ignore, "OTEL_EXPORTER_OTLP_PROTOCOL");

	if (p == EUN_OTLP_PROTOCOL_DEFAULT && v) {
		if (!strcmp(v, "http/protobuf"))
			p = EUN_OTLP_HTTP_PROTOBUF;
		else if (!strcmp(v, "http/json"))
			p = EUN_OTLP_HTTP_JSON;
		else if (!strcmp(v, "grpc"))
			return otlp_error(EINVAL, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc: eunomia speaks "
					  "OTLP/HTTP only; use http/protobuf (port 4318) or http/json");
		else
			return otlp_error(EINVAL, "OTEL_EXPORTER_OTLP_PROTOCOL='%s' is not "
					  "http/protobuf or http/json", v);
	}
	if (p != EUN_OTLP_PROTOCOL_DEFAULT && p != EUN_OTLP_HTTP_PROTOBUF && p != EUN_OTLP_HTTP_JSON)
		return otlp_error(EINVAL, "eun_otlp_opts.protocol %d is not an enum eun_otlp_protocol",
				  (int)p);
	c->fmt = p == EUN_OTLP_HTTP_JSON ? OTLP_JSON : OTLP_PROTOBUF;
	return 0;
}

static int pick_compression(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	enum eun_otlp_compression z = OPT(opts, compression, EUN_OTLP_COMPRESSION_DEFAULT);
	const char *v = env(ignore, "OTEL_EXPORTER_OTLP_COMPRESSION");

	if (z == EUN_OTLP_COMPRESSION_DEFAULT && v) {
		if (!strcmp(v, "gzip"))
			z = EUN_OTLP_GZIP;
		else if (!strcmp(v, "none"))
			z = EUN_OTLP_NO_COMPRESSION;
		else
			return otlp_error(EINVAL, "OTEL_EXPORTER_OTLP_COMPRESSION='%s' is not gzip "
					  "or none", v);
	}
	if (z != EUN_OTLP_COMPRESSION_DEFAULT && z != EUN_OTLP_GZIP && z != EUN_OTLP_NO_COMPRESSION)
		return otlp_error(EINVAL, "eun_otlp_opts.compression %d is not an enum "
				  "eun_otlp_compression", (int)z);
	c->gzip = z != EUN_OTLP_NO_COMPRESSION;
	return 0;
}

/* True if s holds a byte that cannot be in an HTTP header. */
static bool header_unsafe(const char *s, bool name)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n' || (name && (*s == ':' || *s == ' ')))
			return true;
	return false;
}

static int pick_headers(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	const char *v = env(ignore, "OTEL_EXPORTER_OTLP_HEADERS");
	const char *o = OPT(opts, headers, NULL);
	int err = 0;

	if (v)
		err = attrs_parse(&c->headers, v, "OTEL_EXPORTER_OTLP_HEADERS");
	if (!err && o)
		err = attrs_parse(&c->headers, o, "eun_otlp_opts.headers");
	for (size_t i = 0; !err && i < c->headers.n; i++)
		if (header_unsafe(c->headers.v[i].key, true) || header_unsafe(c->headers.v[i].value, false))
			err = otlp_error(EINVAL, "header '%s' has a character no HTTP header may "
					 "have (CR, LF, or in the name ':' or a space)",
					 c->headers.v[i].key);
	return err;
}

/* The attributes of every resource: the host's, the environment's, the
 * options', then service.name. */
static int pick_resource(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	const char *v = env(ignore, "OTEL_RESOURCE_ATTRIBUTES");
	const char *o = OPT(opts, resource_attributes, NULL);
	const char *name = OPT(opts, service_name, NULL);
	int err = attrs_set(&c->resource, "service.name", "eunomia");

	if (!err)
		err = host_attrs(&c->resource);
	if (err)
		return otlp_error(ENOMEM, "out of memory");
	if (v && (err = attrs_parse(&c->resource, v, "OTEL_RESOURCE_ATTRIBUTES")))
		return err;
	if (o && (err = attrs_parse(&c->resource, o, "eun_otlp_opts.resource_attributes")))
		return err;
	if (!name)
		name = env(ignore, "OTEL_SERVICE_NAME");
	if (name && attrs_set(&c->resource, "service.name", name))
		return otlp_error(ENOMEM, "out of memory");
	return 0;
}

/* The numbers of the batch, queue, retries and times. */
static int pick_numbers(struct otlp_config *c, const struct eun_otlp_opts *opts, bool ignore)
{
	uint64_t v[6];
	int err;

	err = pick_uint(OPT(opts, timeout_ms, 0), ignore, "OTEL_EXPORTER_OTLP_TIMEOUT",
			UINT32_MAX, 10000, &v[0]);
	if (!err)
		err = pick_uint(OPT(opts, metrics_interval_ms, 0), ignore,
				"OTEL_METRIC_EXPORT_INTERVAL", UINT32_MAX, 60000, &v[1]);
	if (!err)
		err = pick_uint(OPT(opts, batch_max_items, 0), ignore,
				"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", SIZE_MAX, 1024, &v[2]);
	if (!err)
		err = pick_uint(OPT(opts, batch_timeout_ms, 0), ignore, "OTEL_BLRP_SCHEDULE_DELAY",
				UINT32_MAX, 1000, &v[3]);
	if (!err)
		err = pick_uint(OPT(opts, queue_max_items, 0), ignore, "OTEL_BLRP_MAX_QUEUE_SIZE",
				SIZE_MAX, 8192, &v[4]);
	if (err)
		return err;
	c->timeout_ms = (unsigned)v[0];
	c->metrics_interval_ms = (unsigned)v[1];
	c->batch_max_items = (size_t)v[2];
	c->batch_timeout_ms = (unsigned)v[3];
	c->queue_max_items = (size_t)v[4];
	c->batch_max_bytes = OPT(opts, batch_max_bytes, 0) ?: 4 * MIB;
	if (c->batch_max_bytes > MAX_BATCH_BYTES)
		return otlp_error(EINVAL, "eun_otlp_opts.batch_max_bytes %zu is above %u MiB; OTLP "
				  "receivers take requests of at most 64 MiB", c->batch_max_bytes,
				  MAX_BATCH_BYTES / MIB);
	c->queue_max_bytes = OPT(opts, queue_max_bytes, 0) ?: 16 * MIB;
	c->retry_initial_ms = OPT(opts, retry_initial_ms, 0) ?: 5000;
	c->retry_max_interval_ms = OPT(opts, retry_max_interval_ms, 0) ?: 30000;
	c->retry_max_elapsed_ms = OPT(opts, retry_max_elapsed_ms, 0) ?: 300000;
	c->no_retry = OPT(opts, no_retry, false);
	c->shutdown_timeout_ms = OPT(opts, shutdown_timeout_ms, 0) ?: 10000;
	c->drop_policy = OPT(opts, drop_policy, EUN_OTLP_DROP_NEWEST);
	if (c->drop_policy != EUN_OTLP_DROP_NEWEST && c->drop_policy != EUN_OTLP_DROP_OLDEST)
		return otlp_error(EINVAL, "eun_otlp_opts.drop_policy %d is not an enum "
				  "eun_otlp_drop_policy", (int)c->drop_policy);
	return 0;
}

int config_build(struct otlp_config *c, const struct eun_otlp_opts *opts)
{
	bool ignore;
	int err;

	*c = (struct otlp_config){ 0 };
	if ((err = opts_check(opts)))
		return err;
	ignore = OPT(opts, ignore_env, false);
	c->metrics = OPT(opts, metrics, NULL);
	c->log.fn = OPT(opts, log_fn, NULL);
	c->log.cookie = OPT(opts, log_cookie, NULL);
	err = pick_urls(c, opts, ignore);
	if (!err)
		err = pick_protocol(c, opts, ignore);
	if (!err)
		err = pick_compression(c, opts, ignore);
	if (!err)
		err = pick_headers(c, opts, ignore);
	if (!err)
		err = pick_resource(c, opts, ignore);
	if (!err)
		err = pick_numbers(c, opts, ignore);
	if (err)
		config_free(c);
	return err;
}

void config_free(struct otlp_config *c)
{
	free(c->logs_url);
	free(c->metrics_url);
	attrs_free(&c->headers);
	attrs_free(&c->resource);
	*c = (struct otlp_config){ 0 };
}
