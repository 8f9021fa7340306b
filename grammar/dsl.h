/* dsl.h -- the DSL front end for .pipe files: a re2c lexer and a bison parser that build the
 * same IR as the YAML loader, plus the canonical formatter behind `pipec fmt`.
 * Ownership: IR from dsl_load lives in the build's arena; text from dsl_format is malloc'd and
 * freed by the caller. Diagnostics go to the diag context, never to stdout/stderr. */
#ifndef PIPEC_DSL_H
#define PIPEC_DSL_H
#include <stddef.h>

#include "diag.h"
#include "ir.h"

/* Parses b->file (a .pipe source) into a pipeline. Reports every lexical and syntax error it
 * can recover from; returns NULL when there was any error (all recorded in b->d). */
ir_pipeline *dsl_load(ir_build *b);

/* The canonical layout of the .pipe source f (indentation, aligned `=`, spacing; order and
 * comments kept). Returns malloc'd text and its length in *len, or NULL on syntax errors
 * (recorded in d). Idempotent: formatting the result gives the same text. */
char *dsl_format(diag_ctx *d, const src_file *f, size_t *len);
#endif
