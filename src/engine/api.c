/*
 * api.c — the public engine API of include/rasd.h over the internal
 * stages: an engine is a store; ingesting is engine.c's pipeline followed by
 * grouping and the refresh of stored briefs; views are reads.
 */
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "engine/api_int.h"
#include "annotate/analyze.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "ingest/walk.h"
#include "story/brief.h"
#include "views/load.h"
#include "watch/atom.h"


RASD_API rasd_err rasd_engine_open(const char *location, int readonly, rasd_engine **out,
                                   rasd_error *err)
{
    if (!location || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_open: no location");
    rasd_engine *e = calloc(1, sizeof *e);
    if (!e)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err rc = store_open(location, readonly, &e->st, err);
    if (rc != RASD_OK) {
        free(e);
        return rc;
    }
    e->readonly = readonly;
    *out = e;
    return RASD_OK;
}

RASD_API void rasd_engine_close(rasd_engine *e)
{
    if (!e)
        return;
    store_close(e->st);
    api_outlets_free(e->outlets);
    free(e);
}

static void copy_stats(const IngestStats *s, rasd_ingest_stats *out)
{
    if (!out)
        return;
    out->files = s->files;
    out->files_failed = s->files_failed;
    out->articles = s->articles;
    out->added = s->added;
    out->duplicates = s->duplicates;
    out->near_copies = s->near_copies;
    out->skipped = s->skipped;
    out->item_errors = s->item_errors;
}

/* Grouping and refresh of the stories of the new articles (from row id
   first; 0: every story whose membership changed). */
static rasd_err update(rasd_engine *e, int64_t first, rasd_error *err)
{
    StoriesStats ss;
    int ran = 0;
    rasd_err rc = engine_assign(e->st, NULL, &ss, &ran, err);
    size_t refreshed = 0;
    if (rc == RASD_OK && ran)
        rc = first ? engine_refresh_from(e->st, first, NULL, NULL, NULL, &refreshed, err)
                   : engine_refresh(e->st, NULL, NULL, &refreshed, err);
    return rc;
}

RASD_API rasd_err rasd_engine_ingest_paths(rasd_engine *e, const char *const *paths, size_t n,
                                           rasd_ingest_stats *stats, rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_ingest_paths", err);
    if (w != RASD_OK)
        return w;
    if (!paths && n)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_ingest_paths: bad argument");
    IngestOptions io = {0};
    IngestStats s;
    rasd_err rc = engine_ingest_paths(e->st, &io, (char *const *)paths, n, &s, err);
    copy_stats(&s, stats);
    return rc == RASD_OK ? update(e, s.first_new, err) : rc;
}

RASD_API rasd_err rasd_engine_ingest_json(rasd_engine *e, const char *bytes, size_t len,
                                          const char *origin, rasd_ingest_stats *stats,
                                          rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_ingest_json", err);
    if (w != RASD_OK)
        return w;
    if (!bytes && len)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_ingest_json: bad argument");
    const char *name = origin ? origin : "memory";
    Batch b = {0};
    rasd_err rc = ingest_json(bytes ? bytes : "", len, name, &b, err);
    IngestStats s;
    memset(&s, 0, sizeof s);
    if (rc == RASD_OK) {
        IngestOptions io = {0};
        rc = engine_ingest_batch(e->st, &io, &b, name, &s, err);
    }
    batch_free(&b);
    copy_stats(&s, stats);
    return rc == RASD_OK ? update(e, s.first_new, err) : rc;
}

typedef struct ListCtx {
    int (*fn)(void *ctx, const rasd_story *s);
    void *ctx;
    int64_t last;        /* thread already reported (rows come per article) */
} ListCtx;

static int on_story_row(void *p, const StoryArticle *r)
{
    ListCtx *c = p;
    if (r->thread.id == c->last)
        return 0;
    c->last = r->thread.id;
    rasd_story s = {r->thread.id, r->thread.headline, r->thread.first, r->thread.last,
                    r->thread.events, r->thread.articles};
    return c->fn(c->ctx, &s);
}

RASD_API rasd_err rasd_engine_each_story(rasd_engine *e, const char *since,
                                         int (*fn)(void *ctx, const rasd_story *s), void *ctx,
                                         rasd_error *err)
{
    if (!e || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_story: bad argument");
    ListCtx c = {fn, ctx, 0};
    return store_each_story_article(e->st, since, 0, on_story_row, &c, err);
}

RASD_API rasd_err rasd_engine_each_entity(rasd_engine *e, const char *type, const char *text,
                                          int64_t min, size_t offset, size_t limit,
                                          int (*fn)(void *ctx, const rasd_entity *x), void *ctx,
                                          rasd_error *err)
{
    if (!e || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_entity: bad argument");
    EntityFilter f = {.type = type, .text = text, .min = min, .offset = offset, .limit = limit,
                      .adjectives = 1}; /* adjectives too: callers choose */
    return store_each_entity(e->st, &f, fn, ctx, err);
}

static rasd_err hand_out(Buf *b, char **json, size_t *len, rasd_error *err)
{
    buf_putc(b, '\0');
    if (b->oom) {
        buf_free(b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (len)
        *len = b->len - 1;
    *json = buf_steal(b);
    return RASD_OK;
}

/* ---- files read and analysed without a store ---- */

RASD_API rasd_err rasd_read_file(const char *path, size_t max_bytes,
                                 int (*fn)(void *ctx, const rasd_article *a),
                                 void (*on_error)(void *ctx, const char *msg), void *ctx,
                                 rasd_error *err)
{
    if (!path || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_read_file: bad argument");
    Batch b = {0};
    rasd_err rc = ingest_read_file(path, max_bytes, &b, err);
    for (size_t k = 0; on_error && k < b.nerrors; k++)
        on_error(ctx, b.errors[k]);
    for (size_t k = 0; k < b.n; k++) {
        const Article *a = &b.items[k];
        rasd_article x = {0,         NULL,      a->title, a->outlet,  a->agency,
                          a->published, a->url, a->author, a->origin, a->body,
                          a->parent >= 0 ? a->parent + 1 : 0, 0, 0};
        if (fn(ctx, &x))
            break;
    }
    batch_free(&b);
    return rc;
}

RASD_API rasd_err rasd_analyze_json(rasd_text *t, const rasd_article *a, char **json,
                                    size_t *len, rasd_error *err)
{
    if (!t || !a || !json)
        return rasd_fail(err, RASD_EINVAL, "rasd_analyze_json: bad argument");
    /* the reader's article: strings borrowed from a, never written */
    Article x = {(char *)a->title,  (char *)a->outlet, (char *)a->agency,
                 (char *)a->published, (char *)a->url, (char *)a->author,
                 (char *)(a->text ? a->text : ""), (char *)a->origin,
                 a->split_from ? (int)(a->split_from - 1) : -1};
    Buf b = {0};
    rasd_err rc = analyze_article(t, &x, &b, err);
    if (rc != RASD_OK) {
        buf_free(&b);
        return rc;
    }
    return hand_out(&b, json, len, err);
}

RASD_API rasd_err rasd_engine_brief_json(rasd_engine *e, int64_t story, int64_t event,
                                         char **json, size_t *len, rasd_error *err)
{
    if (!e || !json)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_brief_json: bad argument");
    Buf b = {0};
    rasd_err rc = brief_build(e->st, story, event, NULL, &b, err);
    if (rc != RASD_OK) {
        buf_free(&b);
        return rc;
    }
    return hand_out(&b, json, len, err);
}

RASD_API rasd_err rasd_engine_conflicts_json(rasd_engine *e, int64_t story, int64_t event,
                                             char **json, size_t *len, rasd_error *err)
{
    if (!e || !json)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_conflicts_json: bad argument");
    Buf b = {0};
    size_t n = 0;
    rasd_err rc = story_conflicts(e->st, story, event, &b, &n, err);
    if (rc != RASD_OK) {
        buf_free(&b);
        return rc;
    }
    return hand_out(&b, json, len, err);
}

RASD_API rasd_err rasd_engine_article_json(rasd_engine *e, const char *id, char **json,
                                           size_t *len, rasd_error *err)
{
    if (!e || !id || !json)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_article_json: bad argument");
    StoredArticle sa;
    rasd_err rc = store_get_article(e->st, id, &sa, err);
    if (rc != RASD_OK)
        return rc;
    Annotated an;
    rc = annot_load(e->st, sa.id, &an, err);
    Buf b = {0};
    if (rc == RASD_OK) {
        Article a = {sa.title, sa.outlet, sa.agency, sa.published, sa.url, sa.author,
                     sa.body, sa.origin, -1};
        analyze_write_json(&a, an.doc, &an.ents, &an.quotes, an.dates, an.ndates, an.id, &b);
        annotated_free(&an);
        rc = hand_out(&b, json, len, err);
    }
    store_article_free(&sa);
    return rc;
}

RASD_API void rasd_free(void *p) { free(p); }

/* ---- results as structs (views/) ---- */

RASD_API rasd_err rasd_engine_brief(rasd_engine *e, int64_t story, int64_t event,
                                    rasd_brief **out, rasd_error *err)
{
    if (!e || !out || (!story && !event))
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_brief: bad argument");
    return brief_get(e->st, story, event, NULL, out, err);
}

RASD_API rasd_err rasd_engine_conflicts(rasd_engine *e, int64_t story, int64_t event,
                                        rasd_conflict_set **out, rasd_error *err)
{
    if (!e || !out || (!story && !event))
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_conflicts: bad argument");
    return story_conflict_set(e->st, event ? 0 : story, event, out, err);
}

RASD_API rasd_err rasd_brief_render(const rasd_brief *r, int fmt, char **out, size_t *len,
                                    rasd_error *err)
{
    if (!r || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_brief_render: bad argument");
    Buf b = {0};
    rasd_err rc = RASD_OK;
    if (fmt == RASD_FMT_JSON)
        views_brief_json(r, &b);
    else
        rc = views_brief_render(r, fmt, &b, err);
    if (rc != RASD_OK) {
        buf_free(&b);
        return rc;
    }
    return hand_out(&b, out, len, err);
}

RASD_API rasd_err rasd_conflicts_render(const rasd_conflict_set *c, int fmt, char **out,
                                        size_t *len, rasd_error *err)
{
    if (!c || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_conflicts_render: bad argument");
    Buf b = {0};
    if (fmt == RASD_FMT_JSON)
        views_conflicts_json(c, &b);
    else
        views_conflicts_text(c, &b);
    return hand_out(&b, out, len, err);
}

RASD_API rasd_err rasd_timeline_render(const rasd_brief *r, int fmt, char **out, size_t *len,
                                       rasd_error *err)
{
    if (!r || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_timeline_render: bad argument");
    Buf b = {0};
    if (fmt == RASD_FMT_JSON)
        views_timeline_json(r, &b);
    else
        views_timeline_text(r, &b);
    return hand_out(&b, out, len, err);
}

static const char *shown_outlet(void *e, const char *outlet) { return rasd_outlet_name(e, outlet); }

RASD_API rasd_err rasd_engine_feed(rasd_engine *e, const rasd_feed_opts *o, rasd_buf *out,
                                   rasd_error *err)
{
    if (!e || !o || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_feed: bad argument");
    return atom_write(e->st, o, shown_outlet, e, out, err); /* outlets named as in the CLI */
}

/* ---- the public buffer (rasd_buf is the library's Buf) ---- */

RASD_API void rasd_buf_append(rasd_buf *b, const void *p, size_t n) { buf_append(b, p, n); }
RASD_API void rasd_buf_puts(rasd_buf *b, const char *s) { buf_puts(b, s); }
RASD_API void rasd_buf_putc(rasd_buf *b, char c) { buf_putc(b, c); }
RASD_API void rasd_buf_vprintf(rasd_buf *b, const char *fmt, va_list ap)
{
    buf_vprintf(b, fmt, ap);
}
RASD_API void rasd_buf_printf(rasd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}
RASD_API void rasd_buf_put_json_string(rasd_buf *b, const char *s, size_t n)
{
    buf_put_json_string(b, s, n);
}
RASD_API void rasd_buf_reset(rasd_buf *b) { buf_reset(b); }
RASD_API void rasd_buf_free(rasd_buf *b) { buf_free(b); }
RASD_API char *rasd_buf_steal(rasd_buf *b) { return buf_steal(b); }
RASD_API rasd_err rasd_buf_read_file(rasd_buf *b, const char *path, rasd_error *err)
{
    return buf_read_file(b, path, err);
}
