/* convert.h -- print a loaded pipeline in either syntax, for `pipec convert`. Comments are
 * not carried over (the IR has none); key order follows the source (ir keysets keep it).
 * Both printers write to out and return 0, or -1 on a write error. */
#ifndef PIPEC_CONVERT_H
#define PIPEC_CONVERT_H
#include <stdio.h>

#include "ir.h"

/* The pipeline as canonical .pipe source (the layout `pipec fmt` produces). */
int convert_to_pipe(const ir_pipeline *p, FILE *out);
/* The pipeline as a YAML spec, written through libyaml's emitter. */
int convert_to_yaml(const ir_pipeline *p, FILE *out);
#endif
