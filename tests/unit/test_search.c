/*
 * test_search.c — Arabic search (src/store/fts.c): the light stem keeps
 * unrelated words apart and joins inflections, the query parser's grammar
 * and errors, and searches over a small in-memory store (diacritics,
 * tatweel, digits and hamza forms do not matter; a name finds its other
 * stored spellings; phrases, exclusions and filters; snippets are marked).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "annotate/names.h"
#include "store/fts.h"
#include "store/store.h"

static rasd_text *tx(void)
{
    static rasd_text *t;
    rasd_error err;
    if (!t && rasd_text_new(&t, &err) != RASD_OK)
        return NULL;
    return t;
}

/* The light stem of a one-word text (malloc'd; "" if it has no word). */
static char *stem(const char *w)
{
    rasd_doc *d = NULL;
    Buf b = {0};
    if (rasd_text_analyse(tx(), w, strlen(w), &d, NULL) == RASD_OK && rasd_doc_ntokens(d))
        fts_light_stem(&rasd_doc_tokens(d)[0], &b);
    rasd_doc_free(d);
    buf_append(&b, "", 0);
    return buf_steal(&b);
}

static int same_stem(const char *a, const char *b)
{
    char *x = stem(a), *y = stem(b);
    int same = strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

TEST("the light stem keeps اصلاحات apart from صالح and صلاح")
{
    CHECK(!same_stem("اصلاحات", "صالح"));
    CHECK(!same_stem("اصلاحات", "صلاح"));
    CHECK(same_stem("الإصلاحات", "إصلاحات"));
}

TEST("the light stem keeps the ف of فساد and strips clitics around it")
{
    char *s = stem("فساد");
    CHECK_STR(s, "فساد");
    free(s);
    CHECK(same_stem("بالفساد", "فساد"));
}

TEST("the light stem keeps الطالبان apart from طالبات and طالبات from the verb طالب")
{
    CHECK(!same_stem("الطالبان", "طالبات"));
    CHECK(!same_stem("طالبات", "طالب"));
    CHECK(same_stem("الطالبات", "طالبة"));
}

TEST("the light stem joins plurals, clitics and a ta marbuta written ه")
{
    CHECK(same_stem("والمفاوضات", "مفاوضات"));
    CHECK(same_stem("وسيارتهم", "السيارة"));
    CHECK(same_stem("السعوديين", "السعودي"));
    CHECK(same_stem("المكرمه", "المكرمة"));
    CHECK(same_stem("بكورونا", "كورونا"));
    CHECK(same_stem("وكورونا", "كـورونـا"));
}

/* Every token of a stream as "token@start-end+ " (+: colocated). */
static int collect_token(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    buf_printf(ctx, "%.*s@%u-%u%c ", (int)len, tok, a, b, coloc ? '+' : ' ');
    return 0;
}

/* The stream fts_fed_tokens gives for text[0, n) from the analysis d of the
   whole text, against fts_tokens' fresh analysis: 1 equal, 0 different, -2
   when the fed path declined (a token spans the prefix's last space). */
static int fed_equals_fresh(const rasd_doc *d, const char *text, size_t n, int flags)
{
    Buf fed = {0}, fresh = {0}, scratch = {0};
    int rc = fts_fed_tokens(tx(), d, text, n, flags, &scratch, collect_token, &fed);
    int same = -2;
    if (rc != -2) {
        fts_tokens(tx(), text, n, flags, &scratch, collect_token, &fresh);
        same = rc == 0 && fed.len == fresh.len && (!fed.len || !memcmp(fed.data, fresh.data, fed.len));
        if (!same)
            fprintf(stderr, "  text [0,%zu) flags %d\n  fed:   %.*s\n  fresh: %.*s\n", n, flags,
                    (int)fed.len, fed.data ? fed.data : "", (int)fresh.len,
                    fresh.data ? fresh.data : "");
    }
    buf_free(&fed);
    buf_free(&fresh);
    buf_free(&scratch);
    return same;
}

TEST("the search index fed the annotation's tokens (a whole text or its lead) gets what a fresh analysis gives")
{
    static const char *const texts[] = {
        "قال وزير الخارجية الروسي سيرغي لافروف في موسكو يوم ١٢ مارس 2024 إن «المحادثات مستمرة».",
        "وبالإصلاحات الاقتصادية، أعلنت الحكومةُ ـــ للمرة الثانية ـــ عن 3.5 مليار ريال للطالبات\n"
        "والطلاب في جامعة الملك سعود (KSU) بحسب https://example.org/a?b=1 وكالة واس.",
        "  Reuters: Oil prices rose 2%  —  فيما تراجع مؤشر «تاسي»  بنسبة ٠٫٤٪ ... كورونا؟! لكنّ "
        "المسؤولين قالوا: \"لا تغيير\".\n\nوأضاف: سنواصل.",
    };
    int fed = 0, declined = 0;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *t = texts[i];
        size_t n = strlen(t);
        rasd_doc *d = NULL;
        CHECK(rasd_text_analyse(tx(), t, n, &d, NULL) == RASD_OK);
        if (!d)
            continue;
        for (int flags = 0; flags <= FTS_TOK_SNOWBALL; flags += FTS_TOK_SNOWBALL) {
            CHECK(fed_equals_fresh(d, t, n, flags) == 1); /* the whole text */
            /* every lead: each prefix ending on a character boundary */
            for (size_t cut = 1; cut < n; cut++) {
                if (((unsigned char)t[cut] & 0xC0) == 0x80)
                    continue;
                int r = fed_equals_fresh(d, t, cut, flags);
                CHECK(r != 0);
                fed += r == 1;
                declined += r == -2;
            }
        }
        rasd_doc_free(d);
    }
    /* tokens do not reach across a space: the fed path is taken for (nearly) every lead */
    CHECK(fed > 0 && fed > 10 * declined);
}

TEST("the query parser reads words, phrases, exclusions, exact forms and OR")
{
    FtsQuery q;
    rasd_error err;
    const char *s = "كوريا \"بيونغ يانغ\" -روسيا =الذخائر a OR b";
    CHECK(fts_parse_query(s, strlen(s), &q, &err) == RASD_OK);
    CHECK(q.n == 6);
    if (q.n == 6) {
        CHECK(q.clauses[1].phrase && q.clauses[1].len == strlen("بيونغ يانغ"));
        CHECK(q.clauses[2].negated && !q.clauses[2].phrase);
        CHECK(q.clauses[3].exact);
        CHECK(q.clauses[4].or_next && !q.clauses[5].or_next);
    }
    fts_query_free(&q);
}

TEST("the query parser refuses an unclosed quote, an empty query and exclusions alone")
{
    FtsQuery q;
    rasd_error err;
    CHECK(fts_parse_query("\"بيونغ", strlen("\"بيونغ"), &q, &err) == RASD_EINVAL);
    CHECK(strstr(err.msg, "never closed") != NULL);
    CHECK(fts_parse_query("   ", 3, &q, &err) == RASD_EINVAL);
    CHECK(fts_parse_query("-روسيا", strlen("-روسيا"), &q, &err) == RASD_EINVAL);
}

TEST("the query expression quotes user text so FTS5 syntax in a query is only text")
{
    FtsQuery q;
    rasd_error err;
    const char *s = "NEAR(a b) title:x ^y (c* \"d\"\"";
    /* an odd number of quotes: the last one is unclosed */
    CHECK(fts_parse_query(s, strlen(s), &q, &err) == RASD_EINVAL);
    s = "NEAR(a title:x ^y (c* AND";
    CHECK(fts_parse_query(s, strlen(s), &q, &err) == RASD_OK);
    Buf e = {0};
    CHECK(fts_expression(NULL, &q, FTS_ALL, &e, &err) == RASD_OK);
    CHECK(e.data && strstr(e.data, "(\"NEAR(a\")") != NULL);
    buf_free(&e);
    fts_query_free(&q);
}

/* ---- searches over a small store ----------------------------------- */

typedef struct Doc {
    const char *title, *outlet, *date, *body, *mention; /* mention: a PER/LOC name in body */
} Doc;

static const Doc docs[] = {
    {"روسيا تشتري ذخائر من كوريا الشمالية", "outlet-a", "2023-09-01",
     "قالت واشنطن إن موسكو تفاوض بيونغ يانغ على شراء الذخائر. وأكد البيت الأبيض أن 2216 قذيفة "
     "وصلت.", "بيونغ يانغ"},
    {"مفاوضات في بيونج يانج", "outlet-b", "2023-09-05",
     "بدأت المفاوضات في بيونج يانج بين الوفدين حول صفقة الأسلحة.", "بيونج يانج"},
    {"جوجل تطلق خدمة جديدة", "outlet-a", "2023-10-01",
     "أعلنت شركة غوغل عن خدمة جديدة للبحث باللغة العربية.", "غوغل"},
    {"الطالبات يعدن إلى الجامعة", "outlet-c", "2023-10-02",
     "عادت الطالبات إلى قاعات الجامعة بعد الإجازة. وطالب الأهالي بتحسين النقل.", NULL},
    {"حركة طالبان", "outlet-c", "2023-10-03", "أعلنت حركة الطالبان سيطرتها على ممر جبلي.", NULL},
};

/* A store of the n documents dv; a document's mention is filed under
   keyof (NULL: the mention's own key), as an article that names the full
   name files its surname under the full name's key. */
static Store *store_of(const Doc *dv, size_t n, const char *const *keyof)
{
    Store *st = NULL;
    rasd_error err;
    if (store_open(":memory:", 0, &st, &err) != RASD_OK)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char hash[17];
        snprintf(hash, sizeof hash, "%016zx", i + 1);
        NewArticle a = {hash, dv[i].title, dv[i].outlet, NULL, dv[i].date, NULL, NULL,
                        dv[i].body, "test", 0, NULL, 0};
        int64_t id = 0;
        if (store_put_article(st, &a, &id, &err) != RASD_OK)
            break;
        if (dv[i].mention) {
            const char *m = strstr(dv[i].body, dv[i].mention);
            Buf key = {0};
            if (keyof && keyof[i])
                buf_puts(&key, keyof[i]);
            else
                names_key(dv[i].mention, strlen(dv[i].mention), &key);
            store_put_mention(st, id, "PER", key.data, key.len, dv[i].mention,
                              strlen(dv[i].mention), (uint32_t)(m - dv[i].body),
                              (uint32_t)(m - dv[i].body + strlen(dv[i].mention)), &err);
            buf_free(&key);
        }
        fts_index_stored(st, id, &err);
    }
    return st;
}

static Store *make_store(void) { return store_of(docs, sizeof docs / sizeof docs[0], NULL); }

/* Titles of the hits of query (with o, or defaults), joined by "|"; malloc'd. */
static char *titles(Store *st, const char *query, const FtsOptions *o)
{
    FtsQuery q;
    rasd_error err;
    FtsOptions d = {0};
    Buf b = {0};
    if (fts_parse_query(query, strlen(query), &q, &err) != RASD_OK)
        return strdup("(parse error)");
    FtsHits h;
    if (fts_search(st, &q, o ? o : &d, &h, &err) == RASD_OK) {
        for (size_t i = 0; i < h.n; i++) {
            if (i)
                buf_putc(&b, '|');
            buf_puts(&b, h.v[i].title ? h.v[i].title : "");
        }
        fts_hits_free(&h);
    } else {
        buf_puts(&b, "(search error)");
    }
    fts_query_free(&q);
    buf_append(&b, "", 0);
    return buf_steal(&b);
}

static int has_title(const char *list, const char *title) { return strstr(list, title) != NULL; }

TEST("search ignores diacritics, tatweel, hamza forms and Arabic-Indic digits in a query")
{
    Store *st = make_store();
    CHECK(st != NULL);
    if (!st)
        return;
    char *a = titles(st, "الذَّخَائِر", NULL), *b = titles(st, "الـذخـائـر", NULL),
         *c = titles(st, "٢٢١٦", NULL), *d = titles(st, "اكد البيت الابيض", NULL);
    CHECK(has_title(a, "روسيا تشتري"));
    CHECK(has_title(b, "روسيا تشتري"));
    CHECK(has_title(c, "روسيا تشتري"));
    CHECK(has_title(d, "روسيا تشتري"));
    free(a), free(b), free(c), free(d);
    store_close(st);
}

TEST("a name finds its other stored spellings, its own spelling first")
{
    Store *st = make_store();
    if (!st)
        return;
    char *a = titles(st, "بيونغ يانغ", NULL), *g = titles(st, "جوجل", NULL);
    CHECK(has_title(a, "روسيا تشتري") && has_title(a, "مفاوضات في بيونج يانج"));
    CHECK(strncmp(a, "روسيا تشتري", strlen("روسيا تشتري")) == 0);
    CHECK(has_title(g, "جوجل تطلق"));
    free(a), free(g);
    store_close(st);
}

/* Khamenei in the usual spelling, Khomeini (whose name key the alias
   table's خامنئي shares), and a surname whose usual spelling's mentions are
   filed under the full name's key. Invented sentences. */
static const Doc names_docs[] = {
    {"خامنئي يلقي خطابا", "outlet-a", "2023-09-01", "ألقى خامنئي خطابا في طهران.", "خامنئي"},
    {"المرشد خامنئي يستقبل وفدا", "outlet-b", "2023-09-02", "استقبل خامنئي وفدا عراقيا.",
     "خامنئي"},
    {"ذكرى الخميني", "outlet-c", "2023-09-03", "أحيا أنصار الخميني ذكرى وفاته.", "الخميني"},
    {"لاعب يغادر الفريق", "outlet-a", "2023-09-04",
     "قال مورينهو إن اللاعب سيغادر. وأضاف مورينهو أن الفريق سيتعاقد مع بديل، وختم مورينهو "
     "حديثه.", "مورينهو"},
    {"مورينيو يجدد عقده", "outlet-a", "2023-09-05", "جدد جوزيه مورينيو عقده مع النادي.",
     "مورينيو"},
    {"مورينيو يشيد باللاعبين", "outlet-b", "2023-09-06", "أشاد مورينيو باللاعبين.", "مورينيو"},
    {"مورينيو يرد على المنتقدين", "outlet-c", "2023-09-07", "رد مورينيو على منتقديه.",
     "مورينيو"},
    {"مورينيو والصفقات", "outlet-a", "2023-09-08", "تحدث مورينيو عن الصفقات.", "مورينيو"},
    {"مورينيو في المؤتمر", "outlet-b", "2023-09-09", "قال مورينيو في المؤتمر الصحفي.",
     "مورينيو"},
};

TEST("an alias-keyed name ending in a stopword finds the usual spelling, not a name sharing its key")
{
    Store *st = store_of(names_docs, sizeof names_docs / sizeof names_docs[0], NULL);
    if (!st)
        return;
    char *a = titles(st, "خامنه اي", NULL);
    CHECK(has_title(a, "خامنئي يلقي خطابا") && has_title(a, "المرشد خامنئي يستقبل وفدا"));
    CHECK(!has_title(a, "ذكرى الخميني"));
    free(a);
    store_close(st);
}

TEST("a surname in a rare spelling searches first the spelling most articles use")
{
    /* the usual spelling's mentions are under the full name's key but one */
    const char *keyof[] = {NULL, NULL, NULL, NULL, NULL, "كسا مرنو", "كسا مرنو", "كسا مرنو",
                           "كسا مرنو"};
    Store *st = store_of(names_docs, sizeof names_docs / sizeof names_docs[0], keyof);
    if (!st)
        return;
    char *a = titles(st, "مورينهو", NULL);
    /* the one article writing مورينهو (three times, in its body) comes after
       the five writing مورينيو */
    CHECK(strncmp(a, "مورينيو", strlen("مورينيو")) == 0);
    const char *last = strrchr(a, '|');
    CHECK(last && strcmp(last + 1, "لاعب يغادر الفريق") == 0);
    free(a);
    store_close(st);
}

TEST("searching الطالبات does not bring back طالبان, nor the verb طالب alone")
{
    Store *st = make_store();
    if (!st)
        return;
    char *a = titles(st, "الطالبات", NULL);
    CHECK_STR(a, "الطالبات يعدن إلى الجامعة");
    free(a);
    store_close(st);
}

TEST("phrases, exclusions and the OR fallback behave")
{
    Store *st = make_store();
    if (!st)
        return;
    FtsOptions all = {0};
    all.all_terms = 1;
    char *p = titles(st, "\"بعد الجامعة\"", NULL), *n = titles(st, "المفاوضات -بيونج", NULL),
         *f = titles(st, "جوجل طالبان", NULL), *x = titles(st, "جوجل طالبان", &all);
    CHECK(p[0] == 0); /* not adjacent in that order */
    CHECK(!has_title(n, "مفاوضات في بيونج يانج"));
    CHECK(has_title(f, "جوجل تطلق") && has_title(f, "حركة طالبان"));
    CHECK(x[0] == 0);
    free(p), free(n), free(f), free(x);
    store_close(st);
}

TEST("filters by outlet and date range, and snippets mark the matches")
{
    Store *st = make_store();
    if (!st)
        return;
    FtsOptions o = {0};
    o.outlet = "outlet-b";
    char *a = titles(st, "بيونغ يانغ", &o);
    CHECK_STR(a, "مفاوضات في بيونج يانج");
    free(a);
    FtsOptions d = {0};
    d.since = "2023-09-02";
    d.until = "2023-09";
    a = titles(st, "بيونغ يانغ", &d);
    CHECK_STR(a, "مفاوضات في بيونج يانج");
    free(a);
    FtsQuery q;
    rasd_error err;
    FtsOptions m = {0};
    m.mark_open = "<b>";
    m.mark_close = "</b>";
    CHECK(fts_parse_query("الذخائر", strlen("الذخائر"), &q, &err) == RASD_OK);
    FtsHits h;
    CHECK(fts_search(st, &q, &m, &h, &err) == RASD_OK);
    CHECK(h.n == 1 && h.v[0].snippet && strstr(h.v[0].snippet, "<b>الذخائر</b>"));
    fts_hits_free(&h);
    fts_query_free(&q);
    store_close(st);
}

static int count_article(void *ctx, const FtsArticle *a)
{
    (*(int *)ctx) += a->body && *a->body;
    return 0;
}

TEST("the index can be rebuilt and articles read back for export")
{
    Store *st = make_store();
    if (!st)
        return;
    rasd_error err;
    CHECK(fts_reindex(st, &err) == RASD_OK);
    char *a = titles(st, "جوجل", NULL);
    CHECK(has_title(a, "جوجل تطلق"));
    free(a);
    int64_t ids[] = {1, 3, 99};
    int n = 0;
    CHECK(fts_each_article(st, ids, 3, count_article, &n, &err) == RASD_OK);
    CHECK(n == 2);
    store_close(st);
}

/* Collects fts_tokens output as "tok@start-end" (a leading + when colocated). */
static int collect(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    Buf *out = ctx;
    if (out->len)
        buf_putc(out, ' ');
    if (coloc)
        buf_putc(out, '+');
    buf_append(out, tok, len);
    buf_printf(out, "@%u-%u", a, b);
    return 0;
}

static char *stream(const char *text, int flags)
{
    Buf out = {0}, scratch = {0};
    if (fts_tokens(tx(), text, strlen(text), flags, &scratch, collect, &out) != 0)
        buf_puts(&out, "(error)");
    buf_free(&scratch);
    buf_append(&out, "", 0);
    return buf_steal(&out);
}

TEST("the token stream, without SQLite: stems with keys at the same position, queries stems only")
{
    char *d = stream("بالفساد، كـورونـا", 0);
    CHECK_STR(d, "فساد@0-14 +=بالفساد@0-14 كورو@17-33 +=كورونا@17-33");
    free(d);
    char *q = stream("بالفساد", FTS_TOK_QUERY);
    CHECK_STR(q, "فساد@0-14");
    free(q);
    char *x = stream("=بالفساد", FTS_TOK_QUERY | FTS_TOK_EXACT);
    CHECK_STR(x, "=بالفساد@1-15");
    free(x);
    char *k = stream("\x01" "جوجل\nغوغل", 0);
    CHECK_STR(k, "\x01" "جوجل@1-9 \x01" "غوغل@10-18");
    free(k);
}

TEST("an index without this tokenizer's version is rebuilt when the store opens")
{
    char path[] = "/tmp/rasd-test-ftsver-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return;
    close(fd);
    rasd_error err;
    Store *st = NULL;
    CHECK(store_open(path, 0, &st, &err) == RASD_OK);
    if (!st) {
        unlink(path);
        return;
    }
    NewArticle a = {"00000000000000aa", "جوجل تطلق خدمة", "outlet-a", NULL, "2023-10-01", NULL,
                    NULL, "أطلقت جوجل خدمة جديدة.", "test", 0, NULL, 0};
    int64_t id = 0;
    CHECK(store_put_article(st, &a, &id, &err) == RASD_OK);
    CHECK(fts_index_stored(st, id, &err) == RASD_OK);
    /* an index as an older tokenizer left it: nothing indexed, no version */
    sqlite3 *db = store_sqlite(st);
    CHECK(sqlite3_exec(db, "INSERT INTO article_fts(article_fts) VALUES('delete-all');"
                           "DELETE FROM article_fts_config WHERE k = 'rasd-tokens'",
                       NULL, NULL, NULL) == SQLITE_OK);
    char *t = titles(st, "جوجل", NULL);
    CHECK_STR(t, "");
    free(t);
    store_close(st);
    st = NULL;
    CHECK(store_open(path, 0, &st, &err) == RASD_OK);
    if (st) {
        t = titles(st, "غوغل OR جوجل", NULL);
        CHECK_STR(t, "جوجل تطلق خدمة");
        free(t);
        sqlite3_stmt *q = NULL;
        int v = -1;
        if (sqlite3_prepare_v2(store_sqlite(st),
                               "SELECT v FROM article_fts_config WHERE k = 'rasd-tokens'", -1, &q,
                               NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        CHECK(v == FTS_TOKENS_VERSION);
        store_close(st);
    }
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}
