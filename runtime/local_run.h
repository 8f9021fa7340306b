/* local_run.h -- `pipec run`: executes a pipeline's steps on this machine as child processes,
 * driven by the same DAG engine as the in-cluster sequencer (dag.h). Each step's stdout and
 * stderr go to <logs_dir>/<step>.log; a live status view is drawn on a terminal, plain lines
 * otherwise. Ctrl-C (SIGINT) or SIGTERM stops every running step's process group.
 * Ownership: local_run() borrows everything it is given and keeps nothing. */
#ifndef PIPEC_LOCAL_RUN_H
#define PIPEC_LOCAL_RUN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct lr_step {
	const char *name;
	char *const *argv;      /* NULL-terminated; argv[0] is looked up in PATH */
	char *const *env;       /* NULL-terminated "NAME=VALUE", added to the inherited environment; or NULL */
	const char *working_dir; /* or NULL */
	const size_t *after;    /* indexes into steps */
	size_t nafter;
	long timeout_seconds;   /* 0 = none */
} lr_step;

typedef struct lr_options {
	unsigned max_parallel; /* 0 = unlimited */
	bool stop_on_failure;
	bool dry_run;
	const char *logs_dir;  /* or NULL: default ./pipec-logs */
	FILE *status;          /* where the live view/plain lines go */
} lr_options;

/* Runs steps (given in topological order: every index in after is smaller than the step's own)
 * as child processes, at most max_parallel at once; a step whose dependency failed is skipped,
 * and under stop_on_failure nothing new starts after a failure. A step fails when its command
 * exits non-zero, is killed, cannot be found ("step 'x': command 'foo' not found"), cannot
 * enter its working directory, or outlives timeout_seconds (its process group is then killed).
 * With dry_run, prints what would run and runs nothing. SIGINT and SIGTERM are caught for the
 * duration of the call: the children's process groups get SIGTERM (SIGKILL after 2 s) and the
 * interrupted steps are reported. Returns 0 if every step succeeded (dry run: 0), 1 otherwise
 * (including an interrupt), -1 on a system error (logs directory, fork, pipe) or a step list
 * that is not in topological order. */
int local_run(const lr_step *steps, size_t n, const lr_options *o);
#endif
