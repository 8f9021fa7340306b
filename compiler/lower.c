/* lower.c -- objects of the bundle, built in the key order a person writes by hand:
 * apiVersion, kind, metadata (name, namespace, labels, annotations), spec. */
#include "config.h"
#include "lower.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "kube.h"
#include "xalloc.h"

/* Step Job trees kept from the hash pass for output (about 5,000 steps' worth). */
enum { LOWER_KEEP_BYTES = 32 << 20 };

struct lowerer {
	arena *a;
	const chk_pipeline *cp;
	const char *run;
	const char *pipeline;
	const char *const *jobs; /* each step's Job name, by step index */
};

const char *lower_name(arena *a, const char *base, const char *suffix, const char *run)
{
	/* Once per step: joined by hand, not by printf. */
	const char *parts[] = { base, suffix ? "-" : "", suffix ? suffix : "", run ? "-" : "", run ? run : "" };
	size_t lens[5], len = 0;
	for (size_t i = 0; i < 5; i++)
		len += lens[i] = strlen(parts[i]);
	char *full = arena_alloc(a, len + 1), *w = full;
	for (size_t i = 0; i < 5; i++) {
		memcpy(w, parts[i], lens[i]);
		w += lens[i];
	}
	if (len <= 63)
		return full;
	/* 54 characters of the name, '-', 8 hex digits of the whole name's hash. */
	size_t keep = 54;
	while (keep > 0 && full[keep - 1] == '-')
		keep--;
	return arena_printf(a, "%.*s-%08llx", (int)keep, full, hash_fnv1a(HASH_FNV_OFFSET, full, len) & 0xffffffffULL);
}

/* ---- metadata ------------------------------------------------------------------------------ */

typedef struct kv {
	const char *k, *v;
	size_t seq; /* order of setting: the last value set for a key wins */
} kv;

typedef struct kvs {
	kv *items;
	size_t n, cap;
} kvs;

/* Sets k to v, over an earlier value of k. Appends only; kvs_tree sorts and drops the
 * overridden entries, so setting n keys costs n log n, not n squared. */
static void kvs_set(arena *a, kvs *s, const char *k, const char *v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		s->items = arena_grow(a, s->items, s->n, cap, sizeof(kv));
		s->cap = cap;
	}
	s->items[s->n] = (kv){ k, v, s->n };
	s->n++;
}

static void kvs_add_map(arena *a, kvs *s, const ir_value *m)
{
	for (size_t i = 0; m && i < m->map.n; i++)
		kvs_set(a, s, m->map.entries[i].key, m->map.entries[i].value->str.s);
}

static int cmp_kv(const void *x, const void *y)
{
	const kv *p = x, *q = y;
	int c = strcmp(p->k, q->k);
	return c ? c : p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Label, annotation and node-selector maps print sorted by key: one fixed order. */
static kt *kvs_tree(arena *a, kvs *s)
{
	if (s->n)
		qsort(s->items, s->n, sizeof(kv), cmp_kv);
	kt *m = kt_map(a);
	for (size_t i = 0; i < s->n; i++)
		if (i + 1 == s->n || strcmp(s->items[i].k, s->items[i + 1].k) != 0)
			kt_put(a, m, s->items[i].k, kt_cstr(a, s->items[i].v));
	return m;
}

/* pipec's labels on every object; with step, the step's; with pod, the pod-only plain ones. */
static void base_labels(lowerer *l, kvs *s, const char *step, bool pod)
{
	kvs_add_map(l->a, s, l->cp->labels);
	kvs_set(l->a, s, "app.kubernetes.io/managed-by", "pipec");
	kvs_set(l->a, s, "app.kubernetes.io/part-of", l->pipeline);
	kvs_set(l->a, s, "pipec.dev/pipeline", l->pipeline);
	if (l->run)
		kvs_set(l->a, s, "pipec.dev/run", l->run);
	if (step)
		kvs_set(l->a, s, "pipec.dev/step", step);
	if (pod) {
		kvs_set(l->a, s, "pipeline", l->pipeline);
		if (l->run)
			kvs_set(l->a, s, "run", l->run);
	}
}

static kt *doc_head(lowerer *l, const char *api, const char *kind, const char *name, bool namespaced, kt **meta)
{
	kt *d = kt_map(l->a);
	kt_put_str(l->a, d, "apiVersion", api);
	kt_put_str(l->a, d, "kind", kind);
	*meta = kt_put_map(l->a, d, "metadata");
	kt_put_str(l->a, *meta, "name", name);
	if (namespaced)
		kt_put_str(l->a, *meta, "namespace", l->cp->namespace);
	return d;
}

/* metadata.labels and .annotations of an object that belongs to no step. */
static void plain_meta(lowerer *l, kt *meta)
{
	kvs labels = { 0 }, ann = { 0 };
	base_labels(l, &labels, NULL, false);
	kt_put(l->a, meta, "labels", kvs_tree(l->a, &labels));
	kvs_add_map(l->a, &ann, l->cp->annotations);
	if (ann.n)
		kt_put(l->a, meta, "annotations", kvs_tree(l->a, &ann));
}

/* ---- pod pieces ------------------------------------------------------------------------------ */

static kt *str_list(arena *a, const ir_value *l)
{
	kt *t = kt_list(a);
	for (size_t i = 0; i < l->list.n; i++)
		kt_push(t, kt_str(a, l->list.items[i]->str.s, l->list.items[i]->str.len));
	return t;
}

static kt *obj_list(arena *a, const kube_schema *s, const ir_value *l)
{
	kt *t = kt_list(a);
	for (size_t i = 0; i < l->list.n; i++)
		kt_push(t, kube_lower(a, s, l->list.items[i]));
	return t;
}

static kt *requirement(arena *a, const char *key, const char *op, const char *value)
{
	kt *r = kt_map(a);
	kt_put_str(a, r, "key", key);
	kt_put_str(a, r, "operator", op);
	kt_push(kt_put_list(a, r, "values"), kt_cstr(a, value));
	return r;
}

/* The NVIDIA GPU Feature Discovery labels holding the highest CUDA version a node's driver
 * supports: current names first, then the deprecated ones older GFD releases still publish. */
static const char *const cuda_label_prefixes[] = { "nvidia.com/cuda.runtime-version", "nvidia.com/cuda.runtime" };

/* "CUDA >= M.m" as OR'd node-selector terms, each a list of requirements. */
static size_t cuda_terms(arena *a, const chk_op *op, kt *terms[4])
{
	size_t n = 0;
	for (size_t i = 0; i < 2; i++) {
		const char *pre = cuda_label_prefixes[i];
		char *major = arena_printf(a, "%s.major", pre), *minor = arena_printf(a, "%s.minor", pre);
		kt *t1 = kt_list(a);
		kt_push(t1, requirement(a, major, "Gt", arena_printf(a, "%d", op->cuda_major)));
		terms[n++] = t1;
		kt *t2 = kt_list(a);
		kt_push(t2, requirement(a, major, "In", arena_printf(a, "%d", op->cuda_major)));
		if (op->cuda_minor > 0)
			kt_push(t2, requirement(a, minor, "Gt", arena_printf(a, "%d", op->cuda_minor - 1)));
		terms[n++] = t2;
	}
	return n;
}

/* A node-selector term: user requirements (checked IR, may be NULL) followed by extra ones. */
static kt *term(arena *a, const ir_value *user, const kt *extra)
{
	kt *t = kt_map(a);
	const ir_value *exprs = user ? ir_map_get(user, "matchExpressions") : NULL;
	const ir_value *fields = user ? ir_map_get(user, "matchFields") : NULL;
	if (exprs || extra) {
		kt *list = kt_list(a);
		if (exprs) {
			kt *u = kube_lower(a, &kube_node_selector_term, user);
			kt *ue = kt_get(u, "matchExpressions");
			for (kt *c = ue->first; c;) {
				kt *next = c->next;
				c->next = NULL;
				kt_push(list, c);
				c = next;
			}
		}
		for (const kt *c = extra ? extra->first : NULL; c; c = c->next) {
			kt *copy = arena_alloc(a, sizeof(kt));
			*copy = *c;
			copy->next = NULL;
			copy->key = NULL;
			kt_push(list, copy);
		}
		kt_put(a, t, "matchExpressions", list);
	}
	if (fields)
		kt_put(a, t, "matchFields", kt_get(kube_lower(a, &kube_node_selector_term, user), "matchFields"));
	return t;
}

/* The user's affinity with the CUDA constraint merged in: preferred terms appended by default;
 * with cuda_strict, every required term of the user's AND'ed with each CUDA term. */
static kt *affinity(lowerer *l, const ir_value *user, const chk_op *op)
{
	arena *a = l->a;
	if (op->cuda_major < 0)
		return user ? kube_lower(a, &kube_affinity, user) : NULL;
	kt *terms[4];
	size_t nt = cuda_terms(a, op, terms);
	const ir_value *na = user ? ir_map_get(user, "nodeAffinity") : NULL;
	const ir_value *req = na ? ir_map_get(na, "requiredDuringSchedulingIgnoredDuringExecution") : NULL;
	const ir_value *pref = na ? ir_map_get(na, "preferredDuringSchedulingIgnoredDuringExecution") : NULL;
	const ir_value *uterms = req ? ir_map_get(req, "nodeSelectorTerms") : NULL;
	kt *aff = kt_map(a);
	kt *nodeaff = kt_put_map(a, aff, "nodeAffinity");
	if (op->cuda_strict) {
		kt *sel = kt_put_map(a, nodeaff, "requiredDuringSchedulingIgnoredDuringExecution");
		kt *list = kt_put_list(a, sel, "nodeSelectorTerms");
		size_t nu = uterms && uterms->list.n ? uterms->list.n : 1;
		for (size_t i = 0; i < nu; i++)
			for (size_t j = 0; j < nt; j++)
				kt_push(list, term(a, uterms && uterms->list.n ? uterms->list.items[i] : NULL, terms[j]));
	} else if (uterms) {
		kt *sel = kt_put_map(a, nodeaff, "requiredDuringSchedulingIgnoredDuringExecution");
		kt_put(a, sel, "nodeSelectorTerms", obj_list(a, &kube_node_selector_term, uterms));
	}
	kt *plist = kt_list(a);
	if (pref)
		for (size_t i = 0; i < pref->list.n; i++)
			kt_push(plist, kube_lower(a, &kube_preferred_term, pref->list.items[i]));
	if (!op->cuda_strict)
		for (size_t j = 0; j < nt; j++) {
			kt *p = kt_map(a);
			kt_put(a, p, "weight", kt_int(a, 100));
			kt_put(a, p, "preference", term(a, NULL, terms[j]));
			kt_push(plist, p);
		}
	if (plist->n)
		kt_put(a, nodeaff, "preferredDuringSchedulingIgnoredDuringExecution", plist);
	const ir_value *pa = user ? ir_map_get(user, "podAffinity") : NULL;
	const ir_value *paa = user ? ir_map_get(user, "podAntiAffinity") : NULL;
	if (pa)
		kt_put(a, aff, "podAffinity", kube_lower(a, &kube_pod_affinity, pa));
	if (paa)
		kt_put(a, aff, "podAntiAffinity", kube_lower(a, &kube_pod_affinity, paa));
	return aff;
}

static kt *tolerations(lowerer *l, const ir_value *user, const chk_op *op)
{
	kt *t = user ? obj_list(l->a, &kube_toleration, user) : kt_list(l->a);
	if (op && op->gpu) {
		/* The usual taint of GPU nodes is the resource's name with effect NoSchedule. */
		bool have = false;
		for (size_t i = 0; user && i < user->list.n && !have; i++) {
			const char *k = ir_str(ir_map_get(user->list.items[i], "key"));
			const char *o = ir_str(ir_map_get(user->list.items[i], "operator"));
			have = k && strcmp(k, op->gpu) == 0 && o && strcmp(o, "Exists") == 0;
		}
		if (!have) {
			kt *m = kt_push(t, kt_map(l->a));
			kt_put_str(l->a, m, "key", op->gpu);
			kt_put_str(l->a, m, "operator", "Exists");
			kt_put_str(l->a, m, "effect", "NoSchedule");
		}
	}
	return t->n ? t : NULL;
}

/* nodeSelector, affinity, tolerations, imagePullSecrets and priorityClassName of a pod. */
static void scheduling(lowerer *l, kt *spec, const ir_value *const pod[POD__COUNT], const chk_op *op)
{
	arena *a = l->a;
	if (pod[POD_PRIORITY_CLASS])
		kt_put_str(a, spec, "priorityClassName", pod[POD_PRIORITY_CLASS]->str.s);
	if (pod[POD_NODE_SELECTOR] && pod[POD_NODE_SELECTOR]->map.n) {
		kvs s = { 0 };
		kvs_add_map(a, &s, pod[POD_NODE_SELECTOR]);
		kt_put(a, spec, "nodeSelector", kvs_tree(a, &s));
	}
	kt *aff = affinity(l, pod[POD_AFFINITY], op);
	if (aff)
		kt_put(a, spec, "affinity", aff);
	kt *tol = tolerations(l, pod[POD_TOLERATIONS], op);
	if (tol)
		kt_put(a, spec, "tolerations", tol);
	const ir_value *ips = pod[POD_IMAGE_PULL_SECRETS];
	if (ips && ips->list.n) {
		kt *list = kt_put_list(a, spec, "imagePullSecrets");
		for (size_t i = 0; i < ips->list.n; i++)
			kt_put_str(a, kt_push(list, kt_map(a)), "name", ips->list.items[i]->str.s);
	}
}

typedef struct res {
	const char *name, *value;
} res;

static int cmp_res(const void *x, const void *y)
{
	return strcmp(((const res *)x)->name, ((const res *)y)->name);
}

static kt *res_map(arena *a, res *r, size_t n)
{
	qsort(r, n, sizeof *r, cmp_res);
	kt *m = kt_map(a);
	for (size_t i = 0; i < n; i++)
		kt_put(a, m, r[i].name, kt_cstr(a, r[i].value));
	return m;
}

/* requests and limits; GPUs in both, equal, as extended resources must be. */
static kt *resources(arena *a, const chk_op *op)
{
	res req[4], lim[3];
	size_t nr = 0, nl = 0;
	req[nr++] = (res){ "cpu", op->cpu };
	req[nr++] = (res){ "memory", op->memory };
	if (op->ephemeral[0])
		req[nr++] = (res){ "ephemeral-storage", op->ephemeral };
	if (op->cpu_limit[0])
		lim[nl++] = (res){ "cpu", op->cpu_limit };
	lim[nl++] = (res){ "memory", op->memory_limit };
	if (op->gpu) {
		const char *n = arena_printf(a, "%lld", op->num_gpus);
		req[nr++] = (res){ op->gpu, n };
		lim[nl++] = (res){ op->gpu, n };
	}
	kt *r = kt_map(a);
	kt_put(a, r, "requests", res_map(a, req, nr));
	kt_put(a, r, "limits", res_map(a, lim, nl));
	return r;
}

/* ---- documents ---------------------------------------------------------------------------- */

static kt *namespace_doc(lowerer *l)
{
	kt *meta;
	kt *d = doc_head(l, "v1", "Namespace", l->cp->namespace, false, &meta);
	plain_meta(l, meta);
	return d;
}

static void rbac_docs(lowerer *l, kt **docs, const char *sa)
{
	arena *a = l->a;
	kt *meta;
	docs[0] = doc_head(l, "v1", "ServiceAccount", sa, true, &meta);
	plain_meta(l, meta);
	docs[1] = doc_head(l, "rbac.authorization.k8s.io/v1", "Role", sa, true, &meta);
	plain_meta(l, meta);
	/* Least privilege: start steps (patch jobs), watch them, read pods for failure reasons. */
	kt *rules = kt_put_list(a, docs[1], "rules");
	static const struct {
		const char *group, *resource, *verbs[4];
	} grants[] = {
		{ "batch", "jobs", { "get", "list", "watch", "patch" } },
		{ "", "pods", { "get", "list", "watch", NULL } },
	};
	for (size_t i = 0; i < 2; i++) {
		kt *r = kt_push(rules, kt_map(a));
		kt_push(kt_put_list(a, r, "apiGroups"), kt_cstr(a, grants[i].group));
		kt_push(kt_put_list(a, r, "resources"), kt_cstr(a, grants[i].resource));
		kt *verbs = kt_put_list(a, r, "verbs");
		for (size_t j = 0; j < 4 && grants[i].verbs[j]; j++)
			kt_push(verbs, kt_cstr(a, grants[i].verbs[j]));
	}
	docs[2] = doc_head(l, "rbac.authorization.k8s.io/v1", "RoleBinding", sa, true, &meta);
	plain_meta(l, meta);
	kt *ref = kt_put_map(a, docs[2], "roleRef");
	kt_put_str(a, ref, "apiGroup", "rbac.authorization.k8s.io");
	kt_put_str(a, ref, "kind", "Role");
	kt_put_str(a, ref, "name", sa);
	kt *subj = kt_push(kt_put_list(a, docs[2], "subjects"), kt_map(a));
	kt_put_str(a, subj, "kind", "ServiceAccount");
	kt_put_str(a, subj, "name", sa);
	kt_put_str(a, subj, "namespace", l->cp->namespace);
}

/* A growing malloc'd text; text_dump is a jansson dump callback that indents every line it
 * is given by `indent` (JSON strings hold no raw newline, so every '\n' is a line break). */
typedef struct text {
	char *s;
	size_t n, cap;
	const char *indent;
} text;

static void text_add(text *t, const char *s, size_t n)
{
	if (t->cap - t->n < n) {
		while (t->cap - t->n < n)
			t->cap = t->cap ? 2 * t->cap : 4096;
		t->s = xreallocarray(t->s, t->cap, 1);
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
}

static int text_dump(const char *buf, size_t size, void *data)
{
	text *t = data;
	const char *end = buf + size;
	for (const char *p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			text_add(t, p, (size_t)(end - p));
			break;
		}
		text_add(t, p, (size_t)(nl + 1 - p));
		text_add(t, t->indent, strlen(t->indent));
		p = nl + 1;
	}
	return 0;
}

/* The plan as jansson prints it with JSON_SORT_KEYS | JSON_INDENT(2), plus a final newline.
 * A tree of 100,000 step objects took 100 MB of jansson's memory, so each step object is
 * built, dumped at the depth it has in the plan (indented by 4) and freed in turn, and the
 * steps are put in place of an empty "steps" array in the dump of the rest of the plan: the
 * bytes are jansson's throughout. */
static char *plan_json(lowerer *l, const char *seq_job, const char *const *jobs)
{
	const chk_pipeline *cp = l->cp;
	const ir_pipeline *p = cp->ir;
	const size_t flags = JSON_SORT_KEYS | JSON_INDENT(2);
	json_t *o = json_object();
	json_object_set_new(o, "apiVersion", json_string("pipec.dev/v1"));
	json_object_set_new(o, "pipeline", json_string(p->name));
	if (l->run)
		json_object_set_new(o, "run", json_string(l->run));
	json_object_set_new(o, "namespace", json_string(cp->namespace));
	json_object_set_new(o, "maxParallel", json_integer(cp->max_parallel));
	json_object_set_new(o, "onFailure", json_string(cp->on_failure));
	json_object_set_new(o, "sequencerJob", json_string(seq_job));
	json_object_set_new(o, "steps", json_array());
	char *top = json_dumps(o, flags);
	json_decref(o);
	static const char hole[] = "\"steps\": []";
	char *at = top ? strstr(top, hole) : NULL;
	if (!at)
		abort();
	text t = { .indent = "    " };
	text_add(&t, top, (size_t)(at - top) + sizeof hole - 2); /* up to and with the '[' */
	for (size_t k = 0; k < p->nsteps; k++) {
		size_t i = p->order[k];
		const ir_step *s = p->steps[i];
		json_t *st = json_object(), *after = json_array();
		json_object_set_new(st, "name", json_string(s->name));
		json_object_set_new(st, "job", json_string(jobs[i]));
		for (size_t j = 0; j < s->nafter; j++)
			json_array_append_new(after, json_string(s->after[j].name));
		json_object_set_new(st, "after", after);
		json_object_set_new(st, "pendingTimeoutSeconds", json_integer(cp->steps[i].pending_timeout));
		text_add(&t, k ? ",\n    " : "\n    ", k ? 6 : 5);
		if (json_dump_callback(st, text_dump, &t, flags) != 0)
			abort();
		json_decref(st);
	}
	if (p->nsteps)
		text_add(&t, "\n  ", 3);
	const char *rest = at + sizeof hole - 2; /* from the ']' */
	text_add(&t, rest, strlen(rest));
	text_add(&t, "\n", 2); /* with the NUL */
	free(top);
	char *out = arena_alloc(l->a, t.n);
	memcpy(out, t.s, t.n);
	free(t.s);
	return out;
}

static kt *plan_doc(lowerer *l, const char *name, const char *json, kt **hash_slot)
{
	kt *meta;
	kt *d = doc_head(l, "v1", "ConfigMap", name, true, &meta);
	kvs labels = { 0 }, ann = { 0 };
	base_labels(l, &labels, NULL, false);
	kt_put(l->a, meta, "labels", kvs_tree(l->a, &labels));
	kvs_add_map(l->a, &ann, l->cp->annotations);
	kvs_set(l->a, &ann, "pipec.dev/spec-hash", "");
	kt *am = kvs_tree(l->a, &ann);
	kt_put(l->a, meta, "annotations", am);
	*hash_slot = kt_get(am, "pipec.dev/spec-hash");
	kt_put(l->a, kt_put_map(l->a, d, "data"), "plan.json", kt_cstr(l->a, json));
	return d;
}

static void env_list(arena *a, kt *c, const chk_step *s)
{
	kt *env = kt_list(a);
	for (size_t i = 0; s->env && i < s->env->map.n; i++) {
		kt *e = kt_push(env, kt_map(a));
		kt_put_str(a, e, "name", s->env->map.entries[i].key);
		kt_put(a, e, "value", kt_str(a, s->env->map.entries[i].value->str.s, s->env->map.entries[i].value->str.len));
	}
	for (size_t i = 0; s->secret_env && i < s->secret_env->map.n; i++) {
		const char *v = s->secret_env->map.entries[i].value->str.s, *slash = strchr(v, '/');
		kt *e = kt_push(env, kt_map(a));
		kt_put_str(a, e, "name", s->secret_env->map.entries[i].key);
		kt *ref = kt_put_map(a, kt_put_map(a, e, "valueFrom"), "secretKeyRef");
		kt_put(a, ref, "name", kt_str(a, v, (size_t)(slash - v)));
		kt_put_str(a, ref, "key", slash + 1);
	}
	if (s->op.cuda_major >= 0) {
		/* The NVIDIA container runtime refuses to start on a driver older than this. */
		kt *e = kt_push(env, kt_map(a));
		kt_put_str(a, e, "name", "NVIDIA_REQUIRE_CUDA");
		kt_put_str(a, e, "value", arena_printf(a, "cuda>=%d.%d", s->op.cuda_major, s->op.cuda_minor));
	}
	if (env->n)
		kt_put(a, c, "env", env);
	if (s->env_from && s->env_from->list.n) {
		kt *ef = kt_put_list(a, c, "envFrom");
		for (size_t i = 0; i < s->env_from->list.n; i++) {
			const char *v = s->env_from->list.items[i]->str.s;
			bool secret = strncmp(v, "secret:", 7) == 0;
			kt *ref = kt_put_map(a, kt_push(ef, kt_map(a)), secret ? "secretRef" : "configMapRef");
			kt_put_str(a, ref, "name", strchr(v, ':') + 1);
		}
	}
}

static kt *step_doc(lowerer *l, const chk_step *s, const char *job)
{
	arena *a = l->a;
	const ir_step *is = s->ir;
	kt *meta;
	kt *d = doc_head(l, "batch/v1", "Job", job, true, &meta);
	kvs labels = { 0 }, ann = { 0 };
	base_labels(l, &labels, is->name, false);
	kvs_add_map(a, &labels, s->pod[POD_LABELS]);
	kt_put(a, meta, "labels", kvs_tree(a, &labels));
	kvs_add_map(a, &ann, l->cp->annotations);
	kvs_add_map(a, &ann, s->pod[POD_ANNOTATIONS]);
	if (is->nafter) {
		size_t len = 0;
		for (size_t j = 0; j < is->nafter; j++)
			len += is->after[j].len + 1;
		char *after = arena_alloc(a, len);
		char *w = after;
		for (size_t j = 0; j < is->nafter; j++) {
			if (j)
				*w++ = ',';
			memcpy(w, is->after[j].name, is->after[j].len);
			w += is->after[j].len;
		}
		kvs_set(a, &ann, "pipec.dev/after", after);
	}
	if (ann.n)
		kt_put(a, meta, "annotations", kvs_tree(a, &ann));
	kt *spec = kt_put_map(a, d, "spec");
	kt_put(a, spec, "suspend", kt_bool(a, true));
	kt_put(a, spec, "backoffLimit", kt_int(a, s->retries));
	if (s->timeout > 0)
		kt_put(a, spec, "activeDeadlineSeconds", kt_int(a, s->timeout));
	if (l->cp->ttl > 0)
		kt_put(a, spec, "ttlSecondsAfterFinished", kt_int(a, l->cp->ttl));
	kt *tmpl = kt_put_map(a, spec, "template");
	kt *tmeta = kt_put_map(a, tmpl, "metadata");
	kvs plabels = { 0 }, pann = { 0 };
	base_labels(l, &plabels, is->name, true);
	kvs_add_map(a, &plabels, s->pod[POD_LABELS]);
	kt_put(a, tmeta, "labels", kvs_tree(a, &plabels));
	kvs_add_map(a, &pann, l->cp->annotations);
	kvs_add_map(a, &pann, s->pod[POD_ANNOTATIONS]);
	if (pann.n)
		kt_put(a, tmeta, "annotations", kvs_tree(a, &pann));
	kt *ps = kt_put_map(a, tmpl, "spec");
	kt_put_str(a, ps, "restartPolicy", "Never");
	const char *sa = s->pod[POD_SERVICE_ACCOUNT] ? s->pod[POD_SERVICE_ACCOUNT]->str.s : l->cp->service_account;
	if (sa)
		kt_put_str(a, ps, "serviceAccountName", sa);
	else
		kt_put(a, ps, "automountServiceAccountToken", kt_bool(a, false));
	if (s->pod[POD_HOST_IPC] && s->pod[POD_HOST_IPC]->b)
		kt_put(a, ps, "hostIPC", kt_bool(a, true));
	scheduling(l, ps, s->pod, &s->op);
	kt *c = kt_push(kt_put_list(a, ps, "containers"), kt_map(a));
	kt_put_str(a, c, "name", "main");
	kt_put_str(a, c, "image", s->image);
	if (s->image_pull_policy)
		kt_put_str(a, c, "imagePullPolicy", s->image_pull_policy);
	kt_put(a, c, "command", str_list(a, s->command));
	if (s->args && s->args->list.n)
		kt_put(a, c, "args", str_list(a, s->args));
	if (s->working_dir)
		kt_put_str(a, c, "workingDir", s->working_dir);
	env_list(a, c, s);
	kt_put(a, c, "resources", resources(a, &s->op));
	if (s->pod[POD_VOLUME_MOUNTS] && s->pod[POD_VOLUME_MOUNTS]->list.n)
		kt_put(a, c, "volumeMounts", obj_list(a, &kube_volume_mount, s->pod[POD_VOLUME_MOUNTS]));
	if (s->pod[POD_SECURITY_CONTEXT])
		kt_put(a, c, "securityContext", kube_lower(a, &kube_security_context, s->pod[POD_SECURITY_CONTEXT]));
	if (s->pod[POD_VOLUMES] && s->pod[POD_VOLUMES]->list.n)
		kt_put(a, ps, "volumes", obj_list(a, &kube_volume, s->pod[POD_VOLUMES]));
	return d;
}

static kt *sequencer_doc(lowerer *l, const char *job, const char *sa, const char *plan, const char *image)
{
	arena *a = l->a;
	const chk_pipeline *cp = l->cp;
	kt *meta;
	kt *d = doc_head(l, "batch/v1", "Job", job, true, &meta);
	kvs labels = { 0 }, ann = { 0 };
	base_labels(l, &labels, NULL, false);
	kvs_set(a, &labels, "pipec.dev/role", "sequencer");
	kt_put(a, meta, "labels", kvs_tree(a, &labels));
	kvs_add_map(a, &ann, cp->annotations);
	if (ann.n)
		kt_put(a, meta, "annotations", kvs_tree(a, &ann));
	kt *spec = kt_put_map(a, d, "spec");
	/* A killed sequencer pod is replaced and rebuilds its state; exit code 1 means the
	 * pipeline failed, which a retry would not change. */
	kt_put(a, spec, "backoffLimit", kt_int(a, 6));
	if (cp->ttl > 0)
		kt_put(a, spec, "ttlSecondsAfterFinished", kt_int(a, cp->ttl));
	kt *rules = kt_put_list(a, kt_put_map(a, spec, "podFailurePolicy"), "rules");
	kt *r1 = kt_push(rules, kt_map(a));
	kt_put_str(a, r1, "action", "FailJob");
	kt *codes = kt_put_map(a, r1, "onExitCodes");
	kt_put_str(a, codes, "containerName", "sequencer");
	kt_put_str(a, codes, "operator", "In");
	kt_push(kt_put_list(a, codes, "values"), kt_int(a, 1));
	/* Kubernetes 1.26-1.27 schemas mark onPodConditions required in every rule: an empty
	 * list satisfies them and means "no pod conditions" to every API server version. */
	kt_put_list(a, r1, "onPodConditions");
	kt *r2 = kt_push(rules, kt_map(a));
	kt_put_str(a, r2, "action", "Ignore");
	kt *cond = kt_push(kt_put_list(a, r2, "onPodConditions"), kt_map(a));
	kt_put_str(a, cond, "type", "DisruptionTarget");
	kt_put_str(a, cond, "status", "True");
	kt *tmpl = kt_put_map(a, spec, "template");
	kt *tmeta = kt_put_map(a, tmpl, "metadata");
	kvs plabels = { 0 }, pann = { 0 };
	base_labels(l, &plabels, NULL, true);
	kvs_set(a, &plabels, "pipec.dev/role", "sequencer");
	kvs_add_map(a, &plabels, cp->seq_pod[POD_LABELS]);
	kt_put(a, tmeta, "labels", kvs_tree(a, &plabels));
	kvs_add_map(a, &pann, cp->annotations);
	kvs_add_map(a, &pann, cp->seq_pod[POD_ANNOTATIONS]);
	if (pann.n)
		kt_put(a, tmeta, "annotations", kvs_tree(a, &pann));
	kt *ps = kt_put_map(a, tmpl, "spec");
	kt_put_str(a, ps, "restartPolicy", "Never");
	kt_put_str(a, ps, "serviceAccountName", sa);
	kt *psc = kt_put_map(a, ps, "securityContext");
	kt_put(a, psc, "runAsNonRoot", kt_bool(a, true));
	kt_put(a, psc, "runAsUser", kt_int(a, 65532));
	kt_put_str(a, kt_put_map(a, psc, "seccompProfile"), "type", "RuntimeDefault");
	scheduling(l, ps, cp->seq_pod, &cp->seq_op);
	kt *c = kt_push(kt_put_list(a, ps, "containers"), kt_map(a));
	kt_put_str(a, c, "name", "sequencer");
	kt_put_str(a, c, "image", image);
	kt_put(a, c, "resources", resources(a, &cp->seq_op));
	kt *vm = kt_push(kt_put_list(a, c, "volumeMounts"), kt_map(a));
	kt_put_str(a, vm, "name", "plan");
	kt_put_str(a, vm, "mountPath", "/etc/pipec");
	kt_put(a, vm, "readOnly", kt_bool(a, true));
	kt *sc = kt_put_map(a, c, "securityContext");
	kt_put(a, sc, "allowPrivilegeEscalation", kt_bool(a, false));
	kt_push(kt_put_list(a, kt_put_map(a, sc, "capabilities"), "drop"), kt_cstr(a, "ALL"));
	kt_put(a, sc, "readOnlyRootFilesystem", kt_bool(a, true));
	kt *vol = kt_push(kt_put_list(a, ps, "volumes"), kt_map(a));
	kt_put_str(a, vol, "name", "plan");
	kt_put_str(a, kt_put_map(a, vol, "configMap"), "name", plan);
	return d;
}

static void add_file(arena *a, bundle *b, size_t *cap, const char *name, kt **docs, size_t n)
{
	if (b->nfiles == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		b->files = arena_grow(a, b->files, b->nfiles, nc, sizeof(bundle_file));
		*cap = nc;
	}
	b->files[b->nfiles++] = (bundle_file){ name, docs, n, 0 };
}

static const ir_pipeline *sort_pipeline;

static int cmp_step_name(const void *x, const void *y)
{
	return strcmp(sort_pipeline->steps[*(const size_t *)x]->name, sort_pipeline->steps[*(const size_t *)y]->name);
}

kt *const *bundle_docs(const bundle *b, size_t f, arena *scratch)
{
	const bundle_file *bf = &b->files[f];
	if (bf->docs)
		return bf->docs;
	lowerer l = *b->lower;
	l.a = scratch;
	kt **d = arena_array(scratch, 1, sizeof(kt *));
	d[0] = step_doc(&l, &l.cp->steps[bf->step], l.jobs[bf->step]);
	return d;
}

/* "a" "b" "c" as one arena string, without a printf per step. */
static char *concat3(arena *a, const char *x, const char *y, const char *z)
{
	size_t nx = strlen(x), ny = strlen(y), nz = strlen(z);
	char *s = arena_alloc(a, nx + ny + nz + 1);
	memcpy(s, x, nx);
	memcpy(s + nx, y, ny);
	memcpy(s + nx + ny, z, nz);
	return s;
}

static bundle *build(arena *a, const chk_pipeline *cp, const lower_options *o, const char *run, bool hash)
{
	const ir_pipeline *p = cp->ir;
	lowerer *lp = arena_alloc(a, sizeof(*lp));
	*lp = (lowerer){ .a = a, .cp = cp, .run = run, .pipeline = p->name };
	lowerer l = *lp;
	bundle *b = arena_alloc(a, sizeof(*b));
	b->lower = lp;
	b->run = run;
	size_t cap = 0;
	const char *sa = lower_name(a, p->name, "sequencer", NULL);
	const char *plan = lower_name(a, p->name, "plan", run);
	const char *seq_job = lower_name(a, p->name, "run", run);
	const char **jobs = arena_array(a, p->nsteps ? p->nsteps : 1, sizeof(char *));
	for (size_t i = 0; i < p->nsteps; i++)
		jobs[i] = lower_name(a, p->name, p->steps[i]->name, run);
	lp->jobs = l.jobs = jobs;
	if (cp->create_namespace) {
		kt **d = arena_array(a, 1, sizeof(kt *));
		d[0] = namespace_doc(&l);
		add_file(a, b, &cap, "00-namespace.yaml", d, 1);
	}
	kt **rbac = arena_array(a, 3, sizeof(kt *));
	rbac_docs(&l, rbac, sa);
	add_file(a, b, &cap, "10-rbac.yaml", rbac, 3);
	b->plan_json = plan_json(&l, seq_job, jobs);
	kt **pd = arena_array(a, 1, sizeof(kt *));
	kt *hash_slot;
	pd[0] = plan_doc(&l, plan, b->plan_json, &hash_slot);
	add_file(a, b, &cap, "20-plan.yaml", pd, 1);
	size_t *by_name = arena_array(a, p->nsteps ? p->nsteps : 1, sizeof(size_t));
	for (size_t i = 0; i < p->nsteps; i++)
		by_name[i] = i;
	sort_pipeline = p;
	qsort(by_name, p->nsteps, sizeof(size_t), cmp_step_name);
	for (size_t k = 0; k < p->nsteps; k++) {
		size_t i = by_name[k];
		add_file(a, b, &cap, concat3(a, "30-step-", p->steps[i]->name, ".yaml"), NULL, 1);
		b->files[b->nfiles - 1].step = i;
	}
	kt **sd = arena_array(a, 1, sizeof(kt *));
	sd[0] = sequencer_doc(&l, seq_job, sa, plan, cp->seq_image ? cp->seq_image : o->runtime_image);
	add_file(a, b, &cap, "90-sequencer.yaml", sd, 1);
	if (!hash)
		return b;
	/* The content hash covers every document as compiled without a run id, with the hash
	 * annotation itself still empty. Step Jobs are built in a scratch arena and dropped once
	 * hashed, so memory stays flat in the number of steps. */
	unsigned long long h = HASH_FNV_OFFSET;
	arena *scratch = arena_new();
	size_t kept = 0;
	for (size_t f = 0; f < b->nfiles; f++) {
		/* The first trees, up to LOWER_KEEP_BYTES, are kept for output: small bundles are
		 * lowered once, large ones cost a second build of the rest, not their memory. */
		bool keep = !b->files[f].docs && kept < LOWER_KEEP_BYTES;
		size_t before = arena_used(a);
		kt *const *docs = bundle_docs(b, f, keep ? a : scratch);
		for (size_t i = 0; i < b->files[f].ndocs; i++)
			h = kt_hash(docs[i], h);
		if (keep) {
			b->files[f].docs = (kt **)docs;
			kept += arena_used(a) - before;
		} else {
			arena_reset(scratch);
		}
	}
	arena_free(scratch);
	b->spec_hash = arena_printf(a, "%016llx", h);
	hash_slot->s = b->spec_hash;
	hash_slot->len = 16;
	return b;
}

bundle *lower_pipeline(arena *a, const chk_pipeline *cp, const lower_options *o)
{
	bundle *b = build(a, cp, o, NULL, true);
	if (o->run_id) {
		const char *run = strcmp(o->run_id, "hash") == 0 ? arena_printf(a, "%.10s", b->spec_hash) : o->run_id;
		const char *hash = b->spec_hash;
		b = build(a, cp, o, run, false);
		b->spec_hash = hash;
		/* Put the run-independent hash in the annotation. */
		for (size_t f = 0; f < b->nfiles; f++)
			if (strcmp(b->files[f].name, "20-plan.yaml") == 0) {
				kt *ann = kt_get(kt_get(b->files[f].docs[0], "metadata"), "annotations");
				kt *slot = kt_get(ann, "pipec.dev/spec-hash");
				slot->s = hash;
				slot->len = 16;
			}
	}
	if (o->kustomize) {
		kt *k = kt_map(a);
		kt_put_str(a, k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
		kt_put_str(a, k, "kind", "Kustomization");
		kt *listed = kt_put_list(a, k, "resources");
		for (size_t f = 0; f < b->nfiles; f++)
			kt_push(listed, kt_cstr(a, b->files[f].name));
		kt **d = arena_array(a, 1, sizeof(kt *));
		d[0] = k;
		size_t cap = b->nfiles;
		add_file(a, b, &cap, "kustomization.yaml", d, 1);
	}
	return b;
}
