/*
 * test_dates.c — behaviours of the date recogniser that the golden files
 * (tests/golden/dates-*.txt) cannot express: calendar arithmetic over long
 * ranges, byte offsets, the fields besides the value, the TIMEX kinds, JSON,
 * and time on a 1 MB article.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "annotate/dates.h"
#include "util/calendar.h"
#include "ingest/ingest.h"
#include "text/text.h"

static rasd_text *ctx;

/* Analyses s and finds its dates; *d must be freed with rasd_doc_free. */
static DateSpan *find(const char *s, size_t n, const char *pub, unsigned flags, size_t *nd,
                      rasd_doc **d)
{
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        return NULL;
    *d = NULL;
    *nd = 0;
    if (rasd_text_analyse(ctx, s, n, d, NULL) != RASD_OK)
        return NULL;
    DateSpan *out = NULL;
    if (dates_find(*d, pub, flags, &out, nd, NULL) != RASD_OK)
        return NULL;
    return out;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: a loaded machine does not fail the test */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST("dates: days_from_civil and civil_from_days agree from year 1 to 9999")
{
    long prev = dates_days_from_civil(1, 1, 1) - 1;
    int bad = 0;
    for (int y = 1; y <= 9999 && !bad; y += 7)
        for (int m = 1; m <= 12; m++) {
            long d = dates_days_from_civil(y, m, 1);
            int yy, mm, dd;
            dates_civil_from_days(d, &yy, &mm, &dd);
            if (yy != y || mm != m || dd != 1)
                bad++;
            if (y == 1 && m == 1 && d != prev + 1)
                bad++;
        }
    CHECK(bad == 0);
    CHECK(dates_days_from_civil(1970, 1, 1) == 0);
    CHECK(dates_days_from_civil(2000, 3, 1) - dates_days_from_civil(2000, 2, 28) == 2);
    CHECK(dates_days_from_civil(1900, 3, 1) - dates_days_from_civil(1900, 2, 28) == 1);
}

TEST("calendar: Hijri dates convert by Umm al-Qura, as Saudi outlets print them")
{
    int y, m, d;
    /* 1 Muharram 1 AH: Friday 16 July 622 Julian = 19 July 622 proleptic
       Gregorian (before the Umm al-Qura table: tabular) */
    CHECK(dates_hijri_to_greg(1, 1, 1, &y, &m, &d) == 0 && y == 622 && m == 7 && d == 19);
    /* 1 Ramadan 1444 = 23 March 2023 */
    CHECK(dates_hijri_to_greg(1444, 9, 1, &y, &m, &d) == 0 && y == 2023 && m == 3 && d == 23);
    /* 1 Muharram 1445 = 19 July 2023 */
    CHECK(dates_hijri_to_greg(1445, 1, 1, &y, &m, &d) == 0 && y == 2023 && m == 7 && d == 19);
    /* SPA: "26 شوال 1436 هـ الموافق 11 أغسطس 2015م"; the tabular rule says the 12th */
    CHECK(cal_hijri_to_greg(1436, 10, 26, &y, &m, &d) == 0 && y == 2015 && m == 8 && d == 11);
    long tab;
    CHECK(cal_tabular_to_days(1436, 10, 26, &tab) == 0 && tab == cal_days_from_civil(2015, 8, 12));
    /* 1 Ramadan 1436 = Thursday 18 June 2015 */
    CHECK(cal_hijri_to_greg(1436, 9, 1, &y, &m, &d) == 0 && y == 2015 && m == 6 && d == 18);
    CHECK(cal_weekday(cal_days_from_civil(2015, 6, 18)) == 4);
    /* month 13 and day 31 do not exist; day 30 only in 30-day months */
    CHECK(dates_hijri_to_greg(1445, 13, 1, &y, &m, &d) < 0);
    CHECK(dates_hijri_to_greg(1445, 1, 31, &y, &m, &d) < 0);
    int bad = 0;
    for (int hy = CAL_UQ_FIRST; hy <= CAL_UQ_LAST; hy++)
        for (int hm = 1; hm <= 12; hm++) {
            int len = cal_hijri_month_len(hy, hm);
            if ((len != 29 && len != 30) || dates_hijri_to_greg(hy, hm, len + 1, &y, &m, &d) == 0)
                bad++;
        }
    CHECK(bad == 0);
    CHECK_STR(cal_hijri_source(), "umalqura");
    int hy, hm, hd;
    cal_greg_to_hijri(2015, 8, 11, &hy, &hm, &hd);
    CHECK(hy == 1436 && hm == 10 && hd == 26);
}

TEST("calendar: every Hijri date of years 1-1700 converts to a day and back")
{
    int bad = 0;
    long prev = 0;
    for (int hy = 1; hy <= 1700; hy++)
        for (int hm = 1; hm <= 12; hm++)
            for (int hd = 1; hd <= 30; hd++) {
                long days;
                if (cal_hijri_to_days(hy, hm, hd, &days) < 0)
                    continue;
                int y, m, d, hy2, hm2, hd2;
                cal_civil_from_days(days, &y, &m, &d);
                cal_greg_to_hijri(y, m, d, &hy2, &hm2, &hd2);
                if (hy2 != hy || hm2 != hm || hd2 != hd)
                    bad++;
                if (!(hy == 1 && hm == 1 && hd == 1) && days != prev + 1)
                    bad++; /* no day skipped or repeated, across the table's edges too */
                prev = days;
            }
    CHECK(bad == 0);
}

TEST("calendar: publication dates in the Hijri calendar convert by Umm al-Qura")
{
    static const struct {
        const char *in, *want; /* want NULL: not a date */
    } cases[] = {
        {"26 شوال 1436 هـ", "2015-08-11"},
        {"الثلاثاء 26 شوال 1436هـ", "2015-08-11"},
        {"26/10/1436هـ", "2015-08-11"},
        {"26/10/1436 هـ - 10:30", "2015-08-11T10:30:00"},
        {"1 ذو الحجة 1436 هـ", "2015-09-14"},
        {"15 جمادى الآخرة 1445", "2023-12-28"},
        /* both calendars: the Gregorian one dates the page */
        {"26 شوال 1436 هـ الموافق 12 أغسطس 2015م", "2015-08-12"},
        {"30 رجب 1445 هـ", NULL}, /* Rajab 1445 had 29 days */
        {"26 شوال", NULL},
        {"شوال 1436 هـ", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = ingest_parse_date(cases[i].in, strlen(cases[i].in));
        if (cases[i].want)
            CHECK_STR(got, cases[i].want);
        else if (got)
            harness_fail(__FILE__, __LINE__, "%s: expected NULL, got %s", cases[i].in, got);
        if (got)
            CHECK(cal_valid_iso_date(got));
        free(got);
    }
}

TEST("calendar: cal_valid_iso_date takes ISO dates and timestamps and nothing else")
{
    static const char *const good[] = {
        "2015", "2015-08", "2015-08-11", "2024-02-29", "2015-08-11T14:03",
        "2015-08-11T14:03:07", "2015-08-11T14:03:07Z", "2015-08-11T14:03:07+03:00",
        "2015-08-11T14:03:07.123-05:30", "2015-08-11T00:00Z", "2015-08-11T23:59:59+14:00"};
    static const char *const bad[] = {
        "", "yesterday", "<svg/x='", "201", "20150", "0000", "2015-8", "2015-13",
        "2015-00", "2015-08-1", "2015-02-29", "2015-08-32", "2015-08-11 14:03",
        "2015-08-11t14:03", "2015-08-11T", "2015-08-11T24:00", "2015-08-11T14:60",
        "2015-08-11T14:03:60", "2015-08-11T14:03:07z", "2015-08-11T14:03:07+3",
        "2015-08-11T14:03:07+15:00", "2015-08-11T14:03:07+03:00x", "2015-08-11T14:03:07.",
        "2015-08-11Z", " 2015-08-11", "2015-08-11 ", "2015/08/11", "١٤٣٦-١٠-٢٦",
        "2015-08-11T14:03:07.1234567890Z", "2015-08-11T14"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!cal_valid_iso_date(good[i]))
            harness_fail(__FILE__, __LINE__, "rejected %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cal_valid_iso_date(bad[i]))
            harness_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
    CHECK(!cal_valid_iso_date(NULL));
}

TEST("dates: Gregorian to Hijri and back is the identity for 100 years of days")
{
    long a = dates_days_from_civil(1950, 1, 1), b = dates_days_from_civil(2050, 1, 1);
    int bad = 0;
    for (long k = a; k < b; k++) {
        int y, m, d, hy, hm, hd, y2, m2, d2;
        dates_civil_from_days(k, &y, &m, &d);
        dates_greg_to_hijri(y, m, d, &hy, &hm, &hd);
        if (dates_hijri_to_greg(hy, hm, hd, &y2, &m2, &d2) < 0 || y2 != y || m2 != m || d2 != d)
            bad++;
    }
    CHECK(bad == 0);
}

TEST("dates: offsets are bytes into the analysed text and cover the expression")
{
    const char *s = "قال المتحدث إن الاجتماع عقد في ١٢ يناير ٢٠٢١ بحضور الوزراء.";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2023-09-05", 0, &n, &d);
    CHECK(ds && n == 1);
    if (ds && n == 1) {
        size_t tl;
        const char *text = rasd_doc_text(d, &tl);
        const char *want = "١٢ يناير ٢٠٢١";
        CHECK(ds[0].end - ds[0].start == strlen(want));
        CHECK(memcmp(text + ds[0].start, want, strlen(want)) == 0);
        CHECK_STR(ds[0].value, "2021-01-12");
        CHECK(ds[0].kind == DATE_KIND_DATE && !ds[0].relative && !ds[0].hijri);
    }
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: a leading conjunction is left out of the span, a cue word is kept")
{
    const char *s = "وَالشهر الماضي ارتفعت الأسعار، وبتاريخ 5/6/2020 صدر القرار.";
    size_t n, tl;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2023-09-05", 0, &n, &d);
    CHECK(ds && n == 2);
    if (ds && n == 2) {
        const char *text = rasd_doc_text(d, &tl);
        CHECK(memcmp(text + ds[0].start, "الشهر", strlen("الشهر")) == 0);
        CHECK(memcmp(text + ds[1].start, "بتاريخ", strlen("بتاريخ")) == 0);
        CHECK_STR(ds[1].value, "2020-06-05");
    }
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: without a publication date relative expressions are kept as ?")
{
    const char *s = "وصل أمس وسيغادر الخميس المقبل، وكان هنا في 10 أيلول 2020.";
    const char *pubs[] = {NULL, "", "-", "2023-13-45", "yesterday"};
    for (size_t p = 0; p < sizeof pubs / sizeof pubs[0]; p++) {
        size_t n;
        rasd_doc *d;
        DateSpan *ds = find(s, strlen(s), pubs[p], 0, &n, &d);
        CHECK(ds && n == 3);
        if (ds && n == 3) {
            CHECK_STR(ds[0].value, "?");
            CHECK(ds[0].relative);
            CHECK_STR(ds[1].value, "?");
            CHECK_STR(ds[2].value, "2020-09-10");
            CHECK(!ds[2].relative);
        }
        free(ds);
        rasd_doc_free(d);
    }
}

TEST("dates: the publication date may carry a time after the day")
{
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find("وصل أمس", strlen("وصل أمس"), "2023-09-05T10:00:00+03:00", 0, &n, &d);
    CHECK(ds && n == 1 && strcmp(ds[0].value, "2023-09-04") == 0);
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: durations, repeated periods and vague references come only with DATES_TIMEX")
{
    const char *s = "استمرت الهدنة ثلاثة أيام، وتجتمع اللجنة أسبوعياً، وتغير الوضع في "
                    "السنوات الأخيرة، وغادر قبل يومين، وبقي هناك 12 عاما.";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2023-09-05", 0, &n, &d);
    CHECK(ds && n == 1 && strcmp(ds[0].value, "2023-09-03") == 0);
    free(ds);
    rasd_doc_free(d);
    ds = find(s, strlen(s), "2023-09-05", DATES_TIMEX, &n, &d);
    CHECK(ds && n == 5);
    if (ds && n == 5) {
        CHECK_STR(ds[0].value, "P3D");
        CHECK(ds[0].kind == DATE_KIND_DURATION);
        CHECK_STR(ds[1].value, "P1W");
        CHECK(ds[1].kind == DATE_KIND_SET);
        CHECK_STR(ds[2].value, "PAST_REF");
        CHECK(ds[2].kind == DATE_KIND_VAGUE);
        CHECK_STR(ds[3].value, "2023-09-03");
        CHECK_STR(ds[4].value, "P12Y");
    }
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: the default output is the TIMEX output without the non-calendar kinds")
{
    const char *s = "منذ عامين وخلال 45 يوماً وفي نهاية تموز وبين 2010 و2015 ولمدة شهر "
                    "والفترة العثمانية ويومياً وقبل أسبوع وأمس والأيام الخمسة الماضية.";
    size_t n1, n2;
    rasd_doc *d1, *d2;
    DateSpan *a = find(s, strlen(s), "2023-09-05", 0, &n1, &d1);
    DateSpan *b = find(s, strlen(s), "2023-09-05", DATES_TIMEX, &n2, &d2);
    CHECK(a && b && n2 > n1);
    size_t k = 0;
    for (size_t i = 0; a && b && i < n2; i++) {
        if (b[i].kind != DATE_KIND_DATE)
            continue;
        CHECK(k < n1 && a[k].start == b[i].start && a[k].end == b[i].end &&
              strcmp(a[k].value, b[i].value) == 0);
        k++;
    }
    CHECK(k == n1);
    free(a);
    free(b);
    rasd_doc_free(d1);
    rasd_doc_free(d2);
}

TEST("dates: prepositions set mod and parts of a period set part")
{
    const char *s = "منذ 2014 وقبل 1948 وبعد الحرب وخلال الشهر الجاري وفي مطلع العام "
                    "ومنذ أواخر عام 2017 ومنتصف الشهر.";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2023-09-05", 0, &n, &d);
    CHECK(ds && n == 6);
    if (ds && n == 6) {
        CHECK(ds[0].mod == DATE_MOD_SINCE && ds[0].part == DATE_PART_NONE);
        CHECK(ds[1].mod == DATE_MOD_BEFORE);
        CHECK(ds[2].mod == DATE_MOD_DURING);
        CHECK(ds[3].mod == DATE_MOD_NONE && ds[3].part == DATE_PART_EARLY);
        CHECK_STR(ds[3].value, "2023");
        CHECK(ds[4].mod == DATE_MOD_SINCE && ds[4].part == DATE_PART_LATE);
        CHECK_STR(ds[4].value, "2017");
        CHECK(ds[5].part == DATE_PART_MID);
    }
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: a Hijri date with its Gregorian equivalent is one date, the Gregorian value")
{
    const char *s = "صدر في 20 شعبان 1428 هـ الموافق 2 سبتمبر 2007 م. ونشر في 20 شعبان 1428 هـ.";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), NULL, 0, &n, &d);
    CHECK(ds && n == 2);
    if (ds && n == 2) {
        CHECK(ds[0].hijri && ds[1].hijri && !ds[0].relative);
        size_t tl;
        const char *text = rasd_doc_text(d, &tl);
        const char *want = "20 شعبان 1428 هـ الموافق 2 سبتمبر 2007 م";
        CHECK(ds[0].end - ds[0].start == strlen(want) &&
              memcmp(text + ds[0].start, want, strlen(want)) == 0);
        CHECK_STR(ds[0].value, "2007-09-02");
        /* alone, by Umm al-Qura (the tabular calendar would say 2007-09-03) */
        CHECK_STR(ds[1].value, "2007-09-02");
    }
    free(ds);
    rasd_doc_free(d);
    /* the writer's Gregorian day wins over our conversion, within 3 days;
       a Gregorian day without a year takes the Hijri date's year */
    const char *s2 = "عقد في 1 شوال 1444 هـ (22 أبريل) وفي 1 شوال 1444 هـ الموافق 30 مايو 2023.";
    ds = find(s2, strlen(s2), NULL, 0, &n, &d);
    CHECK(ds && n == 3);
    if (ds && n == 3) {
        CHECK_STR(ds[0].value, "2023-04-22");
        CHECK_STR(ds[1].value, "2023-04-21"); /* 39 days apart: two dates */
        CHECK_STR(ds[2].value, "2023-05-30");
    }
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: a dateline is flagged with its range; dates in sentences are not")
{
    const char *s = "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس\n"
                    "أعلنت الوزارة في 26 شوال 1436 هـ عن المشروع.";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2015-08-11", 0, &n, &d);
    CHECK(ds && n == 2);
    if (ds && n == 2) {
        CHECK(ds[0].dateline && !ds[1].dateline);
        CHECK_STR(ds[0].value, "2015-08-11");
        CHECK_STR(ds[1].value, "2015-08-11");
        const char *line = "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس";
        CHECK(ds[0].dateline_start == 0 && ds[0].dateline_end == strlen(line));
        uint32_t a = 9, b = 9;
        CHECK(dates_dateline_of(ds, n, &a, &b) == 1 && a == 0 && b == strlen(line));
        int found = 0;
        CHECK(dates_dateline(d, "2015-08-11", &found, &a, &b, NULL) == RASD_OK && found &&
              a == 0 && b == strlen(line));
        Buf out = {0};
        dates_format_json(d, ds, n, &out);
        char want_json[96];
        snprintf(want_json, sizeof want_json,
                 "\"dateline\":true,\"dateline_start\":0,\"dateline_end\":%zu}", strlen(line));
        CHECK(out.data && strstr(out.data, want_json));
        /* only the first date has it */
        CHECK(out.data && strstr(out.data, "dateline") == strstr(out.data, want_json) + 1);
        buf_free(&out);
    }
    free(ds);
    rasd_doc_free(d);
    const char *s3 = "أعلنت الوزارة أمس أن المعرض يفتتح في 26 أغسطس 2015 م.";
    ds = find(s3, strlen(s3), "2015-08-11", 0, &n, &d);
    uint32_t a, b;
    CHECK(ds && n == 2 && dates_dateline_of(ds, n, &a, &b) == 0);
    free(ds);
    int found = 1;
    CHECK(dates_dateline(d, "2015-08-11", &found, &a, &b, NULL) == RASD_OK && !found);
    rasd_doc_free(d);
}

TEST("dates: JSON output has text, value, offsets, and kind/mod/part when set")
{
    const char *s = "منذ \"بداية\" 2019 وخلال 3 أيام";
    size_t n;
    rasd_doc *d;
    DateSpan *ds = find(s, strlen(s), "2023-09-05", DATES_TIMEX, &n, &d);
    Buf out = {0};
    dates_format_json(d, ds, n, &out);
    CHECK(out.data && out.data[0] == '[' && out.data[out.len - 1] == ']');
    CHECK(out.data && strstr(out.data, "\"value\":\"P3D\"") && strstr(out.data, "\"kind\":\"duration\""));
    CHECK(out.data && strstr(out.data, "\"mod\":\"during\""));
    buf_free(&out);
    free(ds);
    rasd_doc_free(d);
}

TEST("dates: empty and date-free texts give no spans and no allocation")
{
    size_t n = 99;
    rasd_doc *d;
    DateSpan *ds = find("", 0, "2023-09-05", 0, &n, &d);
    CHECK(ds == NULL && n == 0);
    rasd_doc_free(d);
    ds = find("لا شيء هنا", strlen("لا شيء هنا"), "2023-09-05", DATES_TIMEX, &n, &d);
    CHECK(ds == NULL && n == 0);
    rasd_doc_free(d);
    CHECK(dates_find(NULL, NULL, 0, &ds, &n, NULL) == RASD_EINVAL);
}

/* n bytes of text made by repeating piece (then spaces). */
static char *repeat(const char *piece, size_t n)
{
    char *s = malloc(n + 1);
    size_t pl = strlen(piece), i = 0;
    while (i + pl <= n) {
        memcpy(s + i, piece, pl);
        i += pl;
    }
    memset(s + i, ' ', n - i);
    s[n] = 0;
    return s;
}

TEST("dates: a 1 MB article takes time linear in its length")
{
    const char *pieces[] = {
        ("قال الوزير أمس الخميس إن الاجتماع سيعقد من 10 أيلول الى 13 منه، "
         "وكان قد زار المدينة في 31/8/2023 وفي نهاية تموز وخلال الأيام الخمسة الماضية. "),
        /* cue words and separators that start many parses and finish none */
        "منذ قبل بعد خلال بتاريخ يوم من بين ( 1 / 2 / 3 / 4 - 5 - ",
        "يناير يناير تموز/يوليو/تموز 10 10 10 2020 2020 القرن القرن الماضي الماضي "};
    for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
        double t[2];
        size_t found[2];
        size_t sizes[2] = {1 << 17, 1 << 20};
        for (int k = 0; k < 2; k++) {
            char *s = repeat(pieces[p], sizes[k]);
            size_t n;
            rasd_doc *d;
            if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
                return;
            CHECK(rasd_text_analyse(ctx, s, sizes[k], &d, NULL) == RASD_OK);
            double t0 = now();
            DateSpan *ds = NULL;
            CHECK(dates_find(d, "2023-09-05", DATES_TIMEX, &ds, &n, NULL) == RASD_OK);
            t[k] = now() - t0;
            found[k] = n;
            free(ds);
            rasd_doc_free(d);
            free(s);
        }
        /* 8 times the text: allow 3x noise over linear, far below quadratic (64x) */
        CHECK(t[1] < 24 * t[0] + 0.05);
        CHECK(p == 1 || found[1] >= 7 * found[0]);
    }
}
