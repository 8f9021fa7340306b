/* layout.c -- prints a layout tree in the canonical .pipe layout (see layout.h). Values print
 * on one line unless a comment sits inside them; then they open one item per line. */
#include "config.h"
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum { INDENT = 4 };

void lay_put(lay_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = b->cap ? 2 * b->cap + n : 256 + n;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void lay_puts(lay_buf *b, const char *s)
{
	lay_put(b, s, strlen(s));
}

static void spaces(lay_buf *b, size_t n)
{
	static const char sp[] = "                                ";
	while (n > 0) {
		size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
		lay_put(b, sp, k);
		n -= k;
	}
}

void lay_cmt_add(arena *a, lay_cmts *c, const char *text, size_t len, bool blank)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 2;
		c->v = arena_grow(a, c->v, c->n, cap, sizeof(*c->v));
		c->cap = cap;
	}
	c->v[c->n++] = (lay_cmt){ .text = text, .len = len, .blank = blank };
}

lay_val *lay_scalar(arena *a, const char *text, size_t len)
{
	lay_val *v = arena_alloc(a, sizeof(*v));
	v->kind = LAY_SCALAR;
	v->text = text;
	v->len = len;
	return v;
}

lay_val *lay_container(arena *a, enum lay_kind k)
{
	lay_val *v = arena_alloc(a, sizeof(*v));
	v->kind = k;
	return v;
}

lay_item *lay_item_add(arena *a, lay_val *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 4;
		v->items = arena_grow(a, v->items, v->n, cap, sizeof(*v->items));
		v->cap = cap;
	}
	lay_item *it = &v->items[v->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

lay_deco *lay_deco_add(arena *a, lay_block *blk)
{
	if (blk->ndecos == blk->decos_cap) {
		size_t cap = blk->decos_cap ? 2 * blk->decos_cap : 2;
		blk->decos = arena_grow(a, blk->decos, blk->ndecos, cap, sizeof(*blk->decos));
		blk->decos_cap = cap;
	}
	lay_deco *dc = &blk->decos[blk->ndecos++];
	memset(dc, 0, sizeof(*dc));
	return dc;
}

lay_node *lay_node_add(arena *a, lay_block *blk)
{
	if (blk->nbody == blk->body_cap) {
		size_t cap = blk->body_cap ? 2 * blk->body_cap : 8;
		blk->body = arena_grow(a, blk->body, blk->nbody, cap, sizeof(*blk->body));
		blk->body_cap = cap;
	}
	lay_node *nd = &blk->body[blk->nbody++];
	memset(nd, 0, sizeof(*nd));
	return nd;
}

void lay_after_add(arena *a, lay_block *blk, const char *name, size_t len)
{
	if (blk->nafter == blk->after_cap) {
		size_t cap = blk->after_cap ? 2 * blk->after_cap : 4;
		blk->after = arena_grow(a, blk->after, blk->nafter, cap, sizeof(*blk->after));
		blk->after_len = arena_grow(a, blk->after_len, blk->nafter, cap, sizeof(*blk->after_len));
		blk->after_cap = cap;
	}
	blk->after[blk->nafter] = name;
	blk->after_len[blk->nafter++] = len;
}

void lay_quote(lay_buf *b, const char *s, size_t len)
{
	static const char hexd[] = "0123456789ABCDEF";
	lay_put(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			lay_put(b, "\\\"", 2);
		else if (c == '\\')
			lay_put(b, "\\\\", 2);
		else if (c == '\n')
			lay_put(b, "\\n", 2);
		else if (c == '\t')
			lay_put(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15] };
			lay_put(b, e, 6);
		} else
			lay_put(b, (const char *)&s[i], 1);
	}
	lay_put(b, "\"", 1);
}

static bool is_keyword(const char *s, size_t len)
{
	static const char *const kw[] = { "pipeline", "step", "after", "true", "false" };
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (strlen(kw[i]) == len && memcmp(kw[i], s, len) == 0)
			return true;
	return false;
}

static bool is_ident(const char *s, size_t len)
{
	if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-'))
			return false;
	}
	return !is_keyword(s, len);
}

void lay_key(lay_buf *b, const char *s, size_t len)
{
	if (is_ident(s, len))
		lay_put(b, s, len);
	else
		lay_quote(b, s, len);
}

static const char *to_arena(arena *a, lay_buf *b, size_t *out_len)
{
	const char *r = arena_strndup(a, b->p ? b->p : "", b->n);
	*out_len = b->n;
	free(b->p);
	return r;
}

const char *lay_quote_a(arena *a, const char *s, size_t len, size_t *out_len)
{
	lay_buf b = { 0 };
	lay_quote(&b, s, len);
	return to_arena(a, &b, out_len);
}

const char *lay_key_a(arena *a, const char *s, size_t len, size_t *out_len)
{
	lay_buf b = { 0 };
	lay_key(&b, s, len);
	return to_arena(a, &b, out_len);
}

/* ---- printing ----------------------------------------------------------------------------- */

typedef struct printer {
	lay_buf out;
	bool fresh; /* at the start of a body: no blank line before the next line */
	bool force; /* a blank line before the next line, whatever the source had */
	bool flat;  /* measuring: every container inline */
} printer;

/* Past this column a list, map or decorator argument list goes one item per line. */
enum { LAY_WIDTH = 100 };

/* Starts a line at indent ind, after a blank line when the source had one (blank) or the
 * layout asks for one; never right after an opening brace. */
static void line(printer *pr, bool blank, size_t ind)
{
	if (!pr->fresh && (blank || pr->force))
		lay_put(&pr->out, "\n", 1);
	pr->fresh = false;
	pr->force = false;
	spaces(&pr->out, ind);
}

static void end_line(printer *pr)
{
	lay_put(&pr->out, "\n", 1);
}

static void comments(printer *pr, const lay_cmts *c, size_t ind)
{
	for (size_t i = 0; i < c->n; i++) {
		line(pr, c->v[i].blank, ind);
		lay_put(&pr->out, c->v[i].text, c->v[i].len);
		end_line(pr);
	}
}

/* The comment that ends a line; comments past the first (which the tree builders avoid)
 * go on lines of their own so that none is lost. */
static void trail(printer *pr, const lay_cmts *c, size_t ind)
{
	if (c->n == 0) {
		end_line(pr);
		return;
	}
	lay_put(&pr->out, "  ", 2);
	lay_put(&pr->out, c->v[0].text, c->v[0].len);
	end_line(pr);
	for (size_t i = 1; i < c->n; i++) {
		line(pr, false, ind);
		lay_put(&pr->out, c->v[i].text, c->v[i].len);
		end_line(pr);
	}
}

static bool has_comments(const lay_val *v)
{
	if (v->kind == LAY_SCALAR)
		return false;
	if (v->open_trail.n || v->close_lead.n)
		return true;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i].lead.n || v->items[i].trail.n || has_comments(v->items[i].val))
			return true;
	return false;
}

static void value(printer *pr, const lay_val *v, size_t ind);

static void item_head(printer *pr, const lay_item *it, const char *sep, size_t ind)
{
	if (it->key) {
		lay_put(&pr->out, it->key, it->klen);
		lay_puts(&pr->out, sep);
	}
	value(pr, it->val, ind);
}

static void items(printer *pr, const lay_val *v, size_t ind, const char *sep, const char *open,
		  const char *close);

/* Whether v printed inline from the current column would pass LAY_WIDTH. */
static bool too_wide(const printer *pr, const lay_val *v, const char *sep, const char *open, const char *close)
{
	if (v->n == 0)
		return false;
	size_t col = 0;
	while (col < pr->out.n && pr->out.p[pr->out.n - 1 - col] != '\n')
		col++;
	printer m = { .flat = true };
	items(&m, v, 0, sep, open, close);
	bool wide = col + m.out.n > LAY_WIDTH;
	free(m.out.p);
	return wide;
}

/* A list, a map, or decorator arguments (sep " = "), between open and close. Inline:
 * [a, b], { k: v }, (k = v); open, when a comment is inside or the line would pass LAY_WIDTH:
 * one item per line, each with a trailing comma. Leaves the output after the closing bracket. */
static void items(printer *pr, const lay_val *v, size_t ind, const char *sep, const char *open,
		  const char *close)
{
	bool open_layout = !pr->flat && (has_comments(v) || too_wide(pr, v, sep, open, close));
	lay_puts(&pr->out, open);
	if (!open_layout) {
		bool brace = open[0] == '{';
		if (brace && v->n)
			lay_put(&pr->out, " ", 1);
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				lay_put(&pr->out, ", ", 2);
			item_head(pr, &v->items[i], sep, ind);
		}
		if (brace && v->n)
			lay_put(&pr->out, " ", 1);
		lay_puts(&pr->out, close);
		return;
	}
	trail(pr, &v->open_trail, ind + INDENT);
	for (size_t i = 0; i < v->n; i++) {
		const lay_item *it = &v->items[i];
		comments(pr, &it->lead, ind + INDENT);
		line(pr, false, ind + INDENT);
		item_head(pr, it, sep, ind + INDENT);
		lay_put(&pr->out, ",", 1);
		trail(pr, &it->trail, ind + INDENT);
	}
	comments(pr, &v->close_lead, ind + INDENT);
	line(pr, false, ind);
	lay_puts(&pr->out, close);
}

static void value(printer *pr, const lay_val *v, size_t ind)
{
	switch (v->kind) {
	case LAY_SCALAR:
		lay_put(&pr->out, v->text, v->len);
		break;
	case LAY_LIST:
		items(pr, v, ind, ": ", "[", "]");
		break;
	case LAY_MAP:
		items(pr, v, ind, ": ", "{", "}");
		break;
	}
}

static void block(printer *pr, const lay_block *blk, size_t ind);

static bool attr_breaks_run(const lay_item *it)
{
	if (it->blank)
		return true;
	for (size_t i = 0; i < it->lead.n; i++)
		if (it->lead.v[i].blank)
			return true;
	return false;
}

/* Width of the keys in the run of attributes that starts at body[i]. */
static size_t run_width(const lay_block *blk, size_t i)
{
	size_t w = blk->body[i].attr.klen;
	for (size_t j = i + 1; j < blk->nbody; j++) {
		const lay_node *nd = &blk->body[j];
		if (nd->is_step || attr_breaks_run(&nd->attr))
			break;
		if (nd->attr.klen > w)
			w = nd->attr.klen;
	}
	return w;
}

static void body(printer *pr, const lay_block *blk, size_t ind)
{
	bool prev_step = false;
	size_t width = 0;
	pr->fresh = true;
	for (size_t i = 0; i < blk->nbody; i++) {
		const lay_node *nd = &blk->body[i];
		/* A step stands apart: one blank line before it and after it. */
		if (nd->is_step || prev_step)
			pr->force = true;
		if (nd->is_step) {
			block(pr, nd->step, ind);
			prev_step = true;
			continue;
		}
		const lay_item *it = &nd->attr;
		if (i == 0 || prev_step || attr_breaks_run(it))
			width = run_width(blk, i);
		prev_step = false;
		comments(pr, &it->lead, ind);
		line(pr, it->blank, ind);
		lay_put(&pr->out, it->key, it->klen);
		spaces(&pr->out, width - it->klen);
		lay_put(&pr->out, " = ", 3);
		value(pr, it->val, ind);
		trail(pr, &it->trail, ind);
	}
	if (prev_step && blk->close_lead.n)
		pr->force = true;
	comments(pr, &blk->close_lead, ind);
	pr->fresh = false;
	pr->force = false;
}

static void block(printer *pr, const lay_block *blk, size_t ind)
{
	for (size_t i = 0; i < blk->ndecos; i++) {
		const lay_deco *dc = &blk->decos[i];
		comments(pr, &dc->lead, ind);
		line(pr, dc->blank, ind);
		lay_put(&pr->out, "@", 1);
		lay_put(&pr->out, dc->name, dc->len);
		items(pr, dc->args, ind, " = ", "(", ")");
		trail(pr, &dc->trail, ind);
	}
	comments(pr, &blk->lead, ind);
	line(pr, blk->blank, ind);
	lay_puts(&pr->out, blk->is_step ? "step " : "pipeline ");
	lay_put(&pr->out, blk->name, blk->len);
	for (size_t i = 0; i < blk->nafter; i++) {
		lay_puts(&pr->out, i ? ", " : " after ");
		lay_put(&pr->out, blk->after[i], blk->after_len[i]);
	}
	lay_puts(&pr->out, " {");
	trail(pr, &blk->hdr_trail, ind + INDENT);
	body(pr, blk, ind + INDENT);
	line(pr, false, ind);
	lay_put(&pr->out, "}", 1);
	trail(pr, &blk->close_trail, ind);
}

char *lay_print(const lay_file *f, size_t *len)
{
	printer pr = { .fresh = true };
	comments(&pr, &f->head, 0);
	block(&pr, f->pipeline, 0);
	comments(&pr, &f->tail, 0);
	if (!pr.out.p)
		lay_put(&pr.out, "", 0);
	*len = pr.out.n;
	return pr.out.p;
}
