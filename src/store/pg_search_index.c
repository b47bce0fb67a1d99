/*
 * pg_search_index.c — the writing half of the PostgreSQL search (the
 * reading half, the query and the token blob format are in pg_search.c):
 * each article's title, lead, body and entity keys through fts_tokens into
 * one article_terms row (its distinct terms for the GIN index, the token
 * blob, the body's offsets, its size, each term's positions per column:
 * schema 15), written at the commit of the
 * transaction that stored the article; search_stats gets one row per
 * batch; the catch-up indexes a database older than schema 13 or made with
 * another FTS_TOKENS_VERSION.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "pg_impl.h"
#include "text/text.h"

#define LEAD_CHARS 400   /* the lead column: the body's first characters (fts_migration_sql) */
#define INDEX_BATCH 256  /* articles indexed per statement when catching up */

static void put_u32(Buf *b, uint32_t x)
{
    unsigned char c[4] = {(unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                          (unsigned char)(x >> 24)};
    buf_append(b, c, 4);
}

/* ---- indexing ------------------------------------------------------------ */

/* What fts_tokens gives for one article, collected. */
typedef struct Collect {
    Buf terms;           /* the distinct tokens, each u16 bytes + bytes (the blob's head) */
    Buf names;           /* the same NUL-terminated, for the array literal */
    Buf at;              /* uint32 offset of each term in names */
    uint32_t nterm;
    IdMap index;         /* rasd_hash(token) → 1 + term index */
    Buf col;             /* the current column's positions (u32 token, u32 key + 1) */
    uint32_t ncol;       /* positions in col */
    Buf cols;            /* the columns written so far */
    Buf offs;            /* the body's offsets (when body) */
    int body;            /* the current column is the body */
    int64_t size;        /* positions of all columns */
} Collect;

/* Is term k tok? */
static int term_is(const Collect *c, uint32_t k, const char *tok, size_t len)
{
    const char *t = c->names.data + ((const uint32_t *)c->at.data)[k];
    return strlen(t) == len && !memcmp(t, tok, len);
}

/* The term index of tok (added when new); -1 when out of memory. */
static int64_t term_index(Collect *c, const char *tok, size_t len)
{
    if (len > 0xFFFF)
        len = 0xFFFF;
    uint32_t *slot = idmap_slot(&c->index, rasd_hash(tok, len));
    if (!slot)
        return -1;
    if (*slot && term_is(c, *slot - 1, tok, len))
        return *slot - 1;
    for (uint32_t k = 0; *slot && k < c->nterm; k++) /* two terms, one hash */
        if (term_is(c, k, tok, len))
            return k;
    unsigned char l[2] = {(unsigned char)len, (unsigned char)(len >> 8)};
    uint32_t at = (uint32_t)c->names.len;
    buf_append(&c->terms, l, 2);
    buf_append(&c->terms, tok, len);
    buf_append(&c->names, tok, len);
    buf_putc(&c->names, 0);
    buf_append(&c->at, &at, sizeof at);
    if (!*slot)
        *slot = c->nterm + 1;
    return c->terms.oom || c->names.oom || c->at.oom ? -1 : (int64_t)c->nterm++;
}

static int collect_token(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b,
                         int colocated)
{
    Collect *c = ctx;
    int64_t k = term_index(c, tok, len);
    if (k < 0)
        return -1;
    if (!colocated) {
        put_u32(&c->col, (uint32_t)k);
        put_u32(&c->col, 0);
        if (c->body) {
            put_u32(&c->offs, a);
            put_u32(&c->offs, b);
        }
        c->ncol++;
        c->size++;
    } else if (c->ncol && c->col.len >= 4) {
        uint32_t v = (uint32_t)k + 1; /* the position's key slot */
        unsigned char *p = (unsigned char *)c->col.data + c->col.len - 4;
        p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
    }
    return c->col.oom || c->offs.oom ? -1 : 0;
}

/* Appends one column's positions to cols. */
static int collect_column(rasd_text *tx, Collect *c, const char *s, size_t n, int body,
                          Buf *scratch)
{
    buf_reset(&c->col);
    c->ncol = 0;
    c->body = body;
    if (body)
        put_u32(&c->offs, 0); /* the count, set below */
    if (fts_tokens(tx, s, n, 0, scratch, collect_token, c) < 0)
        return -1;
    if (body && c->offs.len >= 4) {
        unsigned char *p = (unsigned char *)c->offs.data;
        p[0] = (unsigned char)c->ncol, p[1] = (unsigned char)(c->ncol >> 8);
        p[2] = (unsigned char)(c->ncol >> 16), p[3] = (unsigned char)(c->ncol >> 24);
    }
    put_u32(&c->cols, c->ncol);
    buf_append(&c->cols, c->col.data, c->col.len);
    return c->cols.oom || c->offs.oom ? -1 : 0;
}

static void collect_free(Collect *c)
{
    buf_free(&c->terms), buf_free(&c->names), buf_free(&c->at), buf_free(&c->col);
    buf_free(&c->cols);
    buf_free(&c->offs);
    idmap_free(&c->index);
}

typedef struct SortedTerm {
    const char *name;
    uint32_t k;          /* its term index */
} SortedTerm;

static int cmp_term(const void *a, const void *b)
{
    return strcmp(((const SortedTerm *)a)->name, ((const SortedTerm *)b)->name);
}

/* Per term and column, the positions whose token or colocated key is the
   term (what a one-token phrase's instances are: pg_search.c's
   phrase_positions); cnt[k * NCOL + c]. */
static void term_counts(const Collect *c, uint32_t *cnt)
{
    const unsigned char *p = (const unsigned char *)c->cols.data;
    size_t i = 0;
    for (int col = 0; col < PG_TF_COLS && c->cols.len - i >= 4; col++) {
        uint32_t n = pg_get_u32(p + i);
        i += 4;
        for (uint32_t j = 0; j < n && c->cols.len - i >= 8; j++, i += 8) {
            uint32_t tok = pg_get_u32(p + i), key = pg_get_u32(p + i + 4);
            if (tok < c->nterm)
                cnt[(size_t)tok * PG_TF_COLS + col]++;
            if (key && key - 1 != tok && key - 1 < c->nterm)
                cnt[(size_t)(key - 1) * PG_TF_COLS + col]++;
        }
    }
}

/* The distinct terms as a PostgreSQL array literal, into out, and into tf
   each one's per-column counts in the array's order (PG_TF_COLS u16 per
   term, little endian) and into th their hashes (hash_literal); both left
   empty when a count does not fit or two hashes are one: the row is then
   ranked from its positions. */
static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The terms' hashes (names[0..n), in order) as an int[] literal into th;
   left empty when two of them share a hash (or out of memory). */
static void hash_literal(char *const *names, size_t n, Buf *th)
{
    int32_t *h = malloc((n ? n : 1) * sizeof *h);
    if (!h)
        return;
    buf_putc(th, '{');
    for (size_t k = 0; k < n; k++) {
        h[k] = pg_term_hash(names[k], strlen(names[k]));
        buf_printf(th, "%s%d", k ? "," : "", (int)h[k]);
    }
    buf_putc(th, '}');
    qsort(h, n, sizeof *h, cmp_i32);
    for (size_t k = 1; k < n; k++)
        if (h[k] == h[k - 1])
            buf_reset(th);
    if (th->oom)
        buf_reset(th);
    free(h);
}

/* The impact of a term counted cnt[0..PG_TF_COLS) times in a row of size
   positions (pg_impl.h). */
static double impact(const uint32_t *cnt, int64_t size)
{
    double f = PG_IMP_W_TITLE * cnt[0] + PG_IMP_W_LEAD * cnt[1] + PG_IMP_W_BODY * cnt[2];
    double k1 = PG_BM25_K1, b = PG_BM25_B;
    return f * (k1 + 1.0) / (f + k1 * (1 - b + b * (double)size / PG_IMP_AVGDL));
}

/* The row's postings (schema 16): the terms whose impact reaches
   PG_IMP_MIN, as three array literals: the terms (pt), their impacts (imp)
   and packed counts (tf: -1 when one does not fit in 16 bits); *np gets
   how many. */
static void postings_literals(char *const *names, const uint32_t *cnt, size_t n, int64_t size,
                              Buf *pt, Buf *imp, Buf *tf, size_t *np)
{
    char **keep = malloc((n ? n : 1) * sizeof *keep);
    size_t nk = 0;
    if (!keep) {
        pt->oom = 1;
        return;
    }
    buf_putc(imp, '{');
    buf_putc(tf, '{');
    for (size_t k = 0; k < n; k++) {
        const uint32_t *c = cnt + k * PG_TF_COLS;
        double x = impact(c, size);
        if (x < PG_IMP_MIN)
            continue;
        int64_t packed = 0;
        for (int col = 0; col < PG_TF_COLS && packed >= 0; col++)
            packed = c[col] > 0xFFFF ? -1 : packed | (int64_t)c[col] << (16 * col);
        buf_printf(imp, "%s%.9g", nk ? "," : "", x);
        buf_printf(tf, "%s%lld", nk ? "," : "", (long long)packed);
        keep[nk++] = names[k];
    }
    buf_putc(imp, '}');
    buf_putc(tf, '}');
    if (pg_search_array_literal(keep, nk, pt) != 0)
        pt->oom = 1;
    *np = nk;
    free(keep);
}

static int terms_literal(Collect *c, Buf *out, Buf *tf, Buf *th, Buf *pt, Buf *pimp,
                         Buf *ptf, size_t *np)
{
    size_t n = c->nterm ? c->nterm : 1;
    SortedTerm *v = malloc(n * sizeof *v);
    char **names = malloc(n * sizeof *names);
    uint32_t *cnt = calloc(n * PG_TF_COLS, sizeof *cnt);
    int rc = -1;
    if (v && names && cnt) {
        for (uint32_t k = 0; k < c->nterm; k++)
            v[k] = (SortedTerm){c->names.data + ((const uint32_t *)c->at.data)[k], k};
        qsort(v, c->nterm, sizeof *v, cmp_term);
        term_counts(c, cnt);
        int fits = 1;
        uint32_t *sorted = calloc(n * PG_TF_COLS, sizeof *sorted); /* cnt in terms' order */
        for (uint32_t k = 0; sorted && k < c->nterm; k++) {
            names[k] = (char *)v[k].name;
            for (int col = 0; col < PG_TF_COLS; col++) {
                uint32_t x = cnt[(size_t)v[k].k * PG_TF_COLS + col];
                sorted[(size_t)k * PG_TF_COLS + col] = x;
                fits &= x <= 0xFFFF;
                unsigned char b[2] = {(unsigned char)x, (unsigned char)(x >> 8)};
                buf_append(tf, b, 2);
            }
        }
        if (sorted)
            postings_literals(names, sorted, c->nterm, c->size, pt, pimp, ptf, np);
        else
            pimp->oom = 1;
        free(sorted);
        if (fits)
            hash_literal(names, c->nterm, th);
        if (!th->len)
            buf_reset(tf);
        rc = pg_search_array_literal(names, c->nterm, out) || tf->oom || pt->oom || pimp->oom ||
                     ptf->oom
                 ? -1
                 : 0;
    }
    free(v), free(names), free(cnt);
    return rc;
}

/* Bytes of the first LEAD_CHARS characters of s (SQLite's substr(s, 1, 400)). */
static size_t lead_bytes(const char *s, size_t n)
{
    size_t chars = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == LEAD_CHARS)
                break;
            chars++;
        }
    }
    return i;
}

/* An article's row; when it is new, its postings (one per term whose
   impact reaches PG_IMP_MIN) join the batch's (s->post), written by
   flush_postings. */
static const char index_sql[] =
    "INSERT INTO article_terms(article, terms, toks, offs, size, tf, th)"
    "  VALUES ($1, $2::text[], $3::bytea, $4::bytea, $5, $6::bytea, $7::int[])"
    "  ON CONFLICT (article) DO NOTHING RETURNING size";

/* Appends the elements of array literal lit ("{…}") to b, comma-separated. */
static void append_elements(Buf *b, const Buf *lit)
{
    if (lit->len <= 2)
        return;
    if (b->len)
        buf_putc(b, ',');
    buf_append(b, lit->data + 1, lit->len - 2);
}

/* Appends one new row's n postings (terms pt, impacts pimp, counts ptf:
   array literals) to the batch's. */
static void add_postings(PgStore *s, int64_t id, int64_t size, size_t n, const Buf *pt,
                         const Buf *pimp, const Buf *ptf)
{
    append_elements(&s->post[0], pt);
    append_elements(&s->post[2], pimp);
    append_elements(&s->post[3], ptf);
    for (size_t i = 0; i < n; i++) {
        pg_elem_i64(&s->post[1], id);
        pg_elem_i64(&s->post[4], size);
    }
}

static void drop_postings(PgStore *s)
{
    for (int i = 0; i < 5; i++)
        buf_reset(&s->post[i]);
}

/* Writes the batch's postings in one statement, in index order (term,
   impact): the btree's inserts then walk its leaves in order instead of
   landing on a random leaf each (a statement per article did). */
static rasd_err flush_postings(PgStore *s, rasd_error *err)
{
    if (!s->post[0].len) {
        drop_postings(s);
        return RASD_OK;
    }
    return pg_run_arrays(s, "INSERT INTO search_postings(term, article, imp, tf, size)"
                            " SELECT * FROM unnest($1::text[], $2::bigint[], $3::real[],"
                            " $4::bigint[], $5::bigint[]) ORDER BY 1, 3, 2",
                         s->post, 5, "search index", err);
}

/* Indexes one article: its title, body and entity keys ('\n'-separated);
   adds its row and positions to s->stat_rows and s->stat_tokens when the
   row is new. */
static rasd_err index_one(PgStore *s, int64_t id, const char *title, const char *body,
                          const char *keys, rasd_error *err)
{
    rasd_err e = pg_search_text(s, err);
    if (e != RASD_OK)
        return e;
    Collect c = {0};
    Buf scratch = {0}, kcol = {0}, lit = {0}, toks = {0}, tf = {0}, th = {0}, pt = {0},
        pimp = {0}, ptf = {0};
    size_t np = 0;
    size_t nb = strlen(body);
    buf_putc(&kcol, FTS_KEYS_MARK);
    buf_puts(&kcol, keys ? keys : "");
    int rc = collect_column(s->tx, &c, title, strlen(title), 0, &scratch);
    if (!rc)
        rc = collect_column(s->tx, &c, body, lead_bytes(body, nb), 0, &scratch);
    if (!rc)
        rc = collect_column(s->tx, &c, body, nb, 1, &scratch);
    if (!rc)
        rc = collect_column(s->tx, &c, kcol.data, kcol.len, 0, &scratch);
    if (!rc)
        rc = terms_literal(&c, &lit, &tf, &th, &pt, &pimp, &ptf, &np);
    put_u32(&toks, c.nterm);
    buf_append(&toks, c.terms.data, c.terms.len);
    buf_append(&toks, c.cols.data, c.cols.len);
    if (rc || kcol.oom || toks.oom) {
        e = rasd_fail(err, RASD_ENOMEM, "search index: article %lld: out of memory or the text"
                      " core failed", (long long)id);
    } else {
        Params p = {0};
        p_i64(&p, id);
        p_text(&p, lit.data);
        p_blob(&p, toks.data, toks.len);
        p_blob(&p, c.offs.data, c.offs.len);
        p_i64(&p, c.size);
        buf_putc(&th, 0);
        if (tf.len)
            p_blob(&p, tf.data, tf.len);
        else
            p_text(&p, NULL);
        p_text(&p, tf.len ? th.data : NULL);
        PGresult *r = NULL;
        e = pg_run(s, index_sql, &p, 1, &r, "search index", err);
        if (e == RASD_OK && PQntuples(r) == 1) {
            s->stat_rows++;
            s->stat_tokens += c.size;
            add_postings(s, id, c.size, np, &pt, &pimp, &ptf);
        }
        PQclear(r);
    }
    collect_free(&c);
    buf_free(&scratch), buf_free(&kcol), buf_free(&lit), buf_free(&toks), buf_free(&tf);
    buf_free(&th), buf_free(&pt), buf_free(&pimp), buf_free(&ptf);
    return e;
}

/* Records the rows and positions indexed since the last call (one row of
   search_stats per batch: writers never wait on one counter). */
static rasd_err flush_stats(PgStore *s, rasd_error *err)
{
    rasd_err e = flush_postings(s, err);
    if (e != RASD_OK)
        return e;
    if (!s->stat_rows)
        return RASD_OK;
    Params p = {0};
    p_i64(&p, s->stat_rows);
    p_i64(&p, s->stat_tokens);
    s->stat_rows = s->stat_tokens = 0;
    return pg_run(s, "INSERT INTO search_stats(rows, tokens) VALUES ($1, $2)", &p, 1, NULL,
                  "search index", err);
}

typedef struct IndexRun {
    PgStore *s;
    rasd_error *err;
    rasd_err e;
    size_t n;   /* articles indexed */
} IndexRun;

static int index_row(void *ctx, const PGresult *r, int row)
{
    IndexRun *x = ctx;
    x->e = index_one(x->s, gi(r, row, 0), gv(r, row, 1) ? gv(r, row, 1) : "",
                     gv(r, row, 2) ? gv(r, row, 2) : "", gv(r, row, 3), x->err);
    x->n++;
    return x->e == RASD_OK ? 0 : PG_ROW_STOP;
}

static const char unindexed_sql[] =
    "SELECT a.id, a.title, a.body, (SELECT string_agg(m.key, E'\\n') FROM mentions m"
    "  WHERE m.article = a.id) FROM articles a WHERE a.id >= $1 AND NOT EXISTS"
    " (SELECT 1 FROM article_terms t WHERE t.article = a.id) ORDER BY a.id LIMIT $2";

/* Indexes up to limit articles from id first on that have no row yet; *n
   gets how many. */
static rasd_err index_from(PgStore *s, int64_t first, int64_t limit, size_t *n,
                           rasd_error *err)
{
    Params p = {0};
    p_i64(&p, first);
    p_i64(&p, limit);
    IndexRun x = {s, err, RASD_OK, 0};
    drop_postings(s); /* none left by a failed batch */
    rasd_err e = pg_each_row(s, unindexed_sql, &p, 0, "search index", index_row, &x, err);
    if (n)
        *n = x.n;
    return e != RASD_OK ? e : x.e;
}

/* Indexes article id again (its title changed: store_set_canonical). An
   article stored in this transaction and not indexed yet is left to the
   commit; one indexed already leaves its row and positions, counted back
   out in a search_stats row of its own. */
rasd_err pg_search_reindex(PgStore *s, int64_t id, rasd_error *err)
{
    Params p = {0};
    p_i64(&p, id);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "WITH p AS (DELETE FROM search_postings WHERE article = $1::bigint)"
                           " DELETE FROM article_terms WHERE article = $1::bigint RETURNING size",
                        &p, 1, &r, "search index", err);
    if (e != RASD_OK)
        return e;
    int gone = PQntuples(r) == 1;
    int64_t size = gone ? gi(r, 0, 0) : 0;
    PQclear(r);
    if (!gone)
        return RASD_OK;
    p.n = 0;
    p_i64(&p, -1);
    p_i64(&p, -size);
    e = pg_run(s, "INSERT INTO search_stats(rows, tokens) VALUES ($1, $2)", &p, 1, NULL,
               "search index", err);
    if (e == RASD_OK) {
        int64_t saved_rows = s->stat_rows, saved_tokens = s->stat_tokens;
        s->stat_rows = s->stat_tokens = 0;
        e = index_from(s, id, 1, NULL, err);
        if (e == RASD_OK)
            e = flush_stats(s, err);
        s->stat_rows += saved_rows;
        s->stat_tokens += saved_tokens;
    }
    return e;
}

rasd_err pg_search_index_new(PgStore *s, rasd_error *err)
{
    if (!s->index_from)
        return RASD_OK;
    int64_t first = s->index_from;
    s->index_from = 0;
    s->stat_rows = s->stat_tokens = 0;
    rasd_err e = index_from(s, first, INT64_MAX, NULL, err);
    return e == RASD_OK ? flush_stats(s, err) : e;
}

rasd_err pg_search_catch_up(PgStore *s, rasd_error *err)
{
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT coalesce(max(tokens), 0) FROM search_meta", NULL, 0, &r,
                        "search index version", err);
    if (e != RASD_OK)
        return e;
    int v = (int)gi(r, 0, 0);
    PQclear(r);
    if (v == FTS_TOKENS_VERSION)
        return RASD_OK;
    /* one process rebuilds; the others wait and find it done */
    char lock[96];
    snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%d, %d)", PG_LOCK_CLASS,
             PG_LOCK_SEARCH);
    e = pg_exec(s, lock, "lock search index", err);
    if (e == RASD_OK)
        e = pg_run(s, "SELECT coalesce(max(tokens), 0) FROM search_meta", NULL, 0, &r,
                   "search index version", err);
    if (e == RASD_OK) {
        v = (int)gi(r, 0, 0);
        PQclear(r);
    }
    if (e == RASD_OK && v != FTS_TOKENS_VERSION)
        e = pg_exec(s, "DELETE FROM article_terms; DELETE FROM search_stats;"
                             " DELETE FROM search_postings", "search index", err);
    s->stat_rows = s->stat_tokens = 0;
    for (size_t n = INDEX_BATCH; e == RASD_OK && v != FTS_TOKENS_VERSION && n == INDEX_BATCH;) {
        e = index_from(s, 0, INDEX_BATCH, &n, err);
        if (e == RASD_OK)
            e = flush_stats(s, err);
    }
    if (e == RASD_OK && v != FTS_TOKENS_VERSION) {
        char set[96];
        snprintf(set, sizeof set, "DELETE FROM search_meta; INSERT INTO search_meta VALUES (%d)",
                 FTS_TOKENS_VERSION);
        e = pg_exec(s, set, "search index version", err);
    }
    if (e == RASD_OK)
        e = pg_exec(s, "COMMIT", "search index", err);
    else
        pg_exec(s, "ROLLBACK", "", NULL);
    return e;
}
