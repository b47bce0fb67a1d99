/*
 * pg_impl.h — what the files of the PostgreSQL store share: the connection
 * handle, statement parameters, the query helpers (pg.c) and the reading of
 * result values, and the store operations each pg_*.c file implements.
 * pg.c holds the connection, the schema and the StoreOps table: a new
 * operation is a function in the pg_*.c file of its subject (or a new one),
 * declared here and listed in pg_ops.
 */
#ifndef RASD_PG_IMPL_H
#define RASD_PG_IMPL_H

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
#define PG_LOCK_SEARCH 3 /* one process builds the search index (pg_search_catch_up) */
#define PG_LOCK_WRITE 4  /* a writing transaction's dedup and near-copy steps (pg_find_hash) */
#ifndef PG_GIN_MERGE_EVERY
#define PG_GIN_MERGE_EVERY 4 /* batches between merges of the GIN pending list (pg.c) */
#endif
#define MAXP 12    /* parameters of one statement, at most */
#define NPREP 96   /* statements prepared per connection, at most */

typedef struct PgStore {
    Store base;                   /* the interface: base.ops is pg_ops */
    PGconn *c;                    /* connection */
    int readonly;                 /* opened read-only */
    int in_tx;                    /* inside store_begin … commit/rollback */
    int binary;                   /* results in binary format (pg_each_row PG_PAGED_BINARY) */
    int write_locked;             /* holds PG_LOCK_WRITE until the transaction ends */
    int pipe;                     /* libpq pipeline mode on (inside a transaction) */
    int queued;                   /* commands sent in the pipeline, results not read yet */
    int retry;                    /* the current transaction hit a deadlock/serialization failure */
    int ncursor;                  /* cursors declared so far (names rasd_c<n>) */
    const char *prep[NPREP];      /* SQL text (static strings) prepared as "rq<i>" */
    int nprep;
    rasd_text *tx;                /* text context for the search index and queries (pg_search.c) */
    int64_t index_from;           /* lowest article id stored in this transaction: indexed at commit */
    int64_t stat_rows, stat_tokens; /* search index rows and positions written, not yet in search_stats */
    int postings;                 /* search_postings seen complete (schema 16; pg_search.c) */
    Buf ment[6];                  /* mentions not sent yet, array elements: article, type,
                                     key, text, start, end (pg_articles.c) */
    int nment;                    /* how many */
    int unmerged;                 /* batches indexed since the GIN pending list was merged (pg.c) */
    Buf post[5];                  /* the batch's new postings, array elements: term, article,
                                     impact, counts, size (pg_search_index.c) */
} PgStore;

/* Parameters of one statement: text values, or binary (blobs, counted text). */
typedef struct Params {
    const char *v[MAXP]; /* value, NULL = SQL NULL */
    int len[MAXP];       /* bytes (binary only) */
    int fmt[MAXP];       /* 0 text, 1 binary */
    char num[MAXP][32];  /* storage for formatted numbers */
    int n;
} Params;

#define NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static inline void p_text(Params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n] = 0;
    p->n++;
}

/* Text of n bytes (not NUL-terminated): sent in binary format, which for
   text is the bytes themselves. */
static inline void p_textn(Params *p, const char *s, size_t n)
{
    p->v[p->n] = s ? s : "";
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

static inline void p_i64(Params *p, int64_t x)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)x);
    p_text(p, p->num[p->n]);
}

static inline void p_f64(Params *p, double x)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%.17g", x);
    p_text(p, p->num[p->n]);
}

static inline void p_blob(Params *p, const void *b, size_t n)
{
    p->v[p->n] = b ? (const char *)b : (n ? NULL : "");
    p->len[p->n] = (int)n;
    p->fmt[p->n] = 1;
    p->n++;
}

rasd_err pg_fail(PgStore *s, rasd_error *err, const char *what);
/* Array literal elements: appended to b, comma-separated (text quoted
   and escaped); pg_run_arrays runs sql (an INSERT … SELECT FROM unnest($1,
   …, $n)) with col[0..n) as its n array parameters, and empties them. */
void pg_elem_text(Buf *b, const char *t, size_t n);
void pg_elem_i64(Buf *b, int64_t x);
rasd_err pg_run_arrays(PgStore *s, const char *sql, Buf *col, int n, const char *what,
                       rasd_error *err);
/* Sends the mentions store_put_mention buffered (one statement for an
   article's mentions instead of one each); pg_run and pg_exec call it
   before any other statement, so every statement sees them. */
rasd_err pg_flush_mentions(PgStore *s, rasd_error *err);
void pg_drop_mentions(PgStore *s);
rasd_err pg_run(PgStore *s, const char *sql, const Params *p, int cache, PGresult **out,
 const char *what, rasd_error *err);
rasd_err pg_exec(PgStore *s, const char *sql, const char *what, rasd_error *err);
/* A row callback of pg_each_row: 0 next row, PG_ROW_STOP, PG_ROW_NOMEM. */
typedef int (*PgRowFn)(void *ctx, const PGresult *r, int row);
enum { PG_ROW_STOP = 1, PG_ROW_NOMEM = -1 };
/* paged: 0 one result, 1 through a cursor, PG_PAGED_BINARY through a cursor
   with every column in binary format (gbin_i64, gbin_blob): a bytea arrives
   as its bytes, not as hex twice their size to decode */
#define PG_PAGED_BINARY 2
rasd_err pg_each_row(PgStore *s, const char *sql, const Params *p, int paged, const char *what,
              PgRowFn fn, void *ctx, rasd_error *err);

/* ---- reading results ---- */

static inline const char *gv(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static inline int64_t gi(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

static inline double gf(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strtod(v, NULL) : 0;
}

static inline char *gdup(const PGresult *r, int row, int col)
{
    const char *v = gv(r, row, col);
    return v ? strdup(v) : NULL;
}

/* A binary-format int8 column (big endian); 0 when NULL. */
static inline int64_t gbin_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8)
        return 0;
    const unsigned char *v = (const unsigned char *)PQgetvalue(r, row, col);
    uint64_t x = 0;
    for (int i = 0; i < 8; i++)
        x = x << 8 | v[i];
    return (int64_t)x;
}

/* A binary-format bytea column: its bytes in the result (NULL when NULL). */
static inline const unsigned char *gbin_blob(const PGresult *r, int row, int col, size_t *n)
{
    *n = PQgetisnull(r, row, col) ? 0 : (size_t)PQgetlength(r, row, col);
    return PQgetisnull(r, row, col) ? NULL : (const unsigned char *)PQgetvalue(r, row, col);
}

/* A bytea column decoded; *n its bytes. NULL when SQL NULL (or out of
   memory: *oom set). Free with PQfreemem. */
static inline unsigned char *gblob(const PGresult *r, int row, int col, size_t *n, int *oom)
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

/* ---- pg_articles.c ---- */

int64_t pg_find_hash(Store *st_, const char *hash);
rasd_err pg_put_article(Store *st_, const NewArticle *a, int64_t *id, rasd_error *err);
rasd_err pg_copy_facts(Store *st_, int64_t id, CopyFacts *f, rasd_error *err);
rasd_err pg_set_canonical(Store *st_, int64_t id, const NewArticle *m, rasd_error *err);
rasd_err pg_set_copy(Store *st_, int64_t id, int64_t of, double sim, rasd_error *err);
rasd_err pg_put_lsh(Store *st_, int64_t id, const uint64_t *keys, size_t n, rasd_error *err);
rasd_err pg_lsh_candidates(Store *st_, const uint64_t *keys, size_t n, int64_t self,
                    int (*fn)(void *ctx, int64_t id, const uint32_t *sig,
                              size_t nsig),
                    void *ctx, rasd_error *err);
rasd_err pg_log_file(Store *st_, const char *path, const char *status, const char *message,
              size_t articles, rasd_error *err);
rasd_err pg_each_article(Store *st_, int (*fn)(void *ctx, const StoredArticle *a), void *ctx,
                  rasd_error *err);
rasd_err pg_get_article(Store *st_, const char *id, StoredArticle *out, rasd_error *err);
size_t pg_count_articles(Store *st_);
rasd_err pg_put_mention(Store *st_, int64_t article, const char *type, const char *key,
                 size_t key_len, const char *text, size_t text_len, uint32_t start,
                 uint32_t end, rasd_error *err);
rasd_err pg_each_article_mention(Store *st_, int64_t article,
                          int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                          rasd_error *err);
rasd_err pg_each_copy(Store *st_, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx,
                      rasd_error *err);
rasd_err pg_each_mention(Store *st_, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                  rasd_error *err);

/* ---- pg_stories.c ---- */

rasd_err pg_put_vec(Store *st_, int64_t article, const void *vec, size_t n, rasd_error *err);
rasd_err pg_each_vec_from(Store *st_, const char *since,
                   int (*fn)(void *ctx, const StoredVec *v), void *ctx,
                   rasd_error *err);
rasd_err pg_clear_stories(Store *st_, rasd_error *err);
rasd_err pg_get_story_checkpoint(Store *st_, Buf *out, int *found, rasd_error *err);
rasd_err pg_put_story_checkpoint(Store *st_, const void *p, size_t n, rasd_error *err);
rasd_err pg_put_thread(Store *st_, const StoredStory *t, rasd_error *err);
rasd_err pg_put_event(Store *st_, const StoredStory *ev, rasd_error *err);
rasd_err pg_put_article_event(Store *st_, int64_t article, int64_t event, double score,
                       rasd_error *err);
rasd_err pg_each_story_article(Store *st_, const char *since, int64_t thread,
                        int (*fn)(void *ctx, const StoryArticle *r), void *ctx,
                        rasd_error *err);
rasd_err pg_unassigned_from(Store *st_, char *out, size_t size, int *found, rasd_error *err);
rasd_err pg_has_events(Store *st_, int *yes, rasd_error *err);
rasd_err pg_story_max_ids(Store *st_, int64_t *event, int64_t *thread, rasd_error *err);
rasd_err pg_each_thread_profile(Store *st_, const char *since,
                         int (*fn)(void *ctx, int64_t id, const char *last,
                                   const void *profile, size_t n),
                         void *ctx, rasd_error *err);
rasd_err pg_set_thread_profile(Store *st_, int64_t id, const void *profile, size_t n,
                        rasd_error *err);
rasd_err pg_merge_event(Store *st_, int64_t keep, int64_t gone, rasd_error *err);
rasd_err pg_drop_event(Store *st_, int64_t id, rasd_error *err);
rasd_err pg_set_event_thread(Store *st_, int64_t event, int64_t thread, rasd_error *err);
rasd_err pg_refresh_events_from(Store *st_, const char *day, rasd_error *err);
rasd_err pg_refresh_threads(Store *st_, rasd_error *err);
rasd_err pg_each_df(Store *st_, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
             rasd_error *err);
rasd_err pg_add_df(Store *st_, uint64_t id, uint32_t n, int replace, rasd_error *err);
rasd_err pg_clear_df(Store *st_, rasd_error *err);
rasd_err pg_put_annotations(Store *st_, int64_t article, const void *blob, size_t n,
                     rasd_error *err);
rasd_err pg_get_annotated(Store *st_, int64_t article,
                   int (*fn)(void *ctx, const char *body, size_t len,
                             const void *blob, size_t n),
                   void *ctx, rasd_error *err);
rasd_err pg_each_unannotated(Store *st_, int (*fn)(void *ctx, int64_t id), void *ctx,
                      rasd_error *err);
rasd_err pg_add_sighting(Store *st_, int64_t article, const char *outlet, const char *url,
                  const char *published, const char *origin, int *added,
                  rasd_error *err);
rasd_err pg_each_sighting(Store *st_, int64_t article,
                   int (*fn)(void *ctx, const StoredSighting *x), void *ctx,
                   rasd_error *err);
rasd_err pg_get_cache(Store *st_, const char *kind, int64_t id, int64_t sig, Buf *out,
               int *found, rasd_error *err);
rasd_err pg_put_cache(Store *st_, const char *kind, int64_t id, int64_t sig,
               const char *body, size_t n, rasd_error *err);


/* pg_views.c: the entity summary (schema 8) and the server's tables (schema 9) */
rasd_err pg_put_role(Store *st_, int64_t article, const char *type, const char *key,
                     size_t key_len, const char *office, size_t office_len,
                     rasd_error *err);
rasd_err pg_add_override(Store *st_, const StoredOverride *o, int64_t *id, rasd_error *err);
rasd_err pg_delete_override(Store *st_, int64_t id, int *found, rasd_error *err);
rasd_err pg_article_event(Store *st_, int64_t article, int64_t *event, int64_t *thread,
                          rasd_error *err);
rasd_err pg_set_article_event(Store *st_, int64_t article, int64_t event, rasd_error *err);
rasd_err pg_set_headline(Store *st_, int64_t event, int64_t thread, const char *headline,
                         rasd_error *err);
rasd_err pg_totals(Store *st_, int64_t *articles, int64_t *threads, char *last, size_t cap,
                   rasd_error *err);
rasd_err pg_set_outlet_name(Store *st_, const char *name, const char *display,
                            rasd_error *err);
rasd_err pg_each_entity(Store *st_, const EntityFilter *f,
                        int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                        rasd_error *err);
rasd_err pg_each_override(Store *st_, int (*fn)(void *ctx, const StoredOverride *o),
                          void *ctx, rasd_error *err);
rasd_err pg_each_thread(Store *st_, const ThreadPage *q,
                        int (*fn)(void *ctx, const StoredStory *t), void *ctx,
                        int64_t *total, rasd_error *err);
rasd_err pg_each_outlet_count(Store *st_, int64_t thread,
                              int (*fn)(void *ctx, const char *outlet, int64_t n),
                              void *ctx, rasd_error *err);
rasd_err pg_each_outlet_name(Store *st_, int (*fn)(void *ctx, const char *name,
                                                   const char *display),
                             void *ctx, rasd_error *err);

/* pg_search.c, pg_search_index.c: full-text search from rasd's tokens (schema 13) */
int pg_search_array_literal(char *const *v, size_t n, Buf *out); /* a text[] literal */
/* article_terms.tf (schema 15): per term of terms, in its order, the
   positions of each of the PG_TF_COLS columns holding it, u16 little endian */
#define PG_TF_COLS 4
/* article_terms.th (schema 15): each term's pg_term_hash, in terms' order,
   so the server finds a term's tf bytes in a small int[] without unpacking
   the row's terms (NULL with tf, or when two of the row's terms share one) */
static inline int32_t pg_term_hash(const char *t, size_t n)
{
    uint64_t h = rasd_hash(t, n);
    return (int32_t)(uint32_t)(h ^ h >> 32);
}
static inline uint32_t pg_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
/* search_postings (schema 16): per term and row, its tf (the PG_TF_COLS
   counts, 16 bits each, column 0 lowest; -1 when one does not fit: that
   row is ranked from its positions) and its impact: BM25's term factor
   f (k1 + 1) / (f + k1 (1 - b + b D / PG_IMP_AVGDL)) with the default
   column weights below and a fixed average row size, so a row's score
   under any weights and any real average is at most a known multiple of
   it (pg_search.c: the bound that lets a search stop reading) */
#define PG_IMP_W_TITLE 3.0 /* fts.c's FTS_W_TITLE, _LEAD, _BODY (only the bound's tightness
                              depends on them agreeing) */
#define PG_IMP_W_LEAD 1.0
#define PG_IMP_W_BODY 1.0
#define PG_IMP_AVGDL 500.0
/* Only a row whose impact for the term reaches this has a posting (a
   third of them on SaudiNewsNet: a word in the title, or often in the
   body of a short article); a search that runs out of postings before its
   top k is certain falls back to the GIN index (pg_search.c) */
#define PG_IMP_MIN 1.25
#define PG_BM25_K1 1.2
#define PG_BM25_B 0.75
rasd_err pg_search_reindex(PgStore *s, int64_t id, rasd_error *err); /* one article again */
rasd_err pg_search_text(PgStore *s, rasd_error *err);              /* s->tx, made once */
struct FtsOptions;
struct FtsHit;
rasd_err pg_search_index_new(PgStore *s, rasd_error *err);
rasd_err pg_search_catch_up(PgStore *s, rasd_error *err);
rasd_err pg_search_rank(Store *st_, const char *expr, const struct FtsOptions *o,
                        const double w[3], size_t limit,
                        int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                        rasd_error *err);
rasd_err pg_search_hits(Store *st_, const char *expr, const struct FtsOptions *o,
                        struct FtsHit *v, size_t n, rasd_error *err);
/* tests/fuzz/fuzz_pg_search.c: data read as a stored token blob and as a
   match expression, no database; -1 when an invariant breaks */
int pg_search_fuzz(rasd_text *tx, const unsigned char *data, size_t n);
int64_t pg_key_mentions(Store *st_, const char *key, size_t n);
rasd_err pg_each_surname_key(Store *st_, const char *key, size_t n, size_t limit,
                             int (*fn)(void *ctx, const char *full, size_t n, int64_t mentions),
                             void *ctx, rasd_error *err);
rasd_err pg_key_stories(Store *st_, const char *key, size_t limit,
                        int (*fn)(void *ctx, int64_t story, const char *headline,
                                  const char *last, int64_t articles),
                        void *ctx, rasd_error *err);
rasd_err pg_key_articles(Store *st_, const char *key, size_t limit,
                         int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
rasd_err pg_story_headlines(Store *st_, const int64_t *ids, size_t n,
                            int (*fn)(void *ctx, int64_t story, const char *headline),
                            void *ctx, rasd_error *err);
int pg_generation(Store *st_, uint64_t *gen);
int64_t pg_phrase_docs(Store *st_, const char *expr, int64_t cap);
rasd_err pg_each_spelling(Store *st_, const char *key, size_t n, size_t limit,
                          int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                          void *ctx, rasd_error *err);

#endif
