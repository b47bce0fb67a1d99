/*
 * fts_int.h — what fts.c (queries, search), fts_names.c (names in queries),
 * fts_snippet.c and fts_index.c (stem, tokenizer, index) share inside the
 * library; not part of the store/fts.h interface.
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

/* ---- names in queries (fts_names.c) ---- */
#define MAX_SPELLINGS 12 /* other spellings of a name added to a query */
#define MIN_KEY_LETTERS 4 /* a name key this long identifies a name by itself */

/* A name's spellings as name_lookup finds them. */
typedef struct Spellings {
    int is_name;  /* a stored mention is this name */
    Buf alts;     /* " OR \"spelling\"" for every other accepted spelling */
    Buf major;    /* "\"a\" OR \"b\"": the spellings the stored mentions mostly use
                     (each at least 1/MAJOR_SHARE as frequent as the most frequent,
                     the query's own form among them when it is); empty when the
                     query's own form is one of them and the only one */
} Spellings;

/* Name lookups of one search, remembered: each pass builds its expression
   from the same words, and a frequent name has thousands of mentions. */
typedef struct NameMemo {
    char *text;
    size_t n;
    Spellings sp;
} NameMemo;

typedef struct Names {
    struct sqlite3 *db; /* an SQLite store's connection, or NULL */
    struct Store *st;   /* the store (NULL: no names, no other spellings) */
    NameMemo *v;
    size_t n, cap;
} Names;

/* Appends s as one FTS5 string: "..." with inner quotes doubled. */
void fts_put_string(Buf *b, const char *prefix, const char *s, size_t n);
size_t fts_count_spaces(const char *s, size_t n);
void fts_names_free(Names *nm);
/* The spellings of text (name_lookup through nm's memo), or NULL when nm has
   no store or memory runs out (then text is no name). */
const Spellings *fts_name_spellings(Names *nm, const char *text, size_t n);
int fts_is_name(Names *nm, const char *text, size_t n);
/* Did the alias table give text its name key (خامنه اي: the key of
   خامنئي)? Such a sequence is a name even when it ends in a stopword (اي). */
int fts_alias_given(const char *text, size_t n);

#endif
