/* ktree.c -- construction of ordered object trees. */
#include "config.h"
#include "ktree.h"

#include <stdio.h>
#include <string.h>

#include "hash.h"

static kt *node(arena *a, enum kt_kind k)
{
	kt *t = arena_alloc(a, sizeof(*t));
	t->kind = k;
	return t;
}

kt *kt_map(arena *a)
{
	return node(a, KT_MAP);
}

kt *kt_list(arena *a)
{
	return node(a, KT_LIST);
}

kt *kt_str(arena *a, const char *s, size_t len)
{
	kt *t = node(a, KT_STR);
	t->s = s;
	t->len = len;
	return t;
}

kt *kt_int(arena *a, long long v)
{
	/* Decimal digits by hand: several per step Job, where snprintf showed in profiles. */
	char buf[24], *w = buf + sizeof buf;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--w = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--w = '-';
	size_t n = (size_t)(buf + sizeof buf - w);
	kt *t = node(a, KT_INT);
	t->s = arena_strndup(a, w, n);
	t->len = n;
	return t;
}

kt *kt_bool(arena *a, bool v)
{
	kt *t = node(a, KT_BOOL);
	t->s = v ? "true" : "false";
	t->len = v ? 4 : 5;
	return t;
}

kt *kt_get(const kt *map, const char *key)
{
	size_t len = strlen(key);
	for (kt *c = map->first; c; c = c->next)
		if (c->key_len == len && memcmp(c->key, key, len) == 0)
			return c;
	return NULL;
}

/* FNV-1a's 64-bit prime 0x100000001b3 to the powers 0..8, mod 2^64. */
static const unsigned long long prime_pow[9] = {
	0x0000000000000001ULL,
	0x00000100000001b3ULL,
	0x000366000002e329ULL,
	0x08a97b0004e7feabULL,
	0x9ffaac085635bc91ULL,
	0x0caee32a7d4f6a63ULL,
	0xdc966432edf1c639ULL,
	0xc5527b8a51d3d2dbULL,
	0x1efac7090aef4a21ULL,
};

/* Lengths are hashed as 8 little-endian bytes, so the hash is the same on every machine.
 * Most high bytes are zero, and FNV-1a on a zero byte is just a multiply by the prime: those
 * are folded into one multiply by a power of the prime (the same value, mod 2^64). Two of
 * these run for every node, so this is a third of hashing's cost. */
static unsigned long long fnv_len(unsigned long long h, size_t n)
{
	unsigned long long v = n;
	int i = 0;
	for (; i < 8 && v; i++, v >>= 8) {
		h ^= v & 0xff;
		h *= HASH_FNV_PRIME;
	}
	return h * prime_pow[8 - i];
}

unsigned long long kt_hash(const kt *t, unsigned long long h)
{
	/* Kind and lengths are hashed too, so ["ab"] and ["a","b"] differ. */
	unsigned char k = (unsigned char)t->kind;
	h = hash_fnv1a(h, &k, 1);
	if (t->key)
		h = hash_fnv1a(fnv_len(h, t->key_len), t->key, t->key_len);
	if (t->kind == KT_MAP || t->kind == KT_LIST) {
		h = fnv_len(h, t->n);
		for (const kt *c = t->first; c; c = c->next)
			h = kt_hash(c, h);
		return h;
	}
	return hash_fnv1a(fnv_len(h, t->len), t->s, t->len);
}
