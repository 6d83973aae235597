/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * OTLP resources: one per container (or pod, or the host), each encoded
 * once and shared by the queued records of that container. The attributes
 * of every resource (service.name, host.*, the user's) come first, then
 * the container's (container.*, k8s.pod.uid).
 */
#ifndef EUNOMIA_OTLP_RESOURCE_H
#define EUNOMIA_OTLP_RESOURCE_H

#include <stddef.h>
#include <stdint.h>

#include <eunomia/eunomia.h>

#include "attrs.h"
#include "buf.h"
#include "kv.h"

struct resource {
	struct resource *next; /* in its hash chain */
	char *key;             /* runtime, id, pod uid, name, image */
	uint64_t hash;
	struct buf enc;        /* protobuf: the Resource message's fields; JSON: the Resource object */
	size_t refs;           /* queued records (and requests being built) using it */
};

struct resources {
	struct resource **slots; /* n_slots chains, a power of two */
	size_t n_slots, count;
	enum otlp_format fmt;
	const struct attr_list *common; /* borrowed: the attributes of every resource */
};

/* The host's own attributes: host.name, host.id (/etc/machine-id),
 * host.arch, os.type. Added to l. 0 or -ENOMEM. */
int host_attrs(struct attr_list *l);

/* Start an empty table. 0 or -ENOMEM. */
int resources_init(struct resources *t, enum otlp_format fmt, const struct attr_list *common);

/* The resource of container c (NULL or an empty id and pod uid: the
 * host's), created if needed, with one more reference. NULL on ENOMEM. */
struct resource *resources_get(struct resources *t, const struct eun_container_info *c);

/* Drop a reference; the resource is freed with its last one. */
void resources_put(struct resources *t, struct resource *r);

/* Free every resource and the table. */
void resources_free(struct resources *t);

#endif
