/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Container and pod identity from a cgroup path alone.
 *
 * The deepest path component that names a container wins, so a
 * container's own sub-cgroups (podman's ".../libpod-ID.scope/container")
 * and nested setups resolve to the innermost container. The pod is the
 * deepest pod component above it. Recognised components:
 *
 *   systemd driver                       cgroupfs driver
 *   docker-ID.scope                      /docker/ID
 *   cri-containerd-ID.scope              /kubepods/[QOS/]podUID/ID
 *   crio-ID.scope                        /kubepods/[QOS/]podUID/crio-ID
 *   libpod-ID.scope                      /libpod_parent/libpod-ID
 *   nerdctl-ID.scope (containerd)        /NAMESPACE/ID (runc state, see below)
 *   runc-ID.scope                        /ID (runc's default, runc state)
 *   kubepods[-QOS]-podUID.slice (UID with '_' for '-')
 *
 * ID is 64 lowercase hex digits, except after "runc-" where runc accepts
 * any name. Paths that name no runtime at all are left to
 * container_enrich(), which asks the runc state directories.
 */
#include <stdio.h>
#include <string.h>

#include "container/container.h"

#define HEX_ID_LEN 64

/* One path component: start and length inside the path. */
struct component {
	const char *s;
	size_t len;
};

#define MAX_COMPONENTS 64

static bool has_prefix(const struct component *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->len >= n && !memcmp(c->s, prefix, n);
}

static bool has_suffix(const struct component *c, const char *suffix)
{
	size_t n = strlen(suffix);

	return c->len >= n && !memcmp(c->s + c->len - n, suffix, n);
}

static bool equals(const struct component *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->s, word, c->len);
}

static bool is_hex_id(const char *s, size_t len)
{
	if (len != HEX_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Copy len bytes into a fixed buffer, truncating, always NUL-terminated. */
static void copy_text(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* systemd unit prefixes naming a container, and the runtime each means. */
static const struct {
	const char *prefix;
	const char *runtime;
} scope_prefixes[] = {
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "libpod-", "podman" },
	{ "nerdctl-", "containerd" },
	{ "runc-", "runc" },
};

/* Container id and runtime named by component i (parents give context to
 * bare ids); false if it names none. */
static bool component_container(const struct component *comps, size_t i, bool in_kubepods,
				struct eun_container_info *out)
{
	const struct component *c = &comps[i];

	for (size_t p = 0; p < sizeof(scope_prefixes) / sizeof(scope_prefixes[0]); p++) {
		size_t plen = strlen(scope_prefixes[p].prefix);
		const char *id = c->s + plen;
		size_t id_len;

		if (!has_prefix(c, scope_prefixes[p].prefix))
			continue;
		id_len = c->len - plen;
		if (has_suffix(c, ".scope"))
			id_len -= strlen(".scope");
		if (!strcmp(scope_prefixes[p].runtime, "runc") ? id_len == 0 : !is_hex_id(id, id_len))
			continue;
		copy_text(out->id, sizeof(out->id), id, id_len);
		copy_text(out->runtime, sizeof(out->runtime), scope_prefixes[p].runtime,
			  strlen(scope_prefixes[p].runtime));
		return true;
	}
	if (!is_hex_id(c->s, c->len))
		return false;
	copy_text(out->id, sizeof(out->id), c->s, c->len);
	if (i > 0 && equals(&comps[i - 1], "docker"))
		strcpy(out->runtime, "docker");
	else if (i > 0 && equals(&comps[i - 1], "libpod_parent"))
		strcpy(out->runtime, "podman");
	else if (in_kubepods)
		strcpy(out->runtime, "cri");
	else
		out->runtime[0] = '\0';
	return true;
}

/* A pod uid: 32 hex digits (static pods) or a 36-character UUID, with '_'
 * standing for '-' under the systemd driver. */
static bool is_pod_uid(const char *s, size_t len)
{
	if (len != 32 && len != 36)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

/* Fill pod_uid and qos if component i names a pod; false otherwise. */
static bool component_pod(const struct component *comps, size_t i, struct eun_container_info *out)
{
	static const char *const slices[][2] = {
		{ "kubepods-burstable-pod", "burstable" },
		{ "kubepods-besteffort-pod", "besteffort" },
		{ "kubepods-pod", "guaranteed" },
	};
	const struct component *c = &comps[i];
	const char *uid = NULL, *qos = NULL;
	size_t uid_len = 0;

	for (size_t s = 0; s < sizeof(slices) / sizeof(slices[0]) && !uid; s++) {
		if (has_prefix(c, slices[s][0]) && has_suffix(c, ".slice")) {
			uid = c->s + strlen(slices[s][0]);
			uid_len = c->len - strlen(slices[s][0]) - strlen(".slice");
			qos = slices[s][1];
		}
	}
	if (!uid && has_prefix(c, "pod") && i > 0) {
		const struct component *parent = &comps[i - 1];

		uid = c->s + 3;
		uid_len = c->len - 3;
		if (equals(parent, "burstable") || equals(parent, "besteffort"))
			qos = parent->len == strlen("burstable") ? "burstable" : "besteffort";
		else if (equals(parent, "kubepods"))
			qos = "guaranteed";
		else
			uid = NULL;
	}
	if (!uid || !is_pod_uid(uid, uid_len))
		return false;
	copy_text(out->pod_uid, sizeof(out->pod_uid), uid, uid_len);
	for (char *p = out->pod_uid; *p; p++)
		if (*p == '_')
			*p = '-';
	strcpy(out->qos, qos);
	return true;
}

/* Split path at '/' into comps; the number of components, or -EINVAL if too many. */
static int split_path(const char *path, struct component *comps)
{
	int n = 0;

	for (const char *p = path; *p;) {
		const char *end;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		if (n == MAX_COMPONENTS)
			return -EINVAL;
		comps[n++] = (struct component){ p, (size_t)(end - p) };
		p = end;
	}
	return n;
}

int cgroup_path_parse(const char *path, struct eun_container_info *info)
{
	struct component comps[MAX_COMPONENTS];
	bool in_kubepods = false;
	int n, container = -1;

	memset(info, 0, sizeof(*info));
	info->sz = sizeof(*info);
	copy_text(info->cgroup, sizeof(info->cgroup), path, strlen(path));
	n = split_path(path, comps);
	if (n < 0)
		return set_error(EINVAL, "cgroup path '%s' has more than %d components", path,
				 MAX_COMPONENTS);
	for (int i = 0; i < n; i++)
		if (has_prefix(&comps[i], "kubepods"))
			in_kubepods = true;
	for (int i = n - 1; i >= 0 && container < 0; i--)
		if (component_container(comps, (size_t)i, in_kubepods, info))
			container = i;
	for (int i = (container < 0 ? n : container) - 1; i >= 0; i--)
		if (component_pod(comps, (size_t)i, info))
			break;
	return container >= 0;
}

int eun_cgroup_path_parse(const char *path, struct eun_container_info *out)
{
	struct eun_container_info info;
	int ret, err;

	clear_error();
	if (!path)
		return set_error(EINVAL, "eun_cgroup_path_parse: path must not be NULL");
	if ((err = container_info_check(out, "eun_cgroup_path_parse")))
		return err;
	ret = cgroup_path_parse(path, &info);
	if (ret >= 0)
		container_info_copy(out, &info);
	return ret;
}
