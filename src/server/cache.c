/*
 * cache.c — a direct-mapped cache of GET answers (cache.h).
 *
 * 4,096 slots; a key's slot is its hash modulo the slot count, and a new
 * entry simply replaces what the slot held, so there is no list to keep and
 * no eviction policy beyond that. Entries carry the store generation they
 * were made at (server/data.c: SQLite's data_version seen by a watching
 * connection), so a write anywhere — this server, `rasd ingest` in another
 * process — makes every older entry a miss. Bodies are immutable and
 * reference-counted: a reader takes a reference under the lock and copies
 * outside it, so a 150 KB brief does not hold the other threads.
 */
#include "server/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define MAX_ENTRY (2u << 20) /* bodies above 2 MiB are not kept */

typedef struct Entry {
    atomic_int refs;     /* the slot's reference plus readers' */
    uint64_t gen;        /* store generation it was made at */
    size_t n;            /* body bytes */
    char *key;           /* request key (owned) */
    char body[];         /* n bytes */
} Entry;

struct RespCache {
    pthread_mutex_t lock; /* guards slot and bytes */
    Entry *slot[SLOTS];
    size_t bytes, max;    /* bodies held, and the cap */
};

static void entry_drop(Entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1) {
        free(e->key);
        free(e);
    }
}

RespCache *cache_new(size_t max_bytes)
{
    RespCache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->max = max_bytes;
    return c;
}

void cache_free(RespCache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        entry_drop(c->slot[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static size_t slot_of(const char *key)
{
    return (size_t)(rasd_hash(key, strlen(key)) % SLOTS);
}

int cache_get(RespCache *c, const char *key, uint64_t gen, Buf *out)
{
    if (!c)
        return 0;
    size_t i = slot_of(key);
    pthread_mutex_lock(&c->lock);
    Entry *e = c->slot[i];
    if (e && (e->gen != gen || strcmp(e->key, key) != 0))
        e = NULL;
    if (e)
        atomic_fetch_add(&e->refs, 1);
    pthread_mutex_unlock(&c->lock);
    if (!e)
        return 0;
    buf_append(out, e->body, e->n);
    entry_drop(e);
    return !out->oom;
}

void cache_put(RespCache *c, const char *key, uint64_t gen, const char *body, size_t n)
{
    if (!c || n > MAX_ENTRY)
        return;
    Entry *e = malloc(sizeof *e + n);
    char *k = strdup(key);
    if (!e || !k) {
        free(e);
        free(k);
        return;
    }
    atomic_init(&e->refs, 1);
    e->gen = gen;
    e->n = n;
    e->key = k;
    memcpy(e->body, body, n);
    size_t i = slot_of(key);
    pthread_mutex_lock(&c->lock);
    Entry *old = c->slot[i];
    size_t after = c->bytes - (old ? old->n : 0) + n;
    if (after <= c->max) {
        c->slot[i] = e;
        c->bytes = after;
        e = NULL;
    } else {
        old = NULL; /* full: keep what is there */
    }
    pthread_mutex_unlock(&c->lock);
    entry_drop(old);
    entry_drop(e);
}
