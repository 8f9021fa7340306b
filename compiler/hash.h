/* hash.h -- FNV-1a, 64-bit: the one hash of the compiler (name tables, map indexes, short
 * name suffixes, the spec hash). Byte-oriented, so the same on every machine. */
#ifndef PIPEC_HASH_H
#define PIPEC_HASH_H
#include <stddef.h>

#define HASH_FNV_OFFSET 0xcbf29ce484222325ULL
#define HASH_FNV_PRIME 0x100000001b3ULL

/* h continued over the n bytes at p; start from HASH_FNV_OFFSET. */
static inline unsigned long long hash_fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= HASH_FNV_PRIME;
	}
	return h;
}
#endif
