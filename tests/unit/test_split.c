/*
 * test_split.c — articles appended under "اقرأ أيضا" and similar markers:
 * a real appended article becomes its own Article (parent, origin, title,
 * date, inherited outlet), related-headline lists are dropped, and text
 * without a marker is left alone.
 */
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"


static int contains(const char *s, const char *p) { return s && strstr(s, p) != NULL; }
static int starts_with(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }
static int ends_with(const char *s, const char *p)
{
    size_t a = s ? strlen(s) : 0, b = strlen(p);
    return s && a >= b && strcmp(s + a - b, p) == 0;
}

static rasd_err read_file(const char *path, Batch *b)
{
    size_t n = 0;
    char *s = harness_slurp(path, &n);
    rasd_error e;
    rasd_err r = s ? ingest_text(s, n, path, b, &e) : RASD_EIO;
    free(s);
    return r;
}

/* An article with this body (and outlet), split directly. */
static void add_and_split(Batch *b, const char *body, const char *outlet)
{
    Article *a = batch_add(b);
    a->body = xstrndup(body, strlen(body));
    a->origin = xstrndup("page.html", 9);
    if (outlet)
        a->outlet = xstrndup(outlet, strlen(outlet));
    ingest_split_appended(b, b->n - 1);
}

/* Prose of well over 200 characters. */
#define PROSE1                                                                                 \
    "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات الشمالية، بطاقة "    \
    "استيعابية تصل إلى ألف سرير، وذلك ضمن خطة لتوسيع الخدمات الصحية في المناطق النائية."
#define PROSE2                                                                                 \
    "وقال وزير الصحة في مؤتمر صحفي إن المستشفيات الجديدة مجهزة بأحدث المعدات الطبية، وإن "    \
    "الوزارة تعاقدت مع مئات الأطباء والممرضين للعمل فيها خلال الأشهر المقبلة."
#define OTHER1                                                                                 \
    "تعرضت المدينة الساحلية أمس لعاصفة قوية أدت إلى انقطاع التيار الكهربائي عن آلاف المنازل، " \
    "وأغلقت السلطات الميناء أمام حركة السفن حتى إشعار آخر."
#define OTHER2                                                                                 \
    "وقالت فرق الدفاع المدني إنها تعاملت مع عشرات البلاغات عن سقوط أشجار وأعمدة كهرباء، دون "  \
    "تسجيل إصابات خطيرة بين السكان."

TEST("ingest split: seed 003 yields two articles: the page and the Kursk article appended to it")
{
    Batch b = {0};
    CHECK(read_file("examples/seeds/003_512641a6fdf04b61.txt", &b) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        Article *p = &b.items[0], *c = &b.items[1];
        CHECK(!contains(p->body, "إقرأ"));
        CHECK(!contains(p->body, "كورسك"));
        CHECK(ends_with(p->body, "القاعدة الصناعية الدفاعية الروسية\"."));
        CHECK(c->parent == 0);
        CHECK_STR(c->origin, "examples/seeds/003_512641a6fdf04b61.txt#appended1");
        CHECK_STR(c->title, "شاركت في معارك كورسك.. كوريا الشمالية تؤكد رسميا إرسال قوات إلى روسيا");
        CHECK(starts_with(c->body, "أكدت كوريا الشمالية للمرة الأولى رسمياً"));
        CHECK_STR(c->outlet, p->outlet); /* inherited from the page */
        CHECK(c->published == NULL);      /* the page's date is not the appended article's */
    }
    batch_free(&b);
}

TEST("ingest split: an appended article takes its own date line and the page's outlet")
{
    Batch b = {0};
    CHECK(read_file("tests/data/text/appended_dated.txt", &b) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        CHECK_STR(b.items[0].outlet, "صحيفة النهار");
        CHECK(!contains(b.items[0].body, "ذات صلة"));
        CHECK(!contains(b.items[0].body, "المسرح"));
        CHECK_STR(b.items[1].title, "انطلاق مهرجان المسرح العربي بعروض من عشر دول");
        CHECK_STR(b.items[1].published, "2024-01-10");
        CHECK_STR(b.items[1].outlet, "صحيفة النهار");
        CHECK(!contains(b.items[1].body, "نشر في"));
    }
    batch_free(&b);
}

TEST("ingest split: a related-headlines list after the story is dropped, no new article")
{
    Batch b = {0};
    CHECK(read_file("tests/data/text/related_list.txt", &b) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(!contains(b.items[0].body, "ذات صلة"));
        CHECK(!contains(b.items[0].body, "البورصة"));
        CHECK(ends_with(b.items[0].body, "قبل اتخاذ أي قرار جديد."));
    }
    batch_free(&b);
}

TEST("ingest split: a \"اقرأ أيضاً: headline\" link inside the story goes, the story stays")
{
    Batch b = {0};
    CHECK(read_file("tests/data/text/inline_link.txt", &b) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(!contains(b.items[0].body, "الأرصاد تتوقع"));
        CHECK(contains(b.items[0].body, "للضرورة.\n\nوأعلنت وزارة التربية"));
    }
    batch_free(&b);
}

TEST("ingest split: text with no marker is left exactly as it was")
{
    Batch b = {0};
    const char *body = PROSE1 "\n\n" PROSE2 "\n\nذات صلة بالموضوع، قال الوزير إن العمل مستمر.";
    add_and_split(&b, body, NULL);
    CHECK(b.n == 1 && !strcmp(b.items[0].body, body));
    batch_free(&b);
}

TEST("ingest split: markers match whatever their hamza, tanween, case and punctuation")
{
    const char *markers[] = {"إقرأ أيضاً:", "اقرا ايضا", "« اقرأ أيضًا »", "READ MORE:",
                             "- مواضيع ذات صلة -", "Related"};
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++) {
        Batch b = {0};
        Buf body = {0};
        buf_printf(&body, "%s\n\n%s\n\nعنوان الخبر الآخر عن العاصفة\n\n%s\n\n%s", PROSE1,
                   markers[i], OTHER1, OTHER2);
        add_and_split(&b, body.data, "النهار");
        CHECK(b.n == 2);
        if (b.n == 2) {
            CHECK_STR(b.items[0].body, PROSE1);
            CHECK_STR(b.items[1].title, "عنوان الخبر الآخر عن العاصفة");
            CHECK_STR(b.items[1].origin, "page.html#appended1");
            CHECK_STR(b.items[1].outlet, "النهار");
        }
        buf_free(&body);
        batch_free(&b);
    }
}

TEST("ingest split: several headlines between the marker and more text are a list inside the story")
{
    Batch b = {0};
    add_and_split(&b,
                  PROSE1 "\n\nاقرأ أيضا\n\nعنوان أول مرتبط\n\nعنوان ثان مرتبط\n\n" PROSE2, NULL);
    CHECK(b.n == 1);
    CHECK(b.n == 1 && !strcmp(b.items[0].body, PROSE1 "\n\n" PROSE2));
    batch_free(&b);
}

TEST("ingest split: a headline followed by a short teaser is not an article")
{
    Batch b = {0};
    add_and_split(&b, PROSE1 "\n\nشاهد أيضا\n\nعنوان مرتبط\n\nمقتطف قصير من الخبر المرتبط.", NULL);
    CHECK(b.n == 1 && !strcmp(b.items[0].body, PROSE1));
    batch_free(&b);
}

TEST("ingest split: two appended articles both hang from the page, numbered in order")
{
    Batch b = {0};
    add_and_split(&b,
                  PROSE1 "\n\nاقرأ أيضا\n\nالعاصفة تضرب المدينة\n\n" OTHER1 "\n\n" OTHER2
                         "\n\nاقرأ أيضا\n\nالوزارة تفتتح مستشفيات\n\n" PROSE2 "\n\n" PROSE1,
                  NULL);
    CHECK(b.n == 3);
    if (b.n == 3) {
        CHECK_STR(b.items[0].body, PROSE1);
        CHECK_STR(b.items[1].title, "العاصفة تضرب المدينة");
        CHECK_STR(b.items[1].body, OTHER1 "\n\n" OTHER2);
        CHECK_STR(b.items[1].origin, "page.html#appended1");
        CHECK_STR(b.items[2].title, "الوزارة تفتتح مستشفيات");
        CHECK_STR(b.items[2].origin, "page.html#appended2");
        CHECK(b.items[1].parent == 0 && b.items[2].parent == 0);
    }
    batch_free(&b);
}

TEST("ingest split: an appended article followed by a related list keeps only its own text")
{
    Batch b = {0};
    add_and_split(&b,
                  PROSE1 "\n\nاقرأ أيضا\n\nالعاصفة تضرب المدينة\n\n" OTHER1 "\n\n" OTHER2
                         "\n\nRead more\n\nheadline one\n\nheadline two",
                  NULL);
    CHECK(b.n == 2);
    CHECK(b.n == 2 && !strcmp(b.items[1].body, OTHER1 "\n\n" OTHER2));
    batch_free(&b);
}

TEST("ingest split: a marker on the first line is not split off (nothing would be left)")
{
    Batch b = {0};
    const char *body = "اقرأ أيضا\n\nعنوان\n\n" OTHER1 "\n\n" OTHER2;
    add_and_split(&b, body, NULL);
    CHECK(b.n == 1 && !strcmp(b.items[0].body, body));
    batch_free(&b);
}

TEST("ingest split: adding the new article when the batch is full moves the items safely")
{
    Batch b = {0};
    for (int i = 0; i < 15; i++) {
        Article *a = batch_add(&b);
        a->body = xstrndup("x", 1);
    }
    CHECK(b.n == 15 && b.cap == 16);
    add_and_split(&b, PROSE1 "\n\nاقرأ أيضا\n\nالعاصفة تضرب المدينة\n\n" OTHER1 "\n\n" OTHER2,
                  "النهار");
    CHECK(b.n == 17 && b.cap > 16);
    if (b.n == 17) {
        CHECK_STR(b.items[15].body, PROSE1);
        CHECK(b.items[16].parent == 15);
        CHECK_STR(b.items[16].outlet, "النهار");
    }
    batch_free(&b);
}

TEST("ingest split: a marker alone at the very end is removed")
{
    Batch b = {0};
    add_and_split(&b, PROSE1 "\n\nاقرأ المزيد", NULL);
    CHECK(b.n == 1 && !strcmp(b.items[0].body, PROSE1));
    batch_free(&b);
}
