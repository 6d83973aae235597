// SPDX-License-Identifier: GPL-2.0-only
/*
 * The baseline of bench/bpfobj.sh: bpfobj_open.bpf.c wrapped in a
 * hand-written plugin, as a tracker author would write one for that
 * program, to compare with the same object loaded with no wrapper. It
 * knows the record's layout and fills the header from its fixed offsets,
 * and the cgroup and namespaces, which the program does not send, from
 * /proc (kept for a second for the last process seen), so that its events
 * say what the generic path's say;
 * the perf buffer variant reads it as the generic loader does (libbpf's
 * raw perf_buffer of 1 MiB per CPU, woken once 64 KiB wait; plugin ABI 1.3
 * poll_fd/poll),
 * the ring variant through the core's ring reader and decode().
 * Built twice: native_open_perf.so and, with -DBENCH_RING, native_open_ring.so.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>

#include "bpfobj_open.h"
#ifdef BENCH_RING
#include "bpfobj_open_ring.skel.h"
#define SKEL(fn) bpfobj_open_ring_bpf__##fn
#define SKEL_T struct bpfobj_open_ring_bpf
#define TRACKER "native_open_ring"
#else
#include "bpfobj_open_perf.skel.h"
#define SKEL(fn) bpfobj_open_perf_bpf__##fn
#define SKEL_T struct bpfobj_open_perf_bpf
#define TRACKER "native_open_perf"
#endif

#define OPEN_TYPE 1
#define PERF_PAGES 256 /* 1 MiB per CPU, as bench/bpfobj.sh gives the generic path */
#define PERF_WAKEUP (64 * 1024)

struct rec {
	struct eun_record_header h;
	struct bench_open e;
};

static const struct eun_field fields[] = {
	EUN_FIELD(struct rec, e.ret, EUN_FIELD_S32, NULL, EUN_FIELD_F_ERRNO, "fd or -errno"),
	EUN_FIELD(struct rec, e.flags, EUN_FIELD_S32, NULL, 0, "open flags"),
	EUN_FIELD(struct rec, e.fname, EUN_FIELD_STR, NULL, 0, "path"),
};

static const struct eun_event_type types[] = {
	{ .name = "event", .id = OPEN_TYPE, .record_size = sizeof(struct rec), .fields = fields,
	  .n_fields = EUN_ARRAY_LEN(fields) },
};

/* What /proc says of the last process seen. */
struct proc_ids {
	uint32_t pid;
	time_t at;
	uint64_t cgroup_id;
	uint32_t ns[4]; /* pid, mnt, net, user */
};

struct native {
	SKEL_T *skel;
	struct eun_tracker *t;
	const struct eun_host *host;
	struct perf_buffer *pb;
	bool loaded;
	int64_t boot_minus_mono;
	uint64_t lost;
	struct proc_ids ids;
};

static int64_t boot_minus_mono(void)
{
	struct timespec b, m;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return (int64_t)(b.tv_sec - m.tv_sec) * 1000000000 + (b.tv_nsec - m.tv_nsec);
}

static uint64_t inode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

static void read_ids(struct proc_ids *ids, uint32_t pid)
{
	static const char *const ns[4] = { "pid", "mnt", "net", "user" };
	char path[512], line[256] = "";
	FILE *f;

	ids->pid = pid;
	ids->at = time(NULL);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/proc/%u/ns/%s", pid, ns[i]);
		ids->ns[i] = (uint32_t)inode_of(path);
	}
	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	ids->cgroup_id = 0;
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f) && strncmp(line, "0::", 3))
			;
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
		ids->cgroup_id = inode_of(path);
	}
}

/* The record of one sample: header from the struct's fields, then the struct. */
static void fill(struct native *n, struct rec *r, const struct bench_open *e)
{
	memset(&r->h, 0, sizeof(r->h));
	r->h.ts_ns = e->ts + (uint64_t)n->boot_minus_mono;
	r->h.type = OPEN_TYPE;
	r->h.pid = r->h.tid = (uint32_t)e->pid;
	r->h.uid = e->uid;
	memcpy(r->h.comm, e->comm, sizeof(r->h.comm));
	if (n->ids.pid != (uint32_t)e->pid || time(NULL) != n->ids.at)
		read_ids(&n->ids, (uint32_t)e->pid);
	r->h.cgroup_id = n->ids.cgroup_id;
	r->h.pid_ns = n->ids.ns[0];
	r->h.mnt_ns = n->ids.ns[1];
	r->h.net_ns = n->ids.ns[2];
	r->h.user_ns = n->ids.ns[3];
	r->e = *e;
}

static int n_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct native *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->skel = SKEL(open)();
	if (!n->skel) {
		host->set_error(t, "cannot open the BPF object");
		free(n);
		return -EINVAL;
	}
	strcpy((char *)n->skel->rodata->targ_comm, "workload_open");
	n->t = t;
	n->host = host;
	*state = n;
	return 0;
}

static void n_destroy(void *state)
{
	struct native *n = state;

	perf_buffer__free(n->pb);
	SKEL(destroy)(n->skel);
	free(n);
}

#ifndef BENCH_RING
static enum bpf_perf_event_ret on_event(void *ctx, int cpu, struct perf_event_header *h)
{
	struct native *n = ctx;
	struct rec r;

	(void)cpu;
	if (h->type == PERF_RECORD_SAMPLE) {
		const struct {
			struct perf_event_header h;
			__u32 size;
			char data[];
		} *s = (const void *)h;

		if (s->size >= sizeof(struct bench_open)) {
			fill(n, &r, (const struct bench_open *)s->data);
			n->host->emit(n->t, &r, sizeof(r));
		}
	} else if (h->type == PERF_RECORD_LOST) {
		n->lost += ((const __u64 *)(h + 1))[1];
	}
	return LIBBPF_PERF_EVENT_CONT;
}
#endif

static int n_start(void *state)
{
	struct native *n = state;
	int err;

	if (!n->loaded) {
		if ((err = SKEL(load)(n->skel))) {
			n->host->set_error(n->t, "cannot load: %s", strerror(-err));
			return err;
		}
		n->loaded = true;
#ifndef BENCH_RING
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_BPF_OUTPUT,
			.sample_type = PERF_SAMPLE_RAW, .sample_period = 1, .watermark = 1,
			.wakeup_watermark = PERF_WAKEUP,
		};

		n->pb = perf_buffer__new_raw(bpf_map__fd(n->skel->maps.events), PERF_PAGES, &attr,
					     on_event, n, NULL);
		if (!n->pb)
			return -errno;
#endif
	}
	n->boot_minus_mono = boot_minus_mono();
	return SKEL(attach)(n->skel);
}

static int n_stop(void *state)
{
	SKEL(detach)(((struct native *)state)->skel);
	return 0;
}

static uint64_t n_drops(void *state)
{
	return ((struct native *)state)->lost;
}

#ifdef BENCH_RING
static int n_ring_fd(void *state)
{
	return bpf_map__fd(((struct native *)state)->skel->maps.events);
}

static long n_decode(void *state, const void *raw, size_t len, void *out, size_t cap)
{
	if (len < sizeof(struct bench_open) || cap < sizeof(struct rec))
		return -EBADMSG;
	fill(state, out, raw);
	return sizeof(struct rec);
}
#else
static int n_poll_fd(void *state)
{
	return perf_buffer__epoll_fd(((struct native *)state)->pb);
}

static int n_poll(void *state)
{
	return perf_buffer__consume(((struct native *)state)->pb);
}
#endif

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER(TRACKER),
	.version = "1",
	.description = "bench: bpfobj_open.bpf.o in a hand-written plugin",
	.license = "GPL-2.0-only",
	.event_types = types,
	.n_event_types = 1,
	.create = n_create,
	.destroy = n_destroy,
	.start = n_start,
	.stop = n_stop,
	.kernel_drops = n_drops,
#ifdef BENCH_RING
	.ring_fd = n_ring_fd,
	.decode = n_decode,
#else
	.poll_fd = n_poll_fd,
	.poll = n_poll,
#endif
};

EUN_PLUGIN_DEFINE(desc)
