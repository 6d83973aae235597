/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* What an OTLP receiver answered: the partial_success of an
 * Export{Logs,Metrics}ServiceResponse, or the message of a failure's
 * google.rpc.Status, in protobuf or JSON. */
#ifndef EUNOMIA_OTLP_RESPONSE_H
#define EUNOMIA_OTLP_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

/* The partial success of a 2xx answer's body (empty: none). rejected is
 * rejected_log_records or rejected_data_points (the same field number and
 * meaning for both signals). 0, or -EBADMSG if the body cannot be read. */
int response_partial(const void *body, size_t n, enum otlp_format fmt, int64_t *rejected,
		     char *msg, size_t size);

/* The message of a failure answer's google.rpc.Status body into msg ("" if
 * none can be read). */
void response_status_message(const void *body, size_t n, enum otlp_format fmt, char *msg,
			     size_t size);

/* The format of an answer from its Content-Type; `sent` if it says neither. */
enum otlp_format response_format(const char *content_type, enum otlp_format sent);

#endif
