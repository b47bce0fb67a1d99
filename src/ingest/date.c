/*
 * date.c — publication dates in the forms feeds and pages use, normalised
 * to "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" plus a zone ("Z", "+03:00")
 * when one is given.
 *
 * Main idea: fold the string once (Arabic-Indic digits to ASCII, ASCII to
 * lower case, hamza forms of alef to bare alef, tashkeel and tatweel
 * dropped), cut it into tokens (numbers, words, clock times, zone offsets,
 * punctuation), then read it two ways: a numeric triple ("2023-08-31",
 * "31/08/2023") or a month name anchored by the numbers next to it
 * ("31 أغسطس 2023", "August 31, 2023", "Tue, 05 Sep 2023"). Words we do not
 * know (weekdays, "الموافق") are ignored. A bare number is never a date, so
 * Unix timestamps give NULL. No locale is consulted.
 *
 * Hijri dates ("26 شوال 1436 هـ", "26/10/1436هـ") are read last, when no
 * Gregorian date is in the string (a Saudi page that prints both, "26 شوال
 * 1436 هـ الموافق 11 أغسطس 2015م", is dated by the Gregorian one), and
 * converted by the Umm al-Qura calendar (src/util/calendar.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "../util/calendar.h"

enum { T_NUM = 1, T_WORD, T_TIME, T_ZONE, T_SEP };

typedef struct DTok {
    int type;      /* T_* */
    long val;      /* T_NUM: value (capped); T_ZONE: offset in minutes east of UTC */
    int ndig;      /* T_NUM: digits written (leading zeros count) */
    int ordinal;   /* T_NUM: had st/nd/rd/th */
    int hijri;     /* T_NUM: had a هـ suffix (Hijri year: never a Gregorian one) */
    int h, m, s;   /* T_TIME: clock fields; s = 0 when not written */
    const char *w; /* T_WORD: folded bytes (points into the folded copy) */
    size_t wlen;   /* T_WORD: bytes in w */
    char sep;      /* T_SEP: the punctuation byte ('/', '-', '.', ',', ...) */
    int space_before; /* white space separated this token from the previous one */
} DTok;

#define MAX_TOKS 48

/* Appends the folded form of s to out: see the file comment. */
static void fold(const char *s, size_t n, Buf *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            char o = (char)c;
            if (c >= 'A' && c <= 'Z')
                o = (char)(c + 32);
            else if (c < 0x20)
                o = ' ';
            buf_putc(out, o);
            i++;
            continue;
        }
        size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
        if (i + len > n)
            len = n - i;
        unsigned cp = 0;
        if (len == 2)
            cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
        else if (len == 3)
            cp = ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
                 ((unsigned char)s[i + 2] & 0x3Fu);
        if (cp >= 0x0660 && cp <= 0x0669)
            buf_putc(out, (char)('0' + (cp - 0x0660)));
        else if (cp >= 0x06F0 && cp <= 0x06F9)
            buf_putc(out, (char)('0' + (cp - 0x06F0)));
        else if (cp == 0x060C || cp == 0x066B || cp == 0x066C)
            buf_putc(out, ',');
        else if (cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x202F ||
                 cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E))
            buf_putc(out, ' ');
        else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212)
            buf_putc(out, '-');
        else if ((cp >= 0x064B && cp <= 0x0652) || cp == 0x0640 || cp == 0x0670)
            ; /* tashkeel, tatweel, dagger alef */
        else if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625 || cp == 0x0671)
            buf_append(out, "\xD8\xA7", 2); /* ا */
        else if (cp == 0x0649)
            buf_append(out, "\xD9\x8A", 2); /* ى → ي */
        else if (cp == 0x0629)
            buf_append(out, "\xD9\x87", 2); /* ة → ه */
        else
            buf_append(out, s + i, len);
        i += len;
    }
}

static int is_alpha_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* Reads up to maxd digits at p[*i]; returns the count, value in *v. */
static int read_digits(const char *p, size_t n, size_t *i, int maxd, long *v)
{
    int d = 0;
    long x = 0;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9' && d < maxd) {
        x = x * 10 + (p[*i] - '0');
        (*i)++;
        d++;
    }
    *v = x;
    return d;
}

/* Parses "+03:00", "+0300", "+03" at p[*i]; 1 on success with *mins set. */
static int read_offset(const char *p, size_t n, size_t *i, long *mins)
{
    size_t j = *i;
    if (j >= n || (p[j] != '+' && p[j] != '-'))
        return 0;
    int neg = p[j] == '-';
    j++;
    long hh = 0, mm = 0;
    if (read_digits(p, n, &j, 2, &hh) != 2)
        return 0;
    if (j < n && p[j] == ':')
        j++;
    size_t k = j;
    int d = read_digits(p, n, &k, 2, &mm);
    if (d == 2)
        j = k;
    else
        mm = 0;
    if (j < n && p[j] >= '0' && p[j] <= '9')
        return 0;
    if (hh > 14 || mm > 59)
        return 0;
    *mins = (neg ? -1 : 1) * (hh * 60 + mm);
    *i = j;
    return 1;
}

static int word_is(const DTok *t, const char *w)
{
    return t->type == T_WORD && t->wlen == strlen(w) && memcmp(t->w, w, t->wlen) == 0;
}

/* Splits the folded text into tokens; returns how many. */
static int tokenize(const char *p, size_t n, DTok *toks)
{
    int nt = 0;
    size_t i = 0;
    int space = 0;
    while (i < n && nt < MAX_TOKS) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ') {
            space = 1;
            i++;
            continue;
        }
        DTok *t = &toks[nt];
        memset(t, 0, sizeof *t);
        t->space_before = space;
        space = 0;
        DTok *prev = nt ? &toks[nt - 1] : NULL;
        if (c >= '0' && c <= '9') {
            long v;
            int d = read_digits(p, n, &i, 12, &v);
            while (i < n && p[i] >= '0' && p[i] <= '9') { /* absurdly long: count only */
                i++;
                d++;
            }
            /* clock time h:mm[:ss[.frac]] */
            if (d <= 2 && i + 2 < n && p[i] == ':' && p[i + 1] >= '0' && p[i + 1] <= '9') {
                long mm = 0, ss = 0;
                size_t j = i + 1;
                if (read_digits(p, n, &j, 2, &mm) == 2) {
                    int has_s = 0;
                    if (j + 1 < n && p[j] == ':' && p[j + 1] >= '0' && p[j + 1] <= '9') {
                        size_t k = j + 1;
                        if (read_digits(p, n, &k, 2, &ss) == 2) {
                            j = k;
                            has_s = 1;
                        }
                    }
                    if (has_s && j + 1 < n && (p[j] == '.' || p[j] == ',') && p[j + 1] >= '0' &&
                        p[j + 1] <= '9') {
                        j++;
                        while (j < n && p[j] >= '0' && p[j] <= '9')
                            j++;
                    }
                    t->type = T_TIME;
                    t->h = (int)v;
                    t->m = (int)mm;
                    t->s = (int)ss;
                    i = j;
                    nt++;
                    continue;
                }
            }
            t->type = T_NUM;
            t->val = v;
            t->ndig = d;
            /* ordinal suffix, or an attached era letter (2023م, 1445هـ) */
            if (i + 1 < n && ((p[i] == 's' && p[i + 1] == 't') || (p[i] == 'n' && p[i + 1] == 'd') ||
                              (p[i] == 'r' && p[i + 1] == 'd') || (p[i] == 't' && p[i + 1] == 'h')) &&
                (i + 2 >= n || !is_alpha_byte((unsigned char)p[i + 2]))) {
                t->ordinal = 1;
                i += 2;
            } else if (i + 1 < n && memcmp(p + i, "\xD9\x85", 2) == 0 &&
                       (i + 2 >= n || !is_alpha_byte((unsigned char)p[i + 2]))) {
                i += 2; /* م: anno Domini */
            } else if (i + 1 < n && memcmp(p + i, "\xD9\x87", 2) == 0 &&
                       (i + 2 >= n || !is_alpha_byte((unsigned char)p[i + 2]))) {
                t->hijri = 1;
                i += 2;
            }
            nt++;
            continue;
        }
        if ((c == '+' || c == '-') && prev &&
            (prev->type == T_TIME || word_is(prev, "gmt") || word_is(prev, "utc"))) {
            long mins;
            size_t j = i;
            if (read_offset(p, n, &j, &mins)) {
                t->type = T_ZONE;
                t->val = mins;
                i = j;
                nt++;
                continue;
            }
        }
        if (is_alpha_byte(c)) {
            size_t j = i;
            while (j < n && is_alpha_byte((unsigned char)p[j]))
                j++;
            /* ISO "T" between date and time, or "Z" after a time */
            if (j - i == 1 && c == 't' && j < n && p[j] >= '0' && p[j] <= '9') {
                i = j;
                space = 1;
                continue;
            }
            t->type = T_WORD;
            t->w = p + i;
            t->wlen = j - i;
            i = j;
            nt++;
            continue;
        }
        t->type = T_SEP;
        t->sep = (char)c;
        i++;
        nt++;
    }
    return nt;
}

typedef struct MonthName {
    const char *name; /* folded spelling */
    int month;        /* 1..12 */
} MonthName;

static const MonthName months[] = {
    /* English and abbreviations */
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7},
    {"august", 8}, {"aug", 8}, {"september", 9}, {"sep", 9}, {"sept", 9}, {"october", 10},
    {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12},
    /* French (Maghrebi sites) */
    {"janvier", 1}, {"fevrier", 2}, {"f\xC3\xA9vrier", 2}, {"mars", 3}, {"avril", 4},
    {"mai", 5}, {"juin", 6}, {"juillet", 7}, {"aout", 8}, {"ao\xC3\xBBt", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12},
    {"d\xC3\xA9" "cembre", 12},
    /* Arabic, Egyptian/Gulf names (folded: alef forms → ا, ة → ه) */
    {"يناير", 1}, {"فبراير", 2}, {"مارس", 3}, {"ابريل", 4}, {"مايو", 5}, {"يونيو", 6},
    {"يونيه", 6}, {"يوليو", 7}, {"يوليه", 7}, {"اغسطس", 8}, {"اغسطوس", 8},
    {"سبتمبر", 9}, {"اكتوبر", 10}, {"نوفمبر", 11}, {"ديسمبر", 12},
    /* Levantine/Iraqi (كانون and تشرين are two-word names, handled apart) */
    {"شباط", 2}, {"اذار", 3}, {"نيسان", 4}, {"ايار", 5}, {"حزيران", 6}, {"تموز", 7},
    {"اب", 8}, {"ايلول", 9},
    /* Maghrebi: Algeria/Tunisia, Morocco */
    {"جانفي", 1}, {"فيفري", 2}, {"افريل", 4}, {"ماي", 5}, {"جوان", 6}, {"جويليه", 7},
    {"جويلية", 7}, {"يوليوز", 7}, {"اوت", 8}, {"غشت", 8}, {"شتنبر", 9}, {"نونبر", 11},
    {"دجنبر", 12},
};

/* Month of the word at toks[k] (1..12) or 0; *span = tokens it uses. */
static int month_at(const DTok *toks, int nt, int k, int *span)
{
    const DTok *t = &toks[k];
    *span = 1;
    if (t->type != T_WORD)
        return 0;
    int first = word_is(t, "كانون"), second = word_is(t, "تشرين");
    if (first || second) {
        if (k + 1 < nt) {
            const DTok *u = &toks[k + 1];
            int which = 0;
            if (word_is(u, "الثاني") || word_is(u, "ثاني"))
                which = 2;
            else if (word_is(u, "الاول") || word_is(u, "اول"))
                which = 1;
            if (which) {
                *span = 2;
                if (first)
                    return which == 2 ? 1 : 12;
                return which == 1 ? 10 : 11;
            }
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
        if (word_is(t, months[i].name))
            return months[i].month;
    return 0;
}

/* Hijri month at toks[k] (1..12) or 0; *span = tokens it uses. */
static int hijri_month_at(const DTok *toks, int nt, int k, int *span)
{
    static const struct {
        const char *w;    /* folded first word */
        const char *next; /* folded second word, or NULL for a one-word name */
        int month;
    } names[] = {
        {"محرم", NULL, 1},          {"المحرم", NULL, 1},        {"صفر", NULL, 2},
        {"ربيع", "الاول", 3},       {"ربيع", "اول", 3},         {"ربيع", "الثاني", 4},
        {"ربيع", "الاخر", 4},       {"ربيع", "ثاني", 4},        {"ربيع", "اخر", 4},
        {"جمادي", "الاولي", 5},     {"جمادي", "الاول", 5},      {"جمادي", "اولي", 5},
        {"جمادي", "الاخره", 6},     {"جمادي", "الثانيه", 6},    {"جمادي", "الاخر", 6},
        {"جمادي", "الثاني", 6},     {"رجب", NULL, 7},           {"شعبان", NULL, 8},
        {"رمضان", NULL, 9},         {"شوال", NULL, 10},         {"ذو", "القعده", 11},
        {"ذي", "القعده", 11},       {"ذا", "القعده", 11},       {"ذو", "الحجه", 12},
        {"ذي", "الحجه", 12},        {"ذا", "الحجه", 12},
    };
    *span = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!word_is(&toks[k], names[i].w))
            continue;
        if (!names[i].next)
            return names[i].month;
        if (k + 1 < nt && word_is(&toks[k + 1], names[i].next)) {
            *span = 2;
            return names[i].month;
        }
    }
    return 0;
}

/* Is toks[k] a Hijri era word (هـ folds to ه, هجري, هجريه)? */
static int hijri_era(const DTok *toks, int nt, int k)
{
    return k < nt && (word_is(&toks[k], "ه") || word_is(&toks[k], "هجري") ||
                      word_is(&toks[k], "هجريه") || word_is(&toks[k], "للهجره"));
}

/* A publication date: a real day (src/util/calendar.c) in 1900–2100. */
static int valid_ymd(long y, long m, long d)
{
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
           cal_valid_ymd((int)y, (int)m, (int)d);
}

/* Zone written after a clock time: token offset or a named zone. */
static int zone_after(const DTok *toks, int nt, int k, long *mins)
{
    for (int j = k + 1; j < nt && j <= k + 3; j++) {
        const DTok *t = &toks[j];
        if (t->type == T_ZONE) {
            *mins = t->val;
            return 1;
        }
        if (t->type == T_WORD) {
            static const struct {
                const char *w; /* folded zone name */
                int off;       /* minutes east of UTC; 9999: a lead-in word only */
            } named[] = {{"z", 0},       {"gmt", 0},     {"utc", 0},     {"ut", 0},
                         {"est", -300},  {"edt", -240},  {"cst", -360},  {"cdt", -300},
                         {"mst", -420},  {"mdt", -360},  {"pst", -480},  {"pdt", -420},
                         {"غرينتش", 0}, {"جرينتش", 0}, {"بتوقيت", 9999}};
            int matched = 0;
            for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
                if (word_is(t, named[i].w)) {
                    matched = 1;
                    if (named[i].off == 9999)
                        break; /* "بتوقيت": look at the next word */
                    /* "GMT+0300" puts the offset right after the name */
                    if (j + 1 < nt && toks[j + 1].type == T_ZONE)
                        *mins = toks[j + 1].val;
                    else
                        *mins = named[i].off;
                    return 1;
                }
            }
            if (!matched)
                continue;
        }
    }
    return 0;
}

/* am/pm marker right after the time at k: 1 pm, -1 am, 0 none. */
static int meridiem_after(const DTok *toks, int nt, int k)
{
    if (k + 1 >= nt)
        return 0;
    const DTok *t = &toks[k + 1];
    if (word_is(t, "pm") || word_is(t, "م") || word_is(t, "مساء") || word_is(t, "مساءا"))
        return 1;
    if (word_is(t, "am") || word_is(t, "ص") || word_is(t, "صباحا") || word_is(t, "صباح"))
        return -1;
    if ((word_is(t, "p") || word_is(t, "a")) && k + 3 < nt && toks[k + 2].type == T_SEP &&
        toks[k + 2].sep == '.' && word_is(&toks[k + 3], "m"))
        return word_is(t, "p") ? 1 : -1;
    return 0;
}

/* Formats the result; zone_ok says *mins is meaningful. */
static char *format(long y, long mo, long d, int has_time, int h, int mi, int s, int zone_ok,
                    long mins)
{
    char out[40];
    int len;
    if (!has_time) {
        len = snprintf(out, sizeof out, "%04ld-%02ld-%02ld", y, mo, d);
    } else {
        len = snprintf(out, sizeof out, "%04ld-%02ld-%02ldT%02d:%02d:%02d", y, mo, d, h, mi, s);
        if (zone_ok && len > 0 && (size_t)len < sizeof out) {
            if (mins == 0)
                len += snprintf(out + len, sizeof out - (size_t)len, "Z");
            else {
                long a = mins < 0 ? -mins : mins;
                len += snprintf(out + len, sizeof out - (size_t)len, "%c%02ld:%02ld",
                                mins < 0 ? '-' : '+', a / 60, a % 60);
            }
        }
    }
    if (len < 0 || (size_t)len >= sizeof out)
        return NULL;
    return xstrndup(out, (size_t)len);
}

/* Finds the clock time after token index from (or anywhere); fills fields. */
static int find_time(const DTok *toks, int nt, int from, int *h, int *mi, int *s, int *zone_ok,
                     long *mins)
{
    for (int k = from; k < nt; k++) {
        if (toks[k].type != T_TIME)
            continue;
        int hh = toks[k].h, mm = toks[k].m, ss = toks[k].s;
        int mer = meridiem_after(toks, nt, k);
        if (mer) {
            if (hh < 1 || hh > 12)
                return 0;
            if (mer > 0 && hh < 12)
                hh += 12;
            else if (mer < 0 && hh == 12)
                hh = 0;
        }
        if (hh > 23 || mm > 59 || ss > 59)
            return 0;
        *h = hh;
        *mi = mm;
        *s = ss;
        *zone_ok = zone_after(toks, nt, k, mins);
        return 1;
    }
    return 0;
}

/* Compact ISO 8601 basic form: 20230831 or 20230831T140300[Z]. */
static char *parse_basic(const char *p, size_t n)
{
    for (size_t i = 0; i < 8; i++)
        if (i >= n || p[i] < '0' || p[i] > '9')
            return NULL;
    long y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    long mo = (p[4] - '0') * 10 + (p[5] - '0');
    long d = (p[6] - '0') * 10 + (p[7] - '0');
    if (!valid_ymd(y, mo, d))
        return NULL;
    if (n == 8)
        return format(y, mo, d, 0, 0, 0, 0, 0, 0);
    if (p[8] != 't' || n < 15)
        return NULL;
    int f[3];
    for (int k = 0; k < 3; k++) {
        size_t at = 9 + 2 * (size_t)k;
        if (p[at] < '0' || p[at] > '9' || p[at + 1] < '0' || p[at + 1] > '9')
            return NULL;
        f[k] = (p[at] - '0') * 10 + (p[at + 1] - '0');
    }
    if (f[0] > 23 || f[1] > 59 || f[2] > 59)
        return NULL;
    size_t i = 15;
    long mins = 0;
    int zone = 0;
    if (i < n && p[i] == 'z') {
        zone = 1;
        i++;
    } else if (i < n && read_offset(p, n, &i, &mins)) {
        zone = 1;
    }
    if (i != n)
        return NULL;
    return format(y, mo, d, 1, f[0], f[1], f[2], zone, mins);
}

static int is_datesep(char c) { return c == '/' || c == '-' || c == '.'; }

char *ingest_parse_date(const char *s, size_t n)
{
    if (!s || n == 0 || n > 256)
        return NULL;
    Buf fb = {0};
    fold(s, n, &fb);
    if (fb.oom || !fb.data) {
        buf_free(&fb);
        return NULL;
    }
    /* trim */
    const char *p = fb.data;
    size_t len = fb.len;
    while (len && *p == ' ') {
        p++;
        len--;
    }
    while (len && p[len - 1] == ' ')
        len--;

    char *res = NULL;
    size_t digits = 0;
    while (digits < len && p[digits] >= '0' && p[digits] <= '9')
        digits++;
    if (digits == 8 && (len == 8 || p[8] == 't')) {
        res = parse_basic(p, len);
        buf_free(&fb);
        return res;
    }

    DTok toks[MAX_TOKS];
    int nt = tokenize(p, len, toks);
    int h = 0, mi = 0, sec = 0, zone_ok = 0;
    long mins = 0;
    struct {
        int found;     /* a Hijri date was read */
        int y, m, d;   /* its Gregorian day */
        int after;     /* token after it (where its clock time may follow) */
    } hij = {0, 0, 0, 0, 0};

    /* 1. numeric triple: Y-M-D, D/M/Y (M/D/Y when the day-first reading is impossible) */
    for (int k = 0; k + 4 < nt; k++) {
        const DTok *a = &toks[k], *s1 = &toks[k + 1], *b = &toks[k + 2], *s2 = &toks[k + 3],
                   *c = &toks[k + 4];
        if (a->type != T_NUM || b->type != T_NUM || c->type != T_NUM || s1->type != T_SEP ||
            s2->type != T_SEP || s1->sep != s2->sep || !is_datesep(s1->sep) || s1->space_before ||
            b->space_before || s2->space_before || c->space_before)
            continue;
        if (k + 5 < nt && toks[k + 5].type == T_SEP && is_datesep(toks[k + 5].sep) &&
            !toks[k + 5].space_before)
            continue; /* a longer run of numbers: a version or phone number */
        long y, mo, d;
        if (a->ndig == 4 && b->ndig <= 2 && c->ndig <= 2) {
            y = a->val;
            mo = b->val;
            d = c->val;
        } else if (c->ndig == 4 && a->ndig <= 2 && b->ndig <= 2) {
            y = c->val;
            d = a->val;
            mo = b->val;
            if (!valid_ymd(y, mo, d) && valid_ymd(y, a->val, b->val)) {
                mo = a->val;
                d = b->val;
            }
        } else {
            continue;
        }
        if (a->hijri || c->hijri || hijri_era(toks, nt, k + 5) || (y >= 1300 && y <= 1500)) {
            /* 26/10/1436هـ: Umm al-Qura, then the Gregorian day it is */
            if (!hij.found && cal_hijri_to_greg((int)y, (int)mo, (int)d, &hij.y, &hij.m, &hij.d) == 0 &&
                valid_ymd(hij.y, hij.m, hij.d)) {
                hij.found = 1; /* kept for after the Gregorian readings */
                hij.after = k + 5;
            }
            continue;
        }
        if (!valid_ymd(y, mo, d))
            continue;
        int has_time = find_time(toks, nt, k + 5, &h, &mi, &sec, &zone_ok, &mins);
        res = format(y, mo, d, has_time, h, mi, sec, zone_ok, mins);
        buf_free(&fb);
        return res;
    }

    /* 2. a month name with its day and year around it */
    for (int k = 0; k < nt; k++) {
        int span;
        int mo = month_at(toks, nt, k, &span);
        if (!mo)
            continue;
        int after = k + span;
        /* "يوليو/تموز": a second name for the same month */
        if (after + 1 < nt && toks[after].type == T_SEP &&
            (toks[after].sep == '/' || toks[after].sep == '-' || toks[after].sep == '(')) {
            int span2;
            if (month_at(toks, nt, after + 1, &span2) == mo) {
                after += 1 + span2;
                if (after < nt && toks[after].type == T_SEP && toks[after].sep == ')')
                    after++;
            }
        }
        long d = -1, y = -1;
        int ystart = after;
        /* day before the month: "31 أغسطس", "31st, August", "05 Sep" */
        int j = k - 1;
        if (j >= 0 && toks[j].type == T_SEP && (toks[j].sep == ',' || toks[j].sep == '-'))
            j--;
        if (j >= 0 && toks[j].type == T_NUM && toks[j].ndig <= 2 && !toks[j].hijri)
            d = toks[j].val;
        else {
            /* day after the month: "August 31, 2023" */
            int q = after;
            if (q < nt && toks[q].type == T_SEP && (toks[q].sep == '.' || toks[q].sep == ','))
                q++; /* "Aug. 31" */
            if (q < nt && toks[q].type == T_NUM && toks[q].ndig <= 2) {
                d = toks[q].val;
                ystart = q + 1;
            }
        }
        if (d < 0)
            continue;
        /* year: the first number after, skipping punctuation */
        int q = ystart;
        while (q < nt && toks[q].type == T_SEP && (toks[q].sep == ',' || toks[q].sep == '-' ||
                                                     toks[q].sep == '/' || toks[q].sep == '.'))
            q++;
        int yend = q;
        if (q < nt && toks[q].type == T_NUM && !toks[q].hijri) {
            if (toks[q].ndig == 4)
                y = toks[q].val;
            else if (toks[q].ndig == 2)
                y = toks[q].val < 50 ? 2000 + toks[q].val : 1900 + toks[q].val;
            yend = q + 1;
        }
        if (y < 0)
            continue;
        if (!valid_ymd(y, mo, d))
            continue;
        int has_time = find_time(toks, nt, yend, &h, &mi, &sec, &zone_ok, &mins);
        if (!has_time) /* "14:03 31 أغسطس 2023": the time may come first */
            has_time = find_time(toks, nt, 0, &h, &mi, &sec, &zone_ok, &mins);
        res = format(y, mo, d, has_time, h, mi, sec, zone_ok, mins);
        buf_free(&fb);
        return res;
    }

    /* 3. a Hijri month name with its day and year: "26 شوال 1436 هـ" */
    for (int k = 1; k < nt && !hij.found; k++) {
        int span;
        int mo = hijri_month_at(toks, nt, k, &span);
        const DTok *dt = &toks[k - 1];
        if (!mo || dt->type != T_NUM || dt->ndig > 2)
            continue;
        int q = k + span;
        if (q >= nt || toks[q].type != T_NUM || toks[q].ndig < 3 || toks[q].ndig > 4)
            continue;
        if (!toks[q].hijri && !hijri_era(toks, nt, q + 1) && (toks[q].val < 1300 || toks[q].val > 1500))
            continue;
        if (cal_hijri_to_greg((int)toks[q].val, mo, (int)dt->val, &hij.y, &hij.m, &hij.d) == 0 &&
            valid_ymd(hij.y, hij.m, hij.d)) {
            hij.found = 1;
            hij.after = q + 1;
        }
    }
    if (hij.found) {
        int has_time = find_time(toks, nt, hij.after, &h, &mi, &sec, &zone_ok, &mins);
        if (!has_time)
            has_time = find_time(toks, nt, 0, &h, &mi, &sec, &zone_ok, &mins);
        res = format(hij.y, hij.m, hij.d, has_time, h, mi, sec, zone_ok, mins);
    }
    buf_free(&fb);
    return res;
}
