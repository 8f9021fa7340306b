/* rtutil.h -- header-only helpers shared by the runtime's modules: allocation that aborts on
 * out-of-memory, reading a small file, and the clock. The runtime links nothing from
 * compiler/ (STYLE.md).
 * Ownership: every pointer returned here is owned by the caller and freed with free(). */
#ifndef PIPEC_RTUTIL_H
#define PIPEC_RTUTIL_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline void rt_oom(void)
{
	fputs("pipec-runtime: out of memory\n", stderr);
	abort();
}

static inline void *rt_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		rt_oom();
	return p;
}

static inline void *rt_realloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		rt_oom();
	p = realloc(p, (n * size) != 0 ? n * size : 1);
	if (!p)
		rt_oom();
	return p;
}

static inline char *rt_strdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		rt_oom();
	return d;
}

/* The contents of path with trailing newlines, carriage returns and spaces cut (a token or
 * a kubeconfig value as written by hand), or NULL if it cannot be opened. */
static inline char *rt_read_trimmed(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = NULL;
	size_t len = 0, cap = 0;
	for (int c; (c = fgetc(f)) != EOF;) {
		if (len + 2 > cap)
			s = rt_realloc(s, cap = cap * 2 + 256, 1);
		s[len++] = (char)c;
	}
	fclose(f);
	if (!s)
		s = rt_calloc(1, 1);
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	s[len] = 0;
	return s;
}

/* printf into a new string; aborts on failure. */
static inline char *rt_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *rt_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		rt_oom();
	char *s = rt_calloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Seconds on a monotonic clock, for timeouts and backoff (never for logs). */
static inline double rt_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Formats a wall-clock time as UTC ISO 8601 ("2026-11-24T03:00:00Z") into buf (>= 21 bytes);
 * t == 0 gives "-". Returns buf. */
static inline char *rt_utc(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (t == 0 || !gmtime_r(&t, &tm))
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* Prints one log line to stdout: UTC time, a space, the message, a newline; flushed at once
 * so that a killed process loses nothing. */
static inline void rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void rt_log(const char *fmt, ...)
{
	char t[32];
	printf("%s ", rt_utc(time(NULL), t, sizeof t));
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Sleeps for s seconds (fractions allowed); returns early on a signal. */
static inline void rt_sleep(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
	nanosleep(&ts, NULL);
}
#endif
