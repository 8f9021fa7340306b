/* units-test.c -- the quantity, memory, CPU and duration rules of LANGUAGE.md, case by case. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "units.h"

static int failed, passed;

static void expect(const char *what, const char *in, const char *err, const char *got, const char *want)
{
	bool ok = want ? (!err && strcmp(got, want) == 0) : err != NULL;
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s '%s': got '%s' (%s), want %s\n", what, in, err ? "" : got, err ? err : "ok",
	       want ? want : "an error");
}

int main(void)
{
	static const struct { const char *in; const char *want; } memory[] = {
		{ "16GB", "16Gi" }, { "2048MB", "2Gi" }, { "1536MB", "1536Mi" }, { "512", "512Mi" },
		{ "1.5GB", "1536Mi" }, { "1TB", "1Ti" }, { "1KB", "1Ki" }, { "4Gi", "4Gi" }, { "4G", "4G" },
		{ "4000M", "4G" }, { "1024Mi", "1Gi" }, { "0.5Gi", "512Mi" }, { "1e3", "1k" }, { "128974848", "123Ti" },
		{ "gb", NULL }, { "16gb", NULL }, { "1.5.GB", NULL }, { "-1GB", NULL }, { "1.5", NULL }, { "", NULL },
		{ "4 GB", NULL }, { "99999999999999999999GB", NULL }, { "0.1KB", NULL },
	};
	for (size_t i = 0; i < sizeof memory / sizeof *memory; i++) {
		quantity q;
		char out[UNITS_TEXT_MAX] = "";
		const char *err = units_memory(memory[i].in, strlen(memory[i].in), false, &q, out);
		expect("memory", memory[i].in, err, out, memory[i].want);
	}
	static const struct { const char *in; bool number; const char *want; } cpu[] = {
		{ "2", true, "2" }, { "0.5", true, "500m" }, { "1.25", true, "1250m" }, { "500m", false, "500m" },
		{ "0.0005", true, NULL }, { "0", true, NULL }, { "2Gi", false, NULL }, { "1500m", false, "1500m" },
	};
	for (size_t i = 0; i < sizeof cpu / sizeof *cpu; i++) {
		quantity q;
		char out[UNITS_TEXT_MAX] = "";
		const char *err = units_cpu(cpu[i].in, strlen(cpu[i].in), cpu[i].number, &q, out);
		expect("cpu", cpu[i].in, err, out, cpu[i].want);
	}
	static const struct { const char *in; long long want; } durations[] = {
		{ "30s", 30 }, { "15m", 900 }, { "2h", 7200 }, { "7d", 604800 }, { "1h30m", 5400 },
		{ "1d2h3m4s", 93784 }, { "30m1h", -1 }, { "", -1 }, { "5", -1 }, { "1h1h", -1 },
		{ "99999999999d", -1 }, { "2 hours", -1 }, { "-5m", -1 },
	};
	for (size_t i = 0; i < sizeof durations / sizeof *durations; i++) {
		long long s = -1;
		const char *err = units_duration(durations[i].in, strlen(durations[i].in), &s);
		char got[32], want[32];
		snprintf(got, sizeof got, "%lld", s);
		snprintf(want, sizeof want, "%lld", durations[i].want);
		expect("duration", durations[i].in, err, got, durations[i].want >= 0 ? want : NULL);
	}
	quantity a, b;
	char o[UNITS_TEXT_MAX];
	units_memory("4Gi", 3, false, &a, o);
	units_memory("4096MB", 6, false, &b, o);
	expect("compare", "4Gi = 4096MB", units_compare(&a, &b) == 0 ? NULL : "differs", "", "");
	units_memory("4G", 2, false, &b, o);
	expect("compare", "4G < 4Gi", units_compare(&b, &a) < 0 ? NULL : "not less", "", "");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
