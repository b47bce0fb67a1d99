/*
 * test_store.c — the store conformance suite: the behaviours every
 * implementation of src/store/store.h must show, run against a fresh
 * SQLite file, and against PostgreSQL when RASD_TEST_PG names a database
 * (tests/e2e/pg.sh starts one on a unix socket and sets it); each test
 * empties that database first, so the suite can run on it again. Also the
 * engine's stored annotations: encode/decode round trips, damaged blobs,
 * and the rule that views never run an annotator.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef RASD_WITH_PG
#include <libpq-fe.h>
#endif

#include "harness.h"
#include "annotate/annotate.h"
#include "engine/engine.h"
#include "store/store.h"
#include "story/brief.h"
#include "text/text.h"
#include "views/load.h"

#ifdef RASD_WITH_PG
/* Empties the PostgreSQL database url names (every table of schema public),
   so each test starts from nothing and the suite can run again on the same
   database. 0 on success. */
static int clear_pg(const char *url)
{
    PGconn *c = PQconnectdb(url);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(c, "SET client_min_messages = warning;"
                                " DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            harness_fail(__FILE__, __LINE__, "clear %s: %s", url, PQerrorMessage(c));
        PQclear(r);
    } else {
        harness_fail(__FILE__, __LINE__, "connect %s: %s", url, PQerrorMessage(c));
    }
    PQfinish(c);
    return ok ? 0 : -1;
}
#endif

/* A fresh store of each kind under test: SQLite always, PostgreSQL when
   RASD_TEST_PG is set (emptied first). Returns how many were opened into out[]. */
static int fresh_stores(Store *out[2], char path[64])
{
    int n = 0;
    rasd_error err;
    snprintf(path, 64, "/tmp/rasd-test-store-%d.db", (int)getpid());
    unlink(path);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    if (store_open(path, 0, &out[n], &err) == RASD_OK)
        n++;
    else
        harness_fail(__FILE__, __LINE__, "open %s: %s", path, err.msg);
    const char *pg = getenv("RASD_TEST_PG");
#ifdef RASD_WITH_PG
    if (pg && *pg && clear_pg(pg) != 0)
        pg = NULL;
#endif
    if (pg && *pg) {
        if (store_open(pg, 0, &out[n], &err) == RASD_OK)
            n++;
        else
            harness_fail(__FILE__, __LINE__, "open %s: %s", pg, err.msg);
    }
    return n;
}

static void close_stores(Store **s, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        store_close(s[i]);
    unlink(path);
}

static int64_t put(Store *s, const char *hash, const char *title, const char *outlet)
{
    NewArticle a = {hash, title, outlet, NULL, "2024-01-02", NULL, NULL, "نص المقال", "test", 0,
                    NULL, 0};
    int64_t id = 0;
    rasd_error err;
    if (store_put_article(s, &a, &id, &err) != RASD_OK)
        return 0;
    return id;
}

TEST("store: an article put is found by hash, by row id and by a unique prefix")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t id = put(s[i], "aabb2233aabbccdd", "عنوان", "منفذ");
        CHECK(id > 0);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        CHECK(store_find_hash(s[i], "aabb2233aabbccdd") == id);
        CHECK(store_find_hash(s[i], "ffffffffffffffff") == 0);
        StoredArticle a;
        CHECK(store_get_article(s[i], "aabb", &a, &err) == RASD_OK);
        CHECK_STR(a.title, "عنوان");
        CHECK(a.id == id);
        store_article_free(&a);
        CHECK(store_get_article(s[i], "zz", &a, &err) == RASD_EINVAL);
        CHECK(store_get_article(s[i], "9999", &a, &err) == RASD_ENOTFOUND);
        CHECK(store_count_articles(s[i]) == 1);
    }
    close_stores(s, n, path);
}

TEST("store: a rolled-back transaction leaves nothing behind")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        CHECK(put(s[i], "1111111111111111", "a", NULL) > 0);
        store_rollback(s[i]);
        CHECK(store_find_hash(s[i], "1111111111111111") == 0);
        CHECK(store_count_articles(s[i]) == 0);
    }
    close_stores(s, n, path);
}

TEST("store: a second article with the same hash is refused")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        CHECK(put(s[i], "2222222222222222", "a", NULL) > 0);
        CHECK(put(s[i], "2222222222222222", "b", NULL) == 0);
        store_rollback(s[i]);
    }
    close_stores(s, n, path);
}

static int count_sighting(void *ctx, const StoredSighting *x)
{
    (*(int *)ctx)++;
    (void)x;
    return 0;
}

TEST("store: a sighting is recorded once per outlet and URL, never for the article's own")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        int added = 0, count = 0;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t id = put(s[i], "3333333333333333", "a", "واس");
        CHECK(store_add_sighting(s[i], id, "واس", NULL, NULL, "f", &added, &err) == RASD_OK);
        CHECK(!added);
        CHECK(store_add_sighting(s[i], id, "عكاظ", "http://x/1", "2024-01-03", "g", &added,
                                 &err) == RASD_OK);
        CHECK(added);
        CHECK(store_add_sighting(s[i], id, "عكاظ", "http://x/1", "2024-01-03", "g", &added,
                                 &err) == RASD_OK);
        CHECK(!added);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        CHECK(store_each_sighting(s[i], id, count_sighting, &count, &err) == RASD_OK);
        CHECK(count == 1);
    }
    close_stores(s, n, path);
}

TEST("store: a cached view is returned only for the membership signature it was built from")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        Buf b = {0};
        int found = 0;
        CHECK(store_put_cache(s[i], "brief", 7, 42, "{\"a\":1}", 7, &err) == RASD_OK);
        CHECK(store_get_cache(s[i], "brief", 7, 42, &b, &found, &err) == RASD_OK);
        CHECK(found && b.len == 7 && memcmp(b.data, "{\"a\":1}", 7) == 0);
        buf_reset(&b);
        CHECK(store_get_cache(s[i], "brief", 7, 43, &b, &found, &err) == RASD_OK);
        CHECK(!found);
        buf_free(&b);
    }
    close_stores(s, n, path);
}

/* The names store_each_entity gives, as "type key mentions/articles spelling:n,... |
   outlet:n/a,... | office:n,..." lines. */
static int on_entity_line(void *ctx, const StoredEntity *x)
{
    Buf *b = ctx;
    buf_printf(b, "%s %s %lld/%lld %s", x->type, x->key, (long long)x->mentions,
               (long long)x->articles, x->name);
    for (size_t i = 0; i < x->nspellings; i++)
        buf_printf(b, "%s%s:%lld", i ? "," : " ", x->spellings[i].text,
                   (long long)x->spellings[i].mentions);
    buf_puts(b, " |");
    for (size_t i = 0; i < x->noutlets; i++)
        buf_printf(b, " %s:%lld/%lld", x->outlets[i].text, (long long)x->outlets[i].mentions,
                   (long long)x->outlets[i].articles);
    buf_puts(b, " |");
    for (size_t i = 0; i < x->nroles; i++)
        buf_printf(b, " %s:%lld", x->roles[i].text, (long long)x->roles[i].mentions);
    buf_putc(b, '\n');
    return 0;
}

static int on_spelling(void *ctx, const char *text, size_t n, int64_t count)
{
    buf_append(ctx, text, n);
    buf_printf(ctx, "%lld|", (long long)count);
    return 0;
}

static void mention(Store *s, int64_t article, const char *type, const char *key, const char *text)
{
    rasd_error err;
    CHECK(store_put_mention(s, article, type, key, strlen(key), text, strlen(text), 0, 1, &err) ==
          RASD_OK);
}

TEST("store: the entity summary counts names, spellings, outlets and roles as committed")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t a = put(s[i], "1111222233334444", "أ", "منفذ");
        int64_t b = put(s[i], "1111222233335555", "ب", NULL);
        mention(s[i], a, "PER", "بتن", "بوتين");
        mention(s[i], a, "PER", "بتن", "فلاديمير بوتين");
        mention(s[i], b, "PER", "بتن", "بوتين");
        mention(s[i], b, "LOC", "رسا", "روسيا");
        CHECK(store_put_role(s[i], a, "PER", "بتن", strlen("بتن"), "رييس|رسا",
                             strlen("رييس|رسا"), &err) == RASD_OK);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        /* a rolled-back batch leaves the summary as it was */
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t c = put(s[i], "1111222233336666", "ج", "منفذ");
        mention(s[i], c, "PER", "بتن", "بوتين");
        store_rollback(s[i]);
        Buf out = {0};
        EntityFilter f = {0};
        CHECK(store_each_entity(s[i], &f, on_entity_line, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "",
                  "PER بتن 3/2 فلاديمير بوتين بوتين:2,فلاديمير بوتين:1 | منفذ:2/1 :1/1 |"
                  " رييس|رسا:1\n"
                  "LOC رسا 1/1 روسيا روسيا:1 | :1/1 |\n");
        buf_reset(&out);
        EntityFilter g = {"LOC", NULL, 0, 0, 0, 0, NULL, 0};
        CHECK(store_each_entity(s[i], &g, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strncmp(out.data, "LOC", 3) == 0 && !strstr(out.data, "PER"));
        buf_reset(&out);
        EntityFilter h = {NULL, "فلاديمير", 0, 0, 1, 0, NULL, 0};
        CHECK(store_each_entity(s[i], &h, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strncmp(out.data, "PER", 3) == 0 && !strstr(out.data, "LOC"));
        /* one key's rows alone (the server's name page) */
        buf_reset(&out);
        EntityFilter k = {NULL, NULL, 0, 0, 0, 1, "رسا", 0};
        CHECK(store_each_entity(s[i], &k, on_entity_line, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "", "LOC رسا 1/1 روسيا روسيا:1 | :1/1 |\n");
        buf_reset(&out);
        EntityFilter none = {NULL, NULL, 0, 0, 0, 1, "لا", 0};
        CHECK(store_each_entity(s[i], &none, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.len == 0);
        /* nationality adjectives only when asked for (or with a type filter) */
        CHECK(store_entity_listed(NULL, "adj:رسا", "MISC", 5) == 0);
        CHECK(store_entity_listed(&f, "adj:رسا", "MISC", 5) == 0);
        EntityFilter adj = {NULL, NULL, 0, 0, 0, 1, NULL, 0};
        CHECK(store_entity_listed(&adj, "adj:رسا", "MISC", 5) == 1);
        CHECK(store_entity_listed(&g, "adj:رسا", "LOC", 5) == 1);
        CHECK(store_entity_listed(&f, "رسا", "LOC", 5) == 1);
        /* a key's spellings for search, most written first (the committed rows only) */
        buf_reset(&out);
        CHECK(store_each_spelling(s[i], "بتن", strlen("بتن"), 64, on_spelling, &out, &err) ==
              RASD_OK);
        CHECK_STR(out.data ? out.data : "", "بوتين2|فلاديمير بوتين1|");
        CHECK(store_key_mentions(s[i], "بتن", strlen("بتن")) == 3);
        CHECK(store_key_mentions(s[i], "رسا", strlen("رسا")) == 1);
        CHECK(store_key_mentions(s[i], "zzz", 3) == 0);
        buf_free(&out);
    }
    close_stores(s, n, path);
}

static int on_spelling_articles(void *ctx, const StoredEntity *x)
{
    Buf *b = ctx;
    buf_printf(b, "%s", x->key);
    for (size_t i = 0; i < x->nspellings; i++)
        buf_printf(b, " %s:%lld/%lld", x->spellings[i].text, (long long)x->spellings[i].mentions,
                   (long long)x->spellings[i].articles);
    buf_putc(b, '\n');
    return 0;
}

TEST("store: spellings count their articles; two names sharing a skeleton key are listed apart")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t a = put(s[i], "1111222233334444", "أ", "منفذ");
        int64_t b = put(s[i], "1111222233335555", "ب", "منفذ");
        int64_t c = put(s[i], "1111222233336666", "ج", NULL);
        /* السودان and سيدني share the key سدن (folded vowels); the marked
           السُّودان is السودان as a reader sees it */
        mention(s[i], a, "LOC", "سدن", "السودان");
        mention(s[i], a, "LOC", "سدن", "السودان");
        mention(s[i], b, "LOC", "سدن", "السُّودان");
        mention(s[i], b, "LOC", "سدن", "سيدني");
        mention(s[i], c, "LOC", "سدن", "سيدني");
        mention(s[i], c, "PER", "ككل", "جوجل");
        mention(s[i], a, "PER", "ككل", "غوغل");
        CHECK(store_commit(s[i], &err) == RASD_OK);
        Buf out = {0};
        EntityFilter f = {0};
        CHECK(store_each_entity(s[i], &f, on_spelling_articles, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "",
                  "سدن السودان:3/2\n"
                  "سدن|سيدني سيدني:2/2\n"
                  "ككل جوجل:1/1 غوغل:1/1\n");
        buf_reset(&out);
        CHECK(store_each_entity(s[i], &f, on_entity_line, &out, &err) == RASD_OK);
        /* outlets and roles are kept per key: the row's own name keeps them */
        CHECK(out.data && strstr(out.data, "LOC سدن 3/2 السودان السودان:3 | منفذ:4/2 :1/1 |\n"
                                           "LOC سدن|سيدني 2/2 سيدني سيدني:2 | |\n"));
        /* each name's page finds it alone */
        buf_reset(&out);
        EntityFilter k = {NULL, NULL, 0, 0, 0, 1, "سدن|سيدني", 0};
        CHECK(store_each_entity(s[i], &k, on_spelling_articles, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "", "سدن|سيدني سيدني:2/2\n");
        buf_reset(&out);
        EntityFilter m = {NULL, NULL, 0, 0, 0, 1, "سدن", 0};
        CHECK(store_each_entity(s[i], &m, on_spelling_articles, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "", "سدن السودان:3/2\n");
        buf_free(&out);
    }
    close_stores(s, n, path);
}

TEST("store: a surname alone is listed with its full name; two people sharing one stay apart")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t a = put(s[i], "1111222233334444", "أ", "منفذ");
        int64_t b = put(s[i], "1111222233335555", "ب", "منفذ");
        int64_t c = put(s[i], "1111222233336666", "ج", "آخر");
        /* article a names Putin in full, then by his surname (the tagger gives
           both the full key), b and c only by the surname; two Bushes as often
           as each other, so بوش alone is neither; a listed Arabic given name
           alone joins nothing */
        static const struct {
            int art, times;
            const char *key, *text;
        } ms[] = {{0, 1, "فلدمر بتن", "فلاديمير بوتين"}, {0, 2, "فلدمر بتن", "بوتين"},
                  {1, 1, "بتن", "بوتين"}, {2, 1, "بتن", "لبوتين"},
                  {0, 3, "كرك بش", "جورج بوش"}, {0, 3, "كرك بش", "بوش"},
                  {1, 3, "كب بش", "جيب بوش"}, {1, 3, "كب بش", "بوش"}, {2, 1, "بش", "بوش"},
                  {0, 3, "محمد صلاح", "محمد صلاح"}, {0, 3, "محمد صلاح", "صلاح"},
                  {2, 1, "صلاح", "صلاح"}};
        const int64_t arts[3] = {a, b, c};
        for (size_t m = 0; m < sizeof ms / sizeof *ms; m++)
            for (int k = 0; k < ms[m].times; k++)
                mention(s[i], arts[ms[m].art], "PER", ms[m].key, ms[m].text);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        Buf out = {0};
        EntityFilter f = {"PER", NULL, 0, 0, 0, 0, NULL, 0};
        CHECK(store_each_entity(s[i], &f, on_entity_line, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "",
                  "PER كب بش 6/1 جيب بوش بوش:3,جيب بوش:3 | منفذ:6/1 |\n"
                  "PER كرك بش 6/1 جورج بوش بوش:3,جورج بوش:3 | منفذ:6/1 |\n"
                  "PER محمد صلاح 6/1 محمد صلاح صلاح:3,محمد صلاح:3 | منفذ:6/1 |\n"
                  "PER فلدمر بتن 5/3 فلاديمير بوتين بوتين:4,فلاديمير بوتين:1 |"
                  " منفذ:4/2 آخر:1/1 |\n"
                  "PER بش 1/1 بوش بوش:1 | آخر:1/1 |\n"
                  "PER صلاح 1/1 صلاح صلاح:1 | آخر:1/1 |\n");
        /* a surname's full names (search's name lookup): person keys of two
           words or more ending in it, most mentioned first, then bytewise;
           their own mentions (no join); a one-word key is none */
        buf_reset(&out);
        CHECK(store_each_surname_key(s[i], "بش", strlen("بش"), 8, on_spelling, &out, &err) ==
              RASD_OK);
        CHECK_STR(out.data ? out.data : "", "كب بش6|كرك بش6|");
        buf_reset(&out);
        CHECK(store_each_surname_key(s[i], "بتن", strlen("بتن"), 1, on_spelling, &out, &err) ==
              RASD_OK);
        CHECK_STR(out.data ? out.data : "", "فلدمر بتن3|");
        buf_reset(&out);
        CHECK(store_each_surname_key(s[i], "فلدمر", strlen("فلدمر"), 8, on_spelling, &out,
                                     &err) == RASD_OK);
        CHECK(out.len == 0);
        /* a place the tagger once called "other" is listed as the place */
        CHECK(store_begin(s[i], &err) == RASD_OK);
        for (int k = 0; k < 3; k++)
            mention(s[i], a, "LOC", "اكرنا", "أوكرانيا");
        mention(s[i], b, "MISC", "اكرنا", "أوكرانيا");
        mention(s[i], b, "MISC", "سرا", "السورية"); /* an adjective: stays "other" */
        for (int k = 0; k < 3; k++)
            mention(s[i], a, "LOC", "سرا", "سوريا");
        CHECK(store_commit(s[i], &err) == RASD_OK);
        buf_reset(&out);
        EntityFilter places = {NULL, NULL, 0, 0, 0, 1, NULL, 0}; /* adjectives too */
        CHECK(store_each_entity(s[i], &places, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strstr(out.data, "LOC اكرنا 4/2 أوكرانيا أوكرانيا:4 |") &&
              !strstr(out.data, "MISC اكرنا") && strstr(out.data, "MISC سرا 1/1"));
        /* by default an "other" name that is one nisba adjective is left out, like
           the nationality adjectives; a place of that spelling is not */
        buf_reset(&out);
        places.adjectives = 0;
        CHECK(store_each_entity(s[i], &places, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strstr(out.data, "LOC اكرنا 4/2") && !strstr(out.data, "MISC سرا"));
        /* limit and offset count the joined name once */
        buf_reset(&out);
        EntityFilter one = {"PER", "بوتين", 0, 0, 1, 0, NULL, 0};
        CHECK(store_each_entity(s[i], &one, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strncmp(out.data, "PER فلدمر بتن 5/3", strlen("PER فلدمر بتن 5/3")) == 0);
        /* one name's page (by key) joins its surname as the list does */
        buf_reset(&out);
        EntityFilter key = {NULL, NULL, 0, 0, 0, 1, "فلدمر بتن", 0};
        CHECK(store_each_entity(s[i], &key, on_entity_line, &out, &err) == RASD_OK);
        CHECK(out.data && strncmp(out.data, "PER فلدمر بتن 5/3", strlen("PER فلدمر بتن 5/3")) == 0);
        buf_free(&out);
    }
    close_stores(s, n, path);
}

TEST("store: a copy taking an article over moves its names' outlet counts")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t a = put(s[i], "7777222233334444", "نسخة", "ناقل");
        int64_t b = put(s[i], "7777222233335555", "أصل", "مصدر");
        mention(s[i], a, "LOC", "رسا", "روسيا");
        mention(s[i], a, "LOC", "رسا", "روسيا");
        mention(s[i], b, "LOC", "رسا", "روسيا");
        CHECK(store_commit(s[i], &err) == RASD_OK);
        NewArticle m = {"7777222233334444", "الأصل", "مصدر", NULL, "2024-01-01", NULL, NULL,
                        "نص المقال", "test", 0, NULL, 0};
        CHECK(store_begin(s[i], &err) == RASD_OK);
        CHECK(store_set_canonical(s[i], a, &m, &err) == RASD_OK);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        Buf out = {0};
        EntityFilter f = {"LOC", NULL, 0, 0, 0, 0, NULL, 0};
        CHECK(store_each_entity(s[i], &f, on_entity_line, &out, &err) == RASD_OK);
        CHECK_STR(out.data ? out.data : "", "LOC رسا 3/2 روسيا روسيا:3 | مصدر:3/2 |\n");
        buf_free(&out);
    }
    close_stores(s, n, path);
}

static int on_headline(void *ctx, int64_t story, const char *headline)
{
    buf_printf(ctx, "%lld=%s;", (long long)story, headline ? headline : "-");
    return 0;
}

TEST("store: one rule names a name for the names list and the brief: clitics folded, fuller spelling")
{
    /* a spelling with a proclitic left on counts under the clitic-free one
       (للأمم المتحدة under الأمم المتحدة: ل + ال writes no alef) */
    EntityCount a[] = {{"للأمم المتحدة", 5, 2}, {"الأمم المتحدة", 3, 1}, {"وروسيا", 1, 1}};
    size_t n = store_fold_spellings(a, 3, NULL);
    CHECK(n == 2 && strcmp(a[0].text, "الأمم المتحدة") == 0 && a[0].mentions == 8 &&
          a[0].articles == 3 && strcmp(a[1].text, "وروسيا") == 0);
    CHECK(store_display_spelling(a, n) == 0);
    EntityCount b[] = {{"لروسيا", 1, 0}, {"وروسيا", 1, 0}, {"روسيا", 2, 0}};
    CHECK(store_fold_spellings(b, 3, NULL) == 1 && b[0].mentions == 4);
    /* a fuller spelling (more words) used a quarter as often wins; a longer
       one-word spelling (the adjective السورية under سوريا's key) does not */
    EntityCount c[] = {{"توماس", 8, 0}, {"ليندا توماس غرينفيلد", 2, 0}, {"غرينفيلد", 1, 0}};
    n = store_fold_spellings(c, 3, NULL);
    CHECK(strcmp(c[store_display_spelling(c, n)].text, "ليندا توماس غرينفيلد") == 0);
    c[0].mentions = 9;
    CHECK(store_display_spelling(c, n) == 0);
    /* عبد written apart is no extra word: عبد الغفار is not fuller than
       عبدالغفار, إسماعيل عبدالغفار is */
    EntityCount e[] = {{"عبدالغفار", 8, 0}, {"عبد الغفار", 4, 0}, {"إسماعيل عبدالغفار", 2, 0}};
    n = store_fold_spellings(e, 3, NULL);
    CHECK(strcmp(e[store_display_spelling(e, n)].text, "إسماعيل عبدالغفار") == 0);
    EntityCount d[] = {{"السورية", 3, 0}, {"سوريا", 10, 0}};
    n = store_fold_spellings(d, 2, NULL);
    CHECK(strcmp(d[store_display_spelling(d, n)].text, "سوريا") == 0);
    CHECK(store_fold_spellings(d, 0, NULL) == 0 && store_display_spelling(d, 0) == 0);
}

TEST("store: spellings a reader cannot tell apart are one, shown clean")
{
    /* tashkeel, tatweel, a zero-width space, presentation forms and a
       Persian ی are the same written name; ه for ة and a hamza are not */
    EntityCount a[] = {{"اليمن", 10, 6}, {"اليَمَن", 3, 2}, {"اليمــن", 2, 1},
                       {"\xEF\xBA\x8D\xEF\xBB\x9F\xEF\xBB\xB4\xEF\xBB\xA4\xEF\xBB\xA6", 1, 1},
                       {"الیمن", 1, 1}, {"اليمن\xE2\x80\x8B", 1, 1}, {"اليمنه", 1, 1}};
    Buf arena = {0};
    size_t n = store_fold_spellings(a, 7, &arena);
    CHECK(n == 2 && strcmp(a[0].text, "اليمن") == 0 && a[0].mentions == 18 &&
          a[0].articles == 12 && strcmp(a[1].text, "اليمنه") == 0);
    /* only marked forms: the most used one is shown, clean */
    EntityCount b[] = {{"جِدّة", 2, 1}, {"جُدّة", 5, 3}, {"إيران", 1, 1}};
    n = store_fold_spellings(b, 3, &arena);
    CHECK(n == 2 && strcmp(b[0].text, "جدة") == 0 && b[0].mentions == 7 &&
          strcmp(b[1].text, "إيران") == 0);
    /* a spelling of invisible characters only keeps its text */
    EntityCount c[] = {{"\xE2\x80\x8B", 1, 1}};
    CHECK(store_fold_spellings(c, 1, &arena) == 1 && strcmp(c[0].text, "\xE2\x80\x8B") == 0);
    CHECK(!arena.oom);
    buf_free(&arena);
    Buf out = {0};
    CHECK(text_spelling_form("روسيا", strlen("روسيا"), &out) == 0 && out.len == 0);
    CHECK(text_spelling_form("کابل", strlen("کابل"), &out) == 1 && strcmp(out.data, "كابل") == 0);
    buf_free(&out);
}

TEST("store: two stories put and read back with their articles")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        int64_t a = put(s[i], "4444444444444444", "a", "x");
        int64_t b = put(s[i], "5555555555555555", "b", "y");
        StoredStory t = {1, 1, "2024-01-02", "2024-01-02", 1, 2, 0, "a", NULL, 0};
        StoredStory e = {1, 1, "2024-01-02", "2024-01-02", 1, 2, 2, "a", NULL, 0};
        CHECK(store_put_thread(s[i], &t, &err) == RASD_OK);
        CHECK(store_put_event(s[i], &e, &err) == RASD_OK);
        CHECK(store_put_article_event(s[i], a, 1, 0, &err) == RASD_OK);
        CHECK(store_put_article_event(s[i], b, 1, 0.7, &err) == RASD_OK);
        CHECK(store_commit(s[i], &err) == RASD_OK);
        /* a search page's headlines: stored stories only */
        Buf h = {0};
        const int64_t ids[] = {1, 9};
        CHECK(store_story_headlines(s[i], ids, 2, on_headline, &h, &err) == RASD_OK);
        CHECK_STR(h.data ? h.data : "", "1=a;");
        buf_free(&h);
        int64_t me = 0, mt = 0;
        CHECK(store_story_max_ids(s[i], &me, &mt, &err) == RASD_OK);
        CHECK(me == 1 && mt == 1);
        char from[32];
        int found = 1;
        CHECK(store_unassigned_from(s[i], from, sizeof from, &found, &err) == RASD_OK);
        CHECK(!found);
    }
    close_stores(s, n, path);
}

/* ---- stored annotations ---- */

static const char *BODY =
    "قال وزير الخارجية الروسي سيرغي لافروف في موسكو يوم 12 مارس 2024 إن \"المحادثات مستمرة\". "
    "وأضاف أن 300 جندي وصلوا إلى الحدود.";

static int annotate_text(Annotated *an)
{
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK)
        return -1;
    Article a = {0};
    a.body = (char *)BODY;
    a.published = (char *)"2024-03-13";
    int rc = annotate_article(t, &a, 0, an, &err) == RASD_OK ? 0 : -1;
    rasd_text_free(t);
    return rc;
}

/* each_article callback of the paging test: counts rows, checks their
   order and uses the store meanwhile (a query and a transaction of its own) */
typedef struct PageScan {
    Store *s;
    size_t rows, out_of_order, nested_bad;
    char last[17]; /* hash of the previous row (articles share one date: id order = hash order) */
} PageScan;

static int page_row(void *ctx, const StoredArticle *a)
{
    PageScan *p = ctx;
    if (p->rows && strcmp(a->hash, p->last) <= 0)
        p->out_of_order++;
    snprintf(p->last, sizeof p->last, "%s", a->hash);
    p->rows++;
    if (p->s && p->rows % 500 == 0) {
        rasd_error err;
        if (store_count_articles(p->s) != 2100 || store_begin(p->s, &err) != RASD_OK ||
            store_log_file(p->s, "page-test", "ok", NULL, 0, &err) != RASD_OK ||
            store_commit(p->s, &err) != RASD_OK)
            p->nested_bad++;
    }
    return 0;
}

TEST("store: a scan longer than a page sees every row once, in order, and may use the store")
{
    Store *s[2];
    char path[64];
    int n = fresh_stores(s, path);
    for (int i = 0; i < n; i++) {
        rasd_error err;
        CHECK(store_begin(s[i], &err) == RASD_OK);
        for (int k = 0; k < 2100; k++) {
            char h[17];
            snprintf(h, sizeof h, "%016x", 0x10000 + k);
            CHECK(put(s[i], h, "عنوان", "منفذ") > 0);
        }
        CHECK(store_commit(s[i], &err) == RASD_OK);
        PageScan p = {s[i], 0, 0, 0, ""};
        CHECK(store_each_article(s[i], page_row, &p, &err) == RASD_OK);
        CHECK(p.rows == 2100);
        CHECK(p.out_of_order == 0);
        CHECK(p.nested_bad == 0);
        /* the same inside a transaction (a plain cursor on PostgreSQL) */
        CHECK(store_begin(s[i], &err) == RASD_OK);
        PageScan q = {NULL, 0, 0, 0, ""};
        CHECK(store_each_article(s[i], page_row, &q, &err) == RASD_OK);
        CHECK(q.rows == 2100);
        CHECK(q.out_of_order == 0);
        CHECK(store_commit(s[i], &err) == RASD_OK);
    }
    close_stores(s, n, path);
}

TEST("annotations: a stored result decodes to the same tokens, names, quotes, dates and figures")
{
    Annotated a, b;
    CHECK(annotate_text(&a) == 0);
    Buf blob = {0};
    annot_encode(&a, &blob);
    CHECK(!blob.oom);
    size_t len;
    const char *text = rasd_doc_text(a.doc, &len);
    rasd_error err;
    CHECK(annot_decode(text, len, blob.data, blob.len, &b, &err) == RASD_OK);
    CHECK(rasd_doc_ntokens(a.doc) == rasd_doc_ntokens(b.doc));
    for (size_t i = 0; i < rasd_doc_ntokens(a.doc) && i < rasd_doc_ntokens(b.doc); i++) {
        const rasd_token *x = &rasd_doc_tokens(a.doc)[i], *y = &rasd_doc_tokens(b.doc)[i];
        CHECK(x->start == y->start && x->end == y->end && x->type == y->type &&
              x->flags == y->flags && x->pre_len == y->pre_len && x->suf_len == y->suf_len);
        CHECK_STR(y->key, x->key);
        CHECK_STR(y->stem, x->stem);
    }
    CHECK(rasd_doc_nsentences(a.doc) == rasd_doc_nsentences(b.doc));
    CHECK(a.ents.n == b.ents.n && a.ents.n > 0);
    CHECK(a.ents.keys.len == b.ents.keys.len);
    CHECK(a.ents.roles.n == b.ents.roles.n);
    CHECK(a.quotes.n == b.quotes.n && a.quotes.n > 0);
    CHECK(a.ndates == b.ndates && a.ndates > 0);
    if (a.ndates && b.ndates)
        CHECK_STR(b.dates[0].value, a.dates[0].value);
    CHECK(a.nquants == b.nquants);
    CHECK_STR(b.id, a.id);
    /* the same blob again, byte for byte */
    Buf again = {0};
    annot_encode(&b, &again);
    CHECK(again.len == blob.len && memcmp(again.data, blob.data, blob.len) == 0);
    buf_free(&again);
    annotated_free(&b);
    /* every truncation and a flipped byte in each position: an error or a
       valid result, never a crash (ASan watches) */
    for (size_t cut = 0; cut < blob.len; cut += 1 + cut / 16) {
        if (annot_decode(text, len, blob.data, cut, &b, &err) == RASD_OK)
            annotated_free(&b);
    }
    for (size_t k = 4; k < blob.len; k += 1 + k / 32) {
        char saved = blob.data[k];
        blob.data[k] = (char)(saved ^ 0x5a);
        if (annot_decode(text, len, blob.data, blob.len, &b, &err) == RASD_OK)
            annotated_free(&b);
        blob.data[k] = saved;
    }
    CHECK(annot_decode(text, len - 1, blob.data, blob.len, &b, &err) == RASD_EFORMAT);
    blob.data[3] = 99;
    CHECK(annot_decode(text, len, blob.data, blob.len, &b, &err) == RASD_EFORMAT);
    CHECK(strstr(err.msg, "another version") != NULL);
    buf_free(&blob);
    annotated_free(&a);
}

TEST("views: a brief and a story's conflicts read stored annotations and run no annotator")
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/rasd-test-view-%d.db", (int)getpid());
    unlink(path);
    Store *st = NULL;
    rasd_error err;
    CHECK(store_open(path, 0, &st, &err) == RASD_OK);
    if (!st)
        return;
    Batch b = {0};
    for (int k = 0; k < 2; k++) {
        Article *a = batch_add(&b);
        a->body = strdup(BODY);
        a->title = strdup(k ? "لافروف: المحادثات مستمرة" : "المحادثات مستمرة");
        a->outlet = strdup(k ? "عكاظ" : "الرياض");
        a->published = strdup("2024-03-13");
        if (k) { /* not a copy: another outlet's wording */
            free(a->body);
            a->body = strdup("أكد سيرغي لافروف وزير الخارجية الروسي في موسكو أن \"المحادثات "
                             "مستمرة\" وأن 300 جندي وصلوا إلى الحدود في 12 مارس 2024.");
        }
    }
    IngestOptions io = {0};
    io.jobs = 2;
    IngestStats s;
    CHECK(engine_ingest_batch(st, &io, &b, "test", &s, &err) == RASD_OK);
    CHECK(s.added == 2);
    batch_free(&b);
    StoriesStats ss;
    int ran = 0;
    CHECK(engine_assign(st, NULL, &ss, &ran, &err) == RASD_OK);
    CHECK(ran);
    BriefOpts o;
    brief_opts_default(&o);
    Buf json = {0}, cj = {0};
    size_t nc = 0;
    /* once to load the comparison lexicons (analysed once per process) */
    CHECK(story_conflicts(st, 0, 1, &cj, &nc, &err) == RASD_OK);
    buf_reset(&cj);
    uint64_t before = annotate_calls(), text_before = text_analyse_calls();
    CHECK(brief_build(st, 0, 1, &o, &json, &err) == RASD_OK);
    CHECK(story_conflicts(st, 0, 1, &cj, &nc, &err) == RASD_OK);
    CHECK(annotate_calls() == before);
    CHECK(text_analyse_calls() == text_before);
    CHECK(json.len > 0);
    buf_free(&json);
    buf_free(&cj);
    store_close(st);
    unlink(path);
}
