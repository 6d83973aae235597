/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* OTLP resources per container (see resource.h). Attribute names are
 * those of the OpenTelemetry semantic conventions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "resource.h"

/* Resource */
#define RESOURCE_ATTRIBUTES 1

/* The first line of a small file, without its newline, into buf; false if unreadable or empty. */
static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

/* host.arch values of the semantic conventions for uname's machine. */
static const char *arch_name(const char *machine)
{
	static const char *const names[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i686", "x86" },
		{ "i386", "x86" },     { "ppc64le", "ppc64" }, { "s390x", "s390x" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(machine, names[i][0]))
			return names[i][1];
	return machine;
}

int host_attrs(struct attr_list *l)
{
	char id[128], name[256];
	struct utsname u;
	int err = 0;

	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		err = attrs_set(l, "host.name", name);
	}
	if (!err && (read_line("/etc/machine-id", id, sizeof(id)) ||
		     read_line("/var/lib/dbus/machine-id", id, sizeof(id))))
		err = attrs_set(l, "host.id", id);
	if (!err && uname(&u) == 0)
		err = attrs_set(l, "host.arch", arch_name(u.machine));
	if (!err)
		err = attrs_set(l, "os.type", "linux");
	return err;
}

int resources_init(struct resources *t, enum otlp_format fmt, const struct attr_list *common)
{
	*t = (struct resources){ .fmt = fmt, .common = common, .n_slots = 64 };
	t->slots = calloc(t->n_slots, sizeof(*t->slots));
	return t->slots ? 0 : -ENOMEM;
}

/* The attributes a container adds (at most 5) and its image tag. */
struct ctr_attrs {
	const char *key[8];
	const char *value[8];
	size_t n;
	char image_name[256];
	const char *tag; /* container.image.tags, NULL: none */
};

static void ctr_add(struct ctr_attrs *a, const char *key, const char *value)
{
	if (*value) {
		a->key[a->n] = key;
		a->value[a->n++] = value;
	}
}

/* What container c says, in semantic-convention names. The image
 * "repo/name:tag" gives container.image.name "repo/name" and the tag. */
static void ctr_attrs_of(const struct eun_container_info *c, struct ctr_attrs *a)
{
	const char *slash, *colon;

	a->n = 0;
	a->tag = NULL;
	ctr_add(a, "container.id", c->id);
	ctr_add(a, "container.runtime.name", c->runtime);
	ctr_add(a, "container.name", c->name);
	snprintf(a->image_name, sizeof(a->image_name), "%s", c->image);
	slash = strrchr(a->image_name, '/');
	colon = strrchr(slash ? slash : a->image_name, ':');
	if (colon && !strchr(a->image_name, '@') && colon[1]) {
		a->image_name[colon - a->image_name] = '\0';
		a->tag = c->image + (colon - a->image_name) + 1;
	}
	ctr_add(a, "container.image.name", a->image_name);
	ctr_add(a, "k8s.pod.uid", c->pod_uid);
}

/* Encode the resource of container attributes a into r->enc. */
static void resource_encode(const struct resources *t, struct resource *r, const struct ctr_attrs *a)
{
	struct kv_writer w = { .b = &r->enc, .fmt = t->fmt, .field = RESOURCE_ATTRIBUTES };

	if (t->fmt == OTLP_JSON)
		buf_puts(&r->enc, "{\"attributes\":[");
	for (size_t i = 0; i < t->common->n; i++) {
		const struct attr *c = &t->common->v[i];
		bool mine = false;

		for (size_t k = 0; k < a->n && !mine; k++)
			mine = !strcmp(a->key[k], c->key);
		if (!mine)
			kv_str(&w, c->key, c->value, strlen(c->value));
	}
	for (size_t k = 0; k < a->n; k++)
		kv_str(&w, a->key[k], a->value[k], strlen(a->value[k]));
	if (a->tag)
		kv_str_array(&w, "container.image.tags", &a->tag, 1);
	if (t->fmt == OTLP_JSON)
		buf_puts(&r->enc, "]}");
}

/* FNV-1a of s. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void resource_free(struct resource *r)
{
	buf_free(&r->enc);
	free(r->key);
	free(r);
}

struct resource *resources_get(struct resources *t, const struct eun_container_info *c)
{
	static const struct eun_container_info host = { .sz = sizeof(host) };
	struct resource *r, **slot;
	struct ctr_attrs a;
	char *key;
	uint64_t h;

	if (!c)
		c = &host;
	if (asprintf(&key, "%s\n%s\n%s\n%s\n%s", c->runtime, c->id, c->pod_uid, c->name, c->image) < 0)
		return NULL;
	h = hash_str(key);
	slot = &t->slots[h & (t->n_slots - 1)];
	for (r = *slot; r; r = r->next) {
		if (r->hash == h && !strcmp(r->key, key)) {
			free(key);
			r->refs++;
			return r;
		}
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(key);
		return NULL;
	}
	r->key = key;
	r->hash = h;
	ctr_attrs_of(c, &a);
	resource_encode(t, r, &a);
	if (r->enc.oom) {
		resource_free(r);
		return NULL;
	}
	r->refs = 1;
	r->next = *slot;
	*slot = r;
	t->count++;
	return r;
}

void resources_put(struct resources *t, struct resource *r)
{
	struct resource **p;

	if (--r->refs)
		return;
	for (p = &t->slots[r->hash & (t->n_slots - 1)]; *p != r; p = &(*p)->next)
		;
	*p = r->next;
	t->count--;
	resource_free(r);
}

void resources_free(struct resources *t)
{
	for (size_t i = 0; t->slots && i < t->n_slots; i++) {
		while (t->slots[i]) {
			struct resource *r = t->slots[i];

			t->slots[i] = r->next;
			resource_free(r);
		}
	}
	free(t->slots);
	*t = (struct resources){ 0 };
}
