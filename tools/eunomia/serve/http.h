/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The control API over HTTP: one libmicrohttpd daemon per listener, with
 * limits on connections (total, per address or uid), sizes and times. */
#ifndef EUNOMIA_SERVE_HTTP_H
#define EUNOMIA_SERVE_HTTP_H

#include "serve.h"

/* Listen on every configured address and serve s. 0, or -errno with err set. */
int http_start(struct serve *s, char *err, size_t errlen);

/* Stop accepting connections and end the event streams. */
void http_quiesce(struct serve *s);

/* Stop the daemons, once the jobs that were waiting are answered (every
 * suspended connection must be resumed by then). */
void http_stop(struct serve *s);

#endif
