/* lexer.re -- the .pipe scanner: re2c rules over the whole file in one NUL-terminated buffer
 * (re2c:eof with the NUL that diag_add_file keeps past the end). Validates UTF-8 in strings
 * and comments, decodes string escapes, and reports every lexical error with its span. */
#include "config.h"
#include "lex.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "xalloc.h"

/*!re2c
	re2c:api:style = free-form;
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = "lx->cur";
	re2c:define:YYMARKER = "lx->mar";
	re2c:define:YYLIMIT = "lx->lim";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	u8cont = [\x80-\xbf];
	u8 = [\xc2-\xdf] u8cont
	   | "\xe0" [\xa0-\xbf] u8cont | [\xe1-\xec\xee\xef] u8cont u8cont | "\xed" [\x80-\x9f] u8cont
	   | "\xf0" [\x90-\xbf] u8cont u8cont | [\xf1-\xf3] u8cont u8cont u8cont
	   | "\xf4" [\x80-\x8f] u8cont u8cont;
	ident = [A-Za-z_] [A-Za-z0-9_-]*;
	number = "-"? [0-9]+ ("." [0-9]+)?;
	hex = [0-9a-fA-F];
*/

static src_span span(const lexer *lx, const unsigned char *a, const unsigned char *b)
{
	return (src_span){ lx->f, (uint32_t)(a - lx->base), (uint32_t)(b - lx->base) };
}

static void put(lexer *lx, const void *p, size_t n)
{
	if (lx->blen + n > lx->bcap) {
		lx->bcap = lx->bcap ? 2 * lx->bcap + n : 64 + n;
		lx->buf = xreallocarray(lx->buf, lx->bcap, 1);
	}
	memcpy(lx->buf + lx->blen, p, n);
	lx->blen += n;
}

static void put_utf8(lexer *lx, unsigned c)
{
	unsigned char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xC0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else {
		b[0] = (unsigned char)(0xE0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (c & 0x3F));
		n = 3;
	}
	put(lx, b, n);
}

static unsigned hexval(unsigned char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static void unterminated(lexer *lx, const unsigned char *open)
{
	diag_error(lx->d, span(lx, open, lx->cur), "unterminated string");
}

/* The rest of a string after its opening quote: decodes escapes into lx->buf. Errors do not
 * end the string early (except a line break or the end of the file), so one bad escape gives
 * one message. */
static void scan_string(lexer *lx, const unsigned char *open)
{
	lx->blen = 0;
	for (;;) {
		lx->tok = lx->cur;
	/*!re2c
		["] { return; }
		"\\\"" { put(lx, "\"", 1); continue; }
		"\\\\" { put(lx, "\\", 1); continue; }
		"\\n" { put(lx, "\n", 1); continue; }
		"\\t" { put(lx, "\t", 1); continue; }
		"\\u" hex hex hex hex {
			unsigned c = 0;
			for (int i = 2; i < 6; i++)
				c = c << 4 | hexval(lx->tok[i]);
			if (c >= 0xD800 && c <= 0xDFFF)
				diag_error(lx->d, span(lx, lx->tok, lx->cur),
					   "'\\u%04X' is a UTF-16 surrogate, not a character", c);
			else if (c == 0)
				diag_error(lx->d, span(lx, lx->tok, lx->cur), "'\\u0000' is not allowed in a string");
			else
				put_utf8(lx, c);
			continue;
		}
		"\\u" {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "'\\u' must be followed by four hex digits");
			continue;
		}
		"\\" ([\x20-\x7e] | u8) {
			diag_error(lx->d, span(lx, lx->tok, lx->cur),
				   "unknown escape '%.*s' in string; use \\\" \\\\ \\n \\t or \\uXXXX",
				   (int)(lx->cur - lx->tok), (const char *)lx->tok);
			continue;
		}
		[\n] | "\r\n" { lx->cur = lx->tok; unterminated(lx, open); return; }
		$ { unterminated(lx, open); return; }
		[\x00] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "NUL byte in string");
			continue;
		}
		[\t\x20-\x7e] | u8 { put(lx, lx->tok, (size_t)(lx->cur - lx->tok)); continue; }
		[\x01-\x1f\x7f] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur),
				   "control character 0x%02X in string; write it as an escape", lx->tok[0]);
			continue;
		}
		* {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "invalid UTF-8 byte 0x%02X in string",
				   lx->tok[0]);
			continue;
		}
	*/
	}
}

/* The rest of a comment after '#': up to the line break, which is left for the next token. */
static void scan_comment(lexer *lx)
{
	for (;;) {
		lx->tok = lx->cur;
	/*!re2c
		[\n] | "\r\n" { lx->cur = lx->tok; return; }
		$ { return; }
		[\x00] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "NUL byte in comment");
			continue;
		}
		[\x01-\x7f] | u8 { continue; }
		* {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "invalid UTF-8 byte 0x%02X in comment",
				   lx->tok[0]);
			continue;
		}
	*/
	}
}

void lex_init(lexer *lx, const src_file *f, diag_ctx *d, arena *a)
{
	*lx = (lexer){ .f = f, .d = d, .a = a };
	lx->base = lx->cur = lx->tok = (const unsigned char *)f->text;
	lx->lim = lx->base + f->len;
	/* A UTF-8 byte order mark, which some editors write, is not a stray character. */
	if (f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0)
		lx->cur = lx->tok = lx->base + 3;
}

void lex_free(lexer *lx)
{
	free(lx->buf);
	lx->buf = NULL;
}

static int token(lexer *lx, lex_token *t, int kind)
{
	t->kind = kind;
	t->start = (uint32_t)(lx->tok - lx->base);
	t->end = (uint32_t)(lx->cur - lx->base);
	if (!t->s) {
		t->s = (const char *)lx->tok;
		t->len = (size_t)(lx->cur - lx->tok);
	}
	return kind;
}

/* Brackets count toward the nesting limit; past it the rest of the file is skipped, and the
 * invalid token returned makes the parser stop without a second message. */
static int punct(lexer *lx, lex_token *t)
{
	unsigned char c = lx->tok[0];
	if (c == '{' || c == '[' || c == '(') {
		if (++lx->depth > LEX_MAX_DEPTH) {
			src_span sp = { lx->f, (uint32_t)(lx->tok - lx->base), (uint32_t)(lx->tok - lx->base + 1) };
			diag_error(lx->d, sp, "nesting is deeper than %d levels", LEX_MAX_DEPTH);
			lx->cur = lx->lim;
			return token(lx, t, YYUNDEF);
		}
	} else if ((c == '}' || c == ']' || c == ')') && lx->depth > 0) {
		lx->depth--;
	}
	return token(lx, t, c);
}

int lex_next(lexer *lx, lex_token *t)
{
	unsigned nl = 0;
	if (++lx->ntokens == LEX_MAX_TOKENS) {
		src_span sp = { lx->f, (uint32_t)(lx->cur - lx->base), (uint32_t)(lx->cur - lx->base) };
		diag_error(lx->d, sp, "the file has more than %d tokens", LEX_MAX_TOKENS);
		lx->cur = lx->lim;
		*t = (lex_token){ .kind = YYUNDEF };
		return token(lx, t, YYUNDEF);
	}
	for (;;) {
		lx->tok = lx->cur;
		*t = (lex_token){ .nl_before = nl };
	/*!re2c
		$ { return token(lx, t, YYEOF); }
		[ \t\r]+ { continue; }
		"\n" { nl++; continue; }
		"#" {
			const unsigned char *hash = lx->tok;
			scan_comment(lx);
			lx->tok = hash;
			const unsigned char *e = lx->cur;
			while (e > lx->tok && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			t->s = (const char *)lx->tok;
			t->len = (size_t)(e - lx->tok);
			return token(lx, t, TK_COMMENT);
		}
		"pipeline" { return token(lx, t, TK_PIPELINE); }
		"step" { return token(lx, t, TK_STEP); }
		"after" { return token(lx, t, TK_AFTER); }
		"true" { return token(lx, t, TK_TRUE); }
		"false" { return token(lx, t, TK_FALSE); }
		ident { return token(lx, t, TK_IDENT); }
		"@" ident {
			t->s = (const char *)lx->tok + 1;
			t->len = (size_t)(lx->cur - lx->tok - 1);
			return token(lx, t, TK_DECORATOR);
		}
		number { return token(lx, t, TK_NUMBER); }
		"-"? [0-9] [0-9A-Za-z_.%]* {
			/* Where people slip: memory = 16GB, timeout = 2h. Say how to write it and go on
			 * with the string they meant. */
			int n = (int)(lx->cur - lx->tok);
			diag_error(lx->d, span(lx, lx->tok, lx->cur),
				   "unquoted value '%.*s'; write it as a string: \"%.*s\"", n,
				   (const char *)lx->tok, n, (const char *)lx->tok);
			t->s = arena_strndup(lx->a, (const char *)lx->tok, (size_t)n);
			t->len = (size_t)n;
			return token(lx, t, TK_STRING);
		}
		["] {
			const unsigned char *open = lx->tok;
			scan_string(lx, open);
			lx->tok = open;
			t->s = arena_strndup(lx->a, lx->buf ? lx->buf : "", lx->blen);
			t->len = lx->blen;
			return token(lx, t, TK_STRING);
		}
		[{}()[\],:=] { return punct(lx, t); }
		[\x00] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "NUL byte in source");
			return token(lx, t, YYUNDEF);
		}
		u8 {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "stray character '%.*s'",
				   (int)(lx->cur - lx->tok), (const char *)lx->tok);
			return token(lx, t, YYUNDEF);
		}
		[\x21-\x7e] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "stray character '%c'", lx->tok[0]);
			return token(lx, t, YYUNDEF);
		}
		[\x01-\x1f\x7f] {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "stray control character 0x%02X",
				   lx->tok[0]);
			return token(lx, t, YYUNDEF);
		}
		* {
			diag_error(lx->d, span(lx, lx->tok, lx->cur), "invalid UTF-8 byte 0x%02X", lx->tok[0]);
			return token(lx, t, YYUNDEF);
		}
	*/
	}
}
