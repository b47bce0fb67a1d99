/*
 * pg_articles.c — the PostgreSQL store's articles (exact dedup under an
 * advisory lock per hash, see pg.c), LSH buckets, the file log and the
 * named-entity mentions.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_impl.h"

/* ---- articles ---- */

int64_t pg_find_hash(Store *st_, const char *hash)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    if (s->in_tx && !s->readonly && strlen(hash) == 16 &&
        strspn(hash, "0123456789abcdef") == 16) {
        if (!s->write_locked) { /* one writer at a time decides copies (see pg.c) */
            char sql[80];
            snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d, %d)", PG_LOCK_CLASS,
                     PG_LOCK_WRITE);
            if (pg_run(s, sql, NULL, 0, NULL, "", NULL) != RASD_OK)
                return 0;
            s->write_locked = 1;
        }
        /* serialise writers of this hash until our transaction ends (see top) */
        p_i64(&p, (int64_t)strtoull(hash, NULL, 16));
        if (pg_run(s, "SELECT pg_advisory_xact_lock($1::bigint)", &p, 1, NULL, "", NULL) != RASD_OK)
            return 0;
        p.n = 0;
    }
    p_text(&p, hash);
    PGresult *r = NULL;
    if (pg_run(s, "SELECT id FROM articles WHERE hash = $1", &p, 1, &r, "", NULL) != RASD_OK)
        return 0;
    int64_t id = PQntuples(r) ? gi(r, 0, 0) : 0;
    PQclear(r);
    return id;
}

rasd_err pg_put_article(Store *st_, const NewArticle *a, int64_t *id, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, a->hash);
    p_text(&p, a->title);
    p_text(&p, a->outlet);
    p_text(&p, a->agency);
    p_text(&p, a->published);
    p_text(&p, a->url);
    p_text(&p, a->author);
    p_text(&p, a->body ? a->body : "");
    p_text(&p, a->origin);
    if (a->parent)
        p_i64(&p, a->parent);
    else
        p_text(&p, NULL);
    unsigned char *blob = NULL;
    if (a->minhash && a->nminhash) {
        /* little-endian on every host, as sqlite.c stores it */
        blob = malloc(a->nminhash * 4);
        if (!blob)
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        for (size_t i = 0; i < a->nminhash; i++)
            for (int k = 0; k < 4; k++)
                blob[i * 4 + (size_t)k] = (unsigned char)(a->minhash[i] >> (8 * k));
        p_blob(&p, blob, a->nminhash * 4);
    } else {
        p_text(&p, NULL);
    }
    PGresult *r = NULL;
    rasd_err e = pg_run(s,
                     "INSERT INTO articles(hash, title, outlet, agency, published, url, author,"
                     " body, origin, parent, minhash, ingested) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,"
                     "$9,$10::bigint,$11::bytea," NOW ") ON CONFLICT (hash) DO NOTHING RETURNING id",
                     &p, 1, &r, "insert article", err);
    free(blob);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return rasd_fail(err, RASD_EDB, "postgresql: insert article: hash %s is already stored",
                         a->hash);
    }
    *id = gi(r, 0, 0);
    if (s->in_tx && (!s->index_from || *id < s->index_from))
        s->index_from = *id; /* the search index is written at commit (pg_search.c) */
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_set_copy(Store *st_, int64_t id, int64_t of, double sim, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    if (of)
        p_i64(&p, of);
    else
        p_text(&p, NULL); /* no longer a near-copy */
    if (of)
        p_f64(&p, sim);
    else
        p_text(&p, NULL);
    return pg_run(s, "UPDATE articles SET copy_of = $2::bigint, copy_sim = $3::float8"
                  " WHERE id = $1::bigint",
               &p, 1, NULL, "record near-copy", err);
}

/* ---- canonical copies (store.h) ---- */

rasd_err pg_copy_facts(Store *st_, int64_t id, CopyFacts *f, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, "SELECT published, outlet, url, title, hash, parent, copy_of, copy_sim"
                           " FROM articles WHERE id = $1::bigint",
                        &p, 1, &r, "read copy facts", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return rasd_fail(err, RASD_ENOTFOUND, "article %lld: not stored", (long long)id);
    }
    f->published = gdup(r, 0, 0);
    f->outlet = gdup(r, 0, 1);
    f->url = gdup(r, 0, 2);
    f->title = gdup(r, 0, 3);
    snprintf(f->hash, sizeof f->hash, "%s", gv(r, 0, 4) ? gv(r, 0, 4) : "");
    f->parent = gi(r, 0, 5);
    f->copy_of = gi(r, 0, 6);
    f->copy_sim = gf(r, 0, 7);
    PQclear(r);
    return RASD_OK;
}

rasd_err pg_set_canonical(Store *st_, int64_t id, const NewArticle *m, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_i64(&p, id);
    p_text(&p, m->title);
    p_text(&p, m->outlet);
    p_text(&p, m->agency);
    p_text(&p, m->published);
    p_text(&p, m->url);
    p_text(&p, m->author);
    p_text(&p, m->origin);
    rasd_err e = pg_run(s, "UPDATE articles SET title = $2, outlet = $3, agency = $4,"
                           " published = $5, url = $6, author = $7, origin = $8"
                           " WHERE id = $1::bigint",
                        &p, 1, NULL, "set canonical copy", err);
    p.n = 1;
    if (e == RASD_OK)
        e = pg_run(s, "DELETE FROM sightings x USING articles a WHERE a.id = $1::bigint AND"
                      " x.article = a.id AND x.outlet IS NOT DISTINCT FROM a.outlet AND"
                      " x.url IS NOT DISTINCT FROM a.url",
                   &p, 1, NULL, "set canonical copy", err);
    return e == RASD_OK ? pg_search_reindex(s, id, err) : e;
}

/* "{k1,k2,…}": keys as a bigint[] literal (signed, as sqlite.c stores them). */
static int key_array(Buf *b, const uint64_t *keys, size_t n)
{
    buf_putc(b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)(int64_t)keys[i]);
    buf_putc(b, '}');
    return b->oom ? -1 : 0;
}

/* Parameters $1 = keys as a bigint[] literal (its text in arr, which the
   caller frees) and $2 = x. */
static rasd_err key_params(Params *p, Buf *arr, const uint64_t *keys, size_t n, int64_t x,
                           rasd_error *err)
{
    if (key_array(arr, keys, n) != 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    p_text(p, arr->data);
    p_i64(p, x);
    return RASD_OK;
}

rasd_err pg_put_lsh(Store *st_, int64_t id, const uint64_t *keys, size_t n, rasd_error *err)
{
    if (!n)
        return RASD_OK;
    Buf arr = {0};
    Params p = {0};
    rasd_err e = key_params(&p, &arr, keys, n, id, err);
    if (e == RASD_OK)
        e = pg_run((PgStore *)st_, "INSERT INTO lsh(key, article) SELECT DISTINCT"
                                   " unnest($1::bigint[]), $2::bigint ON CONFLICT DO NOTHING",
                   &p, 1, NULL, "insert lsh", err);
    buf_free(&arr);
    return e;
}

/* pg_lsh_candidates' row reader: the signature decoded for its callback */
typedef struct LshRows {
    int (*fn)(void *ctx, int64_t id, const uint32_t *sig, size_t nsig);
    void *ctx;
    uint32_t sig[512]; /* decoded signature (little-endian uint32 each) */
} LshRows;

static int lsh_row(void *ctx, const PGresult *r, int i)
{
    LshRows *x = ctx;
    size_t nb = 0;
    int oom = 0;
    unsigned char *b = gblob(r, i, 1, &nb, &oom);
    if (oom)
        return PG_ROW_NOMEM;
    nb /= 4;
    if (nb > 512)
        nb = 512;
    for (size_t k = 0; k < nb; k++)
        x->sig[k] = (uint32_t)b[k * 4] | (uint32_t)b[k * 4 + 1] << 8 |
                    (uint32_t)b[k * 4 + 2] << 16 | (uint32_t)b[k * 4 + 3] << 24;
    if (b)
        PQfreemem(b);
    return x->fn(x->ctx, gi(r, i, 0), x->sig, nb) ? PG_ROW_STOP : 0;
}

rasd_err pg_lsh_candidates(Store *st_, const uint64_t *keys, size_t n, int64_t self,
                           int (*fn)(void *ctx, int64_t id, const uint32_t *sig,
                                     size_t nsig),
                           void *ctx, rasd_error *err)
{
    if (!n)
        return RASD_OK;
    Buf arr = {0};
    Params p = {0};
    LshRows x = {fn, ctx, {0}};
    rasd_err e = key_params(&p, &arr, keys, n, self, err);
    /* the distinct articles of all buckets, each read and compared once, by
       id; a handful per article (not paged) */
    if (e == RASD_OK)
        e = pg_each_row((PgStore *)st_,
                        "SELECT a.id, a.minhash FROM articles a WHERE a.id IN (SELECT article"
                        " FROM lsh WHERE key = ANY($1::bigint[]) AND article <> $2::bigint)"
                        " ORDER BY a.id",
                        &p, 0, "lsh lookup", lsh_row, &x, err);
    buf_free(&arr);
    return e;
}

rasd_err pg_log_file(Store *st_, const char *path, const char *status, const char *message,
                     size_t articles, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    Params p = {0};
    p_text(&p, path);
    p_text(&p, status);
    p_text(&p, message);
    p_i64(&p, (int64_t)articles);
    return pg_run(s, "INSERT INTO files(path, status, message, articles, at) VALUES ($1, $2, $3,"
                  " $4::bigint, " NOW ")",
               &p, 1, NULL, "log file", err);
}

#define ARTICLE_COLS "id, hash, title, outlet, agency, published, url, author, body, origin," \
                     " parent, copy_of, copy_sim, ingested"

static void read_row(const PGresult *r, int i, StoredArticle *a)
{
    memset(a, 0, sizeof *a);
    a->id = gi(r, i, 0);
    const char *h = gv(r, i, 1);
    snprintf(a->hash, sizeof a->hash, "%s", h ? h : "");
    a->title = gdup(r, i, 2);
    a->outlet = gdup(r, i, 3);
    a->agency = gdup(r, i, 4);
    a->published = gdup(r, i, 5);
    a->url = gdup(r, i, 6);
    a->author = gdup(r, i, 7);
    a->body = gdup(r, i, 8);
    a->origin = gdup(r, i, 9);
    a->parent = gi(r, i, 10);
    a->copy_of = gi(r, i, 11);
    a->copy_sim = gf(r, i, 12);
    a->ingested = gdup(r, i, 13);
}

typedef struct ArticleRows {
    int (*fn)(void *ctx, const StoredArticle *a);
    void *ctx;
} ArticleRows;

static int article_row(void *ctx, const PGresult *r, int i)
{
    ArticleRows *x = ctx;
    StoredArticle a;
    read_row(r, i, &a);
    int stop = x->fn(x->ctx, &a);
    store_article_free(&a);
    return stop ? PG_ROW_STOP : 0;
}

rasd_err pg_each_article(Store *st_, int (*fn)(void *ctx, const StoredArticle *a), void *ctx,
                         rasd_error *err)
{
    ArticleRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_,
                       "SELECT " ARTICLE_COLS " FROM articles ORDER BY published IS NULL,"
                       " published, id",
                       NULL, 1, "list articles", article_row, &x, err);
}

rasd_err pg_get_article(Store *st_, const char *id, StoredArticle *out, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    size_t n = strlen(id);
    int numeric = n > 0 && n < 12 && strspn(id, "0123456789") == n;
    if (n < 1 || n > 16 || (!numeric && n < 4) || strspn(id, "0123456789abcdef") != n)
        return rasd_fail(err, RASD_EINVAL,
                         "article id '%s' is neither a row number nor 4-16 hex digits", id);
    Params p = {0};
    p_i64(&p, numeric ? atoll(id) : 0);
    p_text(&p, id);
    PGresult *r = NULL;
    rasd_err e = pg_run(s, numeric ? "SELECT " ARTICLE_COLS " FROM articles WHERE id = $1::bigint"
                                  " OR hash = $2::text"
                                : "SELECT " ARTICLE_COLS " FROM articles WHERE $1::bigint = 0 AND"
                                  " hash >= $2::text AND hash < $2::text || 'g' ORDER BY hash"
                                  " LIMIT 2",
                     &p, 1, &r, "get article", err);
    if (e != RASD_OK)
        return e;
    if (PQntuples(r) < 1)
        e = rasd_fail(err, RASD_ENOTFOUND, "no article %s", id);
    else if (!numeric && PQntuples(r) > 1)
        e = rasd_fail(err, RASD_EINVAL, "article id prefix %s is ambiguous", id);
    else
        read_row(r, 0, out);
    PQclear(r);
    return e;
}

size_t pg_count_articles(Store *st_)
{
    PgStore *s = (PgStore *)st_;
    PGresult *r = NULL;
    if (pg_run(s, "SELECT count(*) FROM articles", NULL, 1, &r, "", NULL) != RASD_OK)
        return 0;
    size_t n = PQntuples(r) ? (size_t)gi(r, 0, 0) : 0;
    PQclear(r);
    return n;
}

/* ---- mentions ---- */

#define MENTIONS_MAX 4096 /* buffered mentions sent at once, at most */

rasd_err pg_put_mention(Store *st_, int64_t article, const char *type, const char *key,
                        size_t key_len, const char *text, size_t text_len, uint32_t start,
                        uint32_t end, rasd_error *err)
{
    PgStore *s = (PgStore *)st_;
    pg_elem_i64(&s->ment[0], article);
    pg_elem_text(&s->ment[1], type, strlen(type));
    pg_elem_text(&s->ment[2], key ? key : "", key ? key_len : 0);
    pg_elem_text(&s->ment[3], text ? text : "", text ? text_len : 0);
    pg_elem_i64(&s->ment[4], start);
    pg_elem_i64(&s->ment[5], end);
    s->nment++;
    /* outside a transaction nothing else would send them */
    return s->nment >= MENTIONS_MAX || !s->in_tx ? pg_flush_mentions(s, err) : RASD_OK;
}

void pg_drop_mentions(PgStore *s)
{
    for (int i = 0; i < 6; i++)
        buf_reset(&s->ment[i]);
    s->nment = 0;
}

rasd_err pg_flush_mentions(PgStore *s, rasd_error *err)
{
    if (!s->nment)
        return RASD_OK;
    s->nment = 0; /* pg_run below must not flush again */
    return pg_run_arrays(s, "INSERT INTO mentions(article, type, key, text, start, \"end\")"
                            " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[],"
                            " $4::text[], $5::int[], $6::int[])",
                         s->ment, 6, "insert mention", err);
}

typedef struct MentionRows {
    int (*fn)(void *ctx, const StoredMention *m);
    void *ctx;
} MentionRows;

static int mention_row(void *ctx, const PGresult *r, int i)
{
    MentionRows *x = ctx;
    StoredMention m = {gv(r, i, 0), gv(r, i, 1), gv(r, i, 2), gv(r, i, 3), gi(r, i, 4)};
    return x->fn(x->ctx, &m) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_article_mention(Store *st_, int64_t article,
                                 int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                                 rasd_error *err)
{
    Params p = {0};
    p_i64(&p, article);
    MentionRows x = {fn, ctx};
    /* every mention of the archive is paged; one article's are few */
    return pg_each_row((PgStore *)st_,
                       article ? "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                                 " JOIN articles a ON a.id = m.article WHERE m.article = $1::bigint"
                                 " ORDER BY m.start"
                               : "SELECT m.key, m.type, m.text, a.outlet, a.id FROM mentions m"
                                 " JOIN articles a ON a.id = m.article WHERE $1::bigint = 0"
                                 " ORDER BY m.key, m.type, m.text, m.article, m.start",
                       &p, article == 0, "list mentions", mention_row, &x, err);
}

typedef struct CopyRows {
    int (*fn)(void *ctx, int64_t id);
    void *ctx;
} CopyRows;

static int copy_row(void *ctx, const PGresult *r, int row)
{
    CopyRows *x = ctx;
    return x->fn(x->ctx, gi(r, row, 0)) ? PG_ROW_STOP : 0;
}

rasd_err pg_each_copy(Store *st_, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx,
                      rasd_error *err)
{
    Params p = {0};
    p_i64(&p, of);
    CopyRows x = {fn, ctx};
    return pg_each_row((PgStore *)st_, "SELECT id FROM articles WHERE copy_of = $1 ORDER BY id",
                       &p, 0, "list near-copies", copy_row, &x, err);
}

rasd_err pg_each_mention(Store *st_, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                         rasd_error *err)
{
    return pg_each_article_mention(st_, 0, fn, ctx, err);
}

