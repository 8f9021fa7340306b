/* resolve.h -- the dependency pass: step names to steps, then a stable topological order. */
#ifndef PIPEC_RESOLVE_H
#define PIPEC_RESOLVE_H
#include "ir.h"

/* Binds every `after` name to its step (ir_dep.step) and sets p->order to a topological order
 * that breaks ties by source order. Errors: duplicate step names (noting the first), unknown
 * steps (with a did-you-mean), a step after itself, a step listed twice in one `after`, and
 * cycles, each reported as its whole path with a note at every edge. Linear in steps plus
 * dependencies (n log n for the tie-breaking heap). Returns false on error. */
bool resolve_pipeline(ir_build *b, ir_pipeline *p);
#endif
