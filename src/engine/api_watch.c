/*
 * api_watch.c — what `rasd watch` polls and what it alerts on, for the
 * public API (include/rasd.h): sources (feeds and section pages, with their
 * polling state) and alert rules, kept in the store's watch tables
 * (watch/watch_store.h; SQLite stores only for now).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "watch/parse.h"
#include "watch/watch_store.h"

/* The store's SQLite handle for the watch tables (*db). */
static rasd_err watch_db(rasd_engine *e, const char *what, sqlite3 **db, rasd_error *err)
{
    if (!e)
        return rasd_fail(err, RASD_EINVAL, "%s: bad argument", what);
    *db = store_sqlite_handle(e->st);
    return wstore_init(*db, err);
}

RASD_API rasd_err rasd_engine_add_source(rasd_engine *e, const char *url, const char *outlet,
                                         int64_t interval_s, int *added, rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_add_source", &db, err);
    if (rc != RASD_OK)
        return rc;
    if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
        return rasd_fail(err, RASD_EINVAL, "source '%s' is not an http:// or https:// URL",
                         url ? url : "");
    int a = 0;
    rc = wstore_add_source(db, url, outlet, interval_s, &a, err);
    if (added)
        *added = a;
    return rc;
}

RASD_API rasd_err rasd_engine_remove_source(rasd_engine *e, const char *url_or_id, int *removed,
                                            rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_remove_source", &db, err);
    if (rc != RASD_OK)
        return rc;
    int r = 0;
    rc = wstore_remove_source(db, url_or_id ? url_or_id : "", &r, err);
    if (removed)
        *removed = r;
    return rc;
}

RASD_API rasd_err rasd_engine_import_sources(rasd_engine *e, const char *bytes, size_t len,
                                             const char *name, int64_t interval_s,
                                             void (*on_skip)(void *ctx, const char *msg),
                                             void *ctx, size_t *n, size_t *added,
                                             rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_import_sources", &db, err);
    if (rc != RASD_OK)
        return rc;
    SourceList l = {0};
    rc = sources_parse(bytes ? bytes : "", bytes ? len : 0, name ? name : "-", &l, err);
    size_t a = 0;
    for (size_t i = 0; rc == RASD_OK && on_skip && i < l.nerrors; i++)
        on_skip(ctx, l.errors[i]);
    for (size_t i = 0; rc == RASD_OK && i < l.n; i++) {
        int one = 0;
        rc = wstore_add_source(db, l.v[i].url, l.v[i].outlet, interval_s, &one, err);
        a += (size_t)one;
    }
    if (n)
        *n = l.n;
    if (added)
        *added = a;
    sources_free(&l);
    return rc;
}

RASD_API rasd_err rasd_engine_each_source(rasd_engine *e,
                                          int (*fn)(void *ctx, const rasd_source *s), void *ctx,
                                          rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_each_source", &db, err);
    if (rc != RASD_OK)
        return rc;
    if (!fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_source: bad argument");
    WSource *v = NULL;
    size_t n = 0;
    rc = wstore_load_sources(db, -1, &v, &n, err);
    for (size_t i = 0; rc == RASD_OK && i < n; i++) {
        const WSource *w = &v[i];
        rasd_source s = {w->id,         w->url,        w->outlet,       w->kind,
                         w->etag,       w->last_modified, w->last_error, w->interval_s,
                         w->next_poll,  w->errors,     w->errors_total, w->last_poll,
                         w->last_success, w->last_new, w->items};
        if (fn(ctx, &s))
            break;
    }
    wstore_free_sources(v, n);
    return rc;
}

RASD_API rasd_err rasd_engine_add_alert(rasd_engine *e, const char *kind, const char *arg,
                                        int64_t n, int64_t *id, rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_add_alert", &db, err);
    if (rc != RASD_OK)
        return rc;
    if (!kind || !arg || (strcmp(kind, "query") && strcmp(kind, "entity") &&
                          strcmp(kind, "sources") && strcmp(kind, "conflict")))
        return rasd_fail(err, RASD_EINVAL,
                         "an alert rule's kind is query, entity, sources or conflict");
    int64_t x = 0;
    rc = wstore_add_rule(db, kind, arg, n, &x, err);
    if (id)
        *id = x;
    return rc;
}

RASD_API rasd_err rasd_engine_remove_alert(rasd_engine *e, int64_t id, int *removed,
                                           rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_remove_alert", &db, err);
    if (rc != RASD_OK)
        return rc;
    int r = 0;
    rc = wstore_remove_rule(db, id, &r, err);
    if (removed)
        *removed = r;
    return rc;
}

RASD_API rasd_err rasd_engine_each_alert(rasd_engine *e,
                                         int (*fn)(void *ctx, const rasd_alert_rule *r),
                                         void *ctx, rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_each_alert", &db, err);
    if (rc != RASD_OK)
        return rc;
    if (!fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_alert: bad argument");
    WRule *v = NULL;
    size_t n = 0;
    rc = wstore_load_rules(db, &v, &n, err);
    for (size_t i = 0; rc == RASD_OK && i < n; i++) {
        rasd_alert_rule r = {v[i].id, v[i].kind, v[i].arg, v[i].n, v[i].since_article};
        if (fn(ctx, &r))
            break;
    }
    wstore_free_rules(v, n);
    return rc;
}
