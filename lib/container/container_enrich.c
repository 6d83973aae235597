/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Optional container names and images from runtime state directories:
 * runc's state.json (under each runtime's runc root) and Docker's
 * config.v2.json; and containers whose cgroup path names no runtime, found
 * through the runc state that claims the cgroup. Only files are read,
 * never a runtime socket; a missing or unreadable file leaves the fields
 * empty.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "container/container.h"

#define MAX_STATE_BYTES (1 << 20)

/* runc roots of the runtimes that drive runc, and the runtime each means. */
static const struct {
	const char *dir_fmt; /* printf format taking the container id */
	const char *runtime;
} runc_roots[] = {
	{ "/run/docker/runtime-runc/moby/%s/state.json", "docker" },
	{ "/run/containerd/runc/k8s.io/%s/state.json", "containerd" },
	{ "/run/containerd/runc/default/%s/state.json", "containerd" },
	{ "/run/runc/%s/state.json", "runc" },
};

/* Annotations (runc keeps them as "key=value" labels) that carry a name or image. */
static const char *const name_labels[] = {
	"io.kubernetes.container.name=",
	"io.kubernetes.cri.container-name=",
	"nerdctl/name=",
};
static const char *const image_labels[] = {
	"io.kubernetes.cri.image-name=",
	"org.opencontainers.image.ref.name=",
};

/* Whole file into a NUL-terminated heap buffer, or NULL. */
static char *read_small_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(MAX_STATE_BYTES + 1);
	if (buf) {
		n = fread(buf, 1, MAX_STATE_BYTES, f);
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/* Copy the JSON string starting right after its opening quote at s into
 * dst, undoing simple escapes; false if it does not end. */
static bool json_string_at(const char *s, char *dst, size_t size)
{
	size_t n = 0;

	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		if (n + 1 < size)
			dst[n++] = *s;
	}
	dst[n] = '\0';
	return *s == '"';
}

/* Value of the first JSON member "key":"..." at or after `from`. */
static bool json_find_string(const char *from, const char *key, char *dst, size_t size)
{
	char pattern[64];
	const char *p;

	snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
	p = from ? strstr(from, pattern) : NULL;
	return p && json_string_at(p + strlen(pattern), dst, size);
}

/* Value of a "prefix..." string element anywhere in the JSON text (runc labels). */
static bool json_find_label(const char *json, const char *prefix, char *dst, size_t size)
{
	char pattern[80];
	const char *p;

	snprintf(pattern, sizeof(pattern), "\"%s", prefix);
	p = strstr(json, pattern);
	return p && json_string_at(p + strlen(pattern), dst, size);
}

/* Name and image from the labels of a runc state.json. */
static void from_runc_state(struct eun_container_info *info, const char *json)
{
	for (size_t i = 0; i < sizeof(name_labels) / sizeof(name_labels[0]) && !info->name[0]; i++)
		json_find_label(json, name_labels[i], info->name, sizeof(info->name));
	for (size_t i = 0; i < sizeof(image_labels) / sizeof(image_labels[0]) && !info->image[0];
	     i++)
		json_find_label(json, image_labels[i], info->image, sizeof(info->image));
}

/* Name ("/web" becomes "web") and image of a Docker container. */
static void from_docker_config(struct eun_container_info *info)
{
	char path[PATH_MAX];
	char *json;

	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", info->id);
	json = read_small_file(path);
	if (!json)
		return;
	if (!info->name[0] && json_find_string(json, "Name", info->name, sizeof(info->name)) &&
	    info->name[0] == '/')
		memmove(info->name, info->name + 1, strlen(info->name));
	if (!info->image[0])
		json_find_string(strstr(json, "\"Config\":{"), "Image", info->image,
				 sizeof(info->image));
	free(json);
}

/* True if id can name a directory of a runc root: runc's own id rule
 * (letters, digits, '_', '+', '-', '.'), not starting with a dot. */
static bool is_state_dir_name(const char *id, size_t len)
{
	if (!len || id[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("_+-.", id[i]))
			return false;
	return true;
}

/* The state.json of container id under runc root i, or NULL. */
static char *read_runc_state(size_t i, const char *id)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), runc_roots[i].dir_fmt, id);
	return read_small_file(path);
}

/* Name, image and a more exact runtime from the runc state of info->id. */
static void enrich_from_runc_state(struct eun_container_info *info)
{
	for (size_t i = 0; i < sizeof(runc_roots) / sizeof(runc_roots[0]); i++) {
		char *json = read_runc_state(i, info->id);

		if (!json)
			continue;
		from_runc_state(info, json);
		free(json);
		/* The cgroup path only says "Kubernetes" or nothing: the state says who runs it. */
		if (!info->runtime[0] || !strcmp(info->runtime, "cri"))
			snprintf(info->runtime, sizeof(info->runtime), "%s", runc_roots[i].runtime);
		return;
	}
}

/* A container whose cgroup path does not say so (runc's default cgroup
 * "/ID", containerd's "/NAMESPACE/ID"): the last component is its id if a
 * runc root has a state for that id whose cgroup is info->cgroup. */
static void find_by_runc_state(struct eun_container_info *info, const char *cgroup_root)
{
	const char *last = strrchr(info->cgroup, '/');
	char want[PATH_MAX + 8];

	last = last ? last + 1 : info->cgroup;
	if (!is_state_dir_name(last, strlen(last)) || strlen(last) >= sizeof(info->id))
		return;
	snprintf(want, sizeof(want), "\"%s%s\"", cgroup_root, info->cgroup);
	for (size_t i = 0; i < sizeof(runc_roots) / sizeof(runc_roots[0]); i++) {
		char *json = read_runc_state(i, last);
		bool ours = json && strstr(json, want);

		if (ours) {
			strcpy(info->id, last);
			snprintf(info->runtime, sizeof(info->runtime), "%s", runc_roots[i].runtime);
			from_runc_state(info, json);
		}
		free(json);
		if (ours)
			return;
	}
}

void container_enrich(struct eun_container_info *info, const char *cgroup_root)
{
	if (!info->id[0]) {
		find_by_runc_state(info, cgroup_root);
		return;
	}
	/* Ids are path components here: refuse anything that could leave the directory. */
	if (!is_state_dir_name(info->id, strlen(info->id)))
		return;
	enrich_from_runc_state(info);
	if (!strcmp(info->runtime, "docker"))
		from_docker_config(info);
}
