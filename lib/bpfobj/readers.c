/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The outputs the core does not read itself: perf event arrays (through
 * libbpf's perf_buffer, opened raw so that the reader is woken once
 * wakeup_kb wait in a CPU's buffer, not for every sample) and the ring
 * buffers after the first (libbpf's ring_buffer). Their epoll fds sit in
 * one epoll fd, the descriptor's poll_fd(); poll() drains them all and
 * hands each record to host->emit().
 */
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

/* Per-CPU perf buffer when ringbuf_kb is not set: 64 pages. */
#define PERF_DEFAULT_PAGES 64

struct reader_ctx {
	struct inst *in;
	size_t oi;      /* first output of the map */
	size_t samples; /* read during the current poll() */
};

/* Hand one sample of the map of output oi to the core. */
static void on_sample(struct reader_ctx *rc, const void *data, size_t size)
{
	struct inst *in = rc->in;
	const struct output *out = &in->o->outs[rc->oi];
	long n;

	rc->samples++;
	if (out->lay.eun_header) { /* a record already: the core checks it */
		in->host->emit(in->t, data, size);
		return;
	}
	n = record_build(in, rc->oi, data, size, in->rec, in->o->max_record);
	if (n > 0)
		in->host->emit(in->t, in->rec, (size_t)n);
	else if (n < 0)
		in->host->emit(in->t, NULL, 0); /* counted as a decode error */
}

static enum bpf_perf_event_ret on_perf_event(void *ctx, int cpu, struct perf_event_header *e)
{
	struct reader_ctx *rc = ctx;

	(void)cpu;
	if (e->type == PERF_RECORD_SAMPLE) {
		const struct {
			struct perf_event_header h;
			__u32 size;
			char data[];
		} *s = (const void *)e;

		on_sample(rc, s->data, s->size);
	} else if (e->type == PERF_RECORD_LOST) {
		const struct {
			struct perf_event_header h;
			__u64 id, lost;
		} *l = (const void *)e;

		rc->in->lost += l->lost;
	}
	return LIBBPF_PERF_EVENT_CONT;
}

static int on_ring_sample(void *ctx, void *data, size_t size)
{
	on_sample(ctx, data, size);
	return 0;
}

static int epoll_add(struct inst *in, int fd, const char *what)
{
	struct epoll_event ee = { .events = EPOLLIN };

	if (epoll_ctl(in->epfd, EPOLL_CTL_ADD, fd, &ee))
		return set_error(errno, "object %s: epoll_ctl on %s: %s", in->o->path, what,
				 strerror(errno));
	return 0;
}

/* Pages per CPU and the wakeup watermark of the perf buffers. */
static int perf_sizes(struct inst *in, size_t *pages, uint32_t *watermark)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t bytes = in->ring_bytes ? in->ring_bytes : PERF_DEFAULT_PAGES * page;

	*pages = bytes / page ? bytes / page : 1;
	if (in->wakeup_set && in->wakeup_bytes >= bytes)
		return set_error(EINVAL, "object %s: config key 'wakeup_kb': %llu KiB is not less "
				 "than each CPU's %llu KiB perf buffer (ringbuf_kb); lower it or raise "
				 "ringbuf_kb", in->o->path, (unsigned long long)(in->wakeup_bytes / 1024),
				 (unsigned long long)(bytes / 1024));
	*watermark = (uint32_t)(in->wakeup_bytes < bytes / 4 ? in->wakeup_bytes : bytes / 4);
	return 0;
}

static int open_perf(struct inst *in, size_t oi, int fd)
{
	struct perf_event_attr attr;
	struct perf_buffer *pb;
	size_t pages = 0;
	uint32_t watermark = 0;
	int err;

	if ((err = perf_sizes(in, &pages, &watermark)))
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	if (watermark) {
		attr.watermark = 1;
		attr.wakeup_watermark = watermark;
	} else {
		attr.wakeup_events = 1;
	}
	pb = perf_buffer__new_raw(fd, pages, &attr, on_perf_event, &in->rctx[oi], NULL);
	if (!pb)
		return set_error(errno, "object %s: cannot open the perf buffers of map '%s' (%zu pages "
				 "per CPU): %s", in->o->path, in->o->outs[oi].map, pages, strerror(errno));
	in->pbs[oi] = pb;
	return epoll_add(in, perf_buffer__epoll_fd(pb), "a perf buffer");
}

static int open_ring(struct inst *in, size_t oi, int fd)
{
	int err;

	if (!in->rings) {
		in->rings = ring_buffer__new(fd, on_ring_sample, &in->rctx[oi], NULL);
		if (!in->rings)
			return set_error(errno, "object %s: cannot map ring buffer '%s': %s", in->o->path,
					 in->o->outs[oi].map, strerror(errno));
		return epoll_add(in, ring_buffer__epoll_fd(in->rings), "a ring buffer");
	}
	if ((err = ring_buffer__add(in->rings, fd, on_ring_sample, &in->rctx[oi])))
		return set_error(-err, "object %s: cannot map ring buffer '%s': %s", in->o->path,
				 in->o->outs[oi].map, strerror(-err));
	return 0;
}

/* True if output oi is the first of its map (several native types share one). */
static bool first_of_map(const struct bpfobj *o, size_t oi)
{
	for (size_t j = 0; j < oi; j++)
		if (!strcmp(o->outs[j].map, o->outs[oi].map))
			return false;
	return true;
}

int readers_open(struct inst *in)
{
	struct bpfobj *o = in->o;
	int err = 0;

	if (!o->any_polled)
		return 0;
	in->rctx = calloc(o->n_outs, sizeof(*in->rctx));
	in->pbs = calloc(o->n_outs, sizeof(*in->pbs));
	if (!in->rctx || !in->pbs)
		return set_error(ENOMEM, "out of memory");
	in->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (in->epfd < 0)
		return set_error(errno, "cannot create an epoll fd: %s", strerror(errno));
	for (size_t i = 0; i < o->n_outs && !err; i++) {
		const struct output *out = &o->outs[i];
		int fd;

		in->rctx[i] = (struct reader_ctx){ .in = in, .oi = i };
		if (out->kind == OUT_SNAP || !first_of_map(o, i) ||
		    (o->ring_out >= 0 && !strcmp(out->map, o->outs[o->ring_out].map)))
			continue;
		fd = bpf_object__find_map_fd_by_name(in->obj, out->map);
		err = out->kind == OUT_PERF ? open_perf(in, i, fd) : open_ring(in, i, fd);
	}
	return err;
}

void readers_free(struct inst *in)
{
	for (size_t i = 0; in->pbs && i < in->o->n_outs; i++)
		perf_buffer__free(in->pbs[i]);
	free(in->pbs);
	in->pbs = NULL;
	ring_buffer__free(in->rings);
	in->rings = NULL;
	free(in->rctx);
	in->rctx = NULL;
	if (in->epfd >= 0)
		close(in->epfd);
	in->epfd = -1;
}

int inst_poll_fd(void *state)
{
	return ((struct inst *)state)->epfd;
}

int inst_poll(void *state)
{
	struct inst *in = state;
	size_t total = 0;
	int err;

	if (in->epfd < 0)
		return 0;
	in->boot_minus_mono = boot_minus_mono_ns();
	for (size_t i = 0; i < in->o->n_outs; i++) {
		in->rctx[i].samples = 0;
		if (in->pbs[i] && (err = perf_buffer__consume(in->pbs[i])) < 0)
			return set_error(-err, "object %s: cannot read the perf buffers of map '%s': %s",
					 in->o->path, in->o->outs[i].map, strerror(-err));
	}
	if (in->rings && (err = ring_buffer__consume(in->rings)) < 0)
		return set_error(-err, "object %s: cannot read its ring buffers: %s", in->o->path,
				 strerror(-err));
	for (size_t i = 0; i < in->o->n_outs; i++)
		total += in->rctx[i].samples;
	return (int)total;
}
