/* local_run.c -- the local driver of the DAG engine: fork/exec, process groups, per-step logs,
 * timeouts, interrupts, and the status view. */
#include "local_run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dag.h"
#include "rtutil.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

typedef struct proc {
	pid_t pid;       /* 0 when not running */
	double started;  /* monotonic */
	double elapsed;  /* when finished */
	bool timed_out;
	double term_sent; /* when SIGTERM went to the group, or 0 */
} proc;

typedef struct runner {
	const lr_step *steps;
	size_t n;
	const lr_options *o;
	const char *logs;
	dag *d;
	proc *p;
	FILE *out;
	bool tty;
	size_t drawn;    /* lines of the live view on screen */
	double t0;
} runner;

/* What a child tells its parent through a close-on-exec pipe when it cannot run the command. */
enum { STAGE_LOG = 1, STAGE_CHDIR, STAGE_EXEC };
typedef struct child_error {
	int stage, err;
} child_error;

/* In the child: set up and exec; on failure report through fd and exit 127. */
static void child(const lr_step *s, const char *logpath, int fd)
{
	child_error ce = {0, 0};
	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	int log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (log < 0) {
		ce = (child_error){STAGE_LOG, errno};
		goto fail;
	}
	dup2(log, 1);
	dup2(log, 2);
	close(log);
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0) {
		dup2(null, 0);
		close(null);
	}
	if (s->working_dir && chdir(s->working_dir) < 0) {
		ce = (child_error){STAGE_CHDIR, errno};
		goto fail;
	}
	for (char *const *e = s->env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		char *name = rt_asprintf("%.*s", (int)(eq - *e), *e);
		setenv(name, eq + 1, 1);
		free(name);
	}
	execvp(s->argv[0], s->argv);
	ce = (child_error){STAGE_EXEC, errno};
fail:
	if (write(fd, &ce, sizeof ce) < 0)
		_exit(126);
	_exit(127);
}

static char *log_path(const runner *r, size_t i)
{
	return rt_asprintf("%s/%s.log", r->logs, r->steps[i].name);
}

static void say(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A plain line (not on a terminal), or a line above the live view (on one). */
static void say(runner *r, const char *fmt, ...)
{
	if (r->tty && r->drawn) {
		fprintf(r->out, "\033[%zuA\033[J", r->drawn);
		r->drawn = 0;
	}
	fprintf(r->out, "[%7.1fs] ", rt_mono() - r->t0);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	fflush(r->out);
}

static void draw(runner *r)
{
	if (!r->tty)
		return;
	if (r->drawn)
		fprintf(r->out, "\033[%zuA", r->drawn);
	static const char *const label[DAG_NSTATES] = {
		[DAG_WAITING] = "waiting", [DAG_RUNNING] = "running", [DAG_SUCCEEDED] = "done",
		[DAG_FAILED] = "FAILED", [DAG_SKIPPED] = "skipped"};
	double now = rt_mono();
	for (size_t i = 0; i < r->n; i++) {
		dag_state st = r->d->steps[i].state;
		double el = st == DAG_RUNNING ? now - r->p[i].started : r->p[i].elapsed;
		fprintf(r->out, "\033[2K  %-8s %-24s", label[st], r->steps[i].name);
		if (st == DAG_RUNNING || ((st == DAG_SUCCEEDED || st == DAG_FAILED) && r->p[i].started))
			fprintf(r->out, " %6.1fs", el);
		fputc('\n', r->out);
	}
	r->drawn = r->n;
	fflush(r->out);
}

/* Logs every state change since before, with its reason. */
static void report(runner *r, const dag_state *before)
{
	for (size_t i = 0; i < r->n; i++) {
		const dag_step *s = &r->d->steps[i];
		if (s->state == before[i])
			continue;
		if (s->state == DAG_RUNNING)
			say(r, "step '%s' started", s->name);
		else if (s->state == DAG_SUCCEEDED)
			say(r, "step '%s' succeeded (%.1fs)", s->name, r->p[i].elapsed);
		else if (s->state == DAG_FAILED)
			say(r, "step '%s' failed: %s (log: %s/%s.log)", s->name, s->reason ? s->reason : "?", r->logs,
			    s->name);
		else if (s->state == DAG_SKIPPED)
			say(r, "step '%s' skipped: %s", s->name, s->reason ? s->reason : "?");
	}
}

static dag_state *snap(const runner *r)
{
	dag_state *b = rt_calloc(r->n, sizeof *b);
	for (size_t i = 0; i < r->n; i++)
		b[i] = r->d->steps[i].state;
	return b;
}

/* Starts step i. Returns 0, or -1 on a system error. A command that cannot run fails the step. */
static int spawn(runner *r, size_t i)
{
	const lr_step *s = &r->steps[i];
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	char *lp = log_path(r, i);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(lp);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(s, lp, fds[1]);
	}
	setpgid(pid, pid); /* also in the child: whichever runs first */
	close(fds[1]);
	child_error ce = {0, 0};
	ssize_t got;
	do
		got = read(fds[0], &ce, sizeof ce);
	while (got < 0 && errno == EINTR);
	close(fds[0]);
	r->p[i] = (proc){.pid = pid, .started = rt_mono()};
	dag_apply(r->d, i, DAG_EV_START, time(NULL), NULL);
	say(r, "step '%s' started", s->name);
	if (got == (ssize_t)sizeof ce) {
		waitpid(pid, NULL, 0);
		r->p[i].pid = 0;
		char *why;
		if (ce.stage == STAGE_EXEC && ce.err == ENOENT)
			why = rt_asprintf("step '%s': command '%s' not found", s->name, s->argv[0]);
		else if (ce.stage == STAGE_EXEC)
			why = rt_asprintf("step '%s': cannot run '%s': %s", s->name, s->argv[0], strerror(ce.err));
		else if (ce.stage == STAGE_CHDIR)
			why = rt_asprintf("step '%s': cannot enter working directory '%s': %s", s->name, s->working_dir,
			                  strerror(ce.err));
		else
			why = rt_asprintf("step '%s': cannot write its log %s: %s", s->name, lp, strerror(ce.err));
		dag_state *b = snap(r);
		dag_apply(r->d, i, DAG_EV_FAIL, time(NULL), why);
		report(r, b);
		free(b);
		free(why);
	}
	free(lp);
	return 0;
}

static void reap(runner *r)
{
	for (size_t i = 0; i < r->n; i++) {
		proc *p = &r->p[i];
		int status;
		if (!p->pid || waitpid(p->pid, &status, WNOHANG) != p->pid)
			continue;
		p->pid = 0;
		p->elapsed = rt_mono() - p->started;
		dag_state *b = snap(r);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !p->timed_out) {
			dag_apply(r->d, i, DAG_EV_SUCCEED, time(NULL), NULL);
		} else {
			char *why;
			if (p->timed_out)
				why = rt_asprintf("timed out after %lds", r->steps[i].timeout_seconds);
			else if (interrupted)
				why = rt_strdup("interrupted");
			else if (WIFEXITED(status))
				why = rt_asprintf("exit code %d", WEXITSTATUS(status));
			else
				why = rt_asprintf("killed by signal %d", WTERMSIG(status));
			dag_apply(r->d, i, DAG_EV_FAIL, time(NULL), why);
			free(why);
		}
		report(r, b);
		free(b);
	}
}

/* SIGTERM to the process group, SIGKILL 2 s later if it is still there. */
static void stop_group(proc *p, double now)
{
	if (!p->pid)
		return;
	if (!p->term_sent) {
		kill(-p->pid, SIGTERM);
		p->term_sent = now;
	} else if (now - p->term_sent > 2) {
		kill(-p->pid, SIGKILL);
	}
}

static void dry_run(const lr_step *steps, size_t n, const lr_options *o, FILE *out)
{
	char par[16] = "unlimited";
	if (o->max_parallel)
		snprintf(par, sizeof par, "%u", o->max_parallel);
	fprintf(out, "dry run: %zu steps, max parallel %s%s\n", n, par,
	        o->stop_on_failure ? ", stop on failure" : "");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "step '%s'", steps[i].name);
		for (size_t k = 0; k < steps[i].nafter; k++)
			fprintf(out, "%s'%s'", k ? ", " : " after ", steps[steps[i].after[k]].name);
		if (steps[i].working_dir)
			fprintf(out, " in %s", steps[i].working_dir);
		if (steps[i].timeout_seconds)
			fprintf(out, " (timeout %lds)", steps[i].timeout_seconds);
		fputs(":", out);
		for (char *const *e = steps[i].env; e && *e; e++)
			fprintf(out, " %s", *e);
		for (char *const *a = steps[i].argv; *a; a++)
			fprintf(out, " %s", *a);
		fputc('\n', out);
	}
}

int local_run(const lr_step *steps, size_t n, const lr_options *o)
{
	FILE *out = o->status ? o->status : stderr;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < steps[i].nafter; k++)
			if (steps[i].after[k] >= i) {
				fprintf(out, "pipec run: step '%s' is listed before its dependency\n", steps[i].name);
				return -1;
			}
	if (o->dry_run) {
		dry_run(steps, n, o, out);
		return 0;
	}
	runner r = {.steps = steps, .n = n, .o = o, .out = out, .logs = o->logs_dir ? o->logs_dir : "pipec-logs"};
	r.tty = isatty(fileno(out));
	if (mkdir(r.logs, 0755) < 0 && errno != EEXIST) {
		fprintf(out, "pipec run: cannot create the logs directory %s: %s\n", r.logs, strerror(errno));
		return -1;
	}
	r.d = dag_new(n, o->max_parallel, o->stop_on_failure);
	for (size_t i = 0; i < n; i++)
		dag_set_step(r.d, i, steps[i].name, steps[i].after, steps[i].nafter);
	r.p = rt_calloc(n, sizeof *r.p);
	size_t *ready = rt_calloc(n, sizeof *ready);
	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	r.t0 = rt_mono();
	int rc = 0;
	while (!dag_over(r.d)) {
		if (!interrupted) {
			size_t k = dag_ready(r.d, ready);
			for (size_t j = 0; j < k && rc == 0; j++)
				if (spawn(&r, ready[j]) < 0) {
					fprintf(out, "pipec run: cannot start step '%s': %s\n", steps[ready[j]].name, strerror(errno));
					rc = -1;
					interrupted = SIGTERM;
				}
		}
		double now = rt_mono();
		for (size_t i = 0; i < n; i++) {
			proc *p = &r.p[i];
			if (!p->pid)
				continue;
			if (interrupted) {
				stop_group(p, now);
			} else if (steps[i].timeout_seconds && now - p->started > (double)steps[i].timeout_seconds) {
				p->timed_out = true;
				stop_group(p, now);
			}
		}
		if (interrupted && dag_count(r.d, DAG_RUNNING) == 0)
			break;
		draw(&r);
		rt_sleep(0.05);
		reap(&r);
	}
	draw(&r);
	if (interrupted) {
		for (size_t i = 0; i < n; i++)
			if (r.d->steps[i].reason && strcmp(r.d->steps[i].reason, "interrupted") == 0)
				say(&r, "interrupted: step '%s' was stopped", steps[i].name);
		for (size_t i = 0; i < n; i++)
			if (r.d->steps[i].state == DAG_WAITING)
				say(&r, "interrupted: step '%s' was not started", steps[i].name);
	}
	say(&r, "%zu succeeded, %zu failed, %zu skipped, %zu not started%s", dag_count(r.d, DAG_SUCCEEDED),
	    dag_count(r.d, DAG_FAILED), dag_count(r.d, DAG_SKIPPED), dag_count(r.d, DAG_WAITING),
	    interrupted && rc == 0 ? " (interrupted)" : "");
	if (rc == 0)
		rc = dag_all_succeeded(r.d) ? 0 : 1;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(ready);
	free(r.p);
	dag_free(r.d);
	return rc;
}
