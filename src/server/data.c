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
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "annotate/analyze.h"
#include "ingest/ingest.h"
#include "engine/engine.h"
#include "views/load.h"
#include "ingest/ingest.h"
#include "server/data.h"
#include "store/store.h"
#include "story/brief.h"
#include "story/stories.h"

#if defined(__has_include)
#if __has_include("store/fts.h")
#define DATA_HAVE_FTS 1
#include "store/fts.h"
#endif
#endif

/* One thread's handles, borrowed for the length of a call. */
typedef struct Conn {
    Store *st;          /* read-only store (briefs, stories, articles) */
    sqlite3 *db;        /* read-write handle on the same file: lists, server tables */
    rasd_text *text;    /* text context for annotating one article */
    struct Conn *next;  /* next idle connection */
} Conn;

struct Data {
    char *path;             /* database file */
    pthread_mutex_t lock;   /* guards idle */
    Conn *idle;             /* connections not in use */
    pthread_mutex_t write;  /* one ingest or correction at a time */
    Store *writer;          /* read-write store for ingest, opened on first use */
    /* the ranking of names (all types, PER, LOC, ORG, MISC): grouping every
       mention takes seconds on a big store, so the first RANK_CACHED of each
       are kept until a mention is added */
    pthread_mutex_t rank_lock; /* guards rank and rank_stamp */
    json_t *rank[5];        /* arrays of {key, type, name, mentions, articles}, or NULL */
    int64_t rank_stamp[5];  /* largest mention rowid when each was computed */
};
#define RANK_CACHED 2000

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

/* ---- replies ---------------------------------------------------------- */

static void fail(DataReply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(DataReply *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->status = status;
    if (r->json)
        json_decref(r->json);
    r->json = NULL;
}

static void done(DataReply *r, json_t *j, int status)
{
    if (!j) {
        fail(r, 500, "out of memory");
        return;
    }
    r->status = status;
    r->json = j;
    r->msg[0] = '\0';
}

static int status_of(rasd_err e)
{
    switch (e) {
    case RASD_ENOTFOUND: return 404;
    case RASD_EINVAL: case RASD_EFORMAT: return 400;
    case RASD_ETOOBIG: return 413;
    default: return 500;
    }
}

/* A JSON string, or null for NULL (and for text jansson refuses). */
static json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *jcol(sqlite3_stmt *q, int i)
{
    return jstr((const char *)sqlite3_column_text(q, i));
}

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

static Conn *conn_get(Data *d, DataReply *r)
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

static void conn_put(Data *d, Conn *c)
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

/* Prepares sql on c->db; NULL after filling r. */
static sqlite3_stmt *prep(Conn *c, const char *sql, DataReply *r)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK) {
        fail(r, 500, "database query failed: %s", sqlite3_errmsg(c->db));
        return NULL;
    }
    return q;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

/* {name: display} of every renamed outlet. */
static json_t *outlet_names(Conn *c)
{
    json_t *m = json_object();
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT name, display FROM outlet_names", -1, &q, NULL) ==
        SQLITE_OK)
        while (sqlite3_step(q) == SQLITE_ROW)
            json_object_set_new(m, (const char *)sqlite3_column_text(q, 0), jcol(q, 1));
    sqlite3_finalize(q);
    return m;
}

/* {name, display, articles} for an outlet name (may be NULL). */
static json_t *outlet_obj(json_t *names, const char *name, int64_t articles)
{
    json_t *disp = name ? json_object_get(names, name) : NULL;
    return json_pack("{s:o, s:o, s:I}", "name", jstr(name), "display",
                     disp ? json_incref(disp) : jstr(name), "articles", (json_int_t)articles);
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

/* ---- briefs and conflicts ---------------------------------------------- */

/* Gives every conflict of arr a stable id (hash of kind, subject, values)
   and marks those the analyst dismissed in story. */
static void mark_conflicts(Conn *c, int64_t story, json_t *arr)
{
    json_t *dismissed = json_object();
    sqlite3_stmt *q = NULL;
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)story);
    if (sqlite3_prepare_v2(c->db, "SELECT b FROM overrides WHERE kind = 'dismiss' AND a = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, t, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(q) == SQLITE_ROW)
            json_object_set_new(dismissed, (const char *)sqlite3_column_text(q, 0), json_true());
    }
    sqlite3_finalize(q);
    size_t i;
    json_t *cf;
    Buf key = {0};
    json_array_foreach(arr, i, cf) {
        buf_reset(&key);
        const char *kind = json_string_value(json_object_get(cf, "kind"));
        const char *subject = json_string_value(json_object_get(cf, "subject"));
        buf_puts(&key, kind ? kind : "");
        buf_putc(&key, '\x1f');
        buf_puts(&key, subject ? subject : "");
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(cf, "values"), k, v) {
            const char *val = json_string_value(json_object_get(v, "value"));
            buf_putc(&key, '\x1f');
            buf_puts(&key, val ? val : "");
        }
        char id[17];
        snprintf(id, sizeof id, "%016llx",
                 (unsigned long long)rasd_hash(key.data ? key.data : "", key.len));
        json_object_set_new(cf, "id", json_string(id));
        json_object_set_new(cf, "dismissed", json_boolean(json_object_get(dismissed, id)));
    }
    buf_free(&key);
    json_decref(dismissed);
}

void data_brief(Data *d, int64_t thread, int64_t event, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    Buf b = {0};
    rasd_error err;
    rasd_err e = brief_build(c->st, thread, event, NULL, &b, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", e == RASD_ENOTFOUND
                                        ? (event ? "there is no such event" : "there is no such story")
                                        : err.msg);
    } else {
        json_error_t je;
        json_t *j = json_loadb(b.data, b.len, 0, &je);
        if (!j) {
            fail(r, 500, "the brief could not be read back: %s", je.text);
        } else {
            json_t *s = json_object_get(j, "story");
            int64_t story = json_is_integer(s) ? (int64_t)json_integer_value(s) : thread;
            mark_conflicts(c, story, json_object_get(j, "conflicts"));
            json_object_set_new(j, "outlet_names", outlet_names(c));
            done(r, j, 200);
        }
    }
    buf_free(&b);
    conn_put(d, c);
}

void data_conflicts(Data *d, int64_t thread, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    Buf b = {0};
    size_t n = 0;
    rasd_error err;
    rasd_err e = story_conflicts(c->st, thread, 0, &b, &n, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s",
             e == RASD_ENOTFOUND ? "there is no such story" : err.msg);
    } else {
        json_t *arr = json_loadb(b.data ? b.data : "[]", b.data ? b.len : 2, 0, NULL);
        if (!arr) {
            fail(r, 500, "the conflicts could not be read back");
        } else {
            mark_conflicts(c, thread, arr);
            done(r, json_pack("{s:I, s:o}", "story", (json_int_t)thread, "conflicts", arr), 200);
        }
    }
    buf_free(&b);
    conn_put(d, c);
}

/* ---- articles ------------------------------------------------------------ */

/* Fills a (borrowing sa's strings) for analyze_article. */
static void as_article(const StoredArticle *sa, Article *a)
{
    memset(a, 0, sizeof *a);
    a->title = sa->title;
    a->outlet = sa->outlet;
    a->agency = sa->agency;
    a->published = sa->published;
    a->url = sa->url;
    a->author = sa->author;
    a->body = sa->body;
    a->origin = sa->origin;
    a->parent = -1;
}

/* The annotated article (analyze JSON) of a stored one; NULL with r filled. */
static json_t *annotate(Conn *c, const StoredArticle *sa, DataReply *r)
{
    Article a;
    as_article(sa, &a);
    Buf b = {0};
    rasd_error err;
    json_t *j = NULL;
    Annotated an;
    if (annot_load(c->st, sa->id, &an, &err) != RASD_OK) { /* stored at ingest */
        fail(r, 500, "%s", err.msg);
        return NULL;
    }
    analyze_write_json(&a, an.doc, &an.ents, &an.quotes, an.dates, an.ndates, an.id, &b);
    annotated_free(&an);
    if (b.oom)
        fail(r, 500, "out of memory");
    else if (!(j = json_loadb(b.data, b.len, 0, NULL)))
        fail(r, 500, "the annotations of article %s could not be read back", sa->hash);
    buf_free(&b);
    return j;
}

static json_t *sighting(sqlite3_stmt *q, json_t *names, const char *relation)
{
    const char *outlet = (const char *)sqlite3_column_text(q, 1);
    json_t *disp = outlet ? json_object_get(names, outlet) : NULL;
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "id", jcol(q, 0), "outlet",
                     jstr(outlet), "display", disp ? json_incref(disp) : jstr(outlet), "url",
                     jcol(q, 2), "published", jcol(q, 3), "title", jcol(q, 4), "relation",
                     relation);
}

/* Where this text was seen: the article itself, what it copies, its copies. */
static json_t *sightings(Conn *c, json_t *names, const StoredArticle *sa)
{
    json_t *arr = json_array();
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT hash, outlet, url, published, title, 'self' FROM articles"
                           " WHERE id = ?1 UNION ALL SELECT hash, outlet, url, published,"
                           " title, 'original' FROM articles WHERE id = ?2 UNION ALL SELECT"
                           " hash, outlet, url, published, title, 'copy' FROM articles WHERE"
                           " copy_of = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_int64(q, 1, sa->id);
    sqlite3_bind_int64(q, 2, sa->copy_of);
    while (sqlite3_step(q) == SQLITE_ROW)
        json_array_append_new(arr, sighting(q, names, (const char *)sqlite3_column_text(q, 5)));
    sqlite3_finalize(q);
    return arr;
}

void data_article(Data *d, const char *id, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    StoredArticle sa;
    rasd_error err;
    rasd_err e = store_get_article(c->st, id, &sa, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        conn_put(d, c);
        return;
    }
    json_t *j = annotate(c, &sa, r);
    if (j) {
        json_t *names = outlet_names(c);
        json_object_del(j, "file"); /* a path on the server */
        json_object_set_new(j, "id", json_string(sa.hash));
        json_t *disp = sa.outlet ? json_object_get(names, sa.outlet) : NULL;
        json_object_set_new(j, "display", disp ? json_incref(disp) : jstr(sa.outlet));
        json_object_set_new(j, "url", jstr(sa.url));
        json_object_set_new(j, "author", jstr(sa.author));
        json_object_set_new(j, "agency", jstr(sa.agency));
        json_object_set_new(j, "ingested", jstr(sa.ingested));
        if (sa.copy_of)
            json_object_set_new(j, "copy_similarity", json_real(sa.copy_sim));
        json_object_set_new(j, "sightings", sightings(c, names, &sa));
        sqlite3_stmt *q = NULL;
        json_t *story = json_null();
        if (sqlite3_prepare_v2(c->db,
                               "SELECT e.thread, e.id, t.headline FROM article_event ae JOIN"
                               " events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                               " WHERE ae.article = ?1",
                               -1, &q, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(q, 1, sa.id);
            if (sqlite3_step(q) == SQLITE_ROW) {
                json_decref(story);
                story = json_pack("{s:I, s:I, s:o}", "id", (json_int_t)sqlite3_column_int64(q, 0),
                                  "event", (json_int_t)sqlite3_column_int64(q, 1), "headline",
                                  jcol(q, 2));
            }
        }
        sqlite3_finalize(q);
        json_object_set_new(j, "story", story);
        json_decref(names);
        done(r, j, 200);
    }
    store_article_free(&sa);
    conn_put(d, c);
}

/* ---- search ---------------------------------------------------------------- */

void data_search(Data *d, const DataSearchQuery *sq, DataReply *r)
{
#ifdef DATA_HAVE_FTS
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    FtsQuery fq;
    rasd_error err;
    rasd_err e = fts_parse_query(sq->q, strlen(sq->q), &fq, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        conn_put(d, c);
        return;
    }
    FtsOptions o = {0};
    o.since = sq->since;
    o.until = sq->until;
    o.outlet = sq->outlet;
    o.entity = sq->entity;
    o.story = sq->story;
    o.limit = (size_t)sq->limit;
    o.offset = (size_t)sq->offset;
    o.mark_open = "\x02";
    o.mark_close = "\x03";
    FtsHits h = {0};
    e = fts_search(c->st, &fq, &o, &h, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
    } else {
        json_t *names = outlet_names(c), *hits = json_array();
        for (size_t i = 0; i < h.n; i++) {
            const FtsHit *x = &h.v[i];
            json_t *disp = x->outlet ? json_object_get(names, x->outlet) : NULL;
            json_array_append_new(
                hits, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:f, s:b}", "id",
                                x->hash, "title", jstr(x->title), "outlet", jstr(x->outlet),
                                "display", disp ? json_incref(disp) : jstr(x->outlet),
                                "published", jstr(x->published), "url", jstr(x->url),
                                "snippet", jstr(x->snippet), "story", (json_int_t)x->story,
                                "score", x->score, "all_terms", x->all_terms));
        }
        json_decref(names);
        done(r,
             json_pack("{s:s, s:I, s:I, s:o}", "query", sq->q, "offset", (json_int_t)sq->offset,
                       "limit", (json_int_t)sq->limit, "hits", hits),
             200);
    }
    fts_hits_free(&h);
    fts_query_free(&fq);
    conn_put(d, c);
#else
    (void)d;
    (void)sq;
    fail(r, 503, "search is not built yet: this rasd has no search index");
#endif
}

/* ---- entities ---------------------------------------------------------------- */

/* Names by mentions as an array (NULL with r filled); see data_entities. */
static json_t *rank_names(Conn *c, const char *qtext, const char *type, long limit, long offset,
                          DataReply *r)
{
    sqlite3_stmt *q = prep(
        c,
        /* the page first, then the most used spelling of each name on it */
        "SELECT g.key, g.type, g.n, g.docs, (SELECT text FROM mentions m2 WHERE m2.key = g.key"
        "  AND m2.type = g.type GROUP BY text ORDER BY count(*) DESC, text LIMIT 1)"
        " FROM (SELECT m.key, m.type, count(*) AS n, count(DISTINCT m.article) AS docs"
        "  FROM mentions m WHERE (?1 IS NULL OR m.type = ?1) AND (?2 IS NULL OR m.key IN"
        "  (SELECT key FROM mentions WHERE instr(text, ?2) > 0))"
        /* nationality adjectives (الروسي, key adj:...) only when a type is asked for */
        "  AND (?1 IS NOT NULL OR substr(m.key, 1, 4) <> 'adj:')"
        "  GROUP BY m.key, m.type ORDER BY n DESC, m.key LIMIT ?3 OFFSET ?4) g"
        " ORDER BY g.n DESC, g.key",
        r);
    if (!q)
        return NULL;
    bind_text_or_null(q, 1, type);
    bind_text_or_null(q, 2, qtext && *qtext ? qtext : NULL);
    sqlite3_bind_int64(q, 3, limit);
    sqlite3_bind_int64(q, 4, offset);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:I, s:I}", "key", jcol(q, 0),
                                             "type", jcol(q, 1), "name", jcol(q, 4), "mentions",
                                             (json_int_t)sqlite3_column_int64(q, 2), "articles",
                                             (json_int_t)sqlite3_column_int64(q, 3)));
    if (rc != SQLITE_DONE) {
        fail(r, 500, "listing names failed: %s", sqlite3_errmsg(c->db));
        json_decref(arr);
        arr = NULL;
    }
    sqlite3_finalize(q);
    return arr;
}

void data_entities(Data *d, const char *qtext, const char *type, long limit, long offset,
                   DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    static const char *const types[5] = {NULL, "PER", "LOC", "ORG", "MISC"};
    int slot = -1;
    for (int i = 0; i < 5 && !(qtext && *qtext) && offset + limit <= RANK_CACHED; i++)
        if (type ? types[i] && strcmp(type, types[i]) == 0 : !types[i])
            slot = i;
    json_t *arr = NULL;
    if (slot >= 0) {
        sqlite3_stmt *q = prep(c, "SELECT coalesce(max(rowid), 0) FROM mentions", r);
        int64_t stamp = q && sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
        sqlite3_finalize(q);
        pthread_mutex_lock(&d->rank_lock);
        json_t *all = d->rank[slot] && d->rank_stamp[slot] == stamp ? json_incref(d->rank[slot]) : NULL;
        pthread_mutex_unlock(&d->rank_lock);
        if (!all && (all = rank_names(c, NULL, type, RANK_CACHED, 0, r))) {
            pthread_mutex_lock(&d->rank_lock);
            json_decref(d->rank[slot]);
            d->rank[slot] = json_incref(all);
            d->rank_stamp[slot] = stamp;
            pthread_mutex_unlock(&d->rank_lock);
        }
        if (all) {
            arr = json_array();
            for (size_t i = (size_t)offset; i < json_array_size(all) && i < (size_t)(offset + limit); i++)
                json_array_append_new(arr, json_deep_copy(json_array_get(all, i)));
            json_decref(all);
        }
    } else {
        arr = rank_names(c, qtext, type, limit, offset, r);
    }
    if (arr)
        done(r,
             json_pack("{s:I, s:I, s:o}", "offset", (json_int_t)offset, "limit",
                       (json_int_t)limit, "entities", arr),
             200);
    conn_put(d, c);
}

/* Rows of a one-parameter (key) query as objects with the given field names
   (a column per name; "I" suffix on a name: integer). */
static json_t *rows(Conn *c, const char *sql, const char *key, const char *const *fields,
                    int nfields)
{
    json_t *arr = json_array();
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(q) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < nfields; i++) {
            if (sqlite3_column_type(q, i) == SQLITE_INTEGER)
                json_object_set_new(o, fields[i], json_integer(sqlite3_column_int64(q, i)));
            else
                json_object_set_new(o, fields[i], jcol(q, i));
        }
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(q);
    return arr;
}

/* Roles and quotes of key in the most recent articles that mention it. */
static void entity_annotations(Conn *c, const char *key, json_t *roles, json_t *quotes)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT DISTINCT m.article, a.published FROM mentions m JOIN articles a"
                           " ON a.id = m.article WHERE m.key = ?1 ORDER BY a.published DESC,"
                           " m.article DESC LIMIT 20",
                           -1, &q, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    json_t *seen_roles = json_object();
    while (sqlite3_step(q) == SQLITE_ROW) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(q, 0));
        StoredArticle sa;
        rasd_error err;
        if (store_get_article(c->st, id, &sa, &err) != RASD_OK)
            continue;
        DataReply ignore = {0};
        json_t *j = annotate(c, &sa, &ignore);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(j, "entities"), i, x) {
            json_t *role = json_object_get(x, "role");
            const char *k = json_string_value(json_object_get(x, "key"));
            const char *text = json_string_value(json_object_get(role, "text"));
            if (!k || strcmp(k, key) != 0 || !text || json_object_get(seen_roles, text))
                continue;
            json_object_set_new(seen_roles, text, json_true());
            json_array_append_new(roles, json_pack("{s:s, s:o, s:s, s:o}", "text", text,
                                                   "office", json_incref(json_object_get(role, "office")
                                                                             ? json_object_get(role, "office")
                                                                             : json_null()),
                                                   "article", sa.hash, "outlet", jstr(sa.outlet)));
        }
        json_array_foreach(json_object_get(j, "quotes"), i, x) {
            const char *k = json_string_value(json_object_get(x, "speaker_key"));
            if (!k || strcmp(k, key) != 0 || json_array_size(quotes) >= 50)
                continue;
            json_t *qq = json_deep_copy(x);
            json_object_set_new(qq, "article", json_string(sa.hash));
            json_object_set_new(qq, "outlet", jstr(sa.outlet));
            json_object_set_new(qq, "published", jstr(sa.published));
            json_array_append_new(quotes, qq);
        }
        json_decref(j);
        store_article_free(&sa);
    }
    json_decref(seen_roles);
    sqlite3_finalize(q);
}

void data_entity(Data *d, const char *key, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    static const char *const vf[] = {"text", "mentions", "articles"};
    json_t *variants = rows(c,
                            "SELECT text, count(*), count(DISTINCT article) FROM mentions WHERE"
                            " key = ?1 GROUP BY text ORDER BY 2 DESC, 1",
                            key, vf, 3);
    if (!json_array_size(variants)) {
        json_decref(variants);
        fail(r, 404, "no name has the key '%s'", key);
        conn_put(d, c);
        return;
    }
    static const char *const tf[] = {"type", "mentions"};
    json_t *types = rows(c,
                         "SELECT type, count(*) FROM mentions WHERE key = ?1 GROUP BY type"
                         " ORDER BY 2 DESC",
                         key, tf, 2);
    static const char *const of[] = {"name", "mentions", "articles"};
    json_t *outlets = rows(c,
                           "SELECT a.outlet, count(*), count(DISTINCT a.id) FROM mentions m JOIN"
                           " articles a ON a.id = m.article WHERE m.key = ?1 GROUP BY a.outlet"
                           " ORDER BY 2 DESC, 1",
                           key, of, 3);
    json_t *names = outlet_names(c);
    size_t i;
    json_t *o;
    json_array_foreach(outlets, i, o) {
        json_t *disp = json_object_get(names, json_string_value(json_object_get(o, "name")) ?
                                                  json_string_value(json_object_get(o, "name")) : "");
        json_object_set(o, "display", disp ? disp : json_object_get(o, "name"));
    }
    json_decref(names);
    static const char *const sf[] = {"id", "headline", "last", "articles"};
    json_t *stories = rows(c,
                           "SELECT t.id, t.headline, t.last, count(DISTINCT m.article) FROM"
                           " mentions m JOIN article_event ae ON ae.article = m.article JOIN"
                           " events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                           " WHERE m.key = ?1 GROUP BY t.id ORDER BY 4 DESC, t.last DESC LIMIT 50",
                           key, sf, 4);
    int64_t mentions = 0;
    json_array_foreach(variants, i, o) mentions += json_integer_value(json_object_get(o, "mentions"));
    json_t *roles = json_array(), *quotes = json_array();
    entity_annotations(c, key, roles, quotes);
    /* the name shown: the longest spelling used at least a quarter as often
       as the most frequent one ("فلاديمير بوتين" rather than "بوتين") */
    json_t *first = json_array_get(variants, 0);
    json_int_t top = json_integer_value(json_object_get(first, "mentions"));
    json_array_foreach(variants, i, o) {
        const char *t = json_string_value(json_object_get(o, "text"));
        const char *best = json_string_value(json_object_get(first, "text"));
        if (t && best && 4 * json_integer_value(json_object_get(o, "mentions")) >= top &&
            strlen(t) > strlen(best))
            first = o;
    }
    done(r,
         json_pack("{s:s, s:O, s:O, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "key", key, "type",
                   json_object_get(json_array_get(types, 0), "type"), "name",
                   json_object_get(first, "text"), "mentions", (json_int_t)mentions, "types",
                   types, "variants", variants, "outlets", outlets, "stories", stories, "roles",
                   roles, "quotes", quotes),
         200);
    conn_put(d, c);
}

/* ---- ingest ------------------------------------------------------------------- */

static int utf8_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

long data_ingest_check(const char *body, size_t n, char *msg, size_t cap)
{
    if (n == 0) {
        snprintf(msg, cap, "the request body is empty: send a JSON object, an array of objects "
                           "or JSON Lines");
        return -1;
    }
    if (!utf8_ok(body, n) || memchr(body, '\0', n)) {
        snprintf(msg, cap, "the request body is not valid UTF-8 text");
        return -1;
    }
    Batch b = {0};
    rasd_error err;
    long count = -1;
    if (ingest_json(body, n, "request body", &b, &err) != RASD_OK)
        snprintf(msg, cap, "%s", err.msg);
    else if (b.n == 0)
        snprintf(msg, cap, "%s", b.nerrors ? b.errors[0]
                                           : "the request body holds no article (each needs a "
                                             "\"body\" or \"text\")");
    else
        count = (long)b.n;
    batch_free(&b);
    return count;
}

static void on_ingest_message(void *ctx, const char *m)
{
    json_t *arr = ctx;
    if (json_array_size(arr) < 100)
        json_array_append_new(arr, jstr(m));
}

void data_ingest(Data *d, const char *body, size_t n, DataReply *r)
{
    if (data_ingest_check(body, n, r->msg, sizeof r->msg) < 0) {
        r->status = 400;
        return;
    }
    /* the body is read like a JSON Lines file and stored by the engine */
    Batch batch = {0};
    rasd_error err;
    if (ingest_json(body, n, "request body", &batch, &err) != RASD_OK) {
        batch_free(&batch);
        fail(r, 400, "%s", err.msg);
        return;
    }
    json_t *messages = json_array();
    IngestOptions io = {0};
    io.max_bytes = n + 1;
    io.on_message = on_ingest_message;
    io.ctx = messages;
    IngestStats s = {0};
    StoriesStats ss = {0};
    pthread_mutex_lock(&d->write);
    rasd_err e = d->writer ? RASD_OK : store_open(d->path, 0, &d->writer, &err);
    if (e == RASD_OK)
        e = engine_ingest_batch(d->writer, &io, &batch, "POST /api/articles", &s, &err);
    int ran = 0;
    if (e == RASD_OK && s.added) {
        AssignOpts ao;
        assign_opts_default(&ao);
        e = engine_assign(d->writer, &ao, &ss, &ran, &err);
    }
    size_t refreshed = 0;
    if (e == RASD_OK && ran) /* the changed stories' briefs, so readers only read */
        e = engine_refresh(d->writer, NULL, NULL, &refreshed, &err);
    pthread_mutex_unlock(&d->write);
    batch_free(&batch);
    if (e != RASD_OK) {
        json_decref(messages);
        fail(r, status_of(e), "%s", err.msg);
        return;
    }
    done(r,
         json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "articles", (json_int_t)s.articles,
                   "added", (json_int_t)s.added, "duplicates", (json_int_t)s.duplicates,
                   "near_copies", (json_int_t)s.near_copies, "split_off",
                   (json_int_t)s.split_off, "failed", (json_int_t)s.item_errors, "messages",
                   messages),
         s.added ? 201 : 200);
}

/* ---- outlets ------------------------------------------------------------------- */

void data_outlets(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    sqlite3_stmt *q = prep(c,
                           "SELECT outlet, count(*) FROM articles GROUP BY outlet UNION ALL"
                           " SELECT name, 0 FROM outlet_names WHERE name NOT IN (SELECT outlet"
                           " FROM articles WHERE outlet IS NOT NULL) ORDER BY 2 DESC, 1",
                           r);
    if (q) {
        json_t *names = outlet_names(c), *arr = json_array();
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(q, 0);
            json_t *o = outlet_obj(names, name, sqlite3_column_int64(q, 1));
            json_object_set_new(o, "renamed", json_boolean(name && json_object_get(names, name)));
            json_array_append_new(arr, o);
        }
        json_decref(names);
        done(r, json_pack("{s:o}", "outlets", arr), 200);
    }
    sqlite3_finalize(q);
    conn_put(d, c);
}

void data_set_outlet(Data *d, const char *name, const char *body, size_t n, DataReply *r)
{
    json_error_t je;
    json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    json_t *disp = json_object_get(j, "display");
    if (!j || !json_is_string(disp) || json_string_length(disp) > 200 ||
        memchr(json_string_value(disp), '\0', json_string_length(disp))) {
        fail(r, 400, "the body must be {\"display\": NAME} with a name of at most 200 bytes%s%s",
             j ? "" : ": ", j ? "" : je.text);
        json_decref(j);
        return;
    }
    Conn *c = conn_get(d, r);
    if (!c) {
        json_decref(j);
        return;
    }
    const char *v = json_string_value(disp);
    pthread_mutex_lock(&d->write);
    sqlite3_stmt *q = prep(c,
                           *v ? "INSERT INTO outlet_names(name, display) VALUES (?1, ?2) ON"
                                " CONFLICT(name) DO UPDATE SET display = excluded.display"
                              : "DELETE FROM outlet_names WHERE name = ?1",
                           r);
    if (q) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
        if (*v)
            sqlite3_bind_text(q, 2, v, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_DONE)
            fail(r, 500, "saving the outlet name failed: %s", sqlite3_errmsg(c->db));
        else
            done(r, json_pack("{s:s, s:o}", "name", name, "display", *v ? jstr(v) : jstr(name)),
                 200);
    }
    pthread_mutex_unlock(&d->write);
    sqlite3_finalize(q);
    json_decref(j);
    conn_put(d, c);
}

/* ---- overrides ------------------------------------------------------------------ */

static json_t *override_row(sqlite3_stmt *q)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)sqlite3_column_int64(q, 0), "kind", jcol(q, 1), "a", jcol(q, 2),
                     "b", jcol(q, 3), "note", jcol(q, 4), "at", jcol(q, 5));
}

void data_overrides(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    sqlite3_stmt *q = prep(c, "SELECT id, kind, a, b, note, at FROM overrides ORDER BY id", r);
    if (q) {
        json_t *arr = json_array();
        while (sqlite3_step(q) == SQLITE_ROW)
            json_array_append_new(arr, override_row(q));
        done(r, json_pack("{s:o}", "overrides", arr), 200);
    }
    sqlite3_finalize(q);
    conn_put(d, c);
}

/* A positive integer member of o as text into out. */
static int num_field(json_t *o, const char *k, char *out, size_t cap)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return -1;
    snprintf(out, cap, "%lld", (long long)json_integer_value(v));
    return 0;
}

/* A string member of o made of 4-16 hex digits (or a row number) into out. */
static int id_field(json_t *o, const char *k, char *out, size_t cap)
{
    const char *s = json_string_value(json_object_get(o, k));
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 16 || n >= cap || strspn(s, "0123456789abcdef") != n)
        return -1;
    memcpy(out, s, n + 1);
    return 0;
}

int data_override_check(const char *body, size_t n, const char **kind, char *a, char *b,
                        size_t cap, const char **note, char *msg, size_t msgcap)
{
    json_error_t je;
    json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    *note = NULL;
    if (!json_is_object(j)) {
        snprintf(msg, msgcap, "the body is not a JSON object%s%s", j ? "" : ": ",
                 j ? "" : je.text);
        json_decref(j);
        return -1;
    }
    const char *k = json_string_value(json_object_get(j, "kind"));
    int bad = 0;
    if (k && strcmp(k, "merge") == 0) {
        *kind = "merge";
        bad = num_field(j, "story", a, cap) < 0 || num_field(j, "into", b, cap) < 0 ||
              strcmp(a, b) == 0;
        if (bad)
            snprintf(msg, msgcap, "a merge needs two different story numbers: "
                                  "{\"kind\":\"merge\",\"story\":A,\"into\":B}");
    } else if (k && strcmp(k, "move") == 0) {
        *kind = "move";
        bad = id_field(j, "article", a, cap) < 0 || num_field(j, "event", b, cap) < 0;
        if (bad)
            snprintf(msg, msgcap, "a move needs an article id and the event it leaves: "
                                  "{\"kind\":\"move\",\"article\":ID,\"event\":E}");
    } else if (k && strcmp(k, "dismiss") == 0) {
        *kind = "dismiss";
        bad = num_field(j, "story", a, cap) < 0 || id_field(j, "conflict", b, cap) < 0 ||
              strlen(b) != 16;
        if (bad)
            snprintf(msg, msgcap, "a dismissal needs a story number and a conflict id: "
                                  "{\"kind\":\"dismiss\",\"story\":S,\"conflict\":ID}");
    } else {
        snprintf(msg, msgcap, "\"kind\" must be \"merge\", \"move\" or \"dismiss\"");
        bad = 1;
    }
    json_t *nt = json_object_get(j, "note");
    if (!bad && nt && (!json_is_string(nt) || json_string_length(nt) > 2000 ||
                       memchr(json_string_value(nt), '\0', json_string_length(nt)))) {
        snprintf(msg, msgcap, "\"note\" must be text of at most 2000 bytes");
        bad = 1;
    }
    if (!bad && nt)
        *note = strdup(json_string_value(nt)); /* freed by the caller */
    json_decref(j);
    return bad ? -1 : 0;
}

/* 1 if the query on c->db with text parameters p1, p2 returns a row. */
static int exists(Conn *c, const char *sql, const char *p1, const char *p2)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(q, 1, p1, -1, SQLITE_TRANSIENT);
    if (p2)
        sqlite3_bind_text(q, 2, p2, -1, SQLITE_TRANSIENT);
    int yes = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return yes;
}

void data_add_override(Data *d, const char *body, size_t n, DataReply *r)
{
    const char *kind = NULL, *note = NULL;
    char a[32], b[32];
    if (data_override_check(body, n, &kind, a, b, sizeof a, &note, r->msg, sizeof r->msg) < 0) {
        r->status = 400;
        return;
    }
    Conn *c = conn_get(d, r);
    if (!c) {
        free((char *)note);
        return;
    }
    const char *missing = NULL;
    if (strcmp(kind, "merge") == 0) {
        if (!exists(c, "SELECT 1 FROM threads WHERE id = ?1", a, NULL) ||
            !exists(c, "SELECT 1 FROM threads WHERE id = ?1", b, NULL))
            missing = "one of the two stories does not exist";
    } else if (strcmp(kind, "move") == 0) {
        if (!exists(c,
                    "SELECT 1 FROM articles x JOIN article_event ae ON ae.article = x.id WHERE"
                    " (x.hash = ?1 OR x.id = ?1) AND ae.event = ?2",
                    a, b))
            missing = "the article is not in that event";
    } else if (!exists(c, "SELECT 1 FROM threads WHERE id = ?1", a, NULL)) {
        missing = "the story does not exist";
    }
    if (missing) {
        fail(r, 404, "%s", missing);
    } else {
        pthread_mutex_lock(&d->write);
        sqlite3_stmt *q = prep(c,
                               "INSERT INTO overrides(kind, a, b, note, at) VALUES (?1, ?2, ?3, ?4,"
                               " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
                               " RETURNING id, kind, a, b, note, at",
                               r);
        if (q) {
            sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, a, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(q, 3, b, -1, SQLITE_TRANSIENT);
            bind_text_or_null(q, 4, note);
            if (sqlite3_step(q) == SQLITE_ROW)
                done(r, override_row(q), 201);
            else
                fail(r, 500, "saving the correction failed: %s", sqlite3_errmsg(c->db));
        }
        sqlite3_finalize(q);
        pthread_mutex_unlock(&d->write);
    }
    free((char *)note);
    conn_put(d, c);
}

void data_delete_override(Data *d, int64_t id, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    pthread_mutex_lock(&d->write);
    sqlite3_stmt *q = prep(c, "DELETE FROM overrides WHERE id = ?1", r);
    if (q) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) != SQLITE_DONE)
            fail(r, 500, "removing the correction failed: %s", sqlite3_errmsg(c->db));
        else if (sqlite3_changes(c->db) == 0)
            fail(r, 404, "there is no correction %lld", (long long)id);
        else
            done(r, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1), 200);
    }
    pthread_mutex_unlock(&d->write);
    sqlite3_finalize(q);
    conn_put(d, c);
}

/* ---- export ----------------------------------------------------------------------- */

struct DataExport {
    Data *d;
    Conn *c;          /* held until the export is freed */
    int64_t *ids;     /* article row ids, in story (or hit) order */
    size_t n, cap;    /* ids, and room */
    size_t next;      /* index of the next article to write */
    int format;       /* EXPORT_JSONL or EXPORT_CSV */
    int header_done;  /* CSV header written */
};

static int push_id(DataExport *x, int64_t id)
{
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 256;
        int64_t *v = realloc(x->ids, nc * sizeof *v);
        if (!v)
            return -1;
        x->ids = v;
        x->cap = nc;
    }
    x->ids[x->n++] = id;
    return 0;
}

static int on_export_row(void *ctx, const StoryArticle *a)
{
    return push_id(ctx, a->article) < 0;
}

static DataExport *export_new(Data *d, int format, DataReply *r)
{
    DataExport *x = calloc(1, sizeof *x);
    if (!x) {
        fail(r, 500, "out of memory");
        return NULL;
    }
    x->d = d;
    x->format = format;
    if (!(x->c = conn_get(d, r))) {
        free(x);
        return NULL;
    }
    return x;
}

DataExport *data_export_story(Data *d, int64_t thread, int format, DataReply *r)
{
    DataExport *x = export_new(d, format, r);
    if (!x)
        return NULL;
    rasd_error err;
    rasd_err e = store_each_story_article(x->c->st, NULL, thread, on_export_row, x, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
    } else if (!x->n) {
        fail(r, 404, "there is no story %lld", (long long)thread);
    } else {
        r->status = 200;
        return x;
    }
    data_export_free(x);
    return NULL;
}

DataExport *data_export_search(Data *d, const DataSearchQuery *sq, int format, DataReply *r)
{
#ifdef DATA_HAVE_FTS
    DataExport *x = export_new(d, format, r);
    if (!x)
        return NULL;
    FtsQuery fq;
    rasd_error err;
    rasd_err e = fts_parse_query(sq->q, strlen(sq->q), &fq, &err);
    if (e == RASD_OK) {
        FtsOptions o = {0};
        o.since = sq->since;
        o.until = sq->until;
        o.outlet = sq->outlet;
        o.entity = sq->entity;
        o.story = sq->story;
        o.all_terms = 1;
        for (size_t page = 0; e == RASD_OK; page++) {
            FtsHits h = {0};
            o.limit = 1000;
            o.offset = page * 1000;
            e = fts_search(x->c->st, &fq, &o, &h, &err);
            for (size_t i = 0; e == RASD_OK && i < h.n; i++)
                if (push_id(x, h.v[i].id) < 0)
                    e = rasd_fail(&err, RASD_ENOMEM, "out of memory");
            size_t got = h.n;
            fts_hits_free(&h);
            if (got < 1000)
                break;
        }
        fts_query_free(&fq);
    }
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        data_export_free(x);
        return NULL;
    }
    r->status = 200;
    return x;
#else
    (void)d;
    (void)sq;
    (void)format;
    fail(r, 503, "search is not built yet: this rasd has no search index");
    return NULL;
#endif
}

/* One CSV cell: quoted, quotes doubled; a cell a spreadsheet would read as a
   formula (= + - @ at the start) gets a leading apostrophe. */
static void csv_cell(Buf *out, const char *s, int last)
{
    buf_putc(out, '"');
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        buf_putc(out, '\'');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
    buf_puts(out, last ? "\r\n" : ",");
}

int data_export_next(DataExport *x, Buf *out)
{
    if (x->format == EXPORT_CSV && !x->header_done) {
        buf_puts(out, "id,published,outlet,title,url,author,agency,text\r\n");
        x->header_done = 1;
    }
    if (x->next >= x->n)
        return 0;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)x->ids[x->next++]);
    StoredArticle a;
    rasd_error err;
    if (store_get_article(x->c->st, id, &a, &err) != RASD_OK)
        return err.code == RASD_ENOTFOUND ? 1 : -1; /* removed meanwhile: skip it */
    if (x->format == EXPORT_CSV) {
        csv_cell(out, a.hash, 0);
        csv_cell(out, a.published, 0);
        csv_cell(out, a.outlet, 0);
        csv_cell(out, a.title, 0);
        csv_cell(out, a.url, 0);
        csv_cell(out, a.author, 0);
        csv_cell(out, a.agency, 0);
        csv_cell(out, a.body, 1);
    } else {
        json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", a.hash,
                              "published", jstr(a.published), "outlet", jstr(a.outlet), "title",
                              jstr(a.title), "url", jstr(a.url), "author", jstr(a.author),
                              "agency", jstr(a.agency), "text", jstr(a.body));
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (s) {
            buf_puts(out, s);
            buf_putc(out, '\n');
        }
        free(s);
        json_decref(j);
    }
    store_article_free(&a);
    return out->oom ? -1 : 1;
}

void data_export_free(DataExport *x)
{
    if (!x)
        return;
    conn_put(x->d, x->c);
    free(x->ids);
    free(x);
}
