/* fuzz-dsl.c -- libFuzzer target: the DSL front end (re2c lexer, bison parser with error
 * recovery, IR builders) and the formatter, on arbitrary bytes; fmt's output, when there is
 * one, must format to itself. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl.h"
#include "pipec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	pipec_unit *u = pipec_unit_new();
	pipec_set_source(u, "fuzz.pipe", (const char *)data, size);
	pipec_compile(u, LANG_PIPE, NULL);
	size_t len = 0;
	char *text = dsl_format(u->d, u->file, &len);
	diag_print(u->d, devnull);
	if (text) {
		/* Idempotence: formatting the formatted text changes nothing. */
		pipec_unit *v = pipec_unit_new();
		pipec_set_source(v, "fuzz.pipe", text, len);
		size_t len2 = 0;
		char *again = dsl_format(v->d, v->file, &len2);
		if (!again || len2 != len || memcmp(again, text, len) != 0)
			__builtin_trap();
		free(again);
		pipec_unit_free(v);
		free(text);
	}
	pipec_unit_free(u);
	return 0;
}
