/* pipec.h -- the compiler as a library: read a source, run the front end and the passes, and
 * keep the results for lowering. main.c, the tests, the benchmark and the fuzzers all call
 * this. Ownership: a pipec_unit owns its arena, diagnostics and source; pipec_unit_free frees
 * all of them. */
#ifndef PIPEC_PIPEC_H
#define PIPEC_PIPEC_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "ir.h"

enum pipec_lang { LANG_AUTO, LANG_YAML, LANG_PIPE };

/* Inputs larger than this are refused (a clear error, not an out-of-memory). */
enum { PIPEC_MAX_INPUT = 64 << 20 };

typedef struct pipec_unit {
	arena *a;
	diag_ctx *d;
	ir_build b;
	const src_file *file;
	ir_pipeline *ir;
	chk_pipeline *checked;
} pipec_unit;

pipec_unit *pipec_unit_new(void);
void pipec_unit_free(pipec_unit *u);

/* Reads path ("-" for standard input) as the unit's source. Returns 0, or -1 after printing
 * "pipec: cannot read ...". */
int pipec_read(pipec_unit *u, const char *path);
/* Uses text (len bytes, copied) as the source called name: for fuzzers and tests. */
void pipec_set_source(pipec_unit *u, const char *name, const char *text, size_t len);

/* The language of path by its extension (.pipe, .yaml, .yml), or LANG_AUTO if unknown. */
enum pipec_lang pipec_lang_of(const char *path);

/* Front end, resolve and check. Returns true when the source has no errors; diagnostics are
 * in u->d either way. */
bool pipec_compile(pipec_unit *u, enum pipec_lang lang, const char *namespace_override);
#endif
