/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Rules sources: files, directories of them and strings, read and parsed as YAML. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules_internal.h"

/* Keep a source, hash its bytes, parse it and apply its items. Takes text. */
static int source_add(struct eun_rules *r, const char *name, char *text, size_t len)
{
	struct rules_source *src = calloc(1, sizeof(*src));
	struct ydoc_error yerr;
	struct sha256 done;
	int err;

	if (!src || !(src->name = strdup(name)) || ptr_push((void ***)&r->sources, &r->n_sources, src)) {
		if (src)
			free(src->name);
		free(src);
		free(text);
		return set_error(ENOMEM, "out of memory loading rules from %s", name);
	}
	src->text = text;
	src->len = len;
	sha256_update(&r->sha_state, text, len);
	done = r->sha_state;
	sha256_hex(&done, r->sha256);

	err = ydoc_parse(text, len, &src->doc, &yerr);
	if (err == -ENOMEM)
		return set_error(ENOMEM, "out of memory parsing %s", name);
	if (err) {
		struct src_loc loc = { .file = src->name, .line = yerr.line, .col = yerr.col };

		diag_add(r, EUN_RULES_ERROR, &loc, NULL, NULL, "invalid YAML: %s", yerr.msg);
		return 0;
	}
	items_apply(r, src);
	return r->oom ? set_error(ENOMEM, "out of memory loading rules from %s", name) : 0;
}

/* Read the regular file at path, at most RULES_MAX_SOURCE_BYTES. */
static int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int err;

	if (fd < 0)
		return set_error(errno, "cannot open rules file %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		err = set_error(errno, "cannot stat rules file %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = set_error(EINVAL, "rules file %s is not a regular file", path);
		goto out;
	}
	if (st.st_size > (off_t)RULES_MAX_SOURCE_BYTES) {
		err = set_error(EFBIG, "rules file %s has %lld bytes; at most %u are read", path,
				(long long)st.st_size, RULES_MAX_SOURCE_BYTES);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = set_error(ENOMEM, "out of memory reading %s", path);
		goto out;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = set_error(errno, "cannot read rules file %s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break; /* shrank meanwhile: take what there is */
		n += (size_t)got;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	err = 0;
out:
	free(buf);
	close(fd);
	return err;
}

static int load_one_file(struct eun_rules *r, const char *path)
{
	char *text;
	size_t len;
	int err = read_file(path, &text, &len);

	return err ? err : source_add(r, path, text, len);
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 5 && !strcmp(name + n - 5, ".yaml")) ||
				  (n > 4 && !strcmp(name + n - 4, ".yml")));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml / *.yml regular file of the directory, in name order. */
static int load_dir(struct eun_rules *r, const char *path, DIR *dir)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	int err = 0;

	while ((de = readdir(dir))) {
		char *copy;

		if (!yaml_name(de->d_name))
			continue;
		if (!(copy = strdup(de->d_name)) || ptr_push((void ***)&names, &n, copy)) {
			free(copy);
			err = set_error(ENOMEM, "out of memory listing %s", path);
			break;
		}
	}
	if (!err)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && !err; i++) {
		size_t plen = strlen(path);
		char *full = malloc(plen + strlen(names[i]) + 2);
		struct stat st;

		if (!full) {
			err = set_error(ENOMEM, "out of memory listing %s", path);
			break;
		}
		sprintf(full, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]);
		/* Directories named *.yaml, and dangling links, are no rules files. */
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			err = load_one_file(r, full);
		free(full);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

int eun_rules_load_file(struct eun_rules *r, const char *path)
{
	DIR *dir;
	int err;

	clear_error();
	if (!r || !path)
		return set_error(EINVAL, "eun_rules_load_file: rules and path are required");
	if (r->compiled)
		return set_error(EBUSY, "eun_rules_load_file: load every rules file before eun_rules_compile()");
	dir = opendir(path);
	if (!dir) /* not a directory (or not listable: open() says why) */
		return errno == ENOENT ? set_error(ENOENT, "no rules file or directory %s", path)
				       : load_one_file(r, path);
	err = load_dir(r, path, dir);
	closedir(dir);
	return err;
}

int eun_rules_load_string(struct eun_rules *r, const char *name, const char *text, size_t len)
{
	char *copy;

	clear_error();
	if (!r || (!text && len))
		return set_error(EINVAL, "eun_rules_load_string: rules and text are required");
	if (r->compiled)
		return set_error(EBUSY, "eun_rules_load_string: load every source before eun_rules_compile()");
	if (len > RULES_MAX_SOURCE_BYTES)
		return set_error(EFBIG, "rules string %s has %zu bytes; at most %u are read",
				 name ? name : "<string>", len, RULES_MAX_SOURCE_BYTES);
	copy = malloc(len + 1);
	if (!copy)
		return set_error(ENOMEM, "out of memory loading rules");
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return source_add(r, name ? name : "<string>", copy, len);
}

void sources_free(struct eun_rules *r)
{
	for (size_t i = 0; i < r->n_sources; i++) {
		ydoc_free(r->sources[i]->doc);
		free(r->sources[i]->text);
		free(r->sources[i]->name);
		free(r->sources[i]);
	}
	free(r->sources);
	r->sources = NULL;
	r->n_sources = 0;
}
