/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `files` tracker in io mode, filtered in the kernel to a child
 * that writes and reads a temporary file with write, pwrite64, writev,
 * pread64 and readv, then keeps it open. The `io` records of that file
 * must add up to exactly the calls and bytes made, carry the file's full
 * path (resolved from the child's fd), device and inode. Also: without
 * io=true the io programs are not even loaded, with it all six are.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "itest.h"

#define CHILD_COMM "eun-io-child"
#define N_WRITE 7      /* write() of WRITE_SIZE bytes */
#define WRITE_SIZE 1000
#define N_PWRITE 3     /* pwrite() of PWRITE_SIZE bytes */
#define PWRITE_SIZE 500
#define N_WRITEV 2     /* writev() of 100 + 200 bytes */
#define N_PREAD 4      /* pread() of PREAD_SIZE bytes */
#define PREAD_SIZE 256
#define N_READV 1      /* readv() of 128 + 128 bytes */

#define WANT_WRITES (N_WRITE + N_PWRITE + N_WRITEV)
#define WANT_WRITE_BYTES (N_WRITE * WRITE_SIZE + N_PWRITE * PWRITE_SIZE + N_WRITEV * 300)
#define WANT_READS (N_PREAD + N_READV)
#define WANT_READ_BYTES (N_PREAD * PREAD_SIZE + N_READV * 256)

struct want {
	pid_t child;
	char path[256], dev[32];
	uint64_t ino;
	int64_t reads, writes, read_bytes, write_bytes;
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char buf[512];

	if (strcmp(eun_event_type_name(ev), "io"))
		return 0;
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)w->child,
		    "io record of pid %u passed the in-kernel pid=%d filter", eun_event_pid(ev),
		    (int)w->child);
	if ((uint64_t)itest_field_s64(ev, "ino") != w->ino)
		return 0; /* the child's other files (none expected, but not under test) */
	ITEST_CHECK(itest_field_text(ev, "path", buf, sizeof(buf)), "no path");
	ITEST_CHECK(!strcmp(buf, w->path), "path '%s', want %s", buf, w->path);
	ITEST_CHECK(itest_field_s64(ev, "path_resolved") == 1, "path not resolved from the fd");
	ITEST_CHECK(itest_field_text(ev, "dev", buf, sizeof(buf)), "no dev");
	ITEST_CHECK(!strcmp(buf, w->dev), "dev '%s', want %s", buf, w->dev);
	ITEST_CHECK(itest_field_text(ev, "file_type", buf, sizeof(buf)), "no file_type");
	ITEST_CHECK(!strcmp(buf, "regular"), "file_type '%s'", buf);
	ITEST_CHECK(!strcmp(eun_event_comm(ev), CHILD_COMM), "comm '%s'", eun_event_comm(ev));
	w->reads += itest_field_s64(ev, "reads");
	w->writes += itest_field_s64(ev, "writes");
	w->read_bytes += itest_field_s64(ev, "read_bytes");
	w->write_bytes += itest_field_s64(ev, "write_bytes");
	w->done = w->reads >= WANT_READS && w->writes >= WANT_WRITES &&
		  w->read_bytes >= WANT_READ_BYTES && w->write_bytes >= WANT_WRITE_BYTES;
	return 0;
}

/* Does the I/O under test on fd once told to, then keeps fd open until told to exit. */
static void child(int fd, int go, int done)
{
	static char buf[WRITE_SIZE];
	struct iovec wv[2] = { { buf, 100 }, { buf, 200 } }, rv[2] = { { buf, 128 }, { buf, 128 } };
	char c;

	prctl(PR_SET_NAME, CHILD_COMM);
	if (read(go, &c, 1) != 1)
		_exit(126);
	for (int i = 0; i < N_WRITE; i++)
		if (write(fd, buf, WRITE_SIZE) != WRITE_SIZE)
			_exit(125);
	for (int i = 0; i < N_PWRITE; i++)
		if (pwrite(fd, buf, PWRITE_SIZE, i * PWRITE_SIZE) != PWRITE_SIZE)
			_exit(125);
	for (int i = 0; i < N_WRITEV; i++)
		if (writev(fd, wv, 2) != 300)
			_exit(125);
	for (int i = 0; i < N_PREAD; i++)
		if (pread(fd, buf, PREAD_SIZE, i * PREAD_SIZE) != PREAD_SIZE)
			_exit(125);
	if (lseek(fd, 0, SEEK_SET) != 0 || readv(fd, rv, 2) != 256)
		_exit(125);
	if (write(done, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(126);
	_exit(0);
}

/* BPF programs in the kernel whose name starts with files_io_. */
static int count_io_programs(void)
{
	__u32 id = 0;
	int n = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue; /* unloaded meanwhile */
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    !strncmp(info.name, "files_io_", 9))
			n++;
		close(fd);
	}
	return n;
}

int main(void)
{
	struct want w = { 0 };
	struct eun_tracker *t;
	struct eun_ctx *ctx;
	char pid_text[16], c = 'g';
	int go[2], done[2], fd, status, before;
	struct stat st;

	itest_require_kernel();
	snprintf(w.path, sizeof(w.path), "%s/io-target", itest_tmpdir());
	fd = open(w.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ITEST_CHECK(fd >= 0, "create %s: %s", w.path, strerror(errno));
	ITEST_CHECK(fstat(fd, &st) == 0, "fstat");
	w.ino = st.st_ino;
	snprintf(w.dev, sizeof(w.dev), "%u:%u", major(st.st_dev), minor(st.st_dev));

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);

	/* io off (the default): the open path only, no io program in the kernel. */
	before = count_io_programs();
	t = itest_start(ctx, "files", NULL, 0);
	ITEST_CHECK(count_io_programs() == before, "io=false loaded %d files_io_* programs",
		    count_io_programs() - before);
	eun_tracker_free(t);

	ITEST_CHECK(pipe(go) == 0 && pipe(done) == 0, "pipe");
	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0) {
		close(go[1]);
		close(done[0]);
		child(fd, go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	close(fd);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)w.child);

	const struct eun_config_entry cfg[] = {
		{ "pid", pid_text }, { "io", "true" }, { "interval_ms", "100" },
	};
	t = itest_start(ctx, "files", cfg, 3);
	ITEST_CHECK(count_io_programs() == before + 6, "io=true: %d files_io_* programs, want 6",
		    count_io_programs() - before);
	ITEST_CHECK(write(go[1], &c, 1) == 1, "write go");
	ITEST_CHECK(read(done[0], &c, 1) == 1, "the child failed its I/O");
	/* collect() runs only inside eun_ctx_poll(), called from here on, after
	 * the child's I/O: no call can race a drain of the map. */

	ITEST_CHECK(itest_poll_until(ctx, &w.done),
		    "within %d ms: reads %lld/%d (%lld/%d bytes), writes %lld/%d (%lld/%d bytes)",
		    ITEST_TIMEOUT_MS, (long long)w.reads, WANT_READS, (long long)w.read_bytes,
		    WANT_READ_BYTES, (long long)w.writes, WANT_WRITES, (long long)w.write_bytes,
		    WANT_WRITE_BYTES);
	/* Stop (a last collect) while the child still holds the file open. */
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	ITEST_CHECK(w.reads == WANT_READS && w.read_bytes == WANT_READ_BYTES,
		    "reads %lld (%lld bytes), want %d (%d bytes)", (long long)w.reads,
		    (long long)w.read_bytes, WANT_READS, WANT_READ_BYTES);
	ITEST_CHECK(w.writes == WANT_WRITES && w.write_bytes == WANT_WRITE_BYTES,
		    "writes %lld (%lld bytes), want %d (%d bytes)", (long long)w.writes,
		    (long long)w.write_bytes, WANT_WRITES, WANT_WRITE_BYTES);
	ITEST_CHECK(write(go[1], &c, 1) == 1, "write exit");
	ITEST_CHECK(waitpid(w.child, &status, 0) == w.child, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	eun_ctx_free(ctx);
	printf("ok: %d reads (%d bytes) and %d writes (%d bytes) of %s counted in the kernel\n",
	       WANT_READS, WANT_READ_BYTES, WANT_WRITES, WANT_WRITE_BYTES, w.path);
	return 0;
}
