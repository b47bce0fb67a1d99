/*
 * test_cooc.c — the archive co-occurrence model (src/story/cooc.c): words
 * of one story become related, counts do not depend on arrival order, the
 * soft overlap names its links, the encoding round-trips and damaged bytes
 * are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "annotate/analyze.h"
#include "story/cooc.h"
#include "story_test.h"

#define tx story_test_text

static int vec(const char *title, const char *body, StoryVec *v)
{
    return story_test_vec(title, body, "2020-01-01", NULL, v);
}

static uint64_t stem_id(const char *word)
{
    rasd_doc *d = NULL;
    rasd_error err;
    uint64_t id = 0;
    if (rasd_text_analyse(tx(), word, strlen(word), &d, &err) == RASD_OK && rasd_doc_ntokens(d))
        id = rasd_hash(rasd_doc_tokens(d)[0].stem, rasd_doc_tokens(d)[0].stem_len);
    rasd_doc_free(d);
    return id;
}

/* Four reports pairing ammunition with weapons, four of other news. */
static const char *ARMS[][2] = {
    {"روسيا تشتري ذخيرة من كوريا", "قالت واشنطن إن روسيا تشتري ذخيرة وأسلحة من كوريا الشمالية."},
    {"صفقة ذخيرة وأسلحة", "تحدث مسؤولون عن صفقة ذخيرة وأسلحة بين البلدين."},
    {"شحنة ذخيرة", "وصلت شحنة ذخيرة وأسلحة إلى الميناء بحسب التقارير."},
    {"تقرير عن الذخيرة", "كشف تقرير عن نقل ذخيرة وأسلحة عبر الحدود."},
    {"أمطار غزيرة في جدة", "هطلت أمطار غزيرة على جدة وأغلقت بعض الطرق."},
    {"افتتاح معرض الكتاب", "افتتح وزير الثقافة معرض الكتاب بحضور الناشرين."},
    {"ارتفاع أسعار النفط", "ارتفعت أسعار النفط في تعاملات الأسواق العالمية."},
    {"فوز الهلال", "فاز الهلال على النصر في مباراة الدوري."},
};
#define NARMS (sizeof ARMS / sizeof ARMS[0])

/* The vectors of ARMS, each added to c. */
static void arms_model(StoryVec *v, Cooc *c)
{
    for (size_t i = 0; i < NARMS; i++) {
        CHECK(vec(ARMS[i][0], ARMS[i][1], &v[i]) == 0);
        CHECK(cooc_update(c, &v[i]) == 0);
    }
}

TEST("words of one story are related once they share three articles, in any order")
{
    StoryVec v[NARMS];
    for (size_t i = 0; i < NARMS; i++)
        CHECK(vec(ARMS[i][0], ARMS[i][1], &v[i]) == 0);
    Cooc *fwd = cooc_new(0), *back = cooc_new(0);
    for (size_t i = 0; i < NARMS; i++) {
        CHECK(cooc_update(fwd, &v[i]) == 0);
        CHECK(cooc_update(back, &v[NARMS - 1 - i]) == 0);
    }
    uint64_t ammo = stem_id("ذخيرة"), arms = stem_id("أسلحة"), rain = stem_id("أمطار");
    double r = cooc_npmi(fwd, ammo, arms);
    CHECK(r > 0.3);
    CHECK(cooc_npmi(back, ammo, arms) == r);
    CHECK(cooc_npmi(fwd, ammo, rain) == 0);
    CHECK(cooc_docs(fwd) == NARMS);
    Buf a = {0}, b = {0};
    cooc_encode(fwd, &a);
    cooc_encode(back, &b);
    CHECK(a.len == b.len);
    for (size_t i = 0; i < NARMS; i++)
        sv_free(&v[i]);
    buf_free(&a);
    buf_free(&b);
    cooc_free(fwd);
    cooc_free(back);
}

TEST("the soft overlap links words two reports do not share and names the link")
{
    StoryVec v[NARMS], x, y;
    Cooc *c = cooc_new(0);
    arms_model(v, c);
    CHECK(vec("ذخيرة", "ذخيرة", &x) == 0);
    CHECK(vec("أسلحة", "أسلحة", &y) == 0);
    CoocWhy why;
    double s = cooc_soft(c, &x, &y, &why);
    CHECK(s > 0.3 && s <= 1);
    CHECK(why.exact == 0);
    CHECK(why.n >= 1 && why.link[0].npmi > 0.3);
    Cooc *empty = cooc_new(0);
    CHECK(cooc_soft(empty, &x, &y, NULL) == 0);
    CHECK(cooc_soft(empty, &x, &x, NULL) == 1);
    for (size_t i = 0; i < NARMS; i++)
        sv_free(&v[i]);
    sv_free(&x);
    sv_free(&y);
    cooc_free(c);
    cooc_free(empty);
}

TEST("a co-occurrence model survives encoding; damaged bytes are refused")
{
    StoryVec v[NARMS];
    Cooc *c = cooc_new(0);
    arms_model(v, c);
    Buf b = {0};
    cooc_encode(c, &b);
    Cooc *d = NULL;
    rasd_error err;
    CHECK(cooc_decode(&d, b.data, b.len, &err) == RASD_OK);
    uint64_t ammo = stem_id("ذخيرة"), arms = stem_id("أسلحة");
    CHECK(d && cooc_npmi(d, ammo, arms) == cooc_npmi(c, ammo, arms));
    CHECK(d && cooc_docs(d) == cooc_docs(c) && cooc_pairs(d) == cooc_pairs(c));
    Cooc *bad = NULL;
    CHECK(cooc_decode(&bad, b.data, b.len - 1, &err) == RASD_EFORMAT && !bad);
    CHECK(cooc_decode(&bad, b.data, 8, &err) == RASD_EFORMAT && !bad);
    b.data[0] ^= 1;
    CHECK(cooc_decode(&bad, b.data, b.len, &err) == RASD_EFORMAT && !bad);
    for (size_t i = 0; i < NARMS; i++)
        sv_free(&v[i]);
    buf_free(&b);
    cooc_free(c);
    cooc_free(d);
}

TEST("the pair table stays under its bound by dropping the rarest pairs")
{
    StoryVec v[NARMS];
    Cooc *c = cooc_new(64);
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < NARMS; i++) {
            if (!round)
                CHECK(vec(ARMS[i][0], ARMS[i][1], &v[i]) == 0);
            CHECK(cooc_update(c, &v[i]) == 0);
            CHECK(cooc_pairs(c) <= 64);
        }
    for (size_t i = 0; i < NARMS; i++)
        sv_free(&v[i]);
    cooc_free(c);
}
