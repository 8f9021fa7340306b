/* kube.h -- the Kubernetes object shapes pipec accepts inside @pod (affinity, tolerations,
 * volumes, volume mounts, container security context): field tables in the API's own names and
 * in the order pipec emits them, with types and allowed values. check uses them to report
 * unknown fields and wrong types; lower uses them to copy objects into the output tree in a
 * fixed order. Ownership: trees from kube_lower live in the arena. */
#ifndef PIPEC_KUBE_H
#define PIPEC_KUBE_H
#include "diag.h"
#include "ir.h"
#include "ktree.h"

typedef struct kube_schema kube_schema;

extern const kube_schema kube_affinity, kube_toleration, kube_volume, kube_volume_mount,
	kube_security_context;
/* Parts of an affinity, for merging the CUDA node affinity into a user's. */
extern const kube_schema kube_node_selector_term, kube_preferred_term, kube_pod_affinity;

/* Checks v against schema s: unknown fields (with a did-you-mean), wrong types, values outside
 * an enumeration, missing required fields, a volume with no or two sources. what names the
 * object in messages ("affinity"). Returns false on error. */
bool kube_check(diag_ctx *d, const kube_schema *s, const ir_value *v, const char *what);

/* The checked value v as an output tree, fields in the schema's order. */
kt *kube_lower(arena *a, const kube_schema *s, const ir_value *v);
#endif
