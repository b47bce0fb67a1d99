/*
 * fuzz_search_query.c — libFuzzer target for the search query parser and
 * expression builder (src/store/fts.c) and the token stream (fts_tokens,
 * src/store/fts_index.c): any bytes through fts_tokens, fts_parse_query,
 * then every expression mode run as a MATCH against an in-memory FTS5 table
 * with the rasd tokenizer, checking that user text is never read as FTS5
 * syntax.
 *
 *   make build/fuzz/fuzz_search_query
 *   build/fuzz/fuzz_search_query -max_total_time=60 build/fuzz/corpus-fuzz_search_query
 *
 * Invariants checked:
 *   - parsing succeeds or fails with RASD_EINVAL / RASD_ENOMEM, never else;
 *   - every clause lies inside the cleaned query text, which is valid UTF-8;
 *   - a parsed query has a positive clause;
 *   - each expression (all, some, near, as written) either is not built
 *     (RASD_EINVAL: only stopwords or punctuation; RASD_ENOTFOUND: no NEAR
 *     form) or is accepted by FTS5: the MATCH may find nothing but never
 *     fails with a syntax error;
 *   - rasd's own snippet (fts_snippet.c) of the input as a body (cleaned to
 *     UTF-8, as stored bodies are) and of a fixed body, for the terms of the
 *     all-words expression: valid UTF-8, no longer than the body plus the
 *     markers and ellipses it may add.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/fts.h"
#include "store/fts_int.h"
#include "text/text.h"

#define REQUIRE(cond, ...)                                                       \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "fuzz_search_query: invariant failed: %s: ", #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

static sqlite3 *db;

static void setup(void)
{
    if (db)
        return;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    REQUIRE(fts_register(db, NULL) == RASD_OK, "register");
    REQUIRE(sqlite3_exec(db,
                         "CREATE VIRTUAL TABLE article_fts USING fts5(title, lead, body, keys,"
                         " tokenize='rasd');"
                         "INSERT INTO article_fts VALUES ('كوريا الشمالية', 'بيونغ يانغ',"
                         " 'قالت واشنطن إن موسكو تفاوض بيونغ يانغ على الذخائر 2216', '\x01بنكنك');",
                         NULL, NULL, NULL) == SQLITE_OK,
            "%s", sqlite3_errmsg(db));
}

/* fts_tokens: every token non-empty and inside the text */
static int check_token(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    size_t n = *(const size_t *)ctx;
    REQUIRE(tok && len > 0, "empty token");
    REQUIRE(a <= b && b <= n, "token %u-%u outside %zu bytes", a, b, n);
    (void)coloc;
    return 0;
}

static void tokens(const uint8_t *data, size_t size)
{
    static rasd_text *tx;
    if (!tx)
        REQUIRE(rasd_text_new(&tx, NULL) == RASD_OK, "text context");
    Buf scratch = {0};
    static const int flags[] = {0, FTS_TOK_QUERY, FTS_TOK_QUERY | FTS_TOK_EXACT, FTS_TOK_SNOWBALL};
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        int rc = fts_tokens(tx, (const char *)data, size, flags[f], &scratch, check_token, &size);
        REQUIRE(rc == 0 || rc == -1, "fts_tokens returned %d", rc);
    }
    buf_free(&scratch);
}

/* fts_snippet of body for expr's terms */
static void snippet(const char *expr, const char *body, size_t len)
{
    static rasd_text *tx;
    if (!tx)
        REQUIRE(rasd_text_new(&tx, NULL) == RASD_OK, "text context");
    FtsTerms t;
    if (fts_terms(tx, expr, &t) != 0)
        return;
    char *s = fts_snippet(tx, &t, body, len, "<m>", "</m>");
    if (s) {
        size_t n = strlen(s);
        Buf clean = {0};
        REQUIRE(utf8_clean(s, n, &clean) == 0 && clean.len == n, "snippet is not valid UTF-8");
        buf_free(&clean);
        REQUIRE(n <= len + 2 * 3 + 200 * 7, "snippet of %zu bytes from a %zu-byte body", n, len);
    }
    free(s);
    fts_terms_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    tokens(data, size);
    FtsQuery q;
    rasd_error err;
    rasd_err e = fts_parse_query((const char *)data, size, &q, &err);
    REQUIRE(e == RASD_OK || e == RASD_EINVAL || e == RASD_ENOMEM, "parse returned %d", e);
    if (e != RASD_OK)
        return 0;
    size_t tn = strlen(q.text), pos = 0;
    Buf clean = {0};
    REQUIRE(utf8_clean(q.text, tn, &clean) == 0, "query text is not valid UTF-8");
    buf_free(&clean);
    for (size_t i = 0; i < q.n; i++) {
        REQUIRE(q.clauses[i].len > 0 && q.clauses[i].start + q.clauses[i].len <= tn,
                "clause %zu out of bounds", i);
        pos += !q.clauses[i].negated;
    }
    REQUIRE(pos > 0, "no positive clause");
    static const int modes[] = {FTS_ALL, FTS_ANY, FTS_NEAR, FTS_ALL_OWN};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        Buf x = {0};
        e = fts_expression(NULL, &q, modes[m], &x, &err);
        REQUIRE(e == RASD_OK || e == RASD_EINVAL || e == RASD_ENOTFOUND || e == RASD_ENOMEM,
                "expression returned %d", e);
        if (e == RASD_OK) {
            sqlite3_stmt *st;
            REQUIRE(sqlite3_prepare_v2(db, "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1",
                                       -1, &st, NULL) == SQLITE_OK, "prepare");
            sqlite3_bind_text(st, 1, x.data, (int)x.len, SQLITE_STATIC);
            int rc;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                ;
            REQUIRE(rc == SQLITE_DONE, "FTS5 refused the expression %s: %s", x.data,
                    sqlite3_errmsg(db));
            sqlite3_finalize(st);
            if (modes[m] == FTS_ALL) {
                static const char fixed[] =
                    "قالت واشنطن إن موسكو تفاوض بيونغ يانغ على الذخائر 2216 في جنيف، وقال";
                Buf body = {0};
                utf8_clean((const char *)data, size, &body);
                snippet(x.data, body.data ? body.data : "", body.len);
                snippet(x.data, fixed, sizeof fixed - 1);
                buf_free(&body);
            }
        }
        buf_free(&x);
    }
    fts_query_free(&q);
    return 0;
}
