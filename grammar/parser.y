/* parser.y -- the .pipe grammar. Actions only build IR (one call each, through the parse_*
 * helpers of dsl.c, which call the ir_* builders); every check lives in the builders and in
 * later passes. Error productions let one run report every syntax error of a file. */
%code top {
#include "config.h"
}

%code requires {
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

typedef struct dsl_parser dsl_parser;
typedef struct dsl_deco dsl_deco;
/* Locations are byte offsets; line and column are computed only when a diagnostic prints. */
typedef struct dsl_loc {
	uint32_t start, end;
} dsl_loc;
typedef struct dsl_text {
	const char *s;
	size_t len;
} dsl_text;
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                          \
	do {                                                                                 \
		if (N) {                                                                     \
			(Cur).start = YYRHSLOC(Rhs, 1).start;                                \
			(Cur).end = YYRHSLOC(Rhs, N).end;                                    \
		} else {                                                                     \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;                      \
		}                                                                            \
	} while (0)
}

%code {
#include <stdio.h>
#include <string.h>

#include "parse.h"

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, dsl_parser *ps);
static void yyerror(const YYLTYPE *loc, dsl_parser *ps, const char *msg);
}

%define api.pure full
%define api.location.type {dsl_loc}
%locations
%param {dsl_parser *ps}
%define parse.error custom
%define parse.lac full
/* The grammar is LALR(1) as written: conflicts are fixed, not tolerated. */
%expect 0

%union {
	dsl_text text;
	ir_value *val;
	dsl_deco *deco;
}

%token TK_PIPELINE "'pipeline'"
%token TK_STEP "'step'"
%token TK_AFTER "'after'"
%token TK_TRUE "'true'"
%token TK_FALSE "'false'"
%token <text> TK_IDENT "name"
%token <text> TK_STRING "string"
%token <text> TK_NUMBER "number"
%token <text> TK_DECORATOR "decorator"
/* Comments never reach the grammar: yylex skips them; the formatter reads them. */
%token TK_COMMENT "comment"

%type <val> value list_items map_items args opt_args
%type <deco> decos
%type <text> key

/* Every semantic value lives in the build's arena, freed in one call with the IR, so
 * discarding one during error recovery leaks nothing: the destructors have nothing to do. */
%destructor { (void)$$; } <text>
%destructor { (void)$$; } <val>
%destructor { (void)$$; } <deco>

%%

file
	: decos "'pipeline'" "name" { parse_pipeline(ps, $1, @3, $3); } '{' pipeline_body '}'
	/* No name, or a bad one: still read the body for its syntax errors. */
	| decos "'pipeline'" error { (void)$1; } '{' pipeline_body '}'
	;

decos
	: %empty { $$ = NULL; }
	| decos "decorator" '(' opt_args ')' { $$ = parse_deco(ps, $1, @2, $2, $4); }
	| decos "decorator" '(' error ')' { $$ = parse_deco(ps, $1, @2, $2, NULL); }
	;

opt_args
	: %empty { $$ = ir_map(ps->b, parse_span(ps, @$)); }
	| args opt_comma { $$ = $1; }
	;

args
	: "name" '=' value { $$ = parse_put(ps, NULL, @1, $1, $3); }
	| args ',' "name" '=' value { $$ = parse_put(ps, $1, @3, $3, $5); }
	;

pipeline_body
	: %empty
	| pipeline_body attr
	| pipeline_body step
	| pipeline_body error
	;

step
	: decos "'step'" "name" { parse_step(ps, $1, @3, $3); } opt_after '{' step_body '}' { parse_step_end(ps); }
	/* A broken header (no name, a bad after list): resume at its '{' and skip the body. */
	| decos "'step'" error { (void)$1; parse_step_broken(ps); } '{' step_body '}' { parse_step_end(ps); }
	/* Where people slip: a misspelt keyword, `stepp train {` or `Step train {`. */
	| "name" "name" { (void)$2; parse_step_misspelt(ps, @1, $1); } opt_after '{' step_body '}' { parse_step_end(ps); }
	;

opt_after
	: %empty
	| "'after'" deps
	;

deps
	: "name" { parse_after(ps, @1, $1); }
	| deps ',' "name" { parse_after(ps, @3, $3); }
	;

step_body
	: %empty
	| step_body attr
	| step_body error
	;

attr
	: "name" '=' value { parse_attr(ps, @1, $1, $3); }
	;

value
	: "string" { $$ = ir_string(ps->b, parse_span(ps, @1), $1.s, $1.len); }
	| "number" { $$ = ir_number(ps->b, parse_span(ps, @1), $1.s, $1.len); }
	| "'true'" { $$ = ir_bool(ps->b, parse_span(ps, @1), true); }
	| "'false'" { $$ = ir_bool(ps->b, parse_span(ps, @1), false); }
	| '[' ']' { $$ = ir_list(ps->b, parse_span(ps, @$)); }
	| '[' list_items opt_comma ']' { $$ = parse_close(ps, $2, @$); }
	| '[' error ']' { $$ = NULL; }
	| '{' '}' { $$ = ir_map(ps->b, parse_span(ps, @$)); }
	| '{' map_items opt_comma '}' { $$ = parse_close(ps, $2, @$); }
	| '{' error '}' { $$ = NULL; }
	;

list_items
	: value { $$ = parse_push(ps, NULL, @1, $1); }
	| list_items ',' value { $$ = parse_push(ps, $1, @3, $3); }
	;

map_items
	: key ':' value { $$ = parse_put(ps, NULL, @1, $1, $3); }
	| map_items ',' key ':' value { $$ = parse_put(ps, $1, @3, $3, $5); }
	;

key
	: "name"
	| "string"
	;

opt_comma
	: %empty
	| ','
	;

%%

/* Reads the next token for the grammar: skips comments and keeps the stack of open brackets
 * (with what each one opens) that syntax errors mention. */
static int yylex(YYSTYPE *lval, YYLTYPE *lloc, dsl_parser *ps)
{
	lex_token t;
	do
		lex_next(&ps->lx, &t);
	while (t.kind == TK_COMMENT);
	lloc->start = t.start;
	lloc->end = t.end;
	/* The end of the file is placed right after the last token, so that "expected '}' ...,
	 * got end of file" shows the line where the '}' is missing, not an empty one. */
	if (t.kind == YYEOF)
		lloc->start = lloc->end = ps->last_end;
	else
		ps->last_end = t.end;
	lval->text = (dsl_text){ t.s, t.len };
	ps->la_opened = false;
	switch (t.kind) {
	case TK_PIPELINE:
	case TK_STEP:
		ps->hdr = t.kind;
		ps->hdr_name = (lex_token){ 0 };
		break;
	case TK_IDENT:
		if (ps->hdr && !ps->hdr_name.s)
			ps->hdr_name = t;
		break;
	case '{':
	case '[':
	case '(':
		if (ps->nopen < PARSE_MAX_OPEN) {
			parse_open *o = &ps->open[ps->nopen++];
			*o = (parse_open){ .closer = t.kind == '{' ? '}' : t.kind == '[' ? ']' : ')', .at = t.start };
			if (t.kind == '[') {
				o->what = "list";
			} else if (t.kind == '(') {
				o->what = "decorator";
			} else if (ps->hdr) {
				o->what = ps->hdr == TK_PIPELINE ? "pipeline" : "step";
				o->name = ps->hdr_name.s;
				o->len = ps->hdr_name.len;
			} else {
				o->what = "map";
			}
			ps->la_opened = true;
		}
		ps->hdr = 0;
		break;
	case '}':
	case ']':
	case ')':
		if (ps->nopen && ps->open[ps->nopen - 1].closer == t.kind)
			ps->nopen--;
		break;
	default:
		break;
	}
	return t.kind;
}

/* ORDER yysymbol_kind_t: how a token is named in "expected X, got Y". */
static const char *const sym_desc[YYNTOKENS] = {
	[YYSYMBOL_YYEOF] = "end of file",
	[YYSYMBOL_TK_PIPELINE] = "'pipeline'",
	[YYSYMBOL_TK_STEP] = "'step'",
	[YYSYMBOL_TK_AFTER] = "'after'",
	[YYSYMBOL_TK_TRUE] = "'true'",
	[YYSYMBOL_TK_FALSE] = "'false'",
	[YYSYMBOL_TK_IDENT] = "a name",
	[YYSYMBOL_TK_STRING] = "a string",
	[YYSYMBOL_TK_NUMBER] = "a number",
	[YYSYMBOL_TK_DECORATOR] = "a decorator",
	[YYSYMBOL_TK_COMMENT] = "a comment",
};

static const char *describe(yysymbol_kind_t k)
{
	if (k >= 0 && k < YYNTOKENS && sym_desc[k])
		return sym_desc[k];
	return yysymbol_name(k); /* the character tokens, which bison names "'{'" and so on */
}

/* The symbol of a character token such as '{'. */
static yysymbol_kind_t char_sym(char c)
{
	for (int k = 0; k < YYNTOKENS; k++) {
		const char *n = yysymbol_name((yysymbol_kind_t)k);
		if (n[0] == '\'' && n[1] == c && n[2] == '\'' && n[3] == '\0')
			return (yysymbol_kind_t)k;
	}
	return YYSYMBOL_YYEMPTY;
}

static bool has(const yysymbol_kind_t *exp, int n, yysymbol_kind_t k)
{
	for (int i = 0; i < n; i++)
		if (exp[i] == k)
			return true;
	return false;
}

static void drop(yysymbol_kind_t *exp, int *n, yysymbol_kind_t k)
{
	for (int i = 0; i < *n; i++)
		if (exp[i] == k) {
			memmove(exp + i, exp + i + 1, (size_t)(*n - i - 1) * sizeof(*exp));
			(*n)--;
			return;
		}
}

/* "expected X, Y or Z to close step 'train' opened at 12:5, got W": the expected tokens come
 * from LAC, so they are exact; kinds of token that together start one construct are named
 * as that construct (a value, an attribute, a step). */
static int yyreport_syntax_error(const yypcontext_t *ctx, dsl_parser *ps)
{
	yysymbol_kind_t la = yypcontext_token(ctx);
	ps->syntax_errors++;
	/* The scanner has reported the invalid token already. */
	if (la == YYSYMBOL_YYUNDEF)
		return 0;
	const YYLTYPE *loc = yypcontext_location(ctx);
	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	if (n < 0)
		n = 0;
	const char *words[YYNTOKENS + 3];
	int nw = 0;
	if (has(exp, n, YYSYMBOL_TK_STRING) && has(exp, n, YYSYMBOL_TK_NUMBER) && has(exp, n, YYSYMBOL_TK_TRUE)) {
		words[nw++] = "a value";
		drop(exp, &n, YYSYMBOL_TK_STRING);
		drop(exp, &n, YYSYMBOL_TK_NUMBER);
		drop(exp, &n, YYSYMBOL_TK_TRUE);
		drop(exp, &n, YYSYMBOL_TK_FALSE);
		drop(exp, &n, char_sym('['));
		drop(exp, &n, char_sym('{'));
	}
	/* After a name at pipeline level a second name is only the misspelt-keyword hint
	 * production (`stepp train {`), not something to suggest. */
	if (has(exp, n, char_sym('=')) && has(exp, n, YYSYMBOL_TK_IDENT))
		drop(exp, &n, YYSYMBOL_TK_IDENT);
	/* The innermost bracket open before the lookahead (which may itself have opened one). */
	const parse_open *top = NULL;
	size_t depth = ps->nopen - (ps->la_opened ? 1 : 0);
	if (depth > 0)
		top = &ps->open[depth - 1];
	bool block = top && (strcmp(top->what, "pipeline") == 0 || strcmp(top->what, "step") == 0);
	if (has(exp, n, YYSYMBOL_TK_IDENT) && has(exp, n, YYSYMBOL_TK_STEP)) {
		words[nw++] = "an attribute";
		words[nw++] = "a step";
		drop(exp, &n, YYSYMBOL_TK_IDENT);
		drop(exp, &n, YYSYMBOL_TK_STEP);
		drop(exp, &n, YYSYMBOL_TK_DECORATOR);
	} else if (has(exp, n, YYSYMBOL_TK_IDENT) && block && has(exp, n, char_sym('}'))) {
		words[nw++] = "an attribute";
		drop(exp, &n, YYSYMBOL_TK_IDENT);
	}
	/* Separators first, then what opens a body, then what closes the innermost bracket:
	 * "expected ',' or '{'", "expected ',' or ']' to close the list opened at 3:15". */
	const char *closer = NULL, *opener = NULL;
	for (int i = 0; i < n; i++) {
		const char *w = describe(exp[i]);
		if (top && w[0] == '\'' && w[1] == top->closer && w[2] == '\'') {
			closer = w;
			continue;
		}
		if (strcmp(w, "'{'") == 0) {
			opener = w;
			continue;
		}
		words[nw++] = w;
	}
	if (opener)
		words[nw++] = opener;
	if (closer)
		words[nw++] = closer;

	char msg[512];
	size_t m = 0;
#define ADD(...) m += (size_t)snprintf(msg + m, m < sizeof msg ? sizeof msg - m : 0, __VA_ARGS__)
	if (nw == 0)
		ADD("unexpected");
	else
		ADD("expected");
	for (int i = 0; i < nw; i++)
		ADD("%s%s", i == 0 ? " " : i == nw - 1 ? " or " : ", ", words[i]);
	if (closer) {
		unsigned line, col;
		diag_line_col(ps->lx.f, top->at, &line, &col);
		if (top->name)
			ADD(" to close %s '%.*s' opened at %u:%u", top->what, (int)top->len, top->name, line, col);
		else
			ADD(" to close the %s opened at %u:%u", top->what, line, col);
	}
	switch (la) {
	case YYSYMBOL_YYEOF:
		ADD(", got end of file");
		break;
	case YYSYMBOL_TK_STRING:
		ADD(", got a string");
		break;
	case YYSYMBOL_TK_DECORATOR:
		ADD(", got '@%.*s'", (int)(loc->end - loc->start - 1), ps->lx.f->text + loc->start + 1);
		break;
	default:
		ADD(", got '%.*s'", (int)(loc->end - loc->start), ps->lx.f->text + loc->start);
		break;
	}
#undef ADD
	diag_error(ps->d, parse_span(ps, *loc), "%s", msg);
	return 0;
}

/* Only for what yyreport_syntax_error does not cover: the parser stack overflowing. */
static void yyerror(const YYLTYPE *loc, dsl_parser *ps, const char *msg)
{
	ps->syntax_errors++;
	diag_error(ps->d, parse_span(ps, *loc), "%s (nesting too deep)", msg);
}

int parse_run(dsl_parser *ps)
{
	return yyparse(ps);
}
