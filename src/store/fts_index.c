/*
 * fts_index.c — the search index side of store/fts.h: the light stem, the
 * token stream (fts_tokens) and the "rasd" FTS5 tokenizer built on it, the
 * schema, indexing, the tokenizer version check and rebuilds. The token
 * scheme is described at the top of fts.c.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "fts_int.h"
#include "store.h"
#include "text/text.h"

#define FTS_STR2(x) #x
#define FTS_STR(x) FTS_STR2(x)

/* ---- light stem ------------------------------------------------------- */

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

size_t fts_nchars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

void fts_light_stem(const rasd_token *t, Buf *out)
{
    if (t->type != RASD_TOK_ARABIC || t->pre_len + t->suf_len >= t->key_len) {
        buf_append(out, t->key, t->key_len);
        return;
    }
    char w[256];
    uint8_t suf = t->suf_len;
    size_t pre = t->pre_len;
    /* a proclitic ك ("like") not followed by ال is more often the word's own
       first letter (the text core splits كورونا as ك+ورو+نا): keep it, so
       كورونا, بكورونا and وكورونا share a stem */
    if (pre >= 2 && memcmp(t->key + pre - 2, "ك", 2) == 0)
        pre -= 2;
    /* a final ه split off as "his" may be a ta marbuta written ه (المكرمه):
       keys fold ة to ه, so keep it either way and both spellings meet */
    if (suf == 2 && ends_with(t->key, t->key_len, "ه"))
        suf = 0;
    size_t n = t->key_len - pre - suf;
    if (n + 2 > sizeof w) {
        buf_append(out, t->key, t->key_len);
        return;
    }
    memcpy(w, t->key + pre, n);
    /* سيارت+هم: the ta marbuta written as ت before an enclitic */
    if (suf && ends_with(w, n, "ت"))
        memcpy(w + n - 2, "ه", 2);
    size_t c = fts_nchars(w, n);
    if (c >= 5 && (ends_with(w, n, "يون") || ends_with(w, n, "يين")))
        n -= 4; /* nisba plurals: سعوديين → سعودي */
    else if (c >= 5 && ends_with(w, n, "ات"))
        memcpy(w + n - 4, "ه", 2), n -= 2; /* feminine plural to singular: طالبات → طالبه */
    buf_append(out, w, n);
}

/* ---- the tokenizer ---------------------------------------------------- */

typedef struct Tok {
    rasd_text *tx; /* text core context, one per FTS5 table instance */
    Buf buf;       /* token scratch */
    int snowball;  /* tokenize='rasd snowball': the text core's Snowball stem
                      instead of the light stem (for measuring, tools/eval_search.c) */
    struct Feed *feed; /* the connection's fed documents (fts_feed) */
} Tok;

typedef int (*TokenFn)(void *, int, const char *, int, int, int);

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    Tok *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    if (rasd_text_new(&t->tx, NULL) != RASD_OK) {
        free(t);
        return SQLITE_NOMEM;
    }
    t->snowball = argc > 0 && strcmp(argv[0], "snowball") == 0;
    t->feed = ctx;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    Tok *t = (Tok *)p;
    if (!t)
        return;
    rasd_text_free(t->tx);
    buf_free(&t->buf);
    free(t);
}

/* The keys column: "\x01" then one key a line; each key is one token. */
static int keys_tokens(const char *s, size_t n, Buf *tmp, FtsTokenFn fn, void *ctx)
{
    int rc = 0;
    for (size_t i = 1; i < n && !rc;) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i) {
            buf_reset(tmp);
            buf_putc(tmp, KEYS_MARK);
            buf_append(tmp, s + i, e - i);
            if (tmp->oom)
                return -1;
            rc = fn(ctx, tmp->data, tmp->len, (uint32_t)i, (uint32_t)e, 0);
        }
        i = e + 1;
    }
    return rc;
}

/* The stream of an analysed document d whose text is s[shift, shift + n)
   (shift: a BOM the text core dropped), tokens [from, to) of d, offsets
   moved by base (a tail analysed on its own). */
static int doc_tokens(const rasd_doc *d, size_t from, size_t to, uint32_t shift, uint32_t base,
                      size_t n, int flags, Buf *buf, FtsTokenFn fn, void *ctx)
{
    int query = (flags & FTS_TOK_QUERY) != 0, exact = (flags & FTS_TOK_EXACT) != 0;
    const rasd_token *tk = rasd_doc_tokens(d);
    int rc = 0;
    for (size_t i = from; i < to && !rc; i++) {
        const rasd_token *x = &tk[i];
        if (x->type == RASD_TOK_PUNCT || x->key_len == 0)
            continue;
        uint32_t a = x->start + shift + base, b = x->end + shift + base;
        if (b > n)
            b = (uint32_t)n;
        if (a > b)
            a = b;
        buf_reset(buf);
        if (!exact) {
            if ((flags & FTS_TOK_SNOWBALL) && x->type == RASD_TOK_ARABIC)
                buf_append(buf, x->stem, x->stem_len);
            else
                fts_light_stem(x, buf);
            if (buf->oom)
                break;
            rc = fn(ctx, buf->data, buf->len, a, b, 0);
            if (query || rc)
                continue;
            buf_reset(buf);
        }
        buf_putc(buf, '=');
        buf_append(buf, x->key, x->key_len);
        if (buf->oom)
            break;
        rc = fn(ctx, buf->data, buf->len, a, b, !exact);
    }
    if (!rc && buf->oom)
        rc = -1;
    return rc;
}

int fts_tokens(rasd_text *tx, const char *s, size_t n, int flags, Buf *buf, FtsTokenFn fn,
               void *ctx)
{
    if (!n)
        return 0;
    if (s[0] == KEYS_MARK)
        return keys_tokens(s, n, buf, fn, ctx);
    rasd_doc *d = NULL;
    if (rasd_text_analyse(tx, s, n, &d, NULL) != RASD_OK)
        return -1;
    /* a BOM at the start is dropped by the text core: offsets shift by it */
    uint32_t shift = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int rc = doc_tokens(d, 0, rasd_doc_ntokens(d), shift, 0, n, flags, buf, fn, ctx);
    rasd_doc_free(d);
    return rc;
}

/* ---- tokens handed over by the writer (fts_feed) ---------------------- */

/* One per connection (the tokenizer's registration context): the analysed
   documents whose texts the statement being run is about to index. */
typedef struct Feed {
    const rasd_doc *const *docs;
    size_t n;
    size_t hint;         /* the document matched last: rows come in order */
} Feed;

/* The fed document whose text is s or starts with s (the lead column), or NULL. */
static const rasd_doc *feed_find(Feed *f, const char *s, size_t n)
{
    for (size_t k = 0; f && k < f->n; k++) {
        size_t i = (f->hint + k) % f->n;
        size_t len = 0;
        const char *t = rasd_doc_text(f->docs[i], &len);
        if (len >= n && memcmp(t, s, n) == 0) {
            f->hint = i;
            return f->docs[i];
        }
    }
    return NULL;
}

/* The stream of s, a prefix of d's text: d's tokens up to the last space of
   s, then the rest analysed alone (what analysing s would give: tokens do
   not reach across a space). -2 when a token of d spans that space. */
static int prefix_tokens(rasd_text *tx, const rasd_doc *d, const char *s, size_t n, int flags,
                         Buf *buf, FtsTokenFn fn, void *ctx)
{
    size_t cut = n;
    while (cut > 0 && s[cut - 1] != ' ' && s[cut - 1] != '\n')
        cut--;
    const rasd_token *tk = rasd_doc_tokens(d);
    size_t nt = rasd_doc_ntokens(d), k = 0;
    while (k < nt && tk[k].end <= cut)
        k++;
    if (k < nt && tk[k].start < cut)
        return -2;
    int rc = doc_tokens(d, 0, k, 0, 0, n, flags, buf, fn, ctx);
    if (rc || cut == n)
        return rc;
    rasd_doc *tail = NULL;
    if (rasd_text_analyse(tx, s + cut, n - cut, &tail, NULL) != RASD_OK)
        return -1;
    rc = doc_tokens(tail, 0, rasd_doc_ntokens(tail), 0, (uint32_t)cut, n, flags, buf, fn, ctx);
    rasd_doc_free(tail);
    return rc;
}

/* fts_tokens to FTS5: token flags and int offsets */
typedef struct Fts5Out {
    void *ctx;
    TokenFn emit;
} Fts5Out;

static int to_fts5(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    Fts5Out *o = ctx;
    return o->emit(o->ctx, coloc ? FTS5_TOKEN_COLOCATED : 0, tok, (int)len, (int)a, (int)b);
}

int fts_fed_tokens(rasd_text *tx, const rasd_doc *d, const char *s, size_t n, int flags,
                   Buf *buf, FtsTokenFn fn, void *ctx)
{
    size_t len = 0;
    rasd_doc_text(d, &len);
    if (len == n) /* the annotation analysed this very text: its tokens, not a second analysis */
        return doc_tokens(d, 0, rasd_doc_ntokens(d), 0, 0, n, flags, buf, fn, ctx);
    return prefix_tokens(tx, d, s, n, flags, buf, fn, ctx);
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *s, int n, TokenFn emit)
{
    Tok *t = (Tok *)p;
    if (n <= 0)
        return SQLITE_OK;
    int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int f = (query ? FTS_TOK_QUERY : 0) | (query && s[0] == '=' ? FTS_TOK_EXACT : 0) |
            (t->snowball ? FTS_TOK_SNOWBALL : 0);
    Fts5Out o = {ctx, emit};
    int rc = -2;
    const rasd_doc *d = query || s[0] == KEYS_MARK ? NULL : feed_find(t->feed, s, (size_t)n);
    if (d)
        rc = fts_fed_tokens(t->tx, d, s, (size_t)n, f, &t->buf, to_fts5, &o);
    if (rc == -2)
        rc = fts_tokens(t->tx, s, (size_t)n, f, &t->buf, to_fts5, &o);
    return rc < 0 ? SQLITE_NOMEM : rc;
}

rasd_err fts_register(sqlite3 *db, rasd_error *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2)
        return rasd_fail(err, RASD_EDB, "this SQLite has no FTS5: search is unavailable");
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    Feed *feed = calloc(1, sizeof *feed); /* freed by SQLite with the connection */
    if (!feed)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (api->xCreateTokenizer(api, "rasd", feed, &tok, free) != SQLITE_OK)
        return rasd_fail(err, RASD_EDB, "cannot register the rasd search tokenizer: %s",
                         sqlite3_errmsg(db));
    return RASD_OK;
}

/* The connection's feed, from the tokenizer's registration. */
static Feed *feed_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    void *ud = NULL;
    fts5_tokenizer tk;
    if (!api || api->xFindTokenizer(api, "rasd", &ud, &tk) != SQLITE_OK)
        return NULL;
    return ud;
}

void fts_feed(Store *s, const rasd_doc *const *docs, size_t n)
{
    sqlite3 *db = store_sqlite(s);
    Feed *f = db ? feed_of(db) : NULL;
    if (!f)
        return; /* no index, or the tokenizer analyses every text itself */
    f->docs = docs;
    f->n = docs ? n : 0;
    f->hint = 0;
}

/* ---- schema and indexing ---------------------------------------------- */

const char fts_migration_sql[] =
    /* search: what is indexed (a view, so FTS5 reads snippets from the
       articles table itself) and the index over it, backfilled at once */
    "CREATE VIEW IF NOT EXISTS fts_articles AS SELECT a.id AS id,"
    "  coalesce(a.title, '') AS title, substr(a.body, 1, 400) AS lead, a.body AS body,"
    "  char(1) || coalesce((SELECT group_concat(m.key, char(10)) FROM mentions m"
    "                       WHERE m.article = a.id), '') AS keys"
    "  FROM articles a;"
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(title, lead, body, keys,"
    "  content='fts_articles', content_rowid='id', tokenize='rasd');"
    "INSERT INTO article_fts(article_fts) VALUES('rebuild');"
    "INSERT OR REPLACE INTO article_fts_config(k, v) VALUES ('rasd-tokens', "
    FTS_STR(FTS_TOKENS_VERSION) ");";

rasd_err fts_fail(sqlite3 *db, rasd_error *err, const char *what)
{
    return rasd_fail(err, RASD_EDB, "search index: %s: %s", what, sqlite3_errmsg(db));
}

rasd_err fts_index_article(sqlite3 *db, int64_t rowid, const char *title, const char *body,
                           const char *keys, rasd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO article_fts(rowid, title, lead, body, keys)"
                           " VALUES (?1, coalesce(?2, ''), substr(?3, 1, 400), ?3,"
                           " char(1) || coalesce(?4, ''))",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "indexing an article");
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, body ? body : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, keys, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : fts_fail(db, err, "indexing an article");
}

/* The store's SQLite connection, or an error: search needs the SQLite store. */
sqlite3 *fts_need_db(Store *s, rasd_error *err, rasd_err *e)
{
    sqlite3 *db = store_sqlite(s);
    *e = db ? RASD_OK
            : rasd_fail(err, RASD_EINVAL, "full-text search needs an SQLite store (rasd.db)");
    return db;
}

/* Indexes the stored articles whose row id is rowid (only) or >= rowid (from). */
static rasd_err index_rows(Store *s, int64_t rowid, int from, rasd_error *err)
{
    sqlite3 *db = store_sqlite(s);
    if (!db)
        return RASD_OK; /* another store implementation: no index to keep */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           from ? "INSERT INTO article_fts(rowid, title, lead, body, keys)"
                                  " SELECT id, title, lead, body, keys FROM fts_articles"
                                  " WHERE id >= ?1"
                                : "INSERT INTO article_fts(rowid, title, lead, body, keys)"
                                  " SELECT id, title, lead, body, keys FROM fts_articles"
                                  " WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "indexing articles");
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : fts_fail(db, err, "indexing articles");
}

rasd_err fts_index_stored(Store *s, int64_t rowid, rasd_error *err)
{
    return index_rows(s, rowid, 0, err);
}

rasd_err fts_index_stored_from(Store *s, int64_t first, rasd_error *err)
{
    return index_rows(s, first, 1, err);
}

rasd_err fts_unindex_stored(Store *s, int64_t rowid, int *was, rasd_error *err)
{
    *was = 0;
    sqlite3 *db = store_sqlite(s);
    if (!db)
        return RASD_OK;
    /* only a row the index holds: a batch indexes its chunk after storing it
       (fts_index_stored_from), and FTS5's delete of values it never indexed
       corrupts the index ("database disk image is malformed"). FTS5 keeps
       one docsize row per indexed row. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM article_fts_docsize WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return fts_fail(db, err, "unindexing an article");
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return RASD_OK;
    if (rc != SQLITE_ROW)
        return fts_fail(db, err, "unindexing an article");
    /* external content: FTS5 removes a row given the values it indexed */
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO article_fts(article_fts, rowid, title, lead, body, keys)"
                           " SELECT 'delete', id, title, lead, body, keys FROM fts_articles"
                           " WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "unindexing an article");
    sqlite3_bind_int64(st, 1, rowid);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fts_fail(db, err, "unindexing an article");
    *was = 1;
    return RASD_OK;
}

/* The index's FTS_TOKENS_VERSION, kept as a row of FTS5's own config table
   (FTS5 ignores keys it does not know): 0 when none is recorded. */
static int tokens_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(db, "SELECT v FROM article_fts_config WHERE k = 'rasd-tokens'", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char version_sql[] =
    "INSERT OR REPLACE INTO article_fts_config(k, v) VALUES ('rasd-tokens', ?1)";

/* Records FTS_TOKENS_VERSION as the index's version. */
static int set_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, version_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(st, 1, FTS_TOKENS_VERSION);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

rasd_err fts_check_version(sqlite3 *db, rasd_error *err)
{
    int v = tokens_version(db);
    if (v < 0)
        return fts_fail(db, err, "reading the index version");
    if (v == FTS_TOKENS_VERSION)
        return RASD_OK;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fts_fail(db, err, "rebuild for this version");
    /* another process may have rebuilt it meanwhile */
    int ok = tokens_version(db) == FTS_TOKENS_VERSION ||
             (sqlite3_exec(db, "INSERT INTO article_fts(article_fts) VALUES('rebuild')", NULL,
                           NULL, NULL) == SQLITE_OK &&
              set_version(db) == 0);
    if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return RASD_OK;
    rasd_err e = fts_fail(db, err, "rebuild for this version");
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

rasd_err fts_reindex(Store *s, rasd_error *err)
{
    rasd_err ne;
    sqlite3 *db = fts_need_db(s, err, &ne);
    if (!db)
        return ne;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fts_fail(db, err, "rebuild");
    if (sqlite3_exec(db, "INSERT INTO article_fts(article_fts) VALUES('rebuild')", NULL, NULL,
                     NULL) != SQLITE_OK ||
        set_version(db) != 0) {
        rasd_err e = fts_fail(db, err, "rebuild");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return e;
    }
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? RASD_OK
                                                                      : fts_fail(db, err, "rebuild");
}
