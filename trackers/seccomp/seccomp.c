// SPDX-License-Identifier: GPL-2.0-only
/*
 * `seccomp` tracker plugin: what a subject's syscalls and capability
 * checks are, per ABI and phase, for a least-privilege profile (record
 * mode), and the syscalls a seccomp filter denies (watch mode). The BPF
 * side (seccomp.bpf.c) counts in maps; collect() reads them and emits a
 * `call` record per syscall whose count grew, an `arg` record per new
 * argument value and a `cap` record per kind of capability check. The
 * ring brings `subject`, `workload` and `denied` records, which decode()
 * names. libeunomia-seccomp turns the records into profiles.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "cap_audit.h"
#include "map_drain.h"
#include "seccomp.h"
#include "seccomp.skel.h"
#include "seccomp_abi.h"

#define F EUN_FIELD

static const struct eun_field call_fields[] = {
	F(struct seccomp_call_event, syscall, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "syscall name in its ABI's table (sys_N when the build's headers lack N)"),
	F(struct seccomp_call_event, nr, EUN_FIELD_U32, NULL, 0,
	  "syscall number in its ABI's table (x32: without __X32_SYSCALL_BIT)"),
	F(struct seccomp_call_event, abi, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "ABI of the call, as a libseccomp architecture: x86_64, x86, x32, aarch64, arm"),
	F(struct seccomp_call_event, phase, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "runtime (before the task's first exec in the subject), runtime_filtered (after a "
	  "filter install before it) or workload"),
	F(struct seccomp_call_event, count, EUN_FIELD_U64, "calls", EUN_FIELD_F_COUNTER,
	  "calls since the last record of this syscall"),
	F(struct seccomp_call_event, first_ns, EUN_FIELD_U64, "ns", 0,
	  "first call, ns since the Unix epoch; the header names its process"),
};

static const struct eun_field arg_fields[] = {
	F(struct seccomp_arg_event, kind, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "clone, clone3, unshare (namespace flags), socket (family << 32 | type), "
	  "personality, prctl (option), ioctl (request), mmap, mprotect (prot & PROT_EXEC)"),
	F(struct seccomp_arg_event, value, EUN_FIELD_U64, NULL, EUN_FIELD_F_HEX,
	  "the argument value, masked as the kind says"),
	F(struct seccomp_arg_event, overflow, EUN_FIELD_BOOL, NULL, 0,
	  "more distinct values were seen than the tracker keeps (value is then 0)"),
	F(struct seccomp_arg_event, nr, EUN_FIELD_U32, NULL, 0, "syscall number"),
	F(struct seccomp_arg_event, abi, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY, "ABI of the calls"),
	F(struct seccomp_arg_event, phase, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY, "phase of the calls"),
};

static const struct eun_field cap_fields[] = {
	F(struct seccomp_cap_event, cap_name, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "capability, e.g. CAP_CHOWN"),
	F(struct seccomp_cap_event, cap, EUN_FIELD_U32, NULL, 0, "capability number"),
	F(struct seccomp_cap_event, granted, EUN_FIELD_BOOL, NULL, EUN_FIELD_F_KEY,
	  "the checks passed"),
	F(struct seccomp_cap_event, audit, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "the caller asks for an audited check: yes, no (a *_noaudit probe) or unknown"),
	F(struct seccomp_cap_event, override, EUN_FIELD_BOOL, NULL, 0,
	  "the task ran with overridden credentials (the kernel acting for itself)"),
	F(struct seccomp_cap_event, caller, EUN_FIELD_STR, NULL, 0,
	  "kernel function that asked for the check"),
	F(struct seccomp_cap_event, phase, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY, "phase of the task"),
	F(struct seccomp_cap_event, count, EUN_FIELD_U64, "checks", EUN_FIELD_F_COUNTER,
	  "checks since the last record of this kind"),
	F(struct seccomp_cap_event, first_ns, EUN_FIELD_U64, "ns", 0,
	  "first check, ns since the Unix epoch"),
};

static const struct eun_field subject_fields[] = {
	F(struct seccomp_subject_event, state, EUN_FIELD_U32, NULL, 0,
	  "1: the awaited cgroup was made and is recorded from now on; 2: the subject's cgroup "
	  "was removed"),
	F(struct seccomp_subject_event, cgid, EUN_FIELD_U64, NULL, 0,
	  "the subject cgroup's v2 id (the header's cgroup_id is that of the task)"),
	F(struct seccomp_subject_event, level, EUN_FIELD_U32, NULL, 0, "its depth below the root"),
	F(struct seccomp_subject_event, path, EUN_FIELD_STR, NULL, 0,
	  "its path below the cgroup v2 root"),
};

static const struct eun_field workload_fields[] = {
	F(struct seccomp_workload_event, filename, EUN_FIELD_STR, NULL, 0, "the program executed"),
	F(struct seccomp_workload_event, nr, EUN_FIELD_U32, NULL, 0, "number of the exec syscall"),
	F(struct seccomp_workload_event, abi, EUN_FIELD_STR, NULL, 0, "its ABI"),
};

static const struct eun_field denied_fields[] = {
	F(struct seccomp_denied_event, syscall, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "the syscall denied"),
	F(struct seccomp_denied_event, nr, EUN_FIELD_U32, NULL, 0, "its number in its ABI's table"),
	F(struct seccomp_denied_event, abi, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY, "its ABI"),
	F(struct seccomp_denied_event, action, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
	  "errno (the call failed), log (not in the allowed list; it ran) or kill"),
	F(struct seccomp_denied_event, err, EUN_FIELD_S32, NULL, 0,
	  "errno the filter returned (errno action), else 0"),
};

#undef F

static const struct eun_event_type event_types[] = {
	{ .name = "call", .description = "a subject's calls of one syscall in one ABI and phase",
	  .id = SECCOMP_CALL, .record_size = sizeof(struct seccomp_call_event),
	  .fields = call_fields, .n_fields = EUN_ARRAY_LEN(call_fields) },
	{ .name = "arg", .description = "an argument value a subject passed to a syscall",
	  .id = SECCOMP_ARG, .record_size = sizeof(struct seccomp_arg_event),
	  .fields = arg_fields, .n_fields = EUN_ARRAY_LEN(arg_fields) },
	{ .name = "cap", .description = "a subject's capability checks of one kind",
	  .id = SECCOMP_CAP, .record_size = sizeof(struct seccomp_cap_event),
	  .fields = cap_fields, .n_fields = EUN_ARRAY_LEN(cap_fields) },
	{ .name = "subject", .description = "the subject's cgroup was made (awaited) or removed",
	  .id = SECCOMP_SUBJECT, .record_size = sizeof(struct seccomp_subject_event),
	  .fields = subject_fields, .n_fields = EUN_ARRAY_LEN(subject_fields) },
	{ .name = "workload", .description = "a task of the subject started its workload (exec)",
	  .id = SECCOMP_WORKLOAD, .record_size = sizeof(struct seccomp_workload_event),
	  .fields = workload_fields, .n_fields = EUN_ARRAY_LEN(workload_fields) },
	{ .name = "denied", .description = "a seccomp filter denied a syscall (watch mode)",
	  .id = SECCOMP_DENIED, .record_size = sizeof(struct seccomp_denied_event),
	  .fields = denied_fields, .n_fields = EUN_ARRAY_LEN(denied_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "mode", .default_value = "record", .type = EUN_CONFIG_STRING,
	  .description = "record (the syscalls and capability checks of the subject) or watch "
			 "(syscalls a seccomp filter denies in the subject)" },
	{ .name = "await", .type = EUN_CONFIG_STRING,
	  .description = "record mode: the container id whose cgroup is awaited (ID, or "
			 "PREFIX-ID[.scope]); recording starts when it is made" },
	{ .name = "phases", .default_value = "false", .type = EUN_CONFIG_BOOL,
	  .description = "record mode: tell the runtime's calls (before a task's first exec in "
			 "the subject) from the workload's; on for await. For subjects started "
			 "after the tracker" },
	{ .name = "caps", .default_value = "false", .type = EUN_CONFIG_BOOL,
	  .description = "record mode: also sum capability checks (capability:cap_capable)" },
	{ .name = "interval_ms", .default_value = "1000", .type = EUN_CONFIG_UINT,
	  .min = 0, .max = 86400000,
	  .description = "record mode: emit what changed every this many ms; 0: only at stop" },
	{ .name = "allowed", .type = EUN_CONFIG_STRING,
	  .description = "watch mode: file of 'ARCH NR' lines, the syscalls a log-action filter "
			 "allows; other calls are reported as denied (action log)" },
};

struct arg_seen {
	uint8_t emitted;  /* bit i: v[i] emitted */
	uint8_t overflow; /* overflow emitted */
};

struct cap_row {
	struct seccomp_cap_key key;
	struct seccomp_cap_val val;
};

struct caller_cache {
	int32_t stack_id;
	char caller[48];
};

struct seccomp_state {
	struct eun_skel *sp;
	int watch;
	int64_t boot_to_epoch_ns;               /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	char allowed_path[256];                 /* watch mode; "" when none */
	uint64_t seen[SECCOMP_ROWS][SECCOMP_SLOTS]; /* counts emitted so far */
	struct arg_seen args_seen[SECCOMP_ROWS][SECCOMP_ARG_KINDS];
	struct seccomp_row row;                 /* one row read from the kernel */
	struct map_rows caps;                   /* one drain of seccomp_caps */
	struct caller_cache *callers;
	size_t n_callers;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The subject's cgroup id, for the header of collected records. */
static uint64_t subject_cgroup(const struct seccomp_state *st)
{
	const struct seccomp_bpf *skel = st->sp->skel;

	return skel->rodata->seccomp_cfg_await ? skel->bss->seccomp_subject_cgid
					       : skel->rodata->eun_cfg_cgroup_id;
}

static void header(const struct seccomp_state *st, struct eun_record_header *h, uint32_t type,
		   uint32_t pid, const char *comm)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->pid = pid;
	h->tid = pid;
	h->cgroup_id = subject_cgroup(st);
	snprintf(h->comm, sizeof(h->comm), "%.*s", (int)sizeof(h->comm) - 1, comm);
}

static int emit(struct seccomp_state *st, const void *rec, size_t len)
{
	return st->sp->host->emit(st->sp->t, rec, len);
}

/* `call` records of one row: the slots whose count grew. */
static int collect_row(struct seccomp_state *st, uint32_t row)
{
	struct seccomp_bpf *skel = st->sp->skel;
	uint32_t abi = row / SECCOMP_PHASES, phase = row % SECCOMP_PHASES;
	struct seccomp_call_event e;
	int err;

	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.seccomp_rows), &row, &st->row))
		return -errno;
	for (int s = 0; s < SECCOMP_SLOTS; s++) {
		const struct seccomp_slot *sl = &st->row.slot[s];

		/* first_ns is set before the first count: 0 is a call being counted now */
		if (sl->count <= st->seen[row][s] || !sl->first_ns)
			continue;
		header(st, &e.hdr, SECCOMP_CALL, sl->first_pid, sl->first_comm);
		e.count = sl->count - st->seen[row][s];
		e.first_ns = sl->first_ns + st->boot_to_epoch_ns;
		e.nr = seccomp_slot_nr(s);
		e.pad_ = 0;
		snprintf(e.abi, sizeof(e.abi), "%s", seccomp_abi_arch(abi));
		snprintf(e.phase, sizeof(e.phase), "%s", seccomp_phase_name(phase));
		seccomp_syscall_name(abi, e.nr, e.syscall, sizeof(e.syscall));
		if ((err = emit(st, &e, sizeof(e))))
			return err;
		st->seen[row][s] = sl->count;
	}
	return 0;
}

static int emit_arg(struct seccomp_state *st, uint32_t row, uint32_t kind, uint64_t value,
		    int overflow)
{
	uint32_t abi = row / SECCOMP_PHASES, phase = row % SECCOMP_PHASES;
	struct seccomp_arg_event e;

	header(st, &e.hdr, SECCOMP_ARG, 0, "");
	e.value = value;
	e.nr = seccomp_abi_defs[abi].nr[kind];
	e.overflow = overflow != 0;
	memset(e.pad_, 0, sizeof(e.pad_));
	snprintf(e.abi, sizeof(e.abi), "%s", seccomp_abi_arch(abi));
	snprintf(e.phase, sizeof(e.phase), "%s", seccomp_phase_name(phase));
	snprintf(e.kind, sizeof(e.kind), "%s", seccomp_kind_name(kind));
	return emit(st, &e, sizeof(e));
}

/* `arg` records of the values not reported yet. */
static int collect_args(struct seccomp_state *st)
{
	int fd = bpf_map__fd(((struct seccomp_bpf *)st->sp->skel)->maps.seccomp_args);
	struct seccomp_arg_set set;
	int err;

	for (uint32_t row = 0; row < SECCOMP_ROWS; row++) {
		for (uint32_t kind = 1; kind < SECCOMP_KIND_ARGS_END_; kind++) {
			struct arg_seen *seen = &st->args_seen[row][kind];
			uint32_t idx = row * SECCOMP_ARG_KINDS + kind;

			if (bpf_map_lookup_elem(fd, &idx, &set))
				return -errno;
			for (int i = 0; i < SECCOMP_ARG_VALUES; i++) {
				if (!set.v[i] || (seen->emitted >> i & 1))
					continue;
				if ((err = emit_arg(st, row, kind, set.v[i] & ~SECCOMP_ARG_USED, 0)))
					return err;
				seen->emitted |= (uint8_t)(1u << i);
			}
			if (set.overflow && !seen->overflow) {
				if ((err = emit_arg(st, row, kind, 0, 1)))
					return err;
				seen->overflow = 1;
			}
		}
	}
	return 0;
}

/* The kernel function that asked for the checks of stack stack_id (cached). */
static const char *caller_of(struct seccomp_state *st, int32_t stack_id)
{
	struct seccomp_bpf *skel = st->sp->skel;
	__u64 frames[SECCOMP_CAP_FRAMES] = { 0 };
	struct caller_cache *c;

	for (size_t i = 0; i < st->n_callers; i++)
		if (st->callers[i].stack_id == stack_id)
			return st->callers[i].caller;
	c = realloc(st->callers, (st->n_callers + 1) * sizeof(*c));
	if (!c)
		return "";
	st->callers = c;
	c = &st->callers[st->n_callers++];
	c->stack_id = stack_id;
	c->caller[0] = '\0';
	if (stack_id >= 0 &&
	    !bpf_map_lookup_elem(bpf_map__fd(skel->maps.seccomp_cap_stacks), &stack_id, frames))
		cap_audit_find_caller(st->sp->host, st->sp->t, frames, SECCOMP_CAP_FRAMES, c->caller,
				      sizeof(c->caller));
	return c->caller;
}

/* `cap` records of the checks summed since the last collect. */
static int collect_caps(struct seccomp_state *st)
{
	struct seccomp_bpf *skel = st->sp->skel;
	const struct cap_row *rows;
	struct seccomp_cap_event e;
	int n, err;

	n = map_drain_rows(bpf_map__fd(skel->maps.seccomp_caps), sizeof(struct seccomp_cap_key),
			   sizeof(struct seccomp_cap_val), offsetof(struct cap_row, val),
			   sizeof(struct cap_row), NULL, &st->caps);
	if (n < 0)
		return n;
	rows = st->caps.v;
	for (int i = 0; i < n; i++) {
		const struct cap_row *r = &rows[i];

		header(st, &e.hdr, SECCOMP_CAP, r->val.first_pid, r->val.first_comm);
		e.count = r->val.count;
		e.first_ns = r->val.first_ns + st->boot_to_epoch_ns;
		e.cap = r->key.cap;
		e.granted = r->key.granted;
		e.override = r->key.override;
		memset(e.pad_, 0, sizeof(e.pad_));
		snprintf(e.phase, sizeof(e.phase), "%s", seccomp_phase_name(r->key.phase));
		cap_audit_name(e.cap, e.cap_name, sizeof(e.cap_name));
		snprintf(e.caller, sizeof(e.caller), "%s", caller_of(st, r->key.stack_id));
		snprintf(e.audit, sizeof(e.audit), "%s", cap_audit_of(e.caller));
		if ((err = emit(st, &e, sizeof(e))))
			return err;
	}
	return 0;
}

static int seccomp_collect(void *state)
{
	struct seccomp_state *st = state;
	struct seccomp_bpf *skel = st->sp->skel;
	const char *what = "syscall rows";
	int err = 0;

	if (!st->sp->loaded || st->watch)
		return 0;
	for (uint32_t row = 0; row < SECCOMP_ROWS && !err; row++)
		err = collect_row(st, row);
	if (!err) {
		what = "argument sets";
		err = collect_args(st);
	}
	if (!err && bpf_program__autoload(skel->progs.record_cap)) {
		what = "capability checks";
		err = collect_caps(st);
	}
	if (err == -EBADMSG || err == -ENOMEM)
		return err; /* emit() set the error text */
	if (err) {
		st->sp->host->set_error(st->sp->t, "cannot read the %s map: %s", what, strerror(-err));
		return err;
	}
	eun_skel_warn_lost(st->sp, &skel->bss->seccomp_nr_unknown,
			   "calls had a syscall number beyond the tracker's table (%d slots) and "
			   "were not recorded", SECCOMP_SLOTS);
	eun_skel_warn_lost(st->sp, &skel->bss->seccomp_caps_full,
			   "capability checks were not counted: more than %d kinds of check",
			   SECCOMP_CAP_ENTRIES);
	return 0;
}

/* The workload record with its ABI named. */
static long decode_workload(const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct seccomp_workload_raw *r = raw;
	struct seccomp_workload_event *e = out;

	if (raw_len < sizeof(*r) || out_cap < sizeof(*e))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->hdr = r->hdr;
	e->nr = r->nr;
	snprintf(e->abi, sizeof(e->abi), "%s", seccomp_abi_arch(r->abi));
	memcpy(e->filename, r->filename, sizeof(e->filename));
	e->filename[sizeof(e->filename) - 1] = '\0';
	return (long)sizeof(*e);
}

/* Named denied and workload records from the raw ones; subject records as they are. */
static long seccomp_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct eun_record_header *h = raw;
	const struct seccomp_denied_raw *r = raw;
	struct seccomp_denied_event *e = out;
	static const char *const actions[] = { "?", "errno", "log", "kill" };

	(void)state;
	if (raw_len < sizeof(*h) || raw_len > out_cap)
		return -EINVAL;
	if (h->type == SECCOMP_WORKLOAD)
		return decode_workload(raw, raw_len, out, out_cap);
	if (h->type != SECCOMP_DENIED) {
		memcpy(out, raw, raw_len);
		return (long)raw_len;
	}
	if (raw_len < sizeof(*r) || out_cap < sizeof(*e))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->hdr = r->hdr;
	e->nr = r->nr;
	e->err = r->err;
	snprintf(e->abi, sizeof(e->abi), "%s", seccomp_abi_arch(r->abi));
	snprintf(e->action, sizeof(e->action), "%s", actions[r->action < 4 ? r->action : 0]);
	seccomp_syscall_name(r->abi, r->nr, e->syscall, sizeof(e->syscall));
	return (long)sizeof(*e);
}

/* Set the allowed bits of the watch mode from st->allowed_path ("ARCH NR" lines). */
static int load_allowed(struct seccomp_state *st)
{
	int fd = bpf_map__fd(((struct seccomp_bpf *)st->sp->skel)->maps.seccomp_allowed);
	uint64_t words[SECCOMP_ABIS][SECCOMP_SLOTS / 64] = { { 0 } };
	char arch[32], line[128];
	unsigned long nr;
	int lineno = 0;
	FILE *f;

	f = fopen(st->allowed_path, "r");
	if (!f) {
		st->sp->host->set_error(st->sp->t, "config key 'allowed': cannot open %s: %s",
					st->allowed_path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		uint32_t abi = SECCOMP_ABIS;
		int slot;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%31s %lu", arch, &nr) == 2)
			for (abi = 0; abi < SECCOMP_ABIS; abi++)
				if (seccomp_abi_defs[abi].arch && !strcmp(arch, seccomp_abi_defs[abi].arch))
					break;
		slot = abi < SECCOMP_ABIS && nr < SECCOMP_NR_DIRECT ? (int)nr
		       : nr >= SECCOMP_ARM_NR_BASE && nr - SECCOMP_ARM_NR_BASE < SECCOMP_SLOTS - SECCOMP_NR_DIRECT
			       ? (int)(SECCOMP_NR_DIRECT + nr - SECCOMP_ARM_NR_BASE) : -1;
		if (abi == SECCOMP_ABIS || slot < 0) {
			fclose(f);
			st->sp->host->set_error(st->sp->t, "config key 'allowed': %s line %d is not "
						"'ARCH NR' with ARCH one of this machine's ABIs (%s, %s) "
						"and NR a syscall number", st->allowed_path, lineno,
						seccomp_abi_arch(0), seccomp_abi_arch(1));
			return -EINVAL;
		}
		words[abi][slot / 64] |= 1ULL << (slot % 64);
	}
	fclose(f);
	for (uint32_t i = 0; i < SECCOMP_ABIS * (SECCOMP_SLOTS / 64); i++)
		if (bpf_map_update_elem(fd, &i, &words[i / (SECCOMP_SLOTS / 64)][i % (SECCOMP_SLOTS / 64)],
					BPF_ANY))
			return -errno;
	return 0;
}

static int seccomp_start(void *state)
{
	struct seccomp_state *st = state;
	int err;

	if (!st->sp->loaded && st->allowed_path[0]) {
		if ((err = eun_skel_load(st->sp)) || (err = load_allowed(st)))
			return err;
	}
	return eun_skel_start(st->sp);
}

static int seccomp_stop(void *state)
{
	return eun_skel_stop(((struct seccomp_state *)state)->sp);
}

static int seccomp_ring_fd(void *state)
{
	return eun_skel_ring_fd(((struct seccomp_state *)state)->sp);
}

static void seccomp_destroy(void *state)
{
	struct seccomp_state *st = state;

	eun_skel_destroy(st->sp);
	free(st->caps.v);
	free(st->callers);
	free(st);
}

/* Only the programs of the mode (and of the options) load. */
static void choose_programs(struct seccomp_bpf *skel, int watch, int caps, int await)
{
	bpf_program__set_autoload(skel->progs.record_enter, !watch);
	bpf_program__set_autoload(skel->progs.record_exec, !watch);
	bpf_program__set_autoload(skel->progs.record_fork, !watch);
	bpf_program__set_autoload(skel->progs.await_mkdir, !watch && await);
	bpf_program__set_autoload(skel->progs.subject_rmdir, !watch);
	bpf_program__set_autoload(skel->progs.record_cap, !watch && caps);
	bpf_program__set_autoload(skel->progs.watch_enter, watch);
	bpf_program__set_autoload(skel->progs.watch_exit, watch);
	bpf_program__set_autoload(skel->progs.watch_dead, watch);
}

/* The kinds of the closer-looked-at syscalls, by ABI and slot. */
static void fill_kinds(struct seccomp_bpf *skel)
{
	for (uint32_t abi = 0; abi < SECCOMP_ABIS; abi++)
		for (uint32_t k = 1; k < SECCOMP_KINDS; k++) {
			uint32_t nr = seccomp_abi_defs[abi].nr[k];

			if (nr < SECCOMP_NR_DIRECT)
				skel->rodata->seccomp_kind_of[abi][nr] = (__u8)k;
		}
}

/* Read and check the mode keys; 0 or -EINVAL + error text. */
static int read_mode(struct eun_skel *sp, struct seccomp_state *st)
{
	struct seccomp_bpf *skel = sp->skel;
	const struct eun_host *host = sp->host;
	const char *mode = host->config_str(sp->t, "mode");
	const char *await = host->config_str(sp->t, "await");
	const char *allowed = host->config_str(sp->t, "allowed");
	const char *cgroup = host->config_str(sp->t, "cgroup");
	const char *container = host->config_str(sp->t, "container");
	size_t await_len = strlen(await);
	bool phases, caps;
	int err;

	if (strcmp(mode, "record") && strcmp(mode, "watch")) {
		host->set_error(sp->t, "config key 'mode': '%s' is neither record nor watch", mode);
		return -EINVAL;
	}
	st->watch = !strcmp(mode, "watch");
	if ((err = eun_skel_cfg_bool(sp, "phases", &phases)) ||
	    (err = eun_skel_cfg_bool(sp, "caps", &caps)))
		return err;
	if (await_len && (cgroup[0] || container[0] || st->watch)) {
		host->set_error(sp->t, "config key 'await' chooses the subject in record mode; set "
				"neither 'cgroup' nor 'container' with it, nor mode=watch");
		return -EINVAL;
	}
	if (await_len >= sizeof(skel->rodata->seccomp_cfg_await_name) || strchr(await, '/')) {
		host->set_error(sp->t, "config key 'await': '%s' is not a container id (one cgroup "
				"directory name, at most %zu bytes)", await,
				sizeof(skel->rodata->seccomp_cfg_await_name) - 1);
		return -EINVAL;
	}
	if (allowed[0] && !st->watch) {
		host->set_error(sp->t, "config key 'allowed' is for mode=watch");
		return -EINVAL;
	}
	if (strlen(allowed) >= sizeof(st->allowed_path)) {
		host->set_error(sp->t, "config key 'allowed': the path is longer than %zu bytes",
				sizeof(st->allowed_path) - 1);
		return -EINVAL;
	}
	snprintf(st->allowed_path, sizeof(st->allowed_path), "%s", allowed);
	skel->rodata->seccomp_cfg_await = await_len != 0;
	skel->rodata->seccomp_cfg_await_len = (__u32)await_len;
	memcpy((char *)skel->rodata->seccomp_cfg_await_name, await, await_len);
	skel->rodata->seccomp_cfg_start_phase =
		phases || await_len ? SECCOMP_PHASE_RUNTIME : SECCOMP_PHASE_WORKLOAD;
	skel->rodata->seccomp_cfg_check_allowed = allowed[0] != '\0';
	choose_programs(skel, st->watch, caps, await_len != 0);
	return 0;
}

static int seccomp_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct seccomp_state *st;
	struct eun_skel *sp;
	uint64_t interval;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	sp = EUN_SKEL_OPEN(t, host, seccomp_bpf, EUN_SKEL_HINT_BTF_TP
			   " (capability checks: the capability:cap_capable tracepoint, 6.13+)");
	if (!sp) {
		err = -errno;
		free(st);
		return err;
	}
	st->sp = sp;
	st->boot_to_epoch_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	fill_kinds(sp->skel);
	if ((err = read_mode(sp, st)) || (err = eun_skel_cfg_uint(sp, "interval_ms", &interval)) ||
	    (err = host->set_collect_interval(t, st->watch ? 0 : (uint32_t)interval)) ||
	    (err = host->prepare_bpf(t, sp->obj)))
		goto fail; /* each set the error text */
	*state = st;
	return 0;
fail:
	eun_skel_destroy(sp);
	free(st);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("seccomp"),
	.version = "0.1.0",
	.description = "syscalls (per ABI, phase, with key arguments) and capability checks of one "
		       "subject, for seccomp profiles; syscalls a seccomp filter denies",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = seccomp_create,
	.destroy = seccomp_destroy,
	.start = seccomp_start,
	.stop = seccomp_stop,
	.ring_fd = seccomp_ring_fd,
	.decode = seccomp_decode,
	.collect = seccomp_collect,
};

EUN_PLUGIN_DEFINE(desc)
