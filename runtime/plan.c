/* plan.c -- plan.json loading (jansson) and validation: types, names, references, cycles. */
#include "plan.h"

#include <jansson.h>
#include <string.h>

#include "rtutil.h"

typedef struct loader {
	const char *path;
	FILE *err;
	int errors;
} loader;

static void error(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error(loader *l, const char *fmt, ...)
{
	va_list ap;
	fprintf(l->err, "%s: error: ", l->path);
	va_start(ap, fmt);
	vfprintf(l->err, fmt, ap);
	va_end(ap);
	fputc('\n', l->err);
	l->errors++;
}

/* A string member: required ones must be present and non-empty. */
static char *get_string(loader *l, json_t *obj, const char *where, const char *key, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			error(l, "%s: missing key '%s'", where, key);
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		error(l, "%s.%s: expected a non-empty string", where, key);
		return NULL;
	}
	return rt_strdup(json_string_value(v));
}

static long get_int(loader *l, json_t *obj, const char *where, const char *key, long dflt, long min)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return dflt;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > 1000000000) {
		error(l, "%s.%s: expected an integer >= %ld", where, key, min);
		return dflt;
	}
	return (long)json_integer_value(v);
}

long plan_find(const plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].name && name && strcmp(p->steps[i].name, name) == 0)
			return (long)i;
	return -1;
}

long plan_find_job(const plan *p, const char *job)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].job && job && strcmp(p->steps[i].job, job) == 0)
			return (long)i;
	return -1;
}

/* Rule: the dependency graph is acyclic. Depth-first search with three colours; a grey step
 * met again closes a cycle, printed from that step along the stack. */
static bool find_cycle(loader *l, const plan *p, size_t i, unsigned char *colour, size_t *stack, size_t depth)
{
	colour[i] = 1;
	stack[depth] = i;
	for (size_t k = 0; k < p->steps[i].nafter; k++) {
		size_t j = p->steps[i].after[k];
		if (colour[j] == 1) {
			size_t from = 0;
			while (stack[from] != j)
				from++;
			fprintf(l->err, "%s: error: dependency cycle: ", l->path);
			for (size_t s = from; s <= depth; s++)
				fprintf(l->err, "%s -> ", p->steps[stack[s]].name);
			fprintf(l->err, "%s\n", p->steps[j].name);
			l->errors++;
			return true;
		}
		if (colour[j] == 0 && find_cycle(l, p, j, colour, stack, depth + 1))
			return true;
	}
	colour[i] = 2;
	return false;
}

static void load_steps(loader *l, plan *p, json_t *steps)
{
	p->n = json_array_size(steps);
	p->steps = rt_calloc(p->n, sizeof *p->steps);
	for (size_t i = 0; i < p->n; i++) {
		json_t *s = json_array_get(steps, i);
		char where[64];
		snprintf(where, sizeof where, "steps[%zu]", i);
		if (!json_is_object(s)) {
			error(l, "%s: expected an object", where);
			continue;
		}
		plan_step *st = &p->steps[i];
		st->name = get_string(l, s, where, "name", true);
		st->job = get_string(l, s, where, "job", true);
		st->pending_timeout = get_int(l, s, where, "pendingTimeoutSeconds", PLAN_DEFAULT_PENDING_TIMEOUT, 1);
		if (st->name && plan_find(p, st->name) != (long)i)
			error(l, "%s.name: duplicate step name '%s'", where, st->name);
		if (st->job && plan_find_job(p, st->job) != (long)i)
			error(l, "%s.job: Job '%s' is used by two steps", where, st->job);
	}
	/* References are resolved once every name is known. */
	for (size_t i = 0; i < p->n; i++) {
		json_t *s = json_array_get(steps, i);
		json_t *after = json_is_object(s) ? json_object_get(s, "after") : NULL;
		if (!after)
			continue;
		if (!json_is_array(after)) {
			error(l, "steps[%zu].after: expected an array of step names", i);
			continue;
		}
		plan_step *st = &p->steps[i];
		st->after = rt_calloc(json_array_size(after), sizeof *st->after);
		for (size_t k = 0; k < json_array_size(after); k++) {
			json_t *a = json_array_get(after, k);
			long j = json_is_string(a) ? plan_find(p, json_string_value(a)) : -1;
			if (!json_is_string(a))
				error(l, "steps[%zu].after[%zu]: expected a step name", i, k);
			else if (j < 0)
				error(l, "steps[%zu].after[%zu]: unknown step '%s'", i, k, json_string_value(a));
			else if ((size_t)j == i)
				error(l, "steps[%zu].after[%zu]: step '%s' depends on itself", i, k, st->name);
			else
				st->after[st->nafter++] = (size_t)j;
		}
	}
}

plan *plan_load(const char *path, FILE *err)
{
	loader l = {.path = path, .err = err};
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (je.line > 0)
			fprintf(err, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
		else
			fprintf(err, "%s: error: %s\n", path, je.text);
		return NULL;
	}
	plan *p = rt_calloc(1, sizeof *p);
	if (!json_is_object(root)) {
		error(&l, "expected a JSON object at the top level");
		goto out;
	}
	char *api = get_string(&l, root, "plan", "apiVersion", true);
	if (api && strcmp(api, "pipec.dev/v1") != 0)
		error(&l, "plan.apiVersion: expected \"pipec.dev/v1\", got \"%s\"", api);
	free(api);
	p->pipeline = get_string(&l, root, "plan", "pipeline", true);
	p->run = get_string(&l, root, "plan", "run", false);
	p->ns = get_string(&l, root, "plan", "namespace", true);
	p->sequencer_job = get_string(&l, root, "plan", "sequencerJob", false);
	p->max_parallel = (unsigned)get_int(&l, root, "plan", "maxParallel", 0, 0);
	char *onf = get_string(&l, root, "plan", "onFailure", false);
	if (onf && strcmp(onf, "stop") == 0)
		p->stop_on_failure = true;
	else if (onf && strcmp(onf, "continue") != 0)
		error(&l, "plan.onFailure: expected \"continue\" or \"stop\", got \"%s\"", onf);
	free(onf);
	json_t *steps = json_object_get(root, "steps");
	if (!json_is_array(steps) || json_array_size(steps) == 0)
		error(&l, "plan.steps: expected a non-empty array of steps");
	else
		load_steps(&l, p, steps);
	if (l.errors == 0) {
		unsigned char *colour = rt_calloc(p->n, 1);
		size_t *stack = rt_calloc(p->n + 1, sizeof *stack);
		for (size_t i = 0; i < p->n && l.errors == 0; i++)
			if (colour[i] == 0)
				find_cycle(&l, p, i, colour, stack, 0);
		free(colour);
		free(stack);
	}
out:
	json_decref(root);
	if (l.errors) {
		plan_free(p);
		return NULL;
	}
	return p;
}

void plan_free(plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->steps[i].name);
		free(p->steps[i].job);
		free(p->steps[i].after);
	}
	free(p->steps);
	free(p->pipeline);
	free(p->run);
	free(p->ns);
	free(p->sequencer_job);
	free(p);
}
