/*
 * cache.h — the server's cache of whole GET answers (a brief, a search
 * page, a story), keyed by the request and by the store's generation: an
 * entry made before the store last changed is never served. Thread-safe.
 */
#ifndef RASD_SERVER_CACHE_H
#define RASD_SERVER_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct RespCache RespCache;

/* A cache of at most max_bytes of bodies (NULL when out of memory). */
RespCache *cache_new(size_t max_bytes);
void cache_free(RespCache *c);
/* 1 and the body appended to out when key has an entry of generation gen. */
int cache_get(RespCache *c, const char *key, uint64_t gen, Buf *out);
/* Keeps body for key at generation gen (replacing what the slot held). */
void cache_put(RespCache *c, const char *key, uint64_t gen, const char *body, size_t n);

#endif
