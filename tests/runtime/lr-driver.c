/* lr-driver.c -- drives local_run() from a small text file, to test `pipec run`'s engine
 * before the CLI is wired: one step a line,
 *     NAME [after=A,B] [timeout=SECONDS] [cwd=DIR] [env=NAME=VALUE]... : SHELL COMMAND
 *     NAME [...] ! PROGRAM ARG...        (run directly, no shell)
 * Blank lines and lines starting with # are ignored. Usage:
 *     lr-driver [--max-parallel N] [--stop] [--dry-run] [--logs DIR] FILE
 * Exit status: local_run()'s 0 or 1, 3 for its -1, 2 for a bad file or command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local_run.h"
#include "rtutil.h"

enum { MAX_STEPS = 128, MAX_WORDS = 32 };

typedef struct spec {
	char *name, *cwd;
	char *argv[MAX_WORDS + 1];
	char *env[MAX_WORDS + 1];
	size_t after[MAX_STEPS], nafter;
	long timeout;
} spec;

static char *next_word(char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!**p)
		return NULL;
	char *w = *p;
	while (**p && **p != ' ' && **p != '\t')
		(*p)++;
	if (**p)
		*(*p)++ = 0;
	return w;
}

static int parse_line(char *line, spec *steps, size_t *n)
{
	spec *s = &steps[*n];
	memset(s, 0, sizeof *s);
	char *p = line;
	s->name = rt_strdup(next_word(&p));
	size_t nenv = 0;
	for (char *w; (w = next_word(&p));) {
		if (strcmp(w, ":") == 0) {
			s->argv[0] = rt_strdup("sh");
			s->argv[1] = rt_strdup("-c");
			s->argv[2] = rt_strdup(p);
			break;
		}
		if (strcmp(w, "!") == 0) {
			size_t a = 0;
			for (char *x; a < MAX_WORDS && (x = next_word(&p));)
				s->argv[a++] = rt_strdup(x);
			break;
		}
		if (strncmp(w, "after=", 6) == 0) {
			for (char *dep = strtok(w + 6, ","); dep; dep = strtok(NULL, ",")) {
				size_t j = 0;
				while (j < *n && strcmp(steps[j].name, dep) != 0)
					j++;
				if (j == *n) {
					fprintf(stderr, "lr-driver: step '%s': unknown or later step '%s'\n", s->name, dep);
					return -1;
				}
				s->after[s->nafter++] = j;
			}
		} else if (strncmp(w, "timeout=", 8) == 0) {
			s->timeout = atol(w + 8);
		} else if (strncmp(w, "cwd=", 4) == 0) {
			s->cwd = rt_strdup(w + 4);
		} else if (strncmp(w, "env=", 4) == 0 && nenv < MAX_WORDS) {
			s->env[nenv++] = rt_strdup(w + 4);
		} else {
			fprintf(stderr, "lr-driver: step '%s': unknown word '%s'\n", s->name, w);
			return -1;
		}
	}
	if (!s->argv[0]) {
		fprintf(stderr, "lr-driver: step '%s' has no command\n", s->name);
		return -1;
	}
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	lr_options o = {.status = stdout};
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--max-parallel") == 0 && i + 1 < argc)
			o.max_parallel = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--stop") == 0)
			o.stop_on_failure = true;
		else if (strcmp(argv[i], "--dry-run") == 0)
			o.dry_run = true;
		else if (strcmp(argv[i], "--logs") == 0 && i + 1 < argc)
			o.logs_dir = argv[++i];
		else
			file = argv[i];
	}
	FILE *f = file ? fopen(file, "r") : NULL;
	if (!f) {
		fputs("usage: lr-driver [--max-parallel N] [--stop] [--dry-run] [--logs DIR] FILE\n", stderr);
		return 2;
	}
	static spec specs[MAX_STEPS];
	size_t n = 0;
	char line[4096];
	int bad = 0;
	while (!bad && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *p = line;
		while (*p == ' ')
			p++;
		if (!*p || *p == '#')
			continue;
		if (n == MAX_STEPS)
			bad = 1;
		else
			bad = parse_line(p, specs, &n) < 0;
	}
	fclose(f);
	lr_step steps[MAX_STEPS];
	for (size_t i = 0; i < n; i++)
		steps[i] = (lr_step){.name = specs[i].name, .argv = specs[i].argv, .env = specs[i].env,
		                     .working_dir = specs[i].cwd, .after = specs[i].after, .nafter = specs[i].nafter,
		                     .timeout_seconds = specs[i].timeout};
	int rc = bad ? 2 : local_run(steps, n, &o);
	for (size_t i = 0; i < n; i++) {
		free(specs[i].name);
		free(specs[i].cwd);
		for (char **a = specs[i].argv; *a; a++)
			free(*a);
		for (char **e = specs[i].env; *e; e++)
			free(*e);
	}
	return rc < 0 ? 3 : rc;
}
