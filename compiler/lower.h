/* lower.h -- the lowering pass: a checked pipeline to the bundle of OUTPUT.md as object trees,
 * one entry per output file, files in apply (lexical) order. Names, labels, the plan, the run
 * id and the spec hash are all decided here; bytes are decided by emit.
 * Ownership: the bundle and its trees live in the arena passed in. */
#ifndef PIPEC_LOWER_H
#define PIPEC_LOWER_H
#include "check.h"
#include "ktree.h"

typedef struct bundle_file {
	const char *name; /* "30-step-train.yaml" */
	kt **docs;
	size_t ndocs;
} bundle_file;

typedef struct bundle {
	bundle_file *files;
	size_t nfiles;
	const char *run;       /* the run id used, or NULL */
	const char *spec_hash; /* 16 hex digits */
	const char *plan_json; /* the plan, as stored in the ConfigMap */
} bundle;

typedef struct lower_options {
	const char *run_id;        /* NULL: none; "hash": a prefix of the spec hash */
	const char *runtime_image; /* the sequencer's image when the spec names none */
	bool kustomize;            /* also a kustomization.yaml listing the files */
} lower_options;

bundle *lower_pipeline(arena *a, const chk_pipeline *cp, const lower_options *o);

/* A Kubernetes name from parts: "a-b-c", shortened to 63 characters with a hash suffix when
 * longer, so two different long names never collide. */
const char *lower_name(arena *a, const char *base, const char *suffix, const char *run);
#endif
