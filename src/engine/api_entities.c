/*
 * api_entities.c — the names of the store or of one story for the public
 * API (rasd_engine_entities, `rasd entities`).
 *
 * The whole store is one read of the entity summary that ingest keeps
 * (store_each_entity). One story's names are grouped here from the
 * mentions of its articles: they come ordered by key and type, so one pass
 * makes each name; the names are then given most mentioned first (equal
 * counts in key order). A story's names carry no roles (the summary's
 * offices are counted over the whole store).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"

/* One name of the story, finished. */
typedef struct Named {
    Buf text;            /* key, type, then the spellings and outlets, NUL-terminated */
    EntityCount *spell;  /* owned; most used first */
    size_t nspell;
    EntityCount *outl;   /* owned; most used first */
    size_t noutl;
    int64_t mentions, articles;
    size_t order;        /* made as the order-th name (key order) */
} Named;

typedef struct Group {
    Buf key, type;       /* the name being built */
    Buf text;            /* spellings and outlets, NUL-terminated, back to back */
    Buf spell, outl;     /* EntityCount arrays whose text is an offset into text */
    int64_t mentions, articles, last;
    Buf lasts;           /* int64_t per outlet: the last article counted */
    const int64_t *only; /* the story's article row ids, sorted */
    size_t nonly;
    const EntityFilter *f;
    Named *done;         /* the names made, in key order */
    size_t ndone, capdone;
    int oom;
} Group;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The index of s in list (EntityCount with offsets), added if new. */
static size_t slot(Group *g, Buf *list, const char *s)
{
    EntityCount *c = (EntityCount *)list->data;
    size_t n = list->len / sizeof *c;
    for (size_t i = 0; i < n; i++)
        if (strcmp(g->text.data + (size_t)(uintptr_t)c[i].text, s) == 0)
            return i;
    EntityCount x = {(const char *)(uintptr_t)g->text.len, 0, 0};
    buf_append(&g->text, s, strlen(s) + 1);
    buf_append(list, &x, sizeof x);
    if (list == &g->outl) {
        int64_t none = 0;
        buf_append(&g->lasts, &none, sizeof none);
    }
    return n;
}

static int by_use(const void *a, const void *b)
{
    const EntityCount *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return strcmp(x->text, y->text);
}

/* The name being built, finished (when the filter keeps it). */
static void flush(Group *g)
{
    if (!g->mentions || !store_entity_listed(g->f, g->key.data, g->type.data, g->mentions)) {
        g->mentions = 0;
        return;
    }
    if (g->ndone == g->capdone) {
        size_t c = g->capdone ? g->capdone * 2 : 64;
        Named *v = realloc(g->done, c * sizeof *v);
        if (!v) {
            g->oom = 1;
            g->mentions = 0;
            return;
        }
        g->done = v;
        g->capdone = c;
    }
    Named *x = &g->done[g->ndone++];
    memset(x, 0, sizeof *x);
    x->mentions = g->mentions;
    x->articles = g->articles;
    x->order = g->ndone - 1;
    /* key and type first, then the spellings and outlets at their offsets + base */
    buf_append(&x->text, g->key.data, g->key.len + 1);
    buf_append(&x->text, g->type.data, g->type.len + 1);
    size_t base = x->text.len;
    buf_append(&x->text, g->text.data ? g->text.data : "", g->text.len);
    Buf *lists[2] = {&g->spell, &g->outl};
    EntityCount **to[2] = {&x->spell, &x->outl};
    size_t *nto[2] = {&x->nspell, &x->noutl};
    for (int l = 0; l < 2 && !x->text.oom; l++) {
        size_t n = lists[l]->len / sizeof(EntityCount);
        EntityCount *c = malloc((n ? n : 1) * sizeof *c);
        if (!c) {
            g->oom = 1;
            break;
        }
        memcpy(c, lists[l]->data ? lists[l]->data : (char *)c, n * sizeof *c);
        for (size_t i = 0; i < n; i++) /* offsets become pointers: text no longer grows */
            c[i].text = x->text.data + base + (size_t)(uintptr_t)c[i].text;
        if (n > 1)
            qsort(c, n, sizeof *c, by_use);
        *to[l] = c;
        *nto[l] = n;
    }
    if (x->text.oom)
        g->oom = 1;
    g->mentions = 0;
}

static int on_mention(void *ctx, const StoredMention *m)
{
    Group *g = ctx;
    if (!bsearch(&m->article, g->only, g->nonly, sizeof *g->only, cmp_i64) ||
        (g->f->type && strcmp(g->f->type, m->type)) || (g->f->key && strcmp(g->f->key, m->key)))
        return 0;
    if (!g->mentions || strcmp(g->key.data, m->key) != 0 || strcmp(g->type.data, m->type) != 0) {
        flush(g);
        buf_reset(&g->key);
        buf_puts(&g->key, m->key);
        buf_reset(&g->type);
        buf_puts(&g->type, m->type);
        buf_reset(&g->text);
        buf_reset(&g->spell);
        buf_reset(&g->outl);
        buf_reset(&g->lasts);
        g->articles = g->last = 0;
    }
    g->mentions++;
    if (g->last != m->article) {
        g->last = m->article;
        g->articles++;
    }
    size_t k = slot(g, &g->spell, m->text);
    if (!g->spell.oom)
        ((EntityCount *)g->spell.data)[k].mentions++;
    k = slot(g, &g->outl, m->outlet ? m->outlet : "");
    if (!g->outl.oom && !g->lasts.oom) {
        ((EntityCount *)g->outl.data)[k].mentions++;
        int64_t *last = &((int64_t *)g->lasts.data)[k];
        if (*last != m->article) {
            *last = m->article;
            ((EntityCount *)g->outl.data)[k].articles++;
        }
    }
    if (g->key.oom || g->type.oom || g->text.oom || g->spell.oom || g->outl.oom || g->lasts.oom)
        g->oom = 1;
    return g->oom;
}

/* Most mentioned first; equal counts keep key order (the names were made in it). */
static int by_mentions(const void *a, const void *b)
{
    const Named *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return x->order < y->order ? -1 : 1;
}

static void group_free(Group *g)
{
    Buf *bufs[] = {&g->key, &g->type, &g->text, &g->spell, &g->outl, &g->lasts};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        buf_free(bufs[i]);
    for (size_t i = 0; i < g->ndone; i++) {
        buf_free(&g->done[i].text);
        free(g->done[i].spell);
        free(g->done[i].outl);
    }
    free(g->done);
}

/* Calls fn for each name of the story's articles (rows: sorted). */
static rasd_err story_entities(Store *st, const int64_t *rows, size_t nrows,
                               const EntityFilter *f, int (*fn)(void *ctx, const rasd_entity *x),
                               void *ctx, rasd_error *err)
{
    Group g = {0};
    g.only = rows;
    g.nonly = nrows;
    g.f = f;
    rasd_err e = store_each_mention(st, on_mention, &g, err);
    flush(&g);
    if (e == RASD_OK && g.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK && g.ndone > 1)
        qsort(g.done, g.ndone, sizeof *g.done, by_mentions);
    size_t given = 0;
    for (size_t i = 0; e == RASD_OK && i < g.ndone; i++) {
        const Named *n = &g.done[i];
        const char *key = n->text.data, *type = key + strlen(key) + 1;
        if (f->text && *f->text) {
            int has = 0;
            for (size_t k = 0; k < n->nspell && !has; k++)
                has = strstr(n->spell[k].text, f->text) != NULL;
            if (!has)
                continue;
        }
        if (given++ < f->offset)
            continue;
        rasd_entity x = {key, type, n->nspell ? n->spell[0].text : "", n->mentions, n->articles,
                         n->spell, n->nspell, n->outl, n->noutl, NULL, 0};
        /* the name shown: the longest spelling used at least a quarter as often
           as the most used one (the summary's rule) */
        for (size_t k = 1; k < n->nspell; k++)
            if (4 * n->spell[k].mentions >= n->spell[0].mentions &&
                strlen(n->spell[k].text) > strlen(x.name))
                x.name = n->spell[k].text;
        if (fn(ctx, &x) || (f->limit && given >= f->offset + f->limit))
            break;
    }
    group_free(&g);
    return e;
}

RASD_API rasd_err rasd_engine_entities(rasd_engine *e, const rasd_entity_filter *rf,
                                       int (*fn)(void *ctx, const rasd_entity *x), void *ctx,
                                       rasd_error *err)
{
    if (!e || !rf || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_entities: bad argument");
    if (!rf->story)
        return store_each_entity(e->st, rf, fn, ctx, err);
    int64_t *rows = NULL;
    size_t n = 0;
    rasd_err rc = rasd_engine_story_rows(e, rf->story, &rows, &n, err);
    if (rc == RASD_OK)
        rc = story_entities(e->st, rows, n, rf, fn, ctx, err);
    free(rows);
    return rc;
}
