/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Definitions shared by the rule engine's files (lib/rules/). The engine
 * sits above the core: it reads events and schemas through the public API
 * only (eunomia.h), and takes from the library's internals nothing but
 * error text, logging, opts checks and the output buffer.
 *
 * Pipeline: sources (files, strings) -> YAML trees (lib/yaml) -> items
 * applied in load order into definitions (lists, macros, rules) -> at
 * compile, conditions parsed into ASTs, fields resolved against the
 * plugins' schemas, literals type-checked, and each rule instantiated for
 * every (tracker, event type) pair with what does not depend on the event
 * folded away -> per pair, the programs of the rules that can match it.
 */
#ifndef EUNOMIA_RULES_INTERNAL_H
#define EUNOMIA_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <eunomia/rules.h>

#include "render/render.h"
#include "yaml/yaml_doc.h"

/* Deepest nesting of parentheses and 'not' in one condition (as Falco). */
#define RULES_MAX_PARSE_DEPTH 100
/* Deepest nesting of macros in macros, and of lists in lists. */
#define RULES_MAX_MACRO_DEPTH 32
/* Largest file or string accepted. */
#define RULES_MAX_SOURCE_BYTES (64u << 20)

/* ---- memory (rules_arena.c) ------------------------------------------ */

/* Allocations freed all at once with the ruleset. */
struct arena {
	struct arena_block *head;
};
/* n zeroed bytes, or NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of n bytes, or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* A growing string (malloc), always NUL-terminated once anything was added. */
struct strbuf {
	char *buf;
	size_t len, cap;
	bool failed; /* an allocation failed: the content is cut */
};
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n bytes as a JSON string, quotes included (the events' escaping). */
void sb_json_str(struct strbuf *sb, const char *s, size_t n);
void sb_free(struct strbuf *sb);

/* memcpy() that accepts a NULL source when n is 0 (an empty array). */
static inline void *mem_copy(void *dst, const void *src, size_t n)
{
	return n ? memcpy(dst, src, n) : dst;
}

/* Append p to a growing array of pointers. 0 or -ENOMEM. */
int ptr_push(void ***arr, size_t *n, void *p);

/* ---- where things were written ---------------------------------------- */

struct src_loc {
	const char *file;
	unsigned line, col;
};

/* One loaded file or string: its bytes and their YAML tree. */
struct rules_source {
	char *name;
	char *text;
	size_t len;
	struct ydoc *doc;
};

/* A piece of a condition or output: a YAML scalar. Several when later
 * items appended to it; joined with one space. */
struct frag {
	const struct rules_source *src;
	const struct ydoc_node *node;
};
struct text {
	struct frag *f;
	size_t n;
};

/* Free every source (rules_source.c). */
void sources_free(struct eun_rules *r);

/* Location of the scalar node of src. */
struct src_loc node_loc(const struct rules_source *src, const struct ydoc_node *n);

/* ---- diagnostics (rules_diag.c) --------------------------------------- */

struct rules_diag {
	enum eun_rules_severity sev;
	struct src_loc loc;
	const char *kind;  /* "rule", "macro", "list" or NULL */
	char *item;
	char *msg;
	char *text;        /* FILE:LINE:COL: SEVERITY: KIND 'ITEM': MSG */
};

/* Record a problem. Out of memory, it is counted in r->diag_lost. */
void diag_add(struct eun_rules *r, enum eun_rules_severity sev, const struct src_loc *loc,
	      const char *kind, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void diags_free(struct eun_rules *r);

/* ---- definitions (rules_items.c, rules_exceptions.c) ------------------ */

/* What a rule's condition needs that this engine lacks (joined reasons). */
struct missing {
	struct strbuf fields, events, other;
	size_t n_fields, n_events, n_other;
};


/* A value as written in a list or an exception: text, quoted or bare. */
struct item_val {
	const char *text;
	size_t len;
	bool quoted;
	struct src_loc loc;
};

struct list_def {
	const char *name;
	struct src_loc loc;
	struct item_val *items;
	size_t n_items;
	int visiting;      /* expansion in progress (cycle check) */
};

struct ast;

struct macro_def {
	const char *name;
	struct src_loc loc;
	struct text cond;
	struct ast *ast;   /* parsed at compile; NULL if it failed */
	bool failed;       /* its condition has errors */
	int state;         /* 0 not checked, 1 being checked (loop check), 2 checked */
	struct missing miss;
};

/* One cell of an exception's values row: a value, or a list of them. */
struct exc_cell {
	bool is_list;
	struct item_val *items;
	size_t n;
	struct src_loc loc;
};
struct exc_row {
	struct exc_cell *cells;
	size_t n;
	struct src_loc loc;
};
struct exc_def {
	const char *name;
	struct src_loc loc;
	bool single;               /* fields: one name, not a sequence */
	struct item_val *fields;
	size_t n_fields;
	struct item_val *comps;    /* n_comps == n_fields, or none: all '=' */
	size_t n_comps;
	struct exc_row *rows;
	size_t n_rows;
};

struct out_tmpl;

struct rule_def {
	const char *name;
	struct src_loc loc;
	const char *desc;
	struct text cond;
	struct text output;
	enum eun_rule_priority priority;
	const char **tags;
	size_t n_tags;
	bool enabled;
	bool warn_evttypes;        /* warn when it is evaluated on every event type */
	bool broken;               /* its item had errors: compiled for more messages, then invalid */
	struct exc_def *exc;
	size_t n_exc;
	/* Set by compile. */
	struct ast *ast;           /* condition and exceptions */
	struct out_tmpl *out;
	enum eun_rule_status status;
	const char *reason;
	char *events;              /* "files.open,process.exec" (malloc) */
	/* Counters, written by the ctx thread only, read with relaxed atomics:
	 * ns_timed is the time of the `timed` evaluations that were measured. */
	uint64_t evals, matches, ns_timed, timed;
};

/* Apply the items of a parsed source to r's definitions, in order. */
void items_apply(struct eun_rules *r, const struct rules_source *src);
/* Exceptions from YAML (a rule's `exceptions:` sequence) into defs; an
 * append merges values into exceptions of the same name. */
int exceptions_read(struct eun_rules *r, struct rule_def *rule, const struct rules_source *src,
		    const struct ydoc_node *seq, bool append);
/* Lower a rule's exceptions into the AST "not ((f1 c1 v1 and ...) or ...)"
 * appended to its condition with "and". NULL when there are none. */
struct ast *exceptions_ast(struct eun_rules *r, struct rule_def *rule);

struct list_def *find_list(const struct eun_rules *r, const char *name, size_t len);
struct macro_def *find_macro(const struct eun_rules *r, const char *name);
struct rule_def *find_rule(const struct eun_rules *r, const char *name);

/* ---- conditions (cond_lex.c, cond_parse.c) ---------------------------- */

enum cmp_op {
	OP_EQ = 0, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_IN, OP_CONTAINS, OP_ICONTAINS, OP_STARTSWITH, OP_ENDSWITH, OP_GLOB, OP_PMATCH,
	OP_EXISTS,
	OP_UNSUPPORTED,            /* a Falco operator this engine lacks (op_name says which) */
};
/* The operator spelled name (n bytes); OP_UNSUPPORTED for Falco's other
 * ones; -1 if it is no operator. */
int cmp_op_lookup(const char *name, size_t n);

enum ast_kind {
	AST_AND = 0,
	AST_OR,
	AST_NOT,
	AST_CMP,
	AST_MACRO,
};

enum vtype {
	VT_NONE = 0,
	VT_UINT,
	VT_SINT,
	VT_BOOL,
	VT_STR,
	VT_IP4,
	VT_IP6,
	VT_HIST,
	VT_COUNT,
};

struct field_res;
struct lit_set;

struct ast {
	enum ast_kind kind;
	struct src_loc loc;
	struct ast *a, *b;             /* and/or: both; not: a */
	/* AST_CMP */
	const char *field;
	struct src_loc field_loc;
	enum cmp_op op;
	const char *op_name;
	struct src_loc op_loc;
	struct item_val *vals;
	size_t n_vals;
	bool list;                     /* the values were a (list) */
	const char *unsupported;       /* a field transformer, e.g. "tolower()" */
	/* AST_MACRO */
	const char *name;
	struct macro_def *macro;
	/* Set by the checks (rules_check.c). */
	struct field_res *res;
	struct item_val *flat;         /* vals with list names expanded */
	size_t n_flat;
	const struct lit_set *lits[VT_COUNT];
	struct evsel_set *evsel;       /* evt.type: what each value selects */
	bool bad;                      /* an error was reported for this node */
};

/* A condition's text: its fragments joined by spaces, with a way back to
 * where each byte was written. */
struct cond_src {
	struct strbuf text;
	const struct text *frags;
	size_t *starts;                /* offset of each fragment in text */
};

/* Join t's fragments into cs. 0 or -ENOMEM. */
int cond_src_init(struct cond_src *cs, const struct text *t);
void cond_src_free(struct cond_src *cs);
/* Parse a condition; its first syntax error is reported (kind/item name
 * the definition). NULL on error. */
struct ast *cond_parse(struct eun_rules *r, const struct text *t, const char *kind, const char *item);
/* Where byte off of the joined text of t was written. */
struct src_loc cond_loc(const struct cond_src *cs, size_t off);

/* ---- tokens of a condition (cond_lex.c) ------------------------------- */

enum tok_kind {
	TOK_END = 0,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_COMMA,
	TOK_WORD,        /* field, keyword, macro, operator word or bare value */
	TOK_SYMBOL,      /* = == != < <= > >= */
	TOK_STRING,      /* quoted value, unescaped into lex->value */
	TOK_ERROR,
};

struct lexer {
	const char *s;
	size_t len, pos;
	struct strbuf value;   /* the text of the last TOK_STRING */
	const char *error;     /* for TOK_ERROR */
};

struct token {
	enum tok_kind kind;
	size_t start, len;     /* in the joined text */
};

/* Modes: what the parser expects next decides how bare text is cut. */
enum lex_mode {
	LEX_FIELD,       /* a field, macro, keyword or '(' */
	LEX_OPERATOR,    /* an operator, a keyword, ')' */
	LEX_VALUE,       /* a value, '(' */
};
struct token lex_next(struct lexer *lx, enum lex_mode mode);

/* ---- fields and the events they come from (rules_fields.c) ------------ */

/* Columns of the common record header. */
enum hdr_col {
	HC_TS = 0, HC_PID, HC_TID, HC_UID, HC_COMM, HC_CGROUP_ID,
	HC_PID_NS, HC_MNT_NS, HC_NET_NS, HC_USER_NS,
	HC_CONTAINER_ID, HC_CONTAINER_RUNTIME, HC_POD_UID,
	HC_COUNT,
};

/* Values computed from one or more fields (rules_values.c). */
enum derived {
	DER_NONE = 0,
	DER_CMDLINE,       /* comm + the arguments after argv[0] */
	DER_ARGS,          /* the arguments after argv[0] */
	DER_DIRNAME,       /* of an absolute path field */
	DER_BASENAME,
	DER_EVT_RES,       /* "SUCCESS" or the errno name of a negative ret */
	DER_EVT_FAILED,    /* ret < 0 */
	DER_OPEN_READ,     /* open flags allow reading */
	DER_OPEN_WRITE,    /* open flags allow writing */
	DER_CONT_ID,       /* container id, "host" for a host process */
	DER_CONT_NAME,
	DER_CONT_IMAGE,
	DER_CONT_REPO,     /* image without tag or digest */
	DER_CONT_TAG,
	DER_CONT_TYPE,     /* runtime, "host" for a host process */
	DER_EVT_TIME,      /* ISO 8601 UTC with ns */
};

enum acc_kind {
	ACC_ABSENT = 0,    /* this event type does not have it */
	ACC_FIELD,         /* schema field idx */
	ACC_HDR,           /* header column id */
	ACC_DERIVED,       /* derived id from schema field idx (or -1) */
	ACC_CONST,         /* the same text for every event of the type */
};

/* How to read one field on events of one (tracker, event type). */
struct acc {
	uint8_t kind;      /* enum acc_kind */
	uint8_t vtype;     /* enum vtype */
	uint16_t id;       /* enum hdr_col or enum derived */
	int32_t idx;       /* schema field index */
	const struct eun_field *f;
	const char *cstr;
};

enum res_status {
	RES_OK = 0,
	RES_UNAVAILABLE,   /* a real field name this engine has no data for */
	RES_ERROR,         /* no such field: reported */
};

/* A field name resolved for every pair (cached per name). */
struct field_res {
	const char *name;
	enum res_status status;
	const char *why;           /* RES_ERROR: the message */
	const char *missing;       /* RES_UNAVAILABLE: the name, and why when a tracker would have it */
	bool evt_type;             /* the evt.type selector */
	struct acc *acc;           /* n_pairs entries */
	struct field_res *next;
};

/* Resolve a field name (cached). NULL only when out of memory. */
struct field_res *field_resolve(struct eun_rules *r, const char *name);
/* Name of a value type for messages: "a string", "a number"... */
const char *vtype_desc(enum vtype t);

/* The field names this engine knows, for suggestions and docs. */
struct alias_map {
	const char *tracker;   /* "*": any */
	const char *type;      /* NULL: any type having the field */
	const char *field;     /* NULL: no source field */
	enum derived der;
};
struct field_alias {
	const char *name;
	int hdr;               /* enum hdr_col, or -1 */
	enum derived der;      /* with no source field (containers, time) */
	struct alias_map maps[4];
};
extern const struct field_alias field_aliases[];
extern const size_t n_field_aliases;

/* Falco event names (evt.type values) and the event each selects. */
struct falco_event {
	const char *name;
	const char *tracker, *type;
	const char *field;     /* refinement: this field must equal str or num */
	const char *str;
	long long num;
};
extern const struct falco_event falco_events[];
extern const size_t n_falco_events;
/* True if name starts with a field class of Falco's (proc., fd., evt. ...). */
bool falco_field_class(const char *name);
/* True for the fields of Falco's this engine knows it has no data for. */
bool falco_known_field(const char *name);

/* The best of n candidates for a misspelled name, or NULL if none is close. */
const char *suggest(const char *name, const char *const *cands, size_t n);

/* evt.type values: per pair, what the node's values select there. */
struct evsel {
	bool all;              /* some value selects every event of the pair */
	struct acc *ref_acc;   /* else: refinements, each a field and the values it must be in */
	const struct lit_set **ref_lits;
	size_t n_ref;
};
struct evsel_set {
	struct evsel *per_pair;
};

/* ---- checks and literals (rules_check.c, rules_literals.c) ------------ */

struct lit {
	__int128 i;
	const char *s;
	size_t len;
	uint8_t ip[16];
	uint8_t bits;          /* CIDR prefix length of ip */
	bool b;
};
struct lit_set {
	enum vtype vtype;
	struct lit *v;
	size_t n;
};

/* Resolve, expand and type-check the AST of rule (kind "rule") or macro;
 * report errors; collect what is not available into miss. 0, or -ENOMEM. */
int check_ast(struct eun_rules *r, struct ast *a, const char *kind, const char *item,
	      struct missing *miss, int depth);
/* Convert the values of a CMP node for a field of type t. NULL with an
 * error reported on bad values (or out of memory: r->oom). */
const struct lit_set *literals_for(struct eun_rules *r, struct ast *n, enum vtype t,
				   const struct acc *example, const char *kind, const char *item);
void missing_free(struct missing *m);
/* Add name to a list "a, b, c" unless it is there. */
void missing_add(struct strbuf *sb, size_t *count, const char *name);

/* ---- compiled programs (rules_compile.c) ------------------------------ */

enum enode_kind {
	EN_FALSE = 0,
	EN_TRUE,
	EN_AND,
	EN_OR,
	EN_NOT,
	EN_CMP,
};

struct enode {
	uint8_t kind;
	uint8_t op;
	struct acc acc;
	const struct enode **kids;
	uint32_t n_kids;
	const struct lit_set *lits;
	/* EN_CMP: its slot in the per-event results. Comparisons that are
	 * the same (a macro's, or the same test written in several rules)
	 * are one node, so an event evaluates each once, whatever the
	 * number of rules that contain it. */
	uint32_t memo;
};

/* The result of one comparison for the event of generation gen. */
struct memo_slot {
	uint32_t gen;
	bool val;
};

/* A rule instantiated for one pair. */
struct rule_prog {
	struct rule_def *rule;
	const struct enode *root;
};

/* One (tracker, event type) of the ctx's plugins. */
struct pair {
	const struct eun_plugin *plugin;
	const char *tracker;
	const struct eun_event_type *type;
	const char *label;         /* "tracker.type" */
	struct rule_prog *progs;   /* rules that can match it, in load order (malloc) */
	size_t n_progs, cap_progs;
};

/* Enumerate the ctx's pairs and build their lookup table. 0 or -ENOMEM. */
int pairs_build(struct eun_rules *r);
/* Index of the pair of ev, or -1. */
int pair_of(const struct eun_rules *r, const struct eun_event *ev);
/* Pairs of tracker name (n bytes), or NULL; index of the first in *first, count in *count. */
bool pairs_of_tracker(const struct eun_rules *r, const char *name, size_t n, size_t *first, size_t *count);

/* Instantiate every rule for every pair, set statuses, build the index. 0 or -ENOMEM. */
int compile_rules(struct eun_rules *r);

/* ---- evaluation (rules_eval.c, rules_values.c, rules_strops.c) -------- */

struct val {
	enum vtype t;
	uint64_t u;
	int64_t s;
	bool b;
	const char *str;
	size_t len;
	uint8_t ip[16];
};

/* Schema fields whose values an evaluation keeps once read (by index). */
#define EVAL_CACHED_FIELDS 64

/* The state of one event's evaluation. */
struct eval_ctx {
	const struct eun_event *ev;
	uint64_t cached, absent;               /* bit i: field i read; it was not there */
	struct val cache[EVAL_CACHED_FIELDS];  /* every rule of the event reads a field once */
	struct memo_slot *memo;                /* results of comparisons, by enode memo */
	uint32_t gen;                          /* this event's generation */
	uint64_t ts;                           /* epoch ns */
	const struct eun_container_info *cont; /* NULL until looked up */
	struct eun_container_info cont_buf;
	bool cont_done;
	char scratch[1024];                    /* derived strings */
};

/* Read the value acc names from the event. 0, or -1 if it has none. */
int val_fetch(struct eval_ctx *ec, const struct acc *a, struct val *v);
/* Evaluate a compiled condition. */
bool enode_eval(struct eval_ctx *ec, const struct enode *n);
/* Compare a value with a comparison's literals. */
bool cmp_eval(enum cmp_op op, const struct val *v, const struct lit_set *lits);

bool str_glob(const char *pat, size_t plen, const char *s, size_t n);
bool str_icontains(const char *hay, size_t n, const char *lower_needle, size_t m);
bool str_pmatch(const char *path, size_t n, const char *prefix, size_t m);

/* ---- outputs and alerts (rules_output.c, rules_alert.c) --------------- */

struct out_seg {
	const char *lit;           /* text before the field */
	size_t lit_len;
	struct field_res *res;     /* NULL for the trailing text */
	const char *name;
};
struct out_tmpl {
	struct out_seg *segs;
	size_t n;
	struct strbuf missing;     /* fields not available, "a, b" */
	size_t n_missing;
	struct src_loc missing_loc; /* where the first is */
};

/* Parse a rule's output template; unknown fields are errors, fields not
 * available warnings (they render as <NA>). NULL if out of memory. */
struct out_tmpl *output_parse(struct eun_rules *r, struct rule_def *rule);
/* Render the output into sb and the JSON of its fields into fields_json. */
void output_render(struct eval_ctx *ec, const struct out_tmpl *t, int pair, struct strbuf *sb,
		   struct strbuf *fields_json);
/* Text of a value, as outputs show it. */
void val_text(const struct val *v, const struct acc *a, const struct eun_event *ev, struct strbuf *sb);
/* Hand the alert of rule matching ec's event to the callback. */
int alert_emit(struct eun_rules *r, struct eval_ctx *ec, struct rule_def *rule, int pair);

/* ---- SHA-256 (sha256.c) ----------------------------------------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_hex(struct sha256 *s, char out[65]);

/* ---- the ruleset ------------------------------------------------------ */

struct eun_rules {
	struct eun_ctx *ctx;
	bool first_match;
	struct arena arena;
	struct rules_source **sources;
	size_t n_sources;
	struct list_def **lists;
	size_t n_lists;
	struct macro_def **macros;
	size_t n_macros;
	struct rule_def **rules;
	size_t n_rules;
	struct rules_diag *diags;
	size_t n_diags, cap_diags, diag_lost;
	size_t n_errors;
	bool compiled, ok, oom;
	/* Pairs and their lookup table (open addressing on the type pointer). */
	struct pair *pairs;
	size_t n_pairs;
	int32_t *pair_slots;
	size_t n_slots;
	/* Distinct comparisons (rules_compile.c) and their per-event results. */
	struct enode **cmp_table;
	size_t cmp_cap, n_memo;
	struct memo_slot *memo;
	uint32_t memo_gen;
	const char **field_names;  /* every known field name, for suggestions */
	size_t n_field_names;
	struct field_res *res_cache;
	struct macro_def *macro_stack[RULES_MAX_MACRO_DEPTH + 1]; /* macros being checked */
	size_t n_macro_stack;
	/* Alerts. */
	eun_alert_fn alert_fn;
	void *alert_cookie;
	struct sha256 sha_state;   /* over the sources so far */
	char sha256[65];
	char hostname[256];
	struct strbuf out, out_fields, fields;
};

/* Relaxed atomic counters: one writer, readers on any thread. */
static inline void counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}
static inline uint64_t counter_get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

#endif /* EUNOMIA_RULES_INTERNAL_H */
