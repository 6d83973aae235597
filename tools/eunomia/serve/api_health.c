/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The routes any HTTP thread answers: health, readiness, metrics, the
 * OpenAPI document, the caller's identity, and the event stream's checks. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "openapi.h"
#include "stream_ring.h"

/* The context's loop is stuck when it has not turned for this long. */
#define LOOP_STALL_MS 5000

static int64_t loop_age_ms(struct serve *s)
{
	return serve_now_ms() - atomic_load(&s->loop_ms);
}

bool api_healthz(struct serve *s, struct api_call *c)
{
	int64_t age = loop_age_ms(s);

	if (age > LOOP_STALL_MS)
		api_error(&c->rs, 503, "loop_stalled", "a tracker start or stop may be hanging; see "
			  "the daemon's log", "the event loop has not turned for %" PRId64 " ms", age);
	else
		api_json(&c->rs, 200, json_pack("{s:s, s:I}", "status", "ok", "loop_age_ms",
						(json_int_t)age));
	return false;
}

bool api_readyz(struct serve *s, struct api_call *c)
{
	if (atomic_load(&s->stopping))
		api_error(&c->rs, 503, "stopping", NULL, "the daemon is shutting down");
	else if (!atomic_load(&s->ready))
		api_error(&c->rs, 503, "not_ready", NULL, "the boot trackers and outputs are not up yet");
	else if (loop_age_ms(s) > LOOP_STALL_MS)
		api_error(&c->rs, 503, "loop_stalled", NULL, "the event loop is not turning");
	else
		api_json(&c->rs, 200, json_pack("{s:s}", "status", "ready"));
	return false;
}

/* The daemon's own series after the registry's. */
static void self_metrics(struct serve *s, FILE *f)
{
	struct stream_ring_stats st = { 0 };

	if (s->ring)
		stream_ring_stats(s->ring, &st);
	fprintf(f, "# HELP eunomia_api_requests_total Requests the control API answered.\n"
		   "# TYPE eunomia_api_requests_total counter\n"
		   "eunomia_api_requests_total %llu\n"
		   "# HELP eunomia_api_bad_requests_total Requests answered with a 4xx status.\n"
		   "# TYPE eunomia_api_bad_requests_total counter\n"
		   "eunomia_api_bad_requests_total %llu\n"
		   "# HELP eunomia_api_refused_connections_total Connections closed for a limit or "
		   "a timeout.\n"
		   "# TYPE eunomia_api_refused_connections_total counter\n"
		   "eunomia_api_refused_connections_total %llu\n",
		(unsigned long long)atomic_load(&s->requests),
		(unsigned long long)atomic_load(&s->bad_requests),
		(unsigned long long)atomic_load(&s->refused));
	if (!s->ring)
		return;
	fprintf(f, "# HELP eunomia_stream_clients Event stream clients connected.\n"
		   "# TYPE eunomia_stream_clients gauge\n"
		   "eunomia_stream_clients %u\n"
		   "# HELP eunomia_stream_buffered_events Events kept for replay.\n"
		   "# TYPE eunomia_stream_buffered_events gauge\n"
		   "eunomia_stream_buffered_events %" PRIu64 "\n"
		   "# HELP eunomia_stream_lost_total Sequence numbers reported lost to stream clients.\n"
		   "# TYPE eunomia_stream_lost_total counter\n"
		   "eunomia_stream_lost_total %" PRIu64 "\n",
		st.clients, st.next_seq - st.oldest_seq, st.lost);
}

bool api_metrics(struct serve *s, struct api_call *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int n = s->metrics ? eun_metrics_render(s->metrics, NULL, 0) : 0;

	if (!f) {
		api_error(&c->rs, 500, "no_memory", NULL, "out of memory");
		return false;
	}
	if (n > 0) {
		char *reg = malloc((size_t)n + 1);

		if (reg && eun_metrics_render(s->metrics, reg, (size_t)n + 1) >= 0)
			fputs(reg, f);
		free(reg);
	}
	self_metrics(s, f);
	if (fclose(f) != 0) {
		free(text);
		api_error(&c->rs, 500, "no_memory", NULL, "out of memory");
		return false;
	}
	api_text(&c->rs, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
	return false;
}

bool api_openapi(struct serve *s, struct api_call *c)
{
	char *doc = malloc(serve_openapi_len);

	(void)s;
	if (!doc) {
		api_error(&c->rs, 500, "no_memory", NULL, "out of memory");
		return false;
	}
	memcpy(doc, serve_openapi_json, serve_openapi_len);
	api_text(&c->rs, 200, "application/json", doc, serve_openapi_len);
	return false;
}

bool api_whoami(struct serve *s, struct api_call *c)
{
	const struct principal *p = &c->rq->who;

	(void)s;
	api_json(&c->rs, 200, json_pack("{s:s, s:s, s:s}", "who", p->who, "auth", p->how, "role",
					serve_role_name(p->role)));
	return false;
}

int api_stream_request(const struct api_request *rq, struct stream_request *out,
		       struct api_response *rs)
{
	static const char *const known[] = { "tracker", "type", "format", "after" };
	const char *format = api_query(rq, "format"), *accept = api_header(rq, "Accept");
	const char *after = api_query(rq, "after");

	for (size_t i = 0; i < rq->n_query; i++) {
		bool ok = false;

		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			ok |= !strcmp(rq->query[i].name, known[k]);
		if (!ok) {
			api_error(rs, 400, "bad_parameter", "the parameters are tracker, type, format "
				  "and after (filter= comes with the rules engine)",
				  "unknown parameter '%s'", rq->query[i].name);
			return -1;
		}
	}
	memset(out, 0, sizeof(*out));
	if (format)
		out->sse = !strcmp(format, "sse");
	else
		out->sse = !(accept && strstr(accept, "application/x-ndjson"));
	if (format && !out->sse && strcmp(format, "ndjson")) {
		api_error(rs, 400, "bad_parameter", "format=sse or format=ndjson",
			  "unknown stream format '%s'", format);
		return -1;
	}
	out->trackers = api_query(rq, "tracker");
	out->types = api_query(rq, "type");
	if (!after)
		after = api_header(rq, "Last-Event-ID");
	if (after) {
		char *end;

		errno = 0;
		out->after = strtoull(after, &end, 10);
		if (!*after || *end || errno || *after == '-') {
			api_error(rs, 400, "bad_parameter", "give the id of the last event received",
				  "'%s' is not an event sequence number", after);
			return -1;
		}
		out->has_after = true;
	}
	return 0;
}

bool api_events_check(struct serve *s, struct api_call *c)
{
	struct stream_request req;

	if (!s->ring) {
		api_error(&c->rs, 404, "no_streams", "start the daemon without --stream-buffer 0",
			  "event streams are off");
		return false;
	}
	if (api_stream_request(c->rq, &req, &c->rs) == 0)
		api_json(&c->rs, 200, json_pack("{s:s}", "stream", req.sse ? "sse" : "ndjson"));
	return false;
}
