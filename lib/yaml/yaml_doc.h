/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * A YAML stream read into a tree of nodes that remember where they were
 * written (line and column), for files whose problems must be reported at
 * their place: rules files, and later configuration files. Built on
 * libyaml's event parser. Anchors and aliases are refused (they would let a
 * small file expand into a huge tree), and so are duplicate mapping keys.
 */
#ifndef EUNOMIA_YAML_DOC_H
#define EUNOMIA_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

enum ydoc_kind {
	YDOC_SCALAR = 0,
	YDOC_SEQ,
	YDOC_MAP,
};

/* How a scalar was written. */
enum ydoc_style {
	YDOC_PLAIN = 0,
	YDOC_SINGLE_QUOTED,
	YDOC_DOUBLE_QUOTED,
	YDOC_LITERAL, /* | block */
	YDOC_FOLDED,  /* > block */
};

struct ydoc_node {
	enum ydoc_kind kind;
	unsigned line, col;       /* 1-based, of the node's first character */
	size_t raw_off;           /* byte offset of that character in the text */
	/* Scalars: the value (NUL-terminated, len bytes; may hold NULs). */
	char *text;
	size_t len;
	enum ydoc_style style;
	/* Sequences: n items. Mappings: n pairs, items[2i] the key (a
	 * scalar) and items[2i+1] its value. */
	struct ydoc_node **items;
	size_t n;
};

/* A parsed stream: one root per document (an empty document has an empty plain scalar). */
struct ydoc {
	const char *text;         /* borrowed from the caller of ydoc_parse() */
	size_t len;
	size_t *line_off;         /* byte offset of the start of each line */
	size_t n_lines;
	struct ydoc_node **roots;
	size_t n_roots;
};

/* Where a parse failed, and why. */
struct ydoc_error {
	unsigned line, col;       /* 1-based */
	char msg[256];
};

/* Parse len bytes of UTF-8 text, which must stay valid as long as the
 * returned stream. 0 and *out set; -EINVAL with *err filled for bad YAML;
 * -ENOMEM. */
int ydoc_parse(const char *text, size_t len, struct ydoc **out, struct ydoc_error *err);

/* Free a stream and its nodes. NULL is ignored. */
void ydoc_free(struct ydoc *d);

/* The value of key in mapping map, or NULL. */
const struct ydoc_node *ydoc_map_get(const struct ydoc_node *map, const char *key);

/* Line and column (1-based) in the file of byte off of scalar n's value,
 * found by walking the written text alongside the value (indentation,
 * folded line breaks, quotes and escapes skipped). Off the end of the
 * value, the position just after its last character. */
void ydoc_scalar_pos(const struct ydoc *d, const struct ydoc_node *n, size_t off,
		     unsigned *line, unsigned *col);

/* "scalar", "sequence" or "mapping", for messages. */
const char *ydoc_kind_name(enum ydoc_kind k);

#endif /* EUNOMIA_YAML_DOC_H */
