/* lower.h -- the lowering pass: a checked pipeline to the bundle of OUTPUT.md as object trees,
 * one entry per output file, files in apply (lexical) order. Names, labels, the plan, the run
 * id and the spec hash are all decided here; bytes are decided by emit.
 * Step Jobs are not kept: each is built on demand by bundle_docs, so a bundle of 100,000 steps
 * never holds 100,000 trees (about 6 KB each) at once.
 * Ownership: the bundle and its stored trees live in the arena passed in. */
#ifndef PIPEC_LOWER_H
#define PIPEC_LOWER_H
#include "check.h"
#include "ktree.h"

typedef struct bundle_file {
	const char *name; /* "30-step-train.yaml" */
	kt **docs;        /* NULL for a step Job, built by bundle_docs */
	size_t ndocs;
	size_t step;      /* with docs == NULL: the step's index */
} bundle_file;

typedef struct lowerer lowerer;

typedef struct bundle {
	bundle_file *files;
	size_t nfiles;
	const char *run;       /* the run id used, or NULL */
	const char *spec_hash; /* 16 hex digits */
	const char *plan_json; /* the plan, as stored in the ConfigMap */
	const lowerer *lower;  /* what bundle_docs needs to build step Jobs */
} bundle;

typedef struct lower_options {
	const char *run_id;        /* NULL: none; "hash": a prefix of the spec hash */
	const char *runtime_image; /* the sequencer's image when the spec names none */
	bool kustomize;            /* also a kustomization.yaml listing the files */
} lower_options;

/* Lowers a checked pipeline. Costs one build of every step Job (for the spec hash, each tree
 * freed after hashing) plus one more per run id; bundle_docs builds them again for output. */
bundle *lower_pipeline(arena *a, const chk_pipeline *cp, const lower_options *o);

/* The ndocs documents of file f: the stored trees, or for a step Job a tree built now in
 * scratch, valid until the caller resets or frees scratch (one file at a time). */
kt *const *bundle_docs(const bundle *b, size_t f, arena *scratch);

/* A Kubernetes name from parts: "a-b-c", shortened to 63 characters with a hash suffix when
 * longer, so two different long names never collide. */
const char *lower_name(arena *a, const char *base, const char *suffix, const char *run);
#endif
