/* units.c -- exact quantity arithmetic (no floating point, so output never depends on
 * rounding) and the canonical forms of Kubernetes' resource.Quantity. */
#include "config.h"
#include "units.h"

#include <stdio.h>
#include <string.h>

/* Suffixes Kubernetes accepts, with their value. ORDER is irrelevant; longest match wins. */
static const struct suffix {
	const char *text;
	int exp10, exp1024;
	bool binary;
} suffixes[] = {
	{ "Ki", 0, 1, true }, { "Mi", 0, 2, true }, { "Gi", 0, 3, true }, { "Ti", 0, 4, true },
	{ "Pi", 0, 5, true }, { "Ei", 0, 6, true }, { "n", -9, 0, false }, { "u", -6, 0, false },
	{ "m", -3, 0, false }, { "k", 3, 0, false }, { "M", 6, 0, false }, { "G", 9, 0, false },
	{ "T", 12, 0, false }, { "P", 15, 0, false }, { "E", 18, 0, false },
};

/* Aqueduct's memory units: powers of 1024 despite the SI-looking names. */
static const struct suffix aqueduct_units[] = {
	{ "KB", 0, 1, true }, { "MB", 0, 2, true }, { "GB", 0, 3, true }, { "TB", 0, 4, true },
};

static const char *const decimal_suffix[] = { "n", "u", "m", "", "k", "M", "G", "T", "P", "E" };
static const char *const binary_suffix[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };

/* Parses [+]digits[.digits] into mant * 10^exp10; rest points after the number. */
static const char *parse_decimal(const char *s, size_t len, size_t *used, quantity *q)
{
	size_t i = 0;
	unsigned long long m = 0;
	int exp10 = 0, digits = 0;
	bool dot = false;
	if (i < len && s[i] == '+')
		i++;
	if (i < len && s[i] == '-')
		return "expected a non-negative value";
	for (; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			break;
		if (m == 0 && s[i] == '0') {
			if (dot)
				exp10--;
			digits++;
			continue;
		}
		if (__builtin_mul_overflow(m, 10ULL, &m) || __builtin_add_overflow(m, (unsigned)(s[i] - '0'), &m))
			return "value is too large";
		if (dot)
			exp10--;
		digits++;
	}
	if (digits == 0)
		return "expected a number";
	if (i > 0 && s[i - 1] == '.')
		return "expected digits after '.'";
	*used = i;
	q->mant = m;
	q->exp10 = exp10;
	q->exp1024 = 0;
	q->binary = false;
	return NULL;
}

static bool mul_pow(unsigned long long *v, unsigned long long base, int n)
{
	while (n-- > 0)
		if (__builtin_mul_overflow(*v, base, v))
			return false;
	return true;
}

/* Moves trailing decimal zeros of the mantissa into the exponent. */
static void normalise(quantity *q)
{
	if (q->mant == 0) {
		q->exp10 = 0;
		q->exp1024 = 0;
		return;
	}
	while (q->mant % 10 == 0) {
		q->mant /= 10;
		q->exp10++;
	}
}

/* Canonical text, as resource.Quantity prints it: binary suffixes for a whole number of bytes
 * written with one, else the largest SI suffix that keeps the mantissa whole. */
static const char *format(quantity *q, char out[UNITS_TEXT_MAX])
{
	normalise(q);
	if (q->binary) {
		/* Whole bytes print with the largest binary suffix that divides them. */
		unsigned long long v = q->mant, div = 1;
		if (!mul_pow(&v, 1024, q->exp1024) || !mul_pow(&v, 10, q->exp10 > 0 ? q->exp10 : 0) ||
		    !mul_pow(&div, 10, q->exp10 < 0 ? -q->exp10 : 0))
			return "value is too large";
		if (v % div != 0)
			return "value is not a whole number of bytes";
		v /= div;
		int e = 0;
		while (e < 6 && v != 0 && v % 1024 == 0) {
			v /= 1024;
			e++;
		}
		snprintf(out, UNITS_TEXT_MAX, "%llu%s", v, binary_suffix[e]);
		return NULL;
	}
	int e = q->exp10;
	unsigned long long v = q->mant;
	int k = e >= 0 ? e / 3 : -((-e + 2) / 3); /* floor(e / 3) */
	if (k > 6)
		k = 6;
	if (k < -3)
		return "value is more precise than 1n";
	if (!mul_pow(&v, 10, e - 3 * k))
		return "value is too large";
	snprintf(out, UNITS_TEXT_MAX, "%llu%s", v, decimal_suffix[k + 3]);
	return NULL;
}

static const char *parse_with(const char *s, size_t len, const struct suffix *tab, size_t ntab,
			      bool allow_exponent, quantity *q)
{
	size_t used = 0;
	const char *err = parse_decimal(s, len, &used, q);
	if (err)
		return err;
	const char *rest = s + used;
	size_t rlen = len - used;
	if (rlen == 0)
		return NULL;
	for (size_t i = 0; i < ntab; i++)
		if (strlen(tab[i].text) == rlen && memcmp(tab[i].text, rest, rlen) == 0) {
			q->exp10 += tab[i].exp10;
			q->exp1024 = tab[i].exp1024;
			q->binary = tab[i].binary;
			return NULL;
		}
	if (allow_exponent && (rest[0] == 'e' || rest[0] == 'E') && rlen > 1) {
		size_t i = 1;
		int sign = 1, x = 0;
		if (rest[i] == '+' || rest[i] == '-')
			sign = rest[i++] == '-' ? -1 : 1;
		if (i == rlen)
			return "expected digits after the exponent";
		for (; i < rlen; i++) {
			if (rest[i] < '0' || rest[i] > '9' || x > 100)
				return "malformed exponent";
			x = x * 10 + (rest[i] - '0');
		}
		q->exp10 += sign * x;
		return NULL;
	}
	return "unknown unit";
}

const char *units_quantity(const char *s, size_t len, quantity *q, char out[UNITS_TEXT_MAX])
{
	const char *err = parse_with(s, len, suffixes, sizeof suffixes / sizeof *suffixes, true, q);
	return err ? err : format(q, out);
}

const char *units_memory(const char *s, size_t len, bool is_number, quantity *q,
			 char out[UNITS_TEXT_MAX])
{
	size_t used = 0;
	const char *err = parse_decimal(s, len, &used, q);
	if (err)
		return err;
	if (used == len) {
		/* A bare number means MB, as in Aqueduct. */
		if (q->exp10 < 0)
			return "a bare number means MB and must be a whole number; add a unit";
		q->exp1024 = 2;
		q->binary = true;
		return format(q, out);
	}
	(void)is_number;
	err = parse_with(s, len, aqueduct_units, sizeof aqueduct_units / sizeof *aqueduct_units, false, q);
	if (err)
		err = parse_with(s, len, suffixes, sizeof suffixes / sizeof *suffixes, true, q);
	if (err)
		return "expected a size such as 512Mi, 4Gi or 16GB";
	return format(q, out);
}

const char *units_cpu(const char *s, size_t len, bool is_number, quantity *q, char out[UNITS_TEXT_MAX])
{
	const char *err = is_number ? parse_with(s, len, suffixes, 0, false, q) : units_quantity(s, len, q, out);
	if (err)
		return err;
	if (q->binary)
		return "expected a CPU count such as 2, 0.5 or 500m";
	normalise(q);
	if (q->mant == 0)
		return "expected a CPU count above zero";
	if (q->exp10 < -3)
		return "CPU counts are at most 1m (0.001) precise";
	/* Whole CPUs print as a plain number, fractions in millicores. */
	unsigned long long v = q->mant;
	if (q->exp10 >= 0) {
		if (!mul_pow(&v, 10, q->exp10))
			return "value is too large";
		snprintf(out, UNITS_TEXT_MAX, "%llu", v);
	} else {
		if (!mul_pow(&v, 10, q->exp10 + 3))
			return "value is too large";
		snprintf(out, UNITS_TEXT_MAX, "%llum", v);
	}
	return NULL;
}

int units_compare(const quantity *a, const quantity *b)
{
	long double x = (long double)a->mant, y = (long double)b->mant;
	for (int i = 0; i < a->exp1024; i++)
		x *= 1024;
	for (int i = 0; i < b->exp1024; i++)
		y *= 1024;
	for (int i = 0; i < a->exp10; i++)
		x *= 10;
	for (int i = 0; i > a->exp10; i--)
		x /= 10;
	for (int i = 0; i < b->exp10; i++)
		y *= 10;
	for (int i = 0; i > b->exp10; i--)
		y /= 10;
	return x < y ? -1 : x > y;
}

const char *units_duration(const char *s, size_t len, long long *seconds)
{
	static const struct { char unit; long long secs; } units[] = {
		{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
	};
	size_t i = 0, next_unit = 0;
	long long total = 0;
	if (len == 0)
		return "expected a duration such as 30s, 15m, 2h, 7d or 1h30m";
	while (i < len) {
		long long n = 0;
		size_t start = i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, s[i] - '0', &n))
				return "duration is too long";
		if (i == start || i == len)
			return "expected a duration such as 30s, 15m, 2h, 7d or 1h30m";
		size_t u = next_unit;
		while (u < 4 && units[u].unit != s[i])
			u++;
		if (u == 4)
			return "expected a duration such as 30s, 15m, 2h, 7d or 1h30m (units d, h, m, s in that order)";
		long long part;
		if (__builtin_mul_overflow(n, units[u].secs, &part) || __builtin_add_overflow(total, part, &total) ||
		    total > 2147483647)
			return "duration is too long";
		next_unit = u + 1;
		i++;
	}
	*seconds = total;
	return NULL;
}
