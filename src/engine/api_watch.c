/*
 * api_watch.c — what `rasd watch` polls and what it alerts on, for the
 * public API (include/rasd.h): sources (feeds and section pages, with their
 * polling state) and alert rules, kept in the store's watch tables
 * (watch/watch_store.h; SQLite stores only for now), and the watcher
 * itself (rasd_watch: watch/watch.h's polling, watch/alerts.h's rules).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "watch/alerts.h"
#include "watch/parse.h"
#include "watch/watch.h"
#include "watch/watch_store.h"

/* The store's SQLite handle for the watch tables (*db); "what: bad argument"
   when there is no engine or the caller's other arguments are not args_ok. */
static rasd_err watch_db(rasd_engine *e, const char *what, int args_ok, sqlite3 **db,
                         rasd_error *err)
{
    if (!e || !args_ok)
        return rasd_fail(err, RASD_EINVAL, "%s: bad argument", what);
    *db = store_sqlite_handle(e->st);
    return wstore_init(*db, err);
}

RASD_API rasd_err rasd_engine_add_source(rasd_engine *e, const char *url, const char *outlet,
                                         int64_t interval_s, int *added, rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_engine_add_source", 1, &db, err);
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
    rasd_err rc = watch_db(e, "rasd_engine_remove_source", 1, &db, err);
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
    rasd_err rc = watch_db(e, "rasd_engine_import_sources", 1, &db, err);
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
    rasd_err rc = watch_db(e, "rasd_engine_each_source", fn != NULL, &db, err);
    if (rc != RASD_OK)
        return rc;
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
    rasd_err rc = watch_db(e, "rasd_engine_add_alert", 1, &db, err);
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
    rasd_err rc = watch_db(e, "rasd_engine_remove_alert", 1, &db, err);
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
    rasd_err rc = watch_db(e, "rasd_engine_each_alert", fn != NULL, &db, err);
    if (rc != RASD_OK)
        return rc;
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

/* ---- the watcher: the public face of watch/watch.h and watch/alerts.h ---- */

struct rasd_watch {
    rasd_engine *e;       /* the engine whose store is watched (not owned) */
    Watch *w;
    IngestOptions io;     /* the engine's options (messages); WatchOpts points here */
    AssignOpts ao;        /* story assignment's defaults */
    FetchLimits lim;      /* for webhook POSTs too */
};

RASD_API rasd_err rasd_watch_open(rasd_engine *e, const rasd_watch_opts *o, rasd_watch **out,
                                  rasd_error *err)
{
    sqlite3 *db = NULL;
    rasd_err rc = watch_db(e, "rasd_watch_open", out != NULL, &db, err);
    if (rc != RASD_OK)
        return rc;
    if ((rc = fetch_global_init(err)) != RASD_OK)
        return rc;
    rasd_watch *x = calloc(1, sizeof *x);
    if (!x)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_watch_opts none = {0};
    if (!o)
        o = &none;
    x->e = e;
    x->lim.max_bytes = o->max_bytes;
    x->lim.timeout_s = o->timeout_s;
    x->lim.low_speed_s = o->low_speed_s;
    x->lim.per_host = o->per_host;
    x->lim.host_delay_ms = o->host_delay_ms;
    x->io.on_message = o->on_ingest_message;
    x->io.ctx = o->ctx;
    assign_opts_default(&x->ao);
    WatchOpts wo;
    memset(&wo, 0, sizeof wo);
    wo.lim = x->lim;
    wo.min_interval = o->min_interval;
    wo.max_interval = o->max_interval;
    wo.max_links = o->max_links;
    wo.no_pages = o->no_pages;
    wo.force = o->force;
    wo.io = &x->io;
    wo.ao = &x->ao;
    wo.on_message = o->on_message;
    wo.ctx = o->ctx;
    rc = watch_open(e->st, &wo, &x->w, err);
    if (rc != RASD_OK) {
        free(x);
        return rc;
    }
    *out = x;
    return RASD_OK;
}

RASD_API void rasd_watch_close(rasd_watch *w)
{
    if (!w)
        return;
    watch_close(w->w);
    free(w);
}

RASD_API rasd_err rasd_watch_poll(rasd_watch *w, int64_t now, rasd_watch_round *r,
                                  rasd_error *err)
{
    if (!w || !r)
        return rasd_fail(err, RASD_EINVAL, "rasd_watch_poll: bad argument");
    return watch_poll(w->w, now, r, err);
}

RASD_API rasd_err rasd_watch_next_due(rasd_watch *w, int64_t *when, int *found, rasd_error *err)
{
    if (!w || !when || !found)
        return rasd_fail(err, RASD_EINVAL, "rasd_watch_next_due: bad argument");
    return wstore_next_due(store_sqlite_handle(w->e->st), when, found, err);
}

RASD_API rasd_err rasd_watch_alerts(rasd_watch *w, int64_t now, const char *base_url,
                                    const char *db_path,
                                    void (*emit)(void *ctx, const char *json, size_t n),
                                    void *ctx, size_t *sent, rasd_error *err)
{
    if (!w || !emit)
        return rasd_fail(err, RASD_EINVAL, "rasd_watch_alerts: bad argument");
    AlertOpts ao = {base_url, db_path, emit, ctx};
    size_t n = 0;
    rasd_err rc = alerts_run(w->e->st, now, &ao, &n, err);
    if (sent)
        *sent = n;
    return rc;
}

RASD_API rasd_err rasd_watch_post_json(rasd_watch *w, const char *url, const char *json, size_t n,
                                       long *status, rasd_error *err)
{
    if (!w || !url || (!json && n) || !status)
        return rasd_fail(err, RASD_EINVAL, "rasd_watch_post_json: bad argument");
    return fetch_post_json(url, json ? json : "", n, &w->lim, status, err);
}
