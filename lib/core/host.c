/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The host table: services the core offers to plugins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "symbolize/symbolize.h"

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

static void host_set_error_errno(struct eun_tracker *t, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err < 0)
		err = -err;
	t->op_errno = err;
	if (err)
		set_error(err, "tracker '%s': %s: %s", t->plugin->desc->name, msg, strerror(err));
	else
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

static int host_set_collect_interval(struct eun_tracker *t, uint32_t interval_ms)
{
	if (!t->plugin->collect) {
		set_error(EINVAL, "tracker '%s': set_collect_interval() needs a collect() operation "
			  "in a descriptor built for plugin ABI 1.1 or later", t->plugin->desc->name);
		return -EINVAL;
	}
	t->collect_interval_ms = interval_ms;
	t->next_collect_ms = monotonic_ms() + interval_ms;
	return 0;
}

static int host_emit(struct eun_tracker *t, const void *rec, size_t len)
{
	struct eun_record_header hdr;
	int n;

	if (!rec || len < sizeof(hdr) || len > t->plugin->max_record) {
		t->decode_errors++;
		return set_error(EBADMSG, "tracker '%s': emit() of a %zu-byte record; records are "
				 "%zu to %zu bytes", t->plugin->desc->name, len, sizeof(hdr),
				 t->plugin->max_record);
	}
	memcpy(&hdr, rec, sizeof(hdr));
	if (hdr.ts_ns) {
		n = event_deliver(t, rec, len);
	} else {
		/* Stamp a copy; the caller's record stays untouched. On the heap, not
		 * in a VLA: record_size is the plugin's, and may be more than the
		 * stack holds. malloc() aligns it at least as ring samples are. */
		void *copy = malloc(len);

		if (!copy)
			return set_error(ENOMEM, "tracker '%s': out of memory emitting a %zu-byte "
					 "record", t->plugin->desc->name, len);
		hdr.ts_ns = boottime_ns();
		memcpy(copy, rec, len);
		memcpy(copy, &hdr, sizeof(hdr));
		n = event_deliver(t, copy, len);
		free(copy);
	}
	return n < 0 ? n : 0;
}

static int host_symbolize(struct eun_tracker *t, uint32_t pid, uint64_t addr, char *buf, size_t size)
{
	/* One per context: the kernel's symbols (about 5 MB) and the ELF tables of
	 * shared libraries are read once for all its trackers. */
	if (!t->ctx->sym && !(t->ctx->sym = symbolizer_new())) {
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
		return -ENOMEM;
	}
	return symbolizer_name(t->ctx->sym, pid, addr, buf, size);
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
	.set_collect_interval = host_set_collect_interval,
	.emit = host_emit,
	.symbolize = host_symbolize,
	.set_error_errno = host_set_error_errno,
};
