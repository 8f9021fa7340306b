/* fuzz-yaml.c -- libFuzzer target: the YAML front end and the passes (load, resolve, check),
 * with diagnostics printed, on arbitrary bytes. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "pipec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	pipec_unit *u = pipec_unit_new();
	pipec_set_source(u, "fuzz.yaml", (const char *)data, size);
	pipec_compile(u, LANG_YAML, NULL);
	diag_print(u->d, devnull);
	pipec_unit_free(u);
	return 0;
}
