/*
 * test_conflicts.c — contradictions between outlets (src/story/conflicts.c)
 * on composed pairs of reports: what must be found (two holders of one
 * office, incompatible figures, a phrase with a different word), and what
 * must not (spelling variants, roundings, ministers of two countries,
 * copies of one source, reports far apart in time).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "story/conflicts.h"
#include "story/conflicts_impl.h"

typedef struct Doc {
    rasd_doc *d;
    EntityList e;
    QuoteList q;
} Doc;

static rasd_text *tx(void)
{
    static rasd_text *t;
    rasd_error err;
    if (!t && rasd_text_new(&t, &err) != RASD_OK)
        return NULL;
    return t;
}

static void load(Doc *x, const char *text)
{
    rasd_error err;
    memset(x, 0, sizeof *x);
    CHECK(rasd_text_analyse(tx(), text, strlen(text), &x->d, &err) == RASD_OK);
    CHECK(analyze_entities(x->d, &x->e, &err) == RASD_OK);
    CHECK(quotes_find(x->d, &x->e, &x->q, &err) == RASD_OK);
}

static void unload(Doc *x)
{
    quotes_free(&x->q);
    entities_free(&x->e);
    rasd_doc_free(x->d);
}

/* Conflicts of two texts as JSON; *n conflicts. Caller frees. */
static char *run(const char *a, const char *da, int sa, const char *b, const char *db, int sb,
                 size_t *n)
{
    Doc x, y;
    load(&x, a);
    load(&y, b);
    ConflictDoc docs[2] = {{x.d, &x.e, &x.q, da, "outlet-a", "a", sa, NULL, 0, NULL, 0},
                           {y.d, &y.e, &y.q, db, "outlet-b", "b", sb, NULL, 0, NULL, 0}};
    Buf out = {0};
    rasd_error err;
    CHECK(conflicts_find(docs, 2, NULL, &out, n, &err) == RASD_OK);
    unload(&x);
    unload(&y);
    buf_putc(&out, 0);
    return buf_steal(&out);
}

static const char *FR_A = "التقى وزير الخارجية الفرنسي جان إيف لودريان نظيره المصري في القاهرة "
                          "اليوم، وبحث الجانبان الأوضاع في ليبيا والعلاقات الثنائية بين البلدين.";
static const char *FR_B = "التقى وزير الخارجية الفرنسي لوران فابيوس نظيره المصري في القاهرة "
                          "اليوم، وبحث الجانبان الأوضاع في ليبيا والتعاون بين البلدين.";

TEST("two holders of one located office in reports of the same days are a role conflict")
{
    size_t n;
    char *j = run(FR_A, "2015-07-21", 1, FR_B, "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"role\"") != NULL);
    CHECK(strstr(j, "لودريان") && strstr(j, "فابيوس"));
    CHECK(strstr(j, "outlet-a") && strstr(j, "outlet-b"));
    free(j);
}

TEST("one source never contradicts itself, and reports months apart are not compared")
{
    size_t n;
    char *j = run(FR_A, "2015-07-21", 1, FR_B, "2015-07-21", 1, &n);
    CHECK(n == 0);
    free(j);
    j = run(FR_A, "2015-07-21", 1, FR_B, "2015-11-21", 2, &n);
    CHECK(n == 0);
    free(j);
    j = run(FR_A, NULL, 1, FR_B, "2015-07-21", 2, &n);
    CHECK(n == 0);
    free(j);
}

TEST("spelling variants of one holder are not a conflict")
{
    size_t n;
    char *j = run("قال وزير الدفاع الروسي سيرغي شويغو إن المناورات ستبدأ الأسبوع المقبل في الشرق.",
                  "2023-09-04", 1,
                  "قال وزير الدفاع الروسي سيرجي شويجو إن المناورات ستبدأ الأسبوع المقبل في الشرق.",
                  "2023-09-04", 2, &n);
    CHECK(strstr(j, "\"role\"") == NULL);
    free(j);
}

TEST("ministers of two countries are two offices, not a conflict")
{
    size_t n;
    char *j = run("استقبل وزير الدفاع الأمريكي آشتون كارتر في جدة وفدا عسكريا لبحث التعاون العسكري.",
                  "2015-07-22", 1,
                  "استقبل وزير الدفاع السعودي الأمير محمد بن سلمان في جدة وفدا عسكريا لبحث التعاون العسكري.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"role\"") == NULL);
    free(j);
}

TEST("incompatible figures for one counted thing are a number conflict; a rounding is not")
{
    size_t n;
    char *j = run("لقي 12 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
                  "2015-07-22", 1,
                  "لقي 30 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"number\"") != NULL);
    free(j);
    j = run("لقي نحو 30 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
            "2015-07-22", 1,
            "لقي 28 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
            "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"number\"") == NULL);
    free(j);
}

TEST("one phrase frame filled with different content words is a wording conflict")
{
    size_t n;
    char *j = run("وقالت الوزارة في بيانها إن الاتفاق يدعم المنطقة الصناعية الحرة في الميناء الجديد "
                  "ويوفر آلاف الوظائف.", "2015-07-22", 1,
                  "وأوضح البيان أن الاتفاق سيدعم المنطقة التجارية الحرة في الميناء الجديد ويوفر "
                  "آلاف الوظائف للشباب.", "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"wording\"") != NULL);
    CHECK(strstr(j, "الصناعية") && strstr(j, "التجارية"));
    free(j);
}

TEST("reporting verbs, inflections and a verb and its verbal noun are not wording conflicts")
{
    size_t n;
    char *j = run("وأكد المتحدث أن كوريا الشمالية تزويد روسيا بالذخائر أمر خطير على الأمن في المنطقة.",
                  "2015-07-22", 1,
                  "وقال المتحدث إن كوريا الشمالية زودت روسيا بالذخائر في أمر خطير على الأمن في المنطقة.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"wording\"") == NULL);
    free(j);
}

TEST("every conflict says its rule, the slot that differs and a stable id")
{
    size_t n;
    char *j = run(FR_A, "2015-07-21", 1, FR_B, "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"rule\":\"one-office-two-holders\"") != NULL);
    CHECK(strstr(j, "\"slot\":\"holder\"") != NULL);
    const char *id = strstr(j, "\"id\":\"");
    CHECK(id != NULL);
    /* the same two reports in the other order: the same id */
    size_t n2;
    char *k = run(FR_B, "2015-07-22", 2, FR_A, "2015-07-21", 1, &n2);
    const char *id2 = strstr(k, "\"id\":\"");
    CHECK(id2 != NULL);
    if (id && id2)
        CHECK(!strncmp(id, id2, 6 + 16));
    free(j);
    free(k);
    j = run("لقي 12 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
            "2015-07-22", 1,
            "لقي 30 شخصا مصرعهم وأصيب 40 آخرون في انفجار سيارة مفخخة وسط بغداد مساء أمس.",
            "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"rule\":\"aligned-figures\",\"slot\":\"figure\"") != NULL);
    free(j);
}

TEST("a rounding by eye of a decimal figure is not a number conflict")
{
    size_t n;
    char *j = run("وقالت الوزارة إن حجم الإنفاق الحكومي بلغ 2.23 تريليون ريال خلال العام الماضي.",
                  "2015-07-22", 1,
                  "وقالت الوزارة إن حجم الإنفاق الحكومي بلغ 2.3 تريليون ريال خلال العام الماضي.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"kind\":\"number\"") == NULL);
    free(j);
}

TEST("one man named short two ways is not a role conflict (خالد محفوظ بحاح)")
{
    size_t n;
    char *j = run("أكد رئيس الوزراء اليمني خالد محفوظ بحاح أن الحكومة ستعود إلى عدن خلال الأيام المقبلة.",
                  "2015-07-22", 1,
                  "أعلن رئيس الوزراء اليمني خالد بحاح أن الحكومة ستعود إلى عدن خلال الأيام المقبلة.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"role\"") == NULL);
    free(j);
    j = run("قال الرئيس الفرنسي فرنسوا هولاند إن بلاده تدعم الاتفاق مع اليونان.", "2015-07-22", 1,
            "قال الرئيس الفرنسي فرانسوا أولوند إن بلاده تدعم الاتفاق مع اليونان.", "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"role\"") == NULL);
    free(j);
}

TEST("two deputies of one office are colleagues, not a role conflict")
{
    size_t n;
    char *j = run("وقال نائب المتحدث باسم الحكومة الألمانية جورج شترايتر إن ميركل تدعم عملية السلام.",
                  "2015-07-22", 1,
                  "وقالت نائبة المتحدث باسم الحكومة الألمانية كريستيانة فيرتس إن ميركل تدعم عملية السلام.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"role\"") == NULL);
    free(j);
}

TEST("a figure only one outlet gives is not set against another figure of the same noun")
{
    size_t n;
    char *j = run("وقد فاز بلاتر، 79 عاما، في الانتخابات على الأمير علي بن الحسين، 39 عاما، بعد انسحابه.",
                  "2015-07-22", 1,
                  "وقد فاز بلاتر في الانتخابات على الأمير علي بن الحسين (39 عاما) بعد انسحابه.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"number\"") == NULL);
    free(j);
}

TEST("two dates of one happening conflict; the same figures read in two calendars do not")
{
    size_t n;
    char *j = run("وقعت الحكومة الاتفاق مع الشركة الصينية في الرياض يوم 12 يوليو 2015 بحضور الوزير.",
                  "2015-07-22", 1,
                  "وقعت الحكومة الاتفاق مع الشركة الصينية في الرياض يوم 17 يوليو 2015 بحضور الوزير.",
                  "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"rule\":\"aligned-dates\",\"slot\":\"date\"") != NULL);
    free(j);
    j = run("افتتح المسجد في عام 1430 بحضور أمير المنطقة وعدد من المسؤولين في المحافظة.", "2015-07-22", 1,
            "افتتح المسجد في عام 1430هـ بحضور أمير المنطقة وعدد من المسؤولين في المحافظة.", "2015-07-22", 2,
            &n);
    CHECK(strstr(j, "\"date\"") == NULL);
    free(j);
}

TEST("a description swapped for a nationality in one sentence is a paraphrase, not a wording conflict")
{
    size_t n;
    char *j = run("وتشكل هذه الغارة منعطفا في سياسة النظام الإسلامي المحافظ إزاء سوريا والذي يتهمه حلفاؤه "
                  "بغض الطرف عن المنظمات المتطرفة.", "2015-07-22", 1,
                  "وتشكل هذه الغارة منعطفا في سياسة النظام التركي المحافظ إزاء سوريا والذي يتهمه حلفاؤه "
                  "بغض الطرف عن المنظمات المتطرفة.", "2015-07-22", 2, &n);
    CHECK(strstr(j, "\"wording\"") == NULL);
    free(j);
}

/* Two reports of the same day from two sources: no conflict of this kind. */
static void expect_none(const char *a, const char *b, const char *kind)
{
    size_t n;
    char *j = run(a, "2015-07-22", 1, b, "2015-07-22", 2, &n);
    CHECK(strstr(j, kind) == NULL);
    free(j);
}

TEST("an office someone may become is no holding: a condition or a verb of becoming before the name")
{
    expect_none("وإذا أصبحت هيلاري كلينتون الرئيسة الأمريكية، فقد تتغير السياسة التجارية للبلاد خلال "
                "سنوات قليلة.",
                "وأشار الرئيس الأمريكي الحالي باراك أوباما إلى أن السياسة التجارية للبلاد لن تتغير قريبا.",
                "\"role\"");
}

TEST("a holder named with and without the Abdul of a transcription is one man")
{
    expect_none("التقى رئيس الوزراء الماليزي نجيب عبد الرزاق نظيره الياباني في طوكيو أمس، وبحث الجانبان "
                "التعاون التجاري.",
                "التقى رئيس الوزراء الماليزي نجيب رزاق نظيره الياباني في طوكيو أمس، وبحث الجانبان التعاون "
                "التجاري.",
                "\"role\"");
}

TEST("ض written for ظ in one word of an aligned sentence is a slip, not a wording conflict")
{
    expect_none("وحذر الوزير من انتشار الفكر الضال المتطرف بين الشباب في المدارس والجامعات خلال الصيف.",
                "وحذر الوزير من انتشار الفكر الظال المتطرف بين الشباب في المدارس والجامعات خلال الصيف.",
                "\"wording\"");
}

TEST("a surname with the next word read into the name is the same man (أوباما فغالب)")
{
    const char *a = "أوباما فغالب", *b = "باراك أوباما", *c = "جون كيري", *d = "جون كيربي";
    CHECK(conflicts_name_glued(a, strlen(a), b, strlen(b)));
    CHECK(conflicts_name_glued(b, strlen(b), a, strlen(a)));
    CHECK(!conflicts_name_glued(c, strlen(c), d, strlen(d)));
}

TEST("an honorific pronoun is no second speaker; a name is")
{
    const char *a = "فضيلته", *b = "وقال سموه", *c = "وسموه", *d = "فيصل";
    CHECK(conflicts_honorific_speaker(a, strlen(a)));
    CHECK(!conflicts_honorific_speaker(b, strlen(b)));
    CHECK(conflicts_honorific_speaker(c, strlen(c)));
    CHECK(!conflicts_honorific_speaker(d, strlen(d)));
}

TEST("a holder who moved on (انتقل) is a before and an after")
{
    const char *t = "ومنذ أن انتقلت المتحدثة السابقة إلى البيت الأبيض تغير الموقع.";
    CHECK(conflicts_tells_succession(t, 0, (uint32_t)strlen(t)));
    const char *u = "وقالت المتحدثة باسم الوزارة إن الاتفاق أرسل إلى الكونغرس.";
    CHECK(!conflicts_tells_succession(u, 0, (uint32_t)strlen(u)));
}

/* Conflicts of n texts, each with its outlet and publication time; the set
   (caller frees). */
static rasd_conflict_set *run_set(size_t n, const char *const *text, const char *const *outlet,
                                  const char *const *published)
{
    Doc x[4];
    ConflictDoc docs[4];
    for (size_t i = 0; i < n; i++) {
        load(&x[i], text[i]);
        docs[i] = (ConflictDoc){x[i].d, &x[i].e, &x[i].q, published[i], outlet[i], outlet[i],
                                (int)i + 1, NULL, 0, NULL, 0};
    }
    Arena *a = NULL;
    rasd_conflict_set *set = views_conflicts_new(&a);
    rasd_error err;
    CHECK(set && conflicts_collect(docs, n, NULL, a, set, &err) == RASD_OK);
    for (size_t i = 0; i < n; i++)
        unload(&x[i]);
    return set;
}

static const char *HURT_3 = "انهار مبنى سكني قديم في حي الميناء فجر اليوم وأصيب 3 عمال كانوا داخله بجروح "
                            "متوسطة، وفق الدفاع المدني.";
static const char *HURT_6 = "انهار مبنى سكني قديم في حي الميناء فجر اليوم وأصيب 6 عمال كانوا داخله بجروح "
                            "متوسطة، وفق الدفاع المدني.";

TEST("a figure an outlet revised later is an update, told earliest first, not a contradiction")
{
    const char *t[] = {HURT_6, HURT_3, HURT_3};
    const char *o[] = {"wire", "wire", "paper"};
    const char *p[] = {"2015-03-10T20:00:00", "2015-03-10T08:00:00", "2015-03-10T09:00:00"};
    rasd_conflict_set *s = run_set(3, t, o, p);
    CHECK(s->n == 1);
    if (s->n == 1) {
        CHECK(s->items[0].update == 1);
        CHECK(!strcmp(s->items[0].kind, "number"));
        CHECK(strstr(s->items[0].values[0].value, "3") != NULL);
        CHECK(strstr(s->items[0].values[1].value, "6") != NULL);
        CHECK(s->items[0].values[0].published &&
              !strcmp(s->items[0].values[0].published, "2015-03-10T08:00:00"));
        /* the JSON says so, and reads back */
        Buf j = {0};
        views_conflicts_json(s, &j);
        buf_putc(&j, 0);
        CHECK(strstr(j.data, "\"update\":true") != NULL);
        rasd_conflict_set *r = NULL;
        rasd_error err;
        CHECK(views_conflicts_decode(j.data, j.len - 1, 1, 0, &r, &err) == RASD_OK);
        CHECK(r && r->n == 1 && r->items[0].update == 1 && r->items[0].values[1].published &&
              !strcmp(r->items[0].values[1].published, "2015-03-10T20:00:00"));
        char *txt = NULL;
        size_t tl;
        CHECK(rasd_conflicts_render(r, RASD_FMT_TEXT, &txt, &tl, &err) == RASD_OK);
        CHECK(txt && strstr(txt, "تحديث") != NULL);
        rasd_free(txt);
        rasd_conflict_set_free(r);
        buf_free(&j);
    }
    rasd_conflict_set_free(s);
}

TEST("a toll that rose the next day is an update; the same day, falling, or no toll is a contradiction")
{
    const char *k5 = "قتل 5 أشخاص في هجوم مسلح على حافلة ركاب قرب بلدة الوادي الأخضر مساء الجمعة.";
    const char *k9 = "قتل 9 أشخاص في هجوم مسلح على حافلة ركاب قرب بلدة الوادي الأخضر مساء الجمعة.";
    const char *o[] = {"first", "second"};
    {
        const char *t[] = {k9, k5}, *p[] = {"2015-03-11", "2015-03-10"};
        rasd_conflict_set *s = run_set(2, t, o, p);
        CHECK(s->n == 1 && s->items[0].update == 1 && strstr(s->items[0].values[0].value, "5"));
        rasd_conflict_set_free(s);
    }
    {
        const char *t[] = {k9, k5}, *p[] = {"2015-03-10T10:00:00", "2015-03-10T09:00:00"};
        rasd_conflict_set *s = run_set(2, t, o, p);
        CHECK(s->n == 1 && s->items[0].update == 0);
        rasd_conflict_set_free(s);
    }
    {
        const char *t[] = {k5, k9}, *p[] = {"2015-03-11", "2015-03-10"};
        rasd_conflict_set *s = run_set(2, t, o, p);
        CHECK(s->n == 1 && s->items[0].update == 0);
        rasd_conflict_set_free(s);
    }
    {
        const char *b1 = "وزعت الجمعية 400 سلة غذائية على الأسر المحتاجة في بلدة الوادي الأخضر مساء الجمعة.";
        const char *b2 = "وزعت الجمعية 900 سلة غذائية على الأسر المحتاجة في بلدة الوادي الأخضر مساء الجمعة.";
        const char *t[] = {b1, b2}, *p[] = {"2015-03-10", "2015-03-11"};
        rasd_conflict_set *s = run_set(2, t, o, p);
        CHECK(s->n == 1 && s->items[0].update == 0);
        rasd_conflict_set_free(s);
    }
}

TEST("a quote given to two speakers conflicts even when the sentence before ends with إلى")
{
    /* own words: the addressee cue (إلى، مع) is looked for in the speaker's
       sentence only, not in the one before it */
    const char *a = "وأظهرت الدراسة أن قلة الحركة تؤدي إلى مرض السكري.\n"
                    "وقالت سارة الحربي التي قادت الفريق \"تغيير عادات الجلوس اليومية يحمي "
                    "القلب ويخفض ضغط الدم لدى الموظفين\".";
    const char *b = "وأظهرت الدراسة أن قلة الحركة تؤدي إلى مرض السكري.\n"
                    "وقالت منى العتيبي التي قادت الفريق \"تغيير عادات الجلوس اليومية يحمي "
                    "القلب ويخفض ضغط الدم لدى الموظفين\".";
    size_t n = 0;
    char *j = run(a, "2015-08-02", 1, b, "2015-08-02", 2, &n);
    CHECK(n == 1 && strstr(j, "\"attribution\""));
    free(j);
}

TEST("two words swapped between unrelated sentences are a wording conflict only as adjectives")
{
    /* own words: "الفريق الأهلي الرد الإسباني" runs across two phrases
       (the team / the Spanish reply); the other sentence says another thing */
    const char *a = "وينتظر مسؤولو الفريق الأهلي الرد الإسباني لتحديد مسار صفقة اللاعب الأجنبي "
                    "الرابع للفريق الأول في الموسم المقبل قبل إغلاق باب الانتقالات.";
    const char *b = "وأبدى مدرب النادي ثقته ببقاء نجم الفريق السوري الأصل الإسباني الجنسية مع "
                    "الفريق الأول في الموسم المقبل رغم عروض اللاعب الأجنبي قبل إغلاق باب الانتقالات.";
    size_t n = 0;
    char *j = run(a, "2015-07-21", 1, b, "2015-07-21", 2, &n);
    CHECK(!strstr(j, "\"wording\""));
    free(j);
}

TEST("the same quoted words given to two different people are an attribution conflict")
{
    const char *a = "وقال وزير الخارجية خالد الناصر في مؤتمر صحفي اليوم: \"إن المحادثات مع الجانب "
                    "الآخر مستمرة ولن تتوقف قبل الوصول إلى اتفاق شامل\".";
    const char *b = "وقال وزير الداخلية فهد العتيبي في مؤتمر صحفي اليوم: \"إن المحادثات مع الجانب "
                    "الآخر مستمرة ولن تتوقف قبل الوصول إلى اتفاق شامل\".";
    size_t n = 0;
    char *j = run(a, "2024-03-12", 1, b, "2024-03-12", 2, &n);
    CHECK(j && strstr(j, "\"kind\":\"attribution\""));
    free(j);
    /* the same words given to the same man by both is no conflict */
    j = run(a, "2024-03-12", 1, a, "2024-03-12", 2, &n);
    CHECK(j && !strstr(j, "\"kind\":\"attribution\""));
    free(j);
}

TEST("two kings whose kingdoms are named after a state noun are two offices, not one")
{
    /* the role finder keys ملك مملكة البحرين and ملك المملكة الأردنية by
       the state noun alone; a conflict must not rest on that key */
    expect_none("تلقى خادم الحرمين الشريفين اتصالا هاتفيا اليوم من الملك حمد بن عيسى آل خليفة "
                "ملك مملكة البحرين أعرب فيه عن استنكاره للهجوم على المسجد.",
                "تلقى خادم الحرمين الشريفين اتصالا هاتفيا اليوم من الملك عبدالله الثاني بن الحسين "
                "ملك المملكة الأردنية الهاشمية أعرب فيه عن استنكاره للهجوم على المسجد.",
                "\"role\"");
}

TEST("a holder that is the end of another name, or a title before a place, holds nothing")
{
    expect_none("أدان الملك عبدالله الثاني ملك الأردن الهجوم على المسجد في أبها اليوم، وبعث برقية "
                "تعزية إلى أسر الضحايا.",
                "أدان جلالة الملك عبدالله الثاني ابن الحسين ملك الأردن الهجوم على المسجد في أبها "
                "اليوم، وبعث برقية تعزية إلى أسر الضحايا.",
                "ابن الحسين");
    expect_none("وهنأ خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز رئيس غويانا بذكرى يوم الجمهورية.",
                "وهنأ خادم الحرمين الشريفين سلطان بروناي دار السلام بذكرى اليوم الوطني لبلاده.",
                "\"role\"");
}
