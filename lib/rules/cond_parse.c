/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Conditions into ASTs:
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | FIELD OP [VALUE | '(' VALUE, ... ')'] | FIELD exists | MACRO
 * The first syntax error of a condition is reported with its place; the
 * nesting is capped at RULES_MAX_PARSE_DEPTH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_internal.h"

static const struct {
	const char *name;
	int op;
} ops[] = {
	{ "=", OP_EQ }, { "==", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT }, { "<=", OP_LE },
	{ ">", OP_GT }, { ">=", OP_GE }, { "in", OP_IN }, { "contains", OP_CONTAINS },
	{ "icontains", OP_ICONTAINS }, { "startswith", OP_STARTSWITH }, { "endswith", OP_ENDSWITH },
	{ "glob", OP_GLOB }, { "pmatch", OP_PMATCH }, { "exists", OP_EXISTS },
	/* Falco's, not this engine's: a rule using them is not supported. */
	{ "bcontains", OP_UNSUPPORTED }, { "bstartswith", OP_UNSUPPORTED }, { "iglob", OP_UNSUPPORTED },
	{ "regex", OP_UNSUPPORTED }, { "intersects", OP_UNSUPPORTED },
};

/* Falco's field transformers, reported as not available. */
static const char *const transformers[] = {
	"tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt", "val",
};

int cmp_op_lookup(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i].name) == n && !memcmp(ops[i].name, name, n))
			return ops[i].op;
	return -1;
}

struct parser {
	struct eun_rules *r;
	struct cond_src cs;
	struct lexer lx;
	const char *kind, *item;
	bool failed;
};

int cond_src_init(struct cond_src *cs, const struct text *t)
{
	memset(cs, 0, sizeof(*cs));
	cs->frags = t;
	cs->starts = calloc(t->n ? t->n : 1, sizeof(*cs->starts));
	if (!cs->starts)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			sb_add(&cs->text, " ", 1);
		cs->starts[i] = cs->text.len;
		sb_add(&cs->text, t->f[i].node->text, t->f[i].node->len);
	}
	return cs->text.failed ? -ENOMEM : 0;
}

void cond_src_free(struct cond_src *cs)
{
	sb_free(&cs->text);
	free(cs->starts);
	cs->starts = NULL;
}

struct src_loc cond_loc(const struct cond_src *cs, size_t off)
{
	size_t i = 0;
	struct src_loc loc;
	const struct frag *f;

	while (i + 1 < cs->frags->n && cs->starts[i + 1] <= off)
		i++;
	f = &cs->frags->f[i];
	loc.file = f->src->name;
	ydoc_scalar_pos(f->src->doc, f->node, off - cs->starts[i], &loc.line, &loc.col);
	return loc;
}

/* Report the condition's first syntax error, at byte off. */
static void *syntax_error(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void *syntax_error(struct parser *p, size_t off, const char *fmt, ...)
{
	struct src_loc loc;
	char msg[512];
	va_list ap;

	if (p->failed)
		return NULL;
	p->failed = true;
	loc = cond_loc(&p->cs, off);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(p->r, EUN_RULES_ERROR, &loc, p->kind, p->item, "%s", msg);
	return NULL;
}

static struct ast *new_node(struct parser *p, enum ast_kind kind, size_t off)
{
	struct ast *n = arena_alloc(&p->r->arena, sizeof(*n));

	if (!n) {
		p->r->oom = true;
		p->failed = true;
		return NULL;
	}
	n->kind = kind;
	n->loc = cond_loc(&p->cs, off);
	return n;
}

static char *tok_text(struct parser *p, struct token t)
{
	char *s = arena_strndup(&p->r->arena, p->lx.s + t.start, t.len);

	if (!s)
		p->r->oom = p->failed = true;
	return s;
}

/* The token as it reads, for messages ("end of the condition" for none). */
static const char *tok_desc(struct parser *p, struct token t, char *buf, size_t size)
{
	if (t.kind == TOK_END)
		return "the end of the condition";
	snprintf(buf, size, "'%.*s'", (int)(t.len > 40 ? 40 : t.len), p->lx.s + t.start);
	return buf;
}

static struct token peek(struct parser *p, enum lex_mode mode)
{
	size_t pos = p->lx.pos;
	struct token t = lex_next(&p->lx, mode);

	p->lx.pos = pos;
	return t;
}

static bool is_word(struct parser *p, struct token t, const char *w)
{
	return t.kind == TOK_WORD && t.len == strlen(w) && !memcmp(p->lx.s + t.start, w, t.len);
}

static bool transformer_name(struct parser *p, struct token t)
{
	for (size_t i = 0; i < sizeof(transformers) / sizeof(transformers[0]); i++)
		if (is_word(p, t, transformers[i]))
			return true;
	return false;
}

/* After NAME, a '(' right away: skip to its matching ')'. Returns the end offset. */
static bool skip_call(struct parser *p, struct token name, size_t *end)
{
	size_t depth = 0, i = name.start + name.len;

	for (; i < p->lx.len; i++) {
		if (p->lx.s[i] == '(')
			depth++;
		else if (p->lx.s[i] == ')' && --depth == 0)
			break;
	}
	if (i >= p->lx.len) {
		syntax_error(p, name.start, "'%.*s(' has no closing ')'", (int)name.len, p->lx.s + name.start);
		return false;
	}
	p->lx.pos = i + 1;
	*end = i + 1;
	return true;
}

/* One value token (quoted or bare) into v. */
static bool value_of(struct parser *p, struct token t, struct item_val *v)
{
	v->quoted = t.kind == TOK_STRING;
	if (v->quoted) {
		v->len = p->lx.value.len;
		v->text = arena_strndup(&p->r->arena, p->lx.value.buf ? p->lx.value.buf : "", v->len);
	} else {
		v->len = t.len;
		v->text = arena_strndup(&p->r->arena, p->lx.s + t.start, t.len);
	}
	v->loc = cond_loc(&p->cs, t.start + (v->quoted ? 1 : 0));
	if (!v->text)
		p->r->oom = p->failed = true;
	return v->text != NULL;
}

/* (a, b, ...) after its '(' into n's values. */
static bool parse_list(struct parser *p, struct ast *n, struct token open)
{
	struct item_val *vals = NULL;
	size_t count = 0, cap = 0;
	char buf[64];

	n->list = true;
	if (peek(p, LEX_VALUE).kind == TOK_RPAREN) {
		lex_next(&p->lx, LEX_VALUE);
		return true;
	}
	for (;;) {
		struct token t = lex_next(&p->lx, LEX_VALUE);

		if (t.kind == TOK_ERROR)
			return syntax_error(p, t.start, "%s", p->lx.error), false;
		if (t.kind != TOK_WORD && t.kind != TOK_STRING)
			return syntax_error(p, t.start, "expected a value in the list opened at column %u, "
					    "found %s", cond_loc(&p->cs, open.start).col,
					    tok_desc(p, t, buf, sizeof(buf))), false;
		if (count == cap) {
			struct item_val *bigger = arena_alloc(&p->r->arena, (cap ? cap * 2 : 8) * sizeof(*bigger));

			if (!bigger)
				return p->r->oom = p->failed = true, false;
			if (count)
				memcpy(bigger, vals, count * sizeof(*vals));
			vals = bigger;
			cap = cap ? cap * 2 : 8;
		}
		if (!value_of(p, t, &vals[count++]))
			return false;
		t = lex_next(&p->lx, LEX_VALUE);
		if (t.kind == TOK_RPAREN)
			break;
		if (t.kind != TOK_COMMA)
			return syntax_error(p, t.start, "expected ',' or ')' in the list, found %s",
					    tok_desc(p, t, buf, sizeof(buf))), false;
	}
	n->vals = vals;
	n->n_vals = count;
	return true;
}

/* The value(s) of comparison n after its operator. */
static bool parse_values(struct parser *p, struct ast *n)
{
	struct token t = lex_next(&p->lx, LEX_VALUE);
	char buf[64];

	if (t.kind == TOK_ERROR)
		return syntax_error(p, t.start, "%s", p->lx.error), false;
	if (t.kind == TOK_LPAREN)
		return parse_list(p, n, t);
	if (t.kind != TOK_WORD && t.kind != TOK_STRING)
		return syntax_error(p, t.start, "expected a value after '%s', found %s", n->op_name,
				    tok_desc(p, t, buf, sizeof(buf))), false;
	if (t.kind == TOK_WORD && transformer_name(p, t) && p->lx.pos < p->lx.len &&
	    p->lx.s[p->lx.pos] == '(') {
		size_t end;

		if (!skip_call(p, t, &end))
			return false;
		n->unsupported = arena_printf(&p->r->arena, "field transformer %.*s()", (int)t.len,
					      p->lx.s + t.start);
		return n->unsupported != NULL;
	}
	n->vals = arena_alloc(&p->r->arena, sizeof(*n->vals));
	if (!n->vals)
		return p->r->oom = p->failed = true, false;
	n->n_vals = 1;
	return value_of(p, t, &n->vals[0]);
}

static struct ast *parse_expr(struct parser *p, int depth);

/* FIELD OP VALUE, FIELD exists, or a macro name. */
static struct ast *parse_primary(struct parser *p, int depth)
{
	struct token t = lex_next(&p->lx, LEX_FIELD), op;
	const char *unsupported = NULL;
	struct ast *n;
	size_t field_end;
	char buf[64];
	int code;

	if (t.kind == TOK_ERROR)
		return syntax_error(p, t.start, "%s", p->lx.error);
	if (t.kind == TOK_LPAREN) {
		if (depth >= RULES_MAX_PARSE_DEPTH)
			return syntax_error(p, t.start, "the condition nests deeper than %d levels",
					    RULES_MAX_PARSE_DEPTH);
		n = parse_expr(p, depth + 1);
		if (!n)
			return NULL;
		op = lex_next(&p->lx, LEX_OPERATOR);
		if (op.kind != TOK_RPAREN)
			return syntax_error(p, op.start, "expected ')' to close the '(' at column %u, found %s",
					    cond_loc(&p->cs, t.start).col, tok_desc(p, op, buf, sizeof(buf)));
		return n;
	}
	if (t.kind == TOK_STRING)
		return syntax_error(p, t.start, "expected a field or a macro, found the quoted value %s",
				    tok_desc(p, t, buf, sizeof(buf)));
	if (t.kind != TOK_WORD)
		return syntax_error(p, t.start, "expected a field, a macro, 'not' or '(', found %s",
				    tok_desc(p, t, buf, sizeof(buf)));
	if (is_word(p, t, "and") || is_word(p, t, "or"))
		return syntax_error(p, t.start, "expected a field, a macro, 'not' or '(' before '%.*s'",
				    (int)t.len, p->lx.s + t.start);
	field_end = t.start + t.len;
	if (transformer_name(p, t) && p->lx.pos < p->lx.len && p->lx.s[p->lx.pos] == '(') {
		if (!skip_call(p, t, &field_end))
			return NULL;
		unsupported = arena_printf(&p->r->arena, "field transformer %.*s()", (int)t.len,
					   p->lx.s + t.start);
	}
	op = peek(p, LEX_OPERATOR);
	code = op.kind == TOK_SYMBOL || op.kind == TOK_WORD ? cmp_op_lookup(p->lx.s + op.start, op.len) : -1;
	if (code < 0) {
		if (unsupported || memchr(p->lx.s + t.start, '.', t.len) || memchr(p->lx.s + t.start, '[', t.len)) {
			if (op.kind == TOK_ERROR)
				return syntax_error(p, op.start, "%s", p->lx.error);
			return syntax_error(p, op.start, "expected an operator after '%.*s' (=, !=, <, in, "
					    "contains, startswith, exists...), found %s",
					    (int)(field_end - t.start), p->lx.s + t.start,
					    tok_desc(p, op, buf, sizeof(buf)));
		}
		n = new_node(p, AST_MACRO, t.start);
		if (n && !(n->name = tok_text(p, t)))
			return NULL;
		return n;
	}
	lex_next(&p->lx, LEX_OPERATOR);
	n = new_node(p, AST_CMP, t.start);
	if (!n)
		return NULL;
	n->field = arena_strndup(&p->r->arena, p->lx.s + t.start, field_end - t.start);
	n->field_loc = n->loc;
	n->op = (enum cmp_op)code;
	n->op_name = tok_text(p, op);
	n->op_loc = cond_loc(&p->cs, op.start);
	n->unsupported = unsupported;
	if (!n->field || !n->op_name)
		return p->r->oom = p->failed = true, NULL;
	if (n->op == OP_EXISTS)
		return n;
	if (n->op == OP_UNSUPPORTED) {
		/* Read its value(s) all the same, to check what follows. */
		if (!parse_values(p, n))
			return NULL;
		return n;
	}
	return parse_values(p, n) ? n : NULL;
}

static struct ast *parse_unary(struct parser *p, int depth)
{
	struct token t = peek(p, LEX_FIELD);
	struct ast *n, *a;

	if (!is_word(p, t, "not"))
		return parse_primary(p, depth);
	if (depth >= RULES_MAX_PARSE_DEPTH)
		return syntax_error(p, t.start, "the condition nests deeper than %d levels",
				    RULES_MAX_PARSE_DEPTH);
	lex_next(&p->lx, LEX_FIELD);
	a = parse_unary(p, depth + 1);
	if (!a)
		return NULL;
	n = new_node(p, AST_NOT, t.start);
	if (n)
		n->a = a;
	return n;
}

/* term ((KEYWORD) term)* for 'and' (over unary) or 'or' (over and). */
static struct ast *parse_chain(struct parser *p, int depth, const char *kw, enum ast_kind kind)
{
	struct ast *left = kind == AST_AND ? parse_unary(p, depth) : parse_chain(p, depth, "and", AST_AND);

	while (left) {
		struct token t = peek(p, LEX_OPERATOR);
		struct ast *right, *n;

		if (!is_word(p, t, kw))
			break;
		lex_next(&p->lx, LEX_OPERATOR);
		right = kind == AST_AND ? parse_unary(p, depth) : parse_chain(p, depth, "and", AST_AND);
		if (!right)
			return NULL;
		n = new_node(p, kind, t.start);
		if (!n)
			return NULL;
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static struct ast *parse_expr(struct parser *p, int depth)
{
	return parse_chain(p, depth, "or", AST_OR);
}

struct ast *cond_parse(struct eun_rules *r, const struct text *t, const char *kind, const char *item)
{
	struct parser p = { .r = r, .kind = kind, .item = item };
	struct ast *a = NULL;
	struct token end;
	char buf[64];

	if (cond_src_init(&p.cs, t)) {
		r->oom = true;
		goto out;
	}
	p.lx.s = p.cs.text.buf ? p.cs.text.buf : "";
	p.lx.len = p.cs.text.len;
	if (peek(&p, LEX_FIELD).kind == TOK_END) {
		if (t->n)
			syntax_error(&p, 0, "the condition is empty");
		goto out;
	}
	a = parse_expr(&p, 0);
	if (a) {
		end = lex_next(&p.lx, LEX_OPERATOR);
		if (end.kind == TOK_ERROR)
			a = syntax_error(&p, end.start, "%s", p.lx.error);
		else if (end.kind != TOK_END)
			a = syntax_error(&p, end.start, "expected 'and', 'or' or the end of the condition, "
					 "found %s", tok_desc(&p, end, buf, sizeof(buf)));
	}
out:
	cond_src_free(&p.cs);
	sb_free(&p.lx.value);
	return p.failed ? NULL : a;
}
