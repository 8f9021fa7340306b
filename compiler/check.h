/* check.h -- the checking pass: every rule of LANGUAGE.md that can be decided at compile time,
 * and the merged, canonical settings of each step (pipeline defaults under step values, units
 * translated) that lowering turns into objects. The IR itself is not modified.
 * Ownership: the checked pipeline and everything it points to live in the build's arena. */
#ifndef PIPEC_CHECK_H
#define PIPEC_CHECK_H
#include "ir.h"
#include "units.h"

/* Canonical @op values. Empty strings mean "not set". */
typedef struct chk_op {
	char cpu[UNITS_TEXT_MAX], memory[UNITS_TEXT_MAX];
	char cpu_limit[UNITS_TEXT_MAX], memory_limit[UNITS_TEXT_MAX], ephemeral[UNITS_TEXT_MAX];
	const char *gpu; /* extended resource name, or NULL */
	long long num_gpus;
	int cuda_major, cuda_minor; /* -1 when no cuda_version */
	bool cuda_strict;
} chk_op;

typedef struct chk_step {
	const ir_step *ir;
	chk_op op;
	const char *image, *image_pull_policy, *working_dir;
	const ir_value *command; /* list of strings; for `run`, the /bin/sh -c form */
	const ir_value *args;
	const ir_value *env, *secret_env; /* merged maps (pipeline's, then the step's over them) */
	const ir_value *env_from;
	long long retries, timeout, pending_timeout; /* timeout -1 = none */
	const ir_value *pod[POD__COUNT]; /* merged: maps key by key, lists concatenated */
} chk_step;

typedef struct chk_pipeline {
	const ir_pipeline *ir;
	const char *namespace;
	bool create_namespace;
	long long max_parallel; /* 0 = unlimited */
	const char *on_failure;
	long long ttl;          /* -1 = none */
	long long pending_timeout; /* pipeline default for steps, seconds */
	const char *service_account; /* pipeline-wide, or NULL */
	const ir_value *labels, *annotations; /* pipeline's own */
	chk_step *steps;        /* in source order (index = ir_step.index) */
	/* the sequencer's pod */
	const char *seq_image;  /* NULL: the runtime image given to the build */
	chk_op seq_op;
	const ir_value *seq_pod[POD__COUNT];
} chk_pipeline;

/* Checks a resolved pipeline; namespace_override (or NULL) replaces its namespace. Reports
 * every violation; returns NULL if there was any. */
chk_pipeline *check_pipeline(ir_build *b, const ir_pipeline *p, const char *namespace_override);

/* Rules shared with the CLI (for --run-id and --namespace). */
bool check_dns_label(const char *s, size_t len);
bool check_dns_subdomain(const char *s, size_t len);
#endif
