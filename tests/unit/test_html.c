/*
 * test_html.c — the HTML reader on hand-written pages shaped like real
 * Arabic news sites (tests/data/html/): metadata from the best source,
 * the article's paragraphs in order, and the page furniture left out.
 * Also hostile input: deep nesting, no body, fragments.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "ingest/ingest.h"


/* Reads one page into b; returns its article or NULL (with a failure recorded). */
static Article *page(const char *name, Batch *b)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/html/%s", name);
    size_t n = 0;
    char *s = harness_slurp(path, &n);
    if (!s) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", path);
        return NULL;
    }
    rasd_error err = {0};
    rasd_err rc = ingest_html(s, n, path, b, &err);
    free(s);
    if (rc != RASD_OK) {
        harness_fail(__FILE__, __LINE__, "%s: %s", path, err.msg);
        return NULL;
    }
    if (b->n < 1) {
        harness_fail(__FILE__, __LINE__, "%s: no article", path);
        return NULL;
    }
    return &b->items[0];
}

static int has(const char *hay, const char *needle) { return hay && strstr(hay, needle) != NULL; }

/* body starts with first, ends with last, contains none of absent[] */
static void check_body(const Article *a, const char *first, const char *last,
                       const char *const *absent)
{
    if (!a)
        return;
    if (strncmp(a->body, first, strlen(first)) != 0)
        harness_fail(__FILE__, __LINE__, "body does not start with %s\n    body: %.300s", first,
                     a->body);
    size_t bl = strlen(a->body), ll = strlen(last);
    if (bl < ll || strcmp(a->body + bl - ll, last) != 0)
        harness_fail(__FILE__, __LINE__, "body does not end with %s\n    body end: %s", last,
                     bl > 300 ? a->body + bl - 300 : a->body);
    for (; absent && *absent; absent++)
        if (has(a->body, *absent))
            harness_fail(__FILE__, __LINE__, "body has boilerplate \"%s\"", *absent);
}

TEST("html: an Al Jazeera-like page takes JSON-LD metadata and only the article paragraphs")
{
    Batch b = {0};
    Article *a = page("aljazeera.html", &b);
    if (a) {
        CHECK_STR(a->title, "الأردن يطلق أكبر مشروع لتحلية المياه في تاريخه");
        CHECK_STR(a->outlet, "الجزيرة نت");
        CHECK_STR(a->published, "2023-09-05T14:03:00+03:00");
        CHECK_STR(a->author, "سلمى الخطيب");
        CHECK_STR(a->url, "https://www.aljazeera.net/news/2023/9/5/jordan-desalination");
        CHECK_STR(a->origin, "tests/data/html/aljazeera.html");
        CHECK(a->parent == -1);
        static const char *const absent[] = {"القائمة", "عاجل", "شارك المقال", "إعلان",
                                             "الأكثر قراءة", "جميع الحقوق", "البنك المركزي",
                                             "منشأة تحلية", "dataLayer", "position:sticky", NULL};
        check_body(a, "عمّان- وقّعت الحكومة الأردنية اليوم الثلاثاء",
                   "قد يقلص التكاليف التشغيلية بنسبة كبيرة على المدى البعيد.", absent);
        CHECK(has(a->body, "\n\nأزمة مزمنة\n\n")); /* an h2 is its own paragraph */
    }
    batch_free(&b);
}

TEST("html: an Al Arabiya-like page drops the share bar, the inline read-also box and tags")
{
    Batch b = {0};
    Article *a = page("alarabiya.html", &b);
    if (a) {
        CHECK_STR(a->title, "السعودية: افتتاح متحف للخط العربي في الرياض");
        CHECK_STR(a->outlet, "العربية");
        CHECK_STR(a->published, "2023-08-31T09:45:12Z");
        CHECK_STR(a->author, "العربية.نت - فهد القحطاني");
        static const char *const absent[] = {"شارك على", "اقرأ أيضاً", "مهرجان للخط", "الأوسمة",
                                             "مقالات ذات صلة", "ملفات تعريف", "الأكثر قراءة",
                                             "نشر في", NULL};
        check_body(a, "الرياض - العربية.نت\n\nافتتحت وزارة الثقافة السعودية",
                   "مع برنامج ورش تعليمية أسبوعية للأطفال والشباب.", absent);
    }
    batch_free(&b);
}

TEST("html: a Sky News Arabia-like page resolves the publisher through the JSON-LD @graph")
{
    Batch b = {0};
    Article *a = page("skynews.html", &b);
    if (a) {
        CHECK_STR(a->title, "فيضانات مفاجئة تغمر قرى في جنوب المغرب");
        CHECK_STR(a->outlet, "سكاي نيوز عربية");
        CHECK_STR(a->published, "2023-09-10T18:20:00+04:00");
        CHECK_STR(a->url, "https://www.skynewsarabia.com/world/1650000-floods");
        static const char *const absent[] = {"الجفاف يضرب", "أخبار ذات صلة", "عاصفة رملية",
                                             "Facebook", "بتوقيت أبوظبي", "المغربفيضانات",
                                             "فيضانات\n", NULL};
        check_body(a, "غمرت سيول جارفة عددا من القرى",
                   "داعين إلى تحديث شبكات تصريف المياه في الأرياف.", absent);
    }
    batch_free(&b);
}

TEST("html: a BBC Arabic-like page joins paragraphs wrapped one per div and skips captions")
{
    Batch b = {0};
    Article *a = page("bbcarabic.html", &b);
    if (a) {
        CHECK_STR(a->title, "مصر تعلن اكتشاف مقبرة أثرية جديدة قرب الأقصر");
        CHECK_STR(a->outlet, "BBC News عربي");
        CHECK_STR(a->published, "2023-09-07T11:30:42Z");
        static const char *const absent[] = {"قصص ذات صلة", "طريق الكباش", "Getty", "التعليق على",
                                             "أهم الأخبار", "الأكثر قراءة", "تخطي", "© 2023",
                                             "مواضيع ذات صلة", NULL};
        check_body(a, "أعلنت وزارة السياحة والآثار المصرية",
                   "بحسب تقديرات الوزارة.", absent);
        CHECK(has(a->body, "حالة جيدة من الحفظ.\n\nوقالت الوزارة"));
    }
    batch_free(&b);
}

TEST("html: a Youm7-like ASP.NET page inside one <form> keeps its body and names the outlet from <title>")
{
    Batch b = {0};
    Article *a = page("youm7.html", &b);
    if (a) {
        CHECK_STR(a->title, "ارتفاع أسعار الطماطم فى سوق العبور اليوم الخميس");
        CHECK_STR(a->outlet, "اليوم السابع");
        CHECK_STR(a->published, "2023-08-31T14:00:00");
        CHECK_STR(a->author, "محمود عبد الراضى"); /* the visible byline, "كتب" dropped */
        static const char *const absent[] = {"اقرأ أيضا", "مشاركة", "الأخبار المتعلقة",
                                             "تعليق طويل", "أسعار الطماطمسوق", "جميع الحقوق",
                                             "كتب محمود", "wEPDw", NULL};
        check_body(a, "شهدت أسعار الطماطم ارتفاعا ملحوظا فى سوق العبور",
                   "خلال الشهر المقبل.", absent);
    }
    batch_free(&b);
}

TEST("html: an Asharq Al-Awsat-like Drupal page reads a JSON-LD array and skips related views")
{
    Batch b = {0};
    Article *a = page("aawsat.html", &b);
    if (a) {
        CHECK_STR(a->title, "تونس تتجه لرفع إنتاج الفوسفات إلى مستويات ما قبل 2011");
        CHECK_STR(a->outlet, "الشرق الأوسط");
        CHECK_STR(a->published, "2023-09-06T00:30:11+03:00");
        CHECK_STR(a->author, "منجي السعيداني");
        CHECK_STR(a->url, "https://aawsat.com/home/article/4530000");
        static const char *const absent[] = {"ذات صلة", "التضخم", "صفر 1445", "العالم العربي",
                                             "فوسفات\n", "جميع الحقوق", NULL};
        check_body(a, "أعلنت شركة فوسفات قفصة التونسية",
                   "في منطقة الحوض المنجمي.", absent);
    }
    batch_free(&b);
}

TEST("html: a WordPress post keeps its lists and subheads and drops long comments and widgets")
{
    Batch b = {0};
    Article *a = page("wordpress.html", &b);
    if (a) {
        CHECK_STR(a->title, "كيف تستعد المدارس لموجات الحر؟");
        CHECK_STR(a->outlet, "مدونة تربويون");
        CHECK_STR(a->published, "2023-08-30T18:15:00+03:00");
        CHECK_STR(a->author, "ليلى منصور");
        static const char *const absent[] = {"شكرا على هذه", "تعليقا", "شارك هذا", "أحدث التدوينات",
                                             "التدوينة السابقة", "تجاوز إلى", "ووردبريس",
                                             "بواسطة", NULL};
        check_body(a, "مع ارتفاع درجات الحرارة في أيام الدراسة الأولى",
                   "إلا إلى قرار إداري ومتابعة يومية.", absent);
        CHECK(has(a->body, "\n\nتركيب مظلات في الساحات"));
        CHECK(has(a->body, "\n\nثانيا: الظل والتهوية\n\n"));
    }
    batch_free(&b);
}

TEST("html: a script-rendered page with JSON-LD only takes the body from articleBody")
{
    Batch b = {0};
    Article *a = page("jsonld_only.html", &b);
    if (a) {
        CHECK_STR(a->title, "الكويت تقر موازنة جديدة بعجز أقل من المتوقع");
        CHECK_STR(a->outlet, "منصة الأخبار الكويتية");
        CHECK_STR(a->published, "2023-09-12T07:15:00+03:00");
        CHECK_STR(a->author, "خالد العنزي");
        CHECK_STR(a->url, "https://news.example.com/kw/budget-2023");
        static const char *const absent[] = {"جافاسكربت", "الرئيسية", NULL};
        check_body(a, "أقر مجلس الأمة الكويتي موازنة",
                   "نحو مشاريع البنية التحتية.", absent);
        CHECK(has(a->body, "الماضية.\n\nوقالت وزارة المالية"));
    }
    batch_free(&b);
}

TEST("html: a table-layout page with no <article> and <br> paragraphs finds the prose column")
{
    Batch b = {0};
    Article *a = page("no_article.html", &b);
    if (a) {
        CHECK_STR(a->title, "افتتاح جسر جديد على النيل في أسيوط");
        CHECK_STR(a->outlet, "جريدة الوادي");
        CHECK_STR(a->published, "2023-09-14");
        CHECK_STR(a->author, "عادل فوزي");
        static const char *const absent[] = {"الصفحة الأولى", "أخبار أخرى", "شحنة القمح",
                                             "جميع الحقوق", NULL};
        check_body(a, "افتتح محافظ أسيوط صباح اليوم جسرا جديدا",
                   "بعد استكمال الطرق الموصلة إليه.", absent);
        CHECK(has(a->body, "عشرين دقيقة، وسيخفف الضغط عن المعديات النهرية.\n\nوأشار"));
    }
    batch_free(&b);
}

TEST("html: a page whose reader comments outweigh the story still yields the story")
{
    Batch b = {0};
    Article *a = page("comments_related.html", &b);
    if (a) {
        CHECK_STR(a->title, "منتخب العراق يتأهل إلى نهائي بطولة غرب آسيا");
        CHECK_STR(a->outlet, "الرياضي اليوم");
        CHECK_STR(a->published, "2023-09-15");
        static const char *const absent[] = {"مبروك للعراق", "الحكم ظلمنا", "آراء القراء",
                                             "اقرأ المزيد", "المنتخب الأولمبي", "الأكثر مشاهدة",
                                             "أعلن معنا", "كرة القدم تنس", "الجمعة 15", NULL};
        check_body(a, "تأهل منتخب العراق لكرة القدم",
                   "مع الفائز من مباراة نصف النهائي الثانية.", absent);
    }
    batch_free(&b);
}

TEST("html: a declared windows-1256 charset is ignored for bytes already in UTF-8")
{
    Batch b = {0};
    Article *a = page("maghreb.html", &b);
    if (a) {
        CHECK_STR(a->title, "الجزائر: حملة وطنية لتشجير الغابات المتضررة من الحرائق");
        CHECK_STR(a->outlet, "الخبر الجزائرية");
        CHECK_STR(a->published, "2023-07-27T10:15:00");
        static const char *const absent[] = {"فايسبوك", "الرئيسية", "العالم", NULL};
        check_body(a, "أطلقت المديرية العامة للغابات في الجزائر",
                   "مع موسم الأمطار.", absent);
    }
    batch_free(&b);
}

TEST("html: a page with only navigation is a format error naming the file")
{
    const char *s = "<html><head><title>x</title></head><body><nav><a href='/'>الرئيسية</a>"
                    "</nav><footer>حقوق</footer></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html(s, strlen(s), "empty.html", &b, &err) == RASD_EFORMAT);
    CHECK(has(err.msg, "empty.html"));
    CHECK(b.n == 0);
    batch_free(&b);
}

TEST("html: empty input is a format error, not a crash")
{
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html("", 0, "zero.html", &b, &err) == RASD_EFORMAT);
    CHECK(has(err.msg, "zero.html"));
    batch_free(&b);
}

static char *nested(const char *open, const char *close, int depth, const char *inner)
{
    size_t on = strlen(open), cn = strlen(close), in = strlen(inner);
    size_t n = (on + cn) * (size_t)depth + in + 64;
    char *s = malloc(n);
    size_t k = 0;
    memcpy(s, "<html><body>", 12);
    k = 12;
    for (int i = 0; i < depth; i++, k += on)
        memcpy(s + k, open, on);
    memcpy(s + k, inner, in);
    k += in;
    for (int i = 0; i < depth; i++, k += cn)
        memcpy(s + k, close, cn);
    s[k] = '\0';
    return s;
}

TEST("html: 10,000 nested <div> tags neither crash nor take long")
{
    char *s = nested("<div>", "</div>", 10000, "<p>نص عميق جدا داخل عشرة آلاف عنصر متداخل في الصفحة.</p>");
    Batch b = {0};
    rasd_error err = {0};
    clock_t t0 = clock();
    rasd_err rc = ingest_html(s, strlen(s), "deep.html", &b, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(rc == RASD_OK || rc == RASD_EFORMAT);
    CHECK(secs < 2.0);
    batch_free(&b);
    free(s);
}

TEST("html: 100,000 unclosed nested tags of mixed kinds stay bounded")
{
    char *s = nested("<span><b><article><li>", "", 25000, "نص");
    Batch b = {0};
    rasd_error err = {0};
    clock_t t0 = clock();
    rasd_err rc = ingest_html(s, strlen(s), "deep2.html", &b, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(rc == RASD_OK || rc == RASD_EFORMAT);
    CHECK(secs < 5.0);
    batch_free(&b);
    free(s);
}

TEST("html: entities are decoded, white space collapsed and <br> kept as a line break")
{
    const char *s = "<html><body><article><p>قال   &quot;الوزير&quot;&nbsp;إن\n  الخطة &amp; "
                    "الميزانية جاهزتان للتنفيذ الفوري&#x2E;</p><p>السطر الأول من البيان الرسمي<br>"
                    "السطر الثاني من البيان الرسمي الصادر اليوم</p></article></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html(s, strlen(s), "ent.html", &b, &err) == RASD_OK);
    if (b.n == 1)
        CHECK_STR(b.items[0].body, "قال \"الوزير\" إن الخطة & الميزانية جاهزتان للتنفيذ الفوري."
                                   "\n\nالسطر الأول من البيان الرسمي\nالسطر الثاني من البيان "
                                   "الرسمي الصادر اليوم");
    batch_free(&b);
}

TEST("html: a <title> suffix is stripped only when it repeats the site name")
{
    const char *s = "<html><head><title>الحكومة تقر خطة النقل - أخبار اليوم</title>"
                    "<meta property='og:site_name' content='أخبار اليوم'></head><body><p>نص "
                    "الخبر الكامل عن خطة النقل الجديدة التي أقرتها الحكومة.</p></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html(s, strlen(s), "t.html", &b, &err) == RASD_OK);
    if (b.n == 1) {
        CHECK_STR(b.items[0].title, "الحكومة تقر خطة النقل");
        CHECK_STR(b.items[0].outlet, "أخبار اليوم");
    }
    batch_free(&b);
}

TEST("html: a paragraph that is only a link list is dropped from the body")
{
    const char *s = "<html><body><div class='story'><p>الفقرة الأولى من الخبر وفيها تفاصيل كافية "
                    "للقارئ.</p><p><a href='/1'>عنوان خبر آخر</a> | <a href='/2'>عنوان خبر ثالث</a>"
                    "</p><p>الفقرة الأخيرة من الخبر وفيها خاتمة كافية للقارئ.</p></div></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html(s, strlen(s), "links.html", &b, &err) == RASD_OK);
    if (b.n == 1)
        CHECK_STR(b.items[0].body, "الفقرة الأولى من الخبر وفيها تفاصيل كافية للقارئ.\n\n"
                                   "الفقرة الأخيرة من الخبر وفيها خاتمة كافية للقارئ.");
    batch_free(&b);
}

TEST("html: invalid UTF-8 and NUL bytes in a page do not break parsing")
{
    const char s[] = "<html><body><p>\xD8\xA7\xD9\x84\xD8 \xFF\x00 نص سليم بعد البايتات التالفة في "
                     "الصفحة</p></body></html>";
    Batch b = {0};
    rasd_error err = {0};
    CHECK(ingest_html(s, sizeof s - 1, "bad.html", &b, &err) == RASD_OK);
    if (b.n == 1)
        CHECK(has(b.items[0].body, "نص سليم بعد البايتات التالفة"));
    batch_free(&b);
}

TEST("html fragment: tags are stripped and paragraph breaks kept")
{
    const char *f = "<p>الفقرة <b>الأولى</b></p>\n<p>الفقرة الثانية<br/>وسطر</p><script>x()</script>"
                    "<div>ثالثة &amp; أخيرة</div>";
    char *t = ingest_html_fragment_text(f, strlen(f));
    CHECK_STR(t, "الفقرة الأولى\n\nالفقرة الثانية\nوسطر\n\nثالثة & أخيرة");
    free(t);
    t = ingest_html_fragment_text("نص بلا وسوم", strlen("نص بلا وسوم"));
    CHECK_STR(t, "نص بلا وسوم");
    free(t);
    t = ingest_html_fragment_text("", 0);
    CHECK_STR(t, "");
    free(t);
}
