/* stats.c -- per-phase wall time and memory for `pipec build --stats`. */
#include "config.h"
#include "stats.h"

#include <sys/resource.h>
#include <time.h>

/* ORDER stats_phase */
static const char *const phase_names[STATS__COUNT] = {
	[STATS_READ] = "read", [STATS_PARSE] = "parse", [STATS_RESOLVE] = "resolve",
	[STATS_CHECK] = "check", [STATS_LOWER] = "lower", [STATS_EMIT] = "emit",
	[STATS_WRITE] = "write",
};

static struct {
	bool on;
	double start, mark, attributed; /* attributed: stats_add seconds since mark */
	double secs[STATS__COUNT];
	size_t arena[STATS__COUNT];
	long rss_kb[STATS__COUNT];
	bool ran[STATS__COUNT];
} st;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

void stats_enable(void)
{
	st.on = true;
	st.start = st.mark = now();
}

bool stats_enabled(void)
{
	return st.on;
}

double stats_now(void)
{
	return st.on ? now() : 0;
}

void stats_phase_end(enum stats_phase p, const arena *a)
{
	if (!st.on)
		return;
	double t = now();
	double d = t - st.mark - st.attributed;
	st.secs[p] += d > 0 ? d : 0;
	st.mark = t;
	st.attributed = 0;
	st.ran[p] = true;
	st.arena[p] = a ? arena_used(a) : 0;
	st.rss_kb[p] = peak_rss_kb();
}

void stats_add(enum stats_phase p, double secs)
{
	if (!st.on)
		return;
	st.secs[p] += secs;
	st.attributed += secs;
	st.ran[p] = true;
	st.rss_kb[p] = peak_rss_kb();
}

void stats_print(FILE *out)
{
	if (!st.on)
		return;
	double total = st.mark - st.start;
	size_t arena_max = 0;
	fprintf(out, "pipec: phase       wall ms      %%   arena KiB   peak RSS MiB\n");
	for (int p = 0; p < STATS__COUNT; p++) {
		if (!st.ran[p])
			continue;
		if (st.arena[p] > arena_max)
			arena_max = st.arena[p];
		fprintf(out, "pipec: %-8s %10.3f %5.1f%% %11zu %14.1f\n", phase_names[p], st.secs[p] * 1e3,
			total > 0 ? 100 * st.secs[p] / total : 0, arena_max / 1024, (double)st.rss_kb[p] / 1024);
	}
	fprintf(out, "pipec: %-8s %10.3f %5.1f%% %11zu %14.1f\n", "total", total * 1e3, 100.0, arena_max / 1024,
		(double)peak_rss_kb() / 1024);
}
