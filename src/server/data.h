/*
 * data.h — the one door between `rasd serve` and the stored data. Every
 * endpoint's content comes from one function here, as a jansson document
 * (or, for exports, a cursor that yields one line at a time); the HTTP code
 * (http.c), the handlers (handlers.c) and the web UI never see the store. When
 * the engine replaces today's internals, only data.c changes.
 *
 * Threads: a Data is shared by all server threads. Each call borrows a
 * connection (a read-only Store, an SQLite handle for the overrides and
 * lists, a text context) from a pool and gives it back; writes (ingest,
 * overrides, outlet names) are serialised by one lock.
 */
#ifndef RASD_SERVER_DATA_H
#define RASD_SERVER_DATA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "util/util.h"

typedef struct Data Data;

/* The outcome of one call: an HTTP status and either a document or a sentence. */
typedef struct DataReply {
    int status;     /* 200, 201, 400, 404, 409, 413, 500 or 503 */
    json_t *json;   /* the document (owned; json_decref) when status < 300 */
    Buf body;       /* or the document already written as JSON (owned; buf_free),
                       when status < 300 and json is NULL */
    char msg[512];  /* otherwise: one sentence saying what is wrong */
} DataReply;

/* Opens the store at path (created and migrated if needed) and the
   server's own tables (overrides, outlet names). */
rasd_err data_open(const char *path, Data **out, rasd_error *err);
void data_close(Data *d);

/* The store's generation: changes whenever anything commits a change to it
   (this server or another process). 0 when unknown (PostgreSQL): then
   nothing may be cached. */
int data_generation(Data *d, uint64_t *gen);
/* The cache of whole GET answers (server/cache.h), or NULL. */
struct RespCache *data_cache(Data *d);

/* {articles, stories, last_ingested}: cheap, for live updates. */
void data_status(Data *d, DataReply *r);

typedef struct DataStoriesQuery {
    const char *since;   /* threads active on or after this date, or NULL */
    const char *outlet;  /* threads with an article of this outlet, or NULL */
    int largest;         /* 1: largest first; 0: newest first (then largest) */
    long limit, offset;  /* page */
} DataStoriesQuery;
/* {total, offset, limit, stories:[{id, headline, first, last, articles,
   events, outlets:[{name, display, articles}]}]} */
void data_stories(Data *d, const DataStoriesQuery *q, DataReply *r);
/* One thread with its events and their articles. */
void data_story(Data *d, int64_t thread, DataReply *r);
/* The cited brief of a thread (event 0) or of one event (thread 0);
   its conflicts carry an id and whether the analyst dismissed them. */
void data_brief(Data *d, int64_t thread, int64_t event, DataReply *r);
/* {story, conflicts:[...]} with ids and dismissed flags. */
void data_conflicts(Data *d, int64_t thread, DataReply *r);
/* A stored article with its annotations (names, quotes, dates: byte offsets
   into "text"), its story and event, and its sightings. */
void data_article(Data *d, const char *id, DataReply *r);

typedef struct DataSearchQuery {
    const char *q;                      /* the query text (required) */
    const char *since, *until, *outlet, *entity; /* filters, or NULL */
    int64_t story;                      /* thread, 0 = any */
    long limit, offset;                 /* page */
} DataSearchQuery;
/* {query, total?, hits:[{id, title, outlet, published, snippet, story, score}]};
   503 while the search index is not part of the build. */
void data_search(Data *d, const DataSearchQuery *q, DataReply *r);

/* {total?, entities:[{key, type, name, mentions, articles}]}, most mentioned
   first; q: only names with a spelling containing q; type: PER/LOC/ORG/MISC. */
void data_entities(Data *d, const char *q, const char *type, long limit, long offset,
                   DataReply *r);
/* {key, type, name, mentions, variants, outlets, roles, stories, quotes} */
void data_entity(Data *d, const char *key, DataReply *r);

/* Ingests a POSTed body (a JSON object, an array of objects, or JSON Lines;
   the `rasd ingest` JSON fields) and regroups stories.
   {articles, added, duplicates, near_copies, split_off, errors:[...]} */
void data_ingest(Data *d, const char *body, size_t n, DataReply *r);
/* Checks a body without storing it: the number of articles it holds, or -1
   with msg filled (the part of data_ingest that reads untrusted bytes). */
long data_ingest_check(const char *body, size_t n, char *msg, size_t cap);

/* {outlets:[{name, display, articles}]} and renaming (display "" removes it). */
void data_outlets(Data *d, DataReply *r);
void data_set_outlet(Data *d, const char *name, const char *body, size_t n, DataReply *r);

/* Analyst corrections. Body: {"kind":"merge","story":A,"into":B} |
   {"kind":"move","article":ID,"event":E} | {"kind":"dismiss","story":S,
   "conflict":CID}, optional "note". */
void data_overrides(Data *d, DataReply *r);
void data_add_override(Data *d, const char *body, size_t n, DataReply *r);
void data_delete_override(Data *d, int64_t id, DataReply *r);
/* Validates an override body; fills *kind ("merge" ...) and a, b (the two
   arguments as text). 0 ok, -1 with msg (no store access). */
int data_override_check(const char *body, size_t n, const char **kind, char *a, char *b,
                        size_t cap, const char **note, char *msg, size_t msgcap);

/* ---- bulk export: one line per article, streamed ---- */
enum { EXPORT_JSONL, EXPORT_CSV };
typedef struct DataExport DataExport;
/* Every article of a thread / of a search (all hits). NULL with r filled
   when there is nothing to export or it cannot start. */
DataExport *data_export_story(Data *d, int64_t thread, int format, DataReply *r);
DataExport *data_export_search(Data *d, const DataSearchQuery *q, int format, DataReply *r);
/* Appends the next line(s) to out: 1 more may follow, 0 done, -1 failed. */
int data_export_next(DataExport *x, Buf *out);
void data_export_free(DataExport *x);

#endif
