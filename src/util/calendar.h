/*
 * calendar.h — the one calendar module: Gregorian day arithmetic, weekdays,
 * Hijri (Umm al-Qura) ↔ Gregorian conversion, and the check that a string
 * is an ISO 8601 date or timestamp. Used by the publication-date parser
 * (src/ingest/date.c), the date recogniser (src/annotate/dates.c) and
 * anything that turns a date into a day number.
 *
 * Day numbers are days since 1970-01-01 (negative before), in the
 * proleptic Gregorian calendar.
 *
 * Hijri dates follow the Umm al-Qura calendar of Saudi Arabia (ICU's
 * "islamic-umalqura") for the years ICU has its table for, 1300–1600 AH
 * (1882–2174 CE); outside those years, and if ICU cannot be opened, the
 * tabular Islamic calendar (civil epoch), which is what ICU itself falls
 * back to. The two differ by a day, rarely two, in about half the months.
 * All functions are thread-safe; the Umm al-Qura table is built once, on
 * first use.
 */
#ifndef RASD_CALENDAR_H
#define RASD_CALENDAR_H

/* ---- Gregorian ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (any valid y/m/d). */
long cal_days_from_civil(int y, int m, int d);
/* The Gregorian date of a day number. */
void cal_civil_from_days(long days, int *y, int *m, int *d);
int cal_is_leap(int y);
int cal_days_in_month(int y, int m); /* m in 1..12 */
/* 1 if y-m-d is a real date with 1 <= y <= 9999, else 0. */
int cal_valid_ymd(int y, int m, int d);
/* Weekday of a day number: 0 = Sunday … 6 = Saturday. */
int cal_weekday(long days);

/* ---- Hijri (Umm al-Qura) ------------------------------------------------- */

#define CAL_UQ_FIRST 1300 /* first and last Hijri year of the Umm al-Qura table */
#define CAL_UQ_LAST 1600

/* Days in Hijri month hm (1..12) of year hy (29 or 30); 0 if out of range. */
int cal_hijri_month_len(int hy, int hm);
/* Day number of a Hijri date: 0 ok, -1 if the date is invalid (day 30 of
   a 29-day month, month 13, year < 1 or > 9000). */
int cal_hijri_to_days(int hy, int hm, int hd, long *days);
/* The same as a Gregorian date. 0 ok, -1 invalid. */
int cal_hijri_to_greg(int hy, int hm, int hd, int *y, int *m, int *d);
/* The Hijri date of a day number (day numbers before 1 AH give 1-1-1). */
void cal_days_to_hijri(long days, int *hy, int *hm, int *hd);
void cal_greg_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd);
/* "umalqura" when ICU's table is in use, "tabular" when ICU failed to open. */
const char *cal_hijri_source(void);

/* The tabular Islamic calendar (30-year cycle, leap years 2 5 7 10 13 16 18
   21 24 26 29, civil epoch), exposed for tests and comparison. */
int cal_tabular_to_days(int hy, int hm, int hd, long *days);

/* ---- ISO 8601 at the door -------------------------------------------------- */

/*
 * 1 if s is exactly one of
 *   YYYY   YYYY-MM   YYYY-MM-DD
 *   YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]
 * with a real calendar date (year 0001–9999), hours 00–23, minutes and
 * seconds 00–59, zone hours 00–14; else 0 (NULL, "", "yesterday",
 * "2023-02-30", "2023-08-31 14:03", markup). Upper-case T and Z only.
 */
int cal_valid_iso_date(const char *s);

#endif
