/* ktree.h -- the ordered object tree that lowering builds and the emitter prints: Kubernetes
 * objects as maps whose key order is the order of insertion, so the emitted key order is
 * decided in one place (lower.c) and never by hashing. Ownership: nodes live in the arena. */
#ifndef PIPEC_KTREE_H
#define PIPEC_KTREE_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"

enum kt_kind { KT_MAP, KT_LIST, KT_STR, KT_INT, KT_BOOL };

typedef struct kt kt;
struct kt {
	enum kt_kind kind;
	const char *key; /* when this node is a map entry */
	size_t key_len;
	const char *s;   /* scalar text (KT_STR, KT_INT, KT_BOOL) */
	size_t len;
	kt *first, *last; /* children of a map or list */
	kt *next;
	size_t n;         /* number of children */
};

kt *kt_map(arena *a);
kt *kt_list(arena *a);
/* s is not copied: it must live as long as the tree (arena or static). */
kt *kt_str(arena *a, const char *s, size_t len);
kt *kt_int(arena *a, long long v);
kt *kt_bool(arena *a, bool v);

/* The helpers below are inline so that strlen of a literal key folds at compile time: lowering
 * builds about 150 nodes per step Job, most under literal keys. */

static inline kt *kt_cstr(arena *a, const char *s)
{
	return kt_str(a, s, strlen(s));
}

/* Appends v to list and returns v. */
static inline kt *kt_push(kt *list, kt *v)
{
	if (list->last)
		list->last->next = v;
	else
		list->first = v;
	list->last = v;
	list->n++;
	return v;
}

/* Appends key: v to map (key is not copied) and returns v. Keys are not checked for repeats:
 * lowering builds each map from distinct keys. */
static inline kt *kt_put(arena *a, kt *map, const char *key, kt *v)
{
	(void)a;
	v->key = key;
	v->key_len = strlen(key);
	return kt_push(map, v);
}

static inline kt *kt_put_str(arena *a, kt *map, const char *key, const char *s)
{
	return kt_put(a, map, key, kt_cstr(a, s));
}

static inline kt *kt_put_map(arena *a, kt *map, const char *key)
{
	return kt_put(a, map, key, kt_map(a));
}

static inline kt *kt_put_list(arena *a, kt *map, const char *key)
{
	return kt_put(a, map, key, kt_list(a));
}
/* The value under key in map, or NULL. Linear; for small maps only. */
kt *kt_get(const kt *map, const char *key);
/* Hash of the tree's content (FNV-1a 64), for pipec.dev/spec-hash. */
unsigned long long kt_hash(const kt *t, unsigned long long h);
#endif
