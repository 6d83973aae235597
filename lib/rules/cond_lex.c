/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Tokens of a condition. Falco's conditions mix field names, operators and
 * bare values such as /etc/shadow or 10.0.0.0/8, so the parser says what it
 * expects next and bare text is cut accordingly:
 *   fields stop at blanks, ( ) , quotes and = < > ! (a [...] argument is kept whole);
 *   operators are = == != < <= > >= or words;
 *   values stop at blanks and ( ) , ; quoted ones take \\ and \" (or \') escapes.
 */
#include <string.h>

#include "rules/rules_internal.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_symbol(char c)
{
	return c == '=' || c == '<' || c == '>' || c == '!';
}

static struct token tok(enum tok_kind k, size_t start, size_t len)
{
	return (struct token){ .kind = k, .start = start, .len = len };
}

static struct token lex_error(struct lexer *lx, size_t start, const char *why)
{
	lx->error = why;
	return tok(TOK_ERROR, start, 1);
}

/* A quoted value from lx->pos (at the quote), unescaped into lx->value. */
static struct token lex_string(struct lexer *lx)
{
	size_t start = lx->pos;
	char q = lx->s[lx->pos++];

	sb_reset(&lx->value);
	while (lx->pos < lx->len && lx->s[lx->pos] != q) {
		char c = lx->s[lx->pos];

		if (c == '\\' && lx->pos + 1 < lx->len && (lx->s[lx->pos + 1] == q || lx->s[lx->pos + 1] == '\\')) {
			c = lx->s[lx->pos + 1];
			lx->pos++;
		}
		sb_add(&lx->value, &c, 1);
		lx->pos++;
	}
	if (lx->pos >= lx->len)
		return lex_error(lx, start, "this quoted value has no closing quote");
	lx->pos++;
	if (!lx->value.buf)
		sb_add(&lx->value, "", 0);
	return tok(TOK_STRING, start, lx->pos - start);
}

struct token lex_next(struct lexer *lx, enum lex_mode mode)
{
	size_t start;
	char c;

	while (lx->pos < lx->len && blank(lx->s[lx->pos]))
		lx->pos++;
	start = lx->pos;
	if (start >= lx->len)
		return tok(TOK_END, start, 0);
	c = lx->s[start];
	switch (c) {
	case '(':
		lx->pos++;
		return tok(TOK_LPAREN, start, 1);
	case ')':
		lx->pos++;
		return tok(TOK_RPAREN, start, 1);
	case ',':
		lx->pos++;
		return tok(TOK_COMMA, start, 1);
	case '"':
	case '\'':
		return lex_string(lx);
	}
	if (mode != LEX_VALUE && is_symbol(c)) {
		size_t n = lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '=' ? 2 : 1;

		if (n == 1 && c == '!')
			return lex_error(lx, start, "'!' is no operator; use != or not");
		lx->pos += n;
		return tok(TOK_SYMBOL, start, n);
	}
	while (lx->pos < lx->len) {
		c = lx->s[lx->pos];
		if (blank(c) || c == '(' || c == ')' || c == ',')
			break;
		if (mode != LEX_VALUE && (is_symbol(c) || c == '"' || c == '\''))
			break;
		if (mode == LEX_FIELD && c == '[') {
			const char *close = memchr(lx->s + lx->pos, ']', lx->len - lx->pos);

			if (!close)
				return lex_error(lx, lx->pos, "this '[' has no closing ']'");
			lx->pos = (size_t)(close - lx->s);
		}
		lx->pos++;
	}
	return tok(TOK_WORD, start, lx->pos - start);
}
