/* arena.h -- one arena per compilation: the IR, interned strings and vectors live in it and
 * are freed in one call (php-src zend_arena). Ownership: memory from arena_* belongs to the
 * arena; never free() it. With ARENA_DEBUG each allocation is its own malloc, so ASan and
 * valgrind see overflows between objects. */
#ifndef PIPEC_ARENA_H
#define PIPEC_ARENA_H
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
/* Frees every allocation of the arena, then the arena. NULL is a no-op. */
void arena_free(arena *a);
/* Zeroed, max_align_t-aligned memory; aborts on out-of-memory or overflow. */
void *arena_alloc(arena *a, size_t size);
void *arena_array(arena *a, size_t n, size_t size);
/* Grows an arena array of n elements to cap elements (the old block stays in the arena). */
void *arena_grow(arena *a, void *old, size_t n, size_t cap, size_t size);
/* Copies of strings are packed (byte-aligned, not zeroed beyond the terminating NUL). */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every allocation but keeps one chunk for reuse: for scratch arenas that build one
 * output file at a time. */
void arena_reset(arena *a);
/* Bytes handed out so far (for --stats). */
size_t arena_used(const arena *a);
#endif
