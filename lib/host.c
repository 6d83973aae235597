/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The host table: services the core offers to plugins. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void host_log(struct eun_tracker *t, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level < EUN_PLOG_ERROR || level > EUN_PLOG_DEBUG)
		level = EUN_PLOG_INFO;
	log_msg((enum eun_log_level)level, "%s: %s", t->plugin->desc->name, msg);
}

static void host_set_error(struct eun_tracker *t, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_error(EINVAL, "tracker '%s': %s", t->plugin->desc->name, msg);
}

static const char *host_config_str(struct eun_tracker *t, const char *key)
{
	const struct config_value *cv = config_find(t, key);

	return cv ? cv->text : NULL;
}

/* Look up key and check that it is declared, of type `type`, and set. */
static int typed_value(struct eun_tracker *t, const char *key, uint32_t type, uint64_t *out)
{
	const struct config_value *cv = config_find(t, key);

	if (!cv)
		return -ENOENT;
	if (cv->key->type != type)
		return -EINVAL;
	if (!cv->set)
		return -ENODATA;
	*out = cv->uint_val;
	return 0;
}

static int host_config_uint(struct eun_tracker *t, const char *key, uint64_t *out)
{
	return typed_value(t, key, EUN_CONFIG_UINT, out);
}

static int host_config_bool(struct eun_tracker *t, const char *key, int *out)
{
	uint64_t v;
	int err = typed_value(t, key, EUN_CONFIG_BOOL, &v);

	if (!err)
		*out = (int)v;
	return err;
}

static int host_prepare_bpf(struct eun_tracker *t, struct bpf_object *obj)
{
	int err = bpf_settings_apply(t, obj);

	if (!err)
		t->obj = obj;
	return err;
}

const struct eun_host core_host = {
	.size = sizeof(struct eun_host),
	.abi_major = EUN_PLUGIN_ABI_MAJOR,
	.abi_minor = EUN_PLUGIN_ABI_MINOR,
	.log = host_log,
	.set_error = host_set_error,
	.config_str = host_config_str,
	.config_uint = host_config_uint,
	.config_bool = host_config_bool,
	.prepare_bpf = host_prepare_bpf,
};
