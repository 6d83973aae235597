/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Shared setup for the rule engine's unit tests: a context with the fixture
 * and the bundled plugins (schemas only, no kernel), rulesets from strings,
 * records built from a schema by field name, alerts captured. */
#ifndef EUN_TEST_RULES_HELPERS_H
#define EUN_TEST_RULES_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/rules.h>

/* The fixture plugin and the bundled ones (EUN_TEST_PLUGIN_DIR). */
struct eun_ctx *rules_ctx(void);

/* A ruleset compiled from yaml (file name "t.yaml"); compile must return want. */
struct eun_rules *rules_from(struct eun_ctx *ctx, const char *yaml, int want);

/* Every message of the load, one per line (static buffer), for assertions. */
const char *rules_messages(const struct eun_rules *r);

/* True if some message's text is exactly text. */
bool rules_has_message(const struct eun_rules *r, const char *text);

/* Rule `name`'s info (the test fails if there is none). */
struct eun_rule_info rules_info(const struct eun_rules *r, const char *name);

/* A record of tracker.type, zeroed, with a header (pid 100, uid 1000, comm "tester"). */
struct rec {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	const struct eun_event_type *type;
	unsigned char buf[8192];
};
void rec_init(struct rec *rc, struct eun_ctx *ctx, const char *tracker, const char *type);
void rec_str(struct rec *rc, const char *field, const char *value);
void rec_int(struct rec *rc, const char *field, int64_t value);
void rec_bytes(struct rec *rc, const char *field, const void *value, size_t n);
void rec_header(struct rec *rc, uint32_t pid, uint32_t uid, const char *comm);

/* What the alert callback saw. */
struct alerts {
	int n;
	char rules[16][128];     /* rule names in order */
	char json[16][4096];     /* eun_alert_to_json() of each */
	int stop_after;          /* return -ECANCELED from the n-th alert (0: never) */
};

/* Inject rc into its tracker and evaluate r on it (opts may be NULL);
 * returns what eun_rules_eval() returned. Alerts are added to al. */
int rules_feed(struct eun_rules *r, struct rec *rc, struct alerts *al, const struct eun_rules_eval_opts *opts);

#endif
