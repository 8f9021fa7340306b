/* stats.h -- `pipec build --stats`: wall time and memory of each phase (read, parse, resolve,
 * check, lower, emit, write), printed to stderr like `gcc -ftime-report`. The state is one
 * process-wide record (a build compiles one unit), so passes deep in the library can attribute
 * time without threading a handle through every call. Every function is a no-op, costing one
 * branch, until stats_enable is called. Ownership: nothing to free. */
#ifndef PIPEC_STATS_H
#define PIPEC_STATS_H
#include <stdbool.h>
#include <stdio.h>

#include "arena.h"

/* ORDER stats_phase */
enum stats_phase {
	STATS_READ, STATS_PARSE, STATS_RESOLVE, STATS_CHECK, STATS_LOWER, STATS_EMIT, STATS_WRITE,
	STATS__COUNT
};

/* Starts the clock (CLOCK_MONOTONIC); the first phase runs from here. */
void stats_enable(void);
bool stats_enabled(void);
/* Seconds on the monotonic clock (for stats_add); 0 when stats are off. */
double stats_now(void);
/* Ends phase p: the wall time since the previous phase ended, less what stats_add attributed
 * to other phases meanwhile, goes to p, with the arena's bytes used (a may be NULL) and the
 * process's peak RSS (getrusage) at that moment. A phase may end several times; times add. */
void stats_phase_end(enum stats_phase p, const arena *a);
/* Attributes secs to phase p from inside another phase (e.g. write time inside emission). */
void stats_add(enum stats_phase p, double secs);
/* The table, one row per phase that ran, then the total. */
void stats_print(FILE *out);
#endif
