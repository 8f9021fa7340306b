/* diag.h -- source files and diagnostics. Passes never print: they add records here, and the
 * driver prints them sorted by position at the end, gcc-style, with the source line and a caret.
 * Ownership: the context owns every source text given to diag_add_file and every message. */
#ifndef PIPEC_DIAG_H
#define PIPEC_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct src_file {
	const char *name;   /* as given on the command line */
	const char *text;   /* NUL-terminated copy of the whole file */
	size_t len;
	uint32_t *line_starts; /* built lazily when the first diagnostic is printed */
	size_t nlines;
	unsigned index;     /* order of registration, for sorting */
} src_file;

/* A byte range [start, end) in one file. A span with file == NULL has no location. */
typedef struct src_span {
	const src_file *file;
	uint32_t start, end;
} src_span;

typedef struct diag_ctx diag_ctx;

enum { DIAG_MAX_ERRORS = 20 };

diag_ctx *diag_new(void);
void diag_free(diag_ctx *d);

/* Registers a source; takes ownership of text (malloc'd, len bytes plus a NUL). */
const src_file *diag_add_file(diag_ctx *d, const char *name, char *text, size_t len);

/* Records an error at span. Past DIAG_MAX_ERRORS errors, further ones are counted, not kept. */
void diag_error(diag_ctx *d, src_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Records a warning at span. */
void diag_warning(diag_ctx *d, src_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Attaches a note (a related place) to the last error or warning recorded. */
void diag_note(diag_ctx *d, src_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

size_t diag_error_count(const diag_ctx *d);

/* Prints every record sorted by file and position, then a "too many errors" line if any
 * were dropped. Errors print as "file:line:col: error: msg", the source line and "^~~~". */
void diag_print(diag_ctx *d, FILE *out);

/* 1-based line and column (in code points) of a byte offset. */
void diag_line_col(const src_file *f, uint32_t offset, unsigned *line, unsigned *col);

/* The candidate closest to word by edit distance, or NULL if none is close enough
 * (none for one letter, one edit up to three letters, two up to five, a third of the length beyond). */
const char *diag_suggest(const char *word, size_t len, const char *const *cands, size_t n);
#endif
