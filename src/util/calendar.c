/*
 * calendar.c — Gregorian day numbers, weekdays, Hijri ↔ Gregorian, and the
 * ISO 8601 check used when a publication date enters the system.
 *
 * Gregorian: Howard Hinnant's days_from_civil / civil_from_days, exact
 * for the proleptic calendar and branch-light.
 *
 * Hijri: Saudi outlets date by Umm al-Qura, an astronomical calendar with
 * no formula, so on first use we ask ICU (ucal_* with the locale
 * "@calendar=islamic-umalqura") for the first day of every month of
 * 1300–1600 AH and keep those 3,613 day numbers in a table. After that a
 * conversion is an index (Hijri → day) or a binary search (day → Hijri),
 * no ICU object is touched per call, and threads share the table read
 * only (built under pthread_once). Outside the table, or if ICU fails,
 * we use the tabular calendar, as ICU does outside its table; it
 * disagrees with Umm al-Qura by a day in about half the months (26 Shawwal
 * 1436 is 11 August 2015 by Umm al-Qura, 12 August by the tabular rule).
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include <unicode/ucal.h>

#include "calendar.h"

/* ======================================================================
 * Gregorian
 * ==================================================================== */

long cal_days_from_civil(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)mm;
    *y = (int)(yoe + era * 400 + (mm <= 2));
}

int cal_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int cal_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && cal_is_leap(y) ? 29 : dm[m - 1];
}

int cal_valid_ymd(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= cal_days_in_month(y, m);
}

int cal_weekday(long days)
{
    return (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

/* ======================================================================
 * Tabular Islamic calendar: 30-year cycles of 10631 days, months of 30
 * and 29 days alternating, the 12th month 30 days in the 11 leap years.
 * Civil epoch: 1 Muharram 1 AH = Julian day number 1948440.
 * ==================================================================== */

#define HIJRI_EPOCH_JDN 1948440L
#define UNIX_EPOCH_JDN 2440588L
#define HIJRI_MAX_YEAR 9000

static long tab_days(long hy, int hm, int hd)
{
    return hd + (59L * (hm - 1) + 1) / 2 + (hy - 1) * 354 + (3 + 11 * hy) / 30 + HIJRI_EPOCH_JDN -
           1 - UNIX_EPOCH_JDN;
}

static int tab_month_len(long hy, int hm)
{
    if (hm % 2 == 1)
        return 30;
    if (hm == 12 && (14 + 11 * hy) % 30 < 11)
        return 30;
    return 29;
}

int cal_tabular_to_days(int hy, int hm, int hd, long *days)
{
    if (hy < 1 || hy > HIJRI_MAX_YEAR || hm < 1 || hm > 12 || hd < 1 ||
        hd > tab_month_len(hy, hm))
        return -1;
    *days = tab_days(hy, hm, hd);
    return 0;
}

static void tab_from_days(long days, int *hy, int *hm, int *hd)
{
    long jd = days + UNIX_EPOCH_JDN;
    long yy = jd > HIJRI_EPOCH_JDN ? (30 * (jd - HIJRI_EPOCH_JDN) + 10646) / 10631 : 1;
    if (yy < 1)
        yy = 1;
    while (yy < HIJRI_MAX_YEAR && tab_days(yy + 1, 1, 1) <= days)
        yy++;
    while (yy > 1 && tab_days(yy, 1, 1) > days)
        yy--;
    if (days < tab_days(1, 1, 1)) {
        *hy = 1, *hm = 1, *hd = 1;
        return;
    }
    int mm = 1;
    while (mm < 12 && tab_days(yy, mm + 1, 1) <= days)
        mm++;
    *hy = (int)yy;
    *hm = mm;
    *hd = (int)(days - tab_days(yy, mm, 1) + 1);
}

/* ======================================================================
 * Umm al-Qura: month starts from ICU
 * ==================================================================== */

#define UQ_MONTHS ((CAL_UQ_LAST - CAL_UQ_FIRST + 1) * 12)

static long uq_start[UQ_MONTHS + 1]; /* day number of the 1st of each month, then 1 Muharram of LAST+1 */
static int uq_ok;                    /* 1 once the table is built and checked */
static pthread_once_t uq_once = PTHREAD_ONCE_INIT;

static void uq_build(void)
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *c = ucal_open(utc, -1, "@calendar=islamic-umalqura", UCAL_DEFAULT, &st);
    if (U_FAILURE(st) || !c) {
        if (c)
            ucal_close(c);
        return;
    }
    for (int i = 0; i <= UQ_MONTHS && U_SUCCESS(st); i++) {
        ucal_clear(c);
        ucal_setDate(c, CAL_UQ_FIRST + i / 12, i % 12 /* UCAL_JANUARY = 0 */, 1, &st);
        UDate ms = ucal_getMillis(c, &st);
        double days = ms / 86400000.0;
        long whole = (long)days;
        if (whole > days)
            whole--; /* floor for dates before 1970 */
        uq_start[i] = whole;
    }
    ucal_close(c);
    if (U_FAILURE(st))
        return;
    for (int i = 0; i < UQ_MONTHS; i++) {
        long len = uq_start[i + 1] - uq_start[i];
        if (len < 29 || len > 30)
            return; /* not the calendar we asked for: keep the tabular one */
    }
    uq_ok = 1;
}

static int uq_ready(void)
{
    pthread_once(&uq_once, uq_build);
    return uq_ok;
}

const char *cal_hijri_source(void) { return uq_ready() ? "umalqura" : "tabular"; }

int cal_hijri_month_len(int hy, int hm)
{
    if (hy < 1 || hy > HIJRI_MAX_YEAR || hm < 1 || hm > 12)
        return 0;
    if (uq_ready() && hy >= CAL_UQ_FIRST && hy <= CAL_UQ_LAST) {
        int i = (hy - CAL_UQ_FIRST) * 12 + hm - 1;
        return (int)(uq_start[i + 1] - uq_start[i]);
    }
    return tab_month_len(hy, hm);
}

int cal_hijri_to_days(int hy, int hm, int hd, long *days)
{
    int len = cal_hijri_month_len(hy, hm);
    if (!len || hd < 1 || hd > len)
        return -1;
    if (uq_ready() && hy >= CAL_UQ_FIRST && hy <= CAL_UQ_LAST)
        *days = uq_start[(hy - CAL_UQ_FIRST) * 12 + hm - 1] + hd - 1;
    else
        *days = tab_days(hy, hm, hd);
    return 0;
}

int cal_hijri_to_greg(int hy, int hm, int hd, int *y, int *m, int *d)
{
    long days;
    if (cal_hijri_to_days(hy, hm, hd, &days) < 0)
        return -1;
    cal_civil_from_days(days, y, m, d);
    return 0;
}

void cal_days_to_hijri(long days, int *hy, int *hm, int *hd)
{
    if (uq_ready() && days >= uq_start[0] && days < uq_start[UQ_MONTHS]) {
        size_t lo = 0, hi = UQ_MONTHS; /* uq_start[lo] <= days < uq_start[hi] */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (uq_start[mid] <= days)
                lo = mid;
            else
                hi = mid;
        }
        *hy = CAL_UQ_FIRST + (int)(lo / 12);
        *hm = (int)(lo % 12) + 1;
        *hd = (int)(days - uq_start[lo]) + 1;
        return;
    }
    tab_from_days(days, hy, hm, hd);
}

void cal_greg_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd)
{
    cal_days_to_hijri(cal_days_from_civil(y, m, d), hy, hm, hd);
}

/* ======================================================================
 * ISO 8601 check
 * ==================================================================== */

/* Reads exactly n digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The time part after 'T': HH:MM[:SS[.frac]][Z|±HH:MM], to the end. */
static int valid_time(const char *s)
{
    int h = digits(s, 2);
    if (h < 0 || h > 23 || s[2] != ':')
        return 0;
    int mi = digits(s + 3, 2);
    if (mi < 0 || mi > 59)
        return 0;
    s += 5;
    if (*s == ':') {
        int sec = digits(s + 1, 2);
        if (sec < 0 || sec > 59)
            return 0;
        s += 3;
        if (*s == '.') {
            int n = 0;
            s++;
            while (*s >= '0' && *s <= '9' && n <= 9)
                s++, n++;
            if (n < 1 || n > 9)
                return 0;
        }
    }
    if (*s == 'Z')
        return s[1] == 0;
    if (*s == '+' || *s == '-') {
        int zh = digits(s + 1, 2);
        if (zh < 0 || zh > 14 || s[3] != ':')
            return 0;
        int zm = digits(s + 4, 2);
        return zm >= 0 && zm <= 59 && s[6] == 0;
    }
    return *s == 0;
}

int cal_valid_iso_date(const char *s)
{
    if (!s)
        return 0;
    /* digits() stops at the first non-digit, so the NUL ends every read
       before it can run past the string */
    int y = digits(s, 4);
    if (y < 1)
        return 0;
    if (s[4] == 0)
        return 1;
    if (s[4] != '-')
        return 0;
    int m = digits(s + 5, 2);
    if (m < 1 || m > 12)
        return 0;
    if (s[7] == 0)
        return 1;
    if (s[7] != '-')
        return 0;
    int d = digits(s + 8, 2);
    if (d < 1 || !cal_valid_ymd(y, m, d))
        return 0;
    if (s[10] == 0)
        return 1;
    if (s[10] != 'T')
        return 0;
    return valid_time(s + 11);
}
