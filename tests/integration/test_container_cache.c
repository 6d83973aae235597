/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The context's cgroup cache against the real cgroup v2 tree: a
 * docker-named cgroup made here, with a process in it, resolves to its
 * container; once the cgroup is removed, events of it still resolve until
 * two rescans have not seen it (late events of a container that just
 * ended), then the entry is dropped and the id no longer names a
 * container. A cgroup made after the first lookup is found on its first
 * event. Events are injected through the BPF-less fixture plugin with the
 * cgroup ids of these real cgroups.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_good.h"
#include "itest.h"

#define ID_A "a7c1e2d3f4b5a6978877665544332211a7c1e2d3f4b5a6978877665544332211"
#define ID_B "b8d2f3e4a5c6b7089988776655443322b8d2f3e4a5c6b7089988776655443322"

static const char *v2 = "";  /* cgroup v2 mount */
static char base[256];       /* "/eun-cache-test-PID", our top cgroup below v2 */
static pid_t sleeper = -1;   /* the process kept in container A's cgroup */

/* Absolute directory of cgroup rel (below base) into a static buffer. */
static const char *dir_of(const char *rel)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s%s%s", v2, base, rel);
	return buf;
}

static void remove_cgroups(void)
{
	static const char *const dirs[] = { "/docker/" ID_A, "/docker/" ID_B, "/docker", "" };

	if (sleeper > 0) {
		kill(sleeper, SIGKILL);
		waitpid(sleeper, NULL, 0);
		sleeper = -1;
	}
	for (size_t i = 0; base[0] && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rmdir(dir_of(dirs[i]));
}

static uint64_t make_cgroup(const char *rel)
{
	struct stat st;

	ITEST_CHECK(mkdir(dir_of(rel), 0755) == 0 || errno == EEXIST, "mkdir %s: %s", dir_of(rel),
		    strerror(errno));
	ITEST_CHECK(stat(dir_of(rel), &st) == 0, "stat %s: %s", dir_of(rel), strerror(errno));
	return st.st_ino;
}

/* Start a process that sleeps in cgroup rel. */
static void start_sleeper(const char *rel)
{
	char procs[8300];
	FILE *f;

	sleeper = fork();
	ITEST_CHECK(sleeper >= 0, "fork: %s", strerror(errno));
	if (sleeper == 0) {
		pause();
		_exit(0);
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir_of(rel));
	f = fopen(procs, "we");
	ITEST_CHECK(f, "%s: %s", procs, strerror(errno));
	fprintf(f, "%d\n", (int)sleeper);
	ITEST_CHECK(fclose(f) == 0, "moving %d into %s: %s", (int)sleeper, procs, strerror(errno));
}

/* What the callback saw for the last injected event. */
struct seen {
	int ret;
	struct eun_container_info info;
	char json[4096];
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;

	s->info.sz = sizeof(s->info);
	s->ret = eun_event_container(ev, &s->info);
	eun_event_to_json(ev, s->json, sizeof(s->json));
	return 0;
}

/* Inject an event of cgroup id into t; return what eun_event_container() said. */
static int container_of(struct eun_tracker *t, struct seen *s, uint64_t cgroup_id)
{
	struct fixture_alpha rec = { .h = { .ts_ns = 1, .type = FIXTURE_ALPHA, .pid = 1 } };

	rec.h.cgroup_id = cgroup_id;
	memset(s, 0, sizeof(*s));
	ITEST_CHECK(eun_tracker_inject(t, &rec, sizeof(rec)) == 1, "inject: %s", eun_last_error());
	ITEST_CHECK(s->ret >= 0, "eun_event_container = %d: %s", s->ret, eun_last_error());
	return s->ret;
}

/* Whether the last refresh of ctx lists container id; its processes into *procs. */
static bool listed(struct eun_ctx *ctx, const char *id, uint32_t *procs)
{
	int n = eun_ctx_containers_refresh(ctx);

	ITEST_CHECK(n >= 0, "eun_ctx_containers_refresh = %d: %s", n, eun_last_error());
	for (int i = 0; i < n; i++) {
		EUN_OPTS(eun_container_info, c);

		ITEST_CHECK(eun_ctx_container_at(ctx, (size_t)i, &c) == 0, "%s", eun_last_error());
		if (!strcmp(c.id, id)) {
			*procs = c.processes;
			return true;
		}
	}
	return false;
}

int main(void)
{
	EUN_OPTS(eun_ctx_opts, copts, .plugin_path = EUN_TEST_FIXTURE_DIR, .no_default_path = true);
	EUN_OPTS(eun_container_info, found);
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	struct seen s;
	uint64_t id_a, id_b;
	uint32_t procs = 0;

	if (geteuid() != 0)
		ITEST_FAIL("making cgroups needs root");
	v2 = itest_cgroup_v2();
	snprintf(base, sizeof(base), "/eun-cache-test-%d", (int)getpid());
	atexit(remove_cgroups);
	make_cgroup("");
	make_cgroup("/docker");
	id_a = make_cgroup("/docker/" ID_A);
	start_sleeper("/docker/" ID_A);

	ctx = eun_ctx_new(&copts);
	ITEST_CHECK(ctx, "eun_ctx_new: %s", eun_last_error());
	t = eun_tracker_new(ctx, FIXTURE_NAME, NULL);
	ITEST_CHECK(t, "eun_tracker_new: %s", eun_last_error());
	eun_ctx_set_event_fn(ctx, on_event, &s);

	/* A live container cgroup. */
	ITEST_CHECK(container_of(t, &s, id_a) == 1, "cgroup %s is no container", dir_of(""));
	ITEST_CHECK(!strcmp(s.info.id, ID_A) && !strcmp(s.info.runtime, "docker"),
		    "id '%s' runtime '%s'", s.info.id, s.info.runtime);
	ITEST_CHECK(s.info.cgroup_id == id_a, "cgroup_id %llu, want %llu",
		    (unsigned long long)s.info.cgroup_id, (unsigned long long)id_a);
	ITEST_CHECK(strstr(s.json, "\"container_id\":\"" ID_A "\",\"container_runtime\":\"docker\""),
		    "JSON lacks the container: %s", s.json);
	ITEST_CHECK(listed(ctx, ID_A, &procs) && procs == 1, "not listed with 1 process (%u)", procs);
	ITEST_CHECK(eun_ctx_container_find(ctx, "a7c1e2d3f4b5", &found) == 0 &&
			    !strcmp(found.id, ID_A),
		    "id prefix not found: %s", eun_last_error());

	/* A cgroup made after the cache was filled is found on its first event. */
	id_b = make_cgroup("/docker/" ID_B);
	ITEST_CHECK(container_of(t, &s, id_b) == 1 && !strcmp(s.info.id, ID_B),
		    "new cgroup not resolved: ret %d id '%s'", s.ret, s.info.id);
	/* An empty container cgroup is no running container. */
	ITEST_CHECK(!listed(ctx, ID_B, &procs), "the empty cgroup of %s is listed", ID_B);

	/* Container A ends: its cgroup is removed. */
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
	sleeper = -1;
	ITEST_CHECK(rmdir(dir_of("/docker/" ID_A)) == 0, "rmdir: %s", strerror(errno));
	ITEST_CHECK(container_of(t, &s, id_a) == 1 && !strcmp(s.info.id, ID_A),
		    "a late event of the removed cgroup lost its container");
	ITEST_CHECK(!listed(ctx, ID_A, &procs), "the removed container is still listed");
	ITEST_CHECK(container_of(t, &s, id_a) == 1 && !strcmp(s.info.id, ID_A),
		    "the entry was dropped after one rescan already");
	ITEST_CHECK(eun_ctx_container_find(ctx, ID_A, &found) == -ENOENT,
		    "a removed container was found");
	/* find rescanned: the second walk without the cgroup dropped it. */
	ITEST_CHECK(container_of(t, &s, id_a) == 0 && s.info.id[0] == '\0' &&
			    s.info.cgroup_id == id_a,
		    "the removed cgroup still resolves: ret %d id '%s'", s.ret, s.info.id);
	ITEST_CHECK(strstr(s.json, "\"container_id\":\"\""), "JSON still names it: %s", s.json);

	eun_ctx_free(ctx);
	printf("ok: container cgroups resolve, survive one rescan after removal, then are dropped\n");
	return 0;
}
