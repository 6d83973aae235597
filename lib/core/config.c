/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Tracker configuration: the common keys, parsing and validation of values. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

#define MAX_STRING_LEN 255

/* Keys every tracker accepts; the core applies them through prepare_bpf. */
static const struct eun_config_key common_keys[] = {
	{ .name = "pid", .type = EUN_CONFIG_UINT, .default_value = "0", .max = 4194304,
	  .description = "trace only this process (thread group) id; 0 traces all" },
	{ .name = "uid", .type = EUN_CONFIG_UINT, .max = 4294967294u,
	  .description = "trace only tasks with this real user id; unset traces all" },
	{ .name = "comm", .type = EUN_CONFIG_STRING, .default_value = "",
	  .description = "trace only tasks with this command name (exact, up to 15 bytes)" },
	{ .name = "ringbuf_kb", .type = EUN_CONFIG_UINT, .min = 4, .max = 1048576,
	  .description = "ring buffer size in KiB, a power of two; unset: the tracker's own "
			 "size (1024, less for trackers of rare events); not for trackers whose "
			 "records all come from collect()" },
	{ .name = "wakeup_kb", .type = EUN_CONFIG_UINT, .default_value = "64", .max = 1048576,
	  .description = "wake the reader once this many KiB wait (0: every event); smaller "
			 "than the ring buffer (unset: 64, at most a sixteenth of the ring)" },
	{ .name = "cgroup", .type = EUN_CONFIG_STRING, .default_value = "",
	  .description = "trace only tasks in this cgroup v2 directory or below it (a path "
			 "below the cgroup v2 mount, e.g. /docker/ID, or the full path); "
			 "\"\" traces all" },
	{ .name = "container", .type = EUN_CONFIG_STRING, .default_value = "",
	  .description = "trace only tasks of this running container (its id, a unique id "
			 "prefix or its name) and its sub-cgroups; resolved to its cgroup when "
			 "the tracker is created; \"\" traces all" },
};

#define N_COMMON (sizeof(common_keys) / sizeof(common_keys[0]))

size_t eun_common_config_count(void)
{
	return N_COMMON;
}

const struct eun_config_key *eun_common_config_key(size_t i)
{
	return i < N_COMMON ? &common_keys[i] : NULL;
}

static int parse_bool(const char *s, uint64_t *out)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(s, no[i]))
			return *out = 0, 0;
	}
	return set_error(EINVAL, "'%s' is not a boolean (use true or false)", s);
}

static int parse_uint(const struct eun_config_key *k, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!*s || *s == '-' || *s == '+' || *s == ' ' || !strcmp(s, "0x") || !strcmp(s, "0X"))
		return set_error(EINVAL, "'%s' is not an unsigned number", s);
	/* Decimal, or hex with 0x; a leading 0 is not octal. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		v = strtoull(s + 2, &end, 16);
	else
		v = strtoull(s, &end, 10);
	if (*end || errno)
		return set_error(EINVAL, "'%s' is not an unsigned number%s", s,
				 errno == ERANGE ? " (too large)" : "");
	if ((k->min || k->max) && (v < k->min || v > k->max))
		return set_error(ERANGE, "%llu is out of range [%llu, %llu]", v,
				 (unsigned long long)k->min, (unsigned long long)k->max);
	*out = v;
	return 0;
}

int config_parse(const struct eun_config_key *k, const char *text, uint64_t *uint_out)
{
	*uint_out = 0;
	switch (k->type) {
	case EUN_CONFIG_BOOL:
		return parse_bool(text, uint_out);
	case EUN_CONFIG_UINT:
		return parse_uint(k, text, uint_out);
	case EUN_CONFIG_STRING:
		if (strlen(text) > MAX_STRING_LEN)
			return set_error(EINVAL, "value is longer than %d bytes", MAX_STRING_LEN);
		return 0;
	default:
		return set_error(EINVAL, "unknown config type %u", k->type);
	}
}

/* Extra rules of the common keys beyond their declared type and range. */
static int check_common(const struct eun_tracker *t)
{
	const struct config_value *comm = config_find(t, "comm");
	const struct config_value *rb = config_find(t, "ringbuf_kb");
	const struct config_value *wk = config_find(t, "wakeup_kb");
	const struct config_value *cgroup = config_find(t, "cgroup");
	const struct config_value *container = config_find(t, "container");

	if (strlen(comm->text) >= EUN_COMM_LEN)
		return set_error(EINVAL, "tracker '%s': config key 'comm': '%s' is longer than the "
				 "kernel's %d-byte task name; use its first %d bytes",
				 t->plugin->desc->name, comm->text, EUN_COMM_LEN - 1, EUN_COMM_LEN - 1);
	if (rb->set && (rb->uint_val & (rb->uint_val - 1)))
		return set_error(EINVAL, "tracker '%s': config key 'ringbuf_kb': %llu is not a power "
				 "of two (e.g. 1024, 2048, 4096)", t->plugin->desc->name,
				 (unsigned long long)rb->uint_val);
	/* Without ringbuf_kb the ring's size is known only from the BPF object
	 * (bpf_settings.c checks it then). */
	if (rb->set && wk->given && wk->uint_val >= rb->uint_val)
		return set_error(EINVAL, "tracker '%s': config key 'wakeup_kb': %llu must be smaller "
				 "than ringbuf_kb (%llu)", t->plugin->desc->name,
				 (unsigned long long)wk->uint_val, (unsigned long long)rb->uint_val);
	if (cgroup->text[0] && container->text[0])
		return set_error(EINVAL, "tracker '%s': config keys 'cgroup' and 'container' both "
				 "choose the cgroup to trace; set only one of them",
				 t->plugin->desc->name);
	return 0;
}

static int set_value(struct config_value *cv, const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return set_error(ENOMEM, "out of memory");
	free(cv->text);
	cv->text = copy;
	cv->set = true;
	return 0;
}

/* Comma-separated key names of the tracker, for "unknown key" messages. */
static const char *config_key_name(const void *tracker, size_t i)
{
	return ((const struct eun_tracker *)tracker)->config[i].key->name;
}

static int apply_entry(struct eun_tracker *t, const struct eun_config_entry *e)
{
	const char *tn = t->plugin->desc->name;
	struct config_value *cv;
	char keys[512];

	if (!e->key || !e->value)
		return set_error(EINVAL, "tracker '%s': config entry with a NULL key or value", tn);
	cv = (struct config_value *)config_find(t, e->key);
	if (!cv) {
		join_names(keys, sizeof(keys), config_key_name, t, t->n_config, "none");
		return set_error(EINVAL, "tracker '%s' has no config key '%s'; it accepts: %s", tn,
				 e->key, keys);
	}
	if (config_parse(cv->key, e->value, &cv->uint_val) < 0)
		return set_error(EINVAL, "tracker '%s': config key '%s': %s", tn, e->key,
				 eun_last_error());
	cv->given = true;
	return set_value(cv, e->value);
}

int config_build(struct eun_tracker *t, const struct eun_config_entry *entries, size_t n)
{
	const struct eun_plugin_desc *d = t->plugin->desc;
	int err;

	t->n_config = N_COMMON + d->n_config_keys;
	t->config = calloc(t->n_config, sizeof(*t->config));
	if (!t->config)
		return set_error(ENOMEM, "out of memory");
	for (size_t i = 0; i < t->n_config; i++) {
		struct config_value *cv = &t->config[i];

		cv->key = i < N_COMMON ? &common_keys[i] : &d->config_keys[i - N_COMMON];
		if (!cv->key->default_value) {
			if ((err = set_value(cv, "")))
				return err;
			cv->set = false;
			continue;
		}
		/* Defaults were validated when the plugin was loaded. */
		config_parse(cv->key, cv->key->default_value, &cv->uint_val);
		if ((err = set_value(cv, cv->key->default_value)))
			return err;
	}
	for (size_t i = 0; i < n; i++)
		if ((err = apply_entry(t, &entries[i])))
			return err;
	return check_common(t);
}

void config_free(struct eun_tracker *t)
{
	for (size_t i = 0; i < t->n_config; i++)
		free(t->config[i].text);
	free(t->config);
	t->config = NULL;
	t->n_config = 0;
}

const struct config_value *config_find(const struct eun_tracker *t, const char *key)
{
	for (size_t i = 0; i < t->n_config; i++)
		if (!strcmp(t->config[i].key->name, key))
			return &t->config[i];
	return NULL;
}
