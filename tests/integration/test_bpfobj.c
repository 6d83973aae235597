/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * BPF objects as trackers in the real kernel (eun_ctx_load_bpf_object()),
 * with the objects compiled in tests/bpfobj:
 *  - openperf: a perf buffer and a struct from a header (--event-header):
 *    every field of an open of a unique file, the header built in user
 *    space (pid, uid, comm from the struct; cgroup, namespaces from /proc),
 *    the user-space pid filter, a global set from config; the cgroup,
 *    comm and uid filters in user space, on a child moved into a cgroup;
 *  - openperf with a schema whose size exceeds the samples: decode errors
 *    and one error message naming the object, map and sizes;
 *  - execring: a ring buffer named by EUN_EXPORT_EVENT(): an exec;
 *  - readhist: a histogram, a counter hash and an array read as snapshots,
 *    checked against reads of known sizes, twice (deltas of the array);
 *  - nativering: eunomia.bpf.h records and its in-kernel pid filter;
 *  - igstyle: Inspektor Gadget's conventions (GADGET_TRACER, gadget_*);
 *  - mixedhooks: a kprobe and an fentry program this kernel refuses, per
 *    attach policy.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itest.h"

#ifndef EUN_TEST_BPFOBJ_DIR
#error "EUN_TEST_BPFOBJ_DIR must be defined by the build"
#endif
#ifndef EUN_TEST_BPFOBJ_SRC
#error "EUN_TEST_BPFOBJ_SRC must be defined by the build"
#endif

static const char *obj(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s.bpf.o", EUN_TEST_BPFOBJ_DIR, name);
	return path;
}

static void load(struct eun_ctx *ctx, const char *name, const struct eun_bpf_object_opts *o)
{
	ITEST_CHECK(eun_ctx_load_bpf_object(ctx, obj(name), o), "load %s: %s", name,
		    eun_last_error());
}

/* ---- log capture ---- */

static char logbuf[16384];
static size_t loglen;

static void capture_log(enum eun_log_level lvl, const char *msg, void *cookie)
{
	(void)cookie;
	if (lvl <= EUN_LOG_WARN && loglen < sizeof(logbuf) - 1)
		loglen += (size_t)snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%s\n", msg);
}

/* ---- facts about this process, to compare with the header ---- */

static uint32_t ns_inode(const char *name)
{
	struct stat st;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	ITEST_CHECK(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return (uint32_t)st.st_ino;
}

static uint64_t own_cgroup_id(void)
{
	char line[4096], path[8192];
	struct stat st;
	FILE *f = fopen("/proc/self/cgroup", "re");

	ITEST_CHECK(f, "/proc/self/cgroup: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			break;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s%s", itest_cgroup_v2(), line + 3);
	ITEST_CHECK(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return (uint64_t)st.st_ino;
}

static uint64_t now_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t field_u(const struct eun_event *ev, const char *name)
{
	return (uint64_t)itest_field_s64(ev, name);
}

static bool text_is(const struct eun_event *ev, const char *name, const char *want)
{
	char buf[512];

	return itest_field_text(ev, name, buf, sizeof(buf)) && !strcmp(buf, want);
}

/* ---- openperf: perf buffer, struct from a header ---- */

struct opens {
	char existing[256], missing[256];
	int fd;
	bool saw_existing, saw_missing, done;
	int foreign; /* events of other processes (the pid filter lets none through) */
	uint64_t cgroup_id;
};

static int on_open(const struct eun_event *ev, void *cookie)
{
	struct opens *w = cookie;
	uint64_t now = now_real_ns();

	if (strcmp(eun_event_tracker_name(ev), "openperf"))
		return 0;
	if (eun_event_pid(ev) != (uint32_t)getpid()) {
		w->foreign++;
		return 0;
	}
	if (text_is(ev, "fname", w->existing)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == w->fd, "ret %lld, want fd %d",
			    (long long)itest_field_s64(ev, "ret"), w->fd);
		ITEST_CHECK(itest_field_s64(ev, "flags") == (O_RDONLY | O_CLOEXEC), "flags %#llx",
			    (long long)itest_field_s64(ev, "flags"));
		ITEST_CHECK(field_u(ev, "ids.tid") == (uint64_t)syscall(SYS_gettid), "ids.tid");
		ITEST_CHECK(field_u(ev, "ids.ppid") == (uint64_t)getppid(), "ids.ppid %llu",
			    (unsigned long long)field_u(ev, "ids.ppid"));
		ITEST_CHECK(field_u(ev, "callers.0") == 5, "callers.0 (targ_level) %llu",
			    (unsigned long long)field_u(ev, "callers.0"));
		ITEST_CHECK(field_u(ev, "callers.1") == 0xdeadbeef, "callers.1");
		/* The header, built in user space. */
		ITEST_CHECK(eun_event_uid(ev) == getuid(), "uid %u", eun_event_uid(ev));
		ITEST_CHECK(eun_event_tid(ev) == (uint32_t)getpid(), "tid %u", eun_event_tid(ev));
		ITEST_CHECK(!strncmp(eun_event_comm(ev), "test_bpfobj", 11), "comm %s",
			    eun_event_comm(ev));
		ITEST_CHECK(eun_event_cgroup_id(ev) == w->cgroup_id, "cgroup id %llu, want %llu",
			    (unsigned long long)eun_event_cgroup_id(ev),
			    (unsigned long long)w->cgroup_id);
		ITEST_CHECK(eun_event_ns_id(ev, EUN_NS_MNT) == ns_inode("mnt") &&
			    eun_event_ns_id(ev, EUN_NS_NET) == ns_inode("net") &&
			    eun_event_ns_id(ev, EUN_NS_PID) == ns_inode("pid"),
			    "namespaces");
		ITEST_CHECK(eun_event_ts(ev) <= now && eun_event_ts(ev) > now - 10000000000ull,
			    "ts %llu is not within the last 10 s (now %llu)",
			    (unsigned long long)eun_event_ts(ev), (unsigned long long)now);
		w->saw_existing = true;
	} else if (text_is(ev, "fname", w->missing)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == -ENOENT, "ret %lld, want -ENOENT",
			    (long long)itest_field_s64(ev, "ret"));
		w->saw_missing = true;
	}
	w->done = w->saw_existing && w->saw_missing;
	return 0;
}

static void test_perf_buffer_header(void)
{
	EUN_OPTS(eun_bpf_object_opts, o, .event_header = EUN_TEST_BPFOBJ_SRC "/openperf.h");
	struct eun_ctx *ctx = itest_ctx();
	struct opens w = { .fd = -1, .cgroup_id = own_cgroup_id() };
	char pid[16];
	struct eun_tracker *t;
	int fd;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct eun_config_entry cfg[] = { { "pid", pid }, { "targ_level", "5" } };

	snprintf(w.existing, sizeof(w.existing), "%s/perf-exists-%d", itest_tmpdir(), (int)getpid());
	snprintf(w.missing, sizeof(w.missing), "%s/perf-missing-%d", itest_tmpdir(), (int)getpid());
	fd = open(w.existing, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ITEST_CHECK(fd >= 0, "create %s: %s", w.existing, strerror(errno));
	close(fd);
	load(ctx, "openperf", &o);
	eun_ctx_set_event_fn(ctx, on_open, &w);
	t = itest_start(ctx, "openperf", cfg, 2);
	w.fd = open(w.existing, O_RDONLY | O_CLOEXEC);
	ITEST_CHECK(w.fd >= 0, "open %s: %s", w.existing, strerror(errno));
	ITEST_CHECK(open(w.missing, O_RDONLY | O_CLOEXEC) < 0, "%s exists", w.missing);
	ITEST_CHECK(itest_poll_until(ctx, &w.done), "openperf: existing %s, missing %s",
		    w.saw_existing ? "seen" : "NOT seen", w.saw_missing ? "seen" : "NOT seen");
	close(w.fd);
	ITEST_CHECK(w.foreign == 0, "%d events of other processes passed the pid filter", w.foreign);
	{
		EUN_OPTS(eun_tracker_stats, st);

		ITEST_CHECK(eun_tracker_stats(t, &st) == 0, "stats");
		ITEST_CHECK(st.decode_errors == 0 && st.kernel_drops == 0,
			    "%llu decode errors, %llu drops", (unsigned long long)st.decode_errors,
			    (unsigned long long)st.kernel_drops);
	}
	eun_ctx_free(ctx);
	printf("ok: openperf (perf buffer, --event-header): open of %s (fd %d) and -ENOENT\n",
	       w.existing, w.fd);
}

/* ---- the common filters in user space: cgroup, comm, uid ---- */

struct filtered {
	struct eun_tracker *cg, *comm, *uid;
	pid_t child;
	char child_path[256], parent_path[256];
	uint64_t cgroup_id;
	int cg_events, comm_events, uid_events;
	bool done;
};

static int on_filtered(const struct eun_event *ev, void *cookie)
{
	struct filtered *f = cookie;
	struct eun_tracker *t = eun_event_tracker(ev);

	if (t == f->comm)
		f->comm_events++;
	else if (t == f->uid)
		f->uid_events++;
	if (t != f->cg)
		return 0;
	f->cg_events++;
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)f->child, "pid %u is not in the cgroup",
		    eun_event_pid(ev));
	ITEST_CHECK(eun_event_cgroup_id(ev) == f->cgroup_id, "cgroup id %llu, want %llu",
		    (unsigned long long)eun_event_cgroup_id(ev), (unsigned long long)f->cgroup_id);
	ITEST_CHECK(!text_is(ev, "fname", f->parent_path), "the parent's open passed");
	f->done |= text_is(ev, "fname", f->child_path);
	return 0;
}

static struct eun_tracker *new_filtered(struct eun_ctx *ctx, const char *key, const char *value)
{
	char uid[16];

	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	struct eun_config_entry cfg[] = { { key, value }, { "uid", uid } };

	return itest_start(ctx, "filtered", cfg, strcmp(key, "uid") ? 2 : 1);
}

static void test_user_space_filters(void)
{
	EUN_OPTS(eun_bpf_object_opts, o, .event_header = EUN_TEST_BPFOBJ_SRC "/openperf.h",
		 .name = "filtered");
	struct eun_ctx *ctx = itest_ctx();
	struct filtered f = { 0 };
	char dir[4096], rel[128], procs[4200], pid[16], c;
	int to_child[2], from_child[2], fd, status;
	struct stat st;
	FILE *fp;

	snprintf(rel, sizeof(rel), "/eun-bpfobj-%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s%s", itest_cgroup_v2(), rel);
	ITEST_CHECK(mkdir(dir, 0755) == 0 && stat(dir, &st) == 0, "mkdir %s: %s", dir, strerror(errno));
	f.cgroup_id = (uint64_t)st.st_ino;
	snprintf(f.child_path, sizeof(f.child_path), "%s/cg-child-%d", itest_tmpdir(), (int)getpid());
	snprintf(f.parent_path, sizeof(f.parent_path), "%s/cg-parent-%d", itest_tmpdir(), (int)getpid());
	ITEST_CHECK(pipe(to_child) == 0 && pipe(from_child) == 0, "pipe");
	f.child = fork();
	ITEST_CHECK(f.child >= 0, "fork");
	if (f.child == 0) {
		if (read(to_child[0], &c, 1) != 1)
			_exit(1);
		fd = open(f.child_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		_exit(fd < 0 || write(from_child[1], "x", 1) != 1);
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	fp = fopen(procs, "w");
	ITEST_CHECK(fp && fprintf(fp, "%d\n", (int)f.child) > 0 && fclose(fp) == 0,
		    "moving %d into %s: %s", (int)f.child, dir, strerror(errno));

	load(ctx, "openperf", &o);
	eun_ctx_set_event_fn(ctx, on_filtered, &f);
	f.cg = new_filtered(ctx, "cgroup", rel);                 /* the child, by its cgroup */
	f.comm = new_filtered(ctx, "comm", "no-such-comm");      /* nobody */
	snprintf(pid, sizeof(pid), "%u", (unsigned)getuid() + 4242);
	f.uid = new_filtered(ctx, "uid", pid);                   /* nobody */
	fd = open(f.parent_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ITEST_CHECK(fd >= 0, "open");
	close(fd);
	ITEST_CHECK(write(to_child[1], "x", 1) == 1 && read(from_child[0], &c, 1) == 1, "child");
	ITEST_CHECK(itest_poll_until(ctx, &f.done), "no open of the child in %s passed the cgroup "
		    "filter (%d events)", rel, f.cg_events);
	for (int i = 0; i < 3; i++) /* what the other two trackers might still deliver */
		eun_ctx_poll(ctx, 50);
	ITEST_CHECK(f.comm_events == 0 && f.uid_events == 0, "%d events passed comm=no-such-comm, "
		    "%d passed a uid nobody has", f.comm_events, f.uid_events);
	waitpid(f.child, &status, 0);
	eun_ctx_free(ctx);
	ITEST_CHECK(rmdir(dir) == 0, "rmdir %s: %s", dir, strerror(errno));
	close(to_child[0]);
	close(to_child[1]);
	close(from_child[0]);
	close(from_child[1]);
	printf("ok: user-space filters: cgroup %s (%d events), comm and uid (none)\n", rel, f.cg_events);
}

/* ---- a schema that does not fit the samples ---- */

static int count_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	++*(int *)cookie;
	return 0;
}

static void test_schema_too_big(void)
{
	char path[512];
	FILE *f;
	struct eun_ctx *ctx = itest_ctx();
	struct eun_tracker *t;
	EUN_OPTS(eun_tracker_stats, st);
	int events = 0, fd;
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct eun_config_entry cfg[] = { { "targ_tgid", pid } };

	snprintf(path, sizeof(path), "%s/big.schema.yaml", itest_tmpdir());
	f = fopen(path, "w");
	ITEST_CHECK(f, "%s: %s", path, strerror(errno));
	fputs("map: events\nsize: 400\nfields:\n  - {name: ret, type: s32, offset: 16}\n"
	      "  - {name: tail, type: u64, offset: 392}\n", f);
	fclose(f);
	EUN_OPTS(eun_bpf_object_opts, o, .schema_path = path, .name = "bigschema");
	ITEST_CHECK(eun_ctx_load_bpf_object(ctx, obj("openperf"), &o), "%s", eun_last_error());
	eun_ctx_set_event_fn(ctx, count_cb, &events);
	loglen = 0;
	eun_set_log_fn(capture_log, NULL);
	t = itest_start(ctx, "bigschema", cfg, 1);
	for (int i = 0; i < 3; i++) {
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		close(fd);
	}
	for (int i = 0; i < 20 && (eun_tracker_stats(t, &st), st.decode_errors < 3); i++)
		eun_ctx_poll(ctx, 100);
	eun_set_log_fn(NULL, NULL);
	ITEST_CHECK(st.decode_errors >= 3 && events == 0, "%llu decode errors, %d events",
		    (unsigned long long)st.decode_errors, events);
	/* 320 bytes of struct event, padded by the perf buffer to 8 with its size word. */
	ITEST_CHECK(strstr(logbuf, "openperf.bpf.o: map 'events' sent a 324-byte sample, shorter "
			   "than the 400 bytes of its layout"),
		    "no clear error in the log: %s", logbuf);
	ITEST_CHECK(strstr(logbuf, "big.schema.yaml"), "the log names no schema file: %s", logbuf);
	eun_ctx_free(ctx);
	printf("ok: a schema larger than the samples: %llu decode errors and one message\n",
	       (unsigned long long)st.decode_errors);
}

/* ---- execring: ring buffer + EUN_EXPORT_EVENT ---- */

struct execs {
	pid_t child;
	bool done;
};

static int on_exec(const struct eun_event *ev, void *cookie)
{
	struct execs *w = cookie;

	if (eun_event_pid(ev) != (uint32_t)w->child)
		return 0;
	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "exec_event"), "type %s", eun_event_type_name(ev));
	ITEST_CHECK(text_is(ev, "filename", "/bin/true"), "filename");
	ITEST_CHECK(field_u(ev, "ppid") == (uint64_t)getpid(), "ppid %llu",
		    (unsigned long long)field_u(ev, "ppid"));
	ITEST_CHECK(field_u(ev, "kind") == (getuid() ? 2 : 1), "kind (enum)");
	ITEST_CHECK(field_u(ev, "root") == (getuid() == 0), "root (bool)");
	ITEST_CHECK(!strcmp(eun_event_comm(ev), "true"), "comm %s", eun_event_comm(ev));
	w->done = true;
	return 0;
}

static void test_ring_annotation(void)
{
	struct eun_ctx *ctx = itest_ctx();
	struct execs w = { 0 };
	int status;

	load(ctx, "execring", NULL);
	eun_ctx_set_event_fn(ctx, on_exec, &w);
	itest_start(ctx, "execring", NULL, 0);
	w.child = fork();
	ITEST_CHECK(w.child >= 0, "fork: %s", strerror(errno));
	if (w.child == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	ITEST_CHECK(itest_poll_until(ctx, &w.done), "no exec event of child %d", (int)w.child);
	waitpid(w.child, &status, 0);
	eun_ctx_free(ctx);
	printf("ok: execring (ring buffer, EUN_EXPORT_EVENT): exec of /bin/true by %d\n", (int)w.child);
}

/* ---- readhist: snapshots of a histogram, a counter hash and an array ---- */

/* A child that, at each SIGUSR1, reads the sizes of one round from
 * /dev/zero and writes a byte to done_fd; it reads nothing else. */
static pid_t start_reader(int done_fd)
{
	pid_t pid = fork();
	sigset_t set;
	int sig;

	ITEST_CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid)
		return pid;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int round = 0; round < 2; round++) {
		static const struct {
			size_t size;
			int times;
		} a[] = { { 1, 3 }, { 100, 5 }, { 5000, 2 } }, b[] = { { 1, 4 } };
		static char buf[8192];
		int fd;

		sigwait(&set, &sig);
		fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		for (size_t i = 0; i < (round ? 1 : 3); i++)
			for (int k = 0; k < (round ? b : a)[i].times; k++)
				if (read(fd, buf, (round ? b : a)[i].size) < 0)
					_exit(1);
		close(fd);
		if (write(done_fd, "x", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

struct snaps {
	pid_t child;
	uint64_t slots[32], slot_sum, calls, bytes, total_calls, total_bytes;
	int n_sizes, n_stats, n_totals;
};

static int on_snapshot(const struct eun_event *ev, void *cookie)
{
	struct snaps *s = cookie;
	const char *type = eun_event_type_name(ev);

	if (!strcmp(type, "read_totals")) {
		ITEST_CHECK(field_u(ev, "key") == 0, "array key");
		s->total_calls += field_u(ev, "calls");
		s->total_bytes += field_u(ev, "bytes");
		s->n_totals++;
		return 0;
	}
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)s->child, "a %s record of pid %u", type,
		    eun_event_pid(ev));
	if (!strcmp(type, "read_sizes")) {
		const uint64_t *slots;
		size_t n;

		ITEST_CHECK(eun_event_get_hist(ev, (size_t)eun_event_field_index(ev, "slots"), &slots,
					       &n) == 0 && n == 32, "slots");
		for (size_t i = 0; i < n; i++)
			s->slots[i] += slots[i];
		s->slot_sum += field_u(ev, "slots_sum");
		s->n_sizes++;
	} else if (!strcmp(type, "read_stats")) {
		s->calls += field_u(ev, "calls");
		s->bytes += field_u(ev, "bytes");
		s->n_stats++;
	}
	return 0;
}

static void check_round(const struct snaps *s, const uint64_t want[32], uint64_t calls, uint64_t bytes,
			int round)
{
	uint64_t sum = 0;

	for (int i = 0; i < 32; i++) {
		ITEST_CHECK(s->slots[i] == want[i], "round %d: slot %d holds %llu, want %llu", round, i,
			    (unsigned long long)s->slots[i], (unsigned long long)want[i]);
		sum += want[i] * (i ? 1ull << i : 0);
	}
	ITEST_CHECK(s->slot_sum == sum, "round %d: slots_sum %llu, want %llu", round,
		    (unsigned long long)s->slot_sum, (unsigned long long)sum);
	ITEST_CHECK(s->calls == calls && s->bytes == bytes, "round %d: read_stats %llu calls, %llu "
		    "bytes, want %llu, %llu", round, (unsigned long long)s->calls,
		    (unsigned long long)s->bytes, (unsigned long long)calls, (unsigned long long)bytes);
	ITEST_CHECK(s->total_calls == calls && s->total_bytes == bytes, "round %d: read_totals %llu "
		    "calls, %llu bytes, want %llu, %llu (deltas of the array)", round,
		    (unsigned long long)s->total_calls, (unsigned long long)s->total_bytes,
		    (unsigned long long)calls, (unsigned long long)bytes);
}

static void test_snapshots(void)
{
	struct eun_ctx *ctx = itest_ctx();
	struct snaps s = { 0 };
	uint64_t want_a[32] = { [0] = 3, [6] = 5, [12] = 2 }, want_b[32] = { [0] = 4 };
	struct eun_tracker *t;
	int pipefd[2], status;
	char pid[16], c;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL); /* the child inherits it, then waits with sigwait */
	ITEST_CHECK(pipe(pipefd) == 0, "pipe");
	s.child = start_reader(pipefd[1]);
	snprintf(pid, sizeof(pid), "%d", (int)s.child);
	struct eun_config_entry cfg[] = { { "targ_tgid", pid }, { "interval_ms", "0" } };

	load(ctx, "readhist", NULL);
	eun_ctx_set_event_fn(ctx, on_snapshot, &s);
	t = itest_start(ctx, "readhist", cfg, 2);
	kill(s.child, SIGUSR1);
	ITEST_CHECK(read(pipefd[0], &c, 1) == 1, "round 1 of the reader");
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error()); /* collects */
	ITEST_CHECK(s.n_sizes == 1 && s.n_stats == 1 && s.n_totals == 1, "%d, %d, %d records",
		    s.n_sizes, s.n_stats, s.n_totals);
	check_round(&s, want_a, 10, 3 + 500 + 10000, 1);

	memset(&s.slots, 0, sizeof(s) - offsetof(struct snaps, slots));
	ITEST_CHECK(eun_tracker_start(t) == 0, "restart: %s", eun_last_error());
	kill(s.child, SIGUSR1);
	ITEST_CHECK(read(pipefd[0], &c, 1) == 1, "round 2 of the reader");
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	check_round(&s, want_b, 4, 4, 2);
	waitpid(s.child, &status, 0);
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader failed");
	close(pipefd[0]);
	close(pipefd[1]);
	eun_ctx_free(ctx);
	printf("ok: readhist snapshots: histogram, counter hash, array deltas over two rounds\n");
}

/* ---- nativering: eunomia.bpf.h, filters in the kernel ---- */

struct native {
	char path[256];
	int fd, others;
	bool done;
};

static int on_native(const struct eun_event *ev, void *cookie)
{
	struct native *w = cookie;

	if (eun_event_pid(ev) != (uint32_t)getpid()) {
		w->others++;
		return 0;
	}
	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "native_open"), "type");
	if (text_is(ev, "fname", w->path)) {
		ITEST_CHECK(itest_field_s64(ev, "ret") == w->fd, "ret");
		w->done = true;
	}
	return 0;
}

static void test_native(void)
{
	struct eun_ctx *ctx = itest_ctx();
	struct native w = { .fd = -1 };
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct eun_config_entry cfg[] = { { "pid", pid } };

	snprintf(w.path, sizeof(w.path), "%s/native-%d", itest_tmpdir(), (int)getpid());
	load(ctx, "nativering", NULL);
	eun_ctx_set_event_fn(ctx, on_native, &w);
	itest_start(ctx, "nativering", cfg, 1);
	w.fd = open(w.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ITEST_CHECK(w.fd >= 0, "open: %s", strerror(errno));
	ITEST_CHECK(itest_poll_until(ctx, &w.done), "no native_open event for %s", w.path);
	close(w.fd);
	ITEST_CHECK(w.others == 0, "%d events of other processes passed the in-kernel filter",
		    w.others);
	eun_ctx_free(ctx);
	printf("ok: nativering (eunomia.bpf.h, in-kernel pid filter)\n");
}

/* ---- igstyle: Inspektor Gadget's conventions ---- */

struct ig {
	int fd;
	bool done;
};

static int on_ig(const struct eun_event *ev, void *cookie)
{
	struct ig *w = cookie;
	uint64_t now = now_real_ns();

	if (itest_field_s64(ev, "fd") != w->fd)
		return 0;
	ITEST_CHECK(eun_event_pid(ev) == (uint32_t)getpid(), "pid (proc.pid, gadget_pid)");
	ITEST_CHECK(!strncmp(eun_event_comm(ev), "test_bpfobj", 11), "comm (gadget_comm)");
	ITEST_CHECK(eun_event_ns_id(ev, EUN_NS_MNT) == ns_inode("mnt"), "mnt_ns (gadget_mntns_id)");
	ITEST_CHECK(eun_event_ts(ev) <= now && eun_event_ts(ev) > now - 10000000000ull,
		    "ts (gadget_timestamp, boot time)");
	w->done = true;
	return 0;
}

static void test_ig_style(void)
{
	struct eun_ctx *ctx = itest_ctx();
	struct ig w = { .fd = -1 };
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct eun_config_entry cfg[] = { { "targ_tgid", pid } };

	load(ctx, "igstyle", NULL);
	eun_ctx_set_event_fn(ctx, on_ig, &w);
	itest_start(ctx, "igstyle", cfg, 1);
	w.fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ITEST_CHECK(w.fd >= 0, "open");
	ITEST_CHECK(itest_poll_until(ctx, &w.done), "no igstyle event with fd %d", w.fd);
	close(w.fd);
	eun_ctx_free(ctx);
	printf("ok: igstyle (GADGET_TRACER, gadget_* tags in a nested struct)\n");
}

/* ---- mixedhooks: the attach policies ---- */

struct hits {
	bool done;
	int wrong;
};

static int on_hit(const struct eun_event *ev, void *cookie)
{
	struct hits *h = cookie;

	if (itest_field_s64(ev, "which") == 3)
		h->done = true;
	else
		h->wrong++;
	return 0;
}

static void test_attach_policy(void)
{
	EUN_OPTS(eun_bpf_object_opts, avail, .attach = EUN_BPF_ATTACH_AVAILABLE, .name = "mixedavail");
	struct eun_ctx *ctx = itest_ctx();
	struct hits h = { 0 };
	struct eun_tracker *t;
	char pid[16];
	int err, fd;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct eun_config_entry cfg[] = { { "targ_tgid", pid } };
	EUN_OPTS(eun_tracker_opts, to, .config = cfg, .n_config = 1);

	/* All must attach: the start fails, naming a program whose hook is missing. */
	load(ctx, "mixedhooks", NULL);
	t = eun_tracker_new(ctx, "mixedhooks", &to);
	ITEST_CHECK(t, "%s", eun_last_error());
	err = eun_tracker_start(t);
	ITEST_CHECK(err < 0, "mixedhooks started with attach policy 'all'");
	ITEST_CHECK((strstr(eun_last_error(), "program 'on_fentry'") ||
		     strstr(eun_last_error(), "program 'on_kprobe'")) &&
		    strstr(eun_last_error(), "mixedhooks.bpf.o") &&
		    strstr(eun_last_error(), "--attach available"), "error: %s", eun_last_error());
	printf("ok: attach policy 'all': %s\n", eun_last_error());
	eun_tracker_free(t);

	/* Available: both are left out by name and the tracepoint works. */
	ITEST_CHECK(eun_ctx_load_bpf_object(ctx, obj("mixedhooks"), &avail), "%s", eun_last_error());
	loglen = 0;
	eun_set_log_fn(capture_log, NULL);
	eun_ctx_set_event_fn(ctx, on_hit, &h);
	t = itest_start(ctx, "mixedavail", cfg, 1);
	eun_set_log_fn(NULL, NULL);
	ITEST_CHECK(strstr(logbuf, "program 'on_kprobe'") && strstr(logbuf, "program 'on_fentry'") &&
		    strstr(logbuf, "left out"), "warnings: %s", logbuf);
	ITEST_CHECK(!strstr(logbuf, "on_tracepoint"), "the tracepoint was left out: %s", logbuf);
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	close(fd);
	ITEST_CHECK(itest_poll_until(ctx, &h.done), "no hit from the tracepoint program");
	ITEST_CHECK(h.wrong == 0, "%d hits from programs left out", h.wrong);
	eun_ctx_free(ctx);
	printf("ok: attach policy 'available':\n%s", logbuf);
}

int main(void)
{
	itest_require_kernel();
	test_perf_buffer_header();
	test_user_space_filters();
	test_schema_too_big();
	test_ring_annotation();
	test_snapshots();
	test_native();
	test_ig_style();
	test_attach_policy();
	return 0;
}
