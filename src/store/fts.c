/*
 * fts.c — Arabic full-text search: the query parser and the search with
 * filters and snippets. The light stem, the tokenizer, the schema and
 * indexing are in fts_index.c.
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
 * filters on it. Names in a query (fts_names.c): a word sequence (up to 4 words) whose
 * name key is a stored mention key is searched as a phrase OR any stored
 * spelling with that key that the name matcher accepts (names_match), so
 * بيونغ يانغ finds بيونج يانج and غوغل finds جوجل and قوقل, while the
 * key's looser collisions (سوروج / سراج) stay out. A rare key borrows a much
 * more frequent one a space or a letter away (fuzzy_key), and a rare word
 * the articles space differently is found in the index (space_variant:
 * سنابشات / سناب شات).
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
 * (fts_search): all words within FTS_NEAR_TOKENS; every clause as written,
 * a name in the spellings most of its mentions use (so a rare spelling in
 * the query, بوتن, first finds the articles that write بوتين); names in any
 * stored spelling; then, if hits are still short, some clause. Spellings
 * come in passes of their own because BM25 would weigh a rare spelling's IDF
 * above a common one's. Snippets are rasd's own (fts_snippet.c). The weights
 * and passes were chosen on the tune halves of the judged queries
 * (BENCHMARKS.md "Search").
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "fts_int.h"
#include "sq_col.h"
#include "store.h"
#include "annotate/names.h"
#include "text/text.h"

#define MAX_NAME_WORDS 4
#define FTS_NEAR_TOKENS 8 /* words of a query this close rank first */
#define FTS_W_TITLE 3.0   /* BM25 column weights: title, lead, body */
#define FTS_W_LEAD 1.0
#define FTS_W_BODY 1.0

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

/* Text contexts for reading queries, kept between searches: a new one costs
   a 4 MB stem cache, more than a whole search on 25,000 articles. A few are
   kept for the threads of `rasd serve`; the rest are freed. */
#define TX_POOL 8
static pthread_mutex_t tx_lock = PTHREAD_MUTEX_INITIALIZER;
static rasd_text *tx_pool[TX_POOL];
static size_t tx_free;

static rasd_err tx_get(rasd_text **tx, rasd_error *err)
{
    *tx = NULL;
    pthread_mutex_lock(&tx_lock);
    if (tx_free)
        *tx = tx_pool[--tx_free];
    pthread_mutex_unlock(&tx_lock);
    return *tx ? RASD_OK : rasd_text_new(tx, err);
}

static void tx_put(rasd_text *tx)
{
    pthread_mutex_lock(&tx_lock);
    if (tx_free < TX_POOL) {
        tx_pool[tx_free++] = tx;
        tx = NULL;
    }
    pthread_mutex_unlock(&tx_lock);
    rasd_text_free(tx);
}

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
void fts_put_string(Buf *b, const char *prefix, const char *s, size_t n)
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

size_t fts_count_spaces(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += s[i] == ' ';
    return c;
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
static rasd_err make_units(Names *nm, rasd_text *tx, const FtsQuery *q, Unit *u, size_t *nu,
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
        if (plain && nm && nm->st) {
            for (size_t w = MAX_NAME_WORDS; w >= 2; w--) {
                if (k + w > q->n)
                    continue;
                int ok = 1;
                for (size_t j = k; ok && j < k + w; j++) {
                    const FtsClause *x = &q->clauses[j];
                    ok = !x->phrase && !x->exact && !x->negated && (j + 1 == k + w || !x->or_next);
                }
                const FtsClause *last = &q->clauses[k + w - 1];
                const char *a = q->text + c->start;
                size_t an = last->start + last->len - c->start;
                /* a stopword at either end ends no name, unless the alias
                   table lists the whole sequence (خامنه اي) */
                if (ok && (ci[k].all_stop || ci[k + w - 1].all_stop))
                    ok = fts_alias_given(a, an);
                if (ok && fts_is_name(nm, a, an)) {
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

/* One unit: its words as written, or (major) the spellings most mentions of
   the name use, or (alts) with every other accepted spelling too. */
enum { UNIT_OWN, UNIT_MAJOR, UNIT_ALL };
static void put_unit(Names *nm, const FtsQuery *q, const Unit *u, int how, Buf *b)
{
    const FtsClause *c = &q->clauses[u->first];
    const FtsClause *last = &q->clauses[u->first + u->count - 1];
    const char *a = q->text + c->start;
    size_t n = last->start + last->len - c->start;
    const Spellings *sp = c->exact || c->negated || how == UNIT_OWN ? NULL
                                                                   : fts_name_spellings(nm, a, n);
    buf_putc(b, '(');
    if (sp && sp->is_name && how == UNIT_MAJOR && sp->major.len)
        buf_append(b, sp->major.data, sp->major.len);
    else if (c->exact)
        fts_put_string(b, "=", a, n);
    else
        fts_put_string(b, "", a, n);
    if (sp && sp->is_name && how == UNIT_ALL)
        buf_append(b, sp->alts.data, sp->alts.len);
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
        fts_put_string(out, c->exact ? "=" : "", q->text + c->start, last->start + last->len - c->start);
        buf_putc(out, ' ');
    }
    buf_printf(out, ", %d)", FTS_NEAR_TOKENS);
}

static rasd_err expression(Names *nm, const FtsQuery *q, int mode, Buf *out, rasd_error *err)
{
    rasd_text *tx = NULL;
    rasd_err e = tx_get(&tx, err);
    if (e != RASD_OK)
        return e;
    Unit *u = calloc(q->n ? q->n : 1, sizeof *u);
    ClauseInfo *ci = calloc(q->n ? q->n : 1, sizeof *ci);
    size_t nu = 0;
    if (!u || !ci)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK)
        e = make_units(nm, tx, q, u, &nu, ci, err);
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
    int how = mode == FTS_ALL_OWN ? UNIT_MAJOR : UNIT_ALL; /* names' other spellings */
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
            put_unit(nm, q, &u[k], how, out);
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
            put_unit(nm, q, &u[k], UNIT_OWN, out);
        }
        if (out->oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    free(u);
    free(ci);
    tx_put(tx);
    return e;
}

rasd_err fts_expression(Store *st, const FtsQuery *q, int mode, Buf *out, rasd_error *err)
{
    Names nm = {st ? store_sqlite(st) : NULL, st, NULL, 0, 0};
    rasd_err e = expression(&nm, q, mode, out, err);
    fts_names_free(&nm);
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

/* Ranking: with filters, each match joins its article and story; without,
   FTS5 ranks alone. Only the hits kept are read (read_kept). */
static const char search_sql[] =
    "SELECT a.id, bm25(article_fts, ?10, ?11, ?12, 0.0) AS r"
    " FROM article_fts JOIN articles a ON a.id = article_fts.rowid"
    " LEFT JOIN article_event ae ON ae.article = a.id"
    " LEFT JOIN events ev ON ev.id = ae.event"
    " WHERE article_fts MATCH ?1"
    "  AND (?2 IS NULL OR a.published >= ?2)"
    "  AND (?3 IS NULL OR substr(a.published, 1, length(?3)) <= ?3)"
    "  AND (?4 IS NULL OR a.outlet = ?4)"
    "  AND (?5 IS NULL OR ev.thread = ?5)"
    " ORDER BY r LIMIT ?7";
static const char rank_sql[] =
    "SELECT rowid, bm25(article_fts, ?10, ?11, ?12, 0.0) AS r FROM article_fts"
    " WHERE article_fts MATCH ?1 ORDER BY r LIMIT ?7";
static const char kept_sql[] =
    "SELECT a.hash, a.url, a.outlet, a.published, a.title, ev.thread, a.body FROM articles a"
    " LEFT JOIN article_event ae ON ae.article = a.id"
    " LEFT JOIN events ev ON ev.id = ae.event WHERE a.id = ?1";

/* The hits kept (after the passes and the offset), read once each: their
   article fields and body, and the snippet made from it (fts_snippet.c:
   the body folded, the densest place of the query's terms tokenised
   alone). The passes rank on FTS5 alone; FTS5's snippet() re-tokenised
   every body whole. */
static rasd_err read_kept(Store *s, const char *expr, const FtsOptions *o, FtsHits *out,
                          rasd_error *err)
{
    if (!out->n)
        return RASD_OK;
    sqlite3 *db = store_sqlite(s);
    rasd_text *tx = NULL;
    rasd_err e = tx_get(&tx, err);
    if (e != RASD_OK)
        return e;
    FtsTerms terms;
    sqlite3_stmt *st = NULL;
    if (fts_terms(tx, expr, &terms) != 0)
        e = rasd_fail(err, RASD_ENOMEM, "search snippets: out of memory");
    else if (store_sqlite_prep(s, kept_sql, &st) != SQLITE_OK)
        e = fts_fail(db, err, "search");
    const char *mo = o->mark_open ? o->mark_open : "[", *mc = o->mark_close ? o->mark_close : "]";
    for (size_t i = 0; i < out->n && e == RASD_OK; i++) {
        FtsHit *h = &out->v[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, h->id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *hash = sqlite3_column_text(st, 0);
            snprintf(h->hash, sizeof h->hash, "%s", hash ? (const char *)hash : "");
            h->url = sq_col_dup(st, 1);
            h->outlet = sq_col_dup(st, 2);
            h->published = sq_col_dup(st, 3);
            h->title = sq_col_dup(st, 4);
            h->story = sqlite3_column_int64(st, 5);
            const char *body = (const char *)sqlite3_column_text(st, 6);
            size_t len = (size_t)sqlite3_column_bytes(st, 6);
            h->snippet = fts_snippet(tx, &terms, body ? body : "", body ? len : 0, mo, mc);
            if (!h->snippet)
                e = rasd_fail(err, RASD_ENOMEM, "search snippets: out of memory");
        } else if (rc != SQLITE_DONE) {
            e = fts_fail(db, err, "search");
        }
    }
    if (st)
        store_sqlite_finish(s, st);
    fts_terms_free(&terms);
    tx_put(tx);
    return e;
}

/* Appends hit id to out unless seen already: 1 added, 0 seen, -1 out of memory. */
static int add_hit(FtsHits *out, IdMap *seen, int64_t id, double score, int all_terms)
{
    uint32_t *slot = idmap_slot(seen, (uint64_t)id);
    if (!slot)
        return -1;
    if (*slot)
        return 0;
    *slot = 1;
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 32;
        FtsHit *v = realloc(out->v, nc * sizeof *v);
        if (!v)
            return -1;
        out->v = v;
        out->cap = nc;
    }
    FtsHit *h = &out->v[out->n++];
    memset(h, 0, sizeof *h);
    h->id = id;
    h->score = score;
    h->all_terms = all_terms;
    return 1;
}

/* A stage on a store without FTS5 (store_search_rank): the hits as they come. */
typedef struct StageRun {
    FtsHits *out;
    IdMap *seen;
    size_t want, added;
    int all_terms, oom;
} StageRun;

static int stage_hit(void *ctx, int64_t id, double score)
{
    StageRun *r = ctx;
    int a = add_hit(r->out, r->seen, id, score, r->all_terms);
    if (a < 0)
        r->oom = 1;
    else
        r->added += (size_t)a;
    return r->oom || r->added >= r->want;
}

static const double default_weights[3] = {FTS_W_TITLE, FTS_W_LEAD, FTS_W_BODY};

/* run_stage on a store without FTS5: the store ranks and reads the hits. */
static rasd_err run_store_stage(Store *s, const char *expr, const FtsOptions *o, size_t want,
                                int all_terms, IdMap *seen, FtsHits *out, rasd_error *err)
{
    double w[3];
    for (int i = 0; i < 3; i++)
        w[i] = o->weights[i] > 0 ? o->weights[i] : default_weights[i];
    StageRun r = {out, seen, want, 0, all_terms, 0};
    rasd_err e = store_search_rank(s, expr, o, w, want + seen->n, stage_hit, &r, err);
    if (e == RASD_OK && r.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK && r.added)
        e = store_search_hits(s, expr, o, out->v + out->n - r.added, r.added, err);
    return e;
}

/* Runs one stage (expr) and appends its new hits (not in seen) to out. */
static rasd_err run_stage(Store *s, const char *expr, const FtsOptions *o, size_t want, int all_terms, IdMap *seen, FtsHits *out, rasd_error *err)
{
    sqlite3 *db = store_sqlite(s);
    if (!db)
        return run_store_stage(s, expr, o, want, all_terms, seen, out, err);
    sqlite3_stmt *st;
    int filtered = o->since || o->until || o->outlet || o->story > 0;
    if (store_sqlite_prep(s, filtered ? search_sql : rank_sql, &st) != SQLITE_OK)
        return fts_fail(db, err, "search");
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    if (filtered) {
        sqlite3_bind_text(st, 2, o->since, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, o->until, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, o->outlet, -1, SQLITE_STATIC);
        if (o->story > 0)
            sqlite3_bind_int64(st, 5, o->story);
    }
    sqlite3_bind_int64(st, 7, (sqlite3_int64)(want + seen->n));
    for (int i = 0; i < 3; i++)
        sqlite3_bind_double(st, 10 + i, o->weights[i] > 0 ? o->weights[i] : default_weights[i]);
    rasd_err e = RASD_OK;
    int rc;
    size_t added = 0;
    while (added < want && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int a = add_hit(out, seen, sqlite3_column_int64(st, 0), -sqlite3_column_double(st, 1),
                        all_terms);
        if (a < 0) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        added += (size_t)a;
    }
    if (e == RASD_OK && added < want && rc != SQLITE_DONE)
        e = fts_fail(db, err, "search");
    store_sqlite_finish(s, st);
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
    fts_put_string(&b, mark, key->data, key->len);
    buf_free(expr);
    *expr = b;
}

static rasd_err search(Store *s, const FtsQuery *q, const FtsOptions *o, FtsHits *out,
                       rasd_error *err)
{
    memset(out, 0, sizeof *out);
    rasd_err ne;
    if (!store_can_search(s) && !fts_need_db(s, err, &ne))
        return ne;
    size_t limit = o->limit ? o->limit : 20;
    size_t want = limit + o->offset;
    if (want < limit)
        return rasd_fail(err, RASD_EINVAL, "search: --limit and offset are too large");
    Buf expr = {0}, ekey = {0};
    Names nm = {store_sqlite(s), s, NULL, 0, 0}; /* one name lookup per word sequence for every pass */
    rasd_err e = expression(&nm, q, FTS_ALL, &expr, err);
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
        rasd_err xe = expression(&nm, q, FTS_NEAR, &near, err);
        if (xe == RASD_OK && ekey.len)
            and_key(&near, &ekey);
        if (xe == RASD_OK)
            e = run_stage(s, near.data, o, want, 1, &seen, out, err);
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
        e = expression(&nm, q, stage == 2 ? FTS_ALL_OWN : stage == 3 ? FTS_ALL : FTS_ANY, &x,
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
            e = run_stage(s, x.data, o, want - out->n, stage < 4, &seen, out, err);
        /* a later stage's hits rank below every earlier hit */
        double floor = first ? out->v[first - 1].score : 0;
        for (size_t i = first; first && i < out->n; i++)
            if (out->v[i].score >= floor)
                out->v[i].score = floor - 1e-6 * (double)(i - first + 1);
        buf_free(&x);
    }
    buf_free(&own);
    idmap_free(&seen);
    fts_names_free(&nm);
    if (e == RASD_OK && o->offset) {
        size_t drop = o->offset < out->n ? o->offset : out->n;
        for (size_t i = 0; i < drop; i++) {
            FtsHit *x = &out->v[i];
            free(x->url), free(x->outlet), free(x->published), free(x->title), free(x->snippet);
        }
        memmove(out->v, out->v + drop, (out->n - drop) * sizeof *out->v);
        out->n -= drop;
    }
    if (e == RASD_OK && store_sqlite(s)) /* other stores: fields, snippets with hits */
        e = read_kept(s, expr.data, o, out, err);
    if (e == RASD_OK)
        out->expr = buf_steal(&expr);
    else
        fts_hits_free(out);
    buf_free(&expr);
    buf_free(&ekey);
    return e;
}

/* Runs one kept statement to its end (BEGIN, COMMIT): 1 when it succeeded. */
static int run_kept(Store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (store_sqlite_prep(s, sql, &st) != SQLITE_OK)
        return 0;
    int ok = sqlite3_step(st) == SQLITE_DONE;
    store_sqlite_finish(s, st);
    return ok;
}

rasd_err fts_search(Store *s, const FtsQuery *q, const FtsOptions *o, FtsHits *out,
                    rasd_error *err)
{
    /* One read transaction for every statement of the search (name lookups,
       passes, kept rows): one snapshot, and no read lock taken and given back
       per statement (the kept rows' resets were a tenth of a search's
       instructions). Inside a caller's transaction: that one. */
    sqlite3 *db = store_sqlite(s);
    int own = db && sqlite3_get_autocommit(db) && run_kept(s, "BEGIN");
    rasd_err e = search(s, q, o, out, err);
    if (own && !run_kept(s, "COMMIT"))
        run_kept(s, "ROLLBACK");
    return e;
}

rasd_err fts_each_article(Store *s, const int64_t *ids, size_t n,
                          int (*fn)(void *ctx, const FtsArticle *a), void *ctx, rasd_error *err)
{
    rasd_err ne;
    sqlite3 *db = fts_need_db(s, err, &ne);
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
