// SPDX-License-Identifier: GPL-2.0-only
/*
 * `profile` tracker plugin: on-CPU stack sampling. start() opens a
 * software CPU-clock perf event at frequency_hz on every online CPU and
 * attaches profile.bpf.c to each; the BPF side counts samples per
 * (pid, comm, kernel stack, user stack). collect() drains the counts and
 * emits one `sample` record per process, task name and folded stack
 * ("comm;user frames outer..inner;kernel frames outer..inner").
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "map_drain.h"
#include "proc_header.h"
#include "profile.h"
#include "profile.skel.h"
#include "stack_fold.h"

static const struct eun_field sample_fields[] = {
	EUN_FIELD(struct profile_sample_event, count, EUN_FIELD_U64, "samples", EUN_FIELD_F_COUNTER,
		  "CPU-clock samples of this stack in the interval"),
	EUN_FIELD(struct profile_sample_event, user_frames, EUN_FIELD_U32, NULL, 0,
		  "user-space frames in stack (0: kernel thread, or no user stack)"),
	EUN_FIELD(struct profile_sample_event, kernel_frames, EUN_FIELD_U32, NULL, 0,
		  "kernel frames in stack (0: the sample hit user mode)"),
	EUN_FIELD(struct profile_sample_event, stack, EUN_FIELD_STR, NULL, 0,
		  "folded stack: comm;user frames outermost first;kernel frames outermost first"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "sample", .description = "on-CPU samples of one stack of one process over one interval",
	  .id = PROFILE_SAMPLE, .record_size = sizeof(struct profile_sample_event),
	  .fields = sample_fields, .n_fields = EUN_ARRAY_LEN(sample_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "frequency_hz", .description = "samples per second on each CPU",
	  .default_value = "49", .type = EUN_CONFIG_UINT, .min = 1, .max = 10000 },
	{ .name = "interval_ms", .description = "emit the folded stacks every this many ms; 0: only at stop",
	  .default_value = "5000", .type = EUN_CONFIG_UINT, .min = 0, .max = 86400000 },
};

/* Stack ids referenced by the counts of one collect(). */
struct id_set {
	uint32_t *v;
	size_t n, cap;
};

struct profile {
	struct eun_skel *sp;
	uint64_t freq;
	struct bpf_link **links; /* one per CPU with a perf event, while running */
	int n_links;
	/* Stack ids used by this collect() and the previous one; the others
	 * are removed from the stack map so that it never fills up. */
	struct id_set used_now, used_prev;
	/* Stack ids in the stack map at the last collect(): only those may go,
	 * not one a sample created just now for a count not drained yet. */
	struct id_set in_map_prev;
	struct folded *rows; /* of the collect() in progress */
	size_t n_rows, cap_rows;
	uint32_t hdr_pid; /* process of hdr; 0: none yet */
	struct eun_record_header hdr;
	struct profile_sample_event rec;
};

static int id_set_add(struct id_set *s, int32_t id)
{
	if (id < 0)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint32_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (uint32_t)id;
	return 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool id_set_has(const struct id_set *s, uint32_t id)
{
	return s->n && bsearch(&id, s->v, s->n, sizeof(*s->v), u32_cmp);
}

static void detach_all(struct profile *p)
{
	for (int i = 0; i < p->n_links; i++)
		bpf_link__destroy(p->links[i]); /* also closes the perf event */
	free(p->links);
	p->links = NULL;
	p->n_links = 0;
}

/* A CPU-clock sampling event on cpu; fd or -errno (-ENODEV: CPU offline). */
static int open_cpu_clock(int cpu, uint64_t freq)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_freq = freq,
		.freq = 1,
	};
	long fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

static int profile_start(void *state)
{
	struct profile *p = state;
	struct eun_skel *sp = p->sp;
	struct profile_bpf *skel = sp->skel;
	int ncpu = libbpf_num_possible_cpus(), err;

	if ((err = eun_skel_load(sp)))
		return err;
	if (ncpu < 0) {
		sp->host->set_error(sp->t, "profile: cannot count the CPUs: %s; is "
				    "/sys/devices/system/cpu/possible readable?", strerror(-ncpu));
		return ncpu;
	}
	p->links = calloc((size_t)ncpu, sizeof(*p->links));
	if (!p->links) {
		sp->host->set_error(sp->t, "out of memory for %d perf event links", ncpu);
		return -ENOMEM;
	}
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd = open_cpu_clock(cpu, p->freq);
		struct bpf_link *link;

		if (fd == -ENODEV)
			continue; /* possible but offline */
		if (fd < 0) {
			err = fd;
			sp->host->set_error(sp->t, "profile: cannot open a CPU-clock perf event on CPU "
					    "%d: %s; the kernel needs CONFIG_PERF_EVENTS, and "
					    "/proc/sys/kernel/perf_event_paranoid must allow it (run as "
					    "root or with CAP_PERFMON)", cpu, strerror(-err));
			goto fail;
		}
		link = bpf_program__attach_perf_event(skel->progs.profile_sample, fd);
		if (!link) {
			err = -errno;
			close(fd);
			sp->host->set_error(sp->t, "profile: cannot attach to the perf event of CPU %d: "
					    "%s; the kernel needs BPF perf_event programs", cpu,
					    strerror(-err));
			goto fail;
		}
		p->links[p->n_links++] = link;
	}
	return 0;
fail:
	detach_all(p);
	return err;
}

static int profile_stop(void *state)
{
	detach_all(state);
	return 0;
}

static void profile_destroy(void *state)
{
	struct profile *p = state;

	detach_all(p);
	eun_skel_destroy(p->sp);
	free(p->used_now.v);
	free(p->used_prev.v);
	free(p->in_map_prev.v);
	free(p->rows);
	free(p);
}

/* Append the frames of stack id (pid 0: kernel) to f; the frame count. */
static uint32_t add_frames(struct profile *p, struct stack_fold *f, int32_t id, uint32_t pid)
{
	struct profile_bpf *skel = p->sp->skel;
	int n;

	if (id < 0)
		return 0;
	n = stack_fold_append(f, p->sp->host, p->sp->t,
			      bpf_map__fd(skel->maps.profile_stack_traces), (uint32_t)id, pid);
	if (n < 0) {
		stack_fold_add(f, "[stack lost]");
		return 0;
	}
	return (uint32_t)n;
}

/* One drained count with its folded stack. Different stack ids can fold
 * to the same text (the same functions at other offsets); collect()
 * merges those before emitting. */
struct folded {
	uint32_t pid;
	char comm[EUN_COMM_LEN];
	uint64_t count;
	uint32_t user_frames, kernel_frames;
	char *stack;
};

static int folded_cmp(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if ((c = memcmp(x->comm, y->comm, sizeof(x->comm))))
		return c;
	return strcmp(x->stack, y->stack);
}

/* Fold one drained count's stacks into a new row of p->rows. */
static int add_row(const void *key, const void *value, void *arg)
{
	const struct profile_key *k = key;
	struct profile *p = arg;
	char *text = p->rec.stack, comm[EUN_COMM_LEN + 1];
	struct stack_fold f = { .buf = text, .size = sizeof(p->rec.stack) };
	struct folded *row;

	if (id_set_add(&p->used_now, k->kstack) || id_set_add(&p->used_now, k->ustack))
		return -ENOMEM;
	if (p->n_rows == p->cap_rows) {
		size_t cap = p->cap_rows ? p->cap_rows * 2 : 256;
		struct folded *v = realloc(p->rows, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->rows = v;
		p->cap_rows = cap;
	}
	row = &p->rows[p->n_rows];
	*row = (struct folded){ .pid = k->pid };
	memcpy(row->comm, k->comm, sizeof(row->comm));
	memcpy(&row->count, value, sizeof(row->count));
	text[0] = '\0';
	snprintf(comm, sizeof(comm), "%.*s", EUN_COMM_LEN, k->comm);
	stack_fold_add(&f, comm);
	row->user_frames = add_frames(p, &f, k->ustack, k->pid);
	row->kernel_frames = add_frames(p, &f, k->kstack, 0);
	row->stack = strdup(text);
	if (!row->stack)
		return -ENOMEM;
	p->n_rows++;
	return 0;
}

/* Emit rows [from, to), which fold to the same text, as one record. */
static int emit_merged(struct profile *p, const struct folded *from, const struct folded *to)
{
	struct profile_sample_event *e = &p->rec;

	if (p->hdr_pid != from->pid) { /* rows are sorted by pid: one /proc read each */
		proc_header_fill(&p->hdr, PROFILE_SAMPLE, from->pid);
		p->hdr_pid = from->pid;
	}
	e->hdr = p->hdr;
	memcpy(e->hdr.comm, from->comm, sizeof(e->hdr.comm)); /* the sampled thread's name */
	e->count = 0;
	for (const struct folded *r = from; r < to; r++)
		e->count += r->count;
	e->user_frames = from->user_frames;
	e->kernel_frames = from->kernel_frames;
	snprintf(e->stack, sizeof(e->stack), "%s", from->stack);
	return p->sp->host->emit(p->sp->t, e, sizeof(*e));
}

/* Sort, merge and emit p->rows, then free them. */
static int emit_rows(struct profile *p)
{
	size_t i = 0;
	int err = 0;

	if (p->n_rows > 1) /* rows is NULL before the first sample */
		qsort(p->rows, p->n_rows, sizeof(*p->rows), folded_cmp);
	p->hdr_pid = 0;
	while (i < p->n_rows && !err) {
		size_t j = i + 1;

		while (j < p->n_rows && !folded_cmp(&p->rows[i], &p->rows[j]))
			j++;
		err = emit_merged(p, &p->rows[i], &p->rows[j]);
		i = j;
	}
	for (i = 0; i < p->n_rows; i++)
		free(p->rows[i].stack);
	p->n_rows = 0;
	return err;
}

/* Remove the stacks that were already in the map at the previous
 * collect() and that no count used in this one or the previous one. */
static void forget_old_stacks(struct profile *p)
{
	int fd = bpf_map__fd(((struct profile_bpf *)p->sp->skel)->maps.profile_stack_traces);
	struct id_set in_map = { 0 }, swap;
	uint32_t id, kept, *prev = NULL;

	if (p->used_now.n > 1)
		qsort(p->used_now.v, p->used_now.n, sizeof(uint32_t), u32_cmp);
	while (!bpf_map_get_next_key(fd, prev, &id)) {
		/* The walk goes on from the last id kept: from a deleted one, the
		 * kernel starts again at the first id (kernel/bpf/stackmap.c). */
		if (id_set_has(&p->in_map_prev, id) && !id_set_has(&p->used_now, id) &&
		    !id_set_has(&p->used_prev, id) && !bpf_map_delete_elem(fd, &id))
			continue;
		if (id_set_add(&in_map, (int32_t)id))
			break; /* out of memory: keep what was listed */
		kept = id;
		prev = &kept;
	}
	/* Stack map keys come in increasing order: in_map is sorted. */
	free(p->in_map_prev.v);
	p->in_map_prev = in_map;
	swap = p->used_prev;
	p->used_prev = p->used_now;
	p->used_now = swap;
	p->used_now.n = 0;
}

static int profile_collect(void *state)
{
	struct profile *p = state;
	struct profile_bpf *skel = p->sp->skel;
	int n, err;

	if (!p->sp->loaded)
		return 0;
	n = map_drain(bpf_map__fd(skel->maps.profile_counts), sizeof(struct profile_key),
		      sizeof(uint64_t), add_row, p);
	if (n < 0) {
		p->sp->host->set_error(p->sp->t, "profile: cannot drain the sample counts: %s",
				       strerror(-n));
		/* Emit what was drained: those counts are gone from the map. */
		emit_rows(p);
		p->used_now.n = 0;
		return n;
	}
	err = emit_rows(p);
	forget_old_stacks(p);
	eun_skel_warn_lost(p->sp, &skel->bss->profile_map_full,
			   "samples were not counted: more than %d distinct stacks in one interval; "
			   "lower interval_ms or filter by pid, uid or comm", PROFILE_MAX_COUNTS);
	return err;
}

static int profile_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct profile *p;
	uint64_t interval;
	int err;

	p = calloc(1, sizeof(*p));
	if (!p) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	p->sp = EUN_SKEL_OPEN(t, host, profile_bpf, "");
	if (!p->sp) {
		err = -errno;
		free(p);
		return err;
	}
	if ((err = eun_skel_cfg_uint(p->sp, "frequency_hz", &p->freq)) ||
	    (err = eun_skel_cfg_uint(p->sp, "interval_ms", &interval)) ||
	    (err = host->set_collect_interval(t, (uint32_t)interval)) ||
	    (err = host->prepare_bpf(t, p->sp->obj)))
		goto fail;
	*state = p;
	return 0;
fail:
	profile_destroy(p);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("profile"),
	.version = "0.1.0",
	.description = "on-CPU stack samples per process at a fixed frequency, as folded stacks",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = profile_create,
	.destroy = profile_destroy,
	.start = profile_start,
	.stop = profile_stop,
	.collect = profile_collect,
};

EUN_PLUGIN_DEFINE(desc)
