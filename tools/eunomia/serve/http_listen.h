/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The listening sockets of the control API. */
#ifndef EUNOMIA_SERVE_HTTP_LISTEN_H
#define EUNOMIA_SERVE_HTTP_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include "serve_config.h"

/* A listening socket for l: a unix socket (its directory made 0755, a
 * stale socket replaced, then mode and group set as c says) or a TCP
 * one. The fd (and *port for TCP), or -errno with err set. */
int http_listen(const struct serve_config *c, const struct serve_listen *l, uint16_t *port,
		char *err, size_t errlen);

#endif
