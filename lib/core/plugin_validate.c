/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Check a plugin descriptor: metadata, schemas, config keys and operations. */
#include <string.h>

#include "core/core.h"

/* Every ABI 1.x descriptor holds at least the 1.0 members (through decode). */
#define DESC_SIZE_1_0 (offsetof(struct eun_plugin_desc, decode) + sizeof(void *))

#define KNOWN_FIELD_FLAGS (EUN_FIELD_F_HEX | EUN_FIELD_F_KEY | EUN_FIELD_F_COUNTER | \
			   EUN_FIELD_F_GAUGE | EUN_FIELD_F_ERRNO)

/* A field name: an identifier, or from ABI 1.3 a dotted path of identifiers
 * (the members of a nested struct, "proc.pid"). */
static bool valid_field_name(const char *s, const struct eun_plugin_desc *d)
{
	size_t part = 0;

	if (!s || !*s || strlen(s) > 63)
		return false;
	for (; *s; s++) {
		if (*s == '.' && d->abi_minor >= 3 && part) {
			part = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
		part++;
	}
	return part > 0;
}

static bool valid_ident(const char *s)
{
	if (!s || !*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* A HIST_LOG2 field holds 1 to 64 uint64_t slots. */
#define HIST_MAX_SLOTS 64

/* Required size in bytes for a field type; 0 for STR and HIST_LOG2 (checked apart). */
static uint32_t type_size(uint32_t type)
{
	switch (type) {
	case EUN_FIELD_U8: case EUN_FIELD_S8: case EUN_FIELD_BOOL: return 1;
	case EUN_FIELD_U16: case EUN_FIELD_S16: return 2;
	case EUN_FIELD_U32: case EUN_FIELD_S32: case EUN_FIELD_IPV4: return 4;
	case EUN_FIELD_U64: case EUN_FIELD_S64: return 8;
	case EUN_FIELD_IPV6: return 16;
	default: return 0;
	}
}

static int check_field(const char *pn, const char *path, const struct eun_plugin_desc *d,
		       const struct eun_event_type *et, const struct eun_field *f)
{
	const char *fname = f->name ? f->name : "(null)";

	if (!valid_field_name(f->name, d))
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' has a field named '%s'; "
				 "field names must be non-empty [a-z0-9_]%s", pn, path, et->name, fname,
				 d->abi_minor >= 3 ? ", or such parts joined by dots" : "");
	if (header_field_index(f->name) >= 0)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' clashes with the "
				 "common header field of that name; rename it", pn, path, et->name, fname);
	if (f->type < EUN_FIELD_U8 || f->type >= EUN_FIELD_TYPE_MAX_)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' has unknown type %u",
				 pn, path, et->name, fname, f->type);
	if (f->flags & ~KNOWN_FIELD_FLAGS)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' has unknown flags 0x%x",
				 pn, path, et->name, fname, f->flags & ~KNOWN_FIELD_FLAGS);
	/* HIST_LOG2 sizes: see check_hist(). */
	if (f->type != EUN_FIELD_HIST_LOG2 &&
	    (f->type == EUN_FIELD_STR ? f->size == 0 : f->size != type_size(f->type)))
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' has size %u, "
				 "which does not fit its type", pn, path, et->name, fname, f->size);
	if (f->offset < sizeof(struct eun_record_header) ||
	    (uint64_t)f->offset + f->size > et->record_size)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' at offset %u size %u "
				 "lies outside the record body (bytes %zu..%u)", pn, path, et->name, fname,
				 f->offset, f->size, sizeof(struct eun_record_header), et->record_size);
	return 0;
}

/* A histogram: whole slots, 1..64 of them, no scalar flags, a U64 <name>_sum beside it. */
static int check_hist(const char *pn, const char *path, const struct eun_plugin_desc *d,
		      const struct eun_event_type *et, const struct eun_field *f)
{
	char sum_name[80];

	if (d->abi_minor < 1)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' is a HIST_LOG2, which "
				 "plugin ABI %u.%u does not have; rebuild against ABI 1.1 headers",
				 pn, path, et->name, f->name, d->abi_major, d->abi_minor);
	if (f->offset % 8)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' histogram '%s' is at offset %u; "
				 "it must be 8-byte aligned", pn, path, et->name, f->name, f->offset);
	if (f->size == 0 || f->size % 8 || f->size / 8 > HIST_MAX_SLOTS)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' histogram '%s' has size %u; it "
				 "must be 1 to %d uint64_t slots", pn, path, et->name, f->name, f->size,
				 HIST_MAX_SLOTS);
	if (f->flags & (EUN_FIELD_F_HEX | EUN_FIELD_F_KEY | EUN_FIELD_F_GAUGE | EUN_FIELD_F_ERRNO))
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' histogram '%s' may carry only "
				 "the COUNTER flag", pn, path, et->name, f->name);
	snprintf(sum_name, sizeof(sum_name), "%s_sum", f->name);
	for (uint32_t i = 0; i < et->n_fields; i++)
		if (et->fields[i].name && !strcmp(et->fields[i].name, sum_name))
			return et->fields[i].type == EUN_FIELD_U64 ? 0
			       : set_error(EINVAL, "plugin '%s' (%s): event '%s' field '%s' must be U64, "
					   "as the sum of histogram '%s'", pn, path, et->name, sum_name,
					   f->name);
	return set_error(EINVAL, "plugin '%s' (%s): event '%s' histogram '%s' needs a U64 field "
			 "'%s' with the sum of the values it counts", pn, path, et->name, f->name,
			 sum_name);
}

/* Field checks that depend on the descriptor's ABI and the other fields. */
static int check_field_in_context(const char *pn, const char *path, const struct eun_plugin_desc *d,
				  const struct eun_event_type *et, const struct eun_field *f)
{
	if (f->type == EUN_FIELD_HIST_LOG2)
		return check_hist(pn, path, d, et, f);
	return 0;
}

static int check_event_type(const char *pn, const char *path, const struct eun_plugin_desc *d,
			    uint32_t idx)
{
	const struct eun_event_type *et = &d->event_types[idx];
	int err;

	if (!valid_ident(et->name))
		return set_error(EINVAL, "plugin '%s' (%s): event type #%u has no valid name "
				 "(non-empty [a-z0-9_])", pn, path, idx);
	if (et->record_size < sizeof(struct eun_record_header))
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' record_size %u is smaller than "
				 "the %zu-byte record header", pn, path, et->name, et->record_size,
				 sizeof(struct eun_record_header));
	if (et->reserved_)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' has a non-zero reserved_ member",
				 pn, path, et->name);
	if (et->n_fields && !et->fields)
		return set_error(EINVAL, "plugin '%s' (%s): event '%s' declares %u fields but fields is NULL",
				 pn, path, et->name, et->n_fields);
	for (uint32_t j = 0; j < idx; j++) {
		if (d->event_types[j].id == et->id)
			return set_error(EINVAL, "plugin '%s' (%s): events '%s' and '%s' share id %u",
					 pn, path, d->event_types[j].name, et->name, et->id);
		if (!strcmp(d->event_types[j].name, et->name))
			return set_error(EINVAL, "plugin '%s' (%s): two event types are named '%s'",
					 pn, path, et->name);
	}
	for (uint32_t i = 0; i < et->n_fields; i++) {
		if ((err = check_field(pn, path, d, et, &et->fields[i])) ||
		    (err = check_field_in_context(pn, path, d, et, &et->fields[i])))
			return err;
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(et->fields[j].name, et->fields[i].name))
				return set_error(EINVAL, "plugin '%s' (%s): event '%s' has two fields named '%s'",
						 pn, path, et->name, et->fields[i].name);
	}
	return 0;
}

static int check_config_key(const char *pn, const char *path, const struct eun_config_key *k)
{
	uint64_t v;

	if (!valid_ident(k->name))
		return set_error(EINVAL, "plugin '%s' (%s): a config key has no valid name "
				 "(non-empty [a-z0-9_])", pn, path);
	if (k->reserved_)
		return set_error(EINVAL, "plugin '%s' (%s): config key '%s' has a non-zero reserved_ member",
				 pn, path, k->name);
	if (k->type < EUN_CONFIG_BOOL || k->type >= EUN_CONFIG_TYPE_MAX_)
		return set_error(EINVAL, "plugin '%s' (%s): config key '%s' has unknown type %u",
				 pn, path, k->name, k->type);
	if (k->type == EUN_CONFIG_UINT && k->min > k->max)
		return set_error(EINVAL, "plugin '%s' (%s): config key '%s' has min %llu above max %llu",
				 pn, path, k->name, (unsigned long long)k->min, (unsigned long long)k->max);
	if (k->default_value && config_parse(k, k->default_value, &v) < 0)
		return set_error(EINVAL, "plugin '%s' (%s): default of config key '%s' is invalid: %s",
				 pn, path, k->name, eun_last_error());
	for (size_t i = 0; i < eun_common_config_count(); i++)
		if (!strcmp(k->name, eun_common_config_key(i)->name))
			return set_error(EINVAL, "plugin '%s' (%s): config key '%s' is a common key "
					 "the core handles; remove it", pn, path, k->name);
	return 0;
}

static int check_ops(const char *pn, const char *path, const struct eun_plugin_desc *d)
{
	const char *missing = !d->create ? "create" : !d->destroy ? "destroy"
			    : !d->start  ? "start"  : !d->stop    ? "stop" : NULL;

	if (missing)
		return set_error(EINVAL, "plugin '%s' (%s): required operation %s() is NULL; "
				 "create, destroy, start and stop must all be set", pn, path, missing);
	if (!plugin_desc_poll_fd(d) != !plugin_desc_poll(d))
		return set_error(EINVAL, "plugin '%s' (%s): has %s() without %s(); set both or neither",
				 pn, path, plugin_desc_poll(d) ? "poll" : "poll_fd",
				 plugin_desc_poll(d) ? "poll_fd" : "poll");
	if (d->n_event_types && !d->ring_fd && !plugin_desc_collect(d) && !plugin_desc_poll(d))
		return set_error(EINVAL, "plugin '%s' (%s): declares event types but neither ring_fd() "
				 "nor collect() nor poll() to produce them", pn, path);
	if (plugin_desc_poll(d) && !d->n_event_types)
		return set_error(EINVAL, "plugin '%s' (%s): has poll() but declares no event types "
				 "to emit", pn, path);
	if (plugin_desc_collect(d) && !d->n_event_types)
		return set_error(EINVAL, "plugin '%s' (%s): has collect() but declares no event types "
				 "to emit", pn, path);
	if (d->decode && !d->n_event_types)
		return set_error(EINVAL, "plugin '%s' (%s): has decode() but declares no event types "
				 "to decode into", pn, path);
	return 0;
}

int plugin_validate(const struct eun_plugin_desc *d, const char *path)
{
	const char *pn = d->name ? d->name : "(null)";
	int err;

	if (d->size < DESC_SIZE_1_0)
		return set_error(EINVAL, "plugin file %s: descriptor is %u bytes but ABI 1.0 needs %zu; "
				 "rebuild the plugin against <eunomia/plugin.h>",
				 path, d->size, DESC_SIZE_1_0);
	if (!valid_ident(d->name))
		return set_error(EINVAL, "plugin file %s: tracker name '%s' is missing or not [a-z0-9_]",
				 path, pn);
	if (!d->version || !d->description || !d->license)
		return set_error(EINVAL, "plugin '%s' (%s): version, description and license must all "
				 "be set", pn, path);
	if ((d->n_event_types && !d->event_types) || (d->n_config_keys && !d->config_keys))
		return set_error(EINVAL, "plugin '%s' (%s): a count is set but its array is NULL", pn, path);
	for (uint32_t i = 0; i < d->n_event_types; i++)
		if ((err = check_event_type(pn, path, d, i)))
			return err;
	for (uint32_t i = 0; i < d->n_config_keys; i++) {
		if ((err = check_config_key(pn, path, &d->config_keys[i])))
			return err;
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(d->config_keys[j].name, d->config_keys[i].name))
				return set_error(EINVAL, "plugin '%s' (%s): config key '%s' is declared twice",
						 pn, path, d->config_keys[i].name);
	}
	return check_ops(pn, path, d);
}
