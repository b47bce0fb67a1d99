/*
 * test_views.c — results as structs (src/views/, include/rasd.h): a brief's
 * JSON form and its struct are the same thing both ways, hostile JSON reads
 * as absent fields, and a brief built from stored annotations and one read
 * back from the store give the same struct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "engine/engine.h"
#include "story/brief.h"
#include "story/brief_int.h"
#include "views/views.h"

/* Every field, nulls, escapes, an event, a second speaker: the writer's form. */
static const char *FULL =
    "{\"story\":7,\"event\":12,\"headline\":\"\\\"قال\\\" \\\\ x\\n\\u0001\",\"first\":"
    "\"2024-03-12\",\"last\":null,\"articles\":3,\"read\":2,\"sources\":2,\"outlets\":"
    "[\"الرياض\",\"عكاظ\"],\"named_outlets\":2,\"summary\":[{\"text\":\"جملة <b>\",\"article\":\"0123456789abcdef\","
    "\"start\":0,\"end\":12,\"sources\":[\"الرياض\",\"عكاظ\"],\"corroboration\":2,\"score\":"
    "1.234,\"support\":[{\"article\":\"fedcba9876543210\",\"outlet\":null,\"similarity\":0.700,"
    "\"text\":\"جملة أخرى\"}],\"cite\":{\"article\":\"0123456789abcdef\",\"outlet\":\"الرياض\",\"url\":\"https://example.org/a\",\"start\":0,\"end\":12}}],\"timeline\":[{\"value\":\"2024-03-12\",\"text\":\"12 مارس\","
    "\"sentence\":\"في 12 مارس\",\"article\":\"0123456789abcdef\",\"start\":3,\"end\":40,"
    "\"sources\":[\"الرياض\"],\"cite\":{\"article\":\"0123456789abcdef\",\"outlet\":\"الرياض\",\"url\":\"https://example.org/a\",\"start\":3,\"end\":40}}],\"entities\":[{\"name\":\"لافروف\",\"key\":\"lfrf\",\"type\":"
    "\"PER\",\"variants\":[\"لافروف\",\"لافروف\"],\"mentions\":4,\"outlets\":[\"عكاظ\"]}],"
    "\"quotes\":[{\"speaker\":\"لافروف\",\"key\":\"lfrf\",\"quotes\":[{\"text\":\"المحادثات\","
    "\"cue\":\"قال\",\"via\":null,\"direct\":true,\"article\":\"0123456789abcdef\",\"start\":5,"
    "\"end\":9,\"sources\":[\"الرياض\"],\"cite\":{\"article\":\"0123456789abcdef\",\"outlet\":\"الرياض\",\"url\":\"https://example.org/a\",\"start\":5,\"end\":9}}],\"statements\":3,\"more\":2},{\"speaker\":\"x\","
    "\"key\":\"y\",\"quotes\":[],\"statements\":0,\"more\":0}],\"quote_speakers\":14,"
    "\"more_speakers\":2,\"conflicts\":[{\"id\":\"00000000000000ff\",\"kind\":\"number\","
    "\"rule\":\"aligned-figures\",\"slot\":\"figure\",\"subject\":\"جندي\",\"update\":true,\"values\":[{"
    "\"value\":\"300\",\"sources\":[\"الرياض\"],\"articles\":[\"0123456789abcdef\"],"
    "\"sentences\":[\"300 جندي\"],\"published\":\"2024-03-11\",\"cites\":[{\"article\":\"0123456789abcdef\",\"outlet\":"
    "\"الرياض\",\"url\":\"https://example.org/a\",\"start\":0,\"end\":12}]},{\"value\":\"400\",\"sources\":[],\"articles\":[],"
    "\"sentences\":[]}]}],\"documents\":[{\"id\":\"0123456789abcdef\",\"outlet\":\"الرياض\","
    "\"name\":\"الرياض\",\"url\":\"https://example.org/a\",\"title\":null,\"published\":"
    "\"2024-03-12\",\"event\":12,\"source\":0}]}";

TEST("views: a brief's JSON form read into the struct and written back is the same bytes")
{
    rasd_brief *b = NULL;
    rasd_error err;
    CHECK(views_brief_decode(FULL, strlen(FULL), &b, &err) == RASD_OK);
    if (!b)
        return;
    Buf out = {0};
    views_brief_json(b, &out);
    CHECK_STR(out.data, FULL);
    CHECK(b->story == 7 && b->event == 12 && b->articles == 3 && !b->last);
    CHECK(b->nsummary == 1 && b->summary[0].end == 12 && b->summary[0].corroboration == 2);
    CHECK(b->summary[0].nsupport == 1 && !b->summary[0].support[0].outlet);
    CHECK(b->nspeakers == 2 && b->speakers[0].quotes[0].direct && !b->speakers[0].quotes[0].via);
    CHECK(b->conflicts.n == 1 && b->conflicts.items[0].nvalues == 2);
    CHECK(b->conflicts.event == 12 && b->conflicts.story == 0);
    const rasd_conflict_value *v = &b->conflicts.items[0].values[0];
    CHECK(v->ncites == 1 && v->cites[0].end == 12 && !strcmp(v->cites[0].outlet, "الرياض"));
    CHECK(b->conflicts.items[0].values[1].ncites == 0);
    CHECK(b->conflicts.items[0].update == 1 && !strcmp(v->published, "2024-03-11") &&
          !b->conflicts.items[0].values[1].published);
    buf_free(&out);
    rasd_brief_free(b);
}

TEST("views: outlets are shown by the names rasd knows, a list cites each name once, ids stay")
{
    CHECK_STR(rasd_outlet_name(NULL, "aawsat"), "الشرق الأوسط");
    CHECK_STR(rasd_outlet_name(NULL, "WWW.Aawsat.com"), "الشرق الأوسط");
    CHECK_STR(rasd_outlet_name(NULL, "unknown-outlet"), "unknown-outlet");
    CHECK(rasd_outlet_name(NULL, NULL) == NULL);
    static const char *J =
        "{\"story\":1,\"outlets\":[\"aawsat\",\"aawsat.com\",\"x\"],\"summary\":[{\"text\":"
        "\"t\",\"article\":\"0123456789abcdef\",\"sources\":[\"sabq\",\"x\"],\"support\":"
        "[{\"article\":\"fedcba9876543210\",\"outlet\":\"okaz\",\"text\":\"s\"}]}],"
        "\"conflicts\":[{\"id\":\"00000000000000ff\",\"kind\":\"number\",\"values\":[{"
        "\"value\":\"3\",\"sources\":[\"alyaum\"],\"sentences\":[\"3\"],\"cites\":[{"
        "\"article\":\"0123456789abcdef\",\"outlet\":\"alyaum\",\"start\":0,\"end\":1}]}]}],"
        "\"documents\":[{\"id\":\"0123456789abcdef\",\"outlet\":\"sabq\",\"name\":\"sabq\","
        "\"url\":\"https://sabq.org/a\"}]}";
    rasd_brief *b = NULL;
    rasd_error err;
    CHECK(rasd_brief_parse(J, strlen(J), &b, &err) == RASD_OK);
    if (!b)
        return;
    CHECK(rasd_brief_name_outlets(b, NULL, &err) == RASD_OK);
    CHECK(b->noutlets == 2); /* aawsat and aawsat.com are one outlet shown */
    CHECK_STR(b->outlets[0], "الشرق الأوسط");
    CHECK_STR(b->outlets[1], "x");
    CHECK_STR(b->summary[0].sources[0], "سبق");
    CHECK_STR(b->summary[0].support[0].outlet, "عكاظ");
    CHECK_STR(b->conflicts.items[0].values[0].sources[0], "اليوم");
    CHECK_STR(b->conflicts.items[0].values[0].cites[0].outlet, "اليوم");
    CHECK_STR(b->documents[0].outlet, "سبق");
    CHECK_STR(b->documents[0].id, "0123456789abcdef");
    CHECK_STR(b->documents[0].url, "https://sabq.org/a");
    rasd_brief_free(b);
    CHECK(rasd_brief_name_outlets(NULL, NULL, &err) == RASD_EINVAL);
    static const char *C = "[{\"id\":\"00000000000000ff\",\"kind\":\"number\",\"values\":[{"
                           "\"value\":\"3\",\"sources\":[\"okaz\",\"okaz.com.sa\"],\"sentences\":"
                           "[\"3\"],\"cites\":[{\"article\":\"0123456789abcdef\",\"outlet\":\"okaz\"}]}]}]";
    rasd_conflict_set *c = NULL;
    CHECK(views_conflicts_decode(C, strlen(C), 4, 0, &c, &err) == RASD_OK);
    if (!c)
        return;
    CHECK(rasd_conflict_set_name_outlets(c, NULL, &err) == RASD_OK);
    CHECK(c->items[0].values[0].nsources == 1); /* okaz and okaz.com.sa: one outlet shown */
    CHECK_STR(c->items[0].values[0].sources[0], "عكاظ");
    CHECK_STR(c->items[0].values[0].cites[0].outlet, "عكاظ");
    CHECK_STR(c->items[0].values[0].cites[0].article, "0123456789abcdef");
    rasd_conflict_set_free(c);
}

TEST("views: the HTML brief links a cited sentence to its article's web page with a text fragment, never another scheme")
{
    rasd_brief *b = NULL;
    rasd_error err;
    CHECK(views_brief_decode(FULL, strlen(FULL), &b, &err) == RASD_OK);
    if (!b)
        return;
    Buf out = {0};
    CHECK(views_brief_render(b, RASD_FMT_HTML, &out, &err) == RASD_OK);
    /* the summary sentence "جملة <b>": escaped text, its words percent-encoded */
    CHECK(out.data && strstr(out.data, "<a class=\"src\" rel=\"noopener\" href=\"https://example.org/a"
                                       "#:~:text=%D8%AC%D9%85%D9%84%D8%A9%20%3Cb%3E\">جملة &lt;b&gt;</a>"));
    /* the conflict's sentence through its citation */
    CHECK(out.data && strstr(out.data, "text=300%20%D8%AC%D9%86%D8%AF%D9%8A\">300 جندي</a>"));
    ((rasd_brief_document *)b->documents)[0].url = "javascript:alert(1)";
    ((rasd_citation *)b->conflicts.items[0].values[0].cites)[0].url = "javascript:alert(1)";
    ((rasd_brief_sentence *)b->summary)[0].cite.url = "javascript:alert(1)";
    ((rasd_brief_date *)b->timeline)[0].cite.url = "javascript:alert(1)";
    ((rasd_brief_quote *)b->speakers[0].quotes)[0].cite.url = "javascript:alert(1)";
    buf_reset(&out);
    CHECK(views_brief_render(b, RASD_FMT_HTML, &out, &err) == RASD_OK);
    CHECK(out.data && !strstr(out.data, "class=\"src\"") && !strstr(out.data, "javascript:"));
    buf_free(&out);
    rasd_brief_free(b);
}

TEST("views: a field of the wrong type reads as absent, and a brief that is not JSON names the line")
{
    const char *bad = "{\"headline\":5,\"summary\":\"x\",\"articles\":\"3\",\"outlets\":[1,\"a\"],"
                      "\"quotes\":[{\"quotes\":{}}],\"conflicts\":[7,{\"values\":[null]}]}";
    rasd_brief *b = NULL;
    rasd_error err;
    CHECK(views_brief_decode(bad, strlen(bad), &b, &err) == RASD_OK);
    if (b) {
        CHECK(!b->headline && b->nsummary == 0 && b->articles == 0);
        CHECK(b->noutlets == 2 && !b->outlets[0] && !strcmp(b->outlets[1], "a"));
        CHECK(b->nspeakers == 1 && b->speakers[0].nquotes == 0);
        CHECK(b->conflicts.n == 2 && !b->conflicts.items[0].kind);
        Buf out = {0};
        CHECK(views_brief_render(b, RASD_FMT_HTML, &out, &err) == RASD_OK);
        CHECK(views_brief_render(b, 9, &out, &err) == RASD_EINVAL);
        buf_free(&out);
        rasd_brief_free(b);
    }
    b = NULL;
    CHECK(views_brief_decode("{\n\"a\":", 6, &b, &err) == RASD_EFORMAT && !b);
    CHECK(strstr(err.msg, "line 2") != NULL);
    CHECK(views_brief_decode("[1]", 3, &b, &err) == RASD_EFORMAT && !b);
}

TEST("views: a brief built now and the same brief read back from the store are one struct; the store keeps it without the claims' cites")
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/rasd-test-views-%d.db", (int)getpid());
    unlink(path);
    Store *st = NULL;
    rasd_error err;
    CHECK(store_open(path, 0, &st, &err) == RASD_OK);
    if (!st)
        return;
    Batch b = {0};
    for (int k = 0; k < 2; k++) {
        Article *a = batch_add(&b);
        a->title = strdup(k ? "لافروف: المحادثات مستمرة" : "المحادثات مستمرة");
        a->outlet = strdup(k ? "عكاظ" : "الرياض");
        a->published = strdup("2024-03-13");
        a->body = strdup(k ? "أكد سيرغي لافروف وزير الخارجية الروسي في موسكو أن \"المحادثات "
                             "مستمرة\" وأن 300 جندي وصلوا إلى الحدود في 12 مارس 2024."
                           : "قال وزير الخارجية الروسي سيرغي لافروف في موسكو يوم 12 مارس 2024 "
                             "إن \"المحادثات مستمرة\". وأضاف أن 400 جندي وصلوا إلى الحدود.");
    }
    IngestOptions io = {0};
    IngestStats s;
    CHECK(engine_ingest_batch(st, &io, &b, "test", &s, &err) == RASD_OK);
    batch_free(&b);
    StoriesStats ss;
    int ran = 0;
    CHECK(engine_assign(st, NULL, &ss, &ran, &err) == RASD_OK);
    rasd_brief *built = NULL, *read = NULL;
    rasd_conflict_set *cs = NULL;
    Buf j1 = {0}, j2 = {0}, stored = {0}, cj = {0}, cj2 = {0};
    size_t nc = 0;
    CHECK(brief_get(st, 0, 1, NULL, &built, &err) == RASD_OK);   /* built and stored */
    CHECK(brief_get(st, 0, 1, NULL, &read, &err) == RASD_OK);    /* read back */
    CHECK(brief_build(st, 0, 1, NULL, &stored, &err) == RASD_OK); /* the output JSON */
    /* the brief cache's own bytes: the stored form, without the claims' cites */
    Buf cache = {0};
    Ctx cx;
    int found = 0;
    CHECK(brief_story_list(st, 0, 1, &cx, &err) == RASD_OK);
    CHECK(brief_cache_get(&cx, "brief", brief_story_sig(&cx), &cache, &found, &err) == RASD_OK);
    brief_story_free(&cx);
    CHECK(found && cache.len > 0 && cache.len < stored.len);
    CHECK(stored.data && strstr(stored.data, "\"cite\":{"));
    CHECK(cache.data && !strstr(cache.data, "\"cite\":"));
    if (built) {
        Buf sf = {0};
        views_brief_json_stored(built, &sf);
        CHECK(sf.len == cache.len && !memcmp(sf.data, cache.data, sf.len));
        buf_free(&sf);
    }
    buf_free(&cache);
    CHECK(story_conflict_set(st, 0, 1, &cs, &err) == RASD_OK);
    CHECK(story_conflicts(st, 0, 1, &cj, &nc, &err) == RASD_OK);
    if (built && read && cs) {
        views_brief_json(built, &j1);
        views_brief_json(read, &j2);
        CHECK(j1.len > 0 && j1.len == j2.len && !memcmp(j1.data, j2.data, j1.len));
        CHECK(stored.len == j1.len && !memcmp(stored.data, j1.data, j1.len));
        CHECK(built->documents && built->ndocuments == 2 && built->event == 1);
        CHECK(built->named_outlets == 2 && read->named_outlets == 2); /* الرياض, عكاظ */
        CHECK(cs->n == nc && cs->event == 1 && cs->n == built->conflicts.n);
        views_conflicts_json(cs, &cj2);
        CHECK(cj.len == cj2.len && !memcmp(cj.data, cj2.data, cj.len));
    }
    rasd_brief_free(built);
    rasd_brief_free(read);
    rasd_conflict_set_free(cs);
    buf_free(&j1);
    buf_free(&j2);
    buf_free(&stored);
    buf_free(&cj);
    buf_free(&cj2);
    store_close(st);
    unlink(path);
}

TEST("views: every claim of a brief cites its article's outlet and URL in JSON, text, Markdown and HTML")
{
    rasd_brief *b = NULL;
    rasd_error err;
    CHECK(views_brief_decode(FULL, strlen(FULL), &b, &err) == RASD_OK);
    if (!b)
        return;
    const rasd_citation *c[3] = {&b->summary[0].cite, &b->timeline[0].cite,
                                 &b->speakers[0].quotes[0].cite};
    for (int i = 0; i < 3; i++)
        CHECK(c[i]->article && !strcmp(c[i]->outlet, "الرياض") &&
              !strcmp(c[i]->url, "https://example.org/a"));
    CHECK(b->timeline[0].cite.start == 3 && b->timeline[0].cite.end == 40);
    Buf t = {0}, m = {0}, h = {0}, tl = {0}, cf = {0};
    CHECK(views_brief_render(b, RASD_FMT_TEXT, &t, &err) == RASD_OK);
    CHECK(views_brief_render(b, RASD_FMT_MD, &m, &err) == RASD_OK);
    CHECK(views_brief_render(b, RASD_FMT_HTML, &h, &err) == RASD_OK);
    views_timeline_text(b, &tl);
    views_conflicts_text(&b->conflicts, &cf);
    /* text: the claim names its document by number; the list gives outlet and URL */
    CHECK(t.data && strstr(t.data, "جملة <b> [الرياض، عكاظ] (1)"));
    CHECK(t.data && strstr(t.data, "(1) 2024-03-12  الرياض") &&
          strstr(t.data, "https://example.org/a"));
    /* Markdown: the number links to the article's page */
    CHECK(m.data && strstr(m.data, "جملة \\<b\\> [الرياض، عكاظ] ([1](https://example.org/a))"));
    CHECK(m.data && strstr(m.data, "«المحادثات» [الرياض] ([1](https://example.org/a))"));
    /* HTML: the sentence links to the page, the number to the document list */
    CHECK(h.data && strstr(h.data, "<sup><a href=\"#doc-1\">1</a></sup>") &&
          strstr(h.data, "<li id=\"doc-1\">"));
    CHECK(tl.data && strstr(tl.data, "[الرياض]  https://example.org/a\n"));
    CHECK(cf.data && strstr(cf.data, "«300 جندي»  — الرياض https://example.org/a\n"));
    buf_free(&t);
    buf_free(&m);
    buf_free(&h);
    buf_free(&tl);
    buf_free(&cf);
    rasd_brief_free(b);

    /* a brief stored before citations: they come from its documents; an
       article without an outlet is named by its agency, site or title, never its id */
    static const char *OLD =
        "{\"story\":1,\"summary\":[{\"text\":\"a\",\"article\":\"00000000000000a1\",\"start\":1,"
        "\"end\":2},{\"text\":\"b\",\"article\":\"00000000000000b2\"},{\"text\":\"c\","
        "\"article\":\"00000000000000c3\"}],\"timeline\":[{\"value\":\"2024\",\"article\":"
        "\"00000000000000b2\",\"start\":4,\"end\":9}],\"documents\":[{\"id\":"
        "\"00000000000000a1\",\"outlet\":null,\"name\":\"واس\",\"url\":\"http://spa.gov.sa/1\"},"
        "{\"id\":\"00000000000000b2\",\"outlet\":null,\"name\":null,\"title\":\"عنوان\"}]}";
    CHECK(views_brief_decode(OLD, strlen(OLD), &b, &err) == RASD_OK);
    if (!b)
        return;
    CHECK_STR(b->summary[0].cite.outlet, "واس");
    CHECK_STR(b->summary[0].cite.url, "http://spa.gov.sa/1");
    CHECK(b->summary[0].cite.start == 1 && b->summary[0].cite.end == 2);
    CHECK_STR(b->summary[1].cite.outlet, "عنوان");
    CHECK(!b->summary[1].cite.url);
    CHECK(!b->summary[2].cite.outlet && !b->summary[2].cite.url); /* not listed */
    CHECK_STR(b->timeline[0].cite.outlet, "عنوان");
    CHECK(b->timeline[0].cite.start == 4);
    Buf j = {0};
    views_brief_json(b, &j);
    CHECK(j.data && strstr(j.data, "\"cite\":{\"article\":\"00000000000000a1\",\"outlet\":\"واس\","
                                   "\"url\":\"http://spa.gov.sa/1\",\"start\":1,\"end\":2}"));
    buf_reset(&j);
    CHECK(views_brief_render(b, RASD_FMT_TEXT, &j, &err) == RASD_OK);
    CHECK(j.data && strstr(j.data, "(2) ") && strstr(j.data, "واس") &&
          !strstr(j.data, "00000000000000b2"));
    buf_free(&j);
    rasd_brief_free(b);
}

TEST("views: a brief's header counts the outlets its articles name, not the titles standing in for none")
{
    /* two articles of الرياض, one without an outlet (listed by its title) */
    static const char *J =
        "{\"story\":1,\"first\":\"2024-03-12\",\"last\":\"2024-03-13\",\"articles\":3,\"sources\":2,"
        "\"outlets\":[\"الرياض\",\"عنوان المقالة\"],\"documents\":[{\"id\":\"00000000000000a1\","
        "\"outlet\":\"الرياض\",\"name\":\"الرياض\"},{\"id\":\"00000000000000a2\",\"outlet\":"
        "\"الرياض\",\"name\":\"الرياض\"},{\"id\":\"00000000000000b2\",\"outlet\":null,\"name\":"
        "\"عنوان المقالة\"}]}";
    static const char *NONE =
        "{\"story\":1,\"articles\":1,\"sources\":1,\"outlets\":[\"عنوان\"],\"documents\":[{\"id\":"
        "\"00000000000000b2\",\"outlet\":null,\"name\":\"عنوان\"}]}";
    rasd_brief *b = NULL;
    rasd_error err;
    Buf t = {0};
    CHECK(views_brief_decode(J, strlen(J), &b, &err) == RASD_OK);
    if (b) {
        CHECK(views_brief_render(b, RASD_FMT_TEXT, &t, &err) == RASD_OK);
        CHECK(t.data && strstr(t.data, "3 مقالات من منفذ واحد ("));
        rasd_brief_free(b);
    }
    /* the count is the brief's named_outlets (brief.c), written and read back;
       the documents only stand in for a brief written without it */
    static const char *FIELD =
        "{\"story\":1,\"articles\":3,\"sources\":2,\"outlets\":[\"الرياض\",\"عنوان\"],"
        "\"named_outlets\":2,\"documents\":[{\"id\":\"00000000000000a1\",\"outlet\":\"الرياض\"}]}";
    buf_reset(&t);
    CHECK(views_brief_decode(FIELD, strlen(FIELD), &b, &err) == RASD_OK);
    if (b) {
        CHECK(b->named_outlets == 2);
        CHECK(views_brief_render(b, RASD_FMT_TEXT, &t, &err) == RASD_OK);
        CHECK(t.data && strstr(t.data, "3 مقالات من منفذين ("));
        buf_reset(&t);
        views_brief_json(b, &t);
        CHECK(t.data && strstr(t.data, "\"outlets\":[\"الرياض\",\"عنوان\"],\"named_outlets\":2,"));
        rasd_brief_free(b);
    }
    buf_reset(&t);
    CHECK(views_brief_decode(NONE, strlen(NONE), &b, &err) == RASD_OK);
    if (b) {
        CHECK(views_brief_render(b, RASD_FMT_TEXT, &t, &err) == RASD_OK);
        CHECK(t.data && strstr(t.data, "مقالة واحدة (") && !strstr(t.data, " من "));
        rasd_brief_free(b);
    }
    buf_free(&t);
}
