/* seq.h -- the sequencer: drives the DAG engine from the Jobs of one run on a cluster (list,
 * then watch), starts ready steps by un-suspending their Jobs, keeps their pipec.dev/state
 * current, fails steps stuck Pending past their timeout, and writes the run's summary on the
 * sequencer's own Job at the end. OUTPUT.md, "The runtime sequencer", is the contract.
 * Ownership: seq_run() borrows the plan and the client. */
#ifndef PIPEC_SEQ_H
#define PIPEC_SEQ_H
#include "kube.h"
#include "plan.h"

/* ORDER seq_exit: exit_codes[] in main.c documents each. */
enum seq_exit {
	SEQ_EXIT_OK = 0,        /* every step succeeded */
	SEQ_EXIT_FAILED = 1,    /* the pipeline failed */
	SEQ_EXIT_USAGE = 2,     /* bad command line */
	SEQ_EXIT_CONFIG = 3,    /* unreadable or invalid plan, kubeconfig, token or CA */
	SEQ_EXIT_CLUSTER = 4,   /* the API could not be used: unreachable, forbidden, Jobs missing */
};

typedef struct seq_options {
	double poll_interval; /* seconds between checks of running steps' pods */
	double start_wait;    /* how long 403/404 and missing Jobs are waited out at start */
} seq_options;

/* Defaults (10 s, 300 s) overridden by PIPEC_RUNTIME_POLL_INTERVAL and PIPEC_RUNTIME_START_WAIT. */
seq_options seq_options_from_env(void);

/* Runs the plan to its end. Logs to stdout: one line per transition, retries and waits, and a
 * summary table at the end. Returns SEQ_EXIT_OK, SEQ_EXIT_FAILED or SEQ_EXIT_CLUSTER. */
int seq_run(const plan *p, kube *k, const seq_options *o);
#endif
