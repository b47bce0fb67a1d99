/*
 * sqlite_views.c — the SQLite store's engine results (annotations,
 * sightings, the story cache; schema 6), analyst corrections and outlet
 * names (schema 9), and the story list the server reads. Split from sqlite.c.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_impl.h"
#include "fts.h"
#include "../util/util.h"

/* ---- the engine's stored results (schema version 6) ---- */

rasd_err sq_put_annotations(Store *st_, int64_t article, const void *blob, size_t n,
                               rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    /* run_once binds ?1 and ?2 as integers and the blob as ?3 */
    return sq_run_once(s, "INSERT OR REPLACE INTO annotations(article, blob) VALUES (?1, ?3)",
                    article, 0, blob, n, 0, "store annotations", err);
}

rasd_err sq_get_annotated(Store *st_, int64_t article,
                             int (*fn)(void *ctx, const char *body, size_t len, const void *blob,
                                       size_t n),
                             void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s,
                "SELECT a.body, n.blob FROM articles a LEFT JOIN annotations n"
                " ON n.article = a.id WHERE a.id = ?1",
                &st) != SQLITE_OK)
        return sq_db_fail(s, err, "read annotations");
    sqlite3_bind_int64(st, 1, article);
    rasd_err e = RASD_OK;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = rc == SQLITE_DONE ? rasd_fail(err, RASD_ENOTFOUND, "no article %lld", (long long)article)
                              : sq_db_fail(s, err, "read annotations");
    } else if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
        e = rasd_fail(err, RASD_ENOTFOUND,
                      "article %lld has no stored annotations (run `rasd ingest --reannotate`)",
                      (long long)article);
    } else {
        const char *body = (const char *)sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        const void *blob = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        fn(ctx, body ? body : "", len, blob, n);
    }
    sq_finish(s, st);
    return e;
}

rasd_err sq_each_unannotated(Store *st_, int (*fn)(void *ctx, int64_t id), void *ctx,
                                rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM"
                           " annotations) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list unannotated articles");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0)))
            break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "list articles");
}

rasd_err sq_each_stale_annotation(Store *st_, const void *header, size_t n,
                                         int (*fn)(void *ctx, int64_t id), void *ctx,
                                         rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM"
                           " annotations WHERE substr(blob, 1, ?2) = ?1) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list stale annotations");
    sqlite3_bind_blob(st, 1, header, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)n);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0)))
            break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "list articles");
}

rasd_err sq_each_story_from(Store *st_, int64_t first, const char *since,
                                   int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                             int64_t thread, int64_t thread_events),
                                   void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT DISTINCT e.id, e.articles, t.id, t.events FROM article_event ae"
                           " JOIN events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                           " JOIN articles a ON a.id = ae.article"
                           " WHERE ae.article >= ?1 OR a.published >= ?2 ORDER BY t.id, e.id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list the stories of new articles");
    sqlite3_bind_int64(st, 1, first);
    if (since)
        sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)))
            break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK
                                                 : sq_db_fail(s, err, "list the stories of new articles");
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

rasd_err sq_add_sighting(Store *st_, int64_t article, const char *outlet, const char *url,
                            const char *published, const char *origin, int *added,
                            rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    /* UNIQUE treats NULLs as distinct: compare with IS instead */
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO sightings(article, outlet, url, published, origin, seen)"
                           " SELECT ?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                           " WHERE NOT EXISTS (SELECT 1 FROM sightings WHERE article = ?1 AND"
                           " outlet IS ?2 AND url IS ?3)"
                           " AND NOT EXISTS (SELECT 1 FROM articles WHERE id = ?1 AND"
                           " outlet IS ?2 AND url IS ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "store sighting");
    sqlite3_bind_int64(st, 1, article);
    bind_text_or_null(st, 2, outlet);
    bind_text_or_null(st, 3, url);
    bind_text_or_null(st, 4, published);
    bind_text_or_null(st, 5, origin);
    int rc = sqlite3_step(st);
    if (added)
        *added = rc == SQLITE_DONE && sqlite3_changes(s->db) > 0;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "store sighting");
}

rasd_err sq_each_sighting(Store *st_, int64_t article,
                             int (*fn)(void *ctx, const StoredSighting *x), void *ctx,
                             rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT article, outlet, url, published, origin FROM sightings"
                           " WHERE ?1 = 0 OR article = ?1 ORDER BY article, published, id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "read sightings");
    sqlite3_bind_int64(st, 1, article);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoredSighting x = {sqlite3_column_int64(st, 0),
                            (const char *)sqlite3_column_text(st, 1),
                            (const char *)sqlite3_column_text(st, 2),
                            (const char *)sqlite3_column_text(st, 3),
                            (const char *)sqlite3_column_text(st, 4)};
        if (fn(ctx, &x))
            break;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "read sightings");
}

rasd_err sq_get_cache(Store *st_, const char *kind, int64_t id, int64_t sig, Buf *out,
                         int *found, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    *found = 0;
    if (sq_prep(s, "SELECT body FROM story_cache WHERE kind = ?1 AND id = ?2 AND sig = ?3",
                &st) != SQLITE_OK)
        return sq_db_fail(s, err, "read story cache");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, sig);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        buf_append(out, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        *found = 1;
    }
    sq_finish(s, st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "read story cache");
}

rasd_err sq_put_cache(Store *st_, const char *kind, int64_t id, int64_t sig, const char *body,
                         size_t n, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s, "INSERT OR REPLACE INTO story_cache(kind, id, sig, body) VALUES (?1, ?2, ?3, ?4)",
                &st) != SQLITE_OK)
        return sq_db_fail(s, err, "store story cache");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int64(st, 3, sig);
    sqlite3_bind_text(st, 4, body, (int)n, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sq_finish(s, st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "store story cache");
}

/* ---- analyst corrections and outlet names (schema version 9) ---- */

static void bind_text_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

rasd_err sq_add_override(Store *st_, const StoredOverride *o, int64_t *id, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO overrides(kind, a, b, anchor_a, anchor_b, note, at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "save correction");
    bind_text_opt(st, 1, o->kind);
    bind_text_opt(st, 2, o->a);
    bind_text_opt(st, 3, o->b);
    bind_text_opt(st, 4, o->anchor_a);
    bind_text_opt(st, 5, o->anchor_b);
    bind_text_opt(st, 6, o->note);
    bind_text_opt(st, 7, o->at);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_db_fail(s, err, "save correction");
    *id = sqlite3_last_insert_rowid(s->db);
    return RASD_OK;
}

rasd_err sq_each_override(Store *st_, int (*fn)(void *ctx, const StoredOverride *o),
                                 void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, kind, a, b, anchor_a, anchor_b, note, at FROM overrides"
                           " ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "read corrections");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoredOverride o = {sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                            (const char *)sqlite3_column_text(st, 2),
                            (const char *)sqlite3_column_text(st, 3),
                            (const char *)sqlite3_column_text(st, 4),
                            (const char *)sqlite3_column_text(st, 5),
                            (const char *)sqlite3_column_text(st, 6),
                            (const char *)sqlite3_column_text(st, 7)};
        if (fn(ctx, &o)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "read corrections");
}

rasd_err sq_delete_override(Store *st_, int64_t id, int *found, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    rasd_err e = sq_run_once(s, "DELETE FROM overrides WHERE id = ?1", id, 0, NULL, 0, 0,
                          "remove correction", err);
    *found = e == RASD_OK && sqlite3_changes(s->db) > 0;
    return e;
}

rasd_err sq_article_event(Store *st_, int64_t article, int64_t *event, int64_t *thread,
                                 rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    *event = *thread = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT e.id, e.thread FROM article_event ae JOIN events e ON"
                           " e.id = ae.event WHERE ae.article = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "article's event");
    sqlite3_bind_int64(st, 1, article);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *event = sqlite3_column_int64(st, 0);
        *thread = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "article's event");
}

rasd_err sq_set_article_event(Store *st_, int64_t article, int64_t event, rasd_error *err)
{
    return sq_run_once((SqStore *)st_, "UPDATE article_event SET event = ?2 WHERE article = ?1",
                    article, event, NULL, 0, 0, "move article", err);
}

rasd_err sq_set_headline(Store *st_, int64_t event, int64_t thread, const char *headline,
                                rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    size_t n = headline ? strlen(headline) : 0;
    rasd_err e = RASD_OK;
    if (event > 0)
        e = sq_run_once(s, "UPDATE events SET headline = ?3 WHERE id = ?1", event, 0, headline, n, 1,
                     "event headline", err);
    if (e == RASD_OK && thread > 0)
        e = sq_run_once(s, "UPDATE threads SET headline = ?3 WHERE id = ?1", thread, 0, headline, n,
                     1, "thread headline", err);
    return e;
}

rasd_err sq_totals(Store *st_, int64_t *articles, int64_t *threads, char *last, size_t cap,
                          rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM threads),"
                           " (SELECT ingested FROM articles WHERE id = (SELECT max(id) FROM"
                           " articles))",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "totals");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *articles = sqlite3_column_int64(st, 0);
        *threads = sqlite3_column_int64(st, 1);
        const char *l = (const char *)sqlite3_column_text(st, 2);
        snprintf(last, cap, "%s", l ? l : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RASD_OK : sq_db_fail(s, err, "totals");
}

#define SQ_THREAD_FILTER                                                                       \
    " WHERE (?1 IS NULL OR t.last >= ?1) AND (?2 IS NULL OR EXISTS (SELECT 1 FROM events e"  \
    " JOIN article_event ae ON ae.event = e.id JOIN articles a ON a.id = ae.article"          \
    " WHERE e.thread = t.id AND a.outlet = ?2))"

rasd_err sq_each_thread(Store *st_, const ThreadPage *q,
                               int (*fn)(void *ctx, const StoredStory *t), void *ctx,
                               int64_t *total, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    /* backward scans of the serve_threads_* indexes (undated threads last) */
    static const char *const sql[2] = {
        "SELECT t.id, t.headline, t.first, t.last, t.articles, t.events FROM threads t"
        SQ_THREAD_FILTER " ORDER BY t.last DESC, t.articles DESC, t.id DESC LIMIT ?3 OFFSET ?4",
        "SELECT t.id, t.headline, t.first, t.last, t.articles, t.events FROM threads t"
        SQ_THREAD_FILTER " ORDER BY t.articles DESC, t.last DESC, t.id DESC LIMIT ?3 OFFSET ?4",
    };
    sqlite3_stmt *st = NULL, *cnt = NULL;
    if (sqlite3_prepare_v2(s->db, sql[q->largest ? 1 : 0], -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT count(*) FROM threads t" SQ_THREAD_FILTER, -1, &cnt,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return sq_db_fail(s, err, "list threads");
    }
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *x = i ? cnt : st;
        sq_bind_opt_text(x, 1, q->since);
        sq_bind_opt_text(x, 2, q->outlet);
    }
    sqlite3_bind_int64(st, 3, q->limit);
    sqlite3_bind_int64(st, 4, q->offset);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        StoredStory t = {id, id, (const char *)sqlite3_column_text(st, 2),
                         (const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 5),
                         sqlite3_column_int64(st, 4), 0, (const char *)sqlite3_column_text(st, 1),
                         NULL, 0};
        if (fn(ctx, &t)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc == SQLITE_DONE && total)
        rc = sqlite3_step(cnt) == SQLITE_ROW ? (*total = sqlite3_column_int64(cnt, 0), SQLITE_DONE)
                                             : SQLITE_ERROR;
    sqlite3_finalize(st);
    sqlite3_finalize(cnt);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "list threads");
}

rasd_err sq_each_outlet_count(Store *st_, int64_t thread,
                                     int (*fn)(void *ctx, const char *outlet, int64_t n),
                                     void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    const char *sql =
        thread > 0 ? "SELECT a.outlet, count(*) FROM events e JOIN article_event ae ON"
                     " ae.event = e.id JOIN articles a ON a.id = ae.article WHERE"
                     " e.thread = ?1 GROUP BY a.outlet ORDER BY 2 DESC, 1"
                   : "SELECT outlet, count(*) FROM articles GROUP BY outlet UNION ALL"
                     " SELECT name, 0 FROM outlet_names WHERE name NOT IN (SELECT outlet"
                     " FROM articles WHERE outlet IS NOT NULL) ORDER BY 2 DESC, 1";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "outlet counts");
    if (thread > 0)
        sqlite3_bind_int64(st, 1, thread);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "outlet counts");
}

rasd_err sq_set_outlet_name(Store *st_, const char *name, const char *display,
                                   rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           display ? "INSERT INTO outlet_names(name, display) VALUES (?1, ?2) ON"
                                     " CONFLICT(name) DO UPDATE SET display = excluded.display"
                                   : "DELETE FROM outlet_names WHERE name = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "save outlet name");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    if (display)
        sqlite3_bind_text(st, 2, display, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "save outlet name");
}

rasd_err sq_each_outlet_name(Store *st_, int (*fn)(void *ctx, const char *name,
                                                          const char *display),
                                    void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT name, display FROM outlet_names ORDER BY name", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "read outlet names");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "read outlet names");
}

