/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A YAML stream into a tree of positioned nodes, with libyaml's event parser. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yaml/yaml_doc.h"

/* Deepest nesting of sequences and mappings accepted. */
#define MAX_DEPTH 100

/* The parse in progress: collections still open, innermost last. */
struct builder {
	struct ydoc *d;
	struct ydoc_node *stack[MAX_DEPTH];
	size_t depth;
	struct ydoc_error *err;
};

static void node_free(struct ydoc_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		node_free(n->items[i]);
	free(n->items);
	free(n->text);
	free(n);
}

void ydoc_free(struct ydoc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_roots; i++)
		node_free(d->roots[i]);
	free(d->roots);
	free(d->line_off);
	free(d);
}

const char *ydoc_kind_name(enum ydoc_kind k)
{
	switch (k) {
	case YDOC_SCALAR: return "scalar";
	case YDOC_SEQ: return "sequence";
	case YDOC_MAP: return "mapping";
	}
	return "node";
}

/* Append p to a growing pointer array. 0 or -ENOMEM. */
static int push_ptr(void ***arr, size_t *n, void *p)
{
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4...: full, double it */
		void **bigger = realloc(*arr, (*n ? *n * 2 : 1) * sizeof(void *));

		if (!bigger)
			return -ENOMEM;
		*arr = bigger;
	}
	(*arr)[(*n)++] = p;
	return 0;
}

static int set_err(struct ydoc_error *err, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set_err(struct ydoc_error *err, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Byte offset of 0-based (line, column in characters) in the text. */
static size_t offset_of(const struct ydoc *d, size_t line, size_t col)
{
	size_t off;

	if (line >= d->n_lines)
		return d->len;
	off = d->line_off[line];
	while (col > 0 && off < d->len && d->text[off] != '\n') {
		off++;
		while (off < d->len && ((unsigned char)d->text[off] & 0xc0) == 0x80)
			off++; /* continuation bytes of one character */
		col--;
	}
	return off;
}

static struct ydoc_node *node_new(struct builder *b, enum ydoc_kind kind, const yaml_mark_t *m)
{
	struct ydoc_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	n->raw_off = offset_of(b->d, m->line, m->column);
	return n;
}

/* Hang n under the innermost open collection, or make it a document root. */
static int attach(struct builder *b, struct ydoc_node *n)
{
	struct ydoc_node *parent = b->depth ? b->stack[b->depth - 1] : NULL;
	int err;

	if (!parent) {
		err = push_ptr((void ***)&b->d->roots, &b->d->n_roots, n);
	} else {
		if (parent->kind == YDOC_MAP && parent->n % 2 == 0 && n->kind != YDOC_SCALAR) {
			set_err(b->err, n->line, n->col, "a mapping key must be a scalar, not a %s",
				ydoc_kind_name(n->kind));
			node_free(n);
			return -EINVAL;
		}
		err = push_ptr((void ***)&parent->items, &parent->n, n);
	}
	if (err)
		node_free(n);
	return err;
}

/* Order of two keys of a mapping, by text, then by place. */
static int key_cmp(const void *a, const void *b)
{
	const struct ydoc_node *x = *(struct ydoc_node *const *)a, *y = *(struct ydoc_node *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->text, y->text, n);

	if (c || x->len != y->len)
		return c ? c : (x->len < y->len ? -1 : 1);
	return x->raw_off < y->raw_off ? -1 : 1;
}

/* Refuse a key given twice in mapping m (reported at its second place). */
static int check_duplicate_keys(struct builder *b, const struct ydoc_node *m)
{
	size_t n = m->n / 2;
	struct ydoc_node **keys;
	int err = 0;

	if (n < 2)
		return 0;
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		keys[i] = m->items[2 * i];
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n && !err; i++)
		if (keys[i]->len == keys[i - 1]->len && !memcmp(keys[i]->text, keys[i - 1]->text, keys[i]->len))
			err = set_err(b->err, keys[i]->line, keys[i]->col,
				      "duplicate key '%s' (first given at line %u)", keys[i]->text,
				      keys[i - 1]->line);
	free(keys);
	return err;
}

static enum ydoc_style style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YDOC_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YDOC_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE: return YDOC_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return YDOC_FOLDED;
	default: return YDOC_PLAIN;
	}
}

/* Refuse an anchor (the aliases that would refer to it are refused too). */
static int no_anchor(struct builder *b, const yaml_char_t *anchor, const yaml_mark_t *m)
{
	if (!anchor)
		return 0;
	return set_err(b->err, (unsigned)m->line + 1, (unsigned)m->column + 1,
		       "YAML anchors (&%s) and aliases are not supported", (const char *)anchor);
}

/* Apply one parser event to the tree. 1 at the end of the stream, 0 to go on, or -errno. */
static int on_event(struct builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct ydoc_node *n;
	int err;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_ALIAS_EVENT:
		return set_err(b->err, (unsigned)m->line + 1, (unsigned)m->column + 1,
			       "YAML aliases (*%s) are not supported", (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if ((err = no_anchor(b, ev->data.scalar.anchor, m)))
			return err;
		n = node_new(b, YDOC_SCALAR, m);
		if (!n)
			return -ENOMEM;
		n->style = style_of(ev->data.scalar.style);
		n->len = ev->data.scalar.length;
		n->text = malloc(n->len + 1);
		if (!n->text) {
			node_free(n);
			return -ENOMEM;
		}
		memcpy(n->text, ev->data.scalar.value, n->len);
		n->text[n->len] = '\0';
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if ((err = no_anchor(b, ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor
						   : ev->data.mapping_start.anchor, m)))
			return err;
		if (b->depth == MAX_DEPTH)
			return set_err(b->err, (unsigned)m->line + 1, (unsigned)m->column + 1,
				       "nested deeper than %d levels", MAX_DEPTH);
		n = node_new(b, ev->type == YAML_SEQUENCE_START_EVENT ? YDOC_SEQ : YDOC_MAP, m);
		if (!n)
			return -ENOMEM;
		if ((err = attach(b, n)))
			return err;
		b->stack[b->depth++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
		b->depth--;
		return 0;
	case YAML_MAPPING_END_EVENT:
		n = b->stack[--b->depth];
		return check_duplicate_keys(b, n);
	default:
		return 0;
	}
}

/* Offsets of the line starts of the text. 0 or -ENOMEM. */
static int index_lines(struct ydoc *d)
{
	size_t n = 1;

	for (size_t i = 0; i < d->len; i++)
		n += d->text[i] == '\n';
	d->line_off = malloc(n * sizeof(*d->line_off));
	if (!d->line_off)
		return -ENOMEM;
	d->line_off[0] = 0;
	d->n_lines = 1;
	for (size_t i = 0; i < d->len; i++)
		if (d->text[i] == '\n')
			d->line_off[d->n_lines++] = i + 1;
	return 0;
}

int ydoc_parse(const char *text, size_t len, struct ydoc **out, struct ydoc_error *err)
{
	struct builder b = { .err = err };
	yaml_parser_t p;
	yaml_event_t ev;
	int r = 0;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	b.d = calloc(1, sizeof(*b.d));
	if (!b.d)
		return -ENOMEM;
	b.d->text = text;
	b.d->len = len;
	if (index_lines(b.d) || !yaml_parser_initialize(&p)) {
		ydoc_free(b.d);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	while (r == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR)
				r = -ENOMEM;
			else
				r = set_err(err, (unsigned)p.problem_mark.line + 1,
					    (unsigned)p.problem_mark.column + 1, "%s%s%s",
					    p.problem ? p.problem : "invalid YAML",
					    p.context ? " " : "", p.context ? p.context : "");
			break;
		}
		r = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (r < 0) {
		ydoc_free(b.d);
		return r;
	}
	*out = b.d;
	return 0;
}

const struct ydoc_node *ydoc_map_get(const struct ydoc_node *map, const char *key)
{
	size_t klen = strlen(key);

	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->len == klen && !memcmp(map->items[i]->text, key, klen))
			return map->items[i + 1];
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Bytes of the UTF-8 character that starts with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Bytes of the written escape sequence at s (after its backslash's place). */
static size_t escape_len(char c)
{
	return c == 'x' ? 4 : c == 'u' ? 6 : c == 'U' ? 10 : 2;
}

/* Byte offset in the text where the content of scalar n starts. */
static size_t content_start(const struct ydoc *d, const struct ydoc_node *n)
{
	size_t r = n->raw_off;

	switch (n->style) {
	case YDOC_SINGLE_QUOTED:
	case YDOC_DOUBLE_QUOTED:
		return r + 1;
	case YDOC_LITERAL:
	case YDOC_FOLDED:
		while (r < d->len && d->text[r] != '\n') /* the indicator line */
			r++;
		return r;
	default:
		return r;
	}
}

void ydoc_scalar_pos(const struct ydoc *d, const struct ydoc_node *n, size_t off,
		     unsigned *line, unsigned *col)
{
	size_t r = content_start(d, n), v = 0, lo = 0, hi = d->n_lines, c = 1;
	const char *raw = d->text;

	if (off > n->len)
		off = n->len;
	while (v < off && r < d->len) {
		if (n->style == YDOC_DOUBLE_QUOTED && raw[r] == '\\') {
			if (r + 1 < d->len && raw[r + 1] == '\n') { /* an escaped line break: no value byte */
				r += 2;
				while (r < d->len && is_blank(raw[r]))
					r++;
				continue;
			}
			r += r + 1 < d->len ? escape_len(raw[r + 1]) : 1;
			v += utf8_len((unsigned char)n->text[v]);
			continue;
		}
		if (n->style == YDOC_SINGLE_QUOTED && raw[r] == '\'' && r + 1 < d->len && raw[r + 1] == '\'') {
			r += 2;
			v++;
			continue;
		}
		if (is_blank(n->text[v])) {
			v++;
			while (r < d->len && is_blank(raw[r]))
				r++;
			continue;
		}
		while (r < d->len && is_blank(raw[r]))
			r++;
		r += utf8_len((unsigned char)n->text[v]);
		v += utf8_len((unsigned char)n->text[v]);
	}
	if (off < n->len && !is_blank(n->text[off]))
		while (r < d->len && is_blank(raw[r]))
			r++;
	if (r > d->len)
		r = d->len;
	/* The last line starting at or before r. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (d->line_off[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	for (size_t i = d->line_off[lo]; i < r; i += utf8_len((unsigned char)raw[i]))
		c++;
	*line = (unsigned)lo + 1;
	*col = (unsigned)c;
}
