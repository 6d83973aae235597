/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Open one plugin file (or wrap an in-process descriptor) and check its ABI version
 * and descriptor. A leaf of the core: it knows no context. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Version check on the frozen head of the descriptor. */
static int check_abi(const struct eun_plugin_desc *d, const char *path)
{
	const char *name = d->name ? d->name : "?";

	if (d->size < offsetof(struct eun_plugin_desc, version))
		return set_error(EINVAL,
				 "plugin file %s: descriptor is %u bytes, too small to hold even its ABI version; "
				 "rebuild the plugin against <eunomia/plugin.h>",
				 path, d->size);
	if (d->abi_major != EUN_PLUGIN_ABI_MAJOR || d->abi_minor > EUN_PLUGIN_ABI_MINOR)
		return set_error(EPROTO,
				 "plugin '%s' (%s) was built for plugin ABI %u.%u; this libeunomia speaks %u.%u: "
				 "%s",
				 name, path, d->abi_major, d->abi_minor, EUN_PLUGIN_ABI_MAJOR,
				 EUN_PLUGIN_ABI_MINOR,
				 d->abi_major > EUN_PLUGIN_ABI_MAJOR ||
						 (d->abi_major == EUN_PLUGIN_ABI_MAJOR &&
						  d->abi_minor > EUN_PLUGIN_ABI_MINOR)
					 ? "upgrade libeunomia or rebuild the plugin against this one's headers"
					 : "rebuild the plugin against this libeunomia's headers");
	return 0;
}

static size_t largest_record(const struct eun_plugin_desc *d)
{
	size_t max = sizeof(struct eun_record_header);

	for (uint32_t i = 0; i < d->n_event_types; i++)
		if (d->event_types[i].record_size > max)
			max = d->event_types[i].record_size;
	return max;
}

int plugin_open(const char *path, struct eun_plugin **out)
{
	const struct eun_plugin_desc *d;
	eun_plugin_entry_fn entry;
	struct eun_plugin *p;
	void *dl;
	int err;

	if ((err = plugin_file_check(path)))
		return err;
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return set_error(ENOENT, "cannot load plugin %s: %s", path, dlerror());
	*(void **)&entry = dlsym(dl, EUN_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		dlclose(dl);
		return set_error(EINVAL,
				 "%s is not a libeunomia plugin: it does not export %s(); "
				 "define it with EUN_PLUGIN_DEFINE() from <eunomia/plugin.h>",
				 path, EUN_PLUGIN_ENTRY_SYMBOL);
	}
	d = entry();
	if (!d) {
		dlclose(dl);
		return set_error(EINVAL, "plugin file %s: %s() returned NULL instead of a descriptor", path,
				 EUN_PLUGIN_ENTRY_SYMBOL);
	}
	err = plugin_from_desc(d, path, &p);
	if (err) {
		dlclose(dl);
		return err;
	}
	p->dl = dl;
	*out = p;
	return 0;
}

int plugin_from_desc(const struct eun_plugin_desc *d, const char *where, struct eun_plugin **out)
{
	struct eun_plugin *p;
	int err = check_abi(d, where);

	if (!err)
		err = plugin_validate(d, where);
	if (err)
		return err;
	p = calloc(1, sizeof(*p));
	if (p)
		p->path = strdup(where);
	if (!p || !p->path) {
		free(p);
		return set_error(ENOMEM, "out of memory loading plugin %s", where);
	}
	p->desc = d;
	p->max_record = largest_record(d);
	p->collect = plugin_desc_collect(d);
	p->poll_fd = plugin_desc_poll_fd(d);
	p->poll = plugin_desc_poll(d);
	if (PLUGIN_DESC_HAS(d, 3, kernel_drops))
		p->kernel_drops = d->kernel_drops;
	*out = p;
	return 0;
}

void plugin_close(struct eun_plugin *p)
{
	if (!p)
		return;
	if (p->dl)
		dlclose(p->dl);
	if (p->release)
		p->release(p->release_arg);
	free(p->path);
	free(p);
}
