/*
 * plaintext.c — the plain-text reader: a page copied as text becomes one
 * Article with its headline, outlet, agency, author and date pulled out of
 * the lines around the story, and the story itself as paragraphs.
 *
 * The idea: a news page pasted as text is "headline, a few credit lines,
 * paragraphs, a few credit lines", possibly followed by other articles
 * under a "اقرأ أيضا" marker (split.c deals with those). So we only look
 * for metadata in two windows: the lines before the first paragraph and
 * the lines right before the end (or before the first marker). A line is
 * metadata when it is short and starts with a cue from a small lexicon
 * ("المصدر:", "بقلم", "تاريخ النشر:", "Published:" ...), is an
 * "OUTLET | AGENCY" credit, or is nothing but a date. Cues are matched on
 * the folded form (hamza, tashkeel, tatweel, case), so "إقرأ"/"اقرا" and
 * "أيضاً"/"ايضا" are one cue. A wire credit that opens the first paragraph
 * ("(CNN)–", "واشنطن (أ ف ب) -", "القاهرة - أ ش أ:") becomes the agency
 * and is cut from the text.
 *
 * The first line is the headline when it reads as one: short, at most one
 * sentence, no closing full stop, and followed by longer text.
 *
 * Lines are paragraphs, unless the file is hard-wrapped (blank lines
 * between blocks of lines of nearly equal length), in which case the lines
 * of a block are joined.
 *
 * This file also holds the line tools split.c and json.c share (txt_*):
 * ingest.h is the interface between readers and callers, so helpers that
 * only the ingest readers use are declared where they are used.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"


/* Folded keys of metadata lines are cut at this many bytes. */
#define KEY_CAP 256
/* A metadata line is never longer than this (characters). */
#define META_MAX_CHARS 120
/* Lines at the start and at the end examined for metadata. */
#define START_WINDOW 8
#define END_WINDOW 4

/* ---- small UTF-8 line tools ---- */

static int is_blank_class(int cl) { return cl == CL_SPACE || cl == CL_NEWLINE || cl == CL_IGNORE; }

/* Offset of the start of the code point that ends at e (s valid UTF-8). */
static size_t prev_cp(const char *s, size_t b, size_t e)
{
    size_t i = e - 1;
    while (i > b && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

void txt_trim(const char *s, size_t *b, size_t *e)
{
    chars_init();
    while (*b < *e) {
        size_t i = *b;
        uint32_t cp = utf8_next(s, *e, &i);
        if (!is_blank_class(char_class(cp)))
            break;
        *b = i;
    }
    while (*e > *b) {
        size_t i = prev_cp(s, *b, *e), j = i;
        uint32_t cp = utf8_next(s, *e, &j);
        if (!is_blank_class(char_class(cp)))
            break;
        *e = i;
    }
}

size_t txt_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

size_t txt_words(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    int in = 0;
    chars_init();
    while (i < n) {
        uint32_t cp = utf8_next(s, n, &i);
        int cl = char_class(cp);
        int sp = cl == CL_SPACE || cl == CL_NEWLINE;
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

static int has_digit(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp = utf8_next(s, n, &i);
        if (char_class(cp) == CL_DIGIT)
            return 1;
    }
    return 0;
}

size_t txt_fold(const char *s, size_t n, char *key, size_t cap, uint32_t *offs)
{
    chars_init();
    size_t i = 0, k = 0;
    int space = 1; /* drop leading white space, collapse runs */
    char tmp[64];
    if (cap == 0)
        return 0;
    while (i < n) {
        size_t st = i;
        uint32_t cp = utf8_next(s, n, &i);
        int cl = char_class(cp);
        if (cl == CL_SPACE || cl == CL_NEWLINE) {
            if (!space) {
                if (k + 1 >= cap) {
                    i = st;
                    break;
                }
                if (offs)
                    offs[k] = (uint32_t)st;
                key[k++] = ' ';
                space = 1;
            }
            continue;
        }
        size_t fl;
        const char *f = char_fold(cp, &fl, tmp);
        if (fl == 0)
            continue;
        if (k + fl >= cap) {
            i = st;
            break;
        }
        memcpy(key + k, f, fl);
        if (offs)
            for (size_t j = 0; j < fl; j++)
                offs[k + j] = (uint32_t)st;
        k += fl;
        space = 0;
    }
    key[k] = '\0';
    if (offs)
        offs[k] = (uint32_t)i;
    return k;
}

/* Is key[at] the end of a word (end, space, punctuation; not a letter/digit)? */
static int boundary(const char *key, size_t klen, size_t at)
{
    if (at >= klen)
        return 1;
    size_t i = at;
    uint32_t cp = utf8_next(key, klen, &i);
    int cl = char_class(cp);
    return cl != CL_AR && cl != CL_LETTER && cl != CL_DIGIT && cl != CL_MARK;
}

/* Length of cue when key starts with it as whole words, else 0. */
static size_t cue_at(const char *key, size_t klen, size_t at, const char *cue)
{
    size_t c = strlen(cue);
    if (at + c <= klen && memcmp(key + at, cue, c) == 0 && boundary(key, klen, at + c))
        return c;
    return 0;
}

/* Separator after a cue: ':' (any width), a dash, '='. Returns bytes, or 0. */
static size_t separator_at(const char *key, size_t klen, size_t at)
{
    static const char *const seps[] = {":", "\xEF\xBC\x9A", "-", "\xE2\x80\x93", "\xE2\x80\x94", "="};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        size_t l = strlen(seps[i]);
        if (at + l <= klen && memcmp(key + at, seps[i], l) == 0)
            return l;
    }
    return 0;
}

/* Trims white space, then closing punctuation and wrapping quotes, off a value. */
static void trim_value(const char *s, size_t *b, size_t *e)
{
    for (int pass = 0; pass < 8; pass++) {
        txt_trim(s, b, e);
        if (*b >= *e)
            return;
        size_t lb = *b, le = prev_cp(s, *b, *e);
        size_t j = lb;
        uint32_t first = utf8_next(s, *e, &j);
        size_t k = le;
        uint32_t last = utf8_next(s, *e, &k);
        int changed = 0;
        int fcl = char_class(first), lcl = char_class(last);
        if (fcl == CL_QUOTE || first == ':' || first == '-' || first == 0x2013 || first == 0x2014) {
            *b = j;
            changed = 1;
        }
        if (*b < *e && (lcl == CL_QUOTE || last == '.' || last == ',' || last == 0x060C ||
                        last == ':' || last == ';' || last == 0x061B || last == '-' ||
                        last == 0x2013 || last == 0x2014 || last == '|')) {
            if (le >= *b)
                *e = le;
            changed = 1;
        }
        if (!changed)
            return;
    }
}

/* ---- lexicons (folded forms: ا for أ إ آ, ه for ة, ي for ى, lower case) ---- */

enum MetaKind {
    META_NONE = 0,
    META_SOURCE,  /* value names the outlet */
    META_AGENCY,  /* value names the original agency ("نقلا عن") */
    META_AUTHOR,  /* value is the writer */
    META_DATE,    /* value is the publication date */
    META_UPDATED, /* value is a last-update date: used only without a publication date */
    META_PIPE,    /* "OUTLET | AGENCY" */
    META_SKIP     /* a credit that names nobody ("المصدر: وكالات"): dropped */
};

typedef struct Cue {
    const char *key; /* folded cue words */
    int kind;        /* enum MetaKind */
    int need_sep;    /* 1: must be followed by ':' or a dash; 0: a space will do */
} Cue;

static const Cue cues[] = {
    {"المصدر", META_SOURCE, 1},       {"مصدر الخبر", META_SOURCE, 1},
    {"المصادر", META_SOURCE, 1},      {"source", META_SOURCE, 1},
    {"sources", META_SOURCE, 1},      {"نقلا عن", META_AGENCY, 0},
    {"بقلم", META_AUTHOR, 0},         {"كتب", META_AUTHOR, 1},
    {"كتبت", META_AUTHOR, 1},         {"الكاتب", META_AUTHOR, 1},
    {"الكاتبه", META_AUTHOR, 1},      {"اعداد", META_AUTHOR, 1},
    {"تحرير", META_AUTHOR, 1},        {"المحرر", META_AUTHOR, 1},
    {"by", META_AUTHOR, 0},           {"written by", META_AUTHOR, 0},
    {"author", META_AUTHOR, 1},       {"تاريخ النشر", META_DATE, 0},
    {"نشر في", META_DATE, 0},         {"نشر بتاريخ", META_DATE, 0},
    {"نشرت في", META_DATE, 0},        {"تم النشر", META_DATE, 0},
    {"نشر", META_DATE, 1},            {"التاريخ", META_DATE, 1},
    {"تاريخ", META_DATE, 1},          {"published", META_DATE, 0},
    {"published on", META_DATE, 0},   {"posted", META_DATE, 0},
    {"posted on", META_DATE, 0},      {"date", META_DATE, 1},
    {"اخر تحديث", META_UPDATED, 0},   {"تاريخ التحديث", META_UPDATED, 0},
    {"تم التحديث", META_UPDATED, 0},  {"تحديث", META_UPDATED, 1},
    {"updated", META_UPDATED, 0},     {"last updated", META_UPDATED, 0},
};

/* Credits that name no one in particular. */
static const char *const generic_sources[] = {
    "وكالات", "الوكالات", "متابعات", "مواقع", "وكالات الانباء", "وسائل اعلام",
    "مواقع التواصل", "agencies", "wires", "news agencies",
};

/* Wire agencies, for credits written without parentheses ("القاهرة - أ ش أ:"). */
static const char *const agencies[] = {
    "رويترز", "فرانس برس", "ا ف ب", "اف ب", "ا.ف.ب", "الاناضول", "سبوتنيك", "تاس",
    "نوفوستي", "اسوشيتد برس", "اسوشيتدبرس", "ا ب", "د ب ا", "شينخوا", "كونا", "واس",
    "وام", "سانا", "بترا", "قنا", "ا ش ا", "بنا", "وفا", "ارنا", "ايرنا", "سي ان ان",
    "بي بي سي", "reuters", "afp", "ap", "dpa", "cnn", "bbc", "xinhua", "anadolu",
    "وكالات",
};

/* Parenthesised words at the start of a paragraph that are labels, not credits. */
static const char *const not_credits[] = {
    "فيديو", "بالفيديو", "صور", "صوره", "بالصور", "تحديث", "عاجل", "خاص", "حصري",
    "محدث", "video", "photos", "update", "updated", "exclusive", "live", "breaking", "urgent",
    "السبت", "الاحد", "الاثنين", "الثلاثاء", "الثلثاء", "الاربعاء", "الخميس", "الجمعه",
    "اليوم", "امس",
};

/*
 * Country adjectives that follow an outlet's name to say where it is from
 * ("السومرية العراقية", "الأهرام المصرية"): the outlet is the name alone.
 */
static const char *const nisbas[] = {
    "العراقيه", "السعوديه", "المصريه", "الاردنيه", "اللبنانيه", "السوريه", "الكويتيه",
    "القطريه", "الاماراتيه", "البحرينيه", "العمانيه", "اليمنيه", "الليبيه", "التونسيه",
    "الجزائريه", "المغربيه", "السودانيه", "الفلسطينيه", "الموريتانيه", "الروسيه",
    "الامريكيه", "الاميركيه", "البريطانيه", "الفرنسيه", "التركيه", "الايرانيه", "الصينيه",
    "الالمانيه", "اللندنيه",
};
/* Words that make a two-word credit a description, not "NAME country". */
static const char *const outlet_nouns[] = {
    "وكاله", "صحيفه", "قناه", "اذاعه", "جريده", "مجله", "شبكه", "الوكاله", "الصحيفه",
    "القناه", "الاذاعه", "الجريده", "المجله", "الشبكه", "موقع", "الموقع", "الانباء",
    "وزاره", "الحكومه", "الرئاسه",
};

static int in_list(const char *key, size_t klen, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == klen && memcmp(list[i], key, klen) == 0)
            return 1;
    return 0;
}
#define IN_LIST(k, l, list) in_list((k), (l), (list), sizeof(list) / sizeof *(list))

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* "YYYY-MM-DD..." (or with / or .) → malloc'd "YYYY-MM-DD" when it is a real day. */
static char *ymd_prefix(const char *s, size_t n)
{
    if (n < 10)
        return NULL;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return NULL;
    }
    char sep = s[4];
    if ((sep != '-' && sep != '/' && sep != '.') || s[7] != sep)
        return NULL;
    if (n > 10 && ((s[10] >= '0' && s[10] <= '9')))
        return NULL;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return NULL;
    char *r = malloc(11);
    if (!r)
        return NULL;
    memcpy(r, s, 10);
    r[4] = r[7] = '-';
    r[10] = '\0';
    return r;
}

char *txt_date(const char *s, size_t n)
{
    size_t b = 0, e = n;
    txt_trim(s, &b, &e);
    if (b >= e)
        return NULL;
    char *d = ingest_parse_date(s + b, e - b);
    if (!d)
        d = ymd_prefix(s + b, e - b);
    return d;
}

/* ---- metadata lines ---- */

typedef struct Ctx {
    Article *a;          /* article being filled */
    int pub_is_update;   /* a->published came from a "last updated" line */
} Ctx;

static int set_field(char **field, const char *s, size_t b, size_t e)
{
    trim_value(s, &b, &e);
    if (*field || b >= e)
        return 0;
    *field = xstrndup(s + b, e - b);
    return *field ? 0 : -1;
}

/* Like set_field, but keeps quotes and dots (a headline may end in "..." or a quote). */
static int set_plain(char **field, const char *s, size_t b, size_t e)
{
    txt_trim(s, &b, &e);
    if (*field || b >= e)
        return 0;
    *field = xstrndup(s + b, e - b);
    return *field ? 0 : -1;
}

/* The outlet, minus a trailing country adjective ("السومرية العراقية" → "السومرية"). */
static int set_outlet(Ctx *c, const char *s, size_t b, size_t e)
{
    trim_value(s, &b, &e);
    if (c->a->outlet || b >= e)
        return 0;
    if (txt_words(s + b, e - b) == 2) {
        char key[KEY_CAP];
        uint32_t offs[KEY_CAP];
        size_t kl = txt_fold(s + b, e - b, key, sizeof key, offs);
        char *sp = memchr(key, ' ', kl);
        if (sp && offs[kl] == e - b) {
            size_t w1 = (size_t)(sp - key);
            if (IN_LIST(sp + 1, kl - w1 - 1, nisbas) && !IN_LIST(key, w1, outlet_nouns))
                e = b + offs[w1];
        }
    }
    return set_field(&c->a->outlet, s, b, e);
}

static int set_date(Ctx *c, const char *s, size_t b, size_t e, int is_update)
{
    char *d = txt_date(s + b, e - b);
    if (!d)
        return 0;
    if (c->a->published && !(c->pub_is_update && !is_update)) {
        free(d);
        return 0;
    }
    free(c->a->published);
    c->a->published = d;
    c->pub_is_update = is_update;
    return 0;
}

/* Is this whole short line a date and nothing else? */
static int is_date_line(const char *s, size_t n)
{
    if (txt_chars(s, n) > 50 || txt_words(s, n) > 8 || !has_digit(s, n))
        return 0;
    char *d = txt_date(s, n);
    if (!d)
        return 0;
    size_t dl = strlen(d);
    free(d);
    return dl >= 10; /* a full day, not "2023" */
}

static int sentence_end(uint32_t cp) { return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F; }

static uint32_t last_char(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t i = prev_cp(s, 0, n);
    return utf8_next(s, n, &i);
}

/* Byte offset of the only pipe-like separator in s, or -1 if none or several. */
static long single_pipe(const char *s, size_t n, size_t *plen)
{
    long at = -1;
    size_t i = 0;
    while (i < n) {
        size_t st = i;
        uint32_t cp = utf8_next(s, n, &i);
        if (cp == '|' || cp == 0xFF5C || cp == 0x2502 || cp == 0x00A6) {
            if (at >= 0)
                return -1;
            at = (long)st;
            *plen = i - st;
        }
    }
    return at;
}

static int meta_line_ctx(Ctx *c, const char *s, size_t n, int apply, int depth);

/* One side of "A | B": a cue line, a date, or a name. */
static int pipe_side(Ctx *c, const char *s, size_t b, size_t e, int left, int apply)
{
    int k = meta_line_ctx(c, s + b, e - b, apply, 1);
    if (k)
        return 0;
    if (is_date_line(s + b, e - b))
        return apply ? set_date(c, s, b, e, 0) : 0;
    if (!apply)
        return 0;
    if (left)
        return set_outlet(c, s, b, e);
    return set_field(&c->a->agency, s, b, e);
}

/*
 * Classifies one trimmed line; when apply is set, stores what it says in
 * c->a (first value wins). Returns enum MetaKind (META_NONE: body text), or
 * -1 when out of memory.
 */
static int meta_line_ctx(Ctx *c, const char *s, size_t n, int apply, int depth)
{
    if (n == 0 || n > 4 * META_MAX_CHARS || txt_chars(s, n) > META_MAX_CHARS)
        return META_NONE;
    char key[KEY_CAP];
    uint32_t offs[KEY_CAP];
    size_t kl = txt_fold(s, n, key, sizeof key, offs);

    /* 1. cue words */
    const Cue *best = NULL;
    size_t blen = 0;
    for (size_t i = 0; i < sizeof cues / sizeof *cues; i++) {
        size_t l = cue_at(key, kl, 0, cues[i].key);
        if (l > blen) {
            blen = l;
            best = &cues[i];
        }
    }
    if (best) {
        size_t p = blen;
        while (p < kl && key[p] == ' ')
            p++;
        size_t sl = separator_at(key, kl, p);
        int ok = 1;
        if (sl) {
            p += sl;
            while (p < kl && key[p] == ' ')
                p++;
        } else if (best->need_sep) {
            ok = 0;
        }
        size_t vb = offs[p], ve = n;
        trim_value(s, &vb, &ve);
        size_t words = vb < ve ? txt_words(s + vb, ve - vb) : 0;
        if (ok && vb < ve) {
            switch (best->kind) {
            case META_SOURCE: {
                if (words > 8 || sentence_end(last_char(s + vb, ve - vb)))
                    break;
                char vk[KEY_CAP];
                size_t vkl = txt_fold(s + vb, ve - vb, vk, sizeof vk, NULL);
                if (IN_LIST(vk, vkl, generic_sources))
                    return META_SKIP;
                if (apply && set_outlet(c, s, vb, ve) < 0)
                    return -1;
                return META_SOURCE;
            }
            case META_AGENCY:
                if (words > 5)
                    break;
                if (apply && set_field(&c->a->agency, s, vb, ve) < 0)
                    return -1;
                return META_AGENCY;
            case META_AUTHOR: {
                /* "كتب: فلان - القاهرة", "بقلم: فلان، مراسل": the name is the first part */
                size_t i = vb, cut = ve;
                while (i < ve) {
                    size_t st = i;
                    uint32_t cp = utf8_next(s, ve, &i);
                    if (cp == 0x060C || cp == ',' || cp == '|' ||
                        ((cp == '-' || cp == 0x2013) && st > vb && s[st - 1] == ' ')) {
                        cut = st;
                        break;
                    }
                }
                size_t w = txt_words(s + vb, cut - vb);
                if (w == 0 || w > 6 || (!sl && (w > 4 || has_digit(s + vb, cut - vb))))
                    break;
                if (apply && set_field(&c->a->author, s, vb, cut) < 0)
                    return -1;
                return META_AUTHOR;
            }
            case META_DATE:
            case META_UPDATED: {
                if (words > 12)
                    break;
                char *d = txt_date(s + vb, ve - vb);
                if (!d && (!sl || !has_digit(s + vb, ve - vb)))
                    break; /* "نشر في" opening a sentence, not a date line */
                free(d);
                if (apply && set_date(c, s, vb, ve, best->kind == META_UPDATED) < 0)
                    return -1;
                return best->kind;
            }
            }
        }
    }
    if (depth > 0)
        return META_NONE;

    /* 2. "OUTLET | AGENCY" (either side may be a date or a cue line) */
    size_t pl = 0;
    long at = single_pipe(s, n, &pl);
    if (at >= 0) {
        size_t lb = 0, le = (size_t)at, rb = (size_t)at + pl, re = n;
        txt_trim(s, &lb, &le);
        txt_trim(s, &rb, &re);
        if (lb < le && rb < re) {
            size_t lw = txt_words(s + lb, le - lb), rw = txt_words(s + rb, re - rb);
            /* "عاجل | ..." is a flagged headline, not a credit */
            char lk[KEY_CAP];
            size_t lkl = txt_fold(s + lb, le - lb, lk, sizeof lk, NULL);
            if (!IN_LIST(lk, lkl, not_credits) && lw <= 4 && rw <= 5 && txt_chars(s + lb, le - lb) <= 40 &&
                txt_chars(s + rb, re - rb) <= 40 && !sentence_end(last_char(s + lb, le - lb)) &&
                !sentence_end(last_char(s + rb, re - rb))) {
                if (pipe_side(c, s, lb, le, 1, apply) < 0 || pipe_side(c, s, rb, re, 0, apply) < 0)
                    return -1;
                return META_PIPE;
            }
        }
    }

    /* 3. a line that is only a date */
    if (is_date_line(s, n)) {
        if (apply && set_date(c, s, 0, n, 0) < 0)
            return -1;
        return META_DATE;
    }
    return META_NONE;
}

int txt_is_meta_line(const char *s, size_t n)
{
    Article tmp;
    memset(&tmp, 0, sizeof tmp);
    Ctx c = {&tmp, 0};
    return meta_line_ctx(&c, s, n, 0, 0) > 0;
}

/* ---- headlines ---- */

int txt_is_headline(const char *s, size_t n)
{
    size_t chars = txt_chars(s, n), words = txt_words(s, n);
    if (chars < 3 || chars > 200 || words < 2 || words > 30)
        return 0;
    uint32_t last = last_char(s, n);
    if (last == ':' || last == ',' || last == 0x060C || last == ';' || last == 0x061B)
        return 0;
    /* a single closing full stop ends a sentence; ".." and "..." are a headline's ellipsis */
    if (last == '.' && !(n >= 2 && s[n - 2] == '.'))
        return 0;
    /* two sentences are a paragraph; "د. محمد" (a one-letter abbreviation) is not */
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] != '.' || s[i - 1] == '.' || s[i + 1] != ' ' || (i + 2 < n && s[i + 2] == '.'))
            continue;
        size_t p = prev_cp(s, 0, i);
        if (p == 0 || s[p - 1] == ' ')
            continue;
        return 0;
    }
    return 1;
}

/*
 * "HEADLINE | OUTLET" on the title line: the part after the pipe names the
 * site when it is short and the headline is not.
 */
static int title_with_outlet(Ctx *c, const char *s, size_t n)
{
    size_t pl = 0;
    long at = single_pipe(s, n, &pl);
    if (at >= 0) {
        size_t lb = 0, le = (size_t)at, rb = (size_t)at + pl, re = n;
        txt_trim(s, &lb, &le);
        txt_trim(s, &rb, &re);
        if (lb < le && rb < re && txt_words(s + lb, le - lb) >= 5 &&
            txt_words(s + rb, re - rb) <= 4 && txt_chars(s + rb, re - rb) <= 40) {
            if (set_outlet(c, s, rb, re) < 0)
                return -1;
            return set_plain(&c->a->title, s, lb, le);
        }
    }
    return set_plain(&c->a->title, s, 0, n);
}

/* ---- wire credits opening the first paragraph ---- */

/* Bytes to cut from the start of s for a dateline credit (0: none); the credit is [*cb,*ce). */
static size_t dateline_credit(const char *s, size_t n, size_t *cb, size_t *ce)
{
    /* "(CNN)–", "واشنطن (أ ف ب) -": up to three words of place, a short
       parenthesised credit, then a dash or a colon */
    size_t lim = n < 120 ? n : 120;
    const char *open = memchr(s, '(', lim);
    if (open) {
        size_t ob = (size_t)(open - s);
        size_t i = 0;
        int ok = txt_words(s, ob) <= 3;
        while (ok && i < ob) {
            uint32_t cp = utf8_next(s, ob, &i);
            int cl = char_class(cp);
            if (!(cl == CL_AR || cl == CL_LETTER || cl == CL_SPACE || cl == CL_IGNORE || cl == CL_MARK))
                ok = 0;
        }
        const char *close = ok ? memchr(open, ')', n - ob < 60 ? n - ob : 60) : NULL;
        if (close) {
            size_t b = ob + 1, e = (size_t)(close - s);
            txt_trim(s, &b, &e);
            size_t j = (size_t)(close - s) + 1;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            char k2[KEY_CAP];
            size_t sl = j < n ? separator_at(s, n, j) : 0;
            if (!sl && j + 2 <= n && (unsigned char)s[j] == 0xD9 && (unsigned char)s[j + 1] == 0x80)
                sl = 2; /* a tatweel drawn as a dash */
            if (b < e && sl && txt_words(s + b, e - b) <= 5 && txt_chars(s + b, e - b) <= 40 &&
                !has_digit(s + b, e - b)) {
                size_t kl = txt_fold(s + b, e - b, k2, sizeof k2, NULL);
                if (!IN_LIST(k2, kl, not_credits)) {
                    j += sl;
                    while (j < n && (s[j] == '-' || s[j] == ' ' || s[j] == ':'))
                        j++;
                    *cb = b;
                    *ce = e;
                    return j;
                }
            }
        }
    }
    /* "رويترز - ..." or "القاهرة - أ ش أ:": only known agencies, since
       "PLACE - words:" is also how many plain sentences begin */
    char key[KEY_CAP];
    uint32_t offs[KEY_CAP];
    size_t kl = txt_fold(s, n < 160 ? n : 160, key, sizeof key, offs);
    size_t starts[2] = {0, 0};
    size_t nst = 1;
    for (size_t p = 0, words = 0; p < kl && p < 60; p++) {
        if (key[p] == ' ')
            words++;
        size_t sl = separator_at(key, kl, p);
        if (sl && (key[p] != ':') && words <= 3 && p > 0) {
            size_t q = p + sl;
            while (q < kl && key[q] == ' ')
                q++;
            starts[nst++] = q;
            break;
        }
    }
    for (size_t t = 0; t < nst; t++) {
        size_t st = starts[t];
        for (size_t a = 0; a < sizeof agencies / sizeof *agencies; a++) {
            size_t l = cue_at(key, kl, st, agencies[a]);
            if (!l)
                continue;
            size_t q = st + l;
            while (q < kl && key[q] == ' ')
                q++;
            size_t sl = separator_at(key, kl, q);
            if (!sl)
                continue;
            /* credit first: "رويترز - "; place first: needs the colon "أ ش أ:" */
            if (t == 1 && key[q] != ':')
                continue;
            q += sl;
            while (q < kl && key[q] == ' ')
                q++;
            *cb = offs[st];
            *ce = offs[st + l];
            return offs[q];
        }
    }
    return 0;
}

/* ---- the reader ---- */

typedef struct Line {
    size_t b, e;     /* trimmed byte span in the text, [b,e) */
    int blank_before;/* a blank line separates it from the previous line */
    int drop;        /* metadata or title: not part of the body */
} Line;

static Line *split_lines(const char *s, size_t n, size_t *count)
{
    size_t cap = 16, k = 0;
    Line *v = malloc(cap * sizeof *v);
    if (!v)
        return NULL;
    size_t i = 0;
    int blank = 0;
    while (i < n) {
        size_t st = i;
        while (i < n && s[i] != '\n' && s[i] != '\r')
            i++;
        size_t b = st, e = i;
        if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            i++;
        if (i < n)
            i++;
        txt_trim(s, &b, &e);
        if (b >= e) {
            blank = 1;
            continue;
        }
        if (k == cap) {
            Line *p = realloc(v, cap * 2 * sizeof *v);
            if (!p) {
                free(v);
                return NULL;
            }
            v = p;
            cap *= 2;
        }
        v[k].b = b;
        v[k].e = e;
        v[k].blank_before = k > 0 && blank;
        v[k].drop = 0;
        k++;
        blank = 0;
    }
    *count = k;
    return v;
}

/*
 * Hard-wrapped text: blank lines separate blocks, and inside the blocks
 * lines run to nearly the same width. Returns that width or 0.
 */
static size_t wrap_width(const char *s, const Line *L, size_t n)
{
    size_t maxc = 0, blanks = 0;
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (L[i].drop)
            continue;
        size_t c = txt_chars(s + L[i].b, L[i].e - L[i].b);
        if (c > maxc)
            maxc = c;
        if (!first)
            blanks += L[i].blank_before; /* a blank after the headline proves nothing */
        first = 0;
    }
    if (!blanks || maxc > 100 || maxc < 30)
        return 0;
    size_t inner = 0, full = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (L[i].drop || L[i + 1].drop || L[i + 1].blank_before)
            continue; /* only lines followed by another line of their block */
        inner++;
        if (txt_chars(s + L[i].b, L[i].e - L[i].b) * 10 >= maxc * 6)
            full++;
    }
    return inner >= 2 && full * 10 >= inner * 6 ? maxc : 0;
}

static int is_list_item(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c == '-' || c == '*' || (c == 0xE2 && n > 2 && (unsigned char)s[1] == 0x80 &&
                                 (unsigned char)s[2] == 0xA2))
        return 1;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > 0 && i < n && (s[i] == '.' || s[i] == ')' || s[i] == '-');
}

int txt_parse(Article *a, const char *s, size_t n, int first_line_is_title)
{
    size_t nl = 0;
    Line *L = split_lines(s, n, &nl);
    if (!L)
        return -1;
    Ctx c = {a, 0};
    int rc = 0;

    /* metadata stops at the first "اقرأ أيضا" marker: what follows is another article */
    size_t mk = nl;
    for (size_t i = 1; i < nl; i++) {
        size_t rest;
        if (split_marker_at(s + L[i].b, L[i].e - L[i].b, &rest)) {
            mk = i;
            break;
        }
    }

    /* the start: metadata lines and the headline, in any order, until the first paragraph */
    size_t i = 0;
    int have_title = a->title != NULL;
    for (; i < mk && i < START_WINDOW; i++) {
        const char *ls = s + L[i].b;
        size_t ln = L[i].e - L[i].b;
        int k = meta_line_ctx(&c, ls, ln, 1, 0);
        if (k < 0) {
            rc = -1;
            goto out;
        }
        if (k > 0) {
            L[i].drop = 1;
            continue;
        }
        if (!have_title) {
            int take = 0;
            if (first_line_is_title) {
                take = txt_chars(ls, ln) <= 300;
            } else if (txt_is_headline(ls, ln)) {
                /* followed by more text than itself */
                size_t more = 0;
                for (size_t j = i + 1; j < mk; j++)
                    more += L[j].e - L[j].b;
                take = more > ln;
            }
            have_title = 1; /* only the first candidate can be the headline */
            if (take) {
                if (title_with_outlet(&c, ls, ln) < 0) {
                    rc = -1;
                    goto out;
                }
                L[i].drop = 1;
                continue;
            }
        }
        break;
    }
    size_t first_body = i;

    /* the end (before any marker): contiguous metadata lines */
    for (size_t j = mk, seen = 0; j > first_body && seen < END_WINDOW; seen++) {
        j--;
        int k = meta_line_ctx(&c, s + L[j].b, L[j].e - L[j].b, 1, 0);
        if (k < 0) {
            rc = -1;
            goto out;
        }
        if (k == 0)
            break;
        L[j].drop = 1;
    }

    /* a wire credit opening the first paragraph */
    while (first_body < nl && L[first_body].drop)
        first_body++;
    if (first_body < mk) {
        size_t cb = 0, ce = 0;
        size_t cut = dateline_credit(s + L[first_body].b, L[first_body].e - L[first_body].b, &cb, &ce);
        if (cut) {
            if (set_field(&a->agency, s + L[first_body].b, cb, ce) < 0) {
                rc = -1;
                goto out;
            }
            L[first_body].b += cut;
            txt_trim(s, &L[first_body].b, &L[first_body].e);
            if (L[first_body].b >= L[first_body].e)
                L[first_body].drop = 1;
        }
    }

    /* the body: paragraphs, joined lines when hard-wrapped */
    size_t width = wrap_width(s, L, nl);
    Buf body = {0};
    int open = 0; /* a paragraph has been started */
    size_t prev = (size_t)-1;
    for (size_t j = 0; j < nl; j++) {
        if (L[j].drop)
            continue;
        const char *ls = s + L[j].b;
        size_t ln = L[j].e - L[j].b;
        int join = 0;
        if (width && open && prev != (size_t)-1 && !L[j].blank_before && !is_list_item(ls, ln)) {
            /* a short previous line ended its paragraph on purpose */
            size_t pc = txt_chars(s + L[prev].b, L[prev].e - L[prev].b);
            join = pc * 10 >= width * 6;
        }
        if (open)
            buf_puts(&body, join ? " " : "\n\n");
        buf_append(&body, ls, ln);
        open = 1;
        prev = j;
    }
    buf_append(&body, "", 0);
    if (body.oom) {
        buf_free(&body);
        rc = -1;
        goto out;
    }
    free(a->body);
    a->body = buf_steal(&body);
out:
    free(L);
    return rc;
}

/* Normalises line ends to '\n' (CR LF, CR, U+2028, U+2029) in valid UTF-8. */
static void normalise_newlines(Buf *b)
{
    size_t k = 0;
    char *d = b->data;
    for (size_t i = 0; i < b->len;) {
        unsigned char c = (unsigned char)d[i];
        if (c == '\r') {
            d[k++] = '\n';
            i += (i + 1 < b->len && d[i + 1] == '\n') ? 2 : 1;
        } else if (c == 0xE2 && i + 2 < b->len && (unsigned char)d[i + 1] == 0x80 &&
                   ((unsigned char)d[i + 2] == 0xA8 || (unsigned char)d[i + 2] == 0xA9)) {
            int para = (unsigned char)d[i + 2] == 0xA9;
            d[k++] = '\n';
            if (para)
                d[k++] = '\n'; /* 3 bytes become at most 2: still in place */
            i += 3;
        } else {
            d[k++] = d[i++];
        }
    }
    b->len = k;
    if (b->data)
        b->data[k] = '\0';
}

rasd_err ingest_text(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err)
{
    if (!out || (!bytes && n))
        return rasd_fail(err, RASD_EINVAL, "ingest_text: bad argument");
    const char *org = origin ? origin : "input";
    Buf clean = {0};
    if (ingest_clean(bytes, n, &clean) < 0)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
    normalise_newlines(&clean);
    size_t b = 0, e = clean.len;
    txt_trim(clean.data, &b, &e);
    if (b >= e) {
        buf_free(&clean);
        return rasd_fail(err, RASD_EFORMAT, "%s: no text (the file is empty)", org);
    }
    size_t idx = out->n;
    Article *a = batch_add(out);
    if (!a) {
        buf_free(&clean);
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
    }
    int rc = txt_parse(a, clean.data, clean.len, 0);
    buf_free(&clean);
    if (rc == 0)
        a->origin = xstrndup(org, strlen(org));
    if (rc < 0 || !a->origin || !a->body) {
        article_free(a);
        out->n--;
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
    }
    if (a->body[0] == '\0') {
        article_free(a);
        out->n--;
        return rasd_fail(err, RASD_EFORMAT,
                         "%s: no article text, only a headline or credit lines", org);
    }
    ingest_split_appended(out, idx);
    return RASD_OK;
}
