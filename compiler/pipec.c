/* pipec.c -- the pass pipeline: load (YAML or DSL) -> resolve -> check. */
#include "config.h"
#include "pipec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl.h"
#include "resolve.h"
#include "spec_yaml.h"
#include "stats.h"
#include "xalloc.h"

pipec_unit *pipec_unit_new(void)
{
	pipec_unit *u = xcalloc(1, sizeof(*u));
	u->a = arena_new();
	u->d = diag_new();
	u->b.a = u->a;
	u->b.d = u->d;
	return u;
}

void pipec_unit_free(pipec_unit *u)
{
	if (!u)
		return;
	arena_free(u->a);
	diag_free(u->d);
	free(u);
}

void pipec_set_source(pipec_unit *u, const char *name, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	u->file = diag_add_file(u->d, name, copy, len);
	u->b.file = u->file;
}

int pipec_read(pipec_unit *u, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "pipec: cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	char *text = xmalloc(cap + 1);
	for (;;) {
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (len > PIPEC_MAX_INPUT) {
			fprintf(stderr, "pipec: cannot read '%s': larger than the limit of %d MiB\n", path,
				PIPEC_MAX_INPUT >> 20);
			goto fail;
		}
		if (got == 0)
			break;
		if (len == cap) {
			cap *= 2;
			text = xreallocarray(text, cap + 1, 1);
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "pipec: cannot read '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	text[len] = '\0';
	u->file = diag_add_file(u->d, is_stdin ? "<stdin>" : path, text, len);
	u->b.file = u->file;
	stats_phase_end(STATS_READ, u->a);
	return 0;
fail:
	if (!is_stdin)
		fclose(f);
	free(text);
	return -1;
}

enum pipec_lang pipec_lang_of(const char *path)
{
	size_t n = strlen(path);
	if (n > 5 && strcmp(path + n - 5, ".pipe") == 0)
		return LANG_PIPE;
	if ((n > 5 && strcmp(path + n - 5, ".yaml") == 0) || (n > 4 && strcmp(path + n - 4, ".yml") == 0))
		return LANG_YAML;
	return LANG_AUTO;
}

bool pipec_compile(pipec_unit *u, enum pipec_lang lang, const char *namespace_override)
{
	if (lang == LANG_AUTO)
		lang = pipec_lang_of(u->file->name);
	if (lang == LANG_AUTO)
		lang = LANG_YAML;
	u->ir = lang == LANG_PIPE ? dsl_load(&u->b) : spec_load_yaml(&u->b);
	stats_phase_end(STATS_PARSE, u->a);
	if (!u->ir || diag_error_count(u->d))
		return false;
	/* Checks do not depend on the order, so they run even when resolving failed: one run
	 * reports every error of the file. */
	bool resolved = resolve_pipeline(&u->b, u->ir);
	stats_phase_end(STATS_RESOLVE, u->a);
	u->checked = check_pipeline(&u->b, u->ir, namespace_override);
	stats_phase_end(STATS_CHECK, u->a);
	return resolved && u->checked != NULL;
}
