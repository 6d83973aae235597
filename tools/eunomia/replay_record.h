/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records rebuilt from the JSON lines `eunomia run -f json` writes, from
 * the plugin's schema alone: each field's value at its offset and size,
 * the header columns into struct eun_record_header. Works for every
 * tracker, with no code per tracker.
 */
#ifndef EUNOMIA_CLI_REPLAY_RECORD_H
#define EUNOMIA_CLI_REPLAY_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <eunomia/eunomia.h>

#include "json_read.h"

/* What the record's header cannot hold: the wall-clock time and the container. */
struct replay_extra {
	uint64_t ts;                      /* ns since the Unix epoch */
	struct eun_container_info cont;   /* id, runtime and pod_uid as recorded */
};

/* Fill rec (type->record_size bytes) from obj, one event of a tracker of
 * event type `type`. Every header column and every field of the type must
 * be there, with a value of its type, and nothing else. 0, or -1 with the
 * reason in err. */
int replay_record_build(const struct eun_event_type *type, const struct json_value *obj,
			void *rec, struct replay_extra *x, char *err, size_t err_size);

#endif
