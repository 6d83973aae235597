// SPDX-License-Identifier: GPL-2.0-only
/*
 * `memleak` tracker plugin: outstanding user-space allocations of one
 * process, per allocating stack. memleak.bpf.c follows the libc
 * malloc family of the target (uprobes on the libc the process really
 * maps, reached through /proc/PID/root so containers work); collect()
 * emits one `stack` record per stack that still holds memory, largest
 * first, with the symbolized stack.
 *
 * The target is the common `pid` key, which this tracker requires: it
 * also becomes the in-kernel pid filter, and the uprobes are attached for
 * that process only.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "memleak.h"
#include "memleak.skel.h"
#include "proc_header.h"
#include "stack_fold.h"

static const struct eun_field stack_fields[] = {
	EUN_FIELD(struct memleak_stack_event, bytes, EUN_FIELD_U64, "bytes", EUN_FIELD_F_GAUGE,
		  "bytes allocated from this stack and not freed yet"),
	EUN_FIELD(struct memleak_stack_event, allocs, EUN_FIELD_U64, NULL, EUN_FIELD_F_GAUGE,
		  "blocks allocated from this stack and not freed yet"),
	EUN_FIELD(struct memleak_stack_event, stack_id, EUN_FIELD_U32, NULL, 0,
		  "id of the stack in the kernel's stack map; 4294967295: stack not available"),
	EUN_FIELD(struct memleak_stack_event, frames, EUN_FIELD_U32, NULL, 0,
		  "number of user frames in stack"),
	EUN_FIELD(struct memleak_stack_event, stack, EUN_FIELD_STR, NULL, 0,
		  "allocating user stack, outermost frame first, ';'-separated; "
		  "shared objects as 'func [lib.so]', unknown frames as 0x addresses"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "stack", .description = "memory still allocated from one user stack of the target",
	  .id = MEMLEAK_STACK, .record_size = sizeof(struct memleak_stack_event),
	  .fields = stack_fields, .n_fields = EUN_ARRAY_LEN(stack_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "interval_ms", .description = "report the outstanding allocations every this many ms; 0: only at stop",
	  .default_value = "5000", .type = EUN_CONFIG_UINT, .min = 0, .max = 86400000 },
	{ .name = "top", .description = "report at most this many stacks per interval, most bytes first; 0: all",
	  .default_value = "20", .type = EUN_CONFIG_UINT, .min = 0, .max = 16384 },
};

/* One libc function to probe (entry and, except for free, return). */
struct probe {
	const char *func;
	bool optional; /* not every libc has it */
};

static const struct probe probes[] = {
	{ "malloc", false }, { "calloc", false }, { "realloc", false }, { "free", false },
	{ "posix_memalign", true }, { "aligned_alloc", true },
};

struct memleak {
	struct eun_skel *sp;
	uint32_t pid;
	uint32_t top;
	char libc[PATH_MAX + 32]; /* the target's libc, as /proc/PID/root/... */
	struct memleak_stack_event rec;
};

/* The entry and return programs of probe i (return NULL for free). */
static void probe_progs(struct memleak_bpf *skel, size_t i, struct bpf_program **enter,
			struct bpf_program **ret, struct bpf_link ***enter_link,
			struct bpf_link ***ret_link)
{
	struct bpf_program *e[] = { skel->progs.malloc_enter, skel->progs.calloc_enter,
				    skel->progs.realloc_enter, skel->progs.free_enter,
				    skel->progs.posix_memalign_enter, skel->progs.aligned_alloc_enter };
	struct bpf_program *r[] = { skel->progs.malloc_return, skel->progs.calloc_return,
				    skel->progs.realloc_return, NULL,
				    skel->progs.posix_memalign_return, skel->progs.aligned_alloc_return };
	struct bpf_link **el[] = { &skel->links.malloc_enter, &skel->links.calloc_enter,
				   &skel->links.realloc_enter, &skel->links.free_enter,
				   &skel->links.posix_memalign_enter, &skel->links.aligned_alloc_enter };
	struct bpf_link **rl[] = { &skel->links.malloc_return, &skel->links.calloc_return,
				   &skel->links.realloc_return, NULL,
				   &skel->links.posix_memalign_return, &skel->links.aligned_alloc_return };

	*enter = e[i];
	*ret = r[i];
	*enter_link = el[i];
	*ret_link = rl[i];
}

/* True if path's file name is a glibc or musl C library. */
static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, "libc.so", 7) || !strncmp(base, "libc-", 5) ||
	       !strncmp(base, "ld-musl-", 8);
}

/* Find the libc that process pid maps; 0, or -errno with the error text set. */
static int find_libc(struct memleak *m)
{
	struct eun_skel *sp = m->sp;
	char path[64], line[PATH_MAX + 128];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/maps", m->pid);
	f = fopen(path, "re");
	if (!f) {
		int err = errno;

		sp->host->set_error(sp->t, "memleak: cannot read %s: %s; is process %" PRIu32
				    " running?", path, strerror(err), m->pid);
		return -err;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		if (is_libc(p)) {
			snprintf(m->libc, sizeof(m->libc), "/proc/%" PRIu32 "/root%s", m->pid, p);
			found = true;
		}
	}
	fclose(f);
	if (!found) {
		sp->host->set_error(sp->t, "memleak: process %" PRIu32 " maps no libc.so; a statically "
				    "linked program cannot be traced, pick a dynamically linked one",
				    m->pid);
		return -ENOENT;
	}
	return 0;
}

static int attach_one(struct memleak *m, struct bpf_program *prog, struct bpf_link **link,
		      const struct probe *p, bool retprobe)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = p->func, .retprobe = retprobe);

	*link = bpf_program__attach_uprobe_opts(prog, (pid_t)m->pid, m->libc, 0, &opts);
	if (*link)
		return 0;
	return -errno;
}

static int memleak_start(void *state)
{
	struct memleak *m = state;
	struct eun_skel *sp = m->sp;
	int err;

	if ((err = find_libc(m)) || (err = eun_skel_load(sp)))
		return err;
	for (size_t i = 0; i < EUN_ARRAY_LEN(probes); i++) {
		struct bpf_program *enter, *ret;
		struct bpf_link **enter_link, **ret_link;

		probe_progs(sp->skel, i, &enter, &ret, &enter_link, &ret_link);
		err = attach_one(m, enter, enter_link, &probes[i], false);
		if (!err && ret)
			err = attach_one(m, ret, ret_link, &probes[i], true);
		if (err && probes[i].optional) {
			sp->host->log(sp->t, EUN_PLOG_DEBUG, "no %s in %s (%s); not traced",
				      probes[i].func, m->libc, strerror(-err));
			if (*enter_link) {
				bpf_link__destroy(*enter_link);
				*enter_link = NULL;
			}
			continue;
		}
		if (err) {
			sp->host->set_error(sp->t, "memleak: cannot attach a uprobe to %s in %s: %s; "
					    "the kernel needs CONFIG_UPROBES and the libc its symbol "
					    "table", probes[i].func, m->libc, strerror(-err));
			bpf_object__detach_skeleton(sp->s);
			return err;
		}
	}
	return 0;
}

static int memleak_stop(void *state)
{
	struct memleak *m = state;

	return eun_skel_stop(m->sp);
}

static void memleak_destroy(void *state)
{
	struct memleak *m = state;

	eun_skel_destroy(m->sp);
	free(m);
}

struct stack_total {
	uint32_t stack_id;
	struct memleak_outstanding o;
};

static int by_bytes_desc(const void *a, const void *b)
{
	const struct stack_total *x = a, *y = b;

	return x->o.bytes < y->o.bytes ? 1 : x->o.bytes > y->o.bytes ? -1 : 0;
}

/* The stacks that still hold memory, in a malloc'ed array of *n. */
static int read_totals(int fd, struct stack_total **out, size_t *n)
{
	struct stack_total *v = NULL;
	size_t cnt = 0, cap = 0;
	uint32_t key, *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		struct memleak_outstanding o;

		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &o) || o.allocs <= 0 || o.bytes <= 0)
			continue;
		if (cnt == cap) {
			size_t c = cap ? cap * 2 : 64;
			struct stack_total *nv = realloc(v, c * sizeof(*nv));

			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap = c;
		}
		v[cnt++] = (struct stack_total){ .stack_id = key, .o = o };
	}
	*out = v;
	*n = cnt;
	return 0;
}

static int memleak_collect(void *state)
{
	struct memleak *m = state;
	struct eun_skel *sp = m->sp;
	struct memleak_bpf *skel = sp->skel;
	struct stack_total *v;
	size_t n;
	int err;

	if (!sp->loaded)
		return 0;
	if ((err = read_totals(bpf_map__fd(skel->maps.memleak_stacks), &v, &n))) {
		sp->host->set_error(sp->t, "memleak: out of memory reading the stack totals");
		return err;
	}
	eun_skel_warn_lost(sp, &skel->bss->memleak_map_full,
			   "allocations were not tracked: more than %d blocks live at once; "
			   "their bytes are missing from the totals", MEMLEAK_MAX_BLOCKS);
	eun_skel_warn_lost(sp, &skel->bss->memleak_stacks_full,
			   "allocations were not tracked: more than %d distinct stacks hold "
			   "memory at once; their bytes are missing from the totals",
			   MEMLEAK_MAX_STACKS);
	if (n > 1) /* v is NULL when nothing is outstanding */
		qsort(v, n, sizeof(*v), by_bytes_desc);
	if (m->top && n > m->top)
		n = m->top;
	proc_header_fill(&m->rec.hdr, MEMLEAK_STACK, m->pid);
	for (size_t i = 0; i < n && !err; i++) {
		struct memleak_stack_event *e = &m->rec;
		struct stack_fold f = { .buf = e->stack, .size = sizeof(e->stack) };
		int frames = 0;

		e->stack[0] = '\0';
		e->bytes = (uint64_t)v[i].o.bytes;
		e->allocs = (uint64_t)v[i].o.allocs;
		e->stack_id = v[i].stack_id;
		if (v[i].stack_id != MEMLEAK_NO_STACK)
			frames = stack_fold_append(&f, sp->host, sp->t,
						   bpf_map__fd(skel->maps.memleak_stack_traces),
						   v[i].stack_id, m->pid);
		if (frames <= 0) {
			stack_fold_add(&f, "[stack unavailable]");
			frames = 0;
		}
		e->frames = (uint32_t)frames;
		err = sp->host->emit(sp->t, e, sizeof(*e));
	}
	free(v);
	return err;
}

static int memleak_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct memleak *m;
	uint64_t pid = 0, interval, top;
	int err;

	if (host->config_uint(t, "pid", &pid) || !pid) {
		host->set_error(t, "memleak needs the process to watch: set the common key pid, "
				"e.g. eunomia run memleak --pid 1234");
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	m->pid = (uint32_t)pid;
	m->sp = EUN_SKEL_OPEN(t, host, memleak_bpf, "");
	if (!m->sp) {
		err = -errno;
		free(m);
		return err;
	}
	if ((err = eun_skel_cfg_uint(m->sp, "interval_ms", &interval)) ||
	    (err = eun_skel_cfg_uint(m->sp, "top", &top)) ||
	    (err = host->set_collect_interval(t, (uint32_t)interval)) ||
	    (err = host->prepare_bpf(t, m->sp->obj)))
		goto fail;
	m->top = (uint32_t)top;
	*state = m;
	return 0;
fail:
	memleak_destroy(m);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("memleak"),
	.version = "0.1.0",
	.description = "outstanding user-space allocations of one process (pid), per allocating stack",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = memleak_create,
	.destroy = memleak_destroy,
	.start = memleak_start,
	.stop = memleak_stop,
	.collect = memleak_collect,
};

EUN_PLUGIN_DEFINE(desc)
