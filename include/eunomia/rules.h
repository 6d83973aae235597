/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Runtime security rules over the trackers' events (docs/rules.md).
 *
 * A ruleset is loaded from YAML files, directories and strings written in
 * Falco's rule language (rules, macros, lists, exceptions, overrides),
 * compiled against the schemas of the plugins of a context, and evaluated
 * event by event: each rule that matches produces an alert.
 *
 *   struct eun_rules *r = eun_rules_new(ctx, NULL);
 *   eun_rules_load_file(r, "/etc/eunomia/rules.d");
 *   if (eun_rules_compile(r) < 0)
 *           ... every problem: eun_rules_diag_count() / eun_rules_diag_at()
 *   eun_rules_set_alert_fn(r, on_alert, cookie);
 *   ... in the ctx's event callback: eun_rules_eval(r, ev, NULL);
 *
 * The conventions of <eunomia/eunomia.h> apply: negative errno, text in
 * eun_last_error(), opts structs declared with EUN_OPTS(). A ruleset
 * belongs to the thread of its context, which must outlive it.
 */
#ifndef EUNOMIA_RULES_H
#define EUNOMIA_RULES_H

#include <eunomia/eunomia.h>

#ifdef __cplusplus
extern "C" {
#endif

struct eun_rules;

/* Falco's priorities, most urgent first. */
enum eun_rule_priority {
	EUN_PRIORITY_EMERGENCY = 0,
	EUN_PRIORITY_ALERT,
	EUN_PRIORITY_CRITICAL,
	EUN_PRIORITY_ERROR,
	EUN_PRIORITY_WARNING,
	EUN_PRIORITY_NOTICE,
	EUN_PRIORITY_INFORMATIONAL,
	EUN_PRIORITY_DEBUG,
};

/* "Emergency", "Alert", ... "Debug" (as Falco writes them in alerts); NULL if out of range. */
EUN_API const char *eun_rule_priority_name(enum eun_rule_priority p);

/* The Falco rules-engine version whose file format this engine reads
 * ("0.62.0"); files with a later required_engine_version are refused. */
EUN_API const char *eun_rules_engine_version(void);

struct eun_rules_opts {
	size_t sz;        /* sizeof(struct eun_rules_opts) */
	/* Stop at the first rule (in load order) that matches an event,
	 * instead of firing every rule that matches (the default). */
	bool first_match;
	size_t :0;
};
#define EUN_LAST_eun_rules_opts first_match

/* An empty ruleset for the plugins of ctx. NULL with errno EINVAL (bad
 * opts, no ctx) or ENOMEM. */
EUN_API struct eun_rules *eun_rules_new(struct eun_ctx *ctx, const struct eun_rules_opts *opts);

/* Free the ruleset. NULL is ignored. */
EUN_API void eun_rules_free(struct eun_rules *r);

/* Add the rules file at path, or every *.yaml and *.yml file of the
 * directory at path in name order (not recursive). Files are read and
 * parsed now; a YAML error is recorded as a problem of the load (see
 * eun_rules_diag_at()) and still returns 0. -errno when a file cannot be
 * read (-ENOENT, -EACCES...), -EBUSY after eun_rules_compile(). */
EUN_API int eun_rules_load_file(struct eun_rules *r, const char *path);

/* Add rules from memory: len bytes of text (need not be NUL-terminated),
 * reported as file `name` (NULL: "<string>"). The text is copied. Any
 * bytes are accepted, which makes this the entry point for fuzzing:
 * eun_rules_new(), eun_rules_load_string(), eun_rules_compile(),
 * eun_rules_free(). 0, -EBUSY after compile, -EFBIG over 64 MiB, -ENOMEM. */
EUN_API int eun_rules_load_string(struct eun_rules *r, const char *name, const char *text, size_t len);

/* Apply the definitions in load order (later ones append to or replace
 * earlier ones), expand macros and lists, resolve and type-check every
 * field against the plugins' schemas and build the per-event-type index.
 * Every problem of the whole load is recorded, each with file:line:column.
 * 0 when there are no errors (warnings and rules that are not supported
 * are no errors), -EINVAL if there are (eun_last_error() names the first
 * and the count), -EALREADY if compiled already. Only a ruleset compiled
 * without errors evaluates events. */
EUN_API int eun_rules_compile(struct eun_rules *r);

enum eun_rules_severity {
	EUN_RULES_ERROR = 0,
	EUN_RULES_WARNING,
};

/* One problem found while loading or compiling. Strings belong to the ruleset. */
struct eun_rules_diag {
	size_t sz;                        /* sizeof(struct eun_rules_diag) */
	enum eun_rules_severity severity;
	const char *file;                 /* as given to load_file/load_string */
	unsigned line, column;            /* 1-based; 0 when unknown */
	const char *item_kind;            /* "rule", "macro", "list" or NULL */
	const char *item;                 /* its name, or NULL */
	const char *message;              /* e.g. "no field 'files.pth'; did you mean 'files.path'?" */
	/* All of it on one line: "FILE:LINE:COL: error: rule 'NAME': MESSAGE". */
	const char *text;
	size_t :0;
};
#define EUN_LAST_eun_rules_diag text

/* Number of problems recorded so far (errors and warnings). */
EUN_API size_t eun_rules_diag_count(const struct eun_rules *r);

/* Fill out (its sz set by the caller) with the i-th problem, in the order
 * found. 0, -ERANGE past the end, -EINVAL for bad arguments. */
EUN_API int eun_rules_diag_at(const struct eun_rules *r, size_t i, struct eun_rules_diag *out);

enum eun_rule_status {
	EUN_RULE_LOADED = 0,  /* compiled and evaluated */
	EUN_RULE_DISABLED,    /* enabled: false; compiled and checked, not evaluated */
	EUN_RULE_UNSUPPORTED, /* needs a field, event or operator this engine does not have (reason says which) */
	EUN_RULE_INVALID,     /* has errors (see the diagnostics) */
};

/* What a rule is and what it cost. Strings belong to the ruleset. */
struct eun_rule_info {
	size_t sz;                       /* sizeof(struct eun_rule_info) */
	const char *name;
	const char *desc;                /* "" when none */
	enum eun_rule_priority priority;
	const char *const *tags;         /* n_tags entries */
	size_t n_tags;
	enum eun_rule_status status;
	const char *reason;              /* why not supported or invalid, "" otherwise */
	const char *file;                /* where the definition in force begins */
	unsigned line, column;
	/* The event types it is evaluated on, as "tracker.type" separated by
	 * commas, e.g. "files.open,process.exec"; "" when none. */
	const char *events;
	uint64_t evaluations;            /* events it was evaluated on */
	uint64_t matches;                /* of those, events it matched */
	/* Time spent evaluating it, in ns: measured on every 64th evaluation
	 * and scaled to all of them. */
	uint64_t ns;
	size_t :0;
};
#define EUN_LAST_eun_rule_info ns

/* Number of rules of the ruleset (after compile; before it, 0). */
EUN_API size_t eun_rules_rule_count(const struct eun_rules *r);

/* Fill out (its sz set by the caller) with rule i, in load order. 0,
 * -ERANGE past the end, -EINVAL for bad arguments. */
EUN_API int eun_rules_rule_at(const struct eun_rules *r, size_t i, struct eun_rule_info *out);

/* SHA-256, in lower-case hex, of the bytes of every loaded file and string
 * concatenated in load order (for files: the same as
 * `cat FILES... | sha256sum`). */
EUN_API const char *eun_rules_sha256(const struct eun_rules *r);

/* One alert: a rule that matched an event. Everything is borrowed for the
 * duration of the alert callback only. */
struct eun_alert {
	size_t sz;                       /* sizeof(struct eun_alert) */
	uint64_t ts;                     /* time of the event, ns since the Unix epoch */
	const char *rule;
	enum eun_rule_priority priority;
	const char *const *tags;
	size_t n_tags;
	const char *output;              /* the rule's output with its %fields filled in */
	/* JSON object of the %fields of the output and their values, e.g.
	 * {"proc.name":"cat","fd.name":"/etc/shadow"}; null for a value the
	 * event does not have. */
	const char *output_fields;
	const char *ruleset_sha256;      /* eun_rules_sha256() */
	const char *hostname;
	/* The event that triggered it. */
	const struct eun_event *event;
	const char *tracker;
	const char *type;
	uint32_t pid;
	const char *comm;
	const char *container_id;        /* "" for a host process */
	/* JSON object of the event's own fields (as eun_event_to_json() writes
	 * them, without the header columns). */
	const char *fields;
	size_t :0;
};
#define EUN_LAST_eun_alert fields

/* Receives each alert. Return 0 to go on; a negative value stops the
 * evaluation of the event, and eun_rules_eval() returns it. */
typedef int (*eun_alert_fn)(const struct eun_alert *alert, void *cookie);

/* Set the callback receiving the alerts (NULL: matches are only counted). */
EUN_API void eun_rules_set_alert_fn(struct eun_rules *r, eun_alert_fn fn, void *cookie);

/* What eun_rules_eval() should take instead of what the event says, for
 * events replayed from a recording. */
struct eun_rules_eval_opts {
	size_t sz;        /* sizeof(struct eun_rules_eval_opts) */
	/* Time of the event, ns since the Unix epoch; 0: eun_event_ts(). */
	uint64_t ts;
	/* The container the event came from (id "" for a host process);
	 * NULL: eun_event_container(). Borrowed for the call. */
	const struct eun_container_info *container;
	size_t :0;
};
#define EUN_LAST_eun_rules_eval_opts container

/* Evaluate the rules that can match ev (those indexed under its tracker and
 * event type) and hand an alert for each match to the alert callback. With
 * first_match, at most one. Call it from the ctx's event callback. Returns
 * the number of rules that matched, the alert callback's negative value,
 * -EINVAL if the ruleset is not compiled without errors, or -ENOMEM. */
EUN_API int eun_rules_eval(struct eun_rules *r, const struct eun_event *ev,
			   const struct eun_rules_eval_opts *opts);

/* The alert as one JSON object (snprintf semantics, no newline): time
 * (ISO 8601, UTC, ns), ts, rule, priority, tags, output, output_fields,
 * ruleset (sha256), hostname, then tracker, type, pid, comm, container_id
 * and fields of the event. */
EUN_API int eun_alert_to_json(const struct eun_alert *a, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_RULES_H */
