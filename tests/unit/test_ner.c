/*
 * test_ner.c — behaviours of the named-entity tagger: the compiled-in model
 * loads and finds the obvious names in sentences written for these tests,
 * spans follow the CoNLL chunking rules, scoring counts exact spans only,
 * damaged models are refused, and training is deterministic; the shipped
 * model has two stages and its second stage sees what the first made of a
 * word elsewhere in the document.
 */
#include <stdlib.h>

#include "harness.h"
#include "annotate/ner.h"
#include "annotate/ner_impl.h"

static rasd_text *text(void)
{
    static rasd_text *t;
    if (!t && rasd_text_new(&t, NULL) != RASD_OK)
        return NULL;
    return t;
}

/* Tags s with the default model; returns its spans (malloc'd) and the doc. */
static NerSpan *tag(const char *s, rasd_doc **d, size_t *nspans)
{
    *d = NULL;
    *nspans = 0;
    if (!text() || rasd_text_analyse(text(), s, strlen(s), d, NULL) != RASD_OK)
        return NULL;
    size_t n = rasd_doc_ntokens(*d);
    uint8_t *tags = malloc(n + 1);
    if (ner_tag(*d, tags, NULL) != RASD_OK) {
        free(tags);
        return NULL;
    }
    *nspans = ner_spans(rasd_doc_tokens(*d), tags, n, NULL, 0);
    NerSpan *sp = malloc((*nspans + 1) * sizeof *sp);
    ner_spans(rasd_doc_tokens(*d), tags, n, sp, *nspans);
    free(tags);
    return sp;
}

/* Is there a span of this type whose text is exactly want? */
static int has_span(const rasd_doc *d, const NerSpan *sp, size_t n, int type, const char *want)
{
    const char *txt = rasd_doc_text(d, NULL);
    for (size_t k = 0; k < n; k++)
        if (sp[k].type == type && sp[k].end - sp[k].start == strlen(want) &&
            memcmp(txt + sp[k].start, want, strlen(want)) == 0)
            return 1;
    return 0;
}

/* Is there a span of this type that contains want? */
static int span_contains(const rasd_doc *d, const NerSpan *sp, size_t n, int type,
                         const char *want)
{
    const char *txt = rasd_doc_text(d, NULL);
    size_t wl = strlen(want);
    for (size_t k = 0; k < n; k++) {
        if (sp[k].type != type)
            continue;
        for (size_t i = sp[k].start; i + wl <= sp[k].end; i++)
            if (memcmp(txt + i, want, wl) == 0)
                return 1;
    }
    return 0;
}

TEST("the NER model compiled into the library loads")
{
    rasd_error err;
    const NerModel *m = ner_default(&err);
    CHECK(m != NULL);
    CHECK(ner_default(NULL) == m); /* loaded once */
}

TEST("the NER model was trained on the text core as it is now (else: make model)")
{
    /* Keys and stems are the model's features: when the text core changes
       how it analyses words, the compiled-in model must be retrained. */
    CHECK(ner_model_current(ner_default(NULL)));
}

TEST("the shipped model has two stages: the second sees the document")
{
    CHECK(ner_model_stages(ner_default(NULL)) == 2);
}

TEST("a surname met alone after the full name is a person in every sentence")
{
    rasd_doc *d;
    size_t n;
    const char *s = "أعلن الرئيس الكيني أوهورو كينياتا أمس خطة جديدة للطاقة. "
                    "وأضاف كينياتا في مؤتمر صحفي أن الخطة ستبدأ قريبا. "
                    "ورحب نواب بما أعلنه كينياتا.";
    NerSpan *sp = tag(s, &d, &n);
    CHECK(sp != NULL);
    size_t pers = 0, wl = strlen("كينياتا");
    const char *txt = d ? rasd_doc_text(d, NULL) : "";
    for (size_t k = 0; sp && k < n; k++)
        for (size_t i = sp[k].start; sp[k].type == NER_PERS && i + wl <= sp[k].end; i++)
            pers += memcmp(txt + i, "كينياتا", wl) == 0;
    CHECK(pers == 3);
    free(sp);
    rasd_doc_free(d);
}

/* Token info with the given remainders (the rest zero) for ner_doc_fill. */
static void doc_info(NerTok *info, const uint64_t *rem, size_t n)
{
    memset(info, 0, n * sizeof *info);
    for (size_t i = 0; i < n; i++)
        info[i].rem = rem[i];
}

TEST("document features: a word's other occurrences, as the first stage tagged them")
{
    /* words 7 8 9 7 8 7 5 6: the pair 7 8 is a person once (B I), the word 7 twice
       more; 9 is alone; 5 (O) and 6 (O) are alone; 0 is outside every sentence */
    uint64_t rem[] = {7, 8, 9, 7, 8, 7, 0, 5, 6};
    uint8_t t1[] = {NER_B(NER_PERS), NER_I(NER_PERS), NER_O, NER_O, NER_O, NER_B(NER_PERS),
                    NER_O, NER_O, NER_O};
    NerTok info[9];
    doc_info(info, rem, 9);
    CHECK(ner_doc_fill(info, 9, t1) == 0);
    CHECK(info[0].dtag == 1 + NER_B(NER_PERS));
    CHECK(info[2].dother == 1); /* nowhere else */
    CHECK(info[8].dother == 1);
    CHECK(info[1].dother == 2); /* 8 elsewhere: O */
    CHECK(info[4].dother == 3); /* 8 elsewhere: inside a person, never first */
    /* word 7 at 3 (O): elsewhere a person twice of twice, as a span's first word */
    CHECK(info[3].dother == 3 + 2 * (3 * (NER_PERS - 1) + 0) + 1);
    /* word 7 at 0: elsewhere once O, once B-PERS: a person half the time */
    CHECK(info[0].dother == 3 + 2 * (3 * (NER_PERS - 1) + 1) + 1);
    /* the pair 7 8 at 3 is one entity elsewhere (at 0), every time */
    CHECK(info[3].dbi == 3 + 2 * (NER_PERS - 1) + 0);
    CHECK(info[0].dbi == 2); /* elsewhere (at 3) not one entity */
    CHECK(info[6].dtag == 0 && info[6].dother == 0); /* outside: no features */
}

TEST("the tagger finds Macron as a person and Paris as a place")
{
    rasd_doc *d;
    size_t n;
    NerSpan *sp = tag("قال الرئيس الفرنسي إيمانويل ماكرون في باريس", &d, &n);
    CHECK(sp != NULL);
    CHECK(sp && span_contains(d, sp, n, NER_PERS, "ماكرون"));
    CHECK(sp && has_span(d, sp, n, NER_LOC, "باريس"));
    free(sp);
    rasd_doc_free(d);
}

TEST("the tagger finds people, places and organisations in news sentences")
{
    rasd_doc *d;
    size_t n;
    NerSpan *sp = tag("التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني وانغ يي في موسكو "
                      "أمس.",
                      &d, &n);
    CHECK(sp && has_span(d, sp, n, NER_PERS, "سيرغي لافروف"));
    CHECK(sp && has_span(d, sp, n, NER_LOC, "موسكو"));
    free(sp);
    rasd_doc_free(d);

    sp = tag("أعلنت وكالة رويترز أن الرئيس التركي رجب طيب أردوغان سيزور الرياض الأسبوع "
             "المقبل.",
             &d, &n);
    CHECK(sp && span_contains(d, sp, n, NER_ORG, "رويترز"));
    CHECK(sp && has_span(d, sp, n, NER_PERS, "رجب طيب أردوغان"));
    CHECK(sp && has_span(d, sp, n, NER_LOC, "الرياض"));
    free(sp);
    rasd_doc_free(d);

    sp = tag("وصرح وزير الدفاع الأمريكي لويد أوستن للصحفيين في واشنطن بأن حلف الناتو سيعزز "
             "قواته في بولندا.",
             &d, &n);
    CHECK(sp && has_span(d, sp, n, NER_PERS, "لويد أوستن"));
    CHECK(sp && has_span(d, sp, n, NER_LOC, "واشنطن"));
    CHECK(sp && has_span(d, sp, n, NER_LOC, "بولندا"));
    free(sp);
    rasd_doc_free(d);
}

TEST("the tagger copes with empty text, punctuation only and Latin text")
{
    const char *inputs[] = {"", "!!! ... ؟؟ ،،", "Reuters reported from London on Monday.",
                            "\n\n\n"};
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        rasd_doc *d;
        size_t n;
        NerSpan *sp = tag(inputs[k], &d, &n);
        CHECK(sp != NULL);
        for (size_t i = 0; sp && i < n; i++)
            CHECK(sp[i].first <= sp[i].last && sp[i].start < sp[i].end);
        free(sp);
        rasd_doc_free(d);
    }
}

TEST("spans follow CoNLL chunking: a stray I- starts an entity, B- after B- splits")
{
    const uint8_t tags[] = {NER_B(NER_PERS), NER_I(NER_PERS), NER_I(NER_LOC), NER_O,
                            NER_I(NER_ORG),  NER_B(NER_MISC), NER_B(NER_MISC)};
    NerSpan sp[8];
    size_t n = ner_spans(NULL, tags, sizeof tags, sp, 8);
    CHECK(n == 5);
    CHECK(sp[0].type == NER_PERS && sp[0].first == 0 && sp[0].last == 1);
    CHECK(sp[1].type == NER_LOC && sp[1].first == 2 && sp[1].last == 2);
    CHECK(sp[2].type == NER_ORG && sp[2].first == 4 && sp[2].last == 4);
    CHECK(sp[3].type == NER_MISC && sp[3].first == 5 && sp[4].first == 6);
    CHECK(ner_spans(NULL, tags, sizeof tags, sp, 2) == 5); /* counts past cap */
}

TEST("scoring counts only exact spans of the right type")
{
    const uint8_t gold[] = {NER_B(NER_PERS), NER_I(NER_PERS), NER_O, NER_B(NER_LOC), NER_O,
                            NER_B(NER_ORG)};
    const uint8_t pred[] = {NER_B(NER_PERS), NER_O, NER_O, NER_B(NER_LOC), NER_O,
                            NER_B(NER_MISC)};
    NerScore s = {0};
    ner_score_add(&s, gold, pred, sizeof gold);
    CHECK(s.tp[NER_LOC] == 1 && s.tp[NER_PERS] == 0);
    CHECK(s.fn[NER_PERS] == 1 && s.fp[NER_PERS] == 1);
    CHECK(s.fn[NER_ORG] == 1 && s.fp[NER_MISC] == 1);
    double p, r, f = ner_score_f1(&s, NER_NONE, &p, &r);
    CHECK(p > 0.33 && p < 0.34 && r > 0.33 && r < 0.34 && f > 0.33 && f < 0.34);
}

TEST("tag names parse and print, PER is read as PERS")
{
    CHECK(ner_tag_parse("B-PER", 5) == NER_B(NER_PERS));
    CHECK(ner_tag_parse("I-MISC", 6) == NER_I(NER_MISC));
    CHECK(ner_tag_parse("O", 1) == NER_O);
    CHECK(ner_tag_parse("B-DATE", 6) < 0);
    CHECK_STR(ner_tag_name(NER_I(NER_LOC)), "I-LOC");
    CHECK_STR(ner_type_name(NER_ORG), "ORG");
}

TEST("a CoNLL line without a tag is an error naming the line when tags are required")
{
    const char *s = "محمد B-PERS\nذهب O\n\nإلى\n";
    NerConll c;
    rasd_error err;
    CHECK(ner_conll_parse(s, strlen(s), 1, "x.conll", &c, &err) == RASD_EFORMAT);
    CHECK(strstr(err.msg, "x.conll:4") != NULL);
    CHECK(ner_conll_parse(s, strlen(s), 0, "x.conll", &c, &err) == RASD_OK);
    CHECK(c.nsent == 2 && c.nwords == 3 && !c.has_gold);
    ner_conll_free(&c);
}

/* A tiny corpus of sentences written for this test. */
static const char tiny[] =
    "زار B-PERS\n" /* deliberately odd gold: the test is about bytes, not sense */
    "سامي I-PERS\n"
    "مدينة O\n"
    "طنجة B-LOC\n"
    "\n"
    "أعلنت O\n"
    "شركة B-ORG\n"
    "النور I-ORG\n"
    "أرباحها O\n"
    ".\tO\n"
    "\n"
    "قالت O\n"
    "ليلى B-PERS\n"
    "إن O\n"
    "مهرجان B-MISC\n"
    "الربيع I-MISC\n"
    "بدأ O\n";

static const char tiny_gaz[] = "# test list\nطنجة\nالدار البيضاء\n";
static const char tiny_cues[] = "# test cues\nORG شركة\nPERS قالت\n";

static int train_tiny(Buf *out)
{
    NerConll c;
    if (ner_conll_parse(tiny, sizeof tiny - 1, 1, "tiny", &c, NULL) != RASD_OK)
        return -1;
    size_t sents[] = {0, 1, 2};
    NerSection secs[] = {{NER_SEC_CUES, "cues.txt", tiny_cues, sizeof tiny_cues - 1},
                         {NER_SEC_GAZ, "places.txt", tiny_gaz, sizeof tiny_gaz - 1}};
    NerTrainOpts o = {.epochs = 5, .seed = 7, .bits = 12, .margin = 10};
    rasd_err rc = ner_train(&c, sents, 3, secs, 2, &o, out, NULL);
    ner_conll_free(&c);
    return rc == RASD_OK ? 0 : -1;
}

TEST("training on the same data twice gives byte-identical models that tag their data")
{
    Buf a = {0}, b = {0};
    CHECK(train_tiny(&a) == 0);
    CHECK(train_tiny(&b) == 0);
    CHECK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    NerModel *m = NULL;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len, &m, NULL) == RASD_OK);
    CHECK(ner_model_current(m));
    NerConll c;
    CHECK(ner_conll_parse(tiny, sizeof tiny - 1, 1, "tiny", &c, NULL) == RASD_OK);
    size_t all[] = {0, 1, 2};
    NerScore s = {0};
    CHECK(m && ner_conll_eval(m, &c, all, 3, &s, NULL) == RASD_OK);
    CHECK(ner_score_f1(&s, NER_NONE, NULL, NULL) > 0.99);
    ner_conll_free(&c);
    ner_model_free(m);
    buf_free(&a);
    buf_free(&b);
}

TEST("a two-stage model trains twice to the same bytes, carries its first stage and tags its data")
{
    NerConll c;
    CHECK(ner_conll_parse(tiny, sizeof tiny - 1, 1, "tiny", &c, NULL) == RASD_OK);
    size_t sents[] = {0, 1, 2};
    NerSection secs[] = {{NER_SEC_CUES, "cues.txt", tiny_cues, sizeof tiny_cues - 1},
                         {NER_SEC_GAZ, "places.txt", tiny_gaz, sizeof tiny_gaz - 1}};
    NerTrainOpts o = {.epochs = 5, .seed = 7, .bits = 12, .margin = 10, .stacked = 1};
    Buf a = {0}, b = {0};
    CHECK(ner_train(&c, sents, 3, secs, 2, &o, &a, NULL) == RASD_OK);
    CHECK(ner_train(&c, sents, 3, secs, 2, &o, &b, NULL) == RASD_OK);
    CHECK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    NerModel *m = NULL;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len, &m, NULL) == RASD_OK);
    CHECK(m && ner_model_stages(m) == 2 && ner_model_current(m));
    NerScore sc = {0};
    CHECK(m && ner_conll_eval(m, &c, sents, 3, &sc, NULL) == RASD_OK);
    CHECK(ner_score_f1(&sc, NER_NONE, NULL, NULL) > 0.99);
    /* a model whose first stage has a first stage itself is refused */
    NerSection s3[] = {secs[0], secs[1], {NER_SEC_STAGE1, "stage1.bin", a.data, a.len}};
    Buf bad = {0};
    o.stacked = 0;
    CHECK(ner_train(&c, sents, 3, s3, 3, &o, &bad, NULL) == RASD_OK);
    NerModel *m3 = NULL;
    rasd_error err;
    CHECK(ner_model_load((const unsigned char *)bad.data, bad.len, &m3, &err) == RASD_EFORMAT);
    CHECK(m3 == NULL);
    ner_model_free(m);
    ner_conll_free(&c);
    buf_free(&a);
    buf_free(&b);
    buf_free(&bad);
}

/*
 * Tags s with m as loaded (a two-stage model sums both stages from its joint
 * table) and again with the joint table set aside (each stage read from its
 * own rows, as before the joint table). 1 if both give the same tags; *nent
 * counts the tokens tagged as part of an entity.
 */
static int joint_same(NerModel *m, const char *s, size_t *nent)
{
    rasd_doc *d = NULL;
    *nent = 0;
    if (!m || !m->jrows || !text() || rasd_text_analyse(text(), s, strlen(s), &d, NULL) != RASD_OK)
        return 0;
    size_t n = rasd_doc_ntokens(d);
    uint8_t *a = malloc(n + 1), *b = malloc(n + 1);
    int ok = a && b && ner_tag_doc(m, d, a, NULL) == RASD_OK;
    int16_t *jrows = m->jrows;
    m->jrows = NULL;
    ok = ok && ner_tag_doc(m, d, b, NULL) == RASD_OK && memcmp(a, b, n) == 0;
    m->jrows = jrows;
    for (size_t i = 0; ok && i < n; i++)
        *nent += a[i] != NER_O;
    free(a);
    free(b);
    rasd_doc_free(d);
    return ok;
}

/*
 * Every token of s: the joint table's scores are the ones each stage's own
 * rows give (the first stage's from its features; the second's, once its
 * document features' rows are added, from all of its features). The first
 * stage's tags for the document features are made up: any will do. 1 if so.
 */
static int joint_scores_agree(const NerModel *m, const char *s)
{
    rasd_doc *d = NULL;
    if (!m || !m->jrows || rasd_text_analyse(text(), s, strlen(s), &d, NULL) != RASD_OK)
        return 0;
    size_t n = rasd_doc_ntokens(d);
    NerTok *info = calloc(n + 1, sizeof *info);
    int32_t *e2 = calloc((n + 1) * NER_NTAGS, sizeof *e2);
    uint8_t *tags1 = calloc(n + 1, 1);
    int ok = info && e2 && tags1;
    uint32_t f[NER_MAX_FEATS], fd[NER_MAX_FEATS];
    int32_t e1[NER_NTAGS], want[NER_NTAGS], ed[NER_NTAGS];
    if (ok)
        ner_tok_info(&m->lex, rasd_doc_tokens(d), n, info);
    for (size_t i = 0; ok && i < n; i++) {
        size_t nf = ner_feats(&m->lex, m->bits, info, n, i, f);
        ner_emission_joint(m, f, nf, e1, e2 + i * NER_NTAGS);
        ner_emission(m->first, f, nf, want);
        ok = memcmp(e1, want, sizeof want) == 0;
        tags1[i] = (uint8_t)(i * 7 % NER_NTAGS);
    }
    ok = ok && ner_doc_fill(info, n, tags1) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        ner_emission(m, f, ner_feats(&m->lex, m->bits, info, n, i, f), want);
        ner_emission(m, fd, ner_doc_feats(m->bits, info, n, i, fd), ed);
        for (int t = 0; t < NER_NTAGS; t++)
            ok &= e2[i * NER_NTAGS + t] + ed[t] == want[t];
    }
    free(info);
    free(e2);
    free(tags1);
    rasd_doc_free(d);
    return ok;
}

TEST("the shipped model's joint table tags as its two stages read apart, across piece ends")
{
    extern const unsigned char ner_model_bin[];
    extern const unsigned long ner_model_bin_len;
    NerModel *m = NULL;
    CHECK(ner_model_load(ner_model_bin, (size_t)ner_model_bin_len, &m, NULL) == RASD_OK);
    Buf s = {0};
    buf_puts(&s, "أعلن الرئيس الكيني أوهورو كينياتا أمس خطة جديدة للطاقة في نيروبي. "
                 "وأضاف كينياتا في مؤتمر صحفي مع وزير الخارجية الأمريكي جون كيري أن "
                 "شركة أرامكو السعودية ستشارك. ");
    /* one sentence longer than NER_MAX_SEQ tokens: decoded in pieces */
    for (int k = 0; k < 60; k++)
        buf_puts(&s, "والتقى محمد بن سلمان في الرياض بوفد من الأمم المتحدة، ");
    buf_puts(&s, "ثم عاد.");
    size_t nent = 0;
    CHECK(!s.oom && joint_same(m, s.data, &nent));
    CHECK(nent > 100);
    CHECK(joint_scores_agree(m, s.data));
    ner_model_free(m);
    buf_free(&s);
}

TEST("the joint table keeps the second stage's feature cap: a word in many gazetteers")
{
    /* 22 lists holding the same place: a run of it gives a token more than
       NER_MAX_FEATS - NER_DOC_FEATS features, so the second stage keeps fewer
       of them than the first */
    NerConll c;
    CHECK(ner_conll_parse(tiny, sizeof tiny - 1, 1, "tiny", &c, NULL) == RASD_OK);
    size_t sents[] = {0, 1, 2};
    NerSection secs[23] = {{NER_SEC_CUES, "cues.txt", tiny_cues, sizeof tiny_cues - 1}};
    static char names[22][24];
    for (int l = 0; l < 22; l++) {
        snprintf(names[l], sizeof names[l], "list%d.txt", l);
        secs[1 + l] = (NerSection){NER_SEC_GAZ, names[l], tiny_gaz, sizeof tiny_gaz - 1};
    }
    NerTrainOpts o = {.epochs = 5, .seed = 7, .bits = 12, .margin = 10, .stacked = 1};
    Buf a = {0};
    CHECK(ner_train(&c, sents, 3, secs, 23, &o, &a, NULL) == RASD_OK);
    NerModel *m = NULL;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len, &m, NULL) == RASD_OK);
    const char *s = "زار سامي طنجة طنجة طنجة طنجة والدار البيضاء. قالت ليلى إن طنجة جميلة.";
    rasd_doc *d = NULL;
    CHECK(m && rasd_text_analyse(text(), s, strlen(s), &d, NULL) == RASD_OK);
    size_t n = d ? rasd_doc_ntokens(d) : 0, most = 0;
    NerTok *info = calloc(n + 1, sizeof *info);
    uint32_t f[NER_MAX_FEATS];
    if (m && d && info) {
        ner_tok_info(&m->lex, rasd_doc_tokens(d), n, info);
        for (size_t i = 0; i < n; i++) {
            size_t nf = ner_feats(&m->lex, m->bits, info, n, i, f);
            most = nf > most ? nf : most;
        }
    }
    CHECK(most > NER_MAX_FEATS - NER_DOC_FEATS);
    CHECK(joint_scores_agree(m, s));
    size_t nent = 0;
    CHECK(joint_same(m, s, &nent));
    free(info);
    rasd_doc_free(d);
    ner_model_free(m);
    ner_conll_free(&c);
    buf_free(&a);
}

TEST("tagging decodes as ner_viterbi does over the model's emission scores")
{
    Buf a = {0};
    CHECK(train_tiny(&a) == 0);
    NerModel *m = NULL;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len, &m, NULL) == RASD_OK);
    const char *s = "زار سامي مدينة طنجة ثم الدار البيضاء. أعلنت شركة النور أرباحها وقالت ليلى "
                    "إن مهرجان الربيع بدأ في طنجة";
    rasd_doc *d = NULL;
    CHECK(m && rasd_text_analyse(text(), s, strlen(s), &d, NULL) == RASD_OK);
    size_t n = d ? rasd_doc_ntokens(d) : 0;
    NerTok *info = calloc(n + 1, sizeof *info);
    int32_t *emit = calloc((n + 1) * NER_NTAGS, sizeof *emit);
    uint8_t *bp = calloc((n + 1) * NER_NTAGS, 1), *want = calloc(n + 1, 1), *got = calloc(n + 1, 1);
    CHECK(n > 10 && info && emit && bp && want && got);
    if (m && n > 10 && info && emit && bp && want && got) {
        uint32_t f[NER_MAX_FEATS];
        ner_tok_info(&m->lex, rasd_doc_tokens(d), n, info);
        for (size_t i = 0; i < n; i++)
            ner_emission(m, f, ner_feats(&m->lex, m->bits, info, n, i, f), emit + i * NER_NTAGS);
        ner_viterbi(emit, m->trans, n, bp, want);
        CHECK(ner_tag_tokens(m, rasd_doc_tokens(d), n, got, NULL) == RASD_OK);
        CHECK(memcmp(want, got, n) == 0);
    }
    free(info);
    free(emit);
    free(bp);
    free(want);
    free(got);
    rasd_doc_free(d);
    ner_model_free(m);
    buf_free(&a);
}

TEST("a damaged or truncated model is refused with a format error")
{
    Buf a = {0};
    CHECK(train_tiny(&a) == 0);
    NerModel *m = NULL;
    rasd_error err;
    a.data[a.len / 2] ^= 0x40;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len, &m, &err) == RASD_EFORMAT);
    CHECK(m == NULL);
    a.data[a.len / 2] ^= 0x40;
    CHECK(ner_model_load((const unsigned char *)a.data, a.len - 9, &m, &err) == RASD_EFORMAT);
    CHECK(ner_model_load((const unsigned char *)"RASDNER", 7, &m, &err) == RASD_EFORMAT);
    CHECK(ner_model_load(NULL, 0, &m, &err) == RASD_ENOTFOUND);
    buf_free(&a);
}

TEST("a person's span takes the family name the tagger left off, never an adjective or a time word")
{
    rasd_doc *d;
    size_t n;
    NerSpan *sp = tag("قال الرائد عبدالعزيز جزاء الحربي إن الحادث وقع أمس.", &d, &n);
    CHECK(sp != NULL);
    ner_extend_family(d, sp, n);
    CHECK(span_contains(d, sp, n, NER_PERS, "عبدالعزيز جزاء الحربي"));
    free(sp);
    rasd_doc_free(d);
    /* a hand-made span: "محمد" then a time word, then a nisba */
    sp = tag("وقال محمد أمس الحربي إن الاجتماع انتهى.", &d, &n);
    CHECK(sp != NULL);
    for (size_t k = 0; k < n; k++)
        if (sp[k].type == NER_PERS)
            CHECK(!span_contains(d, &sp[k], 1, NER_PERS, "أمس"));
    ner_extend_family(d, sp, n);
    CHECK(!span_contains(d, sp, n, NER_PERS, "أمس الحربي"));
    free(sp);
    rasd_doc_free(d);
}

TEST("a given name the tagger called an adjective starts the person's span after it")
{
    rasd_doc *d;
    size_t n;
    NerSpan *sp = tag("وقال العقيد تركي المالكي إن العمليات مستمرة.", &d, &n);
    CHECK(sp != NULL);
    n = ner_join_given(d, sp, n);
    CHECK(span_contains(d, sp, n, NER_PERS, "تركي المالكي"));
    CHECK(!span_contains(d, sp, n, NER_MISC, "تركي") && !span_contains(d, sp, n, NER_LOC, "تركي"));
    free(sp);
    rasd_doc_free(d);
    /* an adjective that is no listed name stays apart: موقف عربي | حازم */
    sp = tag("ويهدف إلى تكوين موقف عربي حازم من الأزمة.", &d, &n);
    CHECK(sp != NULL);
    n = ner_join_given(d, sp, n);
    CHECK(!span_contains(d, sp, n, NER_PERS, "عربي حازم"));
    free(sp);
    rasd_doc_free(d);
}
