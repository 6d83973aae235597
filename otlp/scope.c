/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The InstrumentationScope (see scope.h): libeunomia's name and version. */
#include <string.h>

#include <eunomia/eunomia.h>

#include "pb.h"
#include "scope.h"
#include "text.h"

/* InstrumentationScope */
#define SCOPE_NAME 1
#define SCOPE_VERSION 2

void scope_put(struct buf *b, enum otlp_format fmt, unsigned field)
{
	const char *version = eun_version();

	if (fmt == OTLP_PROTOBUF) {
		size_t start = pb_begin(b, field);

		pb_string(b, SCOPE_NAME, OTLP_SCOPE_NAME, strlen(OTLP_SCOPE_NAME));
		pb_string(b, SCOPE_VERSION, version, strlen(version));
		pb_end(b, start);
		return;
	}
	buf_puts(b, "\"scope\":{\"name\":\"" OTLP_SCOPE_NAME "\",\"version\":");
	json_put_str(b, version, strlen(version));
	buf_putc(b, '}');
}
