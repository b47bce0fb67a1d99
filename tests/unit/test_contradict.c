/*
 * test_contradict.c — the headline contradiction model's trainer
 * (src/story/contradict.c compare_fit_model, used by tools/eval_contradict)
 * and the reasons it gives for a pair (invented headlines).
 */
#include <string.h>

#include "harness.h"
#include "story/compare.h"

TEST("contradiction model: fitting learns a feature that separates the examples, and no data fits nothing")
{
    /* negation present: contradicts; absent: does not, whatever the overlap */
    double X[4 * CF_COUNT];
    unsigned char y[4] = {1, 1, 0, 0};
    memset(X, 0, sizeof X);
    X[0 * CF_COUNT + CF_NEGATION] = 1;
    X[1 * CF_COUNT + CF_NEGATION] = 1;
    for (int i = 0; i < 4; i++)
        X[i * CF_COUNT + CF_OVERLAP] = i % 2 ? 0.9 : 0.4;
    StanceModel m;
    compare_fit_model(X, y, 4, 0.001, &m);
    CHECK(m.w[CF_NEGATION] > 1);
    CHECK(compare_model_score(&m, X) > 0.8 && compare_model_score(&m, X + 2 * CF_COUNT) < 0.2);
    compare_fit_model(X, y, 0, 0.001, &m);
    CHECK(m.w[CF_NEGATION] == 0 && m.bias == 0);
}

TEST("contradiction: a denial, a replaced name, antonyms and other figures each say why; a question only scores")
{
    rasd_text *t = NULL;
    rasd_error err;
    CHECK(rasd_text_new(&t, &err) == RASD_OK);
    if (!t)
        return;
    static const char *const pairs[][2] = {
        {"الوزارة تؤكد إغلاق المدارس غدا", "الوزارة تنفي إغلاق المدارس غدا"},
        {"هل تغلق المدارس غدا؟", "المدارس تغلق غدا"},
        {"خالد الناصر وزيرا للدفاع", "فهد العتيبي وزيرا للدفاع"},
        {"ارتفاع أسعار النفط اليوم", "انخفاض أسعار النفط اليوم"},
        {"وصول 300 جندي إلى الحدود", "وصول 400 جندي إلى الحدود"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        rasd_doc *a = NULL, *b = NULL;
        CHECK(rasd_text_analyse(t, pairs[i][0], strlen(pairs[i][0]), &a, &err) == RASD_OK);
        CHECK(rasd_text_analyse(t, pairs[i][1], strlen(pairs[i][1]), &b, &err) == RASD_OK);
        Contradiction c;
        memset(&c, 0, sizeof c);
        CHECK(a && b && compare_contradicts(a, b, &c, &err) == RASD_OK);
        /* the reason is the feature adding most to the score: the shipped
           model weighs a question against a statement down, so it has none */
        CHECK(c.score >= 0 && c.score <= 1 && (i == 1 || c.reason[0]));
        rasd_doc_free(a);
        rasd_doc_free(b);
    }
    rasd_text_free(t);
}
