/* check.c -- compile-time rules, one function per rule family, each opening with the rule it
 * enforces; and the merge of pipeline defaults under step values. */
#include "config.h"
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "kube.h"

typedef struct checker {
	ir_build *b;
	diag_ctx *d;
	arena *a;
} checker;

/* ---- names ------------------------------------------------------------------------------- */

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* RFC 1123 label: lowercase letters, digits and '-', starting and ending alphanumeric, <= 63. */
bool check_dns_label(const char *s, size_t len)
{
	if (len == 0 || len > 63 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* RFC 1123 subdomain: dot-separated labels, <= 253. */
bool check_dns_subdomain(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || s[i] == '.') {
			if (!check_dns_label(s + start, i - start))
				return false;
			start = i + 1;
		}
	return true;
}

/* A label value or the name part of a label key: <= 63, alphanumerics with '-', '_', '.'
 * inside. Empty is allowed for values only. */
static bool label_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 63 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* Label and annotation keys: [prefix/]name, prefix a DNS subdomain. */
static bool qualified_name_ok(const char *s, size_t len)
{
	const char *slash = memchr(s, '/', len);
	if (!slash)
		return label_name_ok(s, len);
	size_t plen = (size_t)(slash - s);
	return check_dns_subdomain(s, plen) && label_name_ok(slash + 1, len - plen - 1);
}

static void need_dns_label(checker *c, const ir_value *v, const char *s, size_t len, src_span sp, const char *what)
{
	(void)v;
	if (!check_dns_label(s, len))
		diag_error(c->d, sp,
			   "invalid %s '%.*s': use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
			   what, (int)len, s);
}

static void need_subdomain(checker *c, const ir_value *v, const char *what)
{
	if (v && !check_dns_subdomain(v->str.s, v->str.len))
		diag_error(c->d, v->span,
			   "invalid %s '%s': expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')", what,
			   v->str.s);
}

/* Keys that pipec sets itself on objects and pods: a user value would be silently lost. */
static const char *const reserved_label_keys[] = {
	"app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "pipeline", "run",
};

static bool reserved_key(const char *k)
{
	if (strncmp(k, "pipec.dev/", 10) == 0)
		return true;
	for (size_t i = 0; i < sizeof reserved_label_keys / sizeof *reserved_label_keys; i++)
		if (strcmp(k, reserved_label_keys[i]) == 0)
			return true;
	return false;
}

/* Labels: valid keys and values, and none of pipec's own keys. Annotations: valid keys. */
static void check_label_map(checker *c, const ir_value *m, const char *what, bool values_are_labels, bool reserve)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->map.n; i++) {
		const ir_entry *e = &m->map.entries[i];
		if (!qualified_name_ok(e->key, e->key_len))
			diag_error(c->d, e->key_span, "invalid %s key '%s': expected [prefix/]name, name at most 63 characters of letters, digits, '-', '_' and '.'",
				   what, e->key);
		else if (reserve && reserved_key(e->key))
			diag_error(c->d, e->key_span, "%s key '%s' is set by pipec and cannot be given", what, e->key);
		const ir_value *v = e->value;
		if (values_are_labels && v->str.len > 0 && !label_name_ok(v->str.s, v->str.len))
			diag_error(c->d, v->span,
				   "invalid %s value '%s': at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
				   what, v->str.s);
	}
}

/* ---- merging ------------------------------------------------------------------------------ */

/* base's entries, then over's: a key in both takes over's value in base's place. */
static const ir_value *merge_maps(checker *c, const ir_value *base, const ir_value *over)
{
	if (!base || !over)
		return base ? base : over;
	ir_value *m = ir_map(c->b, over->span);
	ir_map_reserve(c->b, m, base->map.n + over->map.n);
	for (size_t i = 0; i < base->map.n; i++) {
		const ir_entry *e = &base->map.entries[i];
		const ir_value *o = ir_map_get(over, e->key);
		ir_map_put(c->b, m, e->key_span, e->key, e->key_len, (ir_value *)(o ? o : e->value));
	}
	for (size_t i = 0; i < over->map.n; i++) {
		const ir_entry *e = &over->map.entries[i];
		if (!ir_map_get(base, e->key))
			ir_map_put(c->b, m, e->key_span, e->key, e->key_len, e->value);
	}
	return m;
}

static const ir_value *concat_lists(checker *c, const ir_value *base, const ir_value *over)
{
	if (!base || !over)
		return base ? base : over;
	ir_value *l = ir_list(c->b, over->span);
	for (size_t i = 0; i < base->list.n; i++)
		ir_list_push(c->b, l, base->list.items[i]);
	for (size_t i = 0; i < over->list.n; i++)
		ir_list_push(c->b, l, over->list.items[i]);
	return l;
}

static void merge_pod(checker *c, const ir_value *out[POD__COUNT], const ir_pod *base, const ir_pod *over)
{
	for (int k = 0; k < POD__COUNT; k++) {
		const ir_value *bv = base ? base->v[k] : NULL, *ov = over ? over->v[k] : NULL;
		switch (ir_pod_info[k].type) {
		case T_STRING_MAP:
			out[k] = merge_maps(c, bv, ov);
			break;
		case T_STRING_LIST:
		case T_OBJECT_LIST:
			out[k] = concat_lists(c, bv, ov);
			break;
		default:
			out[k] = ov ? ov : bv;
		}
	}
}

/* ---- @op ----------------------------------------------------------------------------------- */

static const ir_value *op_value(const ir_op *base, const ir_op *over, int k)
{
	return over && over->v[k] ? over->v[k] : base ? base->v[k] : NULL;
}

static void scalar_text(const ir_value *v, const char **s, size_t *n)
{
	*s = v->kind == IRV_STRING ? v->str.s : v->num.text;
	*n = v->kind == IRV_STRING ? v->str.len : v->num.len;
}

/* Resources: quantities in Kubernetes or Aqueduct units; limits not below requests; a GPU
 * count only with a GPU resource; cuda_version only with a GPU, as MAJOR.MINOR[.PATCH]. */
static void check_op(checker *c, chk_op *out, const ir_op *base, const ir_op *over, const char *def_cpu,
		     const char *def_memory)
{
	quantity qcpu = { 0 }, qmem = { 0 }, q;
	const char *s;
	size_t n;
	const ir_value *v = op_value(base, over, OP_NUM_CPUS);
	const char *err;
	if (v) {
		scalar_text(v, &s, &n);
		if ((err = units_cpu(s, n, v->kind == IRV_NUMBER, &qcpu, out->cpu)))
			diag_error(c->d, v->span, "invalid num_cpus '%.*s': %s", (int)n, s, err);
	} else {
		units_cpu(def_cpu, strlen(def_cpu), false, &qcpu, out->cpu);
	}
	v = op_value(base, over, OP_MEMORY);
	if (v) {
		scalar_text(v, &s, &n);
		if ((err = units_memory(s, n, v->kind == IRV_NUMBER, &qmem, out->memory)))
			diag_error(c->d, v->span, "invalid memory '%.*s': %s", (int)n, s, err);
		else if (qmem.mant == 0)
			diag_error(c->d, v->span, "memory must be more than zero");
	} else {
		units_memory(def_memory, strlen(def_memory), false, &qmem, out->memory);
	}
	v = op_value(base, over, OP_CPU_LIMIT);
	if (v) {
		scalar_text(v, &s, &n);
		if ((err = units_cpu(s, n, v->kind == IRV_NUMBER, &q, out->cpu_limit)))
			diag_error(c->d, v->span, "invalid cpu_limit '%.*s': %s", (int)n, s, err);
		else if (units_compare(&q, &qcpu) < 0)
			diag_error(c->d, v->span, "cpu_limit %s is below the CPU request %s", out->cpu_limit, out->cpu);
	}
	v = op_value(base, over, OP_MEMORY_LIMIT);
	if (v) {
		scalar_text(v, &s, &n);
		if ((err = units_memory(s, n, v->kind == IRV_NUMBER, &q, out->memory_limit)))
			diag_error(c->d, v->span, "invalid memory_limit '%.*s': %s", (int)n, s, err);
		else if (units_compare(&q, &qmem) < 0)
			diag_error(c->d, v->span, "memory_limit %s is below the memory request %s", out->memory_limit,
				   out->memory);
	} else {
		memcpy(out->memory_limit, out->memory, sizeof out->memory);
	}
	v = op_value(base, over, OP_EPHEMERAL_STORAGE);
	if (v) {
		scalar_text(v, &s, &n);
		if ((err = units_memory(s, n, v->kind == IRV_NUMBER, &q, out->ephemeral)))
			diag_error(c->d, v->span, "invalid ephemeral_storage '%.*s': %s", (int)n, s, err);
	}
	const ir_value *gpu = op_value(base, over, OP_GPU_RESOURCE_NAME);
	const ir_value *ngpu = op_value(base, over, OP_NUM_GPUS);
	const ir_value *cuda = op_value(base, over, OP_CUDA_VERSION);
	const ir_value *strict = op_value(base, over, OP_CUDA_STRICT);
	out->gpu = NULL;
	out->num_gpus = 0;
	out->cuda_major = out->cuda_minor = -1;
	out->cuda_strict = strict && strict->b;
	if (gpu) {
		/* An extended resource: domain/name outside kubernetes.io, e.g. nvidia.com/gpu. */
		const char *slash = strchr(gpu->str.s, '/');
		if (!slash || !qualified_name_ok(gpu->str.s, gpu->str.len) ||
		    strstr(gpu->str.s, "kubernetes.io/") || strncmp(gpu->str.s, "requests.", 9) == 0)
			diag_error(c->d, gpu->span,
				   "invalid gpu_resource_name '%s': expected an extended resource such as nvidia.com/gpu",
				   gpu->str.s);
		out->gpu = gpu->str.s;
		out->num_gpus = 1;
	}
	if (ngpu) {
		long long g = 0;
		bool ok = ngpu->num.len <= 9 && ngpu->num.text[0] != '-' && sscanf(ngpu->num.text, "%lld", &g) == 1 && g >= 1;
		if (!ok)
			diag_error(c->d, ngpu->span, "num_gpus must be a positive integer, got %s", ngpu->num.text);
		else if (!gpu)
			diag_error(c->d, ngpu->span, "num_gpus needs gpu_resource_name (which GPU resource to request)");
		out->num_gpus = g;
	}
	if (cuda) {
		unsigned maj = 0, min = 0, patch = 0;
		int used = 0;
		const char *cs = cuda->str.s;
		bool ok = (sscanf(cs, "%3u.%3u.%3u%n", &maj, &min, &patch, &used) == 3 && (size_t)used == cuda->str.len) ||
			  (sscanf(cs, "%3u.%3u%n", &maj, &min, &used) == 2 && (size_t)used == cuda->str.len) ||
			  (sscanf(cs, "%3u%n", &maj, &used) == 1 && (size_t)used == cuda->str.len && (min = 0, true));
		ok = ok && cs[0] >= '0' && cs[0] <= '9' && !strchr(cs, ' ') && !strchr(cs, '+') && !strchr(cs, '-');
		if (!ok)
			diag_error(c->d, cuda->span, "invalid cuda_version '%s': expected MAJOR[.MINOR[.PATCH]], such as 11.8.0",
				   cs);
		else if (!gpu)
			diag_error(c->d, cuda->span, "cuda_version needs gpu_resource_name: a CUDA version only makes sense for a GPU step");
		out->cuda_major = (int)maj;
		out->cuda_minor = (int)min;
	}
	if (strict && strict->b && !cuda)
		diag_error(c->d, strict->span, "cuda_strict needs cuda_version");
}

/* ---- attributes ------------------------------------------------------------------------------ */

static const ir_value *attr(const ir_attrs *base, const ir_attrs *over, int k)
{
	return over && over->v[k] ? over->v[k] : base ? base->v[k] : NULL;
}

static long long duration(checker *c, const ir_value *v, const char *what, long long def)
{
	if (!v)
		return def;
	long long secs = def;
	const char *err = units_duration(v->str.s, v->str.len, &secs);
	if (err)
		diag_error(c->d, v->span, "invalid %s '%s': %s", what, v->str.s, err);
	else if (secs == 0)
		diag_error(c->d, v->span, "%s must be longer than zero", what);
	return secs;
}

static long long integer(checker *c, const ir_value *v, const char *what, long long min, long long def)
{
	if (!v)
		return def;
	long long x = 0;
	if (v->num.len > 10 || sscanf(v->num.text, "%lld", &x) != 1 || x < min || x > 2147483647) {
		diag_error(c->d, v->span, "%s must be an integer from %lld to 2147483647, got %s", what, min, v->num.text);
		return def;
	}
	return x;
}

static void one_of(checker *c, const ir_value *v, const char *what, const char *const *allowed, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v->str.s, allowed[i]) == 0)
			return;
	const char *sugg = diag_suggest(v->str.s, v->str.len, allowed, n);
	char list[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'", i ? (i + 1 == n ? " or " : ", ") : "", allowed[i]);
	if (sugg)
		diag_error(c->d, v->span, "invalid %s '%s': expected %s; did you mean '%s'?", what, v->str.s, list, sugg);
	else
		diag_error(c->d, v->span, "invalid %s '%s': expected %s", what, v->str.s, list);
}

/* Environment variable names as Kubernetes accepts them: [-._a-zA-Z][-._a-zA-Z0-9]*. */
static bool env_name_ok(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static void check_env(checker *c, const ir_value *env, const ir_value *secret_env)
{
	if (env)
		for (size_t i = 0; i < env->map.n; i++)
			if (!env_name_ok(env->map.entries[i].key, env->map.entries[i].key_len))
				diag_error(c->d, env->map.entries[i].key_span,
					   "invalid environment variable name '%s': use letters, digits, '_', '-' and '.', not starting with a digit",
					   env->map.entries[i].key);
	if (!secret_env)
		return;
	for (size_t i = 0; i < secret_env->map.n; i++) {
		const ir_entry *e = &secret_env->map.entries[i];
		if (!env_name_ok(e->key, e->key_len))
			diag_error(c->d, e->key_span, "invalid environment variable name '%s'", e->key);
		if (env && ir_map_get(env, e->key))
			diag_error(c->d, e->key_span, "'%s' is set in both env and secret_env", e->key);
		/* "secret-name/key": the Secret's name, then the key inside it. */
		const char *v = e->value->str.s, *slash = strchr(v, '/');
		bool ok = slash && check_dns_subdomain(v, (size_t)(slash - v)) && slash[1];
		for (const char *k = slash ? slash + 1 : v; ok && *k; k++)
			ok = is_alnum(*k) || *k == '-' || *k == '_' || *k == '.';
		if (!ok)
			diag_error(c->d, e->value->span, "invalid secret_env value '%s': expected \"secret-name/key\"", v);
	}
}

static void check_env_from(checker *c, const ir_value *l)
{
	if (!l)
		return;
	/* "secret:NAME" or "configmap:NAME". */
	for (size_t i = 0; i < l->list.n; i++) {
		const ir_value *v = l->list.items[i];
		const char *s = v->str.s, *name = NULL;
		if (strncmp(s, "secret:", 7) == 0)
			name = s + 7;
		else if (strncmp(s, "configmap:", 10) == 0)
			name = s + 10;
		if (!name || !check_dns_subdomain(name, strlen(name)))
			diag_error(c->d, v->span, "invalid env_from entry '%s': expected \"secret:NAME\" or \"configmap:NAME\"", s);
	}
}

static void check_kube_list(checker *c, const ir_value *l, const kube_schema *s, const char *what)
{
	if (l)
		for (size_t i = 0; i < l->list.n; i++)
			kube_check(c->d, s, l->list.items[i], what);
}

/* Pod settings as written at one level: Kubernetes shapes, names, labels. */
static void check_pod_keys(checker *c, const ir_pod *pod)
{
	if (pod->v[POD_AFFINITY])
		kube_check(c->d, &kube_affinity, pod->v[POD_AFFINITY], "affinity");
	check_kube_list(c, pod->v[POD_TOLERATIONS], &kube_toleration, "toleration");
	check_kube_list(c, pod->v[POD_VOLUMES], &kube_volume, "volume");
	check_kube_list(c, pod->v[POD_VOLUME_MOUNTS], &kube_volume_mount, "volume mount");
	if (pod->v[POD_SECURITY_CONTEXT])
		kube_check(c->d, &kube_security_context, pod->v[POD_SECURITY_CONTEXT], "security_context");
	check_label_map(c, pod->v[POD_NODE_SELECTOR], "node selector", true, false);
	check_label_map(c, pod->v[POD_LABELS], "label", true, true);
	check_label_map(c, pod->v[POD_ANNOTATIONS], "annotation", false, true);
	need_subdomain(c, pod->v[POD_SERVICE_ACCOUNT], "service account");
	need_subdomain(c, pod->v[POD_PRIORITY_CLASS], "priority class");
	const ir_value *ips = pod->v[POD_IMAGE_PULL_SECRETS];
	for (size_t i = 0; ips && i < ips->list.n; i++)
		need_subdomain(c, ips->list.items[i], "image pull secret");
}

/* Volume mounts name volumes of the same pod; volume names are unique. */
static void check_volume_refs(checker *c, const chk_step *s)
{
	const ir_value *vols = s->pod[POD_VOLUMES], *mounts = s->pod[POD_VOLUME_MOUNTS];
	size_t nv = vols ? vols->list.n : 0;
	const char *names[64];
	size_t nn = 0;
	for (size_t i = 0; i < nv; i++) {
		const ir_value *name = ir_map_get(vols->list.items[i], "name");
		if (!name || name->kind != IRV_STRING)
			continue;
		if (!check_dns_label(name->str.s, name->str.len))
			diag_error(c->d, name->span, "invalid volume name '%s': expected a DNS-1123 label", name->str.s);
		for (size_t j = 0; j < i; j++) {
			const ir_value *other = ir_map_get(vols->list.items[j], "name");
			if (other && other->kind == IRV_STRING && strcmp(other->str.s, name->str.s) == 0) {
				diag_error(c->d, name->span, "step '%s' has two volumes named '%s'", s->ir->name, name->str.s);
				diag_note(c->d, other->span, "the other '%s'", name->str.s);
				break;
			}
		}
		if (nn < 64)
			names[nn++] = name->str.s;
	}
	for (size_t i = 0; mounts && i < mounts->list.n; i++) {
		const ir_value *name = ir_map_get(mounts->list.items[i], "name");
		if (!name || name->kind != IRV_STRING)
			continue;
		bool found = false;
		for (size_t j = 0; j < nv && !found; j++) {
			const ir_value *vn = ir_map_get(vols->list.items[j], "name");
			found = vn && vn->kind == IRV_STRING && strcmp(vn->str.s, name->str.s) == 0;
		}
		if (found)
			continue;
		const char *sugg = diag_suggest(name->str.s, name->str.len, names, nn);
		if (sugg)
			diag_error(c->d, name->span, "step '%s' mounts unknown volume '%s'; did you mean '%s'?", s->ir->name,
				   name->str.s, sugg);
		else
			diag_error(c->d, name->span, "step '%s' mounts unknown volume '%s'", s->ir->name, name->str.s);
	}
}

static const char *const pull_policies[] = { "Always", "IfNotPresent", "Never" };
static const char *const failure_modes[] = { "continue", "stop" };

static void check_step(checker *c, const ir_pipeline *p, chk_pipeline *cp, chk_step *out, const ir_step *s)
{
	out->ir = s;
	need_dns_label(c, NULL, s->name, s->name_len, s->name_span, "step name");
	/* `run` would give the step the sequencer's Job name, <pipeline>-run. */
	if (strcmp(s->name, "run") == 0)
		diag_error(c->d, s->name_span, "step name 'run' is reserved: the sequencer's Job is called '%s-run'", p->name);
	/* Exactly one of command (exec form) and run (a shell script). */
	const ir_value *cmd = s->attrs.v[A_COMMAND], *run = s->attrs.v[A_RUN];
	if (cmd && run) {
		diag_error(c->d, s->attrs.key[A_RUN], "step '%s' has both 'command' and 'run'; give exactly one", s->name);
		diag_note(c->d, s->attrs.key[A_COMMAND], "'command' given here");
	} else if (!cmd && !run) {
		diag_error(c->d, s->name_span, "step '%s' has neither 'command' nor 'run'", s->name);
	} else if (cmd && cmd->list.n == 0) {
		diag_error(c->d, cmd->span, "'command' of step '%s' is empty", s->name);
	} else if (run && run->str.len == 0) {
		diag_error(c->d, run->span, "'run' of step '%s' is empty", s->name);
	}
	if (run) {
		ir_value *l = ir_list(c->b, run->span);
		ir_list_push(c->b, l, ir_string(c->b, run->span, "/bin/sh", 7));
		ir_list_push(c->b, l, ir_string(c->b, run->span, "-c", 2));
		ir_list_push(c->b, l, (ir_value *)run);
		out->command = l;
	} else {
		out->command = cmd;
	}
	/* Every step needs an image, its own or the pipeline's. */
	const ir_value *image = attr(&p->attrs, &s->attrs, A_IMAGE);
	if (!image)
		diag_error(c->d, s->name_span, "step '%s' has no image: set 'image' on the step or the pipeline", s->name);
	else if (image->str.len == 0 || strpbrk(image->str.s, " \t\n"))
		diag_error(c->d, image->span, "invalid image '%s'", image->str.s);
	out->image = image ? image->str.s : "";
	const ir_value *ipp = attr(&p->attrs, &s->attrs, A_IMAGE_PULL_POLICY);
	if (s->attrs.v[A_IMAGE_PULL_POLICY])
		one_of(c, s->attrs.v[A_IMAGE_PULL_POLICY], "image_pull_policy", pull_policies, 3);
	out->image_pull_policy = ir_str(ipp);
	out->working_dir = ir_str(s->attrs.v[A_WORKING_DIR]);
	if (out->working_dir && out->working_dir[0] != '/')
		diag_error(c->d, s->attrs.v[A_WORKING_DIR]->span, "working_dir must be an absolute path, got '%s'",
			   out->working_dir);
	out->args = s->attrs.v[A_ARGS];
	check_env(c, s->attrs.v[A_ENV], s->attrs.v[A_SECRET_ENV]);
	out->env = merge_maps(c, p->attrs.v[A_ENV], s->attrs.v[A_ENV]);
	out->secret_env = merge_maps(c, p->attrs.v[A_SECRET_ENV], s->attrs.v[A_SECRET_ENV]);
	check_env_from(c, s->attrs.v[A_ENV_FROM]);
	out->env_from = s->attrs.v[A_ENV_FROM];
	out->retries = integer(c, s->attrs.v[A_RETRIES], "retries", 0, 0);
	out->timeout = duration(c, s->attrs.v[A_TIMEOUT], "timeout", -1);
	out->pending_timeout = duration(c, s->attrs.v[A_PENDING_TIMEOUT], "pending_timeout", cp->pending_timeout);
	check_op(c, &out->op, &p->op, &s->op, "2", "4GB");
	check_pod_keys(c, &s->pod);
	merge_pod(c, out->pod, &p->pod, &s->pod);
	check_volume_refs(c, out);
}

chk_pipeline *check_pipeline(ir_build *b, const ir_pipeline *p, const char *namespace_override)
{
	checker c = { .b = b, .d = b->d, .a = b->a };
	size_t errors = diag_error_count(b->d);
	chk_pipeline *cp = arena_alloc(b->a, sizeof(*cp));
	cp->ir = p;
	need_dns_label(&c, NULL, p->name, p->name_len, p->name_span, "pipeline name");
	const ir_value *ns = p->attrs.v[A_NAMESPACE];
	if (ns)
		need_dns_label(&c, ns, ns->str.s, ns->str.len, ns->span, "namespace");
	cp->namespace = namespace_override ? namespace_override : ns ? ns->str.s : "default";
	cp->create_namespace = p->attrs.v[A_CREATE_NAMESPACE] && p->attrs.v[A_CREATE_NAMESPACE]->b;
	cp->max_parallel = integer(&c, p->attrs.v[A_MAX_PARALLEL], "max_parallel", 1, 0);
	one_of(&c, p->attrs.v[A_ON_FAILURE], "on_failure", failure_modes, 2);
	cp->on_failure = p->attrs.v[A_ON_FAILURE] ? p->attrs.v[A_ON_FAILURE]->str.s : "continue";
	cp->ttl = duration(&c, p->attrs.v[A_TTL], "ttl", -1);
	if (p->attrs.v[A_IMAGE] && (p->attrs.v[A_IMAGE]->str.len == 0 || strpbrk(p->attrs.v[A_IMAGE]->str.s, " \t\n")))
		diag_error(c.d, p->attrs.v[A_IMAGE]->span, "invalid image '%s'", p->attrs.v[A_IMAGE]->str.s);
	one_of(&c, p->attrs.v[A_IMAGE_PULL_POLICY], "image_pull_policy", pull_policies, 3);
	need_subdomain(&c, p->attrs.v[A_SERVICE_ACCOUNT], "service account");
	cp->service_account = ir_str(p->attrs.v[A_SERVICE_ACCOUNT]);
	check_label_map(&c, p->attrs.v[A_LABELS], "label", true, true);
	check_label_map(&c, p->attrs.v[A_ANNOTATIONS], "annotation", false, true);
	cp->labels = p->attrs.v[A_LABELS];
	cp->annotations = p->attrs.v[A_ANNOTATIONS];
	check_env(&c, p->attrs.v[A_ENV], p->attrs.v[A_SECRET_ENV]);
	cp->pending_timeout = duration(&c, p->attrs.v[A_PENDING_TIMEOUT], "pending_timeout", 1800);
	check_pod_keys(&c, &p->pod);
	cp->steps = arena_array(b->a, p->nsteps, sizeof(chk_step));
	for (size_t i = 0; i < p->nsteps; i++)
		check_step(&c, p, cp, &cp->steps[i], p->steps[i]);
	/* The sequencer's pod: its own settings, else the scheduling keys of the pipeline's @pod. */
	const ir_sequencer *seq = &p->seq;
	if (seq->image && (seq->image->str.len == 0 || strpbrk(seq->image->str.s, " \t\n")))
		diag_error(c.d, seq->image->span, "invalid sequencer image '%s'", seq->image->str.s);
	cp->seq_image = ir_str(seq->image);
	check_op(&c, &cp->seq_op, NULL, &seq->op, "100m", "64Mi");
	check_pod_keys(&c, &seq->pod);
	bool seq_pod_given = false;
	for (int k = 0; k < POD__COUNT; k++)
		seq_pod_given |= seq->pod.v[k] != NULL;
	if (seq_pod_given) {
		merge_pod(&c, cp->seq_pod, NULL, &seq->pod);
	} else {
		static const int inherited[] = { POD_NODE_SELECTOR, POD_AFFINITY, POD_TOLERATIONS, POD_IMAGE_PULL_SECRETS,
						  POD_PRIORITY_CLASS };
		for (size_t i = 0; i < sizeof inherited / sizeof *inherited; i++)
			cp->seq_pod[inherited[i]] = p->pod.v[inherited[i]];
	}
	return diag_error_count(b->d) == errors ? cp : NULL;
}
