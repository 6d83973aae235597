/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* eun_cgroup_path_parse() on cgroup paths as runtimes and kubelets create them. */
#include <errno.h>
#include <string.h>

#include "helpers.h"
#include "json_check.h"

#define DOCKER_ID "3f2a9c1b7e5d4a6f8b0c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b4c6d8e0f1a"
#define CTRD_ID "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define POD_UID "8f6e4d2c-1a3b-4c5d-9e7f-0a1b2c3d4e5f"
#define POD_UID_ "8f6e4d2c_1a3b_4c5d_9e7f_0a1b2c3d4e5f"
#define STATIC_POD "0c2a7c3d5e9f1b4a6c8e0d2f4a6b8c0e"

struct path_case {
	const char *path;
	int ret;             /* 1 container, 0 not */
	const char *id, *runtime, *pod_uid, *qos;
};

static const struct path_case cases[] = {
	/* Docker, systemd driver (cgroup v2 and the unified part of hybrid). */
	{ "/system.slice/docker-" DOCKER_ID ".scope", 1, DOCKER_ID, "docker", "", "" },
	/* Docker, cgroupfs driver. */
	{ "/docker/" DOCKER_ID, 1, DOCKER_ID, "docker", "", "" },
	/* containerd CRI, systemd driver: burstable, besteffort, guaranteed. */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID_
	  ".slice/cri-containerd-" CTRD_ID ".scope",
	  1, CTRD_ID, "containerd", POD_UID, "burstable" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID_
	  ".slice/cri-containerd-" CTRD_ID ".scope",
	  1, CTRD_ID, "containerd", POD_UID, "besteffort" },
	{ "/kubepods.slice/kubepods-pod" POD_UID_ ".slice/cri-containerd-" CTRD_ID ".scope", 1,
	  CTRD_ID, "containerd", POD_UID, "guaranteed" },
	/* CRI with the cgroupfs driver: the path does not name the runtime. */
	{ "/kubepods/burstable/pod" POD_UID "/" CTRD_ID, 1, CTRD_ID, "cri", POD_UID, "burstable" },
	{ "/kubepods/besteffort/pod" POD_UID "/" CTRD_ID, 1, CTRD_ID, "cri", POD_UID,
	  "besteffort" },
	{ "/kubepods/pod" POD_UID "/" CTRD_ID, 1, CTRD_ID, "cri", POD_UID, "guaranteed" },
	/* Static pod: the uid is a 32-digit hash. */
	{ "/kubepods/burstable/pod" STATIC_POD "/" CTRD_ID, 1, CTRD_ID, "cri", STATIC_POD,
	  "burstable" },
	/* CRI-O, systemd and cgroupfs; conmon is not the container. */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID_
	  ".slice/crio-" CTRD_ID ".scope",
	  1, CTRD_ID, "cri-o", POD_UID, "burstable" },
	{ "/kubepods/besteffort/pod" POD_UID "/crio-" CTRD_ID, 1, CTRD_ID, "cri-o", POD_UID,
	  "besteffort" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID_
	  ".slice/crio-conmon-" CTRD_ID ".scope",
	  0, "", "", POD_UID, "burstable" },
	/* dockershim: Kubernetes pods run by Docker. */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID_
	  ".slice/docker-" DOCKER_ID ".scope",
	  1, DOCKER_ID, "docker", POD_UID, "besteffort" },
	/* Podman: rootful v2 (processes in the "container" child), rootless, cgroupfs. */
	{ "/machine.slice/libpod-" CTRD_ID ".scope/container", 1, CTRD_ID, "podman", "", "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" CTRD_ID ".scope", 1,
	  CTRD_ID, "podman", "", "" },
	{ "/machine.slice/libpod-conmon-" CTRD_ID ".scope", 0, "", "", "", "" },
	{ "/libpod_parent/libpod-" CTRD_ID, 1, CTRD_ID, "podman", "", "" },
	{ "/libpod_parent/" CTRD_ID, 1, CTRD_ID, "podman", "", "" },
	/* containerd without Kubernetes: nerdctl, systemd driver. */
	{ "/system.slice/nerdctl-" CTRD_ID ".scope", 1, CTRD_ID, "containerd", "", "" },
	/* Plain runc: systemd driver takes any name. */
	{ "/system.slice/runc-web1.scope", 1, "web1", "runc", "", "" },
	/* Kubernetes in Docker (kind): the innermost container wins. */
	{ "/docker/" DOCKER_ID "/kubepods/burstable/pod" POD_UID "/" CTRD_ID, 1, CTRD_ID, "cri",
	  POD_UID, "burstable" },
	/* Not containers. */
	{ "/", 0, "", "", "", "" },
	{ "", 0, "", "", "", "" },
	{ "/user.slice/user-1000.slice/session-3.scope", 0, "", "", "", "" },
	{ "/system.slice/docker.service", 0, "", "", "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice", 0, "", "", "", "" },
	{ "/kubepods/burstable/pod" POD_UID, 0, "", "", POD_UID, "burstable" },
	/* Near misses: short or upper-case ids, a "pod" not under kubepods. */
	{ "/system.slice/docker-3f2a9c1b.scope", 0, "", "", "", "" },
	{ "/docker/3F2A9C1B7E5D4A6F8B0C2D4E6F8A0B1C3D5E7F9A1B3C5D7E9F0A2B4C6D8E0F1A", 0, "", "", "",
	  "" },
	{ "/system.slice/pod" POD_UID, 0, "", "", "", "" },
	/* Bare 64-hex id under an unknown parent: a container, runtime unknown. */
	{ "/mygroup/" CTRD_ID, 1, CTRD_ID, "", "", "" },
};

START_TEST(real_world_paths)
{
	const struct path_case *c = &cases[_i];
	EUN_OPTS(eun_container_info, info);
	int ret = eun_cgroup_path_parse(c->path, &info);

	ck_assert_msg(ret == c->ret, "%s: returned %d, want %d", c->path, ret, c->ret);
	ck_assert_msg(!strcmp(info.id, c->id), "%s: id '%s', want '%s'", c->path, info.id, c->id);
	ck_assert_msg(!strcmp(info.runtime, c->runtime), "%s: runtime '%s', want '%s'", c->path,
		      info.runtime, c->runtime);
	ck_assert_msg(!strcmp(info.pod_uid, c->pod_uid), "%s: pod_uid '%s', want '%s'", c->path,
		      info.pod_uid, c->pod_uid);
	ck_assert_msg(!strcmp(info.qos, c->qos), "%s: qos '%s', want '%s'", c->path, info.qos,
		      c->qos);
	ck_assert_str_eq(info.cgroup, c->path);
	ck_assert_str_eq(info.name, "");
	ck_assert_uint_eq(info.cgroup_id, 0);
}
END_TEST

START_TEST(bad_arguments_refused)
{
	EUN_OPTS(eun_container_info, info);
	struct eun_container_info unsized = { 0 };

	ck_assert_int_eq(eun_cgroup_path_parse(NULL, &info), -EINVAL);
	ck_assert_int_eq(eun_cgroup_path_parse("/docker/" DOCKER_ID, NULL), -EINVAL);
	ck_assert_int_eq(eun_cgroup_path_parse("/docker/" DOCKER_ID, &unsized), -EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "EUN_OPTS"));
}
END_TEST

START_TEST(too_deep_path_refused)
{
	EUN_OPTS(eun_container_info, info);
	char path[65 * 2 + 1] = "";

	for (int i = 0; i < 65; i++)
		strcat(path, "/a");
	ck_assert_int_eq(eun_cgroup_path_parse(path, &info), -EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "components"));
}
END_TEST

START_TEST(container_json)
{
	EUN_OPTS(eun_container_info, info);
	const char *where = NULL;
	char json[4096], small[8];
	int n;

	ck_assert_int_eq(eun_cgroup_path_parse("/kubepods/burstable/pod" POD_UID "/" CTRD_ID, &info), 1);
	/* A name from a runtime's state file may be anything: quotes, invalid UTF-8. */
	strcpy(info.name, "we\"b\xff");
	info.cgroup_id = 42;
	info.processes = 3;
	n = eun_container_to_json(&info, json, sizeof(json));
	ck_assert_int_eq(n, (int)strlen(json));
	ck_assert_msg(json_valid(json, &where), "invalid JSON at %td: %s", where - json, json);
	ck_assert_str_eq(json, "{\"id\":\"" CTRD_ID "\",\"runtime\":\"cri\",\"name\":\"we\\\"b\\u00ff\","
			       "\"image\":\"\",\"pod_uid\":\"" POD_UID "\",\"qos\":\"burstable\","
			       "\"cgroup\":\"/kubepods/burstable/pod" POD_UID "/" CTRD_ID "\","
			       "\"cgroup_id\":42,\"processes\":3}");
	/* snprintf semantics */
	ck_assert_int_eq(eun_container_to_json(&info, small, sizeof(small)), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(eun_container_to_json(NULL, json, sizeof(json)), -EINVAL);
}
END_TEST

static Suite *cgroup_path_suite(void)
{
	Suite *s = suite_create("cgroup_path");
	TCase *tc = tcase_create("cgroup_path");

	tcase_add_loop_test(tc, real_world_paths, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, bad_arguments_refused);
	tcase_add_test(tc, too_deep_path_refused);
	tcase_add_test(tc, container_json);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(cgroup_path_suite());
}
