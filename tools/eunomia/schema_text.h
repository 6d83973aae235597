/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text forms of schema entries (field and config types, defaults, ranges). */
#ifndef EUNOMIA_CLI_SCHEMA_TEXT_H
#define EUNOMIA_CLI_SCHEMA_TEXT_H

#include <stddef.h>

#include <eunomia/schema.h>

/* Type of a field, e.g. "u32" or "str[256]", written into buf. Returns buf. */
const char *field_type_text(const struct eun_field *f, char *buf, size_t size);

/* Type of a config key: "bool", "uint" or "string". */
const char *config_type_text(const struct eun_config_key *k);

/* Default of a config key as a person would type it; "" (quotes included)
 * for an empty string. */
const char *config_default_text(const struct eun_config_key *k);

/* Accepted range of a UINT key ("1..1024", "any"), "-" for other types. Returns buf. */
const char *config_range_text(const struct eun_config_key *k, char *buf, size_t size);

/* The first line of a description, copied into buf ("" for NULL). Returns buf. */
const char *first_line(const char *text, char *buf, size_t size);

#endif
