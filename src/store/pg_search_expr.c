/*
 * pg_search_expr.c — the PostgreSQL search's token blob, its match
 * expression (fts.c's FTS5 syntax, parsed here) and the test of one row
 * against it (moved from pg_search.c, which ranks and reads the hits; see
 * its head comment for how the two fit together).
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "pg_search_int.h"
#include "text/text.h"

/* ---- the stored token blob ---------------------------------------------- */

/*
 * toks (what ranking reads): u32 terms, then each term as u16 bytes + bytes
 * (the article's distinct tokens, in order of first appearance); then for
 * each column u32 positions and per position u32 token (a term index) and
 * u32 key (1 + the term index of the colocated "=" key; 0: none, as in the
 * keys column). offs (what snippets read): u32 positions of the body, then
 * per position u32 start and end byte offsets in the body. Little endian.
 */


void doc_free(Doc *d) { memset(d, 0, sizeof *d); }

/* Reads a toks blob (kept by the caller while d is used) without copying
   it: d points into it, the positions are read where they lie (a value out
   of range matches no term); -1 when malformed. */
int doc_read(const unsigned char *b, size_t n, Doc *d)
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

/* ---- the match expression ------------------------------------------------ */





void expr_free(Expr *x)
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

rasd_err expr_parse_tx(rasd_text *tx, const char *expr, Expr *x, rasd_error *err)
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

rasd_err expr_parse(PgStore *s, const char *expr, Expr *x, rasd_error *err)
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
int phrase_positions(Phrase *p, const Doc *d)
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
int row_eval(Expr *x)
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
int row_match(Expr *x, const Doc *d)
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
int tf_query(const Expr *x)
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
void mark_required(const Expr *x, int k, uint8_t *req)
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
int phrase_tf(Phrase *p, const unsigned char *tf, size_t n)
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
int row_match_tf(Expr *x, const PGresult *r, int row, int col)
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
