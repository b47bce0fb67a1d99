/*
 * util.h — the few building blocks every stage shares: one growable byte
 * buffer (Buf), a bump allocator for per-document work (Arena), a set of
 * strings (StrSet) and the error helper that fills a rasd_error.
 *
 * Buf and Arena record allocation failure instead of returning it at every
 * call (Buf.oom, Arena.oom), so callers check once at the end of a batch.
 */
#ifndef RASD_UTIL_H
#define RASD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "rasd.h"

/* ---- Buf: growable bytes, always NUL-terminated when data != NULL ----
   The public rasd_buf (include/rasd.h: data, len, cap, oom), so a program
   on the public API and the library share one buffer type. */
typedef rasd_buf Buf;

int buf_reserve(Buf *b, size_t extra); /* 0 ok, -1 out of memory */
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_put_json_string(Buf *b, const char *s, size_t n); /* quoted, escaped */
/* The same for text[start,end) without surrounding spaces and newlines. */
void buf_put_json_trimmed(Buf *b, const char *text, uint32_t start, uint32_t end);
void buf_reset(Buf *b); /* len = 0, keeps memory */
void buf_free(Buf *b);
char *buf_steal(Buf *b); /* returns data (caller frees), leaves b empty */
/* Appends a whole file ("-" = stdin) to b; on failure err says "PATH: reason". */
rasd_err buf_read_file(Buf *b, const char *path, rasd_error *err);

/* ---- Arena: bump allocator, freed all at once ------------------------- */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head; /* newest block; blocks chain to older ones */
    size_t block_size;/* default bytes per new block */
    int oom;          /* set once an allocation failed */
} Arena;

void arena_init(Arena *a, size_t block_size);
void *arena_alloc(Arena *a, size_t n); /* 8-byte aligned; NULL on failure */
char *arena_strndup(Arena *a, const char *s, size_t n); /* NUL-terminated copy */
void arena_reset(Arena *a); /* keeps the newest block, frees the rest */
void arena_free(Arena *a);

/* ---- StrSet: immutable-after-build set of byte strings ---------------- */
typedef struct StrSet {
    uint32_t *slots;  /* index+1 into offs, 0 = empty; capacity is a power of 2 */
    uint32_t *offs;   /* start of each string in pool */
    uint32_t *lens;   /* length of each string in bytes */
    char *pool;       /* all strings, back to back */
    size_t mask;      /* capacity - 1 */
    size_t n, cap_n;  /* strings stored, and room in offs/lens */
    size_t pool_len, pool_cap; /* bytes used and allocated in pool */
} StrSet;

int strset_add(StrSet *s, const char *p, size_t n); /* 0 ok (or present), -1 oom */
int strset_has(const StrSet *s, const char *p, size_t n);
void strset_free(StrSet *s);

/* ---- IdMap: open-addressing map from 64-bit ids (hashes) to uint32 ---- */
typedef struct IdMap {
    uint64_t *ids;    /* 0 = empty slot (an id of 0 is stored as 1) */
    uint32_t *vals;   /* value of each slot */
    size_t cap, n;    /* slots (a power of two, or 0) and ids stored */
} IdMap;
/* The value slot of id, inserted as 0 if absent; NULL when out of memory. */
uint32_t *idmap_slot(IdMap *m, uint64_t id);
uint32_t idmap_get(const IdMap *m, uint64_t id); /* 0 when absent */
void idmap_free(IdMap *m);                        /* leaves m empty and usable */

/* ---- errors ----------------------------------------------------------- */
/* Fills err (if not NULL) and returns code. */
rasd_err rasd_fail(rasd_error *err, rasd_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

uint64_t rasd_hash(const void *p, size_t n); /* XXH3 64-bit */

#endif
