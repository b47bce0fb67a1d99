/*
 * test_stories.c — story vectors, pair similarity and online assignment
 * (src/story/vector.c, similarity.c, cluster.c): encoding round trips,
 * hostile stored bytes, the model file format, and assignment behaviours
 * on small hand-made articles (copies join, unrelated texts stay apart,
 * an independent report joins and another event of the same actors does
 * not, the time window closes events, a thread outlives its events, a
 * day's events do not depend on arrival order, routine shapes need their
 * slot to agree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "annotate/analyze.h"
#include "annotate/dates.h"
#include "story/cluster.h"
#include "story_test.h"

#define tx story_test_text
#define vec story_test_vec

rasd_text *story_test_text(void)
{
    static rasd_text *t;
    rasd_error err;
    if (!t && rasd_text_new(&t, &err) != RASD_OK)
        return NULL;
    return t;
}

int story_test_vec(const char *title, const char *body, const char *date, SvDf *df, StoryVec *v)
{
    rasd_error err;
    rasd_doc *d = NULL, *h = NULL;
    EntityList ents = {0};
    int rc = -1;
    if (rasd_text_analyse(tx(), body, strlen(body), &d, &err) == RASD_OK &&
        (!title || rasd_text_analyse(tx(), title, strlen(title), &h, &err) == RASD_OK) &&
        analyze_entities(d, &ents, &err) == RASD_OK &&
        sv_build(v, d, h, &ents, date, &err) == RASD_OK) {
        if (df)
            sv_df_add(df, v);
        sv_weigh(v, df);
        rc = 0;
    }
    entities_free(&ents);
    rasd_doc_free(d);
    rasd_doc_free(h);
    return rc;
}

static const char *A_TITLE = "انفجار في ميناء بيروت يوقع عشرات القتلى";
static const char *A_BODY =
    "أعلنت السلطات اللبنانية أن انفجارا ضخما وقع في ميناء بيروت مساء الثلاثاء وأوقع عشرات "
    "القتلى ومئات الجرحى. وقال وزير الصحة اللبناني حمد حسن إن المستشفيات امتلأت بالمصابين. "
    "وأضاف أن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض في محيط الميناء.";
/* the same event written independently, and the same actors' other event */
static const char *A2_TITLE = "عشرات القتلى ومئات المصابين في انفجار ضخم بميناء بيروت";
static const char *A2_BODY =
    "هز انفجار ضخم ميناء بيروت مساء الثلاثاء فقتل العشرات وجرح المئات بحسب السلطات اللبنانية. "
    "وأفاد حمد حسن وزير الصحة بأن المستشفيات لم تعد تتسع للجرحى، فيما تواصل فرق الإنقاذ "
    "البحث عن المفقودين تحت أنقاض المباني المدمرة قرب الميناء.";
static const char *C_TITLE = "وزير الصحة اللبناني يعلن بدء حملة التلقيح في بيروت";
static const char *C_BODY =
    "أعلن وزير الصحة اللبناني حمد حسن بدء حملة التلقيح ضد فيروس كورونا في بيروت وسائر المناطق. "
    "وقال إن الوزارة تسلمت الدفعة الأولى من اللقاحات وإن الأولوية للعاملين في المستشفيات "
    "وكبار السن، داعيا المواطنين إلى التسجيل على المنصة الإلكترونية.";
static const char *B_TITLE = "المنتخب السعودي يفوز على اليابان في تصفيات كأس العالم";
static const char *B_BODY =
    "حقق المنتخب السعودي لكرة القدم فوزا ثمينا على نظيره الياباني بهدف نظيف في المباراة التي "
    "أقيمت على ملعب الجوهرة في جدة ضمن التصفيات الآسيوية المؤهلة إلى نهائيات كأس العالم. "
    "وسجل هدف المباراة اللاعب فراس البريكان في الشوط الأول.";

/* terms compared field by field: SvTerm has padding after w, which
   memcmp would compare too (it differs between builds) */
static int same_terms(const SvTerm *a, const SvTerm *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].id != b[i].id || a[i].w != b[i].w)
            return 0;
    return 1;
}

TEST("a story vector survives encoding and decoding unchanged")
{
    StoryVec v, w;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", NULL, &v) == 0);
    Buf b = {0};
    sv_encode(&v, &b);
    rasd_error err;
    CHECK(sv_decode(&w, b.data, b.len, &err) == RASD_OK);
    CHECK(w.nterms == v.nterms && w.ntitle == v.ntitle && w.nents == v.nents);
    CHECK(w.day == v.day && w.has_sig == v.has_sig);
    CHECK(v.nterms && same_terms(w.terms, v.terms, v.nterms));
    CHECK(!memcmp(w.sig, v.sig, sizeof v.sig));
    sv_free(&w);
    /* every truncation and a flipped length are refused, not misread */
    for (size_t n = 0; n < b.len; n += 7)
        CHECK(sv_decode(&w, b.data, n, &err) == RASD_EFORMAT);
    b.data[4] ^= 0x7f;
    CHECK(sv_decode(&w, b.data, b.len, &err) == RASD_EFORMAT);
    buf_free(&b);
    sv_free(&v);
}

TEST("an article repeating one word 70,000 times stores a vector it can read back")
{
    /* issue 12, item 13: a 50 MB single-article file stored raw counts
       that sv_decode refused ("stored story vectors could not be read") */
    Buf text = {0};
    for (int i = 0; i < 70000; i++)
        buf_puts(&text, "روسيا تعلن ");
    rasd_error err;
    rasd_doc *d = NULL;
    StoryVec v = {0}, w = {0};
    Buf b = {0};
    CHECK(rasd_text_analyse(tx(), text.data, text.len, &d, &err) == RASD_OK);
    CHECK(d && sv_build(&v, d, NULL, NULL, "2020-01-01", &err) == RASD_OK);
    float most = 0;
    for (size_t i = 0; i < v.nterms; i++)
        most = v.terms[i].w > most ? v.terms[i].w : most;
    CHECK(most > 60000 && most <= 65535);
    sv_encode(&v, &b);
    CHECK(sv_decode(&w, b.data, b.len, &err) == RASD_OK);
    CHECK(sv_weigh(&w, NULL) == 0 && w.nterms == v.nterms);
    sv_free(&v);
    sv_free(&w);
    buf_free(&b);
    buf_free(&text);
    rasd_doc_free(d);
}

TEST("numbers count as one however their digits and separators are written")
{
    StoryVec a, b, c;
    CHECK(vec(NULL, "نزع ملكية 151 عقارا بتعويضات 1,500 مليون ريال", "2020-08-04", NULL, &a) == 0);
    CHECK(vec(NULL, "تعويضات ١٥٠٠ مليون ريال عن نزع ملكية ١٥١ عقارا", "2020-08-04", NULL, &b) == 0);
    CHECK(vec(NULL, "نزع ملكية 37 عقارا بتعويضات 900 مليون ريال", "2020-08-04", NULL, &c) == 0);
    SimParts same, other;
    sim_features(&a, &b, &same);
    sim_features(&a, &c, &other);
    CHECK(a.nnums == 2 && b.nnums == 2);
    CHECK(same.f[SIM_NUMS] > 0.99 && other.f[SIM_NUMS] == 0);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

/* The bytes an "RSV1" store kept for v: no count of numbers, no numbers (nor
   the days, event words and places of "RSV3", whose header is 28 bytes). */
static void encode_v1(const StoryVec *v, Buf *out)
{
    Buf b = {0};
    sv_encode(v, &b);
    unsigned char *p = (unsigned char *)b.data;
    p[0] = 'R', p[1] = 'S', p[2] = 'V', p[3] = '1';
    buf_append(out, b.data, 16);
    size_t lists = 12 * ((size_t)v->nterms + v->ntitle + v->nents);
    size_t later = 12 * ((size_t)v->nnums + v->nwhen + v->nwhat + v->nplaces);
    buf_append(out, b.data + 28, lists);
    buf_append(out, b.data + 28 + lists + later, v->has_sig ? 128 : 0);
    buf_free(&b);
}

TEST("a vector stored before numbers were kept still decodes, without numbers")
{
    StoryVec v, w;
    CHECK(vec(A_TITLE, "قتل 12 شخصا وأصيب 150 في انفجار ميناء بيروت", "2020-08-04", NULL, &v) == 0);
    CHECK(v.nnums == 2);
    Buf b = {0};
    encode_v1(&v, &b);
    rasd_error err;
    CHECK(sv_decode(&w, b.data, b.len, &err) == RASD_OK);
    CHECK(w.nnums == 0 && w.nterms == v.nterms && w.nents == v.nents && w.day == v.day);
    CHECK(same_terms(w.terms, v.terms, v.nterms));
    CHECK(!memcmp(w.sig, v.sig, sizeof v.sig));
    sv_free(&w);
    buf_free(&b);
    sv_free(&v);
}

TEST("stored lists out of order are refused: every comparison merges sorted lists")
{
    StoryVec v, w;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", NULL, &v) == 0);
    CHECK(v.nterms >= 2);
    SvTerm t = v.terms[0];
    v.terms[0] = v.terms[1];
    v.terms[1] = t;
    Buf b = {0};
    sv_encode(&v, &b);
    rasd_error err;
    CHECK(sv_decode(&w, b.data, b.len, &err) == RASD_EFORMAT);
    buf_free(&b);
    sv_free(&v);
}

TEST("an independent report of an event is the same event; its actors' other news is not")
{
    StoryVec a, a2, c;
    SvDf *df = sv_df_new();
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", df, &a) == 0);
    CHECK(vec(A2_TITLE, A2_BODY, "2020-08-04", df, &a2) == 0);
    CHECK(vec(C_TITLE, C_BODY, "2020-08-05", df, &c) == 0);
    SimParts same, other;
    sim_features(&a, &a2, &same);
    sim_features(&a, &c, &other);
    const SimModel *m = sim_default();
    double s1 = sim_score(m, &same), s2 = sim_score(m, &other);
    CHECK(same.f[SIM_NEAR] < 0.2); /* written independently, not a copy */
    CHECK(s1 >= m->event_threshold);
    /* the same city on two days: the model of session 7 (places, entities weigh more)
       gives 0.48 where the one before gave less than 0.4 */
    CHECK(s2 < m->event_threshold - 0.1);
    sv_free(&a);
    sv_free(&a2);
    sv_free(&c);
    sv_df_free(df);
}

TEST("publication days count from 1970-01-01 and bad dates are unknown")
{
    CHECK(sv_day("1970-01-01") == 0);
    CHECK(sv_day("2023-09-05T10:00:00Z") - sv_day("2023-08-31") == 5);
    CHECK(sv_day("2024-03-01") - sv_day("2024-02-28") == 2); /* leap year */
    CHECK(sv_day("2023-13-01") == SV_NO_DAY);
    CHECK(sv_day("yesterday") == SV_NO_DAY);
    CHECK(sv_day(NULL) == SV_NO_DAY);
}

TEST("an article is most similar to its own copy and far from another topic")
{
    StoryVec a, a2, b;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", NULL, &a) == 0);
    CHECK(vec(A_TITLE, A_BODY, "2020-08-05", NULL, &a2) == 0);
    CHECK(vec(B_TITLE, B_BODY, "2020-08-04", NULL, &b) == 0);
    SimParts same, other;
    sim_features(&a, &a2, &same);
    sim_features(&a, &b, &other);
    const SimModel *m = sim_default();
    CHECK(sim_score(m, &same) >= m->event_threshold);
    CHECK(sim_score(m, &other) < 0.2);
    CHECK(same.f[SIM_NEAR] == 1.0 && same.gap == 1);
    CHECK(other.f[SIM_TERMS] < 0.1);
    sv_free(&a);
    sv_free(&a2);
    sv_free(&b);
}

TEST("the time factor is 1 within three days and halves each further week")
{
    CHECK(sim_time_factor(-1) == 1 && sim_time_factor(0) == 1 && sim_time_factor(3) == 1);
    CHECK(sim_time_factor(10) > 0.49 && sim_time_factor(10) < 0.51);
}

TEST("the model file format is parsed strictly")
{
    SimModel m;
    const char *good =
        "# c\nbias -1\nterms 1\ntitle 2\nents 0\ncross 3\nnear 4\nnums 5\nwhen 1\nplace 0\n"
        "what 2\nevent_threshold 0.6\n";
    CHECK(sim_model_parse(&m, good, strlen(good)) == 0);
    CHECK(m.w[SIM_CROSS] == 3 && m.event_threshold == 0.6);
    const char *missing = "bias -1\nterms 1\n";
    CHECK(sim_model_parse(&m, missing, strlen(missing)) == -1);
    const char *unknown = "bias -1\nterms 1\ntitle 2\nents 0\ncross 3\nnear 4\nnums 5\nsize 9\n";
    CHECK(sim_model_parse(&m, unknown, strlen(unknown)) == -1);
    Buf b = {0};
    sim_model_format(sim_default(), &b);
    CHECK(sim_model_parse(&m, b.data, b.len) == 0);
    buf_free(&b);
}

TEST("copies of one report join one event; another topic opens its own")
{
    Assigner *as = assign_new(NULL, NULL);
    SvDf *df = sv_df_new();
    StoryVec v;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", df, &v) == 0);
    CHECK(assign_add(as, &v) == 0);
    CHECK(vec(B_TITLE, B_BODY, "2020-08-04", df, &v) == 0);
    CHECK(assign_add(as, &v) == 1);
    CHECK(vec(A_TITLE, A_BODY, "2020-08-05", df, &v) == 0);
    CHECK(assign_add(as, &v) == 2);
    assign_finish(as);
    CHECK(assign_event(as, 0) == assign_event(as, 2));
    CHECK(assign_event(as, 0) != assign_event(as, 1));
    CHECK(assign_thread(as, assign_event(as, 0)) != assign_thread(as, assign_event(as, 1)));
    assign_free(as);
    sv_df_free(df);
}

TEST("an independent report joins its event; the same actors' other news opens another")
{
    Assigner *as = assign_new(NULL, NULL);
    SvDf *df = sv_df_new();
    StoryVec v;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", df, &v) == 0);
    CHECK(assign_add(as, &v) == 0);
    CHECK(vec(C_TITLE, C_BODY, "2020-08-04", df, &v) == 0);
    CHECK(assign_add(as, &v) == 1);
    CHECK(vec(A2_TITLE, A2_BODY, "2020-08-05", df, &v) == 0);
    CHECK(assign_add(as, &v) == 2);
    assign_finish(as);
    CHECK(assign_event(as, 0) == assign_event(as, 2));
    CHECK(assign_event(as, 0) != assign_event(as, 1));
    CHECK(assign_best_score(as, 2) >= sim_default()->event_threshold);
    assign_free(as);
    sv_df_free(df);
}

TEST("an event closes after the window; a later copy opens a new event in the same thread")
{
    AssignOpts o;
    assign_opts_default(&o);
    o.window_days = 2;
    Assigner *as = assign_new(&o, NULL);
    SvDf *df = sv_df_new();
    StoryVec v;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", df, &v) == 0);
    assign_add(as, &v);
    CHECK(vec(A_TITLE, A_BODY, "2020-08-05", df, &v) == 0);
    assign_add(as, &v);
    CHECK(vec(A_TITLE, A_BODY, "2020-08-30", df, &v) == 0);
    assign_add(as, &v);
    assign_finish(as);
    CHECK(assign_event(as, 0) == assign_event(as, 1));
    CHECK(assign_event(as, 0) != assign_event(as, 2));
    CHECK(assign_thread(as, assign_event(as, 0)) == assign_thread(as, assign_event(as, 2)));
    size_t open;
    assign_stats(as, &open, NULL, NULL);
    CHECK(open == 0);
    assign_free(as);
    sv_df_free(df);
}

TEST("assignment is deterministic: the same articles give the same events")
{
    uint32_t ev[2][6];
    for (int run = 0; run < 2; run++) {
        Assigner *as = assign_new(NULL, NULL);
        SvDf *df = sv_df_new();
        for (int i = 0; i < 6; i++) {
            StoryVec v;
            const char *d = i < 3 ? "2020-08-04" : "2020-08-05";
            CHECK(vec(i % 2 ? B_TITLE : A_TITLE, i % 2 ? B_BODY : A_BODY, d, df, &v) == 0);
            assign_add(as, &v);
        }
        assign_finish(as);
        for (int i = 0; i < 6; i++)
            ev[run][i] = assign_event(as, (size_t)i);
        assign_free(as);
        sv_df_free(df);
    }
    CHECK(!memcmp(ev[0], ev[1], sizeof ev[0]));
    CHECK(ev[0][0] == ev[0][2] && ev[0][1] == ev[0][3] && ev[0][0] != ev[0][1]);
}

TEST("articles without a date and empty texts are assigned without harm")
{
    Assigner *as = assign_new(NULL, NULL);
    StoryVec v;
    CHECK(vec(NULL, "", NULL, NULL, &v) == 0);
    CHECK(v.nterms == 0 && v.day == SV_NO_DAY);
    CHECK(assign_add(as, &v) == 0);
    CHECK(vec(NULL, A_BODY, NULL, NULL, &v) == 0);
    CHECK(assign_add(as, &v) == 1);
    assign_finish(as);
    CHECK(assign_event(as, 0) != assign_event(as, 1));
    assign_free(as);
}

/* Events as a partition: each article's label is the first article of its event. */
static void partition(Assigner *as, size_t n, const size_t *order, size_t *out)
{
    uint32_t ev[16];
    for (size_t i = 0; i < n; i++)
        ev[order[i]] = assign_event(as, i);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (ev[k] != ev[i])
            k++;
        out[i] = k;
    }
}

TEST("the articles of one day give the same events in any arrival order")
{
    const char *t[6] = { A_TITLE, B_TITLE, C_TITLE, A2_TITLE, A_TITLE, B_TITLE };
    const char *b[6] = { A_BODY, B_BODY, C_BODY, A2_BODY, A_BODY, B_BODY };
    size_t orders[3][6] = { { 0, 1, 2, 3, 4, 5 }, { 5, 4, 3, 2, 1, 0 }, { 3, 0, 5, 2, 4, 1 } };
    size_t part[3][6];
    for (int r = 0; r < 3; r++) {
        Assigner *as = assign_new(NULL, NULL);
        for (int i = 0; i < 6; i++) {
            StoryVec v;
            size_t k = orders[r][i];
            CHECK(vec(t[k], b[k], "2020-08-04", NULL, &v) == 0);
            CHECK(assign_add(as, &v) == i);
        }
        assign_finish(as);
        partition(as, 6, orders[r], part[r]);
        assign_free(as);
    }
    CHECK(!memcmp(part[0], part[1], sizeof part[0]));
    CHECK(!memcmp(part[0], part[2], sizeof part[0]));
    CHECK(part[0][0] == part[0][4] && part[0][1] == part[0][5] && part[0][0] != part[0][1]);
}

TEST("an article's event is known before its day is complete (assign_event flushes)")
{
    Assigner *as = assign_new(NULL, NULL);
    StoryVec v;
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", NULL, &v) == 0);
    CHECK(assign_add(as, &v) == 0);
    CHECK(assign_event(as, 0) != UINT32_MAX);
    CHECK(vec(A_TITLE, A_BODY, "2020-08-04", NULL, &v) == 0);
    CHECK(assign_add(as, &v) == 1);
    assign_finish(as);
    CHECK(assign_event(as, 0) == assign_event(as, 1));
    assign_free(as);
}

static const char *G1_TITLE = "خادم الحرمين الشريفين يهنئ رئيس سنغافورة بذكرى استقلال بلاده";
static const char *G1_BODY =
    "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة رئيس "
    "جمهورية سنغافورة بمناسبة ذكرى استقلال بلاده. وعبر الملك باسمه واسم شعب وحكومة المملكة "
    "العربية السعودية عن أصدق التهاني وأطيب التمنيات بموفور الصحة والسعادة لفخامته.";
static const char *G2_TITLE = "خادم الحرمين الشريفين يهنئ رئيس الإكوادور بذكرى استقلال بلاده";
static const char *G2_BODY =
    "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة رئيس "
    "جمهورية الإكوادور بمناسبة ذكرى استقلال بلاده. وعبر الملك باسمه واسم شعب وحكومة المملكة "
    "العربية السعودية عن أصدق التهاني وأطيب التمنيات بموفور الصحة والسعادة لفخامته.";
static const char *G3_TITLE = "الملك يبعث برقية تهنئة لرئيس سنغافورة في ذكرى الاستقلال";

TEST("congratulation cables to two countries are two events; two reports of one cable are one")
{
    StoryVec a, b, c;
    CHECK(vec(G1_TITLE, G1_BODY, "2020-08-09", NULL, &a) == 0);
    CHECK(vec(G2_TITLE, G2_BODY, "2020-08-09", NULL, &b) == 0);
    CHECK(vec(G3_TITLE, G1_BODY, "2020-08-09", NULL, &c) == 0);
    CHECK(a.tmpl != 0 && a.tmpl == b.tmpl && a.tmpl == c.tmpl);
    CHECK(!strcmp(sim_template_name(a.tmpl), "greeting"));
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.f[SIM_TERMS] > 0.8); /* the texts alone say "same" */
    CHECK(p.conflict == SIM_SLOT_NAME);
    CHECK(sim_score(sim_default(), &p) == 0);
    sim_features(&a, &c, &p);
    CHECK(p.conflict == 0);
    CHECK(sim_score(sim_default(), &p) >= sim_default()->event_threshold);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

static const char *O_BODY =
    "هبطت في مطار المدينة الساحلية طائرة شحن تحمل أدوية ومواد غذائية لسكان المدينة، وقال مسؤول "
    "الإغاثة إن الطائرة حملت عشرة أطنان من المستلزمات الطبية وإن الرحلات ستتواصل في الأيام المقبلة.";
static const char *O_BODY2 =
    "وصلت إلى مطار المدينة الساحلية طائرة شحن جديدة محملة بالأدوية والمواد الغذائية، وأوضح مسؤول "
    "الإغاثة أن حمولتها بلغت اثني عشر طنا من المستلزمات الطبية وأن الرحلات مستمرة حتى نهاية الشهر.";

TEST("the second and the third relief plane are two events; two reports of the third are one")
{
    StoryVec a, b, c, d;
    CHECK(vec("وصول طائرة الإغاثة الثانية إلى المدينة الساحلية", O_BODY, "2020-08-04", NULL, &a) == 0);
    CHECK(vec("وصول طائرة الإغاثة الثالثة إلى المدينة الساحلية", O_BODY2, "2020-08-05", NULL, &b) == 0);
    CHECK(vec("طائرة إغاثة ثالثة تهبط في المدينة الساحلية", O_BODY2, "2020-08-05", NULL, &c) == 0);
    CHECK(vec("طائرة إغاثة تهبط في المدينة الساحلية", O_BODY, "2020-08-04", NULL, &d) == 0);
    CHECK(sim_ordinals(&a) != 0 && sim_ordinals(&b) != 0 && sim_ordinals(&d) == 0);
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.conflict == SIM_SLOT_ORD);
    CHECK(sim_score(sim_default(), &p) == 0);
    sim_features(&b, &c, &p); /* الثالثة and ثالثة: one rank */
    CHECK(p.conflict == 0);
    sim_features(&a, &d, &p); /* a headline that does not count agrees with any */
    CHECK(p.conflict == 0);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
    sv_free(&d);
}

static const char *M_TITLE = "مؤشر سوق الأسهم السعودية يغلق على انخفاض طفيف";
static const char *M_BODY =
    "أغلق مؤشر سوق الأسهم السعودية جلسة اليوم منخفضا بنسبة طفيفة وسط تداولات ضعيفة، وبلغت "
    "قيمة الأسهم المتداولة مليارات الريالات، وشملت الصفقات أسهم الشركات المدرجة في السوق.";

static const char *M_BODY2 =
    "تراجع مؤشر سوق الأسهم السعودية في ختام تعاملات اليوم بشكل طفيف، مع انخفاض السيولة "
    "المتداولة إلى ما دون مستويات الأسبوع الماضي، وتراجعت معظم القطاعات بقيادة المصارف.";

TEST("market closes of two days are two events; one day's close in two outlets is one")
{
    StoryVec a, b, c;
    CHECK(vec(M_TITLE, M_BODY, "2020-08-04", NULL, &a) == 0);
    CHECK(vec(M_TITLE, M_BODY2, "2020-08-06", NULL, &b) == 0);
    CHECK(vec("الأسهم السعودية تغلق على تراجع طفيف", M_BODY, "2020-08-04", NULL, &c) == 0);
    CHECK(a.tmpl != 0 && !strcmp(sim_template_name(a.tmpl), "market"));
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.conflict == SIM_SLOT_DAY);
    CHECK(sim_score(sim_default(), &p) == 0);
    sim_features(&a, &c, &p);
    CHECK(p.conflict == 0);
    CHECK(sim_score(sim_default(), &p) >= sim_default()->event_threshold);
    SimSlot sa, sb;
    sim_slot_of(&a, &sa);
    sim_slot_of(&b, &sb);
    CHECK(sim_slots_disagree(&sa, &sb));
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

TEST("two institutions' Eid parties for their staff are two events")
{
    StoryVec a, b;
    const char *body = "أقامت الجهة حفل معايدة لمنسوبيها بمناسبة عيد الفطر المبارك بحضور المسؤولين "
                       "والموظفين، وتبادل الحضور التهاني، وقدمت الفقرات الترفيهية والهدايا.";
    CHECK(vec("جامعة الإمام تقيم حفل معايدة لمنسوبيها", body, "2015-07-23", NULL, &a) == 0);
    CHECK(vec("الخدمة المدنية تعايد منسوبيها", body, "2015-07-23", NULL, &b) == 0);
    CHECK(a.tmpl != 0 && !strcmp(sim_template_name(a.tmpl), "staffparty"));
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.conflict == SIM_SLOT_NAME);
    sv_free(&a);
    sv_free(&b);
}

TEST("a day's market event takes no other day's news of that market, shaped or not")
{
    StoryVec a;
    CHECK(vec(M_TITLE, M_BODY, "2020-08-04", NULL, &a) == 0);
    SimSlot s;
    sim_slot_of(&a, &s);
    CHECK(!sim_slot_other_day(&s, a.day));
    CHECK(!sim_slot_other_day(&s, a.day + 1));
    CHECK(sim_slot_other_day(&s, a.day + 2));
    CHECK(sim_slot_other_day(&s, a.day - 3));
    SimSlot none;
    memset(&none, 0, sizeof none);
    CHECK(!sim_slot_other_day(&none, a.day + 5)); /* no shape: no day slot */
    sv_free(&a);
}

TEST("two sessions' closes published the same day are two events: the day the text names")
{
    /* 2015-08-06 was a Thursday: "اليوم الثلاثاء" is the 4th, "اليوم الخميس" the 6th */
    StoryVec a, b, c;
    CHECK(vec(M_TITLE, "أغلق مؤشر سوق الأسهم السعودية تعاملات اليوم الثلاثاء منخفضا بنسبة طفيفة "
                       "وسط تداولات ضعيفة، وتراجعت معظم القطاعات بقيادة المصارف.",
              "2015-08-06", NULL, &a) == 0);
    CHECK(vec(M_TITLE, "أغلق مؤشر سوق الأسهم السعودية تعاملات اليوم الخميس منخفضا بنسبة طفيفة "
                       "وسط تداولات ضعيفة، وتراجعت معظم القطاعات بقيادة المصارف.",
              "2015-08-06", NULL, &b) == 0);
    CHECK(vec("الأسهم السعودية تغلق على تراجع طفيف",
              "تراجع مؤشر السوق في ختام تعاملات الخميس بشكل طفيف مع تراجع معظم القطاعات.",
              "2015-08-06", NULL, &c) == 0);
    SimSlot sa, sb;
    sim_slot_of(&a, &sa);
    sim_slot_of(&b, &sb);
    CHECK(sa.day == a.day - 2 && sb.day == b.day);
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.conflict == SIM_SLOT_DAY);
    sim_features(&b, &c, &p);
    CHECK(p.conflict == 0);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
    /* today's rain with a warning until tomorrow is today's weather */
    CHECK(vec("أمطار غزيرة على المدينة الساحلية", "هطلت أمطار غزيرة على المدينة الساحلية اليوم، "
              "وحذرت الأرصاد من استمرار هطول الأمطار حتى مساء الغد.", "2015-08-06", NULL, &a) == 0);
    CHECK(a.tmpl != 0 && !strcmp(sim_template_name(a.tmpl), "weather"));
    sim_slot_of(&a, &sa);
    CHECK(sa.day == a.day);
    sv_free(&a);
}

static const char *S_BODY =
    "أعلن الدفاع المدني أن مقذوفا عسكريا أطلق من خلف الحدود سقط مساء أمس على منزل في البلدة، "
    "مما أدى إلى إصابة مواطن بجروح نقل على إثرها إلى المستشفى، وباشرت الفرق الموقع.";

TEST("shells across the border on two towns are two events; two reports of one are one")
{
    StoryVec a, b, c;
    CHECK(vec("إصابة مواطن بمقذوف عسكري في بلدة الوادي", S_BODY, "2020-08-05", NULL, &a) == 0);
    CHECK(vec("سقوط مقذوف عسكري على منزل في قرية الساحل", S_BODY, "2020-08-05", NULL, &b) == 0);
    CHECK(vec("مقذوف من خلف الحدود يصيب مواطنا بالوادي", S_BODY, "2020-08-05", NULL, &c) == 0);
    CHECK(a.tmpl != 0 && a.tmpl == b.tmpl && a.tmpl == c.tmpl);
    CHECK(!strcmp(sim_template_name(a.tmpl), "strike"));
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.f[SIM_TERMS] > 0.5); /* one body: the texts alone say "much the same" */
    CHECK(p.conflict == SIM_SLOT_NAME);
    CHECK(sim_score(sim_default(), &p) == 0);
    sim_features(&a, &c, &p); /* الوادي and بالوادي: one town */
    CHECK(p.conflict == 0);
    CHECK(sim_score(sim_default(), &p) >= sim_default()->event_threshold);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

TEST("two days' weather that name their days are two events, though their figures agree")
{
    /* 2015-08-08 was a Saturday, 2015-08-09 a Sunday */
    const char *t = "الأرصاد تتوقع طقسا شديد الحرارة على المناطق الشرقية";
    StoryVec a, b, c;
    CHECK(vec(t, "تتوقع الأرصاد اليوم السبت طقسا شديد الحرارة تصل فيه درجات الحرارة إلى 48 "
                 "درجة مئوية على المناطق الشرقية مع رياح نشطة تثير الأتربة.", "2015-08-08", NULL, &a) == 0);
    CHECK(vec(t, "تتوقع الأرصاد اليوم الأحد طقسا شديد الحرارة تصل فيه درجات الحرارة إلى 48 "
                 "درجة مئوية على المناطق الشرقية مع رياح نشطة تثير الأتربة.", "2015-08-09", NULL, &b) == 0);
    CHECK(vec(t, "تتوقع الأرصاد طقسا شديد الحرارة تصل فيه درجات الحرارة إلى 48 درجة مئوية على "
                 "المناطق الشرقية مع رياح نشطة تثير الأتربة.", "2015-08-09", NULL, &c) == 0);
    CHECK(!strcmp(sim_template_name(a.tmpl), "weather"));
    SimSlot sa, sb, sc;
    sim_slot_of(&a, &sa);
    sim_slot_of(&b, &sb);
    sim_slot_of(&c, &sc);
    CHECK(sa.told && sb.told && !sc.told);
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.f[SIM_NUMS] >= 0.3);
    CHECK(p.conflict == SIM_SLOT_DAY);
    CHECK(sim_slots_disagree(&sa, &sb));
    /* a report that names no day, published the next morning with the same figures,
       may be the first day's */
    sim_features(&a, &c, &p);
    CHECK(p.conflict == 0);
    CHECK(!sim_slots_disagree(&sa, &sc));
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

TEST("a market event spans at most one day: an unshaped first report does not stretch it")
{
    /* the first report has no market shape (no closing word), so the event's slot comes
       from the second day's close; the third day's close is a day from that slot but two
       from the event's first day: another session */
    const char *t[3] = { "سوق الأسهم السعودية تترقب نتائج الشركات", M_TITLE, M_TITLE };
    const char *d[3] = { "2020-08-04", "2020-08-05", "2020-08-06" };
    Assigner *as = assign_new(NULL, NULL);
    for (int i = 0; i < 3; i++) {
        StoryVec v;
        CHECK(vec(t[i], M_BODY, d[i], NULL, &v) == 0);
        CHECK(i == 0 ? v.tmpl == 0 : v.tmpl != 0);
        CHECK(assign_add(as, &v) == i);
    }
    assign_finish(as);
    CHECK(assign_event(as, 0) == assign_event(as, 1)); /* the same text a day later */
    CHECK(assign_event(as, 2) != assign_event(as, 0));
    assign_free(as);
}

static const char *CALL_BODY1 =
    "تلقى الملك اتصالا هاتفيا من رئيس فنلندا، قدم خلاله تعازيه في ضحايا التفجير الذي "
    "استهدف المسجد، معربا عن إدانة بلاده للهجوم ومواساته لأسر الضحايا.";
static const char *CALL_BODY2 =
    "تلقى الملك اتصالا هاتفيا من أمير موناكو، عبر فيه عن تعازيه ومواساته في ضحايا "
    "تفجير المسجد، وأكد وقوف بلاده مع المملكة في مواجهة الإرهاب.";
static const char *CALL_BODY3 =
    "تلقى الملك اتصالا هاتفيا من أمير موناكو، جرى خلاله استعراض العلاقات الثنائية "
    "بين البلدين وبحث المستجدات الإقليمية والدولية.";
static const char *CALL_BODY4 =
    "تلقى الملك اتصالا هاتفيا من رئيس فنلندا، جرى خلاله بحث العلاقات الثنائية وسبل "
    "تعزيزها إضافة إلى تطورات الأوضاع في المنطقة.";

TEST("condolence calls from two leaders on one bombing agree; two leaders' routine calls do not")
{
    StoryVec a, b, c, d;
    CHECK(vec("الملك يتلقى اتصالا هاتفيا من رئيس فنلندا", CALL_BODY1, "2020-08-07", NULL, &a) == 0);
    CHECK(vec("الملك يتلقى اتصالا هاتفيا من أمير موناكو", CALL_BODY2, "2020-08-07", NULL, &b) == 0);
    CHECK(vec("الملك يتلقى اتصالا هاتفيا من أمير موناكو", CALL_BODY3, "2020-08-07", NULL, &c) == 0);
    CHECK(vec("الملك يتلقى اتصالا هاتفيا من رئيس فنلندا", CALL_BODY4, "2020-08-07", NULL, &d) == 0);
    CHECK(a.tmpl != 0 && !strcmp(sim_template_name(a.tmpl), "call"));
    CHECK(a.tmpl == b.tmpl && b.tmpl == c.tmpl && c.tmpl == d.tmpl);
    SimSlot sa, sb, sc, sd;
    sim_slot_of(&a, &sa);
    sim_slot_of(&b, &sb);
    sim_slot_of(&c, &sc);
    sim_slot_of(&d, &sd);
    CHECK(sa.occ && sb.occ && !sc.occ && !sd.occ);
    SimParts p;
    sim_features(&a, &b, &p); /* the occasion is the slot: the callers may differ */
    CHECK(p.conflict == 0);
    CHECK(!sim_slots_disagree(&sa, &sb));
    sim_features(&c, &d, &p); /* routine calls: who called must agree */
    CHECK(p.conflict == SIM_SLOT_NAME);
    CHECK(sim_slots_disagree(&sc, &sd));
    sim_features(&a, &c, &p); /* one condolence call, one routine call: callers count */
    CHECK(p.conflict == SIM_SLOT_NAME);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
    sv_free(&d);
}

TEST("a vector keeps the days its text names (not the dateline's) and its headline's event words")
{
    StoryVec a, b, c;
    CHECK(vec("انفجار في ميناء بيروت", "وقع انفجار ضخم في ميناء بيروت يوم 4 أغسطس 2020 وأوقع عشرات القتلى.",
              "2020-08-06", NULL, &a) == 0);
    CHECK(vec("عشرات القتلى في انفجار بيروت", "أسفر الانفجار الذي هز ميناء بيروت في 4 أغسطس 2020 عن عشرات القتلى.",
              "2020-08-06", NULL, &b) == 0);
    CHECK(vec("انفجار في ميناء بيروت", "وقع انفجار في ميناء بيروت يوم 9 أغسطس 2020 دون إصابات.",
              "2020-08-10", NULL, &c) == 0);
    int found = 0;
    for (size_t i = 0; i < a.nwhen; i++)
        found |= a.when[i].id == sv_when_id(dates_days_from_civil(2020, 8, 4));
    CHECK(found);
    CHECK(sim_when(a.when, a.nwhen, b.when, b.nwhen) == 1); /* one day named */
    CHECK(sim_when(a.when, a.nwhen, c.when, c.nwhen) == 0); /* two days */
    CHECK(sim_when(a.when, a.nwhen, NULL, 0) == 0.5);       /* nothing to compare */
    CHECK(a.nwhat > 0 && a.nwhat < a.ntitle);              /* بيروت is a name, not an event word */
    SimParts p;
    sim_features(&a, &b, &p);
    CHECK(p.f[SIM_WHEN] == 1 && p.f[SIM_WHAT] > 0 && p.f[SIM_PLACE] > 0);
    Buf buf = { 0 };
    sv_encode(&a, &buf);
    StoryVec w;
    rasd_error err;
    CHECK(sv_decode(&w, buf.data, buf.len, &err) == RASD_OK);
    CHECK(w.nwhen == a.nwhen && w.nplaces == a.nplaces && w.nwhat == a.nwhat);
    sv_free(&w);
    buf_free(&buf);
    sv_free(&a);
    sv_free(&b);
    sv_free(&c);
}

/* ---- an outlet's own words (vector.h sv_df_own) ---- */

/* A raw vector of body dated date (NULL: invented text failed). */
static int raw_vec(const char *body, const char *date, StoryVec *v)
{
    rasd_error err;
    rasd_doc *d = NULL;
    EntityList ents = {0};
    int rc = -1;
    if (rasd_text_analyse(tx(), body, strlen(body), &d, &err) == RASD_OK &&
        analyze_entities(d, &ents, &err) == RASD_OK &&
        sv_build(v, d, NULL, &ents, date, &err) == RASD_OK)
        rc = 0;
    entities_free(&ents);
    rasd_doc_free(d);
    return rc;
}

static const char *const OWN_POOL[] = {
    "الحكومة", "المدينة", "الطريق", "المستشفى", "المدرسة", "السوق", "الجسر", "الميناء",
    "المطار", "الحديقة", "الملعب", "المصنع", "الشركة", "البنك", "الجامعة", "المسجد",
    "المتحف", "المكتبة", "الفندق", "المطعم", "القطار", "الحافلة", "السفينة", "الطائرة",
    "الشاطئ", "الجبل", "الوادي", "الصحراء", "المزرعة", "النهر", "البحيرة", "الغابة",
    "المعرض", "المؤتمر", "المهرجان", "البطولة", "المسابقة", "الاجتماع", "الزيارة", "الحملة",
};
#define OWN_POOL_N (sizeof OWN_POOL / sizeof *OWN_POOL)
static const char OWN_LETTERS[] = "بتثجحخدذرزسشصضطظعغفقكلمنهي";

static void own_put(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

/* Article i of day d: four pool words, two words of its own (invented
   letters: said once in the whole archive), and the outlet's line. */
static void own_text(Buf *b, size_t d, size_t i, int boiler)
{
    b->len = 0;
    own_put(b, "أعلنت ");
    for (size_t j = 0; j < 4; j++) {
        own_put(b, OWN_POOL[(d * 11 + i * 7 + j * 13) % OWN_POOL_N]);
        own_put(b, " ");
    }
    size_t nl = (sizeof OWN_LETTERS - 1) / 2; /* two-byte letters */
    for (size_t w = 0; w < 2; w++) {
        size_t x = (d * 1000 + i * 2 + w) * 2654435761u;
        for (size_t k = 0; k < 4; k++, x /= nl)
            buf_append(b, OWN_LETTERS + 2 * (x % nl), 2);
        own_put(b, " ");
    }
    own_put(b, boiler ? "عن افتتاح جديد. رابط الخبر بصحيفة الوئام" : "عن افتتاح جديد.");
}

static int count_entry(void *ctx, uint64_t id, uint32_t count, uint32_t delta)
{
    (void)id;
    (void)count;
    (void)delta;
    ++*(size_t *)ctx;
    return 0;
}

static int no_outlet(void *ctx, uint64_t outlet, uint32_t docs, uint32_t bucket, uint32_t n)
{
    (void)ctx;
    (void)outlet;
    (void)docs;
    (void)bucket;
    (void)n;
    return 0;
}

/* copies one outlet's counts into another SvDf (as the checkpoint does) */
typedef struct OwnCopy {
    SvDf *to;
    uint64_t outlet;
    int bad;
} OwnCopy;

static int copy_outlet(void *ctx, uint64_t outlet, uint32_t docs, uint32_t bucket, uint32_t n)
{
    OwnCopy *c = ctx;
    (void)n;
    c->outlet = outlet;
    c->bad |= sv_df_set_outlet(c->to, outlet, docs, bucket) < 0;
    return 0;
}

static int copy_entry(void *ctx, uint64_t id, uint32_t count, uint32_t delta)
{
    OwnCopy *c = ctx;
    c->bad |= sv_df_set_outlet_entry(c->to, c->outlet, id, count, delta) < 0;
    return 0;
}

static int copy_seen(void *ctx, uint64_t id, uint32_t count)
{
    OwnCopy *c = ctx;
    c->bad |= sv_df_set(c->to, id, count) < 0;
    return 0;
}

static int same_ids(const SvTerm *a, size_t na, const SvTerm *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i].id != b[i].id)
            return 0;
    return 1;
}

TEST("an outlet's own line leaves its vectors, not another outlet's; its counts stay bounded")
{
    SvDf *df = sv_df_new(), *rev = sv_df_new();
    uint64_t own = sv_outlet_id("alweeam"), other = sv_outlet_id("okaz");
    CHECK(df && rev && own && other && own != other && sv_outlet_id("") == 0);
    Buf b = { 0 };
    size_t peak = 0;
    /* 20 days of 30 articles from each outlet; rev counts each day backwards */
    for (size_t d = 0; d < 20; d++) {
        StoryVec day[60];
        char date[16];
        snprintf(date, sizeof date, "2020-03-%02zu", d + 1);
        for (size_t i = 0; i < 60; i++) {
            own_text(&b, d, i, i < 30);
            buf_append(&b, "", 1);
            CHECK(raw_vec(b.data, date, &day[i]) == 0);
        }
        for (size_t i = 0; i < 60; i++) {
            sv_df_add(df, &day[i]);
            CHECK(sv_df_add_outlet(df, &day[i], i < 30 ? own : other) == 0);
            sv_df_add(rev, &day[59 - i]);
            CHECK(sv_df_add_outlet(rev, &day[59 - i], 59 - i < 30 ? own : other) == 0);
        }
        CHECK(sv_df_day_end(df) == 0 && sv_df_day_end(rev) == 0);
        size_t entries = 0;
        sv_df_each_outlet(df, &(SvOutletEach){ no_outlet, count_entry, &entries });
        peak = entries > peak ? entries : peak;
        for (size_t i = 0; i < 60; i++)
            sv_free(&day[i]);
    }
    /* each article says two words no other does: 2,400 such words were
       counted; pruning keeps the pool, the line and about a day's words */
    CHECK(peak < 600);
    StoryVec with, without, theirs;
    own_text(&b, 99, 5, 1);
    buf_append(&b, "", 1);
    CHECK(raw_vec(b.data, "2020-03-21", &with) == 0 && raw_vec(b.data, "2020-03-21", &theirs) == 0);
    own_text(&b, 99, 5, 0);
    buf_append(&b, "", 1);
    CHECK(raw_vec(b.data, "2020-03-21", &without) == 0);
    CHECK(with.nterms > without.nterms);
    size_t own_ids = 0;
    for (size_t i = 0; i < with.nterms; i++) {
        own_ids += sv_df_own(df, own, with.terms[i].id);
        CHECK(sv_df_own(df, own, with.terms[i].id) == sv_df_own(rev, own, with.terms[i].id));
        CHECK(!sv_df_own(df, other, with.terms[i].id));
    }
    CHECK(own_ids >= 2);
    /* a restored copy of the counts answers the same */
    SvDf *cp = sv_df_new();
    OwnCopy c = { cp, 0, 0 };
    CHECK(cp != NULL);
    sv_df_each(df, copy_seen, &c);
    sv_df_set_docs(cp, sv_df_docs(df));
    sv_df_each_outlet(df, &(SvOutletEach){ copy_outlet, copy_entry, &c });
    CHECK(!c.bad);
    CHECK(sv_df_set_outlet_entry(cp, own, with.terms[0].id, 1, 0) < 0 || /* a repeated id */
          !sv_df_own(df, own, with.terms[0].id));
    for (size_t i = 0; i < with.nterms; i++)
        CHECK(sv_df_own(cp, own, with.terms[i].id) == sv_df_own(df, own, with.terms[i].id));
    /* weighed for its own outlet the line is gone; for another outlet it stays */
    CHECK(sv_weigh_outlet(&with, df, own) == 0 && sv_weigh_outlet(&without, df, own) == 0);
    CHECK(same_ids(with.terms, with.nterms, without.terms, without.nterms));
    CHECK(same_ids(with.ents, with.nents, without.ents, without.nents));
    CHECK(sv_weigh_outlet(&theirs, df, other) == 0 && theirs.nterms > without.nterms);
    sv_free(&with);
    sv_free(&without);
    sv_free(&theirs);
    buf_free(&b);
    sv_df_free(df);
    sv_df_free(rev);
    sv_df_free(cp);
}
