/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Renderers: events (and container listings) as JSON, CSV and text, driven
 * only by the schemas. Above the core: reads events through event/ and
 * tracker schemas through the public API. Never installed.
 */
#ifndef EUNOMIA_RENDER_H
#define EUNOMIA_RENDER_H

#include "event/event.h"

/* A JSON string of n arbitrary bytes (render_json.c): valid UTF-8 passes
 * through, each byte of an invalid sequence becomes \u00XX. */
EUN_HIDDEN void json_put_string(struct outbuf *o, const char *str, size_t n);

#endif /* EUNOMIA_RENDER_H */
