/*
 * dates.c — date expressions in Arabic news text: where they are and which
 * calendar day, month, year or range they name (see dates.h for the values
 * and conventions).
 *
 * Main idea: dates are a small regular language over the text core's
 * tokens, so this is a hand-written grammar, not a model. Three layers:
 *
 *   1. Lexicon (data/lexicon/dates.txt, compiled in). Every word or phrase
 *      the grammar cares about — month names of every regional set, Hijri
 *      months, weekdays, أمس/غدا, units, cue words — has a category and a
 *      value. Each token is looked up once, as written and with its
 *      proclitics (و ف ب ل ك, لل = ل+ال) and article stripped, and phrases
 *      of up to four tokens (كانون الثاني، ذو الحجة، أول من أمس) are tried
 *      when the first word heads one. The grammar only asks "is there a
 *      month name at token j, and how many tokens is it?".
 *
 *   2. Grammar. At each token the parsers below are tried (day-month-year,
 *      numeric dates, years, decades and centuries, relative days and
 *      units, weekdays, parts of periods, ranges, durations), each reading
 *      a bounded number of tokens ahead; the longest match wins and the
 *      scan resumes after it, so a document costs linear time. Cue words
 *      that belong to the span (بتاريخ، يوم، منذ، قبل، بعد، خلال، صباح) are
 *      consumed as prefixes before trying the parsers again. A parser
 *      describes what it read as a DX: written fields (y/m/d, calendar,
 *      weekday, decade) or an offset from the publication date, plus how a
 *      missing year is to be chosen.
 *
 *   3. Resolution. A DX becomes an interval of days against the
 *      publication date (and the Umm al-Qura calendar for Hijri
 *      dates, src/util/calendar.c), then a value string at the
 *      granularity written.
 *
 *   4. Around each parse (dates_find): a restatement in the other
 *      calendar after الموافق or in parentheses joins the span and gives
 *      the value (p_equivalent); a day-month inside a name is dropped
 *      (in_name); when the scan is done, the first date of the text or
 *      of a publication-label line is checked for a dateline
 *      (mark_dateline).
 *
 * Words that are also everyday words (مارس "practised", آب "father",
 * صفر "zero") are marked in the lexicon and count only with an anchor: a
 * day number, a year, شهر, a paired name (يوليو/تموز), الماضي/المقبل, or a
 * cue word before them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "../text/text.h"
#include "../util/calendar.h"

/* The lexicon compiled in from data/lexicon/dates.txt (build/gen/dates_lexicon.c). */
extern const unsigned char lex_dates[];
extern const unsigned long lex_dates_len;

/* ======================================================================
 * Calendar arithmetic: src/util/calendar.c (Umm al-Qura for Hijri dates).
 * The dates_* names are kept for the callers that still use them.
 * ==================================================================== */

long dates_days_from_civil(int y, int m, int d) { return cal_days_from_civil(y, m, d); }

void dates_civil_from_days(long z, int *y, int *m, int *d) { cal_civil_from_days(z, y, m, d); }

static int days_in_month(int y, int m) { return cal_days_in_month(y, m); }

static int valid_greg(int y, int m, int d) { return cal_valid_ymd(y, m, d); }

static int hijri_month_len(long hy, int hm) { return cal_hijri_month_len((int)hy, hm); }

int dates_hijri_to_greg(int hy, int hm, int hd, int *y, int *m, int *d)
{
    return cal_hijri_to_greg(hy, hm, hd, y, m, d);
}

void dates_greg_to_hijri(int y, int m, int d, int *hy, int *hm, int *hd)
{
    cal_greg_to_hijri(y, m, d, hy, hm, hd);
}

/* ======================================================================
 * Lexicon
 * ==================================================================== */

enum {
    LX_NONE = 0,
    LX_GMONTH, LX_HMONTH, LX_WEEKDAY, LX_RELDAY, LX_UNIT1, LX_UNIT2, LX_UNITN,
    LX_PAST, LX_FUTURE, LX_CURRENT, LX_THIS, LX_RECENT, LX_NOTDAY, LX_PART,
    LX_DATECUE, LX_DAYCUE, LX_TOD, LX_MONTHCUE, LX_YEARCUE, LX_YEARCUE2, LX_MOD,
    LX_DURCUE, LX_AGREE, LX_EPITHET, LX_PREP, LX_FROM, LX_TO, LX_BETWEEN, LX_AND,
    LX_OF, LX_SAME, LX_ERA_H, LX_ERA_G, LX_DECADE, LX_CENTURY, LX_ORD, LX_NUM,
    LX_SET, LX_FUTCUE, LX_PERIODWORD, LX_PERIODADJ, LX_EVENT, LX_QTY, LX_WDBLOCK,
    LX_WDNEXT, LX_RELPRO, LX_NAMEHEAD, LX_AGENCY, LX_PUBLABEL, LX_RELBLOCK,
    LX_RELNEXT, LX_AGE, LX_NOTYEAR, LX_EVFROM, LX_NCATS
};

static const char *const cat_names[LX_NCATS] = {
    "", "gmonth", "hmonth", "weekday", "relday", "unit1", "unit2", "unitn",
    "past", "future", "current", "this", "recent", "notday", "part",
    "datecue", "daycue", "tod", "monthcue", "yearcue", "yearcue2", "mod",
    "durcue", "agree", "epithet", "prep", "from", "to", "between", "and",
    "of", "same", "era_h", "era_g", "decade", "century", "ord", "num",
    "set", "futcue", "periodword", "periodadj", "event", "qty", "wdblock",
    "wdnext", "relpro", "namehead", "agency", "publabel", "relblock", "relnext", "age", "notyear", "evfrom"};

/* Units, as the lexicon numbers them; also the granularities of values. */
enum { U_DAY = 1, U_WEEK, U_MONTH, U_YEAR, U_DECADE, U_CENTURY };

#define PHRASE_MAX 4  /* words in the longest lexicon phrase */

typedef struct LexEntry {
    uint32_t off, len; /* phrase (keys joined by one space) in Lex.pool, bytes */
    int16_t val;       /* the category's value (month number, offset ...) */
    uint8_t cat;       /* LX_* */
    uint8_t anchor;    /* 1: also an everyday word; needs an anchor to count */
    uint8_t ntok;      /* words in the phrase */
    uint8_t lead;      /* the form's first letter if a hamza alef (HAMZA_*), else 0 */
} LexEntry;

/* Alef with hamza above, below, or madda: folded away in keys, but a
   written one that contradicts the lexicon's spelling makes another word
   (إب, a city, is not آب, August). */
enum { HAMZA_ABOVE = 1, HAMZA_BELOW, HAMZA_MADDA };

static int hamza_lead(const char *p, size_t n)
{
    if (n < 2 || (unsigned char)p[0] != 0xD8)
        return 0;
    switch ((unsigned char)p[1]) {
    case 0xA3: return HAMZA_ABOVE;
    case 0xA5: return HAMZA_BELOW;
    case 0xA2: return HAMZA_MADDA;
    }
    return 0;
}

typedef struct Lex {
    LexEntry *e;     /* entries sorted by phrase, so one phrase's entries are adjacent */
    size_t n;        /* entries */
    char *pool;      /* phrase bytes */
    size_t pool_len, pool_cap;
    uint32_t *slots; /* open addressing: index+1 of a phrase's first entry, 0 empty */
    size_t mask;     /* slots - 1 (a power of two minus one) */
    StrSet heads;    /* first words of multi-word phrases */
} Lex;

static Lex lex;
static int lex_failed;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static int cmp_entry(const void *a, const void *b)
{
    const LexEntry *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(lex.pool + x->off, lex.pool + y->off, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Appends the matching key of one word (n bytes) to out; 0 ok, -1 on failure. */
static int key_word(const char *w, size_t n, Buf *out)
{
    char *k = NULL;
    size_t kl = 0;
    if (rasd_normalise(w, n, RASD_NORM_KEY, &k, &kl, NULL, NULL) != RASD_OK)
        return -1;
    buf_append(out, k, kl);
    free(k);
    return 0;
}

/* Adds one FORM of a lexicon line. */
static int lex_add_form(int cat, int val, const char *f, size_t n, size_t *cap)
{
    while (n && (f[n - 1] == ' ' || f[n - 1] == '\t' || f[n - 1] == '\r'))
        n--;
    while (n && (*f == ' ' || *f == '\t')) {
        f++;
        n--;
    }
    int anchor = 0;
    if (n && (f[n - 1] == '*' || f[n - 1] == '+')) {
        anchor = 1;
        n--;
    }
    int lead = hamza_lead(f, n);
    Buf key = {0};
    int words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && f[i] == ' ')
            i++;
        size_t s = i;
        while (i < n && f[i] != ' ')
            i++;
        if (i == s)
            break;
        if (words)
            buf_putc(&key, ' ');
        if (key_word(f + s, i - s, &key) < 0) {
            buf_free(&key);
            return -1;
        }
        words++;
    }
    if (!words || words > PHRASE_MAX || key.oom) {
        int bad = key.oom;
        buf_free(&key);
        return bad ? -1 : 0;
    }
    if (lex.n == *cap) {
        size_t nc = *cap ? *cap * 2 : 512;
        LexEntry *ne = realloc(lex.e, nc * sizeof *ne);
        if (!ne) {
            buf_free(&key);
            return -1;
        }
        lex.e = ne;
        *cap = nc;
    }
    if (lex.pool_len + key.len + 1 > lex.pool_cap) {
        size_t nc = lex.pool_cap ? lex.pool_cap * 2 : 16384;
        while (nc < lex.pool_len + key.len + 1)
            nc *= 2;
        char *np = realloc(lex.pool, nc);
        if (!np) {
            buf_free(&key);
            return -1;
        }
        lex.pool = np;
        lex.pool_cap = nc;
    }
    LexEntry *e = &lex.e[lex.n++];
    e->off = (uint32_t)lex.pool_len;
    e->len = (uint32_t)key.len;
    e->val = (int16_t)val;
    e->cat = (uint8_t)cat;
    e->anchor = (uint8_t)anchor;
    e->ntok = (uint8_t)words;
    e->lead = (uint8_t)lead;
    memcpy(lex.pool + lex.pool_len, key.data, key.len);
    lex.pool_len += key.len;
    lex.pool[lex.pool_len++] = 0;
    if (words > 1) {
        const char *sp = memchr(key.data, ' ', key.len);
        if (strset_add(&lex.heads, key.data, (size_t)(sp - key.data)) < 0) {
            buf_free(&key);
            return -1;
        }
    }
    buf_free(&key);
    return 0;
}

static int lex_parse(const char *s, size_t n)
{
    size_t cap = 0, i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        const char *line = s + i;
        size_t len = e - i;
        i = e + 1;
        if (!len || line[0] == '#')
            continue;
        /* CATEGORY */
        size_t p = 0;
        while (p < len && line[p] != ' ')
            p++;
        int cat = 0;
        for (int c = 1; c < LX_NCATS; c++)
            if (strlen(cat_names[c]) == p && memcmp(cat_names[c], line, p) == 0)
                cat = c;
        if (!cat)
            continue; /* an unknown category is a lexicon typo: skip the line */
        while (p < len && line[p] == ' ')
            p++;
        /* VALUE */
        int sign = 1, val = 0;
        if (p < len && line[p] == '-') {
            sign = -1;
            p++;
        }
        while (p < len && line[p] >= '0' && line[p] <= '9' && val < 10000)
            val = val * 10 + (line[p++] - '0');
        val *= sign;
        /* FORM | FORM ... */
        while (p < len) {
            size_t q = p;
            while (q < len && line[q] != '|')
                q++;
            if (lex_add_form(cat, val, line + p, q - p, &cap) < 0)
                return -1;
            p = q + 1;
        }
    }
    return 0;
}

static uint64_t lex_hash(const char *p, size_t n) { return rasd_hash(p, n); }

static void lex_build(void)
{
    if (lex_parse((const char *)lex_dates, lex_dates_len) < 0 || lex.n == 0) {
        lex_failed = 1;
        return;
    }
    qsort(lex.e, lex.n, sizeof *lex.e, cmp_entry);
    size_t cap = 1;
    while (cap < lex.n * 2)
        cap *= 2;
    lex.slots = calloc(cap, sizeof *lex.slots);
    if (!lex.slots) {
        lex_failed = 1;
        return;
    }
    lex.mask = cap - 1;
    for (size_t i = 0; i < lex.n; i++) {
        if (i && cmp_entry(&lex.e[i - 1], &lex.e[i]) == 0)
            continue; /* not the first entry of its phrase */
        size_t h = (size_t)lex_hash(lex.pool + lex.e[i].off, lex.e[i].len) & lex.mask;
        while (lex.slots[h])
            h = (h + 1) & lex.mask;
        lex.slots[h] = (uint32_t)i + 1;
    }
}

/* The entries of phrase p (n bytes): *first and the count (0 if unknown). */
static size_t lex_find(const char *p, size_t n, size_t *first)
{
    size_t h = (size_t)lex_hash(p, n) & lex.mask;
    for (;;) {
        uint32_t s = lex.slots[h];
        if (!s)
            return 0;
        const LexEntry *e = &lex.e[s - 1];
        if (e->len == n && memcmp(lex.pool + e->off, p, n) == 0) {
            size_t k = s - 1, c = 0;
            while (k + c < lex.n && lex.e[k + c].len == n &&
                   memcmp(lex.pool + lex.e[k + c].off, p, n) == 0)
                c++;
            *first = k;
            return c;
        }
        h = (h + 1) & lex.mask;
    }
}

/* ======================================================================
 * Tokens and their lexicon matches
 * ==================================================================== */

typedef struct Match {
    int16_t val;     /* LexEntry.val */
    uint8_t cat;     /* LX_* */
    uint8_t anchor;  /* LexEntry.anchor */
    uint8_t ntok;    /* tokens the phrase covers, from this one */
    uint8_t pre;     /* 1 if proclitics were stripped from this token to match */
    uint8_t art;     /* 1 if the article ال was stripped to match */
} Match;

typedef struct Tk {
    const char *key;  /* matching key (the text core's), NUL-terminated */
    uint32_t klen;    /* bytes in key */
    uint32_t start, end; /* byte offsets in the document text, [start,end) */
    uint16_t type;    /* RASD_TOK_* */
    uint16_t flags;   /* RASD_TF_* */
    uint8_t pre_len;  /* proclitic bytes the text core found (for the future prefix سـ) */
    uint8_t ndig;     /* digits in num, 0 if the token is not a plain number */
    uint8_t ordsuf;   /* number written with st/nd/rd/th */
    long num;         /* value of a plain number (<= 9 digits), else -1 */
    uint32_t m0, m1;  /* this token's matches: Ctx.m[m0..m1) */
} Tk;

/* Resolution direction for a month or weekday without a year or date. */
enum { DIR_NEAR = 0, DIR_PAST, DIR_BEFORE, DIR_FUT, DIR_AFTER };

/* What a parser read: written calendar fields, or an offset from the
   publication date, at some granularity. */
typedef struct DX {
    int cal;      /* 0 Gregorian, 1 Hijri: the calendar y/m/d are written in */
    int y, m, d;  /* written fields; 0 = not written */
    int d2;       /* last day of a written day range (21-24/4/1942), 0 none */
    int y2;       /* last year of a written year range (1931/1932), 0 none */
    int wd;       /* weekday 0..6 (Sunday 0) when only a weekday is known, else -1 */
    int dir;      /* DIR_*: how to pick a missing year or the weekday's date */
    int relu;     /* 0 absolute, else U_*: the value is pub + relo units */
    int relo;     /* offset in relu units (negative = past) */
    int dec;      /* decade within its century (20 for the 1920s), 0 none */
    int cent;     /* century by ordinal (20 = the 1900s), 0 none */
    int centrel;  /* 1: the century is relative to pub (cent holds the offset) */
    int gyear;    /* 1: a Hijri month with a Gregorian year (رمضان عام 1992) */
} DX;

/* A parse: tokens [s,e), what they name. */
typedef struct Res {
    size_t s, e;   /* token range, [s,e) */
    DX x, x2;      /* the value; x2 is the end when range is set */
    int range;     /* 1: x..x2 */
    int kind;      /* DATE_KIND_* */
    int mod;       /* DATE_MOD_* */
    int part;      /* DATE_PART_* */
    int dur_n;     /* durations: how many units, 0 = unstated ("عدة أيام") */
    int dur_u;     /* durations and sets: U_* */
    int vague_dir; /* vague references: -1 past, +1 future */
    int day_like;  /* the value is one day (for يوم / صباح prefixes) */
} Res;

typedef struct Ctx {
    const rasd_doc *d;   /* the document */
    Tk *t;               /* tokens, as many as the document's */
    size_t n;            /* tokens */
    Match *m;            /* matches of all tokens */
    size_t nm, cap_m;    /* matches used and allocated */
    size_t lim;          /* end of the current line: parsers never read t[lim] on */
    int have_pub;        /* a publication date was given */
    int py, pm, pd;      /* publication date (Gregorian) */
    long pdays;          /* publication date in days since 1970-01-01 */
    int phy, phm, phd;   /* publication date in the Umm al-Qura calendar */
    int oom;             /* allocation failed */
} Ctx;

/* Parser context flags: what cue words came before the core. */
enum {
    CUE_DATE = 1 << 0, /* بتاريخ */
    CUE_DAY = 1 << 1,  /* يوم، صباح، مساء */
    CUE_MOD = 1 << 2,  /* منذ، قبل، بعد، خلال */
    CUE_DUR = 1 << 3   /* لمدة */
};

static int dates_starts(const char *k, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(k, p, pl) == 0;
}

static int dates_ends(const char *k, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(k + n - pl, p, pl) == 0;
}

/* Appends the matches of phrase p (n bytes) of ntok words; lead is the
   token's written hamza (when nothing was stripped from it). */
static void add_matches(Ctx *c, const char *p, size_t n, int ntok, int pre, int art, int lead,
                        size_t *cnt)
{
    size_t first, k = lex_find(p, n, &first);
    for (size_t i = 0; i < k && *cnt < 16; i++) {
        const LexEntry *e = &lex.e[first + i];
        if (e->ntok != ntok)
            continue;
        if (e->anchor && e->lead && lead && e->lead != lead && !pre && !art)
            continue;
        /* prepositions attach to nouns (لعام، بتاريخ، بالأمس), not to a bare
           adverb or an ambiguous month: لامس is "touched", باب a door */
        if (pre == 2 && !dates_starts(p, n, "ال") && (e->anchor || e->cat == LX_RELDAY))
            continue;
        if (c->nm == c->cap_m) {
            size_t nc = c->cap_m ? c->cap_m * 2 : 256;
            Match *nmv = realloc(c->m, nc * sizeof *nmv);
            if (!nmv) {
                c->oom = 1;
                return;
            }
            c->m = nmv;
            c->cap_m = nc;
        }
        Match *m = &c->m[c->nm++];
        m->val = e->val;
        m->cat = e->cat;
        m->anchor = e->anchor;
        m->ntok = (uint8_t)ntok;
        m->pre = (uint8_t)pre;
        m->art = (uint8_t)art;
        (*cnt)++;
    }
}

/* Looks up one spelling of token i (and the phrases it heads). */
static void match_variant(Ctx *c, size_t i, const char *v, size_t vn, int pre, int art,
                          size_t *cnt)
{
    size_t tl;
    const char *text = rasd_doc_text(c->d, &tl);
    int lead = hamza_lead(text + c->t[i].start, c->t[i].end - c->t[i].start);
    add_matches(c, v, vn, 1, pre, art, lead, cnt);
    if (!strset_has(&lex.heads, v, vn))
        return;
    char buf[256];
    if (vn >= sizeof buf)
        return;
    memcpy(buf, v, vn);
    size_t bl = vn;
    for (int w = 1; w < PHRASE_MAX && i + (size_t)w < c->n; w++) {
        const Tk *t = &c->t[i + (size_t)w];
        if ((t->flags & RASD_TF_NEWLINE) || bl + 1 + t->klen >= sizeof buf)
            break;
        buf[bl++] = ' ';
        memcpy(buf + bl, t->key, t->klen);
        bl += t->klen;
        add_matches(c, buf, bl, w + 1, pre, art, lead, cnt);
    }
}

/* Proclitic letters and pairs, longest first, in key form. */
static const char *const proclitics[] = {"وب", "ول", "وك", "فب", "فل", "فك",
                                         "و",  "ف",  "ب",  "ل",  "ك"};

static void match_token(Ctx *c, size_t i)
{
    Tk *t = &c->t[i];
    t->m0 = (uint32_t)c->nm;
    size_t cnt = 0;
    if (t->type == RASD_TOK_LATIN) {
        match_variant(c, i, t->key, t->klen, 0, 0, &cnt);
    } else if (t->type == RASD_TOK_ARABIC) {
        /* spellings: as written, each proclitic stripped (لل → ال restored),
           and each of those without the article */
        char alt[8][128];
        const char *vs[8];
        size_t vl[8];
        int vpre[8], nv = 0;
        vs[nv] = t->key, vl[nv] = t->klen, vpre[nv++] = 0;
        for (size_t p = 0; p < sizeof proclitics / sizeof proclitics[0] && nv < 6; p++) {
            const char *pc = proclitics[p];
            size_t pl = strlen(pc);
            if (!dates_starts(t->key, t->klen, pc) || t->klen < pl + 4)
                continue;
            const char *r = t->key + pl;
            size_t rl = t->klen - pl;
            /* 1: only a conjunction (و ف) was stripped; 2: a preposition too */
            int kind = strcmp(pc, "و") == 0 || strcmp(pc, "ف") == 0 ? 1 : 2;
            vs[nv] = r, vl[nv] = rl, vpre[nv++] = kind;
            /* لل: ل + ال whose alef is not written */
            if (dates_ends(pc, pl, "ل") && dates_starts(r, rl, "ل") && rl + 2 < sizeof alt[0] && nv < 7) {
                memcpy(alt[nv], "\xd8\xa7", 2); /* ا */
                memcpy(alt[nv] + 2, r, rl);
                vs[nv] = alt[nv], vl[nv] = rl + 2, vpre[nv++] = 2;
            }
        }
        int nbase = nv;
        for (int v = 0; v < nbase; v++) {
            match_variant(c, i, vs[v], vl[v], vpre[v], 0, &cnt);
            if (dates_starts(vs[v], vl[v], "ال") && vl[v] >= 4 + 4)
                match_variant(c, i, vs[v] + 4, vl[v] - 4, vpre[v], 1, &cnt);
        }
    }
    t->m1 = (uint32_t)c->nm;
}

/* Options for dates_lx(). */
enum { LX_ART = 1, LX_BARE = 2 };

/*
 * The best match of category cat at token j: the longest phrase, then the
 * one with the least stripped. LX_ART accepts matches found without the
 * article; LX_BARE refuses matches that needed proclitics stripped.
 */
static const Match *dates_lx(const Ctx *c, size_t j, int cat, int how)
{
    if (j >= c->lim)
        return NULL;
    const Tk *t = &c->t[j];
    const Match *best = NULL;
    for (uint32_t k = t->m0; k < t->m1; k++) {
        const Match *m = &c->m[k];
        if (m->cat != cat || (m->art && !(how & LX_ART)) || (m->pre && (how & LX_BARE)))
            continue;
        if (j + m->ntok > c->lim)
            continue;
        if (!best || m->ntok > best->ntok ||
            (m->ntok == best->ntok && m->pre + m->art < best->pre + best->art))
            best = m;
    }
    return best;
}

static int dates_keyis(const Ctx *c, size_t j, const char *k)
{
    if (j >= c->lim)
        return 0;
    size_t n = strlen(k);
    return c->t[j].klen == n && memcmp(c->t[j].key, k, n) == 0;
}

static int dates_punct(const Ctx *c, size_t j, const char *k)
{
    return j < c->lim && c->t[j].type == RASD_TOK_PUNCT && dates_keyis(c, j, k);
}

static int dates_is_slash(const Ctx *c, size_t j) { return dates_punct(c, j, "/") || dates_punct(c, j, "\\"); }

static int dates_is_dash(const Ctx *c, size_t j)
{
    return dates_punct(c, j, "-") || dates_punct(c, j, "\xe2\x80\x93") /* – */ ||
           dates_punct(c, j, "\xe2\x80\x94") /* — */ || dates_punct(c, j, "\xe2\x80\x90") ||
           dates_punct(c, j, "\xe2\x80\x91") || dates_punct(c, j, "\xe2\x88\x92") /* − */;
}

static int dates_is_comma(const Ctx *c, size_t j)
{
    return dates_punct(c, j, ",") || dates_punct(c, j, "\xd8\x8c") /* ، */;
}

/* A plain number token with ndig in [mind, maxd] and value in [lo, hi]. */
static int dates_num_at(const Ctx *c, size_t j, int mind, int maxd, long lo, long hi)
{
    if (j >= c->lim)
        return 0;
    const Tk *t = &c->t[j];
    return t->num >= 0 && t->ndig >= mind && t->ndig <= maxd && t->num >= lo && t->num <= hi;
}

static int dates_day_at(const Ctx *c, size_t j) { return dates_num_at(c, j, 1, 2, 1, 31); }

/* Is the word before token j (or before a "(" there) one after which a
   bare month or year reads as a date: في، منذ، حتى، مطلع، بتاريخ …? */
static int dates_cue_before(const Ctx *c, size_t j)
{
    if (j == 0 || j > c->lim || (c->t[j].flags & RASD_TF_NEWLINE))
        return 0;
    size_t p = j - 1;
    if (dates_punct(c, p, "(")) {
        if (p == 0 || (c->t[p].flags & RASD_TF_NEWLINE))
            return 0;
        p--;
    }
    static const int cats[] = {LX_PREP, LX_MOD, LX_PART, LX_FROM, LX_TO, LX_BETWEEN,
                               LX_DATECUE, LX_OF, LX_DAYCUE};
    for (size_t k = 0; k < sizeof cats / sizeof cats[0]; k++) {
        const Match *m = dates_lx(c, p, cats[k], 0);
        if (m && m->ntok == 1)
            return 1;
    }
    return 0;
}

/* Does the sentence before token s speak of the future? A verb with the
   future prefix سـ, or a word such as سوف، المقرر، يعتزم, within 8 tokens
   and not beyond a relative pronoun (the date may sit in a clause of its
   own: "سوف توقع على الصفقة التي قدمت في 24 يونيو"). */
static int dates_future_before(const Ctx *c, size_t s)
{
    for (size_t k = 0; k < 8 && s > 0; k++) {
        size_t j = s - 1 - k;
        const Tk *t = &c->t[j];
        if (t->type == RASD_TOK_PUNCT && (t->flags & RASD_TF_SENT_END))
            return 0;
        if (t->type == RASD_TOK_ARABIC && t->pre_len >= 2 &&
            dates_ends(t->key, t->pre_len, "\xd8\xb3") /* س */)
            return 1;
        for (uint32_t q = t->m0; q < t->m1; q++) {
            if (c->m[q].cat == LX_RELPRO && !c->m[q].art)
                return 0;
            if (c->m[q].cat == LX_FUTCUE && c->m[q].ntok == 1)
                return 1;
        }
        if (j == 0 || (t->flags & RASD_TF_NEWLINE))
            break;
    }
    return 0;
}

static void dates_dx_init(DX *x)
{
    memset(x, 0, sizeof *x);
    x->wd = -1;
}

static void dates_res_init(Res *r, size_t s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->kind = DATE_KIND_DATE;
    dates_dx_init(&r->x);
    dates_dx_init(&r->x2);
}

/* ======================================================================
 * Grammar: the pieces
 * ==================================================================== */

/* Era after a year (هـ، هجري، م، ميلادي): tokens consumed; *hijri 1 or 0.
   bare: the number before has no year word, so the letter م, which is also
   "metre" ("1000 م مربع"), counts only at the end of a phrase. */
static size_t p_era_cued(const Ctx *c, size_t j, int *hijri, int bare)
{
    const Match *m = dates_lx(c, j, LX_ERA_H, LX_BARE);
    if (m) {
        *hijri = 1;
        return m->ntok;
    }
    m = dates_lx(c, j, LX_ERA_G, LX_BARE);
    if (m) {
        if (bare && c->t[j].klen <= 2 && j + 1 < c->lim && c->t[j + 1].type == RASD_TOK_ARABIC)
            return 0;
        *hijri = 0;
        return m->ntok;
    }
    return 0;
}

static size_t p_era(const Ctx *c, size_t j, int *hijri) { return p_era_cued(c, j, hijri, 0); }

/*
 * A year number, optionally in parentheses, optionally a range of years
 * (1931/1932, 2010-2015, 2015/16): returns the end or 0. The year has
 * mind..4 digits and lies in [lo, hi].
 */
static size_t p_yearnum(const Ctx *c, size_t j, int mind, long lo, long hi, int *y, int *y2)
{
    size_t k = j;
    int paren = dates_punct(c, k, "(");
    if (paren)
        k++;
    if (!dates_num_at(c, k, mind, 4, lo, hi))
        return 0;
    *y = (int)c->t[k].num;
    *y2 = 0;
    k++;
    /* a second year after / or - makes a range, unless the chain goes on
       (then it is a numeric date or something else) */
    if ((dates_is_slash(c, k) || dates_is_dash(c, k)) && k + 1 < c->lim && c->t[k + 1].num >= 0 &&
        !((dates_is_slash(c, k + 2) || dates_is_dash(c, k + 2)) && dates_num_at(c, k + 3, 1, 9, 0, 999999999))) {
        const Tk *b = &c->t[k + 1];
        int second = -1;
        if (b->ndig == 4)
            second = (int)b->num;
        else if (b->ndig == 2)
            second = *y / 100 * 100 + (int)b->num;
        if (second > *y && second - *y <= 100) {
            *y2 = second;
            k += 2;
        }
    }
    if (paren) {
        if (!dates_punct(c, k, ")"))
            return 0;
        k++;
    }
    return k;
}

/*
 * A month name, with an optional شهر before it and an optional second
 * name of the same month after a slash or in parentheses (يوليو/تموز،
 * تموز (يوليو)). Returns the end or 0; *strong says the name is anchored on
 * its own (unambiguous word, شهر, or a pair).
 */
static size_t p_month(const Ctx *c, size_t j, int *mon, int *cal, int *strong)
{
    size_t k = j;
    int cue = 0;
    const Match *mc = dates_lx(c, j, LX_MONTHCUE, LX_ART);
    if (mc) {
        k = j + mc->ntok;
        cue = 1;
    }
    const Match *g = dates_lx(c, k, LX_GMONTH, cue ? LX_BARE : 0);
    const Match *h = dates_lx(c, k, LX_HMONTH, cue ? LX_BARE : 0);
    const Match *m = g;
    if (!m || (h && h->ntok > m->ntok))
        m = h;
    if (!m)
        return 0;
    *mon = m->val;
    *cal = m == h;
    size_t e = k + m->ntok;
    if (c->t[k].type == RASD_TOK_LATIN && c->t[k].klen <= 4 && dates_punct(c, e, "."))
        e++; /* Sept. 11 */
    int paired = 0;
    if (dates_is_slash(c, e)) {
        const Match *m2 = dates_lx(c, e + 1, m == h ? LX_HMONTH : LX_GMONTH, LX_BARE);
        if (m2 && m2->val == m->val) {
            e = e + 1 + m2->ntok;
            paired = 1;
        }
    } else if (dates_punct(c, e, "(")) {
        const Match *m2 = dates_lx(c, e + 1, m == h ? LX_HMONTH : LX_GMONTH, LX_BARE);
        if (m2 && m2->val == m->val && dates_punct(c, e + 1 + m2->ntok, ")")) {
            e = e + 2 + m2->ntok;
            paired = 1;
        }
    } else if (m == g) {
        /* "يونيو حزيران" (wire style): the second name with no mark between */
        const Match *m2 = dates_lx(c, e, LX_GMONTH, LX_BARE);
        if (m2 && m2->val == m->val && m2->ntok + e <= c->lim) {
            e += m2->ntok;
            paired = 1;
        }
    }
    *strong = cue || paired || !m->anchor;
    return e;
}

/*
 * A numeric date: D/M/Y, Y-M-D, M/D/Y when the middle number cannot be a
 * month, D/MonthName/Y, D1/D2/M/Y (a range of days), the year possibly in
 * parentheses, or one token such as 31.8.2023. D/M without a year only
 * after بتاريخ or يوم. Returns the end or 0; fills x (and x->d2).
 */
static size_t p_numeric(const Ctx *c, size_t j, int flags, DX *x)
{
    if (j >= c->lim)
        return 0;
    long part[4];
    int nd[4], np = 0, name_mon = 0, name_cal = 0;
    size_t e;
    const Tk *t = &c->t[j];
    if (t->type == RASD_TOK_NUMBER && t->num < 0 && !t->ordsuf) {
        /* one token: 31.8.2023, 2023.08.31 */
        char sep = 0;
        size_t i = 0;
        while (i < t->klen && np < 4) {
            long v = 0;
            int dg = 0;
            while (i < t->klen && t->key[i] >= '0' && t->key[i] <= '9' && dg < 5)
                v = v * 10 + (t->key[i++] - '0'), dg++;
            if (!dg)
                return 0;
            part[np] = v, nd[np++] = dg;
            if (i == t->klen)
                break;
            char s = t->key[i];
            if ((s != '.' && s != '/' && s != '-') || (sep && s != sep))
                return 0;
            sep = s;
            i++;
        }
        if (i != t->klen || np != 3)
            return 0;
        e = j + 1;
    } else {
        if (!dates_num_at(c, j, 1, 4, 0, 9999))
            return 0;
        part[0] = t->num, nd[0] = t->ndig, np = 1;
        size_t k = j + 1;
        int slash = dates_is_slash(c, k), dash = dates_is_dash(c, k);
        if (!slash && !dash)
            return 0;
        /* not the middle of a longer chain with the same separator ("20 –
           30/10/1436" is a day and a date, a range) */
        if (j >= 2 && (slash ? dates_is_slash(c, j - 1) : dates_is_dash(c, j - 1)) && c->t[j - 2].num >= 0 &&
            !(c->t[j - 1].flags & RASD_TF_NEWLINE))
            return 0;
        while (np < 4 && (slash ? dates_is_slash(c, k) : dates_is_dash(c, k))) {
            size_t q = k + 1;
            int mon, cal, strong;
            size_t me;
            if (np == 1 && (me = p_month(c, q, &mon, &cal, &strong)) != 0 && me > q &&
                (slash ? dates_is_slash(c, me) : dates_is_dash(c, me))) {
                name_mon = mon, name_cal = cal;
                part[np] = mon, nd[np++] = 2;
                k = me;
                continue;
            }
            if (dates_punct(c, q, "(") && dates_num_at(c, q + 1, 3, 4, 0, 9999) && dates_punct(c, q + 2, ")")) {
                part[np] = c->t[q + 1].num, nd[np++] = c->t[q + 1].ndig;
                k = q + 3;
                break; /* 4 / 5 / ( 1946 ): the year closes the chain */
            }
            if (!dates_num_at(c, q, 1, 4, 0, 9999))
                break;
            part[np] = c->t[q].num, nd[np++] = c->t[q].ndig;
            k = q + 1;
        }
        if (np < 2)
            return 0;
        /* a chain that goes on with more numbers is not a date we read */
        if ((slash ? dates_is_slash(c, k) : dates_is_dash(c, k)) && dates_num_at(c, k + 1, 1, 9, 0, 999999999))
            return 0;
        e = k;
    }
    int y = 0, m = 0, d = 0, d2 = 0;
    if (np == 3 && nd[0] == 4 && !name_mon) {
        y = (int)part[0], m = (int)part[1], d = (int)part[2];
    } else if (np == 3 && (nd[2] == 4 || (nd[2] == 3 && name_mon))) {
        d = (int)part[0], m = (int)part[1], y = (int)part[2];
        if (m > 12 && d <= 12 && !name_mon) {
            int tmp = d;
            d = m;
            m = tmp;
        }
    } else if (np == 4 && nd[3] == 4 && !name_mon) {
        d = (int)part[0], d2 = (int)part[1], m = (int)part[2], y = (int)part[3];
        if (d2 <= d)
            return 0;
    } else if (np == 2 && !name_mon && (flags & (CUE_DATE | CUE_DAY)) && nd[0] <= 2 &&
               nd[1] <= 2 && dates_is_slash(c, j + 1)) {
        d = (int)part[0], m = (int)part[1];
    } else {
        return 0;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31 || d2 > 31)
        return 0;
    int hijri = name_mon ? name_cal : 0, eh = 0;
    size_t ee = y ? p_era(c, e, &eh) : 0;
    if (ee) {
        hijri = eh;
        e += ee;
    } else if (y >= 1300 && y <= 1500 && !name_mon) {
        hijri = 1; /* a day/month/year in the 14th–15th century is a Hijri date */
    }
    if (hijri) {
        if (d > 30 || (y && y > 9000))
            return 0;
    } else if (y && !valid_greg(y, m, d)) {
        return 0;
    } else if (!y && d > days_in_month(2000, m)) {
        return 0;
    }
    dates_dx_init(x);
    x->cal = hijri;
    x->y = y, x->m = m, x->d = d, x->d2 = d2;
    return e;
}

static size_t p_numeric_res(const Ctx *c, size_t j, int flags, Res *r)
{
    r->day_like = 1;
    return p_numeric(c, j, flags, &r->x);
}

/* "من العام الماضي"، "من عام 2020"، "من هذا العام" after a month: the year. */
static size_t p_of_year(const Ctx *c, size_t j, DX *x)
{
    if (!dates_lx(c, j, LX_OF, LX_BARE))
        return 0;
    size_t k = j + 1;
    const Match *th = dates_lx(c, k, LX_THIS, LX_BARE);
    if (th)
        k += th->ntok;
    const Match *yc = dates_lx(c, k, LX_YEARCUE, LX_BARE);
    if (!yc)
        return 0;
    size_t a = k + yc->ntok;
    if (th) {
        x->relu = U_YEAR, x->relo = 0;
        return a;
    }
    int y, y2;
    size_t ye = p_yearnum(c, a, 3, 100, 2199, &y, &y2);
    if (ye && !y2) {
        x->y = y;
        int h = 0;
        size_t ee = p_era(c, ye, &h);
        if (ee && h)
            x->cal = 1;
        return ye + ee;
    }
    const Match *r;
    if ((r = dates_lx(c, a, LX_PAST, LX_BARE)))
        x->relu = U_YEAR, x->relo = -1;
    else if ((r = dates_lx(c, a, LX_FUTURE, LX_BARE)))
        x->relu = U_YEAR, x->relo = 1;
    else if ((r = dates_lx(c, a, LX_CURRENT, LX_BARE)))
        x->relu = U_YEAR, x->relo = 0;
    else
        return 0;
    return a + r->ntok;
}

/*
 * [day] month [year]: "10 أيلول"، "31st, August 2023"، "August 31, 2023"،
 * "الخامس من يوليو"، "فبراير 2022"، "يوليو الماضي"، "شباط ( 28 / 2 / 1945 )"،
 * "20 رمضان 1444 هـ". Returns the end or 0.
 */
static size_t p_daymonth(const Ctx *c, size_t j, int flags, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    size_t k = j;
    int day = 0;
    const Match *o = dates_lx(c, j, LX_ORD, 0);
    if (o && o->val <= 31 && dates_lx(c, j + o->ntok, LX_OF, LX_BARE)) {
        day = o->val;
        k = j + o->ntok + 1;
    } else if (o && o->val == 1 && !o->art) {
        day = 1; /* أول يوليو */
        k = j + o->ntok;
    } else if (dates_keyis(c, j, "ال") && dates_day_at(c, j + 1) && dates_lx(c, j + 2, LX_OF, LX_BARE) &&
               !(c->t[j + 1].flags & RASD_TF_NEWLINE)) {
        day = (int)c->t[j + 1].num; /* الـ15 من أغسطس */
        k = j + 3;
    } else if (dates_day_at(c, j) && !(c->t[j].flags & RASD_TF_HYPHEN_NEXT)) {
        /* (a hyphen joins "1-صفر", a score, not a day and its month) */
        day = (int)c->t[j].num;
        k = j + 1;
        /* 31st, August / 31st of August */
        if (c->t[j].ordsuf && (dates_is_comma(c, k) || dates_lx(c, k, LX_OF, LX_BARE)))
            k++;
        /* 3 من ذي القعدة */
        int mm_, mc_, ms_;
        if (!c->t[j].ordsuf && dates_lx(c, k, LX_OF, LX_BARE) && p_month(c, k + 1, &mm_, &mc_, &ms_))
            k++;
    }
    int mon, cal, strong;
    size_t e = p_month(c, k, &mon, &cal, &strong);
    if (!e)
        return 0;
    if (day && k > j && c->t[k].type == RASD_TOK_ARABIC && dates_lx(c, k, LX_GMONTH, 0) &&
        dates_lx(c, k, LX_GMONTH, 0)->pre && !dates_lx(c, k, LX_MONTHCUE, LX_ART))
        return 0; /* "10 وأيلول": a clitic does not sit between a day and its month */
    int y = 0, y2 = 0, anchored = strong || day;
    /* English order: August 31, 2023 */
    if (!day && c->t[k].type == RASD_TOK_LATIN && dates_day_at(c, e)) {
        size_t a = e + 1 + (dates_is_comma(c, e + 1) ? 1 : 0);
        if (dates_num_at(c, a, 4, 4, 1000, 2199)) {
            day = (int)c->t[e].num;
            e = a;
        }
    }
    size_t a = e + ((dates_is_comma(c, e) || dates_is_slash(c, e)) ? 1 : 0);
    const Match *yc = dates_lx(c, a, LX_YEARCUE, 0);
    size_t ye = p_yearnum(c, a, 4, 1000, 2199, &y, &y2);
    if (!ye && yc && !yc->pre) /* رمضان عام 1992، يوليو سنة 2020 */
        ye = p_yearnum(c, a + yc->ntok, 3, 100, 2199, &y, &y2);
    int h = 0;
    if (ye && !y2) {
        e = ye;
        anchored = 1;
    } else if (!day && dates_punct(c, e, "(")) {
        /* شباط ( 28 / 2 / 1945 ): the numeric date restates the month */
        DX nx;
        size_t ne = p_numeric(c, e + 1, 0, &nx);
        if (ne && dates_punct(c, ne, ")") && nx.m == mon && nx.y && !nx.d2) {
            *x = nx;
            return ne + 1;
        }
        y = 0;
    } else {
        y = 0;
        /* three-digit years only with an era: بداية 919 هـ */
        size_t y3 = p_yearnum(c, a, 3, 100, 999, &y, &y2);
        if (y3 && !y2 && p_era(c, y3, &h)) {
            e = y3;
            anchored = 1;
        } else {
            y = 0;
        }
    }
    x->cal = cal;
    x->m = mon;
    x->d = day;
    if (y) {
        x->y = y;
        size_t ee = p_era(c, e, &h);
        if (ee) {
            e += ee;
            if (h && !cal)
                return 0; /* a Gregorian month in a Hijri year: not a date we read */
        }
        /* رمضان عام 1992: a Hijri month in a Gregorian year */
        if (cal && (!ee || !h) && y > 1600)
            x->gyear = 1;
    } else {
        size_t oe = p_of_year(c, e, x);
        const Match *s;
        if (oe) {
            e = oe;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_PAST, LX_BARE))) {
            x->dir = DIR_BEFORE;
            e += s->ntok;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE))) {
            x->dir = DIR_AFTER;
            e += s->ntok;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_CURRENT, LX_BARE))) {
            x->relu = U_YEAR, x->relo = 0;
            e += s->ntok;
            anchored = 1;
        }
    }
    if (cal) {
        const Match *ep = dates_lx(c, e, LX_EPITHET, LX_BARE);
        if (ep)
            e += ep->ntok;
    }
    if (!anchored && !flags && !dates_cue_before(c, j))
        return 0;
    if (day) {
        if (day > (cal ? 30 : days_in_month(y && !cal ? y : 2000, mon)))
            return 0;
    }
    if (!y && !x->relu && x->dir == DIR_NEAR && dates_future_before(c, j))
        x->dir = DIR_FUT;
    r->day_like = day != 0;
    return e;
}

/* "الخامس من الشهر الجاري"، "10 من الشهر الماضي": a day of a relative month. */
static size_t p_relunit(const Ctx *c, size_t j, Res *r);
static size_t p_day_of_rel(const Ctx *c, size_t j, Res *r)
{
    int day = 0;
    size_t k;
    const Match *o = dates_lx(c, j, LX_ORD, 0);
    if (o && o->val <= 31) {
        day = o->val;
        k = j + o->ntok;
    } else if (dates_day_at(c, j)) {
        day = (int)c->t[j].num;
        k = j + 1;
    } else {
        return 0;
    }
    if (!dates_lx(c, k, LX_OF, LX_BARE))
        return 0;
    Res t;
    dates_res_init(&t, k + 1);
    size_t e = p_relunit(c, k + 1, &t);
    if (!e || t.range || t.kind != DATE_KIND_DATE || t.x.relu != U_MONTH)
        return 0;
    r->x = t.x;
    r->x.d = day;
    r->day_like = 1;
    return e;
}

/* Is there a category-cat word at one of the two tokens before j (on j's line)? */
static int cat_before(const Ctx *c, size_t j, int cat, int two)
{
    for (size_t k = 1; k <= (two ? 2u : 1u) && k <= j; k++) {
        if (c->t[j - k + 1].flags & RASD_TF_NEWLINE)
            break;
        const Tk *t = &c->t[j - k];
        if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
            break;
        if (dates_lx(c, j - k, cat, LX_ART))
            return 1;
    }
    return 0;
}

/* Does the clause end at token k (punctuation that closes a phrase, or the line)? */
static int clause_end(const Ctx *c, size_t k)
{
    if (k >= c->lim)
        return 1;
    static const char *const p[] = {".", ",", "\xd8\x8c", ")", "\xd8\x9f", "?", "!", ":",
                                    "\xd8\x9b", ";", "\"", "\xc2\xbb", "\xe2\x80\x9d"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (dates_punct(c, k, p[i]))
            return 1;
    return 0;
}

/*
 * A year: after a year word (عام 2019، سنة ( 1935 ) م), with an era (1428 هـ),
 * or a bare four-digit number that reads as a year because of what is
 * around it: a cue before it (في 2015، منذ 2014), parentheses ((1948)), an
 * event it names (حرب 1967، الانتفاضة الأولى 1987), or nothing after it in
 * its clause ("مدينة القدس 1996.") unless a word of quantity comes before.
 */
static size_t p_year(const Ctx *c, size_t j, int flags, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    int y = 0, y2 = 0, h = 0;
    size_t e = 0;
    const Match *yc = dates_lx(c, j, LX_YEARCUE, 0);
    const Match *y2c = dates_lx(c, j, LX_YEARCUE2, 0);
    if (yc) {
        e = p_yearnum(c, j + yc->ntok, 3, 100, 2199, &y, &y2);
    } else if (y2c) {
        /* عامي 2010 و2011: a range of two years */
        size_t k = j + y2c->ntok;
        if (dates_num_at(c, k, 4, 4, 1000, 2199) && dates_keyis(c, k + 1, "\xd9\x88") /* و */ &&
            dates_num_at(c, k + 2, 4, 4, 1000, 2199) && c->t[k + 2].num > c->t[k].num) {
            y = (int)c->t[k].num, y2 = (int)c->t[k + 2].num;
            e = k + 3;
        }
    } else if (dates_punct(c, j, "(")) {
        /* ( 1948 ) م: the parentheses belong to the span only with an era */
        size_t k = p_yearnum(c, j, 3, 100, 2199, &y, &y2);
        if (k && p_era_cued(c, k, &h, 1))
            e = k;
    } else if (j < c->lim && c->t[j].num >= 0) {
        size_t k = p_yearnum(c, j, 3, 100, 2199, &y, &y2);
        if (k && p_era_cued(c, k, &h, 1))
            e = k;
        else if (k && c->t[j].ndig == 4 && y >= 1000 &&
                 ((j > 0 && dates_punct(c, j - 1, "(") && dates_punct(c, k, ")")) ||
                  ((flags & (CUE_MOD | CUE_DATE)) && y <= 2199) ||
                  (y >= 1800 && y <= 2100 &&
                   (dates_cue_before(c, j) || cat_before(c, j, LX_EVENT, 1) ||
                    ((cat_before(c, j, LX_EVENT, 2) || clause_end(c, k)) && j > 0 &&
                     (c->t[j - 1].type == RASD_TOK_ARABIC) && !cat_before(c, j, LX_QTY, 1) &&
                     !cat_before(c, j, LX_QTY, 2))))))
            e = k;
    }
    if (!e)
        return 0;
    size_t ee = p_era_cued(c, e, &h, !yc && !y2c);
    if (ee) {
        e += ee;
        x->cal = h;
    }
    if (x->cal && (y > 1600 || y2 > 1600))
        return 0;
    x->y = y;
    x->y2 = y2;
    return e;
}

/* A decade (الخمسينيات، عقد الثمانينات، ستينيات القرن الماضي) or a century
   (القرن التاسع عشر، القرن الماضي، القرن الـ20). */
static size_t p_century_tail(const Ctx *c, size_t j, DX *x)
{
    const Match *cm = dates_lx(c, j, LX_CENTURY, 0);
    if (!cm)
        return 0;
    size_t k = j + cm->ntok;
    const Match *m;
    if ((m = dates_lx(c, k, LX_ORD, 0)) && m->val >= 1 && m->val <= 30) {
        x->cent = m->val;
        return k + m->ntok;
    }
    if (dates_keyis(c, k, "\xd8\xa7\xd9\x84") /* ال */ && dates_num_at(c, k + 1, 1, 2, 1, 30)) {
        x->cent = (int)c->t[k + 1].num;
        return k + 2;
    }
    if (dates_num_at(c, k, 1, 2, 1, 30)) {
        x->cent = (int)c->t[k].num;
        return k + 1;
    }
    if ((m = dates_lx(c, k, LX_PAST, LX_BARE))) {
        x->cent = -1, x->centrel = 1;
        return k + m->ntok;
    }
    if ((m = dates_lx(c, k, LX_CURRENT, LX_BARE))) {
        x->cent = 0, x->centrel = 1;
        return k + m->ntok;
    }
    return 0;
}

static size_t p_decade(const Ctx *c, size_t j, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    size_t k = j;
    const Match *u = dates_lx(c, j, LX_UNIT1, LX_ART);
    if (u && u->val == U_DECADE && dates_lx(c, j + u->ntok, LX_DECADE, LX_ART))
        k = j + u->ntok;
    const Match *dm = dates_lx(c, k, LX_DECADE, LX_ART);
    if (dm) {
        x->dec = dm->val;
        size_t e = k + dm->ntok;
        /* "في العشرينات من العمر": an age, not a decade */
        if (dates_lx(c, e + (dates_lx(c, e, LX_OF, LX_BARE) ? 1 : 0), LX_AGE, LX_ART))
            return 0;
        size_t a = e + (dates_lx(c, e, LX_OF, LX_BARE) ? 1 : 0);
        size_t ce = p_century_tail(c, a, x);
        return ce ? ce : e;
    }
    return p_century_tail(c, j, x);
}

/*
 * A full date that restates the day named just before e: "الخميس 31 آب"،
 * "يوم الثلاثاء الموافق 5/8/2008"، "غدا الاثنين الموافق 20 يوليو"، "الخميس
 * (31 آب)". Returns the end (0 if none) and the date in *x: the written
 * date wins over the weekday or relative day, as the writer meant both.
 */
static int dates_pick_year(const Ctx *c, const DX *x, int *year);

/*
 * "يوم الأربعاء 20/10" in a Saudi paper is 20 Shawwal, not 20 October: a
 * day/month without a year after weekday wd is read in the Hijri calendar
 * when that, and not the Gregorian reading, falls on wd (both taken in the
 * year nearest publication).
 */
static void weekday_calendar(const Ctx *c, DX *x, int wd)
{
    if (wd < 0 || !c->have_pub || x->y || x->cal || !x->m || !x->d || x->d2 || x->d > 30)
        return;
    DX g = *x, h = *x;
    h.cal = 1;
    int gy, hy;
    long gd, hd;
    if (dates_pick_year(c, &g, &gy) < 0 || !cal_valid_ymd(gy, g.m, g.d))
        return;
    gd = cal_days_from_civil(gy, g.m, g.d);
    if (dates_pick_year(c, &h, &hy) < 0 || cal_hijri_to_days(hy, h.m, h.d, &hd) < 0)
        return;
    if (cal_weekday(gd) != wd && cal_weekday(hd) == wd)
        x->cal = 1;
}

static size_t p_restated(const Ctx *c, size_t e, DX *x, int wd)
{
    size_t a = e;
    if (dates_is_comma(c, a))
        a++;
    const Match *ag = dates_lx(c, a, LX_AGREE, 0);
    if (ag)
        a += ag->ntok;
    int paren = dates_punct(c, a, "(");
    if (paren)
        a++;
    Res d;
    dates_res_init(&d, a);
    size_t de = p_daymonth(c, a, CUE_DAY, &d);
    if (!de || !d.x.d) {
        de = p_numeric(c, a, CUE_DAY, &d.x);
        if (de && !d.x.d)
            de = 0;
        if (de)
            weekday_calendar(c, &d.x, wd);
    }
    if (!de || (paren && !dates_punct(c, de, ")")))
        return 0;
    *x = d.x;
    return de + (paren ? 1 : 0);
}

/* أمس، اليوم، غدا، أمس الأول … with an optional weekday after (أمس الخميس). */
static size_t p_relday(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *m = dates_lx(c, j, LX_RELDAY, 0);
    if (!m || (m->anchor && !(flags & CUE_DAY)))
        return 0;
    size_t e = j + m->ntok;
    /* "ساعتين في اليوم"، "100 دولار في الليلة": per day, not today */
    if (m->ntok == 1 && !m->pre && j > 0 && dates_starts(c->t[j].key, c->t[j].klen, "ال") &&
        !(c->t[j].flags & RASD_TF_NEWLINE) && dates_keyis(c, j - 1, "في"))
        return 0;
    /* اليوم الثاني، اليوم الوطني: "the Nth/national day", not "today" */
    if (m->ntok == 1 && e < c->lim) {
        const Tk *nx = &c->t[e];
        if (dates_lx(c, e, LX_NOTDAY, LX_BARE) ||
            (nx->type == RASD_TOK_ARABIC && dates_starts(nx->key, nx->klen, "ال") &&
             dates_ends(nx->key, nx->klen, "ي") && nx->klen >= 10 && !dates_lx(c, e, LX_WEEKDAY, LX_ART)))
            return 0;
    }
    /* عين اليوم، دار اليوم (names), ذلك اليوم، نفس اليوم (a day of the story) */
    if (m->ntok == 1 && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) &&
        dates_lx(c, j - 1, LX_RELBLOCK, 0))
        return 0;
    if (dates_lx(c, e, LX_RELNEXT, 0))
        return 0;
    /* "الليلة التي أعقبت المهرجان"، "اليوم الذي": a day of the story */
    if (m->ntok == 1 && dates_lx(c, e, LX_RELPRO, 0))
        return 0;
    /* "في تصريح لـ(اليوم)": a newspaper named in parentheses after لـ */
    if (m->ntok == 1 && j >= 2 && dates_punct(c, j - 1, "(") && dates_punct(c, e, ")") &&
        dates_keyis(c, j - 2, "ل") && !(c->t[j - 1].flags & RASD_TF_NEWLINE))
        return 0;
    /* أمسّ (with shadda) is the superlative "most" (في أمسّ الحاجة) */
    if (m->ntok == 1) {
        size_t tl;
        const char *text = rasd_doc_text(c->d, &tl);
        for (uint32_t b = c->t[j].start; b + 1 < c->t[j].end; b++)
            if ((unsigned char)text[b] == 0xD9 && (unsigned char)text[b + 1] == 0x91)
                return 0;
    }
    dates_dx_init(&r->x);
    r->x.relu = U_DAY;
    r->x.relo = m->val;
    /* "ليل أمس (الأول)": the day before yesterday */
    if (m->val == -1 && m->ntok == 1 && dates_punct(c, e, "(") && dates_keyis(c, e + 1, "الاول") &&
        dates_punct(c, e + 2, ")")) {
        r->x.relo = -2;
        e += 3;
    }
    /* a weekday after it: أمس الخميس، اليوم (الثلاثاء) */
    const Match *w = dates_lx(c, e, LX_WEEKDAY, LX_ART);
    size_t we = 0;
    if (w && (w->art || c->t[e].type == RASD_TOK_LATIN)) {
        we = e + w->ntok;
    } else if (dates_punct(c, e, "(") && (w = dates_lx(c, e + 1, LX_WEEKDAY, LX_ART)) != NULL &&
               (w->art || c->t[e + 1].type == RASD_TOK_LATIN) && dates_punct(c, e + 1 + w->ntok, ")")) {
        we = e + 2 + w->ntok;
    }
    if (we) {
        int paren = we != e + w->ntok;
        e = we;
        /* the written weekday wins over the publication date we were given,
           which is often the day a crawler saw the page: "اليوم الأربعاء"
           in a page dated Thursday is the Wednesday */
        if (c->have_pub) {
            int delta = ((w->val - cal_weekday(c->pdays + r->x.relo)) % 7 + 7) % 7;
            r->x.relo += delta > 3 ? delta - 7 : delta;
        }
        size_t de = paren ? 0 : p_restated(c, e, &r->x, w->val);
        if (de && dates_lx(c, e, LX_AGREE, 0))
            e = de; /* only with الموافق: "أمس الخميس 31 آب" is rare, "اليوم 5 أيار" a list */
    }
    r->day_like = 1;
    return e;
}

/* A weekday: الثلاثاء، يوم الخميس، الخميس الماضي، الخميس 31 آب. */
static size_t p_weekday(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *w = dates_lx(c, j, LX_WEEKDAY, LX_ART);
    if (!w)
        return 0;
    if (!w->art && c->t[j].type != RASD_TOK_LATIN && (!(flags & CUE_DAY) || w->pre))
        return 0; /* أحد، اثنين bare are numbers; واحد is not و + أحد */
    if (j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) && dates_lx(c, j - 1, LX_WDBLOCK, LX_ART))
        return 0; /* سوق الخميس: a place; كلا الاثنين: both */
    if (dates_lx(c, j + w->ntok, LX_WDNEXT, 0))
        return 0; /* الاثنين معا: the two together */
    /* "ببلدينا الاثنين"، "الطرفين الاثنين": "the two", after a dual or plural */
    if (w->val == 1 && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) &&
        c->t[j - 1].type == RASD_TOK_ARABIC &&
        (dates_ends(c->t[j - 1].key, c->t[j - 1].klen, "ين") ||
         dates_ends(c->t[j - 1].key, c->t[j - 1].klen, "ينا")))
        return 0;
    size_t e = j + w->ntok;
    size_t de = p_restated(c, e, &r->x, w->val);
    if (de) {
        r->day_like = 1;
        return de;
    }
    dates_dx_init(&r->x);
    r->x.wd = w->val;
    r->x.dir = DIR_PAST;
    const Match *s;
    if ((s = dates_lx(c, e, LX_PAST, LX_BARE))) {
        r->x.dir = DIR_BEFORE;
        e += s->ntok;
    } else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE))) {
        r->x.dir = DIR_AFTER;
        e += s->ntok;
    } else if (dates_future_before(c, j)) {
        r->x.dir = DIR_FUT;
    }
    r->day_like = 1;
    if (s) {
        /* "يوم السبت القادم 16 شوال 1436هـ": the written date restates it */
        DX rx;
        size_t de2 = p_restated(c, e, &rx, w->val);
        if (de2) {
            r->x = rx;
            return de2;
        }
    }
    return e;
}

/* The unit of an article-bearing unit word at j (الشهر، العام، الأسبوع; اليوم
   too when day is set), or 0. */
static int art_unit_any(const Ctx *c, size_t j, size_t *e, int day);

/* As art_unit_any, but not a year of another reckoning: العام الدراسي،
   العام المالي، العام الهجري (school, fiscal, Hijri years). */
static int art_unit(const Ctx *c, size_t j, size_t *e, int day)
{
    int u = art_unit_any(c, j, e, day);
    if (u == U_YEAR && dates_lx(c, *e, LX_NOTYEAR, 0))
        return 0;
    return u;
}

static int art_unit_any(const Ctx *c, size_t j, size_t *e, int day)
{
    const Match *u = dates_lx(c, j, LX_UNIT1, LX_ART);
    if (u && u->art && u->val >= (day ? U_DAY : U_WEEK) && u->val <= U_CENTURY) {
        *e = j + u->ntok;
        return u->val;
    }
    const Match *y = dates_lx(c, j, LX_YEARCUE, 0);
    if (y && dates_starts(c->t[j].key + 0, c->t[j].klen, "ال")) {
        *e = j + y->ntok;
        return U_YEAR;
    }
    /* للعام: the article hides behind the proclitic */
    if (u && u->val >= U_WEEK && u->val <= U_CENTURY && u->pre &&
        dates_starts(c->t[j].key, c->t[j].klen, "لل")) {
        *e = j + u->ntok;
        return u->val;
    }
    return 0;
}

/*
 * Units placed relative to publication: الشهر الماضي، العام المقبل، هذا العام،
 * الأسبوع الجاري، and plurals الأيام الخمسة الماضية (a range) or السنوات
 * الأخيرة (vague).
 */
static size_t p_relunit(const Ctx *c, size_t j, Res *r)
{
    dates_dx_init(&r->x);
    size_t e;
    const Match *th = dates_lx(c, j, LX_THIS, 0);
    if (th) {
        int u = art_unit(c, j + th->ntok, &e, 1);
        if (u) {
            r->x.relu = u, r->x.relo = 0;
            r->day_like = u == U_DAY;
            return e;
        }
        return 0;
    }
    int u = art_unit(c, j, &e, 0);
    if (u) {
        const Match *s;
        int off;
        if ((s = dates_lx(c, e, LX_PAST, LX_BARE)))
            off = -1;
        else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE)))
            off = 1;
        else if ((s = dates_lx(c, e, LX_CURRENT, LX_BARE)) || (s = dates_lx(c, e, LX_THIS, LX_BARE)))
            off = 0;
        else
            return 0;
        r->x.relu = u, r->x.relo = off;
        e += s->ntok;
        /* العام الحالي 2015، العام الماضي 2014م: the written year is the value */
        int y, y2, h;
        size_t ye;
        if (u == U_YEAR && (ye = p_yearnum(c, e, 4, 1000, 2199, &y, &y2)) != 0 && !y2) {
            dates_dx_init(&r->x);
            r->x.y = y;
            e = ye + p_era(c, ye, &h);
        }
        return e;
    }
    /* plural or dual with the article, a count, then past/future/recent */
    const Match *pl = dates_lx(c, j, LX_UNITN, LX_ART);
    const Match *du = dates_lx(c, j, LX_UNIT2, LX_ART);
    const Match *um = pl && pl->art ? pl : du && du->art ? du : NULL;
    if (!um)
        return 0;
    int unit = um->val, n = um == du ? 2 : 0;
    e = j + um->ntok;
    const Match *nm = dates_lx(c, e, LX_NUM, LX_ART);
    if (!n && nm && nm->val >= 2) {
        n = nm->val;
        e += nm->ntok;
    } else if (!n && dates_num_at(c, e, 1, 3, 2, 999)) {
        n = (int)c->t[e].num;
        e++;
    }
    const Match *s;
    int dir;
    if ((s = dates_lx(c, e, LX_PAST, LX_BARE)) || (s = dates_lx(c, e, LX_RECENT, LX_BARE)))
        dir = -1;
    else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE)))
        dir = 1;
    else
        return 0;
    e += s->ntok;
    if (unit == U_DAY && !n)
        n = 0;
    if (!n || unit > U_YEAR) {
        r->kind = DATE_KIND_VAGUE;
        r->vague_dir = dir;
        return e;
    }
    /* the n units before (or after) the publication date */
    int mul = unit == U_WEEK ? 7 : 1;
    int ru = unit == U_WEEK ? U_DAY : unit;
    r->range = 1;
    dates_dx_init(&r->x2);
    r->x.relu = r->x2.relu = ru;
    if (dir < 0)
        r->x.relo = -n * mul, r->x2.relo = -1;
    else
        r->x.relo = 1, r->x2.relo = n * mul;
    return e;
}

/* A length of time: 3 أيام، ثلاثة أشهر، عامين، (after a cue) شهر، سنوات. */
static size_t p_duration(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *u;
    size_t e = 0;
    int n = -1, unit = 0;
    const Match *nm = dates_lx(c, j, LX_NUM, 0);
    if (dates_num_at(c, j, 1, 4, 1, 9999) && !c->t[j].ordsuf &&
        ((u = dates_lx(c, j + 1, LX_UNIT1, LX_BARE)) || (u = dates_lx(c, j + 1, LX_UNITN, LX_BARE)))) {
        n = (int)c->t[j].num, unit = u->val, e = j + 1 + u->ntok;
    } else if (nm && ((u = dates_lx(c, j + nm->ntok, LX_UNITN, LX_BARE)) ||
                      (u = dates_lx(c, j + nm->ntok, LX_UNIT1, LX_BARE)))) {
        n = nm->val, unit = u->val, e = j + nm->ntok + u->ntok;
    } else if ((u = dates_lx(c, j, LX_UNIT2, 0))) {
        n = 2, unit = u->val, e = j + u->ntok;
    } else if ((u = dates_lx(c, j, LX_UNIT1, 0)) && (nm = dates_lx(c, j + u->ntok, LX_NUM, LX_BARE)) &&
               nm->val == 1) {
        n = 1, unit = u->val, e = j + u->ntok + nm->ntok; /* يوم واحد */
    } else if ((flags & (CUE_MOD | CUE_DUR)) && (u = dates_lx(c, j, LX_UNIT1, 0))) {
        n = 1, unit = u->val, e = j + u->ntok;
    } else if ((flags & (CUE_MOD | CUE_DUR)) && (u = dates_lx(c, j, LX_UNITN, 0))) {
        n = 0, unit = u->val, e = j + u->ntok;
    }
    if (!e)
        return 0;
    /* عقد / قرن alone are also "holding (a meeting)" and "horn": only as
       "قبل عقد" at the end of a phrase or "قبل عقد من الزمن" */
    if (n == 1 && unit >= U_DECADE && !clause_end(c, e) && !dates_lx(c, e, LX_OF, LX_BARE))
        return 0;
    /* "رقم 9 عام ( 1921 )": the unit word is the year's cue */
    if (unit == U_YEAR && (dates_num_at(c, e, 3, 4, 100, 2199) || dates_punct(c, e, "(")))
        return 0;
    r->kind = DATE_KIND_DURATION;
    r->dur_n = n;
    r->dur_u = unit;
    return e;
}

/* Repeated periods: يومياً، أسبوعياً، سنوياً. */
static size_t p_set(const Ctx *c, size_t j, Res *r)
{
    const Match *s = dates_lx(c, j, LX_SET, 0);
    if (!s)
        return 0;
    r->kind = DATE_KIND_SET;
    r->dur_n = 1, r->dur_u = s->val;
    return j + s->ntok;
}

/* Historical periods: الفترة العثمانية، فترة الحكم العثماني، العهد المملوكي. */
static size_t p_period(const Ctx *c, size_t j, Res *r)
{
    const Match *w = dates_lx(c, j, LX_PERIODWORD, 0);
    if (!w)
        return 0;
    size_t k = j + w->ntok;
    const Match *w2 = dates_lx(c, k, LX_PERIODWORD, LX_BARE);
    if (w2)
        k += w2->ntok;
    const Match *a = dates_lx(c, k, LX_PERIODADJ, LX_BARE);
    if (!a)
        return 0;
    r->kind = DATE_KIND_VAGUE;
    r->vague_dir = -1;
    return k + a->ntok;
}

/* مطلع / منتصف / نهاية + a month, a year, a relative unit, a decade. */
static size_t p_part(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *p = dates_lx(c, j, LX_PART, 0);
    if (!p)
        return 0;
    size_t k = j + p->ntok, e, best = 0;
    Res t, bt;
    dates_res_init(&bt, j);
    dates_res_init(&t, k);
    if ((e = p_daymonth(c, k, flags | CUE_MOD, &t)) && !t.x.d && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = p_year(c, k, flags | CUE_MOD, &t)) && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = p_relunit(c, k, &t)) && t.kind == DATE_KIND_DATE && !t.range && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = p_decade(c, k, &t)) && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    int u = art_unit(c, k, &e, 0);
    if (u && e > best) {
        /* مطلع العام، منتصف الشهر: the current one */
        bt.x.relu = u, bt.x.relo = 0;
        best = e;
    }
    if (!best)
        return 0;
    r->x = bt.x;
    r->part = p->val == 1 ? DATE_PART_EARLY : p->val == 2 ? DATE_PART_MID : DATE_PART_LATE;
    return best;
}

/* ======================================================================
 * Ranges
 * ==================================================================== */

/* One side of a range: a date, a month, a year, a bare year or a bare day.
   cued: the range opened with من or بين, which anchors a bare month name. */
static size_t p_side(const Ctx *c, size_t j, int cued, DX *x, int *bare_day, int *bare_year)
{
    size_t best = 0, e;
    Res t;
    *bare_day = *bare_year = 0;
    dates_res_init(&t, j);
    if ((e = p_daymonth(c, j, cued ? CUE_MOD : 0, &t)) > best)
        best = e, *x = t.x;
    DX nx;
    if ((e = p_numeric(c, j, 0, &nx)) > best)
        best = e, *x = nx;
    dates_res_init(&t, j);
    if ((e = p_year(c, j, CUE_MOD, &t)) > best)
        best = e, *x = t.x;
    if (best) {
        /* a lone four-digit number, whichever parser read it */
        *bare_year = best == j + 1 && dates_num_at(c, j, 4, 4, 1000, 2199);
        return best;
    }
    if (dates_num_at(c, j, 4, 4, 1000, 2199)) {
        dates_dx_init(x);
        x->y = (int)c->t[j].num;
        *bare_year = 1;
        return j + 1;
    }
    if (dates_day_at(c, j)) {
        dates_dx_init(x);
        x->d = (int)c->t[j].num;
        *bare_day = 1;
        return j + 1;
    }
    return 0;
}

/* Fills what one side of a range leaves out from the other side. */
static int complete_side(DX *a, const DX *b)
{
    if (a->relu || b->relu)
        return a->d || a->m || a->y;
    if (a->d && !a->m) {
        if (!b->m)
            return 0;
        a->m = b->m, a->cal = b->cal;
    }
    if (a->m && !a->y && b->y) {
        a->y = b->y;
        if (!a->cal)
            a->cal = b->cal;
    }
    return 1;
}

static long dx_sort_key(const DX *x)
{
    return (long)x->y * 10000 + x->m * 100 + x->d;
}

/*
 * من X إلى Y، بين X و Y، X - Y: "من 10 أيلول الى 13 منه"، "بين 2010 و2015"،
 * "10-13 أغسطس"، "من 13 وحتى 15 تشرين الثاني 2016"، "بين يناير ومارس".
 */
static size_t p_range(const Ctx *c, size_t j, Res *r)
{
    const Match *f = dates_lx(c, j, LX_FROM, 0);
    const Match *b = f ? NULL : dates_lx(c, j, LX_BETWEEN, 0);
    size_t k = j;
    if (f)
        k += f->ntok;
    else if (b)
        k += b->ntok;
    DX L, R;
    int bdl, byl, bdr, byr;
    size_t le = p_side(c, k, f || b, &L, &bdl, &byl);
    if (!le)
        return 0;
    if (b && L.y2 && dates_lx(c, k, LX_YEARCUE2, 0)) {
        /* بين عامي 2010 و2015: the year words already made the range */
        r->x = L;
        return le;
    }
    size_t a = le;
    if (f || b) {
        const Match *t = f ? dates_lx(c, a, LX_TO, 0) : NULL;
        if (f && t)
            a += t->ntok;
        else if (b && dates_keyis(c, a, "\xd9\x88") /* و */)
            a++;
        else if (!(b && a < c->lim && c->t[a].type == RASD_TOK_ARABIC &&
                   dates_starts(c->t[a].key, c->t[a].klen, "\xd9\x88")))
            return 0;
    } else {
        if (!dates_is_dash(c, a) || (!bdl && !byl && !L.m))
            return 0;
        a++;
    }
    size_t re = p_side(c, a, f || b, &R, &bdr, &byr);
    if (!re)
        return 0;
    if (bdr) {
        /* 13 منه، 13 من الشهر نفسه / ذاته */
        if (dates_lx(c, re, LX_SAME, LX_BARE)) {
            re++;
        } else if (dates_lx(c, re, LX_OF, LX_BARE) && dates_lx(c, re + 1, LX_UNIT1, LX_ART) &&
                   dates_lx(c, re + 1, LX_UNIT1, LX_ART)->val == U_MONTH &&
                   dates_lx(c, re + 2, LX_NOTDAY, LX_BARE)) {
            re += 3;
        } else if (!bdl) {
            return 0;
        }
    }
    if ((bdl && bdr) || (byl != byr && (byl || byr) && (L.m || R.m)))
        return 0;
    if ((byl && (L.y < 1800 || L.y > 2100)) || (byr && (R.y < 1800 || R.y > 2100)))
        return 0; /* "بين 1500 و2000": more likely counts than years */
    if (!complete_side(&L, &R) || !complete_side(&R, &L))
        return 0;
    if (!L.relu && !R.relu) {
        if (L.m && !L.d && R.d && !R.m)
            return 0;
        /* من ديسمبر إلى فبراير 2024: the earlier side is in the year before
           (a later month only: "17-11 رمضان" is a typo, not a year apart) */
        if (L.y && R.y && L.y == R.y && L.m && R.m && L.m > R.m && !R.relu)
            L.y--;
        if (L.y && R.y && dx_sort_key(&L) >= dx_sort_key(&R) && !(L.y < R.y))
            return 0;
        if (!L.y && !R.y && L.m && R.m && L.m * 100 + L.d >= R.m * 100 + R.d)
            return 0;
        if (L.d && L.m && !valid_greg(L.y ? L.y : 2000, L.m, L.d) && !L.cal)
            return 0;
    }
    r->x = L;
    r->x2 = R;
    r->range = 1;
    return re;
}

/* ======================================================================
 * Trying everything at a token
 * ==================================================================== */

static void consider(Res *best, int *found, const Res *r, size_t e)
{
    if (!e)
        return;
    if (!*found || e > best->e) {
        *best = *r;
        best->e = e;
        *found = 1;
    }
}

/* The cores: expressions that can stand without a cue. */
static int try_core(const Ctx *c, size_t i, int flags, Res *best)
{
    int found = 0;
    Res r;
    size_t e;
#define TRY(call)                                                                              \
    do {                                                                                       \
        dates_res_init(&r, i);                                                                       \
        e = (call);                                                                            \
        consider(best, &found, &r, e);                                                         \
    } while (0)
    TRY(p_range(c, i, &r));
    TRY(p_daymonth(c, i, flags, &r));
    TRY(p_numeric_res(c, i, flags, &r));
    TRY(p_year(c, i, flags, &r));
    TRY(p_decade(c, i, &r));
    TRY(p_relday(c, i, flags, &r));
    TRY(p_weekday(c, i, flags, &r));
    TRY(p_relunit(c, i, &r));
    TRY(p_day_of_rel(c, i, &r));
    TRY(p_part(c, i, flags, &r));
    TRY(p_duration(c, i, flags, &r));
    TRY(p_set(c, i, &r));
    TRY(p_period(c, i, &r));
#undef TRY
    return found;
}

static int dates_try_at(const Ctx *c, size_t i, int flags, int depth, Res *best);

/* What follows a cue word: an expression, or one in parentheses
   ("بتاريخ ( 3 / 4 / 1956 )"، "قبل ( 1948 )"), whose parentheses then
   belong to the span. */
static int try_after_cue(const Ctx *c, size_t k, int flags, int depth, Res *r)
{
    int found = dates_try_at(c, k, flags, depth, r);
    Res p;
    if (dates_punct(c, k, "(") && dates_try_at(c, k + 1, flags, depth, &p) && dates_punct(c, p.e, ")") &&
        (!found || p.e + 1 > r->e)) {
        *r = p;
        r->e = p.e + 1;
        found = 1;
    }
    return found;
}

/* Cue words that belong to the span, then a core. depth bounds the cues. */
static int dates_try_at(const Ctx *c, size_t i, int flags, int depth, Res *best)
{
    int found = try_core(c, i, flags, best);
    if (depth >= 3 || i >= c->lim)
        return found;
    Res r;
    const Match *m;
    if ((m = dates_lx(c, i, LX_DATECUE, 0))) {
        size_t k = i + m->ntok;
        if (dates_punct(c, k, ":"))
            k++;
        if (try_after_cue(c, k, flags | CUE_DATE, depth + 1, &r) && r.kind == DATE_KIND_DATE) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_DAYCUE, 0)) || (m = dates_lx(c, i, LX_TOD, 0))) {
        if (dates_try_at(c, i + m->ntok, flags | CUE_DAY, depth + 1, &r) && r.kind == DATE_KIND_DATE &&
            r.day_like) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_MOD, 0))) {
        if (try_after_cue(c, i + m->ntok, flags | CUE_MOD, depth + 1, &r) && !r.mod) {
            int mod = m->val == 1   ? DATE_MOD_SINCE
                      : m->val == 2 ? DATE_MOD_BEFORE
                      : m->val == 3 ? DATE_MOD_AFTER
                                    : DATE_MOD_DURING;
            /* "قبل يوم من الحصاد"، "بعد أسبوع على بدايته" count from the
               event, not from publication; "يوماً بعد يوم" is "day after day" */
            const Match *pu = i > 0 && !(c->t[i].flags & RASD_TF_NEWLINE)
                                  ? dates_lx(c, i - 1, LX_UNIT1, 0) : NULL;
            int from_event = dates_lx(c, r.e, LX_OF, LX_BARE) != NULL ||
                             dates_lx(c, r.e, LX_EVFROM, LX_BARE) != NULL ||
                             (pu && r.kind == DATE_KIND_DURATION && pu->val == r.dur_u);
            if (r.kind == DATE_KIND_DURATION && mod != DATE_MOD_DURING && !from_event) {
                /* قبل ثلاثة أيام، منذ عامين، بعد أسبوع: a date counted from
                   publication; the sign of the offset already says before/after */
                int sign = mod == DATE_MOD_AFTER ? 1 : -1;
                int n = r.dur_n, u = r.dur_u;
                if (mod != DATE_MOD_SINCE)
                    mod = DATE_MOD_NONE;
                if (n == 0) {
                    r.kind = DATE_KIND_VAGUE;
                    r.vague_dir = sign;
                } else {
                    dates_dx_init(&r.x);
                    r.kind = DATE_KIND_DATE;
                    if (u == U_WEEK)
                        u = U_DAY, n *= 7;
                    else if (u == U_DECADE)
                        u = U_YEAR, n *= 10;
                    else if (u == U_CENTURY)
                        u = U_YEAR, n *= 100;
                    r.x.relu = u;
                    r.x.relo = sign * n;
                    r.day_like = u == U_DAY;
                }
            }
            r.mod = mod;
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_DURCUE, 0))) {
        if (dates_try_at(c, i + m->ntok, flags | CUE_DUR, depth + 1, &r) &&
            r.kind == DATE_KIND_DURATION) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    return found;
}

/* ======================================================================
 * Resolution: DX → interval of days → value string
 * ==================================================================== */

/* Granularity of a value's endpoints. */
enum { G_DAY = 1, G_MONTH, G_YEAR };

typedef struct Iv {
    long a, b; /* first and last day, days since 1970-01-01, inclusive */
    int g;     /* G_*: the granularity to print the endpoints at */
} Iv;

static void iv_month(int y, int m, Iv *iv)
{
    iv->a = dates_days_from_civil(y, m, 1);
    iv->b = dates_days_from_civil(y, m, days_in_month(y, m));
    iv->g = G_MONTH;
}

static void iv_years(int y, int y2, Iv *iv)
{
    iv->a = dates_days_from_civil(y, 1, 1);
    iv->b = dates_days_from_civil(y2, 12, 31);
    iv->g = G_YEAR;
}

/* Picks the year of a month (and day) without one, by x->dir. */
static int dates_pick_year(const Ctx *c, const DX *x, int *year)
{
    int base = x->cal ? c->phy : c->py;
    long pub = x->cal ? (long)c->phy * 10000 + c->phm * 100 + c->phd
                      : (long)c->py * 10000 + c->pm * 100 + c->pd;
    long best_d = 0;
    int best = 0;
    for (int y = base - 1; y <= base + 1; y++) {
        if (x->d && !x->cal && !valid_greg(y, x->m, x->d))
            continue;
        long k = (long)y * 10000 + x->m * 100 + (x->d ? x->d : 0);
        long p = x->d ? pub : pub / 100 * 100;
        int cmp = k < p ? -1 : k > p;
        long dist;
        if (x->d && !x->cal)
            dist = dates_days_from_civil(y, x->m, x->d) - c->pdays;
        else
            dist = (long)(y - base) * 12 + x->m - (x->cal ? c->phm : c->pm);
        int ok;
        switch (x->dir) {
        case DIR_PAST: ok = cmp <= 0; break;
        case DIR_BEFORE: ok = cmp < 0; break;
        case DIR_FUT: ok = cmp >= 0; break;
        case DIR_AFTER: ok = cmp > 0; break;
        default: ok = 1;
        }
        if (!ok)
            continue;
        long ad = dist < 0 ? -dist : dist;
        int better;
        if (!best)
            better = 1;
        else if (x->dir == DIR_PAST || x->dir == DIR_BEFORE)
            better = 1; /* later years come later in the loop: the latest wins */
        else if (x->dir == DIR_FUT || x->dir == DIR_AFTER)
            better = 0; /* the earliest wins */
        else
            better = ad < (best_d < 0 ? -best_d : best_d); /* ties: the earlier */
        if (better) {
            best = y;
            best_d = dist;
        }
    }
    if (!best)
        return -1;
    *year = best;
    return 0;
}

/* 1 resolved, 0 needs a publication date that is missing, -1 invalid. */
static int resolve(const Ctx *c, const DX *x0, Iv *iv)
{
    DX x = *x0;
    if (x.relu) {
        if (!c->have_pub)
            return 0;
        switch (x.relu) {
        case U_DAY:
            iv->a = iv->b = c->pdays + x.relo;
            iv->g = G_DAY;
            return 1;
        case U_WEEK: {
            long wd = ((c->pdays + 3) % 7 + 7) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
            iv->a = c->pdays - wd + 7L * x.relo;
            iv->b = iv->a + 6;
            iv->g = G_DAY;
            return 1;
        }
        case U_MONTH: {
            long mm = (long)c->py * 12 + (c->pm - 1) + x.relo;
            int y = (int)(mm / 12), m = (int)(mm % 12) + 1;
            if (x.d) {
                if (!valid_greg(y, m, x.d))
                    return -1;
                iv->a = iv->b = dates_days_from_civil(y, m, x.d);
                iv->g = G_DAY;
            } else {
                iv_month(y, m, iv);
            }
            return 1;
        }
        case U_YEAR: {
            int y = c->py + x.relo;
            if (y < 1 || y > 9999)
                return -1;
            if (x.m && !x.cal) {
                if (x.d) {
                    if (!valid_greg(y, x.m, x.d))
                        return -1;
                    iv->a = iv->b = dates_days_from_civil(y, x.m, x.d);
                    iv->g = G_DAY;
                } else {
                    iv_month(y, x.m, iv);
                }
            } else if (x.m) {
                int hy = c->phy + x.relo;
                x.relu = 0;
                x.y = hy;
                return resolve(c, &x, iv);
            } else {
                iv_years(y, y, iv);
            }
            return 1;
        }
        case U_DECADE: {
            int y = c->py / 10 * 10 + 10 * x.relo;
            iv_years(y, y + 9, iv);
            return 1;
        }
        case U_CENTURY: {
            int y = c->py / 100 * 100 + 100 * x.relo;
            iv_years(y, y + 99, iv);
            return 1;
        }
        }
        return -1;
    }
    if (x.wd >= 0) {
        if (!c->have_pub)
            return 0;
        long pw = ((c->pdays + 4) % 7 + 7) % 7; /* 0 = Sunday */
        long back = (pw - x.wd + 7) % 7, fwd = (x.wd - pw + 7) % 7;
        long day;
        switch (x.dir) {
        case DIR_BEFORE: day = c->pdays - (back ? back : 7); break;
        case DIR_FUT: day = c->pdays + fwd; break;
        case DIR_AFTER: day = c->pdays + (fwd ? fwd : 7); break;
        default: day = c->pdays - back;
        }
        iv->a = iv->b = day;
        iv->g = G_DAY;
        return 1;
    }
    if (x.dec || x.cent) {
        int cent; /* the century's first year, e.g. 1900 */
        if (x.centrel) {
            if (!c->have_pub)
                return 0;
            cent = c->py / 100 * 100 + 100 * x.cent;
        } else if (x.cent) {
            cent = (x.cent - 1) * 100;
        } else if (c->have_pub) {
            /* the latest such decade that had ended by publication */
            cent = c->py / 100 * 100;
            if (cent + x.dec + 9 >= c->py)
                cent -= 100;
        } else {
            cent = 1900;
        }
        if (cent < 0 || cent > 9800)
            return -1;
        if (x.dec)
            iv_years(cent + x.dec, cent + x.dec + 9, iv);
        else
            iv_years(cent, cent + 99, iv);
        return 1;
    }
    if (!x.y && x.m) {
        if (!c->have_pub)
            return 0;
        if (dates_pick_year(c, &x, &x.y) < 0)
            return -1;
    }
    if (!x.y)
        return -1;
    if (x.cal && x.gyear) {
        /* the Hijri year whose month x.m begins in Gregorian year x.y */
        int hy, hm, hd, gy, gm, gd, found = 0;
        dates_greg_to_hijri(x.y, 1, 1, &hy, &hm, &hd);
        for (int k = hy - 1; k <= hy + 1 && !found; k++)
            if (dates_hijri_to_greg(k, x.m, 1, &gy, &gm, &gd) == 0 && gy == x.y)
                x.y = k, found = 1;
        if (!found)
            return -1;
        x.gyear = 0;
    }
    if (x.cal) {
        int gy, gm, gd, gy2, gm2, gd2;
        int hm1 = x.m ? x.m : 1, hm2 = x.m ? x.m : 12;
        int hd1 = x.d ? x.d : 1;
        int hd2 = x.d2 ? x.d2 : x.d ? x.d : hijri_month_len(x.y2 ? x.y2 : x.y, hm2);
        if (dates_hijri_to_greg(x.y, hm1, hd1, &gy, &gm, &gd) < 0 ||
            dates_hijri_to_greg(x.y2 ? x.y2 : x.y, hm2, hd2, &gy2, &gm2, &gd2) < 0)
            return -1;
        iv->a = dates_days_from_civil(gy, gm, gd);
        iv->b = dates_days_from_civil(gy2, gm2, gd2);
        iv->g = G_DAY;
        return 1;
    }
    if (x.y < 1 || x.y > 9999)
        return -1;
    if (x.d) {
        if (!valid_greg(x.y, x.m, x.d) || (x.d2 && !valid_greg(x.y, x.m, x.d2)))
            return -1;
        iv->a = dates_days_from_civil(x.y, x.m, x.d);
        iv->b = dates_days_from_civil(x.y, x.m, x.d2 ? x.d2 : x.d);
        iv->g = G_DAY;
    } else if (x.m) {
        iv_month(x.y, x.m, iv);
    } else {
        iv_years(x.y, x.y2 ? x.y2 : x.y, iv);
    }
    return 1;
}

static void fmt_point(long days, int g, char *out, size_t n)
{
    int y, m, d;
    dates_civil_from_days(days, &y, &m, &d);
    if (g == G_YEAR)
        snprintf(out, n, "%04d", y);
    else if (g == G_MONTH)
        snprintf(out, n, "%04d-%02d", y, m);
    else
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* The value of [a of iv1, b of iv2]: one value when both ends print the same. */
static void fmt_range(const Iv *l, const Iv *r, char *out, size_t n)
{
    char a[16], b[16];
    fmt_point(l->a, l->g, a, sizeof a);
    fmt_point(r->b, r->g, b, sizeof b);
    if (strcmp(a, b) == 0)
        snprintf(out, n, "%s", a);
    else
        snprintf(out, n, "%s/%s", a, b);
}

/* The value of a parse into s->value; 0 to drop the parse (an impossible date). */
static int dates_value_of(const Ctx *c, const Res *r, DateSpan *s)
{
    static const char units[] = " DWMY";
    s->kind = (uint8_t)r->kind;
    s->mod = (uint8_t)r->mod;
    s->part = (uint8_t)r->part;
    if (r->kind == DATE_KIND_DURATION || r->kind == DATE_KIND_SET) {
        int n = r->dur_n, u = r->dur_u;
        if (u == U_DECADE)
            n *= 10, u = U_YEAR;
        else if (u == U_CENTURY)
            n *= 100, u = U_YEAR;
        if (u < U_DAY || u > U_YEAR)
            return 0;
        if (r->dur_n == 0)
            snprintf(s->value, sizeof s->value, "PX%c", units[u]);
        else
            snprintf(s->value, sizeof s->value, "P%d%c", n, units[u]);
        return 1;
    }
    if (r->kind == DATE_KIND_VAGUE) {
        snprintf(s->value, sizeof s->value, "%s", r->vague_dir > 0 ? "FUTURE_REF" : "PAST_REF");
        return 1;
    }
    s->hijri = (uint8_t)(r->x.cal || (r->range && r->x2.cal));
    s->relative = (uint8_t)(r->x.relu || r->x.wd >= 0 || (r->x.m && !r->x.y) ||
                            (r->x.centrel) || (r->range && (r->x2.relu || (r->x2.m && !r->x2.y))));
    Iv l, rr;
    int ok = resolve(c, &r->x, &l);
    if (ok > 0 && r->range)
        ok = resolve(c, &r->x2, &rr);
    if (ok < 0)
        return 0;
    if (ok == 0) {
        snprintf(s->value, sizeof s->value, "?");
        s->relative = 1;
        return 1;
    }
    if (!r->range)
        rr = l;
    else if (rr.b < l.a)
        return 0;
    fmt_range(&l, &rr, s->value, sizeof s->value);
    return 1;
}

/* ======================================================================
 * One date in two calendars, names, datelines
 * ==================================================================== */

static int res_hijri(const Res *r) { return r->x.cal || (r->range && r->x2.cal); }

/* The days r names, [a of its start, b of its end]: 1 ok, else 0. */
static int res_iv(const Ctx *c, const Res *r, Iv *iv)
{
    Iv e;
    if (resolve(c, &r->x, iv) != 1)
        return 0;
    if (r->range) {
        if (resolve(c, &r->x2, &e) != 1)
            return 0;
        iv->b = e.b;
    }
    return 1;
}

/*
 * The same date restated in the other calendar right after the one read
 * (r, ending at token e): "26 شوال 1436 هـ الموافق 11 أغسطس 2015م"،
 * "18/9/1436هـ (5/7/2015م)"، "(10 شوال 1436هـ ) الموافق ( 26 يوليو 2015م )".
 * Returns the end of the restatement (0 if none) and its parse in *g.
 */
static size_t dates_p_equivalent(const Ctx *c, const Res *r, Res *g)
{
    if (r->kind != DATE_KIND_DATE || r->x.relu || r->x.wd >= 0)
        return 0;
    size_t k = r->e;
    if (dates_is_comma(c, k))
        k++;
    const Match *ag = dates_lx(c, k, LX_AGREE, 0);
    if (ag)
        k += ag->ntok;
    if (ag && dates_punct(c, k, ":"))
        k++;
    int paren = dates_punct(c, k, "(");
    if (paren)
        k++;
    if (!ag && !paren)
        return 0;
    if (!dates_try_at(c, k, CUE_DATE, 0, g) || g->kind != DATE_KIND_DATE || g->s != k ||
        res_hijri(g) == res_hijri(r) || g->x.relu || g->x.wd >= 0)
        return 0;
    size_t e = g->e;
    if (paren) {
        if (!dates_punct(c, e, ")"))
            return 0;
        e++;
    }
    return e;
}

/* Gives a Gregorian month or day without a year (x) the year that puts it
   nearest day h, the Hijri date it restates. */
static void year_near(DX *x, long h)
{
    if (!x->m || x->y || x->relu || x->wd >= 0)
        return;
    int hy, hm, hd, best = 0;
    long best_d = 0;
    cal_civil_from_days(h, &hy, &hm, &hd);
    for (int y = hy - 1; y <= hy + 1; y++) {
        if (x->d && !cal_valid_ymd(y, x->m, x->d))
            continue;
        long dist = cal_days_from_civil(y, x->m, x->d ? x->d : 1) - h;
        if (dist < 0)
            dist = -dist;
        if (!best || dist < best_d)
            best = y, best_d = dist;
    }
    x->y = best;
}

/*
 * The value of a date written in both calendars: the Gregorian one, which
 * the writer states outright, wins over our conversion of the Hijri one,
 * which can be a day off from the calendar the writer used. The two must
 * name days within three days of each other, else they are two dates and
 * 0 is returned.
 */
static int dates_value_equivalent(const Ctx *c, const Res *r, Res *g, DateSpan *s)
{
    Res *greg = res_hijri(r) ? g : (Res *)r;
    const Res *hij = res_hijri(r) ? r : g;
    Iv hi, gi;
    if (!res_iv(c, hij, &hi))
        return 0;
    year_near(&greg->x, hi.a);
    if (greg->range)
        year_near(&greg->x2, hi.b);
    if (!res_iv(c, greg, &gi) || gi.a > hi.b + 3 || gi.b < hi.a - 3)
        return 0;
    if (!dates_value_of(c, greg, s))
        return 0;
    s->hijri = 1;
    s->relative = 0;
    s->mod = (uint8_t)r->mod;
    s->part = (uint8_t)r->part;
    return 1;
}

/* Is the day-and-month r (no year written) part of a name: "حي واحد
   حزيران"، "شارع 26 يوليو"، "قوى 14 آذار"? */
static int dates_in_name(const Ctx *c, const Res *r)
{
    if (r->kind != DATE_KIND_DATE || r->x.y || r->x.relu || !r->x.m || r->range || r->s == 0)
        return 0;
    size_t p = r->s - 1;
    if (c->t[r->s].flags & RASD_TF_NEWLINE)
        return 0;
    if (p > 0 && (dates_lx(c, p, LX_NUM, 0) || c->t[p].num >= 0) && !(c->t[p].flags & RASD_TF_NEWLINE))
        p--; /* "حي واحد حزيران": the number is the name's */
    return dates_lx(c, p, LX_NAMEHEAD, LX_ART) != NULL;
}

/* The first token of the line holding token i, if at most 8 tokens
   back; else (size_t)-1 (no dateline reaches that far). */
static size_t line_first(const Ctx *c, size_t i)
{
    for (size_t k = 0; k <= 8; k++, i--) {
        if (i == 0 || (c->t[i].flags & RASD_TF_NEWLINE))
            return i;
    }
    return (size_t)-1;
}

/* Tokens [a,b) are a place before a dateline: at most five words or
   dashes and commas, none of them a cue that makes the date part of a
   sentence (في، منذ، بتاريخ …). */
static int dateline_place(const Ctx *c, size_t a, size_t b)
{
    if (b - a > 5)
        return 0;
    for (size_t k = a; k < b; k++) {
        const Tk *t = &c->t[k];
        if (t->type == RASD_TOK_PUNCT) {
            if (!dates_is_dash(c, k) && !dates_is_comma(c, k) && !dates_punct(c, k, ":"))
                return 0;
            continue;
        }
        if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
            return 0;
        static const int cats[] = {LX_PREP, LX_MOD, LX_DATECUE, LX_DAYCUE, LX_FROM, LX_TO,
                                   LX_BETWEEN, LX_OF, LX_PART, LX_TOD};
        for (size_t q = 0; q < sizeof cats / sizeof cats[0]; q++)
            if (dates_lx(c, k, cats[q], LX_ART))
                return 0;
    }
    return 1;
}

/* What closes a dateline after its date at token k: a dash or colon, an
   agency (واس، (واس)، «رويترز»), or the end of the line. Returns the end of
   the dateline (a token index) or 0 if the date goes on as a sentence. */
static size_t dateline_close(const Ctx *c, size_t k, int eol)
{
    int sep = 0; /* (a comma does not close a dateline: the sentence goes on) */
    while (k < c->lim && (dates_is_dash(c, k) || dates_punct(c, k, ":")))
        k++, sep = 1;
    if (k >= c->lim) /* a line of its own, with more text after it */
        return eol && (sep || c->lim < c->n) ? k : 0;
    size_t a = k;
    int open = dates_punct(c, a, "(") || dates_punct(c, a, "«") || dates_punct(c, a, "\"");
    if (open)
        a++;
    const Match *ag = dates_lx(c, a, LX_AGENCY, LX_ART);
    if (ag) {
        a += ag->ntok;
        if (open) {
            if (!(dates_punct(c, a, ")") || dates_punct(c, a, "»") || dates_punct(c, a, "\"")))
                return sep ? k : 0;
            a++;
        }
        while (a < c->lim && (dates_is_dash(c, a) || dates_punct(c, a, ":")))
            a++;
        return a;
    }
    return sep ? k : 0;
}

/*
 * Is span sp (tokens [s,e)) a dateline, the article's own place and date
 * ("الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس"، "تاريخ النشر: 31
 * أغسطس 2023")? If so sets the dateline fields of sp. Datelines are
 * metadata: a brief or timeline should not report them as events.
 */
static void dates_mark_dateline(Ctx *c, size_t s, size_t e, DateSpan *sp)
{
    size_t ls = line_first(c, s);
    if (ls == (size_t)-1)
        return;
    /* the line's end if within 8 tokens of the date (eol), else that far:
       a dateline never needs more, and a long line costs no more */
    c->lim = e;
    while (c->lim < c->n && c->lim < e + 8 && !(c->t[c->lim].flags & RASD_TF_NEWLINE))
        c->lim++;
    int eol = c->lim == c->n || (c->t[c->lim].flags & RASD_TF_NEWLINE);
    size_t end = 0;
    const Match *lab = dates_lx(c, ls, LX_PUBLABEL, LX_ART);
    if (lab && ls + lab->ntok + (dates_punct(c, ls + lab->ntok, ":") ? 1 : 0) == s) {
        /* a publication-date line: the date and what follows on the line
           when that is short (a clock time) */
        end = eol && c->lim - e <= 4 ? c->lim : e;
    } else if (ls == 0 && sp->kind == DATE_KIND_DATE && !sp->relative &&
               strlen(sp->value) == 10 && dateline_place(c, ls, s) &&
               (c->t[s].num >= 0 || dates_lx(c, s, LX_GMONTH, 0) || dates_lx(c, s, LX_HMONTH, 0) ||
                dates_lx(c, s, LX_WEEKDAY, LX_ART))) {
        /* (the span opens on the date itself, not يوم or بتاريخ) */
        end = dateline_close(c, e, eol);
        if (end == e && s == ls)
            end = 0; /* a date alone on the first line, no place and no agency */
    }
    if (!end)
        return;
    sp->dateline = 1;
    sp->dateline_start = c->t[ls].start;
    sp->dateline_end = c->t[end - 1].end;
}

/* ======================================================================
 * The API
 * ==================================================================== */

static int parse_pub(Ctx *c, const char *p)
{
    if (!p || strlen(p) < 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
            return 0;
    int y = atoi(p), m = atoi(p + 5), d = atoi(p + 8);
    if (y < 1000 || !valid_greg(y, m, d))
        return 0;
    c->py = y, c->pm = m, c->pd = d;
    c->pdays = dates_days_from_civil(y, m, d);
    dates_greg_to_hijri(y, m, d, &c->phy, &c->phm, &c->phd);
    c->have_pub = 1;
    return 1;
}

static void read_number(Tk *t)
{
    t->num = -1;
    t->ndig = 0;
    t->ordsuf = 0;
    if (t->type != RASD_TOK_NUMBER)
        return;
    size_t i = 0;
    long v = 0;
    while (i < t->klen && t->key[i] >= '0' && t->key[i] <= '9') {
        if (i >= 9)
            return;
        v = v * 10 + (t->key[i] - '0');
        i++;
    }
    if (i == 0)
        return;
    if (i == t->klen) {
        t->num = v, t->ndig = (uint8_t)i;
        t->ordsuf = (t->flags & RASD_TF_ORDINAL) != 0; /* 31st: the key keeps the digits */
        return;
    }
    if (t->klen - i == 2) {
        const char *s = t->key + i;
        if (!memcmp(s, "st", 2) || !memcmp(s, "nd", 2) || !memcmp(s, "rd", 2) ||
            !memcmp(s, "th", 2)) {
            t->num = v, t->ndig = (uint8_t)i, t->ordsuf = 1;
        }
    }
}

/*
 * Bytes of a conjunction و or ف (and the marks written on it) at the start
 * of token j, when every lexicon match of the token needed its proclitics
 * stripped: "والشهر الماضي" is reported as "الشهر الماضي", but فبراير keeps
 * its ف. The span still starts inside the same token.
 */
static uint32_t conj_bytes(const Ctx *c, size_t j)
{
    const Tk *t = &c->t[j];
    if (t->type != RASD_TOK_ARABIC || t->m0 == t->m1)
        return 0;
    for (uint32_t k = t->m0; k < t->m1; k++)
        if (!c->m[k].pre)
            return 0;
    size_t tl;
    const char *text = rasd_doc_text(c->d, &tl);
    const unsigned char *p = (const unsigned char *)text + t->start;
    size_t n = t->end - t->start;
    if (n < 4 || p[0] != 0xD9 || (p[1] != 0x88 && p[1] != 0x81)) /* و ف */
        return 0;
    size_t i = 2;
    /* tashkeel U+064B..U+0652 and tatweel U+0640 on the conjunction */
    while (i + 1 < n && p[i] == 0xD9 && ((p[i + 1] >= 0x8B && p[i + 1] <= 0x92) || p[i + 1] == 0x80))
        i += 2;
    return i < n ? (uint32_t)i : 0;
}

rasd_err dates_find(const rasd_doc *d, const char *pubdate, unsigned flags, DateSpan **out,
                    size_t *n, rasd_error *err)
{
    if (!out || !n || !d)
        return rasd_fail(err, RASD_EINVAL, "dates_find: NULL argument");
    *out = NULL;
    *n = 0;
    pthread_once(&lex_once, lex_build);
    if (lex_failed)
        return rasd_fail(err, RASD_ENOMEM, "dates: could not build the date lexicon");
    Ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    parse_pub(&c, pubdate);
    size_t nt = rasd_doc_ntokens(d);
    const rasd_token *tk = rasd_doc_tokens(d);
    if (nt == 0)
        return RASD_OK;
    c.t = calloc(nt, sizeof *c.t);
    if (!c.t)
        return rasd_fail(err, RASD_ENOMEM, "dates: out of memory");
    c.n = nt;
    for (size_t i = 0; i < nt; i++) {
        Tk *t = &c.t[i];
        t->key = tk[i].key;
        t->klen = tk[i].key_len;
        t->start = tk[i].start;
        t->end = tk[i].end;
        t->type = tk[i].type;
        t->flags = tk[i].flags;
        t->pre_len = tk[i].pre_len;
        read_number(t);
    }
    for (size_t i = 0; i < nt && !c.oom; i++)
        match_token(&c, i);
    DateSpan *spans = NULL;
    size_t *toks = NULL; /* token range [s,e) of each span, two entries per span */
    size_t ns = 0, cap = 0;
    size_t i = 0;
    c.lim = 0;
    while (i < nt && !c.oom) {
        if (c.lim <= i) {
            /* parsers stop at the next line break */
            c.lim = i + 1;
            while (c.lim < nt && !(c.t[c.lim].flags & RASD_TF_NEWLINE))
                c.lim++;
        }
        Res r;
        if (!dates_try_at(&c, i, 0, 0, &r) || r.e <= i) {
            i++;
            continue;
        }
        if (dates_in_name(&c, &r)) {
            i = r.e; /* the whole name, so its month is not read alone */
            continue;
        }
        DateSpan s;
        memset(&s, 0, sizeof s);
        s.start = c.t[r.s].start + conj_bytes(&c, r.s);
        Res g;
        size_t ge = dates_p_equivalent(&c, &r, &g);
        int ok;
        if (ge && dates_value_equivalent(&c, &r, &g, &s)) {
            r.e = ge;
            ok = 1;
        } else {
            ok = dates_value_of(&c, &r, &s);
        }
        s.end = c.t[r.e - 1].end;
        if (ok && (r.kind == DATE_KIND_DATE || (flags & DATES_TIMEX))) {
            if (ns == cap) {
                size_t nc = cap ? cap * 2 : 16;
                DateSpan *nsp = realloc(spans, nc * sizeof *nsp);
                size_t *ntk = realloc(toks, nc * 2 * sizeof *ntk);
                if (nsp)
                    spans = nsp;
                if (ntk)
                    toks = ntk;
                if (!nsp || !ntk) {
                    c.oom = 1;
                    break;
                }
                cap = nc;
            }
            toks[2 * ns] = r.s;
            toks[2 * ns + 1] = r.e;
            spans[ns++] = s;
        }
        i = r.e;
    }
    /* datelines: the first date of the text, or one after a publication label */
    for (size_t k = 0; k < ns && !c.oom; k++)
        dates_mark_dateline(&c, toks[2 * k], toks[2 * k + 1], &spans[k]);
    free(toks);
    free(c.t);
    free(c.m);
    if (c.oom) {
        free(spans);
        return rasd_fail(err, RASD_ENOMEM, "dates: out of memory");
    }
    *out = spans;
    *n = ns;
    return RASD_OK;
}

int dates_dateline_of(const DateSpan *s, size_t n, uint32_t *start, uint32_t *end)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].dateline) {
            *start = s[i].dateline_start;
            *end = s[i].dateline_end;
            return 1;
        }
    return 0;
}

rasd_err dates_dateline(const rasd_doc *d, const char *pubdate, int *found, uint32_t *start,
                        uint32_t *end, rasd_error *err)
{
    if (!found || !start || !end)
        return rasd_fail(err, RASD_EINVAL, "dates_dateline: NULL argument");
    *found = 0;
    *start = *end = 0;
    DateSpan *s = NULL;
    size_t n = 0;
    rasd_err e = dates_find(d, pubdate, 0, &s, &n, err);
    if (e == RASD_OK)
        *found = dates_dateline_of(s, n, start, end);
    free(s);
    return e;
}

void dates_format_lines(const rasd_doc *d, const DateSpan *s, size_t n, Buf *out)
{
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, '\n');
        if (s[i].start <= s[i].end && s[i].end <= tl)
            buf_append(out, text + s[i].start, s[i].end - s[i].start);
        buf_puts(out, " => ");
        buf_puts(out, s[i].value);
        if (s[i].dateline) {
            buf_puts(out, " [dateline: ");
            if (s[i].dateline_start <= s[i].dateline_end && s[i].dateline_end <= tl)
                buf_append(out, text + s[i].dateline_start,
                           s[i].dateline_end - s[i].dateline_start);
            buf_putc(out, ']');
        }
    }
}

void dates_format_json(const rasd_doc *d, const DateSpan *s, size_t n, Buf *out)
{
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ',');
        buf_puts(out, "{\"text\":");
        if (s[i].start <= s[i].end && s[i].end <= tl)
            buf_put_json_string(out, text + s[i].start, s[i].end - s[i].start);
        else
            buf_puts(out, "\"\"");
        buf_puts(out, ",\"value\":");
        buf_put_json_string(out, s[i].value, strlen(s[i].value));
        buf_printf(out, ",\"start\":%u,\"end\":%u", s[i].start, s[i].end);
        if (s[i].kind != DATE_KIND_DATE)
            buf_printf(out, ",\"kind\":\"%s\"", dates_kind_name(s[i].kind));
        if (s[i].mod)
            buf_printf(out, ",\"mod\":\"%s\"", dates_mod_name(s[i].mod));
        if (s[i].part)
            buf_printf(out, ",\"part\":\"%s\"", dates_part_name(s[i].part));
        if (s[i].dateline)
            buf_printf(out, ",\"dateline\":true,\"dateline_start\":%u,\"dateline_end\":%u",
                       s[i].dateline_start, s[i].dateline_end);
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

const char *dates_kind_name(int kind)
{
    switch (kind) {
    case DATE_KIND_DATE: return "date";
    case DATE_KIND_DURATION: return "duration";
    case DATE_KIND_SET: return "set";
    case DATE_KIND_VAGUE: return "vague";
    }
    return "?";
}

const char *dates_mod_name(int mod)
{
    static const char *const names[] = {"", "since", "before", "after", "during"};
    return mod >= 0 && mod < (int)(sizeof names / sizeof names[0]) ? names[mod] : "";
}

const char *dates_part_name(int part)
{
    static const char *const names[] = {"", "early", "mid", "late"};
    return part >= 0 && part < (int)(sizeof names / sizeof names[0]) ? names[part] : "";
}
