/*
 * api_read.c — the public API's reads of the store (include/rasd.h):
 * articles, stories and their rows, the regrouping of stories, search and
 * export. Each hands out plain structs whose strings belong to the store's
 * own result (valid during a callback, or until the matching _free).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "store/fts.h"
#include "story/overrides.h"
#include "story/stories.h"
#include "util/util.h"

/* ---- articles ---- */

static void article_of(const StoredArticle *a, rasd_article *out)
{
    *out = (rasd_article){a->id, a->hash, a->title, a->outlet, a->agency, a->published,
                          a->url, a->author, a->origin, a->body, a->parent, a->copy_of,
                          a->copy_sim};
}

typedef struct ArtCtx {
    int (*fn)(void *ctx, const rasd_article *a);
    void *ctx;
} ArtCtx;

static int on_article(void *p, const StoredArticle *a)
{
    ArtCtx *c = p;
    rasd_article x;
    article_of(a, &x);
    x.text = NULL; /* listing: the text is not part of the contract */
    return c->fn(c->ctx, &x);
}

RASD_API rasd_err rasd_engine_each_article(rasd_engine *e,
                                           int (*fn)(void *ctx, const rasd_article *a),
                                           void *ctx, rasd_error *err)
{
    if (!e || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_article: bad argument");
    ArtCtx c = {fn, ctx};
    return store_each_article(e->st, on_article, &c, err);
}

/* A public article and the stored one its strings point into. */
typedef struct ArticleBox {
    rasd_article a;      /* first: the public struct's address is the box's */
    StoredArticle st;
} ArticleBox;

RASD_API rasd_err rasd_engine_article(rasd_engine *e, const char *id, rasd_article **out,
                                      rasd_error *err)
{
    if (!e || !id || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_article: bad argument");
    ArticleBox *x = calloc(1, sizeof *x);
    if (!x)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err rc = store_get_article(e->st, id, &x->st, err);
    if (rc != RASD_OK) {
        free(x);
        return rc;
    }
    article_of(&x->st, &x->a);
    *out = &x->a;
    return RASD_OK;
}

RASD_API void rasd_article_free(rasd_article *a)
{
    if (!a)
        return;
    ArticleBox *x = (ArticleBox *)a;
    store_article_free(&x->st);
    free(x);
}

/* ---- stories ---- */

static rasd_group group_of(const StoredStory *s)
{
    return (rasd_group){s->id, s->thread, s->first, s->last, s->events, s->articles, s->outlets,
                        s->headline};
}

typedef struct RowCtx {
    int (*fn)(void *ctx, const rasd_story_row *r);
    void *ctx;
} RowCtx;

static int on_row(void *p, const StoryArticle *r)
{
    RowCtx *c = p;
    rasd_story_row x = {group_of(&r->thread), group_of(&r->event), r->article, r->hash,
                        r->outlet, r->title, r->published, r->agency, r->url, r->copy_of,
                        r->score};
    return c->fn(c->ctx, &x);
}

RASD_API rasd_err rasd_engine_each_story_row(rasd_engine *e, const char *since, int64_t which,
                                             int (*fn)(void *ctx, const rasd_story_row *r),
                                             void *ctx, rasd_error *err)
{
    if (!e || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_story_row: bad argument");
    RowCtx c = {fn, ctx};
    return store_each_story_article(e->st, since, which, on_row, &c, err);
}

RASD_API rasd_err rasd_engine_regroup(rasd_engine *e, int window_days, rasd_group_stats *stats,
                                      rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_regroup", err);
    if (w != RASD_OK)
        return w;
    AssignOpts ao;
    api_assign_opts(window_days, &ao);
    StoriesStats ss;
    memset(&ss, 0, sizeof ss);
    rasd_err rc = store_lock_assign(e->st, err); /* one writer of stories at a time */
    if (rc == RASD_OK)
        rc = store_begin(e->st, err);
    if (rc == RASD_OK)
        rc = store_clear_stories(e->st, err);
    if (rc == RASD_OK)
        rc = store_commit(e->st, err);
    if (rc == RASD_OK)
        rc = stories_assign(e->st, &ao, &ss, err);
    if (rc == RASD_OK) /* the analyst's corrections (story/overrides.h) */
        rc = overrides_apply(e->st, NULL, err);
    store_unlock_assign(e->st);
    if (stats)
        *stats = (rasd_group_stats){ss.articles, ss.events, ss.multi, ss.threads};
    return rc;
}

/* ---- search and export ---- */

RASD_API rasd_err rasd_query_check(const char *query, rasd_error *err)
{
    if (!query)
        return rasd_fail(err, RASD_EINVAL, "rasd_query_check: no query");
    FtsQuery q = {0};
    rasd_err e = fts_parse_query(query, strlen(query), &q, err);
    fts_query_free(&q);
    return e;
}

/* The public hits and the store's result their strings point into. */
typedef struct HitsBox {
    rasd_hits h;         /* first: the public struct's address is the box's */
    FtsHits fts;
    rasd_hit *v;
} HitsBox;

RASD_API void rasd_hits_free(rasd_hits *h)
{
    if (!h)
        return;
    HitsBox *x = (HitsBox *)h;
    fts_hits_free(&x->fts);
    free(x->v);
    free(x);
}

RASD_API rasd_err rasd_engine_search(rasd_engine *e, const char *query,
                                     const rasd_search_opts *o, rasd_hits **out,
                                     rasd_error *err)
{
    if (!e || !query || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_search: bad argument");
    FtsQuery q = {0};
    rasd_err rc = fts_parse_query(query, strlen(query), &q, err);
    if (rc != RASD_OK)
        return rc;
    FtsOptions fo = {0};
    if (o) {
        fo.since = o->since;
        fo.until = o->until;
        fo.outlet = o->outlet;
        fo.entity = o->entity;
        fo.story = o->story;
        fo.limit = o->limit;
        fo.offset = o->offset;
        fo.mark_open = o->mark_open;
        fo.mark_close = o->mark_close;
        fo.all_terms = o->all_terms;
    }
    HitsBox *x = calloc(1, sizeof *x);
    if (!x) {
        fts_query_free(&q);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    rc = fts_search(e->st, &q, &fo, &x->fts, err);
    fts_query_free(&q);
    if (rc == RASD_OK && !(x->v = calloc(x->fts.n ? x->fts.n : 1, sizeof *x->v)))
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (rc != RASD_OK) {
        rasd_hits_free(&x->h);
        return rc;
    }
    for (size_t i = 0; i < x->fts.n; i++) {
        const FtsHit *h = &x->fts.v[i];
        x->v[i] = (rasd_hit){h->id, h->hash, h->url, h->outlet, h->published, h->title,
                             h->snippet, h->story, h->score, h->all_terms};
    }
    x->h = (rasd_hits){x->v, x->fts.n, x->fts.expr};
    *out = &x->h;
    return RASD_OK;
}

RASD_API rasd_err rasd_engine_reindex(rasd_engine *e, size_t *articles, rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_reindex", err);
    if (w != RASD_OK)
        return w;
    rasd_err rc = fts_reindex(e->st, err);
    if (rc == RASD_OK && articles)
        *articles = store_count_articles(e->st);
    return rc;
}

typedef struct RowIds {
    int64_t *v;
    size_t n, cap;
    int oom;
} RowIds;

static int on_story_row(void *ctx, const StoryArticle *r)
{
    RowIds *s = ctx;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        int64_t *nv = realloc(s->v, nc * sizeof *nv);
        if (!nv) {
            s->oom = 1;
            return 1;
        }
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = r->article;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

RASD_API rasd_err rasd_engine_story_rows(rasd_engine *e, int64_t story, int64_t **rows,
                                         size_t *n, rasd_error *err)
{
    if (!e || !rows || !n || story <= 0)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_story_rows: bad argument");
    RowIds s = {0};
    rasd_err rc = store_each_story_article(e->st, NULL, story, on_story_row, &s, err);
    if (rc == RASD_OK && s.oom)
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (rc == RASD_OK && !s.n)
        rc = rasd_fail(err, RASD_ENOTFOUND, "no story %lld (see `rasd stories`)",
                       (long long)story);
    if (rc != RASD_OK) {
        free(s.v);
        return rc;
    }
    qsort(s.v, s.n, sizeof *s.v, cmp_i64);
    *rows = s.v;
    *n = s.n;
    return RASD_OK;
}

typedef struct ExpCtx {
    int (*fn)(void *ctx, const rasd_article *a, int64_t story);
    void *ctx;
} ExpCtx;

static int on_export(void *p, const FtsArticle *a)
{
    ExpCtx *c = p;
    rasd_article x = {a->id, a->hash, a->title, a->outlet, NULL, a->published, a->url, NULL,
                      NULL, a->body, 0, 0, 0};
    return c->fn(c->ctx, &x, a->story);
}

RASD_API rasd_err rasd_engine_each_article_row(rasd_engine *e, const int64_t *rows, size_t n,
                                               int (*fn)(void *ctx, const rasd_article *a,
                                                         int64_t story),
                                               void *ctx, rasd_error *err)
{
    if (!e || !fn || (!rows && n))
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_article_row: bad argument");
    ExpCtx c = {fn, ctx};
    return fts_each_article(e->st, rows, n, on_export, &c, err);
}
