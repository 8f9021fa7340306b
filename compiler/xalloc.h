/* xalloc.h -- allocation wrappers that abort on out-of-memory and on size overflow.
 * Ownership: every pointer returned here is owned by the caller and freed with free(). */
#ifndef PIPEC_XALLOC_H
#define PIPEC_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* Resizes p to n * size bytes; aborts when n * size overflows. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; aborts on failure. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
