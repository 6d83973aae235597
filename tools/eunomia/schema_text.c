/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Text forms of schema entries (field and config types, defaults, ranges). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "schema_text.h"

/* Type of a field, e.g. "u32", "str[256]" or "hist_log2[32]" (slots). */
const char *field_type_text(const struct eun_field *f, char *buf, size_t size)
{
	static const char *const names[EUN_FIELD_TYPE_MAX_] = {
		[EUN_FIELD_U8] = "u8",     [EUN_FIELD_U16] = "u16",
		[EUN_FIELD_U32] = "u32",   [EUN_FIELD_U64] = "u64",
		[EUN_FIELD_S8] = "s8",     [EUN_FIELD_S16] = "s16",
		[EUN_FIELD_S32] = "s32",   [EUN_FIELD_S64] = "s64",
		[EUN_FIELD_BOOL] = "bool", [EUN_FIELD_STR] = "str",
		[EUN_FIELD_IPV4] = "ipv4", [EUN_FIELD_IPV6] = "ipv6",
	};

	if (f->type == EUN_FIELD_STR)
		snprintf(buf, size, "str[%" PRIu32 "]", f->size);
	else if (f->type == EUN_FIELD_HIST_LOG2)
		snprintf(buf, size, "hist_log2[%" PRIu32 "]", f->size / (uint32_t)sizeof(uint64_t));
	else if (f->type < EUN_FIELD_TYPE_MAX_ && names[f->type])
		snprintf(buf, size, "%s", names[f->type]);
	else
		snprintf(buf, size, "type %" PRIu32, f->type);
	return buf;
}

/* Type of a config key. */
const char *config_type_text(const struct eun_config_key *k)
{
	switch (k->type) {
	case EUN_CONFIG_BOOL:
		return "bool";
	case EUN_CONFIG_UINT:
		return "uint";
	case EUN_CONFIG_STRING:
		return "string";
	}
	return "?";
}

/* Default of a config key; a key without one is unset until given. */
const char *config_default_text(const struct eun_config_key *k)
{
	if (!k->default_value)
		return "(unset)";
	return *k->default_value ? k->default_value : "\"\"";
}

/* Accepted range of a UINT key, "-" for other types. */
const char *config_range_text(const struct eun_config_key *k, char *buf, size_t size)
{
	if (k->type != EUN_CONFIG_UINT)
		snprintf(buf, size, "-");
	else if (k->min == 0 && k->max == 0)
		snprintf(buf, size, "any");
	else
		snprintf(buf, size, "%" PRIu64 "..%" PRIu64, k->min, k->max);
	return buf;
}

/* The first line of a description. */
const char *first_line(const char *text, char *buf, size_t size)
{
	if (!text)
		text = "";
	snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
	return buf;
}
