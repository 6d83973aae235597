/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Output templates: text with %field references (%proc.name, %files.path,
 * %proc.aname[2]). A field the engine has no data for renders as <NA>, as
 * in Falco (the compile warns about it); an unknown one is an error.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "rules/rules_internal.h"

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Length of the field name at s (n bytes available): letters, digits, _ and
 * inner dots, then an optional [argument]. */
static size_t name_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && name_char(s[i]))
		i++;
	while (i > 0 && s[i - 1] == '.')
		i--;
	if (i < n && s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);

		if (close)
			i = (size_t)(close - s) + 1;
	}
	return i;
}

static int seg_add(struct eun_rules *r, struct out_tmpl *t, size_t *cap, struct out_seg seg)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct out_seg *bigger = arena_alloc(&r->arena, ncap * sizeof(*bigger));

		if (!bigger)
			return r->oom = true, -ENOMEM;
		if (t->n)
			memcpy(bigger, t->segs, t->n * sizeof(*bigger));
		t->segs = bigger;
		*cap = ncap;
	}
	t->segs[t->n++] = seg;
	return 0;
}

struct out_tmpl *output_parse(struct eun_rules *r, struct rule_def *rule)
{
	struct out_tmpl *t = arena_alloc(&r->arena, sizeof(*t));
	struct cond_src cs;
	size_t cap = 0, lit = 0;
	const char *s;

	if (!t || cond_src_init(&cs, &rule->output))
		return r->oom = true, NULL;
	s = arena_strndup(&r->arena, cs.text.buf ? cs.text.buf : "", cs.text.len);
	if (!s)
		goto oom;
	for (size_t i = 0; i < cs.text.len; i++) {
		struct field_res *res;
		size_t n;
		char *name;

		if (s[i] != '%' || i + 1 >= cs.text.len || !name_start(s[i + 1]))
			continue;
		n = name_len(s + i + 1, cs.text.len - i - 1);
		name = arena_strndup(&r->arena, s + i + 1, n);
		if (!name || !(res = field_resolve(r, name)))
			goto oom;
		if (res->status == RES_ERROR) {
			struct src_loc loc = cond_loc(&cs, i);

			diag_add(r, EUN_RULES_ERROR, &loc, "rule", rule->name, "output: %s", res->why);
		} else if (res->status == RES_UNAVAILABLE) {
			if (!t->n_missing)
				t->missing_loc = cond_loc(&cs, i);
			missing_add(&t->missing, &t->n_missing, res->missing);
		}
		if (seg_add(r, t, &cap, (struct out_seg){ s + lit, i - lit, res, name }))
			goto oom;
		i += n;
		lit = i + 1;
	}
	if (seg_add(r, t, &cap, (struct out_seg){ s + lit, cs.text.len - lit, NULL, NULL }))
		goto oom;
	cond_src_free(&cs);
	return t;
oom:
	cond_src_free(&cs);
	r->oom = true;
	return NULL;
}

void val_text(const struct val *v, const struct acc *a, const struct eun_event *ev, struct strbuf *sb)
{
	char ip[INET6_ADDRSTRLEN], buf[1024];

	switch (v->t) {
	case VT_UINT:
		if (a->kind == ACC_FIELD && (a->f->flags & EUN_FIELD_F_HEX))
			sb_printf(sb, "0x%" PRIx64, v->u);
		else
			sb_printf(sb, "%" PRIu64, v->u);
		return;
	case VT_SINT:
		sb_printf(sb, "%" PRId64, v->s);
		return;
	case VT_BOOL:
		sb_adds(sb, v->b ? "true" : "false");
		return;
	case VT_STR:
		sb_add(sb, v->str, v->len);
		return;
	case VT_IP4:
	case VT_IP6:
		sb_adds(sb, inet_ntop(v->t == VT_IP4 ? AF_INET : AF_INET6, v->ip, ip, sizeof(ip)) ? ip : "");
		return;
	case VT_HIST:
		if (eun_event_format_field(ev, a->f->name, buf, sizeof(buf)) >= 0)
			sb_adds(sb, buf);
		return;
	default:
		return;
	}
}

/* The value as JSON: numbers and booleans bare, the rest as strings. */
static void val_json(const struct val *v, const struct acc *a, const struct eun_event *ev, struct strbuf *sb)
{
	struct strbuf text = { 0 };

	switch (v->t) {
	case VT_UINT:
		sb_printf(sb, "%" PRIu64, v->u);
		return;
	case VT_SINT:
		sb_printf(sb, "%" PRId64, v->s);
		return;
	case VT_BOOL:
		sb_adds(sb, v->b ? "true" : "false");
		return;
	case VT_STR:
		sb_json_str(sb, v->str, v->len);
		return;
	default:
		val_text(v, a, ev, &text);
		sb_json_str(sb, text.buf ? text.buf : "", text.len);
		sb->failed |= text.failed;
		sb_free(&text);
		return;
	}
}

void output_render(struct eval_ctx *ec, const struct out_tmpl *t, int pair, struct strbuf *sb,
		   struct strbuf *fields_json)
{
	bool first = true;

	sb_add(fields_json, "{", 1);
	for (size_t i = 0; i < t->n; i++) {
		const struct out_seg *seg = &t->segs[i];
		const struct acc *a;
		struct val v;
		bool ok, dup = false;

		sb_add(sb, seg->lit, seg->lit_len);
		if (!seg->res)
			continue;
		a = &seg->res->acc[pair];
		ok = seg->res->status == RES_OK && val_fetch(ec, a, &v) == 0;
		if (ok)
			val_text(&v, a, ec->ev, sb);
		else
			sb_adds(sb, "<NA>");
		for (size_t k = 0; k < i && !dup; k++)
			dup = t->segs[k].res == seg->res;
		if (dup)
			continue;
		if (!first)
			sb_add(fields_json, ",", 1);
		first = false;
		sb_json_str(fields_json, seg->name, strlen(seg->name));
		sb_add(fields_json, ":", 1);
		if (ok)
			val_json(&v, a, ec->ev, fields_json);
		else
			sb_adds(fields_json, "null");
	}
	sb_add(fields_json, "}", 1);
}
