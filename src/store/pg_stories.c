/*
 * pg_stories.c — the PostgreSQL store's stories (vectors, threads, events,
 * incremental assignment, document frequencies) and the engine's stored
 * results (annotations, sightings, the story cache).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_impl.h"

/* ---- stories (schema version 3) ---- */

rasd_err pg_put_vec(Store *st_, int64_t article, const void *vec, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_blob(&p, vec, n);
    return pg_run(s, "INSERT INTO story_vec(article, vec) VALUES ($1::bigint, $2::bytea)"
                  " ON CONFLICT (article) DO UPDATE SET vec = excluded.vec",
               &p, 1, NULL, "store story vector", err);
}

typedef struct VecRows {
    int (*fn)(void *ctx, const StoredVec *v);
    void *ctx;
} VecRows;

static int vec_row(void *ctx, const PGresult *r, int i)
{
    VecRows *x = ctx;
    size_t n = 0;
    int oom = 0;
    unsigned char *b = gblob(r, i, 2, &n, &oom);
    if (oom)
        return PG_ROW_NOMEM;
    StoredVec v = {gi(r, i, 0), gv(r, i, 1), gv(r, i, 3), gv(r, i, 4),
                   b ? (const void *)b : "", n, gi(r, i, 5), gi(r, i, 6), gv(r, i, 7),
                   gv(r, i, 8)};
    int stop = x->fn(x->ctx, &v);
    if (b)
        PQfreemem(b);
    return stop ? PG_ROW_STOP : 0;
}

rasd_err pg_each_vec_from(Store *st_, const char *since,
                          int (*fn)(void *ctx, const StoredVec *v), void *ctx,
                          rasd_error *err)
{
    Params p = {0};
    p_text(&p, since);
    VecRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_,
                       "SELECT a.id, a.published, v.vec, a.outlet, a.title, ae.event, e.thread,"
                       " a.hash, e.headline FROM story_vec v JOIN articles a ON a.id = v.article"
                       " LEFT JOIN article_event ae ON ae.article = a.id"
                       " LEFT JOIN events e ON e.id = ae.event"
                       " WHERE $1::text IS NULL OR a.published IS NULL OR a.published >= $1::text"
                       " ORDER BY coalesce(a.published, a.ingested), a.id",
                       &p, 1, "list story vectors", vec_row, &x, err);
}

rasd_err pg_clear_stories(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_,
                    "DELETE FROM article_event; DELETE FROM events; DELETE FROM threads;"
                    " DELETE FROM story_checkpoint;",
                    "clear stories", err);
}

/* ---- grouping checkpoint (schema version 14) ---- */

rasd_err pg_get_story_checkpoint(Store *st_, Buf *out, int *found, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    Params p = {0};
    rasd_err e = pg_run(s, "SELECT data FROM story_checkpoint WHERE id = 1", &p, 1, &r,
                        "read the grouping checkpoint", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) == 1) {
        size_t n = 0;
        int oom = 0;
        unsigned char *b = gblob(r, 0, 0, &n, &oom);
        if (b)
            buf_append(out, b, n);
        if (b)
            PQfreemem(b);
        if (oom || out->oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory reading the grouping checkpoint");
        *found = e == RASD_OK;
    }
    PQclear(r);
    return e;
}

rasd_err pg_put_story_checkpoint(Store *st_, const void *data, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_blob(&p, data, n);
    return pg_run(s, "INSERT INTO story_checkpoint(id, data) VALUES (1, $1::bytea)"
                     " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                  &p, 1, NULL, "store the grouping checkpoint", err);
}

rasd_err pg_put_thread(Store *st_, const StoredStory *t, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, t->id);
    p_text(&p, t->first);
    p_text(&p, t->last);
    p_i64(&p, t->events);
    p_i64(&p, t->articles);
    p_text(&p, t->headline);
    if (t->profile)
        p_blob(&p, t->profile, t->profile_len);
    else
        p_text(&p, NULL);
    return pg_run(s, "INSERT INTO threads(id, first, last, events, articles, headline, profile)"
                  " VALUES ($1::bigint, $2::text, $3::text, $4::bigint, $5::bigint, $6::text,"
                  " $7::bytea) ON CONFLICT (id) DO UPDATE SET first = excluded.first,"
                  " last = excluded.last, events = excluded.events, articles = excluded.articles,"
                  " headline = excluded.headline, profile = excluded.profile",
               &p, 1, NULL, "insert thread", err);
}

rasd_err pg_put_event(Store *st_, const StoredStory *ev, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, ev->id);
    p_i64(&p, ev->thread);
    p_text(&p, ev->first);
    p_text(&p, ev->last);
    p_i64(&p, ev->articles);
    p_i64(&p, ev->outlets);
    p_text(&p, ev->headline);
    return pg_run(s, "INSERT INTO events(id, thread, first, last, articles, outlets, headline)"
                  " VALUES ($1::bigint, $2::bigint, $3::text, $4::text, $5::bigint, $6::bigint,"
                  " $7::text)",
               &p, 1, NULL, "insert event", err);
}

rasd_err pg_put_article_event(Store *st_, int64_t article, int64_t event, double score,
                              rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_i64(&p, event);
    p_f64(&p, score);
    return pg_run(s, "INSERT INTO article_event(article, event, score) VALUES ($1::bigint,"
                  " $2::bigint, $3::float8)",
               &p, 1, NULL, "insert article event", err);
}

typedef struct StoryRows {
    int (*fn)(void *ctx, const StoryArticle *r);
    void *ctx;
} StoryRows;

static int story_row(void *ctx, const PGresult *r, int i)
{
    StoryRows *sr = ctx;
    StoryArticle x;
    x.thread.id = gi(r, i, 0);
    x.thread.thread = x.thread.id;
    x.thread.first = gv(r, i, 1);
    x.thread.last = gv(r, i, 2);
    x.thread.events = gi(r, i, 3);
    x.thread.articles = gi(r, i, 4);
    x.thread.outlets = 0;
    x.thread.headline = gv(r, i, 5);
    x.thread.profile = NULL;
    x.thread.profile_len = 0;
    x.event.id = gi(r, i, 6);
    x.event.thread = x.thread.id;
    x.event.first = gv(r, i, 7);
    x.event.last = gv(r, i, 8);
    x.event.events = 1;
    x.event.articles = gi(r, i, 9);
    x.event.outlets = gi(r, i, 10);
    x.event.headline = gv(r, i, 11);
    x.event.profile = NULL;
    x.event.profile_len = 0;
    x.article = gi(r, i, 12);
    x.hash = gv(r, i, 13);
    x.outlet = gv(r, i, 14);
    x.title = gv(r, i, 15);
    x.published = gv(r, i, 16);
    x.score = gf(r, i, 17);
    x.agency = gv(r, i, 18);
    x.copy_of = gi(r, i, 19);
    x.url = gv(r, i, 20);
    return sr->fn(sr->ctx, &x) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_story_article(Store *st_, const char *since, int64_t thread,
                               int (*fn)(void *ctx, const StoryArticle *r), void *ctx,
                               rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    static const char *const sql[3] = {
#define SA_SELECT                                                                               \
    "SELECT t.id, t.first, t.last, t.events, t.articles, t.headline,"                          \
    "  e.id, e.first, e.last, e.articles, e.outlets, e.headline,"                              \
    "  a.id, a.hash, a.outlet, a.title, a.published, ae.score, a.agency, a.copy_of,"           \
    "  a.url FROM article_event ae JOIN events e ON e.id = ae.event"                           \
    " JOIN threads t ON t.id = e.thread JOIN articles a ON a.id = ae.article"
#define SA_ORDER                                                                                \
    " ORDER BY t.articles DESC, t.id, e.first NULLS LAST, e.id,"                               \
    " coalesce(a.published, a.ingested), a.id"
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND t.id = $2::bigint" SA_ORDER,
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND ae.event = -$2::bigint"
                  SA_ORDER,
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND $2::bigint = 0" SA_ORDER,
#undef SA_SELECT
#undef SA_ORDER
    };
    Params p = {0};
    p_text(&p, since);
    p_i64(&p, thread);
    StoryRows x = {fn, ctx};
    /* every story is paged; one thread's or event's articles are few */
    return pg_each_row(s, sql[thread > 0 ? 0 : thread < 0 ? 1 : 2], &p, thread == 0,
                       "list stories", story_row, &x, err);
}

/* ---- incremental assignment (schema version 4) ---- */

/* The first column of the first row as text into out; *found 0 when no row or NULL. */
static rasd_err one_text(PgStore *s, const char *sql, char *out, size_t size, int *found,
                         rasd_error *err)
{
    PGresult *r = NULL;
    *found = 0;
    rasd_err e = pg_run(s, sql, NULL, 1, &r, "story query", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
        *found = 1;
    }
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_unassigned_from(Store *st_, char *out, size_t size, int *found, rasd_error *err)
{
    return one_text((PgStore *)st_,
                    "SELECT min(coalesce(a.published, a.ingested)) FROM articles a"
                    " JOIN story_vec v ON v.article = a.id"
                    " LEFT JOIN article_event ae ON ae.article = a.id WHERE ae.article IS NULL",
                    out, size, found, err);
}

rasd_err pg_has_events(Store *st_, int *yes, rasd_error *err)
{
    char buf[8];
    return one_text((PgStore *)st_, "SELECT 'y' FROM events LIMIT 1", buf, sizeof buf, yes, err);
}

rasd_err pg_story_max_ids(Store *st_, int64_t *event, int64_t *thread, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT coalesce((SELECT max(id) FROM events), 0),"
                        " coalesce((SELECT max(id) FROM threads), 0)",
                     NULL, 1, &r, "story ids", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) == 1) {
        *event = gi(r, 0, 0);
        *thread = gi(r, 0, 1);
    }
    PQclear(r);
    return RASD_OK;
}

typedef struct ProfileRows {
    int (*fn)(void *ctx, int64_t id, const char *last, const void *profile, size_t n);
    void *ctx;
} ProfileRows;

static int profile_row(void *ctx, const PGresult *r, int i)
{
    ProfileRows *x = ctx;
    size_t n = 0;
    int oom = 0;
    unsigned char *b = gblob(r, i, 2, &n, &oom);
    if (oom)
        return PG_ROW_NOMEM;
    int stop = x->fn(x->ctx, gi(r, i, 0), gv(r, i, 1), b ? (const void *)b : "", n);
    if (b)
        PQfreemem(b);
    return stop ? PG_ROW_STOP : 0;
}

rasd_err pg_each_thread_profile(Store *st_, const char *since,
                                int (*fn)(void *ctx, int64_t id, const char *last,
                                          const void *profile, size_t n),
                                void *ctx, rasd_error *err)
{
    Params p = {0};
    p_text(&p, since);
    ProfileRows x = {fn, ctx};
    /* like SQLite's "last >= NULL", a NULL since matches only undated threads */
    return pg_each_row((PgStore *)st_,
                       "SELECT id, last, profile FROM threads WHERE profile IS NOT NULL"
                       " AND (last IS NULL OR last >= $1::text) ORDER BY id",
                       &p, 1, "list thread profiles", profile_row, &x, err);
}

rasd_err pg_set_thread_profile(Store *st_, int64_t id, const void *profile, size_t n,
                               rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    p_blob(&p, profile, n);
    return pg_run(s, "UPDATE threads SET profile = $2::bytea WHERE id = $1::bigint", &p, 1, NULL,
               "thread profile", err);
}

rasd_err pg_drop_event(Store *st_, int64_t id, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    rasd_err e = pg_run(s, "DELETE FROM article_event WHERE event = $1::bigint", &p, 1, NULL,
                        "drop event", err);
    return e != RASD_OK ? e
                        : pg_run(s, "DELETE FROM events WHERE id = $1::bigint", &p, 1, NULL,
                                 "drop event", err);
}

rasd_err pg_merge_event(Store *st_, int64_t keep, int64_t gone, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, keep);
    p_i64(&p, gone);
    rasd_err e = pg_run(s, "UPDATE article_event SET event = $1::bigint WHERE event = $2::bigint", &p,
                     1, NULL, "merge events", err);
    if (e != RASD_OK)
        return e;
    Params q = {0};
    p_i64(&q, gone);
    return pg_run(s, "DELETE FROM events WHERE id = $1::bigint", &q, 1, NULL, "merge events", err);
}

rasd_err pg_set_event_thread(Store *st_, int64_t event, int64_t thread, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, event);
    p_i64(&p, thread);
    return pg_run(s, "UPDATE events SET thread = $2::bigint WHERE id = $1::bigint", &p, 1, NULL,
               "event thread", err);
}

rasd_err pg_refresh_events_from(Store *st_, const char *day, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, day);
    return pg_run(s,
               "UPDATE events SET"
               " articles = (SELECT count(*) FROM article_event ae WHERE ae.event = events.id),"
               " outlets = (SELECT count(DISTINCT a.outlet) FROM article_event ae JOIN articles a"
               "            ON a.id = ae.article WHERE ae.event = events.id),"
               " first = (SELECT min(substr(a.published, 1, 10)) FROM article_event ae"
               "          JOIN articles a ON a.id = ae.article WHERE ae.event = events.id),"
               " last = (SELECT max(substr(a.published, 1, 10)) FROM article_event ae"
               "         JOIN articles a ON a.id = ae.article WHERE ae.event = events.id)"
               " WHERE id IN (SELECT ae.event FROM article_event ae JOIN articles a"
               "              ON a.id = ae.article"
               "              WHERE a.published IS NULL OR a.published >= $1::text)",
               &p, 1, NULL, "refresh events", err);
}

/* Every thread's counts and dates from its events: one aggregate over
   events, and only the threads whose figures changed are written (a whole
   recount rewrote every thread row, and its two serve indexes, per batch) */
rasd_err pg_refresh_threads(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_,
                    "DELETE FROM threads WHERE id NOT IN (SELECT thread FROM events);"
                    "UPDATE threads t SET events = x.n, articles = x.a, first = x.f, last = x.l"
                    " FROM (SELECT thread, count(*) n, coalesce(sum(articles), 0) a,"
                    "       min(first) f, max(last) l FROM events GROUP BY thread) x"
                    " WHERE x.thread = t.id AND (t.events, t.articles, t.first, t.last)"
                    "  IS DISTINCT FROM (x.n, x.a, x.f, x.l);",
                    "refresh threads", err);
}

/* ---- stored document frequencies (schema version 5) ---- */

typedef struct DfRows {
    int (*fn)(void *ctx, uint64_t id, uint32_t n);
    void *ctx;
} DfRows;

static int df_row(void *ctx, const PGresult *r, int i)
{
    DfRows *x = ctx;
    return x->fn(x->ctx, (uint64_t)gi(r, i, 0), (uint32_t)gi(r, i, 1)) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_df(Store *st_, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
                    rasd_error *err)
{
    DfRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_, "SELECT id, n FROM story_df", NULL, 1,
                       "read document frequencies", df_row, &x, err);
}

rasd_err pg_add_df(Store *st_, uint64_t id, uint32_t n, int replace, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, (int64_t)id);
    p_i64(&p, n);
    return pg_run(s, replace ? "INSERT INTO story_df(id, n) VALUES ($1::bigint, $2::bigint)"
                            " ON CONFLICT (id) DO UPDATE SET n = excluded.n"
                          : "INSERT INTO story_df(id, n) VALUES ($1::bigint, $2::bigint)"
                            " ON CONFLICT (id) DO UPDATE SET n = story_df.n + excluded.n",
               &p, 1, NULL, "store document frequency", err);
}

rasd_err pg_clear_df(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_, "DELETE FROM story_df", "clear document frequencies", err);
}

/* ---- the engine's stored results (schema version 6) ---- */

rasd_err pg_put_annotations(Store *st_, int64_t article, const void *blob, size_t n,
                            rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_blob(&p, blob, n);
    return pg_run(s, "INSERT INTO annotations(article, blob) VALUES ($1::bigint, $2::bytea)"
                  " ON CONFLICT (article) DO UPDATE SET blob = excluded.blob",
               &p, 1, NULL, "store annotations", err);
}

rasd_err pg_get_annotated(Store *st_, int64_t article,
                          int (*fn)(void *ctx, const char *body, size_t len,
                                    const void *blob, size_t n),
                          void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT a.body, n.blob FROM articles a LEFT JOIN annotations n"
                        " ON n.article = a.id WHERE a.id = $1::bigint",
                     &p, 1, &r, "read annotations", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) < 1) {
        e = rasd_fail(err, RASD_ENOTFOUND, "no article %lld", (long long)article);
    } else if (PQgetisnull(r, 0, 1)) {
        e = rasd_fail(err, RASD_ENOTFOUND,
                      "article %lld has no stored annotations (run `rasd ingest --reannotate`)",
                      (long long)article);
    } else {
        size_t n = 0;
        int oom = 0;
        unsigned char *b = gblob(r, 0, 1, &n, &oom);
        if (oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        } else {
            const char *body = gv(r, 0, 0);
            fn(ctx, body ? body : "", (size_t)PQgetlength(r, 0, 0), b ? (const void *)b : "", n);
        }
        if (b)
            PQfreemem(b);
    }
    PQclear(r);
    return e;
}

typedef struct IdRows {
    int (*fn)(void *ctx, int64_t id);
    void *ctx;
} IdRows;

static int id_row(void *ctx, const PGresult *r, int i)
{
    IdRows *x = ctx;
    return x->fn(x->ctx, gi(r, i, 0)) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_unannotated(Store *st_, int (*fn)(void *ctx, int64_t id), void *ctx,
                             rasd_error *err)
{
    IdRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_,
                       "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM annotations n"
                       " WHERE n.article = a.id) ORDER BY id",
                       NULL, 1, "list unannotated articles", id_row, &x, err);
}

rasd_err pg_add_sighting(Store *st_, int64_t article, const char *outlet, const char *url,
                         const char *published, const char *origin, int *added,
                         rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_text(&p, outlet);
    p_text(&p, url);
    p_text(&p, published);
    p_text(&p, origin);
    PGresult *r = NULL;
    /* UNIQUE treats NULLs as distinct: compare with IS NOT DISTINCT FROM */
    rasd_err e = pg_run(s,
                     "INSERT INTO sightings(article, outlet, url, published, origin, seen)"
                     " SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, " NOW
                     " WHERE NOT EXISTS (SELECT 1 FROM sightings WHERE article = $1::bigint AND"
                     " outlet IS NOT DISTINCT FROM $2::text AND url IS NOT DISTINCT FROM $3::text)"
                     " AND NOT EXISTS (SELECT 1 FROM articles WHERE id = $1::bigint AND"
                     " outlet IS NOT DISTINCT FROM $2::text AND url IS NOT DISTINCT FROM $3::text)"
                     " ON CONFLICT DO NOTHING",
                     &p, 1, &r, "store sighting", err);
    if (e != RASD_OK)
        return e;
    if (added)
        *added = atoi(PQcmdTuples(r)) > 0;
    PQclear(r);
    return RASD_OK;
}

typedef struct SightingRows {
    int (*fn)(void *ctx, const StoredSighting *x);
    void *ctx;
} SightingRows;

static int sighting_row(void *ctx, const PGresult *r, int i)
{
    SightingRows *x = ctx;
    StoredSighting w = {gi(r, i, 0), gv(r, i, 1), gv(r, i, 2), gv(r, i, 3), gv(r, i, 4)};
    return x->fn(x->ctx, &w) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_sighting(Store *st_, int64_t article,
                          int (*fn)(void *ctx, const StoredSighting *x), void *ctx,
                          rasd_error *err)
{
    Params p = {0};
    p_i64(&p, article);
    SightingRows x = {fn, ctx};
    /* all sightings are paged; one article's are few */
    return pg_each_row((PgStore *)st_,
                       "SELECT article, outlet, url, published, origin FROM sightings"
                       " WHERE $1::bigint = 0 OR article = $1::bigint"
                       " ORDER BY article, published NULLS FIRST, id",
                       &p, article == 0, "read sightings", sighting_row, &x, err);
}

rasd_err pg_get_cache(Store *st_, const char *kind, int64_t id, int64_t sig, Buf *out,
                      int *found, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    *found = 0;
    p_text(&p, kind);
    p_i64(&p, id);
    p_i64(&p, sig);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT body FROM story_cache WHERE kind = $1::text AND id = $2::bigint"
                        " AND sig = $3::bigint",
                     &p, 1, &r, "read story cache", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) > 0) {
        buf_append(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
        *found = 1;
    }
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_put_cache(Store *st_, const char *kind, int64_t id, int64_t sig,
                      const char *body, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, kind);
    p_i64(&p, id);
    p_i64(&p, sig);
    p_textn(&p, body, n);
    return pg_run(s, "INSERT INTO story_cache(kind, id, sig, body) VALUES ($1::text, $2::bigint,"
                  " $3::bigint, $4::text) ON CONFLICT (kind, id) DO UPDATE SET sig = excluded.sig,"
                  " body = excluded.body",
               &p, 1, NULL, "store story cache", err);
}

