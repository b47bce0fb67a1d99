/*
 * util.c — Buf, Arena, StrSet and the error helper declared in util.h.
 *
 * StrSet is open addressing with linear probing over XXH3 hashes; it is
 * built once (lexicons, stopwords) and then only read, so it never deletes.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

uint64_t rasd_hash(const void *p, size_t n) { return XXH3_64bits(p, n); }

/* ---- Buf ---- */

int buf_reserve(Buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (extra > SIZE_MAX / 2 - b->len - 1) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void buf_append(Buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || buf_reserve(b, (size_t)n) < 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_put_json_string(Buf *b, const char *s, size_t n)
{
    buf_putc(b, '"');
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\r': buf_puts(b, "\\r"); break;
        default: buf_printf(b, "\\u%04x", c); break;
        }
    }
    buf_append(b, s + run, n - run);
    buf_putc(b, '"');
}

void buf_reset(Buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(Buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

char *buf_steal(Buf *b)
{
    char *p = b->data;
    memset(b, 0, sizeof *b);
    return p;
}

rasd_err buf_read_file(Buf *b, const char *path, rasd_error *err)
{
    int is_stdin = path[0] == '-' && path[1] == '\0';
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return rasd_fail(err, RASD_EIO, "%s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(b, chunk, n);
    int bad = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (b->oom)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", path);
    return bad ? rasd_fail(err, RASD_EIO, "%s: read error", path) : RASD_OK;
}

/* ---- Arena ---- */

struct ArenaBlock {
    ArenaBlock *next; /* older block */
    size_t size;      /* usable bytes in mem */
    size_t used;      /* bytes handed out */
    _Alignas(16) unsigned char mem[];
};

void arena_init(Arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->oom = 0;
}

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    ArenaBlock *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size ? n : a->block_size;
        if (size > SIZE_MAX - sizeof(ArenaBlock)) {
            a->oom = 1;
            return NULL;
        }
        b = malloc(sizeof(ArenaBlock) + size);
        if (!b) {
            a->oom = 1;
            return NULL;
        }
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->mem + b->used;
    b->used += n;
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void arena_reset(Arena *a)
{
    if (!a->head)
        return;
    ArenaBlock *b = a->head->next;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head->next = NULL;
    a->head->used = 0;
    a->oom = 0;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- StrSet ---- */

static int strset_grow(StrSet *s)
{
    size_t cap = s->mask ? (s->mask + 1) * 2 : 1024;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        size_t h = (size_t)rasd_hash(s->pool + s->offs[i], s->lens[i]) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(s->slots);
    s->slots = slots;
    s->mask = cap - 1;
    return 0;
}

int strset_has(const StrSet *s, const char *p, size_t n)
{
    if (!s->mask)
        return 0;
    size_t h = (size_t)rasd_hash(p, n) & s->mask;
    for (uint32_t v; (v = s->slots[h]) != 0; h = (h + 1) & s->mask) {
        v--;
        if (s->lens[v] == n && memcmp(s->pool + s->offs[v], p, n) == 0)
            return 1;
    }
    return 0;
}

int strset_add(StrSet *s, const char *p, size_t n)
{
    if (strset_has(s, p, n))
        return 0;
    if ((s->n + 1) * 4 > (s->mask + 1) * 3 || !s->mask)
        if (strset_grow(s) < 0)
            return -1;
    if (s->n == s->cap_n) {
        size_t c = s->cap_n ? s->cap_n * 2 : 256;
        uint32_t *o = realloc(s->offs, c * sizeof *o);
        if (!o)
            return -1;
        s->offs = o;
        uint32_t *l = realloc(s->lens, c * sizeof *l);
        if (!l)
            return -1;
        s->lens = l;
        s->cap_n = c;
    }
    if (s->pool_len + n > s->pool_cap) {
        size_t c = s->pool_cap ? s->pool_cap : 4096;
        while (c < s->pool_len + n)
            c *= 2;
        char *q = realloc(s->pool, c);
        if (!q)
            return -1;
        s->pool = q;
        s->pool_cap = c;
    }
    memcpy(s->pool + s->pool_len, p, n);
    s->offs[s->n] = (uint32_t)s->pool_len;
    s->lens[s->n] = (uint32_t)n;
    s->pool_len += n;
    size_t h = (size_t)rasd_hash(p, n) & s->mask;
    while (s->slots[h])
        h = (h + 1) & s->mask;
    s->slots[h] = (uint32_t)s->n + 1;
    s->n++;
    return 0;
}

void strset_free(StrSet *s)
{
    free(s->slots);
    free(s->offs);
    free(s->lens);
    free(s->pool);
    memset(s, 0, sizeof *s);
}

/* ---- errors ---- */

rasd_err rasd_fail(rasd_error *err, rasd_err code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *rasd_strerror(rasd_err code)
{
    switch (code) {
    case RASD_OK: return "ok";
    case RASD_ENOMEM: return "out of memory";
    case RASD_EINVAL: return "invalid argument";
    case RASD_EIO: return "input/output error";
    case RASD_EFORMAT: return "unrecognised format";
    case RASD_ETOOBIG: return "input too large";
    case RASD_EDB: return "store error";
    case RASD_ENOTFOUND: return "not found";
    }
    return "unknown error";
}

/* ---- IdMap ---- */

static uint64_t idmap_fix(uint64_t id) { return id ? id : 1; }

static int idmap_grow(IdMap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    uint64_t *ids = calloc(ncap, sizeof *ids);
    uint32_t *vals = calloc(ncap, sizeof *vals);
    if (!ids || !vals) {
        free(ids);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->ids[i])
            continue;
        size_t j = m->ids[i] & (ncap - 1);
        while (ids[j])
            j = (j + 1) & (ncap - 1);
        ids[j] = m->ids[i];
        vals[j] = m->vals[i];
    }
    free(m->ids);
    free(m->vals);
    m->ids = ids;
    m->vals = vals;
    m->cap = ncap;
    return 0;
}

/* Returns the value slot for id, inserting 0 if absent; NULL on OOM. */
uint32_t *idmap_slot(IdMap *m, uint64_t id)
{
    id = idmap_fix(id);
    if ((m->n + 1) * 2 > m->cap && idmap_grow(m) < 0)
        return NULL;
    size_t j = id & (m->cap - 1);
    while (m->ids[j] && m->ids[j] != id)
        j = (j + 1) & (m->cap - 1);
    if (!m->ids[j]) {
        m->ids[j] = id;
        m->vals[j] = 0;
        m->n++;
    }
    return &m->vals[j];
}

uint32_t idmap_get(const IdMap *m, uint64_t id)
{
    if (!m->cap)
        return 0;
    id = idmap_fix(id);
    size_t j = id & (m->cap - 1);
    while (m->ids[j]) {
        if (m->ids[j] == id)
            return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void idmap_free(IdMap *m)
{
    free(m->ids);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

void buf_put_json_trimmed(Buf *b, const char *text, uint32_t start, uint32_t end)
{
    while (start < end && (text[start] == ' ' || text[start] == '\n'))
        start++;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\n'))
        end--;
    buf_put_json_string(b, text + start, end - start);
}
