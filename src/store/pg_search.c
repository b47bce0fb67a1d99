/*
 * pg_search.c — full-text search on the PostgreSQL store, from rasd's own
 * token stream (fts_tokens, store/fts.h), ranked exactly as SQLite's FTS5
 * ranks the same archive.
 *
 * Index (schema 13), written by pg_search_index.c. One row of article_terms
 * per article: terms, the distinct tokens of its four search columns
 * (title, lead = the body's first 400 characters, body, entity keys: the
 * columns of SQLite's article_fts) in a GIN-indexed text[]; toks, every
 * position of every column as term indices (the blob format below); offs,
 * the body's byte offsets (snippets); size, its positions in all columns
 * (FTS5's row size: colocated tokens share a position). search_stats holds
 * the row count and total size (one row per indexed batch).
 *
 * Query. fts.c builds the same FTS5 match expression for both stores; on
 * PostgreSQL it is parsed here (phrases, AND, OR, NOT, NEAR(… , n), a
 * "keys :" column filter, FTS5's precedence NOT > AND > OR) and evaluated in
 * C: the GIN index gives the candidate rows (every term of each phrase the
 * expression needs), their blobs give phrase positions, and each row is
 * tested and scored as FTS5 does — phrase instances as xInst reports them
 * (NEAR keeps only the instances inside a matching group: the port of
 * fts5ExprNearIsMatch below; a phrase counts only when every node above it
 * matches the row), the column weights summed per phrase, and FTS5's BM25
 * (k1 1.2, b 0.75, IDF log((N - n + 0.5) / (n + 0.5)) floored at 1e-6, N
 * and the average row size over the whole index, whatever the filters), with
 * the same floating-point operations in the same order, so the scores are
 * the same doubles and the order the same up to exact ties. A one-word
 * query is ranked from search_postings when it can be (schema 16: read in
 * impact order, stopping once no other row can enter the top k; see
 * "ranking from the postings" below), with the same results.
 *
 * Snippets are rasd's own (the best 24-token window of the body by phrase
 * hits), not FTS5's snippet(): the same hits, possibly another excerpt.
 */
#include <libpq-fe.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "pg_search_int.h"
#include "text/text.h"

#define SNIPPET_TOKENS 24

/* ---- shared with pg_search_index.c ------------------------------------- */

/* v[0..n) as a PostgreSQL array literal (every element quoted) into out. */
int pg_search_array_literal(char *const *v, size_t n, Buf *out)
{
    buf_reset(out);
    buf_putc(out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ',');
        buf_putc(out, '"');
        for (const char *p = v[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_putc(out, '\\');
            buf_putc(out, *p);
        }
        buf_putc(out, '"');
    }
    buf_putc(out, '}');
    return out->oom ? -1 : 0;
}

rasd_err pg_search_text(PgStore *s, rasd_error *err)
{
    return s->tx || rasd_text_new(&s->tx, err) == RASD_OK ? RASD_OK : RASD_ENOMEM;
}

/* ---- ranking ------------------------------------------------------------- */

typedef struct Hit {
    int64_t id;
    int64_t size;        /* the row's positions in all columns (FTS5's D) */
    size_t freq;         /* index of its first phrase frequency in Scan.freq */
    double score;
} Hit;

typedef struct Scan {
    Expr *x;
    double w[NCOL];      /* column weights (keys: 0) */
    Buf hits;            /* Hit */
    Buf freq;            /* double per phrase per hit */
    int fail;
    int tf;              /* rows come with tf bytes (tf_query): the blob only when NULL */
} Scan;

/* Decodes row's blob (column col, binary format: PG_PAGED_BINARY) into d,
   pointing into the result (no copy). -1: bad. */
static int read_bin(const PGresult *r, int row, int col, Doc *d)
{
    size_t n = 0;
    const unsigned char *b = gbin_blob(r, row, col, &n);
    return b && doc_read(b, n, d) == 0 ? 0 : -1;
}

static int scan_row(void *ctx, const PGresult *r, int row)
{
    Scan *sc = ctx;
    Expr *x = sc->x;
    Doc d = {0};
    int m;
    if (sc->tf && PQgetisnull(r, row, 2)) {
        m = row_match_tf(x, r, row, 3);
    } else if (read_bin(r, row, 2, &d) != 0) {
        sc->fail = 1;
        return PG_ROW_STOP;
    } else {
        m = row_match(x, &d);
    }
    if (m > 0) {
        Hit h = {gbin_i64(r, row, 0), gbin_i64(r, row, 1), sc->freq.len / sizeof(double), 0};
        for (size_t i = 0; i < x->nph; i++) {
            double f = 0;
            /* xInst order: instances by position; a phrase's weights summed */
            for (size_t k = 0; x->ph[i].counted && k < npos(&x->ph[i]); k++)
                f += sc->w[pos_at(&x->ph[i], k) >> 32];
            if (f > 0)
                x->ph[i].used = 1;
            buf_append(&sc->freq, &f, sizeof f);
        }
        buf_append(&sc->hits, &h, sizeof h);
    }
    doc_free(&d);
    if (m < 0 || sc->hits.oom || sc->freq.oom) {
        sc->fail = 1;
        return PG_ROW_STOP;
    }
    return 0;
}

/* SQL condition on t.terms that every row matching node k meets (NOT's
   right side is left to the row test). */
static int candidates(PgStore *s, Expr *x, int k, Buf *sql)
{
    Node *nd = &x->node[k];
    if (nd->type == N_PHRASE || nd->type == N_NEAR) {
        buf_putc(sql, '(');
        for (int i = 0; i < nd->n; i++) {
            Phrase *p = &x->ph[nd->first + i];
            if (!p->n) {
                buf_puts(sql, "false");
                break;
            }
            Buf lit = {0};
            if (pg_search_array_literal(p->tok, p->n, &lit) != 0)
                return -1;
            char *q = PQescapeLiteral(s->c, lit.data, lit.len);
            buf_free(&lit);
            if (!q)
                return -1;
            buf_printf(sql, "%st.terms @> %s::text[]", i ? " AND " : "", q);
            PQfreemem(q);
        }
        buf_putc(sql, ')');
        return sql->oom ? -1 : 0;
    }
    if (nd->type == N_NOT)
        return candidates(s, x, nd->a, sql);
    buf_putc(sql, '(');
    if (candidates(s, x, nd->a, sql) != 0)
        return -1;
    buf_puts(sql, nd->type == N_AND ? " AND " : " OR ");
    if (candidates(s, x, nd->b, sql) != 0)
        return -1;
    buf_putc(sql, ')');
    return sql->oom ? -1 : 0;
}

typedef struct CountRun {
    Phrase *p;
    int64_t n, cap;      /* rows counted; stop at cap (0: count all) */
    int fail;
} CountRun;

static int count_row(void *ctx, const PGresult *r, int row)
{
    CountRun *c = ctx;
    Doc d;
    if (read_bin(r, row, 0, &d) != 0 || phrase_positions(c->p, &d) != 0) {
        c->fail = 1;
        return PG_ROW_STOP;
    }
    c->n += npos(c->p) > 0;
    return c->cap && c->n >= c->cap ? PG_ROW_STOP : 0;
}

/* Does every row of the index have its postings (schema 16)? A database
   migrated to 16 has none until a writable open rebuilds the index, which
   then sets search_meta in the same transaction; once seen, so it stays. */
static int postings_ready(PgStore *s)
{
    PGresult *r = NULL;
    if (!s->postings &&
        pg_run(s, "SELECT coalesce(max(tokens), 0) FROM search_meta", NULL, 1, &r, "search",
               NULL) == RASD_OK) {
        s->postings = gi(r, 0, 0) == FTS_TOKENS_VERSION;
        PQclear(r);
    }
    return s->postings;
}

/* FTS5's xQueryPhrase count: the rows holding phrase p anywhere (or in its
   column), over the whole index; up to cap rows when cap > 0. */
static rasd_err phrase_rows(PgStore *s, Phrase *p, int64_t cap, int64_t *n, rasd_error *err)
{
    Buf lit = {0};
    if (pg_search_array_literal(p->tok, p->n, &lit) != 0) {
        buf_free(&lit);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    Params q = {0};
    p_text(&q, lit.data);
    rasd_err e;
    if (p->n == 1 && !p->keys_only) {
        PGresult *r = NULL;
        if (cap > 0)
            p_i64(&q, cap);
        e = pg_run(s, cap > 0 ? "SELECT count(*) FROM (SELECT 1 FROM article_terms"
                                " WHERE terms @> $1::text[] LIMIT $2) c"
                              : "SELECT count(*) FROM article_terms WHERE terms @> $1::text[]",
                   &q, 1, &r, "search", err);
        if (e == RASD_OK) {
            *n = gi(r, 0, 0);
            PQclear(r);
        }
    } else {
        /* one token in the keys column: rows with tf counted by the server,
           the others (indexed before schema 15) from their positions */
        int one = p->n == 1;
        int64_t have = 0;
        e = RASD_OK;
        if (one) {
            PGresult *r = NULL;
            p_text(&q, p->tok[0]);
            e = pg_run(s, "SELECT count(*) FROM (SELECT array_position(terms, $2::text) * 8 AS"
                          " at, tf FROM article_terms WHERE terms @> $1::text[] AND tf IS NOT"
                          " NULL) c WHERE get_byte(tf, at - 2) + get_byte(tf, at - 1) > 0",
                       &q, 1, &r, "search", err);
            if (e == RASD_OK) {
                have = gi(r, 0, 0);
                PQclear(r);
            }
            q.n = 1;
        }
        CountRun c = {p, have, cap, 0};
        if (e == RASD_OK && (!cap || have < cap))
            e = pg_each_row(s, one ? "SELECT toks FROM article_terms WHERE terms @> $1::text[]"
                                     " AND tf IS NULL"
                                   : "SELECT toks FROM article_terms WHERE terms @> $1::text[]",
                            &q, PG_PAGED_BINARY, "search", count_row, &c, err);
        if (e == RASD_OK && c.fail)
            e = rasd_fail(err, RASD_EDB, "search: an unreadable index row");
        *n = c.n;
    }
    buf_free(&lit);
    return e;
}

static int cmp_hit(const void *a, const void *b)
{
    const Hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* One phrase's part of FTS5's bm25() (fts5_aux.c): the same operations in
   the same order, for both ways of ranking. */
static double bm25_part(double idf, double fr, double D, double avgdl)
{
    double k1 = PG_BM25_K1, b = PG_BM25_B;
    return idf * ((fr * (k1 + 1.0)) / (fr + k1 * (1 - b + b * D / avgdl)));
}

/* FTS5's IDF of a phrase in hit of rows rows, floored as FTS5 does. */
static double idf_of(int64_t rows, int64_t hit)
{
    double idf = log((rows - hit + 0.5) / (hit + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

/* FTS5's bm25() of the scanned hits from the first on. */
static void score_from(Scan *sc, size_t first, double avgdl)
{
    Expr *x = sc->x;
    Hit *h = (Hit *)sc->hits.data;
    const double *f = (const double *)sc->freq.data;
    size_t n = sc->hits.len / sizeof *h;
    for (size_t k = first; k < n; k++) {
        double score = 0.0, D = (double)h[k].size;
        for (size_t i = 0; i < x->nph; i++) {
            double fr = f[h[k].freq + i];
            score += bm25_part(x->ph[i].idf, fr, D, avgdl);
        }
        h[k].score = score;
    }
}


/* A search's own transaction: one snapshot for the rows and the statistics,
   plain cursors (a WITH HOLD cursor, outside a transaction, is materialised
   first), and the GIN index always: the planner costs a sequential scan
   without the detoasting of every row's terms it needs (a word in 13 % of
   one day's rows: 240 ms sequential, 18 ms through the index), and prices
   the index high while its pending list holds unmerged rows; no JIT (a
   disabled sequential scan's cost, 1e10, passes jit_above_cost: the
   statistics' sum over a few rows took 600 ms compiling) */
static const char search_begin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
                                   " SET LOCAL enable_seqscan = off; SET LOCAL jit = off";

/* FTS5's row count and total size, from the per-batch rows of search_stats */
static const char stats_sql[] =
    "SELECT coalesce(sum(rows), 0), coalesce(sum(tokens), 0) FROM search_stats";

/* FTS5's row count and total size into *rows and *tokens. */
static rasd_err read_stats(PgStore *s, int64_t *rows, int64_t *tokens, rasd_error *err)
{
    PGresult *r = NULL;
    rasd_err e = pg_run(s, stats_sql, NULL, 1, &r, "search", err);
    if (e != RASD_OK)
        return e;
    *rows = gi(r, 0, 0);
    *tokens = gi(r, 0, 1);
    PQclear(r);
    return RASD_OK;
}

/* The scored hits, best first, to fn: the first limit, or until it says stop. */
static void emit_hits(Buf *hits, size_t limit, int (*fn)(void *ctx, int64_t id, double score),
                      void *ctx)
{
    Hit *h = (Hit *)hits->data;
    size_t n = hits->len / sizeof *h;
    qsort(h, n, sizeof *h, cmp_hit);
    for (size_t k = 0; k < n && k < limit; k++)
        if (fn(ctx, h[k].id, h[k].score))
            break;
}

/* Ranks the rows the GIN index gives for x (every match scored: the path
   for phrases, NEAR, AND, NOT and filters, and for an index without
   postings). */
static rasd_err rank_rows(PgStore *s, Expr *x, const FtsOptions *o, const double w[3],
                         size_t limit, int (*fn)(void *ctx, int64_t id, double score),
                         void *ctx, rasd_error *err)
{
    rasd_err e = RASD_OK;
    Scan sc = {x, {w[0], w[1], w[2], 0.0}, {0}, {0}, 0, tf_query(x)};
    int filtered = o->since || o->until || o->outlet || o->story > 0;
    Buf sql = {0};
    if (!sc.tf)
        buf_puts(&sql, "SELECT t.article, t.size, t.toks");
    else
        buf_puts(&sql, "SELECT t.article, t.size, CASE WHEN t.tf IS NULL THEN t.toks END");
    uint8_t *req = sc.tf ? calloc(x->nph ? x->nph : 1, 1) : NULL;
    if (sc.tf && !req)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    else if (req)
        mark_required(x, x->root, req);
    for (size_t i = 0; sc.tf && i < x->nph && e == RASD_OK; i++) {
        const char *tok = x->ph[i].n ? x->ph[i].tok[0] : NULL;
        char *q = tok && !req[i] ? PQescapeLiteral(s->c, tok, strlen(tok)) : NULL;
        if (tok && !req[i] && !q)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        else if (tok && req[i])
            buf_printf(&sql, ", substring(t.tf from array_position(t.th, %d) * %d - %d for %d)",
                       (int)pg_term_hash(tok, strlen(tok)), 2 * PG_TF_COLS,
                       2 * PG_TF_COLS - 1, 2 * PG_TF_COLS);
        else if (q)
            buf_printf(&sql, ", substring(t.tf from array_position(t.terms, %s::text) * %d - %d"
                             " for %d)", q, 2 * PG_TF_COLS, 2 * PG_TF_COLS - 1, 2 * PG_TF_COLS);
        else
            buf_puts(&sql, ", NULL::bytea");
        PQfreemem(q);
    }
    free(req);
    buf_puts(&sql, " FROM article_terms t");
    if (filtered)
        buf_puts(&sql, " JOIN articles a ON a.id = t.article"
                       " LEFT JOIN article_event ae ON ae.article = a.id"
                       " LEFT JOIN events ev ON ev.id = ae.event");
    buf_puts(&sql, " WHERE ");
    if (e == RASD_OK && candidates(s, x, x->root, &sql) != 0)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    Params p = {0};
    if (filtered) {
        buf_puts(&sql, " AND ($1::text IS NULL OR a.published >= $1)"
                       " AND ($2::text IS NULL OR substr(a.published, 1, length($2)) <= $2)"
                       " AND ($3::text IS NULL OR a.outlet = $3)"
                       " AND ($4::bigint IS NULL OR ev.thread = $4)");
        p_text(&p, o->since);
        p_text(&p, o->until);
        p_text(&p, o->outlet);
        if (o->story > 0)
            p_i64(&p, o->story);
        else
            p_text(&p, NULL);
    }
    if (e == RASD_OK && sql.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK)
        e = pg_each_row(s, sql.data, filtered ? &p : NULL, PG_PAGED_BINARY, "search", scan_row,
                        &sc, err);
    if (e == RASD_OK && sc.fail)
        e = rasd_fail(err, RASD_EDB, "search: an unreadable index row or out of memory");
    int64_t rows = 0, tokens = 0;
    if (e == RASD_OK && sc.hits.len)
        e = read_stats(s, &rows, &tokens, err);
    for (size_t i = 0; e == RASD_OK && i < x->nph; i++) {
        x->ph[i].idf = 1e-6;
        if (!x->ph[i].used)
            continue;
        int64_t hit = x->ph[i].rows;
        if (!x->ph[i].have_rows)
            e = phrase_rows(s, &x->ph[i], 0, &hit, err);
        x->ph[i].idf = idf_of(rows, hit);
    }
    if (e == RASD_OK && sc.hits.len) {
        score_from(&sc, 0, (double)tokens / (double)rows);
        emit_hits(&sc.hits, limit, fn, ctx);
    }
    buf_free(&sql);
    buf_free(&sc.hits);
    buf_free(&sc.freq);
    return e;
}

/* ---- ranking from the postings (schema 16) ------------------------------- */

/*
 * A query of one one-token phrase (over every column) — a plain word — is
 * ranked from search_postings when it can be: a row matches when it holds
 * the token, its weighted instances come from the posting's counts, summed
 * as scan_row sums them, scored by the same operations as score_hits: the
 * same doubles.
 *
 * The postings are read in impact order (pg_impl.h) and the read stops once
 * the k-th best score so far is above what any unread row could score: imp
 * (the impact of the last row read, the highest left, and at least
 * PG_IMP_MIN, above every row without a posting) times the query's weights
 * over the default ones (g(λf) <= λ g(f)) times the real average row size
 * over PG_IMP_AVGDL when larger (K(A) >= K(A0) A0/A), times the IDF, with a
 * little room for imp's float. A row scoring exactly the k-th score with a
 * lower id would rank above it: the stop is strict. When the postings run
 * out first (or the word is in k rows or fewer), rank_rows ranks every row.
 */
#define FIRST_PAGE 64    /* postings of the first page (then four times more each) */
#define HEAP_MAX 4096    /* beyond this many hits wanted, rank_rows */

static int postings_query(const Expr *x)
{
    return x->nph == 1 && x->nnode == 1 && x->node[0].type == N_PHRASE && x->ph[0].n == 1 &&
           !x->ph[0].keys_only;
}

/* A phrase's weighted instances from its packed counts: w[c] once per
   instance, columns in order (scan_row's sum over phrase_tf's instances). */
static double posting_freq(int64_t tf, const double w[NCOL])
{
    double f = 0;
    for (int c = 0; c < NCOL; c++)
        for (int64_t k = tf >> (16 * c) & 0xFFFF; k > 0; k--)
            f += w[c];
    return f;
}

/* A binary float8 column. */
static double gbin_f64(const PGresult *r, int row, int col)
{
    uint64_t u = (uint64_t)gbin_i64(r, row, col);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* The min-heap of the best `cap` scores so far. */
typedef struct TopK {
    double *v;
    size_t n, cap;
} TopK;

static void topk_add(TopK *t, double score)
{
    size_t i;
    if (t->n < t->cap) {
        i = t->n++;
        while (i && t->v[(i - 1) / 2] > score) {
            t->v[i] = t->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        t->v[i] = score;
        return;
    }
    if (score <= t->v[0])
        return;
    i = 0; /* replace the least, sift down */
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= t->n)
            break;
        if (c + 1 < t->n && t->v[c + 1] < t->v[c])
            c++;
        if (t->v[c] >= score)
            break;
        t->v[i] = t->v[c];
        i = c;
    }
    t->v[i] = score;
}

/* λ of the bound above: the query's column weights over the default ones
   (their largest ratio, at least 1) times the real average row size over
   PG_IMP_AVGDL when larger, with a little room for imp's float. */
static double bound_factor(const double w[NCOL], double avgdl)
{
    double lw = 1.0;
    const double def[3] = {PG_IMP_W_TITLE, PG_IMP_W_LEAD, PG_IMP_W_BODY};
    for (int c = 0; c < 3; c++)
        if (w[c] / def[c] > lw)
            lw = w[c] / def[c];
    return lw * (avgdl > PG_IMP_AVGDL ? avgdl / PG_IMP_AVGDL : 1.0) * (1 + 1e-6);
}

/* A page of a term's postings, highest impact first (a prepared statement:
   planned once per connection; a total order, so pages neither skip nor
   repeat a row) */
static const char postings_sql[] =
    "SELECT article, size, tf, imp::float8 FROM search_postings WHERE term = $1"
    " ORDER BY imp DESC, article DESC LIMIT $2 OFFSET $3";

/* Reads phrase 0's postings in impact order into hits until no unread row
   can enter the top `limit` (see above); *fallback when the postings run
   out first or a row's counts do not fit its posting. */
static rasd_err read_top(PgStore *s, Expr *x, const double w[NCOL], double avgdl, size_t limit,
                         Buf *hits, int *fallback, rasd_error *err)
{
    double lambda = bound_factor(w, avgdl);
    double idf = x->ph[0].idf;
    TopK top = {NULL, 0, limit};
    if (!(top.v = malloc(top.cap * sizeof *top.v)))
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = RASD_OK;
    int64_t page = FIRST_PAGE, offset = 0;
    int more = 1;
    while (more) {
        Params p = {0};
        p_text(&p, x->ph[0].tok[0]);
        p_i64(&p, page);
        p_i64(&p, offset);
        PGresult *r = NULL;
        s->binary = 1;
        e = pg_run(s, postings_sql, &p, 1, &r, "search", err);
        s->binary = 0;
        if (e != RASD_OK)
            break;
        int n = PQntuples(r);
        double imp = 0;
        for (int i = 0; i < n && !*fallback; i++) {
            int64_t tf = gbin_i64(r, i, 2);
            imp = gbin_f64(r, i, 3);
            if (tf < 0) {
                *fallback = 1;
                break;
            }
            if (!tf)
                continue; /* holds the term in no column: no match */
            Hit h = {gbin_i64(r, i, 0), gbin_i64(r, i, 1), 0, 0};
            h.score = 0.0 + bm25_part(idf, posting_freq(tf, w), (double)h.size, avgdl);
            buf_append(hits, &h, sizeof h);
            topk_add(&top, h.score);
        }
        PQclear(r);
        int certain = top.n == top.cap && top.v[0] > idf * lambda * imp;
        more = !*fallback && !certain;
        if (more && n < page)
            *fallback = 1, more = 0; /* rows without a posting might rank */
        offset += n;
        if (page < (1 << 20))
            page *= 4;
    }
    free(top.v);
    if (e == RASD_OK && hits->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    return e;
}

/* Ranks x from the postings (*done) or leaves it to rank_rows (the index
   has no postings yet, they ran out, or a row's counts do not fit one). */
static rasd_err rank_postings(PgStore *s, Expr *x, const double w3[3], size_t limit,
                              int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                              int *done, rasd_error *err)
{
    int64_t rows = 0, tokens = 0, hit = 0;
    if (!postings_ready(s))
        return RASD_OK;
    rasd_err e = read_stats(s, &rows, &tokens, err);
    if (e != RASD_OK)
        return e;
    e = phrase_rows(s, &x->ph[0], 0, &hit, err);
    x->ph[0].idf = idf_of(rows, hit);
    const double w[NCOL] = {w3[0], w3[1], w3[2], 0.0};
    double avgdl = (double)tokens / (double)rows;
    Buf hits = {0};
    int fallback = 1;
    /* in k rows or fewer: every one of them is a hit, ranked from its row */
    if (e == RASD_OK && rows > 0 && (size_t)hit > limit && limit && limit <= HEAP_MAX) {
        fallback = 0;
        e = read_top(s, x, w, avgdl, limit, &hits, &fallback, err);
    }
    if (e == RASD_OK && !fallback) {
        *done = 1;
        emit_hits(&hits, limit, fn, ctx);
    }
    buf_free(&hits);
    return e;
}

/* ---- several phrases from the postings: the threshold algorithm -------- */

/*
 * A query of several phrases (NEAR, AND, OR, NOT of phrases: every pass of
 * a search of two words or more, and a name's spellings) or of one phrase
 * of several tokens is ranked by reading the postings of each phrase's
 * first token in impact order, a page of each list in turn, and scoring
 * every row seen exactly from its position blob (scan_row, score_from: the
 * same doubles as rank_rows). A row's part for phrase i is at most
 * idf_i × λ × imp(its first token in the row): a phrase's instances in a
 * column are at most the positions holding its first token there (NEAR
 * counts fewer, NOT's right side none), and λ bounds the weights and the
 * average size as for one word. So no unread row scores above Σ idf_i λ
 * b_i, b_i the last impact read from list i, or PG_IMP_MIN once list i is
 * read out (every row left holds its token below that). The read stops once
 * the k-th best score is above that sum (Fagin's threshold algorithm, the
 * random access one statement per page); a row scoring exactly the sum
 * might rank above a read one: the stop is strict. It gives up for
 * rank_rows when it would fetch more rows than half of what rank_rows reads
 * (estimated from the phrases' row counts) or every list is read out first.
 */

/* The phrases whose instances can count (not under NOT's right side). */
static void mark_countable(const Expr *x, int k, uint8_t *c)
{
    const Node *nd = &x->node[k];
    if (nd->type == N_PHRASE || nd->type == N_NEAR) {
        for (int i = 0; i < nd->n; i++)
            c[nd->first + i] = 1;
        return;
    }
    mark_countable(x, nd->a, c);
    if (nd->type != N_NOT)
        mark_countable(x, nd->b, c);
}

/* About how many rows rank_rows reads for node k, from the phrases' row
   counts df (a phrase's rows stand for its tokens' common rows). */
static int64_t rows_estimate(const Expr *x, int k, const int64_t *df)
{
    const Node *nd = &x->node[k];
    if (nd->type == N_PHRASE || nd->type == N_NEAR) {
        int64_t m = INT64_MAX;
        for (int i = 0; i < nd->n; i++)
            m = df[nd->first + i] < m ? df[nd->first + i] : m;
        return m;
    }
    int64_t a = rows_estimate(x, nd->a, df);
    if (nd->type == N_NOT)
        return a;
    int64_t b = rows_estimate(x, nd->b, df);
    if (nd->type == N_AND)
        return a < b ? a : b;
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int threshold_query(const Expr *x)
{
    if (x->nph < 2 && !(x->nph == 1 && x->ph[0].n > 1))
        return 0; /* one word: read_top */
    for (size_t i = 0; i < x->nph; i++)
        if (!x->ph[i].n || x->ph[i].keys_only)
            return 0;
    return 1;
}

/* One phrase's list: its first token's postings. */
typedef struct List {
    int64_t offset;      /* postings read */
    double last;         /* impact of the last one read */
    int done;            /* read out */
    int skip;            /* never counts (NOT's right side): not read */
} List;

/* Reads the next page of each list, the ids not seen yet into ids. */
static rasd_err read_lists(PgStore *s, Expr *x, List *l, int64_t page, IdMap *seen, Buf *ids,
                           rasd_error *err)
{
    buf_reset(ids);
    for (size_t i = 0; i < x->nph; i++) {
        if (l[i].skip || l[i].done)
            continue;
        Params p = {0};
        p_text(&p, x->ph[i].tok[0]);
        p_i64(&p, page);
        p_i64(&p, l[i].offset);
        PGresult *r = NULL;
        s->binary = 1;
        rasd_err e = pg_run(s, postings_sql, &p, 1, &r, "search", err);
        s->binary = 0;
        if (e != RASD_OK)
            return e;
        int n = PQntuples(r);
        for (int k = 0; k < n; k++) {
            int64_t id = gbin_i64(r, k, 0);
            uint32_t *v = idmap_slot(seen, (uint64_t)id);
            l[i].last = gbin_f64(r, k, 3);
            if (v && !*v) {
                *v = 1;
                buf_printf(ids, "%s%lld", ids->len ? "," : "{", (long long)id);
            }
            if (!v)
                ids->oom = 1;
        }
        PQclear(r);
        l[i].offset += n;
        l[i].done = n < page;
    }
    if (ids->len)
        buf_putc(ids, '}');
    return ids->oom ? rasd_fail(err, RASD_ENOMEM, "out of memory") : RASD_OK;
}

/* The rows ids (an array literal) scored into sc and top. */
static rasd_err score_rows(PgStore *s, const Buf *ids, Scan *sc, double avgdl, TopK *top,
                           rasd_error *err)
{
    Params p = {0};
    p_text(&p, ids->data);
    PGresult *r = NULL;
    s->binary = 1;
    rasd_err e = pg_run(s, "SELECT article, size, toks FROM article_terms"
                           " WHERE article = ANY($1::bigint[])", &p, 1, &r, "search", err);
    s->binary = 0;
    if (e != RASD_OK)
        return e;
    size_t first = sc->hits.len / sizeof(Hit);
    for (int k = 0; k < PQntuples(r) && !sc->fail; k++)
        scan_row(sc, r, k);
    PQclear(r);
    if (sc->fail)
        return rasd_fail(err, RASD_EDB, "search: an unreadable index row or out of memory");
    score_from(sc, first, avgdl);
    const Hit *h = (const Hit *)sc->hits.data;
    for (size_t k = first; k < sc->hits.len / sizeof *h; k++)
        topk_add(top, h[k].score);
    return RASD_OK;
}

/* Ranks x by the threshold algorithm (*done) or leaves it to rank_rows. */
static rasd_err rank_threshold(PgStore *s, Expr *x, const double w3[3], size_t limit,
                               int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                               int *done, rasd_error *err)
{
    int64_t rows = 0, tokens = 0;
    if (!postings_ready(s) || !limit || limit > HEAP_MAX)
        return RASD_OK;
    rasd_err e = read_stats(s, &rows, &tokens, err);
    if (e != RASD_OK || rows <= 0)
        return e;
    int64_t *df = calloc(x->nph, sizeof *df);
    List *l = calloc(x->nph, sizeof *l);
    uint8_t *count = calloc(x->nph, 1);
    TopK top = {malloc(limit * sizeof(double)), 0, limit};
    if (!df || !l || !count || !top.v)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t i = 0; e == RASD_OK && i < x->nph; i++) {
        e = phrase_rows(s, &x->ph[i], 0, &df[i], err);
        x->ph[i].idf = idf_of(rows, df[i]);
        x->ph[i].rows = df[i];
        x->ph[i].have_rows = e == RASD_OK; /* for rank_rows, in the same snapshot */
    }
    int64_t budget = e == RASD_OK ? rows_estimate(x, x->root, df) / 2 : 0;
    const double w[NCOL] = {w3[0], w3[1], w3[2], 0.0};
    double avgdl = (double)tokens / (double)rows, lambda = bound_factor(w, avgdl);
    Scan sc = {x, {w[0], w[1], w[2], w[3]}, {0}, {0}, 0, 0};
    IdMap seen = {0};
    Buf ids = {0};
    int certain = 0;
    if (e == RASD_OK && budget > (int64_t)limit) {
        mark_countable(x, x->root, count);
        for (size_t i = 0; i < x->nph; i++)
            l[i].skip = !count[i];
    }
    for (int64_t page = FIRST_PAGE; e == RASD_OK && budget > (int64_t)limit;) {
        e = read_lists(s, x, l, page, &seen, &ids, err);
        if (e != RASD_OK || (int64_t)seen.n > budget)
            break; /* rank_rows reads fewer */
        if (ids.len)
            e = score_rows(s, &ids, &sc, avgdl, &top, err);
        double bound = 0.0;
        int left = 0;
        for (size_t i = 0; i < x->nph; i++) {
            if (l[i].skip)
                continue;
            bound += x->ph[i].idf * lambda * (l[i].done ? PG_IMP_MIN : l[i].last);
            left |= !l[i].done;
        }
        if (top.n == top.cap && top.v[0] > bound) {
            certain = 1;
            break;
        }
        if (!left)
            break; /* the rows without postings might rank */
        if (page < (1 << 20))
            page *= 4;
    }
    if (e == RASD_OK && certain) {
        *done = 1;
        emit_hits(&sc.hits, limit, fn, ctx);
    }
    for (size_t i = 0; !certain && i < x->nph; i++)
        x->ph[i].used = 0; /* rank_rows's own */
    free(df), free(l), free(count), free(top.v);
    idmap_free(&seen);
    buf_free(&ids), buf_free(&sc.hits), buf_free(&sc.freq);
    return e;
}

rasd_err pg_search_rank(Store *st_, const char *expr, const FtsOptions *o, const double w[3],
                        size_t limit, int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                        rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Expr x;
    rasd_err e = expr_parse(s, expr, &x, err);
    if (e != RASD_OK)
        return e;
    /* one snapshot for the rows and the statistics, and plain cursors (a
       WITH HOLD cursor, outside a transaction, is materialised first) */
    int own = !s->in_tx;
    if (own && (e = pg_exec(s, search_begin, "search", err)) != RASD_OK) {
        expr_free(&x);
        return e;
    }
    if (own)
        s->in_tx = 1;
    int done = 0, filtered = o->since || o->until || o->outlet || o->story > 0;
    if (!filtered && postings_query(&x))
        e = rank_postings(s, &x, w, limit, fn, ctx, &done, err);
    else if (!filtered && threshold_query(&x))
        e = rank_threshold(s, &x, w, limit, fn, ctx, &done, err);
    if (e == RASD_OK && !done)
        e = rank_rows(s, &x, o, w, limit, fn, ctx, err);
    if (own) {
        s->in_tx = 0;
        pg_exec(s, e == RASD_OK ? "COMMIT" : "ROLLBACK", "search", NULL);
    }
    expr_free(&x);
    return e;
}

/* ---- hits: fields and snippets ------------------------------------------- */

/* The body's best SNIPPET_TOKENS-token window (most distinct phrases, then
   most matched tokens, first), matched tokens between the markers. */
static void make_snippet(Expr *x, const Doc *d, const unsigned char *offs, size_t noffs,
                         const char *body, const FtsOptions *o, Buf *out)
{
    uint32_t n = d->n[COL_BODY];
    if (noffs < 4 || get_u32(offs) != n || (noffs - 4) / 8 < n)
        return; /* offsets that do not fit the positions: no snippet */
    size_t blen = strlen(body);
    const char *mo = o->mark_open ? o->mark_open : "[", *mc = o->mark_close ? o->mark_close : "]";
    int *ph = calloc(n ? n : 1, sizeof *ph);      /* phrase starting here + 1 */
    uint8_t *mark = calloc(n ? n : 1, 1);          /* token inside an instance */
    if (!ph || !mark) {
        free(ph), free(mark);
        return;
    }
    for (size_t i = 0; i < x->nph; i++)
        for (size_t k = 0; k < npos(&x->ph[i]); k++) {
            int64_t at = pos_at(&x->ph[i], k);
            if (at >> 32 != COL_BODY)
                continue;
            uint32_t p = (uint32_t)at;
            ph[p] = (int)i + 1;
            for (size_t j = 0; j < x->ph[i].n && p + j < n; j++)
                mark[p + j] = 1;
        }
    uint32_t best = 0;
    int best_d = -1, best_m = -1;
    for (uint32_t w = 0; w < n; w++) {
        if (w && !mark[w])
            continue; /* a window starts at a match (or at the start) */
        int dist = 0, m = 0;
        uint64_t seen = 0;
        for (uint32_t k = w; k < n && k < w + SNIPPET_TOKENS; k++) {
            m += mark[k];
            if (ph[k] && !(seen >> (ph[k] % 64) & 1))
                seen |= 1ull << (ph[k] % 64), dist++;
        }
        if (dist > best_d || (dist == best_d && m > best_m))
            best = w, best_d = dist, best_m = m;
    }
    /* centre a little: a few words of context before the first match */
    uint32_t first = best > 3 ? best - 3 : 0, last = first + SNIPPET_TOKENS;
    if (last > n)
        last = n;
    if (first > 0)
        buf_puts(out, "…");
    for (uint32_t k = first; k < last; k++) {
        uint32_t a = get_u32(offs + 4 + 8 * (size_t)k), b = get_u32(offs + 8 + 8 * (size_t)k);
        a = a < blen ? a : (uint32_t)blen;
        b = b < blen ? b : (uint32_t)blen;
        if (k > first) {
            uint32_t pe = get_u32(offs + 8 + 8 * (size_t)(k - 1));
            if (pe < a)
                buf_append(out, body + pe, a - pe);
        }
        if (mark[k])
            buf_puts(out, mo);
        if (b > a)
            buf_append(out, body + a, b - a);
        if (mark[k])
            buf_puts(out, mc);
    }
    if (last < n)
        buf_puts(out, "…");
    free(ph), free(mark);
}

/* The hits' fields, body and index row, all in one statement, in binary
   format (a bytea as its bytes, not as hex twice their size); the story by
   a subquery per row (a join let a generic plan scan article_event whole) */
static const char hit_sql[] =
    "SELECT a.id, a.hash, a.url, a.outlet, a.published, a.title,"
    " (SELECT ev.thread FROM article_event ae JOIN events ev ON ev.id = ae.event"
    "  WHERE ae.article = a.id LIMIT 1), a.body, t.toks, t.offs"
    " FROM articles a LEFT JOIN article_terms t ON t.article = a.id"
    " WHERE a.id = ANY($1::bigint[])";

/* Hit h from row of a hit_sql result: fields, and a snippet of the body. */
static void fill_hit(Expr *x, const FtsOptions *o, FtsHit *h, const PGresult *r, int row)
{
    snprintf(h->hash, sizeof h->hash, "%s", gv(r, row, 1) ? gv(r, row, 1) : "");
    h->url = gdup(r, row, 2);
    h->outlet = gdup(r, row, 3);
    h->published = gdup(r, row, 4);
    h->title = gdup(r, row, 5);
    h->story = gbin_i64(r, row, 6);
    Doc d;
    Buf sn = {0};
    size_t noffs = 0;
    const unsigned char *offs = gbin_blob(r, row, 9, &noffs);
    if (offs && read_bin(r, row, 8, &d) == 0) {
        if (row_match(x, &d) >= 0)
            make_snippet(x, &d, offs, noffs, gv(r, row, 7) ? gv(r, row, 7) : "", o, &sn);
        doc_free(&d);
    }
    buf_putc(&sn, 0);
    h->snippet = sn.oom ? NULL : buf_steal(&sn);
    buf_free(&sn);
}

rasd_err pg_search_hits(Store *st_, const char *expr, const FtsOptions *o, FtsHit *v, size_t n,
                        rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    if (!n)
        return RASD_OK;
    Expr x;
    rasd_err e = expr_parse(s, expr, &x, err);
    if (e != RASD_OK)
        return e;
    Buf ids = {0};
    buf_putc(&ids, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "", (long long)v[i].id);
    buf_putc(&ids, '}');
    PGresult *r = NULL;
    if (ids.oom) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    } else {
        Params p = {0};
        p_text(&p, ids.data);
        s->binary = 1;
        e = pg_run(s, hit_sql, &p, 1, &r, "search", err);
        s->binary = 0;
    }
    uint8_t *done = e == RASD_OK ? calloc(n, 1) : NULL;
    if (e == RASD_OK && !done)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    /* each hit from the first row of its id (one row per article) */
    for (int row = 0; e == RASD_OK && row < PQntuples(r); row++)
        for (size_t i = 0, id = (size_t)gbin_i64(r, row, 0); i < n; i++)
            if (!done[i] && (size_t)v[i].id == id) {
                fill_hit(&x, o, &v[i], r, row);
                done[i] = 1;
            }
    free(done);
    PQclear(r);
    buf_free(&ids);
    expr_free(&x);
    return e;
}

/* ---- names --------------------------------------------------------------- */

typedef struct SpellingRows {
    int (*fn)(void *ctx, const char *text, size_t n, int64_t count);
    void *ctx;
} SpellingRows;

static int spelling_row(void *ctx, const PGresult *r, int row)
{
    SpellingRows *x = ctx;
    return x->fn(x->ctx, PQgetvalue(r, row, 0), (size_t)PQgetlength(r, row, 0), gi(r, row, 1))
               ? PG_ROW_STOP
               : 0;
}

/* Rows (text, count) of sql, $1 bound to key[0..n) and $2 to limit, each
   to fn until it returns non-zero; what names the read in an error. */
static rasd_err key_counts(Store *st_, const char *sql, const char *what, const char *key,
                           size_t n, size_t limit,
                           int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                           void *ctx, rasd_error *err)
{
    Params p = {0};
    p_textn(&p, key, n);
    p_i64(&p, (int64_t)limit);
    SpellingRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_, sql, &p, 0, what, spelling_row, &x, err);
}

rasd_err pg_each_spelling(Store *st_, const char *key, size_t n, size_t limit,
                          int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                          void *ctx, rasd_error *err)
{
    return key_counts(st_, "SELECT text, count(*) FROM mentions WHERE key = $1"
                           " GROUP BY text ORDER BY count(*) DESC, text LIMIT $2",
                      "name spellings", key, n, limit, fn, ctx, err);
}

/* The person keys whose last word is key (migration 17's index; the same
   rows and order as SQLite's entities_surname). */
rasd_err pg_each_surname_key(Store *st_, const char *key, size_t n, size_t limit,
                             int (*fn)(void *ctx, const char *full, size_t n, int64_t mentions),
                             void *ctx, rasd_error *err)
{
    return key_counts(st_, "SELECT key, count(*) FROM mentions WHERE type = 'PER'"
                           " AND strpos(key, ' ') > 0 AND split_part(key, ' ', -1) = $1"
                           " GROUP BY key ORDER BY count(*) DESC, key LIMIT $2",
                      "a surname's names", key, n, limit, fn, ctx, err);
}

/* The hash of a fresh snapshot (xmin:xmax:in-progress xids): two equal
   snapshots see the same committed rows, and a commit anywhere changes the
   next one (a WAL position would not do: the commit record is written
   before the commit is visible). */
int pg_generation(Store *st_, uint64_t *gen)
{
    PGresult *r = NULL;
    if (pg_run((PgStore *)st_, "SELECT pg_current_snapshot()::text", NULL, 1, &r, "generation",
               NULL) != RASD_OK)
        return 0;
    int ok = PQntuples(r) == 1 && gv(r, 0, 0);
    if (ok)
        *gen = rasd_hash(gv(r, 0, 0), strlen(gv(r, 0, 0)));
    PQclear(r);
    return ok;
}

int64_t pg_key_mentions(Store *st_, const char *key, size_t n)
{
    Params p = {0};
    p_textn(&p, key, n);
    PGresult *r = NULL;
    if (pg_run((PgStore *)st_, "SELECT count(*) FROM mentions WHERE key = $1", &p, 1, &r,
               "name mentions", NULL) != RASD_OK)
        return 0;
    int64_t c = gi(r, 0, 0);
    PQclear(r);
    return c;
}

int64_t pg_phrase_docs(Store *st_, const char *expr, int64_t cap)
{
    PgStore *s = (PgStore *)st_;
    Expr x;
    rasd_error err;
    if (expr_parse(s, expr, &x, &err) != RASD_OK)
        return 0;
    int64_t n = 0;
    int own = !s->in_tx;
    if (own && pg_exec(s, search_begin, "search", NULL) != RASD_OK) {
        expr_free(&x);
        return 0;
    }
    s->in_tx = 1;
    if (x.nph == 1 && x.nnode == 1 && phrase_rows(s, &x.ph[0], cap, &n, &err) != RASD_OK)
        n = 0;
    if (own) {
        s->in_tx = 0;
        pg_exec(s, "COMMIT", "search", NULL);
    }
    expr_free(&x);
    return n;
}

