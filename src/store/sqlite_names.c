/*
 * sqlite_names.c — the SQLite store's reads of names: the entity summary's
 * list, mentions, a key's spellings and mention count, surname keys, and a
 * name's stories and articles (split from sqlite.c along its sections).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "entsum.h"
#include "store_impl.h"
#include "sqlite_impl.h"
#include "../util/util.h"

rasd_err sq_each_entity(Store *st_, const EntityFilter *f,
                               int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                               rasd_error *err)
{
    return entsum_each_sqlite(((SqStore *)st_)->db, f, fn, ctx, err);
}

rasd_err sq_each_mention(Store *st_, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                            rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return store_each_article_mention(&s->base, 0, fn, ctx, err);
}

rasd_err sq_each_article_mention(Store *st_, int64_t article,
                                    int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                                    rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s,
                article ? "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                          " JOIN articles a ON a.id = m.article WHERE m.article = ?1"
                          " ORDER BY m.start"
                        : "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                          " JOIN articles a ON a.id = m.article"
                          " ORDER BY m.key, m.type, m.text",
                &st) != SQLITE_OK)
        return sq_db_fail(s, err, "list mentions");
    if (article)
        sqlite3_bind_int64(st, 1, article);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoredMention m;
        m.key = (const char *)sqlite3_column_text(st, 0);
        m.type = (const char *)sqlite3_column_text(st, 1);
        m.text = (const char *)sqlite3_column_text(st, 2);
        m.outlet = (const char *)sqlite3_column_text(st, 3);
        m.article = sqlite3_column_int64(st, 4);
        if (fn(ctx, &m))
            break;
    }
    rasd_err e = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RASD_OK : sq_db_fail(s, err, "list mentions");
    sq_finish(s, st);
    return e;
}

/* Rows (text, count) of sql, ?1 bound to key[0..n) and ?2 to limit, each
   to fn until it returns non-zero; what names the read in an error. */
static rasd_err sq_key_counts(Store *st_, const char *sql, const char *what, const char *key,
                              size_t n, size_t limit,
                              int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                              void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s, sql, &st) != SQLITE_OK)
        return sq_db_fail(s, err, what);
    sqlite3_bind_text(st, 1, key, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (v && fn(ctx, v, (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_int64(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    rasd_err e = rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, what);
    sq_finish(s, st);
    return e;
}

/* The spellings of a name key for search (store/fts.h's name lookup). */
rasd_err sq_each_spelling(Store *st_, const char *key, size_t n, size_t limit,
                                 int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                                 void *ctx, rasd_error *err)
{
    return sq_key_counts(st_, "SELECT text, count(*) FROM mentions WHERE key = ?1 GROUP BY text"
                              " ORDER BY count(*) DESC, text LIMIT ?2",
                         "read name spellings", key, n, limit, fn, ctx, err);
}

/* A surname's full names (entsum.c: migration 12's index). */
rasd_err sq_each_surname_key(Store *st_, const char *key, size_t n, size_t limit,
                                    int (*fn)(void *ctx, const char *full, size_t n,
                                              int64_t mentions),
                                    void *ctx, rasd_error *err)
{
    return sq_key_counts(st_, entsum_surname_sql, "read a surname's names", key, n, limit, fn,
                         ctx, err);
}

int64_t sq_key_mentions(Store *st_, const char *key, size_t n)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s, "SELECT count(*) FROM mentions WHERE key = ?1", &st) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, key, (int)n, SQLITE_STATIC);
    int64_t c = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sq_finish(s, st);
    return c;
}

/*
 * Runs sql with ?1 bound to key and ?2 to limit, calling row for each row
 * until it returns nonzero. what names the read in an error.
 */
static rasd_err sq_key_rows(SqStore *s, const char *sql, const char *key, size_t limit,
                            int (*row)(void *ctx, sqlite3_stmt *st), void *ctx, const char *what,
                            rasd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, what);
    /* a name split off a key (entsum.c, "KEY|spelling"): its key's rows */
    sqlite3_bind_text(st, 1, key, (int)strcspn(key, "|"), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (row(ctx, st)) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, what);
}

/* The callers' callbacks, for the row adapters below. */
typedef struct KeyRows {
    int (*story)(void *ctx, int64_t story, const char *headline, const char *last,
                 int64_t articles);
    int (*article)(void *ctx, int64_t id);
    void *ctx;
} KeyRows;

static int key_story_row(void *ctx, sqlite3_stmt *st)
{
    const KeyRows *k = ctx;
    return k->story(k->ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                    (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3));
}

static int key_article_row(void *ctx, sqlite3_stmt *st)
{
    const KeyRows *k = ctx;
    return k->article(k->ctx, sqlite3_column_int64(st, 0));
}

/* A name's stories and newest articles (the server's name page). */
rasd_err sq_key_stories(Store *st_, const char *key, size_t limit,
                               int (*fn)(void *ctx, int64_t story, const char *headline,
                                         const char *last, int64_t articles),
                               void *ctx, rasd_error *err)
{
    KeyRows k = {fn, NULL, ctx};
    return sq_key_rows((SqStore *)st_,
                       "SELECT t.id, t.headline, t.last, count(DISTINCT m.article) FROM"
                       " mentions m JOIN article_event ae ON ae.article = m.article JOIN"
                       " events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                       " WHERE m.key = ?1 GROUP BY t.id ORDER BY 4 DESC, t.last DESC, t.id"
                       " LIMIT ?2",
                       key, limit, key_story_row, &k, "read a name's stories", err);
}

rasd_err sq_story_headlines(Store *st_, const int64_t *ids, size_t n,
                                   int (*fn)(void *ctx, int64_t story, const char *headline),
                                   void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sq_prep(s, "SELECT headline FROM threads WHERE id = ?1", &st) != SQLITE_OK)
        return sq_db_fail(s, err, "read story headlines");
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            rc = fn(ctx, ids[i], (const char *)sqlite3_column_text(st, 0)) ? SQLITE_OK
                                                                             : SQLITE_DONE;
    }
    sq_finish(s, st);
    return rc == SQLITE_DONE || rc == SQLITE_OK ? RASD_OK
                                                : sq_db_fail(s, err, "read story headlines");
}

rasd_err sq_key_articles(Store *st_, const char *key, size_t limit,
                                int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err)
{
    KeyRows k = {NULL, fn, ctx};
    return sq_key_rows((SqStore *)st_,
                       "SELECT DISTINCT m.article, a.published FROM mentions m JOIN articles a"
                       " ON a.id = m.article WHERE m.key = ?1 ORDER BY a.published DESC,"
                       " m.article DESC LIMIT ?2",
                       key, limit, key_article_row, &k, "read a name's articles", err);
}
