/* seq.c -- the sequencer loop: observe Jobs (list, then watch), turn observations into DAG
 * events, act on the DAG's answers with merge patches, and report. */
#include "seq.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dag.h"
#include "rtutil.h"

#define ANN_STATE "pipec.dev/state"
#define ANN_REASON "pipec.dev/reason"
#define ANN_SUMMARY "pipec.dev/summary"
#define MERGE_PATCH "application/merge-patch+json"

/* What the cluster last said about one step's Job. */
typedef struct obs {
	bool exists, suspend, complete, failed;
	char *cond_reason;  /* "Reason: message" of the Failed condition */
	char *state;        /* annotation pipec.dev/state */
	char *note;         /* annotation pipec.dev/reason */
	char *rv;           /* the Job's resourceVersion */
} obs;

typedef struct seq {
	const plan *p;
	kube *k;
	dag *d;
	obs *o;
	seq_options opt;
	char *jobs_path;   /* /apis/batch/v1/namespaces/NS/jobs */
	char *selector;    /* escaped label selector of the run */
	char *rv;          /* resourceVersion to resume the watch from */
	bool relist;
	unsigned watch_errors;
	double next_watch, next_pods;
	double *pending_since; /* monotonic time a step's pod was first seen stuck, or 0 */
	char **pending_why;
} seq;

seq_options seq_options_from_env(void)
{
	seq_options o = {.poll_interval = 10, .start_wait = 300};
	const char *v = getenv("PIPEC_RUNTIME_POLL_INTERVAL");
	if (v && atof(v) > 0)
		o.poll_interval = atof(v);
	v = getenv("PIPEC_RUNTIME_START_WAIT");
	if (v && atof(v) >= 0)
		o.start_wait = atof(v);
	return o;
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? rt_strdup(src) : NULL;
}

/* resourceVersions are opaque, but the API server's are etcd revisions: decimal integers.
 * When both are, an event older than what a PATCH response already showed is ignored. */
static bool older(const char *rv, const char *than)
{
	if (!rv || !than)
		return false;
	char *e1, *e2;
	errno = 0;
	unsigned long long a = strtoull(rv, &e1, 10), b = strtoull(than, &e2, 10);
	return !errno && !*e1 && !*e2 && a < b;
}

/* Records a Job object; returns its step index or -1 when it is not one of the plan's. */
static long observe(seq *s, json_t *job, bool deleted)
{
	json_t *md = json_object_get(job, "metadata");
	long i = plan_find_job(s->p, json_string_value(json_object_get(md, "name")));
	if (i < 0)
		return -1;
	obs *o = &s->o[i];
	const char *rv = json_string_value(json_object_get(md, "resourceVersion"));
	if (!deleted && o->exists && older(rv, o->rv))
		return i;
	set_str(&o->rv, rv);
	o->exists = !deleted;
	o->suspend = json_is_true(json_object_get(json_object_get(job, "spec"), "suspend"));
	o->complete = o->failed = false;
	json_t *conds = json_object_get(json_object_get(job, "status"), "conditions");
	size_t k;
	json_t *c;
	json_array_foreach(conds, k, c) {
		const char *type = json_string_value(json_object_get(c, "type"));
		const char *st = json_string_value(json_object_get(c, "status"));
		if (!type || !st || strcmp(st, "True") != 0)
			continue;
		if (strcmp(type, "Complete") == 0) {
			o->complete = true;
		} else if (strcmp(type, "Failed") == 0) {
			o->failed = true;
			const char *r = json_string_value(json_object_get(c, "reason"));
			const char *m = json_string_value(json_object_get(c, "message"));
			free(o->cond_reason);
			o->cond_reason = rt_asprintf("%s: %s", r ? r : "Failed", m ? m : "(no message)");
		}
	}
	json_t *ann = json_object_get(md, "annotations");
	set_str(&o->state, json_string_value(json_object_get(ann, ANN_STATE)));
	set_str(&o->note, json_string_value(json_object_get(ann, ANN_REASON)));
	return i;
}

/* Sends a merge patch to the Job of step i (or to job when i < 0) and records the answer. */
static long patch_job(seq *s, long i, const char *job, json_t *patch, char **err)
{
	char *name = kube_escape(i >= 0 ? s->p->steps[i].job : job);
	char *path = rt_asprintf("%s/%s", s->jobs_path, name);
	char *body = json_dumps(patch, JSON_COMPACT | JSON_SORT_KEYS);
	json_t *out = NULL;
	long st = kube_request(s->k, "PATCH", path, MERGE_PATCH, body, &out, err);
	if (st == 200 && i >= 0 && out)
		observe(s, out, false);
	json_decref(out);
	free(body);
	free(path);
	free(name);
	return st;
}

/* The merge patch that publishes a state: annotation (read by tools and by a restarted
 * sequencer) and label of the same name (so `kubectl delete -l` can select by state). */
static json_t *state_patch(const char *state, const char *reason)
{
	return json_pack("{s:{s:{s:s, s:s?}, s:{s:s}}}", "metadata", "annotations", ANN_STATE, state, ANN_REASON,
	                 reason, "labels", ANN_STATE, state);
}

/* ---- transitions and their log lines ---------------------------------------------------- */

static void log_changes(seq *s, const dag_state *before)
{
	for (size_t i = 0; i < s->d->n; i++) {
		const dag_step *st = &s->d->steps[i];
		if (st->state == before[i])
			continue;
		if (st->reason)
			rt_log("step %s: %s -> %s: %s", st->name, dag_state_name(before[i]), dag_state_name(st->state),
			      st->reason);
		else
			rt_log("step %s: %s -> %s", st->name, dag_state_name(before[i]), dag_state_name(st->state));
	}
}

static dag_state *snapshot(const seq *s)
{
	dag_state *b = rt_calloc(s->d->n, sizeof *b);
	for (size_t i = 0; i < s->d->n; i++)
		b[i] = s->d->steps[i].state;
	return b;
}

static void resume(seq *s, size_t i)
{
	json_t *p = state_patch("running", NULL);
	json_object_set_new(p, "spec", json_pack("{s:b}", "suspend", 0));
	char *err = NULL;
	long st = patch_job(s, (long)i, NULL, p, &err);
	json_decref(p);
	if (st == 200)
		rt_log("step %s: its Job was suspended again while running (a re-apply?); resumed it (restart %u)",
		      s->d->steps[i].name, s->d->steps[i].restarts);
	else
		rt_log("step %s: could not resume its Job: %s", s->d->steps[i].name, err ? err : "?");
	free(err);
}

/* Turns what the cluster says into DAG events. Facts first: Complete and Failed conditions;
 * then starts that happened (un-suspended Jobs, or ones this sequencer marked running before
 * a restart); then Jobs that went away. */
static void absorb(seq *s)
{
	time_t now = time(NULL);
	dag_state *before = snapshot(s);
	for (size_t i = 0; i < s->d->n; i++) {
		obs *o = &s->o[i];
		dag_state st = s->d->steps[i].state;
		if (!o->exists) {
			if (st == DAG_RUNNING || st == DAG_WAITING)
				dag_apply(s->d, i, DAG_EV_FAIL, now, "JobDeleted: the step's Job was deleted");
		} else if (o->complete) {
			dag_apply(s->d, i, DAG_EV_SUCCEED, now, NULL);
		} else if (o->failed) {
			dag_apply(s->d, i, DAG_EV_FAIL, now, o->cond_reason);
		} else if (st == DAG_WAITING || st == DAG_SKIPPED) {
			dag_state was = dag_state_parse(o->state);
			if (!o->suspend) {
				dag_apply(s->d, i, DAG_EV_START, now, NULL);
			} else if (was == DAG_RUNNING) {
				dag_apply(s->d, i, DAG_EV_START, now, NULL);
				if (dag_apply(s->d, i, DAG_EV_SUSPENDED, now, NULL) == DAG_CHANGED)
					resume(s, i);
			} else if (was == DAG_FAILED) {
				dag_apply(s->d, i, DAG_EV_FAIL, now, o->note ? o->note : "failed before a restart");
			}
		} else if (st == DAG_RUNNING && o->suspend) {
			if (dag_apply(s->d, i, DAG_EV_SUSPENDED, now, NULL) == DAG_CHANGED)
				resume(s, i);
		}
	}
	log_changes(s, before);
	free(before);
}

/* Publishes each step's DAG state on its Job when the Job says otherwise. */
static void publish(seq *s)
{
	for (size_t i = 0; i < s->d->n; i++) {
		const dag_step *st = &s->d->steps[i];
		obs *o = &s->o[i];
		const char *want = dag_state_name(st->state);
		if (!o->exists || (o->state && strcmp(o->state, want) == 0))
			continue;
		json_t *p = state_patch(want, st->state == DAG_FAILED || st->state == DAG_SKIPPED ? st->reason : NULL);
		char *err = NULL;
		if (patch_job(s, (long)i, NULL, p, &err) != 200)
			rt_log("step %s: could not set %s=%s: %s", st->name, ANN_STATE, want, err ? err : "?");
		free(err);
		json_decref(p);
	}
}

/* Starts every step the DAG says is ready: one merge patch sets suspend=false and the state,
 * so a sequencer killed at any moment finds either an untouched Job or a started one. */
static void start_ready(seq *s)
{
	size_t *ready = rt_calloc(s->d->n, sizeof *ready);
	size_t n = dag_ready(s->d, ready);
	for (size_t r = 0; r < n; r++) {
		size_t i = ready[r];
		json_t *p = state_patch("running", NULL);
		json_object_set_new(p, "spec", json_pack("{s:b}", "suspend", 0));
		char *err = NULL;
		long st = patch_job(s, (long)i, NULL, p, &err);
		json_decref(p);
		dag_state before = s->d->steps[i].state;
		if (st == 200) {
			dag_apply(s->d, i, DAG_EV_START, time(NULL), NULL);
			rt_log("step %s: %s -> running: started", s->d->steps[i].name, dag_state_name(before));
		} else if (st == 404) {
			s->o[i].exists = false;
			dag_state *b = snapshot(s);
			dag_apply(s->d, i, DAG_EV_FAIL, time(NULL), "JobNotFound: the step's Job does not exist");
			log_changes(s, b);
			free(b);
		} else {
			rt_log("step %s: could not start its Job: %s (will try again)", s->d->steps[i].name, err ? err : "?");
		}
		free(err);
	}
	free(ready);
}

/* ---- stuck Pending ------------------------------------------------------------------------ */

static const char *const stuck_waiting[] = {"ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError",
                                            "InvalidImageName", "CreateContainerError"};

/* Why a pending pod cannot start ("Unschedulable: 0/3 nodes ..."), or NULL. */
static char *stuck_reason(json_t *pod)
{
	json_t *status = json_object_get(pod, "status");
	const char *phase = json_string_value(json_object_get(status, "phase"));
	if (!phase || strcmp(phase, "Pending") != 0)
		return NULL;
	size_t k;
	json_t *c;
	json_array_foreach(json_object_get(status, "conditions"), k, c) {
		const char *type = json_string_value(json_object_get(c, "type"));
		const char *st = json_string_value(json_object_get(c, "status"));
		if (type && st && strcmp(type, "PodScheduled") == 0 && strcmp(st, "False") == 0) {
			const char *r = json_string_value(json_object_get(c, "reason"));
			const char *m = json_string_value(json_object_get(c, "message"));
			return rt_asprintf("%s: %s", r ? r : "Unschedulable", m ? m : "(no message)");
		}
	}
	static const char *const lists[] = {"initContainerStatuses", "containerStatuses"};
	for (size_t l = 0; l < 2; l++)
		json_array_foreach(json_object_get(status, lists[l]), k, c) {
			json_t *w = json_object_get(json_object_get(c, "state"), "waiting");
			const char *r = json_string_value(json_object_get(w, "reason"));
			for (size_t x = 0; r && x < sizeof stuck_waiting / sizeof *stuck_waiting; x++)
				if (strcmp(r, stuck_waiting[x]) == 0) {
					const char *m = json_string_value(json_object_get(w, "message"));
					return rt_asprintf("%s: %s", r, m ? m : "(no message)");
				}
		}
	return NULL;
}

/* Rule: a running step whose pods all wait to be scheduled or to start, for longer than its
 * pending timeout, fails with that reason; its Job is suspended again so the pod goes away. */
static void check_pending(seq *s)
{
	double now = rt_mono();
	for (size_t i = 0; i < s->d->n; i++) {
		if (s->d->steps[i].state != DAG_RUNNING || s->o[i].complete || s->o[i].failed)
			continue;
		char *job = rt_asprintf("job-name=%s", s->p->steps[i].job);
		char *sel = kube_escape(job);
		char *path = rt_asprintf("/api/v1/namespaces/%s/pods?labelSelector=%s", s->p->ns, sel);
		json_t *list = NULL;
		char *err = NULL;
		long st = kube_request(s->k, "GET", path, NULL, NULL, &list, &err);
		free(job);
		free(sel);
		free(path);
		if (st != 200) {
			rt_log("step %s: cannot list its pods: %s", s->d->steps[i].name, err ? err : "?");
			free(err);
			json_decref(list);
			continue;
		}
		char *why = NULL;
		bool started = false;
		size_t k;
		json_t *pod;
		json_array_foreach(json_object_get(list, "items"), k, pod) {
			char *r = stuck_reason(pod);
			if (r && !why)
				why = r;
			else
				free(r);
			const char *ph = json_string_value(json_object_get(json_object_get(pod, "status"), "phase"));
			/* A failed earlier attempt (retries) does not count: only a pod that runs or ran well. */
			started |= ph && (strcmp(ph, "Running") == 0 || strcmp(ph, "Succeeded") == 0);
		}
		json_decref(list);
		if (!why || started) {
			s->pending_since[i] = 0;
			free(why);
			continue;
		}
		if (!s->pending_since[i])
			s->pending_since[i] = now;
		if (!s->pending_why[i] || strcmp(s->pending_why[i], why) != 0)
			rt_log("step %s: pod cannot start: %s", s->d->steps[i].name, why);
		set_str(&s->pending_why[i], why);
		double waited = now - s->pending_since[i];
		if (waited >= (double)s->p->steps[i].pending_timeout) {
			char *reason = rt_asprintf("PendingTimeout: pod could not start within %lds: %s",
			                           s->p->steps[i].pending_timeout, why);
			json_t *p = state_patch("failed", reason);
			json_object_set_new(p, "spec", json_pack("{s:b}", "suspend", 1));
			char *perr = NULL;
			if (patch_job(s, (long)i, NULL, p, &perr) == 200) {
				dag_state *b = snapshot(s);
				dag_apply(s->d, i, DAG_EV_PENDING_TIMEOUT, time(NULL), reason);
				log_changes(s, b);
				free(b);
			} else {
				rt_log("step %s: could not suspend its Job after its pending timeout: %s", s->d->steps[i].name,
				      perr ? perr : "?");
			}
			free(perr);
			free(reason);
			json_decref(p);
		}
		free(why);
	}
}

/* ---- list and watch ----------------------------------------------------------------------- */

static void on_event(void *ud, const char *type, json_t *obj)
{
	seq *s = ud;
	if (strcmp(type, "ERROR") == 0) {
		json_int_t code = json_integer_value(json_object_get(obj, "code"));
		if (code == 410) {
			s->relist = true;
		} else {
			const char *m = json_string_value(json_object_get(obj, "message"));
			rt_log("watch: error event %lld: %s", (long long)code, m ? m : "?");
		}
		return;
	}
	const char *rv = json_string_value(json_object_get(json_object_get(obj, "metadata"), "resourceVersion"));
	if (rv)
		set_str(&s->rv, rv);
	if (strcmp(type, "BOOKMARK") != 0)
		observe(s, obj, strcmp(type, "DELETED") == 0);
}

/* Lists the run's Jobs and replaces every observation. Returns the HTTP status. */
static long list_jobs(seq *s, char **err)
{
	char *path = rt_asprintf("%s?labelSelector=%s", s->jobs_path, s->selector);
	json_t *list = NULL;
	long st = kube_request(s->k, "GET", path, NULL, NULL, &list, err);
	free(path);
	if (st == 200) {
		for (size_t i = 0; i < s->d->n; i++)
			s->o[i].exists = false;
		size_t k;
		json_t *job;
		json_array_foreach(json_object_get(list, "items"), k, job) observe(s, job, false);
		set_str(&s->rv, json_string_value(json_object_get(json_object_get(list, "metadata"), "resourceVersion")));
		s->relist = false;
	}
	json_decref(list);
	return st;
}

/* Rule: at start, 403 (RBAC not bound yet), 404 and Jobs not created yet are waited out, for
 * start_wait seconds at most; so is an unreachable API server (the retry budget of each request). */
static int initial_list(seq *s)
{
	double start = rt_mono();
	for (unsigned n = 1;; n++) {
		char *err = NULL;
		long st = list_jobs(s, &err);
		char *missing = NULL;
		if (st == 200) {
			for (size_t i = 0; i < s->d->n; i++)
				if (!s->o[i].exists) {
					char *m = rt_asprintf("%s%s%s", missing ? missing : "", missing ? ", " : "", s->p->steps[i].job);
					free(missing);
					missing = m;
				}
			if (!missing) {
				free(err);
				return 0;
			}
		}
		double wait = kube_backoff(s->k, n);
		bool over = rt_mono() - start + wait > s->opt.start_wait;
		if (st == 200)
			rt_log("waiting for step Jobs that do not exist yet: %s", missing);
		else if (st == 403 || st == 404)
			rt_log("cannot list Jobs in namespace %s (%s): waiting for RBAC or the namespace, up to %.0fs in all",
			      s->p->ns, err ? err : "?", s->opt.start_wait);
		else
			rt_log("cannot list Jobs in namespace %s: %s", s->p->ns, err ? err : "?");
		free(err);
		free(missing);
		if (over || (st != 200 && st != 403 && st != 404)) {
			rt_log("giving up: the cluster could not be used");
			return -1;
		}
		rt_sleep(wait);
	}
}

static void pump_watch(seq *s)
{
	double now = rt_mono();
	if (s->relist) {
		rt_log("watch: resourceVersion %s expired (410 Gone); listing again", s->rv ? s->rv : "?");
		char *err = NULL;
		if (list_jobs(s, &err) != 200) {
			rt_log("list failed: %s", err ? err : "?");
			s->next_watch = now + kube_backoff(s->k, ++s->watch_errors);
		}
		free(err);
		return;
	}
	if (!kube_watch_open(s->k)) {
		if (now < s->next_watch) {
			rt_sleep(s->next_watch - now < 0.2 ? s->next_watch - now : 0.2);
			return;
		}
		kube_timing t = kube_timing_from_env();
		char *path = rt_asprintf("%s?labelSelector=%s&watch=1&allowWatchBookmarks=true&resourceVersion=%s"
		                         "&timeoutSeconds=%ld",
		                         s->jobs_path, s->selector, s->rv ? s->rv : "0", t.watch_timeout);
		if (kube_watch_start(s->k, path) < 0)
			s->next_watch = now + kube_backoff(s->k, ++s->watch_errors);
		free(path);
		return;
	}
	long status = 0;
	int r = kube_watch_poll(s->k, 250, on_event, s, &status);
	if (r == 1)
		return;
	if (r == 0) {
		s->watch_errors = 0; /* ended normally: resume at once from the last resourceVersion */
		return;
	}
	if (status == 410) {
		s->relist = true;
		return;
	}
	double wait = kube_backoff(s->k, ++s->watch_errors);
	rt_log("watch: %s (HTTP %ld); reconnecting from resourceVersion %s in %.2fs",
	      status ? "request failed" : "connection lost", status, s->rv ? s->rv : "?", wait);
	s->next_watch = now + wait;
}

/* ---- the end ------------------------------------------------------------------------------ */

static void summarise(seq *s)
{
	bool ok = dag_all_succeeded(s->d);
	printf("\n%-24s %-10s %-21s %-21s %s\n", "STEP", "STATE", "START", "END", "REASON");
	json_t *steps = json_array();
	for (size_t i = 0; i < s->d->n; i++) {
		const dag_step *st = &s->d->steps[i];
		char a[32], b[32];
		rt_utc(st->started, a, sizeof a);
		rt_utc(st->ended, b, sizeof b);
		printf("%-24s %-10s %-21s %-21s %s\n", st->name, dag_state_name(st->state), a, b, st->reason ? st->reason : "");
		json_array_append_new(steps, json_pack("{s:s, s:s, s:s*, s:s*, s:s*}", "name", st->name, "state",
		                                       dag_state_name(st->state), "start", st->started ? a : NULL, "end",
		                                       st->ended ? b : NULL, "reason", st->reason));
	}
	printf("\n");
	fflush(stdout);
	json_t *sum = json_pack("{s:s, s:s, s:s*, s:o}", "pipeline", s->p->pipeline, "result", ok ? "succeeded" : "failed",
	                        "run", s->p->run, "steps", steps);
	char *text = json_dumps(sum, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(sum);
	if (s->p->sequencer_job) {
		json_t *p = json_pack("{s:{s:{s:s}, s:{s:s}}}", "metadata", "annotations", ANN_SUMMARY, text, "labels",
		                      ANN_STATE, ok ? "succeeded" : "failed");
		char *err = NULL;
		if (patch_job(s, -1, s->p->sequencer_job, p, &err) == 200)
			rt_log("summary written to Job %s (annotation %s)", s->p->sequencer_job, ANN_SUMMARY);
		else
			rt_log("could not write the summary to Job %s: %s", s->p->sequencer_job, err ? err : "?");
		free(err);
		json_decref(p);
	}
	free(text);
	rt_log("pipeline %s %s: %zu succeeded, %zu failed, %zu skipped", s->p->pipeline, ok ? "succeeded" : "failed",
	      dag_count(s->d, DAG_SUCCEEDED), dag_count(s->d, DAG_FAILED), dag_count(s->d, DAG_SKIPPED));
}

int seq_run(const plan *p, kube *k, const seq_options *opt)
{
	seq s = {.p = p, .k = k, .opt = *opt};
	s.d = dag_new(p->n, p->max_parallel, p->stop_on_failure);
	for (size_t i = 0; i < p->n; i++)
		dag_set_step(s.d, i, p->steps[i].name, p->steps[i].after, p->steps[i].nafter);
	s.o = rt_calloc(p->n, sizeof *s.o);
	s.pending_since = rt_calloc(p->n, sizeof *s.pending_since);
	s.pending_why = rt_calloc(p->n, sizeof *s.pending_why);
	char *ns = kube_escape(p->ns);
	s.jobs_path = rt_asprintf("/apis/batch/v1/namespaces/%s/jobs", ns);
	free(ns);
	char *sel = p->run ? rt_asprintf("pipec.dev/pipeline=%s,pipec.dev/run=%s", p->pipeline, p->run)
	                   : rt_asprintf("pipec.dev/pipeline=%s", p->pipeline);
	s.selector = kube_escape(sel);
	rt_log("pipeline %s%s%s: %zu steps, maxParallel %u, onFailure %s; watching Jobs with %s", p->pipeline,
	      p->run ? " run " : "", p->run ? p->run : "", p->n, p->max_parallel,
	      p->stop_on_failure ? "stop" : "continue", sel);
	free(sel);
	int rc = SEQ_EXIT_CLUSTER;
	if (initial_list(&s) == 0) {
		s.next_pods = rt_mono() + s.opt.poll_interval;
		for (;;) {
			absorb(&s);
			publish(&s);
			start_ready(&s);
			if (dag_over(s.d))
				break;
			if (rt_mono() >= s.next_pods) {
				check_pending(&s);
				s.next_pods = rt_mono() + s.opt.poll_interval;
				continue;
			}
			pump_watch(&s);
		}
		absorb(&s);
		publish(&s);
		summarise(&s);
		rc = dag_all_succeeded(s.d) ? SEQ_EXIT_OK : SEQ_EXIT_FAILED;
	}
	kube_watch_stop(k);
	for (size_t i = 0; i < p->n; i++) {
		free(s.o[i].cond_reason);
		free(s.o[i].state);
		free(s.o[i].note);
		free(s.o[i].rv);
		free(s.pending_why[i]);
	}
	free(s.o);
	free(s.pending_since);
	free(s.pending_why);
	free(s.jobs_path);
	free(s.selector);
	free(s.rv);
	dag_free(s.d);
	return rc;
}
