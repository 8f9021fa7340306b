/* arena.c -- bump allocation in large chunks; the whole arena is freed at once. */
#include "config.h"
#include "arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum { CHUNK_SIZE = 64 * 1024 };

struct chunk {
	struct chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t used;
};

arena *arena_new(void)
{
	return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

#ifdef ARENA_DEBUG
void *arena_alloc(arena *a, size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);
	c->size = c->used = size;
	c->next = a->head;
	a->head = c;
	a->used += size;
	memset(c->data, 0, size);
	return c->data;
}

static void *bytes(arena *a, size_t size)
{
	return arena_alloc(a, size);
}
#else
/* Bump allocation: align is 1 for strings (no padding to max_align_t) or alignof(max_align_t)
 * for everything else; only the latter is zeroed. */
static void *bump(arena *a, size_t size, size_t align)
{
	if (size > SIZE_MAX - 2 * alignof(max_align_t))
		abort();
	struct chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		/* Large requests get a chunk of their own so small ones keep filling the current chunk. */
		size_t want = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
		struct chunk *n = xmalloc(sizeof(*n) + want);
		n->size = want;
		n->used = 0;
		if (c && want != CHUNK_SIZE) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
		at = 0;
	}
	void *p = c->data + at;
	a->used += size + (at - c->used);
	c->used = at + size;
	return p;
}

void *arena_alloc(arena *a, size_t size)
{
	void *p = bump(a, size, alignof(max_align_t));
	memset(p, 0, size);
	return p;
}

static void *bytes(arena *a, size_t size)
{
	return bump(a, size, 1);
}
#endif

void arena_reset(arena *a)
{
	struct chunk *keep = NULL;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		if (!keep && c->size == CHUNK_SIZE)
			keep = c;
		else
			free(c);
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used = 0;
}

void *arena_array(arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		abort();
	return arena_alloc(a, n * size);
}

void *arena_grow(arena *a, void *old, size_t n, size_t cap, size_t size)
{
	void *p = arena_array(a, cap, size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *d = bytes(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	char *s = bytes(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t arena_used(const arena *a)
{
	return a->used;
}
