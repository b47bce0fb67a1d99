/*
 * test_feed.c — the RSS/Atom reader on the feeds in tests/data/feeds/:
 * one Article per item with its fields, item-level errors that do not
 * lose the other items, and hostile XML (entity bombs, external
 * entities, truncation) that must neither expand nor hang.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "ingest/ingest.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

static rasd_err feed(const char *name, Batch *b, rasd_error *err)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/feeds/%s", name);
    size_t n = 0;
    char *s = slurp(path, &n);
    if (!s) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", path);
        return RASD_EIO;
    }
    rasd_err rc = ingest_feed(s, n, path, b, err);
    free(s);
    return rc;
}

static int has(const char *hay, const char *needle) { return hay && strstr(hay, needle) != NULL; }

TEST("feed: RSS 2.0 items take their body from content:encoded, with markup stripped")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("rss_content.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 2 && b.nerrors == 0);
    if (b.n == 2) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "ارتفاع صادرات التمور إلى مستوى قياسي");
        CHECK_STR(a->outlet, "صحيفة المرصد");
        CHECK_STR(a->published, "2023-09-05T14:03:00+03:00");
        CHECK_STR(a->url, "https://almarsad.example.com/2023/09/dates-exports");
        CHECK_STR(a->author, "هند الزهراني");
        CHECK_STR(a->origin, "tests/data/feeds/rss_content.xml#item1");
        CHECK_STR(a->body, "سجلت صادرات التمور خلال النصف الأول من العام أعلى مستوى لها على "
                           "الإطلاق، مدفوعة بطلب متزايد من الأسواق الآسيوية والأوروبية.\n\n"
                           "وقال مسؤول في المركز الوطني للنخيل إن عدد الدول المستوردة تجاوز مئة "
                           "وعشرين دولة.\n\nويتوقع المصدرون استمرار النمو مع افتتاح مصانع تعبئة جديدة.");
        CHECK(!has(a->body, "ملخص قصير")); /* content:encoded wins over description */
        a = &b.items[1];
        CHECK_STR(a->title, "مهرجان للمسرح & الموسيقى في جدة");
        CHECK_STR(a->author, "ماجد الحربي"); /* "mail (name)" keeps the name */
        CHECK_STR(a->published, "2023-09-06T09:00:00Z");
        CHECK_STR(a->body, "تنطلق الأسبوع المقبل فعاليات مهرجان للمسرح والموسيقى في جدة بمشاركة "
                           "فرق من عشر دول.\n\nويستمر المهرجان عشرة أيام.");
        CHECK_STR(a->origin, "tests/data/feeds/rss_content.xml#item2");
    }
    batch_free(&b);
}

TEST("feed: an RSS item with no body is skipped and counted, and the others load")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("rss_description.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 2);
    CHECK(b.nerrors == 0);
    CHECK(b.skipped == 1);
    if (b.n == 2) {
        CHECK_STR(b.items[0].origin, "tests/data/feeds/rss_description.xml#item1");
        CHECK_STR(b.items[0].published, "2023-08-31T14:00:00"); /* an Arabic pubDate */
        CHECK(has(b.items[0].body, "افتتح وزير النقل اليوم طريقا سريعا"));
        CHECK_STR(b.items[1].origin, "tests/data/feeds/rss_description.xml#item3");
        CHECK_STR(b.items[1].url, "https://wakala.example.org/n/1003"); /* from <guid> */
        CHECK_STR(b.items[1].body, "أعلنت وكالة الفضاء إطلاق قمر صناعي جديد لرصد الطقس من قاعدة "
                                   "إطلاق في المحيط الهندي.\n\nوسيوفر القمر صورا كل عشر دقائق.");
        CHECK_STR(b.items[1].outlet, "وكالة الأنباء الإقليمية"); /* not mangled as windows-1256 */
    }
    batch_free(&b);
}

TEST("feed: Atom entries read html, xhtml and text content and the alternate link")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("atom.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 3 && b.nerrors == 0);
    if (b.n == 3) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "الطاقة الشمسية تتفوق على الفحم");
        CHECK_STR(a->outlet, "مدونة الاقتصاد الأخضر");
        CHECK_STR(a->url, "https://green.example.net/2023/09/solar");
        CHECK_STR(a->published, "2023-09-10T10:30:00+02:00"); /* published, not updated */
        CHECK_STR(a->author, "رامي حداد");
        CHECK_STR(a->body, "تجاوزت الكهرباء المولدة من الطاقة الشمسية في المنطقة لأول مرة تلك "
                           "المولدة من الفحم خلال فصل الصيف.\n\nويعزو خبراء ذلك إلى تراجع أسعار الألواح.");
        a = &b.items[1];
        CHECK_STR(a->url, "https://green.example.net/2023/09/wind");
        CHECK_STR(a->published, "2023-09-12T08:00:00Z");
        CHECK_STR(a->body, "تدرس عدة دول خليجية إنشاء مزارع رياح بحرية.\n\nوتواجه المشاريع تحديات تقنية.");
        a = &b.items[2];
        CHECK_STR(a->body, "سطر أول من الملاحظة <ليس وسما>\n\nفقرة ثانية من الملاحظة.");
        CHECK_STR(a->origin, "tests/data/feeds/atom.xml#item3");
    }
    batch_free(&b);
}

TEST("feed: RSS 1.0 (RDF) items beside the channel are read")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("rdf.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].title, "تدشين مكتبة عامة جديدة");
        CHECK_STR(b.items[0].outlet, "النشرة القديمة");
        CHECK_STR(b.items[0].published, "2023-09-01T08:00:00+03:00");
        CHECK_STR(b.items[0].author, "سعاد يوسف");
        CHECK_STR(b.items[0].body, "دشنت البلدية مكتبة عامة جديدة تضم خمسين ألف كتاب.");
    }
    batch_free(&b);
}

TEST("feed: a billion-laughs entity bomb neither expands nor hangs")
{
    Batch b = {0};
    rasd_error err = {0};
    clock_t t0 = clock();
    rasd_err rc = feed("billion_laughs.xml", &b, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 0.5);
    CHECK(rc == RASD_OK || rc == RASD_EFORMAT);
    if (rc == RASD_EFORMAT)
        CHECK(has(err.msg, "billion_laughs.xml"));
    for (size_t i = 0; i < b.n; i++) {
        CHECK(!has(b.items[i].body, "lol"));
        CHECK(!has(b.items[i].title, "lol"));
        CHECK(!has(b.items[i].outlet, "lol"));
    }
    batch_free(&b);
}

TEST("feed: small internal entities are left unexpanded")
{
    const char *s = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">"
                    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><rss><channel><title>ق</title>"
                    "<item><title>ع</title><description>قبل &lol2; بعد</description></item>"
                    "</channel></rss>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_feed(s, strlen(s), "ent.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1)
        CHECK_STR(b.items[0].body, "قبل بعد");
    batch_free(&b);
}

TEST("feed: external entities are never read from disk or network")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("xxe.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(!has(b.items[0].body, "root:"));
        CHECK_STR(b.items[0].body, "قبل بعد النهاية");
    }
    batch_free(&b);
}

TEST("feed: a truncated feed keeps the items before the cut and says it was cut")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(feed("truncated.xml", &b, &err) == RASD_OK);
    CHECK(b.n >= 2);
    if (b.n >= 2) {
        CHECK_STR(b.items[0].body, "نص الخبر الأول كاملا دون أي نقص في محتواه.");
        CHECK_STR(b.items[1].title, "الخبر الثاني كامل");
    }
    CHECK(b.nerrors == 1);
    if (b.nerrors == 1)
        CHECK(has(b.errors[0], "truncated.xml") && has(b.errors[0], "truncated or not well-formed"));
    batch_free(&b);
}

TEST("feed: XML that is not a feed is a format error naming the file and root")
{
    const char *s = "<?xml version=\"1.0\"?><html><body><p>ليست خلاصة</p></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_feed(s, strlen(s), "page.xml", &b, &err) == RASD_EFORMAT);
    CHECK(has(err.msg, "page.xml") && has(err.msg, "<html>"));
    CHECK(b.n == 0);
    CHECK(ingest_feed("", 0, "empty.xml", &b, &err) == RASD_EFORMAT);
    CHECK(has(err.msg, "empty.xml"));
    CHECK(ingest_feed("not xml at all", 14, "junk.xml", &b, &err) == RASD_EFORMAT);
    batch_free(&b);
}

TEST("feed: an empty channel loads nothing and is not an error")
{
    const char *s = "<rss version=\"2.0\"><channel><title>فارغة</title></channel></rss>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_feed(s, strlen(s), "none.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 0 && b.nerrors == 0);
    batch_free(&b);
}

TEST("feed: a feed of 2,000 items loads them all with item numbers in order")
{
    size_t n = 2000;
    char *s = malloc(n * 160 + 200);
    size_t k = (size_t)snprintf(s, 200, "<rss><channel><title>كبيرة</title>");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(s + k, 160, "<item><title>خبر %zu</title><description>نص الخبر رقم %zu"
                                          "</description></item>", i + 1, i + 1);
    k += (size_t)snprintf(s + k, 40, "</channel></rss>");
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_feed(s, k, "big.xml", &b, &err) == RASD_OK);
    CHECK(b.n == n);
    if (b.n == n) {
        CHECK_STR(b.items[1999].origin, "big.xml#item2000");
        CHECK_STR(b.items[1999].body, "نص الخبر رقم 2000");
    }
    batch_free(&b);
    free(s);
}

TEST("feed: Media RSS attachments do not stand in for the item's title or body")
{
    const char *s = "<rss xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>ق</title>"
                    "<item><media:content url=\"https://x/v.mp4\"><media:title>عنوان الفيديو</media:title>"
                    "<media:description>وصف الفيديو</media:description></media:content>"
                    "<title>عنوان الخبر</title><description>نص الخبر الحقيقي</description></item>"
                    "<item><title>فيديو فقط</title><media:group><media:description>وصف المجموعة"
                    "</media:description></media:group></item></channel></rss>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_feed(s, strlen(s), "media.xml", &b, &err) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        CHECK_STR(b.items[0].title, "عنوان الخبر");
        CHECK_STR(b.items[0].body, "نص الخبر الحقيقي");
        CHECK_STR(b.items[1].body, "وصف المجموعة"); /* the last resort */
    }
    batch_free(&b);
}
