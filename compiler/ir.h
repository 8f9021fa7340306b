/* ir.h -- the one intermediate representation that both front ends (YAML spec, DSL) build.
 * A pipeline holds attributes, @op and @pod settings, and steps in source order. Attribute
 * values are ir_value trees that keep the span of every node, so later passes report
 * located errors. Front ends never fill structures directly: they call the ir_* builders
 * below, which check each key against the attribute tables and each value against its type.
 * Ownership: everything lives in the build's arena; the IR is read-only after checking. */
#ifndef PIPEC_IR_H
#define PIPEC_IR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* ---- values ---------------------------------------------------------------------------- */

enum ir_kind { IRV_NULL, IRV_STRING, IRV_NUMBER, IRV_BOOL, IRV_LIST, IRV_MAP };

typedef struct ir_value ir_value;

typedef struct ir_entry {
	const char *key; /* NUL-terminated */
	size_t key_len;
	src_span key_span;
	ir_value *value;
} ir_entry;

struct ir_value {
	enum ir_kind kind;
	src_span span;
	union {
		struct { const char *s; size_t len; } str; /* decoded text, NUL-terminated */
		struct { const char *text; size_t len; bool is_int; } num; /* as written: "2", "0.5" */
		bool b;
		struct { ir_value **items; size_t n, cap; } list;
		/* index: an open-addressing table of 2 * cap slots (entry number + 1, 0 = free)
		 * once the map has IR_MAP_INDEXED entries, so big free-key maps (env, labels)
		 * stay linear to build and to look up; NULL for small maps. */
		struct { ir_entry *entries; uint32_t n, cap; uint32_t *index; } map;
	};
};

/* ---- attribute keys: one table row each in ir.c ------------------------------------------ */

/* ORDER ir_attr */
enum ir_attr {
	A_NAMESPACE, A_CREATE_NAMESPACE, A_IMAGE, A_COMMAND, A_RUN, A_ARGS, A_LABELS, A_ANNOTATIONS,
	A_ENV, A_SECRET_ENV, A_ENV_FROM, A_WORKING_DIR, A_SEQUENCER, A_MAX_PARALLEL, A_ON_FAILURE,
	A_TTL, A_SERVICE_ACCOUNT, A_IMAGE_PULL_POLICY, A_RETRIES, A_TIMEOUT, A_PENDING_TIMEOUT,
	A_OP, A_POD, A__COUNT
};

/* ORDER op_key */
enum op_key {
	OP_NUM_CPUS, OP_MEMORY, OP_GPU_RESOURCE_NAME, OP_NUM_GPUS, OP_CUDA_VERSION, OP_CUDA_STRICT,
	OP_CPU_LIMIT, OP_MEMORY_LIMIT, OP_EPHEMERAL_STORAGE, OP__COUNT
};

/* ORDER pod_key */
enum pod_key {
	POD_NODE_SELECTOR, POD_AFFINITY, POD_TOLERATIONS, POD_VOLUMES, POD_VOLUME_MOUNTS,
	POD_HOST_IPC, POD_IMAGE_PULL_SECRETS, POD_LABELS, POD_ANNOTATIONS, POD_SERVICE_ACCOUNT,
	POD_SECURITY_CONTEXT, POD_PRIORITY_CLASS, POD__COUNT
};

/* Where a key is written: the pipeline, a step, or the pipeline's `sequencer` map. */
enum ir_level { LVL_PIPELINE = 1, LVL_STEP = 2, LVL_SEQUENCER = 4 };

/* A set of keys of one table: the value and key span of each key given, and the order in
 * which they were given (so `convert` and `fmt` keep the author's order). */
#define IR_KEYSET(N)                                                                         \
	struct {                                                                             \
		const ir_value *v[N];                                                        \
		src_span key[N];                                                             \
		unsigned char order[N];                                                      \
		unsigned n;                                                                  \
	}

typedef IR_KEYSET(A__COUNT) ir_attrs;
typedef IR_KEYSET(OP__COUNT) ir_op;
typedef IR_KEYSET(POD__COUNT) ir_pod;

typedef struct ir_dep {
	const char *name;
	size_t len;
	src_span span;
	size_t step; /* index into ir_pipeline.steps; set by resolve */
} ir_dep;

typedef struct ir_step {
	const char *name;
	size_t name_len;
	src_span name_span;
	size_t index; /* source order */
	ir_attrs attrs;
	ir_op op;
	ir_pod pod;
	ir_dep *after;
	size_t nafter, after_cap;
} ir_step;

typedef struct ir_sequencer {
	const ir_value *image;
	src_span image_key;
	ir_op op;
	ir_pod pod;
} ir_sequencer;

typedef struct ir_pipeline {
	const char *name;
	size_t name_len;
	src_span name_span;
	const src_file *file;
	ir_attrs attrs;
	ir_op op;   /* pipeline-level @op: defaults for every step */
	ir_pod pod; /* pipeline-level @pod: defaults for every step */
	ir_sequencer seq;
	ir_step **steps;
	size_t nsteps, steps_cap;
	size_t *order; /* topological order of step indexes; set by resolve */
} ir_pipeline;

/* The state a front end builds with. */
typedef struct ir_build {
	arena *a;
	diag_ctx *d;
	const src_file *file;
} ir_build;

/* Limits, each a clear error instead of a blow-up (documented in the man page). The input
 * size (PIPEC_MAX_INPUT) bounds everything else; these catch the absurd within it. */
enum {
	IR_MAX_STEPS = 1000000,      /* steps in one pipeline */
	IR_MAX_DEPS = 10000,         /* names in one step's `after` */
	IR_MAX_STRING = 1 << 20,     /* bytes in one string (a `run` script, say) */
	IR_MAP_INDEXED = 8,          /* maps this big get a hash index */
};

/* ---- value constructors ------------------------------------------------------------------ */

ir_value *ir_null(ir_build *b, src_span span);
/* s is copied into the arena. */
ir_value *ir_string(ir_build *b, src_span span, const char *s, size_t len);
ir_value *ir_number(ir_build *b, src_span span, const char *text, size_t len);
ir_value *ir_bool(ir_build *b, src_span span, bool v);
ir_value *ir_list(ir_build *b, src_span span);
void ir_list_push(ir_build *b, ir_value *list, ir_value *item);
ir_value *ir_map(ir_build *b, src_span span);
/* Room for n items or entries in all, allocated once: front ends that know the count (the
 * YAML loader reads a whole node first) avoid the doubling's abandoned arrays in the arena. */
void ir_list_reserve(ir_build *b, ir_value *list, size_t n);
void ir_map_reserve(ir_build *b, ir_value *map, size_t n);
/* Adds key: value to map. A repeated key is an error (with a note at the first); returns
 * false then and the map keeps the first value. */
bool ir_map_put(ir_build *b, ir_value *map, src_span key_span, const char *key, size_t key_len,
		ir_value *value);
/* The value of key in map, or NULL. */
const ir_value *ir_map_get(const ir_value *map, const char *key);
/* "a string", "a number", ... for messages. */
const char *ir_kind_name(enum ir_kind k);

/* ---- pipeline builders -------------------------------------------------------------------- */

ir_pipeline *ir_pipeline_new(ir_build *b, const char *name, size_t len, src_span span);
/* Appends a step in source order (duplicates are found by resolve, not here). */
ir_step *ir_step_add(ir_build *b, ir_pipeline *p, const char *name, size_t len, src_span span);
/* Records that s runs after the step called name. */
void ir_step_after(ir_build *b, ir_step *s, const char *name, size_t len, src_span span);

/* Sets attribute key of the pipeline (s == NULL) or of step s. Unknown keys (with a
 * did-you-mean), keys of the other level, repeated keys and values of the wrong type are
 * errors; `op`, `pod` and `sequencer` take maps whose entries go through the setters below.
 * Returns false on error (the error is recorded). */
bool ir_set_attr(ir_build *b, ir_pipeline *p, ir_step *s, src_span key_span, const char *key,
		 size_t key_len, const ir_value *v);
/* Sets one @op key at a level (the pipeline, a step, or the sequencer). */
bool ir_set_op(ir_build *b, ir_op *op, enum ir_level lvl, src_span key_span, const char *key,
	       size_t key_len, const ir_value *v);
/* Sets one @pod key at a level. */
bool ir_set_pod(ir_build *b, ir_pod *pod, enum ir_level lvl, src_span key_span, const char *key,
		size_t key_len, const ir_value *v);

/* ---- tables, for passes and printers (convert, fmt, reference docs) ----------------------- */

enum ir_type {
	T_STRING, T_BOOL, T_INT, T_NUMBER, T_STRING_OR_NUMBER, T_STRING_LIST, T_STRING_MAP,
	T_OBJECT, T_OBJECT_LIST, T_OP, T_POD, T_SEQUENCER
};

typedef struct ir_key_info {
	const char *name;
	enum ir_type type;
	unsigned levels; /* LVL_* bits where the key may be written */
} ir_key_info;

extern const ir_key_info ir_attr_info[A__COUNT]; /* ORDER ir_attr */
extern const ir_key_info ir_op_info[OP__COUNT];  /* ORDER op_key */
extern const ir_key_info ir_pod_info[POD__COUNT]; /* ORDER pod_key */

/* Convenience readers for checked IR: the string, or NULL when v is NULL. */
const char *ir_str(const ir_value *v);
#endif
