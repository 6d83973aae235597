/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Kernel objects are released: while `process` and `files` run, find their
 * BPF programs (new programs using a map named eun_events, the ring buffer
 * of <eunomia/bpf/eunomia.bpf.h>) and the links attaching them. Stopping
 * must remove the links, starting again must bring them back, and freeing
 * (the tracker, or the ctx with a tracker in it) must unload every one of
 * those programs and maps.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "itest.h"

#define MAX_IDS 1024
#define RELEASE_WAIT_MS 2000

struct idset {
	uint32_t id[MAX_IDS];
	size_t n;
};

static bool idset_has(const struct idset *s, uint32_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return true;
	return false;
}

static void idset_add(struct idset *s, uint32_t id)
{
	if (!idset_has(s, id)) {
		ITEST_CHECK(s->n < MAX_IDS, "too many ids");
		s->id[s->n++] = id;
	}
}

static void all_prog_ids(struct idset *s)
{
	uint32_t id = 0;

	s->n = 0;
	while (bpf_prog_get_next_id(id, &id) == 0)
		idset_add(s, id);
	ITEST_CHECK(errno == ENOENT, "bpf_prog_get_next_id: %s", strerror(errno));
}

/* True if map `id` is a ring buffer named eun_events. */
static bool is_eun_ring(uint32_t id)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_map_get_fd_by_id(id);
	bool yes;

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	yes = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && !strcmp(info.name, "eun_events") &&
	      info.type == BPF_MAP_TYPE_RINGBUF;
	close(fd);
	return yes;
}

/* Add to progs the programs loaded since `before` that write to an eun_events
 * ring, and those rings to maps. */
static void find_ours(const struct idset *before, struct idset *progs, struct idset *maps)
{
	struct idset now;

	all_prog_ids(&now);
	for (size_t i = 0; i < now.n; i++) {
		struct bpf_prog_info info;
		uint32_t map_ids[64], len = sizeof(info);
		bool ours = false;
		int fd;

		if (idset_has(before, now.id[i]) || (fd = bpf_prog_get_fd_by_id(now.id[i])) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.nr_map_ids = 64;
		info.map_ids = (uint64_t)(uintptr_t)map_ids;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
			for (uint32_t m = 0; m < info.nr_map_ids && m < 64; m++) {
				if (is_eun_ring(map_ids[m])) {
					idset_add(maps, map_ids[m]);
					ours = true;
				}
			}
		}
		close(fd);
		if (ours && !idset_has(progs, now.id[i])) {
			idset_add(progs, now.id[i]);
			printf("  prog %u %s\n", now.id[i], info.name);
		}
	}
}

/* Links currently attaching any of progs. */
static size_t count_links(const struct idset *progs)
{
	uint32_t id = 0;
	size_t n = 0;

	while (bpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info;
		uint32_t len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && idset_has(progs, info.prog_id))
			n++;
		close(fd);
	}
	return n;
}

/* How many of ids still exist (prog or map ids, per is_prog). */
static size_t count_alive(const struct idset *ids, bool is_prog)
{
	size_t n = 0;

	for (size_t i = 0; i < ids->n; i++) {
		int fd = is_prog ? bpf_prog_get_fd_by_id(ids->id[i]) : bpf_map_get_fd_by_id(ids->id[i]);

		if (fd >= 0) {
			n++;
			close(fd);
		}
	}
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The kernel frees links and programs asynchronously: wait a little for it. */
static bool wait_released(const struct idset *progs, const struct idset *maps, bool links_only)
{
	for (long waited = 0; waited <= RELEASE_WAIT_MS; waited += 50) {
		if (count_links(progs) == 0 &&
		    (links_only || (count_alive(progs, true) == 0 && count_alive(maps, false) == 0)))
			return true;
		sleep_ms(50);
	}
	return false;
}

int main(void)
{
	static struct idset before, progs, maps, files_progs, files_maps;
	struct eun_tracker *proc, *files;
	struct eun_ctx *ctx;

	itest_require_kernel();
	all_prog_ids(&before);
	ctx = itest_ctx();

	/* files alone first, to tell its objects from process's. */
	files = itest_start(ctx, "files", NULL, 0);
	find_ours(&before, &files_progs, &files_maps);
	ITEST_CHECK(files_progs.n >= 1 && files_maps.n == 1,
		    "files: %zu programs, %zu eun_events rings", files_progs.n, files_maps.n);
	ITEST_CHECK(count_links(&files_progs) >= 1, "files programs are not attached");

	proc = itest_start(ctx, "process", NULL, 0);
	find_ours(&before, &progs, &maps);
	ITEST_CHECK(progs.n > files_progs.n && maps.n == 2,
		    "process+files: %zu programs, %zu rings", progs.n, maps.n);

	/* Freeing a running tracker unloads its programs and its ring. */
	eun_tracker_free(files);
	ITEST_CHECK(wait_released(&files_progs, &files_maps, false),
		    "after eun_tracker_free(files): %zu links, %zu programs, %zu maps remain",
		    count_links(&files_progs), count_alive(&files_progs, true),
		    count_alive(&files_maps, false));
	ITEST_CHECK(count_alive(&progs, true) == progs.n - files_progs.n,
		    "freeing files touched process's programs");

	/* Stop detaches; start attaches again. */
	ITEST_CHECK(eun_tracker_stop(proc) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(wait_released(&progs, &maps, true), "after stop: %zu links remain",
		    count_links(&progs));
	ITEST_CHECK(eun_tracker_start(proc) == 0, "restart: %s", eun_last_error());
	find_ours(&before, &progs, &maps); /* in case start loaded them anew */
	ITEST_CHECK(count_links(&progs) >= 1, "process programs are not attached after restart");

	/* Freeing the ctx frees its running tracker. */
	eun_ctx_free(ctx);
	ITEST_CHECK(wait_released(&progs, &maps, false),
		    "after eun_ctx_free: %zu links, %zu programs, %zu maps remain",
		    count_links(&progs), count_alive(&progs, true), count_alive(&maps, false));
	printf("ok: %zu programs and %zu rings released\n", progs.n, maps.n);
	return 0;
}
