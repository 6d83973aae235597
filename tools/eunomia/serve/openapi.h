/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The OpenAPI 3 document of the control API (openapi.json, embedded by the build). */
#ifndef EUNOMIA_SERVE_OPENAPI_H
#define EUNOMIA_SERVE_OPENAPI_H

#include <stddef.h>

extern const char serve_openapi_json[];
extern const size_t serve_openapi_len;

#endif
