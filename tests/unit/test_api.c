/*
 * test_api.c — the public engine API (include/rasd.h) as an embedding
 * program calls it: ingesting JSON and paths, listing stories and names,
 * briefs, conflicts and articles as JSON and as structs with their
 * renderers, the feed, the public buffer, the debugging views, and the one
 * clear error each call gives a bad argument. Invented articles only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "rasd.h"

/* Two reports of one happening, two outlets, with URLs. */
static const char *ARTICLES =
    "[{\"title\":\"وصول 300 جندي إلى الحدود\",\"source\":\"المدينة\",\"published\":\"2024-03-13\","
    "\"url\":\"https://madina.example/1\",\"text\":\"قال وزير الدفاع خالد الناصر في الرياض يوم 12 "
    "مارس 2024 إن 300 جندي وصلوا إلى الحدود الشمالية. وأضاف أن \\\"المهمة مستمرة\\\".\"},"
    "{\"title\":\"الناصر: 400 جندي على الحدود\",\"source\":\"الوطن\",\"published\":\"2024-03-13\","
    "\"url\":\"https://watan.example/2\",\"text\":\"أكد وزير الدفاع خالد الناصر في الرياض أن 400 "
    "جندي وصلوا إلى الحدود الشمالية في 12 مارس 2024، وأن \\\"المهمة مستمرة\\\".\"}]";

static int on_story(void *ctx, const rasd_story *s)
{
    int64_t *first = ctx;
    if (!*first)
        *first = s->id;
    return 0;
}

static int on_entity(void *ctx, const rasd_entity *x)
{
    size_t *n = ctx;
    (*n)++;
    return x->mentions <= 0; /* stop (and fail the count) on a nonsense row */
}

static int stop_first(void *ctx, const rasd_story *s)
{
    (void)s;
    (*(int *)ctx)++;
    return 1;
}

static char *db_path(char *buf, size_t n, const char *what)
{
    snprintf(buf, n, "/tmp/rasd-test-api-%s-%d.db", what, (int)getpid());
    unlink(buf);
    return buf;
}

/* A new engine on an empty store at path (named by what), with ARTICLES
   ingested when ingest is set; NULL (the failure checked) when it cannot. */
static rasd_engine *fresh(char path[96], const char *what, int ingest)
{
    rasd_engine *e = NULL;
    rasd_error err;
    CHECK(rasd_engine_open(db_path(path, 96, what), 0, &e, &err) == RASD_OK);
    if (e && ingest)
        CHECK(rasd_engine_ingest_json(e, ARTICLES, strlen(ARTICLES), "test", NULL, &err) ==
              RASD_OK);
    return e;
}

TEST("api: an engine ingests JSON, lists its story and names, and gives briefs, conflicts and articles as JSON")
{
    char path[96];
    rasd_engine *e = NULL;
    rasd_error err;
    CHECK(rasd_engine_open(db_path(path, sizeof path, "json"), 0, &e, &err) == RASD_OK);
    if (!e)
        return;
    rasd_ingest_stats s;
    memset(&s, 0, sizeof s);
    CHECK(rasd_engine_ingest_json(e, ARTICLES, strlen(ARTICLES), "test", &s, &err) == RASD_OK);
    CHECK(s.articles == 2 && s.added == 2);
    CHECK(rasd_engine_ingest_json(e, ARTICLES, strlen(ARTICLES), NULL, &s, &err) == RASD_OK);
    CHECK(s.added == 0 && s.duplicates == 2);
    int64_t story = 0;
    CHECK(rasd_engine_each_story(e, NULL, on_story, &story, &err) == RASD_OK && story > 0);
    int calls = 0;
    CHECK(rasd_engine_each_story(e, "2024-01-01", stop_first, &calls, &err) == RASD_OK &&
          calls == 1);
    size_t names = 0;
    CHECK(rasd_engine_each_entity(e, NULL, NULL, 1, 0, 0, on_entity, &names, &err) == RASD_OK &&
          names > 0);
    char *j = NULL;
    size_t n = 0;
    CHECK(rasd_engine_brief_json(e, story, 0, &j, &n, &err) == RASD_OK && j && n == strlen(j));
    CHECK(j && strstr(j, "\"cite\":{") && strstr(j, "https://madina.example/1"));
    rasd_free(j);
    j = NULL;
    CHECK(rasd_engine_conflicts_json(e, story, 0, &j, &n, &err) == RASD_OK && j && j[0] == '[');
    rasd_free(j);
    j = NULL;
    CHECK(rasd_engine_brief_json(e, 999999, 0, &j, &n, &err) == RASD_ENOTFOUND && !j);
    /* an article by its row number, with its annotations */
    CHECK(rasd_engine_article_json(e, "1", &j, &n, &err) == RASD_OK && j &&
          strstr(j, "\"entities\"") && strstr(j, "\"quotes\""));
    rasd_free(j);
    j = NULL;
    CHECK(rasd_engine_article_json(e, "no-such-article", &j, &n, &err) != RASD_OK && !j);
    rasd_engine_close(e);
    unlink(path);
}

TEST("api: a brief and a conflict set render as text, Markdown, HTML and JSON with their citations")
{
    char path[96];
    rasd_error err;
    rasd_engine *e = fresh(path, "render", 1);
    if (!e)
        return;
    int64_t story = 0;
    CHECK(rasd_engine_each_story(e, NULL, on_story, &story, &err) == RASD_OK);
    rasd_brief *b = NULL;
    rasd_conflict_set *c = NULL;
    CHECK(rasd_engine_brief(e, story, 0, &b, &err) == RASD_OK && b);
    CHECK(rasd_engine_conflicts(e, story, 0, &c, &err) == RASD_OK && c);
    if (b && c) {
        CHECK(b->nsummary >= 1 && b->summary[0].cite.url &&
              !strncmp(b->summary[0].cite.url, "https://", 8) && b->summary[0].cite.outlet);
        static const int fmts[] = {RASD_FMT_TEXT, RASD_FMT_MD, RASD_FMT_HTML, RASD_FMT_JSON};
        for (size_t i = 0; i < 4; i++) {
            char *out = NULL;
            size_t len = 0;
            CHECK(rasd_brief_render(b, fmts[i], &out, &len, &err) == RASD_OK && out &&
                  len == strlen(out));
            /* every format reaches the article's web address */
            CHECK(out && strstr(out, "example/"));
            rasd_free(out);
        }
        for (size_t i = 0; i < 4; i += 3) { /* text and JSON */
            char *out = NULL;
            CHECK(rasd_conflicts_render(c, fmts[i], &out, NULL, &err) == RASD_OK && out);
            rasd_free(out);
            out = NULL;
            CHECK(rasd_timeline_render(b, fmts[i], &out, NULL, &err) == RASD_OK && out);
            rasd_free(out);
        }
        char *out = NULL;
        CHECK(rasd_brief_render(b, 42, &out, NULL, &err) == RASD_EINVAL && !out);
        CHECK(rasd_conflicts_render(c, RASD_FMT_HTML, &out, NULL, &err) == RASD_EINVAL);
        CHECK(rasd_timeline_render(b, RASD_FMT_MD, &out, NULL, &err) == RASD_EINVAL);
        CHECK(rasd_brief_name_outlets(b, e, &err) == RASD_OK);
        CHECK(rasd_conflict_set_name_outlets(c, e, &err) == RASD_OK);
    }
    rasd_brief_free(b);
    rasd_conflict_set_free(c);
    /* the feed of the story, and of a story that is not there */
    rasd_buf feed = {0};
    rasd_feed_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.story = story;
    fo.base_url = "http://127.0.0.1:8080/";
    CHECK(rasd_engine_feed(e, &fo, &feed, &err) == RASD_OK && feed.data &&
          strstr(feed.data, "<feed"));
    rasd_buf_free(&feed);
    fo.story = 999999;
    CHECK(rasd_engine_feed(e, &fo, &feed, &err) == RASD_ENOTFOUND);
    rasd_buf_free(&feed);
    rasd_engine_close(e);
    unlink(path);
}

TEST("api: paths are ingested through the engine, and a read-only engine refuses to write")
{
    char path[96];
    rasd_error err;
    rasd_engine *e = fresh(path, "paths", 0);
    if (!e)
        return;
    const char *paths[] = {"examples/seeds"};
    rasd_ingest_stats s;
    memset(&s, 0, sizeof s);
    CHECK(rasd_engine_ingest_paths(e, paths, 1, &s, &err) == RASD_OK && s.added >= 5);
    CHECK(rasd_engine_ingest_paths(e, NULL, 1, &s, &err) == RASD_EINVAL);
    rasd_engine_close(e);
    e = NULL;
    CHECK(rasd_engine_open(path, 1, &e, &err) == RASD_OK);
    if (e) {
        CHECK(rasd_engine_ingest_paths(e, paths, 1, &s, &err) == RASD_EINVAL &&
              strstr(err.msg, "read-only"));
        CHECK(rasd_engine_ingest_json(e, "[]", 2, NULL, &s, &err) == RASD_EINVAL);
        rasd_engine_close(e);
    }
    unlink(path);
}

TEST("api: each call names itself when given a bad argument")
{
    rasd_error err;
    rasd_engine *e = NULL;
    char *s = NULL;
    CHECK(rasd_engine_open(NULL, 0, &e, &err) == RASD_EINVAL && !e);
    CHECK(rasd_engine_ingest_json(NULL, "[]", 2, NULL, NULL, &err) == RASD_EINVAL &&
          strstr(err.msg, "rasd_engine_ingest_json"));
    CHECK(rasd_engine_each_story(NULL, NULL, on_story, NULL, &err) == RASD_EINVAL &&
          strstr(err.msg, "rasd_engine_each_story"));
    CHECK(rasd_engine_each_entity(NULL, NULL, NULL, 0, 0, 0, on_entity, NULL, &err) ==
          RASD_EINVAL);
    CHECK(rasd_engine_brief_json(NULL, 1, 0, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_engine_conflicts_json(NULL, 1, 0, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_engine_article_json(NULL, "1", &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_engine_brief(NULL, 1, 0, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_engine_conflicts(NULL, 0, 0, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_engine_feed(NULL, NULL, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_read_file(NULL, 0, NULL, NULL, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_analyze_json(NULL, NULL, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_brief_render(NULL, RASD_FMT_TEXT, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_conflicts_render(NULL, RASD_FMT_TEXT, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_timeline_render(NULL, RASD_FMT_TEXT, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_doc_render(NULL, RASD_VIEW_TOKENS, 0, 0, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_dates_render(NULL, NULL, 0, RASD_FMT_TEXT, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_name_key(NULL, 0, RASD_NAME_KEY, &s, NULL, &err) == RASD_EINVAL);
    CHECK(rasd_conll_tag(NULL, 3, NULL, &s, NULL, &err) == RASD_EINVAL);
    CHECK(s == NULL);
}

TEST("api: the public buffer appends, formats, escapes, steals and reads files")
{
    rasd_buf b = {0};
    rasd_buf_puts(&b, "a");
    rasd_buf_putc(&b, 'b');
    rasd_buf_append(&b, "cd", 2);
    rasd_buf_printf(&b, "%d", 7);
    rasd_buf_put_json_string(&b, "\"x\"", 3);
    CHECK(b.data && b.len == 12 && !memcmp(b.data, "abcd7\"\\\"x\\\"\"", 12));
    rasd_buf_reset(&b);
    CHECK(b.len == 0);
    rasd_buf_puts(&b, "z");
    char *s = rasd_buf_steal(&b);
    CHECK(s && !strcmp(s, "z") && b.data == NULL);
    rasd_free(s);
    rasd_error err;
    CHECK(rasd_buf_read_file(&b, "examples/seeds/manifest.jsonl", &err) == RASD_OK && b.len > 0);
    rasd_buf_free(&b);
    CHECK(rasd_buf_read_file(&b, "/nonexistent/rasd-file", &err) != RASD_OK &&
          strstr(err.msg, "rasd-file"));
    rasd_buf_free(&b);
}

TEST("api: the debugging views render a document's tokens, segments, sentences, dates, keys and tags")
{
    rasd_text *t = NULL;
    rasd_error err;
    CHECK(rasd_text_new(&t, &err) == RASD_OK);
    if (!t)
        return;
    const char *txt = "وصل الوزير إلى الرياض في 12 مارس 2024. وقال إن المحادثات مستمرة.";
    rasd_doc *d = NULL;
    CHECK(rasd_text_analyse(t, txt, strlen(txt), &d, &err) == RASD_OK);
    if (d) {
        static const int views[] = {RASD_VIEW_TOKENS, RASD_VIEW_SEGMENTS, RASD_VIEW_SENTENCES,
                                    RASD_VIEW_JSON};
        for (size_t i = 0; i < 4; i++) {
            char *out = NULL;
            size_t n = 0;
            CHECK(rasd_doc_render(d, views[i], 0, 0, &out, &n, &err) == RASD_OK && out && n);
            rasd_free(out);
        }
        char *out = NULL;
        /* a token range past the end is clamped; begin after end gives nothing */
        CHECK(rasd_doc_render(d, RASD_VIEW_TOKENS, 2, 100000, &out, NULL, &err) == RASD_OK && out);
        rasd_free(out);
        out = NULL;
        CHECK(rasd_doc_render(d, RASD_VIEW_TOKENS, 5, 3, &out, NULL, &err) == RASD_OK && out);
        rasd_free(out);
        out = NULL;
        CHECK(rasd_doc_render(d, 99, 0, 0, &out, NULL, &err) == RASD_EINVAL &&
              strstr(err.msg, "unknown view"));
        CHECK(rasd_dates_render(d, "2024-03-13", RASD_DATES_TIMEX, RASD_FMT_JSON, &out, NULL,
                                &err) == RASD_OK &&
              out && strstr(out, "2024-03-12"));
        rasd_free(out);
        out = NULL;
        CHECK(rasd_dates_render(d, NULL, 0, RASD_FMT_TEXT, &out, NULL, &err) == RASD_OK && out);
        rasd_free(out);
        out = NULL;
        CHECK(rasd_dates_render(d, NULL, 0, RASD_FMT_HTML, &out, NULL, &err) == RASD_EINVAL);
        rasd_doc_free(d);
    }
    rasd_text_free(t);
    static const int kinds[] = {RASD_NAME_KEY, RASD_NAME_SKELETON, RASD_NAME_FORM};
    for (size_t i = 0; i < 3; i++) {
        char *k = NULL;
        size_t n = 0;
        CHECK(rasd_name_key("سيرغي لافروف", strlen("سيرغي لافروف"), kinds[i], &k, &n, &err) ==
                  RASD_OK &&
              k && n > 0);
        rasd_free(k);
    }
    double dist = -1;
    CHECK(rasd_name_same("لافروف", strlen("لافروف"), "لافروف", strlen("لافروف"), &dist) == 1 &&
          dist == 0);
    const char *conll = "وصل O\nالوزير O\nإلى O\nالرياض O\n\n";
    char *tags = NULL;
    CHECK(rasd_conll_tag(conll, strlen(conll), "t.conll", &tags, NULL, &err) == RASD_OK && tags &&
          strstr(tags, "الرياض "));
    rasd_free(tags);
    tags = NULL;
    CHECK(rasd_conll_tag("", 0, NULL, &tags, NULL, &err) == RASD_OK && tags && !*tags);
    rasd_free(tags);
}

TEST("api: rasd_normalise maps each output byte back to the input byte it came from, past a BOM, NUL and bad bytes")
{
    /* BOM, "أ", NUL, a truncated 3-byte sequence, "ب", a lone continuation byte, "ب" */
    static const char s[] = "\xEF\xBB\xBF\xD8\xA3\0\xE2\x82\xD8\xA8\xBF\xD8\xA8";
    size_t len = sizeof s - 1;
    char *out = NULL;
    uint32_t *map = NULL;
    size_t n = 0;
    rasd_error err;
    CHECK(rasd_normalise(s, len, RASD_NORM_KEY, &out, &n, &map, &err) == RASD_OK && out && map);
    if (out && map) {
        CHECK(map[n] == len);
        CHECK(n >= 2 && (unsigned char)out[0] == 0xD8 && map[0] == 3); /* أ → ا, after the BOM */
        int inside = 1, rising = 1;
        for (size_t b = 0; b < n; b++) {
            inside &= map[b] < len;
            rising &= !b || map[b] >= map[b - 1];
        }
        CHECK(inside && rising);
        /* the last character, ب, comes from the input's last two bytes */
        CHECK(!strcmp(out + n - 2, "\xD8\xA8") && map[n - 2] == len - 2);
    }
    free(out);
    free(map);
    out = NULL;
    CHECK(rasd_normalise(s, len, RASD_NORM_DISPLAY, &out, &n, NULL, &err) == RASD_OK && out);
    free(out);
    CHECK(rasd_normalise(s, len, 7, &out, &n, NULL, &err) == RASD_EINVAL);
}

TEST("api: quotations of a text and of a stored article, rendered and grouped across articles")
{
    rasd_text *t = NULL;
    rasd_error err;
    CHECK(rasd_text_new(&t, &err) == RASD_OK);
    if (!t)
        return;
    const char *a = "وقال وزير الدفاع خالد الناصر: \"إن المهمة مستمرة حتى النهاية\".";
    const char *b = "وأكد خالد الناصر أن \"المهمة مستمرة حتى النهاية\" كما قال.";
    rasd_quotes *qa = NULL, *qb = NULL;
    CHECK(rasd_text_quotes(t, a, strlen(a), &qa, &err) == RASD_OK && qa);
    CHECK(rasd_text_quotes(t, b, strlen(b), &qb, &err) == RASD_OK && qb);
    if (qa && qb) {
        size_t len = 0;
        const char *txt = rasd_quotes_text(qa, &len);
        CHECK(txt && len == strlen(txt));
        CHECK(rasd_quotes_count(qa) >= 1);
        rasd_quote q;
        CHECK(rasd_quotes_get(qa, 0, &q) == RASD_OK && q.end > q.start && q.direct);
        CHECK(rasd_quotes_get(qa, 1000, &q) == RASD_EINVAL);
        char *out = NULL;
        CHECK(rasd_quotes_render(qa, RASD_FMT_TEXT, 0, &out, &len, &err) == RASD_OK && out &&
              len == strlen(out));
        rasd_free(out);
        out = NULL;
        CHECK(rasd_quotes_render(qa, RASD_FMT_JSON, 0, &out, NULL, &err) == RASD_OK && out &&
              out[0] == '{');
        rasd_free(out);
        out = NULL;
        CHECK(rasd_quotes_render(qa, RASD_FMT_JSON, 1000, &out, NULL, &err) == RASD_EINVAL);
        CHECK(rasd_quotes_render(qa, RASD_FMT_HTML, 0, &out, NULL, &err) == RASD_EINVAL);
        const rasd_quotes *both[3] = {qa, NULL, qb};
        rasd_quote_ref *refs = NULL;
        size_t n = 0;
        CHECK(rasd_quotes_group(both, 3, &refs, &n, &err) == RASD_OK);
        CHECK(n == rasd_quotes_count(qa) + rasd_quotes_count(qb));
        for (size_t i = 0; i < n; i++)
            CHECK(refs[i].speaker < n && refs[i].entry < n && refs[i].doc != 1);
        rasd_free(refs);
        CHECK(rasd_quotes_group(NULL, 2, &refs, &n, &err) == RASD_EINVAL);
    }
    rasd_quotes_free(qa);
    rasd_quotes_free(qb);
    rasd_quotes *none = NULL;
    CHECK(rasd_text_quotes(NULL, a, 1, &none, &err) == RASD_EINVAL && !none);
    CHECK(rasd_text_quotes(t, NULL, 3, &none, &err) == RASD_EINVAL);
    rasd_text_free(t);

    char path[96];
    rasd_engine *e = fresh(path, "quotes", 1);
    if (!e)
        return;
    rasd_quotes *sq = NULL;
    CHECK(rasd_engine_quotes(e, 1, &sq, &err) == RASD_OK && sq && rasd_quotes_count(sq) >= 1);
    rasd_quotes_free(sq);
    sq = NULL;
    CHECK(rasd_engine_quotes(e, 999999, &sq, &err) != RASD_OK && !sq);
    CHECK(rasd_engine_quotes(NULL, 1, &sq, &err) == RASD_EINVAL);
    rasd_engine_close(e);
    unlink(path);
}

TEST("api: two articles compared, with and without the store's archive, as text and JSON")
{
    char path[96];
    rasd_text *t = NULL;
    rasd_error err;
    CHECK(rasd_text_new(&t, &err) == RASD_OK);
    rasd_engine *e = fresh(path, "similar", 1);
    if (!e || !t) {
        rasd_text_free(t);
        rasd_engine_close(e);
        return;
    }
    rasd_article a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.title = "وصول 300 جندي إلى الحدود";
    a.text = "قال وزير الدفاع خالد الناصر إن 300 جندي وصلوا إلى الحدود الشمالية.";
    a.published = "2024-03-13";
    a.origin = "A";
    b.title = "الناصر: 400 جندي على الحدود";
    b.text = "أكد وزير الدفاع خالد الناصر أن 400 جندي وصلوا إلى الحدود الشمالية.";
    b.published = "2024-03-14";
    b.origin = "B";
    static const int fmts[] = {RASD_FMT_TEXT, RASD_FMT_JSON};
    for (size_t i = 0; i < 2; i++) {
        char *out = NULL;
        size_t len = 0;
        CHECK(rasd_engine_similarity_render(e, t, &a, &b, fmts[i], &out, &len, &err) == RASD_OK &&
              out && len == strlen(out) && strstr(out, "archive"));
        rasd_free(out);
        out = NULL;
        CHECK(rasd_similarity_render(t, &a, &b, fmts[i], &out, NULL, &err) == RASD_OK && out);
        rasd_free(out);
        out = NULL;
        CHECK(rasd_compare_render(t, &a, &b, 0, fmts[i], &out, NULL, &err) == RASD_OK && out);
        rasd_free(out);
    }
    char *out = NULL;
    CHECK(rasd_engine_similarity_render(e, t, &a, &b, RASD_FMT_HTML, &out, NULL, &err) ==
          RASD_EINVAL);
    CHECK(rasd_engine_similarity_render(NULL, t, &a, &b, RASD_FMT_TEXT, &out, NULL, &err) ==
          RASD_EINVAL);
    CHECK(rasd_similarity_render(t, &a, NULL, RASD_FMT_TEXT, &out, NULL, &err) == RASD_EINVAL);
    CHECK(out == NULL);
    rasd_text_free(t);
    rasd_engine_close(e);
    unlink(path);
}

static int count_source(void *ctx, const rasd_source *s)
{
    int *n = ctx;
    (*n)++;
    return !s->url; /* a source always has its URL */
}

static int count_alert(void *ctx, const rasd_alert_rule *r)
{
    int *n = ctx;
    (*n)++;
    return !r->kind;
}

static void on_skip(void *ctx, const char *msg)
{
    int *n = ctx;
    (*n)++;
    (void)msg;
}

TEST("api: watched sources and alert rules are added, renamed, imported, listed and removed")
{
    char path[96];
    rasd_error err;
    rasd_engine *e = fresh(path, "watch", 0);
    if (!e)
        return;
    int added = -1, removed = -1;
    CHECK(rasd_engine_add_source(e, "https://a.example/feed", NULL, 0, &added, &err) == RASD_OK &&
          added == 1);
    /* added again with an outlet: not new, renamed */
    CHECK(rasd_engine_add_source(e, "https://a.example/feed", "أ", 0, &added, &err) == RASD_OK &&
          added == 0);
    CHECK(rasd_engine_add_source(e, "ftp://a.example/", NULL, 0, &added, &err) == RASD_EINVAL &&
          strstr(err.msg, "http"));
    const char *list = "https://b.example/rss ب\nnot a url\n\nhttps://c.example/atom\n";
    size_t n = 0, nadded = 0;
    int skipped = 0;
    CHECK(rasd_engine_import_sources(e, list, strlen(list), "list.txt", 600, on_skip, &skipped,
                                     &n, &nadded, &err) == RASD_OK);
    CHECK(n == 2 && nadded == 2 && skipped == 1);
    int count = 0;
    CHECK(rasd_engine_each_source(e, count_source, &count, &err) == RASD_OK && count == 3);
    CHECK(rasd_engine_remove_source(e, "https://b.example/rss", &removed, &err) == RASD_OK &&
          removed == 1);
    CHECK(rasd_engine_remove_source(e, "1", &removed, &err) == RASD_OK && removed == 1);
    CHECK(rasd_engine_remove_source(e, "https://none.example/", &removed, &err) == RASD_OK &&
          removed == 0);
    count = 0;
    CHECK(rasd_engine_each_source(e, count_source, &count, &err) == RASD_OK && count == 1);
    CHECK(rasd_engine_each_source(e, NULL, NULL, &err) == RASD_EINVAL &&
          strstr(err.msg, "rasd_engine_each_source"));

    int64_t id = 0;
    CHECK(rasd_engine_add_alert(e, "query", "الحدود", 0, &id, &err) == RASD_OK && id > 0);
    CHECK(rasd_engine_add_alert(e, "sources", "3", 3, NULL, &err) == RASD_OK);
    CHECK(rasd_engine_add_alert(e, "weather", "x", 0, NULL, &err) == RASD_EINVAL);
    count = 0;
    CHECK(rasd_engine_each_alert(e, count_alert, &count, &err) == RASD_OK && count == 2);
    CHECK(rasd_engine_remove_alert(e, id, &removed, &err) == RASD_OK && removed == 1);
    CHECK(rasd_engine_remove_alert(e, id, &removed, &err) == RASD_OK && removed == 0);
    CHECK(rasd_engine_each_alert(e, NULL, NULL, &err) == RASD_EINVAL);
    rasd_watch *w = NULL;
    CHECK(rasd_watch_open(e, NULL, NULL, &err) == RASD_EINVAL && strstr(err.msg, "rasd_watch_open"));
    CHECK(rasd_watch_open(e, NULL, &w, &err) == RASD_OK && w);
    int64_t when = 0;
    int found = -1;
    CHECK(rasd_watch_next_due(w, &when, &found, &err) == RASD_OK && found == 1);
    rasd_watch_close(w);
    rasd_engine_close(e);
    CHECK(rasd_engine_add_source(NULL, "https://a.example/", NULL, 0, &added, &err) == RASD_EINVAL);
    unlink(path);
}

TEST("api: every error code has its words, and a buffer asked for too much says out of memory instead of growing")
{
    static const rasd_err codes[] = {RASD_OK,      RASD_ENOMEM,  RASD_EINVAL, RASD_EIO,
                                     RASD_EFORMAT, RASD_ETOOBIG, RASD_EDB,    RASD_ENOTFOUND};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK(strcmp(rasd_strerror(codes[i]), "unknown error") != 0);
    CHECK(!strcmp(rasd_strerror((rasd_err)999), "unknown error"));
    rasd_buf b = {0};
    rasd_buf_puts(&b, "ab");
    rasd_buf_append(&b, "x", SIZE_MAX / 2); /* refused before anything is read */
    CHECK(b.oom && b.len == 2);
    rasd_buf_putc(&b, 'c'); /* stays refused */
    CHECK(b.len == 2);
    rasd_buf_free(&b);
}

/* rasd_cite_name into a fresh buffer; "-" when it names nothing */
static char *cite_name(const char *outlet, const char *agency, const char *url, const char *title)
{
    rasd_buf b = {0};
    if (!rasd_cite_name(&b, outlet, agency, url, title)) {
        rasd_buf_free(&b);
        return strdup("-");
    }
    return rasd_buf_steal(&b);
}

TEST("api: an article is named for a reader by its outlet, else agency, else its URL's site, else its title's start")
{
    static const struct {
        const char *outlet, *agency, *url, *title, *want;
    } cases[] = {
        {"الوطن", "واس", "https://www.watan.example/a", "عنوان", "الوطن"},
        {"", "واس", "https://www.watan.example/a", "عنوان", "واس"},
        {NULL, NULL, "https://www.watan.example:8080/a?b#c", "عنوان", "watan.example"},
        {NULL, NULL, "watan.example/a", NULL, "watan.example"},
        {NULL, NULL, "https:///a", "عنوان قصير", "عنوان قصير"},
        /* 41 letters: cut after 40 at a character boundary, with an ellipsis */
        {NULL, NULL, "", "ابتثجحخدذرزسشصضطظعغفقكلمنهويابتثجحخدذرزسش", "ابتثجحخدذرزسشصضطظعغفقكلمنهويابتثجحخدذرزس…"},
        {NULL, "", NULL, "", "-"},
        {NULL, NULL, NULL, NULL, "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cite_name(cases[i].outlet, cases[i].agency, cases[i].url, cases[i].title);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
    char site[120] = "https://"; /* a site name of 80 bytes or more is no site: the title */
    memset(site + 8, 'a', 90);
    char *got = cite_name(NULL, NULL, site, "عنوان");
    CHECK_STR(got, "عنوان");
    free(got);
}

static int count_article(void *ctx, const rasd_article *a)
{
    int *n = ctx;
    (*n)++;
    return !a->id;
}

static int count_row(void *ctx, const rasd_article *a, int64_t story)
{
    int *n = ctx;
    (*n)++;
    return !a->text || story <= 0;
}

TEST("api: articles listed, read by id, searched with options, reindexed and exported by story")
{
    char path[96];
    rasd_error err;
    rasd_engine *e = fresh(path, "read", 1);
    if (!e)
        return;
    int n = 0;
    CHECK(rasd_engine_each_article(e, count_article, &n, &err) == RASD_OK && n == 2);
    rasd_article *a = NULL;
    CHECK(rasd_engine_article(e, "1", &a, &err) == RASD_OK && a && a->id && a->url && a->text);
    if (a) {
        rasd_article *b = NULL;
        CHECK(rasd_engine_article(e, a->id, &b, &err) == RASD_OK && b && b->row == a->row);
        rasd_article_free(b);
    }
    rasd_article_free(a);
    a = NULL;
    CHECK(rasd_engine_article(e, "0000000000000000", &a, &err) != RASD_OK && !a);
    CHECK(rasd_query_check("الحدود", &err) == RASD_OK);
    CHECK(rasd_query_check(NULL, &err) == RASD_EINVAL);
    size_t indexed = 0;
    CHECK(rasd_engine_reindex(e, &indexed, &err) == RASD_OK && indexed == 2);
    rasd_search_opts o;
    memset(&o, 0, sizeof o);
    o.since = "2024-01-01";
    o.until = "2024-12-31";
    o.limit = 5;
    o.mark_open = "<<";
    o.mark_close = ">>";
    o.all_terms = 1;
    rasd_hits *h = NULL;
    CHECK(rasd_engine_search(e, "جندي الحدود", &o, &h, &err) == RASD_OK && h && h->n >= 1);
    if (h && h->n)
        CHECK(h->v[0].snippet && strstr(h->v[0].snippet, "<<") && h->v[0].all_terms == 1);
    rasd_hits_free(h);
    h = NULL;
    CHECK(rasd_engine_search(e, "جندي", NULL, &h, &err) == RASD_OK && h);
    rasd_hits_free(h);
    rasd_hits_free(NULL);
    h = NULL;
    CHECK(rasd_engine_search(e, NULL, NULL, &h, &err) == RASD_EINVAL && !h);
    int64_t story = 0;
    CHECK(rasd_engine_each_story(e, NULL, on_story, &story, &err) == RASD_OK);
    int64_t *rows = NULL;
    size_t nrows = 0;
    CHECK(rasd_engine_story_rows(e, story, &rows, &nrows, &err) == RASD_OK && nrows == 2 &&
          rows[0] < rows[1]);
    int seen = 0;
    CHECK(rasd_engine_each_article_row(e, rows, nrows, count_row, &seen, &err) == RASD_OK &&
          seen == 2);
    rasd_free(rows);
    rows = NULL;
    CHECK(rasd_engine_story_rows(e, 999999, &rows, &nrows, &err) == RASD_ENOTFOUND && !rows);
    CHECK(rasd_engine_story_rows(e, 0, &rows, &nrows, &err) == RASD_EINVAL);
    CHECK(rasd_engine_each_article_row(e, NULL, 3, count_row, &seen, &err) == RASD_EINVAL);
    CHECK(rasd_engine_each_article(NULL, count_article, &n, &err) == RASD_EINVAL);
    CHECK(rasd_engine_article(e, NULL, &a, &err) == RASD_EINVAL);
    rasd_engine_close(e);
    unlink(path);
}

static int count_override(void *ctx, const rasd_override *o)
{
    int *n = ctx;
    (*n)++;
    return !o->kind;
}

TEST("api: an analyst's corrections are stored, listed and removed; a bad one says what is wrong")
{
    char path[96];
    rasd_error err;
    rasd_engine *e = fresh(path, "overrides", 1);
    if (!e)
        return;
    int64_t story = 0;
    CHECK(rasd_engine_each_story(e, NULL, on_story, &story, &err) == RASD_OK && story > 0);
    char body[160];
    snprintf(body, sizeof body,
             "{\"kind\":\"dismiss\",\"story\":%lld,\"conflict\":\"00000000000000ff\",\"note\":\"x\"}",
             (long long)story);
    int got = 0;
    CHECK(rasd_engine_add_override(e, body, strlen(body), count_override, &got, &err) ==
              RASD_OK &&
          got == 1);
    snprintf(body, sizeof body, "{\"kind\":\"move\",\"article\":\"1\",\"event\":%lld}",
             (long long)story);
    rasd_err rc = rasd_engine_add_override(e, body, strlen(body), NULL, NULL, &err);
    CHECK(rc == RASD_OK || rc == RASD_EINVAL);
    int n = 0;
    CHECK(rasd_engine_each_override(e, count_override, &n, &err) == RASD_OK && n >= 1);
    CHECK(rasd_engine_add_override(e, "{\"kind\":\"paint\"}", 16, NULL, NULL, &err) ==
              RASD_EINVAL &&
          err.msg[0]);
    CHECK(rasd_engine_add_override(e, NULL, 0, NULL, NULL, &err) == RASD_EINVAL &&
          strstr(err.msg, "no body"));
    int undone = -1;
    CHECK(rasd_engine_remove_override(e, 1, &undone, &err) == RASD_OK && undone == 0);
    CHECK(rasd_engine_remove_override(e, 1, &undone, &err) == RASD_ENOTFOUND);
    CHECK(rasd_engine_each_override(e, NULL, NULL, &err) == RASD_EINVAL);
    rasd_engine_close(e);
    unlink(path);
}
