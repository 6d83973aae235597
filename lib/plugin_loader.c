/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Open plugin files, check their ABI version, and discover them on the search path. */
#include <dirent.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
	err = check_abi(d, path);
	if (!err)
		err = plugin_validate(d, path);
	if (err) {
		dlclose(dl);
		return err;
	}
	p = calloc(1, sizeof(*p));
	if (p)
		p->path = strdup(path);
	if (!p || !p->path) {
		free(p);
		dlclose(dl);
		return set_error(ENOMEM, "out of memory loading plugin %s", path);
	}
	p->dl = dl;
	p->desc = d;
	p->max_record = largest_record(d);
	p->collect = plugin_desc_collect(d);
	*out = p;
	return 0;
}

void plugin_close(struct eun_plugin *p)
{
	if (!p)
		return;
	dlclose(p->dl);
	free(p->path);
	free(p);
}

static bool is_plugin_file(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && name[0] != '.' && strcmp(name + n - 3, ".so") == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every *.so of dir in name order; bad files are skipped with a warning. */
static void discover_dir(struct eun_ctx *ctx, const char *dir)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dp = opendir(dir);

	if (!dp) {
		log_msg(EUN_LOG_DEBUG, "plugin directory %s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dp))) {
		if (!is_plugin_file(de->d_name))
			continue;
		if (n == cap) {
			char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		if (!(names[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct eun_plugin *p;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (plugin_open(path, &p) < 0) {
			log_msg(EUN_LOG_WARN, "skipping plugin: %s", eun_last_error());
			continue;
		}
		if (ctx_add_plugin(ctx, p) < 0) {
			log_msg(EUN_LOG_DEBUG, "%s", eun_last_error());
			plugin_close(p);
		}
	}
	free(names);
	clear_error();
}

/* Walk a colon-separated list of directories. */
static int discover_list(struct eun_ctx *ctx, const char *list)
{
	char *copy, *save = NULL;

	if (!list || !*list)
		return 0;
	copy = strdup(list);
	if (!copy)
		return set_error(ENOMEM, "out of memory");
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		discover_dir(ctx, dir);
	free(copy);
	return 0;
}

int plugin_discover(struct eun_ctx *ctx, const char *opt_path, bool no_default)
{
	int err = discover_list(ctx, opt_path);

	if (err || no_default)
		return err;
	err = discover_list(ctx, getenv("EUNOMIA_PLUGIN_PATH"));
	if (!err)
		err = discover_list(ctx, EUN_PLUGINDIR);
	return err;
}
