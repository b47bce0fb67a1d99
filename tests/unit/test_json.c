/*
 * test_json.c — the JSON reader: JSON Lines with a bad line, arrays (a
 * SaudiNewsNet-shaped sample in tests/data/json/), single and wrapped
 * objects, the many names exporters give the same field, markup in
 * bodies, and the errors a user can cause.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"
#include "ingest/walk.h"


static rasd_err read_json(const char *s, Batch *b, rasd_error *e)
{
    return ingest_json(s, strlen(s), "in.jsonl", b, e);
}

static int contains(const char *s, const char *p) { return s && strstr(s, p) != NULL; }
static int starts_with(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

TEST("ingest json: a JSON Lines file with a broken line loads the others and names the line")
{
    size_t n = 0;
    char *s = harness_slurp("tests/data/json/lines_bad.jsonl", &n);
    Batch b = {0};
    rasd_error e;
    CHECK(s && ingest_json(s, n, "lines_bad.jsonl", &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    CHECK(b.nerrors == 1);
    if (b.nerrors == 1)
        CHECK(starts_with(b.errors[0], "lines_bad.jsonl:2: not JSON: "));
    if (b.n == 2) {
        CHECK_STR(b.items[0].title, "الخبر الأول");
        CHECK_STR(b.items[0].outlet, "الرياض");
        CHECK_STR(b.items[0].published, "2023-09-05");
        CHECK_STR(b.items[0].origin, "lines_bad.jsonl:1");
        CHECK_STR(b.items[1].title, "الخبر الثالث"); /* "headline" */
        CHECK_STR(b.items[1].url, "https://example.com/3");
        CHECK_STR(b.items[1].origin, "lines_bad.jsonl:3");
    }
    batch_free(&b);
    free(s);
}

TEST("ingest json: a SaudiNewsNet daily file loads as it is, and an item with empty content is skipped and counted")
{
    size_t n = 0;
    char *s = harness_slurp("tests/data/json/saudinewsnet_sample.json", &n);
    Batch b = {0};
    rasd_error e;
    CHECK(s && ingest_json(s, n, "snn.json", &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    CHECK(b.nerrors == 0);
    CHECK(b.skipped == 1);
    if (b.n == 2) {
        Article *a = &b.items[0];
        CHECK_STR(a->origin, "snn.json#1");
        CHECK_STR(a->outlet, "sabq");
        CHECK_STR(a->url, "http://sabq.org/example-1");
        CHECK_STR(a->title, "أمير المنطقة يدشن مشروعات تنموية بتكلفة مليار ريال");
        CHECK_STR(a->author, "الرياض: محمد السالم");
        CHECK(starts_with(a->published, "2015-07-21")); /* from date_extracted */
        /* paragraphs trimmed of the leading space SaudiNewsNet leaves */
        CHECK(contains(a->body, "ريال.\n\nوأكد الأمير"));
        CHECK_STR(b.items[1].origin, "snn.json#3");
        CHECK(b.items[1].author == NULL); /* "" is no author */
    }
    batch_free(&b);
    free(s);
}

TEST("ingest json: a JSON array of objects gives one article per object, numbered from 1")
{
    const char *s = "[{\"title\":\"a\",\"text\":\"one\"},{\"title\":\"b\",\"text\":\"two\"},"
                    "42,{\"title\":\"c\",\"body\":\"three\"}]";
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json(s, strlen(s), "arr.json", &b, &e) == RASD_OK);
    CHECK(b.n == 3);
    CHECK(b.nerrors == 1 && starts_with(b.errors[0], "arr.json#3: not a JSON object"));
    if (b.n == 3) {
        CHECK_STR(b.items[0].origin, "arr.json#1");
        CHECK_STR(b.items[2].origin, "arr.json#4");
        CHECK_STR(b.items[2].body, "three");
    }
    batch_free(&b);
}

TEST("ingest json: an object with no body is skipped with an error naming its line")
{
    const char *s = "{\"title\":\"first\",\"text\":\"body one\"}\n"
                    "{\"title\":\"no body here\",\"url\":\"http://x\"}\n"
                    "{\"title\":\"third\",\"content\":\"body three\"}\n";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    CHECK(b.nerrors == 1 && starts_with(b.errors[0], "in.jsonl:2: no article text"));
    batch_free(&b);
}

TEST("ingest json: field names match case-insensitively, in priority order, with nested values")
{
    const char *s = "{\"Headline\":\"h\",\"TITLE\":\"t\",\"Text\":\"  \",\"Content\":\"c\","
                    "\"Link\":\"http://l\",\"Publisher\":{\"@type\":\"Organization\",\"name\":\"BBC\"},"
                    "\"datePublished\":\"2023-09-05T10:00:00Z\","
                    "\"author\":[{\"name\":\"أحمد\"},\"سارة\"]}";
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json(s, strlen(s), "one.json", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "t");     /* title before headline */
        CHECK_STR(a->body, "c");      /* blank text skipped, content used */
        CHECK_STR(a->url, "http://l");
        CHECK_STR(a->outlet, "BBC");
        CHECK(starts_with(a->published, "2023-09-05"));
        CHECK_STR(a->author, "أحمد، سارة");
        CHECK_STR(a->origin, "one.json"); /* a single object is the file itself */
    }
    batch_free(&b);
}

TEST("ingest json: a NewsAPI-style answer wrapping \"articles\" reads the list")
{
    const char *s = "{\"status\":\"ok\",\"totalResults\":2,\"articles\":["
                    "{\"source\":{\"id\":null,\"name\":\"Al Jazeera\"},\"title\":\"x\","
                    "\"description\":\"d1\",\"publishedAt\":\"2023-09-05\"},"
                    "{\"source\":{\"name\":\"CNN\"},\"title\":\"y\",\"content\":\"c2\"}]}";
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json(s, strlen(s), "api.json", &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        CHECK_STR(b.items[0].outlet, "Al Jazeera");
        CHECK_STR(b.items[0].origin, "api.json#1");
        CHECK_STR(b.items[1].body, "c2");
    }
    batch_free(&b);
}

TEST("ingest json: markup in a body is stripped and entities in plain bodies decoded")
{
    const char *s = "{\"title\":\"T &amp; U\",\"content\":\"<p>الفقرة <b>الأولى</b></p><p>الثانية</p>\"}\n"
                    "{\"title\":\"x\",\"text\":\"A &amp; B &#1575; &quot;q&quot; &bogus; & done\"}\n";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        CHECK_STR(b.items[0].title, "T & U");
        CHECK(!contains(b.items[0].body, "<"));
        CHECK(contains(b.items[0].body, "الأولى"));
        CHECK(contains(b.items[0].body, "الثانية"));
        CHECK_STR(b.items[1].body, "A & B ا \"q\" &bogus; & done");
    }
    batch_free(&b);
}

TEST("ingest json: dates from epoch numbers, YYYY-MM-DD prefixes, and junk that is dropped")
{
    const char *s = "{\"text\":\"a\",\"time\":1693526400}\n"
                    "{\"text\":\"b\",\"date\":1693526400000}\n"
                    "{\"text\":\"c\",\"date\":\"2015-07-21 02:51:32\"}\n"
                    "{\"text\":\"d\",\"date\":\"not a date\",\"pubDate\":\"2023-02-30\"}\n"
                    "{\"text\":\"e\",\"date\":{\"$date\":\"2020-01-02\"}}\n";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 5);
    if (b.n == 5) {
        CHECK_STR(b.items[0].published, "2023-09-01T00:00:00Z");
        CHECK_STR(b.items[1].published, "2023-09-01T00:00:00Z");
        CHECK(starts_with(b.items[2].published, "2015-07-21"));
        CHECK(b.items[3].published == NULL); /* February has no 30th */
        CHECK(starts_with(b.items[4].published, "2020-01-02"));
    }
    batch_free(&b);
}

TEST("ingest json: an empty or blank file is a format error")
{
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json("", 0, "empty.json", &b, &e) == RASD_EFORMAT);
    CHECK(contains(e.msg, "empty.json"));
    CHECK(read_json("  \n\n ", &b, &e) == RASD_EFORMAT);
    CHECK(b.n == 0);
    batch_free(&b);
}

TEST("ingest json: a file where no line is JSON is a format error; an empty array is not")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_json("{oops\n{still not\n", &b, &e) == RASD_EFORMAT);
    CHECK(b.n == 0 && b.nerrors == 2);
    batch_free(&b);
    CHECK(read_json("[]", &b, &e) == RASD_OK);
    CHECK(b.n == 0 && b.nerrors == 0);
    batch_free(&b);
}

TEST("ingest json: a truncated array keeps the items before the cut and names the cut one")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "[\n {\"title\": \"a\", \"text\": \"b\"},\n {\"title\": \"c\", \"te";
    CHECK(ingest_json(s, strlen(s), "cut.json", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    CHECK(b.nerrors == 1);
    if (b.nerrors == 1)
        CHECK(starts_with(b.errors[0], "cut.json#2: not JSON (line 3: "));
    batch_free(&b);
}

TEST("ingest json: a truncated single object is a format error naming the line")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "{\n \"title\": \"a\",\n \"text\": \"b";
    CHECK(ingest_json(s, strlen(s), "cut.json", &b, &e) == RASD_EFORMAT);
    CHECK(starts_with(e.msg, "cut.json:3: not JSON"));
    CHECK(b.n == 0);
    batch_free(&b);
}

TEST("ingest json: a broken first line costs only that line (issue #12)")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "{\"title\":\"a\",\"content\":\"نص\"\n{\"title\":\"b\",\"content\":\"نص صحيح\"}\n";
    CHECK(ingest_json(s, strlen(s), "f.jsonl", &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.nerrors == 1);
    if (b.n == 1)
        CHECK_STR(b.items[0].title, "b");
    if (b.nerrors == 1)
        CHECK(starts_with(b.errors[0], "f.jsonl:1: not JSON"));
    batch_free(&b);
}

TEST("ingest json: \\u0000 and a lone \\ud800 escape do not lose the line or the next ones")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "{\"title\":\"\\ud800x\",\"content\":\"نص \\u0000 أول\"}\n"
                    "{\"title\":\"b\",\"content\":\"نص ثان \\\\u0000\"}\n";
    CHECK(ingest_json(s, strlen(s), "f.jsonl", &b, &e) == RASD_OK);
    CHECK(b.n == 2 && b.nerrors == 0);
    if (b.n == 2) {
        CHECK_STR(b.items[0].title, "\xEF\xBF\xBDx");
        CHECK_STR(b.items[0].body, "نص   أول");
        CHECK_STR(b.items[1].body, "نص ثان \\u0000"); /* an escaped backslash stays */
    }
    batch_free(&b);
}

TEST("ingest json: a content that is a number, array of numbers or object says it must be a string")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "{\"title\":\"a\",\"content\":42}\n{\"title\":\"b\",\"content\":{\"x\":1}}\n"
                    "{\"title\":\"c\",\"content\":\"\"}\n{\"title\":\"d\",\"content\":\"نص\"}\n";
    CHECK(ingest_json(s, strlen(s), "f.jsonl", &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.nerrors == 2 && b.skipped == 1);
    if (b.nerrors == 2) {
        CHECK_STR(b.errors[0], "f.jsonl:1: \"content\" must be a string (or an array of strings), not a number");
        CHECK_STR(b.errors[1], "f.jsonl:2: \"content\" must be a string (or an array of strings), not an object");
    }
    batch_free(&b);
}

TEST("ingest json: 100,000 nested brackets are one error, not a crash")
{
    size_t n = 100000;
    char *s = malloc(n + 1);
    memset(s, '[', n);
    s[n] = '\0';
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json(s, n, "deep.json", &b, &e) == RASD_EFORMAT);
    CHECK(b.n == 0);
    CHECK(strstr(e.msg, "depth") != NULL);
    batch_free(&b);
    free(s);
}

TEST("ingest json: a pretty-printed single object spanning lines is one article")
{
    const char *s = "{\n  \"title\": \"عنوان\",\n  \"text\": \"سطر أول\\nسطر ثان\"\n}\n";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].body && !strcmp(b.items[0].body, "سطر أول\n\nسطر ثان"));
    batch_free(&b);
}

TEST("ingest json: invalid UTF-8 and NUL bytes inside strings do not lose the line")
{
    const char s[] = "{\"title\":\"bad \xff byte\",\"text\":\"nul\0here\"}\n";
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_json(s, sizeof s - 1, "u.jsonl", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(contains(b.items[0].title, "\xEF\xBF\xBD"));
        CHECK_STR(b.items[0].body, "nul here");
    }
    batch_free(&b);
}

TEST("ingest json: a body given as an array of paragraphs is joined")
{
    const char *s = "{\"title\":\"t\",\"body\":[\"p1\",\" \",\"p2\"]}";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].body && !strcmp(b.items[0].body, "p1\n\np2"));
    batch_free(&b);
}

TEST("ingest json: a related-headlines list at the end of a JSON body is dropped")
{
    const char *s = "{\"title\":\"t\",\"text\":\"نص الخبر الرئيسي المفصل عن الموضوع.\\n\\n"
                    "اقرأ أيضا\\n\\nعنوان أول\\n\\nعنوان ثان\"}";
    Batch b = {0};
    rasd_error e;
    CHECK(read_json(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].body && !strcmp(b.items[0].body, "نص الخبر الرئيسي المفصل عن الموضوع."));
    batch_free(&b);
}

/* ---- archives (src/ingest/archive.c) through walk.h ---- */

typedef struct Members {
    int calls, failed;
    size_t articles, errors;
    char names[4][96];
} Members;

static int on_member(void *ctx, const char *name, Batch *b, rasd_err e, const rasd_error *err)
{
    Members *m = ctx;
    if (m->calls < 4)
        snprintf(m->names[m->calls], sizeof m->names[0], "%s", name);
    m->calls++;
    m->failed += e != RASD_OK;
    m->articles += b->n;
    m->errors += b->nerrors;
    (void)err;
    return 0;
}

TEST("ingest archive: a zip gives one Batch per member, named archive:member; folders and __MACOSX skipped")
{
    Members m = {0};
    rasd_error e;
    CHECK(ingest_read_each("tests/fuzz/seeds/archive-two.zip", 0, on_member, &m, &e) == RASD_OK);
    CHECK(m.calls == 2);
    CHECK_STR(m.names[0], "tests/fuzz/seeds/archive-two.zip:good.jsonl");
    CHECK_STR(m.names[1], "tests/fuzz/seeds/archive-two.zip:bad.jsonl");
    CHECK(m.articles == 3 && m.errors == 1 && m.failed == 0);
}

TEST("ingest archive: ingest_read_file merges the members into one Batch with their origins")
{
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_read_file("tests/fuzz/seeds/archive-two.zip", 0, &b, &e) == RASD_OK);
    CHECK(b.n == 3 && b.nerrors == 1);
    if (b.n == 3) {
        CHECK_STR(b.items[0].origin, "tests/fuzz/seeds/archive-two.zip:good.jsonl:1");
        CHECK_STR(b.items[2].origin, "tests/fuzz/seeds/archive-two.zip:bad.jsonl:2");
    }
    if (b.nerrors == 1)
        CHECK(starts_with(b.errors[0], "tests/fuzz/seeds/archive-two.zip:bad.jsonl:1: not JSON"));
    batch_free(&b);
}

TEST("ingest archive: a lone .gz is one member named without the suffix")
{
    Members m = {0};
    rasd_error e;
    CHECK(ingest_read_each("tests/fuzz/seeds/archive-single.jsonl.gz", 0, on_member, &m, &e) ==
          RASD_OK);
    CHECK(m.calls == 1 && m.articles == 2);
    CHECK_STR(m.names[0], "tests/fuzz/seeds/archive-single.jsonl.gz:archive-single.jsonl");
}

TEST("ingest archive: a member that unpacks over the size limit is refused, naming the limit")
{
    Members m = {0};
    rasd_error e;
    /* 257 bytes packed, 376 unpacked: the file passes a 300-byte limit, its member does not */
    CHECK(ingest_read_each("tests/fuzz/seeds/archive-single.jsonl.gz", 300, on_member, &m, &e) ==
          RASD_OK);
    CHECK(m.calls == 1 && m.failed == 1 && m.articles == 0);
}

TEST("ingest json: a broken element in a one-line array costs only itself (resumes at the next \"}, {\")")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "[{\"title\":\"a\",\"text\":\"نص أول\"},{\"title\":\"b\",\"tags\":[{\"k\":1},{\"k\":2}],"
                    "text\":\"x\"},{\"title\":\"c\",\"text\":\"نص ثالث\"}]";
    CHECK(ingest_json(s, strlen(s), "one.json", &b, &e) == RASD_OK);
    CHECK(b.n == 2 && b.nerrors == 1);
    if (b.n == 2) {
        CHECK_STR(b.items[0].title, "a");
        CHECK_STR(b.items[1].title, "c");
    }
    if (b.nerrors == 1)
        CHECK(starts_with(b.errors[0], "one.json#2: not JSON (line 1: "));
    batch_free(&b);
}
