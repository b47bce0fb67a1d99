/*
 * pg_views.c — the PostgreSQL store's operations for the entity summary
 * (store/entsum.h: names aggregated from the mentions when read, roles kept
 * in entity_roles, schema version 8) and for the server (analyst
 * corrections, outlet display names, paged thread lists, schema version 9).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entsum.h"
#include "pg_impl.h"

/* ---- the entity summary (store/entsum.h) ---- */

/* EntGet over the listing's own result: handle is the row. */
static int pg_get_entity(void *gctx, const char *key, const char *type, int64_t handle,
                         EntRow *out)
{
    PGresult *r = gctx;
    int i = (int)handle;
    EntRow row = {key, type, gi(r, i, 2), gi(r, i, 3), gv(r, i, 4), gv(r, i, 5), gv(r, i, 6),
                  NULL};
    *out = row;
    return 0;
}

/* The names with their lists, aggregated from the mentions ($1 type, $2
   least mentions, $3 key: each NULL or a filter); spellings and outlets
   with their mentions and articles. A spelling is grouped as written: the
   reader folds the forms a reader cannot tell apart (entsum.c fold_forms),
   which SQLite's summary stores folded. */
static const char entity_sql[] =
    "SELECT g.key, g.type, g.n, g.d,"
    " (SELECT string_agg(t || E'\\t' || c || E'\\t' || d, E'\\n' ORDER BY c DESC, t) FROM"
    "  (SELECT translate(text, E'\\t\\n\\r', '   ') AS t, count(*) AS c,"
    "   count(DISTINCT article) AS d FROM mentions m"
    "   WHERE m.key = g.key AND m.type = g.type GROUP BY 1) x),"
    " (SELECT string_agg(o || E'\\t' || c || E'\\t' || d, E'\\n' ORDER BY c DESC, o) FROM"
    "  (SELECT translate(coalesce(a.outlet, ''), E'\\t\\n\\r', '   ') AS o, count(*) AS c,"
    "   count(DISTINCT a.id) AS d FROM mentions m JOIN articles a ON a.id = m.article"
    "   WHERE m.key = g.key AND m.type = g.type GROUP BY 1) y),"
    " (SELECT string_agg(translate(office, E'\\t\\n\\r', '   ') || E'\\t' || mentions,"
    "   E'\\n' ORDER BY mentions DESC, office) FROM entity_roles r"
    "   WHERE r.key = g.key AND r.type = g.type)"
    " FROM (SELECT key, type, count(*) AS n, count(DISTINCT article) AS d FROM mentions"
    "  WHERE ($1::text IS NULL OR type = $1::text) AND ($3::text IS NULL OR key = $3::text)"
    "  GROUP BY key, type"
    "  HAVING count(*) >= $2::bigint) g ORDER BY g.n DESC, g.key, g.type";

/* EntGet by key and type (one name's page: the join's other rows are not
   in the listing's result); out stays valid until the next call. */
typedef struct KeyGet {
    PgStore *s;
    PGresult *r;
} KeyGet;

static int pg_get_key(void *gctx, const char *key, const char *type, int64_t handle,
                      EntRow *out)
{
    KeyGet *g = gctx;
    (void)handle;
    PQclear(g->r);
    g->r = NULL;
    Params p = {0};
    p_text(&p, type);
    p_i64(&p, 0);
    p_text(&p, key);
    if (pg_run(g->s, entity_sql, &p, 1, &g->r, "list names", NULL) != RASD_OK ||
        PQntuples(g->r) != 1)
        return -1;
    EntRow row = {key, type, gi(g->r, 0, 2), gi(g->r, 0, 3), gv(g->r, 0, 4), gv(g->r, 0, 5),
                  gv(g->r, 0, 6), NULL};
    *out = row;
    return 0;
}

/* One name's page (f->key): the join ("a name alone joins its full name",
   entsum.h) is decided over every name, as on SQLite, whose summary holds
   every name's counts; only the rows it needs are aggregated in full. */
static rasd_err join_every_name(PgStore *s, EntJoin *j, rasd_error *err)
{
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT key, type, count(*) FROM mentions"
                           " WHERE type IN ('PER', 'LOC', 'MISC') GROUP BY key, type",
                        NULL, 1, &r, "list names", err);
    for (int i = 0; e == RASD_OK && i < PQntuples(r); i++)
        entsum_join_add(j, gv(r, i, 0), gv(r, i, 1), gi(r, i, 2), 0);
    PQclear(r);
    return e;
}

/* PostgreSQL aggregates the mentions when asked, and keeps only the roles
   in a table; the rows come out in the form entsum.c parses and filters. */
rasd_err pg_each_entity(Store *st_, const EntityFilter *f,
                        int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                        rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, f ? f->type : NULL);
    p_i64(&p, f ? f->min : 0);
    if (f && f->key)
        p_textn(&p, f->key, strcspn(f->key, "|")); /* a split name's row (entsum.c) */
    else
        p_text(&p, NULL);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, entity_sql, &p, 1, &r, "list names", err);
    if (e != RASD_OK)
        return e;
    size_t kept = 0;
    int rows = PQntuples(r), stop = 0;
    EntJoin j; /* a name alone listed with its full name, a MISC place as the place (entsum.h) */
    entsum_join_init(&j);
    int one = f && f->key;
    KeyGet g = {s, NULL};
    EntGet get = one ? pg_get_key : pg_get_entity;
    void *gctx = one ? (void *)&g : (void *)r;
    if (one)
        e = join_every_name(s, &j, err);
    for (int i = 0; !one && i < rows; i++)
        entsum_join_add(&j, gv(r, i, 0), gv(r, i, 1), gi(r, i, 2), i);
    int join = e == RASD_OK ? entsum_join_build(&j, get, gctx) : 0;
    for (int i = 0; e == RASD_OK && i < rows && !stop && join >= 0; i++) {
        EntRow row = {gv(r, i, 0), gv(r, i, 1), gi(r, i, 2), gi(r, i, 3),
                      gv(r, i, 4), gv(r, i, 5), gv(r, i, 6), NULL};
        stop = join ? entsum_join_row(&j, &row, f, &kept, fn, ctx, get, gctx)
                    : entsum_emit(&row, f, &kept, fn, ctx);
    }
    if (e == RASD_OK && join > 0 && !stop)
        stop = entsum_join_finish(&j, f, &kept, fn, ctx, get, gctx);
    entsum_join_free(&j);
    PQclear(g.r);
    PQclear(r);
    if (e != RASD_OK)
        return e;
    return stop < 0 || join < 0 ? rasd_fail(err, RASD_ENOMEM, "out of memory") : RASD_OK;
}

rasd_err pg_put_role(Store *st_, int64_t article, const char *type, const char *key,
                     size_t key_len, const char *office, size_t office_len,
                     rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    (void)article;
    Params p = {0};
    p_text(&p, type);
    p_textn(&p, key, key_len);
    p_textn(&p, office, office_len);
    return pg_run(s, "INSERT INTO entity_roles(key, type, office, mentions) VALUES"
                  " ($2::text, $1::text, $3::text, 1) ON CONFLICT (key, type, office)"
                  " DO UPDATE SET mentions = entity_roles.mentions + 1",
               &p, 1, NULL, "insert role", err);
}

/* ---- a name's page: its stories and newest articles ---- */

typedef struct KeyStories {
    int (*fn)(void *ctx, int64_t story, const char *headline, const char *last,
              int64_t articles);
    void *ctx;
} KeyStories;

static int key_story_row(void *ctx, const PGresult *r, int row)
{
    KeyStories *x = ctx;
    return x->fn(x->ctx, gi(r, row, 0), gv(r, row, 1), gv(r, row, 2), gi(r, row, 3))
               ? PG_ROW_STOP
               : 0;
}

/* SQLite's order: NULL is the smallest value there, so last first */
rasd_err pg_key_stories(Store *st_, const char *key, size_t limit,
                        int (*fn)(void *ctx, int64_t story, const char *headline,
                                  const char *last, int64_t articles),
                        void *ctx, rasd_error *err)
{
    Params p = {0};
    p_textn(&p, key, strcspn(key, "|")); /* a name split off a key: its key's rows */
    p_i64(&p, (int64_t)limit);
    KeyStories x = {fn, ctx};
    return pg_each_row((PgStore *)st_,
                       "SELECT t.id, t.headline, t.last, count(DISTINCT m.article) FROM"
                       " mentions m JOIN article_event ae ON ae.article = m.article JOIN"
                       " events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                       " WHERE m.key = $1 GROUP BY t.id ORDER BY 4 DESC, t.last DESC NULLS"
                       " LAST, t.id LIMIT $2",
                       &p, 0, "a name's stories", key_story_row, &x, err);
}

typedef struct KeyArticles {
    int (*fn)(void *ctx, int64_t id);
    void *ctx;
} KeyArticles;

static int key_article_row(void *ctx, const PGresult *r, int row)
{
    KeyArticles *x = ctx;
    return x->fn(x->ctx, gi(r, row, 0)) ? PG_ROW_STOP : 0;
}

rasd_err pg_key_articles(Store *st_, const char *key, size_t limit,
                         int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err)
{
    Params p = {0};
    p_textn(&p, key, strcspn(key, "|")); /* a name split off a key: its key's rows */
    p_i64(&p, (int64_t)limit);
    KeyArticles x = {fn, ctx};
    return pg_each_row((PgStore *)st_,
                       "SELECT DISTINCT m.article, a.published FROM mentions m JOIN articles a"
                       " ON a.id = m.article WHERE m.key = $1 ORDER BY a.published DESC NULLS"
                       " LAST, m.article DESC LIMIT $2",
                       &p, 0, "a name's articles", key_article_row, &x, err);
}

/* ---- analyst corrections and outlet names (schema version 9) ---- */

rasd_err pg_add_override(Store *st_, const StoredOverride *o, int64_t *id, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, o->kind);
    p_text(&p, o->a);
    p_text(&p, o->b);
    p_text(&p, o->anchor_a);
    p_text(&p, o->anchor_b);
    p_text(&p, o->note);
    p_text(&p, o->at);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "INSERT INTO overrides(kind, a, b, anchor_a, anchor_b, note, at) VALUES"
                        " ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text)"
                        " RETURNING id",
                     &p, 1, &r, "save correction", err);
    if (e == RASD_OK)
        *id = PQntuples(r) == 1 ? gi(r, 0, 0) : 0;
    PQclear(r);
    return e;
}

rasd_err pg_each_override(Store *st_, int (*fn)(void *ctx, const StoredOverride *o),
                          void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT id, kind, a, b, anchor_a, anchor_b, note, at FROM overrides"
                        " ORDER BY id",
                     NULL, 1, &r, "read corrections", err);
    if (e != RASD_OK)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        StoredOverride o = {gi(r, i, 0), gv(r, i, 1), gv(r, i, 2), gv(r, i, 3),
                            gv(r, i, 4), gv(r, i, 5), gv(r, i, 6), gv(r, i, 7)};
        if (fn(ctx, &o))
            break;
    }
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_delete_override(Store *st_, int64_t id, int *found, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "DELETE FROM overrides WHERE id = $1::bigint RETURNING id", &p, 1, &r,
                     "remove correction", err);
    *found = e == RASD_OK && PQntuples(r) > 0;
    PQclear(r);
    return e;
}

rasd_err pg_article_event(Store *st_, int64_t article, int64_t *event, int64_t *thread,
                          rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    PGresult *r = NULL;
    *event = *thread = 0;
    rasd_err e = pg_run(s, "SELECT e.id, e.thread FROM article_event ae JOIN events e ON"
                        " e.id = ae.event WHERE ae.article = $1::bigint",
                     &p, 1, &r, "article's event", err);
    if (e == RASD_OK && PQntuples(r) == 1) {
        *event = gi(r, 0, 0);
        *thread = gi(r, 0, 1);
    }
    PQclear(r);
    return e;
}

rasd_err pg_set_article_event(Store *st_, int64_t article, int64_t event, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_i64(&p, event);
    return pg_run(s, "UPDATE article_event SET event = $2::bigint WHERE article = $1::bigint", &p, 1,
               NULL, "move article", err);
}

rasd_err pg_set_headline(Store *st_, int64_t event, int64_t thread, const char *headline,
                         rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    rasd_err e = RASD_OK;
    for (int k = 0; k < 2 && e == RASD_OK; k++) {
        int64_t id = k ? thread : event;
        if (id <= 0)
            continue;
        Params p = {0};
        p_i64(&p, id);
        p_text(&p, headline);
        e = pg_run(s, k ? "UPDATE threads SET headline = $2::text WHERE id = $1::bigint"
                     : "UPDATE events SET headline = $2::text WHERE id = $1::bigint",
                &p, 1, NULL, "headline", err);
    }
    return e;
}

rasd_err pg_totals(Store *st_, int64_t *articles, int64_t *threads, char *last, size_t cap,
                   rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM threads),"
                        " (SELECT ingested FROM articles ORDER BY id DESC LIMIT 1)",
                     NULL, 1, &r, "totals", err);
    if (e == RASD_OK && PQntuples(r) == 1) {
        *articles = gi(r, 0, 0);
        *threads = gi(r, 0, 1);
        snprintf(last, cap, "%s", gv(r, 0, 2) ? gv(r, 0, 2) : "");
    }
    PQclear(r);
    return e;
}

#define PG_THREAD_FILTER                                                                        \
    " WHERE ($1::text IS NULL OR t.last >= $1::text) AND ($2::text IS NULL OR EXISTS (SELECT 1" \
    " FROM events e JOIN article_event ae ON ae.event = e.id JOIN articles a ON"               \
    " a.id = ae.article WHERE e.thread = t.id AND a.outlet = $2::text))"

rasd_err pg_each_thread(Store *st_, const ThreadPage *q,
                        int (*fn)(void *ctx, const StoredStory *t), void *ctx,
                        int64_t *total, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    static const char *const sql[2] = {
        "SELECT t.id, t.headline, t.first, t.last, t.articles, t.events FROM threads t"
        PG_THREAD_FILTER " ORDER BY t.last DESC NULLS LAST, t.articles DESC, t.id DESC"
        " LIMIT $3::bigint OFFSET $4::bigint",
        "SELECT t.id, t.headline, t.first, t.last, t.articles, t.events FROM threads t"
        PG_THREAD_FILTER " ORDER BY t.articles DESC, t.last DESC NULLS LAST, t.id DESC"
        " LIMIT $3::bigint OFFSET $4::bigint",
    };
    Params p = {0};
    p_text(&p, q->since);
    p_text(&p, q->outlet);
    p_i64(&p, q->limit);
    p_i64(&p, q->offset);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, sql[q->largest ? 1 : 0], &p, 1, &r, "list threads", err);
    if (e != RASD_OK)
        return e;
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t id = gi(r, i, 0);
        StoredStory t = {id, id, gv(r, i, 2), gv(r, i, 3), gi(r, i, 5), gi(r, i, 4), 0,
                         gv(r, i, 1), NULL, 0};
        if (fn(ctx, &t))
            break;
    }
    PQclear(r);
    if (!total)
        return RASD_OK;
    Params c = {0};
    p_text(&c, q->since);
    p_text(&c, q->outlet);
    e = pg_run(s, "SELECT count(*) FROM threads t" PG_THREAD_FILTER, &c, 1, &r, "count threads",
            err);
    if (e == RASD_OK)
        *total = PQntuples(r) == 1 ? gi(r, 0, 0) : 0;
    PQclear(r);
    return e;
}

rasd_err pg_each_outlet_count(Store *st_, int64_t thread,
                              int (*fn)(void *ctx, const char *outlet, int64_t n),
                              void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, thread);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, thread > 0
                            ? "SELECT a.outlet, count(*) FROM events e JOIN article_event ae ON"
                              " ae.event = e.id JOIN articles a ON a.id = ae.article WHERE"
                              " e.thread = $1::bigint GROUP BY a.outlet ORDER BY 2 DESC, 1"
                              " NULLS FIRST"
                            : "SELECT outlet, count(*) FROM articles WHERE $1::bigint = 0"
                              " GROUP BY outlet UNION ALL SELECT name, 0 FROM outlet_names"
                              " WHERE name NOT IN (SELECT outlet FROM articles WHERE outlet IS"
                              " NOT NULL) ORDER BY 2 DESC, 1 NULLS FIRST",
                     &p, 1, &r, "outlet counts", err);
    if (e != RASD_OK)
        return e;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, gv(r, i, 0), gi(r, i, 1)))
            break;
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_set_outlet_name(Store *st_, const char *name, const char *display,
                            rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, name);
    if (display)
        p_text(&p, display);
    return pg_run(s, display ? "INSERT INTO outlet_names(name, display) VALUES ($1::text, $2::text)"
                            " ON CONFLICT (name) DO UPDATE SET display = excluded.display"
                          : "DELETE FROM outlet_names WHERE name = $1::text",
               &p, 1, NULL, "save outlet name", err);
}

rasd_err pg_each_outlet_name(Store *st_, int (*fn)(void *ctx, const char *name,
                                                   const char *display),
                             void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT name, display FROM outlet_names ORDER BY name", NULL, 1, &r,
                     "read outlet names", err);
    if (e != RASD_OK)
        return e;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, gv(r, i, 0), gv(r, i, 1)))
            break;
    PQclear(r);
    return RASD_OK;
}

typedef struct Headlines {
    int (*fn)(void *ctx, int64_t story, const char *headline);
    void *ctx;
} Headlines;

static int headline_row(void *ctx, const PGresult *r, int row)
{
    Headlines *x = ctx;
    return x->fn(x->ctx, gi(r, row, 0), gv(r, row, 1)) ? PG_ROW_STOP : 0;
}

/* One statement for a page of hits: the ids as an int8[] literal. */
rasd_err pg_story_headlines(Store *st_, const int64_t *ids, size_t n,
                            int (*fn)(void *ctx, int64_t story, const char *headline),
                            void *ctx, rasd_error *err)
{
    if (!n)
        return RASD_OK;
    Buf lit = {0};
    buf_putc(&lit, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&lit, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&lit, '}');
    if (lit.oom) {
        buf_free(&lit);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    Params p = {0};
    p_text(&p, lit.data);
    Headlines x = {fn, ctx};
    rasd_err e = pg_each_row((PgStore *)st_,
                             "SELECT id, headline FROM threads WHERE id = ANY($1::bigint[])", &p,
                             0, "story headlines", headline_row, &x, err);
    buf_free(&lit);
    return e;
}
