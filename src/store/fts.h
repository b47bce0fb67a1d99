/*
 * fts.h — Arabic full-text search over the stored articles: SQLite FTS5
 * with rasd's own tokenizer ("rasd", registered through fts5_api), so an
 * article and a query are normalised, clitic-split and stemmed by the same
 * code; the article's entity keys are indexed in a column of their own so
 * a name finds its other spellings. See fts.c for the token scheme.
 *
 * The library half (this header) parses queries, builds the FTS5 match
 * expression, runs it with filters and returns C structs; it never prints.
 */
#ifndef RASD_FTS_H
#define RASD_FTS_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "util/util.h"

struct sqlite3;
struct Store;

/* Registers the "rasd" FTS5 tokenizer on a connection (store_open does it
   before migrating, so the migration can index existing articles). */
rasd_err fts_register(struct sqlite3 *db, rasd_error *err);

/* The schema the search needs, as one migration (sqlite.c appends it): a view
   of what is indexed, the FTS5 table over it, and a backfill of the rows
   already stored. Independent of its version number. */
extern const char fts_migration_sql[];

/* Indexes one stored article; keys is its entity keys separated by '\n'
   (NULL: none). Call inside the transaction that stored the article. */
rasd_err fts_index_article(struct sqlite3 *db, int64_t rowid, const char *title,
                           const char *body, const char *keys, rasd_error *err);
/* The same, reading title, body and the stored mentions' keys of rowid. */
rasd_err fts_index_stored(struct Store *st, int64_t rowid, rasd_error *err);
/* The same for every stored article from row id first on, in one statement
   (FTS5 writes its pending terms at each statement's end: one statement per
   batch instead of one per article). */
rasd_err fts_index_stored_from(struct Store *st, int64_t first, rasd_error *err);
/* Removes article rowid from the index (before its indexed text changes;
   fts_index_stored puts it back); *was 1 when the index held it (a row of a
   batch's chunk not indexed yet is left alone: 0). No-op on other stores. */
rasd_err fts_unindex_stored(struct Store *st, int64_t rowid, int *was, rasd_error *err);
/* Hands the search tokenizer of st's connection the analysed documents of
   the texts the next indexing statement reads (fts_index_stored_from after
   the annotations were made): a text whose bytes are a fed document's text
   (or the start of one, for the lead) gets that document's tokens instead
   of a second analysis — the same stream, by construction. The documents
   must outlive the statement; fts_feed(st, NULL, 0) ends the feed. Other
   stores: nothing. */
void fts_feed(struct Store *st, const rasd_doc *const *docs, size_t n);
/* Rebuilds the whole index from the stored articles and mentions. */
rasd_err fts_reindex(struct Store *st, rasd_error *err);

/*
 * Appends the light stem of token t (from rasd_text_analyse) to out: the
 * key without the proclitics and enclitics the text core marked (except a
 * lone ه, which may be a ta marbuta written ه, and a ك "like" without ال,
 * more often the word's own first letter), a ta marbuta restored
 * before an enclitic, then only two plural endings
 * changed: ات to the singular's ة (ه in keys) and يين/يون to ي. Nothing
 * is removed from the word's start. Non-Arabic tokens: the key.
 */
void fts_light_stem(const rasd_token *t, Buf *out);

/*
 * The search token stream of a text, without SQLite (the FTS5 tokenizer and
 * the PostgreSQL store's search both use it). For every word, number or
 * Latin token of text, in order, fn receives:
 *   - the light stem (fts_light_stem), colocated 0;
 *   - then "=" + the normalised key at the same position, colocated 1
 *     (documents only: FTS_TOK_QUERY leaves it out).
 * FTS_TOK_EXACT (a query string that asked for surface forms): only the
 * "=" key, colocated 0. Text starting with FTS_KEYS_MARK is the keys column:
 * each '\n'-separated entity key is one token FTS_KEYS_MARK + key.
 * start/end are the token's byte offsets in text. fn returns non-zero to
 * stop (that value is returned). tx: a text context (rasd_text_new), one
 * per thread; scratch: a buffer the caller owns (reused between calls).
 * Returns 0, fn's non-zero value, or -1 when the text core fails or memory
 * runs out. FTS_TOKENS_VERSION changes whenever this output changes: an
 * index built with another version must be rebuilt (fts_check_version).
 */
#define FTS_TOKENS_VERSION 2 /* 2: a proclitic ك is kept (كورونا) */
#define FTS_KEYS_MARK '\x01'
enum { FTS_TOK_QUERY = 1, FTS_TOK_EXACT = 2, FTS_TOK_SNOWBALL = 4 };
typedef int (*FtsTokenFn)(void *ctx, const char *tok, size_t len, uint32_t start, uint32_t end,
                          int colocated);
int fts_tokens(rasd_text *tx, const char *text, size_t len, int flags, Buf *scratch,
               FtsTokenFn fn, void *ctx);
/* The same stream for text (len bytes) taken from d, the annotation's
   analysis of a text equal to it or starting with it (the lead column):
   d's tokens instead of a second analysis, and only the part after the
   last space analysed again when text is a proper prefix. It equals
   fts_tokens' stream (a unit test holds it to that); -2 when a token of d
   spans the prefix's last space (then fts_tokens it is). */
int fts_fed_tokens(rasd_text *tx, const rasd_doc *d, const char *text, size_t len, int flags,
                   Buf *scratch, FtsTokenFn fn, void *ctx);

/* Rebuilds the index when it was built by another FTS_TOKENS_VERSION (or
   before versions were recorded), and records this one. store_open calls it
   on a writable SQLite store after migrating. */
rasd_err fts_check_version(struct sqlite3 *db, rasd_error *err);

/* ---- queries ---------------------------------------------------------- */

/* One clause of a parsed query. */
typedef struct FtsClause {
    uint32_t start, len; /* the clause's words: bytes in FtsQuery.text */
    uint8_t phrase;      /* written in double quotes: words in this order */
    uint8_t negated;     /* -word or -"phrase": must not occur */
    uint8_t exact;       /* =word or ="phrase": surface forms, no stemming */
    uint8_t or_next;     /* joined to the next clause by OR */
} FtsClause;

/* A parsed query. Owned by the caller: fts_query_free. */
typedef struct FtsQuery {
    char *text;          /* cleaned UTF-8 copy of the query (NUL-terminated) */
    FtsClause *clauses;  /* in query order */
    size_t n;            /* clauses */
} FtsQuery;

/*
 * Parses len bytes of untrusted query text. Grammar: words separated by
 * spaces; "..." a phrase; a leading - negates a word or phrase, a leading =
 * asks for its exact (unstemmed) forms; OR between two clauses makes them
 * alternatives. Other FTS5 syntax (*, ^, NEAR, column filters, brackets)
 * has no meaning and is read as text. Fails (RASD_EINVAL) on an unclosed
 * quote or a query with no positive clause.
 */
rasd_err fts_parse_query(const char *q, size_t len, FtsQuery *out, rasd_error *err);
void fts_query_free(FtsQuery *q);

/* Search filters and options; zero = none / defaults. */
typedef struct FtsOptions {
    const char *since, *until;   /* publication dates YYYY[-MM[-DD]], inclusive */
    const char *outlet;          /* exact outlet name */
    const char *entity;          /* a name: articles whose indexed entity keys have its key */
    int64_t story;               /* thread number (`rasd stories`), 0 = any */
    size_t limit;                /* hits wanted (0 = 20); 0 < limit */
    size_t offset;               /* hits skipped first */
    const char *mark_open, *mark_close; /* snippet highlight markers ("[" "]") */
    int all_terms;               /* 1: only articles with every clause (no OR fallback) */
    int no_near;                 /* 1: no first pass for the words close together */
    double weights[3];           /* BM25 weights of title, lead (first 400 characters),
                                    body; 0 = defaults (3, 1, 1) */
} FtsOptions;

/* One search hit. Strings are owned by the FtsHits they belong to. */
typedef struct FtsHit {
    int64_t id;                  /* article row id */
    char hash[17];               /* public id */
    char *url, *outlet, *published, *title; /* NULL when not stored */
    char *snippet;               /* body excerpt with matches between the markers */
    int64_t story;               /* thread number, 0 if not grouped yet */
    double score;                /* BM25 (higher is better); OR-fallback hits score below
                                    every all-terms hit */
    int all_terms;               /* 1: matched every clause; 0: found by the OR fallback */
} FtsHit;

typedef struct FtsHits {
    FtsHit *v;
    size_t n, cap;
    char *expr;                  /* the FTS5 expression that was run (all terms) */
} FtsHits;
void fts_hits_free(FtsHits *h);

/*
 * Runs query q over the store in up to four passes, each ranked by BM25
 * (title over lead over body) below the one before: the articles with all
 * the query's words close together; with every clause as written (a name
 * in the spellings most of its mentions use); with every clause, names in
 * any stored spelling; then (when still fewer than the limit and the query
 * has several clauses) with some clause. Spellings are passes rather than
 * OR-ed alternatives because BM25 would weigh a rare spelling above a
 * common one. A word sequence (up to 4 words) whose name key is a stored
 * entity key is a name: it matches as a phrase or as any stored spelling
 * the name matcher accepts (names_match), so other spellings of the name
 * count. Each hit's snippet is about 24 words of its body around the
 * query's words (fts_snippet.c).
 */
rasd_err fts_search(struct Store *st, const FtsQuery *q, const FtsOptions *o, FtsHits *out,
                    rasd_error *err);

/* Expression modes: every clause (names with their other spellings), some
   clause, every word close together, every clause as written (names in
   their major spellings). */
enum { FTS_ALL, FTS_ANY, FTS_NEAR, FTS_ALL_OWN };
/* Builds the FTS5 match expression of q in mode into out, adding names'
   stored spellings when st is not NULL. Returns RASD_OK, RASD_EINVAL when
   no positive clause has a token, RASD_ENOTFOUND (nothing written, err
   untouched) when FTS_NEAR does not apply (fewer than two words, or OR). */
rasd_err fts_expression(struct Store *st, const FtsQuery *q, int mode, Buf *out,
                        rasd_error *err);

/* One stored article as fts_each_article gives it; fields valid during the call. */
typedef struct FtsArticle {
    int64_t id;                   /* row id */
    const char *hash;             /* public id */
    const char *url, *outlet, *published, *title, *body; /* NULL when not stored (body never) */
    int64_t story;                /* thread number, 0 if none yet */
} FtsArticle;
/* Calls fn for each of the n articles ids (in that order; missing ids are
   skipped); stops when fn returns non-zero. For exports. */
rasd_err fts_each_article(struct Store *st, const int64_t *ids, size_t n,
                          int (*fn)(void *ctx, const FtsArticle *a), void *ctx, rasd_error *err);

#endif
