/* parse.h -- what the bison parser (parser.y) and its helpers in dsl.c share: the parser
 * state and the one-line builders the grammar actions call. Internal to grammar/.
 * Ownership: everything built here lives in the build's arena. */
#ifndef PIPEC_PARSE_H
#define PIPEC_PARSE_H
#include <stdbool.h>

#include "ir.h"
#include "lex.h"
#include "parser.h"

/* A bracket the scanner has seen open, so that a syntax error can say what is unclosed. */
typedef struct parse_open {
	char closer;       /* '}', ']' or ')' */
	uint32_t at;       /* offset of the opening bracket */
	const char *what;  /* "pipeline", "step", "map", "list", "decorator" */
	const char *name;  /* the pipeline's or step's name, or the decorator's */
	size_t len;
} parse_open;

enum { PARSE_MAX_OPEN = 64 };

struct dsl_parser {
	ir_build *b;   /* the IR and its (semantic) errors */
	diag_ctx *d;   /* lexical and syntax errors */
	lexer lx;
	ir_pipeline *p;
	ir_step *s;    /* the step whose body is being read, or NULL */
	bool skip;     /* inside a step whose header did not parse: build nothing */
	parse_open open[PARSE_MAX_OPEN];
	size_t nopen;
	bool la_opened; /* the lookahead token pushed open[nopen - 1] */
	int hdr;        /* TK_PIPELINE or TK_STEP while reading that header, else 0 */
	lex_token hdr_name;
	uint32_t last_end; /* end of the last token read */
	size_t syntax_errors;
};

/* A decorator waiting for the pipeline or step it precedes. */
struct dsl_deco {
	src_span at; /* the @name token */
	const char *name;
	size_t len;
	ir_value *args; /* a map; NULL after a syntax error */
	dsl_deco *next;
};

/* The grammar's entry point (bison's yyparse): 0 on success. */
int parse_run(dsl_parser *ps);

src_span parse_span(const dsl_parser *ps, dsl_loc loc);
dsl_deco *parse_deco(dsl_parser *ps, dsl_deco *list, dsl_loc at, dsl_text name, ir_value *args);
void parse_pipeline(dsl_parser *ps, dsl_deco *decos, dsl_loc at, dsl_text name);
void parse_step(dsl_parser *ps, dsl_deco *decos, dsl_loc at, dsl_text name);
void parse_step_end(dsl_parser *ps);
/* Error productions: a step header that did not parse, and `stepp NAME {`. */
void parse_step_broken(dsl_parser *ps);
void parse_step_misspelt(dsl_parser *ps, dsl_loc at, dsl_text word);
void parse_after(dsl_parser *ps, dsl_loc at, dsl_text name);
void parse_attr(dsl_parser *ps, dsl_loc at, dsl_text key, ir_value *v);
/* Appends v to list (a new list when NULL); a NULL v (after a syntax error) is dropped. */
ir_value *parse_push(dsl_parser *ps, ir_value *list, dsl_loc at, ir_value *v);
/* Adds key: v to map (a new map when NULL). */
ir_value *parse_put(dsl_parser *ps, ir_value *map, dsl_loc at, dsl_text key, ir_value *v);
/* Gives a finished list or map the span of its brackets. */
ir_value *parse_close(dsl_parser *ps, ir_value *v, dsl_loc at);
#endif
