/*
 * watch_store.c — `rasd watch`'s own tables on the store's SQLite
 * connection (store_sqlite_handle). They are created by the store's
 * migration 9 (src/store/sqlite.c), like every other table.
 *
 * Times are Unix seconds (INTEGER). A restart resumes from these rows:
 * validators (etag, last_modified), next poll time, error counts, the
 * adapted interval and the items already seen per source.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "ingest/ingest.h"
#include "store/sq_col.h"
#include "watch/watch_store.h"

static rasd_err fail(sqlite3 *db, rasd_error *err, const char *what)
{
    return rasd_fail(err, RASD_EDB, "watch tables: %s: %s", what, sqlite3_errmsg(db));
}

rasd_err wstore_init(sqlite3 *db, rasd_error *err)
{
    /* the tables come with the store's schema (migration 9): every handle
       here is of a store store_open brought up to date */
    if (!db)
        return rasd_fail(err, RASD_EINVAL,
                         "watching sources needs an SQLite store for now (its state tables are "
                         "not yet in the PostgreSQL store)");
    return RASD_OK;
}

rasd_err wstore_begin(sqlite3 *db, rasd_error *err)
{
    return sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK
               ? RASD_OK
               : fail(db, err, "begin");
}

rasd_err wstore_commit(sqlite3 *db, rasd_error *err)
{
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return RASD_OK;
    rasd_err e = fail(db, err, "commit");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static rasd_err step_done(sqlite3 *db, sqlite3_stmt *st, const char *what, rasd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : fail(db, err, what);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

rasd_err wstore_add_source(sqlite3 *db, const char *url, const char *outlet,
                           int64_t interval_s, int *added, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "INSERT OR IGNORE INTO watch_sources(url, outlet, interval_s)"
                                " VALUES (?1, ?2, ?3)");
    if (!st)
        return fail(db, err, "add source");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, outlet);
    sqlite3_bind_int64(st, 3, interval_s);
    rasd_err e = step_done(db, st, "add source", err);
    if (e != RASD_OK)
        return e;
    *added = sqlite3_changes(db) > 0;
    if (!*added && outlet) {
        st = prep(db, "UPDATE watch_sources SET outlet = ?2 WHERE url = ?1");
        if (!st)
            return fail(db, err, "rename source");
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, outlet, -1, SQLITE_STATIC);
        return step_done(db, st, "rename source", err);
    }
    return RASD_OK;
}

rasd_err wstore_remove_source(sqlite3 *db, const char *key, int *removed, rasd_error *err)
{
    char *end;
    long long id = strtoll(key, &end, 10);
    sqlite3_stmt *st = prep(db, "DELETE FROM watch_sources WHERE url = ?1 OR id = ?2");
    if (!st)
        return fail(db, err, "remove source");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (*key && !*end) ? id : -1);
    rasd_err e = step_done(db, st, "remove source", err);
    *removed = e == RASD_OK && sqlite3_changes(db) > 0;
    return e;
}

rasd_err wstore_load_sources(sqlite3 *db, int64_t due, WSource **out, size_t *n,
                             rasd_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = prep(db, "SELECT id, url, outlet, kind, etag, last_modified, last_error,"
                                " interval_s, next_poll, errors, errors_total, last_poll,"
                                " last_success, last_new, items FROM watch_sources"
                                " WHERE ?1 < 0 OR next_poll <= ?1 ORDER BY next_poll, id");
    if (!st)
        return fail(db, err, "list sources");
    sqlite3_bind_int64(st, 1, due);
    size_t cap = 0;
    WSource *v = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            WSource *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                sqlite3_finalize(st);
                wstore_free_sources(v, *n);
                *n = 0;
                return rasd_fail(err, RASD_ENOMEM, "out of memory listing sources");
            }
            v = nv;
            cap = nc;
        }
        WSource *s = &v[(*n)++];
        s->id = sqlite3_column_int64(st, 0);
        s->url = sq_col_dup(st, 1);
        s->outlet = sq_col_dup(st, 2);
        s->kind = sq_col_dup(st, 3);
        s->etag = sq_col_dup(st, 4);
        s->last_modified = sq_col_dup(st, 5);
        s->last_error = sq_col_dup(st, 6);
        s->interval_s = sqlite3_column_int64(st, 7);
        s->next_poll = sqlite3_column_int64(st, 8);
        s->errors = sqlite3_column_int64(st, 9);
        s->errors_total = sqlite3_column_int64(st, 10);
        s->last_poll = sqlite3_column_int64(st, 11);
        s->last_success = sqlite3_column_int64(st, 12);
        s->last_new = sqlite3_column_int64(st, 13);
        s->items = sqlite3_column_int64(st, 14);
        if (!s->url) {
            sqlite3_finalize(st);
            wstore_free_sources(v, *n);
            *n = 0;
            return rasd_fail(err, RASD_ENOMEM, "out of memory listing sources");
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        wstore_free_sources(v, *n);
        *n = 0;
        return fail(db, err, "list sources");
    }
    *out = v;
    return RASD_OK;
}

void wstore_free_sources(WSource *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].url);
        free(v[i].outlet);
        free(v[i].kind);
        free(v[i].etag);
        free(v[i].last_modified);
        free(v[i].last_error);
    }
    free(v);
}

rasd_err wstore_save_source(sqlite3 *db, const WSource *s, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "UPDATE watch_sources SET kind = ?2, etag = ?3,"
                                " last_modified = ?4, last_error = ?5, interval_s = ?6,"
                                " next_poll = ?7, errors = ?8, errors_total = ?9, last_poll = ?10,"
                                " last_success = ?11, last_new = ?12, items = ?13 WHERE id = ?1");
    if (!st)
        return fail(db, err, "save source");
    sqlite3_bind_int64(st, 1, s->id);
    bind_text_or_null(st, 2, s->kind);
    bind_text_or_null(st, 3, s->etag);
    bind_text_or_null(st, 4, s->last_modified);
    bind_text_or_null(st, 5, s->last_error);
    sqlite3_bind_int64(st, 6, s->interval_s);
    sqlite3_bind_int64(st, 7, s->next_poll);
    sqlite3_bind_int64(st, 8, s->errors);
    sqlite3_bind_int64(st, 9, s->errors_total);
    sqlite3_bind_int64(st, 10, s->last_poll);
    sqlite3_bind_int64(st, 11, s->last_success);
    sqlite3_bind_int64(st, 12, s->last_new);
    sqlite3_bind_int64(st, 13, s->items);
    return step_done(db, st, "save source", err);
}

rasd_err wstore_next_due(sqlite3 *db, int64_t *when, int *found, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "SELECT min(next_poll) FROM watch_sources");
    if (!st)
        return fail(db, err, "next poll");
    *found = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *when = sqlite3_column_int64(st, 0);
        *found = 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? RASD_OK : fail(db, err, "next poll");
}

int wstore_seen(sqlite3 *db, int64_t source, const char *key)
{
    sqlite3_stmt *st = prep(db, "SELECT 1 FROM watch_seen WHERE source = ?1 AND key = ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

rasd_err wstore_mark_seen(sqlite3 *db, int64_t source, const char *key, int64_t now,
                          rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "INSERT OR IGNORE INTO watch_seen(source, key, first_seen)"
                                " VALUES (?1, ?2, ?3)");
    if (!st)
        return fail(db, err, "mark seen");
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return step_done(db, st, "mark seen", err);
}

rasd_err wstore_max_article(sqlite3 *db, int64_t *id, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "SELECT coalesce(max(id), 0) FROM articles");
    if (!st)
        return fail(db, err, "last article");
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RASD_OK : fail(db, err, "last article");
}

rasd_err wstore_add_rule(sqlite3 *db, const char *kind, const char *arg, int64_t n, int64_t *id,
                         rasd_error *err)
{
    int64_t since = 0;
    rasd_err e = wstore_max_article(db, &since, err);
    if (e != RASD_OK)
        return e;
    sqlite3_stmt *st = prep(db, "INSERT INTO watch_rules(kind, arg, n, since_article)"
                                " VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return fail(db, err, "add rule");
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, n);
    sqlite3_bind_int64(st, 4, since);
    e = step_done(db, st, "add rule", err);
    *id = sqlite3_last_insert_rowid(db);
    return e;
}

rasd_err wstore_remove_rule(sqlite3 *db, int64_t id, int *removed, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "DELETE FROM watch_rules WHERE id = ?1");
    if (!st)
        return fail(db, err, "remove rule");
    sqlite3_bind_int64(st, 1, id);
    rasd_err e = step_done(db, st, "remove rule", err);
    *removed = e == RASD_OK && sqlite3_changes(db) > 0;
    return e;
}

rasd_err wstore_load_rules(sqlite3 *db, WRule **out, size_t *n, rasd_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st =
        prep(db, "SELECT id, kind, arg, n, since_article FROM watch_rules ORDER BY id");
    if (!st)
        return fail(db, err, "list rules");
    size_t cap = 0;
    WRule *v = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            WRule *nv = realloc(v, nc * sizeof *nv);
            if (!nv)
                break;
            v = nv;
            cap = nc;
        }
        WRule *r = &v[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        r->kind = sq_col_dup(st, 1);
        r->arg = sq_col_dup(st, 2);
        r->n = sqlite3_column_int64(st, 3);
        r->since_article = sqlite3_column_int64(st, 4);
        if (!r->kind || !r->arg) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        wstore_free_rules(v, *n);
        *n = 0;
        return rc == SQLITE_ROW || rc == SQLITE_NOMEM
                   ? rasd_fail(err, RASD_ENOMEM, "out of memory listing alert rules")
                   : fail(db, err, "list rules");
    }
    *out = v;
    return RASD_OK;
}

void wstore_free_rules(WRule *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].kind);
        free(v[i].arg);
    }
    free(v);
}

rasd_err wstore_rule_since(sqlite3 *db, int64_t rule, int64_t since_article, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "UPDATE watch_rules SET since_article = ?2 WHERE id = ?1");
    if (!st)
        return fail(db, err, "update rule");
    sqlite3_bind_int64(st, 1, rule);
    sqlite3_bind_int64(st, 2, since_article);
    return step_done(db, st, "update rule", err);
}

rasd_err wstore_alert_once(sqlite3 *db, int64_t rule, int64_t story, const char *key,
                           int64_t now, int *fresh, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "INSERT OR IGNORE INTO watch_alert_log(rule, story, key, at)"
                                " VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return fail(db, err, "log alert");
    sqlite3_bind_int64(st, 1, rule);
    sqlite3_bind_int64(st, 2, story);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    rasd_err e = step_done(db, st, "log alert", err);
    *fresh = e == RASD_OK && sqlite3_changes(db) > 0;
    return e;
}

rasd_err wstore_story_updated(sqlite3 *db, int64_t story, int64_t articles, int64_t now,
                              int64_t *updated, rasd_error *err)
{
    sqlite3_stmt *st = prep(db, "SELECT articles, updated FROM watch_story_state WHERE story = ?1");
    if (!st)
        return fail(db, err, "story state");
    sqlite3_bind_int64(st, 1, story);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == articles) {
        *updated = sqlite3_column_int64(st, 1);
        sqlite3_finalize(st);
        return RASD_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(db, err, "story state");
    st = prep(db, "INSERT OR REPLACE INTO watch_story_state(story, articles, updated)"
                  " VALUES (?1, ?2, ?3)");
    if (!st)
        return fail(db, err, "story state");
    sqlite3_bind_int64(st, 1, story);
    sqlite3_bind_int64(st, 2, articles);
    sqlite3_bind_int64(st, 3, now);
    *updated = now;
    return step_done(db, st, "story state", err);
}
