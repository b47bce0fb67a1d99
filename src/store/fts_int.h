/*
 * fts_int.h — what fts.c (queries, search) and fts_index.c (stem, tokenizer,
 * index) share inside the library; not part of the store/fts.h interface.
 */
#ifndef RASD_FTS_INT_H
#define RASD_FTS_INT_H

#include <stddef.h>

#include "rasd.h"
#include "util/util.h"

struct sqlite3;
struct Store;

#define KEYS_MARK FTS_KEYS_MARK

/* Code points in n bytes of UTF-8. */
size_t fts_nchars(const char *s, size_t n);
/* RASD_EDB "search index: what: <SQLite's message>". */
rasd_err fts_fail(struct sqlite3 *db, rasd_error *err, const char *what);
/* The store's SQLite connection, or NULL and *e set: search needs SQLite. */
struct sqlite3 *fts_need_db(struct Store *s, rasd_error *err, rasd_err *e);

/* The terms of a match expression, as the index holds them (fts_snippet.c). */
#define FTS_MAX_TERMS 64
typedef struct FtsTerms {
    Buf buf;                    /* the terms, back to back (not NUL-separated) */
    size_t off[FTS_MAX_TERMS];  /* each term's start in buf, bytes */
    size_t len[FTS_MAX_TERMS];  /* each term's length, bytes */
    size_t n;                   /* terms */
} FtsTerms;
/* The positive terms of expr (every quoted string before a NOT, the keys
   column's left out) tokenised in query mode. Returns 0, or -1 when the
   text core fails or memory runs out (t is then empty). */
int fts_terms(rasd_text *tx, const char *expr, FtsTerms *t);
void fts_terms_free(FtsTerms *t);
/* A snippet of body (len bytes): about 24 words around the densest place
   of t's terms, matching words between mo and mc, "…" where text is left
   out; the body's start when no word matches. malloc'd; NULL when memory
   runs out. */
char *fts_snippet(rasd_text *tx, const FtsTerms *t, const char *body, size_t len, const char *mo,
                  const char *mc);

#endif
