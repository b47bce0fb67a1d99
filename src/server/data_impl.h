/*
 * data_impl.h — what the parts of the server's data adapter share (data.c,
 * data_view.c, data_write.c, data_export.c): the pooled connection, the
 * Data handle, and the small reply and SQLite helpers. Private to
 * src/server/data*.c; everything else uses data.h.
 */
#ifndef RASD_SERVER_DATA_IMPL_H
#define RASD_SERVER_DATA_IMPL_H

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
#include "server/cache.h"
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
    sqlite3 *db;        /* st's own SQLite handle for the list views, NULL on PostgreSQL */
    rasd_text *text;    /* text context for annotating one article */
    struct Conn *next;  /* next idle connection */
} Conn;

struct Data {
    char *path;             /* database file */
    pthread_mutex_t lock;   /* guards idle */
    Conn *idle;             /* connections not in use */
    pthread_mutex_t write;  /* one ingest or correction at a time */
    Store *writer;          /* read-write store for ingest, opened on first use */
    Store *watch;           /* read-only connection that sees others' commits (SQLite) */
    pthread_mutex_t watch_lock; /* guards watch */
    RespCache *cache;       /* whole GET answers by request and generation */
};

/* A pooled connection (NULL after filling r) and its return to the pool. */
Conn *conn_get(Data *d, DataReply *r);
void conn_put(Data *d, Conn *c);
/* The read-write store for ingest and corrections, opened on first use;
   call with Data.write held. NULL after filling r. */
Store *data_writer(Data *d, DataReply *r);
/* {name: display} of every renamed outlet (owned). */
json_t *data_outlet_names(Conn *c);


/* ---- replies ---------------------------------------------------------- */

static inline void fail(DataReply *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void fail(DataReply *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->status = status;
    if (r->json)
        json_decref(r->json);
    r->json = NULL;
    buf_free(&r->body);
}

static inline void done(DataReply *r, json_t *j, int status)
{
    if (!j) {
        fail(r, 500, "out of memory");
        return;
    }
    r->status = status;
    r->json = j;
    r->msg[0] = '\0';
}

/* The document written into b (moved into r; b is left empty). */
static inline void done_json(DataReply *r, Buf *b, int status)
{
    if (b->oom || !b->len) {
        buf_free(b);
        fail(r, 500, "out of memory");
        return;
    }
    r->status = status;
    r->body = *b;
    memset(b, 0, sizeof *b);
    r->msg[0] = '\0';
}

/* Appends ,"name":j (j written compactly; decref'd). */
static inline void put_json_field(Buf *b, const char *name, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    buf_printf(b, ",\"%s\":%s", name, s ? s : "null");
    free(s);
    json_decref(j);
}

static inline int status_of(rasd_err e)
{
    switch (e) {
    case RASD_ENOTFOUND: return 404;
    case RASD_EINVAL: case RASD_EFORMAT: return 400;
    case RASD_ETOOBIG: return 413;
    default: return 500;
    }
}

/* A JSON string, or null for NULL (and for text jansson refuses). */
static inline json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static inline json_t *jcol(sqlite3_stmt *q, int i)
{
    return jstr((const char *)sqlite3_column_text(q, i));
}

static inline void bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

/* {name, display, articles} for an outlet name (may be NULL). */
static inline json_t *outlet_obj(json_t *names, const char *name, int64_t articles)
{
    json_t *disp = name ? json_object_get(names, name) : NULL;
    return json_pack("{s:o, s:o, s:I}", "name", jstr(name), "display",
                     disp ? json_incref(disp) : jstr(name), "articles", (json_int_t)articles);
}

#endif
