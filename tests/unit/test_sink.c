/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Output sinks: lines in JSON, CSV and text to fds and files, rotation
 * (N files kept, whole lines, header per file), several sinks on one ctx,
 * append, flushing, bad arguments, and write errors (kept and reported,
 * never a torn line in the sink's own file).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv_check.h"
#include "helpers.h"
#include "json_check.h"

/* A fixture context and tracker, and a scratch directory for the files. */
struct env {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	char dir[64];
};

static void env_open(struct env *e)
{
	e->ctx = fixture_ctx();
	e->t = fixture_tracker(e->ctx, NULL, 0);
	strcpy(e->dir, "/tmp/eun-sink-XXXXXX");
	ck_assert_msg(mkdtemp(e->dir), "mkdtemp: %s", strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void env_close(struct env *e)
{
	eun_ctx_free(e->ctx);
	nftw(e->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "DIR/name" (or "DIR/name.i" for i > 0) in one of a few rotating static buffers. */
static const char *file_in(const struct env *e, const char *name, unsigned i)
{
	static char bufs[4][256];
	static unsigned next;
	char *b = bufs[next++ % 4];

	if (i)
		snprintf(b, sizeof(bufs[0]), "%s/%s.%u", e->dir, name, i);
	else
		snprintf(b, sizeof(bufs[0]), "%s/%s", e->dir, name);
	return b;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static long file_size(const char *path)
{
	struct stat st;

	ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return (long)st.st_size;
}

/* The whole file as a string (malloc'd). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	ck_assert_msg(f, "open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(fread(text, 1, (size_t)n, f), n);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* An alpha record whose delta field carries seq and whose label is label. */
static void seq_record(struct fixture_alpha *r, int seq, const char *label)
{
	alpha_fill(r);
	r->delta = seq;
	str_fill(r->label, sizeof(r->label), label);
}

/* Inject alpha events seq first .. first + n - 1 (to the attached sinks). */
static void inject_seq(struct env *e, int first, int n, const char *label)
{
	for (int seq = first; seq < first + n; seq++) {
		struct fixture_alpha r;

		seq_record(&r, seq, label);
		ck_assert_int_eq(eun_tracker_inject(e->t, &r, sizeof(r)), 1);
	}
}

/* A file sink on DIR/name, attached to the env's ctx. */
static struct eun_sink *attached_file(struct env *e, const char *name, enum eun_sink_format format,
				      const struct eun_sink_opts *opts)
{
	struct eun_sink *s = eun_sink_new_file(file_in(e, name, 0), format, opts);

	ck_assert_msg(s, "eun_sink_new_file(%s): %s", name, eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e->ctx, s), 0);
	return s;
}

/* Write events seq first .. first + n - 1 through a new file sink on
 * DIR/name, then free the sink, which must have had no error. */
static void write_file(struct env *e, const char *name, enum eun_sink_format format,
		       const struct eun_sink_opts *opts, int first, int n, const char *label)
{
	struct eun_sink *s = attached_file(e, name, format, opts);

	inject_seq(e, first, n, label);
	ck_assert_int_eq(eun_sink_free(s), 0);
}

/* How many rotated files DIR/name.1, name.2 ... there are. */
static unsigned rotated_count(const struct env *e, const char *name)
{
	unsigned n = 0;

	while (exists(file_in(e, name, n + 1)))
		n++;
	return n;
}

/* seq of a JSON or text line: the number after `key`. */
static int seq_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	ck_assert_msg(p, "no %s in: %s", key, line);
	return atoi(p + strlen(key));
}

/*
 * Check a file of JSON lines: each line whole and valid, seqs consecutive
 * from *next (then advanced past the last). Returns the number of lines.
 */
static int check_json_file(const char *path, int *next)
{
	char *text = slurp(path), *line = text, *nl;
	int n = 0;

	ck_assert_msg(*text, "%s is empty", path);
	for (; *line; line = nl + 1, n++) {
		const char *where;

		nl = strchr(line, '\n');
		ck_assert_msg(nl, "%s ends in a torn line: %s", path, line);
		*nl = '\0';
		ck_assert_msg(json_valid(line, &where), "%s: invalid JSON at %td: %s", path,
			      where - line, line);
		ck_assert_int_eq(seq_after(line, "\"delta\":"), *next);
		(*next)++;
	}
	free(text);
	return n;
}

/* Length of the first line of a file, newline included. */
static long first_line_len(const char *path)
{
	char *text = slurp(path);
	char *nl = strchr(text, '\n');
	long n;

	ck_assert_ptr_nonnull(nl);
	n = nl + 1 - text;
	free(text);
	return n;
}

/* ---- one sink ---- */

START_TEST(json_file_one_line_per_event)
{
	struct env e;
	struct eun_sink *s;
	int next = 0;

	env_open(&e);
	s = attached_file(&e, "out.json", EUN_SINK_JSON, NULL);
	inject_seq(&e, 0, 3, "hello");
	ck_assert_int_eq(eun_sink_free(s), 0); /* detaches and flushes */
	ck_assert_int_eq(check_json_file(file_in(&e, "out.json", 0), &next), 3);
	/* Detached: later events go nowhere and nothing breaks. */
	inject_seq(&e, 3, 1, "after");
	env_close(&e);
}
END_TEST

START_TEST(lines_wait_in_the_buffer_until_flushed)
{
	EUN_OPTS(eun_sink_opts, opts, .no_header = true);
	struct env e;
	struct eun_sink *s;
	const char *path;
	int next = 0;

	env_open(&e);
	path = file_in(&e, "out.txt", 0);
	s = eun_sink_new_file(path, EUN_SINK_TEXT, &opts);
	ck_assert_msg(s, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, s), 0);
	inject_seq(&e, 0, 2, "x");
	ck_assert_int_eq(file_size(path), 0);
	/* The ctx flushes its sinks at the end of every consume/poll. */
	ck_assert_int_ge(eun_ctx_consume(e.ctx), 0);
	ck_assert_int_gt(file_size(path), 0);
	inject_seq(&e, 2, 1, "x");
	ck_assert_int_eq(eun_sink_flush(s), 0);
	{
		char *text = slurp(path), *line = text;

		/* no_header: the first line is already an event. */
		for (char *nl; (nl = strchr(line, '\n')); line = nl + 1, next++) {
			*nl = '\0';
			ck_assert_int_eq(seq_after(line, " delta="), next);
		}
		ck_assert_str_eq(line, "");
		free(text);
	}
	ck_assert_int_eq(next, 3);
	ck_assert_int_eq(eun_sink_free(s), 0);
	env_close(&e);
}
END_TEST

START_TEST(ctx_free_flushes_and_detaches)
{
	struct env e;
	struct eun_sink *s;
	int next = 0;

	env_open(&e);
	s = attached_file(&e, "out.json", EUN_SINK_JSON, NULL);
	inject_seq(&e, 0, 4, "y");
	eun_ctx_free(e.ctx);
	e.ctx = NULL;
	ck_assert_int_eq(check_json_file(file_in(&e, "out.json", 0), &next), 4);
	/* The sink outlives the ctx and is freed on its own. */
	ck_assert_int_eq(eun_sink_free(s), 0);
	env_close(&e);
}
END_TEST

/* Cookie of write_cb: write every event to one sink directly. */
struct direct {
	struct eun_sink *sink;
	int ret;
	char error[512];
};

static int write_cb(const struct eun_event *ev, void *cookie)
{
	struct direct *d = cookie;

	d->ret = eun_sink_write(d->sink, ev);
	snprintf(d->error, sizeof(d->error), "%s", d->ret < 0 ? eun_last_error() : "");
	return 0;
}

/* Write one alpha event with seq through write_cb to d->sink. */
static void write_direct(struct env *e, struct direct *d, int seq, const char *label)
{
	struct fixture_alpha r;

	seq_record(&r, seq, label);
	ck_assert_int_eq(inject_with(e->ctx, e->t, &r, sizeof(r), write_cb, d), 1);
}

START_TEST(fd_sink_leaves_the_fd_open)
{
	struct env e;
	struct direct d = { 0 };
	char path[128], want[256];
	int fd, next = 0;

	env_open(&e);
	snprintf(path, sizeof(path), "%s", file_in(&e, "fd.json", 0));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	d.sink = eun_sink_new_fd(fd, EUN_SINK_JSON, NULL);
	ck_assert_msg(d.sink, "%s", eun_last_error());
	for (int i = 0; i < 5; i++) {
		write_direct(&e, &d, i, "fd");
		ck_assert_msg(d.ret == 0, "%s", d.error);
	}
	ck_assert_int_eq(eun_sink_free(d.sink), 0);
	ck_assert_msg(fcntl(fd, F_GETFD) >= 0, "the sink closed the caller's fd");
	/* The fd is still the caller's to write to. */
	snprintf(want, sizeof(want), "{\"delta\":5}\n");
	ck_assert_int_eq(write(fd, want, strlen(want)), (ssize_t)strlen(want));
	close(fd);
	ck_assert_int_eq(check_json_file(path, &next), 6);
	env_close(&e);
}
END_TEST

/* ---- rotation ---- */

START_TEST(rotation_keeps_n_files_of_whole_lines)
{
	EUN_OPTS(eun_sink_opts, opts, .rotate_bytes = 2000, .rotate_keep = 3, .buffer_bytes = 700);
	struct env e;
	int next, total = 0;

	env_open(&e);
	write_file(&e, "r.json", EUN_SINK_JSON, &opts, 0, 100, "rotation");

	/* r.json, r.json.1 .. r.json.3 and nothing older. */
	for (unsigned i = 0; i <= 3; i++)
		ck_assert_msg(exists(file_in(&e, "r.json", i)), "no %s", file_in(&e, "r.json", i));
	ck_assert_msg(!exists(file_in(&e, "r.json", 4)), "%s kept", file_in(&e, "r.json", 4));
	/* The oldest kept file picks up where the dropped ones ended, and each
	 * newer one where the one before ended, up to the last event. */
	{
		char *oldest = slurp(file_in(&e, "r.json", 3));

		next = seq_after(oldest, "\"delta\":");
		free(oldest);
	}
	ck_assert_int_gt(next, 0);
	for (unsigned i = 3 + 1; i-- > 0;) {
		const char *path = file_in(&e, "r.json", i);

		total += check_json_file(path, &next);
		ck_assert_int_le(file_size(path), 2000);
		/* A file was rotated only when the next line would not fit. */
		if (i > 0)
			ck_assert_int_gt(file_size(path) + first_line_len(file_in(&e, "r.json", i - 1)), 2000);
	}
	ck_assert_int_eq(next, 100);
	ck_assert_int_gt(total, 4);
	env_close(&e);
}
END_TEST

START_TEST(rotation_loses_no_line_while_files_are_kept)
{
	EUN_OPTS(eun_sink_opts, opts, .rotate_bytes = 1500, .rotate_keep = 200);
	struct env e;
	unsigned files;
	int next = 0, total = 0;

	env_open(&e);
	write_file(&e, "all.json", EUN_SINK_JSON, &opts, 0, 150, "every line");
	files = rotated_count(&e, "all.json");
	ck_assert_uint_gt(files, 10);
	ck_assert_uint_lt(files, 200);
	/* Oldest first: every event exactly once, in order. */
	for (unsigned i = files + 1; i-- > 0;)
		total += check_json_file(file_in(&e, "all.json", i), &next);
	ck_assert_int_eq(total, 150);
	ck_assert_int_eq(next, 150);
	env_close(&e);
}
END_TEST

/* Check a rotated CSV file: the header, then rows with consecutive seqs
 * from *next and the given label. Returns the number of rows. */
static int check_csv_file(const char *path, const char *header, const char *label, int *next)
{
	char *text = slurp(path), store[4096], *cols[CSV_MAX_COLS], *hcols[CSV_MAX_COLS];
	char hstore[4096];
	const char *p = text;
	int nh, n, rows = 0;

	ck_assert_msg(strncmp(text, header, strlen(header)) == 0 && text[strlen(header)] == '\n',
		      "%s does not start with the header: %s", path, text);
	nh = csv_record(&p, hstore, sizeof(hstore), hcols);
	ck_assert_int_gt(nh, 8);
	while (*p) {
		const char *row = p;

		n = csv_record(&p, store, sizeof(store), cols);
		ck_assert_msg(n == nh, "%s: a row of %d cells under %d columns: %.80s", path, n, nh, row);
		ck_assert_msg(p[-1] == '\n', "%s ends in a torn row: %s", path, row);
		ck_assert_str_eq(cols[csv_col(hcols, nh, "label")], label);
		ck_assert_int_eq(atoi(cols[csv_col(hcols, nh, "delta")]), *next);
		(*next)++;
		rows++;
	}
	free(text);
	return rows;
}

START_TEST(csv_rotation_repeats_the_header)
{
	static const char label[] = "a,b \"c\"\nd\re";
	struct env e;
	struct eun_csv *csv;
	char header[1024];
	int next = 0, rows = 0;
	unsigned files;

	env_open(&e);
	EUN_OPTS(eun_sink_opts, opts, .trackers = &e.t, .n_trackers = 1, .rotate_bytes = 1200,
		 .rotate_keep = 100);
	csv = eun_csv_new(&e.t, 1);
	ck_assert_ptr_nonnull(csv);
	ck_assert_int_lt(eun_csv_header(csv, header, sizeof(header)), (int)sizeof(header));
	eun_csv_free(csv);
	write_file(&e, "r.csv", EUN_SINK_CSV, &opts, 0, 60, label);
	files = rotated_count(&e, "r.csv");
	ck_assert_uint_gt(files, 3);
	for (unsigned i = files + 1; i-- > 0;) {
		rows += check_csv_file(file_in(&e, "r.csv", i), header, label, &next);
		ck_assert_int_le(file_size(file_in(&e, "r.csv", i)), 1200);
	}
	ck_assert_int_eq(rows, 60);
	env_close(&e);
}
END_TEST

START_TEST(text_rotation_repeats_the_header)
{
	EUN_OPTS(eun_sink_opts, opts, .rotate_bytes = 600, .rotate_keep = 50);
	struct env e;
	char header[256];
	int next = 0;
	unsigned files;

	env_open(&e);
	eun_text_header(header, sizeof(header));
	write_file(&e, "r.txt", EUN_SINK_TEXT, &opts, 0, 30, "two words");
	files = rotated_count(&e, "r.txt");
	ck_assert_uint_gt(files, 2);
	for (unsigned i = files + 1; i-- > 0;) {
		char *text = slurp(file_in(&e, "r.txt", i)), *line = text, *nl = strchr(text, '\n');

		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		ck_assert_str_eq(line, header);
		for (line = nl + 1; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			ck_assert_int_eq(seq_after(line, " delta="), next);
			ck_assert_ptr_nonnull(strstr(line, " label=\"two words\""));
			next++;
		}
		ck_assert_msg(!*line, "torn line in %s: %s", file_in(&e, "r.txt", i), line);
		free(text);
	}
	ck_assert_int_eq(next, 30);
	env_close(&e);
}
END_TEST

START_TEST(a_line_larger_than_rotate_bytes_gets_its_own_file)
{
	EUN_OPTS(eun_sink_opts, opts, .rotate_bytes = 100, .rotate_keep = 5, .buffer_bytes = 64);
	struct env e;
	int next = 0;

	env_open(&e);
	write_file(&e, "big.json", EUN_SINK_JSON, &opts, 0, 3, "longer than the buffer");
	ck_assert(!exists(file_in(&e, "big.json", 3)));
	for (unsigned i = 2 + 1; i-- > 0;)
		ck_assert_int_eq(check_json_file(file_in(&e, "big.json", i), &next), 1);
	ck_assert_int_eq(next, 3);
	env_close(&e);
}
END_TEST

START_TEST(append_adds_lines_and_counts_the_old_ones)
{
	struct env e;
	struct eun_sink *s;
	char header[1024];
	int next = 0;

	env_open(&e);
	EUN_OPTS(eun_sink_opts, opts, .trackers = &e.t, .n_trackers = 1);
	{
		struct eun_csv *csv = eun_csv_new(&e.t, 1);

		eun_csv_header(csv, header, sizeof(header));
		eun_csv_free(csv);
	}
	write_file(&e, "a.csv", EUN_SINK_CSV, &opts, 0, 2, "first");

	/* Appending to a file with lines: no second header, old rows kept. */
	opts.append = true;
	write_file(&e, "a.csv", EUN_SINK_CSV, &opts, 2, 2, "first");
	ck_assert_int_eq(check_csv_file(file_in(&e, "a.csv", 0), header, "first", &next), 4);

	/* The appended file's size counts towards rotation: the first new row rotates it. */
	opts.rotate_bytes = (uint64_t)file_size(file_in(&e, "a.csv", 0)) + 10;
	write_file(&e, "a.csv", EUN_SINK_CSV, &opts, 4, 1, "first");
	next = 0;
	ck_assert_int_eq(check_csv_file(file_in(&e, "a.csv", 1), header, "first", &next), 4);
	ck_assert_int_eq(check_csv_file(file_in(&e, "a.csv", 0), header, "first", &next), 1);

	/* Appending to a new file writes the header first. */
	opts.rotate_bytes = 0;
	s = eun_sink_new_file(file_in(&e, "new.csv", 0), EUN_SINK_CSV, &opts);
	ck_assert_msg(s, "%s", eun_last_error());
	ck_assert_int_eq(eun_sink_free(s), 0);
	{
		char *text = slurp(file_in(&e, "new.csv", 0));

		ck_assert_uint_eq(strlen(text), strlen(header) + 1);
		ck_assert(strncmp(text, header, strlen(header)) == 0);
		free(text);
	}
	env_close(&e);
}
END_TEST

/* ---- several sinks ---- */

static int count_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	(*(int *)cookie)++;
	return 0;
}

START_TEST(several_sinks_on_one_ctx)
{
	static const char label[] = "q\"uo,te\nnew";
	struct env e;
	struct eun_sink *json, *csv, *text;
	struct eun_csv *layout;
	char header[1024], tpath[128];
	int fd, calls = 0, next;

	env_open(&e);
	EUN_OPTS(eun_sink_opts, copts, .trackers = &e.t, .n_trackers = 1);
	EUN_OPTS(eun_sink_opts, jopts, .rotate_bytes = 4000, .rotate_keep = 20);
	layout = eun_csv_new(&e.t, 1);
	eun_csv_header(layout, header, sizeof(header));
	eun_csv_free(layout);
	snprintf(tpath, sizeof(tpath), "%s", file_in(&e, "term.txt", 0));
	fd = open(tpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	json = eun_sink_new_file(file_in(&e, "m.json", 0), EUN_SINK_JSON, &jopts);
	csv = eun_sink_new_file(file_in(&e, "m.csv", 0), EUN_SINK_CSV, &copts);
	text = eun_sink_new_fd(fd, EUN_SINK_TEXT, NULL);
	ck_assert_msg(json && csv && text, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, json), 0);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, csv), 0);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, text), 0);
	/* The event callback still sees every event, after the sinks. */
	eun_ctx_set_event_fn(e.ctx, count_cb, &calls);
	inject_seq(&e, 0, 40, label);
	ck_assert_int_eq(calls, 40);

	/* Removing one sink stops its lines, not the others'. */
	ck_assert_int_eq(eun_ctx_remove_sink(e.ctx, text), 0);
	inject_seq(&e, 40, 1, label);
	ck_assert_int_eq(eun_sink_free(text), 0);
	close(fd);
	ck_assert_int_eq(eun_sink_free(json), 0);
	ck_assert_int_eq(eun_sink_free(csv), 0);

	{
		unsigned files;
		int total = 0;

		files = rotated_count(&e, "m.json");
		ck_assert_uint_gt(files, 1);
		next = 0;
		for (unsigned i = files + 1; i-- > 0;)
			total += check_json_file(file_in(&e, "m.json", i), &next);
		ck_assert_int_eq(total, 41);
	}
	next = 0;
	ck_assert_int_eq(check_csv_file(file_in(&e, "m.csv", 0), header, label, &next), 41);
	{
		char *t = slurp(tpath), *line = t, *nl;
		char theader[256];

		next = 0;
		eun_text_header(theader, sizeof(theader));
		nl = strchr(line, '\n');
		*nl = '\0';
		ck_assert_str_eq(line, theader);
		for (line = nl + 1; (nl = strchr(line, '\n')); line = nl + 1, next++) {
			*nl = '\0';
			ck_assert_int_eq(seq_after(line, " delta="), next);
		}
		ck_assert_int_eq(next, 40);
		free(t);
	}
	env_close(&e);
}
END_TEST

START_TEST(one_failing_sink_does_not_stop_the_others)
{
	struct env e;
	struct eun_sink *full, *good;
	int next = 0;

	env_open(&e);
	full = eun_sink_new_file("/dev/full", EUN_SINK_JSON, NULL);
	good = eun_sink_new_file(file_in(&e, "good.json", 0), EUN_SINK_JSON, NULL);
	ck_assert_msg(full && good, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, full), 0);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, good), 0);
	for (int i = 0; i < 10; i++) {
		inject_seq(&e, i, 1, "z");
		ck_assert_int_ge(eun_ctx_consume(e.ctx), 0); /* flushes both */
	}
	ck_assert_int_eq(eun_sink_error(full), -ENOSPC);
	ck_assert_int_eq(eun_sink_error(good), 0);
	ck_assert_int_eq(eun_sink_free(full), -ENOSPC);
	ck_assert_int_eq(eun_sink_free(good), 0);
	ck_assert_int_eq(check_json_file(file_in(&e, "good.json", 0), &next), 10);
	env_close(&e);
}
END_TEST

/* ---- errors ---- */

START_TEST(bad_arguments_are_refused)
{
	struct env e;
	struct eun_sink *s, *other;

	env_open(&e);
	EUN_OPTS(eun_sink_opts, rotate, .rotate_bytes = 100);
	EUN_OPTS(eun_sink_opts, append, .append = true);
	EUN_OPTS(eun_sink_opts, too_many, .rotate_bytes = 100, .rotate_keep = EUN_SINK_MAX_ROTATE_KEEP + 1);
	EUN_OPTS(eun_sink_opts, keep_only, .rotate_keep = 3);
	struct eun_sink_opts small = { .sz = 1 };

	errno = 0;
	ck_assert_ptr_null(eun_sink_new_file(NULL, EUN_SINK_JSON, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_sink_new_file("", EUN_SINK_JSON, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_sink_new_fd(-1, EUN_SINK_JSON, NULL));
	ck_assert_int_eq(errno, EBADF);
	ck_assert_ptr_null(eun_sink_new_fd(1, (enum eun_sink_format)7, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "EUN_SINK_JSON"));
	ck_assert_ptr_null(eun_sink_new_fd(1, EUN_SINK_CSV, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "opts.trackers"));
	ck_assert_ptr_null(eun_sink_new_fd(1, EUN_SINK_JSON, &rotate));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "eun_sink_new_file"));
	ck_assert_ptr_null(eun_sink_new_fd(1, EUN_SINK_JSON, &append));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_sink_new_fd(1, EUN_SINK_JSON, &small));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_sink_new_file(file_in(&e, "x", 0), EUN_SINK_JSON, &too_many));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "rotate_keep"));
	ck_assert_ptr_null(eun_sink_new_file(file_in(&e, "x", 0), EUN_SINK_JSON, &keep_only));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "rotate_bytes"));
	ck_assert_msg(!exists(file_in(&e, "x", 0)), "a refused sink created its file");
	/* A directory that does not exist: the error names the path. */
	ck_assert_ptr_null(eun_sink_new_file(file_in(&e, "no/such.json", 0), EUN_SINK_JSON, NULL));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "no/such.json"));

	s = eun_sink_new_file(file_in(&e, "ok.json", 0), EUN_SINK_JSON, NULL);
	other = eun_sink_new_file(file_in(&e, "other.json", 0), EUN_SINK_JSON, NULL);
	ck_assert_msg(s && other, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(NULL, s), -EINVAL);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, NULL), -EINVAL);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, s), 0);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, s), -EBUSY);
	ck_assert_int_eq(eun_ctx_remove_sink(e.ctx, other), -ENOENT);
	ck_assert_int_eq(eun_ctx_remove_sink(e.ctx, NULL), -EINVAL);
	ck_assert_int_eq(eun_sink_write(NULL, NULL), -EINVAL);
	ck_assert_int_eq(eun_sink_write(s, NULL), -EINVAL);
	ck_assert_int_eq(eun_sink_flush(NULL), -EINVAL);
	ck_assert_int_eq(eun_sink_error(NULL), 0);
	ck_assert_int_eq(eun_sink_free(NULL), 0);
	ck_assert_int_eq(eun_sink_free(other), 0);
	ck_assert_int_eq(eun_sink_free(s), 0);
	env_close(&e);
}
END_TEST

START_TEST(write_error_is_reported_and_kept)
{
	struct env e;
	struct direct d = { 0 };

	env_open(&e);
	/* The text header waits in the buffer; the first write finds the device full. */
	d.sink = eun_sink_new_file("/dev/full", EUN_SINK_TEXT, NULL);
	ck_assert_msg(d.sink, "%s", eun_last_error());
	write_direct(&e, &d, 0, "full");
	ck_assert_int_eq(d.ret, 0);
	ck_assert_int_eq(eun_sink_flush(d.sink), -ENOSPC);
	ck_assert_msg(strstr(eun_last_error(), "/dev/full"), "%s", eun_last_error());
	ck_assert_int_eq(eun_sink_error(d.sink), -ENOSPC);
	/* Every later line is dropped with the same error. */
	write_direct(&e, &d, 1, "full");
	ck_assert_int_eq(d.ret, -ENOSPC);
	ck_assert_msg(strstr(d.error, "failed earlier"), "%s", d.error);
	ck_assert_int_eq(eun_sink_flush(d.sink), -ENOSPC);
	ck_assert_int_eq(eun_sink_free(d.sink), -ENOSPC);
	env_close(&e);
}
END_TEST

START_TEST(closed_pipe_is_a_write_error)
{
	struct env e;
	struct direct d = { 0 };
	int p[2];

	env_open(&e);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	d.sink = eun_sink_new_fd(p[1], EUN_SINK_JSON, NULL);
	ck_assert_msg(d.sink, "%s", eun_last_error());
	write_direct(&e, &d, 0, "pipe");
	ck_assert_int_eq(eun_sink_flush(d.sink), -EPIPE);
	ck_assert_msg(strstr(eun_last_error(), "fd "), "%s", eun_last_error());
	ck_assert_int_eq(eun_sink_free(d.sink), -EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	env_close(&e);
}
END_TEST

START_TEST(a_write_cut_short_leaves_no_torn_line)
{
	struct rlimit old, limit = { .rlim_cur = 1500, .rlim_max = RLIM_INFINITY };
	struct env e;
	struct eun_sink *s;
	const char *path;
	int next = 0, lines;

	env_open(&e);
	path = file_in(&e, "cut.json", 0);
	s = eun_sink_new_file(path, EUN_SINK_JSON, NULL);
	ck_assert_msg(s, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, s), 0);
	inject_seq(&e, 0, 10, "cut short");
	/* The file may not grow past 1500 bytes: the write of the buffer stops
	 * there part-way through a line, the next one fails with EFBIG. */
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	limit.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
	ck_assert_int_eq(eun_sink_flush(s), -EFBIG);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(eun_sink_free(s), -EFBIG);
	/* What reached the file is whole lines only, the first events in order. */
	lines = check_json_file(path, &next);
	ck_assert_int_gt(lines, 0);
	ck_assert_int_lt(lines, 10);
	ck_assert_int_le(file_size(path), 1500);
	env_close(&e);
}
END_TEST

START_TEST(rotation_failure_is_reported_and_kept)
{
	EUN_OPTS(eun_sink_opts, opts, .rotate_bytes = 1000, .rotate_keep = 1, .buffer_bytes = 100);
	struct env e;
	struct direct d = { 0 };
	char blocker[160];
	int next = 0, seq = 0, fd;

	env_open(&e);
	/* path.1 is a directory that is not empty: the file cannot take its place. */
	snprintf(blocker, sizeof(blocker), "%s/keep", file_in(&e, "rf.json", 1));
	ck_assert_int_eq(mkdir(file_in(&e, "rf.json", 1), 0700), 0);
	fd = open(blocker, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	d.sink = eun_sink_new_file(file_in(&e, "rf.json", 0), EUN_SINK_JSON, &opts);
	ck_assert_msg(d.sink, "%s", eun_last_error());
	do
		write_direct(&e, &d, seq++, "rotate me");
	while (d.ret == 0 && seq < 100);
	ck_assert_int_lt(d.ret, 0);
	ck_assert_msg(strstr(d.error, "rotate") && strstr(d.error, "rf.json.1"), "%s", d.error);
	ck_assert_int_eq(eun_sink_error(d.sink), d.ret);
	write_direct(&e, &d, seq, "dropped");
	ck_assert_int_eq(d.ret, eun_sink_error(d.sink));
	ck_assert_int_eq(eun_sink_free(d.sink), d.ret);
	/* Every line before the failed rotation is in the file, whole. */
	ck_assert_int_eq(check_json_file(file_in(&e, "rf.json", 0), &next), seq - 1);
	env_close(&e);
}
END_TEST

/* ---- signals during writes ---- */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Child: copy the pipe slowly into the file at path, then exit. */
static void slow_reader(int rfd, const char *path)
{
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char buf[512];
	ssize_t n;

	if (out < 0)
		_exit(2);
	while ((n = read(rfd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0 && write(out, buf, (size_t)n) != n)
			_exit(3);
		usleep(50);
	}
	_exit(n < 0 ? 4 : 0);
}

START_TEST(signals_interrupting_writes_lose_nothing)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: writes see EINTR */
	struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } }, off = { 0 };
	struct env e;
	struct eun_sink *piped, *ref;
	char copy[128], refpath[128];
	int p[2], status;
	pid_t child;

	env_open(&e);
	snprintf(copy, sizeof(copy), "%s", file_in(&e, "copy.json", 0));
	snprintf(refpath, sizeof(refpath), "%s", file_in(&e, "ref.json", 0));
	ck_assert_int_eq(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(p[1]);
		slow_reader(p[0], copy);
	}
	close(p[0]);
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	piped = eun_sink_new_fd(p[1], EUN_SINK_JSON, NULL);
	ref = eun_sink_new_file(refpath, EUN_SINK_JSON, NULL);
	ck_assert_msg(piped && ref, "%s", eun_last_error());
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, piped), 0);
	ck_assert_int_eq(eun_ctx_add_sink(e.ctx, ref), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
	for (int i = 0; i < 8; i++) {
		inject_seq(&e, i * 100, 100, "interrupted");
		ck_assert_int_ge(eun_ctx_consume(e.ctx), 0);
	}
	ck_assert_int_eq(eun_sink_free(piped), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	close(p[1]);
	ck_assert_int_eq(eun_sink_free(ref), 0);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader status %d", status);
	ck_assert_int_gt(alarms, 0);
	{
		char *got = slurp(copy), *want = slurp(refpath);
		int next = 0;

		ck_assert_uint_eq(strlen(got), strlen(want));
		ck_assert_msg(strcmp(got, want) == 0, "the pipe got other bytes than the file");
		ck_assert_int_eq(check_json_file(copy, &next), 800);
		free(got);
		free(want);
	}
	signal(SIGALRM, SIG_DFL);
	env_close(&e);
}
END_TEST

static Suite *sink_suite(void)
{
	Suite *s = suite_create("sink");
	TCase *one = tcase_create("one");
	TCase *rotate = tcase_create("rotate");
	TCase *many = tcase_create("many");
	TCase *errors = tcase_create("errors");

	tcase_add_test(one, json_file_one_line_per_event);
	tcase_add_test(one, lines_wait_in_the_buffer_until_flushed);
	tcase_add_test(one, ctx_free_flushes_and_detaches);
	tcase_add_test(one, fd_sink_leaves_the_fd_open);
	tcase_add_test(one, append_adds_lines_and_counts_the_old_ones);
	tcase_add_test(rotate, rotation_keeps_n_files_of_whole_lines);
	tcase_add_test(rotate, rotation_loses_no_line_while_files_are_kept);
	tcase_add_test(rotate, csv_rotation_repeats_the_header);
	tcase_add_test(rotate, text_rotation_repeats_the_header);
	tcase_add_test(rotate, a_line_larger_than_rotate_bytes_gets_its_own_file);
	tcase_add_test(many, several_sinks_on_one_ctx);
	tcase_add_test(many, one_failing_sink_does_not_stop_the_others);
	tcase_add_test(errors, bad_arguments_are_refused);
	tcase_add_test(errors, write_error_is_reported_and_kept);
	tcase_add_test(errors, closed_pipe_is_a_write_error);
	tcase_add_test(errors, a_write_cut_short_leaves_no_torn_line);
	tcase_add_test(errors, rotation_failure_is_reported_and_kept);
	tcase_add_test(errors, signals_interrupting_writes_lose_nothing);
	suite_add_tcase(s, one);
	suite_add_tcase(s, rotate);
	suite_add_tcase(s, many);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	return run_suite(sink_suite());
}
