/* dsl.c -- the .pipe front end: dsl_load runs the bison parser, whose actions call the
 * parse_* helpers below (each one builder call, plus the decorator bookkeeping), and
 * dsl_format rebuilds the file as a layout tree from its tokens, comments included. */
#include "config.h"
#include "dsl.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "parse.h"
#include "xalloc.h"

/* ---- helpers for the grammar's actions ------------------------------------------------------ */

src_span parse_span(const dsl_parser *ps, dsl_loc loc)
{
	return (src_span){ ps->lx.f, loc.start, loc.end };
}

dsl_deco *parse_deco(dsl_parser *ps, dsl_deco *list, dsl_loc at, dsl_text name, ir_value *args)
{
	dsl_deco *dc = arena_alloc(ps->b->a, sizeof(*dc));
	*dc = (dsl_deco){ .at = parse_span(ps, at), .name = name.s, .len = name.len, .args = args };
	if (!list)
		return dc;
	dsl_deco *t = list;
	while (t->next)
		t = t->next;
	t->next = dc;
	return list;
}

/* The decorators a pipeline or step may carry; each one sets the attribute of its name. */
static const char *const deco_names[] = { "op", "pod" };

/* Applies decorators, in source order, as the `op` and `pod` attributes of s (or of the
 * pipeline when s is NULL). An unknown decorator is an error with a did-you-mean. */
static void apply_decos(dsl_parser *ps, ir_step *s, const dsl_deco *dc)
{
	for (; dc; dc = dc->next) {
		size_t n = sizeof deco_names / sizeof deco_names[0], i;
		for (i = 0; i < n; i++)
			if (strlen(deco_names[i]) == dc->len && memcmp(deco_names[i], dc->name, dc->len) == 0)
				break;
		if (i == n) {
			const char *sugg = diag_suggest(dc->name, dc->len, deco_names, n);
			if (sugg)
				diag_error(ps->b->d, dc->at, "unknown decorator '@%.*s'; did you mean '@%s'?",
					   (int)dc->len, dc->name, sugg);
			else
				diag_error(ps->b->d, dc->at, "unknown decorator '@%.*s' (expected @op or @pod)",
					   (int)dc->len, dc->name);
			continue;
		}
		if (dc->args)
			ir_set_attr(ps->b, ps->p, s, dc->at, dc->name, dc->len, dc->args);
	}
}

void parse_pipeline(dsl_parser *ps, dsl_deco *decos, dsl_loc at, dsl_text name)
{
	ps->p = ir_pipeline_new(ps->b, name.s, name.len, parse_span(ps, at));
	apply_decos(ps, NULL, decos);
}

void parse_step(dsl_parser *ps, dsl_deco *decos, dsl_loc at, dsl_text name)
{
	if (!ps->p)
		return;
	ps->s = ir_step_add(ps->b, ps->p, name.s, name.len, parse_span(ps, at));
	apply_decos(ps, ps->s, decos);
}

void parse_step_end(dsl_parser *ps)
{
	ps->s = NULL;
	ps->skip = false;
}

void parse_step_broken(dsl_parser *ps)
{
	ps->skip = true;
}

void parse_step_misspelt(dsl_parser *ps, dsl_loc at, dsl_text word)
{
	static const char *const kw[] = { "step", "pipeline", "after" };
	const char *sugg = diag_suggest(word.s, word.len, kw, sizeof kw / sizeof kw[0]);
	ps->syntax_errors++;
	ps->skip = true;
	if (sugg && strcmp(sugg, "step") == 0)
		diag_error(ps->d, parse_span(ps, at), "unknown keyword '%.*s'; did you mean 'step'?",
			   (int)word.len, word.s);
	else
		diag_error(ps->d, parse_span(ps, at),
			   "expected '=' after attribute '%.*s', or 'step' to start a step", (int)word.len,
			   word.s);
}

void parse_after(dsl_parser *ps, dsl_loc at, dsl_text name)
{
	if (!ps->skip && ps->s)
		ir_step_after(ps->b, ps->s, name.s, name.len, parse_span(ps, at));
}

void parse_attr(dsl_parser *ps, dsl_loc at, dsl_text key, ir_value *v)
{
	/* `op` and `pod` are attributes of the IR (and keys of the YAML spec), but the DSL writes
	 * them one way only, as decorators. */
	if (ps->skip || !ps->p)
		return;
	for (size_t i = 0; i < sizeof deco_names / sizeof deco_names[0]; i++)
		if (strlen(deco_names[i]) == key.len && memcmp(deco_names[i], key.s, key.len) == 0) {
			diag_error(ps->b->d, parse_span(ps, at),
				   "'%s' is written as a decorator: @%s(key = value, ...) before '%s'",
				   deco_names[i], deco_names[i], ps->s ? "step" : "pipeline");
			return;
		}
	if (v)
		ir_set_attr(ps->b, ps->p, ps->s, parse_span(ps, at), key.s, key.len, v);
}

ir_value *parse_push(dsl_parser *ps, ir_value *list, dsl_loc at, ir_value *v)
{
	if (!list)
		list = ir_list(ps->b, parse_span(ps, at));
	if (v)
		ir_list_push(ps->b, list, v);
	return list;
}

ir_value *parse_put(dsl_parser *ps, ir_value *map, dsl_loc at, dsl_text key, ir_value *v)
{
	if (!map)
		map = ir_map(ps->b, parse_span(ps, at));
	if (v)
		ir_map_put(ps->b, map, parse_span(ps, at), key.s, key.len, v);
	return map;
}

ir_value *parse_close(dsl_parser *ps, ir_value *v, dsl_loc at)
{
	v->span = parse_span(ps, at);
	return v;
}

/* ---- loading -------------------------------------------------------------------------------- */

/* Parses b->file with lexical and syntax errors going to d and IR errors to b->d. Returns
 * the pipeline, or NULL when the grammar could not be followed; *syntax_ok says whether d
 * got no error. */
static ir_pipeline *run(ir_build *b, diag_ctx *d, bool *syntax_ok)
{
	dsl_parser ps = { .b = b, .d = d };
	size_t before = diag_error_count(d);
	lex_init(&ps.lx, b->file, d, b->a);
	int rc = parse_run(&ps);
	lex_free(&ps.lx);
	*syntax_ok = rc == 0 && ps.syntax_errors == 0 && diag_error_count(d) == before;
	return rc == 0 ? ps.p : NULL;
}

/* Two passes: the first finds lexical and syntax errors with the IR's own errors set aside
 * (after a syntax error they are mostly echoes of it: attributes of a step whose '}' is
 * missing land in the wrong step); only a file that parses is built for real. */
ir_pipeline *dsl_load(ir_build *b)
{
	arena *a = arena_new();
	diag_ctx *scratch = diag_new();
	ir_build first = { .a = a, .d = scratch, .file = b->file };
	bool ok;
	run(&first, b->d, &ok);
	diag_free(scratch);
	arena_free(a);
	if (!ok)
		return NULL;
	size_t before = diag_error_count(b->d);
	diag_ctx *none = diag_new(); /* the second pass finds no lexical or syntax error */
	ir_pipeline *p = run(b, none, &ok);
	diag_free(none);
	return ok && diag_error_count(b->d) == before ? p : NULL;
}

/* ---- formatting ----------------------------------------------------------------------------- */

/* The file's tokens, comments included, read by a cursor that never skips a comment by
 * itself: each place that may hold one says where it goes. */
typedef struct fmt {
	arena *a;
	lex_token *t;
	size_t n, i;
} fmt;

static const lex_token *cur(const fmt *f)
{
	return &f->t[f->i < f->n ? f->i : f->n - 1];
}

static int kind(const fmt *f)
{
	return cur(f)->kind;
}

/* The kind of the next token that is not a comment. */
static int next_kind(const fmt *f)
{
	size_t j = f->i;
	while (j < f->n - 1 && f->t[j].kind == TK_COMMENT)
		j++;
	return f->t[j].kind;
}

static bool blank_before(const lex_token *t)
{
	return t->nl_before >= 2;
}

static void advance(fmt *f)
{
	if (f->i < f->n - 1)
		f->i++;
}

/* Own-line comments before a line: each keeps whether a blank line preceded it. */
static void lead(fmt *f, lay_cmts *c)
{
	while (kind(f) == TK_COMMENT) {
		lay_cmt_add(f->a, c, cur(f)->s, cur(f)->len, blank_before(cur(f)));
		advance(f);
	}
}

/* Comments inside a construct that prints on one line move before that line. */
static void odd(fmt *f, lay_cmts *c)
{
	while (kind(f) == TK_COMMENT) {
		lay_cmt_add(f->a, c, cur(f)->s, cur(f)->len, false);
		advance(f);
	}
}

/* The comment on the same line as the token just read, if any. */
static void trailing(fmt *f, lay_cmts *c, lay_cmts *spill)
{
	if (kind(f) == TK_COMMENT && cur(f)->nl_before == 0) {
		lay_cmt_add(f->a, c->n ? spill : c, cur(f)->s, cur(f)->len, false);
		advance(f);
	}
}

static lay_val *fmt_value(fmt *f, lay_cmts *odd_into);

/* The items of a list or map, or a decorator's arguments, after the opening bracket (keys
 * and values separated by sep_kind, ':' or '='), up to and including the closing bracket. */
static void fmt_items(fmt *f, lay_val *v, int close, int sep_kind)
{
	advance(f); /* the opening bracket */
	trailing(f, &v->open_trail, &v->open_trail);
	for (;;) {
		lay_cmts pending = { 0 };
		lead(f, &pending);
		if (kind(f) == close) {
			v->close_lead = pending;
			advance(f);
			return;
		}
		lay_item *it = lay_item_add(f->a, v);
		it->lead = pending;
		if (sep_kind) {
			const lex_token *k = cur(f);
			if (k->kind == TK_STRING || sep_kind == ':')
				it->key = lay_key_a(f->a, k->s, k->len, &it->klen);
			else
				it->key = arena_strndup(f->a, k->s, k->len), it->klen = k->len;
			advance(f);
			odd(f, &it->lead);
			advance(f); /* ':' or '=' */
			odd(f, &it->lead);
		}
		it->val = fmt_value(f, &it->lead);
		trailing(f, &it->trail, &it->lead);
		/* Comments between an item and its comma stay with it; before a closing bracket
		 * they stay there. */
		if (next_kind(f) == ',')
			odd(f, &it->lead);
		if (kind(f) == ',') {
			advance(f);
			trailing(f, &it->trail, &it->lead);
		}
	}
}

static lay_val *fmt_value(fmt *f, lay_cmts *odd_into)
{
	const lex_token *t = cur(f);
	lay_val *v;
	switch (t->kind) {
	case TK_STRING:
		v = lay_scalar(f->a, NULL, 0);
		v->text = lay_quote_a(f->a, t->s, t->len, &v->len);
		advance(f);
		return v;
	case '[':
		v = lay_container(f->a, LAY_LIST);
		fmt_items(f, v, ']', 0);
		return v;
	case '{':
		v = lay_container(f->a, LAY_MAP);
		fmt_items(f, v, '}', ':');
		return v;
	default: /* numbers, true, false: as written */
		v = lay_scalar(f->a, t->s, t->len);
		advance(f);
		(void)odd_into;
		return v;
	}
}

/* A pipeline or step from its first decorator to its closing brace; pending holds the
 * own-line comments already read before it. */
static void fmt_block(fmt *f, lay_block *blk, lay_cmts pending)
{
	while (kind(f) == TK_DECORATOR) {
		lay_deco *dc = lay_deco_add(f->a, blk);
		dc->lead = pending;
		pending = (lay_cmts){ 0 };
		dc->blank = blank_before(cur(f));
		dc->name = cur(f)->s;
		dc->len = cur(f)->len;
		advance(f);
		odd(f, &dc->lead);
		dc->args = lay_container(f->a, LAY_MAP);
		fmt_items(f, dc->args, ')', '=');
		trailing(f, &dc->trail, &dc->lead);
		lead(f, &pending);
	}
	blk->lead = pending;
	blk->blank = blank_before(cur(f));
	blk->is_step = kind(f) == TK_STEP;
	advance(f);
	odd(f, &blk->lead);
	blk->name = cur(f)->s;
	blk->len = cur(f)->len;
	advance(f);
	odd(f, &blk->lead);
	if (kind(f) == TK_AFTER) {
		do {
			advance(f); /* 'after' or ',' */
			odd(f, &blk->lead);
			lay_after_add(f->a, blk, cur(f)->s, cur(f)->len);
			advance(f);
			odd(f, &blk->lead);
		} while (kind(f) == ',');
	}
	advance(f); /* '{' */
	trailing(f, &blk->hdr_trail, &blk->lead);
	for (;;) {
		lay_cmts pend = { 0 };
		lead(f, &pend);
		if (kind(f) == '}' || kind(f) == YYEOF) {
			blk->close_lead = pend;
			break;
		}
		lay_node *nd = lay_node_add(f->a, blk);
		if (kind(f) == TK_IDENT) {
			lay_item *it = &nd->attr;
			it->lead = pend;
			it->blank = blank_before(cur(f));
			it->key = cur(f)->s;
			it->klen = cur(f)->len;
			advance(f);
			odd(f, &it->lead);
			advance(f); /* '=' */
			odd(f, &it->lead);
			it->val = fmt_value(f, &it->lead);
			trailing(f, &it->trail, &it->lead);
		} else {
			nd->is_step = true;
			nd->step = arena_alloc(f->a, sizeof(*nd->step));
			fmt_block(f, nd->step, pend);
		}
	}
	advance(f); /* '}' */
	trailing(f, &blk->close_trail, &blk->close_trail);
}

char *dsl_format(diag_ctx *d, const src_file *f, size_t *len)
{
	arena *a = arena_new();
	diag_ctx *scratch = diag_new(); /* IR errors do not stop formatting */
	ir_build b = { .a = a, .d = scratch, .file = f };
	bool ok;
	run(&b, d, &ok);
	char *text = NULL;
	if (ok) {
		fmt fm = { .a = a };
		size_t cap = 0;
		lexer lx;
		lex_init(&lx, f, scratch, a);
		for (;;) {
			if (fm.n == cap) {
				cap = cap ? 2 * cap : 256;
				fm.t = xreallocarray(fm.t, cap, sizeof(*fm.t));
			}
			lex_token *t = &fm.t[fm.n++];
			if (lex_next(&lx, t) == YYEOF)
				break;
		}
		lex_free(&lx);
		lay_file lf = { 0 };
		lead(&fm, &lf.head);
		lf.pipeline = arena_alloc(a, sizeof(*lf.pipeline));
		fmt_block(&fm, lf.pipeline, (lay_cmts){ 0 });
		lead(&fm, &lf.tail);
		text = lay_print(&lf, len);
		free(fm.t);
	}
	diag_free(scratch);
	arena_free(a);
	return text;
}
