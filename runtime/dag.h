/* dag.h -- the DAG engine both drivers share (the in-cluster sequencer and `pipec run`): a pure
 * state machine over a pipeline's steps. No I/O, no clock: callers pass the time in. A step
 * moves waiting -> running -> succeeded | failed, or waiting -> skipped when something it
 * depends on failed (or, under stop-on-failure, when anything failed). Events come from the
 * driver; dag_ready() answers which steps to start next under max_parallel.
 * Ownership: a dag copies nothing but the dependency indexes; step names are borrowed and
 * must outlive it. Reasons are copied. dag_free() releases everything the dag owns. */
#ifndef PIPEC_DAG_H
#define PIPEC_DAG_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* ORDER dag_state: dag_state_names[] in dag.c follows this order. */
typedef enum dag_state { DAG_WAITING, DAG_RUNNING, DAG_SUCCEEDED, DAG_FAILED, DAG_SKIPPED, DAG_NSTATES } dag_state;

/* ORDER dag_event: dag_event_names[] and the transition table in dag.c follow this order. */
typedef enum dag_event {
	DAG_EV_START,           /* the driver started the step (or found it started) */
	DAG_EV_SUCCEED,         /* the step finished well (or was found finished) */
	DAG_EV_FAIL,            /* the step failed; reason says why */
	DAG_EV_SUSPENDED,       /* a running step was stopped from outside (re-apply): resume it */
	DAG_EV_PENDING_TIMEOUT, /* its pod could not start within its pending timeout */
	DAG_EV_SKIP,            /* internal: an upstream step failed, or the run stopped */
	DAG_NEVENTS
} dag_event;

/* What dag_apply() did. */
typedef enum dag_result {
	DAG_CHANGED,   /* the step moved to another state (or, for SUSPENDED, must be resumed) */
	DAG_NOOP,      /* the event changes nothing in that state (e.g. succeeded twice) */
	DAG_INVALID    /* the event makes no sense in that state; nothing changed */
} dag_result;

typedef struct dag_step {
	const char *name;
	size_t *after;     /* indexes of the steps this one waits for (owned) */
	size_t nafter;
	dag_state state;
	time_t started, ended; /* 0 when not (yet) known */
	char *reason;      /* why it failed or was skipped, or NULL (owned) */
	unsigned restarts; /* times it was resumed after a SUSPENDED event */
} dag_step;

typedef struct dag {
	dag_step *steps;
	size_t n;
	unsigned max_parallel;  /* 0 = unlimited */
	bool stop_on_failure;
} dag;

/* Creates a dag of n steps, all waiting, with no dependencies. Never returns NULL. */
dag *dag_new(size_t n, unsigned max_parallel, bool stop_on_failure);
/* Sets step i's name (borrowed) and its dependencies (copied). Indexes must be < n and the
 * graph acyclic; the plan loader checks both. */
void dag_set_step(dag *d, size_t i, const char *name, const size_t *after, size_t nafter);
void dag_free(dag *d);

/* Applies event ev to step i at time now. reason (copied, may be NULL) is kept for FAIL,
 * PENDING_TIMEOUT and SKIP. A failure skips every waiting step downstream of i, and under
 * stop_on_failure every waiting step. Events are idempotent where the driver may see them
 * twice (a watch replays, a restart rebuilds): succeeded+SUCCEED is a NOOP. Facts found on
 * the cluster win over derived states: a skipped step that is found succeeded or failed takes
 * that state, so rebuilding from observations in any order gives the same answer. */
dag_result dag_apply(dag *d, size_t i, dag_event ev, time_t now, const char *reason);

/* Writes into out (room for d->n) the steps to start now, in index order: waiting steps whose
 * dependencies all succeeded, no more than max_parallel minus the running ones, none at all
 * once a step failed under stop_on_failure. Returns how many. */
size_t dag_ready(const dag *d, size_t *out);

size_t dag_count(const dag *d, dag_state s);
/* True when nothing runs and nothing can start any more. */
bool dag_over(const dag *d);
/* True when every step succeeded. */
bool dag_all_succeeded(const dag *d);

const char *dag_state_name(dag_state s);
const char *dag_event_name(dag_event e);
/* Parses a state name ("running"); returns DAG_NSTATES when unknown. */
dag_state dag_state_parse(const char *s);
#endif
