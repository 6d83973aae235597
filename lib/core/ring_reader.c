/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Reader of one BPF ring buffer map, in place of libbpf's ring_buffer.
 * libbpf maps the data area twice in a row, so that a record wrapping
 * around the end reads as one piece; the kernel maps every page of both
 * copies at mmap() time, which doubles each ring's RSS (2 MiB for the
 * default 1 MiB ring; bench/run, footprint). Here the data area is mapped
 * once and the rare sample that wraps is copied into a buffer.
 *
 * The layout (linux/bpf.h, kernel/bpf/ringbuf.c): page 0 holds the
 * consumer position (the only page user space may write), page 1 the
 * producer position, then the data area of max_entries bytes. Each record
 * starts with an 8-byte header: its length with a busy bit (still being
 * written) and a discard bit, then the sample, padded to 8 bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "core/core.h"

struct ring_reader {
	int fd;                       /* the ring map's fd (not owned) */
	size_t size;                  /* data area bytes, a power of two */
	size_t page;
	unsigned long *consumer_pos;  /* page 0, read-write */
	void *prod_map;               /* page 1 + data area, read-only */
	const unsigned long *producer_pos;
	const uint8_t *data;
	void *wrap_buf;               /* a wrapping sample joined, grown on demand */
	size_t wrap_cap;
};

struct ring_reader *ring_reader_new(int map_fd)
{
	struct bpf_map_info info = { 0 };
	uint32_t info_len = sizeof(info);
	struct ring_reader *r;
	void *p;

	if (bpf_obj_get_info_by_fd(map_fd, &info, &info_len) < 0)
		return NULL;
	if (info.type != BPF_MAP_TYPE_RINGBUF || !info.max_entries) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->fd = map_fd;
	r->size = info.max_entries;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	r->consumer_pos = p;
	p = mmap(NULL, r->page + r->size, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page);
	if (p == MAP_FAILED)
		goto fail;
	r->prod_map = p;
	r->producer_pos = p;
	r->data = (const uint8_t *)p + r->page;
	return r;
fail:;
	int err = errno;

	ring_reader_free(r);
	errno = err;
	return NULL;
}

void ring_reader_free(struct ring_reader *r)
{
	if (!r)
		return;
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page);
	if (r->prod_map)
		munmap(r->prod_map, r->page + r->size);
	free(r->wrap_buf);
	free(r);
}

int ring_reader_fd(const struct ring_reader *r)
{
	return r->fd;
}

/* The len bytes of the sample at data offset off, joined into wrap_buf if
 * they run past the end of the data area; NULL if that buffer cannot grow. */
static const void *sample_at(struct ring_reader *r, size_t off, size_t len)
{
	size_t first = r->size - off;

	if (len <= first)
		return r->data + off;
	if (len > r->wrap_cap) {
		void *b = realloc(r->wrap_buf, len);

		if (!b)
			return NULL;
		r->wrap_buf = b;
		r->wrap_cap = len;
	}
	memcpy(r->wrap_buf, r->data + off, first);
	memcpy((uint8_t *)r->wrap_buf + first, r->data, len - first);
	return r->wrap_buf;
}

int ring_reader_consume(struct ring_reader *r, ring_sample_fn fn, void *cookie)
{
	unsigned long cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE), prod;
	bool busy = false;
	int n = 0, err = 0;

	while (!err && !busy && cons < (prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE))) {
		while (cons < prod) {
			size_t at = cons & (r->size - 1);
			uint32_t len = __atomic_load_n((const uint32_t *)(r->data + at), __ATOMIC_ACQUIRE);
			uint32_t sz = len & ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);

			if (len & BPF_RINGBUF_BUSY_BIT) {
				busy = true; /* still being written: a later pass gets it */
				break;
			}
			/* Like libbpf, a sample the callback fails on counts as consumed. */
			cons += (sz + BPF_RINGBUF_HDR_SZ + 7) & ~7ul;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				const void *sample = sample_at(r, (at + BPF_RINGBUF_HDR_SZ) & (r->size - 1), sz);

				err = sample ? fn(cookie, sample, sz) : -ENOMEM;
				if (err >= 0)
					n++;
			}
			/* Give the space back at once, as libbpf does. */
			__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
			if (err < 0)
				break;
		}
		/* Published before looking for more: a record committed meanwhile
		 * sees the reader caught up and wakes it (kernel/bpf/ringbuf.c). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return err < 0 ? err : n;
}
