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

#include "dates_impl.h"
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


static const char *const cat_names[LX_NCATS] = {
    "", "gmonth", "hmonth", "weekday", "relday", "unit1", "unit2", "unitn",
    "past", "future", "current", "this", "recent", "notday", "part",
    "datecue", "daycue", "tod", "monthcue", "yearcue", "yearcue2", "mod",
    "durcue", "agree", "epithet", "prep", "from", "to", "between", "and",
    "of", "same", "era_h", "era_g", "decade", "century", "ord", "num",
    "set", "futcue", "periodword", "periodadj", "event", "qty", "wdblock",
    "wdnext", "relpro", "namehead", "agency", "publabel", "relblock", "relnext", "age", "notyear", "evfrom"};


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

int dates_starts(const char *k, size_t n, const char *p)
{
    size_t pl = strlen(p);
    return n >= pl && memcmp(k, p, pl) == 0;
}

int dates_ends(const char *k, size_t n, const char *p)
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


/*
 * The best match of category cat at token j: the longest phrase, then the
 * one with the least stripped. LX_ART accepts matches found without the
 * article; LX_BARE refuses matches that needed proclitics stripped.
 */
const Match *dates_lx(const Ctx *c, size_t j, int cat, int how)
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

int dates_keyis(const Ctx *c, size_t j, const char *k)
{
    if (j >= c->lim)
        return 0;
    size_t n = strlen(k);
    return c->t[j].klen == n && memcmp(c->t[j].key, k, n) == 0;
}

int dates_punct(const Ctx *c, size_t j, const char *k)
{
    return j < c->lim && c->t[j].type == RASD_TOK_PUNCT && dates_keyis(c, j, k);
}

int dates_is_slash(const Ctx *c, size_t j) { return dates_punct(c, j, "/") || dates_punct(c, j, "\\"); }

int dates_is_dash(const Ctx *c, size_t j)
{
    return dates_punct(c, j, "-") || dates_punct(c, j, "\xe2\x80\x93") /* – */ ||
           dates_punct(c, j, "\xe2\x80\x94") /* — */ || dates_punct(c, j, "\xe2\x80\x90") ||
           dates_punct(c, j, "\xe2\x80\x91") || dates_punct(c, j, "\xe2\x88\x92") /* − */;
}

int dates_is_comma(const Ctx *c, size_t j)
{
    return dates_punct(c, j, ",") || dates_punct(c, j, "\xd8\x8c") /* ، */;
}

/* A plain number token with ndig in [mind, maxd] and value in [lo, hi]. */
int dates_num_at(const Ctx *c, size_t j, int mind, int maxd, long lo, long hi)
{
    if (j >= c->lim)
        return 0;
    const Tk *t = &c->t[j];
    return t->num >= 0 && t->ndig >= mind && t->ndig <= maxd && t->num >= lo && t->num <= hi;
}

int dates_day_at(const Ctx *c, size_t j) { return dates_num_at(c, j, 1, 2, 1, 31); }

/* Is the word before token j (or before a "(" there) one after which a
   bare month or year reads as a date: في، منذ، حتى، مطلع، بتاريخ …? */
int dates_cue_before(const Ctx *c, size_t j)
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
/* "أكثر من المتوقع": a cue word after a comparative and من is what was
   expected, not something to come. */
static int compared_to(const Ctx *c, size_t j)
{
    static const char *const cmp[] = { "اكثر", "اقل", "اعلى", "ادنى", "افضل", "اسوا",
                                       "اكبر", "اصغر", "اسرع", "ابطا", "اقوى", "اقوي", "اضعف",
                                       "اشد" };
    if (j < 2 || !dates_keyis(c, j - 1, "من"))
        return 0;
    for (size_t i = 0; i < sizeof cmp / sizeof *cmp; i++)
        if (dates_keyis(c, j - 2, cmp[i]))
            return 1;
    return 0;
}

/* A word in سـ after a preposition or a place noun is a name, not a verb
   in the future (في منطقة سيغو، قرب سيدني). */
static int after_place_word(const Ctx *c, size_t j)
{
    static const char *const w[] = { "في", "من", "الى", "قرب", "على", "عن", "منطقة", "منطقه",
                                     "مدينة", "مدينه", "بلدة", "بلده", "قرية", "قريه", "ولاية",
                                     "ولايه", "محافظة", "محافظه", "اقليم", "حي", "جزيرة", "جزيره" };
    if (j == 0)
        return 0;
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (dates_keyis(c, j - 1, w[i]))
            return 1;
    return 0;
}

int dates_future_before(const Ctx *c, size_t s)
{
    for (size_t k = 0; k < 8 && s > 0; k++) {
        size_t j = s - 1 - k;
        const Tk *t = &c->t[j];
        if (t->type == RASD_TOK_PUNCT && (t->flags & RASD_TF_SENT_END))
            return 0;
        if (t->type == RASD_TOK_ARABIC && t->pre_len >= 2 &&
            dates_ends(t->key, t->pre_len, "\xd8\xb3") /* س */ && !after_place_word(c, j))
            return 1;
        for (uint32_t q = t->m0; q < t->m1; q++) {
            if (c->m[q].cat == LX_RELPRO && !c->m[q].art)
                return 0;
            if (c->m[q].cat == LX_FUTCUE && c->m[q].ntok == 1 && !compared_to(c, j))
                return 1;
        }
        if (j == 0 || (t->flags & RASD_TF_NEWLINE))
            break;
    }
    return 0;
}

/* Can an expression start at token j? Every parser opens on a word of the
   date lexicon, a number, "(" or a detached article ("الـ30 من آب"); the others
   are skipped before a parse state is set up for each parser (most tokens
   of a text). */
int dates_may_open(const Ctx *c, size_t j)
{
    const Tk *t = &c->t[j];
    if (t->m0 != t->m1)
        return 1;
    if (t->type == RASD_TOK_PUNCT)
        return dates_punct(c, j, "("); /* "( 1948 ) م" */
    if (t->type == RASD_TOK_ARABIC)
        return t->klen == 4 && dates_starts(t->key, 4, "ال");
    return t->type != RASD_TOK_LATIN;
}

void dates_dx_init(DX *x)
{
    memset(x, 0, sizeof *x);
    x->wd = -1;
}

/* The cleared parse state, built by the compiler: dates_res_init runs for
   every parser at every token tried, so it copies this instead of clearing
   field by field (it was 5.9 % of an ingest's samples). */
static const Res RES_CLEAR = {.kind = DATE_KIND_DATE, .x = {.wd = -1}, .x2 = {.wd = -1}};

void dates_res_init(Res *r, size_t s)
{
    *r = RES_CLEAR;
    r->s = s;
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
        if (!dates_may_open(&c, i)) {
            i++;
            continue;
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
