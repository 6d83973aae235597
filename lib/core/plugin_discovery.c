/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Find plugin files on the search path and open each with the loader. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

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
static void discover_dir(const char *dir, int (*add)(void *, struct eun_plugin *), void *cookie)
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
	if (n > 1) /* names is NULL for an empty directory */
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
		if (add(cookie, p))
			plugin_close(p);
	}
	free(names);
	clear_error();
}

/* Walk a colon-separated list of directories. */
static int discover_list(const char *list, int (*add)(void *, struct eun_plugin *), void *cookie)
{
	char *copy, *save = NULL;

	if (!list || !*list)
		return 0;
	copy = strdup(list);
	if (!copy)
		return set_error(ENOMEM, "out of memory");
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		discover_dir(dir, add, cookie);
	free(copy);
	return 0;
}

int plugin_discover(const char *opt_path, bool no_default,
		    int (*add)(void *cookie, struct eun_plugin *p), void *cookie)
{
	int err = discover_list(opt_path, add, cookie);

	if (err || no_default)
		return err;
	err = discover_list(getenv("EUNOMIA_PLUGIN_PATH"), add, cookie);
	if (!err)
		err = discover_list(EUN_PLUGINDIR, add, cookie);
	return err;
}
