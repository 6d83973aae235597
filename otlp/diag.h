/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The exporter's error text (eun_otlp_last_error()) and its log messages. */
#ifndef EUNOMIA_OTLP_DIAG_H
#define EUNOMIA_OTLP_DIAG_H

#include <eunomia/eunomia.h>

/* Set the error text of this thread and return -err (err a positive errno). */
int otlp_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear the error text at the start of a public call. */
void otlp_clear_error(void);

/* Where an exporter's messages go. */
struct otlp_log {
	eun_log_fn fn; /* NULL: errors and warnings to stderr */
	void *cookie;
};

/* Send one message, prefixed "otlp: ". */
void otlp_log(const struct otlp_log *l, enum eun_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
