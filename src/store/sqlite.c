/*
 * sqlite.c — the SQLite implementation of store.h, the embedded default.
 *
 * Durability: WAL journal with synchronous=NORMAL (a power cut may lose the
 * last commits but never corrupts), foreign keys on, a busy timeout so a
 * reader and a writer can share the file. The schema is versioned with
 * PRAGMA user_version; each migration runs in its own transaction, so an
 * old database upgrades in place and a half-applied migration cannot exist.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "fts.h"
#include "entsum.h"
#include "store_impl.h"
#include "sqlite_impl.h"
#include "sq_col.h"
#include "../util/util.h"

static const char *const query_sql[NQ] = {
    [Q_FIND_HASH] = "SELECT id FROM articles WHERE hash = ?1",
    [Q_PUT_ARTICLE] =
        "INSERT INTO articles(hash, title, outlet, agency, published, url, author, body, origin,"
        " parent, minhash, ingested) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
        " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [Q_SET_COPY] = "UPDATE articles SET copy_of = ?2, copy_sim = ?3 WHERE id = ?1",
    [Q_PUT_LSH] = "INSERT OR IGNORE INTO lsh(key, article) VALUES (?1, ?2)",
    [Q_LSH_CAND] = "SELECT article FROM lsh WHERE key = ?1 AND article != ?2",
    [Q_MINHASH] = "SELECT minhash FROM articles WHERE id = ?1",
    [Q_LOG_FILE] = "INSERT INTO files(path, status, message, articles, at) VALUES"
                   " (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [Q_COUNT] = "SELECT count(*) FROM articles",
    [Q_OUTLET] = "SELECT outlet FROM articles WHERE id = ?1",
    [Q_FIND_BODY] = "SELECT b.article, a.hash FROM body_hash b JOIN articles a ON a.id = b.article"
                    " WHERE b.h = ?1",
    [Q_PUT_BODY] = "INSERT OR IGNORE INTO body_hash(h, article) VALUES (?1, ?2)",
    [Q_PUT_MENTION] = "INSERT INTO mentions(article, type, key, text, start, end)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_PUT_VEC] = "INSERT OR REPLACE INTO story_vec(article, vec) VALUES (?1, ?2)",
    [Q_PUT_THREAD] = "INSERT OR REPLACE INTO threads(id, first, last, events, articles, headline,"
                     " profile) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_PUT_EVENT] = "INSERT INTO events(id, thread, first, last, articles, outlets, headline)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_PUT_ART_EVENT] = "INSERT INTO article_event(article, event, score) VALUES (?1, ?2, ?3)",
    [Q_SET_DF] = "INSERT OR REPLACE INTO story_df(id, n) VALUES (?1, ?2)",
    [Q_ADD_DF] = "INSERT INTO story_df(id, n) VALUES (?1, ?2)"
                 " ON CONFLICT(id) DO UPDATE SET n = n + excluded.n",
};

/* Migration i brings the schema from version i to i+1. Never edit a shipped one. */
static const char *const migrations[] = {
    /* 0 → 1: articles, near-copy relation, LSH buckets, file log */
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE,"      /* XXH3-64 of the normalised body, 16 hex */
    "  title TEXT, outlet TEXT, agency TEXT, published TEXT, url TEXT, author TEXT,"
    "  body TEXT NOT NULL,"
    "  origin TEXT,"                    /* file (and item) it came from */
    "  parent INTEGER REFERENCES articles(id),"  /* page it was split from */
    "  copy_of INTEGER REFERENCES articles(id)," /* near-copy of */
    "  copy_sim REAL,"
    "  minhash BLOB,"                   /* MinHash signature, uint32 little-endian */
    "  ingested TEXT NOT NULL);"
    "CREATE INDEX articles_published ON articles(published);"
    "CREATE INDEX articles_copy_of ON articles(copy_of);"
    /* clustered on (key, article): one B-tree, no separate index */
    "CREATE TABLE lsh (key INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles(id),"
    "  PRIMARY KEY (key, article)) WITHOUT ROWID;"
    "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT NOT NULL, status TEXT NOT NULL,"
    "  message TEXT, articles INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL);",
    /* 1 → 2: named-entity mentions with their identity keys. Articles stored
       by version 1 have none until they are re-annotated. */
    "CREATE TABLE mentions ("
    "  article INTEGER NOT NULL REFERENCES articles(id),"
    "  type TEXT NOT NULL,"               /* PER LOC ORG MISC */
    "  key TEXT NOT NULL,"                /* identity key (annotate/names.c) */
    "  text TEXT NOT NULL,"               /* as written */
    "  start INTEGER NOT NULL, end INTEGER NOT NULL);" /* bytes in the body */
    "CREATE INDEX mentions_key ON mentions(key);"
    "CREATE INDEX mentions_article ON mentions(article);",
    /* 2 → 3: stories. story_vec holds each article's raw story vector
       (story/vector.h); events, threads and article_event are the result of
       the last assignment and are replaced as a whole by the next one.
       annotations holds each article's `rasd analyze` annotations (JSON
       without the text) so views never recompute them. */
    "CREATE TABLE story_vec (article INTEGER PRIMARY KEY REFERENCES articles(id),"
    "  vec BLOB NOT NULL);"
    "CREATE TABLE threads (id INTEGER PRIMARY KEY, first TEXT, last TEXT,"
    "  events INTEGER NOT NULL, articles INTEGER NOT NULL, headline TEXT);"
    "CREATE TABLE events (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL REFERENCES threads(id),"
    "  first TEXT, last TEXT, articles INTEGER NOT NULL, outlets INTEGER NOT NULL,"
    "  headline TEXT);"
    "CREATE INDEX events_thread ON events(thread);"
    "CREATE TABLE article_event (article INTEGER PRIMARY KEY REFERENCES articles(id),"
    "  event INTEGER NOT NULL REFERENCES events(id), score REAL NOT NULL);"
    "CREATE INDEX article_event_event ON article_event(event);",
    /* 3 → 4: thread profiles, so a later ingest can link new events to
       threads without replaying the archive (story/stories.c) */
    "ALTER TABLE threads ADD COLUMN profile BLOB;"
    "CREATE INDEX events_last ON events(last);",
    /* 4 → 5: document frequencies of story vectors (id = term hash as a
       signed 64-bit integer; id 0 holds the number of articles counted), so
       an incremental run need not decode the whole archive */
    "CREATE TABLE story_df (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);",
    /* 5 → 6: the engine. annotations holds each article's annotate_article()
       result (annotate/annotate.c's blob: tokens, sentences, names, roles,
       quotes, dates, quantities) so views never run an annotator; articles
       stored before it get theirs from `rasd ingest --reannotate`.
       sightings are the other outlets/URLs that carried an exact copy.
       story_cache keeps a story's brief and conflicts (JSON) with the
       signature of the membership they were built from. */
    "CREATE TABLE annotations (article INTEGER PRIMARY KEY REFERENCES articles(id),"
    "  blob BLOB NOT NULL);"
    "CREATE TABLE sightings (id INTEGER PRIMARY KEY,"
    "  article INTEGER NOT NULL REFERENCES articles(id),"
    "  outlet TEXT, url TEXT, published TEXT, origin TEXT, seen TEXT NOT NULL,"
    "  UNIQUE (article, outlet, url));"
    "CREATE TABLE story_cache (kind TEXT NOT NULL, id INTEGER NOT NULL, sig INTEGER NOT NULL,"
    "  body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;",
    /* search (store/fts.c): the FTS5 index with rasd's tokenizer, backfilled */
    fts_migration_sql,
    /* 7 → 8: the entity summary (store/entsum.c), built from the stored
       mentions; roles are added by the ingests that follow */
    entsum_migration_sql,
    /* 8 → 9: tables that were created outside the numbered migrations. The
       server's: overrides (analyst corrections, applied after every story
       assignment by story/overrides.c; the anchors are article hashes that
       keep a correction true when stories are regrouped and renumbered) and
       outlet_names (display names such as "الشرق الأوسط"); the watcher's
       (watch/watch_store.c). IF NOT EXISTS: stores that ran `rasd serve` or
       `rasd watch` already have them. */
    "CREATE TABLE IF NOT EXISTS overrides ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('merge', 'move', 'dismiss')),"
    "  a TEXT NOT NULL,"   /* merge: story merged; move: article id; dismiss: story */
    "  b TEXT NOT NULL,"   /* merge: story kept; move: event left; dismiss: conflict id */
    "  note TEXT,"
    "  at TEXT NOT NULL);" /* UTC, ISO 8601 */
    "ALTER TABLE overrides ADD COLUMN anchor_a TEXT;"
    "ALTER TABLE overrides ADD COLUMN anchor_b TEXT;"
    "CREATE TABLE IF NOT EXISTS outlet_names (name TEXT PRIMARY KEY, display TEXT NOT NULL);"
    /* the story list's two orders, without reading every thread's profile */
    "CREATE INDEX IF NOT EXISTS serve_threads_newest ON threads(last, articles);"
    "CREATE INDEX IF NOT EXISTS serve_threads_largest ON threads(articles, last);"
    "CREATE TABLE IF NOT EXISTS watch_sources ("
    " id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, outlet TEXT, kind TEXT,"
    " etag TEXT, last_modified TEXT, last_error TEXT,"
    " interval_s INTEGER NOT NULL DEFAULT 0, next_poll INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0, errors_total INTEGER NOT NULL DEFAULT 0,"
    " last_poll INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0,"
    " last_new INTEGER NOT NULL DEFAULT 0, items INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS watch_seen ("
    " source INTEGER NOT NULL REFERENCES watch_sources(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS watch_rules ("
    " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, arg TEXT NOT NULL,"
    " n INTEGER NOT NULL DEFAULT 0, since_article INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS watch_alert_log ("
    " rule INTEGER NOT NULL, story INTEGER NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL,"
    " PRIMARY KEY (rule, story, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS watch_story_state ("
    " story INTEGER PRIMARY KEY, articles INTEGER NOT NULL, updated INTEGER NOT NULL);",
    /* 9 → 10: the grouping checkpoint (story/stories.c): the assigner's
       state at the start of the newest day, one row */
    "CREATE TABLE IF NOT EXISTS story_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  data BLOB NOT NULL);",
    /* 10 → 11: the search index merges 16 segments of a level at a time, not
       FTS5's 4. Each stored chunk of articles flushes one segment, and with
       4 every chunk's terms were rewritten by a merge about once per level:
       16 cuts the store stage's CPU by 6-10 % (BENCHMARKS.md, Engine session
       8). Queries find the same rows in the same order; a level holds up to
       16 segments instead of 4 (15 days: query CPU within noise; 4 days:
       +10 %). FTS5 keeps the setting in
       article_fts_config, so a rebuild of the index keeps it too. */
    "INSERT INTO article_fts(article_fts, rank) VALUES('automerge', 16);",
    /* 11 → 12: person keys of several words indexed by their last word, so
       a surname searched alone reaches its full names' spellings (entsum.c,
       fts_names.c) */
    entsum_surname_migration_sql,
    /* 12 → 13: each name's spellings in the form the names list shows, one
       row per shown form, with the articles writing it (entsum.c) */
    entsum_spellings_migration_sql,
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

rasd_err sq_db_fail(SqStore *s, rasd_error *err, const char *what)
{
    return rasd_fail(err, RASD_EDB, "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

sqlite3_stmt *sq_stmt(SqStore *s, int q)
{
    if (!s->q[q] && sqlite3_prepare_v2(s->db, query_sql[q], -1, &s->q[q], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(s->q[q]);
    sqlite3_clear_bindings(s->q[q]);
    return s->q[q];
}

/*
 * sqlite3_prepare_v2 for statements a caller runs once per story or per
 * article (the refresh reads each story's articles, mentions, annotations
 * and stored brief): kept prepared on the connection by SQL text, so the
 * second call only resets. A kept statement still running (a callback of
 * its own loop calling again) is not shared: that call gets a fresh one.
 * Release with sq_finish instead of sqlite3_finalize.
 */
int sq_prep(SqStore *s, const char *sql, sqlite3_stmt **st)
{
    int free_slot = -1;
    for (int i = 0; i < SQ_KEPT; i++) {
        if (!s->kept[i]) {
            if (free_slot < 0)
                free_slot = i;
        } else if (!strcmp(s->kept_sql[i], sql) && !sqlite3_stmt_busy(s->kept[i])) {
            *st = s->kept[i];
            return SQLITE_OK;
        }
    }
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    if (rc == SQLITE_OK && free_slot >= 0 && (s->kept_sql[free_slot] = strdup(sql)))
        s->kept[free_slot] = *st;
    return rc;
}

void sq_finish(SqStore *s, sqlite3_stmt *st)
{
    for (int i = 0; i < SQ_KEPT; i++)
        if (s->kept[i] == st && st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}

int sq_exec(SqStore *s, const char *sql) { return sqlite3_exec(s->db, sql, NULL, NULL, NULL); }

/* Switching a new database to WAL takes an exclusive lock and answers
   SQLITE_BUSY at once, without the busy handler, while another process
   opening the same new file does the same: two ingests starting together
   on a new store lost one of them ("database is locked"). Retried here for
   up to the busy timeout. */
static int exec_busy_retry(SqStore *s, const char *sql)
{
    int rc = SQLITE_BUSY;
    for (int ms = 0; ms < 120000; ms += 20) {
        rc = sq_exec(s, sql);
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return rc;
}

/* Steps a prepared (cached) statement that returns no rows, resets it. */
rasd_err sq_step_done(SqStore *s, sqlite3_stmt *st, const char *what, rasd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, what);
}

/*
 * Runs one statement that returns no rows with up to two integer
 * parameters and an optional blob or text as ?3 (text when is_text).
 */
rasd_err sq_run_once(SqStore *s, const char *sql, int64_t a, int64_t b, const void *p, size_t n,
                         int is_text, const char *what, rasd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, what);
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (np >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (np >= 3) {
        if (is_text)
            sqlite3_bind_text(st, 3, p, (int)n, SQLITE_STATIC);
        else
            sqlite3_bind_blob(st, 3, p, (int)n, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, what);
}

static int sq_schema_version(Store *st_)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/*
 * Brings the schema up to date. The version is read again under BEGIN
 * IMMEDIATE before each step: two processes opening a new store at once
 * would otherwise both see version 0 and both create the tables.
 */
static rasd_err migrate(SqStore *s, const char *path, rasd_error *err)
{
    int v = store_schema_version(&s->base);
    if (v < 0)
        return sq_db_fail(s, err, path);
    while (v < NMIGRATIONS) {
        if (s->readonly)
            return rasd_fail(err, RASD_EDB, "%s: database needs an upgrade; open it writable once",
                             path);
        if (sq_exec(s, "BEGIN IMMEDIATE") != SQLITE_OK)
            return sq_db_fail(s, err, path);
        v = store_schema_version(&s->base);
        if (v < 0 || v >= NMIGRATIONS) {
            sq_exec(s, "COMMIT");
            break;
        }
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (sq_exec(s, migrations[v]) != SQLITE_OK || sq_exec(s, bump) != SQLITE_OK) {
            rasd_err e = sq_db_fail(s, err, path);
            sq_exec(s, "ROLLBACK");
            return e;
        }
        if (sq_exec(s, "COMMIT") != SQLITE_OK)
            return sq_db_fail(s, err, path);
        v++;
    }
    if (v < 0)
        return sq_db_fail(s, err, path);
    if (v > NMIGRATIONS)
        return rasd_fail(err, RASD_EDB, "%s: schema version %d is newer than this rasd (%d)",
                         path, v, NMIGRATIONS);
    return RASD_OK;
}

static void sq_close(Store *st_);
static const StoreOps sqlite_ops;

rasd_err sqlite_store_open(const char *path, int readonly, Store **out, rasd_error *err)
{
    SqStore *s = calloc(1, sizeof *s);
    if (!s)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    s->base.ops = &sqlite_ops;
    s->base.kind = "sqlite";
    s->readonly = readonly;
    entsum_init(&s->sum);
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rasd_err e = rasd_fail(err, RASD_EDB, "cannot open database %s: %s", path,
                               s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sq_close(&s->base);
        return e;
    }
    sqlite3_busy_timeout(s->db, 120000); /* another writer may be grouping a large batch */
    sqlite3_extended_result_codes(s->db, 1);
    if (!readonly) {
        /* journal_mode returns a row; a read-only directory fails here first */
        if (exec_busy_retry(s, "PRAGMA journal_mode=WAL") != SQLITE_OK ||
            sq_exec(s, "PRAGMA synchronous=NORMAL") != SQLITE_OK ||
            sq_exec(s, "PRAGMA cache_size=-32768") != SQLITE_OK || /* 32 MiB page cache */
            /* checkpoint every 8192 pages (32 MiB of WAL), not 1000: on a 26k-article
               store each chunk's commit rewrites index pages the next chunks rewrite
               again, and checkpointing them every 4 MiB was half of the commit cost */
            sq_exec(s, "PRAGMA wal_autocheckpoint=8192") != SQLITE_OK) {
            rasd_err e = rasd_fail(err, RASD_EDB, "cannot open database %s for writing: %s",
                                   path, sqlite3_errmsg(s->db));
            sq_close(&s->base);
            return e;
        }
    }
    sq_exec(s, "PRAGMA foreign_keys=ON");
    /* a reader maps the file instead of copying each page it reads with a
       pread: `rasd entities` of the 15-day store spent 12 % of its CPU in
       those system calls (BENCHMARKS.md, Engine session 10). Only readers:
       the writer's pages come from its own cache and the WAL */
    if (readonly)
        sq_exec(s, "PRAGMA mmap_size=1073741824");
    rasd_err e = fts_register(s->db, err); /* before migrating: the migration indexes */
    if (e == RASD_OK && entsum_register(s->db) != SQLITE_OK) /* migration 13 calls it */
        e = sq_db_fail(s, err, path);
    if (e == RASD_OK)
        e = migrate(s, path, err);
    if (e == RASD_OK && !readonly)
        e = fts_check_version(s->db, err); /* an index of another tokenizer is rebuilt */
    if (e != RASD_OK) {
        sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return RASD_OK;
}

struct sqlite3 *store_sqlite(Store *s)
{
    return s && s->ops == &sqlite_ops ? ((SqStore *)s)->db : NULL;
}

int store_sqlite_prep(Store *s, const char *sql, sqlite3_stmt **st)
{
    *st = NULL;
    return store_sqlite(s) ? sq_prep((SqStore *)s, sql, st) : SQLITE_MISUSE;
}

void store_sqlite_finish(Store *s, sqlite3_stmt *st)
{
    if (store_sqlite(s))
        sq_finish((SqStore *)s, st);
    else
        sqlite3_finalize(st);
}

static void sq_close(Store *st_)
{
    SqStore *s = (SqStore *)st_;
    if (!s)
        return;
    for (int i = 0; i < NQ; i++)
        sqlite3_finalize(s->q[i]);
    for (int i = 0; i < SQ_KEPT; i++) {
        sqlite3_finalize(s->kept[i]);
        free(s->kept_sql[i]);
    }
    sqlite3_close(s->db);
    entsum_free(&s->sum);
    free(s->sum_outlet);
    free(s);
}

static rasd_err sq_begin(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    return sq_exec(s, "BEGIN IMMEDIATE") == SQLITE_OK ? RASD_OK : sq_db_fail(s, err, "begin");
}

static rasd_err sq_commit(Store *st_, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    rasd_err e = entsum_flush_sqlite(&s->sum, s->db, err);
    if (e != RASD_OK) {
        sq_exec(s, "ROLLBACK");
        return e;
    }
    if (sq_exec(s, "COMMIT") == SQLITE_OK)
        return RASD_OK;
    e = sq_db_fail(s, err, "commit");
    sq_exec(s, "ROLLBACK");
    return e;
}

static void sq_rollback(Store *st_)
{
    SqStore *s = (SqStore *)st_;
    entsum_reset(&s->sum);
    s->sum_article = 0; /* its row id may be given again */
    sq_exec(s, "ROLLBACK");
}

static int64_t sq_find_hash(Store *st_, const char *hash)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_FIND_HASH);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static rasd_err sq_put_article(Store *st_, const NewArticle *a, int64_t *id, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_ARTICLE);
    if (!st)
        return sq_db_fail(s, err, "prepare insert");
    bind_opt(st, 1, a->hash);
    bind_opt(st, 2, a->title);
    bind_opt(st, 3, a->outlet);
    bind_opt(st, 4, a->agency);
    bind_opt(st, 5, a->published);
    bind_opt(st, 6, a->url);
    bind_opt(st, 7, a->author);
    bind_opt(st, 8, a->body ? a->body : "");
    bind_opt(st, 9, a->origin);
    if (a->parent)
        sqlite3_bind_int64(st, 10, a->parent);
    else
        sqlite3_bind_null(st, 10);
    if (a->minhash && a->nminhash) {
        /* little-endian on every host so databases move between machines */
        unsigned char *blob = malloc(a->nminhash * 4);
        if (!blob)
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        for (size_t i = 0; i < a->nminhash; i++)
            for (int k = 0; k < 4; k++)
                blob[i * 4 + (size_t)k] = (unsigned char)(a->minhash[i] >> (8 * k));
        sqlite3_bind_blob(st, 11, blob, (int)(a->nminhash * 4), free);
    } else {
        sqlite3_bind_null(st, 11);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_db_fail(s, err, "insert article");
    *id = sqlite3_last_insert_rowid(s->db);
    return RASD_OK;
}

static rasd_err sq_set_copy(Store *st_, int64_t id, int64_t of, double sim, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_SET_COPY);
    if (!st)
        return sq_db_fail(s, err, "prepare update");
    sqlite3_bind_int64(st, 1, id);
    if (of) { /* 0: no longer a near-copy (NULL) */
        sqlite3_bind_int64(st, 2, of);
        sqlite3_bind_double(st, 3, sim);
    }
    return sq_step_done(s, st, "record near-copy", err);
}

/* ---- canonical copies (store.h) ---- */

static rasd_err sq_copy_facts(Store *st_, int64_t id, CopyFacts *f, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st; /* kept prepared: read for every copy and near-copy candidate */
    if (sq_prep(s,
                "SELECT published, outlet, url, title, hash, parent, copy_of, copy_sim"
                " FROM articles WHERE id = ?1",
                &st) != SQLITE_OK)
        return sq_db_fail(s, err, "read copy facts");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    rasd_err e = RASD_OK;
    if (rc == SQLITE_ROW) {
        f->published = sq_col_dup(st, 0);
        f->outlet = sq_col_dup(st, 1);
        f->url = sq_col_dup(st, 2);
        f->title = sq_col_dup(st, 3);
        const unsigned char *h = sqlite3_column_text(st, 4);
        snprintf(f->hash, sizeof f->hash, "%s", h ? (const char *)h : "");
        f->parent = sqlite3_column_int64(st, 5);
        f->copy_of = sqlite3_column_int64(st, 6);
        f->copy_sim = sqlite3_column_double(st, 7);
    } else {
        e = rc == SQLITE_DONE ? rasd_fail(err, RASD_ENOTFOUND, "article %lld: not stored",
                                          (long long)id)
                              : sq_db_fail(s, err, "read copy facts");
    }
    sq_finish(s, st);
    return e;
}

/* The entity summary of article id's names follows its outlet changing
   from the stored one to outlet (sq_set_canonical, before the update). */
static rasd_err sum_move_outlet(SqStore *s, int64_t id, const char *outlet, rasd_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT m.type, m.key, count(*), a.outlet FROM mentions m"
                                  " JOIN articles a ON a.id = m.article WHERE m.article = ?1"
                                  " GROUP BY m.type, m.key", -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "set canonical copy");
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        entsum_move_outlet(&s->sum, (const char *)sqlite3_column_text(st, 0),
                           (const char *)sqlite3_column_text(st, 1),
                           (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2),
                           (const char *)sqlite3_column_text(st, 3), outlet);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_db_fail(s, err, "set canonical copy");
    return sqlite3_get_autocommit(s->db) ? entsum_flush_sqlite(&s->sum, s->db, err) : RASD_OK;
}

static rasd_err sq_set_canonical(Store *st_, int64_t id, const NewArticle *m, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    int indexed = 0;
    rasd_err e = fts_unindex_stored(st_, id, &indexed, err);
    if (e == RASD_OK)
        e = sum_move_outlet(s, id, m->outlet, err);
    sqlite3_stmt *st = NULL;
    if (e == RASD_OK &&
        sqlite3_prepare_v2(s->db,
                           "UPDATE articles SET title = ?2, outlet = ?3, agency = ?4,"
                           " published = ?5, url = ?6, author = ?7, origin = ?8 WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        e = sq_db_fail(s, err, "set canonical copy");
    if (e == RASD_OK) {
        sqlite3_bind_int64(st, 1, id);
        const char *v[] = {m->title, m->outlet, m->agency, m->published, m->url, m->author,
                           m->origin};
        for (int i = 0; i < 7; i++)
            bind_opt(st, i + 2, v[i]);
        e = sqlite3_step(st) == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "set canonical copy");
    }
    sqlite3_finalize(st);
    if (e == RASD_OK)
        e = sq_run_once(s, "DELETE FROM sightings WHERE article = ?1 AND"
                           " outlet IS (SELECT outlet FROM articles WHERE id = ?1) AND"
                           " url IS (SELECT url FROM articles WHERE id = ?1)",
                        id, 0, NULL, 0, 0, "set canonical copy", err);
    if (e == RASD_OK && indexed) /* else its chunk is indexed once stored */
        e = fts_index_stored(st_, id, err);
    if (s->sum_article == id)
        s->sum_article = 0; /* its outlet changed */
    return e;
}

static rasd_err sq_put_lsh(Store *st_, int64_t id, const uint64_t *keys, size_t n, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_LSH);
    if (!st)
        return sq_db_fail(s, err, "prepare lsh");
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)keys[i]);
        sqlite3_bind_int64(st, 2, id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            return sq_db_fail(s, err, "insert lsh");
        }
    }
    sqlite3_reset(st);
    return RASD_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static rasd_err sq_lsh_candidates(Store *st_, const uint64_t *keys, size_t n, int64_t self,
                              int (*fn)(void *ctx, int64_t id, const uint32_t *sig, size_t nsig),
                              void *ctx, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    /* Collect the distinct articles of all buckets first, so an article
       sharing many bands is read and compared once. */
    sqlite3_stmt *st = sq_stmt(s, Q_LSH_CAND);
    if (!st)
        return sq_db_fail(s, err, "prepare lsh lookup");
    int64_t *ids = NULL;
    size_t nids = 0, cap = 0;
    rasd_err e = RASD_OK;
    for (size_t i = 0; i < n && e == RASD_OK; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)keys[i]);
        sqlite3_bind_int64(st, 2, self);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (nids == cap) {
                cap = cap ? cap * 2 : 64;
                int64_t *p = realloc(ids, cap * sizeof *p);
                if (!p) {
                    e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                    break;
                }
                ids = p;
            }
            ids[nids++] = sqlite3_column_int64(st, 0);
        }
        if (e == RASD_OK && rc != SQLITE_DONE)
            e = sq_db_fail(s, err, "lsh lookup");
    }
    sqlite3_reset(st);
    if (e == RASD_OK && nids)
        qsort(ids, nids, sizeof *ids, cmp_i64);
    sqlite3_stmt *mh = e == RASD_OK ? sq_stmt(s, Q_MINHASH) : NULL;
    if (e == RASD_OK && !mh)
        e = sq_db_fail(s, err, "prepare minhash lookup");
    uint32_t sig[512];
    for (size_t i = 0; e == RASD_OK && i < nids; i++) {
        if (i && ids[i] == ids[i - 1])
            continue;
        sqlite3_reset(mh);
        sqlite3_bind_int64(mh, 1, ids[i]);
        if (sqlite3_step(mh) != SQLITE_ROW)
            continue;
        const unsigned char *b = sqlite3_column_blob(mh, 0);
        size_t nb = (size_t)sqlite3_column_bytes(mh, 0) / 4;
        if (nb > 512)
            nb = 512;
        for (size_t k = 0; k < nb; k++)
            sig[k] = (uint32_t)b[k * 4] | (uint32_t)b[k * 4 + 1] << 8 |
                     (uint32_t)b[k * 4 + 2] << 16 | (uint32_t)b[k * 4 + 3] << 24;
        if (fn(ctx, ids[i], sig, nb))
            break;
    }
    if (mh)
        sqlite3_reset(mh);
    free(ids);
    return e;
}

static rasd_err sq_log_file(Store *st_, const char *path, const char *status, const char *message,
                        size_t articles, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_LOG_FILE);
    if (!st)
        return sq_db_fail(s, err, "prepare file log");
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    bind_opt(st, 3, message);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)articles);
    return sq_step_done(s, st, "log file", err);
}

static void read_row(sqlite3_stmt *st, StoredArticle *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    const unsigned char *h = sqlite3_column_text(st, 1);
    snprintf(a->hash, sizeof a->hash, "%s", h ? (const char *)h : "");
    a->title = sq_col_dup(st, 2);
    a->outlet = sq_col_dup(st, 3);
    a->agency = sq_col_dup(st, 4);
    a->published = sq_col_dup(st, 5);
    a->url = sq_col_dup(st, 6);
    a->author = sq_col_dup(st, 7);
    a->body = sq_col_dup(st, 8);
    a->origin = sq_col_dup(st, 9);
    a->parent = sqlite3_column_int64(st, 10);
    a->copy_of = sqlite3_column_int64(st, 11);
    a->copy_sim = sqlite3_column_double(st, 12);
    a->ingested = sq_col_dup(st, 13);
}

#define ARTICLE_COLS "id, hash, title, outlet, agency, published, url, author, body, origin," \
                     " parent, copy_of, copy_sim, ingested"


static rasd_err sq_each_article(Store *st_, int (*fn)(void *ctx, const StoredArticle *a), void *ctx,
                            rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " ARTICLE_COLS " FROM articles ORDER BY published IS NULL,"
                           " published, id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list articles");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        StoredArticle a;
        read_row(st, &a);
        int stop = fn(ctx, &a);
        store_article_free(&a);
        if (stop)
            break;
    }
    rasd_err e = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? RASD_OK : sq_db_fail(s, err, "list articles");
    sqlite3_finalize(st);
    return e;
}

static rasd_err sq_get_article(Store *st_, const char *id, StoredArticle *out, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    size_t n = strlen(id);
    int numeric = n > 0 && n < 12 && strspn(id, "0123456789") == n;
    sqlite3_stmt *st;
    const char *sql = numeric ? "SELECT " ARTICLE_COLS " FROM articles WHERE id = ?1 OR hash = ?2"
                              : "SELECT " ARTICLE_COLS " FROM articles WHERE hash >= ?2 AND"
                                " hash < ?2 || 'g' LIMIT 2";
    if (n < 1 || n > 16 || (!numeric && n < 4) || strspn(id, "0123456789abcdef") != n)
        return rasd_fail(err, RASD_EINVAL,
                         "article id '%s' is neither a row number nor 4-16 hex digits", id);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "get article");
    if (numeric)
        sqlite3_bind_int64(st, 1, atoll(id));
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    rasd_err e = RASD_OK;
    if (sqlite3_step(st) != SQLITE_ROW) {
        e = rasd_fail(err, RASD_ENOTFOUND, "no article %s", id);
    } else {
        read_row(st, out);
        if (!numeric && sqlite3_step(st) == SQLITE_ROW) {
            store_article_free(out);
            e = rasd_fail(err, RASD_EINVAL, "article id prefix %s is ambiguous", id);
        }
    }
    sqlite3_finalize(st);
    return e;
}

static size_t sq_count_articles(Store *st_)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_COUNT);
    if (!st)
        return 0;
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

static rasd_err sq_put_mention(Store *st_, int64_t article, const char *type, const char *key,
                           size_t key_len, const char *text, size_t text_len, uint32_t start,
                           uint32_t end, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_MENTION);
    if (!st)
        return sq_db_fail(s, err, "prepare mention");
    sqlite3_bind_int64(st, 1, article);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, (int)key_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, (int)text_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, start);
    sqlite3_bind_int64(st, 6, end);
    rasd_err e = sq_step_done(s, st, "insert mention", err);
    if (e == RASD_OK && article != s->sum_article) { /* the entity summary counts per outlet */
        sqlite3_stmt *q = sq_stmt(s, Q_OUTLET);
        if (!q)
            return sq_db_fail(s, err, "prepare outlet");
        sqlite3_bind_int64(q, 1, article);
        free(s->sum_outlet);
        s->sum_outlet = NULL;
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            s->sum_outlet = strdup((const char *)sqlite3_column_text(q, 0));
        sqlite3_reset(q);
        s->sum_article = article;
    }
    if (e == RASD_OK)
        entsum_mention(&s->sum, article, type, key, key_len, text, text_len, s->sum_outlet);
    return e != RASD_OK || !sqlite3_get_autocommit(s->db) ? e
                                                          : entsum_flush_sqlite(&s->sum, s->db, err);
}

static rasd_err sq_put_role(Store *st_, int64_t article, const char *type, const char *key,
                            size_t key_len, const char *office, size_t office_len,
                            rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    (void)article;
    entsum_role(&s->sum, type, key, key_len, office, office_len);
    return sqlite3_get_autocommit(s->db) ? entsum_flush_sqlite(&s->sum, s->db, err) : RASD_OK;
}

static int64_t sq_find_body_hash(Store *st_, uint64_t h, char hash[17])
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_FIND_BODY);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, (int64_t)h);
    int64_t id = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *x = (const char *)sqlite3_column_text(st, 1);
        if (x && strlen(x) == 16) {
            id = sqlite3_column_int64(st, 0);
            memcpy(hash, x, 17);
        }
    }
    sqlite3_reset(st);
    return id;
}

static rasd_err sq_put_body_hash(Store *st_, uint64_t h, int64_t article, rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_BODY);
    if (!st)
        return sq_db_fail(s, err, "prepare body hash");
    sqlite3_bind_int64(st, 1, (int64_t)h);
    sqlite3_bind_int64(st, 2, article);
    return sq_step_done(s, st, "insert body hash", err);
}

static rasd_err sq_each_copy(Store *st_, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx,
                             rasd_error *err)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM articles WHERE copy_of = ?1 ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_db_fail(s, err, "list near-copies");
    sqlite3_bind_int64(st, 1, of);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : sq_db_fail(s, err, "list near-copies");
}

static int sq_generation(Store *st_, uint64_t *gen)
{
    SqStore *s = (SqStore *)st_;
    sqlite3_stmt *q = NULL;
    int ok = sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW;
    if (ok)
        *gen = (uint64_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return ok;
}

static const StoreOps sqlite_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .find_hash = sq_find_hash,
    .put_article = sq_put_article,
    .set_copy = sq_set_copy,
    .put_lsh = sq_put_lsh,
    .lsh_candidates = sq_lsh_candidates,
    .log_file = sq_log_file,
    .each_article = sq_each_article,
    .get_article = sq_get_article,
    .count_articles = sq_count_articles,
    .put_mention = sq_put_mention,
    .each_mention = sq_each_mention,
    .each_article_mention = sq_each_article_mention,
    .each_entity = sq_each_entity,
    .put_role = sq_put_role,
    .each_story_from = sq_each_story_from,
    .track_stories = sq_track_stories,
    .each_changed_story = sq_each_changed_story,
    .each_stale_annotation = sq_each_stale_annotation,
    .find_body_hash = sq_find_body_hash,
    .put_body_hash = sq_put_body_hash,
    .put_vec = sq_put_vec,
    .each_vec_from = sq_each_vec_from,
    .each_df = sq_each_df,
    .add_df = sq_add_df,
    .clear_df = sq_clear_df,
    .clear_stories = sq_clear_stories,
    .get_story_checkpoint = sq_get_story_checkpoint,
    .put_story_checkpoint = sq_put_story_checkpoint,
    .ckpt_open = sq_ckpt_open,
    .ckpt_write = sq_ckpt_write,
    .ckpt_close = sq_ckpt_close,
    .put_thread = sq_put_thread,
    .put_event = sq_put_event,
    .put_article_event = sq_put_article_event,
    .unassigned_from = sq_unassigned_from,
    .has_events = sq_has_events,
    .story_max_ids = sq_story_max_ids,
    .each_thread_profile = sq_each_thread_profile,
    .set_thread_profile = sq_set_thread_profile,
    .merge_event = sq_merge_event,
    .drop_event = sq_drop_event,
    .set_event_thread = sq_set_event_thread,
    .refresh_events_from = sq_refresh_events_from,
    .refresh_threads = sq_refresh_threads,
    .each_story_article = sq_each_story_article,
    .put_annotations = sq_put_annotations,
    .get_annotated = sq_get_annotated,
    .each_unannotated = sq_each_unannotated,
    .copy_facts = sq_copy_facts,
    .set_canonical = sq_set_canonical,
    .add_sighting = sq_add_sighting,
    .each_sighting = sq_each_sighting,
    .get_cache = sq_get_cache,
    .put_cache = sq_put_cache,
    .lock_assign = NULL,   /* no-op: store.c treats a missing op as success */
    .unlock_assign = NULL,
    .retryable = NULL,
    .add_override = sq_add_override,
    .each_override = sq_each_override,
    .delete_override = sq_delete_override,
    .article_event = sq_article_event,
    .set_article_event = sq_set_article_event,
    .set_headline = sq_set_headline,
    .totals = sq_totals,
    .each_thread = sq_each_thread,
    .each_outlet_count = sq_each_outlet_count,
    .set_outlet_name = sq_set_outlet_name,
    .each_outlet_name = sq_each_outlet_name,
    .each_spelling = sq_each_spelling,
    .key_mentions = sq_key_mentions,
    .each_surname_key = sq_each_surname_key,
    .key_stories = sq_key_stories,
    .story_headlines = sq_story_headlines,
    .key_articles = sq_key_articles,
    .generation = sq_generation,
    .each_copy = sq_each_copy,
};

/* The connection itself, for modules that keep their own tables (src/watch/);
   NULL when s is not an SQLite store. */
sqlite3 *store_sqlite_handle(Store *s)
{
    return s && s->ops == &sqlite_ops ? ((SqStore *)s)->db : NULL;
}
