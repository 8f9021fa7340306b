/* ir.c -- IR constructors and the attribute tables that both front ends set keys through. */
#include "config.h"
#include "ir.h"

#include <string.h>

#include "hash.h"

#define ALL_LEVELS (LVL_PIPELINE | LVL_STEP)

/* ORDER ir_attr */
const ir_key_info ir_attr_info[A__COUNT] = {
	[A_NAMESPACE] = { "namespace", T_STRING, LVL_PIPELINE },
	[A_CREATE_NAMESPACE] = { "create_namespace", T_BOOL, LVL_PIPELINE },
	[A_IMAGE] = { "image", T_STRING, ALL_LEVELS },
	[A_COMMAND] = { "command", T_STRING_LIST, LVL_STEP },
	[A_RUN] = { "run", T_STRING, LVL_STEP },
	[A_ARGS] = { "args", T_STRING_LIST, LVL_STEP },
	[A_LABELS] = { "labels", T_STRING_MAP, LVL_PIPELINE },
	[A_ANNOTATIONS] = { "annotations", T_STRING_MAP, LVL_PIPELINE },
	[A_ENV] = { "env", T_STRING_MAP, ALL_LEVELS },
	[A_SECRET_ENV] = { "secret_env", T_STRING_MAP, ALL_LEVELS },
	[A_ENV_FROM] = { "env_from", T_STRING_LIST, LVL_STEP },
	[A_WORKING_DIR] = { "working_dir", T_STRING, LVL_STEP },
	[A_SEQUENCER] = { "sequencer", T_SEQUENCER, LVL_PIPELINE },
	[A_MAX_PARALLEL] = { "max_parallel", T_INT, LVL_PIPELINE },
	[A_ON_FAILURE] = { "on_failure", T_STRING, LVL_PIPELINE },
	[A_TTL] = { "ttl", T_STRING, LVL_PIPELINE },
	[A_SERVICE_ACCOUNT] = { "service_account", T_STRING, LVL_PIPELINE },
	[A_IMAGE_PULL_POLICY] = { "image_pull_policy", T_STRING, ALL_LEVELS },
	[A_RETRIES] = { "retries", T_INT, LVL_STEP },
	[A_TIMEOUT] = { "timeout", T_STRING, LVL_STEP },
	[A_PENDING_TIMEOUT] = { "pending_timeout", T_STRING, ALL_LEVELS },
	[A_OP] = { "op", T_OP, ALL_LEVELS },
	[A_POD] = { "pod", T_POD, ALL_LEVELS },
};

#define OP_SEQ (ALL_LEVELS | LVL_SEQUENCER)
/* ORDER op_key */
const ir_key_info ir_op_info[OP__COUNT] = {
	[OP_NUM_CPUS] = { "num_cpus", T_NUMBER, OP_SEQ },
	[OP_MEMORY] = { "memory", T_STRING_OR_NUMBER, OP_SEQ },
	[OP_GPU_RESOURCE_NAME] = { "gpu_resource_name", T_STRING, ALL_LEVELS },
	[OP_NUM_GPUS] = { "num_gpus", T_INT, ALL_LEVELS },
	[OP_CUDA_VERSION] = { "cuda_version", T_STRING, ALL_LEVELS },
	[OP_CUDA_STRICT] = { "cuda_strict", T_BOOL, ALL_LEVELS },
	[OP_CPU_LIMIT] = { "cpu_limit", T_STRING_OR_NUMBER, OP_SEQ },
	[OP_MEMORY_LIMIT] = { "memory_limit", T_STRING_OR_NUMBER, OP_SEQ },
	[OP_EPHEMERAL_STORAGE] = { "ephemeral_storage", T_STRING_OR_NUMBER, ALL_LEVELS },
};

/* ORDER pod_key */
const ir_key_info ir_pod_info[POD__COUNT] = {
	[POD_NODE_SELECTOR] = { "node_selector", T_STRING_MAP, OP_SEQ },
	[POD_AFFINITY] = { "affinity", T_OBJECT, OP_SEQ },
	[POD_TOLERATIONS] = { "tolerations", T_OBJECT_LIST, OP_SEQ },
	[POD_VOLUMES] = { "volumes", T_OBJECT_LIST, ALL_LEVELS },
	[POD_VOLUME_MOUNTS] = { "volume_mounts", T_OBJECT_LIST, ALL_LEVELS },
	[POD_HOST_IPC] = { "host_ipc", T_BOOL, ALL_LEVELS },
	[POD_IMAGE_PULL_SECRETS] = { "image_pull_secrets", T_STRING_LIST, OP_SEQ },
	[POD_LABELS] = { "labels", T_STRING_MAP, OP_SEQ },
	[POD_ANNOTATIONS] = { "annotations", T_STRING_MAP, OP_SEQ },
	[POD_SERVICE_ACCOUNT] = { "service_account", T_STRING, ALL_LEVELS },
	[POD_SECURITY_CONTEXT] = { "security_context", T_OBJECT, ALL_LEVELS },
	[POD_PRIORITY_CLASS] = { "priority_class", T_STRING, OP_SEQ },
};

static const char *const kind_names[] = {
	[IRV_NULL] = "null", [IRV_STRING] = "a string", [IRV_NUMBER] = "a number",
	[IRV_BOOL] = "a boolean", [IRV_LIST] = "a list", [IRV_MAP] = "a map",
};

const char *ir_kind_name(enum ir_kind k)
{
	return kind_names[k];
}

static ir_value *value_new(ir_build *b, enum ir_kind k, src_span span)
{
	ir_value *v = arena_alloc(b->a, sizeof(*v));
	v->kind = k;
	v->span = span;
	return v;
}

ir_value *ir_null(ir_build *b, src_span span)
{
	return value_new(b, IRV_NULL, span);
}

ir_value *ir_string(ir_build *b, src_span span, const char *s, size_t len)
{
	if (len > IR_MAX_STRING) {
		diag_error(b->d, (src_span){ span.file, span.start, span.start + 1 },
			   "string of %zu bytes is longer than the limit of %d bytes", len, IR_MAX_STRING);
		len = 0;
	}
	ir_value *v = value_new(b, IRV_STRING, span);
	v->str.s = arena_strndup(b->a, s, len);
	v->str.len = len;
	return v;
}

ir_value *ir_number(ir_build *b, src_span span, const char *text, size_t len)
{
	ir_value *v = value_new(b, IRV_NUMBER, span);
	v->num.text = arena_strndup(b->a, text, len);
	v->num.len = len;
	v->num.is_int = memchr(text, '.', len) == NULL && memchr(text, 'e', len) == NULL &&
			memchr(text, 'E', len) == NULL;
	return v;
}

ir_value *ir_bool(ir_build *b, src_span span, bool val)
{
	ir_value *v = value_new(b, IRV_BOOL, span);
	v->b = val;
	return v;
}

ir_value *ir_list(ir_build *b, src_span span)
{
	return value_new(b, IRV_LIST, span);
}

void ir_list_push(ir_build *b, ir_value *list, ir_value *item)
{
	if (list->list.n == list->list.cap) {
		size_t cap = list->list.cap ? 2 * list->list.cap : 4;
		list->list.items = arena_grow(b->a, list->list.items, list->list.n, cap, sizeof(ir_value *));
		list->list.cap = cap;
	}
	list->list.items[list->list.n++] = item;
}

ir_value *ir_map(ir_build *b, src_span span)
{
	return value_new(b, IRV_MAP, span);
}

void ir_list_reserve(ir_build *b, ir_value *list, size_t n)
{
	if (n > list->list.cap) {
		list->list.items = arena_grow(b->a, list->list.items, list->list.n, n, sizeof(ir_value *));
		list->list.cap = n;
	}
}

/* The slot of key in the index: its entry's, or the free one where it would go. */
static uint32_t *index_slot(const ir_value *map, const char *key, size_t len)
{
	uint32_t mask = 2 * map->map.cap - 1;
	uint32_t i = (uint32_t)hash_fnv1a(HASH_FNV_OFFSET, key, len) & mask;
	for (;;) {
		uint32_t *slot = &map->map.index[i];
		if (*slot == 0)
			return slot;
		const ir_entry *e = &map->map.entries[*slot - 1];
		if (e->key_len == len && memcmp(e->key, key, len) == 0)
			return slot;
		i = (i + 1) & mask;
	}
}

static void index_rebuild(ir_build *b, ir_value *map)
{
	map->map.index = arena_array(b->a, 2 * (size_t)map->map.cap, sizeof(uint32_t));
	for (uint32_t k = 0; k < map->map.n; k++)
		*index_slot(map, map->map.entries[k].key, map->map.entries[k].key_len) = k + 1;
}

/* Capacities are powers of two, so the index size 2 * cap is one too. */
static void map_grow(ir_build *b, ir_value *map, size_t want)
{
	uint32_t cap = map->map.cap ? map->map.cap : 4;
	while (cap < want)
		cap *= 2;
	if (cap == map->map.cap)
		return;
	map->map.entries = arena_grow(b->a, map->map.entries, map->map.n, cap, sizeof(ir_entry));
	map->map.cap = cap;
	if (map->map.index)
		index_rebuild(b, map);
}

void ir_map_reserve(ir_build *b, ir_value *map, size_t n)
{
	if (n > map->map.cap)
		map_grow(b, map, n);
}

static const ir_entry *map_find(const ir_value *map, const char *key, size_t len)
{
	if (map->map.index) {
		uint32_t slot = *index_slot(map, key, len);
		return slot ? &map->map.entries[slot - 1] : NULL;
	}
	for (uint32_t i = 0; i < map->map.n; i++)
		if (map->map.entries[i].key_len == len && memcmp(map->map.entries[i].key, key, len) == 0)
			return &map->map.entries[i];
	return NULL;
}

const ir_value *ir_map_get(const ir_value *map, const char *key)
{
	if (!map || map->kind != IRV_MAP)
		return NULL;
	const ir_entry *e = map_find(map, key, strlen(key));
	return e ? e->value : NULL;
}

bool ir_map_put(ir_build *b, ir_value *map, src_span key_span, const char *key, size_t key_len,
		ir_value *value)
{
	const ir_entry *old = map_find(map, key, key_len);
	if (old) {
		diag_error(b->d, key_span, "duplicate key '%s'", old->key);
		diag_note(b->d, old->key_span, "'%s' first given here", old->key);
		return false;
	}
	if (map->map.n == map->map.cap)
		map_grow(b, map, (size_t)map->map.n + 1);
	map->map.entries[map->map.n++] = (ir_entry){
		.key = arena_strndup(b->a, key, key_len), .key_len = key_len, .key_span = key_span, .value = value,
	};
	if (map->map.index)
		*index_slot(map, key, key_len) = map->map.n;
	else if (map->map.n == IR_MAP_INDEXED)
		index_rebuild(b, map);
	return true;
}

ir_pipeline *ir_pipeline_new(ir_build *b, const char *name, size_t len, src_span span)
{
	ir_pipeline *p = arena_alloc(b->a, sizeof(*p));
	p->name = arena_strndup(b->a, name, len);
	p->name_len = len;
	p->name_span = span;
	p->file = b->file;
	return p;
}

ir_step *ir_step_add(ir_build *b, ir_pipeline *p, const char *name, size_t len, src_span span)
{
	if (p->nsteps == IR_MAX_STEPS)
		diag_error(b->d, span, "pipeline '%s' has more than %d steps", p->name, IR_MAX_STEPS);
	ir_step *s = arena_alloc(b->a, sizeof(*s));
	s->name = arena_strndup(b->a, name, len);
	s->name_len = len;
	s->name_span = span;
	s->index = p->nsteps;
	if (p->nsteps == p->steps_cap) {
		size_t cap = p->steps_cap ? 2 * p->steps_cap : 8;
		p->steps = arena_grow(b->a, p->steps, p->nsteps, cap, sizeof(*p->steps));
		p->steps_cap = cap;
	}
	p->steps[p->nsteps++] = s;
	return s;
}

void ir_step_after(ir_build *b, ir_step *s, const char *name, size_t len, src_span span)
{
	if (s->nafter == IR_MAX_DEPS)
		diag_error(b->d, span, "step '%s' lists more than %d dependencies", s->name, IR_MAX_DEPS);
	if (s->nafter == s->after_cap) {
		size_t cap = s->after_cap ? 2 * s->after_cap : 4;
		s->after = arena_grow(b->a, s->after, s->nafter, cap, sizeof(*s->after));
		s->after_cap = cap;
	}
	s->after[s->nafter++] = (ir_dep){
		.name = arena_strndup(b->a, name, len), .len = len, .span = span, .step = (size_t)-1,
	};
}

const char *ir_str(const ir_value *v)
{
	return v && v->kind == IRV_STRING ? v->str.s : NULL;
}

static const char *const level_names[] = {
	[LVL_PIPELINE] = "pipeline", [LVL_STEP] = "step", [LVL_SEQUENCER] = "sequencer",
};

static const char *type_expect(enum ir_type t)
{
	static const char *const names[] = {
		[T_STRING] = "a string", [T_BOOL] = "true or false", [T_INT] = "an integer",
		[T_NUMBER] = "a number", [T_STRING_OR_NUMBER] = "a string or a number",
		[T_STRING_LIST] = "a list of strings", [T_STRING_MAP] = "a map of strings",
		[T_OBJECT] = "a map", [T_OBJECT_LIST] = "a list of maps", [T_OP] = "a map of @op keys",
		[T_POD] = "a map of @pod keys", [T_SEQUENCER] = "a map",
	};
	return names[t];
}

/* Whether v has the shape of type t; on a mismatch, reports it at the offending node. */
static bool check_type(ir_build *b, const char *key, enum ir_type t, const ir_value *v)
{
	const ir_value *bad = NULL;
	switch (t) {
	case T_STRING:
		bad = v->kind == IRV_STRING ? NULL : v;
		break;
	case T_BOOL:
		bad = v->kind == IRV_BOOL ? NULL : v;
		break;
	case T_INT:
		bad = v->kind == IRV_NUMBER && v->num.is_int ? NULL : v;
		break;
	case T_NUMBER:
		bad = v->kind == IRV_NUMBER ? NULL : v;
		break;
	case T_STRING_OR_NUMBER:
		bad = v->kind == IRV_STRING || v->kind == IRV_NUMBER ? NULL : v;
		break;
	case T_STRING_LIST:
		if (v->kind != IRV_LIST)
			bad = v;
		for (size_t i = 0; !bad && i < v->list.n; i++)
			if (v->list.items[i]->kind != IRV_STRING) {
				const ir_value *it = v->list.items[i];
				diag_error(b->d, it->span, "expected a string in '%s', got %s%s", key,
					   ir_kind_name(it->kind),
					   it->kind == IRV_NUMBER || it->kind == IRV_BOOL ? "; quote it" : "");
				return false;
			}
		break;
	case T_STRING_MAP:
		if (v->kind != IRV_MAP)
			bad = v;
		for (size_t i = 0; !bad && i < v->map.n; i++) {
			const ir_value *it = v->map.entries[i].value;
			if (it->kind != IRV_STRING) {
				diag_error(b->d, it->span, "expected a string for '%s' in '%s', got %s%s",
					   v->map.entries[i].key, key, ir_kind_name(it->kind),
					   it->kind == IRV_NUMBER || it->kind == IRV_BOOL ? "; quote it" : "");
				return false;
			}
		}
		break;
	case T_OBJECT:
	case T_OP:
	case T_POD:
	case T_SEQUENCER:
		bad = v->kind == IRV_MAP ? NULL : v;
		break;
	case T_OBJECT_LIST:
		if (v->kind != IRV_LIST)
			bad = v;
		for (size_t i = 0; !bad && i < v->list.n; i++)
			if (v->list.items[i]->kind != IRV_MAP) {
				const ir_value *it = v->list.items[i];
				diag_error(b->d, it->span, "expected a map in '%s', got %s", key,
					   ir_kind_name(it->kind));
				return false;
			}
		break;
	}
	if (bad) {
		const char *hint = "";
		if (t == T_STRING && (bad->kind == IRV_NUMBER || bad->kind == IRV_BOOL))
			hint = "; quote it";
		diag_error(b->d, bad->span, "expected %s for '%s', got %s%s", type_expect(t), key,
			   ir_kind_name(bad->kind), hint);
		return false;
	}
	return true;
}

/* Finds key in a table; reports unknown keys with a did-you-mean, and keys that belong to
 * another level. Returns the row index or -1. */
static int lookup(ir_build *b, const ir_key_info *tab, size_t n, enum ir_level lvl, const char *what,
		  src_span key_span, const char *key, size_t key_len)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(tab[i].name) != key_len || memcmp(tab[i].name, key, key_len) != 0)
			continue;
		if (tab[i].levels & lvl)
			return (int)i;
		const char *where = (tab[i].levels & LVL_STEP) ? "step" : "pipeline";
		diag_error(b->d, key_span, "'%s' is a %s %s, not allowed at %s level", tab[i].name, where,
			   what, level_names[lvl]);
		return -1;
	}
	const char *cands[32];
	size_t nc = 0;
	for (size_t i = 0; i < n && nc < 32; i++)
		if (tab[i].levels & lvl)
			cands[nc++] = tab[i].name;
	const char *sugg = diag_suggest(key, key_len, cands, nc);
	if (sugg)
		diag_error(b->d, key_span, "unknown %s %s '%.*s'; did you mean '%s'?", level_names[lvl], what,
			   (int)key_len, key, sugg);
	else
		diag_error(b->d, key_span, "unknown %s %s '%.*s'", level_names[lvl], what, (int)key_len, key);
	return -1;
}

/* Stores v under row i of a keyset; a key given twice is an error with a note. */
#define KEYSET_PUT(b, set, i, name, key_span, val)                                            \
	do {                                                                                 \
		if ((set)->v[i]) {                                                           \
			diag_error((b)->d, key_span, "'%s' given twice", name);              \
			diag_note((b)->d, (set)->key[i], "'%s' first given here", name);     \
			return false;                                                        \
		}                                                                            \
		(set)->v[i] = (val);                                                         \
		(set)->key[i] = (key_span);                                                  \
		(set)->order[(set)->n++] = (unsigned char)(i);                               \
	} while (0)

static bool set_map_entries(ir_build *b, const ir_value *map,
			    bool (*set)(ir_build *, void *, enum ir_level, src_span, const char *, size_t,
					const ir_value *),
			    void *dst, enum ir_level lvl)
{
	bool ok = true;
	for (size_t i = 0; i < map->map.n; i++) {
		const ir_entry *e = &map->map.entries[i];
		ok &= set(b, dst, lvl, e->key_span, e->key, e->key_len, e->value);
	}
	return ok;
}

static bool set_op_cb(ir_build *b, void *dst, enum ir_level lvl, src_span ks, const char *k, size_t kl,
		      const ir_value *v)
{
	return ir_set_op(b, dst, lvl, ks, k, kl, v);
}

static bool set_pod_cb(ir_build *b, void *dst, enum ir_level lvl, src_span ks, const char *k, size_t kl,
		       const ir_value *v)
{
	return ir_set_pod(b, dst, lvl, ks, k, kl, v);
}

bool ir_set_op(ir_build *b, ir_op *op, enum ir_level lvl, src_span key_span, const char *key,
	       size_t key_len, const ir_value *v)
{
	int i = lookup(b, ir_op_info, OP__COUNT, lvl, "@op key", key_span, key, key_len);
	if (i < 0 || !check_type(b, ir_op_info[i].name, ir_op_info[i].type, v))
		return false;
	KEYSET_PUT(b, op, i, ir_op_info[i].name, key_span, v);
	return true;
}

bool ir_set_pod(ir_build *b, ir_pod *pod, enum ir_level lvl, src_span key_span, const char *key,
		size_t key_len, const ir_value *v)
{
	int i = lookup(b, ir_pod_info, POD__COUNT, lvl, "@pod key", key_span, key, key_len);
	if (i < 0 || !check_type(b, ir_pod_info[i].name, ir_pod_info[i].type, v))
		return false;
	KEYSET_PUT(b, pod, i, ir_pod_info[i].name, key_span, v);
	return true;
}

/* The sequencer map: image, op and pod, with the keys the sequencer pod accepts. */
static bool set_sequencer(ir_build *b, ir_sequencer *seq, const ir_value *map)
{
	bool ok = true;
	for (size_t i = 0; i < map->map.n; i++) {
		const ir_entry *e = &map->map.entries[i];
		if (strcmp(e->key, "image") == 0) {
			if (!check_type(b, "image", T_STRING, e->value)) {
				ok = false;
				continue;
			}
			seq->image = e->value;
			seq->image_key = e->key_span;
		} else if (strcmp(e->key, "op") == 0) {
			if (check_type(b, "op", T_OP, e->value))
				ok &= set_map_entries(b, e->value, set_op_cb, &seq->op, LVL_SEQUENCER);
			else
				ok = false;
		} else if (strcmp(e->key, "pod") == 0) {
			if (check_type(b, "pod", T_POD, e->value))
				ok &= set_map_entries(b, e->value, set_pod_cb, &seq->pod, LVL_SEQUENCER);
			else
				ok = false;
		} else {
			static const char *const keys[] = { "image", "op", "pod" };
			const char *sugg = diag_suggest(e->key, e->key_len, keys, 3);
			if (sugg)
				diag_error(b->d, e->key_span, "unknown sequencer key '%s'; did you mean '%s'?",
					   e->key, sugg);
			else
				diag_error(b->d, e->key_span,
					   "unknown sequencer key '%s' (expected image, op or pod)", e->key);
			ok = false;
		}
	}
	return ok;
}

bool ir_set_attr(ir_build *b, ir_pipeline *p, ir_step *s, src_span key_span, const char *key,
		 size_t key_len, const ir_value *v)
{
	enum ir_level lvl = s ? LVL_STEP : LVL_PIPELINE;
	ir_attrs *attrs = s ? &s->attrs : &p->attrs;
	int i = lookup(b, ir_attr_info, A__COUNT, lvl, "attribute", key_span, key, key_len);
	if (i < 0 || !check_type(b, ir_attr_info[i].name, ir_attr_info[i].type, v))
		return false;
	KEYSET_PUT(b, attrs, i, ir_attr_info[i].name, key_span, v);
	switch (ir_attr_info[i].type) {
	case T_OP:
		return set_map_entries(b, v, set_op_cb, s ? &s->op : &p->op, lvl);
	case T_POD:
		return set_map_entries(b, v, set_pod_cb, s ? &s->pod : &p->pod, lvl);
	case T_SEQUENCER:
		return set_sequencer(b, &p->seq, v);
	default:
		return true;
	}
}
