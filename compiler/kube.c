/* kube.c -- field tables for the Kubernetes objects of @pod, written bottom-up (innermost
 * object first), as in libcyaml schemas. Field names and order follow the API reference
 * (k8s.io/api/core/v1); a field missing here is rejected rather than passed on unchecked. */
#include "config.h"
#include "kube.h"

#include <stdlib.h>
#include <string.h>

#include "units.h"

enum kf_type { KF_STRING, KF_INT, KF_BOOL, KF_QUANTITY, KF_STRING_LIST, KF_STRING_MAP, KF_OBJECT, KF_OBJECT_LIST };

typedef struct kube_field {
	const char *name;
	enum kf_type type;
	const kube_schema *obj;     /* for KF_OBJECT, KF_OBJECT_LIST */
	const char *const *allowed; /* NULL-terminated enumeration for KF_STRING */
	bool required;
} kube_field;

struct kube_schema {
	const char *name;
	const kube_field *fields;
	size_t n;
	/* Exactly one of the fields from index one_of on must be set (volume sources). */
	size_t one_of;
	/* Rules across fields that the API server enforces (operator and values agree, weights
	 * in range); run on an object whose fields have the right types. */
	bool (*rules)(diag_ctx *d, const ir_value *v);
};

static bool node_requirement_rules(diag_ctx *d, const ir_value *v);
static bool label_requirement_rules(diag_ctx *d, const ir_value *v);
static bool toleration_rules(diag_ctx *d, const ir_value *v);
static bool weight_rules(diag_ctx *d, const ir_value *v);

#define FIELDS(arr) .fields = arr, .n = sizeof arr / sizeof *arr

static const char *const node_ops[] = { "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", NULL };
static const char *const label_ops[] = { "In", "NotIn", "Exists", "DoesNotExist", NULL };
static const char *const toleration_ops[] = { "Exists", "Equal", NULL };
static const char *const taint_effects[] = { "NoSchedule", "PreferNoSchedule", "NoExecute", NULL };
static const char *const propagations[] = { "None", "HostToContainer", "Bidirectional", NULL };
static const char *const profile_types[] = { "RuntimeDefault", "Unconfined", "Localhost", NULL };
static const char *const proc_mounts[] = { "Default", "Unmasked", NULL };
static const char *const host_path_types[] = { "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File",
					       "Socket", "CharDevice", "BlockDevice", NULL };
static const char *const storage_media[] = { "", "Memory", "HugePages", NULL };
static const char *const recursive_ro[] = { "Disabled", "IfPossible", "Enabled", NULL };

/* ---- affinity -------------------------------------------------------------------------- */

static const kube_field node_selector_requirement_f[] = {
	{ .name = "key", .type = KF_STRING, .required = true },
	{ .name = "operator", .type = KF_STRING, .allowed = node_ops, .required = true },
	{ .name = "values", .type = KF_STRING_LIST },
};
static const kube_schema node_selector_requirement = { .name = "NodeSelectorRequirement", FIELDS(node_selector_requirement_f), .rules = node_requirement_rules };

static const kube_field node_selector_term_f[] = {
	{ .name = "matchExpressions", .type = KF_OBJECT_LIST, .obj = &node_selector_requirement },
	{ .name = "matchFields", .type = KF_OBJECT_LIST, .obj = &node_selector_requirement },
};
const kube_schema kube_node_selector_term = { .name = "NodeSelectorTerm", FIELDS(node_selector_term_f) };

static const kube_field node_selector_f[] = {
	{ .name = "nodeSelectorTerms", .type = KF_OBJECT_LIST, .obj = &kube_node_selector_term, .required = true },
};
static const kube_schema node_selector = { .name = "NodeSelector", FIELDS(node_selector_f) };

static const kube_field preferred_term_f[] = {
	{ .name = "weight", .type = KF_INT, .required = true },
	{ .name = "preference", .type = KF_OBJECT, .obj = &kube_node_selector_term, .required = true },
};
const kube_schema kube_preferred_term = { .name = "PreferredSchedulingTerm", FIELDS(preferred_term_f), .rules = weight_rules };

static const kube_field node_affinity_f[] = {
	{ .name = "requiredDuringSchedulingIgnoredDuringExecution", .type = KF_OBJECT, .obj = &node_selector },
	{ .name = "preferredDuringSchedulingIgnoredDuringExecution", .type = KF_OBJECT_LIST, .obj = &kube_preferred_term },
};
static const kube_schema node_affinity = { .name = "NodeAffinity", FIELDS(node_affinity_f) };

static const kube_field label_selector_requirement_f[] = {
	{ .name = "key", .type = KF_STRING, .required = true },
	{ .name = "operator", .type = KF_STRING, .allowed = label_ops, .required = true },
	{ .name = "values", .type = KF_STRING_LIST },
};
static const kube_schema label_selector_requirement = { .name = "LabelSelectorRequirement", FIELDS(label_selector_requirement_f), .rules = label_requirement_rules };

static const kube_field label_selector_f[] = {
	{ .name = "matchLabels", .type = KF_STRING_MAP },
	{ .name = "matchExpressions", .type = KF_OBJECT_LIST, .obj = &label_selector_requirement },
};
static const kube_schema label_selector = { .name = "LabelSelector", FIELDS(label_selector_f) };

static const kube_field pod_affinity_term_f[] = {
	{ .name = "labelSelector", .type = KF_OBJECT, .obj = &label_selector },
	{ .name = "namespaceSelector", .type = KF_OBJECT, .obj = &label_selector },
	{ .name = "namespaces", .type = KF_STRING_LIST },
	{ .name = "topologyKey", .type = KF_STRING, .required = true },
	{ .name = "matchLabelKeys", .type = KF_STRING_LIST },
	{ .name = "mismatchLabelKeys", .type = KF_STRING_LIST },
};
static const kube_schema pod_affinity_term = { .name = "PodAffinityTerm", FIELDS(pod_affinity_term_f) };

static const kube_field weighted_term_f[] = {
	{ .name = "weight", .type = KF_INT, .required = true },
	{ .name = "podAffinityTerm", .type = KF_OBJECT, .obj = &pod_affinity_term, .required = true },
};
static const kube_schema weighted_term = { .name = "WeightedPodAffinityTerm", FIELDS(weighted_term_f), .rules = weight_rules };

static const kube_field pod_affinity_f[] = {
	{ .name = "requiredDuringSchedulingIgnoredDuringExecution", .type = KF_OBJECT_LIST, .obj = &pod_affinity_term },
	{ .name = "preferredDuringSchedulingIgnoredDuringExecution", .type = KF_OBJECT_LIST, .obj = &weighted_term },
};
const kube_schema kube_pod_affinity = { .name = "PodAffinity", FIELDS(pod_affinity_f) };

static const kube_field affinity_f[] = {
	{ .name = "nodeAffinity", .type = KF_OBJECT, .obj = &node_affinity },
	{ .name = "podAffinity", .type = KF_OBJECT, .obj = &kube_pod_affinity },
	{ .name = "podAntiAffinity", .type = KF_OBJECT, .obj = &kube_pod_affinity },
};
const kube_schema kube_affinity = { .name = "Affinity", FIELDS(affinity_f) };

/* ---- tolerations ----------------------------------------------------------------------- */

static const kube_field toleration_f[] = {
	{ .name = "key", .type = KF_STRING },
	{ .name = "operator", .type = KF_STRING, .allowed = toleration_ops },
	{ .name = "value", .type = KF_STRING },
	{ .name = "effect", .type = KF_STRING, .allowed = taint_effects },
	{ .name = "tolerationSeconds", .type = KF_INT },
};
const kube_schema kube_toleration = { .name = "Toleration", FIELDS(toleration_f), .rules = toleration_rules };

/* ---- volumes --------------------------------------------------------------------------- */

static const kube_field key_to_path_f[] = {
	{ .name = "key", .type = KF_STRING, .required = true },
	{ .name = "path", .type = KF_STRING, .required = true },
	{ .name = "mode", .type = KF_INT },
};
static const kube_schema key_to_path = { .name = "KeyToPath", FIELDS(key_to_path_f) };

static const kube_field pvc_source_f[] = {
	{ .name = "claimName", .type = KF_STRING, .required = true },
	{ .name = "readOnly", .type = KF_BOOL },
};
static const kube_schema pvc_source = { .name = "PersistentVolumeClaimVolumeSource", FIELDS(pvc_source_f) };

static const kube_field configmap_source_f[] = {
	{ .name = "name", .type = KF_STRING, .required = true },
	{ .name = "items", .type = KF_OBJECT_LIST, .obj = &key_to_path },
	{ .name = "defaultMode", .type = KF_INT },
	{ .name = "optional", .type = KF_BOOL },
};
static const kube_schema configmap_source = { .name = "ConfigMapVolumeSource", FIELDS(configmap_source_f) };

static const kube_field secret_source_f[] = {
	{ .name = "secretName", .type = KF_STRING, .required = true },
	{ .name = "items", .type = KF_OBJECT_LIST, .obj = &key_to_path },
	{ .name = "defaultMode", .type = KF_INT },
	{ .name = "optional", .type = KF_BOOL },
};
static const kube_schema secret_source = { .name = "SecretVolumeSource", FIELDS(secret_source_f) };

static const kube_field empty_dir_f[] = {
	{ .name = "medium", .type = KF_STRING, .allowed = storage_media },
	{ .name = "sizeLimit", .type = KF_QUANTITY },
};
static const kube_schema empty_dir = { .name = "EmptyDirVolumeSource", FIELDS(empty_dir_f) };

static const kube_field host_path_f[] = {
	{ .name = "path", .type = KF_STRING, .required = true },
	{ .name = "type", .type = KF_STRING, .allowed = host_path_types },
};
static const kube_schema host_path = { .name = "HostPathVolumeSource", FIELDS(host_path_f) };

static const kube_field nfs_f[] = {
	{ .name = "server", .type = KF_STRING, .required = true },
	{ .name = "path", .type = KF_STRING, .required = true },
	{ .name = "readOnly", .type = KF_BOOL },
};
static const kube_schema nfs = { .name = "NFSVolumeSource", FIELDS(nfs_f) };

static const kube_field local_ref_f[] = {
	{ .name = "name", .type = KF_STRING, .required = true },
};
static const kube_schema local_ref = { .name = "LocalObjectReference", FIELDS(local_ref_f) };

static const kube_field csi_f[] = {
	{ .name = "driver", .type = KF_STRING, .required = true },
	{ .name = "readOnly", .type = KF_BOOL },
	{ .name = "fsType", .type = KF_STRING },
	{ .name = "volumeAttributes", .type = KF_STRING_MAP },
	{ .name = "nodePublishSecretRef", .type = KF_OBJECT, .obj = &local_ref },
};
static const kube_schema csi = { .name = "CSIVolumeSource", FIELDS(csi_f) };

static const kube_field volume_f[] = {
	{ .name = "name", .type = KF_STRING, .required = true },
	/* the sources, exactly one of them: */
	{ .name = "persistentVolumeClaim", .type = KF_OBJECT, .obj = &pvc_source },
	{ .name = "configMap", .type = KF_OBJECT, .obj = &configmap_source },
	{ .name = "secret", .type = KF_OBJECT, .obj = &secret_source },
	{ .name = "emptyDir", .type = KF_OBJECT, .obj = &empty_dir },
	{ .name = "hostPath", .type = KF_OBJECT, .obj = &host_path },
	{ .name = "nfs", .type = KF_OBJECT, .obj = &nfs },
	{ .name = "csi", .type = KF_OBJECT, .obj = &csi },
};
const kube_schema kube_volume = { .name = "Volume", FIELDS(volume_f), .one_of = 1 };

static const kube_field volume_mount_f[] = {
	{ .name = "name", .type = KF_STRING, .required = true },
	{ .name = "mountPath", .type = KF_STRING, .required = true },
	{ .name = "subPath", .type = KF_STRING },
	{ .name = "subPathExpr", .type = KF_STRING },
	{ .name = "readOnly", .type = KF_BOOL },
	{ .name = "recursiveReadOnly", .type = KF_STRING, .allowed = recursive_ro },
	{ .name = "mountPropagation", .type = KF_STRING, .allowed = propagations },
};
const kube_schema kube_volume_mount = { .name = "VolumeMount", FIELDS(volume_mount_f) };

/* ---- container security context --------------------------------------------------------- */

static const kube_field capabilities_f[] = {
	{ .name = "add", .type = KF_STRING_LIST },
	{ .name = "drop", .type = KF_STRING_LIST },
};
static const kube_schema capabilities = { .name = "Capabilities", FIELDS(capabilities_f) };

static const kube_field se_linux_f[] = {
	{ .name = "user", .type = KF_STRING }, { .name = "role", .type = KF_STRING }, { .name = "type", .type = KF_STRING }, { .name = "level", .type = KF_STRING },
};
static const kube_schema se_linux = { .name = "SELinuxOptions", FIELDS(se_linux_f) };

static const kube_field profile_f[] = {
	{ .name = "type", .type = KF_STRING, .allowed = profile_types, .required = true },
	{ .name = "localhostProfile", .type = KF_STRING },
};
static const kube_schema profile = { .name = "SeccompProfile", FIELDS(profile_f) };

static const kube_field windows_f[] = {
	{ .name = "gmsaCredentialSpecName", .type = KF_STRING },
	{ .name = "gmsaCredentialSpec", .type = KF_STRING },
	{ .name = "runAsUserName", .type = KF_STRING },
	{ .name = "hostProcess", .type = KF_BOOL },
};
static const kube_schema windows = { .name = "WindowsSecurityContextOptions", FIELDS(windows_f) };

static const kube_field security_context_f[] = {
	{ .name = "allowPrivilegeEscalation", .type = KF_BOOL },
	{ .name = "appArmorProfile", .type = KF_OBJECT, .obj = &profile },
	{ .name = "capabilities", .type = KF_OBJECT, .obj = &capabilities },
	{ .name = "privileged", .type = KF_BOOL },
	{ .name = "procMount", .type = KF_STRING, .allowed = proc_mounts },
	{ .name = "readOnlyRootFilesystem", .type = KF_BOOL },
	{ .name = "runAsGroup", .type = KF_INT },
	{ .name = "runAsNonRoot", .type = KF_BOOL },
	{ .name = "runAsUser", .type = KF_INT },
	{ .name = "seLinuxOptions", .type = KF_OBJECT, .obj = &se_linux },
	{ .name = "seccompProfile", .type = KF_OBJECT, .obj = &profile },
	{ .name = "windowsOptions", .type = KF_OBJECT, .obj = &windows },
};
const kube_schema kube_security_context = { .name = "SecurityContext", FIELDS(security_context_f) };

/* ---- rules across fields (k8s.io/kubernetes pkg/apis/core/validation) ------------------------ */

static bool is(const ir_value *v, const char *s)
{
	return v && v->kind == IRV_STRING && strcmp(v->str.s, s) == 0;
}

static size_t count(const ir_value *list)
{
	return list && list->kind == IRV_LIST ? list->list.n : 0;
}

/* In and NotIn need values; Exists and DoesNotExist take none (label and node selectors). */
static bool label_requirement_rules(diag_ctx *d, const ir_value *v)
{
	const ir_value *op = ir_map_get(v, "operator"), *values = ir_map_get(v, "values");
	size_t n = count(values);
	if ((is(op, "In") || is(op, "NotIn")) && n == 0) {
		diag_error(d, op->span, "operator '%s' needs at least one value", op->str.s);
		return false;
	}
	if ((is(op, "Exists") || is(op, "DoesNotExist")) && n != 0) {
		diag_error(d, values->span, "operator '%s' takes no values", op->str.s);
		return false;
	}
	return true;
}

/* The label selector's rules, and Gt and Lt (node selectors only) take one integer. */
static bool node_requirement_rules(diag_ctx *d, const ir_value *v)
{
	if (!label_requirement_rules(d, v))
		return false;
	const ir_value *op = ir_map_get(v, "operator"), *values = ir_map_get(v, "values");
	if (is(op, "Gt") || is(op, "Lt")) {
		const char *s = count(values) == 1 && values->list.items[0]->kind == IRV_STRING ? values->list.items[0]->str.s : "";
		size_t i = s[0] == '-' ? 1 : 0;
		bool digits = s[i] != '\0';
		for (; s[i]; i++)
			digits &= s[i] >= '0' && s[i] <= '9';
		if (!digits) {
			diag_error(d, values ? values->span : op->span, "operator '%s' needs exactly one integer value (quoted)",
				   op->str.s);
			return false;
		}
	}
	return true;
}

/* Exists takes no value; an empty key needs Exists; tolerationSeconds only with NoExecute. */
static bool toleration_rules(diag_ctx *d, const ir_value *v)
{
	const ir_value *key = ir_map_get(v, "key"), *op = ir_map_get(v, "operator");
	const ir_value *value = ir_map_get(v, "value"), *effect = ir_map_get(v, "effect");
	const ir_value *secs = ir_map_get(v, "tolerationSeconds");
	bool ok = true;
	if (is(op, "Exists") && value && value->kind == IRV_STRING && value->str.len) {
		diag_error(d, value->span, "a toleration with operator 'Exists' takes no value");
		ok = false;
	}
	if ((!key || (key->kind == IRV_STRING && key->str.len == 0)) && !is(op, "Exists")) {
		diag_error(d, v->span, "a toleration without a key must have operator 'Exists'");
		ok = false;
	}
	if (secs && !is(effect, "NoExecute")) {
		diag_error(d, secs->span, "tolerationSeconds needs effect 'NoExecute'");
		ok = false;
	}
	return ok;
}

static bool weight_rules(diag_ctx *d, const ir_value *v)
{
	const ir_value *w = ir_map_get(v, "weight");
	long long x = w && w->kind == IRV_NUMBER ? strtoll(w->num.text, NULL, 10) : 1;
	if (x < 1 || x > 100) {
		diag_error(d, w->span, "weight must be from 1 to 100, got %s", w->num.text);
		return false;
	}
	return true;
}

/* ---- checking ---------------------------------------------------------------------------- */

static const char *const type_names[] = {
	[KF_STRING] = "a string", [KF_INT] = "an integer", [KF_BOOL] = "true or false",
	[KF_QUANTITY] = "a quantity", [KF_STRING_LIST] = "a list of strings",
	[KF_STRING_MAP] = "a map of strings", [KF_OBJECT] = "a map", [KF_OBJECT_LIST] = "a list of maps",
};

static bool check_field(diag_ctx *d, const kube_field *f, const ir_value *v, const char *what);

static bool check_scalar(diag_ctx *d, const kube_field *f, const ir_value *v, const char *what)
{
	bool ok;
	switch (f->type) {
	case KF_STRING:
		ok = v->kind == IRV_STRING;
		break;
	case KF_INT:
		ok = v->kind == IRV_NUMBER && v->num.is_int;
		break;
	case KF_BOOL:
		ok = v->kind == IRV_BOOL;
		break;
	case KF_QUANTITY: {
		ok = v->kind == IRV_STRING || v->kind == IRV_NUMBER;
		if (ok) {
			quantity q;
			char out[UNITS_TEXT_MAX];
			const char *s = v->kind == IRV_STRING ? v->str.s : v->num.text;
			size_t n = v->kind == IRV_STRING ? v->str.len : v->num.len;
			const char *err = units_quantity(s, n, &q, out);
			if (err) {
				diag_error(d, v->span, "'%s' in %s: %s, got '%.*s'", f->name, what, err, (int)n, s);
				return false;
			}
		}
		break;
	}
	default:
		ok = false;
	}
	if (!ok) {
		diag_error(d, v->span, "expected %s for '%s' in %s, got %s%s", type_names[f->type], f->name, what,
			   ir_kind_name(v->kind),
			   f->type == KF_STRING && (v->kind == IRV_NUMBER || v->kind == IRV_BOOL) ? "; quote it" : "");
		return false;
	}
	if (f->allowed) {
		size_t n = 0;
		for (; f->allowed[n]; n++)
			if (strcmp(f->allowed[n], v->str.s) == 0)
				return true;
		const char *sugg = diag_suggest(v->str.s, v->str.len, f->allowed, n);
		if (sugg)
			diag_error(d, v->span, "'%s' is not a valid '%s' in %s; did you mean '%s'?", v->str.s, f->name,
				   what, sugg);
		else
			diag_error(d, v->span, "'%s' is not a valid '%s' in %s", v->str.s, f->name, what);
		return false;
	}
	return true;
}

static bool check_field(diag_ctx *d, const kube_field *f, const ir_value *v, const char *what)
{
	switch (f->type) {
	case KF_STRING_LIST:
	case KF_OBJECT_LIST:
		if (v->kind != IRV_LIST)
			break;
		{
			bool ok = true;
			for (size_t i = 0; i < v->list.n; i++) {
				const ir_value *it = v->list.items[i];
				if (f->type == KF_OBJECT_LIST)
					ok &= kube_check(d, f->obj, it, f->obj->name);
				else if (it->kind != IRV_STRING) {
					diag_error(d, it->span, "expected a string in '%s' in %s, got %s", f->name, what,
						   ir_kind_name(it->kind));
					ok = false;
				}
			}
			return ok;
		}
	case KF_STRING_MAP:
		if (v->kind != IRV_MAP)
			break;
		for (size_t i = 0; i < v->map.n; i++)
			if (v->map.entries[i].value->kind != IRV_STRING) {
				const ir_value *it = v->map.entries[i].value;
				diag_error(d, it->span, "expected a string for '%s' in '%s', got %s%s", v->map.entries[i].key,
					   f->name, ir_kind_name(it->kind),
					   it->kind == IRV_NUMBER || it->kind == IRV_BOOL ? "; quote it" : "");
				return false;
			}
		return true;
	case KF_OBJECT:
		return kube_check(d, f->obj, v, f->obj->name);
	default:
		return check_scalar(d, f, v, what);
	}
	diag_error(d, v->span, "expected %s for '%s' in %s, got %s", type_names[f->type], f->name, what,
		   ir_kind_name(v->kind));
	return false;
}

static const kube_field *field_named(const kube_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return &s->fields[i];
	return NULL;
}

bool kube_check(diag_ctx *d, const kube_schema *s, const ir_value *v, const char *what)
{
	if (v->kind != IRV_MAP) {
		diag_error(d, v->span, "expected a map for %s, got %s", what, ir_kind_name(v->kind));
		return false;
	}
	bool ok = true;
	size_t sources = 0;
	const ir_entry *first_source = NULL;
	for (size_t i = 0; i < v->map.n; i++) {
		const ir_entry *e = &v->map.entries[i];
		const kube_field *f = field_named(s, e->key);
		if (!f) {
			const char *cands[16];
			for (size_t j = 0; j < s->n; j++)
				cands[j] = s->fields[j].name;
			const char *sugg = diag_suggest(e->key, e->key_len, cands, s->n);
			if (sugg)
				diag_error(d, e->key_span, "unknown field '%s' in %s; did you mean '%s'?", e->key, s->name, sugg);
			else
				diag_error(d, e->key_span, "unknown field '%s' in %s", e->key, s->name);
			ok = false;
			continue;
		}
		if (s->one_of && (size_t)(f - s->fields) >= s->one_of) {
			if (sources++ == 1) {
				diag_error(d, e->key_span, "%s has more than one source: '%s' and '%s'", s->name,
					   first_source->key, e->key);
				ok = false;
			}
			first_source = first_source ? first_source : e;
		}
		ok &= check_field(d, f, e->value, s->name);
	}
	for (size_t j = 0; j < s->n; j++)
		if (s->fields[j].required && !ir_map_get(v, s->fields[j].name)) {
			diag_error(d, v->span, "%s is missing required field '%s'", s->name, s->fields[j].name);
			ok = false;
		}
	if (ok && s->rules)
		ok = s->rules(d, v);
	if (s->one_of && sources == 0) {
		diag_error(d, v->span, "%s has no source (one of persistentVolumeClaim, configMap, secret, emptyDir, hostPath, nfs, csi)",
			   s->name);
		ok = false;
	}
	return ok;
}

/* ---- lowering ---------------------------------------------------------------------------- */

static kt *lower_scalar(arena *a, const kube_field *f, const ir_value *v)
{
	switch (f->type) {
	case KF_INT: {
		kt *t = kt_str(a, v->num.text, v->num.len);
		t->kind = KT_INT;
		return t;
	}
	case KF_BOOL:
		return kt_bool(a, v->b);
	case KF_QUANTITY: {
		quantity q;
		char out[UNITS_TEXT_MAX];
		const char *s = v->kind == IRV_STRING ? v->str.s : v->num.text;
		size_t n = v->kind == IRV_STRING ? v->str.len : v->num.len;
		units_quantity(s, n, &q, out);
		return kt_cstr(a, arena_strdup(a, out));
	}
	default:
		return kt_str(a, v->str.s, v->str.len);
	}
}

static kt *lower_field(arena *a, const kube_field *f, const ir_value *v)
{
	switch (f->type) {
	case KF_STRING_LIST: {
		kt *l = kt_list(a);
		for (size_t i = 0; i < v->list.n; i++)
			kt_push(l, kt_str(a, v->list.items[i]->str.s, v->list.items[i]->str.len));
		return l;
	}
	case KF_OBJECT_LIST: {
		kt *l = kt_list(a);
		for (size_t i = 0; i < v->list.n; i++)
			kt_push(l, kube_lower(a, f->obj, v->list.items[i]));
		return l;
	}
	case KF_STRING_MAP: {
		/* Free-key maps keep the author's order. */
		kt *m = kt_map(a);
		for (size_t i = 0; i < v->map.n; i++) {
			const ir_entry *e = &v->map.entries[i];
			kt_put(a, m, e->key, kt_str(a, e->value->str.s, e->value->str.len));
		}
		return m;
	}
	case KF_OBJECT:
		return kube_lower(a, f->obj, v);
	default:
		return lower_scalar(a, f, v);
	}
}

kt *kube_lower(arena *a, const kube_schema *s, const ir_value *v)
{
	kt *m = kt_map(a);
	for (size_t i = 0; i < s->n; i++) {
		const ir_value *fv = ir_map_get(v, s->fields[i].name);
		if (fv)
			kt_put(a, m, s->fields[i].name, lower_field(a, &s->fields[i], fv));
	}
	return m;
}
