/*
 * quantities.c — numbers with what they count, and whether two of them
 * can both be true (see quantities.h).
 *
 * Recognition works on the text core's tokens, one sentence at a time:
 *
 *   [modifier] figure [range-end] [% | في المئة] [من] [counted noun] [تقريبا | على الأقل]
 *
 * A figure is a number token (any digits; the key already has ASCII
 * digits) optionally followed by a scale word (3 ملايين, 1.5 مليار), or a
 * run of number words read the way Arabic writes them: units before tens
 * joined by و (خمسة وعشرون), hundreds before both (مئة وخمسة), teens as
 * unit + عشر (ثلاثة عشر), a scale word multiplying what came before
 * (ثلاثمئة ألف) and a و after a scale starting the next group (مليون
 * وخمسمئة ألف). A vague word (عشرات، مئات، آلاف، ملايين، بضعة) gives a range,
 * multiplied by a following plural scale (عشرات الآلاف). Number words are
 * matched on the whole key after removing و/ف, ب/ل/ك and ال one at a time,
 * because the clitic splitter (built for content words) cuts ألف into
 * ال+ف. Modifiers are token sequences matched just before the figure
 * (longest first). Numbers inside date expressions, ordinals, clock times,
 * and identifiers (رقم، المادة ...) are not quantities.
 *
 * The counted noun is the first content word after the figure, skipping a
 * partitive من; when none follows (قتل 12 في الهجوم), the noun after a
 * nearby عدد / حصيلة before the figure is taken (ارتفع عدد القتلى إلى 12).
 *
 * Compatibility compares intervals. Exact figures that differ are still a
 * rounding when the rounder one (at most two significant digits) is within
 * half its last digit and 10% of the other: 1000 / 987 and 70 / 68 are
 * roundings, 20 / 24 and 5 / 7 are not.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "quantities.h"
#include "dates.h"
#include "names.h"
#include "text/text.h"

/* ---- number words ------------------------------------------------------ */

enum {
    NW_UNIT = 1, /* 1..10 */
    NW_TEENP,    /* أحد / اثنا: only before عشر */
    NW_TENS,     /* 20..90 */
    NW_HUNDRED,  /* 100..900 */
    NW_SCALE,    /* ألف، مليون، مليار (value = the scale) */
    NW_SCALE2,   /* ألفان، مليونين: two of the scale */
    NW_SCALEPL,  /* آلاف، ملايين، مليارات: plural of the scale */
    NW_VAGUE     /* عشرات، مئات، بضعة: a range lo..hi */
};

typedef struct NumWord {
    const char *key; /* matching key (KEY normalisation) */
    uint8_t cls;     /* NW_* */
    double v;        /* value or scale; NW_VAGUE: lower end */
    double hi;       /* NW_VAGUE: upper end */
} NumWord;

static const NumWord numwords[] = {
    {"واحد", NW_UNIT, 1, 0},     {"واحده", NW_UNIT, 1, 0},   {"اثنان", NW_UNIT, 2, 0},
    {"اثنين", NW_UNIT, 2, 0},    {"اثنتان", NW_UNIT, 2, 0},  {"اثنتين", NW_UNIT, 2, 0},
    {"ثلاث", NW_UNIT, 3, 0},     {"ثلاثه", NW_UNIT, 3, 0},   {"اربع", NW_UNIT, 4, 0},
    {"اربعه", NW_UNIT, 4, 0},    {"خمس", NW_UNIT, 5, 0},     {"خمسه", NW_UNIT, 5, 0},
    {"ست", NW_UNIT, 6, 0},       {"سته", NW_UNIT, 6, 0},     {"سبع", NW_UNIT, 7, 0},
    {"سبعه", NW_UNIT, 7, 0},     {"ثمان", NW_UNIT, 8, 0},    {"ثماني", NW_UNIT, 8, 0},
    {"ثمانيه", NW_UNIT, 8, 0},   {"تسع", NW_UNIT, 9, 0},     {"تسعه", NW_UNIT, 9, 0},
    {"عشر", NW_UNIT, 10, 0},     {"عشره", NW_UNIT, 10, 0},
    {"احد", NW_TEENP, 1, 0},     {"احدي", NW_TEENP, 1, 0},   {"اثنا", NW_TEENP, 2, 0},
    {"اثني", NW_TEENP, 2, 0},    {"اثنتا", NW_TEENP, 2, 0},  {"اثنتي", NW_TEENP, 2, 0},
    {"عشرون", NW_TENS, 20, 0},   {"عشرين", NW_TENS, 20, 0},  {"ثلاثون", NW_TENS, 30, 0},
    {"ثلاثين", NW_TENS, 30, 0},  {"اربعون", NW_TENS, 40, 0}, {"اربعين", NW_TENS, 40, 0},
    {"خمسون", NW_TENS, 50, 0},   {"خمسين", NW_TENS, 50, 0},  {"ستون", NW_TENS, 60, 0},
    {"ستين", NW_TENS, 60, 0},    {"سبعون", NW_TENS, 70, 0},  {"سبعين", NW_TENS, 70, 0},
    {"ثمانون", NW_TENS, 80, 0},  {"ثمانين", NW_TENS, 80, 0}, {"تسعون", NW_TENS, 90, 0},
    {"تسعين", NW_TENS, 90, 0},
    {"ميه", NW_HUNDRED, 100, 0}, {"مايه", NW_HUNDRED, 100, 0}, {"ميتان", NW_HUNDRED, 200, 0},
    {"ميتين", NW_HUNDRED, 200, 0}, {"مايتان", NW_HUNDRED, 200, 0},
    {"مايتين", NW_HUNDRED, 200, 0}, {"ميتي", NW_HUNDRED, 200, 0}, {"مايتي", NW_HUNDRED, 200, 0},
    {"الف", NW_SCALE, 1e3, 0},   {"الفا", NW_SCALE, 1e3, 0}, {"الفان", NW_SCALE2, 1e3, 0},
    {"الفين", NW_SCALE2, 1e3, 0}, {"الاف", NW_SCALEPL, 1e3, 0},
    {"مليون", NW_SCALE, 1e6, 0}, {"مليونا", NW_SCALE, 1e6, 0},
    {"مليونان", NW_SCALE2, 1e6, 0}, {"مليونين", NW_SCALE2, 1e6, 0},
    {"ملايين", NW_SCALEPL, 1e6, 0}, {"ملاين", NW_SCALEPL, 1e6, 0}, /* a common misspelling */
    {"مليار", NW_SCALE, 1e9, 0}, {"مليارا", NW_SCALE, 1e9, 0},
    {"ملياران", NW_SCALE2, 1e9, 0}, {"مليارين", NW_SCALE2, 1e9, 0},
    {"مليارات", NW_SCALEPL, 1e9, 0},
    {"بليون", NW_SCALE, 1e9, 0}, {"بلايين", NW_SCALEPL, 1e9, 0},
    {"تريليون", NW_SCALE, 1e12, 0}, {"تريليونات", NW_SCALEPL, 1e12, 0},
    {"عشرات", NW_VAGUE, 20, 99}, {"ميات", NW_VAGUE, 200, 999}, {"بضع", NW_VAGUE, 3, 9},
    {"بضعه", NW_VAGUE, 3, 9},
};

/* n bytes of k are the whole of w (strlen(w) == n and the bytes equal),
   without measuring w first: called for every number word at every token */
static int key_is(const char *k, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (!w[i] || w[i] != k[i])
            return 0;
    return w[n] == '\0';
}

static int starts_with(const char *k, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(k, p, pl) == 0;
}

static int ends_with(const char *k, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(k + n - pl, p, pl) == 0;
}

/* numwords by hash of the key (open addressing, index + 1; 0 = empty): up to
   four tries at every token of every article went through the whole list */
enum { NW_SLOTS = 256 };
static uint16_t nw_slot[NW_SLOTS];
static pthread_once_t nw_once = PTHREAD_ONCE_INIT;

static void nw_build(void)
{
    for (size_t i = 0; i < sizeof numwords / sizeof numwords[0]; i++) {
        size_t n = strlen(numwords[i].key), h = rasd_hash(numwords[i].key, n) & (NW_SLOTS - 1);
        int dup = 0;
        for (; nw_slot[h] && !dup; h = (h + 1) & (NW_SLOTS - 1))
            dup = key_is(numwords[i].key, n, numwords[nw_slot[h] - 1].key);
        if (!dup) /* the first of equal keys wins, as the list's order did */
            nw_slot[h] = (uint16_t)(i + 1);
    }
}

static const NumWord *numword_exact(const char *k, size_t n, NumWord *tmp)
{
    pthread_once(&nw_once, nw_build);
    for (size_t h = rasd_hash(k, n) & (NW_SLOTS - 1); nw_slot[h]; h = (h + 1) & (NW_SLOTS - 1))
        if (key_is(k, n, numwords[nw_slot[h] - 1].key))
            return &numwords[nw_slot[h] - 1];
    /* ثلاثمئة ... تسعمائة: a unit glued to مئة */
    static const char *const hund[] = {"ميه", "مايه"};
    for (int h = 0; h < 2; h++)
        if (ends_with(k, n, hund[h]) && n > strlen(hund[h])) {
            size_t ul = n - strlen(hund[h]);
            for (size_t i = 0; i < sizeof numwords / sizeof numwords[0]; i++)
                if (numwords[i].cls == NW_UNIT && numwords[i].v >= 3 && numwords[i].v <= 9 &&
                    key_is(k, ul, numwords[i].key)) {
                    *tmp = (NumWord){numwords[i].key, NW_HUNDRED, numwords[i].v * 100, 0};
                    return tmp;
                }
        }
    return NULL;
}

/* The number word of a token, with *conj set when it began with و / ف. */
static const NumWord *numword(const rasd_token *t, int *conj, NumWord *tmp)
{
    *conj = 0;
    if (t->type != RASD_TOK_ARABIC)
        return NULL;
    const char *k = t->key;
    size_t n = t->key_len;
    const NumWord *w = numword_exact(k, n, tmp);
    if (w)
        return w;
    if (starts_with(k, n, "و") || starts_with(k, n, "ف")) {
        k += 2, n -= 2;
        *conj = 1;
        if ((w = numword_exact(k, n, tmp)))
            return w;
    }
    if (starts_with(k, n, "ب") || starts_with(k, n, "ل") || starts_with(k, n, "ك")) {
        k += 2, n -= 2;
        if ((w = numword_exact(k, n, tmp)))
            return w;
    }
    if (starts_with(k, n, "ال") && n > 4) {
        k += 4, n -= 4;
        if ((w = numword_exact(k, n, tmp)))
            return w;
    }
    *conj = 0;
    return NULL;
}

static const char *const ordinals[] = {"حادي", "ثاني", "ثالث", "رابع", "خامس", "سادس",
                                       "سابع", "ثامن", "تاسع", "عاشر"};

/* Is key k[0..n) an ordinal (الثالث، ثالثة، الحادي)? */
static int is_ordinal_key(const char *k, size_t n)
{
    if (starts_with(k, n, "و") && n > 2)
        k += 2, n -= 2;
    if (starts_with(k, n, "ال"))
        k += 4, n -= 4;
    if (ends_with(k, n, "ه"))
        n -= 2; /* الثالثة */
    for (size_t o = 0; o < sizeof ordinals / sizeof ordinals[0]; o++)
        if (key_is(k, n, ordinals[o]))
            return 1;
    return 0;
}

int quant_is_number_word(const rasd_token *t)
{
    NumWord tmp;
    int conj;
    return numword(t, &conj, &tmp) != NULL ||
           (t->type == RASD_TOK_ARABIC && is_ordinal_key(t->key, t->key_len));
}

/* ---- numbers written in digits ---------------------------------------- */

/*
 * Parses "1,000" "3.5" "12" (ASCII, from a key); *decimals = digits after
 * the point. A single comma followed by one or two digits is a decimal
 * comma (7,4 في المائة), as some outlets write it; dots can be thousands
 * separators the other way round.
 */
static int parse_digits(const char *k, size_t n, double *v, int *decimals)
{
    if (n == 0 || n > 40 || k[0] < '0' || k[0] > '9')
        return -1;
    /*
     * Dots as thousands separators (76.000, 1.234.567): several dots, or
     * one followed by exactly "000", which no one writes as a fraction.
     */
    const char *dot = memchr(k, '.', n);
    if (dot && !memchr(k, ',', n) && n < 48) {
        size_t dots = 0, tail = (size_t)(k + n - dot - 1);
        for (size_t i = 0; i < n; i++)
            dots += k[i] == '.';
        if (dots > 1 || (tail == 3 && memcmp(dot + 1, "000", 3) == 0)) {
            char tmp[48];
            for (size_t i = 0; i < n; i++)
                tmp[i] = k[i] == '.' ? ',' : k[i];
            return parse_digits(tmp, n, v, decimals);
        }
    }
    const char *comma = memchr(k, ',', n);
    if (comma && !memchr(k, '.', n) && !memchr(comma + 1, ',', n - (size_t)(comma + 1 - k)) &&
        (size_t)(k + n - comma - 1) >= 1 && (size_t)(k + n - comma - 1) <= 2) {
        char tmp[48];
        memcpy(tmp, k, n);
        tmp[comma - k] = '.';
        return parse_digits(tmp, n, v, decimals);
    }
    double x = 0, frac = 0.1;
    int seen_point = 0, group = -1, dec = 0;
    for (size_t i = 0; i < n; i++) {
        char c = k[i];
        if (c >= '0' && c <= '9') {
            if (seen_point) {
                x += (c - '0') * frac;
                frac /= 10;
                dec++;
            } else {
                x = x * 10 + (c - '0');
                if (group >= 0)
                    group++;
            }
        } else if (c == ',' && !seen_point) {
            if (group >= 0 && group != 3)
                return -1; /* 1,00,0 is not a thousands grouping */
            group = 0;
        } else if (c == '.' && !seen_point && (group < 0 || group == 3)) {
            seen_point = 1;
        } else {
            return -1;
        }
    }
    if ((group >= 0 && group != 3) || (seen_point && dec == 0))
        return -1;
    *v = x;
    *decimals = dec;
    return 0;
}

int quant_number_value(const char *key, size_t n, double *v)
{
    int dec;
    return parse_digits(key, n, v, &dec);
}

/* Unit of the last significant digit of an integer-valued x (0 → 1). */
static double int_precision(double x)
{
    double p = 1;
    if (x < 1 || x > 1e15 || x != floor(x))
        return 1;
    while (p < 1e15 && fmod(x, p * 10) == 0)
        p *= 10;
    return p;
}

/* ---- recogniser -------------------------------------------------------- */

typedef struct Figure {
    double v, lo, hi;  /* value; the range it allows (lo == hi for a figure) */
    double precision;  /* unit of the last significant digit */
    double scale;      /* the scale word it ended with (1 if none) */
    double alt;        /* another reading (63ر54), or 0 */
    int vague;         /* a word like عشرات */
    uint32_t end;      /* token after the figure */
} Figure;

/* Is token i usable as (part of) a figure, and not part of a date, a time or an identifier? */
typedef struct Ctx {
    const rasd_doc *d;
    const rasd_token *t;
    uint8_t *in_date; /* per token: inside a date expression */
    uint32_t s_begin, s_end; /* the sentence's tokens */
} Ctx;

static int tok_key_is(const Ctx *c, uint32_t i, const char *w)
{
    return i >= c->s_begin && i < c->s_end && key_is(c->t[i].key, c->t[i].key_len, w);
}

/* Parses a figure at token i; returns 0 and fills f, or -1. */
static int parse_figure1(const Ctx *c, uint32_t i, Figure *f)
{
    const rasd_token *t = c->t;
    if (i >= c->s_end || c->in_date[i])
        return -1;
    memset(f, 0, sizeof *f);
    f->scale = 1;
    NumWord tmp;
    int conj;
    if (t[i].type == RASD_TOK_NUMBER) {
        int dec;
        if (t[i].flags & RASD_TF_ORDINAL || parse_digits(t[i].key, t[i].key_len, &f->v, &dec))
            return -1;
        /* 10:30, 3/4: a time or a fraction, not a count */
        if (i + 2 < c->s_end && t[i + 2].type == RASD_TOK_NUMBER &&
            (key_is(t[i + 1].key, t[i + 1].key_len, ":") ||
             key_is(t[i + 1].key, t[i + 1].key_len, "/")))
            return -1;
        if (i > c->s_begin + 1 && t[i - 2].type == RASD_TOK_NUMBER &&
            (key_is(t[i - 1].key, t[i - 1].key_len, ":") ||
             key_is(t[i - 1].key, t[i - 1].key_len, "/")))
            return -1;
        f->precision = dec ? pow(10, -dec) : int_precision(f->v);
        uint32_t k = i + 1;
        /*
         * "63ر54": some wire services write the decimal point as the letter
         * ر, and the bytes come in either order: 63ر54 is 54.63 in one
         * outlet's text and 5ر32 is 5.32 in another's. The value is read
         * fraction first, the other reading is kept in alt. The three
         * tokens touch, with no space between them.
         */
        double whole;
        int dec2;
        /* 17.338 is 17338 in outlets that separate thousands with a dot */
        f->alt = dec == 3 && !memchr(t[i].key, ',', t[i].key_len) && f->v < 1000
                     ? f->v * 1000 : 0;
        if (!dec && k + 1 < c->s_end && key_is(t[k].key, t[k].key_len, "ر") &&
            t[k].start == t[i].end && t[k + 1].start == t[k].end &&
            t[k + 1].type == RASD_TOK_NUMBER &&
            parse_digits(t[k + 1].key, t[k + 1].key_len, &whole, &dec2) == 0 && !dec2 &&
            t[i].key_len <= 6 && t[k + 1].key_len <= 6) {
            double first = f->v; /* dec is 0 here: no thousands reading */
            f->precision = pow(10, -(double)t[i].key_len);
            f->v = whole + first * f->precision;
            f->alt = first + whole * pow(10, -(double)t[k + 1].key_len);
            k += 2;
        }
        if (tok_key_is(c, k, ")") && t[k].start == t[k - 1].end)
            k++; /* (3.462)مليار: a bracket between the figure and its scale */
        const NumWord *w = k < c->s_end && !c->in_date[k] ? numword(&t[k], &conj, &tmp) : NULL;
        if (w && !conj && (w->cls == NW_SCALE || w->cls == NW_SCALEPL)) {
            f->v *= w->v;
            f->alt *= w->v;
            f->precision *= w->v;
            f->scale = w->v;
            k++;
        } else if (k > i + 1 && key_is(t[k - 1].key, t[k - 1].key_len, ")")) {
            k--; /* the bracket closes something else */
        }
        f->lo = f->hi = f->v;
        f->end = k;
        return 0;
    }
    double total = 0, cur = 0;
    int last = 0, n = 0;
    uint32_t k = i;
    for (; k < c->s_end && !c->in_date[k]; k++) {
        const NumWord *w = numword(&t[k], &conj, &tmp);
        if (!w)
            break;
        if (n == 0) {
            /* a scale after digits that did not parse (1.340.7 مليار) is not "one" of it */
            if ((w->cls == NW_SCALE || w->cls == NW_SCALEPL) && k > c->s_begin &&
                t[k - 1].type == RASD_TOK_NUMBER)
                return -1;
            /* المئة of في المئة is no figure, nor is a definite hundred */
            if (w->cls == NW_HUNDRED && starts_with(t[k].key, t[k].key_len, "ال"))
                return -1;
            if (w->cls == NW_TEENP) {
                if (k + 1 >= c->s_end || !(tok_key_is(c, k + 1, "عشر") ||
                                           tok_key_is(c, k + 1, "عشره")))
                    return -1;
                cur = w->v + 10;
                k++;
                last = NW_UNIT;
            } else if (w->cls == NW_VAGUE || w->cls == NW_SCALEPL) {
                /* عشرات / آلاف [الآلاف]: a vague range */
                double lo = w->cls == NW_VAGUE ? w->v : 2 * w->v;
                double hi = w->cls == NW_VAGUE ? w->hi : 10 * w->v - 1;
                k++;
                int c2;
                const NumWord *s = k < c->s_end ? numword(&t[k], &c2, &tmp) : NULL;
                if (s && !c2 && s->cls == NW_SCALEPL && w->cls == NW_VAGUE) {
                    lo *= s->v;
                    hi = (hi + 1) * s->v - s->v;
                    f->scale = s->v;
                    k++;
                } else if (w->cls == NW_SCALEPL) {
                    f->scale = w->v;
                }
                f->v = f->lo = lo;
                f->hi = hi;
                f->vague = 1;
                f->precision = int_precision(lo);
                f->end = k;
                return 0;
            } else if (w->cls == NW_SCALE || w->cls == NW_SCALE2) {
                total = w->v * (w->cls == NW_SCALE2 ? 2 : 1);
                f->scale = w->v;
                last = NW_SCALE;
            } else {
                cur = w->v;
                last = w->cls;
            }
            n++;
            continue;
        }
        /* continuing a figure */
        if (w->cls == NW_UNIT && !conj && w->v == 10 && last == NW_UNIT && cur < 10) {
            cur += 10; /* ثلاثة عشر */
        } else if (last == NW_UNIT && cur >= 3 && cur <= 9 &&
                   (key_is(t[k].key, t[k].key_len, "ميه") ||
                    key_is(t[k].key, t[k].key_len, "مايه"))) {
            cur *= 100; /* تسع مئة, written apart */
            last = NW_HUNDRED;
        } else if ((w->cls == NW_SCALE || w->cls == NW_SCALEPL) && !conj && cur > 0) {
            total += cur * w->v;
            cur = 0;
            f->scale = w->v;
            last = NW_SCALE;
        } else if (conj && ((last == NW_UNIT && w->cls == NW_TENS && cur < 10) ||
                            (last == NW_HUNDRED && (w->cls == NW_UNIT || w->cls == NW_TENS)) ||
                            (last == NW_SCALE && cur == 0 &&
                             (w->cls == NW_UNIT || w->cls == NW_TENS || w->cls == NW_HUNDRED)))) {
            cur += w->v;
            last = w->cls;
        } else {
            break;
        }
        n++;
    }
    if (n == 0)
        return -1;
    f->v = f->lo = f->hi = total + cur;
    f->precision = int_precision(f->v);
    f->end = k;
    return 0;
}

/*
 * A figure, and the groups a و adds to it in digits: "مليار و340 مليون"
 * is 1,340,000,000; each added group ends with a smaller scale word.
 */
static int parse_figure(const Ctx *c, uint32_t i, Figure *f)
{
    if (parse_figure1(c, i, f) != 0)
        return -1;
    while (!f->vague && f->scale > 1 && f->end + 1 < c->s_end && tok_key_is(c, f->end, "و") &&
           c->t[f->end + 1].type == RASD_TOK_NUMBER) {
        Figure g;
        if (parse_figure1(c, f->end + 1, &g) != 0 || g.vague || g.scale <= 1 ||
            g.scale >= f->scale)
            break;
        f->v += g.v;
        f->lo = f->hi = f->v;
        f->alt = 0;
        f->precision = g.precision;
        f->scale = g.scale;
        f->end = g.end;
    }
    return 0;
}

/* Modifiers before a figure, longest first; keys space-separated. */
static const struct {
    const char *words;
    uint8_t kind;   /* QUANT_* */
    uint8_t strict; /* bound excludes the figure */
} modifiers[] = {
    {"ما لا يقل عن", QUANT_MIN, 0}, {"ما لا يقل علي", QUANT_MIN, 0},
    {"ما يزيد عن", QUANT_MIN, 1},   {"ما يزيد علي", QUANT_MIN, 1},
    {"ما يقل عن", QUANT_MAX, 1},    {"ما يصل الي", QUANT_MAX, 0},
    {"لا يقل عن", QUANT_MIN, 0},    {"لا يقل علي", QUANT_MIN, 0},
    {"يزيد عن", QUANT_MIN, 1},      {"يزيد علي", QUANT_MIN, 1},
    {"اكثر من", QUANT_MIN, 1},      {"ازيد من", QUANT_MIN, 1},
    {"اقل من", QUANT_MAX, 1},       {"يقل عن", QUANT_MAX, 1},
    {"يصل الي", QUANT_MAX, 0},      {"ما يقارب", QUANT_APPROX, 0},
    {"ما يناهز", QUANT_APPROX, 0},  {"في حدود", QUANT_APPROX, 0},
    {"نحو", QUANT_APPROX, 0},       {"حوالي", QUANT_APPROX, 0},
    {"قرابه", QUANT_APPROX, 0},     {"زهاء", QUANT_APPROX, 0},
    {"يقارب", QUANT_APPROX, 0},     {"يناهز", QUANT_APPROX, 0},
    {"حتي", QUANT_MAX, 0},          {"فوق", QUANT_MIN, 1},
};

/* Matches the space-separated words ending just before token i; returns the first token or -1. */
static long match_before(const Ctx *c, uint32_t i, const char *words)
{
    const char *w[6];
    size_t wl[6];
    int nw = 0;
    for (const char *p = words; *p && nw < 6;) {
        const char *sp = strchr(p, ' ');
        w[nw] = p;
        wl[nw] = sp ? (size_t)(sp - p) : strlen(p);
        nw++;
        p = sp ? sp + 1 : p + strlen(p);
    }
    if (i < c->s_begin + (uint32_t)nw)
        return -1;
    uint32_t first = i - (uint32_t)nw;
    for (int k = 0; k < nw; k++) {
        const rasd_token *t = &c->t[first + (uint32_t)k];
        const char *key = t->key;
        size_t n = t->key_len;
        if (k == 0 && n > wl[k] && (starts_with(key, n, "و") || starts_with(key, n, "ف")))
            key += 2, n -= 2; /* ونحو، وأكثر */
        if (n != wl[k] || memcmp(key, w[k], n) != 0)
            return -1;
    }
    return first;
}

static int is_content_word(const Ctx *c, uint32_t k)
{
    NumWord tmp;
    int conj;
    const rasd_token *t = &c->t[k];
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP) && !numword(t, &conj, &tmp) && !c->in_date[k];
}

/*
 * The word just before figure i says it is not a count: an identifier
 * (رقم، المادة), a year (العام 2012 when the date recogniser did not take
 * it), or an ordinal whose tens or teens follow (الثالث عشر، السادس والثلاثين).
 */
static int is_identifier(const Ctx *c, uint32_t i)
{
    static const char *const ids[] = {"رقم", "الرقم", "الماده", "ماده", "الفقره", "فقره",
                                      "البند", "بند", "القرار", "قرار", "الفصل", "الجوله",
                                      "الصفحه", "صفحه", "الدرجه", "العام", "عام", "لعام",
                                      "للعام", "سنه", "لسنه", "السنه"};
    if (i <= c->s_begin)
        return 0;
    const rasd_token *t = &c->t[i - 1];
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        if (key_is(t->key, t->key_len, ids[k]))
            return 1;
    /* الثالث عشر; but after "الثاني" a figure in digits is a count */
    return is_ordinal_key(t->key, t->key_len) && c->t[i].type == RASD_TOK_ARABIC;
}

/* "حصيلة جديدة" (a new toll) at token k? */
static int new_toll_at(const Ctx *c, uint32_t k)
{
    const rasd_token *t = &c->t[k];
    const char *key = t->key + t->pre_len;
    size_t n = t->key_len - t->pre_len;
    return (key_is(key, n, "حصيله") || key_is(t->key, t->key_len, "الحصيله")) &&
           (tok_key_is(c, k + 1, "جديده") || tok_key_is(c, k + 1, "الجديده") ||
            tok_key_is(c, k + 1, "محدثه"));
}

/* A revised figure: "ارتفع/ارتفاع ... إلى N" or "حصيلة جديدة" before it in
   the sentence, or after it (بمقتل 80 مقاتلا، بحسب حصيلة جديدة). */
static int is_update_after(const Ctx *c, uint32_t last)
{
    for (uint32_t k = last; k + 1 < c->s_end && k < last + 12; k++)
        if (new_toll_at(c, k))
            return 1;
    return 0;
}

static int is_update(const Ctx *c, uint32_t first)
{
    static const char *const rise[] = {"ارتفع", "ارتفعت", "يرتفع", "ترتفع", "ارتفاع",
                                       "ليرتفع", "لترتفع", "قفز", "قفزت", "تضاعف", "وصل",
                                       "وصلت", "ليصل", "لتصل"};
    uint32_t from = first > c->s_begin + 12 ? first - 12 : c->s_begin;
    int to = first > c->s_begin && (tok_key_is(c, first - 1, "الي") ||
                                    tok_key_is(c, first - 1, "لي"));
    for (uint32_t k = from; k < first; k++) {
        const rasd_token *t = &c->t[k];
        const char *key = t->key;
        size_t n = t->key_len;
        if (starts_with(key, n, "و") && n > 2)
            key += 2, n -= 2;
        for (size_t r = 0; to && r < sizeof rise / sizeof rise[0]; r++)
            if (key_is(key, n, rise[r]))
                return 1;
        if ((key_is(key, n, "حصيله") || key_is(key, n, "الحصيله")) && k + 1 < first &&
            (tok_key_is(c, k + 1, "جديده") || tok_key_is(c, k + 1, "الجديده") ||
             tok_key_is(c, k + 1, "محدثه")))
            return 1;
    }
    return 0;
}

/* Percent after a figure: "%", "في المئة", "بالمئة". Returns tokens used (0 if none). */
static uint32_t percent_after(const Ctx *c, uint32_t k)
{
    if (tok_key_is(c, k, "%") || tok_key_is(c, k, "٪"))
        return 1;
    if (tok_key_is(c, k, "بالميه") || tok_key_is(c, k, "بالمايه"))
        return 1;
    if (tok_key_is(c, k, "في") && (tok_key_is(c, k + 1, "الميه") || tok_key_is(c, k + 1, "المايه")))
        return 2;
    return 0;
}

static int push(Quantity **out, size_t *n, size_t *cap, const Quantity *q)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        Quantity *p = realloc(*out, nc * sizeof *p);
        if (!p)
            return -1;
        *out = p;
        *cap = nc;
    }
    (*out)[(*n)++] = *q;
    return 0;
}

static void recognise_sentence(Ctx *c, Quantity **out, size_t *n, size_t *cap, int *oom)
{
    const rasd_token *t = c->t;
    for (uint32_t i = c->s_begin; i < c->s_end && !*oom;) {
        Figure f;
        if (is_identifier(c, i) || parse_figure(c, i, &f) != 0) {
            i++;
            continue;
        }
        Quantity q = {0};
        q.num_begin = i;
        q.num_end = f.end;
        q.tok_begin = i;
        q.value = f.v;
        q.lo = f.lo;
        q.hi = f.hi;
        q.precision = f.precision;
        q.alt = f.alt;
        q.kind = f.vague ? QUANT_RANGE : QUANT_EXACT;
        q.vague = (uint8_t)f.vague;
        q.noun = QUANT_NO_NOUN;
        uint32_t k = f.end;
        /* range: بين X و Y, من X إلى Y, X - Y */
        Figure g;
        uint32_t gk = 0;     /* first token of the range's second figure, 0 = no range */
        long range_first = i; /* first token of the range expression */
        long between = match_before(c, i, "بين");
        long from = match_before(c, i, "من");
        if (between >= 0 && tok_key_is(c, k, "و") && parse_figure(c, k + 1, &g) == 0)
            gk = k + 1, range_first = between;
        else if (between >= 0 && k < c->s_end && t[k].type == RASD_TOK_ARABIC &&
                 starts_with(t[k].key, t[k].key_len, "و") && parse_figure(c, k, &g) == 0)
            gk = k, range_first = between; /* بين عشرين وثلاثين: the و is on the word */
        else if (from >= 0 && (tok_key_is(c, k, "الي") || tok_key_is(c, k, "حتي")) &&
                 parse_figure(c, k + 1, &g) == 0)
            gk = k + 1, range_first = from;
        else if (t[i].type == RASD_TOK_NUMBER && f.end == i + 1 && tok_key_is(c, k, "-") &&
                 k + 1 < c->s_end && t[k + 1].type == RASD_TOK_NUMBER &&
                 parse_figure(c, k + 1, &g) == 0)
            gk = k + 1;
        if (gk) {
            /* بين 20 و30 ألفا: the scale of the second end applies to the first */
            if (f.scale == 1 && g.scale > 1 && f.v * 100 < g.v)
                f.v *= g.scale, f.precision *= g.scale;
            if (g.v > f.v) {
                q.kind = QUANT_RANGE;
                q.value = q.lo = f.v;
                q.hi = g.hi;
                q.precision = f.precision < g.precision ? f.precision : g.precision;
                q.num_end = k = g.end;
                q.tok_begin = (uint32_t)range_first;
            }
        }
        if (q.kind != QUANT_RANGE || q.vague) {
            for (size_t m = 0; m < sizeof modifiers / sizeof modifiers[0]; m++) {
                long first = match_before(c, i, modifiers[m].words);
                if (first < 0)
                    continue;
                if (!q.vague) {
                    q.kind = modifiers[m].kind;
                    q.strict = modifiers[m].strict;
                } else if (modifiers[m].kind == QUANT_MIN) {
                    q.kind = QUANT_MIN; /* أكثر من عشرة آلاف: the vague word sets nothing */
                    q.strict = modifiers[m].strict;
                }
                q.tok_begin = (uint32_t)first;
                break;
            }
        }
        uint32_t pc = percent_after(c, k);
        if (pc) {
            q.percent = 1;
            k += pc;
        } else {
            uint32_t m = k;
            if (tok_key_is(c, m, "من"))
                m++; /* partitive: آلاف من الجنود، 50 من المسلحين */
            if (m < c->s_end && is_content_word(c, m)) {
                q.noun = m;
                k = m + 1;
            }
        }
        /* after: تقريبا, على الأقل */
        if (tok_key_is(c, k, "تقريبا") && q.kind == QUANT_EXACT) {
            q.kind = QUANT_APPROX;
            k++;
        } else if (tok_key_is(c, k, "علي") && tok_key_is(c, k + 1, "الاقل") &&
                   q.kind == QUANT_EXACT) {
            q.kind = QUANT_MIN;
            k += 2;
        }
        if (q.noun == QUANT_NO_NOUN && !q.percent) {
            /* عدد القتلى ... 12: the noun after a nearby عدد / حصيلة */
            uint32_t lo = q.tok_begin > c->s_begin + 8 ? q.tok_begin - 8 : c->s_begin;
            for (uint32_t b = q.tok_begin; b-- > lo;) {
                const rasd_token *h = &t[b];
                size_t rl = h->key_len - h->pre_len - h->suf_len;
                const char *r = h->key + h->pre_len;
                if ((key_is(r, rl, "عدد") || key_is(r, rl, "حصيله")) && b + 1 < q.tok_begin &&
                    is_content_word(c, b + 1)) {
                    q.noun = b + 1;
                    break;
                }
            }
        }
        q.tok_end = k;
        q.update = (uint8_t)(is_update(c, q.tok_begin) || is_update_after(c, k));
        switch (q.kind) {
        case QUANT_APPROX: {
            double tol = fmax(0.1 * q.value, q.precision / 2);
            q.lo = q.value - tol;
            q.hi = q.value + tol;
            break;
        }
        case QUANT_MIN:
            q.lo = q.value;
            q.hi = INFINITY;
            break;
        case QUANT_MAX:
            q.lo = 0;
            q.hi = q.vague ? q.hi : q.value;
            break;
        default:
            break;
        }
        q.start = t[q.tok_begin].start;
        q.end = t[q.tok_end - 1].end;
        if (push(out, n, cap, &q))
            *oom = 1;
        i = k > i ? k : i + 1;
    }
}

rasd_err quantities_find_dates(const rasd_doc *d, const DateSpan *dates, size_t nd,
                               Quantity **out, size_t *n, rasd_error *err)
{
    *out = NULL;
    *n = 0;
    size_t nt = rasd_doc_ntokens(d), ns = rasd_doc_nsentences(d), cap = 0;
    const rasd_token *t = rasd_doc_tokens(d);
    const rasd_sentence *s = rasd_doc_sentences(d);
    Ctx c = {d, t, calloc(nt ? nt : 1, 1), 0, 0};
    if (!c.in_date)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t k = 0, j = 0; k < nt && j < nd; k++) {
        while (j < nd && dates[j].end <= t[k].start)
            j++;
        if (j < nd && t[k].start >= dates[j].start && t[k].end <= dates[j].end)
            c.in_date[k] = 1;
    }
    int oom = 0;
    for (size_t k = 0; k < ns && !oom; k++) {
        c.s_begin = s[k].tok_begin;
        c.s_end = s[k].tok_end;
        recognise_sentence(&c, out, n, &cap, &oom);
    }
    free(c.in_date);
    if (oom) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return RASD_OK;
}

rasd_err quantities_find(const rasd_doc *d, Quantity **out, size_t *n, rasd_error *err)
{
    *out = NULL;
    *n = 0;
    DateSpan *dates = NULL;
    size_t nd = 0;
    rasd_err e = dates_find(d, NULL, 0, &dates, &nd, err);
    if (e == RASD_OK)
        e = quantities_find_dates(d, dates, nd, out, n, err);
    free(dates);
    return e;
}

/* ---- compatibility ------------------------------------------------------ */

static int significant_digits(double v, double precision)
{
    int n = 0;
    for (double x = v / precision; x >= 1 && n < 20; x /= 10)
        n++;
    return n;
}

/*
 * Is exact r a rounding of exact x: to the nearest, a truncation (25 ألفا
 * for 25,823), or a loose rounding up within one unit of its last digit
 * and 5% (2.3 تريليون for 2.23 تريليون: news rounds by eye), or the whole
 * part of a fraction?
 */
static int rounds_to(double r, double pr, double x)
{
    double diff = fabs(r - x), big = fmax(fabs(r), fabs(x));
    /* a whole number for a fraction (123 ين for 123.71): the decimals dropped */
    if (pr == 1 && x != floor(x) && diff < 1)
        return 1;
    return pr > 1 && significant_digits(r, pr) <= 2 &&
           (diff <= pr / 2 || (r < x && diff < pr) || (diff < pr && diff <= 0.05 * big)) &&
           diff <= 0.1 * big;
}

/* Equal up to the rounding of decimal fractions in binary (7 + 16·0.01 = 7.16). */
static int same_value(double x, double y)
{
    if (isinf(x) || isinf(y))
        return x == y;
    return fabs(x - y) <= 1e-9 * fmax(1, fmax(fabs(x), fabs(y)));
}

static int compat1(const Quantity *a, const Quantity *b);

/* The more compatible reading when a figure has two (63ر54). */
int quant_compat(const Quantity *a, const Quantity *b)
{
    int best = compat1(a, b);
    const Quantity *amb[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        if (amb[k]->alt == 0 || amb[k]->kind != QUANT_EXACT)
            continue;
        Quantity q = *amb[k];
        q.value = q.lo = q.hi = q.alt;
        q.alt = 0;
        int c2 = k == 0 ? compat1(&q, b) : compat1(a, &q);
        if (c2 < best)
            best = c2;
    }
    return best;
}

static int compat1(const Quantity *a, const Quantity *b)
{
    if (a->kind == b->kind && same_value(a->lo, b->lo) && same_value(a->hi, b->hi))
        return QC_EQUAL;
    if (a->kind == QUANT_EXACT && b->kind == QUANT_EXACT) {
        if (same_value(a->value, b->value))
            return QC_EQUAL;
        if (rounds_to(a->value, a->precision, b->value) ||
            rounds_to(b->value, b->precision, a->value))
            return QC_ROUNDING;
        return a->update || b->update ? QC_UPDATE : QC_INCOMPATIBLE;
    }
    /*
     * Intervals: do they share a value? Strict bounds are read as inclusive:
     * news writes أكثر من خمس سنوات of what another outlet calls 5 years.
     */
    int overlap = fmax(a->lo, b->lo) <= fmin(a->hi, b->hi);
    if (overlap)
        return a->kind == QUANT_APPROX || b->kind == QUANT_APPROX ? QC_ROUNDING : QC_BOUNDS;
    return a->update || b->update ? QC_UPDATE : QC_INCOMPATIBLE;
}

const char *quant_compat_name(int qc)
{
    static const char *const names[] = {"?", "equal", "rounding", "bounds", "update",
                                        "incompatible"};
    return qc >= QC_EQUAL && qc <= QC_INCOMPATIBLE ? names[qc] : names[0];
}

size_t key_light(const char *k, size_t len)
{
    static const char *const ends[] = {"ات", "ون", "ين", "ان", "وا", "ا", "ه", "ي", "و"};
    for (int round = 0; round < 2; round++)
        for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
            size_t el = strlen(ends[e]);
            if (len >= el + 6 && memcmp(k + len - el, ends[e], el) == 0) {
                len -= el;
                break;
            }
        }
    return len;
}

const char *word_light_key(const rasd_token *t, size_t *n)
{
    if (t->type != RASD_TOK_ARABIC || (t->flags & RASD_TF_STOP))
        return NULL;
    uint32_t pre = t->pre_len, suf = t->suf_len;
    if (pre + suf >= t->key_len)
        pre = suf = 0;
    const char *k = t->key + pre;
    size_t len = key_light(k, t->key_len - pre - suf);
    if (len < 6)
        return NULL; /* two Arabic letters or less say nothing */
    *n = len;
    return k;
}

/*
 * The consonants of a counted noun, for broken plurals: weak letters
 * (ا و ي ء, ى folded to ي) and a final ه dropped everywhere, so جندي /
 * جنود, قتيل / قتلى, شخص / أشخاص share them. Loose on purpose: it only
 * decides whether two quantities in compared texts count the same thing.
 */
static size_t noun_consonants(const rasd_token *t, uint32_t *out, size_t max)
{
    uint32_t pre = t->pre_len, suf = t->suf_len;
    if (pre + suf >= t->key_len)
        pre = suf = 0;
    const char *k = t->key + pre;
    size_t n = t->key_len - pre - suf, m = 0;
    for (size_t i = 0; i < n && m < max;) {
        uint32_t c = utf8_next(k, n, &i);
        if (c == 0x0627 || c == 0x0648 || c == 0x064A || c == 0x0621 || (c == 0x0647 && i == n))
            continue;
        out[m++] = c;
    }
    return m;
}

static int noun_key(const rasd_doc *d, uint32_t k, Buf *out)
{
    const rasd_token *t = &rasd_doc_tokens(d)[k];
    uint32_t pre = t->pre_len < t->key_len ? t->pre_len : 0;
    return names_key(t->key + pre, t->key_len - pre, out);
}

int quant_same_thing(const rasd_doc *a, const Quantity *qa, const rasd_doc *b,
                     const Quantity *qb)
{
    if (qa->percent || qb->percent)
        return qa->percent && qb->percent;
    if (qa->noun == QUANT_NO_NOUN || qb->noun == QUANT_NO_NOUN)
        return qa->noun == qb->noun;
    if (qa->noun >= rasd_doc_ntokens(a) || qb->noun >= rasd_doc_ntokens(b))
        return 0;
    const rasd_token *x = &rasd_doc_tokens(a)[qa->noun], *y = &rasd_doc_tokens(b)[qb->noun];
    if (x->stem_len == y->stem_len && memcmp(x->stem, y->stem, x->stem_len) == 0)
        return 1;
    size_t lx, ly;
    const char *fx = word_light_key(x, &lx), *fy = word_light_key(y, &ly);
    if (fx && fy && lx == ly && memcmp(fx, fy, lx) == 0)
        return 1;
    if (x->type == RASD_TOK_ARABIC && y->type == RASD_TOK_ARABIC) {
        uint32_t cx[32], cy[32];
        size_t nx = noun_consonants(x, cx, 32), ny = noun_consonants(y, cy, 32);
        if (nx >= 3 && nx == ny && memcmp(cx, cy, nx * sizeof *cx) == 0)
            return 1;
    }
    Buf kx = {0}, ky = {0};
    noun_key(a, qa->noun, &kx);
    noun_key(b, qb->noun, &ky);
    int same = kx.len >= 2 && kx.len == ky.len && memcmp(kx.data, ky.data, kx.len) == 0;
    buf_free(&kx);
    buf_free(&ky);
    return same;
}

/* ---- formatting --------------------------------------------------------- */

static void put_num(Buf *out, double v)
{
    if (isinf(v))
        buf_puts(out, "inf");
    else if (v == floor(v) && fabs(v) < 1e18)
        buf_printf(out, "%.0f", v);
    else
        buf_printf(out, "%g", v);
}

void quant_format_value(const Quantity *q, Buf *out)
{
    switch (q->kind) {
    case QUANT_APPROX: buf_putc(out, '~'); put_num(out, q->value); break;
    case QUANT_MIN: buf_puts(out, q->strict ? ">" : ">="); put_num(out, q->lo); break;
    case QUANT_MAX: buf_puts(out, q->strict ? "<" : "<="); put_num(out, q->hi); break;
    case QUANT_RANGE: put_num(out, q->lo); buf_puts(out, ".."); put_num(out, q->hi); break;
    default: put_num(out, q->value); break;
    }
    if (q->percent)
        buf_putc(out, '%');
}

void quantities_format_lines(const rasd_doc *d, const Quantity *q, size_t n, Buf *out)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, '\n');
        buf_append(out, text + q[i].start, q[i].end - q[i].start);
        buf_puts(out, " => ");
        quant_format_value(&q[i], out);
        if (q[i].noun != QUANT_NO_NOUN) {
            buf_puts(out, " [");
            buf_append(out, text + t[q[i].noun].start, t[q[i].noun].end - t[q[i].noun].start);
            buf_putc(out, ']');
        }
        if (q[i].update)
            buf_puts(out, " (update)");
    }
}
