/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Annotations that say which struct a ring buffer or perf buffer carries
 * (its BTF cannot: the kernel refuses a value type on those maps) and which
 * maps hold aggregates:
 *  - <eunomia/bpf/export.h>: EUN_EXPORT_EVENT(map, struct) and
 *    EUN_EXPORT_EVENT_ID(map, struct, id) declare a global
 *    `const struct S (*eun_export__MAP__S)[ID]`, EUN_EXPORT_MAP(map) a global
 *    `eun_export_map__MAP`;
 *  - Inspektor Gadget: GADGET_TRACER(name, map, struct) declares
 *    `gadget_tracer_NAME___MAP___STRUCT`, GADGET_MAPITER(name, map)
 *    `gadget_mapiter_NAME___MAP`;
 *  - eunomia-bpf: a "/// @export" comment before `struct NAME` in the
 *    program's source, read when it lies beside the object.
 * The global variables are found by name in the object's BTF.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/btf.h>

#include "bpfobj/bpfobj.h"

#define EUN_EVENT_PREFIX "eun_export__"
#define EUN_MAP_PREFIX "eun_export_map__"
#define IG_TRACER_PREFIX "gadget_tracer_"
#define IG_MAPITER_PREFIX "gadget_mapiter_"
#define MAX_SOURCE (4u << 20)

struct found {
	struct annotation *a;
	size_t n;
};

static int add(struct found *fd, const char *map, size_t map_len, const char *st,
	       const char *ev, size_t ev_len, bool snapshot, bool has_id, uint32_t id,
	       const char *how)
{
	struct annotation *grown = reallocarray(fd->a, fd->n + 1, sizeof(*grown));
	struct annotation *a;

	if (!grown)
		return -ENOMEM;
	fd->a = grown;
	a = &grown[fd->n];
	*a = (struct annotation){ .snapshot = snapshot, .has_id = has_id, .id = id, .how = how };
	a->map = map ? strndup(map, map_len) : NULL;
	a->struct_name = st ? strdup(st) : NULL;
	a->event_name = ev ? strndup(ev, ev_len) : NULL;
	if ((map && !a->map) || (st && !a->struct_name) || (ev && !a->event_name)) {
		free(a->map);
		free(a->struct_name);
		free(a->event_name);
		return -ENOMEM;
	}
	fd->n++;
	return 0;
}

/* Skip typedefs and qualifiers. */
static const struct btf_type *bare(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* EUN_EXPORT_EVENT_ID: the variable points to an array of ID structs. */
static int eun_event(struct found *fd, const struct btf *btf, const char *name,
		     const struct btf_type *var)
{
	const struct btf_type *p = bare(btf, var->type), *arr, *st;
	const char *rest = name + strlen(EUN_EVENT_PREFIX), *sn;
	size_t sl, rl = strlen(rest);

	if (!p || !btf_is_ptr(p) || !(arr = bare(btf, p->type)) || !btf_is_array(arr) ||
	    !(st = bare(btf, btf_array(arr)->type)) || !btf_is_composite(st))
		return 0;
	sn = btf__name_by_offset(btf, st->name_off);
	sl = sn ? strlen(sn) : 0;
	/* eun_export__MAP__STRUCT */
	if (!sl || rl < sl + 3 || strcmp(rest + rl - sl, sn) || strncmp(rest + rl - sl - 2, "__", 2))
		return 0;
	return add(fd, rest, rl - sl - 2, sn, NULL, 0, false, true, btf_array(arr)->nelems,
		   "EUN_EXPORT_EVENT");
}

/* GADGET_TRACER(name, map, struct): gadget_tracer_NAME___MAP___STRUCT. */
static int ig_tracer(struct found *fd, const char *name)
{
	const char *rest = name + strlen(IG_TRACER_PREFIX);
	const char *s1 = strstr(rest, "___"), *s2 = s1 ? strstr(s1 + 3, "___") : NULL;

	if (!s1 || !s2 || s1 == rest || s2 == s1 + 3 || !s2[3])
		return 0;
	return add(fd, s1 + 3, (size_t)(s2 - s1 - 3), s2 + 3, rest, (size_t)(s1 - rest), false,
		   false, 0, "GADGET_TRACER");
}

/* GADGET_MAPITER(name, map): gadget_mapiter_NAME___MAP. */
static int ig_mapiter(struct found *fd, const char *name)
{
	const char *rest = name + strlen(IG_MAPITER_PREFIX), *s1 = strstr(rest, "___");

	if (!s1 || s1 == rest || !s1[3])
		return 0;
	return add(fd, s1 + 3, strlen(s1 + 3), NULL, rest, (size_t)(s1 - rest), true, false, 0,
		   "GADGET_MAPITER");
}

size_t export_comments_scan(const char *text, char **names, size_t max)
{
	size_t n = 0;

	for (const char *p = text; p && *p && n < max; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p, *id, *eol, *tag;

		while (*q == ' ' || *q == '\t')
			q++;
		eol = strchrnul(q, '\n');
		tag = strstr(q, "@export");
		if (strncmp(q, "///", 3) || !tag || tag > eol)
			continue;
		/* The declaration after it, past blank lines and other comments. */
		q = *eol ? eol : NULL;
		while (q) {
			while (*q == '\n' || *q == ' ' || *q == '\t' || *q == '\r')
				q++;
			if (strncmp(q, "//", 2))
				break;
			q = strchr(q, '\n');
		}
		if (!q || strncmp(q, "struct", 6) || (q[6] != ' ' && q[6] != '\t'))
			continue;
		q += 6;
		while (*q == ' ' || *q == '\t')
			q++;
		id = q;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		       *q == '_')
			q++;
		if (q > id && (names[n] = strndup(id, (size_t)(q - id))))
			n++;
	}
	return n;
}

/* Read a whole small file into a NUL-terminated buffer, or NULL. */
static char *slurp(const char *path)
{
	struct stat st;
	FILE *f = fopen(path, "re");
	char *buf = NULL;

	if (!f)
		return NULL;
	if (!fstat(fileno(f), &st) && st.st_size >= 0 && (size_t)st.st_size < MAX_SOURCE &&
	    (buf = malloc((size_t)st.st_size + 1))) {
		size_t n = fread(buf, 1, (size_t)st.st_size, f);

		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/* "/// @export" structs of the source beside obj_path (NAME.bpf.c or NAME.c). */
static int source_exports(struct found *fd, const struct btf *btf, const char *obj_path)
{
	size_t len = strlen(obj_path), stem = len;
	char *names[16], src[4096], *text = NULL;
	size_t n;
	int err = 0;

	if (len > 6 && !strcmp(obj_path + len - 6, ".bpf.o"))
		stem = len - 6;
	else if (len > 2 && !strcmp(obj_path + len - 2, ".o"))
		stem = len - 2;
	else
		return 0;
	for (int i = 0; i < 2 && !text; i++) {
		if ((size_t)snprintf(src, sizeof(src), "%.*s%s", (int)stem, obj_path,
				     i ? ".c" : ".bpf.c") < sizeof(src))
			text = slurp(src);
	}
	if (!text)
		return 0;
	n = export_comments_scan(text, names, 16);
	free(text);
	for (size_t i = 0; i < n; i++) {
		/* Only a struct the object's BTF has can describe its records. */
		if (!err && btf__find_by_name_kind(btf, names[i], BTF_KIND_STRUCT) > 0)
			err = add(fd, NULL, 0, names[i], NULL, 0, false, false, 0, "/// @export");
		free(names[i]);
	}
	return err;
}

int annotations_read(const struct btf *btf, const char *obj_path, struct annotation **out,
		     size_t *n)
{
	struct found fd = { 0 };
	__u32 cnt = btf__type_cnt(btf);
	int err = 0;

	for (__u32 id = 1; id < cnt && !err; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_var(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!strncmp(name, EUN_EVENT_PREFIX, strlen(EUN_EVENT_PREFIX)))
			err = eun_event(&fd, btf, name, t);
		else if (!strncmp(name, EUN_MAP_PREFIX, strlen(EUN_MAP_PREFIX)) &&
			 name[strlen(EUN_MAP_PREFIX)])
			err = add(&fd, name + strlen(EUN_MAP_PREFIX), strlen(name + strlen(EUN_MAP_PREFIX)),
				  NULL, NULL, 0, true, false, 0, "EUN_EXPORT_MAP");
		else if (!strncmp(name, IG_TRACER_PREFIX, strlen(IG_TRACER_PREFIX)))
			err = ig_tracer(&fd, name);
		else if (!strncmp(name, IG_MAPITER_PREFIX, strlen(IG_MAPITER_PREFIX)))
			err = ig_mapiter(&fd, name);
	}
	if (!err)
		err = source_exports(&fd, btf, obj_path);
	if (err) {
		annotations_free(fd.a, fd.n);
		return set_error(ENOMEM, "out of memory");
	}
	*out = fd.a;
	*n = fd.n;
	return 0;
}

void annotations_free(struct annotation *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].map);
		free(a[i].struct_name);
		free(a[i].event_name);
	}
	free(a);
}
