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
 * the same doubles and the order the same up to exact ties.
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
#include "pg_impl.h"
#include "text/text.h"

#define NCOL 4           /* title, lead, body, keys */
#define COL_BODY 2
#define COL_KEYS 3
#define SNIPPET_TOKENS 24
#define BM25_K1 1.2
#define BM25_B 0.75
#define MAX_DEPTH 64     /* brackets in a match expression (fts.c writes two or three) */  /* articles indexed per statement when catching up */

/* ---- the stored token blob ---------------------------------------------- */

/*
 * toks (what ranking reads): u32 terms, then each term as u16 bytes + bytes
 * (the article's distinct tokens, in order of first appearance); then for
 * each column u32 positions and per position u32 token (a term index) and
 * u32 key (1 + the term index of the colocated "=" key; 0: none, as in the
 * keys column). offs (what snippets read): u32 positions of the body, then
 * per position u32 start and end byte offsets in the body. Little endian.
 */
typedef struct Doc {
    const unsigned char *terms; /* the term list (in the caller's blob) */
    uint32_t nterm;
    const unsigned char *col[NCOL]; /* per column: u32 token, u32 key + 1 per position */
    uint32_t n[NCOL];     /* positions per column */
} Doc;

#define get_u32 pg_get_u32

static void doc_free(Doc *d) { memset(d, 0, sizeof *d); }

/* Reads a toks blob (kept by the caller while d is used) without copying
   it: d points into it, the positions are read where they lie (a value out
   of range matches no term); -1 when malformed. */
static int doc_read(const unsigned char *b, size_t n, Doc *d)
{
    memset(d, 0, sizeof *d);
    if (n < 4)
        return -1;
    size_t i = 4;
    uint32_t nt = get_u32(b);
    if (nt > (n - i) / 2)
        return -1;
    d->terms = b + i;
    d->nterm = nt;
    for (uint32_t k = 0; k < nt; k++) {
        if (n - i < 2)
            return -1;
        size_t len = (size_t)(b[i] | b[i + 1] << 8);
        i += 2;
        if (n - i < len)
            return -1;
        i += len;
    }
    for (int c = 0; c < NCOL; c++) {
        if (n - i < 4)
            return -1;
        uint32_t k = get_u32(b + i);
        i += 4;
        if (k > (n - i) / 8)
            return -1;
        d->col[c] = b + i;
        d->n[c] = k;
        i += (size_t)k * 8;
    }
    return 0;
}

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

/* ---- the match expression ------------------------------------------------ */

enum { N_PHRASE, N_NEAR, N_AND, N_OR, N_NOT };

typedef struct Phrase {
    char **tok;          /* its tokens (query mode), in order */
    size_t n;
    int keys_only;       /* "keys :" column filter */
    Buf pos;             /* int64 (column << 32 | position) of its instances in the row */
    int counted;         /* instances count for the row (every node above matched) */
    double freq;         /* weighted instances in the row */
    int used;            /* weighted instances in some matching row: needs an IDF */
    double idf;
} Phrase;

typedef struct Node {
    int type;
    int a, b;            /* children (AND, OR, NOT), node indices */
    int first, n;        /* phrases [first, first + n) of a PHRASE or NEAR node */
    int near;            /* NEAR distance */
    int match;           /* matches the current row (node_eval) */
} Node;

typedef struct Expr {
    Phrase *ph;
    size_t nph, cph;
    Node *node;
    size_t nnode, cnode;
    int root;
    const char *s;       /* the expression text */
    size_t i, len;       /* parse position */
    rasd_text *tx;
    Buf scratch;
    int fail;            /* syntax error or out of memory */
    int depth;           /* brackets open */
} Expr;

static void expr_free(Expr *x)
{
    for (size_t i = 0; i < x->nph; i++) {
        for (size_t k = 0; k < x->ph[i].n; k++)
            free(x->ph[i].tok[k]);
        free(x->ph[i].tok);
        buf_free(&x->ph[i].pos);
    }
    free(x->ph);
    free(x->node);
    buf_free(&x->scratch);
}

static int new_node(Expr *x, Node n)
{
    if (x->nnode == x->cnode) {
        size_t nc = x->cnode ? x->cnode * 2 : 16;
        Node *v = realloc(x->node, nc * sizeof *v);
        if (!v) {
            x->fail = 1;
            return -1;
        }
        x->node = v;
        x->cnode = nc;
    }
    x->node[x->nnode] = n;
    return (int)x->nnode++;
}

static int add_tok(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    Phrase *p = ctx;
    char **v = realloc(p->tok, (p->n + 1) * sizeof *v);
    if (!v)
        return -1;
    p->tok = v;
    if (!(v[p->n] = malloc(len + 1)))
        return -1;
    memcpy(v[p->n], tok, len);
    v[p->n++][len] = 0;
    return 0;
}

static void skip_space(Expr *x)
{
    while (x->i < x->len && (x->s[x->i] == ' ' || x->s[x->i] == '\t' || x->s[x->i] == '\n'))
        x->i++;
}

static int word_at(Expr *x, const char *w)
{
    size_t n = strlen(w);
    return x->i <= x->len && x->len - x->i >= n && !memcmp(x->s + x->i, w, n) &&
           (x->i + n == x->len || x->s[x->i + n] == ' ' || x->s[x->i + n] == '(' ||
            x->s[x->i + n] == ':');
}

/* A "string" (FTS5 quoting: "" is a quote) as one phrase; returns its index. */
static int parse_string(Expr *x, int keys_only)
{
    if (x->i >= x->len || x->s[x->i] != '"') {
        x->fail = 1;
        return -1;
    }
    Buf t = {0};
    for (x->i++; x->i < x->len; x->i++) {
        if (x->s[x->i] == '"') {
            if (x->i + 1 < x->len && x->s[x->i + 1] == '"') {
                buf_putc(&t, '"');
                x->i++;
                continue;
            }
            break;
        }
        buf_putc(&t, x->s[x->i]);
    }
    if (x->i >= x->len || t.oom || (x->nph == x->cph &&
                                    !(x->cph = x->cph ? x->cph * 2 : 8))) {
        buf_free(&t);
        x->fail = 1;
        return -1;
    }
    x->i++;
    Phrase *v = realloc(x->ph, x->cph * sizeof *v);
    if (!v) {
        buf_free(&t);
        x->fail = 1;
        return -1;
    }
    x->ph = v;
    Phrase *p = &x->ph[x->nph];
    memset(p, 0, sizeof *p);
    p->keys_only = keys_only;
    int flags = FTS_TOK_QUERY | (t.len && t.data[0] == '=' ? FTS_TOK_EXACT : 0);
    int rc = t.len ? fts_tokens(x->tx, t.data, t.len, flags, &x->scratch, add_tok, p) : 0;
    buf_free(&t);
    x->nph++;
    if (rc < 0)
        x->fail = 1;
    return (int)x->nph - 1;
}

static int parse_or(Expr *x);

static int parse_primary(Expr *x)
{
    skip_space(x);
    if (x->fail || x->i >= x->len) {
        x->fail = 1;
        return -1;
    }
    if (x->s[x->i] == '(') {
        if (++x->depth > MAX_DEPTH) {
            x->fail = 1;
            return -1;
        }
        x->i++;
        int n = parse_or(x);
        skip_space(x);
        if (x->i >= x->len || x->s[x->i] != ')')
            x->fail = 1;
        else
            x->i++;
        x->depth--;
        return n;
    }
    if (word_at(x, "NEAR")) {
        x->i += 4;
        skip_space(x);
        if (x->i >= x->len || x->s[x->i] != '(') {
            x->fail = 1;
            return -1;
        }
        x->i++;
        Node nd = {N_NEAR, -1, -1, (int)x->nph, 0, 10, 0};
        for (;;) {
            skip_space(x);
            if (x->fail || x->i >= x->len) {
                x->fail = 1;
                return -1;
            }
            if (x->s[x->i] == '"') {
                parse_string(x, 0);
                nd.n++;
                continue;
            }
            if (x->s[x->i] == ',') {
                x->i++;
                skip_space(x);
                nd.near = (int)strtol(x->s + x->i, NULL, 10);
                while (x->i < x->len && x->s[x->i] != ')')
                    x->i++;
            }
            if (x->i < x->len && x->s[x->i] == ')') {
                x->i++;
                break;
            }
            x->fail = 1;
            return -1;
        }
        return new_node(x, nd);
    }
    int keys_only = 0;
    if (word_at(x, "keys")) {
        x->i += 4;
        skip_space(x);
        if (x->i < x->len && x->s[x->i] == ':')
            x->i++;
        skip_space(x);
        keys_only = 1;
    }
    int p = parse_string(x, keys_only);
    return p < 0 ? -1 : new_node(x, (Node){N_PHRASE, -1, -1, p, 1, 0, 0});
}

/* The binary operators by precedence, loosest first (FTS5: OR < AND < NOT). */
static const struct {
    const char *word;
    int type;
} ops[] = {{"OR", N_OR}, {"AND", N_AND}, {"NOT", N_NOT}};
#define NOPS (int)(sizeof ops / sizeof ops[0])

/* Operands joined by ops[level] (or tighter); two terms side by side are an
   implicit AND. */
static int parse_level(Expr *x, int level)
{
    if (level == NOPS)
        return parse_primary(x);
    int l = parse_level(x, level + 1);
    for (;;) {
        skip_space(x);
        if (x->fail)
            return l;
        if (word_at(x, ops[level].word))
            x->i += strlen(ops[level].word);
        else if (ops[level].type != N_AND || x->i >= x->len || x->s[x->i] == ')' ||
                 word_at(x, "OR"))
            return l;
        int r = parse_level(x, level + 1);
        l = new_node(x, (Node){ops[level].type, l, r, 0, 0, 0, 0});
    }
}

static int parse_or(Expr *x) { return parse_level(x, 0); }

static rasd_err expr_parse_tx(rasd_text *tx, const char *expr, Expr *x, rasd_error *err)
{
    memset(x, 0, sizeof *x);
    x->tx = tx;
    x->s = expr;
    x->len = strlen(expr);
    x->root = parse_or(x);
    skip_space(x);
    if (x->fail || x->root < 0 || x->i < x->len) {
        expr_free(x);
        return rasd_fail(err, RASD_EINVAL, "search: cannot read the match expression at byte %zu",
                         x->i);
    }
    return RASD_OK;
}

static rasd_err expr_parse(PgStore *s, const char *expr, Expr *x, rasd_error *err)
{
    rasd_err e = pg_search_text(s, err);
    return e != RASD_OK ? e : expr_parse_tx(s->tx, expr, x, err);
}

/* ---- matching one row ---------------------------------------------------- */

/* The index of term t in d; -1 when the row does not hold it. */
static int64_t doc_term(const Doc *d, const char *t, size_t n)
{
    const unsigned char *p = d->terms; /* bounds checked by doc_read */
    for (uint32_t k = 0; k < d->nterm; k++) {
        size_t len = (size_t)(p[0] | p[1] << 8);
        if (len == n && !memcmp(p + 2, t, n))
            return k;
        p += 2 + len;
    }
    return -1;
}

/* Positions of phrase p in the row: starts of its token sequence, per column
   (a position matches a token by its stem or by its colocated key). */
static int phrase_positions(Phrase *p, const Doc *d)
{
    buf_reset(&p->pos);
    if (!p->n)
        return 0;
    int64_t *t = malloc(p->n * sizeof *t);
    if (!t)
        return -1;
    size_t k = 0;
    for (; k < p->n && (t[k] = doc_term(d, p->tok[k], strlen(p->tok[k]))) >= 0; k++)
        ;
    for (int c = p->keys_only ? COL_KEYS : 0; k == p->n && c < NCOL; c++)
        for (uint32_t i = 0; i + p->n <= d->n[c]; i++) {
            size_t j = 0;
            const unsigned char *v = d->col[c] + 8 * (size_t)i;
            while (j < p->n && (get_u32(v + 8 * j) == (uint32_t)t[j] ||
                                get_u32(v + 8 * j + 4) == (uint32_t)t[j] + 1))
                j++;
            if (j == p->n) {
                int64_t at = (int64_t)c << 32 | i;
                buf_append(&p->pos, &at, sizeof at);
            }
        }
    free(t);
    return p->pos.oom ? -1 : 0;
}

static size_t npos(const Phrase *p) { return p->pos.len / sizeof(int64_t); }
static int64_t pos_at(const Phrase *p, size_t i) { return ((const int64_t *)p->pos.data)[i]; }

/*
 * fts5ExprNearIsMatch: walks the phrases' positions together and keeps, in
 * each phrase, only the instances that belong to a group within nNear
 * tokens (end of the first to start of the last). Returns 1 when a group
 * exists.
 */
static int near_match(Phrase *ph, int n, int near)
{
    size_t *at = calloc((size_t)n, sizeof *at);   /* reader position */
    size_t *out = calloc((size_t)n, sizeof *out); /* kept instances (written in place) */
    if (!at || !out) {
        free(at), free(out);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (!npos(&ph[i]))
            goto done;
    for (;;) {
        int64_t imax = pos_at(&ph[0], at[0]);
        int match;
        do {
            match = 1;
            for (int i = 0; i < n; i++) {
                int64_t imin = imax - (int64_t)ph[i].n - near;
                int64_t p = pos_at(&ph[i], at[i]);
                if (p < imin || p > imax) {
                    match = 0;
                    while (p < imin) {
                        if (++at[i] >= npos(&ph[i]))
                            goto done;
                        p = pos_at(&ph[i], at[i]);
                    }
                    if (p > imax)
                        imax = p;
                }
            }
        } while (!match);
        for (int i = 0; i < n; i++) {
            int64_t *v = (int64_t *)ph[i].pos.data;
            if (out[i] == 0 || v[out[i] - 1] != v[at[i]])
                v[out[i]++] = v[at[i]];
        }
        /* advance the reader whose next position is lowest */
        int adv = 0;
        int64_t lmin = INT64_MAX;
        for (int i = 0; i < n; i++) {
            int64_t la = at[i] + 1 < npos(&ph[i]) ? pos_at(&ph[i], at[i] + 1) : INT64_MAX;
            if (la < lmin)
                lmin = la, adv = i;
        }
        if (++at[adv] >= npos(&ph[adv]))
            goto done;
    }
done:;
    int ok = out[0] > 0;
    for (int i = 0; i < n; i++)
        ph[i].pos.len = out[i] * sizeof(int64_t);
    free(at), free(out);
    return ok;
}

/* Does node k match the row (phrase positions computed)? Sets every
   node's match once: NEAR trims its phrases' positions as it tests. */
static int node_eval(Expr *x, int k)
{
    Node *nd = &x->node[k];
    int m;
    switch (nd->type) {
    case N_PHRASE:
        m = npos(&x->ph[nd->first]) > 0;
        break;
    case N_NEAR:
        m = nd->n == 1 ? npos(&x->ph[nd->first]) > 0
                       : near_match(&x->ph[nd->first], nd->n, nd->near);
        break;
    case N_AND: {
        int a = node_eval(x, nd->a);
        m = node_eval(x, nd->b) && a;
        break;
    }
    case N_OR: {
        int a = node_eval(x, nd->a);
        m = node_eval(x, nd->b) || a;
        break;
    }
    default: {
        int a = node_eval(x, nd->a);
        m = !node_eval(x, nd->b) && a;
        break;
    }
    }
    return nd->match = m;
}

/* Marks the phrases whose instances count (FTS5's xInst: the phrase's node
   is at the row, so every node above it matched); NOT's right side never. */
static void mark_counted(Expr *x, int k)
{
    Node *nd = &x->node[k];
    if (!nd->match)
        return;
    if (nd->type == N_PHRASE || nd->type == N_NEAR) {
        for (int i = 0; i < nd->n; i++)
            x->ph[nd->first + i].counted = 1;
        return;
    }
    mark_counted(x, nd->a);
    if (nd->type != N_NOT)
        mark_counted(x, nd->b);
}

/* Evaluates the expression on the phrases' positions and marks the
   counted phrases. Returns 1 when the row matches. */
static int row_eval(Expr *x)
{
    for (size_t k = 0; k < x->nnode; k++)
        x->node[k].match = 0;
    if (!node_eval(x, x->root))
        return 0;
    mark_counted(x, x->root);
    return 1;
}

/* Computes every phrase's positions in d, evaluates the expression and
   marks the counted phrases. Returns 1 when the row matches, -1 on failure. */
static int row_match(Expr *x, const Doc *d)
{
    for (size_t i = 0; i < x->nph; i++) {
        x->ph[i].counted = 0;
        if (phrase_positions(&x->ph[i], d) != 0)
            return -1;
    }
    return row_eval(x);
}

/*
 * Ranking from term frequencies (schema 15). When every phrase is one token
 * and no NEAR joins two of them, a row's match and score need only how many
 * positions of each column hold each phrase's token: the server returns
 * those 8 bytes per phrase (article_terms.tf at the token's place in terms)
 * instead of the row's position blob. The phrases then get that many
 * instances per column, in column order: node_eval and the weight sums see
 * the same counts in the same order as from the positions (the positions
 * themselves are not real, and nothing here reads them).
 */
static int tf_query(const Expr *x)
{
    for (size_t i = 0; i < x->nph; i++)
        if (x->ph[i].n > 1)
            return 0;
    for (size_t k = 0; k < x->nnode; k++)
        if (x->node[k].type == N_NEAR && x->node[k].n > 1)
            return 0;
    return 1;
}

/* Marks the phrases every row matching node k holds (AND's sides, NOT's
   left, a PHRASE or NEAR node's phrases; not below OR). Such a phrase's tf
   bytes are found by its token's hash in th: the row holds the token, and
   no two of its terms share a hash (else th is NULL). */
static void mark_required(const Expr *x, int k, uint8_t *req)
{
    const Node *nd = &x->node[k];
    if (nd->type == N_PHRASE || nd->type == N_NEAR) {
        for (int i = 0; i < nd->n; i++)
            req[nd->first + i] = 1;
    } else if (nd->type == N_AND) {
        mark_required(x, nd->a, req);
        mark_required(x, nd->b, req);
    } else if (nd->type == N_NOT) {
        mark_required(x, nd->a, req);
    }
}

/* Phrase p's instances from its 8 tf bytes (NULL: not in the row). */
static int phrase_tf(Phrase *p, const unsigned char *tf, size_t n)
{
    buf_reset(&p->pos);
    if (!tf || n != 2 * PG_TF_COLS)
        return 0;
    for (int c = p->keys_only ? COL_KEYS : 0; c < NCOL; c++)
        for (uint32_t i = 0, k = (uint32_t)(tf[2 * c] | tf[2 * c + 1] << 8); i < k; i++) {
            int64_t at = (int64_t)c << 32 | i;
            buf_append(&p->pos, &at, sizeof at);
        }
    return p->pos.oom ? -1 : 0;
}

/* row_match from a result row whose columns from col on are the phrases'
   tf bytes (binary format). */
static int row_match_tf(Expr *x, const PGresult *r, int row, int col)
{
    for (size_t i = 0; i < x->nph; i++) {
        size_t n = 0;
        const unsigned char *tf = gbin_blob(r, row, col + (int)i, &n);
        x->ph[i].counted = 0;
        if (phrase_tf(&x->ph[i], tf, n) != 0)
            return -1;
    }
    return row_eval(x);
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

/* Decodes row's blob (column col) into d; *blob to PQfreemem. -1: bad. */
static int read_blob(const PGresult *r, int row, int col, Doc *d, unsigned char **blob)
{
    size_t n = 0;
    int oom = 0;
    *blob = gblob(r, row, col, &n, &oom);
    if (!*blob || doc_read(*blob, n, d) != 0) {
        PQfreemem(*blob);
        *blob = NULL;
        return -1;
    }
    return 0;
}

/* The same from a binary-format result (PG_PAGED_BINARY): no copy. */
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

/* FTS5's bm25(): the same operations in the same order (fts5_aux.c). */
static void score_hits(Scan *sc, int64_t rows, int64_t tokens)
{
    Expr *x = sc->x;
    double avgdl = (double)tokens / (double)rows;
    double k1 = BM25_K1, b = BM25_B;
    Hit *h = (Hit *)sc->hits.data;
    const double *f = (const double *)sc->freq.data;
    size_t n = sc->hits.len / sizeof *h;
    for (size_t k = 0; k < n; k++) {
        double score = 0.0, D = (double)h[k].size;
        for (size_t i = 0; i < x->nph; i++) {
            double fr = f[h[k].freq + i];
            score += x->ph[i].idf * ((fr * (k1 + 1.0)) / (fr + k1 * (1 - b + b * D / avgdl)));
        }
        h[k].score = score;
    }
    qsort(h, n, sizeof *h, cmp_hit);
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
    Scan sc = {&x, {w[0], w[1], w[2], 0.0}, {0}, {0}, 0, tf_query(&x)};
    int filtered = o->since || o->until || o->outlet || o->story > 0;
    Buf sql = {0};
    if (!sc.tf)
        buf_puts(&sql, "SELECT t.article, t.size, t.toks");
    else
        buf_puts(&sql, "SELECT t.article, t.size, CASE WHEN t.tf IS NULL THEN t.toks END");
    uint8_t *req = sc.tf ? calloc(x.nph ? x.nph : 1, 1) : NULL;
    if (sc.tf && !req)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    else if (req)
        mark_required(&x, x.root, req);
    for (size_t i = 0; sc.tf && i < x.nph && e == RASD_OK; i++) {
        const char *tok = x.ph[i].n ? x.ph[i].tok[0] : NULL;
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
    if (e == RASD_OK && candidates(s, &x, x.root, &sql) != 0)
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
    if (e == RASD_OK && sc.hits.len) {
        PGresult *r = NULL;
        e = pg_run(s, stats_sql, NULL, 1, &r, "search", err);
        if (e == RASD_OK) {
            rows = gi(r, 0, 0);
            tokens = gi(r, 0, 1);
            PQclear(r);
        }
    }
    for (size_t i = 0; e == RASD_OK && i < x.nph; i++) {
        x.ph[i].idf = 1e-6;
        if (!x.ph[i].used)
            continue;
        int64_t hit = 0;
        e = phrase_rows(s, &x.ph[i], 0, &hit, err);
        double idf = log((rows - hit + 0.5) / (hit + 0.5));
        x.ph[i].idf = idf <= 0.0 ? 1e-6 : idf;
    }
    if (e == RASD_OK && sc.hits.len) {
        score_hits(&sc, rows, tokens);
        const Hit *h = (const Hit *)sc.hits.data;
        size_t n = sc.hits.len / sizeof *h;
        for (size_t k = 0; k < n && k < limit; k++)
            if (fn(ctx, h[k].id, h[k].score))
                break;
    }
    if (own) {
        s->in_tx = 0;
        pg_exec(s, e == RASD_OK ? "COMMIT" : "ROLLBACK", "search", NULL);
    }
    buf_free(&sql);
    buf_free(&sc.hits);
    buf_free(&sc.freq);
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

static const char hit_sql[] =
    "SELECT a.hash, a.url, a.outlet, a.published, a.title, ev.thread, a.body, t.toks, t.offs"
    " FROM articles a LEFT JOIN article_event ae ON ae.article = a.id"
    " LEFT JOIN events ev ON ev.id = ae.event"
    " LEFT JOIN article_terms t ON t.article = a.id WHERE a.id = $1";

rasd_err pg_search_hits(Store *st_, const char *expr, const FtsOptions *o, FtsHit *v, size_t n,
                        rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Expr x;
    rasd_err e = expr_parse(s, expr, &x, err);
    if (e != RASD_OK)
        return e;
    for (size_t i = 0; i < n && e == RASD_OK; i++) {
        FtsHit *h = &v[i];
        Params p = {0};
        p_i64(&p, h->id);
        PGresult *r = NULL;
        e = pg_run(s, hit_sql, &p, 1, &r, "search", err);
        if (e != RASD_OK)
            break;
        if (PQntuples(r) == 1) {
            snprintf(h->hash, sizeof h->hash, "%s", gv(r, 0, 0) ? gv(r, 0, 0) : "");
            h->url = gdup(r, 0, 1);
            h->outlet = gdup(r, 0, 2);
            h->published = gdup(r, 0, 3);
            h->title = gdup(r, 0, 4);
            h->story = gi(r, 0, 5);
            Doc d;
            unsigned char *blob;
            Buf sn = {0};
            size_t noffs = 0;
            unsigned char *offs = gblob(r, 0, 8, &noffs, NULL);
            if (offs && read_blob(r, 0, 7, &d, &blob) == 0) {
                if (row_match(&x, &d) >= 0)
                    make_snippet(&x, &d, offs, noffs, gv(r, 0, 6) ? gv(r, 0, 6) : "", o, &sn);
                doc_free(&d);
                PQfreemem(blob);
            }
            PQfreemem(offs);
            buf_putc(&sn, 0);
            h->snippet = sn.oom ? NULL : buf_steal(&sn);
            buf_free(&sn);
        }
        PQclear(r);
    }
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

rasd_err pg_each_spelling(Store *st_, const char *key, size_t n, size_t limit,
                          int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                          void *ctx, rasd_error *err)
{
    Params p = {0};
    p_textn(&p, key, n);
    p_i64(&p, (int64_t)limit);
    SpellingRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_, "SELECT text, count(*) FROM mentions WHERE key = $1"
                                       " GROUP BY text ORDER BY count(*) DESC, text LIMIT $2",
                       &p, 0, "name spellings", spelling_row, &x, err);
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

/* ---- fuzzing ------------------------------------------------------------- */

int pg_search_fuzz(rasd_text *tx, const unsigned char *data, size_t n)
{
    Doc d;
    int have_doc = doc_read(data, n, &d) == 0;
    char *text = malloc(n + 1);
    if (!text) {
        if (have_doc)
            doc_free(&d);
        return 0;
    }
    memcpy(text, data, n);
    text[n] = 0;
    Expr x;
    int bad = 0;
    if (expr_parse_tx(tx, text, &x, NULL) == RASD_OK) {
        for (size_t k = 0; k < x.nnode; k++) {
            const Node *nd = &x.node[k];
            if (nd->type == N_PHRASE || nd->type == N_NEAR)
                bad |= nd->first < 0 || (size_t)(nd->first + nd->n) > x.nph;
            else
                bad |= nd->a < 0 || nd->b < 0 || (size_t)nd->a >= x.nnode ||
                       (size_t)nd->b >= x.nnode;
        }
        /* the same expression on term frequencies: the input's first bytes
           as every phrase's 8 tf bytes */
        if (!bad && n >= 2 * PG_TF_COLS && tf_query(&x)) {
            for (size_t i = 0; i < x.nph; i++)
                bad |= phrase_tf(&x.ph[i], data, 2 * PG_TF_COLS) != 0;
            if (!bad)
                row_eval(&x);
        }
        if (!bad && have_doc && row_match(&x, &d) > 0)
            for (size_t i = 0; i < x.nph; i++)
                for (size_t k = 0; k < npos(&x.ph[i]); k++) {
                    int64_t at = pos_at(&x.ph[i], k);
                    bad |= at >> 32 >= NCOL || (uint32_t)at + x.ph[i].n > d.n[at >> 32];
                }
        expr_free(&x);
    }
    if (have_doc)
        doc_free(&d);
    free(text);
    return bad ? -1 : 0;
}
