/* plan.h -- loads and validates plan.json, the sequencer's view of a compiled pipeline
 * (OUTPUT.md, "plan.json"): pipeline, run, namespace, maxParallel, onFailure, sequencerJob and
 * the steps with their Jobs, dependencies and pending timeouts.
 * Ownership: a plan owns all its strings and arrays; plan_free() releases them. */
#ifndef PIPEC_PLAN_H
#define PIPEC_PLAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { PLAN_DEFAULT_PENDING_TIMEOUT = 1800 }; /* seconds: LANGUAGE.md's default 30m */

typedef struct plan_step {
	char *name;
	char *job;
	size_t *after; /* indexes into plan.steps */
	size_t nafter;
	long pending_timeout; /* seconds, > 0 */
} plan_step;

typedef struct plan {
	char *pipeline;
	char *run;           /* NULL without a run id */
	char *ns;
	char *sequencer_job; /* NULL when absent */
	unsigned max_parallel; /* 0 = unlimited */
	bool stop_on_failure;
	plan_step *steps;
	size_t n;
} plan;

/* Reads and checks the plan in file path. On success returns a new plan. On error returns
 * NULL after printing one or more diagnostics to err, each "path:line:col: error: ..." for
 * JSON syntax and "path: error: steps[2].after[0]: ..." (a JSON path) for content errors:
 * wrong types, missing keys, duplicate or unknown step names, and cycles (printed as the
 * whole path, "a -> b -> a"). */
plan *plan_load(const char *path, FILE *err);

/* Index of the step named name, or -1. */
long plan_find(const plan *p, const char *name);
/* Index of the step whose Job is named job, or -1. */
long plan_find_job(const plan *p, const char *job);

void plan_free(plan *p);
#endif
