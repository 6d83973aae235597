/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A compiled libbpf object (.bpf.o) as a tracker, with no C wrapper: the
 * module reads the object's BTF (maps, globals, event structs), builds a
 * plugin descriptor at run time and registers it with the core, whose ops
 * then run libbpf on the object. Above the core (uses core.h for the owned
 * descriptor and the kernel checks) and the container module; knows nothing
 * of render, sink or metrics. Never installed. See docs/bpf-objects.md.
 */
#ifndef EUNOMIA_BPFOBJ_H
#define EUNOMIA_BPFOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/plugin.h>

#include "base/base.h"

struct btf;
struct bpf_object;
struct bpf_link;
struct perf_buffer;
struct ring_buffer;

/* ---- layouts: where each value of a sample lies ---- */

/* What a field fills in the record header that a foreign sample lacks. */
enum hdr_role {
	ROLE_NONE = 0,
	ROLE_PID,    /* thread group id */
	ROLE_TID,
	ROLE_UID,
	ROLE_COMM,
	ROLE_CGROUP, /* cgroup v2 id */
	ROLE_TS,     /* nanoseconds, CLOCK_MONOTONIC unless ts_boot */
	ROLE_MNTNS,  /* mount namespace inode */
	ROLE_MAX_
};

struct lay_field {
	char *name;         /* dotted path, [a-z0-9_.] */
	char *unit;         /* NULL: none */
	char *desc;         /* NULL: none */
	uint32_t type;      /* enum eun_field_type */
	uint32_t offset;    /* in the sample (or map key / value) */
	uint32_t size;      /* bytes in the sample; HIST_LOG2: slots * slot_size */
	uint32_t flags;     /* EUN_FIELD_F_* */
	uint32_t slot_size; /* HIST_LOG2: 4 or 8 bytes per slot in the sample */
	enum hdr_role role;
	bool ts_boot;       /* ROLE_TS: CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) */
	bool is_signed;     /* integers: a signed C type */
	/* set by outputs_place() */
	uint32_t rec_off;   /* offset in the record (header included) */
	uint32_t sum_off;   /* HIST_LOG2: record offset of its U64 <name>_sum */
	bool sum_made;      /* HIST_LOG2: that sum is computed (lower bounds of the slots) */
};

struct layout {
	char *struct_name;  /* the C struct, NULL for fields listed in a schema file */
	char *event_name;   /* the event type's name, NULL: from the struct or map */
	uint32_t size;      /* bytes of one sample */
	bool eun_header;    /* starts with struct eun_record_header: the sample is the record */
	bool has_type_id;   /* eun_header: type id given by EUN_EXPORT_EVENT_ID() */
	uint32_t type_id;
	struct lay_field *f;
	size_t n;
	char *origin;       /* where the layout came from, for messages */
};

/* What a layout describes. */
enum lay_use {
	LAY_EVENT = 0, /* a ring or perf buffer sample */
	LAY_KEY,       /* a map key: its fields are labels (KEY) */
	LAY_VALUE,     /* a map value: "slots" arrays are log2 histograms */
};

/* Fill lay with the flattened members of struct/union type_id of btf
 * (nested structs as dotted names, small arrays element by element, char
 * arrays as strings), recognising header roles and errno fields by name
 * and by Inspektor Gadget's gadget_* typedefs. 0 or -errno with the error
 * text set, naming `what`. */
int btf_layout_build(const struct btf *btf, int type_id, const char *what, enum lay_use use,
		     struct layout *lay);
/* Header role of a field named leaf (a top-level member if top) whose type
 * went through typedef tag (a gadget_* name, or NULL): by the tag at any
 * depth, by the name at the top level. *ts_boot is set for boot-time stamps. */
enum hdr_role field_role(const char *leaf, bool top, const char *tag, uint32_t type, uint32_t size,
			 bool *ts_boot);
/* True for names of signed results that are -errno on failure ("ret", "err"...). */
bool is_errno_name(const char *leaf);
/* Give each role to the first field that can have it; roles other than
 * the first are dropped. Then rename fields whose names clash with the
 * header's columns. 0 or -ENOMEM. */
int layout_settle(struct layout *lay);
void layout_free(struct layout *lay);
/* Add a field (copies the strings). 0 or -ENOMEM. */
int layout_add(struct layout *lay, const struct lay_field *f);

/* ---- where each output's layout comes from ---- */

enum out_kind {
	OUT_RING = 0, /* BPF_MAP_TYPE_RINGBUF */
	OUT_PERF,     /* BPF_MAP_TYPE_PERF_EVENT_ARRAY */
	OUT_SNAP,     /* a hash or array map read as periodic snapshots */
};

/* One output of the object: a map whose contents become events. */
struct output {
	char *map;          /* map name */
	enum out_kind kind;
	uint32_t map_type;  /* enum bpf_map_type */
	bool percpu;
	bool hash;          /* OUT_SNAP: drained with lookup-and-delete, else deltas */
	struct layout lay;  /* OUT_RING/PERF: the sample; OUT_SNAP: key then value fields */
	uint32_t key_size, value_size; /* OUT_SNAP */
	uint32_t value_off; /* OUT_SNAP: record offset of the value */
	uint32_t hist_off;  /* OUT_SNAP: record offset of the converted histograms */
	uint32_t type_id;   /* event type id */
	uint32_t record_size;
	int16_t role_field[ROLE_MAX_]; /* index in lay.f of the field with each role, or -1 */
};

/* Annotations read from the object itself and the files beside it. */
struct annotation {
	char *map;
	char *struct_name;  /* events */
	char *event_name;   /* NULL: from the struct */
	bool snapshot;      /* a map of counters read as snapshots */
	bool has_id;
	uint32_t id;
	const char *how;    /* "EUN_EXPORT_EVENT", "GADGET_TRACER", "/// @export" ... */
};

/* The annotations of an object: EUN_EXPORT_EVENT[_ID]() and EUN_EXPORT_MAP()
 * from <eunomia/bpf/export.h>, Inspektor Gadget's GADGET_TRACER() and
 * GADGET_MAPITER() (all global variables found through the BTF), and
 * eunomia-bpf's "/// @export" comments in the program's source, read when
 * it lies beside the object (NAME.bpf.c). 0 or -ENOMEM. */
int annotations_read(const struct btf *btf, const char *obj_path, struct annotation **out,
		     size_t *n);
void annotations_free(struct annotation *a, size_t n);
/* The struct names after "/// @export" lines of a C source text, in order,
 * into names (at most max); how many. */
size_t export_comments_scan(const char *text, char **names, size_t max);

/* A schema file's description of one output (layout set when it gives fields). */
struct schema_entry {
	char *map;          /* NULL: the object's only output */
	char *event_name;
	char *struct_name;  /* take the layout from this struct */
	struct layout lay;  /* or these fields, of lay.size bytes */
	bool snapshot;      /* listed under maps: */
	char **unit_fields, **units; /* maps: units of named value fields */
	size_t n_units;
	unsigned line;      /* where the entry starts, for messages */
};

struct schema_file {
	char *path;
	struct schema_entry *e;
	size_t n;
};

/* Parse schema file path: 0, -ENOENT when it does not exist (error text
 * set), or -EINVAL with the error text naming file:line:column. */
int schema_file_read(const char *path, struct schema_file *sf);
void schema_file_free(struct schema_file *sf);

/* Compile C header path with clang into BTF (each struct it defines is
 * kept): 0 and *out (free with btf__free), or -errno with the error text
 * set (clang missing, the header does not compile). *export_struct gets
 * the struct after a "/// @export" line, else NULL (free it). */
int header_btf_compile(const char *path, struct btf **out, char **export_struct);

/* ---- config keys from the object's globals ---- */

enum param_kind {
	PARAM_UINT = 0,
	PARAM_SINT,
	PARAM_BOOL,
	PARAM_STR,  /* char array: at most size - 1 bytes */
};

struct param {
	char *key;          /* config key */
	char *var;          /* the global variable */
	char *sec;          /* ".rodata", ".data", ".bss" */
	uint32_t offset, size;
	enum param_kind kind;
	char *ctype;        /* C type, for messages */
};

/* The globals of the object that become config keys (ints, enums, bools,
 * char arrays in .rodata, .data and .bss; not those of eunomia.bpf.h nor
 * the annotation markers), with keys built into *keys (n_params of them,
 * strings owned by the params array). `reserved` names keys the tracker
 * declares itself. 0 or -errno naming obj_path. */
int params_read(struct bpf_object *obj, const char *obj_path, const char *const *reserved,
		struct param **params, size_t *n_params, struct eun_config_key **keys);
void params_free(struct param *p, struct eun_config_key *keys, size_t n);
/* Check text against p's type; 0 or -EINVAL with the error text set. */
int param_check(const struct param *p, const char *obj_path, const char *text);
/* Write text (checked) into the initial data of p's section in obj. 0 or -errno. */
int param_apply(const struct param *p, struct bpf_object *obj, const char *text);

/* ---- the loaded object, shared by its trackers ---- */

struct bpfobj {
	char *path;          /* as given */
	char *name;          /* tracker name */
	void *elf;           /* the file's bytes, reopened by every instance */
	size_t elf_size;
	char *license;
	bool eun_native;     /* includes <eunomia/bpf/eunomia.bpf.h>: in-kernel filters */
	int attach_policy;   /* enum eun_bpf_attach_policy */
	struct output *outs;
	size_t n_outs;
	int ring_out;        /* index of the output the core reads through ring_fd(), or -1 */
	bool any_snap, any_polled;
	struct param *params;
	struct eun_config_key *param_keys; /* one per param */
	size_t n_params;
	uint32_t max_record;
	/* the descriptor and what it points to */
	struct eun_plugin_desc desc;
	struct eun_event_type *types;
	struct eun_field **fields;   /* per type */
	struct eun_config_key *keys; /* params, then the tracker's own */
	size_t n_keys;
	char *description;
	char *version;
};

/* What the user gave to describe the records (eun_bpf_object_opts). */
struct bpfobj_sources {
	const char *event_struct;  /* --event-struct: STRUCT or MAP=STRUCT[,MAP=STRUCT] */
	const char *schema_path;   /* explicit --schema, else NULL */
	const char *event_header;
};
/* Find the outputs of an opened object and their layouts. 0 or -errno. */
int outputs_find(struct bpfobj *o, struct bpf_object *obj, const struct bpfobj_sources *src);
/* Record layout of each output (type ids, offsets); 0 or -errno. */
int outputs_place(struct bpfobj *o);

/* Build o->desc from o's outputs and params (outputs_place() done). 0 or -errno. */
int desc_build(struct bpfobj *o);
/* Free everything o owns (the release hook of the registration). */
void bpfobj_free(void *o);

/* Open a fresh bpf_object from o's bytes. NULL + errno with the error text set. */
struct bpf_object *bpfobj_open(const struct bpfobj *o);

/* ---- one tracker instance (inst.c, inst_load.c, readers.c, snapshot.c) ---- */

struct proc_cache;

/* The common filters, applied in user space to foreign objects. */
struct us_filter {
	bool any;
	bool pid_set, uid_set, comm_set;
	uint32_t pid, uid;
	char comm[EUN_COMM_LEN];
	char *cgroup;         /* path below the cgroup v2 mount ("/a/b"), NULL: none */
};

/* Totals last read from an array map, to turn the next ones into deltas. */
struct snap_prev {
	void *values;         /* max_entries * value_size bytes (summed over CPUs) */
};

struct reader_ctx;

struct inst {
	struct bpfobj *o;
	struct eun_tracker *t;
	const struct eun_host *host;
	struct bpf_object *obj;
	struct bpf_link **links;     /* per program, while attached */
	size_t n_progs;
	bool loaded;
	bool *skip;                  /* per program: left out (its hook is missing) */
	char **values;               /* per param: the configured text, NULL: default */
	uint64_t ring_bytes;         /* ringbuf_kb * 1024, 0: as the object says */
	uint64_t wakeup_bytes;
	bool wakeup_set;
	struct us_filter filter;
	struct proc_cache *procs;
	/* readers of the outputs the core does not read itself */
	int epfd;
	struct perf_buffer **pbs;
	struct ring_buffer *rings;
	struct reader_ctx *rctx;     /* per output */
	uint64_t lost;               /* perf buffer PERF_RECORD_LOST counts */
	void *rec;                   /* one record being built, o->max_record bytes */
	struct snap_prev *prev;      /* per output (OUT_SNAP arrays) */
	void *snap_sum;              /* collect(): one entry as a sample (key, value) */
	int64_t boot_minus_mono;     /* ns, for monotonic timestamps */
	bool *size_warned;           /* per output: a short sample was reported */
};

/* The descriptor ops. */
int inst_create(struct eun_tracker *t, const struct eun_host *host, void **state);
void inst_destroy(void *state);
int inst_start(void *state);
int inst_stop(void *state);
int inst_ring_fd(void *state);
long inst_decode(void *state, const void *raw, size_t len, void *out, size_t cap);
int inst_poll_fd(void *state);
int inst_poll(void *state);
uint64_t inst_kernel_drops(void *state);
int inst_collect(void *state);

/* (Re)open the instance's object with its config applied and the programs
 * in inst->skip left out. 0 or -errno. */
int inst_open(struct inst *in);
/* Load the object; a program that the kernel refuses is found by loading
 * them one by one, then named (attach policy "all") or left out with a
 * warning ("available"). 0 or -errno. */
int inst_load(struct inst *in);
/* Attach every program not left out, per the attach policy. 0 or -errno. */
int inst_attach(struct inst *in);

/* Set up / free the perf buffers and extra ring buffers (after load). */
int readers_open(struct inst *in);
void readers_free(struct inst *in);

/* The record of one foreign sample (len bytes) of output oi, into out (cap
 * bytes): a header from the sample's role fields (and /proc for what it
 * lacks), then the sample. The record's length; 0 when the user-space
 * filters drop it; -EBADMSG for a sample shorter than the layout (logged
 * once per output, naming the object, map and sizes). */
long record_build(struct inst *in, size_t oi, const void *sample, size_t len, void *out,
		  size_t cap);
/* The same from a sample known to be whole (snapshots): the record's
 * length, or 0 when the filters drop it. */
long record_from_sample(struct inst *in, size_t oi, const void *sample, void *out);
/* CLOCK_BOOTTIME minus CLOCK_MONOTONIC, in ns, now. */
int64_t boot_minus_mono_ns(void);

/* ---- /proc lookups for header fields a sample lacks (proc_ident.c) ---- */

struct proc_ident {
	uint32_t pid;
	bool ok;              /* the process was found */
	uint32_t uid;
	char comm[EUN_COMM_LEN];
	uint64_t cgroup_id;
	char cgroup[256];     /* path below the cgroup v2 mount */
	uint32_t ns[4];       /* pid, mnt, net, user */
	int64_t at_ms;
};

struct proc_cache *proc_cache_new(void);
void proc_cache_free(struct proc_cache *pc);
/* What /proc says of pid now, cached for a second. Never NULL (ok false
 * when the process is gone). */
const struct proc_ident *proc_cache_get(struct proc_cache *pc, uint32_t pid);

#endif /* EUNOMIA_BPFOBJ_H */
