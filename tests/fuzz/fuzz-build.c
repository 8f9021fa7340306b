/* fuzz-build.c -- libFuzzer target: the whole build, input to bundle in memory (lowering and
 * libyaml emission included), for both syntaxes: the first byte picks the front end. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "emit.h"
#include "lower.h"
#include "pipec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_bytes(void *data, unsigned char *buf, size_t size)
{
	(void)buf;
	*(size_t *)data += size;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (size == 0)
		return 0;
	enum pipec_lang lang = data[0] & 1 ? LANG_PIPE : LANG_YAML;
	pipec_unit *u = pipec_unit_new();
	pipec_set_source(u, lang == LANG_PIPE ? "fuzz.pipe" : "fuzz.yaml", (const char *)data + 1, size - 1);
	if (pipec_compile(u, lang, NULL)) {
		lower_options lo = { .runtime_image = "runtime:fuzz", .run_id = data[0] & 2 ? "hash" : NULL,
				     .kustomize = data[0] & 4 };
		bundle *b = lower_pipeline(u->a, u->checked, &lo);
		size_t bytes = 0;
		arena *scratch = arena_new();
		for (size_t f = 0; f < b->nfiles; f++)
			if (emit_yaml(bundle_docs(b, f, scratch), b->files[f].ndocs, count_bytes, &bytes) < 0)
				__builtin_trap(); /* the emitter refused what lowering built */
		arena_free(scratch);
	}
	diag_print(u->d, devnull);
	pipec_unit_free(u);
	return 0;
}
