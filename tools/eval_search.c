/*
 * eval_search.c — search quality on a judged query set: P@10 of rasd's
 * search and of peers built over the same store, in one run.
 *
 *   eval-search --db STORE --queries Q.tsv --qrels R.tsv [--half tune|held|all]
 *               [--pool OUT.tsv] [--stems PAIRS.tsv] [--weights T,L,B] [--near yes|no]
 *               [--depth N] [--reuse yes]
 *   eval-search --db STORE --queries Q.tsv --latency ROUNDS
 *
 * STORE is a rasd store (made by `rasd ingest`); the tool (re)builds, in that
 * file, the index of every method from the stored articles:
 *   rasd       fts_search: light stems, entity keys, all words then some
 *   rasd-nokey the same without names' other stored spellings
 *   snowball   the same tokenizer with the text core's Snowball stems
 *   unicode61  FTS5's unicode61 tokenizer (remove_diacritics 2), same
 *              query words (stopwords dropped), all words then some
 *   4gram      character 4-grams of each word's normalised key (padded with
 *              #), the query's 4-grams OR-ed, BM25
 * Q.tsv: qid, kind, half, query (tab-separated; # comments). R.tsv: qid,
 * article url, 0/1 (judged by reading). Articles are named by URL (or by
 * rasd id when they have none). Unjudged hits count as not relevant and are
 * counted; the pool-max column is the best P@10 the judgements allow. --pool writes each query's unjudged top-10 hits of every method
 * (url, methods, title, start of text) for judging.
 * --stems: pairs "a<TAB>b<TAB>same|diff": how often the light stem and the
 * Snowball stem get "same stem" right.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rasd.h"
#include "store/fts.h"
#include "store/store.h"
#include "util/util.h"

#define K 10
enum { M_RASD, M_NOKEY, M_SNOW, M_U61, M_NG4, M_STEMOR, M_MAX, NM };
/* M_MAX is not a method: min(10, relevant judged articles) / 10, the best P@10
   the judged pool allows (fewer than 10 relevant articles exist for some queries) */
static const char *const mname[NM] = {"rasd",  "rasd-nokey", "snowball", "unicode61",
                                      "4gram", "stem-or",    "pool-max"};
#define MAXDEPTH 100
static size_t depth = K; /* --depth: hits of each method run (and pooled); P@10 reads the first K */

/* ---- the 4-gram tokenizer --------------------------------------------- */

typedef struct Ng {
    rasd_text *tx;
} Ng;

static int ng_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    Ng *g = calloc(1, sizeof *g);
    if (!g || rasd_text_new(&g->tx, NULL) != RASD_OK) {
        free(g);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)g;
    return SQLITE_OK;
}

static void ng_delete(Fts5Tokenizer *p)
{
    Ng *g = (Ng *)p;
    rasd_text_free(g->tx);
    free(g);
}

typedef int (*TokenFn)(void *, int, const char *, int, int, int);

/* Calls emit for every 4-gram (in code points) of "#" key "#". */
static int grams(const char *key, size_t n, void *ctx, TokenFn emit, int a, int b)
{
    char w[1024];
    if (n + 2 > sizeof w)
        n = sizeof w - 2;
    w[0] = '#';
    memcpy(w + 1, key, n);
    w[n + 1] = '#';
    size_t len = n + 2, starts[1024], ns = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            starts[ns++] = i;
    int rc = SQLITE_OK;
    if (ns <= 4)
        return emit(ctx, 0, w, (int)len, a, b);
    for (size_t i = 0; i + 4 <= ns && rc == SQLITE_OK; i++) {
        size_t e = i + 4 < ns ? starts[i + 4] : len;
        rc = emit(ctx, 0, w + starts[i], (int)(e - starts[i]), a, b);
    }
    return rc;
}

static int ng_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *s, int n, TokenFn emit)
{
    Ng *g = (Ng *)p;
    if (flags & FTS5_TOKENIZE_QUERY) /* the query is already a gram */
        return n > 0 ? emit(ctx, 0, s, n, 0, n) : SQLITE_OK;
    rasd_doc *d = NULL;
    if (n <= 0)
        return SQLITE_OK;
    if (rasd_text_analyse(g->tx, s, (size_t)n, &d, NULL) != RASD_OK)
        return SQLITE_NOMEM;
    const rasd_token *t = rasd_doc_tokens(d);
    int rc = SQLITE_OK;
    for (size_t i = 0; i < rasd_doc_ntokens(d) && rc == SQLITE_OK; i++) {
        if (t[i].type == RASD_TOK_PUNCT || !t[i].key_len)
            continue;
        int a = (int)t[i].start, b = (int)t[i].end;
        if (b > n)
            b = n;
        if (a > b)
            a = b;
        rc = grams(t[i].key, t[i].key_len, ctx, emit, a, b);
    }
    rasd_doc_free(d);
    return rc;
}

static int register_ngram(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    static fts5_tokenizer tok = {ng_create, ng_delete, ng_tokenize};
    return api && api->xCreateTokenizer(api, "ngram4", NULL, &tok, NULL) == SQLITE_OK ? 0 : -1;
}

/* Collects the query's 4-grams as an OR expression. */
typedef struct GramCtx {
    Buf *b;
    int first;
} GramCtx;

static int gram_out(void *ctx, int fl, const char *tok, int n, int a, int b)
{
    GramCtx *g = ctx;
    if (!g->first)
        buf_puts(g->b, " OR ");
    g->first = 0;
    buf_putc(g->b, '"');
    for (int i = 0; i < n; i++) {
        if (tok[i] == '"')
            buf_putc(g->b, '"');
        buf_putc(g->b, tok[i]);
    }
    buf_putc(g->b, '"');
    return SQLITE_OK;
}

static void ngram_expr(rasd_text *tx, const char *q, Buf *out)
{
    rasd_doc *d = NULL;
    GramCtx g = {out, 1};
    if (rasd_text_analyse(tx, q, strlen(q), &d, NULL) != RASD_OK)
        return;
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++)
        if (t[i].type != RASD_TOK_PUNCT && t[i].key_len && !(t[i].flags & RASD_TF_STOP))
            grams(t[i].key, t[i].key_len, &g, gram_out, 0, 0);
    rasd_doc_free(d);
}

/* ---- running a method ------------------------------------------------- */

typedef struct Ids {
    int64_t v[MAXDEPTH];
    size_t n;
} Ids;

static int has(const Ids *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i] == id)
            return 1;
    return 0;
}

/* Top hits of expr on table (ordered by bm25 with weights), appended up to depth. */
static void run_expr(sqlite3 *db, const char *table, const char *weights, const char *expr,
                     Ids *r)
{
    if (!expr || !*expr || r->n >= depth)
        return;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT rowid FROM %s WHERE %s MATCH ?1 ORDER BY bm25(%s%s) LIMIT %d", table, table,
             table, weights, (int)(2 * depth));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "eval-search: %s\n", sqlite3_errmsg(db));
        return;
    }
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    while (r->n < depth && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (!has(r, id))
            r->v[r->n++] = id;
    }
    sqlite3_finalize(st);
}

static double weights[3] = {0, 0, 0}; /* --weights; 0 = the library's defaults */
static int no_near;                      /* --no-near */
static int rounds;                       /* --latency N: time the queries N times */
static int reuse;                        /* --reuse: keep the indexes already built */

static void run_method(int m, Store *s, rasd_text *tx, const char *qtext, Ids *r)
{
    sqlite3 *db = store_sqlite(s);
    r->n = 0;
    FtsQuery q;
    rasd_error err;
    if (fts_parse_query(qtext, strlen(qtext), &q, &err) != RASD_OK) {
        fprintf(stderr, "eval-search: %s: %s\n", qtext, err.msg);
        return;
    }
    char w[96];
    snprintf(w, sizeof w, ", %g, %g, %g%s", weights[0] > 0 ? weights[0] : 3.0,
             weights[1] > 0 ? weights[1] : 1.0, weights[2] > 0 ? weights[2] : 1.0,
             m == M_U61 || m == M_NG4 ? "" : ", 0.0");
    if (m == M_RASD) {
        FtsOptions o = {0};
        o.limit = depth;
        o.no_near = no_near;
        memcpy(o.weights, weights, sizeof weights);
        FtsHits h;
        if (fts_search(s, &q, &o, &h, &err) == RASD_OK) {
            for (size_t i = 0; i < h.n && r->n < depth; i++)
                r->v[r->n++] = h.v[i].id;
            fts_hits_free(&h);
        } else {
            fprintf(stderr, "eval-search: %s: %s\n", qtext, err.msg);
        }
    } else if (m == M_NG4) {
        Buf e = {0};
        ngram_expr(tx, q.text, &e);
        run_expr(db, "eval_ng4", w, e.data, r);
        buf_free(&e);
    } else if (m == M_STEMOR) {
        /* a plain BM25 over light stems: some word, one pass (a pooling peer) */
        Buf e = {0};
        if (fts_expression(NULL, &q, FTS_ANY, &e, &err) == RASD_OK)
            run_expr(db, "article_fts", w, e.data, r);
        buf_free(&e);
    } else {
        /* the same passes as fts_search: close together, all words, some words */
        Store *names = m == M_SNOW ? s : NULL;
        const char *table = m == M_U61 ? "eval_u61" : m == M_SNOW ? "eval_snow" : "article_fts";
        static const int modes[3] = {FTS_NEAR, FTS_ALL, FTS_ANY};
        for (int k = no_near ? 1 : 0; k < 3 && r->n < depth; k++) {
            Buf e = {0};
            if (fts_expression(names, &q, modes[k], &e, &err) == RASD_OK)
                run_expr(db, table, w, e.data, r);
            buf_free(&e);
        }
    }
    fts_query_free(&q);
}

/* ---- data files ------------------------------------------------------- */

typedef struct Query {
    char *qid, *kind, *half, *text, *need; /* need: the judging criterion (may be empty) */
} Query;

typedef struct Qrel {
    char *qid, *doc;
    int rel;
} Qrel;

/* Splits line (modified in place) at tabs into up to n fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t n)
{
    size_t k = 0;
    line[strcspn(line, "\r\n")] = 0;
    while (k < n) {
        f[k++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = 0;
        line = t + 1;
    }
    return k;
}

static Query *load_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    Query *v = NULL;
    size_t cap = 0;
    char line[4096];
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        char *x[5];
        size_t nf;
        if (line[0] == '#' || line[0] == '\n' || (nf = split_tabs(line, x, 5)) < 4)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            v = realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = (Query){strdup(x[0]), strdup(x[1]), strdup(x[2]), strdup(x[3]),
                            strdup(nf > 4 ? x[4] : "")};
    }
    fclose(f);
    return v;
}

static Qrel *load_qrels(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL; /* no judgements yet */
    Qrel *v = NULL;
    size_t cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *x[3];
        if (line[0] == '#' || line[0] == '\n' || split_tabs(line, x, 3) != 3)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            v = realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = (Qrel){strdup(x[0]), strdup(x[1]), atoi(x[2])};
    }
    fclose(f);
    return v;
}

/* -1 unjudged, else 0/1 (the last judgement of a pair wins) */
static int judged(const Qrel *r, size_t n, const char *qid, const char *doc)
{
    int v = -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].qid, qid) && !strcmp(r[i].doc, doc))
            v = r[i].rel;
    return v;
}

/* The article's name in qrels (url, else rasd id) and, for pooling, its title and text start. */
static void doc_name(sqlite3 *db, int64_t id, Buf *name, Buf *title, Buf *text)
{
    sqlite3_stmt *st;
    buf_reset(name);
    if (title)
        buf_reset(title), buf_reset(text);
    if (sqlite3_prepare_v2(db, "SELECT url, hash, title, substr(body, 1, 500) FROM articles"
                               " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *url = (const char *)sqlite3_column_text(st, 0);
        buf_puts(name, url && *url ? url : (const char *)sqlite3_column_text(st, 1));
        if (title) {
            const char *t = (const char *)sqlite3_column_text(st, 2);
            const char *b = (const char *)sqlite3_column_text(st, 3);
            for (const char *p = t ? t : ""; *p; p++)
                buf_putc(title, *p == '\t' || *p == '\n' ? ' ' : *p);
            for (const char *p = b ? b : ""; *p; p++)
                buf_putc(text, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
        }
    }
    sqlite3_finalize(st);
}

/* ---- indexes ---------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "eval-search: %s\n", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int build_indexes(sqlite3 *db)
{
    /* every index is rebuilt from the stored articles: they depend on the code */
    Buf sql = {0};
    buf_puts(&sql, "BEGIN;"
                   "DROP TABLE IF EXISTS article_fts; DROP VIEW IF EXISTS fts_articles;"
                   "DROP TABLE IF EXISTS eval_snow; DROP TABLE IF EXISTS eval_u61;"
                   "DROP TABLE IF EXISTS eval_ng4;");
    buf_puts(&sql, fts_migration_sql);
    buf_puts(&sql,
             "CREATE VIRTUAL TABLE eval_snow USING fts5(title, lead, body, keys,"
             "  content='fts_articles', content_rowid='id', tokenize='rasd snowball');"
             "INSERT INTO eval_snow(eval_snow) VALUES('rebuild');"
             "CREATE VIRTUAL TABLE eval_u61 USING fts5(title, lead, body,"
             "  content='fts_articles', content_rowid='id',"
             "  tokenize='unicode61 remove_diacritics 2');"
             "INSERT INTO eval_u61(eval_u61) VALUES('rebuild');"
             "CREATE VIRTUAL TABLE eval_ng4 USING fts5(title, lead, body,"
             "  content='fts_articles', content_rowid='id', tokenize='ngram4');"
             "INSERT INTO eval_ng4(eval_ng4) VALUES('rebuild');"
             "COMMIT;");
    int rc = sql.oom ? -1 : exec(db, sql.data);
    buf_free(&sql);
    return rc;
}

/* ---- stems ------------------------------------------------------------ */

static void stem_of(rasd_text *tx, const char *w, int snowball, Buf *out)
{
    rasd_doc *d = NULL;
    buf_reset(out);
    if (rasd_text_analyse(tx, w, strlen(w), &d, NULL) != RASD_OK)
        return;
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        if (t[i].type == RASD_TOK_PUNCT)
            continue;
        if (out->len)
            buf_putc(out, ' ');
        if (snowball)
            buf_append(out, t[i].stem, t[i].stem_len);
        else
            fts_light_stem(&t[i], out);
    }
    rasd_doc_free(d);
}

static void eval_stems(rasd_text *tx, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return;
    }
    char line[1024];
    int right[2][2] = {{0}}, total[2] = {0}; /* [method light/snowball][same/diff] */
    Buf a = {0}, b = {0};
    printf("\nstem pairs (%s): a pair is right when the stems are equal for `same`, different for `diff`\n",
           path);
    while (fgets(line, sizeof line, f)) {
        char *x[3];
        if (line[0] == '#' || line[0] == '\n' || split_tabs(line, x, 3) != 3)
            continue;
        int same = !strcmp(x[2], "same");
        total[!same]++;
        for (int m = 0; m < 2; m++) {
            stem_of(tx, x[0], m, &a);
            stem_of(tx, x[1], m, &b);
            int eq = a.len == b.len && !memcmp(a.data ? a.data : "", b.data ? b.data : "", a.len);
            right[m][!same] += eq == same;
            if (eq != same)
                printf("  %-9s wrong: %s (%s) / %s (%s) should be %s\n", m ? "snowball" : "light",
                       x[0], a.data ? a.data : "", x[1], b.data ? b.data : "", x[2]);
        }
    }
    for (int m = 0; m < 2; m++)
        printf("  %-9s same-stem pairs joined %d/%d, different-word pairs kept apart %d/%d\n",
               m ? "snowball" : "light", right[m][0], total[0], right[m][1], total[1]);
    buf_free(&a);
    buf_free(&b);
    fclose(f);
}

/* ---- latency ---------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* CPU time of this process: the machine is shared, so wall time is mostly load */
static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* unicode61 over the same articles, the peer of the latency run: one FTS5
   query with BM25 and a snippet, as `rasd search` does for its passes */
static double u61_once(sqlite3 *db, Store *s, const FtsQuery *q)
{
    Buf e = {0};
    rasd_error err;
    double t0 = now_ms();
    if (fts_expression(NULL, q, FTS_ALL, &e, &err) == RASD_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db,
                               "SELECT a.id, a.title, snippet(eval_u61, 2, '[', ']', '…', 24)"
                               " FROM eval_u61 JOIN articles a ON a.id = eval_u61.rowid"
                               " WHERE eval_u61 MATCH ?1 ORDER BY bm25(eval_u61, 3.0, 1.0, 1.0)"
                               " LIMIT 20",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, e.data, -1, SQLITE_STATIC);
            while (sqlite3_step(st) == SQLITE_ROW)
                ;
            sqlite3_finalize(st);
        }
    }
    buf_free(&e);
    (void)s;
    return now_ms() - t0;
}

/* Times every query `rounds` times: rasd's fts_search (limit 20, snippets,
   every pass) against one unicode61 query over the same store. */
static int latency(Store *s, const Query *q, size_t nq, int times)
{
    sqlite3 *db = store_sqlite(s);
    if (exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS eval_u61 USING fts5(title, lead, body,"
                 "  content='fts_articles', content_rowid='id',"
                 "  tokenize='unicode61 remove_diacritics 2');") != 0)
        return 1;
    sqlite3_stmt *st;
    int empty = 1;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM eval_u61_docsize LIMIT 1", -1, &st, NULL) ==
        SQLITE_OK) {
        empty = sqlite3_step(st) != SQLITE_ROW;
        sqlite3_finalize(st);
    }
    if (empty && exec(db, "INSERT INTO eval_u61(eval_u61) VALUES('rebuild')") != 0)
        return 1;
    size_t n = nq * (size_t)times, k = 0;
    double *tr = calloc(n ? n : 1, sizeof *tr), *tu = calloc(n ? n : 1, sizeof *tu);
    double *cr = calloc(n ? n : 1, sizeof *cr), *cu = calloc(n ? n : 1, sizeof *cu);
    if (!tr || !tu || !cr || !cu) {
        free(tr), free(tu), free(cr), free(cu);
        return 1;
    }
    for (int r = 0; r < times; r++)
        for (size_t i = 0; i < nq; i++, k++) {
            FtsQuery fq;
            rasd_error err;
            if (fts_parse_query(q[i].text, strlen(q[i].text), &fq, &err) != RASD_OK)
                continue;
            FtsOptions o = {0};
            o.limit = 20;
            FtsHits h;
            double t0 = now_ms(), c0 = cpu_ms();
            if (fts_search(s, &fq, &o, &h, &err) == RASD_OK)
                fts_hits_free(&h);
            tr[k] = now_ms() - t0;
            cr[k] = cpu_ms() - c0;
            if (getenv("EVAL_SEARCH_SLOW") && cr[k] > atof(getenv("EVAL_SEARCH_SLOW")))
                fprintf(stderr, "slow: %.1f ms CPU  %s %s\n", cr[k], q[i].qid, q[i].text);
            c0 = cpu_ms();
            tu[k] = getenv("EVAL_SEARCH_NO_PEER") ? 0 : u61_once(db, s, &fq);
            cu[k] = cpu_ms() - c0;
            fts_query_free(&fq);
        }
    printf("latency over %zu searches (%zu queries x %d rounds), limit 20 with snippets:\n", k, nq,
           times);
    const char *label[4] = {"rasd fts_search, wall", "rasd fts_search, CPU",
                            "unicode61 1 pass, wall", "unicode61 1 pass, CPU"};
    double *v[4] = {tr, cr, tu, cu}, mean[4] = {0};
    for (int m = 0; m < 4 && k; m++) {
        for (size_t i = 0; i < k; i++)
            mean[m] += v[m][i];
        mean[m] /= (double)k;
        qsort(v[m], k, sizeof *v[m], cmp_double);
        size_t p99 = (k * 99) / 100 < k ? (k * 99) / 100 : k - 1;
        printf("  %-24s mean %7.2f ms, median %7.2f ms, p99 %7.2f ms, max %7.2f ms\n", label[m],
               mean[m], v[m][k / 2], v[m][p99], v[m][k - 1]);
    }
    printf("  rasd / unicode61, mean CPU: %.2f\n", mean[3] > 0 ? mean[1] / mean[3] : 0);
    free(tr), free(tu), free(cr), free(cu);
    return 0;
}

/* ---- main ------------------------------------------------------------- */

typedef struct Acc {
    double sum[NM];
    int n;
    double att[NM]; /* share of the attainable: P@10 / pool-max, queries with a relevant article */
    int natt;
} Acc;

int main(int argc, char **argv)
{
    const char *db = NULL, *qpath = NULL, *rpath = NULL, *half = "all", *pool = NULL,
               *stems = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "eval-search: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--db")) db = v;
        else if (!strcmp(a, "--queries")) qpath = v;
        else if (!strcmp(a, "--qrels")) rpath = v;
        else if (!strcmp(a, "--half")) half = v;
        else if (!strcmp(a, "--pool")) pool = v;
        else if (!strcmp(a, "--stems")) stems = v;
        else if (!strcmp(a, "--weights"))
            sscanf(v, "%lf,%lf,%lf", &weights[0], &weights[1], &weights[2]);
        else if (!strcmp(a, "--near")) no_near = !strcmp(v, "no");
        else if (!strcmp(a, "--reuse")) reuse = !strcmp(v, "yes");
        else if (!strcmp(a, "--latency")) rounds = atoi(v);
        else if (!strcmp(a, "--depth")) {
            depth = (size_t)atoi(v);
            if (depth < K || depth > MAXDEPTH) {
                fprintf(stderr, "eval-search: --depth must be %d..%d\n", K, MAXDEPTH);
                return 2;
            }
        }
        else {
            fprintf(stderr, "usage: eval-search --db STORE --queries Q.tsv --qrels R.tsv"
                            " [--half tune|held|all] [--pool OUT] [--stems PAIRS]"
                            " [--weights T,L,B] [--near yes|no] [--depth N]"
                            " [--reuse yes] [--latency ROUNDS]\n");
            return 2;
        }
        i++;
    }
    rasd_text *tx = NULL;
    if (rasd_text_new(&tx, NULL) != RASD_OK)
        return 1;
    if (stems)
        eval_stems(tx, stems);
    if (!db || !qpath || (!rpath && rounds <= 0)) {
        rasd_text_free(tx);
        return stems ? 0 : 2;
    }
    Store *s = NULL;
    rasd_error err;
    if (store_open(db, 0, &s, &err) != RASD_OK) {
        fprintf(stderr, "eval-search: %s\n", err.msg);
        return 1;
    }
    sqlite3 *sdb = store_sqlite(s);
    size_t nq = 0, nr = 0;
    Query *q = NULL;
    if (rounds > 0) {
        q = load_queries(qpath, &nq);
        int rc = q ? latency(s, q, nq, rounds) : 1;
        for (size_t i = 0; q && i < nq; i++)
            free(q[i].qid), free(q[i].kind), free(q[i].half), free(q[i].text), free(q[i].need);
        free(q);
        store_close(s);
        rasd_text_free(tx);
        return rc;
    }
    if (register_ngram(sdb) != 0 || (!reuse && build_indexes(sdb) != 0)) {
        store_close(s);
        return 1;
    }
    q = load_queries(qpath, &nq);
    Qrel *r = load_qrels(rpath, &nr);
    FILE *pf = pool ? fopen(pool, "w") : NULL;
    if (pool && !pf) {
        perror(pool);
        return 1;
    }
    const char *kinds[] = {"variant", "inflect", "ortho", "event"};
    Acc all, bykind[4], byhalf[2], kh[4][2];
    memset(&all, 0, sizeof all), memset(bykind, 0, sizeof bykind);
    memset(byhalf, 0, sizeof byhalf), memset(kh, 0, sizeof kh);
    int unjudged[NM] = {0};
    Buf name = {0}, title = {0}, text = {0};
    printf("\nP@10 per query (%s):\n%-6s %-8s %-5s", half, "qid", "kind", "half");
    for (int m = 0; m < NM; m++)
        printf(" %10s", mname[m]);
    printf("  query\n");
    for (size_t i = 0; q && i < nq; i++) {
        if (strcmp(half, "all") && strcmp(half, q[i].half))
            continue;
        Ids res[NM];
        double p[NM];
        for (int m = 0; m < NM; m++) {
            if (m == M_MAX) {
                int nrel = 0;
                for (size_t k = 0; k < nr; k++)
                    nrel += !strcmp(r[k].qid, q[i].qid) && judged(r, nr, q[i].qid, r[k].doc) == 1;
                p[m] = (nrel < K ? nrel : K) / (double)K;
                res[m].n = 0;
                continue;
            }
            run_method(m, s, tx, q[i].text, &res[m]);
            int rel = 0;
            for (size_t k = 0; k < res[m].n && k < K; k++) {
                doc_name(sdb, res[m].v[k], &name, NULL, NULL);
                int j = judged(r, nr, q[i].qid, name.data ? name.data : "");
                rel += j == 1;
                unjudged[m] += j < 0;
            }
            p[m] = rel / (double)K;
        }
        /* the pool: each unjudged hit once, with the methods that found it */
        for (int m = 0; pf && m < NM; m++)
            for (size_t k = 0; k < res[m].n; k++) {
                int64_t id = res[m].v[k];
                int earlier = 0;
                for (int m2 = 0; m2 < m; m2++)
                    earlier |= has(&res[m2], id);
                if (earlier)
                    continue;
                doc_name(sdb, id, &name, &title, &text);
                if (judged(r, nr, q[i].qid, name.data ? name.data : "") >= 0)
                    continue;
                fprintf(pf, "%s\t%s\t", q[i].qid, name.data ? name.data : "");
                for (int m2 = m; m2 < NM; m2++)
                    if (has(&res[m2], id))
                        fprintf(pf, "%s,", mname[m2]);
                fprintf(pf, "\t%s\t%s | %s\n", q[i].text, title.data ? title.data : "",
                        text.data ? text.data : "");
            }
        printf("%-6s %-8s %-5s", q[i].qid, q[i].kind, q[i].half);
        for (int m = 0; m < NM; m++)
            printf(" %10.2f", p[m]);
        printf("  %s\n", q[i].text);
        int kind = -1;
        for (int k = 0; k < 4; k++)
            if (!strcmp(q[i].kind, kinds[k]))
                kind = k;
        int h = !strcmp(q[i].half, "held");
        for (int m = 0; m < NM; m++) {
            double a = p[M_MAX] > 0 ? p[m] / p[M_MAX] : 0;
            all.sum[m] += p[m], all.att[m] += a;
            byhalf[h].sum[m] += p[m], byhalf[h].att[m] += a;
            if (kind >= 0) {
                bykind[kind].sum[m] += p[m], kh[kind][h].sum[m] += p[m];
                bykind[kind].att[m] += a, kh[kind][h].att[m] += a;
            }
        }
        int has_rel = p[M_MAX] > 0;
        all.n++, byhalf[h].n++, all.natt += has_rel, byhalf[h].natt += has_rel;
        if (kind >= 0)
            bykind[kind].n++, kh[kind][h].n++, bykind[kind].natt += has_rel,
                kh[kind][h].natt += has_rel;
    }
    printf("\nmean P@10%-17s", "");
    for (int m = 0; m < NM; m++)
        printf(" %10s", mname[m]);
    printf("\n");
#define ROW(label, acc)                                                     \
    do {                                                                    \
        if ((acc).n) {                                                      \
            printf("%-22s n=%-3d", label, (acc).n);                         \
            for (int m = 0; m < NM; m++)                                    \
                printf(" %10.3f", (acc).sum[m] / (acc).n);                  \
            printf("\n");                                                   \
        }                                                                   \
    } while (0)
    ROW("all", all);
    ROW("tune half", byhalf[0]);
    ROW("held-out half", byhalf[1]);
    char label[64];
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s (both halves)", kinds[k]);
        ROW(label, bykind[k]);
        snprintf(label, sizeof label, "%s (held-out)", kinds[k]);
        ROW(label, kh[k][1]);
    }
    printf("\nshare of the attainable (P@10 / pool-max, mean over queries with a relevant"
           " article)\n%-28s", "");
    for (int m = 0; m < NM; m++)
        printf(" %10s", mname[m]);
    printf("\n");
#define AROW(label, acc)                                                    \
    do {                                                                    \
        if ((acc).natt) {                                                   \
            printf("%-22s n=%-3d", label, (acc).natt);                      \
            for (int m = 0; m < NM; m++)                                    \
                printf(" %10.3f", (acc).att[m] / (acc).natt);               \
            printf("\n");                                                   \
        }                                                                   \
    } while (0)
    AROW("all", all);
    AROW("tune half", byhalf[0]);
    AROW("held-out half", byhalf[1]);
    for (int k = 0; k < 4; k++) {
        snprintf(label, sizeof label, "%s (both halves)", kinds[k]);
        AROW(label, bykind[k]);
        snprintf(label, sizeof label, "%s (held-out)", kinds[k]);
        AROW(label, kh[k][1]);
    }
    printf("unjudged hits in the top %d:", K);
    for (int m = 0; m < NM; m++)
        printf(" %s %d", mname[m], unjudged[m]);
    printf("\n");
    if (pf)
        fclose(pf);
    buf_free(&name), buf_free(&title), buf_free(&text);
    for (size_t i = 0; q && i < nq; i++)
        free(q[i].qid), free(q[i].kind), free(q[i].half), free(q[i].text), free(q[i].need);
    for (size_t i = 0; i < nr; i++)
        free(r[i].qid), free(r[i].doc);
    free(q);
    free(r);
    store_close(s);
    rasd_text_free(tx);
    return 0;
}
