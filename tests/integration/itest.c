/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
#include "itest.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

void itest_require_kernel(void)
{
	if (geteuid() != 0)
		ITEST_FAIL("the 'root' suite loads BPF programs and must run as root");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux: %s)\n", strerror(errno));
		exit(ITEST_SKIP);
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		printf("SKIP: this kernel has no BPF ring buffer maps\n");
		exit(ITEST_SKIP);
	}
}

struct eun_ctx *itest_ctx(void)
{
	const char *path = getenv("EUNOMIA_PLUGIN_PATH");
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = path, .no_default_path = true,
		 .max_latency_ms = 20);
	struct eun_ctx *ctx;

	ITEST_CHECK(path && *path, "EUNOMIA_PLUGIN_PATH must name the build's plugin directory");
	ctx = eun_ctx_new(&opts);
	ITEST_CHECK(ctx, "eun_ctx_new: %s", eun_last_error());
	return ctx;
}

struct eun_tracker *itest_start(struct eun_ctx *ctx, const char *name,
				const struct eun_config_entry *cfg, size_t n)
{
	EUN_OPTS(eun_tracker_opts, opts, .config = cfg, .n_config = n);
	struct eun_tracker *t = eun_tracker_new(ctx, name, &opts);
	int err;

	ITEST_CHECK(t, "eun_tracker_new(%s): %s", name, eun_last_error());
	err = eun_tracker_start(t);
	ITEST_CHECK(err == 0, "eun_tracker_start(%s) = %d: %s", name, err, eun_last_error());
	ITEST_CHECK(eun_tracker_state(t) == EUN_TRACKER_RUNNING, "state %d",
		    (int)eun_tracker_state(t));
	return t;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool itest_poll_until(struct eun_ctx *ctx, const bool *done)
{
	int64_t deadline = now_ms() + ITEST_TIMEOUT_MS;

	while (!*done && now_ms() < deadline) {
		int n = eun_ctx_poll(ctx, 100);

		ITEST_CHECK(n >= 0 || n == -EINTR, "eun_ctx_poll = %d: %s", n, eun_last_error());
	}
	return *done;
}

bool itest_field_text(const struct eun_event *ev, const char *name, char *buf, size_t size)
{
	return eun_event_format_field(ev, name, buf, size) >= 0;
}

int64_t itest_field_s64(const struct eun_event *ev, const char *name)
{
	int i = eun_event_field_index(ev, name);
	int64_t v = 0;
	uint64_t u = 0;

	ITEST_CHECK(i >= 0, "%s/%s event has no field '%s'", eun_event_tracker_name(ev),
		    eun_event_type_name(ev), name);
	if (eun_event_get_s64(ev, (size_t)i, &v) == 0)
		return v;
	ITEST_CHECK(eun_event_get_u64(ev, (size_t)i, &u) == 0, "field '%s': %s", name,
		    eun_last_error());
	return (int64_t)u;
}

void itest_check_hist(const struct eun_event *ev, const char *hist, const char *sum, uint64_t count)
{
	int i = eun_event_field_index(ev, hist);
	uint64_t lo = 0, hi = 0, total = 0, s = (uint64_t)itest_field_s64(ev, sum);
	const uint64_t *slots;
	size_t n;

	ITEST_CHECK(i >= 0, "no %s field", hist);
	ITEST_CHECK(eun_event_get_hist(ev, (size_t)i, &slots, &n) == 0, "%s: %s", hist,
		    eun_last_error());
	ITEST_CHECK(n == 32, "%s has %zu slots, want 32", hist, n);
	for (size_t k = 0; k < n; k++) {
		total += slots[k];
		lo += k ? slots[k] << k : 0;
		hi += slots[k] << (k + 1);
	}
	ITEST_CHECK(total == count, "%s: slots add up to %llu, count is %llu", hist,
		    (unsigned long long)total, (unsigned long long)count);
	ITEST_CHECK(s >= lo && s < hi, "%s %llu outside [%llu, %llu)", sum, (unsigned long long)s,
		    (unsigned long long)lo, (unsigned long long)hi);
}

static char tmpdir[64];

static void remove_tmpdir(void)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(tmpdir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

const char *itest_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/eun-itest-XXXXXX");
		ITEST_CHECK(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *itest_cgroup_v2(void)
{
	static char v2[4096];
	FILE *f;
	char line[8192];

	if (v2[0])
		return v2;
	f = fopen("/proc/self/mountinfo", "re");
	ITEST_CHECK(f, "/proc/self/mountinfo: %s", strerror(errno));
	while (!v2[0] && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 "))
			sscanf(line, "%*s %*s %*s %*s %4095s", v2);
	fclose(f);
	if (!v2[0]) {
		printf("SKIP: no cgroup v2 hierarchy is mounted\n");
		exit(ITEST_SKIP);
	}
	return v2;
}
