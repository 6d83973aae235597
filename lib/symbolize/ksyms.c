/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The kernel's text symbols from /proc/kallsyms, sorted for address lookups. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim() */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/sym_tables.h"

#define PADDING_PREFIX "__pfx_"

struct ksym {
	uint64_t addr;
	uint32_t name;   /* offset in names */
	uint32_t module; /* offset in names; 0: the kernel itself (names[0] is "") */
};

struct ksyms {
	struct ksym *v;
	size_t n, cap;
	struct name_pool names;
};

static int ksym_push(struct ksyms *k, uint64_t addr, uint32_t name, uint32_t module)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 1 << 16;
		struct ksym *v = realloc(k->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = (struct ksym){ .addr = addr, .name = name, .module = module };
	return 0;
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* True for the kallsyms types that name code: t/T, and weak w/W. */
static int is_text_type(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* Parse one line "ADDR TYPE NAME [\t[MODULE]]" into k. */
static int parse_line(struct ksyms *k, char *line, uint32_t *last_mod, char *last_mod_name,
		      size_t last_mod_cap)
{
	char *end, *name, *mod;
	uint64_t addr = strtoull(line, &end, 16);
	char type;
	long name_off, mod_off = 0;

	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return 0;
	type = end[1];
	if (!addr || !is_text_type(type))
		return 0;
	name = end + 3;
	name[strcspn(name, "\n")] = '\0';
	/* The padding before each function (CONFIG_FUNCTION_PADDING) has a
	 * symbol of its own; no stack frame is ever in it, and keeping them
	 * would double the table (58,000 of 122,000 symbols on 6.18). */
	if (!strncmp(name, PADDING_PREFIX, sizeof(PADDING_PREFIX) - 1))
		return 0;
	mod = strchr(name, '\t');
	if (mod) {
		*mod++ = '\0';
		if (*mod == '[')
			mod++;
		mod[strcspn(mod, "]")] = '\0';
		/* Module symbols come in runs: store each module name once per run. */
		if (*last_mod && !strcmp(last_mod_name, mod)) {
			mod_off = *last_mod;
		} else {
			mod_off = name_pool_add(&k->names, mod, strlen(mod));
			if (mod_off < 0)
				return (int)mod_off;
			*last_mod = (uint32_t)mod_off;
			snprintf(last_mod_name, last_mod_cap, "%s", mod);
		}
	}
	name_off = name_pool_add(&k->names, name, strlen(name));
	if (name_off < 0)
		return (int)name_off;
	return ksym_push(k, addr, (uint32_t)name_off, (uint32_t)mod_off);
}

struct ksyms *ksyms_load(void)
{
	struct ksyms *k = calloc(1, sizeof(*k));
	char *line = NULL, mod_name[64] = "";
	size_t line_cap = 0;
	uint32_t last_mod = 0;
	FILE *f;
	int err = 0;

	if (!k)
		return NULL;
	k->names.first_cap = 1 << 20; /* about 1.5 MB of names on 6.18 */
	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		err = errno;
		goto fail;
	}
	/* names[0] is the empty string: module offset 0 means "no module". */
	if (name_pool_add(&k->names, "", 0) < 0)
		err = ENOMEM;
	/* getline(): kernel symbol names may be up to 512 bytes (KSYM_NAME_LEN). */
	while (!err && getline(&line, &line_cap, f) > 0)
		err = -parse_line(k, line, &last_mod, mod_name, sizeof(mod_name));
	free(line);
	fclose(f);
	if (err)
		goto fail;
	if (!k->n) {
		err = ENOENT; /* every address read as 0: kptr_restrict hides them */
		goto fail;
	}
	qsort(k->v, k->n, sizeof(*k->v), ksym_cmp);
#ifdef __GLIBC__
	/* The two arrays grew by doubling: the copies they left behind (about
	 * 2 MB for the 64,000 function symbols of a 6.18 kernel) would stay as RSS. */
	malloc_trim(0);
#endif
	return k;
fail:
	ksyms_free(k);
	errno = err;
	return NULL;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->v);
	free(k->names.buf);
	free(k);
}

int ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t size)
{
	size_t lo = 0, hi = k->n;
	const struct ksym *s;

	/* Last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	s = &k->v[lo - 1];
	if (s->module)
		return snprintf(buf, size, "%s+0x%llx [%s]", k->names.buf + s->name,
				(unsigned long long)(addr - s->addr), k->names.buf + s->module);
	return snprintf(buf, size, "%s+0x%llx", k->names.buf + s->name,
			(unsigned long long)(addr - s->addr));
}
