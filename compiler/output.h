/* output.h -- writing a bundle: one YAML stream, or a directory replaced atomically.
 * Both return 0, or -1 after printing "pipec: cannot ...: reason" to stderr (exit status 3). */
#ifndef PIPEC_OUTPUT_H
#define PIPEC_OUTPUT_H
#include <stdio.h>

#include "lower.h"

/* Every document of every file, in file order, as one `---`-separated stream. */
int output_stream(const bundle *b, FILE *out);

/* The bundle as the flat files of dir. The files are written into a temporary sibling, which
 * then replaces dir in one rename, so readers see the old bundle or the new one, never a mix,
 * and files of an earlier build that this one does not write are gone. A dir holding files
 * pipec would not write is left alone (an error), so `-o .` cannot wipe a project. */
int output_dir(const bundle *b, const char *dir);
#endif
