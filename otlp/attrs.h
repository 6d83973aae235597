/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Lists of text key=value pairs: resource attributes and request headers,
 * and their "k1=v1,k2=v2" form with %-encoded values
 * (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS). */
#ifndef EUNOMIA_OTLP_ATTRS_H
#define EUNOMIA_OTLP_ATTRS_H

#include <stddef.h>

struct attr {
	char *key;
	char *value;
};

struct attr_list {
	struct attr *v; /* n, in the order first set */
	size_t n;
};

/* Set key to value, replacing an earlier value of key. 0 or -ENOMEM. */
int attrs_set(struct attr_list *l, const char *key, const char *value);

/* The value of key, or NULL. */
const char *attrs_get(const struct attr_list *l, const char *key);

/* Free the list's memory. */
void attrs_free(struct attr_list *l);

/* Parse "k1=v1,k2=v2" (blanks around keys and values ignored, values
 * %-decoded, empty entries skipped) into l, later keys replacing earlier
 * ones. `what` names the source in the error text. 0, -EINVAL or -ENOMEM. */
int attrs_parse(struct attr_list *l, const char *text, const char *what);

#endif
