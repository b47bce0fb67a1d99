/*
 * test_ckpt.c — the assigner's saved state (src/story/cluster_state.c):
 * an assigner restored at any day boundary goes on exactly as the one it
 * was saved from (same events, threads, scores and, at the end, the same
 * saved bytes); saving what was restored gives the same bytes; damaged,
 * truncated, foreign-version or other-options states are refused and the
 * assigner stays usable. A field of cluster_int.h that the state does not
 * carry makes the end states differ (and a new field stops the build:
 * cluster_state.c checks the structs' sizes).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "story/cluster_state.h"
#include "story_test.h"

/* Three stories over twelve days, reported again and again, and
   unrelated news: events open, join, close and form threads. */
static const char *const TEXTS[][3] = {
    { "2023-09-01", "كوريا الشمالية تبيع قذائف لروسيا",
      "قالت مصادر أمريكية إن روسيا تشتري ملايين القذائف "
      "والصواريخ من كوريا الشمالية لاستخدامها في الحرب في أوكرانيا" },
    { "2023-09-01", "انخفاض مؤشر السوق السعودية",
      "أغلق مؤشر السوق المالية السعودية تداولات اليوم منخفضا بنسبة "
      "واحد في المئة وسط تداولات ضعيفة في قطاع البنوك" },
    { "2023-09-02", "روسيا تشتري ذخيرة من بيونغ يانغ",
      "أكدت الاستخبارات الأمريكية أن روسيا تشتري القذائف والصواريخ "
      "من كوريا الشمالية للحرب في أوكرانيا بحسب مسؤولين" },
    { "2023-09-02", "أمطار غزيرة على منطقة عسير",
      "توقعت الأرصاد هطول أمطار غزيرة على مرتفعات عسير "
      "والباحة مع رياح نشطة وتدني مدى الرؤية الأفقية" },
    { "2023-09-04", "كيم يزور روسيا للقاء بوتين",
      "أعلن الكرملين أن الزعيم الكوري الشمالي كيم جونغ أون "
      "سيزور روسيا للقاء الرئيس فلاديمير بوتين لبحث صفقة أسلحة" },
    { "2023-09-05", "بوتين يستقبل كيم جونغ أون",
      "استقبل الرئيس الروسي فلاديمير بوتين الزعيم الكوري الشمالي كيم "
      "جونغ أون في قاعدة فضائية وبحثا التعاون العسكري وصفقة أسلحة" },
    { "2023-09-05", "ارتفاع مؤشر السوق السعودية",
      "أغلق مؤشر السوق المالية السعودية تداولات اليوم مرتفعا "
      "بنسبة اثنين في المئة بدعم من قطاع البتروكيماويات" },
    { "2023-09-07", "أمطار رعدية على الباحة",
      "توقعت الأرصاد أمطارا رعدية على مرتفعات الباحة وعسير مع رياح نشطة مثيرة للأتربة" },
    { "2023-09-09", "كيم يعود من روسيا",
      "عاد الزعيم الكوري الشمالي كيم جونغ أون من روسيا "
      "بعد لقاء الرئيس فلاديمير بوتين وبحث صفقة أسلحة وتعاون عسكري" },
    { "2023-09-12", "واشنطن تحذر بيونغ يانغ من بيع الأسلحة لروسيا",
      "حذرت الولايات المتحدة كوريا الشمالية من بيع "
      "القذائف والصواريخ لروسيا واستخدامها في الحرب في أوكرانيا" },
    { "2023-09-12", "مؤشر السوق السعودية يغلق مستقرا",
      "أغلق مؤشر السوق المالية السعودية تداولات اليوم "
      "مستقرا وسط تداولات ضعيفة في قطاع البنوك والاتصالات" },
    { "2023-09-13", "كوريا الشمالية ترسل قذائف إلى روسيا",
      "قالت كوريا الجنوبية إن كوريا الشمالية أرسلت ملايين القذائف "
      "إلى روسيا للحرب في أوكرانيا بعد لقاء كيم وبوتين" },
};
#define NT (sizeof TEXTS / sizeof TEXTS[0])

static int make_vecs(StoryVec *out)
{
    SvDf *df = sv_df_new();
    for (size_t i = 0; i < NT; i++)
        if (!df || story_test_vec(TEXTS[i][1], TEXTS[i][2], TEXTS[i][0], df, &out[i]) < 0) {
            sv_df_free(df);
            return -1;
        }
    sv_df_free(df);
    return 0;
}

static AssignOpts opts(void)
{
    AssignOpts o;
    assign_opts_default(&o);
    o.window_days = 3; /* events close within the twelve days */
    o.thread_threshold = 0.2;
    return o;
}

static void add(Assigner *a, const StoryVec *src, size_t i)
{
    StoryVec v;
    CHECK(sv_copy(&v, src) == 0);
    CHECK(assign_add_id(a, &v, 1000 + i) == (long)i);
}

/* Same events, scores, nearest and threads for every article. */
static int same_results(Assigner *a, Assigner *b)
{
    if (assign_narticles(a) != assign_narticles(b) || assign_nevents(a) != assign_nevents(b) ||
        assign_nthreads(a) != assign_nthreads(b))
        return 0;
    for (size_t i = 0; i < assign_narticles(a); i++) {
        uint32_t ea = assign_event(a, i), eb = assign_event(b, i);
        double na = 0, nb = 0;
        if (ea != eb || assign_best_score(a, i) != assign_best_score(b, i) ||
            assign_thread(a, ea) != assign_thread(b, eb) ||
            assign_nearest(a, i, &na) != assign_nearest(b, i, &nb) || na != nb)
            return 0;
    }
    return 1;
}

static int same_bytes(const Buf *x, const Buf *y)
{
    return x->len == y->len && !x->oom && !y->oom && memcmp(x->data, y->data, x->len) == 0;
}

TEST("an assigner restored at any day boundary ends exactly as the one it was saved from")
{
    StoryVec v[NT];
    CHECK(make_vecs(v) == 0);
    if (harness_failed_now())
        return;
    AssignOpts o = opts();
    Assigner *full = assign_new(&o, NULL);
    for (size_t i = 0; i < NT; i++)
        add(full, &v[i], i);
    assign_finish(full);
    Buf end_full = { 0 };
    CHECK(cl_state_save(full, &end_full) == 0);
    CHECK(assign_nevents(full) >= 4 && assign_nthreads(full) >= 2);
    size_t boundaries = 0;
    for (size_t k = 1; k < NT; k++) {
        if (strcmp(TEXTS[k][0], TEXTS[k - 1][0]) == 0)
            continue; /* not the first article of a day */
        boundaries++;
        Assigner *a = assign_new(&o, NULL);
        for (size_t i = 0; i < k; i++)
            add(a, &v[i], i);
        Buf s1 = { 0 }, s2 = { 0 }, end = { 0 };
        CHECK(cl_state_save(a, &s1) == 0);
        Assigner *b = assign_new(&o, NULL);
        CHECK(cl_state_load(b, s1.data, s1.len) == 0);
        CHECK(cl_state_save(b, &s2) == 0);
        CHECK(same_bytes(&s1, &s2)); /* every field came back */
        for (size_t i = k; i < NT; i++)
            add(b, &v[i], i);
        assign_finish(b);
        CHECK(same_results(full, b));
        CHECK(cl_state_save(b, &end) == 0);
        CHECK(same_bytes(&end_full, &end));
        buf_free(&s1);
        buf_free(&s2);
        buf_free(&end);
        assign_free(a);
        assign_free(b);
    }
    CHECK(boundaries >= 7);
    buf_free(&end_full);
    assign_free(full);
    for (size_t i = 0; i < NT; i++)
        sv_free(&v[i]);
}

/* A sink's receiver: the pieces laid end to end, each at the offset it names. */
static int glue_piece(void *ctx, uint64_t at, const void *p, size_t n)
{
    Buf *b = ctx;
    if (at != b->len)
        return -1;
    buf_append(b, p, n);
    return 0;
}

TEST("a state written in pieces is the state written whole, byte for byte")
{
    StoryVec v[NT];
    AssignOpts o = opts();
    Assigner *a = make_vecs(v) == 0 ? assign_new(&o, NULL) : NULL;
    CHECK(a != NULL);
    if (!a)
        return;
    for (size_t i = 0; i < NT; i++) /* every article: the largest state the test makes */
        add(a, &v[i], i);
    Buf whole = { 0 };
    CHECK(cl_state_save(a, &whole) == 0);
    size_t sizes[] = { 1, 7, 64, 4096, 0 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        Buf glued = { 0 };
        ClSink s = { { 0 }, 0, glue_piece, &glued, 0, sizes[k] };
        CHECK(cl_state_write(a, &s) == 0);
        CHECK(!s.failed && s.b.len == 0 && s.done == whole.len);
        CHECK(same_bytes(&whole, &glued));
        buf_free(&s.b);
        buf_free(&glued);
    }
    buf_free(&whole);
    assign_free(a);
    for (size_t i = 0; i < NT; i++)
        sv_free(&v[i]);
}

TEST("a damaged, truncated, other-version or other-options state is refused and harms nothing")
{
    StoryVec v[NT];
    CHECK(make_vecs(v) == 0);
    if (harness_failed_now())
        return;
    AssignOpts o = opts();
    Assigner *a = assign_new(&o, NULL);
    for (size_t i = 0; i < NT / 2; i++)
        add(a, &v[i], i);
    Buf s = { 0 };
    CHECK(cl_state_save(a, &s) == 0);
    /* every truncation */
    size_t refused = 0, tried = 0;
    for (size_t n = 0; n < s.len; n += 1 + s.len / 997) {
        Assigner *b = assign_new(&o, NULL);
        tried++;
        refused += cl_state_load(b, s.data, n) == -1;
        assign_free(b);
    }
    CHECK(refused == tried);
    /* another version */
    Buf w = { 0 };
    buf_append(&w, s.data, s.len);
    w.data[4] ^= 0x7f;
    Assigner *b = assign_new(&o, NULL);
    CHECK(cl_state_load(b, w.data, w.len) == -1);
    /* trailing bytes */
    memcpy(w.data, s.data, s.len);
    buf_putc(&w, 0);
    CHECK(cl_state_load(b, w.data, w.len) == -1);
    /* other options */
    AssignOpts o2 = o;
    o2.window_days = 5;
    Assigner *c = assign_new(&o2, NULL);
    CHECK(cl_state_load(c, s.data, s.len) == -1);
    /* damaged bytes: refused or loaded, never a crash (ASan watches);
       the refused assigner still works */
    for (size_t at = 8; at < s.len; at += 1 + s.len / 211) {
        memcpy(w.data, s.data, s.len);
        w.len = s.len;
        w.data[at] = (char)~w.data[at];
        Assigner *d = assign_new(&o, NULL);
        cl_state_load(d, w.data, w.len);
        assign_free(d);
    }
    for (size_t i = NT / 2; i < NT; i++)
        add(b, &v[i], i - NT / 2);
    assign_finish(b);
    CHECK(assign_narticles(b) == NT - NT / 2);
    buf_free(&w);
    buf_free(&s);
    assign_free(a);
    assign_free(b);
    assign_free(c);
    for (size_t i = 0; i < NT; i++)
        sv_free(&v[i]);
}
