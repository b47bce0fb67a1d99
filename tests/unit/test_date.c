/*
 * test_date.c — publication dates in every form feeds and pages print,
 * as a table: input, then the normalised value (NULL = not a date).
 */
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"

typedef struct DateCase {
    const char *in;   /* as found in a feed or page */
    const char *want; /* normalised, or NULL */
} DateCase;

static const DateCase cases[] = {
    /* ISO 8601 */
    {"2023-08-31", "2023-08-31"},
    {"2023-08-31T14:03:00", "2023-08-31T14:03:00"},
    {"2023-08-31T14:03:00Z", "2023-08-31T14:03:00Z"},
    {"2023-08-31T14:03:00+03:00", "2023-08-31T14:03:00+03:00"},
    {"2023-08-31T14:03:00.123456+0300", "2023-08-31T14:03:00+03:00"},
    {"2023-08-31T14:03Z", "2023-08-31T14:03:00Z"},
    {"2023-08-31 14:03:07", "2023-08-31T14:03:07"},
    {"2023-08-31 14:03", "2023-08-31T14:03:00"},
    {"2023-08-31T14:03:00-05:30", "2023-08-31T14:03:00-05:30"},
    {"2023-08-31T14:03:00+00:00", "2023-08-31T14:03:00Z"},
    {"  2023-08-31T14:03:00.000Z  ", "2023-08-31T14:03:00Z"},
    {"20230831", "2023-08-31"},
    {"20230831T140300Z", "2023-08-31T14:03:00Z"},
    /* RFC 822 / 1123 */
    {"Tue, 05 Sep 2023 14:03:00 GMT", "2023-09-05T14:03:00Z"},
    {"Tue, 05 Sep 2023 14:03:00 +0300", "2023-09-05T14:03:00+03:00"},
    {"Tue, 5 Sep 2023 14:03 EST", "2023-09-05T14:03:00-05:00"},
    {"05 Sep 23 14:03:00 UT", "2023-09-05T14:03:00Z"},
    {"Thu Aug 31 2023 14:03:00 GMT+0300 (Arabian Standard Time)", "2023-08-31T14:03:00+03:00"},
    /* English prose forms */
    {"31st, August 2023 GMT", "2023-08-31"},
    {"August 31, 2023", "2023-08-31"},
    {"31 August 2023", "2023-08-31"},
    {"Aug. 31, 2023 2:30 PM", "2023-08-31T14:30:00"},
    {"1st September 2023", "2023-09-01"},
    {"September 2nd, 2023 12:15 am", "2023-09-02T00:15:00"},
    /* numeric, day first */
    {"31/08/2023", "2023-08-31"},
    {"31-08-2023 09:15", "2023-08-31T09:15:00"},
    {"31.08.2023", "2023-08-31"},
    {"2023/08/31", "2023-08-31"},
    {"1/9/2023", "2023-09-01"},
    {"08/31/2023", "2023-08-31"}, /* day-first impossible: month first */
    {"٣١/٠٨/٢٠٢٣", "2023-08-31"},
    {"٢٠٢٣/٠٩/١٤", "2023-09-14"},
    /* Arabic month names, Egyptian and Gulf */
    {"٣١ أغسطس ٢٠٢٣", "2023-08-31"},
    {"الخميس 31 أغسطس 2023", "2023-08-31"},
    {"الخميس، 31 أغسطس 2023 02:00 م", "2023-08-31T14:00:00"},
    {"الأحد 10 سبتمبر 2023 - 09:20 صباحاً", "2023-09-10T09:20:00"},
    {"5 يناير 2024", "2024-01-05"},
    {"١ إبريل ٢٠٢٣", "2023-04-01"},
    {"12 يونيه 2022", "2022-06-12"},
    {"29 فبراير 2024", "2024-02-29"},
    {"3 ديسمبر 2023م", "2023-12-03"},
    {"31 يوليو/تموز 2023", "2023-07-31"},
    {"٧ سبتمبر/ أيلول ٢٠٢٣", "2023-09-07"},
    {"الأربعاء - 21 صفر 1445 هـ - 06 سبتمبر 2023 مـ", "2023-09-06"},
    /* Levantine and Iraqi */
    {"15 أيلول 2023", "2023-09-15"},
    {"2 كانون الثاني 2024", "2024-01-02"},
    {"25 كانون الأول 2023", "2023-12-25"},
    {"9 تشرين الأول 2023", "2023-10-09"},
    {"11 تشرين الثاني 2023", "2023-11-11"},
    {"1 آذار 2022", "2022-03-01"},
    {"14 شباط 2023", "2023-02-14"},
    {"20 آب 2023", "2023-08-20"},
    {"17 حزيران 2021", "2021-06-17"},
    /* Maghrebi */
    {"الخميس 27 جويلية 2023 - 10:15", "2023-07-27T10:15:00"},
    {"3 جانفي 2023", "2023-01-03"},
    {"14 فيفري 2023", "2023-02-14"},
    {"8 أفريل 2023", "2023-04-08"},
    {"1 ماي 2023", "2023-05-01"},
    {"19 جوان 2023", "2023-06-19"},
    {"15 أوت 2023", "2023-08-15"},
    {"20 غشت 2023", "2023-08-20"},
    {"4 دجنبر 2022", "2022-12-04"},
    /* not dates, or impossible ones */
    {"1693490580", NULL},
    {"1693490580000", NULL},
    {"", NULL},
    {"أمس", NULL},
    {"فبراير 2022", NULL},        /* no day */
    {"31 فبراير 2023", NULL},     /* no such day */
    {"29 فبراير 2023", NULL},     /* not a leap year */
    {"2023-13-01", NULL},
    {"2023-02-30", NULL},
    {"1850-01-01", NULL},
    {"31/08/2250", NULL},
    {"16/02/1445", "2023-09-01"}, /* Hijri (Umm al-Qura), src/util/calendar.c */
    {"2023-08-31T25:00:00", "2023-08-31"}, /* a bad clock time is dropped, the day kept */
    {"version 1.2.3", NULL},
    {"31 August", NULL},
};

TEST("date: every case in the table normalises as expected")
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = ingest_parse_date(cases[i].in, strlen(cases[i].in));
        int ok = (!got && !cases[i].want) || (got && cases[i].want && !strcmp(got, cases[i].want));
        if (!ok)
            harness_fail(__FILE__, __LINE__, "ingest_parse_date(\"%s\")\n    expected: %s\n    actual:   %s",
                         cases[i].in, cases[i].want ? cases[i].want : "(null)",
                         got ? got : "(null)");
        free(got);
    }
}

TEST("date: the length argument is honoured, the string need not end with NUL")
{
    const char s[] = "2023-08-31T14:03:00Zgarbage";
    char *d = ingest_parse_date(s, 10);
    CHECK_STR(d, "2023-08-31");
    free(d);
    const char t[] = {'3', '1', '/', '0', '8', '/', '2', '0', '2', '3'};
    d = ingest_parse_date(t, sizeof t);
    CHECK_STR(d, "2023-08-31");
    free(d);
}

TEST("date: NULL, huge and binary input give NULL without reading past the end")
{
    CHECK(ingest_parse_date(NULL, 5) == NULL);
    char big[4096];
    memset(big, '9', sizeof big);
    CHECK(ingest_parse_date(big, sizeof big) == NULL);
    const char bin[] = {(char)0xD9, (char)0xA3, (char)0xFF, '/', (char)0xE2};
    char *d = ingest_parse_date(bin, sizeof bin);
    free(d);
    CHECK(1);
}

TEST("ingest_valid_date: the ISO 8601 subset rasd stores, and nothing else")
{
    static const char *const good[] = {
        "2015", "2015-07", "2015-07-21", "2016-02-29", "2015-07-21T10:30", "2015-07-21T10:30:15",
        "2015-07-21T10:30:15.123", "2015-07-21T10:30:15Z", "2015-07-21T10:30:15+03:00",
        "2015-07-21T10:30-05:30",
    };
    static const char *const bad[] = {
        "", "15", "2015-7-21", "2015-13-01", "2015-00-10", "2015-02-29", "2015-04-31",
        "2015-07-21 10:30", "2015-07-21t10:30", "2015-07-21T24:00", "2015-07-21T10:60",
        "2015-07-21T10:30:15z", "2015-07-21T10:30:15+0300", "2015-07-21T10:30:15+15:00",
        "2015-07-21T10:30:15.", "2015-07-21T10", "2015-07-21Z", "0999-01-01", "yesterday",
        "2015-07-21T10:30:15Z ", " 2015-07-21", "21/07/2015", "2015-07-21\x1b[31m",
        "١٤٣٦-١٠-٠٥", "2015-07-21T23:59:60Z",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!ingest_valid_date(good[i]))
            harness_fail(__FILE__, __LINE__, "refused a valid date: %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (ingest_valid_date(bad[i]))
            harness_fail(__FILE__, __LINE__, "accepted a non-date: %s", bad[i]);
    CHECK(!ingest_valid_date(NULL));
}

TEST("ingest_valid_date: every date the date parser normalises to passes")
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (!cases[i].want)
            continue;
        if (!ingest_valid_date(cases[i].want))
            harness_fail(__FILE__, __LINE__, "normalised date refused: %s", cases[i].want);
    }
}
