/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The items of a rules file (- rule:, - macro:, - list:,
 * - required_engine_version:) applied in order to the ruleset's
 * definitions: a new name defines, a known one is replaced, or changed
 * key by key with override: {KEY: append|replace} (or the older
 * append: true).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_internal.h"

/* The item being applied, for messages. */
struct item {
	struct eun_rules *r;
	const struct rules_source *src;
	const struct ydoc_node *map;
	const char *kind;          /* "rule", "macro", "list" */
	const char *name;
};

#define ITEM_ERR(it, node, ...) \
	diag_add((it)->r, EUN_RULES_ERROR, &(struct src_loc){ .file = (it)->src->name, \
		 .line = (node)->line, .col = (node)->col }, (it)->kind, (it)->name, __VA_ARGS__)
#define ITEM_WARN(it, node, ...) \
	diag_add((it)->r, EUN_RULES_WARNING, &(struct src_loc){ .file = (it)->src->name, \
		 .line = (node)->line, .col = (node)->col }, (it)->kind, (it)->name, __VA_ARGS__)

static const char *const rule_keys[] = {
	"rule", "desc", "condition", "output", "priority", "tags", "enabled", "exceptions",
	"source", "override", "append", "warn_evttypes", "skip-if-unknown-filter",
	"capture", "capture_duration", "capture_events", "capture_filesize",
};
static const char *const macro_keys[] = { "macro", "condition", "override", "append" };
static const char *const list_keys[] = { "list", "items", "override", "append" };
/* Keys an override may append to, and those it may replace, per kind. */
static const char *const rule_append_keys[] = { "condition", "output", "desc", "tags", "exceptions" };
static const char *const rule_replace_keys[] = {
	"condition", "output", "desc", "priority", "tags", "exceptions", "enabled",
	"warn_evttypes", "skip-if-unknown-filter",
};
static const char *const priority_names[] = {
	"emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool in_set(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}

struct list_def *find_list(const struct eun_rules *r, const char *name, size_t len)
{
	for (size_t i = r->n_lists; i-- > 0;)
		if (strlen(r->lists[i]->name) == len && !memcmp(r->lists[i]->name, name, len))
			return r->lists[i];
	return NULL;
}

struct macro_def *find_macro(const struct eun_rules *r, const char *name)
{
	for (size_t i = r->n_macros; i-- > 0;)
		if (!strcmp(r->macros[i]->name, name))
			return r->macros[i];
	return NULL;
}

struct rule_def *find_rule(const struct eun_rules *r, const char *name)
{
	for (size_t i = r->n_rules; i-- > 0;)
		if (!strcmp(r->rules[i]->name, name))
			return r->rules[i];
	return NULL;
}

static void *oom(struct eun_rules *r)
{
	r->oom = true;
	return NULL;
}

/* A scalar's text, or an error naming key. */
static const char *scalar(struct item *it, const char *key, const struct ydoc_node *v)
{
	if (v->kind != YDOC_SCALAR) {
		ITEM_ERR(it, v, "'%s' must be a single value, not a %s", key, ydoc_kind_name(v->kind));
		return NULL;
	}
	return v->text;
}

/* A YAML boolean (true/false, yes/no, on/off); -1 with an error. */
static int boolean(struct item *it, const char *key, const struct ydoc_node *v)
{
	const char *s = scalar(it, key, v);

	if (!s)
		return -1;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on"))
		return 1;
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off"))
		return 0;
	ITEM_ERR(it, v, "'%s' must be true or false, not '%s'", key, s);
	return -1;
}

static struct text text_of(struct item *it, const struct ydoc_node *v)
{
	struct text t = { 0 };

	t.f = arena_alloc(&it->r->arena, sizeof(*t.f));
	if (!t.f)
		return (struct text){ (struct frag *)oom(it->r), 0 };
	t.f[0] = (struct frag){ it->src, v };
	t.n = 1;
	return t;
}

/* t followed by the fragments of more. */
static struct text text_cat(struct item *it, const struct text *t, const struct text *more)
{
	struct text out = { arena_alloc(&it->r->arena, (t->n + more->n) * sizeof(struct frag) + 1), 0 };

	if (!out.f)
		return (struct text){ (struct frag *)oom(it->r), 0 };
	mem_copy(out.f, t->f, t->n * sizeof(struct frag));
	mem_copy(out.f + t->n, more->f, more->n * sizeof(struct frag));
	out.n = t->n + more->n;
	return out;
}

/* The values of a sequence of scalars (items:, tags:). NULL+0 for an empty one. */
static int values_of(struct item *it, const char *key, const struct ydoc_node *v,
		     struct item_val **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (v->kind == YDOC_SCALAR && v->len == 0 && v->style == YDOC_PLAIN)
		return 0; /* key: (nothing) */
	if (v->kind != YDOC_SEQ) {
		ITEM_ERR(it, v, "'%s' must be a sequence such as [a, b]", key);
		return -1;
	}
	if (v->n && !(*out = arena_alloc(&it->r->arena, v->n * sizeof(**out))))
		return oom(it->r), -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct ydoc_node *e = v->items[i];

		if (e->kind != YDOC_SCALAR) {
			ITEM_ERR(it, e, "each entry of '%s' must be a single value, not a %s", key,
				 ydoc_kind_name(e->kind));
			return -1;
		}
		(*out)[i] = (struct item_val){ .text = e->text, .len = e->len,
			.quoted = e->style == YDOC_SINGLE_QUOTED || e->style == YDOC_DOUBLE_QUOTED,
			.loc = node_loc(it->src, e) };
	}
	*n = v->n;
	return 0;
}

/* Keys of the item must be known for its kind; a misspelled one gets a suggestion. */
static bool keys_known(struct item *it, const char *const *keys, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < it->map->n; i += 2) {
		const struct ydoc_node *k = it->map->items[i];
		const char *s;

		if (in_set(k->text, keys, n))
			continue;
		s = suggest(k->text, keys, n);
		if (s)
			ITEM_ERR(it, k, "unknown key '%s'; did you mean '%s'?", k->text, s);
		else
			ITEM_ERR(it, k, "unknown key '%s'", k->text);
		ok = false;
	}
	return ok;
}

/* The override: mapping, checked against the keys the item gives. NULL if none. */
static const struct ydoc_node *override_of(struct item *it, const char *const *app, size_t n_app,
					   const char *const *rep, size_t n_rep, bool *ok)
{
	const struct ydoc_node *ov = ydoc_map_get(it->map, "override");

	*ok = true;
	if (!ov)
		return NULL;
	if (ov->kind != YDOC_MAP) {
		ITEM_ERR(it, ov, "'override' must be a mapping such as {condition: append}");
		*ok = false;
		return NULL;
	}
	for (size_t i = 0; i < ov->n; i += 2) {
		const struct ydoc_node *k = ov->items[i], *v = ov->items[i + 1];
		bool append = v->kind == YDOC_SCALAR && !strcmp(v->text, "append");
		bool replace = v->kind == YDOC_SCALAR && !strcmp(v->text, "replace");

		if (!append && !replace) {
			ITEM_ERR(it, v, "override of '%s' must be append or replace", k->text);
			*ok = false;
		} else if (append && !in_set(k->text, app, n_app)) {
			ITEM_ERR(it, k, "'%s' cannot be appended to; %s", k->text,
				 in_set(k->text, rep, n_rep) ? "only replaced" : "it is no key to override");
			*ok = false;
		} else if (replace && !in_set(k->text, rep, n_rep)) {
			ITEM_ERR(it, k, "'%s' cannot be replaced%s", k->text,
				 in_set(k->text, app, n_app) ? "; only appended to" : ": it is no key to override");
			*ok = false;
		} else if (!ydoc_map_get(it->map, k->text)) {
			ITEM_ERR(it, k, "override names '%s', but the item gives no %s", k->text, k->text);
			*ok = false;
		}
	}
	for (size_t i = 0; i < it->map->n; i += 2) {
		const struct ydoc_node *k = it->map->items[i];

		if (!strcmp(k->text, it->kind) || !strcmp(k->text, "override") || !strcmp(k->text, "append"))
			continue;
		if (!ydoc_map_get(ov, k->text)) {
			ITEM_ERR(it, k, "'%s' is not named in override: (say %s: append or %s: replace)",
				 k->text, k->text, k->text);
			*ok = false;
		}
	}
	return ov;
}

/* "append" or "replace" for key in the override mapping (NULL if not there). */
static const char *override_mode(const struct ydoc_node *ov, const char *key)
{
	const struct ydoc_node *v = ydoc_map_get(ov, key);

	return v ? v->text : NULL;
}

/* ---- lists ---------------------------------------------------------- */

static void apply_list(struct item *it)
{
	struct eun_rules *r = it->r;
	const struct ydoc_node *items = ydoc_map_get(it->map, "items");
	const struct ydoc_node *app = ydoc_map_get(it->map, "append");
	struct list_def *old = find_list(r, it->name, strlen(it->name)), *l;
	bool ok, append = false;
	const struct ydoc_node *ov;
	struct item_val *vals;
	size_t n;

	if (!keys_known(it, list_keys, N(list_keys)))
		return;
	ov = override_of(it, (const char *const[]){ "items" }, 1, (const char *const[]){ "items" }, 1, &ok);
	if (!ok)
		return;
	if (app) {
		int b = boolean(it, "append", app);

		if (b < 0)
			return;
		if (ov) {
			ITEM_ERR(it, app, "give either append: or override:, not both");
			return;
		}
		append = b;
	}
	if (ov)
		append = !strcmp(override_mode(ov, "items"), "append");
	if (!items) {
		ITEM_ERR(it, it->map->items[0], "list has no 'items'");
		return;
	}
	if (values_of(it, "items", items, &vals, &n))
		return;
	if ((ov || append) && !old) {
		ITEM_ERR(it, it->map->items[0], "%s list '%s', but no earlier item defines it",
			 ov ? "overrides" : "appends to", it->name);
		return;
	}
	if (append) {
		struct item_val *all = arena_alloc(&r->arena, (old->n_items + n) * sizeof(*all) + 1);

		if (!all)
			return (void)oom(r);
		mem_copy(all, old->items, old->n_items * sizeof(*all));
		mem_copy(all + old->n_items, vals, n * sizeof(*all));
		old->items = all;
		old->n_items += n;
		return;
	}
	l = old ? old : arena_alloc(&r->arena, sizeof(*l));
	if (!l)
		return (void)oom(r);
	l->name = it->name;
	if (!old) {
		l->loc = node_loc(it->src, it->map->items[0]);
		if (ptr_push((void ***)&r->lists, &r->n_lists, l))
			return (void)oom(r);
	}
	l->items = vals;
	l->n_items = n;
}

/* ---- macros --------------------------------------------------------- */

static void apply_macro(struct item *it)
{
	struct eun_rules *r = it->r;
	const struct ydoc_node *cond = ydoc_map_get(it->map, "condition");
	const struct ydoc_node *app = ydoc_map_get(it->map, "append");
	struct macro_def *old = find_macro(r, it->name), *m;
	const struct ydoc_node *ov;
	bool ok, append = false;
	struct text t;

	if (!keys_known(it, macro_keys, N(macro_keys)))
		return;
	ov = override_of(it, (const char *const[]){ "condition" }, 1,
			 (const char *const[]){ "condition" }, 1, &ok);
	if (!ok)
		return;
	if (app) {
		int b = boolean(it, "append", app);

		if (b < 0)
			return;
		if (ov) {
			ITEM_ERR(it, app, "give either append: or override:, not both");
			return;
		}
		append = b;
	}
	if (ov)
		append = !strcmp(override_mode(ov, "condition"), "append");
	if (!cond) {
		ITEM_ERR(it, it->map->items[0], "macro has no 'condition'");
		return;
	}
	if (!scalar(it, "condition", cond))
		return;
	if ((ov || append) && !old) {
		ITEM_ERR(it, it->map->items[0], "%s macro '%s', but no earlier item defines it",
			 ov ? "overrides" : "appends to", it->name);
		return;
	}
	t = text_of(it, cond);
	if (!t.f)
		return;
	if (append) {
		old->cond = text_cat(it, &old->cond, &t);
		return;
	}
	m = old ? old : arena_alloc(&r->arena, sizeof(*m));
	if (!m)
		return (void)oom(r);
	m->name = it->name;
	if (!old) {
		m->loc = node_loc(it->src, it->map->items[0]);
		if (ptr_push((void ***)&r->macros, &r->n_macros, m))
			return (void)oom(r);
	}
	m->cond = t;
}

/* ---- rules ---------------------------------------------------------- */

static int priority_of(struct item *it, const struct ydoc_node *v)
{
	const char *s = scalar(it, "priority", v);
	const char *close;

	if (!s)
		return -1;
	for (size_t i = 0; i < N(priority_names); i++)
		if (!strcasecmp(s, priority_names[i]))
			return (int)i;
	if (!strcasecmp(s, "info"))
		return EUN_PRIORITY_INFORMATIONAL;
	close = suggest(s, priority_names, N(priority_names));
	if (close)
		ITEM_ERR(it, v, "unknown priority '%s'; did you mean '%s'?", s, close);
	else
		ITEM_ERR(it, v, "unknown priority '%s' (emergency, alert, critical, error, warning, "
			 "notice, informational or debug)", s);
	return -1;
}

static int tags_of(struct item *it, const struct ydoc_node *v, const char ***tags, size_t *n)
{
	struct item_val *vals;
	size_t nv;

	if (values_of(it, "tags", v, &vals, &nv))
		return -1;
	*tags = nv ? arena_alloc(&it->r->arena, nv * sizeof(char *)) : NULL;
	if (nv && !*tags)
		return oom(it->r), -1;
	for (size_t i = 0; i < nv; i++)
		(*tags)[i] = vals[i].text;
	*n = nv;
	return 0;
}

/* Add the tags not there yet. */
static void tags_append(struct item *it, struct rule_def *rule, const char **more, size_t n)
{
	const char **all = arena_alloc(&it->r->arena, (rule->n_tags + n) * sizeof(char *) + 1);
	size_t k = rule->n_tags;

	if (!all)
		return (void)oom(it->r);
	mem_copy(all, rule->tags, rule->n_tags * sizeof(char *));
	for (size_t i = 0; i < n; i++)
		if (!in_set(more[i], all, k))
			all[k++] = more[i];
	rule->tags = all;
	rule->n_tags = k;
}

/* Set (or, with append, extend) one key of rule from the item. -1 on error. */
static int rule_set(struct item *it, struct rule_def *rule, const char *key,
		    const struct ydoc_node *v, bool append)
{
	struct eun_rules *r = it->r;
	struct text t;
	int b;

	if (!strcmp(key, "condition") || !strcmp(key, "output")) {
		struct text *dst = key[0] == 'c' ? &rule->cond : &rule->output;

		if (!scalar(it, key, v))
			return -1;
		t = text_of(it, v);
		*dst = append && dst->n ? text_cat(it, dst, &t) : t;
		return 0;
	}
	if (!strcmp(key, "desc")) {
		if (!scalar(it, key, v))
			return -1;
		rule->desc = append && rule->desc ? arena_printf(&r->arena, "%s %s", rule->desc, v->text)
			     : v->text;
		return rule->desc ? 0 : (oom(r), -1);
	}
	if (!strcmp(key, "priority")) {
		int p = priority_of(it, v);

		if (p < 0)
			return -1;
		rule->priority = (enum eun_rule_priority)p;
		return 0;
	}
	if (!strcmp(key, "tags")) {
		const char **tags;
		size_t n;

		if (tags_of(it, v, &tags, &n))
			return -1;
		if (append)
			tags_append(it, rule, tags, n);
		else
			rule->tags = tags, rule->n_tags = n;
		return 0;
	}
	if (!strcmp(key, "exceptions")) {
		if (!append)
			rule->n_exc = 0;
		return exceptions_read(r, rule, it->src, v, append);
	}
	if (!strcmp(key, "enabled") || !strcmp(key, "warn_evttypes") ||
	    !strcmp(key, "skip-if-unknown-filter")) {
		/* skip-if-unknown-filter needs no action: a field this engine
		 * does not know never fails a load, it makes the rule not supported. */
		if ((b = boolean(it, key, v)) < 0)
			return -1;
		if (key[0] == 'e')
			rule->enabled = b;
		else if (key[0] == 'w')
			rule->warn_evttypes = b;
		return 0;
	}
	if (!strcmp(key, "source")) {
		if (!scalar(it, key, v))
			return -1;
		if (strcmp(v->text, "syscall"))
			ITEM_WARN(it, v, "source '%s' is ignored: rules are checked against the events "
				  "of the loaded trackers", v->text);
		return 0;
	}
	if (!strncmp(key, "capture", 7)) {
		ITEM_WARN(it, it->map->items[0], "'%s' is ignored: this engine makes no captures", key);
		return 0;
	}
	return 0; /* rule, override, append: handled by the caller */
}

/* Every key of the item, in order, onto rule. */
static void rule_set_all(struct item *it, struct rule_def *rule, const struct ydoc_node *ov, bool append)
{
	for (size_t i = 0; i < it->map->n; i += 2) {
		const char *key = it->map->items[i]->text;
		const char *mode = ov ? override_mode(ov, key) : NULL;

		if (!strcmp(key, "rule") || !strcmp(key, "override") || !strcmp(key, "append"))
			continue;
		rule_set(it, rule, key, it->map->items[i + 1], mode ? !strcmp(mode, "append") : append);
	}
}

static void apply_rule(struct item *it)
{
	struct eun_rules *r = it->r;
	const struct ydoc_node *app = ydoc_map_get(it->map, "append");
	struct rule_def *old = find_rule(r, it->name), *rule;
	const struct ydoc_node *ov;
	bool ok, append = false;
	size_t before = r->n_errors;

	if (!keys_known(it, rule_keys, N(rule_keys)))
		return;
	ov = override_of(it, rule_append_keys, N(rule_append_keys), rule_replace_keys,
			 N(rule_replace_keys), &ok);
	if (!ok)
		return;
	if (app) {
		int b = boolean(it, "append", app);

		if (b < 0)
			return;
		if (ov) {
			ITEM_ERR(it, app, "give either append: or override:, not both");
			return;
		}
		append = b;
	}
	if (append) {
		for (size_t i = 0; i < it->map->n; i += 2) {
			const char *key = it->map->items[i]->text;

			if (strcmp(key, "rule") && strcmp(key, "append") && strcmp(key, "condition") &&
			    strcmp(key, "exceptions")) {
				ITEM_ERR(it, it->map->items[i], "with append: true only condition and "
					 "exceptions can be given, not '%s' (use override:)", key);
				return;
			}
		}
	}
	if ((ov || append) && !old) {
		ITEM_ERR(it, it->map->items[0], "%s rule '%s', but no earlier item defines it",
			 ov ? "overrides" : "appends to", it->name);
		return;
	}
	if (ov || append) {
		rule_set_all(it, old, ov, append);
		return;
	}
	/* Only "enabled": switch an earlier rule on or off. */
	if (it->map->n == 4 && ydoc_map_get(it->map, "enabled")) {
		if (!old) {
			ITEM_ERR(it, it->map->items[0], "rule '%s' is not defined by an earlier item "
				 "(an item with only 'enabled' changes an earlier rule)", it->name);
			return;
		}
		rule_set(it, old, "enabled", ydoc_map_get(it->map, "enabled"), false);
		return;
	}
	/* A whole definition: new, or replacing an earlier one in its place. */
	ok = true;
	for (size_t i = 0; i < 3; i++) {
		const char *req = (const char *const[]){ "condition", "output", "priority" }[i];

		if (!ydoc_map_get(it->map, req)) {
			ITEM_ERR(it, it->map->items[0], "rule has no '%s'", req);
			ok = false;
		}
	}
	if (!ok)
		return;
	rule = arena_alloc(&r->arena, sizeof(*rule));
	if (!rule)
		return (void)oom(r);
	rule->name = it->name;
	rule->loc = node_loc(it->src, it->map->items[0]);
	rule->desc = "";
	rule->enabled = true;
	rule->warn_evttypes = true;
	rule_set_all(it, rule, NULL, false);
	/* Kept with its errors, so that compile reports its condition's too. */
	rule->broken = r->n_errors != before;
	if (old) {
		for (size_t i = 0; i < r->n_rules; i++)
			if (r->rules[i] == old)
				r->rules[i] = rule;
	} else if (ptr_push((void ***)&r->rules, &r->n_rules, rule)) {
		oom(r);
	}
}

/* ---- required_engine_version ---------------------------------------- */

/* "0.57.0" or an old integer engine version N (0.N.0) into three numbers. */
static bool version_parse(const char *s, unsigned long v[3])
{
	char *end;
	int parts = 0;

	v[0] = v[1] = v[2] = 0;
	if (!*s)
		return false;
	while (parts < 3) {
		if (*s < '0' || *s > '9')
			return false;
		v[parts++] = strtoul(s, &end, 10);
		s = end;
		if (*s != '.')
			break;
		s++;
	}
	if (*s)
		return false;
	if (parts == 1) { /* integer form */
		v[1] = v[0];
		v[0] = 0;
	}
	return true;
}

static void apply_engine_version(struct item *it, const struct ydoc_node *v)
{
	unsigned long want[3], have[3];
	const char *s;

	if (it->map->n != 2) {
		ITEM_ERR(it, it->map->items[2], "required_engine_version takes no other keys");
		return;
	}
	if (!(s = scalar(it, "required_engine_version", v)))
		return;
	if (!version_parse(s, want)) {
		ITEM_ERR(it, v, "required_engine_version '%s' is no version such as 0.31.0", s);
		return;
	}
	version_parse(eun_rules_engine_version(), have);
	for (int i = 0; i < 3; i++) {
		if (want[i] < have[i])
			return;
		if (want[i] > have[i]) {
			ITEM_ERR(it, v, "the file requires engine version %s; this engine reads files "
				 "of version %s and earlier", s, eun_rules_engine_version());
			return;
		}
	}
}

/* ---- one item, a whole source ---------------------------------------- */

static void apply_item(struct eun_rules *r, const struct rules_source *src, const struct ydoc_node *map)
{
	static const char *const kinds[] = { "rule", "macro", "list", "required_engine_version",
					     "required_plugin_versions" };
	struct item it = { .r = r, .src = src, .map = map };
	const struct ydoc_node *name = NULL;
	int kind = -1;

	if (map->kind != YDOC_MAP || map->n == 0) {
		diag_add(r, EUN_RULES_ERROR, &(struct src_loc){ src->name, map->line, map->col }, NULL, NULL,
			 "each item must be a mapping: - rule:, - macro:, - list: or - required_engine_version:");
		return;
	}
	for (size_t i = 0; i < N(kinds); i++) {
		if (!ydoc_map_get(map, kinds[i]))
			continue;
		if (kind >= 0) {
			diag_add(r, EUN_RULES_ERROR, &(struct src_loc){ src->name, map->line, map->col },
				 NULL, NULL, "an item cannot be both a %s and a %s", kinds[kind], kinds[i]);
			return;
		}
		kind = (int)i;
	}
	if (kind < 0) {
		const char *s = suggest(map->items[0]->text, kinds, N(kinds));

		diag_add(r, EUN_RULES_ERROR, &(struct src_loc){ src->name, map->items[0]->line, map->items[0]->col },
			 NULL, NULL, "unknown item '%s'%s%s%s", map->items[0]->text,
			 s ? "; did you mean '" : " (rule, macro, list or required_engine_version)",
			 s ? s : "", s ? "'?" : "");
		return;
	}
	name = ydoc_map_get(map, kinds[kind]);
	if (kind == 3) {
		it.kind = NULL;
		apply_engine_version(&it, name);
		return;
	}
	if (kind == 4) {
		diag_add(r, EUN_RULES_WARNING, &(struct src_loc){ src->name, map->line, map->col }, NULL, NULL,
			 "required_plugin_versions is ignored: this engine loads no Falco plugins; "
			 "each rule's fields are checked instead");
		return;
	}
	it.kind = kinds[kind];
	if (name->kind != YDOC_SCALAR || name->len == 0) {
		diag_add(r, EUN_RULES_ERROR, &(struct src_loc){ src->name, name->line, name->col }, NULL, NULL,
			 "the name of a %s must be a non-empty text", it.kind);
		return;
	}
	it.name = name->text;
	if (kind == 0)
		apply_rule(&it);
	else if (kind == 1)
		apply_macro(&it);
	else
		apply_list(&it);
}

void items_apply(struct eun_rules *r, const struct rules_source *src)
{
	for (size_t d = 0; d < src->doc->n_roots && !r->oom; d++) {
		const struct ydoc_node *root = src->doc->roots[d];

		if (root->kind == YDOC_SCALAR && root->len == 0 && root->style == YDOC_PLAIN)
			continue; /* an empty document */
		if (root->kind != YDOC_SEQ) {
			diag_add(r, EUN_RULES_ERROR, &(struct src_loc){ src->name, root->line, root->col },
				 NULL, NULL, "a rules file is a sequence of items (- rule:, - macro:, "
				 "- list:), not a %s", ydoc_kind_name(root->kind));
			continue;
		}
		for (size_t i = 0; i < root->n && !r->oom; i++)
			apply_item(r, src, root->items[i]);
	}
}
