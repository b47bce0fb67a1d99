/*
 * test_ingest_text.c — the plain-text reader on the five example articles
 * (examples/seeds/) and on hand-written articles with other credit, byline
 * and date layouts (tests/data/text/): what becomes title, outlet, agency,
 * author and date, and what stays in the body.
 *
 * Tests marked [date.c] depend on ingest_parse_date understanding the form
 * used; the others use ISO dates, which the reader keeps by itself.
 */
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"


/* Reads a file through encoding + text reader; returns the reader's code. */
static rasd_err read_text_file(const char *path, Batch *b, rasd_error *e)
{
    size_t n = 0;
    char *raw = harness_slurp(path, &n);
    if (!raw) {
        harness_fail(__FILE__, __LINE__, "cannot read %s", path);
        return RASD_EIO;
    }
    char *u = NULL;
    size_t ul = 0;
    rasd_err r = ingest_to_utf8(raw, n, path, &u, &ul, e);
    free(raw);
    if (r != RASD_OK)
        return r;
    r = ingest_text(u, ul, path, b, e);
    free(u);
    return r;
}

static rasd_err read_string(const char *s, Batch *b, rasd_error *e)
{
    return ingest_text(s, strlen(s), "mem.txt", b, e);
}

static int starts_with(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }
static int contains(const char *s, const char *p) { return s && strstr(s, p) != NULL; }

/* ---- the example articles ---- */

TEST("ingest text: seed 000 has no headline line and keeps every paragraph and subheading")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/000_28de61d1b7358e70.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        Article *a = &b.items[0];
        CHECK(a->title == NULL); /* the first line is a 400-character paragraph */
        CHECK(a->outlet == NULL && a->agency == NULL && a->published == NULL);
        CHECK(starts_with(a->body, "يتواصل الهجوم الأوكراني المضاد"));
        CHECK(contains(a->body, "\n\nتهرب روسي\n\n")); /* subheadings stay as paragraphs */
        CHECK(contains(a->body, "نفته كوريا الشمالية مرارًا."));
        CHECK_STR(a->origin, "examples/seeds/000_28de61d1b7358e70.txt");
        CHECK(a->parent == -1);
    }
    batch_free(&b);
}

TEST("ingest text: seed 001 takes its first line as the headline")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/001_af954e7e27d2101d.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "ملايين القذائف.. روسيا تفتح خزائن كوريا الشمالية في \"صفقة أسلحة\"");
        CHECK(a->outlet == NULL && a->agency == NULL);
        CHECK(starts_with(a->body, "إذا صحت التقارير الإعلامية"));
        CHECK(!contains(a->body, "ملايين القذائف.."));
    }
    batch_free(&b);
}

TEST("ingest text: seed 002 starts with a full sentence, so it has no headline")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/002_a284983e4bd276d4.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(b.items[0].title == NULL);
        CHECK(starts_with(b.items[0].body, "رفضت روسيا، الثلثاء"));
        CHECK(contains(b.items[0].body, "\n\n- عقوبات-\n\n"));
    }
    batch_free(&b);
}

TEST("ingest text: seed 003 reads headline, date line and source line, and splits the appended article")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/003_512641a6fdf04b61.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 2);
    if (b.n == 2) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "أمريكا تعلق على مفاوضات روسيا وكوريا الشمالية: جديدة ومثيرة للقلق");
        /* "السومرية العراقية": the country adjective is not part of the name */
        CHECK_STR(a->outlet, "السومرية");
        CHECK(!contains(a->body, "تاريخ النشر"));
        CHECK(!contains(a->body, "المصدر"));
        CHECK(starts_with(a->body, "اكدت السفيرة الأمريكية"));
        CHECK(b.items[1].parent == 0);
    }
    batch_free(&b);
}

TEST("ingest text: [date.c] seed 003's \"تاريخ النشر: 31st, August 2023 GMT\" gives 2023-08-31")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/003_512641a6fdf04b61.txt", &b, &e) == RASD_OK);
    CHECK(b.n >= 1 && starts_with(b.items[0].published, "2023-08-31"));
    batch_free(&b);
}

TEST("ingest text: seed 004's \"OUTLET | AGENCY\" line and (CNN)– credit give outlet and agency")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("examples/seeds/004_7ebebd47d9b70074.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        Article *a = &b.items[0];
        CHECK(starts_with(a->title, "البيت الأبيض يعلق على تقارير بشأن شراء روسيا أسلحة"));
        CHECK_STR(a->outlet, "راديو الأمل FM");
        CHECK_STR(a->agency, "سي إن إن");
        CHECK(starts_with(a->body, "قال البيت الأبيض، لشبكة CNN"));
        CHECK(!contains(a->body, "(CNN)"));
        CHECK(!contains(a->body, "راديو الأمل"));
    }
    batch_free(&b);
}

/* ---- hand-written layouts ---- */

TEST("ingest text: \"بقلم:\" under the headline is the author and \"المصدر :\" at the end the outlet")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/byline_source.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        Article *a = &b.items[0];
        CHECK_STR(a->title, "وزير الطاقة يعلن خطة لخفض استهلاك الكهرباء في الصيف");
        CHECK_STR(a->author, "سامي الخطيب");
        CHECK_STR(a->outlet, "الجزيرة نت");
        CHECK(starts_with(a->body, "أعلن وزير الطاقة"));
        CHECK(!contains(a->body, "بقلم") && !contains(a->body, "المصدر"));
        const char *last = strrchr(a->body, '\n');
        CHECK(last && starts_with(last + 1, "وقال الوزير"));
    }
    batch_free(&b);
}

TEST("ingest text: a \"PLACE (AGENCY) -\" dateline gives the agency and is cut from the text")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/dateline_afp.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].agency, "أ ف ب");
        CHECK(starts_with(b.items[0].body, "أعلن الجيش اللبناني الاثنين"));
        CHECK_STR(b.items[0].title, "الجيش اللبناني ينتشر في بلدات حدودية جنوب البلاد");
    }
    batch_free(&b);
}

TEST("ingest text: \"PLACE - AGENCY:\" with a known agency is a credit")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/agency_colon.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].agency, "أ ش أ");
        CHECK(b.items[0].title == NULL);
        CHECK(starts_with(b.items[0].body, "قال المتحدث باسم وزارة الخارجية"));
    }
    batch_free(&b);
}

TEST("ingest text: an English article's \"By\" and \"Published:\" lines give author and date")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/english_byline.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].title, "Drought pushes wheat prices to a five-year high");
        CHECK_STR(b.items[0].author, "Jane Miller");
        CHECK(starts_with(b.items[0].published, "2023-09-05"));
        CHECK(starts_with(b.items[0].body, "Wheat prices rose"));
    }
    batch_free(&b);
}

TEST("ingest text: \"OUTLET | DATE\" under the headline gives outlet and date")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/pipe_date.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].outlet, "الوطن");
        CHECK(b.items[0].agency == NULL);
        CHECK(starts_with(b.items[0].published, "2023-09-05"));
        CHECK(starts_with(b.items[0].body, "ارتفعت أسعار الذهب"));
    }
    batch_free(&b);
}

TEST("ingest text: \"كتب: NAME - PLACE\" is the author; a publication date beats an earlier update line")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/kataba_updated.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].author, "أحمد علي");
        CHECK(starts_with(b.items[0].published, "2023-09-05"));
        CHECK(b.items[0].title == NULL);
        CHECK(starts_with(b.items[0].body, "افتتح رئيس الوزراء"));
        CHECK(!contains(b.items[0].body, "آخر تحديث"));
    }
    batch_free(&b);
}

TEST("ingest text: hard-wrapped paragraphs are joined back into one line each")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/hardwrapped.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        const char *body = b.items[0].body;
        CHECK_STR(b.items[0].title, "وفد أممي يزور المناطق المتضررة من الفيضانات");
        CHECK(contains(body, "من الفيضانات التي اجتاحت"));
        const char *br = strstr(body, "\n\n");
        CHECK(br && !strchr(br + 2, '\n')); /* exactly two paragraphs */
        CHECK(br && (size_t)(strchr(body, '\n') - body) == (size_t)(br - body));
    }
    batch_free(&b);
}

TEST("ingest text: \"HEADLINE | SITE\" on the first line splits into title and outlet")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/title_pipe_outlet.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].title, "الرئيسان يبحثان في قمة مرتقبة ملفات الطاقة والتجارة والأمن الإقليمي");
        CHECK_STR(b.items[0].outlet, "سكاي نيوز عربية");
    }
    batch_free(&b);
}

TEST("ingest text: a short first line that ends with a full stop is a sentence, not a headline")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/first_line_sentence.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(b.items[0].title == NULL);
        CHECK(starts_with(b.items[0].body, "أعلنت الحكومة عن حزمة جديدة"));
    }
    batch_free(&b);
}

TEST("ingest text: \"المصدر: وكالات\" names nobody: dropped from the body, no outlet")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/generic_source.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(b.items[0].outlet == NULL);
        CHECK(!contains(b.items[0].body, "وكالات"));
    }
    batch_free(&b);
}

TEST("ingest text: Windows line ends are read like Unix ones")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/crlf.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK_STR(b.items[0].title, "عنوان تجريبي لخبر بنهايات أسطر ويندوز");
        CHECK_STR(b.items[0].author, "منى سالم");
        CHECK(!strchr(b.items[0].body, '\r'));
        CHECK(contains(b.items[0].body, "اليوم.\n\nوهذه فقرة ثانية"));
    }
    batch_free(&b);
}

TEST("ingest text: a \"نشر في\" that opens a sentence is body text, not a date line")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "نشر في الصحف المحلية تقرير عن الأزمة\n"
                    "وأثار التقرير جدلا واسعا في الأوساط السياسية بعد أن كشف عن تفاصيل جديدة.\n";
    CHECK(read_string(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].published == NULL);
    CHECK(b.n == 1 && b.items[0].title && starts_with(b.items[0].title, "نشر في الصحف"));
    batch_free(&b);
}

TEST("ingest text: a parenthesised day or label at the start is not an agency")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "(فيديو) - شاهد لحظة وصول الوفد إلى المطار وسط إجراءات أمنية مشددة واستقبال رسمي حافل.\n"
                    "الرياض (الاثنين) - أعلنت الوزارة عن خطة جديدة لتطوير النقل العام في المدن الكبرى.\n";
    CHECK(read_string(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].agency == NULL);
    CHECK(b.n == 1 && starts_with(b.items[0].body, "(فيديو)"));
    batch_free(&b);
}

TEST("ingest text: a single line is a body with no headline")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_string("خبر قصير من سطر واحد", &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].title == NULL);
    CHECK(b.n == 1 && b.items[0].body && !strcmp(b.items[0].body, "خبر قصير من سطر واحد"));
    batch_free(&b);
}

TEST("ingest text: an empty or blank file is a format error naming the file, and adds nothing")
{
    Batch b = {0};
    rasd_error e;
    CHECK(ingest_text("", 0, "empty.txt", &b, &e) == RASD_EFORMAT);
    CHECK(contains(e.msg, "empty.txt"));
    CHECK(read_string(" \n\t\r\n  \n", &b, &e) == RASD_EFORMAT);
    CHECK(b.n == 0);
    batch_free(&b);
}

TEST("ingest text: a file of credit lines only has no article text")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_string("المصدر: رويترز\nبقلم: فلان الفلاني\n", &b, &e) == RASD_EFORMAT);
    CHECK(b.n == 0);
    batch_free(&b);
}

TEST("ingest text: NUL bytes and invalid UTF-8 leave a valid body")
{
    Batch b = {0};
    rasd_error e;
    const char s[] = "عنوان\0الخبر\nنص \xff\xfe الخبر الطويل الذي يتبع العنوان ويشرح التفاصيل \xe2\x82";
    CHECK(ingest_text(s, sizeof s - 1, "bad.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1);
    if (b.n == 1) {
        CHECK(!memchr(b.items[0].body, '\xff', strlen(b.items[0].body)));
        CHECK(contains(b.items[0].body, "\xEF\xBF\xBD")); /* U+FFFD */
        CHECK_STR(b.items[0].title, "عنوان الخبر");
    }
    batch_free(&b);
}

TEST("ingest text: windows-1256 input read through ingest_to_utf8 keeps its metadata")
{
    Batch b = {0};
    rasd_error e;
    CHECK(read_text_file("tests/data/text/enc_cp1256.txt", &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].author && !strcmp(b.items[0].author, "سامي الخطيب"));
    batch_free(&b);
}

TEST("ingest text: a one-letter abbreviation (\"د.\") does not stop a line being a headline")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "د. محمد العلي يفوز بجائزة الرواية العربية\n"
                    "فاز الروائي الدكتور محمد العلي بجائزة الرواية العربية لهذا العام عن روايته الأخيرة، "
                    "التي تتناول تحولات المدينة خلال نصف قرن.\n";
    CHECK(read_string(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].title && !strcmp(b.items[0].title, "د. محمد العلي يفوز بجائزة الرواية العربية"));
    batch_free(&b);
}

TEST("ingest text: \"عاجل | headline\" is a flagged headline, not an outlet credit")
{
    Batch b = {0};
    rasd_error e;
    const char *s = "عاجل | انفجار في ميناء المدينة\n"
                    "هز انفجار قوي ميناء المدينة صباح اليوم، وأفادت مصادر أمنية بأن فرق الإطفاء "
                    "تعمل على السيطرة على الحريق الذي اندلع في أحد المستودعات.\n";
    CHECK(read_string(s, &b, &e) == RASD_OK);
    CHECK(b.n == 1 && b.items[0].outlet == NULL && b.items[0].agency == NULL);
    CHECK(b.n == 1 && b.items[0].title && !strcmp(b.items[0].title, "عاجل | انفجار في ميناء المدينة"));
    batch_free(&b);
}
