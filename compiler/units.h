/* units.h -- Kubernetes quantities, Aqueduct memory sizes, CPU counts and durations: parsing
 * and the canonical text pipec emits. Pure functions; results are written to caller buffers.
 * Each parser returns NULL on success or a static message ("expected ...") on error. */
#ifndef PIPEC_UNITS_H
#define PIPEC_UNITS_H
#include <stdbool.h>
#include <stddef.h>

enum { UNITS_TEXT_MAX = 48 };

/* An exact quantity: mantissa * 10^exp10 * 1024^exp1024, with a flag for binary suffixes. */
typedef struct quantity {
	unsigned long long mant;
	int exp10;
	int exp1024;
	bool binary;
} quantity;

/* A Kubernetes quantity ("512Mi", "4G", "500m", "1.5", "1e3"), canonicalised the way the API
 * server prints it; out receives the canonical text. */
const char *units_quantity(const char *s, size_t len, quantity *q, char out[UNITS_TEXT_MAX]);

/* The @op memory value: a Kubernetes quantity, or N KB/MB/GB/TB (powers of 1024, as in
 * Aqueduct), or a bare integer meaning MB. is_number says the value was written as a number. */
const char *units_memory(const char *s, size_t len, bool is_number, quantity *q,
			 char out[UNITS_TEXT_MAX]);

/* A CPU count: a number of vCPUs (2, 0.5) or a quantity string ("500m"); at most 1m precision. */
const char *units_cpu(const char *s, size_t len, bool is_number, quantity *q, char out[UNITS_TEXT_MAX]);

/* a < b, for limits below requests. */
int units_compare(const quantity *a, const quantity *b);

/* A duration "30s", "15m", "2h", "7d", "1h30m" (units in that order, each once) in seconds. */
const char *units_duration(const char *s, size_t len, long long *seconds);
#endif
