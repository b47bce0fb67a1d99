/*
 * fts.c — Arabic full-text search: the "rasd" FTS5 tokenizer, the schema,
 * indexing, the query parser and the search with filters and snippets.
 *
 * Token scheme. The tokenizer runs the text core (rasd_text_analyse) over
 * the column text and, for every word, number or Latin token, emits at one
 * position:
 *   - its light stem (fts_light_stem): the normalised key with the clitics
 *     the text core marked removed, a feminine plural ات turned into the
 *     singular's ة (written ه in keys) and a nisba plural يين/يون into ي.
 *     The text core's Snowball stem is deliberately not used: it reduces
 *     اصلاحات to صلح (and so finds صالح and صلاح) and merges الطالبان with
 *     طالبات, and a bare suffix stripper would make طالبات the verb طالب;
 *     the light stem keeps them apart (measured in BENCHMARKS.md).
 *   - "=" + the full key, colocated, so =word queries match surface forms.
 * Keys already fold diacritics, tatweel, hamza/alef, ya/alef maqsura, ta
 * marbuta and Arabic-Indic digits, so those never matter in a query.
 * The third column holds the article's entity keys: text starting with
 * \x01, one key a line, each emitted whole as "\x01" + key; --entity
 * filters on it. Names in a query: a word sequence (up to 4 words) whose
 * name key is a stored mention key is searched as a phrase OR any stored
 * spelling with that key that the name matcher accepts (names_match), so
 * بيونغ يانغ finds بيونج يانج and غوغل finds جوجل and قوقل, while the
 * key's looser collisions (سوروج / سراج) stay out.
 *
 * Queries go through the same tokenizer (FTS5 tokenizes each quoted string
 * of the match expression), in query mode: stems only, or "=" keys when the
 * string starts with "=". The parser (fts_parse_query) reads a small,
 * forgiving grammar and the expression builder quotes everything, so no
 * user text is ever read as FTS5 syntax.
 *
 * Columns: title, lead (the body's first 400 characters: news puts its
 * subject there), body, keys. Ranking is FTS5's BM25 weighted 3, 1, 1 (the
 * keys column only filters), in passes that each rank below the one before
 * (fts_search): all words within FTS_NEAR_TOKENS; every clause as written;
 * names in any stored spelling; then, if hits are still short, some clause.
 * Spellings come in a pass of their own because BM25 would weigh a rare
 * spelling's IDF above the query's own. The weights and passes were chosen
 * on the tune half of the judged queries (BENCHMARKS.md "Search").
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "store.h"
#include "annotate/names.h"
#include "text/text.h"

#define KEYS_MARK '\x01'
#define MAX_NAME_WORDS 4
#define MAX_SPELLINGS 12 /* other spellings of a name added to a query */
#define FTS_NEAR_TOKENS 8 /* words of a query this close rank first */
#define FTS_W_TITLE 3.0   /* BM25 column weights: title, lead, body */
#define FTS_W_LEAD 1.0
#define FTS_W_BODY 1.0
#define MIN_KEY_LETTERS 4 /* a name key this long identifies a name by itself */

/* ---- light stem ------------------------------------------------------- */

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static size_t nchars(const char *s, size_t n)
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
    /* a final ه split off as "his" may be a ta marbuta written ه (المكرمه):
       keys fold ة to ه, so keep it either way and both spellings meet */
    if (suf == 2 && ends_with(t->key, t->key_len, "ه"))
        suf = 0;
    size_t n = t->key_len - t->pre_len - suf;
    if (n + 2 > sizeof w) {
        buf_append(out, t->key, t->key_len);
        return;
    }
    memcpy(w, t->key + t->pre_len, n);
    /* سيارت+هم: the ta marbuta written as ت before an enclitic */
    if (suf && ends_with(w, n, "ت"))
        memcpy(w + n - 2, "ه", 2);
    size_t c = nchars(w, n);
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
static int tok_keys(const char *s, int n, void *ctx, TokenFn emit)
{
    int rc = SQLITE_OK;
    char tmp[512];
    for (int i = 1; i < n && rc == SQLITE_OK;) {
        int e = i;
        while (e < n && s[e] != '\n')
            e++;
        int len = e - i;
        if (len > 0 && len < (int)sizeof tmp - 1) {
            tmp[0] = KEYS_MARK;
            memcpy(tmp + 1, s + i, (size_t)len);
            rc = emit(ctx, 0, tmp, len + 1, i, e);
        }
        i = e + 1;
    }
    return rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *s, int n, TokenFn emit)
{
    Tok *t = (Tok *)p;
    if (n <= 0)
        return SQLITE_OK;
    if (s[0] == KEYS_MARK)
        return tok_keys(s, n, ctx, emit);
    int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int exact = query && s[0] == '=';
    rasd_doc *d = NULL;
    if (rasd_text_analyse(t->tx, s, (size_t)n, &d, NULL) != RASD_OK)
        return SQLITE_NOMEM;
    /* a BOM at the start is dropped by the text core: offsets shift by it */
    uint32_t shift = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t nt = rasd_doc_ntokens(d);
    const rasd_token *tk = rasd_doc_tokens(d);
    int rc = SQLITE_OK;
    for (size_t i = 0; i < nt && rc == SQLITE_OK; i++) {
        const rasd_token *x = &tk[i];
        if (x->type == RASD_TOK_PUNCT || x->key_len == 0)
            continue;
        int a = (int)(x->start + shift), b = (int)(x->end + shift);
        if (b > n)
            b = n;
        if (a > b)
            a = b;
        buf_reset(&t->buf);
        if (!exact) {
            if (t->snowball && x->type == RASD_TOK_ARABIC)
                buf_append(&t->buf, x->stem, x->stem_len);
            else
                fts_light_stem(x, &t->buf);
            if (t->buf.oom)
                break;
            rc = emit(ctx, 0, t->buf.data, (int)t->buf.len, a, b);
            if (query || rc != SQLITE_OK)
                continue;
            buf_reset(&t->buf);
        }
        buf_putc(&t->buf, '=');
        buf_append(&t->buf, x->key, x->key_len);
        if (t->buf.oom)
            break;
        rc = emit(ctx, exact ? 0 : FTS5_TOKEN_COLOCATED, t->buf.data, (int)t->buf.len, a, b);
    }
    if (rc == SQLITE_OK && t->buf.oom)
        rc = SQLITE_NOMEM;
    rasd_doc_free(d);
    return rc;
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
    if (api->xCreateTokenizer(api, "rasd", NULL, &tok, NULL) != SQLITE_OK)
        return rasd_fail(err, RASD_EDB, "cannot register the rasd search tokenizer: %s",
                         sqlite3_errmsg(db));
    return RASD_OK;
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
    "INSERT INTO article_fts(article_fts) VALUES('rebuild');";

static rasd_err fts_fail(sqlite3 *db, rasd_error *err, const char *what)
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
static sqlite3 *need_db(Store *s, rasd_error *err, rasd_err *e)
{
    sqlite3 *db = store_sqlite(s);
    *e = db ? RASD_OK
            : rasd_fail(err, RASD_EINVAL, "full-text search needs an SQLite store (rasd.db)");
    return db;
}

rasd_err fts_index_stored(Store *s, int64_t rowid, rasd_error *err)
{
    sqlite3 *db = store_sqlite(s);
    if (!db)
        return RASD_OK; /* another store implementation: no index to keep */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO article_fts(rowid, title, lead, body, keys)"
                           " SELECT id, title, lead, body, keys FROM fts_articles WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "indexing an article");
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : fts_fail(db, err, "indexing an article");
}

rasd_err fts_index_stored_from(Store *s, int64_t first, rasd_error *err)
{
    sqlite3 *db = store_sqlite(s);
    if (!db)
        return RASD_OK; /* another store implementation: no index to keep */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO article_fts(rowid, title, lead, body, keys)"
                           " SELECT id, title, lead, body, keys FROM fts_articles WHERE id >= ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "indexing articles");
    sqlite3_bind_int64(st, 1, first);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RASD_OK : fts_fail(db, err, "indexing articles");
}

rasd_err fts_reindex(Store *s, rasd_error *err)
{
    rasd_err ne;
    sqlite3 *db = need_db(s, err, &ne);
    if (!db)
        return ne;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fts_fail(db, err, "rebuild");
    if (sqlite3_exec(db, "INSERT INTO article_fts(article_fts) VALUES('rebuild')", NULL, NULL,
                     NULL) != SQLITE_OK) {
        rasd_err e = fts_fail(db, err, "rebuild");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return e;
    }
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? RASD_OK
                                                                      : fts_fail(db, err, "rebuild");
}

/* ---- the query parser ------------------------------------------------- */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void fts_query_free(FtsQuery *q)
{
    if (!q)
        return;
    free(q->text);
    free(q->clauses);
    memset(q, 0, sizeof *q);
}

static int add_clause(FtsQuery *q, size_t *cap, const FtsClause *c)
{
    if (q->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        FtsClause *v = realloc(q->clauses, nc * sizeof *v);
        if (!v)
            return -1;
        q->clauses = v;
        *cap = nc;
    }
    q->clauses[q->n++] = *c;
    return 0;
}

rasd_err fts_parse_query(const char *src, size_t len, FtsQuery *q, rasd_error *err)
{
    memset(q, 0, sizeof *q);
    Buf b = {0};
    utf8_clean(src, len, &b);
    buf_append(&b, "", 0);
    if (b.oom) {
        buf_free(&b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    q->text = buf_steal(&b);
    const char *s = q->text;
    size_t n = strlen(s), cap = 0, i = 0;
    int pending_or = 0;
    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            break;
        FtsClause c = {0};
        while (i < n && (s[i] == '-' || s[i] == '=')) {
            if (s[i] == '-')
                c.negated = 1;
            else
                c.exact = 1;
            i++;
        }
        size_t a, e;
        if (i < n && s[i] == '"') {
            a = ++i;
            while (i < n && s[i] != '"')
                i++;
            if (i >= n) {
                fts_query_free(q);
                return rasd_fail(err, RASD_EINVAL,
                                 "query: the quote opened at byte %zu is never closed", a - 1);
            }
            e = i++;
            c.phrase = 1;
        } else {
            a = i;
            while (i < n && !is_space(s[i]) && s[i] != '"')
                i++;
            e = i;
        }
        while (a < e && is_space(s[a]))
            a++;
        while (e > a && is_space(s[e - 1]))
            e--;
        if (e == a)
            continue; /* "" or a lone - / = */
        if (!c.phrase && !c.negated && !c.exact && e - a == 2 && memcmp(s + a, "OR", 2) == 0) {
            pending_or = q->n > 0;
            continue;
        }
        c.start = (uint32_t)a;
        c.len = (uint32_t)(e - a);
        if (pending_or && q->n > 0 && !c.negated && !q->clauses[q->n - 1].negated)
            q->clauses[q->n - 1].or_next = 1;
        pending_or = 0;
        if (add_clause(q, &cap, &c) != 0) {
            fts_query_free(q);
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        }
    }
    size_t pos = 0;
    for (size_t k = 0; k < q->n; k++)
        pos += !q->clauses[k].negated;
    if (!pos) {
        fts_query_free(q);
        return rasd_fail(err, RASD_EINVAL, "query: nothing to search for%s",
                         n ? " (only excluded words)" : " (the query is empty)");
    }
    return RASD_OK;
}

/* ---- building the FTS5 expression ------------------------------------- */

/* What the text core sees in a clause: word tokens, and whether all are stopwords. */
typedef struct ClauseInfo {
    size_t words;  /* non-punctuation tokens */
    int all_stop;  /* every word token is a stopword */
} ClauseInfo;

static rasd_err clause_info(rasd_text *tx, const char *s, size_t n, ClauseInfo *ci,
                            rasd_error *err)
{
    rasd_doc *d = NULL;
    rasd_err e = rasd_text_analyse(tx, s, n, &d, err);
    if (e != RASD_OK)
        return e;
    ci->words = 0;
    ci->all_stop = 1;
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        if (t[i].type == RASD_TOK_PUNCT || !t[i].key_len)
            continue;
        ci->words++;
        if (!(t[i].flags & RASD_TF_STOP))
            ci->all_stop = 0;
    }
    rasd_doc_free(d);
    return RASD_OK;
}

/* Appends s as one FTS5 string: "..." with inner quotes doubled. */
static void put_string(Buf *b, const char *prefix, const char *s, size_t n)
{
    buf_putc(b, '"');
    buf_puts(b, prefix);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '"');
}

static size_t count_spaces(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += s[i] == ' ';
    return c;
}

/* Normalised (RASD_NORM_KEY) form of n bytes into out; empty on failure. */
static void norm_key(const char *s, size_t n, Buf *out)
{
    char *k = NULL;
    size_t kn = 0;
    buf_reset(out);
    if (rasd_normalise(s, n, RASD_NORM_KEY, &k, &kn, NULL, NULL) == RASD_OK)
        buf_append(out, k, kn);
    free(k);
}

/*
 * The transliteration class of a normalised spelling, for short names: the
 * letters that render one foreign g (ج غ ق) become one and long vowels
 * after the first letter are dropped; the rest stays. So جوجل = غوغل = قوقل
 * and سوروج = سروج, but كينيا ≠ غينيا ≠ جنيه.
 */
static void translit_class(const char *s, size_t n, Buf *out)
{
    buf_reset(out);
    for (size_t i = 0; i < n;) {
        size_t k = i;
        uint32_t c = utf8_next(s, n, &k);
        if (c == 0x062C || c == 0x063A || c == 0x0642) /* ج غ ق */
            buf_putc(out, 'G');
        else if (i > 0 && (c == 0x0627 || c == 0x0648 || c == 0x064A)) /* ا و ي */
            ;
        else
            buf_append(out, s + i, k - i);
        i = k;
    }
}

/*
 * Is text a name, and what are its other spellings? It is a name when a
 * stored mention has its name key and either, once normalised, its very
 * form, or the key has at least MIN_KEY_LETTERS letters (short keys such as
 * بنك, shared by بنك and بيونغ, collide too often to be trusted alone).
 * Spellings of a short-keyed name must moreover be the same letter for
 * letter up to the g letters (translit_class): names_match forgives too
 * much in three letters (it takes جنيه for كينيا).
 * Its other spellings are the stored mentions with that key that the
 * stricter matcher (names_match) accepts, most frequent first, appended to
 * alts (when not NULL) as " OR \"spelling\"". The key alone would be too
 * lenient: سوروج and the name سراج share one, so do غانا and كينيا.
 */
static int name_spellings(sqlite3 *db, const char *text, size_t n, Buf *alts)
{
    if (!db)
        return 0;
    Buf key = {0}, self = {0}, other = {0}, found = {0}, cs = {0}, co = {0};
    sqlite3_stmt *st = NULL;
    int is_name = 0, added = 0;
    int short_key = 0;
    if (names_key(text, n, &key) == 0 && key.len &&
        sqlite3_prepare_v2(db,
                           "SELECT text FROM mentions WHERE key = ?1 GROUP BY text"
                           " ORDER BY count(*) DESC LIMIT 64",
                           -1, &st, NULL) == SQLITE_OK) {
        norm_key(text, n, &self);
        short_key = nchars(key.data, key.len) - count_spaces(key.data, key.len) < MIN_KEY_LETTERS;
        if (short_key)
            translit_class(self.data ? self.data : "", self.len, &cs);
        sqlite3_bind_text(st, 1, key.data, (int)key.len, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *v = (const char *)sqlite3_column_text(st, 0);
            size_t vn = (size_t)sqlite3_column_bytes(st, 0);
            if (!v)
                continue;
            norm_key(v, vn, &other);
            if (other.len == self.len && self.len && !memcmp(other.data, self.data, self.len)) {
                is_name = 1;
                continue;
            }
            int same = 1;
            if (short_key) {
                translit_class(other.data ? other.data : "", other.len, &co);
                same = co.len == cs.len && !memcmp(co.data ? co.data : "", cs.data ? cs.data : "",
                                                   cs.len);
            }
            /* a part of the name (هادي for عبدربه منصور هادي) names others too */
            if (count_spaces(other.data ? other.data : "", other.len) <
                count_spaces(self.data ? self.data : "", self.len))
                same = 0;
            if (same && added < MAX_SPELLINGS && !memchr(v, '"', vn) &&
                names_match(text, n, v, vn) == 1) {
                buf_puts(&found, " OR ");
                put_string(&found, "", v, vn);
                added++;
            }
        }
        sqlite3_finalize(st);
    }
    if (!is_name && added && nchars(key.data, key.len) - count_spaces(key.data, key.len) >=
                                 MIN_KEY_LETTERS)
        is_name = 1;
    if (is_name && alts && found.len)
        buf_append(alts, found.data, found.len);
    buf_free(&key), buf_free(&self), buf_free(&other), buf_free(&found);
    buf_free(&cs), buf_free(&co);
    return is_name;
}

typedef struct Unit {
    size_t first, count; /* clauses [first, first+count) */
    int skip;            /* a stopword alone, or no words: left out */
} Unit;

/*
 * Splits the clauses into units: a phrase or exact clause is one unit; a
 * run of plain words is cut greedily into the longest sequences (up to
 * MAX_NAME_WORDS) whose name key is stored, and single words otherwise.
 */
static rasd_err make_units(sqlite3 *db, rasd_text *tx, const FtsQuery *q, Unit *u, size_t *nu,
                           ClauseInfo *ci, rasd_error *err)
{
    for (size_t k = 0; k < q->n; k++) {
        rasd_err e = clause_info(tx, q->text + q->clauses[k].start, q->clauses[k].len, &ci[k], err);
        if (e != RASD_OK)
            return e;
    }
    *nu = 0;
    for (size_t k = 0; k < q->n;) {
        const FtsClause *c = &q->clauses[k];
        size_t take = 1;
        int plain = !c->phrase && !c->exact && !c->negated;
        if (plain && db) {
            for (size_t w = MAX_NAME_WORDS; w >= 2; w--) {
                if (k + w > q->n)
                    continue;
                int ok = !ci[k].all_stop && !ci[k + w - 1].all_stop;
                for (size_t j = k; ok && j < k + w; j++) {
                    const FtsClause *x = &q->clauses[j];
                    ok = !x->phrase && !x->exact && !x->negated && (j + 1 == k + w || !x->or_next);
                }
                if (!ok)
                    continue;
                const FtsClause *last = &q->clauses[k + w - 1];
                if (name_spellings(db, q->text + c->start, last->start + last->len - c->start,
                                   NULL)) {
                    take = w;
                    break;
                }
            }
        }
        u[*nu] = (Unit){k, take, take == 1 && (ci[k].words == 0 || (plain && ci[k].all_stop))};
        (*nu)++;
        k += take;
    }
    return RASD_OK;
}

static void put_unit(sqlite3 *db, const FtsQuery *q, const Unit *u, Buf *b)
{
    const FtsClause *c = &q->clauses[u->first];
    const FtsClause *last = &q->clauses[u->first + u->count - 1];
    const char *a = q->text + c->start;
    size_t n = last->start + last->len - c->start;
    buf_putc(b, '(');
    if (c->exact)
        put_string(b, "=", a, n);
    else
        put_string(b, "", a, n);
    if (!c->exact && !c->negated)
        name_spellings(db, a, n, b);
    buf_putc(b, ')');
}

/* NEAR(p1 p2 ..., FTS_NEAR_TOKENS) of the positive units' own words; empty
   when there are fewer than two or an OR joins some (NEAR takes phrases only). */
static void put_near(const FtsQuery *q, const Unit *u, size_t nu, Buf *out)
{
    size_t pos = 0;
    for (size_t k = 0; k < nu; k++) {
        const FtsClause *c = &q->clauses[u[k].first];
        const FtsClause *last = &q->clauses[u[k].first + u[k].count - 1];
        if (u[k].skip || c->negated)
            continue;
        if (last->or_next || (k > 0 && q->clauses[u[k - 1].first + u[k - 1].count - 1].or_next))
            return;
        pos++;
    }
    if (pos < 2)
        return;
    buf_puts(out, "NEAR(");
    for (size_t k = 0; k < nu; k++) {
        const FtsClause *c = &q->clauses[u[k].first];
        const FtsClause *last = &q->clauses[u[k].first + u[k].count - 1];
        if (u[k].skip || c->negated)
            continue;
        put_string(out, c->exact ? "=" : "", q->text + c->start, last->start + last->len - c->start);
        buf_putc(out, ' ');
    }
    buf_printf(out, ", %d)", FTS_NEAR_TOKENS);
}

rasd_err fts_expression(Store *st, const FtsQuery *q, int mode, Buf *out, rasd_error *err)
{
    sqlite3 *db = st ? store_sqlite(st) : NULL;
    rasd_text *tx = NULL;
    rasd_err e = rasd_text_new(&tx, err);
    if (e != RASD_OK)
        return e;
    Unit *u = calloc(q->n ? q->n : 1, sizeof *u);
    ClauseInfo *ci = calloc(q->n ? q->n : 1, sizeof *ci);
    size_t nu = 0;
    if (!u || !ci)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK)
        e = make_units(db, tx, q, u, &nu, ci, err);
    /* a query of stopwords only searches for them after all */
    int any_pos = 0;
    for (size_t k = 0; e == RASD_OK && k < nu; k++)
        any_pos |= !u[k].skip && !q->clauses[u[k].first].negated;
    for (size_t k = 0; e == RASD_OK && !any_pos && k < nu; k++)
        if (!q->clauses[u[k].first].negated && ci[u[k].first].words)
            u[k].skip = 0, any_pos = 1;
    if (e == RASD_OK && !any_pos)
        e = rasd_fail(err, RASD_EINVAL, "query: no words to search for");
    int any = mode == FTS_ANY;
    sqlite3 *alt_db = mode == FTS_ALL_OWN ? NULL : db; /* names' other spellings */
    if (e == RASD_OK && mode == FTS_NEAR) {
        put_near(q, u, nu, out);
        if (!out->len)
            e = RASD_ENOTFOUND; /* no NEAR form: not an error the caller reports */
    }
    if (e == RASD_OK && mode != FTS_NEAR) {
        buf_putc(out, '(');
        int first = 1, in_or = 0;
        for (size_t k = 0; k < nu; k++) {
            const FtsClause *last = &q->clauses[u[k].first + u[k].count - 1];
            if (u[k].skip || q->clauses[u[k].first].negated) {
                if (in_or && !last->or_next) {
                    buf_putc(out, ')');
                    in_or = 0;
                }
                continue;
            }
            if (!first)
                buf_puts(out, in_or ? " OR " : any ? " OR " : " AND ");
            if (!in_or && last->or_next) {
                buf_putc(out, '(');
                in_or = 1;
            }
            put_unit(alt_db, q, &u[k], out);
            first = 0;
            if (in_or && !last->or_next) {
                buf_putc(out, ')');
                in_or = 0;
            }
        }
        if (in_or)
            buf_putc(out, ')');
        buf_putc(out, ')');
    }
    if (e == RASD_OK) {
        for (size_t k = 0; k < nu; k++) {
            if (u[k].skip || !q->clauses[u[k].first].negated)
                continue;
            buf_puts(out, " NOT ");
            put_unit(db, q, &u[k], out);
        }
        if (out->oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    free(u);
    free(ci);
    rasd_text_free(tx);
    return e;
}

/* Positive units after skipping: more than one means an OR fallback can add hits. */
static int several_clauses(const FtsQuery *q)
{
    size_t pos = 0;
    for (size_t k = 0; k < q->n; k++)
        pos += !q->clauses[k].negated;
    return pos > 1;
}

/* ---- search ----------------------------------------------------------- */

void fts_hits_free(FtsHits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        FtsHit *x = &h->v[i];
        free(x->url);
        free(x->outlet);
        free(x->published);
        free(x->title);
        free(x->snippet);
    }
    free(h->v);
    free(h->expr);
    memset(h, 0, sizeof *h);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

static const char search_sql[] =
    "SELECT a.id, a.hash, a.url, a.outlet, a.published, a.title,"
    "  snippet(article_fts, 2, ?8, ?9, '…', 24), ev.thread,"
    "  bm25(article_fts, ?10, ?11, ?12, 0.0) AS r"
    " FROM article_fts JOIN articles a ON a.id = article_fts.rowid"
    " LEFT JOIN article_event ae ON ae.article = a.id"
    " LEFT JOIN events ev ON ev.id = ae.event"
    " WHERE article_fts MATCH ?1"
    "  AND (?2 IS NULL OR a.published >= ?2)"
    "  AND (?3 IS NULL OR substr(a.published, 1, length(?3)) <= ?3)"
    "  AND (?4 IS NULL OR a.outlet = ?4)"
    "  AND (?5 IS NULL OR ev.thread = ?5)"
    " ORDER BY r LIMIT ?7";

/* Runs one stage (expr) and appends its new hits (not in seen) to out. */
static rasd_err run_stage(sqlite3 *db, const char *expr, const FtsOptions *o, size_t want, int all_terms, IdMap *seen, FtsHits *out, rasd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, search_sql, -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "search");
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, o->since, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, o->until, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, o->outlet, -1, SQLITE_STATIC);
    if (o->story > 0)
        sqlite3_bind_int64(st, 5, o->story);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)(want + seen->n));
    sqlite3_bind_text(st, 8, o->mark_open ? o->mark_open : "[", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, o->mark_close ? o->mark_close : "]", -1, SQLITE_STATIC);
    static const double defaults[3] = {FTS_W_TITLE, FTS_W_LEAD, FTS_W_BODY};
    for (int i = 0; i < 3; i++)
        sqlite3_bind_double(st, 10 + i, o->weights[i] > 0 ? o->weights[i] : defaults[i]);
    rasd_err e = RASD_OK;
    int rc;
    size_t added = 0;
    while (added < want && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        uint32_t *slot = idmap_slot(seen, (uint64_t)id);
        if (!slot) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        if (*slot)
            continue;
        *slot = 1;
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 32;
            FtsHit *v = realloc(out->v, nc * sizeof *v);
            if (!v) {
                e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                break;
            }
            out->v = v;
            out->cap = nc;
        }
        FtsHit *h = &out->v[out->n++];
        memset(h, 0, sizeof *h);
        h->id = id;
        const unsigned char *hash = sqlite3_column_text(st, 1);
        snprintf(h->hash, sizeof h->hash, "%s", hash ? (const char *)hash : "");
        h->url = col_dup(st, 2);
        h->outlet = col_dup(st, 3);
        h->published = col_dup(st, 4);
        h->title = col_dup(st, 5);
        h->snippet = col_dup(st, 6);
        h->story = sqlite3_column_int64(st, 7);
        h->score = -sqlite3_column_double(st, 8);
        h->all_terms = all_terms;
        added++;
    }
    if (e == RASD_OK && added < want && rc != SQLITE_DONE)
        e = fts_fail(db, err, "search");
    sqlite3_finalize(st);
    return e;
}

/* expr := (expr) AND keys : "\x01key" — the entity filter, on the indexed keys */
static void and_key(Buf *expr, const Buf *key)
{
    Buf b = {0};
    char mark[2] = {KEYS_MARK, 0};
    buf_putc(&b, '(');
    buf_append(&b, expr->data, expr->len);
    buf_puts(&b, ") AND keys : ");
    put_string(&b, mark, key->data, key->len);
    buf_free(expr);
    *expr = b;
}

rasd_err fts_search(Store *s, const FtsQuery *q, const FtsOptions *o, FtsHits *out,
                    rasd_error *err)
{
    memset(out, 0, sizeof *out);
    rasd_err ne;
    sqlite3 *db = need_db(s, err, &ne);
    if (!db)
        return ne;
    size_t limit = o->limit ? o->limit : 20;
    size_t want = limit + o->offset;
    if (want < limit)
        return rasd_fail(err, RASD_EINVAL, "search: --limit and offset are too large");
    Buf expr = {0}, ekey = {0};
    rasd_err e = fts_expression(s, q, FTS_ALL, &expr, err);
    if (e == RASD_OK && o->entity && names_key(o->entity, strlen(o->entity), &ekey) != 0)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK && o->entity && !ekey.len)
        e = rasd_fail(err, RASD_EINVAL, "--entity: '%s' has no letters to make a name key",
                      o->entity);
    if (e == RASD_OK && ekey.len)
        and_key(&expr, &ekey);
    IdMap seen = {0};
    /* stage 1: all words within FTS_NEAR_TOKENS of each other */
    if (e == RASD_OK && !o->no_near) {
        Buf near = {0};
        rasd_err xe = fts_expression(s, q, FTS_NEAR, &near, err);
        if (xe == RASD_OK && ekey.len)
            and_key(&near, &ekey);
        if (xe == RASD_OK)
            e = run_stage(db, near.data, o, want, 1, &seen, out, err);
        else if (xe != RASD_ENOTFOUND)
            e = xe;
        buf_free(&near);
    }
    /* stage 2: every clause as written; 3: with names' other spellings;
       4: some clause */
    Buf own = {0};
    for (int stage = 2; stage <= 4 && e == RASD_OK && out->n < want; stage++) {
        if (stage == 4 && (o->all_terms || !several_clauses(q)))
            break;
        Buf x = {0};
        e = fts_expression(s, q, stage == 2 ? FTS_ALL_OWN : stage == 3 ? FTS_ALL : FTS_ANY, &x,
                           err);
        if (e == RASD_OK && stage == 2)
            buf_append(&own, x.data, x.len);
        if (e == RASD_OK && stage == 3 && x.len == own.len && !memcmp(x.data, own.data, x.len)) {
            buf_free(&x);
            continue; /* no other spellings: stage 2 ran it already */
        }
        if (e == RASD_OK && ekey.len)
            and_key(&x, &ekey);
        size_t first = out->n;
        if (e == RASD_OK)
            e = run_stage(db, x.data, o, want - out->n, stage < 4, &seen, out, err);
        /* a later stage's hits rank below every earlier hit */
        double floor = first ? out->v[first - 1].score : 0;
        for (size_t i = first; first && i < out->n; i++)
            if (out->v[i].score >= floor)
                out->v[i].score = floor - 1e-6 * (double)(i - first + 1);
        buf_free(&x);
    }
    buf_free(&own);
    idmap_free(&seen);
    if (e == RASD_OK && o->offset) {
        size_t drop = o->offset < out->n ? o->offset : out->n;
        for (size_t i = 0; i < drop; i++) {
            FtsHit *x = &out->v[i];
            free(x->url), free(x->outlet), free(x->published), free(x->title), free(x->snippet);
        }
        memmove(out->v, out->v + drop, (out->n - drop) * sizeof *out->v);
        out->n -= drop;
    }
    if (e == RASD_OK)
        out->expr = buf_steal(&expr);
    else
        fts_hits_free(out);
    buf_free(&expr);
    buf_free(&ekey);
    return e;
}

rasd_err fts_each_article(Store *s, const int64_t *ids, size_t n,
                          int (*fn)(void *ctx, const FtsArticle *a), void *ctx, rasd_error *err)
{
    rasd_err ne;
    sqlite3 *db = need_db(s, err, &ne);
    if (!db)
        return ne;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT a.id, a.hash, a.url, a.outlet, a.published, a.title, a.body,"
                           "  ev.thread FROM articles a"
                           " LEFT JOIN article_event ae ON ae.article = a.id"
                           " LEFT JOIN events ev ON ev.id = ae.event WHERE a.id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return fts_fail(db, err, "reading articles");
    rasd_err e = RASD_OK;
    for (size_t i = 0; i < n && e == RASD_OK; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            continue;
        if (rc != SQLITE_ROW) {
            e = fts_fail(db, err, "reading articles");
            break;
        }
        FtsArticle a = {sqlite3_column_int64(st, 0),
                        (const char *)sqlite3_column_text(st, 1),
                        (const char *)sqlite3_column_text(st, 2),
                        (const char *)sqlite3_column_text(st, 3),
                        (const char *)sqlite3_column_text(st, 4),
                        (const char *)sqlite3_column_text(st, 5),
                        (const char *)sqlite3_column_text(st, 6),
                        sqlite3_column_int64(st, 7)};
        if (!a.body)
            a.body = "";
        if (fn(ctx, &a))
            break;
    }
    sqlite3_finalize(st);
    return e;
}
