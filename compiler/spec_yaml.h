/* spec_yaml.h -- the YAML front end: a pipeline spec (.yaml/.yml) into the IR. libyaml's
 * event parser builds a located value tree (every node keeps its span; aliases, tags and
 * multiple documents are rejected), then the keys go through the same ir_* setters the DSL
 * uses. libcyaml is not used here: its schemas cannot hold the free-key maps of a spec (labels,
 * env, node selectors) and it stops at the first error without a position (see README). */
#ifndef PIPEC_SPEC_YAML_H
#define PIPEC_SPEC_YAML_H
#include "ir.h"

/* Nesting deeper than this is an error, not a stack overflow. */
enum { SPEC_MAX_DEPTH = 64 };
/* More YAML events than this is an error: it bounds the memory of the value tree (about 60
 * bytes a node) whatever the input; a 100,000-step pipeline has about 3 million. */
enum { SPEC_MAX_EVENTS = 8000000 };

/* Loads b->file. Returns the pipeline, or NULL when there were errors (recorded in b->d);
 * keeps going after an error to report as many as it can. */
ir_pipeline *spec_load_yaml(ir_build *b);
#endif
