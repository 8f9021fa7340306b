/* test-dag.c -- unit tests of the DAG engine: every transition of the table, skip propagation,
 * readiness under max_parallel, both onFailure modes, and rebuilding from observations. */
#include <stdio.h>
#include <string.h>

#include "dag.h"

static int failures, checks;

#define CHECK(cond)                                                                       \
	do {                                                                              \
		checks++;                                                                 \
		if (!(cond)) {                                                            \
			failures++;                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                         \
	} while (0)

/* Builds a dag from "a;b:a;c:a;d:b,c" (name:deps). Names are single letters a..z. */
static dag *build(const char *spec, unsigned maxp, bool stop)
{
	static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
	                                    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
	size_t n = 1;
	for (const char *p = spec; *p; p++)
		n += *p == ';';
	dag *d = dag_new(n, maxp, stop);
	const char *p = spec;
	for (size_t i = 0; i < n; i++) {
		size_t after[26], na = 0;
		size_t idx = (size_t)(*p - 'a');
		p++;
		if (*p == ':')
			for (p++; *p && *p != ';'; p++)
				if (*p != ',')
					after[na++] = (size_t)(*p - 'a');
		if (*p == ';')
			p++;
		dag_set_step(d, idx, names[idx], after, na);
	}
	return d;
}

/* The ready set as a string of letters, e.g. "bc". */
static const char *ready(const dag *d)
{
	static char buf[32];
	size_t out[32];
	size_t n = dag_ready(d, out);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)('a' + out[i]);
	buf[n] = 0;
	return buf;
}

/* The states as a string: W R S F K (skipped) per step. */
static const char *states(const dag *d)
{
	static char buf[32];
	static const char code[] = "WRSFK";
	for (size_t i = 0; i < d->n; i++)
		buf[i] = code[d->steps[i].state];
	buf[d->n] = 0;
	return buf;
}

static void test_table(void)
{
	/* Every (state, event) pair, from a single-step dag forced into each state. */
	static const struct {
		dag_state from;
		dag_event ev;
		dag_result res;
		dag_state to;
	} rows[] = {
		{DAG_WAITING, DAG_EV_START, DAG_CHANGED, DAG_RUNNING},
		{DAG_WAITING, DAG_EV_SUCCEED, DAG_CHANGED, DAG_SUCCEEDED},
		{DAG_WAITING, DAG_EV_FAIL, DAG_CHANGED, DAG_FAILED},
		{DAG_WAITING, DAG_EV_SUSPENDED, DAG_NOOP, DAG_WAITING},
		{DAG_WAITING, DAG_EV_PENDING_TIMEOUT, DAG_INVALID, DAG_WAITING},
		{DAG_WAITING, DAG_EV_SKIP, DAG_CHANGED, DAG_SKIPPED},
		{DAG_RUNNING, DAG_EV_START, DAG_NOOP, DAG_RUNNING},
		{DAG_RUNNING, DAG_EV_SUCCEED, DAG_CHANGED, DAG_SUCCEEDED},
		{DAG_RUNNING, DAG_EV_FAIL, DAG_CHANGED, DAG_FAILED},
		{DAG_RUNNING, DAG_EV_SUSPENDED, DAG_CHANGED, DAG_RUNNING},
		{DAG_RUNNING, DAG_EV_PENDING_TIMEOUT, DAG_CHANGED, DAG_FAILED},
		{DAG_RUNNING, DAG_EV_SKIP, DAG_INVALID, DAG_RUNNING},
		{DAG_SUCCEEDED, DAG_EV_START, DAG_NOOP, DAG_SUCCEEDED},
		{DAG_SUCCEEDED, DAG_EV_SUCCEED, DAG_NOOP, DAG_SUCCEEDED},
		{DAG_SUCCEEDED, DAG_EV_FAIL, DAG_INVALID, DAG_SUCCEEDED},
		{DAG_SUCCEEDED, DAG_EV_SUSPENDED, DAG_NOOP, DAG_SUCCEEDED},
		{DAG_SUCCEEDED, DAG_EV_PENDING_TIMEOUT, DAG_NOOP, DAG_SUCCEEDED},
		{DAG_SUCCEEDED, DAG_EV_SKIP, DAG_INVALID, DAG_SUCCEEDED},
		{DAG_FAILED, DAG_EV_START, DAG_NOOP, DAG_FAILED},
		{DAG_FAILED, DAG_EV_SUCCEED, DAG_INVALID, DAG_FAILED},
		{DAG_FAILED, DAG_EV_FAIL, DAG_NOOP, DAG_FAILED},
		{DAG_FAILED, DAG_EV_SUSPENDED, DAG_NOOP, DAG_FAILED},
		{DAG_FAILED, DAG_EV_PENDING_TIMEOUT, DAG_NOOP, DAG_FAILED},
		{DAG_FAILED, DAG_EV_SKIP, DAG_NOOP, DAG_FAILED},
		{DAG_SKIPPED, DAG_EV_START, DAG_INVALID, DAG_SKIPPED},
		{DAG_SKIPPED, DAG_EV_SUCCEED, DAG_CHANGED, DAG_SUCCEEDED},
		{DAG_SKIPPED, DAG_EV_FAIL, DAG_CHANGED, DAG_FAILED},
		{DAG_SKIPPED, DAG_EV_SUSPENDED, DAG_NOOP, DAG_SKIPPED},
		{DAG_SKIPPED, DAG_EV_PENDING_TIMEOUT, DAG_NOOP, DAG_SKIPPED},
		{DAG_SKIPPED, DAG_EV_SKIP, DAG_NOOP, DAG_SKIPPED},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		dag *d = build("a", 0, false);
		d->steps[0].state = rows[r].from;
		dag_result res = dag_apply(d, 0, rows[r].ev, 10, "why");
		if (res != rows[r].res || d->steps[0].state != rows[r].to)
			fprintf(stderr, "row %zu: %s + %s\n", r, dag_state_name(rows[r].from), dag_event_name(rows[r].ev));
		CHECK(res == rows[r].res);
		CHECK(d->steps[0].state == rows[r].to);
		dag_free(d);
	}
	dag *d = build("a", 0, false);
	CHECK(dag_apply(d, 5, DAG_EV_START, 0, NULL) == DAG_INVALID);
	CHECK(dag_apply(d, 0, DAG_NEVENTS, 0, NULL) == DAG_INVALID);
	dag_free(d);
}

static void test_names(void)
{
	for (int s = 0; s < DAG_NSTATES; s++)
		CHECK(dag_state_parse(dag_state_name((dag_state)s)) == (dag_state)s);
	CHECK(dag_state_parse("bogus") == DAG_NSTATES);
	CHECK(dag_state_parse(NULL) == DAG_NSTATES);
	CHECK(strcmp(dag_event_name(DAG_EV_PENDING_TIMEOUT), "pending-timeout") == 0);
}

static void test_diamond(void)
{
	dag *d = build("a;b:a;c:a;d:b,c", 0, false);
	CHECK(strcmp(ready(d), "a") == 0);
	CHECK(dag_apply(d, 0, DAG_EV_START, 1, NULL) == DAG_CHANGED);
	CHECK(d->steps[0].started == 1);
	CHECK(strcmp(ready(d), "") == 0);
	CHECK(!dag_over(d));
	dag_apply(d, 0, DAG_EV_SUCCEED, 2, NULL);
	CHECK(d->steps[0].ended == 2);
	CHECK(strcmp(ready(d), "bc") == 0);
	dag_apply(d, 1, DAG_EV_START, 3, NULL);
	dag_apply(d, 2, DAG_EV_START, 3, NULL);
	dag_apply(d, 1, DAG_EV_SUCCEED, 4, NULL);
	CHECK(strcmp(ready(d), "") == 0); /* d still waits for c */
	dag_apply(d, 2, DAG_EV_SUCCEED, 5, NULL);
	CHECK(strcmp(ready(d), "d") == 0);
	dag_apply(d, 3, DAG_EV_START, 6, NULL);
	dag_apply(d, 3, DAG_EV_SUCCEED, 7, NULL);
	CHECK(dag_over(d));
	CHECK(dag_all_succeeded(d));
	CHECK(strcmp(states(d), "SSSS") == 0);
	dag_free(d);
}

static void test_fanout_max_parallel(void)
{
	/* a fans out to b..k (10 steps), at most 3 at once. */
	dag *d = build("a;b:a;c:a;d:a;e:a;f:a;g:a;h:a;i:a;j:a;k:a", 3, false);
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	CHECK(strcmp(ready(d), "") == 0);
	dag_apply(d, 0, DAG_EV_SUCCEED, 1, NULL);
	CHECK(strcmp(ready(d), "bcd") == 0);
	size_t out[16], max_running = 0, started = 0;
	for (int round = 0; round < 20 && !dag_over(d); round++) {
		size_t n = dag_ready(d, out);
		for (size_t k = 0; k < n; k++, started++)
			dag_apply(d, out[k], DAG_EV_START, round, NULL);
		if (dag_count(d, DAG_RUNNING) > max_running)
			max_running = dag_count(d, DAG_RUNNING);
		/* finish the lowest running step */
		for (size_t i = 0; i < d->n; i++)
			if (d->steps[i].state == DAG_RUNNING) {
				dag_apply(d, i, DAG_EV_SUCCEED, round, NULL);
				break;
			}
	}
	CHECK(max_running == 3);
	CHECK(started == 10);
	CHECK(dag_all_succeeded(d));
	dag_free(d);
	/* max_parallel 0 is unlimited */
	d = build("a;b;c;d;e", 0, false);
	CHECK(strcmp(ready(d), "abcde") == 0);
	dag_free(d);
	d = build("a;b;c;d;e", 1, false);
	CHECK(strcmp(ready(d), "a") == 0);
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	CHECK(strcmp(ready(d), "") == 0);
	dag_free(d);
}

static void test_failure_continue(void)
{
	/* a -> b -> d, a -> c -> e; b fails: d skipped, c and e go on. */
	dag *d = build("a;b:a;c:a;d:b;e:c", 0, false);
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	dag_apply(d, 0, DAG_EV_SUCCEED, 1, NULL);
	dag_apply(d, 1, DAG_EV_START, 2, NULL);
	dag_apply(d, 2, DAG_EV_START, 2, NULL);
	CHECK(dag_apply(d, 1, DAG_EV_FAIL, 3, "BackoffLimitExceeded: boom") == DAG_CHANGED);
	CHECK(strcmp(states(d), "SFRKW") == 0);
	CHECK(strcmp(d->steps[1].reason, "BackoffLimitExceeded: boom") == 0);
	CHECK(strcmp(d->steps[3].reason, "upstream step 'b' failed") == 0);
	CHECK(d->steps[3].ended == 3);
	CHECK(!dag_over(d));
	dag_apply(d, 2, DAG_EV_SUCCEED, 4, NULL);
	CHECK(strcmp(ready(d), "e") == 0);
	dag_apply(d, 4, DAG_EV_START, 5, NULL);
	dag_apply(d, 4, DAG_EV_SUCCEED, 6, NULL);
	CHECK(dag_over(d));
	CHECK(!dag_all_succeeded(d));
	dag_free(d);
	/* skips propagate transitively, also when steps are not in topological order */
	d = build("c:b;b:a;a", 0, false);
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	dag_apply(d, 0, DAG_EV_FAIL, 1, "x");
	CHECK(strcmp(states(d), "FKK") == 0);
	CHECK(strcmp(d->steps[2].reason, "upstream step 'b' skipped") == 0);
	CHECK(dag_over(d));
	dag_free(d);
}

static void test_failure_stop(void)
{
	dag *d = build("a;b:a;c:a;d:b;e:c;f", 0, true);
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	dag_apply(d, 5, DAG_EV_START, 0, NULL);
	dag_apply(d, 0, DAG_EV_SUCCEED, 1, NULL);
	dag_apply(d, 1, DAG_EV_START, 2, NULL);
	dag_apply(d, 2, DAG_EV_START, 2, NULL);
	dag_apply(d, 1, DAG_EV_FAIL, 3, "boom");
	/* c and f keep running; every waiting step is skipped; nothing new starts */
	CHECK(strcmp(states(d), "SFRKKR") == 0);
	CHECK(strcmp(d->steps[4].reason, "run stopped after a failure (onFailure: stop)") == 0);
	CHECK(strcmp(ready(d), "") == 0);
	CHECK(!dag_over(d));
	dag_apply(d, 2, DAG_EV_SUCCEED, 4, NULL);
	dag_apply(d, 5, DAG_EV_SUCCEED, 4, NULL);
	CHECK(strcmp(ready(d), "") == 0);
	CHECK(dag_over(d));
	CHECK(!dag_all_succeeded(d));
	dag_free(d);
}

static void test_pending_timeout_and_restart(void)
{
	dag *d = build("a;b:a", 0, false);
	dag_apply(d, 0, DAG_EV_START, 5, NULL);
	CHECK(dag_apply(d, 0, DAG_EV_SUSPENDED, 6, NULL) == DAG_CHANGED);
	CHECK(d->steps[0].restarts == 1);
	CHECK(d->steps[0].started == 5); /* a restart keeps the first start time */
	CHECK(dag_apply(d, 0, DAG_EV_PENDING_TIMEOUT, 9, "Unschedulable: 0/3 nodes") == DAG_CHANGED);
	CHECK(strcmp(states(d), "FK") == 0);
	CHECK(strcmp(d->steps[0].reason, "Unschedulable: 0/3 nodes") == 0);
	CHECK(dag_over(d));
	dag_free(d);
}

static void test_rebuild(void)
{
	/* A restarted sequencer applies what it finds, in any order: c Complete, a Complete,
	 * b started and not finished, d waiting. Nothing may be started twice. */
	dag *d = build("a;b:a;c:a;d:b,c", 2, false);
	dag_apply(d, 2, DAG_EV_SUCCEED, 1, NULL);
	dag_apply(d, 1, DAG_EV_START, 1, NULL);
	dag_apply(d, 0, DAG_EV_SUCCEED, 1, NULL);
	CHECK(strcmp(states(d), "SRSW") == 0);
	CHECK(strcmp(ready(d), "") == 0);
	dag_apply(d, 1, DAG_EV_SUCCEED, 2, NULL);
	CHECK(strcmp(ready(d), "d") == 0);
	dag_free(d);
	/* Re-run from failure: a Complete (suspended again by apply), b and d recreated. */
	d = build("a;b:a;c:a;d:b,c", 0, false);
	dag_apply(d, 0, DAG_EV_SUCCEED, 1, NULL);
	dag_apply(d, 2, DAG_EV_SUCCEED, 1, NULL);
	CHECK(strcmp(ready(d), "b") == 0);
	dag_free(d);
	/* A failed step observed before its downstream's finished Job: the fact wins. */
	d = build("a;b:a", 0, false);
	dag_apply(d, 0, DAG_EV_FAIL, 1, "x");
	CHECK(strcmp(states(d), "FK") == 0);
	CHECK(dag_apply(d, 1, DAG_EV_SUCCEED, 1, NULL) == DAG_CHANGED);
	CHECK(strcmp(states(d), "FS") == 0);
	CHECK(d->steps[1].reason == NULL);
	dag_free(d);
	/* Watch replays: the same events twice change nothing. */
	d = build("a;b:a", 0, false);
	dag_apply(d, 0, DAG_EV_START, 1, NULL);
	CHECK(dag_apply(d, 0, DAG_EV_START, 2, NULL) == DAG_NOOP);
	CHECK(d->steps[0].started == 1);
	dag_apply(d, 0, DAG_EV_SUCCEED, 3, NULL);
	CHECK(dag_apply(d, 0, DAG_EV_SUCCEED, 4, NULL) == DAG_NOOP);
	CHECK(d->steps[0].ended == 3);
	dag_free(d);
}

static void test_single_and_empty_deps(void)
{
	dag *d = build("a", 0, false);
	CHECK(!dag_over(d));
	dag_apply(d, 0, DAG_EV_START, 0, NULL);
	dag_apply(d, 0, DAG_EV_FAIL, 1, NULL);
	CHECK(dag_over(d));
	CHECK(d->steps[0].reason == NULL);
	CHECK(dag_count(d, DAG_FAILED) == 1);
	dag_free(d);
}

int main(void)
{
	test_table();
	test_names();
	test_diamond();
	test_fanout_max_parallel();
	test_failure_continue();
	test_failure_stop();
	test_pending_timeout_and_restart();
	test_rebuild();
	test_single_and_empty_deps();
	printf("%s: test-dag (%d checks, %d failed)\n", failures ? "FAIL" : "PASS", checks, failures);
	return failures ? 1 : 0;
}
