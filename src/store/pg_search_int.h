/*
 * pg_search_int.h — what pg_search.c (ranking, hits, names) and
 * pg_search_expr.c (the token blob, the match expression, matching one row)
 * share: the types and the functions between them.
 */
#ifndef RASD_PG_SEARCH_INT_H
#define RASD_PG_SEARCH_INT_H

#include <libpq-fe.h>
#include <stdint.h>

#include "pg_impl.h"

#define NCOL 4           /* title, lead, body, keys */
#define COL_BODY 2
#define COL_KEYS 3
#define MAX_DEPTH 64     /* brackets in a match expression (fts.c writes two or three) */

/* the stored token blob (pg_search_expr.c describes its format) */
typedef struct Doc {
    const unsigned char *terms; /* the term list (in the caller's blob) */
    uint32_t nterm;
    const unsigned char *col[NCOL]; /* per column: u32 token, u32 key + 1 per position */
    uint32_t n[NCOL];     /* positions per column */
} Doc;

#define get_u32 pg_get_u32

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
    int64_t rows;        /* rows holding it (phrase_rows), when have_rows */
    int have_rows;
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

static inline size_t npos(const Phrase *p) { return p->pos.len / sizeof(int64_t); }
static inline int64_t pos_at(const Phrase *p, size_t i) { return ((const int64_t *)p->pos.data)[i]; }

void doc_free(Doc *d);
int doc_read(const unsigned char *b, size_t n, Doc *d);
void expr_free(Expr *x);
rasd_err expr_parse_tx(rasd_text *tx, const char *expr, Expr *x, rasd_error *err);
rasd_err expr_parse(PgStore *s, const char *expr, Expr *x, rasd_error *err);
int phrase_positions(Phrase *p, const Doc *d);
int row_eval(Expr *x);
int row_match(Expr *x, const Doc *d);
int tf_query(const Expr *x);
void mark_required(const Expr *x, int k, uint8_t *req);
int phrase_tf(Phrase *p, const unsigned char *tf, size_t n);
int row_match_tf(Expr *x, const PGresult *r, int row, int col);

#endif
