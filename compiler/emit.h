/* emit.h -- the only place output bytes are decided: object trees to YAML through libyaml's
 * emitter with fixed settings, and plan.json through jansson. Determinism lives here. */
#ifndef PIPEC_EMIT_H
#define PIPEC_EMIT_H
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "ktree.h"

/* One YAML stream written document by document, for bundles too large to hold every tree at
 * once: emit_open, emit_doc for each document, then emit_close, which must be called even when
 * an earlier call failed (it frees the emitter). Each returns 0, or -1 once anything failed. */
typedef struct emit_stream {
	yaml_emitter_t em;
	bool failed;
} emit_stream;

int emit_open(emit_stream *es, yaml_write_handler_t *write, void *data);
int emit_doc(emit_stream *es, const kt *doc);
int emit_close(emit_stream *es);

/* Emits docs as one YAML stream (each document opened with an explicit `---`) through write
 * (called with large chunks). Returns 0, or -1 when write failed or libyaml reported an error. */
int emit_yaml(kt *const *docs, size_t n, yaml_write_handler_t *write, void *data);

/* Whether a plain scalar s could be read back by a YAML 1.1 or 1.2 reader as something other
 * than the string s (a bool, number, null, date, merge key): such strings are quoted. */
bool emit_needs_quotes(const char *s, size_t len);
#endif
