/*
 * data.c — the server's adapter to today's internals (see data.h for the
 * contract). Each endpoint is one function that borrows a pooled
 * connection, reads through the store interface where it has the call
 * (store_each_story_article, store_get_article, brief_build,
 * story_conflicts, engine_ingest_batch, engine_assign) and through its own SQLite
 * handle for what the interface lacks yet (paged thread lists, mention
 * counts by key, an article's event, near-copies of an article), and
 * returns a jansson document.
 *
 * The server's own state lives in two small tables it creates if missing:
 * overrides (analyst corrections: merge two stories, move an article out of
 * an event, dismiss a conflict — stored here, applied by story assignment
 * once the engine reads them) and outlet_names (display names such as
 * "الشرق الأوسط" for an outlet's stored name).
 *
 * Annotations of one article are recomputed by the `rasd analyze` stage
 * (analyze_article) until the engine stores them at ingest.
 */
#include "server/data_impl.h"

static const char server_tables[] =
    "CREATE TABLE IF NOT EXISTS overrides ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('merge', 'move', 'dismiss')),"
    "  a TEXT NOT NULL,"   /* merge: story merged; move: article id; dismiss: story */
    "  b TEXT NOT NULL,"   /* merge: story kept; move: event left; dismiss: conflict id */
    "  note TEXT,"
    "  at TEXT NOT NULL);" /* UTC, ISO 8601 */
    "CREATE TABLE IF NOT EXISTS outlet_names (name TEXT PRIMARY KEY, display TEXT NOT NULL);"
    /* the story list's two orders, without reading every thread's profile */
    "CREATE INDEX IF NOT EXISTS serve_threads_newest ON threads(last, articles);"
    "CREATE INDEX IF NOT EXISTS serve_threads_largest ON threads(articles, last);";

/* ---- connections ------------------------------------------------------- */

static void conn_free(Conn *c)
{
    if (!c)
        return;
    store_close(c->st);
    sqlite3_close(c->db);
    rasd_text_free(c->text);
    free(c);
}

Conn *conn_get(Data *d, DataReply *r)
{
    pthread_mutex_lock(&d->lock);
    Conn *c = d->idle;
    if (c)
        d->idle = c->next;
    pthread_mutex_unlock(&d->lock);
    if (c)
        return c;
    rasd_error err;
    c = calloc(1, sizeof *c);
    if (!c) {
        fail(r, 500, "out of memory");
        return NULL;
    }
    if (store_open(d->path, 1, &c->st, &err) != RASD_OK ||
        rasd_text_new(&c->text, &err) != RASD_OK) {
        fail(r, 500, "%s", err.msg);
        conn_free(c);
        return NULL;
    }
    if (sqlite3_open_v2(d->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        fail(r, 500, "%s: cannot open the database", d->path);
        conn_free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 10000);
    /* lists touch thousands of article pages: map the file and keep a large
       cache, rather than one read() per page per request */
    sqlite3_exec(c->db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536", NULL, NULL, NULL);
    return c;
}

void conn_put(Data *d, Conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->lock);
    c->next = d->idle;
    d->idle = c;
    pthread_mutex_unlock(&d->lock);
}

rasd_err data_open(const char *path, Data **out, rasd_error *err)
{
    Store *st = NULL;
    rasd_err e = store_open(path, 0, &st, err); /* creates and migrates */
    if (e != RASD_OK)
        return e;
    store_close(st);
    sqlite3 *db = NULL;
    char *emsg = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db, 10000) != SQLITE_OK ||
        sqlite3_exec(db, server_tables, NULL, NULL, &emsg) != SQLITE_OK) {
        e = rasd_fail(err, RASD_EDB, "%s: cannot create the server's tables: %s", path,
                      emsg ? emsg : sqlite3_errmsg(db));
        sqlite3_free(emsg);
        sqlite3_close(db);
        return e;
    }
    sqlite3_close(db);
    Data *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->write, NULL);
    pthread_mutex_init(&d->rank_lock, NULL);
    *out = d;
    return RASD_OK;
}

void data_close(Data *d)
{
    if (!d)
        return;
    while (d->idle) {
        Conn *c = d->idle;
        d->idle = c->next;
        conn_free(c);
    }
    store_close(d->writer);
    for (int i = 0; i < 5; i++)
        json_decref(d->rank[i]);
    pthread_mutex_destroy(&d->rank_lock);
    pthread_mutex_destroy(&d->lock);
    pthread_mutex_destroy(&d->write);
    free(d->path);
    free(d);
}

/* ---- status, stories ---------------------------------------------------- */

void data_status(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    sqlite3_stmt *q = prep(c,
                           "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM threads),"
                           " (SELECT ingested FROM articles WHERE id = (SELECT max(id) FROM articles))",
                           r);
    if (q && sqlite3_step(q) == SQLITE_ROW)
        done(r,
             json_pack("{s:I, s:I, s:o}", "articles", (json_int_t)sqlite3_column_int64(q, 0),
                       "stories", (json_int_t)sqlite3_column_int64(q, 1), "last_ingested",
                       jcol(q, 2)),
             200);
    else if (q)
        fail(r, 500, "database query failed: %s", sqlite3_errmsg(c->db));
    sqlite3_finalize(q);
    conn_put(d, c);
}

#define THREAD_FILTER                                                                          \
    " WHERE (?1 IS NULL OR t.last >= ?1) AND (?2 IS NULL OR EXISTS (SELECT 1 FROM events e"  \
    " JOIN article_event ae ON ae.event = e.id JOIN articles a ON a.id = ae.article"          \
    " WHERE e.thread = t.id AND a.outlet = ?2))"

/* [{name, display, articles}] of one thread, most articles first. */
static json_t *thread_outlets(Conn *c, json_t *names, int64_t thread)
{
    json_t *arr = json_array();
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT a.outlet, count(*) FROM events e JOIN article_event ae ON"
                           " ae.event = e.id JOIN articles a ON a.id = ae.article WHERE"
                           " e.thread = ?1 GROUP BY a.outlet ORDER BY 2 DESC, 1",
                           -1, &q, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_int64(q, 1, thread);
    while (sqlite3_step(q) == SQLITE_ROW)
        json_array_append_new(arr, outlet_obj(names, (const char *)sqlite3_column_text(q, 0),
                                              sqlite3_column_int64(q, 1)));
    sqlite3_finalize(q);
    return arr;
}

void data_stories(Data *d, const DataStoriesQuery *sq, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    /* backward scans of the serve_threads_* indexes (undated threads last) */
    const char *order = sq->largest ? " ORDER BY t.articles DESC, t.last DESC, t.id DESC"
                                    : " ORDER BY t.last DESC, t.articles DESC, t.id DESC";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT t.id, t.headline, t.first, t.last, t.articles, t.events FROM threads t"
             THREAD_FILTER "%s LIMIT ?3 OFFSET ?4",
             order);
    sqlite3_stmt *q = prep(c, sql, r);
    sqlite3_stmt *cnt = q ? prep(c, "SELECT count(*) FROM threads t" THREAD_FILTER, r) : NULL;
    if (!q || !cnt) {
        sqlite3_finalize(q);
        conn_put(d, c);
        return;
    }
    bind_text_or_null(q, 1, sq->since);
    bind_text_or_null(q, 2, sq->outlet);
    sqlite3_bind_int64(q, 3, sq->limit);
    sqlite3_bind_int64(q, 4, sq->offset);
    bind_text_or_null(cnt, 1, sq->since);
    bind_text_or_null(cnt, 2, sq->outlet);
    json_t *names = outlet_names(c);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        json_t *outlets = thread_outlets(c, names, id);
        size_t named = 0, k;
        json_t *o;
        json_array_foreach(outlets, k, o) named += !json_is_null(json_object_get(o, "name"));
        json_array_append_new(
            list, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o}", "id", (json_int_t)id,
                            "headline", jcol(q, 1), "first", jcol(q, 2), "last", jcol(q, 3),
                            "articles", (json_int_t)sqlite3_column_int64(q, 4), "events",
                            (json_int_t)sqlite3_column_int64(q, 5), "outlet_count",
                            (json_int_t)named, "outlets", outlets));
    }
    int64_t total = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : 0;
    if (rc != SQLITE_DONE) {
        fail(r, 500, "listing stories failed: %s", sqlite3_errmsg(c->db));
        json_decref(list);
    } else {
        done(r,
             json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "offset",
                       (json_int_t)sq->offset, "limit", (json_int_t)sq->limit, "stories", list),
             200);
    }
    json_decref(names);
    sqlite3_finalize(q);
    sqlite3_finalize(cnt);
    conn_put(d, c);
}

/* store_each_story_article into {id, headline, ..., events:[{..., articles}]} */
typedef struct StoryBuild {
    json_t *story;       /* the thread object, NULL before the first row */
    json_t *event;       /* the current event's article array */
    int64_t event_id;    /* current event */
    json_t *names;       /* outlet display names */
    json_t *moved;       /* {article id: event} of "move" overrides */
} StoryBuild;

static int on_story_row(void *ctx, const StoryArticle *a)
{
    StoryBuild *b = ctx;
    if (!b->story) {
        b->story = json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:[]}", "id",
                             (json_int_t)a->thread.id, "headline", jstr(a->thread.headline),
                             "first", jstr(a->thread.first), "last", jstr(a->thread.last),
                             "articles", (json_int_t)a->thread.articles, "event_count",
                             (json_int_t)a->thread.events, "events");
        if (!b->story)
            return 1;
    }
    if (a->event.id != b->event_id) {
        json_t *ev = json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:[]}", "id",
                               (json_int_t)a->event.id, "headline", jstr(a->event.headline),
                               "first", jstr(a->event.first), "last", jstr(a->event.last),
                               "article_count", (json_int_t)a->event.articles, "outlet_count",
                               (json_int_t)a->event.outlets, "articles");
        if (!ev)
            return 1;
        json_array_append_new(json_object_get(b->story, "events"), ev);
        b->event = json_object_get(ev, "articles");
        b->event_id = a->event.id;
    }
    json_t *disp = a->outlet ? json_object_get(b->names, a->outlet) : NULL;
    json_t *mv = a->hash ? json_object_get(b->moved, a->hash) : NULL;
    json_t *art = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:b}", "id", jstr(a->hash),
                            "title", jstr(a->title), "outlet", jstr(a->outlet), "display",
                            disp ? json_incref(disp) : jstr(a->outlet), "published",
                            jstr(a->published), "agency", jstr(a->agency), "score", a->score,
                            "moved_out", mv && json_integer_value(mv) == a->event.id);
    if (!art)
        return 1;
    if (a->copy_of)
        json_object_set_new(art, "copy_of_row", json_integer(a->copy_of));
    json_array_append_new(b->event, art);
    return 0;
}

/* The overrides touching thread, as an array (and the moves as a map). */
static json_t *story_overrides(Conn *c, int64_t thread, json_t *moved)
{
    json_t *arr = json_array();
    sqlite3_stmt *q = NULL;
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)thread);
    if (sqlite3_prepare_v2(c->db,
                           "SELECT id, kind, a, b, note, at FROM overrides WHERE"
                           " (kind IN ('merge', 'dismiss') AND (a = ?1 OR (kind = 'merge' AND"
                           " b = ?1))) OR kind = 'move' ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(q, 1);
        if (strcmp(kind, "move") == 0) {
            if (moved)
                json_object_set_new(moved, (const char *)sqlite3_column_text(q, 2),
                                    json_integer(atoll((const char *)sqlite3_column_text(q, 3))));
            continue;
        }
        json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id",
                                             (json_int_t)sqlite3_column_int64(q, 0), "kind",
                                             jcol(q, 1), "a", jcol(q, 2), "b", jcol(q, 3),
                                             "note", jcol(q, 4), "at", jcol(q, 5)));
    }
    sqlite3_finalize(q);
    return arr;
}

void data_story(Data *d, int64_t thread, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    StoryBuild b = {0};
    b.names = outlet_names(c);
    b.moved = json_object();
    json_t *ovr = story_overrides(c, thread, b.moved);
    rasd_error err;
    rasd_err e = store_each_story_article(c->st, NULL, thread, on_story_row, &b, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        json_decref(b.story);
        json_decref(ovr);
    } else if (!b.story) {
        fail(r, 404, "there is no story %lld", (long long)thread);
        json_decref(ovr);
    } else {
        json_object_set_new(b.story, "outlets", thread_outlets(c, b.names, thread));
        json_object_set_new(b.story, "overrides", ovr);
        done(r, b.story, 200);
    }
    json_decref(b.names);
    json_decref(b.moved);
    conn_put(d, c);
}

