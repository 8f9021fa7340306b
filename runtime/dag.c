/* dag.c -- the DAG engine: a transition table over (state, event), plus the rules that derive
 * skipped steps and the steps that are ready to start. No I/O, no clock. */
#include "dag.h"

#include <string.h>

#include "rtutil.h"

/* ORDER dag_state */
static const char *const state_names[DAG_NSTATES] = {
	[DAG_WAITING] = "waiting", [DAG_RUNNING] = "running", [DAG_SUCCEEDED] = "succeeded",
	[DAG_FAILED] = "failed", [DAG_SKIPPED] = "skipped",
};

/* ORDER dag_event */
static const char *const event_names[DAG_NEVENTS] = {
	[DAG_EV_START] = "start", [DAG_EV_SUCCEED] = "succeed", [DAG_EV_FAIL] = "fail",
	[DAG_EV_SUSPENDED] = "suspended", [DAG_EV_PENDING_TIMEOUT] = "pending-timeout",
	[DAG_EV_SKIP] = "skip",
};

/* One cell of the transition table: the result and, when CHANGED, the new state. */
typedef struct cell {
	dag_result res;
	dag_state to;
} cell;

#define GO(s) {DAG_CHANGED, s}
#define SAME {DAG_NOOP, DAG_NSTATES}
#define BAD {DAG_INVALID, DAG_NSTATES}

/* ORDER dag_state, dag_event. Rows: current state; columns: event. A driver that rebuilds
 * from the cluster may see a step finished that it never saw running, hence waiting+SUCCEED;
 * facts beat derived states, hence skipped+SUCCEED/FAIL; running+SUSPENDED stays running but
 * is CHANGED so the driver resumes it. */
static const cell table[DAG_NSTATES][DAG_NEVENTS] = {
	[DAG_WAITING] = {GO(DAG_RUNNING), GO(DAG_SUCCEEDED), GO(DAG_FAILED), SAME, BAD, GO(DAG_SKIPPED)},
	[DAG_RUNNING] = {SAME, GO(DAG_SUCCEEDED), GO(DAG_FAILED), GO(DAG_RUNNING), GO(DAG_FAILED), BAD},
	[DAG_SUCCEEDED] = {SAME, SAME, BAD, SAME, SAME, BAD},
	[DAG_FAILED] = {SAME, BAD, SAME, SAME, SAME, SAME},
	[DAG_SKIPPED] = {BAD, GO(DAG_SUCCEEDED), GO(DAG_FAILED), SAME, SAME, SAME},
};

const char *dag_state_name(dag_state s)
{
	return s < DAG_NSTATES ? state_names[s] : "?";
}

const char *dag_event_name(dag_event e)
{
	return e < DAG_NEVENTS ? event_names[e] : "?";
}

dag_state dag_state_parse(const char *s)
{
	for (int i = 0; s && i < DAG_NSTATES; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (dag_state)i;
	return DAG_NSTATES;
}

dag *dag_new(size_t n, unsigned max_parallel, bool stop_on_failure)
{
	dag *d = rt_calloc(1, sizeof *d);
	d->steps = rt_calloc(n, sizeof *d->steps);
	d->n = n;
	d->max_parallel = max_parallel;
	d->stop_on_failure = stop_on_failure;
	return d;
}

void dag_set_step(dag *d, size_t i, const char *name, const size_t *after, size_t nafter)
{
	dag_step *s = &d->steps[i];
	s->name = name;
	free(s->after);
	s->after = rt_calloc(nafter, sizeof *after);
	if (nafter)
		memcpy(s->after, after, nafter * sizeof *after);
	s->nafter = nafter;
}

void dag_free(dag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->steps[i].after);
		free(d->steps[i].reason);
	}
	free(d->steps);
	free(d);
}

static void set_reason(dag_step *s, const char *reason)
{
	free(s->reason);
	s->reason = reason ? rt_strdup(reason) : NULL;
}

static bool any_failed(const dag *d)
{
	return dag_count(d, DAG_FAILED) > 0;
}

/* Rule: a waiting step is skipped when one of its dependencies failed or was skipped, and
 * every waiting step is skipped once anything failed under stop_on_failure. Runs to a
 * fixpoint, so the steps need not be in topological order. */
static void propagate_skips(dag *d, time_t now)
{
	bool stop = d->stop_on_failure && any_failed(d);
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < d->n; i++) {
			dag_step *s = &d->steps[i];
			if (s->state != DAG_WAITING)
				continue;
			const dag_step *up = NULL;
			for (size_t k = 0; k < s->nafter && !up; k++) {
				const dag_step *a = &d->steps[s->after[k]];
				if (a->state == DAG_FAILED || a->state == DAG_SKIPPED)
					up = a;
			}
			char *why = NULL;
			if (up)
				why = rt_asprintf("upstream step '%s' %s", up->name, state_names[up->state]);
			else if (stop)
				why = rt_strdup("run stopped after a failure (onFailure: stop)");
			else
				continue;
			s->state = DAG_SKIPPED;
			s->ended = now;
			free(s->reason);
			s->reason = why;
			again = true;
		}
	}
}

dag_result dag_apply(dag *d, size_t i, dag_event ev, time_t now, const char *reason)
{
	if (i >= d->n || ev >= DAG_NEVENTS)
		return DAG_INVALID;
	dag_step *s = &d->steps[i];
	cell c = table[s->state][ev];
	if (c.res != DAG_CHANGED)
		return c.res;
	dag_state from = s->state;
	s->state = c.to;
	switch (c.to) { /* bookkeeping by target state; the transitions are in the table */
	case DAG_RUNNING:
		if (from == DAG_RUNNING)
			s->restarts++;
		else if (!s->started)
			s->started = now;
		break;
	case DAG_SUCCEEDED:
		s->ended = now;
		set_reason(s, reason);
		break;
	case DAG_FAILED:
	case DAG_SKIPPED:
		s->ended = now;
		set_reason(s, reason);
		break;
	default:
		break;
	}
	if (c.to == DAG_FAILED || c.to == DAG_SKIPPED)
		propagate_skips(d, now);
	return DAG_CHANGED;
}

size_t dag_count(const dag *d, dag_state st)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->steps[i].state == st;
	return n;
}

size_t dag_ready(const dag *d, size_t *out)
{
	if (d->stop_on_failure && any_failed(d))
		return 0;
	size_t running = dag_count(d, DAG_RUNNING);
	size_t room = d->max_parallel == 0 ? d->n : (running >= d->max_parallel ? 0 : d->max_parallel - running);
	size_t n = 0;
	for (size_t i = 0; i < d->n && n < room; i++) {
		const dag_step *s = &d->steps[i];
		if (s->state != DAG_WAITING)
			continue;
		bool ok = true;
		for (size_t k = 0; k < s->nafter && ok; k++)
			ok = d->steps[s->after[k]].state == DAG_SUCCEEDED;
		if (ok)
			out[n++] = i;
	}
	return n;
}

bool dag_over(const dag *d)
{
	if (dag_count(d, DAG_RUNNING) > 0)
		return false;
	size_t tmp;
	/* With nothing running, room is at least 1, so one slot tells whether anything could start. */
	dag one = *d;
	one.max_parallel = 1;
	return dag_ready(&one, &tmp) == 0;
}

bool dag_all_succeeded(const dag *d)
{
	return dag_count(d, DAG_SUCCEEDED) == d->n;
}
