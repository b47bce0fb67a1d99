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
 * Story assignment is single-writer: store_lock_assign takes the session
 * lock pg_advisory_lock(RASD, 2), released by store_unlock_assign or when
 * the connection ends (a killed process never leaves it held).
 *
 * Queries are sent with PQexecParams/PQexecPrepared (each fixed statement
 * is prepared once per connection); results come back as text, blobs as
 * bytea hex (PQunescapeBytea). Result sets are read whole before the
 * callback runs, so callbacks may call the store again.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_impl.h"
#include "../util/util.h"

#define PG_LOCK_CLASS 1918989156 /* "rasd" as an int4: advisory lock namespace */
#define PG_LOCK_SCHEMA 1
#define PG_LOCK_ASSIGN 2
#define MAXP 12    /* parameters of one statement, at most */
#define NPREP 96   /* statements prepared per connection, at most */

typedef struct PgStore {
    Store base;                   /* the interface: base.ops is pg_ops */
    PGconn *c;                    /* connection */
    int readonly;                 /* opened read-only */
    int in_tx;                    /* inside store_begin … commit/rollback */
    int pipe;                     /* libpq pipeline mode on (inside a transaction) */
    int queued;                   /* commands sent in the pipeline, results not read yet */
    int retry;                    /* the current transaction hit a deadlock/serialization failure */
    const char *prep[NPREP];      /* SQL text (static strings) prepared as "rq<i>" */
    int nprep;
} PgStore;

/* Parameters of one statement: text values, or binary (blobs, counted text). */
typedef struct Params {
    const char *v[MAXP]; /* value, NULL = SQL NULL */
    int len[MAXP];       /* bytes (binary only) */
    int fmt[MAXP];       /* 0 text, 1 binary */
    char num[MAXP][32];  /* storage for formatted numbers */
    int n;
} Params;

static void p_text(Params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n] = 0;
    p->n++;
}

/* Text of n bytes (not NUL-terminated): sent in binary format, which for
   text is the bytes themselves. */
static void p_textn(Params *p, const char *s, size_t n)
{
    p->v[p->n] = s ? s : "";
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

static void p_i64(Params *p, int64_t x)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)x);
    p_text(p, p->num[p->n]);
}

static void p_f64(Params *p, double x)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%.17g", x);
    p_text(p, p->num[p->n]);
}

static void p_blob(Params *p, const void *b, size_t n)
{
    p->v[p->n] = b ? (const char *)b : (n ? NULL : "");
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

/* Notes a deadlock (40P01) or serialization failure (40001): store_retryable. */
static void note_state(PgStore *s, const PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (st && (strcmp(st, "40P01") == 0 || strcmp(st, "40001") == 0))
        s->retry = 1;
}

static rasd_err pg_fail(PgStore *s, rasd_error *err, const char *what)
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
static rasd_err pg_run(PgStore *s, const char *sql, const Params *p, int cache, PGresult **out,
                    const char *what, rasd_error *err)
{
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
        int sent = slot >= 0 ? PQsendQueryPrepared(s->c, name, np, v, len, fmt, 0)
                             : PQsendQueryParams(s->c, sql, np, NULL, v, len, fmt, 0);
        if (!sent)
            return pg_fail(s, err, what);
        s->queued++;
        if (!out)
            return RASD_OK;
        return drain(s, out, what, err);
    }
    if (slot >= 0)
        r = PQexecPrepared(s->c, name, np, v, len, fmt, 0);
    else
        r = PQexecParams(s->c, sql, np, NULL, v, len, fmt, 0);
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

/* Runs a parameterless command string (may hold several statements). */
static rasd_err pg_exec(PgStore *s, const char *sql, const char *what, rasd_error *err)
{
    rasd_err e = pipe_pause(s, what, err);
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

/* ---- reading results ---- */

static const char *gv(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int64_t gi(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

static double gf(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strtod(v, NULL) : 0;
}

static char *gdup(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strdup(v) : NULL;
}

/* A bytea column decoded; *n its bytes. NULL when SQL NULL (or out of
   memory: *oom set). Free with PQfreemem. */
static unsigned char *gblob(const PGresult *r, int row, int col, size_t *n, int *oom)
{
    *n = 0;
    const char *v = gv(r, row, col);
    if (!v)
        return NULL;
    unsigned char *b = PQunescapeBytea((const unsigned char *)v, n);
    if (!b && oom)
        *oom = 1;
    return b;
}

/* ---- schema ---- */

#define T "TEXT COLLATE \"C\""
#define ID "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
#define NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Migration i brings the schema from version i to i+1, the same steps as
   sqlite.c's. Never edit a shipped one. */
static const char *const migrations[] = {
    /* 0 → 1: articles, near-copy relation, LSH buckets, file log */
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
    /* 1 → 2: named-entity mentions */
    "CREATE TABLE mentions (article BIGINT NOT NULL REFERENCES articles(id),"
    "  type " T " NOT NULL, key " T " NOT NULL, text " T " NOT NULL,"
    "  start INTEGER NOT NULL, \"end\" INTEGER NOT NULL);"
    "CREATE INDEX mentions_key ON mentions(key);"
    "CREATE INDEX mentions_article ON mentions(article);",
    /* 2 → 3: stories */
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
    /* 3 → 4: thread profiles */
    "ALTER TABLE threads ADD COLUMN profile BYTEA;"
    "CREATE INDEX events_last ON events(last);",
    /* 4 → 5: document frequencies of story vectors */
    "CREATE TABLE story_df (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);",
    /* 5 → 6: the engine's stored results */
    "CREATE TABLE annotations (article BIGINT PRIMARY KEY REFERENCES articles(id),"
    "  blob BYTEA NOT NULL);"
    "CREATE TABLE sightings (id " ID ", article BIGINT NOT NULL REFERENCES articles(id),"
    "  outlet " T ", url " T ", published " T ", origin " T ", seen " T " NOT NULL,"
    "  UNIQUE (article, outlet, url));"
    "CREATE INDEX sightings_article ON sightings(article);"
    "CREATE TABLE story_cache (kind " T " NOT NULL, id BIGINT NOT NULL, sig BIGINT NOT NULL,"
    "  body " T " NOT NULL, PRIMARY KEY (kind, id));",
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
        e = pg_exec(s, migrations[v], "migrate schema", err);
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
    if (e != RASD_OK) {
        pg_close(&s->base);
        return e;
    }
    *out = &s->base;
    return RASD_OK;
}

static void pg_close(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    if (!s)
        return;
    if (s->c)
        PQfinish(s->c);
    free(s);
}

static rasd_err pg_begin(Store *st_, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    s->retry = 0;
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
    rasd_err de = pipe_pause(s, "commit", &derr);
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
    if (ok)
        return RASD_OK;
    rasd_err e = pg_fail(s, err, "commit failed; the transaction was rolled back");
    pg_exec(s, "ROLLBACK", "", NULL);
    return e;
}

static void pg_rollback(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    pipe_pause(s, "rollback", NULL);
    s->in_tx = 0;
    pg_exec(s, "ROLLBACK", "", NULL);
}

/* ---- articles ---- */

static int64_t pg_find_hash(Store *st_, const char *hash)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    if (s->in_tx && !s->readonly && strlen(hash) == 16 &&
        strspn(hash, "0123456789abcdef") == 16) {
        /* serialise writers of this hash until our transaction ends (see top) */
        p_i64(&p, (int64_t)strtoull(hash, NULL, 16));
        if (pg_run(s, "SELECT pg_advisory_xact_lock($1::bigint)", &p, 1, NULL, "", NULL) != RASD_OK)
            return 0;
        p.n = 0;
    }
    p_text(&p, hash);
    PGresult *r = NULL;
    if (pg_run(s, "SELECT id FROM articles WHERE hash = $1", &p, 1, &r, "", NULL) != RASD_OK)
        return 0;
    int64_t id = PQntuples(r) ? gi(r, 0, 0) : 0;
    PQclear(r);
    return id;
}

static rasd_err pg_put_article(Store *st_, const NewArticle *a, int64_t *id, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, a->hash);
    p_text(&p, a->title);
    p_text(&p, a->outlet);
    p_text(&p, a->agency);
    p_text(&p, a->published);
    p_text(&p, a->url);
    p_text(&p, a->author);
    p_text(&p, a->body ? a->body : "");
    p_text(&p, a->origin);
    if (a->parent)
        p_i64(&p, a->parent);
    else
        p_text(&p, NULL);
    unsigned char *blob = NULL;
    if (a->minhash && a->nminhash) {
        /* little-endian on every host, as sqlite.c stores it */
        blob = malloc(a->nminhash * 4);
        if (!blob)
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        for (size_t i = 0; i < a->nminhash; i++)
            for (int k = 0; k < 4; k++)
                blob[i * 4 + (size_t)k] = (unsigned char)(a->minhash[i] >> (8 * k));
        p_blob(&p, blob, a->nminhash * 4);
    } else {
        p_text(&p, NULL);
    }
    PGresult *r = NULL;
    rasd_err e = pg_run(s,
                     "INSERT INTO articles(hash, title, outlet, agency, published, url, author,"
                     " body, origin, parent, minhash, ingested) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,"
                     "$9,$10::bigint,$11::bytea," NOW ") ON CONFLICT (hash) DO NOTHING RETURNING id",
                     &p, 1, &r, "insert article", err);
    free(blob);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return rasd_fail(err, RASD_EDB, "postgresql: insert article: hash %s is already stored",
                         a->hash);
    }
    *id = gi(r, 0, 0);
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_set_copy(Store *st_, int64_t id, int64_t of, double sim, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    p_i64(&p, of);
    p_f64(&p, sim);
    return pg_run(s, "UPDATE articles SET copy_of = $2::bigint, copy_sim = $3::float8"
                  " WHERE id = $1::bigint",
               &p, 1, NULL, "record near-copy", err);
}

/* "{k1,k2,…}": keys as a bigint[] literal (signed, as sqlite.c stores them). */
static int key_array(Buf *b, const uint64_t *keys, size_t n)
{
    buf_putc(b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)(int64_t)keys[i]);
    buf_putc(b, '}');
    return b->oom ? -1 : 0;
}

static rasd_err pg_put_lsh(Store *st_, int64_t id, const uint64_t *keys, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    if (!n)
        return RASD_OK;
    Buf arr = {0};
    if (key_array(&arr, keys, n) != 0) {
        buf_free(&arr);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    Params p = {0};
    p_text(&p, arr.data);
    p_i64(&p, id);
    rasd_err e = pg_run(s, "INSERT INTO lsh(key, article) SELECT DISTINCT unnest($1::bigint[]),"
                        " $2::bigint ON CONFLICT DO NOTHING",
                     &p, 1, NULL, "insert lsh", err);
    buf_free(&arr);
    return e;
}

static rasd_err pg_lsh_candidates(Store *st_, const uint64_t *keys, size_t n, int64_t self,
                                  int (*fn)(void *ctx, int64_t id, const uint32_t *sig,
                                            size_t nsig),
                                  void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    if (!n)
        return RASD_OK;
    Buf arr = {0};
    if (key_array(&arr, keys, n) != 0) {
        buf_free(&arr);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    Params p = {0};
    p_text(&p, arr.data);
    p_i64(&p, self);
    PGresult *r = NULL;
    /* the distinct articles of all buckets, each read and compared once, by id */
    rasd_err e = pg_run(s,
                     "SELECT a.id, a.minhash FROM articles a WHERE a.id IN (SELECT article FROM lsh"
                     " WHERE key = ANY($1::bigint[]) AND article <> $2::bigint) ORDER BY a.id",
                     &p, 1, &r, "lsh lookup", err);
    buf_free(&arr);
    if (e != RASD_OK)
        return e;
    uint32_t sig[512];
    int rows = PQntuples(r);
    for (int i = 0; i < rows && e == RASD_OK; i++) {
        size_t nb = 0;
        int oom = 0;
        unsigned char *b = gblob(r, i, 1, &nb, &oom);
        if (oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        nb /= 4;
        if (nb > 512)
            nb = 512;
        for (size_t k = 0; k < nb; k++)
            sig[k] = (uint32_t)b[k * 4] | (uint32_t)b[k * 4 + 1] << 8 |
                     (uint32_t)b[k * 4 + 2] << 16 | (uint32_t)b[k * 4 + 3] << 24;
        if (b)
            PQfreemem(b);
        if (fn(ctx, gi(r, i, 0), sig, nb))
            break;
    }
    PQclear(r);
    return e;
}

static rasd_err pg_log_file(Store *st_, const char *path, const char *status, const char *message,
                            size_t articles, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, path);
    p_text(&p, status);
    p_text(&p, message);
    p_i64(&p, (int64_t)articles);
    return pg_run(s, "INSERT INTO files(path, status, message, articles, at) VALUES ($1, $2, $3,"
                  " $4::bigint, " NOW ")",
               &p, 1, NULL, "log file", err);
}

#define ARTICLE_COLS "id, hash, title, outlet, agency, published, url, author, body, origin," \
                     " parent, copy_of, copy_sim, ingested"

static void read_row(const PGresult *r, int i, StoredArticle *a)
{
    memset(a, 0, sizeof *a);
    a->id = gi(r, i, 0);
    const char *h = gv(r, i, 1);
    snprintf(a->hash, sizeof a->hash, "%s", h ? h : "");
    a->title = gdup(r, i, 2);
    a->outlet = gdup(r, i, 3);
    a->agency = gdup(r, i, 4);
    a->published = gdup(r, i, 5);
    a->url = gdup(r, i, 6);
    a->author = gdup(r, i, 7);
    a->body = gdup(r, i, 8);
    a->origin = gdup(r, i, 9);
    a->parent = gi(r, i, 10);
    a->copy_of = gi(r, i, 11);
    a->copy_sim = gf(r, i, 12);
    a->ingested = gdup(r, i, 13);
}

static rasd_err pg_each_article(Store *st_, int (*fn)(void *ctx, const StoredArticle *a), void *ctx,
                                rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT " ARTICLE_COLS " FROM articles ORDER BY published IS NULL,"
                        " published, id",
                     NULL, 1, &r, "list articles", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        StoredArticle a;
        read_row(r, i, &a);
        int stop = fn(ctx, &a);
        store_article_free(&a);
        if (stop)
            break;
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_get_article(Store *st_, const char *id, StoredArticle *out, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    size_t n = strlen(id);
    int numeric = n > 0 && n < 12 && strspn(id, "0123456789") == n;
    if (n < 1 || n > 16 || (!numeric && n < 4) || strspn(id, "0123456789abcdef") != n)
        return rasd_fail(err, RASD_EINVAL,
                         "article id '%s' is neither a row number nor 4-16 hex digits", id);
    Params p = {0};
    p_i64(&p, numeric ? atoll(id) : 0);
    p_text(&p, id);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, numeric ? "SELECT " ARTICLE_COLS " FROM articles WHERE id = $1::bigint"
                                  " OR hash = $2::text"
                                : "SELECT " ARTICLE_COLS " FROM articles WHERE $1::bigint = 0 AND"
                                  " hash >= $2::text AND hash < $2::text || 'g' ORDER BY hash"
                                  " LIMIT 2",
                     &p, 1, &r, "get article", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) < 1)
        e = rasd_fail(err, RASD_ENOTFOUND, "no article %s", id);
    else if (!numeric && PQntuples(r) > 1)
        e = rasd_fail(err, RASD_EINVAL, "article id prefix %s is ambiguous", id);
    else
        read_row(r, 0, out);
    PQclear(r);
    return e;
}

static size_t pg_count_articles(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    if (pg_run(s, "SELECT count(*) FROM articles", NULL, 1, &r, "", NULL) != RASD_OK)
        return 0;
    size_t n = PQntuples(r) ? (size_t)gi(r, 0, 0) : 0;
    PQclear(r);
    return n;
}

/* ---- mentions ---- */

static rasd_err pg_put_mention(Store *st_, int64_t article, const char *type, const char *key,
                               size_t key_len, const char *text, size_t text_len, uint32_t start,
                               uint32_t end, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_text(&p, type);
    p_textn(&p, key, key_len);
    p_textn(&p, text, text_len);
    p_i64(&p, start);
    p_i64(&p, end);
    return pg_run(s, "INSERT INTO mentions(article, type, key, text, start, \"end\") VALUES"
                  " ($1::bigint, $2::text, $3::text, $4::text, $5::int, $6::int)",
               &p, 1, NULL, "insert mention", err);
}

static rasd_err pg_each_article_mention(Store *st_, int64_t article,
                                        int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                                        rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, article ? "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                                  " JOIN articles a ON a.id = m.article WHERE m.article = $1::bigint"
                                  " ORDER BY m.start"
                                : "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                                  " JOIN articles a ON a.id = m.article WHERE $1::bigint = 0"
                                  " ORDER BY m.key, m.type, m.text, m.article, m.start",
                     &p, 1, &r, "list mentions", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        StoredMention m = {gv(r, i, 0), gv(r, i, 1), gv(r, i, 2), gv(r, i, 3), gi(r, i, 4)};
        if (fn(ctx, &m))
            break;
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_each_mention(Store *st_, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                                rasd_error *err)
{
    return pg_each_article_mention(st_, 0, fn, ctx, err);
}

/* ---- stories (schema version 3) ---- */

static rasd_err pg_put_vec(Store *st_, int64_t article, const void *vec, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_blob(&p, vec, n);
    return pg_run(s, "INSERT INTO story_vec(article, vec) VALUES ($1::bigint, $2::bytea)"
                  " ON CONFLICT (article) DO UPDATE SET vec = excluded.vec",
               &p, 1, NULL, "store story vector", err);
}

static rasd_err pg_each_vec_from(Store *st_, const char *since,
                                 int (*fn)(void *ctx, const StoredVec *v), void *ctx,
                                 rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, since);
    PGresult *r = NULL;
    rasd_err e = pg_run(s,
                     "SELECT a.id, a.published, v.vec, a.outlet, a.title, ae.event, e.thread"
                     " FROM story_vec v JOIN articles a ON a.id = v.article"
                     " LEFT JOIN article_event ae ON ae.article = a.id"
                     " LEFT JOIN events e ON e.id = ae.event"
                     " WHERE $1::text IS NULL OR a.published IS NULL OR a.published >= $1::text"
                     " ORDER BY coalesce(a.published, a.ingested), a.id",
                     &p, 1, &r, "list story vectors", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows && e == RASD_OK; i++) {
        StoredVec v;
        size_t n = 0;
        int oom = 0;
        unsigned char *b = gblob(r, i, 2, &n, &oom);
        if (oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        v.article = gi(r, i, 0);
        v.published = gv(r, i, 1);
        v.vec = b ? (const void *)b : "";
        v.n = n;
        v.outlet = gv(r, i, 3);
        v.title = gv(r, i, 4);
        v.event = gi(r, i, 5);
        v.thread = gi(r, i, 6);
        int stop = fn(ctx, &v);
        if (b)
            PQfreemem(b);
        if (stop)
            break;
    }
    PQclear(r);
    return e;
}

static rasd_err pg_clear_stories(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_,
                    "DELETE FROM article_event; DELETE FROM events; DELETE FROM threads;",
                    "clear stories", err);
}

static rasd_err pg_put_thread(Store *st_, const StoredStory *t, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, t->id);
    p_text(&p, t->first);
    p_text(&p, t->last);
    p_i64(&p, t->events);
    p_i64(&p, t->articles);
    p_text(&p, t->headline);
    if (t->profile)
        p_blob(&p, t->profile, t->profile_len);
    else
        p_text(&p, NULL);
    return pg_run(s, "INSERT INTO threads(id, first, last, events, articles, headline, profile)"
                  " VALUES ($1::bigint, $2::text, $3::text, $4::bigint, $5::bigint, $6::text,"
                  " $7::bytea) ON CONFLICT (id) DO UPDATE SET first = excluded.first,"
                  " last = excluded.last, events = excluded.events, articles = excluded.articles,"
                  " headline = excluded.headline, profile = excluded.profile",
               &p, 1, NULL, "insert thread", err);
}

static rasd_err pg_put_event(Store *st_, const StoredStory *ev, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, ev->id);
    p_i64(&p, ev->thread);
    p_text(&p, ev->first);
    p_text(&p, ev->last);
    p_i64(&p, ev->articles);
    p_i64(&p, ev->outlets);
    p_text(&p, ev->headline);
    return pg_run(s, "INSERT INTO events(id, thread, first, last, articles, outlets, headline)"
                  " VALUES ($1::bigint, $2::bigint, $3::text, $4::text, $5::bigint, $6::bigint,"
                  " $7::text)",
               &p, 1, NULL, "insert event", err);
}

static rasd_err pg_put_article_event(Store *st_, int64_t article, int64_t event, double score,
                                     rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_i64(&p, event);
    p_f64(&p, score);
    return pg_run(s, "INSERT INTO article_event(article, event, score) VALUES ($1::bigint,"
                  " $2::bigint, $3::float8)",
               &p, 1, NULL, "insert article event", err);
}

static rasd_err pg_each_story_article(Store *st_, const char *since, int64_t thread,
                                      int (*fn)(void *ctx, const StoryArticle *r), void *ctx,
                                      rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    static const char *const sql[3] = {
#define SA_SELECT                                                                               \
    "SELECT t.id, t.first, t.last, t.events, t.articles, t.headline,"                          \
    "  e.id, e.first, e.last, e.articles, e.outlets, e.headline,"                              \
    "  a.id, a.hash, a.outlet, a.title, a.published, ae.score, a.agency, a.copy_of,"           \
    "  a.url FROM article_event ae JOIN events e ON e.id = ae.event"                           \
    " JOIN threads t ON t.id = e.thread JOIN articles a ON a.id = ae.article"
#define SA_ORDER                                                                                \
    " ORDER BY t.articles DESC, t.id, e.first NULLS FIRST, e.id,"                              \
    " coalesce(a.published, a.ingested), a.id"
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND t.id = $2::bigint" SA_ORDER,
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND ae.event = -$2::bigint"
                  SA_ORDER,
        SA_SELECT " WHERE ($1::text IS NULL OR t.last >= $1::text) AND $2::bigint = 0" SA_ORDER,
#undef SA_SELECT
#undef SA_ORDER
    };
    Params p = {0};
    p_text(&p, since);
    p_i64(&p, thread);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, sql[thread > 0 ? 0 : thread < 0 ? 1 : 2], &p, 1, &r, "list stories", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        StoryArticle x;
        x.thread.id = gi(r, i, 0);
        x.thread.thread = x.thread.id;
        x.thread.first = gv(r, i, 1);
        x.thread.last = gv(r, i, 2);
        x.thread.events = gi(r, i, 3);
        x.thread.articles = gi(r, i, 4);
        x.thread.outlets = 0;
        x.thread.headline = gv(r, i, 5);
        x.thread.profile = NULL;
        x.thread.profile_len = 0;
        x.event.id = gi(r, i, 6);
        x.event.thread = x.thread.id;
        x.event.first = gv(r, i, 7);
        x.event.last = gv(r, i, 8);
        x.event.events = 1;
        x.event.articles = gi(r, i, 9);
        x.event.outlets = gi(r, i, 10);
        x.event.headline = gv(r, i, 11);
        x.event.profile = NULL;
        x.event.profile_len = 0;
        x.article = gi(r, i, 12);
        x.hash = gv(r, i, 13);
        x.outlet = gv(r, i, 14);
        x.title = gv(r, i, 15);
        x.published = gv(r, i, 16);
        x.score = gf(r, i, 17);
        x.agency = gv(r, i, 18);
        x.copy_of = gi(r, i, 19);
        x.url = gv(r, i, 20);
        if (fn(ctx, &x))
            break;
    }
    PQclear(r);
    return RASD_OK;
}

/* ---- incremental assignment (schema version 4) ---- */

/* The first column of the first row as text into out; *found 0 when no row or NULL. */
static rasd_err one_text(PgStore *s, const char *sql, char *out, size_t size, int *found,
                         rasd_error *err)
{
    PGresult *r = NULL;
    *found = 0;
    rasd_err e = pg_run(s, sql, NULL, 1, &r, "story query", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
        *found = 1;
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_unassigned_from(Store *st_, char *out, size_t size, int *found, rasd_error *err)
{
    return one_text((PgStore *)st_,
                    "SELECT min(coalesce(a.published, a.ingested)) FROM articles a"
                    " JOIN story_vec v ON v.article = a.id"
                    " LEFT JOIN article_event ae ON ae.article = a.id WHERE ae.article IS NULL",
                    out, size, found, err);
}

static rasd_err pg_has_events(Store *st_, int *yes, rasd_error *err)
{
    char buf[8];
    return one_text((PgStore *)st_, "SELECT 'y' FROM events LIMIT 1", buf, sizeof buf, yes, err);
}

static rasd_err pg_story_max_ids(Store *st_, int64_t *event, int64_t *thread, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT coalesce((SELECT max(id) FROM events), 0),"
                        " coalesce((SELECT max(id) FROM threads), 0)",
                     NULL, 1, &r, "story ids", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) == 1) {
        *event = gi(r, 0, 0);
        *thread = gi(r, 0, 1);
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_each_thread_profile(Store *st_, const char *since,
                                       int (*fn)(void *ctx, int64_t id, const char *last,
                                                 const void *profile, size_t n),
                                       void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, since);
    PGresult *r = NULL;
    /* like SQLite's "last >= NULL", a NULL since matches only undated threads */
    rasd_err e = pg_run(s, "SELECT id, last, profile FROM threads WHERE profile IS NOT NULL"
                        " AND (last IS NULL OR last >= $1::text) ORDER BY id",
                     &p, 1, &r, "list thread profiles", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        size_t n = 0;
        int oom = 0;
        unsigned char *b = gblob(r, i, 2, &n, &oom);
        if (oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        int stop = fn(ctx, gi(r, i, 0), gv(r, i, 1), b ? (const void *)b : "", n);
        if (b)
            PQfreemem(b);
        if (stop)
            break;
    }
    PQclear(r);
    return e;
}

static rasd_err pg_set_thread_profile(Store *st_, int64_t id, const void *profile, size_t n,
                                      rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    p_blob(&p, profile, n);
    return pg_run(s, "UPDATE threads SET profile = $2::bytea WHERE id = $1::bigint", &p, 1, NULL,
               "thread profile", err);
}

static rasd_err pg_merge_event(Store *st_, int64_t keep, int64_t gone, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, keep);
    p_i64(&p, gone);
    rasd_err e = pg_run(s, "UPDATE article_event SET event = $1::bigint WHERE event = $2::bigint", &p,
                     1, NULL, "merge events", err);
    if (e != RASD_OK)
        return e;
    Params q = {0};
    p_i64(&q, gone);
    return pg_run(s, "DELETE FROM events WHERE id = $1::bigint", &q, 1, NULL, "merge events", err);
}

static rasd_err pg_set_event_thread(Store *st_, int64_t event, int64_t thread, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, event);
    p_i64(&p, thread);
    return pg_run(s, "UPDATE events SET thread = $2::bigint WHERE id = $1::bigint", &p, 1, NULL,
               "event thread", err);
}

static rasd_err pg_refresh_events_from(Store *st_, const char *day, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, day);
    return pg_run(s,
               "UPDATE events SET"
               " articles = (SELECT count(*) FROM article_event ae WHERE ae.event = events.id),"
               " outlets = (SELECT count(DISTINCT a.outlet) FROM article_event ae JOIN articles a"
               "            ON a.id = ae.article WHERE ae.event = events.id),"
               " first = (SELECT min(substr(a.published, 1, 10)) FROM article_event ae"
               "          JOIN articles a ON a.id = ae.article WHERE ae.event = events.id),"
               " last = (SELECT max(substr(a.published, 1, 10)) FROM article_event ae"
               "         JOIN articles a ON a.id = ae.article WHERE ae.event = events.id)"
               " WHERE id IN (SELECT ae.event FROM article_event ae JOIN articles a"
               "              ON a.id = ae.article"
               "              WHERE a.published IS NULL OR a.published >= $1::text)",
               &p, 1, NULL, "refresh events", err);
}

static rasd_err pg_refresh_threads(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_,
                    "DELETE FROM threads WHERE id NOT IN (SELECT thread FROM events);"
                    "UPDATE threads SET"
                    " events = (SELECT count(*) FROM events e WHERE e.thread = threads.id),"
                    " articles = (SELECT coalesce(sum(articles), 0) FROM events e"
                    "             WHERE e.thread = threads.id),"
                    " first = (SELECT min(first) FROM events e WHERE e.thread = threads.id),"
                    " last = (SELECT max(last) FROM events e WHERE e.thread = threads.id);",
                    "refresh threads", err);
}

/* ---- stored document frequencies (schema version 5) ---- */

static rasd_err pg_each_df(Store *st_, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
                           rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT id, n FROM story_df", NULL, 1, &r, "read document frequencies",
                     err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++)
        if (fn(ctx, (uint64_t)gi(r, i, 0), (uint32_t)gi(r, i, 1)))
            break;
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_add_df(Store *st_, uint64_t id, uint32_t n, int replace, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, (int64_t)id);
    p_i64(&p, n);
    return pg_run(s, replace ? "INSERT INTO story_df(id, n) VALUES ($1::bigint, $2::bigint)"
                            " ON CONFLICT (id) DO UPDATE SET n = excluded.n"
                          : "INSERT INTO story_df(id, n) VALUES ($1::bigint, $2::bigint)"
                            " ON CONFLICT (id) DO UPDATE SET n = story_df.n + excluded.n",
               &p, 1, NULL, "store document frequency", err);
}

static rasd_err pg_clear_df(Store *st_, rasd_error *err)
{
    return pg_exec((PgStore *)st_, "DELETE FROM story_df", "clear document frequencies", err);
}

/* ---- the engine's stored results (schema version 6) ---- */

static rasd_err pg_put_annotations(Store *st_, int64_t article, const void *blob, size_t n,
                                   rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_blob(&p, blob, n);
    return pg_run(s, "INSERT INTO annotations(article, blob) VALUES ($1::bigint, $2::bytea)"
                  " ON CONFLICT (article) DO UPDATE SET blob = excluded.blob",
               &p, 1, NULL, "store annotations", err);
}

static rasd_err pg_get_annotated(Store *st_, int64_t article,
                                 int (*fn)(void *ctx, const char *body, size_t len,
                                           const void *blob, size_t n),
                                 void *ctx, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT a.body, n.blob FROM articles a LEFT JOIN annotations n"
                        " ON n.article = a.id WHERE a.id = $1::bigint",
                     &p, 1, &r, "read annotations", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) < 1) {
        e = rasd_fail(err, RASD_ENOTFOUND, "no article %lld", (long long)article);
    } else if (PQgetisnull(r, 0, 1)) {
        e = rasd_fail(err, RASD_ENOTFOUND,
                      "article %lld has no stored annotations (run `rasd ingest --reannotate`)",
                      (long long)article);
    } else {
        size_t n = 0;
        int oom = 0;
        unsigned char *b = gblob(r, 0, 1, &n, &oom);
        if (oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        } else {
            const char *body = gv(r, 0, 0);
            fn(ctx, body ? body : "", (size_t)PQgetlength(r, 0, 0), b ? (const void *)b : "", n);
        }
        if (b)
            PQfreemem(b);
    }
    PQclear(r);
    return e;
}

static rasd_err pg_each_unannotated(Store *st_, int (*fn)(void *ctx, int64_t id), void *ctx,
                                    rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM annotations n"
                        " WHERE n.article = a.id) ORDER BY id",
                     NULL, 1, &r, "list unannotated articles", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++)
        if (fn(ctx, gi(r, i, 0)))
            break;
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_add_sighting(Store *st_, int64_t article, const char *outlet, const char *url,
                                const char *published, const char *origin, int *added,
                                rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    p_text(&p, outlet);
    p_text(&p, url);
    p_text(&p, published);
    p_text(&p, origin);
    PGresult *r = NULL;
    /* UNIQUE treats NULLs as distinct: compare with IS NOT DISTINCT FROM */
    rasd_err e = pg_run(s,
                     "INSERT INTO sightings(article, outlet, url, published, origin, seen)"
                     " SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, " NOW
                     " WHERE NOT EXISTS (SELECT 1 FROM sightings WHERE article = $1::bigint AND"
                     " outlet IS NOT DISTINCT FROM $2::text AND url IS NOT DISTINCT FROM $3::text)"
                     " AND NOT EXISTS (SELECT 1 FROM articles WHERE id = $1::bigint AND"
                     " outlet IS NOT DISTINCT FROM $2::text AND url IS NOT DISTINCT FROM $3::text)"
                     " ON CONFLICT DO NOTHING",
                     &p, 1, &r, "store sighting", err);
    if (e != RASD_OK)
        return e;
    if (added)
        *added = atoi(PQcmdTuples(r)) > 0;
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_each_sighting(Store *st_, int64_t article,
                                 int (*fn)(void *ctx, const StoredSighting *x), void *ctx,
                                 rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, article);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT article, outlet, url, published, origin FROM sightings"
                        " WHERE $1::bigint = 0 OR article = $1::bigint"
                        " ORDER BY article, published NULLS FIRST, id",
                     &p, 1, &r, "read sightings", err);
    if (e != RASD_OK)
        return e;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        StoredSighting x = {gi(r, i, 0), gv(r, i, 1), gv(r, i, 2), gv(r, i, 3), gv(r, i, 4)};
        if (fn(ctx, &x))
            break;
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_get_cache(Store *st_, const char *kind, int64_t id, int64_t sig, Buf *out,
                             int *found, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    *found = 0;
    p_text(&p, kind);
    p_i64(&p, id);
    p_i64(&p, sig);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT body FROM story_cache WHERE kind = $1::text AND id = $2::bigint"
                        " AND sig = $3::bigint",
                     &p, 1, &r, "read story cache", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) > 0) {
        buf_append(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
        *found = 1;
    }
    PQclear(r);
    return RASD_OK;
}

static rasd_err pg_put_cache(Store *st_, const char *kind, int64_t id, int64_t sig,
                             const char *body, size_t n, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, kind);
    p_i64(&p, id);
    p_i64(&p, sig);
    p_textn(&p, body, n);
    return pg_run(s, "INSERT INTO story_cache(kind, id, sig, body) VALUES ($1::text, $2::bigint,"
                  " $3::bigint, $4::text) ON CONFLICT (kind, id) DO UPDATE SET sig = excluded.sig,"
                  " body = excluded.body",
               &p, 1, NULL, "store story cache", err);
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
    .put_vec = pg_put_vec,
    .each_vec_from = pg_each_vec_from,
    .each_df = pg_each_df,
    .add_df = pg_add_df,
    .clear_df = pg_clear_df,
    .clear_stories = pg_clear_stories,
    .put_thread = pg_put_thread,
    .put_event = pg_put_event,
    .put_article_event = pg_put_article_event,
    .unassigned_from = pg_unassigned_from,
    .has_events = pg_has_events,
    .story_max_ids = pg_story_max_ids,
    .each_thread_profile = pg_each_thread_profile,
    .set_thread_profile = pg_set_thread_profile,
    .merge_event = pg_merge_event,
    .set_event_thread = pg_set_event_thread,
    .refresh_events_from = pg_refresh_events_from,
    .refresh_threads = pg_refresh_threads,
    .each_story_article = pg_each_story_article,
    .put_annotations = pg_put_annotations,
    .get_annotated = pg_get_annotated,
    .each_unannotated = pg_each_unannotated,
    .add_sighting = pg_add_sighting,
    .each_sighting = pg_each_sighting,
    .get_cache = pg_get_cache,
    .put_cache = pg_put_cache,
    .lock_assign = pg_lock_assign,
    .unlock_assign = pg_unlock_assign,
    .retryable = pg_retryable,
};
