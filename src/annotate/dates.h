/*
 * dates.h — finds date expressions in analysed Arabic news text and
 * normalises them to calendar values: "10 أيلول" → 2023-09-10, "الشهر
 * الماضي" → 2023-08, "الخمسينيات" → 1950/1959, "من 10 أيلول الى 13 منه" →
 * 2023-09-10/2023-09-13, "20 شعبان 1428 هـ" → 2007-09-02.
 *
 * Values (DateSpan.value), as in the `dates` array of `rasd analyze`:
 *   "YYYY", "YYYY-MM", "YYYY-MM-DD"   one year, month or day
 *   "A/B"                             an inclusive range of two such values
 *                                     (decades, weeks, Hijri months and years
 *                                     converted to Gregorian days, من…إلى)
 *   "?"                               the expression needs the publication
 *                                     date (أمس، الشهر الماضي، 10 أيلول) and
 *                                     none was given: it is kept, never guessed
 * With DATES_TIMEX, expressions that are not calendar positions come too,
 * as TimeML does it: durations "P3D" "P2Y" "PXY" (X = unstated number),
 * repeated periods "P1W" (أسبوعياً), vague references "PAST_REF" (في
 * الأيام الأخيرة) and "FUTURE_REF". They are off by default because the
 * `dates` array promises calendar values.
 *
 * Conventions (the why is in dates.c):
 *   - Hijri dates are converted with the Umm al-Qura calendar (ICU's
 *     table, 1300–1600 AH; the tabular calendar outside it), see
 *     src/util/calendar.h. Sighting-based calendars elsewhere can differ
 *     from it by a day.
 *   - A date restated in the other calendar ("26 شوال 1436 هـ الموافق 11
 *     أغسطس 2015م", "18/9/1436هـ (5/7/2015م)") is one span whose value is
 *     the Gregorian one the writer gave (hijri is set); the two must agree
 *     within three days, else they are two dates.
 *   - A written weekday beats the publication date: "اليوم الأربعاء" in a
 *     page dated Thursday (a crawler's date) is the Wednesday.
 *   - A day and month right after a name head (حي، شارع، مدينة، قوى …) and
 *     without a year is part of a name ("حي واحد حزيران"): no span.
 *   - The article's dateline (its first line's place + date + agency, or a
 *     "تاريخ النشر:" line) is flagged: DateSpan.dateline and its range.
 *   - Weeks run Monday to Sunday (ISO 8601).
 *   - Parts of a period (مطلع، منتصف، أواخر، نهاية …) take the value of the
 *     whole period they qualify ("نهاية تموز" → 2023-07) and set
 *     DateSpan.part to DATE_PART_EARLY/MID/LATE: the value is never wrong and
 *     the caller can narrow it if it wants to.
 *   - منذ، قبل، بعد، خلال belong to the span (as in the Wojood corpus) and set
 *     mod; the value is the anchor they are relative to.
 *   - A month or day without a year takes the year that puts it nearest the
 *     publication date; الماضي / المقبل force before / after (but the
 *     publication's own month called المقبل is that month: "أغسطس المقبل"
 *     on an August page is written before the month is over), and a weekday
 *     alone is the latest one not after publication unless the sentence
 *     speaks of the future (a سـ verb, سوف, لن, المقرر …).
 *   - A decade alone (الخمسينيات) is the latest such decade that had ended
 *     by the publication year; without a publication date, the 20th century.
 */
#ifndef RASD_DATES_H
#define RASD_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "../util/util.h"

/* What a span names. */
enum {
    DATE_KIND_DATE = 1, /* a calendar position or range: the default output */
    DATE_KIND_DURATION, /* "ثلاثة أيام" → P3D (DATES_TIMEX only) */
    DATE_KIND_SET,      /* "أسبوعياً" → P1W (DATES_TIMEX only) */
    DATE_KIND_VAGUE     /* "في الأيام الأخيرة" → PAST_REF (DATES_TIMEX only) */
};

/* How a preposition in the span relates the event to the value. */
enum {
    DATE_MOD_NONE = 0,
    DATE_MOD_SINCE,  /* منذ */
    DATE_MOD_BEFORE, /* قبل */
    DATE_MOD_AFTER,  /* بعد */
    DATE_MOD_DURING  /* خلال، طوال */
};

/* Which part of the period the value names. */
enum {
    DATE_PART_NONE = 0,
    DATE_PART_EARLY, /* مطلع، بداية، أوائل */
    DATE_PART_MID,   /* منتصف، أواسط */
    DATE_PART_LATE   /* نهاية، أواخر */
};

/* Flags for dates_find. */
enum {
    DATES_TIMEX = 1 << 0 /* also durations, sets and vague references */
};

typedef struct DateSpan {
    uint32_t start, end; /* byte offsets into rasd_doc_text(), [start,end) */
    char value[48];      /* see the top of this file; NUL-terminated */
    uint8_t kind;        /* DATE_KIND_* */
    uint8_t mod;         /* DATE_MOD_* */
    uint8_t part;        /* DATE_PART_*: the value is the whole period */
    uint8_t hijri;       /* 1 if the text gave the date in the Hijri calendar */
    uint8_t relative;    /* 1 if the value was computed from the publication
                            date (or is "?" for want of one) */
    uint8_t dateline;    /* 1 if the date belongs to the article's dateline
                            ("الرياض 26 شوال 1436 هـ … واس", "تاريخ النشر: …"):
                            metadata, not an event of the story */
    uint32_t dateline_start, dateline_end; /* when dateline: the whole dateline,
                            bytes [start,end) of rasd_doc_text() */
} DateSpan;

/*
 * Finds the date expressions of d, left to right, never overlapping.
 * pubdate is the article's publication date ("YYYY-MM-DD", anything after
 * the tenth byte is ignored) or NULL / "" / "-" when unknown; a string
 * that is not a valid date counts as unknown. *out (malloc'd, *n entries,
 * NULL when *n is 0) is owned by the caller: free() it.
 */
rasd_err dates_find(const rasd_doc *d, const char *pubdate, unsigned flags, DateSpan **out,
                    size_t *n, rasd_error *err);

/*
 * The article's dateline ("الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م
 * واس"، "تاريخ النشر: 31 أغسطس 2023"): *found 1 and its bytes [*start,*end)
 * of rasd_doc_text(), or *found 0. A brief or timeline skips the text in
 * that range and the dates with DateSpan.dateline set: they date the
 * article, not an event. An error only when dates_find fails.
 */
rasd_err dates_dateline(const rasd_doc *d, const char *pubdate, int *found, uint32_t *start,
                        uint32_t *end, rasd_error *err);
/* The same from spans already found: 1 and the range, or 0 when none. */
int dates_dateline_of(const DateSpan *s, size_t n, uint32_t *start, uint32_t *end);

/* "text => value" lines, one per span, for golden tests and `rasd dates`
   (a dateline adds " [dateline: its text]"). */
void dates_format_lines(const rasd_doc *d, const DateSpan *s, size_t n, Buf *out);
/* A JSON array [{"text","value","start","end"}...] (kind, mod and part
   added when not the defaults; "dateline":true, "dateline_start",
   "dateline_end" for a dateline), the shape of the `dates` field of
   `rasd analyze`. */
void dates_format_json(const rasd_doc *d, const DateSpan *s, size_t n, Buf *out);

const char *dates_kind_name(int kind); /* "date", "duration", "set", "vague" */
const char *dates_mod_name(int mod);   /* "", "since", "before", "after", "during" */
const char *dates_part_name(int part); /* "", "early", "mid", "late" */

/* ---- calendar arithmetic: old names of src/util/calendar.h ------------- */
/* New code calls cal_* directly; these stay for existing callers. */

/* Days since 1970-01-01 of a proleptic Gregorian date (any valid y/m/d). */
long dates_days_from_civil(int y, int m, int d);
void dates_civil_from_days(long days, int *y, int *m, int *d);
/* Umm al-Qura date → Gregorian. 0 ok, -1 if the Hijri date is invalid. */
int dates_hijri_to_greg(int hy, int hm, int hd, int *y, int *m, int *d);
/* Gregorian → Umm al-Qura date. */
void dates_greg_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd);

#endif
