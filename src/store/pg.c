/*
 * pg.c — the PostgreSQL implementation of store.h (libpq), for archives
 * shared by several machines: many `rasd ingest` workers writing at once,
 * several readers answering analysts.
 *
 * Schema: the same tables and columns as sqlite.c, in PostgreSQL types
 * (BIGINT ids, BYTEA blobs, TEXT COLLATE "C" so every ORDER BY, min() and
 * hash-prefix range compares bytes exactly as SQLite does; NULLS FIRST
 * where SQLite's ascending order puts NULLs first). Versioned migrations:
 * the version lives in table schema_version and is read and bumped inside
 * one transaction holding pg_advisory_xact_lock(RASD, 1), so two processes
 * opening a new database at once cannot both create the tables.
 *
 * Concurrency. Writes happen in the caller's store_begin/store_commit
 * transaction (one per input file), so a worker killed at any moment leaves
 * either a whole file or nothing. Deduplication is exact under concurrency:
 * the engine asks store_find_hash before store_put_article; inside a
 * transaction find_hash first takes pg_advisory_xact_lock(hash) and only then
 * (in a second statement, hence a fresh READ COMMITTED snapshot) looks the
 * hash up. A second worker meeting the same article therefore waits until
 * the first one's transaction ends and then sees its row (and records a
 * sighting instead). put_article itself is INSERT … ON CONFLICT (hash) DO
 * NOTHING RETURNING id, so a duplicate is refused without aborting the
 * transaction. Two batches holding two of the same new articles in opposite
 * order can deadlock; PostgreSQL then aborts one of them: that file is
 * rolled back whole and store_retryable says so, and the engine stores it
 * again (the other worker's articles are then seen as duplicates).
 * Canonical copies (store.h) and near-copy originals are decided from the
 * rows other writers committed, so before its first lookup a writing
 * transaction also takes pg_advisory_xact_lock(RASD, 4): the dedup and
 * near-copy steps of two workers' transactions run one after the other
 * (annotation, the expensive part, stays parallel), each seeing the
 * other's committed articles; taken before any per-hash lock, it cannot
 * deadlock with them.
 * Story assignment is single-writer: store_lock_assign takes the session
 * lock pg_advisory_lock(RASD, 2), released by store_unlock_assign or when
 * the connection ends (a killed process never leaves it held).
 *
 * Queries are sent with PQexecParams/PQexecPrepared (each fixed statement
 * is prepared once per connection); results come back as text, blobs as
 * bytea hex (PQunescapeBytea). Result sets are read whole before the
 * callback runs, so callbacks may call the store again.
 *
 * Files: this one holds the connection, the query helpers, the schema and
 * its migrations, transactions and the StoreOps table; pg_articles.c and
 * pg_stories.c the operations by subject; pg_impl.h what they share.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_impl.h"

/* Notes a deadlock (40P01) or serialization failure (40001): store_retryable. */
static void note_state(PgStore *s, const PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (st && (strcmp(st, "40P01") == 0 || strcmp(st, "40001") == 0))
        s->retry = 1;
}

rasd_err pg_fail(PgStore *s, rasd_error *err, const char *what)
{
    const char *m = s && s->c ? PQerrorMessage(s->c) : "no connection";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    return rasd_fail(err, RASD_EDB, "postgresql: %s: %.*s", what, (int)n, m);
}

/*
 * Reads every result up to the pipeline's sync point (sending the sync
 * first). *out (may be NULL) gets the last command's result; the first
 * error of any queued command fails the call with its message.
 */
static rasd_err drain(PgStore *s, PGresult **out, const char *what, rasd_error *err)
{
    char first[400] = "";
    PGresult *last = NULL;
    int nulls = 0;
    if (!PQpipelineSync(s->c))
        return pg_fail(s, err, what);
    for (;;) {
        PGresult *r = PQgetResult(s->c);
        if (!r) {
            /* end of one command's results; two in a row: nothing more will come */
            if (++nulls > 1) {
                snprintf(first, sizeof first, "%s",
                         PQstatus(s->c) != CONNECTION_OK ? PQerrorMessage(s->c)
                                                         : "lost the pipeline's sync point");
                break;
            }
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st == PGRES_FATAL_ERROR)
            note_state(s, r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !first[0])
            snprintf(first, sizeof first, "%s",
                     st == PGRES_PIPELINE_ABORTED ? "command skipped after an earlier error"
                                                  : PQresultErrorMessage(r));
        PQclear(last);
        last = r;
    }
    s->queued = 0;
    if (first[0]) {
        PQclear(last);
        size_t n = strlen(first);
        while (n && (first[n - 1] == '\n' || first[n - 1] == ' '))
            n--;
        return rasd_fail(err, RASD_EDB, "postgresql: %s: %.*s", what, (int)n, first);
    }
    if (out)
        *out = last;
    else
        PQclear(last);
    return RASD_OK;
}

/* Leaves pipeline mode (after draining) so a synchronous call can run. */
static rasd_err pipe_pause(PgStore *s, const char *what, rasd_error *err)
{
    if (!s->pipe)
        return RASD_OK;
    rasd_err e = drain(s, NULL, what, err);
    PQexitPipelineMode(s->c);
    s->pipe = 0;
    return e;
}

static void pipe_resume(PgStore *s)
{
    if (s->in_tx && !s->pipe && PQenterPipelineMode(s->c))
        s->pipe = 1;
}

/*
 * Runs sql with parameters p (may be NULL). cache: sql is a static string
 * worth preparing once. *out (may be NULL) gets the result, which the
 * caller PQclear()s. Fails with the server's message.
 * Inside a transaction (pipeline mode) a statement whose result is not
 * wanted (out NULL) is only sent: its error, if any, fails the next call
 * that waits for a result, or the commit — the transaction is then rolled
 * back whole, so nothing half-done is ever committed.
 */
rasd_err pg_run(PgStore *s, const char *sql, const Params *p, int cache, PGresult **out,
             const char *what, rasd_error *err)
{
    if (s->nment) {
        rasd_err fe = pg_flush_mentions(s, err);
        if (fe != RASD_OK)
            return fe;
    }
    int np = p ? p->n : 0;
    const char *const *v = p ? p->v : NULL;
    const int *len = p ? p->len : NULL, *fmt = p ? p->fmt : NULL;
    PGresult *r = NULL;
    int slot = -1;
    if (cache) {
        for (int i = 0; i < s->nprep; i++)
            if (s->prep[i] == sql) {
                slot = i;
                break;
            }
        if (slot < 0 && s->nprep < NPREP) {
            /* prepared synchronously, outside the pipeline */
            rasd_err e = pipe_pause(s, what, err);
            if (e != RASD_OK) {
                pipe_resume(s);
                return e;
            }
            char name[16];
            snprintf(name, sizeof name, "rq%d", s->nprep);
            PGresult *pr = PQprepare(s->c, name, sql, 0, NULL);
            int ok = PQresultStatus(pr) == PGRES_COMMAND_OK;
            PQclear(pr);
            pipe_resume(s);
            if (!ok)
                return pg_fail(s, err, what);
            slot = s->nprep;
            s->prep[s->nprep++] = sql;
        }
    }
    char name[16];
    if (slot >= 0)
        snprintf(name, sizeof name, "rq%d", slot);
    if (s->pipe) {
        int sent = slot >= 0 ? PQsendQueryPrepared(s->c, name, np, v, len, fmt, s->binary)
                             : PQsendQueryParams(s->c, sql, np, NULL, v, len, fmt, s->binary);
        if (!sent)
            return pg_fail(s, err, what);
        s->queued++;
        if (!out)
            return RASD_OK;
        return drain(s, out, what, err);
    }
    if (slot >= 0)
        r = PQexecPrepared(s->c, name, np, v, len, fmt, s->binary);
    else
        r = PQexecParams(s->c, sql, np, NULL, v, len, fmt, s->binary);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        note_state(s, r);
        rasd_err e = pg_fail(s, err, what);
        PQclear(r);
        return e;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return RASD_OK;
}

/* ---- many rows in one statement: arrays of elements ---- */

void pg_elem_text(Buf *b, const char *t, size_t n)
{
    if (b->len)
        buf_putc(b, ',');
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '"' || t[i] == '\\')
            buf_putc(b, '\\');
        buf_putc(b, t[i]);
    }
    buf_putc(b, '"');
}

void pg_elem_i64(Buf *b, int64_t x)
{
    buf_printf(b, "%s%lld", b->len ? "," : "", (long long)x);
}

rasd_err pg_run_arrays(PgStore *s, const char *sql, Buf *col, int n, const char *what,
                       rasd_error *err)
{
    Buf lit[MAXP] = {{0}};
    Params p = {0};
    int oom = n > MAXP;
    for (int i = 0; i < n && i < MAXP; i++) {
        oom |= col[i].oom;
        buf_putc(&lit[i], '{');
        buf_append(&lit[i], col[i].data, col[i].len);
        buf_putc(&lit[i], '}');
        oom |= lit[i].oom;
        p_text(&p, lit[i].data);
    }
    for (int i = 0; i < n; i++)
        buf_reset(&col[i]);
    rasd_err e = oom ? rasd_fail(err, RASD_ENOMEM, "%s: out of memory", what)
                     : pg_run(s, sql, &p, 1, NULL, what, err);
    for (int i = 0; i < n && i < MAXP; i++)
        buf_free(&lit[i]);
    return e;
}

/* Runs a parameterless command string (may hold several statements). */
rasd_err pg_exec(PgStore *s, const char *sql, const char *what, rasd_error *err)
{
    rasd_err e = s->nment ? pg_flush_mentions(s, err) : RASD_OK;
    if (e == RASD_OK)
        e = pipe_pause(s, what, err);
    if (e != RASD_OK) {
        pipe_resume(s);
        return e;
    }
    PGresult *r = PQexec(s->c, sql);
    ExecStatusType st = PQresultStatus(r);
    PQclear(r);
    pipe_resume(s);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? RASD_OK : pg_fail(s, err, what);
}

/* ---- reading rows ---- */

#define PG_PAGE 1000 /* rows a paged read fetches per round trip */

/*
 * Runs sql (parameters p, may be NULL) and calls fn(ctx, r, i) for each
 * row i of result r: 0 goes on, PG_ROW_STOP stops, PG_ROW_NOMEM fails with
 * "out of memory". paged: the rows come PG_PAGE at a time through a cursor,
 * so a scan of millions of rows never holds more than one page here: inside
 * a transaction a plain cursor, outside one a WITH HOLD cursor (the server
 * keeps the result until CLOSE). Either way fn may call the store again,
 * even begin and commit a transaction of its own. Not paged: one result,
 * for reads bounded by one article or one story.
 */
rasd_err pg_each_row(PgStore *s, const char *sql, const Params *p, int paged, const char *what,
                     PgRowFn fn, void *ctx, rasd_error *err)
{
    PGresult *r = NULL;
    if (!paged) {
        rasd_err e = pg_run(s, sql, p, 1, &r, what, err);
        int rc = 0;
        for (int i = 0; e == RASD_OK && rc == 0 && i < PQntuples(r); i++)
            rc = fn(ctx, r, i);
        PQclear(r);
        if (e == RASD_OK && rc == PG_ROW_NOMEM)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        return e;
    }
    char name[32], fetch[64], close[48];
    snprintf(name, sizeof name, "rasd_c%d", s->ncursor++);
    snprintf(fetch, sizeof fetch, "FETCH %d FROM %s", PG_PAGE, name);
    snprintf(close, sizeof close, "CLOSE %s", name);
    Buf decl = {0};
    buf_printf(&decl, "DECLARE %s NO SCROLL CURSOR %sFOR %s", name, s->in_tx ? "" : "WITH HOLD ",
               sql);
    if (decl.oom) {
        buf_free(&decl);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    rasd_err e = pg_run(s, decl.data, p, 0, NULL, what, err);
    buf_free(&decl);
    if (e != RASD_OK)
        return e;
    int rc = 0, rows = PG_PAGE;
    while (e == RASD_OK && rc == 0 && rows == PG_PAGE) {
        s->binary = paged == PG_PAGED_BINARY;
        e = pg_run(s, fetch, NULL, 0, &r, what, err);
        s->binary = 0;
        if (e != RASD_OK)
            break;
        rows = PQntuples(r);
        for (int i = 0; rc == 0 && i < rows; i++)
            rc = fn(ctx, r, i);
        PQclear(r);
    }
    /* a failed transaction has dropped the cursor already */
    if (e == RASD_OK || !s->in_tx)
        pg_run(s, close, NULL, 0, NULL, what, NULL);
    if (e == RASD_OK && rc == PG_ROW_NOMEM)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    return e;
}

/* ---- schema ---- */

#define T "TEXT COLLATE \"C\""
#define ID "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

/* Migration i brings the schema from version i to i+1, the same steps as
   sqlite.c's. Never edit a shipped one. Each is written [i] = …: a step
   another branch adds fits in by its number, and a missing one (NULL) is a
   no-op. */
static const char *const migrations[] = {
    [0] = /* 0 → 1: articles, near-copy relation, LSH buckets, file log */
    "CREATE TABLE articles (id " ID ", hash " T " NOT NULL UNIQUE,"
    "  title " T ", outlet " T ", agency " T ", published " T ", url " T ", author " T ","
    "  body " T " NOT NULL, origin " T ","
    "  parent BIGINT REFERENCES articles(id), copy_of BIGINT REFERENCES articles(id),"
    "  copy_sim DOUBLE PRECISION, minhash BYTEA, ingested " T " NOT NULL);"
    "CREATE INDEX articles_published ON articles(published);"
    "CREATE INDEX articles_copy_of ON articles(copy_of);"
    "CREATE TABLE lsh (key BIGINT NOT NULL, article BIGINT NOT NULL REFERENCES articles(id),"
    "  PRIMARY KEY (key, article));"
    "CREATE TABLE files (id " ID ", path " T " NOT NULL, status " T " NOT NULL,"
    "  message " T ", articles BIGINT NOT NULL DEFAULT 0, at " T " NOT NULL);",
    [1] = /* 1 → 2: named-entity mentions */
    "CREATE TABLE mentions (article BIGINT NOT NULL REFERENCES articles(id),"
    "  type " T " NOT NULL, key " T " NOT NULL, text " T " NOT NULL,"
    "  start INTEGER NOT NULL, \"end\" INTEGER NOT NULL);"
    "CREATE INDEX mentions_key ON mentions(key);"
    "CREATE INDEX mentions_article ON mentions(article);",
    [2] = /* 2 → 3: stories */
    "CREATE TABLE story_vec (article BIGINT PRIMARY KEY REFERENCES articles(id),"
    "  vec BYTEA NOT NULL);"
    "CREATE TABLE threads (id BIGINT PRIMARY KEY, first " T ", last " T ","
    "  events BIGINT NOT NULL, articles BIGINT NOT NULL, headline " T ");"
    "CREATE TABLE events (id BIGINT PRIMARY KEY, thread BIGINT NOT NULL REFERENCES threads(id),"
    "  first " T ", last " T ", articles BIGINT NOT NULL, outlets BIGINT NOT NULL,"
    "  headline " T ");"
    "CREATE INDEX events_thread ON events(thread);"
    "CREATE TABLE article_event (article BIGINT PRIMARY KEY REFERENCES articles(id),"
    "  event BIGINT NOT NULL REFERENCES events(id), score DOUBLE PRECISION NOT NULL);"
    "CREATE INDEX article_event_event ON article_event(event);",
    [3] = /* 3 → 4: thread profiles */
    "ALTER TABLE threads ADD COLUMN profile BYTEA;"
    "CREATE INDEX events_last ON events(last);",
    [4] = /* 4 → 5: document frequencies of story vectors */
    "CREATE TABLE story_df (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);",
    [5] = /* 5 → 6: the engine's stored results */
    "CREATE TABLE annotations (article BIGINT PRIMARY KEY REFERENCES articles(id),"
    "  blob BYTEA NOT NULL);"
    "CREATE TABLE sightings (id " ID ", article BIGINT NOT NULL REFERENCES articles(id),"
    "  outlet " T ", url " T ", published " T ", origin " T ", seen " T " NOT NULL,"
    "  UNIQUE (article, outlet, url));"
    "CREATE INDEX sightings_article ON sightings(article);"
    "CREATE TABLE story_cache (kind " T " NOT NULL, id BIGINT NOT NULL, sig BIGINT NOT NULL,"
    "  body " T " NOT NULL, PRIMARY KEY (kind, id));",
    [6] = /* 6 → 7: SQLite's search index; nothing here (keeps the numbers aligned) */
    "SELECT 1",
    [7] = /* 7 → 8: the roles of the entity summary (names and counts are
       aggregated from mentions when read, see pg_each_entity) */
    "CREATE TABLE entity_roles (key " T " NOT NULL, type " T " NOT NULL, office " T " NOT NULL,"
    "  mentions BIGINT NOT NULL, PRIMARY KEY (key, type, office));",
    [8] = /* 8 → 9: the server's and the watcher's tables, as in sqlite.c */
    "CREATE TABLE IF NOT EXISTS overrides (id " ID ","
    "  kind " T " NOT NULL CHECK (kind IN ('merge', 'move', 'dismiss')),"
    "  a " T " NOT NULL, b " T " NOT NULL, note " T ", at " T " NOT NULL,"
    "  anchor_a " T ", anchor_b " T ");"
    "CREATE TABLE IF NOT EXISTS outlet_names (name " T " PRIMARY KEY, display " T " NOT NULL);"
    "CREATE INDEX IF NOT EXISTS serve_threads_newest ON threads(last, articles);"
    "CREATE INDEX IF NOT EXISTS serve_threads_largest ON threads(articles, last);"
    "CREATE TABLE IF NOT EXISTS watch_sources (id " ID ", url " T " NOT NULL UNIQUE,"
    "  outlet " T ", kind " T ", etag " T ", last_modified " T ", last_error " T ","
    "  interval_s BIGINT NOT NULL DEFAULT 0, next_poll BIGINT NOT NULL DEFAULT 0,"
    "  errors BIGINT NOT NULL DEFAULT 0, errors_total BIGINT NOT NULL DEFAULT 0,"
    "  last_poll BIGINT NOT NULL DEFAULT 0, last_success BIGINT NOT NULL DEFAULT 0,"
    "  last_new BIGINT NOT NULL DEFAULT 0, items BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS watch_seen (source BIGINT NOT NULL REFERENCES watch_sources(id)"
    "  ON DELETE CASCADE, key " T " NOT NULL, first_seen BIGINT NOT NULL,"
    "  PRIMARY KEY (source, key));"
    "CREATE TABLE IF NOT EXISTS watch_rules (id " ID ", kind " T " NOT NULL, arg " T " NOT NULL,"
    "  n BIGINT NOT NULL DEFAULT 0, since_article BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS watch_alert_log (rule BIGINT NOT NULL, story BIGINT NOT NULL,"
    "  key " T " NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (rule, story, key));"
    "CREATE TABLE IF NOT EXISTS watch_story_state (story BIGINT PRIMARY KEY,"
    "  articles BIGINT NOT NULL, updated BIGINT NOT NULL);",
    /* 12 → 13: the search index (pg_search.c): rasd's tokens of each
       article's title, lead, body and entity keys, GIN-indexed; rows are
       written by the first writable open (existing articles) and at each
       commit (new ones); search_stats one row per batch indexed (rows,
       positions: BM25's statistics); search_meta the FTS_TOKENS_VERSION
       they were made with */
    [12] = "CREATE TABLE article_terms (article BIGINT PRIMARY KEY REFERENCES articles(id),"
           "  terms TEXT[] COLLATE \"C\" NOT NULL, toks BYTEA NOT NULL, offs BYTEA NOT NULL,"
           "  size BIGINT NOT NULL);"
           "CREATE INDEX article_terms_terms ON article_terms USING gin (terms);"
           "CREATE TABLE search_stats (rows BIGINT NOT NULL, tokens BIGINT NOT NULL);"
           "CREATE TABLE search_meta (tokens INTEGER NOT NULL);",
    /* 13 → 14: the grouping checkpoint (story/stories.c), one row */
    [13] = "CREATE TABLE IF NOT EXISTS story_checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1),"
           "  data BYTEA NOT NULL);",
    /* 14 → 15: each term's positions per column (pg_search_index.c), so a
       search of one-word phrases ranks a row without its position blob, and
       each term's hash (where its tf bytes lie); NULL for rows indexed
       before (ranked from their positions) */
    [14] = "ALTER TABLE article_terms ADD COLUMN IF NOT EXISTS tf BYTEA,"
           "  ADD COLUMN IF NOT EXISTS th INTEGER[];",
    /* 15 → 16: the search postings (pg_search_index.c): a row per term and
       article where the term's impact reaches PG_IMP_MIN, with its counts
       per column, the row's size and the impact, read in impact order so a
       one-word search stops once no other row can enter its top k
       (pg_search.c); search_meta is emptied so the next writable open
       rebuilds the index with them */
    [15] = "CREATE TABLE search_postings (term TEXT COLLATE \"C\" NOT NULL,"
           "  article BIGINT NOT NULL, imp REAL NOT NULL, tf BIGINT NOT NULL,"
           "  size BIGINT NOT NULL);"
           "CREATE INDEX search_postings_impact ON search_postings (term, imp, article)"
           "  INCLUDE (tf, size);"
           "CREATE INDEX search_postings_article ON search_postings (article);"
           "DELETE FROM search_meta;",
    /* 16 → 17: person keys of several words indexed by their last word, as
       SQLite's migration 12 (pg_search.c: pg_each_surname_key) */
    [16] = "CREATE INDEX IF NOT EXISTS mentions_surname ON mentions (split_part(key, ' ', -1), key)"
           "  WHERE type = 'PER' AND strpos(key, ' ') > 0;",
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

/* The stored version; 0 when there is no schema_version table; -1 on error. */
static int read_version(PgStore *s)
{
    PGresult *r = NULL;
    if (pg_run(s, "SELECT to_regclass('schema_version') IS NOT NULL", NULL, 0, &r, "", NULL) !=
        RASD_OK)
        return -1;
    int exists = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!exists)
        return 0;
    if (pg_run(s, "SELECT coalesce(max(version), 0) FROM schema_version", NULL, 0, &r, "", NULL) !=
        RASD_OK)
        return -1;
    int v = PQntuples(r) == 1 ? (int)gi(r, 0, 0) : -1;
    PQclear(r);
    return v;
}

static int pg_schema_version(Store *st_) { return read_version((PgStore *)st_); }

/* Brings the schema up to date: each step in its own transaction, the
   version read again under the schema lock before it. */
static rasd_err migrate(PgStore *s, rasd_error *err)
{
    int v = read_version(s);
    if (v < 0)
        return pg_fail(s, err, "read schema version");
    while (v < NMIGRATIONS) {
        if (s->readonly)
            return rasd_fail(err, RASD_EDB,
                             "postgresql: database needs an upgrade; open it writable once");
        char lock[96];
        snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%d, %d)", PG_LOCK_CLASS,
                 PG_LOCK_SCHEMA);
        rasd_err e = pg_exec(s, lock, "lock schema", err);
        if (e == RASD_OK)
            e = pg_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                         "create schema_version", err);
        if (e != RASD_OK) {
            pg_exec(s, "ROLLBACK", "", NULL);
            return e;
        }
        v = read_version(s);
        if (v < 0 || v >= NMIGRATIONS) {
            pg_exec(s, "COMMIT", "", NULL);
            break;
        }
        char bump[96];
        snprintf(bump, sizeof bump, "DELETE FROM schema_version; INSERT INTO schema_version"
                                    " VALUES (%d)", v + 1);
        e = pg_exec(s, migrations[v] ? migrations[v] : "SELECT 1", "migrate schema", err);
        if (e == RASD_OK)
            e = pg_exec(s, bump, "bump schema version", err);
        if (e == RASD_OK)
            e = pg_exec(s, "COMMIT", "commit schema", err);
        if (e != RASD_OK) {
            pg_exec(s, "ROLLBACK", "", NULL);
            return e;
        }
        v++;
    }
    if (v < 0)
        return pg_fail(s, err, "read schema version");
    if (v > NMIGRATIONS)
        return rasd_fail(err, RASD_EDB, "postgresql: schema version %d is newer than this rasd (%d)",
                         v, NMIGRATIONS);
    return RASD_OK;
}

static void pg_close(Store *st_);
static const StoreOps pg_ops;

rasd_err pg_store_open(const char *conninfo, int readonly, Store **out, rasd_error *err)
{
    PgStore *s = calloc(1, sizeof *s);
    if (!s)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    s->base.ops = &pg_ops;
    s->base.kind = "postgresql";
    s->readonly = readonly;
    s->c = PQconnectdb(conninfo);
    if (!s->c || PQstatus(s->c) != CONNECTION_OK) {
        rasd_err e = pg_fail(s, err, "cannot connect");
        pg_close(&s->base);
        return e;
    }
    rasd_err e = PQsetClientEncoding(s->c, "UTF8") == 0 ? RASD_OK
                                                         : pg_fail(s, err, "client encoding");
    if (e == RASD_OK)
        e = pg_exec(s, "SET client_min_messages = warning", "session settings", err);
    if (e == RASD_OK && readonly)
        e = pg_exec(s, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
                     "session settings", err);
    if (e == RASD_OK)
        e = migrate(s, err);
    if (e == RASD_OK && !readonly)
        e = pg_search_catch_up(s, err);
    if (e != RASD_OK) {
        pg_close(&s->base);
        return e;
    }
    *out = &s->base;
    return RASD_OK;
}

/* The new rows' terms wait in the GIN index's pending list, which every
   search scans (and which makes the planner avoid the index) until it
   passes gin_pending_list_limit (4 MB): merged every PG_GIN_MERGE_EVERY
   batches and when the writer closes. Merging many batches' terms at once
   costs less than one batch at a time (a term in several of them is
   written into the tree once). */
static void gin_merge(PgStore *s)
{
    PQclear(PQexec(s->c, "SELECT gin_clean_pending_list('article_terms_terms'::regclass)"));
    s->unmerged = 0;
}

static void pg_close(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    if (!s)
        return;
    if (s->c && s->unmerged && !s->in_tx)
        gin_merge(s);
    if (s->c)
        PQfinish(s->c);
    rasd_text_free(s->tx);
    for (int i = 0; i < 5; i++)
        buf_free(&s->post[i]);
    for (int i = 0; i < 6; i++)
        buf_free(&s->ment[i]);
    free(s);
}

static rasd_err pg_begin(Store *st_, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    s->retry = 0;
    s->write_locked = 0;
    rasd_err e = pg_run(s, "BEGIN", NULL, 0, NULL, "begin", err);
    if (e == RASD_OK) {
        s->in_tx = 1;
        pipe_resume(s);
    }
    return e;
}

static rasd_err pg_commit(Store *st_, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    rasd_error derr;
    int indexing = s->index_from != 0;
    rasd_err de = pg_flush_mentions(s, &derr);
    if (de == RASD_OK)
        de = pg_search_index_new(s, &derr);
    if (de == RASD_OK)
        de = pipe_pause(s, "commit", &derr);
    s->in_tx = 0;
    if (de != RASD_OK) {
        if (err)
            *err = derr;
        pg_exec(s, "ROLLBACK", "", NULL);
        return de;
    }
    PGresult *r = PQexec(s->c, "COMMIT");
    /* COMMIT of a failed transaction "succeeds" as ROLLBACK */
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0;
    PQclear(r);
    if (ok && indexing && ++s->unmerged >= PG_GIN_MERGE_EVERY)
        gin_merge(s);
    if (ok)
        return RASD_OK;
    rasd_err e = pg_fail(s, err, "commit failed; the transaction was rolled back");
    pg_exec(s, "ROLLBACK", "", NULL);
    return e;
}

static void pg_rollback(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    s->index_from = 0;
    pg_drop_mentions(s);
    pipe_pause(s, "rollback", NULL);
    s->in_tx = 0;
    pg_exec(s, "ROLLBACK", "", NULL);
}

/* ---- single-writer story assignment ---- */

static rasd_err pg_lock_assign(Store *st_, rasd_error *err)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%d, %d)", PG_LOCK_CLASS, PG_LOCK_ASSIGN);
    return pg_exec((PgStore *)st_, sql, "lock story assignment", err);
}

static void pg_unlock_assign(Store *st_)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%d, %d)", PG_LOCK_CLASS, PG_LOCK_ASSIGN);
    pg_exec((PgStore *)st_, sql, "", NULL);
}

static int pg_retryable(Store *st_) { return ((PgStore *)st_)->retry; }

/* ---- the interface ---- */

static const StoreOps pg_ops = {
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .find_hash = pg_find_hash,
    .put_article = pg_put_article,
    .set_copy = pg_set_copy,
    .put_lsh = pg_put_lsh,
    .lsh_candidates = pg_lsh_candidates,
    .log_file = pg_log_file,
    .each_article = pg_each_article,
    .get_article = pg_get_article,
    .count_articles = pg_count_articles,
    .put_mention = pg_put_mention,
    .each_mention = pg_each_mention,
    .each_article_mention = pg_each_article_mention,
    .each_entity = pg_each_entity,
    .put_role = pg_put_role,
    .put_vec = pg_put_vec,
    .each_vec_from = pg_each_vec_from,
    .each_df = pg_each_df,
    .add_df = pg_add_df,
    .clear_df = pg_clear_df,
    .clear_stories = pg_clear_stories,
    .get_story_checkpoint = pg_get_story_checkpoint,
    .put_story_checkpoint = pg_put_story_checkpoint,
    .put_thread = pg_put_thread,
    .put_event = pg_put_event,
    .put_article_event = pg_put_article_event,
    .unassigned_from = pg_unassigned_from,
    .has_events = pg_has_events,
    .story_max_ids = pg_story_max_ids,
    .each_thread_profile = pg_each_thread_profile,
    .set_thread_profile = pg_set_thread_profile,
    .merge_event = pg_merge_event,
    .drop_event = pg_drop_event,
    .set_event_thread = pg_set_event_thread,
    .refresh_events_from = pg_refresh_events_from,
    .refresh_threads = pg_refresh_threads,
    .each_story_article = pg_each_story_article,
    .put_annotations = pg_put_annotations,
    .get_annotated = pg_get_annotated,
    .each_unannotated = pg_each_unannotated,
    .copy_facts = pg_copy_facts,
    .set_canonical = pg_set_canonical,
    .add_sighting = pg_add_sighting,
    .each_sighting = pg_each_sighting,
    .get_cache = pg_get_cache,
    .put_cache = pg_put_cache,
    .lock_assign = pg_lock_assign,
    .unlock_assign = pg_unlock_assign,
    .retryable = pg_retryable,
    .add_override = pg_add_override,
    .each_override = pg_each_override,
    .delete_override = pg_delete_override,
    .article_event = pg_article_event,
    .set_article_event = pg_set_article_event,
    .set_headline = pg_set_headline,
    .totals = pg_totals,
    .each_thread = pg_each_thread,
    .each_outlet_count = pg_each_outlet_count,
    .set_outlet_name = pg_set_outlet_name,
    .each_outlet_name = pg_each_outlet_name,
    .search_rank = pg_search_rank,
    .search_hits = pg_search_hits,
    .each_spelling = pg_each_spelling,
    .key_mentions = pg_key_mentions,
    .each_surname_key = pg_each_surname_key,
    .key_stories = pg_key_stories,
    .story_headlines = pg_story_headlines,
    .key_articles = pg_key_articles,
    .generation = pg_generation,
    .phrase_docs = pg_phrase_docs,
    .each_copy = pg_each_copy,
};
