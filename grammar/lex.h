/* lex.h -- the .pipe scanner (generated from lexer.re by re2c). One call returns one token,
 * comments included, so the parser (which skips them) and the formatter (which keeps them)
 * read the same token stream. Lexical errors go to the diag context; the scanner then returns
 * the most plausible token (a bad string is still a string) or the invalid token, never
 * skipping a byte silently.
 * Ownership: token text lives in the arena given to lex_init; lex_free releases the scratch
 * buffer only. */
#ifndef PIPEC_LEX_H
#define PIPEC_LEX_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef struct lex_token {
	int kind;            /* a token kind of parser.h: YYEOF, YYUNDEF, TK_* or a character */
	uint32_t start, end; /* byte offsets of the token as written */
	const char *s;       /* strings: the decoded text; otherwise the text as written */
	size_t len;
	unsigned nl_before;  /* line breaks between the previous token and this one */
} lex_token;

typedef struct lexer {
	const src_file *f;
	diag_ctx *d;
	arena *a;
	const unsigned char *cur, *lim, *mar, *tok, *base;
	char *buf; /* scratch for decoding strings */
	size_t blen, bcap;
	unsigned depth; /* open brackets, braces and parentheses */
	size_t ntokens;
} lexer;

/* Nesting deeper than this is an error (the same limit as the YAML loader's). */
enum { LEX_MAX_DEPTH = 64 };
/* More tokens than this is an error: it bounds the memory of what the parser builds. */
enum { LEX_MAX_TOKENS = 8000000 };

/* Starts scanning f (whose text is NUL-terminated, as diag_add_file keeps it). */
void lex_init(lexer *lx, const src_file *f, diag_ctx *d, arena *a);
/* Fills *t with the next token and returns its kind; YYEOF at the end, forever. */
int lex_next(lexer *lx, lex_token *t);
void lex_free(lexer *lx);
#endif
