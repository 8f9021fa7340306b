/* layout.h -- the canonical .pipe layout, shared by `pipec fmt` (built from tokens, comments
 * kept) and `pipec convert --to pipe` (built from the IR), so both print the same text.
 * A layout tree holds rendered scalars, comments and blank-line marks; lay_print decides
 * indentation, alignment and line breaks.
 * Ownership: trees live in an arena; lay_print's text is malloc'd and freed by the caller. */
#ifndef PIPEC_LAYOUT_H
#define PIPEC_LAYOUT_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* A growable malloc'd string. */
typedef struct lay_buf {
	char *p;
	size_t n, cap;
} lay_buf;

void lay_put(lay_buf *b, const char *s, size_t n);
void lay_puts(lay_buf *b, const char *s);

/* One comment line, '#' included. blank: a blank line came before it. */
typedef struct lay_cmt {
	const char *text;
	size_t len;
	bool blank;
} lay_cmt;

typedef struct lay_cmts {
	lay_cmt *v;
	size_t n, cap;
} lay_cmts;

void lay_cmt_add(arena *a, lay_cmts *c, const char *text, size_t len, bool blank);

typedef struct lay_val lay_val;

/* A list item, a map entry (key: value) or a decorator argument (key = value). */
typedef struct lay_item {
	lay_cmts lead;  /* own-line comments before it */
	bool blank;     /* a blank line before the item's own line */
	const char *key; /* rendered; NULL for list items */
	size_t klen;
	lay_val *val;
	lay_cmts trail; /* the comment after it on its line (at most one is printed there) */
} lay_item;

enum lay_kind { LAY_SCALAR, LAY_LIST, LAY_MAP };

struct lay_val {
	enum lay_kind kind;
	const char *text; /* scalars: rendered ("quoted", 2, true) */
	size_t len;
	lay_item *items;
	size_t n, cap;
	lay_cmts open_trail; /* comment after the opening bracket */
	lay_cmts close_lead; /* comments before the closing bracket */
};

lay_val *lay_scalar(arena *a, const char *text, size_t len);
lay_val *lay_container(arena *a, enum lay_kind k);
lay_item *lay_item_add(arena *a, lay_val *v);

typedef struct lay_block lay_block;

/* A line of a block's body: an attribute or a step. */
typedef struct lay_node {
	bool is_step;
	lay_item attr;
	lay_block *step;
} lay_node;

typedef struct lay_deco {
	lay_cmts lead;
	bool blank;
	const char *name;
	size_t len;
	lay_val *args; /* a LAY_MAP whose keys print with " = " */
	lay_cmts trail;
} lay_deco;

/* The pipeline or a step: decorators, header, body, closing brace. */
struct lay_block {
	bool is_step;
	lay_deco *decos;
	size_t ndecos, decos_cap;
	lay_cmts lead; /* comments before the header keyword (after any decorator) */
	bool blank;    /* a blank line before the header keyword */
	const char *name;
	size_t len;
	const char **after;
	size_t *after_len;
	size_t nafter, after_cap;
	lay_cmts hdr_trail; /* the comment after '{' */
	lay_node *body;
	size_t nbody, body_cap;
	lay_cmts close_lead;  /* comments before '}' */
	lay_cmts close_trail; /* comment after '}' */
};

lay_deco *lay_deco_add(arena *a, lay_block *blk);
lay_node *lay_node_add(arena *a, lay_block *blk);
void lay_after_add(arena *a, lay_block *blk, const char *name, size_t len);

/* A whole file: comments before the pipeline, the pipeline, comments after it. */
typedef struct lay_file {
	lay_cmts head;
	lay_block *pipeline;
	lay_cmts tail;
} lay_file;

/* Renders a decoded string as a .pipe string literal: escapes \" \\ \n \t and other control
 * characters (as \uXXXX); everything else stays as UTF-8. */
void lay_quote(lay_buf *b, const char *s, size_t len);
/* Renders a map key: bare when it is an identifier (and no keyword), else quoted. */
void lay_key(lay_buf *b, const char *s, size_t len);
/* Helpers that render into the arena. */
const char *lay_quote_a(arena *a, const char *s, size_t len, size_t *out_len);
const char *lay_key_a(arena *a, const char *s, size_t len, size_t *out_len);

/* The canonical text of f: 4-space indentation, '=' aligned within runs of attributes,
 * one blank line around steps, at most one blank line elsewhere. Returns malloc'd text. */
char *lay_print(const lay_file *f, size_t *len);
#endif
