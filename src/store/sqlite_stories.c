/*
 * sqlite_stories.c — the SQLite store's story tables: stored story vectors,
 * events, threads and their profiles, incremental assignment, document
 * frequencies (schema versions 3–5). Split from sqlite.c.
 */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_impl.h"
#include "fts.h"
#include "../util/util.h"

/* ---- stories (schema version 3) ---- */

rasd_err sq_put_vec(Store *st_, int64_t article, const void *vec, size_t n, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_VEC);
    if (!st)
        return sq_db_fail(s, err, "prepare story vector");
    sqlite3_bind_int64(st, 1, article);
    sqlite3_bind_blob(st, 2, vec, (int)n, SQLITE_STATIC);
    return sq_step_done(s, st, "store story vector", err);
}

rasd_err sq_each_vec_from(Store *st_, const char *since,
                             int (*fn)(void *ctx, const StoredVec *v), void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    /* publication order; undated articles by when they were stored */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT a.id, a.published, v.vec, a.outlet, a.title, ae.event, e.thread,"
                           " a.hash, e.headline FROM story_vec v JOIN articles a"
                           " ON a.id = v.article LEFT JOIN article_event ae ON ae.article = a.id"
                           " LEFT JOIN events e ON e.id = ae.event"
                           " WHERE ?1 IS NULL OR a.published IS NULL OR a.published >= ?1"
                           " ORDER BY coalesce(a.published, a.ingested), a.id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list story vectors");
    if (since)
        sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoredVec v;
        v.article = sqlite3_column_int64(st, 0);
        v.published = (const char *)sqlite3_column_text(st, 1);
        v.vec = sqlite3_column_blob(st, 2);
        v.n = (size_t)sqlite3_column_bytes(st, 2);
        v.outlet = (const char *)sqlite3_column_text(st, 3);
        v.title = (const char *)sqlite3_column_text(st, 4);
        v.event = sqlite3_column_int64(st, 5);  /* 0 when NULL */
        v.thread = sqlite3_column_int64(st, 6);
        v.hash = (const char *)sqlite3_column_text(st, 7);
        v.event_headline = (const char *)sqlite3_column_text(st, 8);
        if (fn(ctx, &v))
            break;
    }
    rasd_err e = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RASD_OK
                                                         : sq_db_fail(s, err, "list story vectors");
    sqlite3_finalize(st);
    return e;
}

rasd_err sq_clear_stories(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    if (sq_exec(s, "DELETE FROM article_event; DELETE FROM events; DELETE FROM threads;"
                   " DELETE FROM story_checkpoint;") != SQLITE_OK)
        return sq_db_fail(s, err, "clear stories");
    return RASD_OK;
}

/* ---- grouping checkpoint (schema version 10) ---- */

/* Read with SQLite's incremental blob I/O straight into out: a SELECT of the
   45 MB value makes SQLite assemble it in a buffer of its own first. */
rasd_err sq_get_story_checkpoint(Store *st_, Buf *out, int *found, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT length(data) FROM story_checkpoint WHERE id = 1", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "read the grouping checkpoint");
    int rc = sqlite3_step(st);
    sqlite3_int64 n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return RASD_OK;
    if (rc != SQLITE_ROW)
        return sq_db_fail(s, err, "read the grouping checkpoint");
    if (n < 0 || n > INT_MAX || buf_reserve(out, (size_t)n) < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory reading the grouping checkpoint");
    sqlite3_blob *b = NULL;
    if (sqlite3_blob_open(s->db, "main", "story_checkpoint", "data", 1, 0, &b) != SQLITE_OK ||
        sqlite3_blob_read(b, out->data + out->len, (int)n, 0) != SQLITE_OK) {
        rasd_err e = sq_db_fail(s, err, "read the grouping checkpoint");
        sqlite3_blob_close(b);
        return e;
    }
    sqlite3_blob_close(b);
    out->len += (size_t)n;
    out->data[out->len] = '\0';
    *found = 1;
    return RASD_OK;
}

rasd_err sq_put_story_checkpoint(Store *st_, const void *p, size_t n, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO story_checkpoint(id, data) VALUES (1, ?1)", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "store the grouping checkpoint");
    sqlite3_bind_blob64(st, 1, p, n, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    rasd_err e = rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "store the grouping checkpoint");
    sqlite3_finalize(st);
    return e;
}

/* In pieces: a row of n zero bytes (SQLite writes a zeroblob without
   making it), then incremental blob writes into it. */
rasd_err sq_ckpt_open(Store *st_, uint64_t n, void **h, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    *h = NULL;
    if (n > INT_MAX)
        return rasd_fail(err, RASD_EINVAL, "grouping checkpoint: %llu bytes is too large",
                         (unsigned long long)n);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO story_checkpoint(id, data)"
                           " VALUES (1, zeroblob(?1))",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "store the grouping checkpoint");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)n);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    sqlite3_blob *b = NULL;
    if (rc != SQLITE_DONE ||
        sqlite3_blob_open(s->db, "main", "story_checkpoint", "data", 1, 1, &b) != SQLITE_OK) {
        rasd_err e = sq_db_fail(s, err, "store the grouping checkpoint");
        sqlite3_blob_close(b);
        return e;
    }
    *h = b;
    return RASD_OK;
}

rasd_err sq_ckpt_write(Store *st_, void *h, uint64_t at, const void *p, size_t n,
                       rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    if (sqlite3_blob_write(h, p, (int)n, (int)at) != SQLITE_OK)
        return sq_db_fail(s, err, "store the grouping checkpoint");
    return RASD_OK;
}

void sq_ckpt_close(Store *st_, void *h)
{
    (void)st_;
    sqlite3_blob_close(h);
}

void sq_bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

rasd_err sq_put_thread(Store *st_, const StoredStory *t, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_THREAD);
    if (!st)
        return sq_db_fail(s, err, "prepare thread");
    sqlite3_bind_int64(st, 1, t->id);
    sq_bind_opt_text(st, 2, t->first);
    sq_bind_opt_text(st, 3, t->last);
    sqlite3_bind_int64(st, 4, t->events);
    sqlite3_bind_int64(st, 5, t->articles);
    sq_bind_opt_text(st, 6, t->headline);
    if (t->profile)
        sqlite3_bind_blob(st, 7, t->profile, (int)t->profile_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 7);
    return sq_step_done(s, st, "insert thread", err);
}

rasd_err sq_put_event(Store *st_, const StoredStory *e, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_EVENT);
    if (!st)
        return sq_db_fail(s, err, "prepare event");
    sqlite3_bind_int64(st, 1, e->id);
    sqlite3_bind_int64(st, 2, e->thread);
    sq_bind_opt_text(st, 3, e->first);
    sq_bind_opt_text(st, 4, e->last);
    sqlite3_bind_int64(st, 5, e->articles);
    sqlite3_bind_int64(st, 6, e->outlets);
    sq_bind_opt_text(st, 7, e->headline);
    return sq_step_done(s, st, "insert event", err);
}

rasd_err sq_put_article_event(Store *st_, int64_t article, int64_t event, double score,
                                 rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_ART_EVENT);
    if (!st)
        return sq_db_fail(s, err, "prepare article event");
    sqlite3_bind_int64(st, 1, article);
    sqlite3_bind_int64(st, 2, event);
    sqlite3_bind_double(st, 3, score);
    return sq_step_done(s, st, "insert article event", err);
}

rasd_err sq_each_story_article(Store *st_, const char *since, int64_t thread,
                                  int (*fn)(void *ctx, const StoryArticle *r), void *ctx,
                                  rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    /* one statement per shape, so each can use its index */
    const char *where = thread > 0   ? " WHERE (?1 IS NULL OR t.last >= ?1) AND t.id = ?2"
                        : thread < 0 ? " WHERE (?1 IS NULL OR t.last >= ?1) AND ae.event = -?2"
                                     : " WHERE (?1 IS NULL OR t.last >= ?1) AND ?2 = 0";
    char sql[1024];
    snprintf(sql, sizeof sql, "%s%s%s",
             "SELECT t.id, t.first, t.last, t.events, t.articles, t.headline,"
             "  e.id, e.first, e.last, e.articles, e.outlets, e.headline,"
             "  a.id, a.hash, a.outlet, a.title, a.published, ae.score, a.agency, a.copy_of,"
             "  a.url FROM article_event ae JOIN events e ON e.id = ae.event"
             " JOIN threads t ON t.id = e.thread JOIN articles a ON a.id = ae.article",
             where,
             /* an undated event last in its thread: undated articles belong to the
                newest day in the grouping's order (story/stories.c) */
             " ORDER BY t.articles DESC, t.id, e.first IS NULL, e.first, e.id,"
             " coalesce(a.published, a.ingested),"
             " a.id");
    if (sq_prep(s, sql, &st) != SQLITE_OK)
        return sq_db_fail(s, err, "list stories");
    sq_bind_opt_text(st, 1, since);
    sqlite3_bind_int64(st, 2, thread);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoryArticle r;
        r.thread.id = sqlite3_column_int64(st, 0);
        r.thread.thread = r.thread.id;
        r.thread.first = (const char *)sqlite3_column_text(st, 1);
        r.thread.last = (const char *)sqlite3_column_text(st, 2);
        r.thread.events = sqlite3_column_int64(st, 3);
        r.thread.articles = sqlite3_column_int64(st, 4);
        r.thread.outlets = 0;
        r.thread.headline = (const char *)sqlite3_column_text(st, 5);
        r.event.id = sqlite3_column_int64(st, 6);
        r.event.thread = r.thread.id;
        r.event.first = (const char *)sqlite3_column_text(st, 7);
        r.event.last = (const char *)sqlite3_column_text(st, 8);
        r.event.events = 1;
        r.event.articles = sqlite3_column_int64(st, 9);
        r.event.outlets = sqlite3_column_int64(st, 10);
        r.event.headline = (const char *)sqlite3_column_text(st, 11);
        r.article = sqlite3_column_int64(st, 12);
        r.hash = (const char *)sqlite3_column_text(st, 13);
        r.outlet = (const char *)sqlite3_column_text(st, 14);
        r.title = (const char *)sqlite3_column_text(st, 15);
        r.published = (const char *)sqlite3_column_text(st, 16);
        r.score = sqlite3_column_double(st, 17);
        r.agency = (const char *)sqlite3_column_text(st, 18);
        r.copy_of = sqlite3_column_int64(st, 19);
        r.url = (const char *)sqlite3_column_text(st, 20);
        if (fn(ctx, &r))
            break;
    }
    rasd_err e = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RASD_OK : sq_db_fail(s, err, "list stories");
    sq_finish(s, st);
    return e;
}

/* ---- incremental assignment ---- */

static rasd_err one_text(SqStore *s, const char *sql, const char *arg, char *out, size_t size,
                         int *found, rasd_error *err)
{
    sqlite3_stmt *st;
    *found = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "story query");
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
        *found = 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "story query");
}

rasd_err sq_unassigned_from(Store *st_, char *out, size_t size, int *found, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return one_text(s,
                    "SELECT min(coalesce(a.published, a.ingested)) FROM articles a"
                    " JOIN story_vec v ON v.article = a.id"
                    " LEFT JOIN article_event ae ON ae.article = a.id WHERE ae.article IS NULL",
                    NULL, out, size, found, err);
}

rasd_err sq_has_events(Store *st_, int *yes, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    char buf[8];
    return one_text(s, "SELECT 'y' FROM events LIMIT 1", NULL, buf, sizeof buf, yes, err);
}

rasd_err sq_story_max_ids(Store *st_, int64_t *event, int64_t *thread, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT coalesce((SELECT max(id) FROM events), 0),"
                           " coalesce((SELECT max(id) FROM threads), 0)",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "story ids");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *event = sqlite3_column_int64(st, 0);
        *thread = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RASD_OK : sq_db_fail(s, err, "story ids");
}

rasd_err sq_each_thread_profile(Store *st_, const char *since,
                                   int (*fn)(void *ctx, int64_t id, const char *last,
                                             const void *profile, size_t n),
                                   void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, last, profile FROM threads WHERE profile IS NOT NULL"
                           " AND (last IS NULL OR last >= ?1) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list thread profiles");
    sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
               sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2)))
            break;
    rasd_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK
                                                       : sq_db_fail(s, err, "list thread profiles");
    sqlite3_finalize(st);
    return e;
}

rasd_err sq_set_thread_profile(Store *st_, int64_t id, const void *profile, size_t n,
                                  rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return sq_run_once(s, "UPDATE threads SET profile = ?3 WHERE id = ?1", id, 0,
                    profile, n, 0, "thread profile", err);
}

rasd_err sq_refresh_threads(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    if (sq_exec(s, "DELETE FROM threads WHERE id NOT IN (SELECT thread FROM events);"
                "UPDATE threads SET"
                " events = (SELECT count(*) FROM events e WHERE e.thread = threads.id),"
                " articles = (SELECT coalesce(sum(articles), 0) FROM events e"
                "             WHERE e.thread = threads.id),"
                " first = (SELECT min(first) FROM events e WHERE e.thread = threads.id),"
                " last = (SELECT max(last) FROM events e WHERE e.thread = threads.id);") !=
        SQLITE_OK)
        return sq_db_fail(s, err, "refresh threads");
    return RASD_OK;
}

rasd_err sq_drop_event(Store *st_, int64_t id, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    rasd_err e = sq_run_once(s, "DELETE FROM article_event WHERE event = ?1", id, 0, NULL, 0, 0,
                             "drop event", err);
    return e != RASD_OK ? e
                        : sq_run_once(s, "DELETE FROM events WHERE id = ?1", id, 0, NULL, 0, 0,
                                      "drop event", err);
}

rasd_err sq_merge_event(Store *st_, int64_t keep, int64_t gone, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    rasd_err e = sq_run_once(s, "UPDATE article_event SET event = ?1 WHERE event = ?2", keep, gone,
                          NULL, 0, 0, "merge events", err);
    return e != RASD_OK ? e
                        : sq_run_once(s, "DELETE FROM events WHERE id = ?2", keep, gone,
                                   NULL, 0, 0, "merge events", err);
}

rasd_err sq_set_event_thread(Store *st_, int64_t event, int64_t thread, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return sq_run_once(s, "UPDATE events SET thread = ?2 WHERE id = ?1", event, thread, NULL, 0, 0,
                    "event thread", err);
}

rasd_err sq_refresh_events_from(Store *st_, const char *day, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            s->db,
            "UPDATE events SET"
            " articles = (SELECT count(*) FROM article_event ae WHERE ae.event = events.id),"
            " outlets = (SELECT count(DISTINCT a.outlet) FROM article_event ae JOIN articles a"
            "            ON a.id = ae.article WHERE ae.event = events.id),"
            " first = (SELECT min(substr(a.published, 1, 10)) FROM article_event ae JOIN articles a"
            "          ON a.id = ae.article WHERE ae.event = events.id),"
            " last = (SELECT max(substr(a.published, 1, 10)) FROM article_event ae JOIN articles a"
            "         ON a.id = ae.article WHERE ae.event = events.id)"
            " WHERE id IN (SELECT ae.event FROM article_event ae JOIN articles a ON a.id = ae.article"
            "              WHERE a.published IS NULL OR a.published >= ?1)",
            -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "refresh events");
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "refresh events");
}

/* ---- stored document frequencies (schema version 5) ---- */

rasd_err sq_each_df(Store *st_, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
                       rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, n FROM story_df", -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "read document frequencies");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, (uint64_t)sqlite3_column_int64(st, 0), (uint32_t)sqlite3_column_int64(st, 1)))
            break;
    rasd_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK
                                                       : sq_db_fail(s, err, "read document frequencies");
    sqlite3_finalize(st);
    return e;
}

rasd_err sq_add_df(Store *st_, uint64_t id, uint32_t n, int replace, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, replace ? Q_SET_DF : Q_ADD_DF);
    if (!st)
        return sq_db_fail(s, err, "prepare document frequency");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, n);
    return sq_step_done(s, st, "store document frequency", err);
}

rasd_err sq_clear_df(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return sq_exec(s, "DELETE FROM story_df") == SQLITE_OK ? RASD_OK
                                                        : sq_db_fail(s, err, "clear document frequencies");
}

/* ---- stories whose membership changed (store_track_stories) ---- */

/* Temporary (this connection's) tables and triggers: whatever code moves an
   article or an event, the rows it touches are recorded, and nothing is
   written to the file. */
static const char track_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS changed_event(id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS changed_thread(id INTEGER PRIMARY KEY);"
    "CREATE TEMP TRIGGER IF NOT EXISTS changed_ae_ins AFTER INSERT ON main.article_event"
    " BEGIN INSERT OR IGNORE INTO changed_event VALUES (NEW.event); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS changed_ae_upd AFTER UPDATE OF event ON main.article_event"
    " BEGIN INSERT OR IGNORE INTO changed_event VALUES (OLD.event), (NEW.event); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS changed_ae_del AFTER DELETE ON main.article_event"
    " BEGIN INSERT OR IGNORE INTO changed_event VALUES (OLD.event); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS changed_ev_upd AFTER UPDATE OF thread ON main.events"
    " BEGIN INSERT OR IGNORE INTO changed_thread VALUES (OLD.thread), (NEW.thread); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS changed_ev_del AFTER DELETE ON main.events"
    " BEGIN INSERT OR IGNORE INTO changed_thread VALUES (OLD.thread); END;"
    "DELETE FROM changed_event; DELETE FROM changed_thread;";

rasd_err sq_track_stories(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return sq_exec(s, track_sql) == SQLITE_OK ? RASD_OK
                                              : sq_db_fail(s, err, "record changed stories");
}

rasd_err sq_each_changed_story(Store *st_,
                               int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                         int64_t thread, int64_t thread_events),
                               void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    /* a changed event's thread changed too; an event merged away is gone,
       its thread was recorded by the delete */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT e.id, e.articles, t.id, t.events FROM temp.changed_event c"
                           " JOIN events e ON e.id = c.id JOIN threads t ON t.id = e.thread"
                           " UNION SELECT 0, 0, t.id, t.events FROM temp.changed_thread c"
                           " JOIN threads t ON t.id = c.id ORDER BY 3, 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list changed stories");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)))
            break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK
                                                 : sq_db_fail(s, err, "list changed stories");
}
