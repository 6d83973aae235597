/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `bio` tracker on a loop device over a file in /tmp, filtered in
 * the kernel to this process. We make N_IO O_DIRECT writes of IO_SIZE
 * bytes at distinct offsets of the device, then read them back, each one
 * block request of our own. Two instances run:
 *
 *   `low`   min_latency_us=1: one `slow` record per request, naming us,
 *           the loop disk, the op, its sector and size, at least 1 us;
 *   `high`  min_latency_us=3600000000 (one hour): no `slow` record at all.
 *
 * Both emit their histograms only at stop (interval_ms=0); for the loop
 * disk they must count exactly N_IO writes and N_IO reads of IO_SIZE
 * bytes each, and every histogram must agree with its count and sum.
 *
 * The loop device is bound with LO_FLAGS_AUTOCLEAR, so the kernel unbinds
 * it when its last descriptor closes: at the end of the test, and on any
 * failure exit, since the kernel closes our descriptors then too.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "itest.h"

#define TEST_COMM "eun-bio-test"
#define N_IO 32
#define IO_SIZE 4096
#define DEV_SIZE (N_IO * IO_SIZE * 2)
#define HIGH_US "3600000000"

enum { OP_READ, OP_WRITE, N_OPS };

struct totals {
	uint64_t count, bytes;
};

struct seen {
	struct eun_tracker *low, *high;
	char disk[32];                 /* loopN */
	struct totals hist[2][N_OPS];  /* [low/high][op] from `latency` records on disk */
	int slow[N_OPS][N_IO];         /* `slow` records of low, per op and offset index */
	int n_slow;
};

static int op_index(const char *op)
{
	if (!strcmp(op, "read"))
		return OP_READ;
	if (!strcmp(op, "write"))
		return OP_WRITE;
	return -1;
}

static void on_latency(struct seen *s, const struct eun_event *ev, const char *disk, int op)
{
	uint64_t count = (uint64_t)itest_field_s64(ev, "count");
	struct totals *t;

	ITEST_CHECK(count > 0, "a latency record with no requests");
	itest_check_hist(ev, "latency", "latency_sum", count);
	if (strcmp(disk, s->disk) || op < 0)
		return; /* e.g. the loop driver's own I/O to the backing file */
	t = &s->hist[eun_event_tracker(ev) == s->high][op];
	t->count += count;
	t->bytes += (uint64_t)itest_field_s64(ev, "bytes");
}

static void on_slow(struct seen *s, const struct eun_event *ev, const char *disk, int op)
{
	int64_t sector = itest_field_s64(ev, "sector"), index = sector * 512 / IO_SIZE;

	ITEST_CHECK(eun_event_tracker(ev) == s->low, "a slow record from the one-hour instance");
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)getpid(), "slow record of pid %u passed the pid filter",
		    eun_event_pid(ev));
	ITEST_CHECK(!strcmp(eun_event_comm(ev), TEST_COMM), "comm '%s', want %s", eun_event_comm(ev),
		    TEST_COMM);
	ITEST_CHECK(itest_field_s64(ev, "latency_ns") >= 1000, "latency_ns %lld under min_latency_us=1",
		    (long long)itest_field_s64(ev, "latency_ns"));
	if (strcmp(disk, s->disk))
		return;
	ITEST_CHECK(op >= 0, "op_num %lld on %s: we only read and wrote",
		    (long long)itest_field_s64(ev, "op_num"), disk);
	ITEST_CHECK(itest_field_s64(ev, "op_num") == (op == OP_READ ? 0 : 1), "op_num %lld",
		    (long long)itest_field_s64(ev, "op_num"));
	ITEST_CHECK(itest_field_s64(ev, "bytes") == IO_SIZE, "bytes %lld, want %d",
		    (long long)itest_field_s64(ev, "bytes"), IO_SIZE);
	ITEST_CHECK(sector * 512 % IO_SIZE == 0 && index >= 0 && index < N_IO,
		    "sector %lld is none of the offsets we used", (long long)sector);
	ITEST_CHECK(itest_field_s64(ev, "status") == 0, "status %lld",
		    (long long)itest_field_s64(ev, "status"));
	s->slow[op][index]++;
	s->n_slow++;
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	char disk[64], op[32];

	ITEST_CHECK(itest_field_text(ev, "disk", disk, sizeof(disk)), "no disk field");
	ITEST_CHECK(itest_field_text(ev, "op", op, sizeof(op)), "no op field");
	if (!strcmp(eun_event_type_name(ev), "latency"))
		on_latency(s, ev, disk, op_index(op));
	else if (!strcmp(eun_event_type_name(ev), "slow"))
		on_slow(s, ev, disk, op_index(op));
	else
		ITEST_FAIL("event type %s", eun_event_type_name(ev));
	return 0;
}

/* Bind a loop device to a fresh DEV_SIZE file; its fd (O_DIRECT), name in disk. */
static int loop_attach(char *disk, size_t size)
{
	char file[256], dev[64];
	int ctl, backing, fd = -1;

	snprintf(file, sizeof(file), "%s/backing", itest_tmpdir());
	backing = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	ITEST_CHECK(backing >= 0 && ftruncate(backing, DEV_SIZE) == 0, "%s: %s", file, strerror(errno));
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0 && errno == ENOENT) {
		printf("SKIP: this kernel has no loop devices (/dev/loop-control missing; CONFIG_BLK_DEV_LOOP)\n");
		exit(ITEST_SKIP);
	}
	ITEST_CHECK(ctl >= 0, "/dev/loop-control: %s", strerror(errno));
	/* Another process may take the free device first: then ask again. */
	for (int tries = 0; fd < 0 && tries < 20; tries++) {
		struct loop_config cfg = { .fd = (__u32)backing,
					   .info.lo_flags = LO_FLAGS_AUTOCLEAR };
		int nr = ioctl(ctl, LOOP_CTL_GET_FREE);

		ITEST_CHECK(nr >= 0, "LOOP_CTL_GET_FREE: %s", strerror(errno));
		snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
		fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
		ITEST_CHECK(fd >= 0, "%s: %s", dev, strerror(errno));
		if (ioctl(fd, LOOP_CONFIGURE, &cfg) == 0) {
			snprintf(disk, size, "loop%d", nr);
			break;
		}
		ITEST_CHECK(errno == EBUSY, "LOOP_CONFIGURE %s: %s", dev, strerror(errno));
		close(fd);
		fd = -1;
	}
	ITEST_CHECK(fd >= 0, "no free loop device after 20 tries");
	close(ctl);
	close(backing);
	return fd;
}

/* True while /sys/block/DISK/loop exists, i.e. the device is bound. */
static bool loop_bound(const char *disk)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/block/%s/loop", disk);
	return access(path, F_OK) == 0;
}

/* N_IO direct writes, then N_IO direct reads checking the data. */
static void do_io(int fd)
{
	unsigned char *buf;

	ITEST_CHECK(posix_memalign((void **)&buf, IO_SIZE, IO_SIZE) == 0, "posix_memalign");
	for (int i = 0; i < N_IO; i++) {
		memset(buf, 'a' + i % 26, IO_SIZE);
		ITEST_CHECK(pwrite(fd, buf, IO_SIZE, (off_t)i * IO_SIZE) == IO_SIZE, "pwrite %d: %s", i,
			    strerror(errno));
	}
	for (int i = 0; i < N_IO; i++) {
		ITEST_CHECK(pread(fd, buf, IO_SIZE, (off_t)i * IO_SIZE) == IO_SIZE, "pread %d: %s", i,
			    strerror(errno));
		ITEST_CHECK(buf[0] == 'a' + i % 26 && buf[IO_SIZE - 1] == buf[0], "block %d reads back wrong", i);
	}
	free(buf);
}

int main(void)
{
	static const char *const op_names[N_OPS] = { "read", "write" };
	struct seen s = { 0 };
	struct eun_ctx *ctx;
	char pid[16];
	int fd;

	itest_require_kernel();
	ITEST_CHECK(prctl(PR_SET_NAME, TEST_COMM) == 0, "prctl");
	fd = loop_attach(s.disk, sizeof(s.disk));
	snprintf(pid, sizeof(pid), "%d", (int)getpid());

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &s);
	{
		const struct eun_config_entry low[] = { { "pid", pid }, { "min_latency_us", "1" },
							{ "interval_ms", "0" } };
		const struct eun_config_entry high[] = { { "pid", pid }, { "min_latency_us", HIGH_US },
							 { "interval_ms", "0" } };

		s.low = itest_start(ctx, "bio", low, 3);
		s.high = itest_start(ctx, "bio", high, 3);
	}
	do_io(fd);
	/* Stop drains the ring and runs the final collect(): every record is in. */
	ITEST_CHECK(eun_tracker_stop(s.low) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_stop(s.high) == 0, "stop: %s", eun_last_error());

	for (int inst = 0; inst < 2; inst++)
		for (int op = 0; op < N_OPS; op++)
			ITEST_CHECK(s.hist[inst][op].count == N_IO &&
					    s.hist[inst][op].bytes == (uint64_t)N_IO * IO_SIZE,
				    "%s instance, %s %s: %llu requests of %llu bytes, want %d of %d",
				    inst ? "high" : "low", s.disk, op_names[op],
				    (unsigned long long)s.hist[inst][op].count,
				    (unsigned long long)s.hist[inst][op].bytes, N_IO, N_IO * IO_SIZE);
	for (int op = 0; op < N_OPS; op++)
		for (int i = 0; i < N_IO; i++)
			ITEST_CHECK(s.slow[op][i] == 1, "%d slow records for the %s at offset %d, want 1",
				    s.slow[op][i], op_names[op], i * IO_SIZE);
	{
		EUN_OPTS(eun_tracker_stats, st);

		ITEST_CHECK(eun_tracker_stats(s.low, &st) == 0, "stats");
		ITEST_CHECK(st.decode_errors == 0 && st.kernel_drops == 0,
			    "decode errors %llu, kernel drops %llu", (unsigned long long)st.decode_errors,
			    (unsigned long long)st.kernel_drops);
	}
	eun_ctx_free(ctx);

	close(fd);
	for (int i = 0; i < 100 && loop_bound(s.disk); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
	ITEST_CHECK(!loop_bound(s.disk), "%s still bound 2 s after its last close (autoclear)", s.disk);
	printf("ok: %s: %d direct writes and %d reads counted exactly by both instances, "
	       "%d slow records at min_latency_us=1, none at one hour\n",
	       s.disk, N_IO, N_IO, s.n_slow);
	return 0;
}
