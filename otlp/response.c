/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Reading OTLP answers (see response.h). Field numbers are those of
 * opentelemetry/proto/collector/{logs,metrics}/v1/ (the service files) and
 * google/rpc/status.proto. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "json_scan.h"
#include "pb.h"
#include "response.h"

/* Export*ServiceResponse */
#define RESP_PARTIAL_SUCCESS 1
/* Export*PartialSuccess */
#define PARTIAL_REJECTED 1
#define PARTIAL_MESSAGE 2
/* google.rpc.Status */
#define STATUS_MESSAGE 2

enum otlp_format response_format(const char *content_type, enum otlp_format sent)
{
	if (content_type && strcasestr(content_type, "json"))
		return OTLP_JSON;
	if (content_type && strcasestr(content_type, "protobuf"))
		return OTLP_PROTOBUF;
	return sent;
}

/* Copy n bytes of text into msg, cut to size - 1. */
static void copy_text(char *msg, size_t size, const void *p, size_t n)
{
	snprintf(msg, size, "%.*s", (int)(n < size ? n : size - 1), (const char *)p);
}

static int partial_pb(const void *body, size_t n, int64_t *rejected, char *msg, size_t size)
{
	struct pb_reader r = { body, (const uint8_t *)body + n };
	struct pb_field f;
	int ret;

	while ((ret = pb_next(&r, &f)) > 0) {
		struct pb_reader in;
		struct pb_field g;

		if (f.number != RESP_PARTIAL_SUCCESS || f.wire != PB_LEN)
			continue;
		in = (struct pb_reader){ f.data, f.data + f.len };
		while ((ret = pb_next(&in, &g)) > 0) {
			if (g.number == PARTIAL_REJECTED && g.wire == PB_VARINT)
				*rejected = (int64_t)g.value;
			else if (g.number == PARTIAL_MESSAGE && g.wire == PB_LEN)
				copy_text(msg, size, g.data, g.len);
		}
		if (ret < 0)
			return ret;
	}
	return ret;
}

static int partial_json(const void *body, size_t n, int64_t *rejected, char *msg, size_t size)
{
	struct jv top = { body, (const char *)body + n }, ps, v;
	const char *p = top.p;

	while (p < top.end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p == top.end)
		return 0; /* an empty body: no partial success */
	if (*p != '{')
		return -EBADMSG;
	if (!json_member(top, "partialSuccess", &ps))
		return 0;
	if ((json_member(ps, "rejectedLogRecords", &v) || json_member(ps, "rejectedDataPoints", &v)) &&
	    !json_int(v, rejected))
		return -EBADMSG;
	if (json_member(ps, "errorMessage", &v))
		json_str(v, msg, size);
	return 0;
}

int response_partial(const void *body, size_t n, enum otlp_format fmt, int64_t *rejected,
		     char *msg, size_t size)
{
	*rejected = 0;
	if (size)
		msg[0] = '\0';
	return fmt == OTLP_JSON ? partial_json(body, n, rejected, msg, size)
				: partial_pb(body, n, rejected, msg, size);
}

void response_status_message(const void *body, size_t n, enum otlp_format fmt, char *msg,
			     size_t size)
{
	msg[0] = '\0';
	if (fmt == OTLP_JSON) {
		struct jv top = { body, (const char *)body + n }, v;

		if (json_member(top, "message", &v))
			json_str(v, msg, size);
		return;
	}
	{
		struct pb_reader r = { body, (const uint8_t *)body + n };
		struct pb_field f;

		while (pb_next(&r, &f) > 0)
			if (f.number == STATUS_MESSAGE && f.wire == PB_LEN)
				copy_text(msg, size, f.data, f.len);
	}
}
