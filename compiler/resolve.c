/* resolve.c -- name binding with a hash table, Kahn's algorithm with a min-heap on source
 * order, and cycle paths found by depth-first search over what Kahn could not order. */
#include "config.h"
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

typedef struct name_table {
	size_t *slots; /* step index + 1; 0 = empty */
	size_t mask;
} name_table;

static size_t *find_slot(name_table *t, const ir_pipeline *p, const char *name, size_t len)
{
	size_t i = (size_t)hash_fnv1a(HASH_FNV_OFFSET, name, len) & t->mask;
	while (t->slots[i]) {
		const ir_step *s = p->steps[t->slots[i] - 1];
		if (s->name_len == len && memcmp(s->name, name, len) == 0)
			return &t->slots[i];
		i = (i + 1) & t->mask;
	}
	return &t->slots[i];
}

static void report_unknown(ir_build *b, const ir_pipeline *p, const ir_step *s, const ir_dep *d)
{
	/* Suggestions scan up to 4096 names: only on the error path, and only for errors that
	 * will be printed, so 20,000 bad names do not cost 20,000 scans. */
	if (diag_error_count(b->d) >= DIAG_MAX_ERRORS) {
		diag_error(b->d, d->span, "step '%s' depends on unknown step '%s'", s->name, d->name);
		return;
	}
	size_t n = p->nsteps < 4096 ? p->nsteps : 4096;
	const char **cands = xreallocarray(NULL, n ? n : 1, sizeof(*cands));
	for (size_t i = 0; i < n; i++)
		cands[i] = p->steps[i]->name;
	const char *sugg = diag_suggest(d->name, d->len, cands, n);
	if (sugg)
		diag_error(b->d, d->span, "step '%s' depends on unknown step '%s'; did you mean '%s'?", s->name,
			   d->name, sugg);
	else
		diag_error(b->d, d->span, "step '%s' depends on unknown step '%s'", s->name, d->name);
	free(cands);
}

/* A binary min-heap of step indexes: the ready step that came first in the source runs first. */
typedef struct heap {
	size_t *v;
	size_t n;
} heap;

static void heap_push(heap *h, size_t x)
{
	size_t i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2] > x) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

static size_t heap_pop(heap *h)
{
	size_t top = h->v[0], x = h->v[--h->n], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= x)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = x;
	return top;
}

/* Reports one cycle through the unordered steps reachable from start. Iterative DFS along
 * `after` edges; color 1 = on the current path, 2 = done. */
static void report_cycle(ir_build *b, const ir_pipeline *p, size_t start, unsigned char *color,
			 size_t *path, size_t *edge)
{
	size_t depth = 0;
	path[0] = start;
	edge[0] = 0;
	color[start] = 1;
	while (depth != (size_t)-1) {
		size_t u = path[depth];
		const ir_step *s = p->steps[u];
		if (edge[depth] == s->nafter) {
			color[u] = 2;
			depth--;
			continue;
		}
		size_t v = s->after[edge[depth]++].step;
		if (v == (size_t)-1 || color[v] == 2)
			continue;
		if (color[v] == 1) {
			/* path[k..depth] is the cycle, each step running after the next. Print it in
			 * running order: v -> ... -> u -> v. */
			size_t k = 0;
			while (path[k] != v)
				k++;
			size_t cap = 64;
			char *msg = xmalloc(cap);
			size_t len = 0;
			for (size_t i = depth + 1; i-- > k;) {
				const char *name = p->steps[path[i]]->name;
				size_t need = len + strlen(name) + 5;
				if (need > cap) {
					cap = 2 * need;
					msg = xreallocarray(msg, cap, 1);
				}
				len += (size_t)sprintf(msg + len, "%s -> ", name);
			}
			const char *first = p->steps[path[depth]]->name;
			if (len + strlen(first) + 1 > cap)
				msg = xreallocarray(msg, len + strlen(first) + 1, 1);
			strcpy(msg + len, first);
			const ir_step *top = p->steps[path[depth]];
			diag_error(b->d, top->name_span, "dependency cycle: %s", msg);
			free(msg);
			for (size_t i = depth + 1; i-- > k;) {
				const ir_step *st = p->steps[path[i]];
				const ir_dep *d = &st->after[edge[i] - 1];
				diag_note(b->d, d->span, "'%s' runs after '%s' here", st->name, d->name);
			}
			/* One report per cycle: mark the rest done so it is not found again. */
			for (size_t i = 0; i <= depth; i++)
				color[path[i]] = 2;
			return;
		}
		color[v] = 1;
		depth++;
		path[depth] = v;
		edge[depth] = 0;
	}
}

bool resolve_pipeline(ir_build *b, ir_pipeline *p)
{
	size_t n = p->nsteps, errors = diag_error_count(b->d);
	if (n == 0) {
		diag_error(b->d, p->name_span, "pipeline '%s' has no steps", p->name);
		return false;
	}
	name_table t;
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	t.slots = xcalloc(cap, sizeof(size_t));
	t.mask = cap - 1;
	for (size_t i = 0; i < n; i++) {
		const ir_step *s = p->steps[i];
		size_t *slot = find_slot(&t, p, s->name, s->name_len);
		if (*slot) {
			diag_error(b->d, s->name_span, "duplicate step name '%s'", s->name);
			diag_note(b->d, p->steps[*slot - 1]->name_span, "'%s' first defined here", s->name);
			continue;
		}
		*slot = i + 1;
	}
	size_t *indegree = xcalloc(n, sizeof(size_t));
	size_t *nsucc = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		ir_step *s = p->steps[i];
		for (size_t j = 0; j < s->nafter; j++) {
			ir_dep *d = &s->after[j];
			size_t *slot = find_slot(&t, p, d->name, d->len);
			if (!*slot) {
				report_unknown(b, p, s, d);
				continue;
			}
			size_t target = *slot - 1;
			if (target == i) {
				diag_error(b->d, d->span, "step '%s' depends on itself", s->name);
				continue;
			}
			bool repeated = false;
			for (size_t k = 0; k < j && !repeated; k++)
				repeated = s->after[k].step == target;
			if (repeated) {
				diag_error(b->d, d->span, "step '%s' lists '%s' twice in 'after'", s->name, d->name);
				continue;
			}
			d->step = target;
			indegree[i]++;
			nsucc[target]++;
		}
	}
	free(t.slots);
	/* Successor lists in one array (CSR), so ordering is linear in edges. */
	size_t *start = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		start[i + 1] = start[i] + nsucc[i];
	size_t *succ = xcalloc(start[n] ? start[n] : 1, sizeof(size_t));
	memset(nsucc, 0, (n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < p->steps[i]->nafter; j++) {
			size_t target = p->steps[i]->after[j].step;
			if (target != (size_t)-1)
				succ[start[target] + nsucc[target]++] = i;
		}
	heap h = { .v = xcalloc(n, sizeof(size_t)) };
	for (size_t i = 0; i < n; i++)
		if (indegree[i] == 0)
			heap_push(&h, i);
	p->order = arena_array(b->a, n, sizeof(size_t));
	size_t done = 0;
	while (h.n) {
		size_t u = heap_pop(&h);
		p->order[done++] = u;
		for (size_t k = start[u]; k < start[u + 1]; k++)
			if (--indegree[succ[k]] == 0)
				heap_push(&h, succ[k]);
	}
	if (done < n) {
		unsigned char *color = xcalloc(n, 1);
		size_t *path = xcalloc(n, sizeof(size_t)), *edge = xcalloc(n, sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			if (indegree[i])
				color[i] = 0;
			else
				color[i] = 2; /* ordered: cannot be on a cycle */
		for (size_t i = 0; i < n; i++)
			if (color[i] == 0)
				report_cycle(b, p, i, color, path, edge);
		free(color);
		free(path);
		free(edge);
	}
	free(h.v);
	free(succ);
	free(start);
	free(nsucc);
	free(indegree);
	return diag_error_count(b->d) == errors;
}
