/*
 * names.c — identity keys of names: one key for all spellings of a name,
 * different keys for different names, without context (see names.h).
 *
 * Main idea: a Soundex-like skeleton for Arabic-script names, most of which
 * in news are transliterations of foreign names and so vary in the letters
 * a transliterator must choose. After the text core's KEY normalisation
 * (hamza forms, ى ي, ة ه, tashkeel, tatweel, casefold already folded):
 *
 *   - words are split at spaces, hyphens and punctuation (hyphen = space);
 *     ". ' ’" are dropped without splitting (U.S. = US);
 *   - the particles عبد, ابو, نيو are glued to the next word, because
 *     outlets write them both ways (عبد الله/عبدالله, نيو يورك/نيويورك);
 *   - the article ال is dropped from any word with 3+ letters after it
 *     (روح الله الخميني / خميني, الأمريكية / أمريكية); when a vowel letter
 *     follows it, that letter counts as inner (اليكسندر = الكسندر). This
 *     is measured, not free: الهند and هند share a key;
 *   - letters fold to classes: ج غ ق ك گ ڨ ک (g/k/q), ت ط ث (t, th), س ز ص
 *     ذ ژ (s/z), د ض ظ (d), ح ه ة (h), ب پ, ف ڤ; ت before ش is dropped
 *     (تشيلسي/شيلسي); چ is ش. ش stays apart from س (شام/سام);
 *   - long vowels ا و ي (and ء) are dropped inside a word: foreign names
 *     are written with and without them (هيلاري/هلاري). At the start ا is
 *     the vowel onset, و and ي are consonants. At the end
 *     ا ه ة fold to one mark and و to another (ماريا/ماريو differ); a final
 *     ي ى (-i, -e, -y) is dropped, outlets add it or not (نولت/نولتي);
 *   - but a word with ح ع ص ض ظ, or listed in data/lexicon/arabic-names.txt,
 *     is taken for an Arabic name, whose long vowels are fixed and
 *     distinctive: محمد/محمود, حسن/حسين, سعد/سعيد, كمال/كامل, سالم/سليم keep
 *     their inner و ي ا, and ع is a consonant (عمر is not أمر). The price:
 *     a foreign name written with ع (عكاش/اكاش, عاميت/اميت) splits;
 *   - a foreign word's initial و is ف: German, Polish and Dutch W is v and
 *     outlets write it either way (فاغنر/واغنر, فالتر/والتر);
 *   - two adjacent letters of one class are one (doubled letters).
 *
 * The output uses one letter of each class (ك for the g/k class ...)
 * so a key stays readable; Latin words are kept as the normaliser gives
 * them (lower case, no diacritics), digits too.
 *
 * The alias table data/lexicon/aliases.txt (embedded at build time) maps the
 * skeleton of each alias to the skeleton of its canonical name; it and the
 * Arabic-name list are built once, with pthread_once, and read-only
 * afterwards.
 *
 * The same word splitting also gives the matcher's "form" (names_form): the
 * letters folded to the same classes but every vowel letter kept, so that
 * names_match.c can tell a vowel written or not (forgiven) from a vowel
 * written differently (ماريا/ماريو), which a key cannot.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "../text/text.h"

extern const unsigned char lex_aliases[];
extern const unsigned long lex_aliases_len;
extern const unsigned char lex_arabic_names[];
extern const unsigned long lex_arabic_names_len;

#define NAMES_MAX_WORD 64 /* code points kept of one word; the rest is cut */
/* code points a word needs for its ال to be dropped: 2 + at least 4 letters
   (الأمريكية = أمريكية, الخميني = خميني); a shorter word keeps it, since
   ال + three letters is mostly an ordinary Arabic word or a native name
   (اليمن is not يمن, الجدة is not جدة, الأسد is not أسد / زويد) */
#define NAMES_MIN_ARTICLE_WORD 6


/* Class representative of an Arabic letter; 0 = a vowel letter, 1 = drop. */
static uint32_t letter_class(uint32_t cp)
{
    switch (cp) {
    case 0x0627: case 0x0623: case 0x0625: case 0x0622: case 0x0671: /* ا أ إ آ ٱ */
    case 0x0648: case 0x0624: case 0x064A: case 0x0649: case 0x0626: /* و ؤ ي ى ئ */
    case 0x06CC: case 0x0621: /* ی ء */
        return 0;
    case 0x062C: case 0x063A: case 0x0642: case 0x0643: case 0x06AF: case 0x06A8:
    case 0x06A9: case 0x06AD: /* ج غ ق ك گ ڨ ک ڭ */
        return 0x0643;
    case 0x062A: case 0x0637: case 0x062B: /* ت ط ث (th: اليزابيث/اليزابيت) */
        return 0x062A;
    case 0x062D: case 0x0647: case 0x0629: /* ح ه ة */
        return 0x0647;
    case 0x0633: case 0x0632: case 0x0635: case 0x0630: case 0x0698: /* س ز ص ذ ژ */
        return 0x0633;
    case 0x062F: case 0x0636: case 0x0638: /* د ض ظ */
        return 0x062F;
    case 0x0628: case 0x067E: /* ب پ */
        return 0x0628;
    case 0x0641: case 0x06A4: /* ف ڤ */
        return 0x0641;
    case 0x0686: case 0x0634: /* چ ش */
        return 0x0634;
    default:
        return cp;
    }
}

static int is_arabic_letter(uint32_t cp)
{
    return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) ||
           (cp >= 0x06FA && cp <= 0x06FC) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08C9) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFC);
}

static void put_cp(Buf *out, uint32_t cp)
{
    char tmp[4];
    buf_append(out, tmp, (size_t)utf8_put(cp, tmp));
}

/* ---- the Arabic-name list (data/lexicon/arabic-names.txt) ---- */

static char **arabic_names;  /* KEY-normalised names, sorted; built once, never freed */
static size_t narabic_names; /* entries in arabic_names */
static pthread_once_t arabic_names_once = PTHREAD_ONCE_INIT;

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void arabic_names_build(void)
{
    const char *p = (const char *)lex_arabic_names, *end = p + lex_arabic_names_len;
    size_t cap = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t'))
            n--;
        char *key = NULL;
        size_t klen = 0;
        if (n > 0 && *p != '#' &&
            rasd_normalise(p, n, RASD_NORM_KEY, &key, &klen, NULL, NULL) == RASD_OK && klen) {
            if (narabic_names == cap) {
                size_t nc = cap ? cap * 2 : 512;
                char **na = realloc(arabic_names, nc * sizeof *na);
                if (na) {
                    arabic_names = na;
                    cap = nc;
                }
            }
            if (narabic_names < cap)
                arabic_names[narabic_names++] = key;
            else
                free(key);
        } else {
            free(key);
        }
        p = eol + 1;
    }
    if (narabic_names)
        qsort(arabic_names, narabic_names, sizeof *arabic_names, str_cmp);
}

/* Is the word w[0..m) (KEY-normalised code points) a listed Arabic name? */
static int is_arabic_name(const uint32_t *w, size_t m)
{
    char tmp[4 * 24 + 1];
    size_t len = 0;
    if (m == 0 || m > 24)
        return 0;
    pthread_once(&arabic_names_once, arabic_names_build);
    for (size_t i = 0; i < m; i++)
        len += (size_t)utf8_put(w[i], tmp + len);
    tmp[len] = 0;
    const char *probe = tmp;
    return narabic_names &&
           bsearch(&probe, arabic_names, narabic_names, sizeof *arabic_names, str_cmp) != NULL;
}

int names_given_name(const char *w, size_t n)
{
    char *k = NULL;
    size_t kl = 0;
    if (rasd_normalise(w, n, RASD_NORM_KEY, &k, &kl, NULL, NULL) != RASD_OK)
        return 0;
    uint32_t cps[24];
    size_t m = 0, i = 0;
    while (i < kl && m < 24)
        cps[m++] = utf8_next(k, kl, &i);
    int given = i == kl && is_arabic_name(cps, m);
    free(k);
    return given;
}

int names_arabic_word(const char *w, size_t n)
{
    uint32_t cps[24];
    size_t m = 0, i = 0;
    while (i < n && m < 24)
        cps[m++] = utf8_next(w, n, &i);
    for (size_t k = 0; k < m; k++)
        if (cps[k] == 0x062D || cps[k] == 0x0639 || cps[k] == 0x0635 || cps[k] == 0x0636 ||
            cps[k] == 0x0638)
            return 1;
    return i == n && is_arabic_name(cps, m);
}

int names_article_kept(const char *w, size_t n)
{
    size_t m = 0, i = 0;
    while (i < n && m + 2 < NAMES_MIN_ARTICLE_WORD) {
        utf8_next(w, n, &i);
        m++;
    }
    return i == n && m > 0 && m + 2 < NAMES_MIN_ARTICLE_WORD;
}

/* Has w[0..m) a letter only Arabic words have (ح ع ص ض ظ)? */
static int has_native_letter(const uint32_t *w, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (w[i] == 0x062D || w[i] == 0x0639 || w[i] == 0x0635 || w[i] == 0x0636 ||
            w[i] == 0x0638)
            return 1;
    return 0;
}

/*
 * Is c a letter an Arabic word (native) writes as it is, where a
 * transliteration could have chosen another of its class: ح ع ص ض ظ ج غ ق
 * ذ ث ط ز? The key keeps them (مصر is not ميزوري, جمال is not كمال).
 */
static int native_letter(uint32_t c, int native)
{
    return native && (c == 0x062D || c == 0x0639 || c == 0x0635 || c == 0x0636 ||
                      c == 0x0638 || c == 0x062C || c == 0x063A || c == 0x0642 ||
                      c == 0x0630 || c == 0x062B || c == 0x0637 || c == 0x0632);
}

/*
 * Does w[0..m) end in a Portuguese nh or lh written نهو / لهو (مورينهو =
 * مورينيو, كارفالهو = كارفاليو), whose ه is read as the vowel ي? Six
 * letters or more for نهو, seven for لهو (not اللهو، كويلهو).
 */
static int nh_ending(const uint32_t *w, size_t m)
{
    return m >= 6 && w[m - 2] == 0x0647 && w[m - 1] == 0x0648 &&
           (w[m - 3] == 0x0646 || (m >= 7 && w[m - 3] == 0x0644));
}

/*
 * Skeleton of one Arabic word w[0..m) (KEY-normalised code points); see the
 * top of the file for the rules. May write nothing (الياء: the article,
 * then only vowels); arabic_skeleton handles that.
 */
static void skeleton_body(const uint32_t *w, size_t m, Buf *out)
{
    int skip_onset = 0; /* the word had ال before a vowel letter: no onset */
    if (m >= NAMES_MIN_ARTICLE_WORD && w[0] == 0x0627 && w[1] == 0x0644) {
        w += 2; /* the article ال */
        m -= 2;
        skip_onset = letter_class(w[0]) == 0;
    }
    /* an Arabic name, whose long vowels are fixed */
    int native = has_native_letter(w, m) || is_arabic_name(w, m);
    uint32_t nh = !native && nh_ending(w, m) ? (uint32_t)(m - 2) : 0; /* index of that ه */
    uint32_t prev = 0; /* class of the previous letter in the word, 0 = vowel */
    for (size_t i = 0; i < m; i++) {
        uint32_t c = w[i], cls = native_letter(c, native) ? c : letter_class(c);
        int last = i + 1 == m;
        if (cls == 0x062A && i + 1 < m && letter_class(w[i + 1]) == 0x0634)
            continue; /* تش = ش */
        if (nh && i == nh) {
            prev = 0; /* read as the vowel ي */
            continue;
        }
        if (native && cls == 0 && i > 0) { /* محمد/محمود, حسن/حسين stay apart */
            uint32_t v = c == 0x0648 || c == 0x0624 ? 0x0648
                       : c == 0x0627 || c == 0x0621 ? 0x0627 : 0x064A;
            if (v != prev)
                put_cp(out, v);
            prev = v;
            continue;
        }
        if (i == 0 && skip_onset && !last) {
            prev = 0; /* اليكسيس = الكسيس: the ي is an inner vowel */
            continue;
        }
        if (i == 0 && c == 0x0648 && !native && !last)
            cls = 0x0641; /* foreign w/v: واغنر = فاغنر */
        if (i == 0) {
            if (cls == 0) /* the onset: و and ي are consonants, the rest a vowel */
                put_cp(out, c == 0x0648 ? 0x0648 : (c == 0x064A || c == 0x06CC) ? 0x064A : 0x0627);
            else
                put_cp(out, cls);
            prev = cls ? cls : c;
            continue;
        }
        if (last && (cls == 0 || c == 0x0647 || c == 0x0629)) {
            if (c == 0x0648 || c == 0x0624)
                put_cp(out, 0x0648); /* final و: -o, -ou */
            else if (c == 0x0627 || (c == 0x0647 && m >= 3))
                put_cp(out, 0x0627); /* final ا ه ة: -a */
            else if (c == 0x0647)
                put_cp(out, cls);    /* a two-letter word keeps its ه (طه) */
            break;                   /* final ي ى (-i, -e, -y) is optional */
        }
        if (cls == 0) {
            prev = 0;
            continue;
        }
        if (cls == prev)
            continue; /* doubled letter */
        put_cp(out, cls);
        prev = cls;
    }
}

/*
 * Is w[0..m) a word that tells father from son (الابن، الاب، الثاني،
 * جونيور ...)? The matcher never lets a name drop one.
 */
static int is_generation_word(const uint32_t *w, size_t m)
{
    static const char *const words[] = {"الابن", "الاب", "الثاني", "الثالث", "الرابع",
                                        "الاكبر", "الاصغر", "الكبير", "الصغير", "جونيور",
                                        "جونير", "الجد", "الحفيد", NULL};
    char tmp[4 * 16 + 1];
    size_t len = 0;
    if (m == 0 || m > 16)
        return 0;
    for (size_t i = 0; i < m; i++)
        len += (size_t)utf8_put(w[i], tmp + len);
    tmp[len] = 0;
    for (int i = 0; words[i]; i++)
        if (strcmp(tmp, words[i]) == 0)
            return 1;
    return 0;
}

/*
 * Form of one Arabic word w[0..m) for the matcher (names_match.c): "*" if
 * it is an Arabic name (fixed long vowels), "!" if it is a generation word,
 * then every letter folded to its class as in the key, but vowel letters
 * kept (ا و ي; hamza is ا, ى is ي), ث kept apart from ت (it is also an s),
 * a final ه ة of a word of 3+ letters written ة (a vowel: -a or -e), تش
 * written ش. Doubled letters and the article are left to the matcher.
 */
static void arabic_form(const uint32_t *w, size_t m, Buf *out)
{
    const uint32_t *core = w;
    size_t cm = m;
    if (m >= 5 && w[0] == 0x0627 && w[1] == 0x0644)
        core += 2, cm -= 2;
    int native = has_native_letter(w, m) || is_arabic_name(core, cm) || is_arabic_name(w, m);
    if (native)
        buf_putc(out, '*');
    if (is_generation_word(w, m))
        buf_putc(out, '!');
    for (size_t i = 0; i < m; i++) {
        uint32_t c = w[i], cls = letter_class(c);
        if (cls == 0x062A && c != 0x062B && i + 1 < m && letter_class(w[i + 1]) == 0x0634)
            continue; /* تش = ش */
        if (!native && i + 2 == m && nh_ending(w, m))
            put_cp(out, 0x064A); /* Portuguese nh, lh: مورينهو = مورينيو, as in the key */
        else if (c == 0x062B)
            put_cp(out, c);
        else if (cls == 0)
            put_cp(out, c == 0x0648 || c == 0x0624 ? 0x0648
                        : c == 0x064A || c == 0x0649 || c == 0x0626 || c == 0x06CC ? 0x064A
                                                                                    : 0x0627);
        else if (i + 1 == m && m >= 3 && cls == 0x0647 && c != 0x062D)
            put_cp(out, 0x0629);
        else
            put_cp(out, cls);
    }
}

/* Skeleton of one Arabic word: never empty, so words stay words. */
static void arabic_skeleton(const uint32_t *w, size_t m, Buf *out)
{
    size_t start = out->len;
    skeleton_body(w, m, out);
    if (out->len == start && !out->oom)
        put_cp(out, 0x0627); /* a word of vowels alone: its onset */
}

static int is_particle(const uint32_t *w, size_t m)
{
    static const uint32_t abd[] = {0x0639, 0x0628, 0x062F}, abu[] = {0x0627, 0x0628, 0x0648},
                          niu[] = {0x0646, 0x064A, 0x0648};
    if (m != 3)
        return 0;
    return !memcmp(w, abd, sizeof abd) || !memcmp(w, abu, sizeof abu) ||
           !memcmp(w, niu, sizeof niu);
}

/* The key (form = 0) or the matcher's form (form = 1) of one Arabic word. */
static void arabic_word(const uint32_t *w, size_t m, Buf *out, int form)
{
    if (form)
        arabic_form(w, m, out);
    else
        arabic_skeleton(w, m, out);
}

/*
 * Skeleton (form = 0) or matcher form (form = 1) of KEY-normalised text
 * s[0..n), appended to out: the words, one space between.
 */
static void skeleton_of_key(const char *s, size_t n, Buf *out, int form)
{
    uint32_t w[NAMES_MAX_WORD]; /* the Arabic word being collected */
    size_t m = 0;               /* code points in w */
    int nwords = 0;             /* words already written to out */
    int latin = 0;              /* a Latin/digit word is open in out */
    int glue = 0;               /* the Arabic word in w is a particle waiting */
    int in_ar = 0;              /* the last code point kept was an Arabic letter */
    size_t i = 0;
    for (int done = 0; !done;) {
        uint32_t cp = 0; /* 0 = past the end: flushes the last word */
        if (i < n)
            cp = utf8_next(s, n, &i);
        else
            done = 1;
        if (cp == '.' || cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x0640)
            continue;
        int ar = cp && is_arabic_letter(cp);
        int other = cp && !ar && cp != 0x0621 &&
                    (cp >= 0x80 ? char_class(cp) == CL_LETTER || char_class(cp) == CL_DIGIT
                                : ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
                                   (cp >= 'A' && cp <= 'Z')));
        if (cp == 0x0621)
            ar = 1; /* a lone hamza is part of the word (a vowel) */
        if (!ar && in_ar) { /* an Arabic word ends */
            if (!glue && is_particle(w, m) && cp != 0) {
                glue = 1; /* keep it and append the next word to it */
            } else {
                if (nwords++)
                    buf_putc(out, ' ');
                arabic_word(w, m, out, form);
                m = 0;
                glue = 0;
            }
        }
        in_ar = ar;
        if (!other)
            latin = 0;
        if (ar) {
            if (m < NAMES_MAX_WORD)
                w[m++] = cp;
            continue;
        }
        if (other) {
            if (glue) { /* a particle before a Latin word: write it alone */
                if (nwords++)
                    buf_putc(out, ' ');
                arabic_word(w, m, out, form);
                m = 0;
                glue = 0;
            }
            if (!latin) {
                if (nwords++)
                    buf_putc(out, ' ');
                latin = 1;
            }
            if (cp < 0x80 && cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            put_cp(out, cp);
        }
    }
    if (m > 0) { /* a particle that nothing followed */
        if (nwords++)
            buf_putc(out, ' ');
        arabic_word(w, m, out, form);
    }
}

/* names_skeleton (form = 0) or names_form (form = 1). */
static int spelling_of(const char *name, size_t n, Buf *out, int form)
{
    Buf clean = {0};
    utf8_clean(name ? name : "", name ? n : 0, &clean);
    if (clean.oom) {
        buf_free(&clean);
        out->oom = 1;
        return -1;
    }
    char *key = NULL;
    size_t klen = 0;
    rasd_err rc = rasd_normalise(clean.data ? clean.data : "", clean.len, RASD_NORM_KEY, &key,
                                 &klen, NULL, NULL);
    buf_free(&clean);
    if (rc != RASD_OK) {
        out->oom = 1;
        return -1;
    }
    skeleton_of_key(key, klen, out, form);
    if (buf_reserve(out, 1) == 0)
        out->data[out->len] = 0; /* an empty key is "" too, not NULL */
    free(key);
    return out->oom ? -1 : 0;
}

int names_skeleton(const char *name, size_t n, Buf *out)
{
    return spelling_of(name, n, out, 0);
}

int names_form(const char *name, size_t n, Buf *out)
{
    return spelling_of(name, n, out, 1);
}

/* ---- the alias table ---- */

typedef struct Alias {
    char *from; /* skeleton of the alias, NUL-terminated, owned by the table */
    char *to;   /* skeleton of the canonical name, NUL-terminated, owned */
} Alias;

static Alias *aliases;   /* sorted by from; built once, never freed */
static size_t naliases;  /* entries in aliases */
static pthread_once_t aliases_once = PTHREAD_ONCE_INIT;

static int alias_cmp(const void *a, const void *b)
{
    return strcmp(((const Alias *)a)->from, ((const Alias *)b)->from);
}

static char *skeleton_dup(const char *s, size_t n)
{
    Buf b = {0};
    while (n > 0 && (s[0] == ' ' || s[0] == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (names_skeleton(s, n, &b) < 0 || b.len == 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/*
 * Parses "alias = alias = ... = canonical" lines (# comments); every form
 * on a line maps to the skeleton of the last one.
 */
static void aliases_build(void)
{
    const char *p = (const char *)lex_aliases, *end = p + lex_aliases_len;
    size_t cap = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (p < eol && *p != '#') {
            const char *last = eol;
            while (last > p && last[-1] != '=')
                last--;
            char *to = last > p ? skeleton_dup(last, (size_t)(eol - last)) : NULL;
            const char *f = p;
            while (to && f < last) {
                const char *eq = memchr(f, '=', (size_t)(last - f));
                char *from = skeleton_dup(f, (size_t)(eq - f));
                f = eq + 1;
                if (!from)
                    continue;
                if (strcmp(from, to) == 0 || (naliases == cap && cap > SIZE_MAX / 2 / sizeof *aliases)) {
                    free(from);
                    continue;
                }
                if (naliases == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    Alias *na = realloc(aliases, nc * sizeof *na);
                    if (!na) {
                        free(from);
                        continue;
                    }
                    aliases = na;
                    cap = nc;
                }
                aliases[naliases].from = from;
                aliases[naliases].to = strdup(to);
                if (!aliases[naliases].to) {
                    free(from);
                    continue;
                }
                naliases++;
            }
            free(to);
        }
        p = eol + 1;
    }
    if (naliases)
        qsort(aliases, naliases, sizeof *aliases, alias_cmp);
}

/*
 * A per-thread memo of names_key for short inputs: the conflict detector
 * and the matcher ask for the key of the same few thousand words again and
 * again (profiling a 58-article story: 60 % of its time was spent here).
 * Direct-mapped on the input's hash; an entry keeps its input to verify.
 */
#define KEYMEMO_SLOTS 4096
#define KEYMEMO_IN 48   /* bytes of input kept; longer names are not memoised */
#define KEYMEMO_OUT 80  /* bytes of key kept */
typedef struct KeyMemo {
    uint8_t in_len, out_len; /* 0 in_len: empty slot */
    char in[KEYMEMO_IN];
    char out[KEYMEMO_OUT];
} KeyMemo;
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
static void memo_make_key(void) { pthread_key_create(&memo_key, free); }

static KeyMemo *memo_slot(const char *name, size_t n)
{
    if (n == 0 || n > KEYMEMO_IN)
        return NULL;
    pthread_once(&memo_once, memo_make_key);
    KeyMemo *m = pthread_getspecific(memo_key);
    if (!m) {
        m = calloc(KEYMEMO_SLOTS, sizeof *m);
        if (!m || pthread_setspecific(memo_key, m) != 0) {
            free(m);
            return NULL;
        }
    }
    return &m[rasd_hash(name, n) & (KEYMEMO_SLOTS - 1)];
}

static int names_key_uncached(const char *name, size_t n, Buf *out);

int names_key(const char *name, size_t n, Buf *out)
{
    KeyMemo *m = memo_slot(name, n);
    if (m && m->in_len == n && memcmp(m->in, name, n) == 0) {
        buf_append(out, m->out, m->out_len);
        if (buf_reserve(out, 1) == 0)
            out->data[out->len] = 0;
        return out->oom ? -1 : 0;
    }
    size_t start = out->len;
    int rc = names_key_uncached(name, n, out);
    if (rc == 0 && m && out->len - start <= KEYMEMO_OUT) {
        m->in_len = (uint8_t)n;
        memcpy(m->in, name, n);
        m->out_len = (uint8_t)(out->len - start);
        memcpy(m->out, out->data + start, m->out_len);
    }
    return rc;
}

static int names_key_uncached(const char *name, size_t n, Buf *out)
{
    pthread_once(&aliases_once, aliases_build);
    size_t start = out->len;
    if (names_skeleton(name, n, out) < 0)
        return -1;
    if (naliases == 0 || out->len == start)
        return 0;
    Alias probe = {out->data + start, NULL};
    const Alias *hit = bsearch(&probe, aliases, naliases, sizeof *aliases, alias_cmp);
    if (hit) {
        out->len = start;
        buf_puts(out, hit->to);
    }
    return out->oom ? -1 : 0;
}

/* ---- a person's key: titles off, the nasab chain cut ---- */

/* Does the KEY-normalised word w (n bytes) equal one of list (NULL-ended)? */
static int word_in(const char *w, size_t n, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return 1;
    return 0;
}

/* Words (KEY-normalised) that end no person's name: the next phrase's title
   the tagger ran on into ("ولي" of ولي العهد), a family or nasab link with
   nothing after it (a name cut at "آل"). */
static const char *const trailing_words[] = {"ولي", "وليا", "ال", "بن", "ابن", "بنت", "نايب", "وزير",
                                             "رييس", "خادم", "سمو", "الملك", "الامير",
                                             "الرييس", NULL};

/* Title words that may open a person's span but are not the name. */
static const char *const leading_words[] = {
    "الملك", "الامير", "الاميره", "الشيخ", "الشيخه", "الرييس", "السيد", "السيده",
    "الدكتور", "الدكتوره", "خادم", "الحرمين", "الشريفين", "ولي", "العهد", "سمو",
    "صاحب", "السمو", "الملكي", "معالي", "فخامه",
    /* ranks (الرائد عبدالعزيز = عبدالعزيز) */
    "الرايد", "العقيد", "اللواء", "العميد", "المقدم", "النقيب", "الملازم", "المشير", "الرقيب",
    "العريف", "المهندس", "الاستاذ", NULL};

int names_link_word(const char *w, size_t n)
{
    static const char *const links[] = {"ال", "بن", "ابن", "بنت", "ابو", "عبد", NULL};
    return word_in(w, n, links);
}

int names_trailing_word(const char *w, size_t n)
{
    return word_in(w, n, trailing_words);
}

/* Does the KEY-normalised word w (n bytes) start with و or ب, which after a
   nasab chain is the tagger running on into the sentence (والجباري, بالرياض,
   بتبوك, وولي) rather than a family name? */
static int proclitic_start(const char *w, size_t n)
{
    return n >= 2 && (!memcmp(w, "و", 2) || !memcmp(w, "ب", 2));
}

int names_person_key(const char *name, size_t n, Buf *out)
{
    Buf clean = {0};
    utf8_clean(name ? name : "", name ? n : 0, &clean);
    char *k = NULL;
    size_t kl = 0;
    if (clean.oom || rasd_normalise(clean.data ? clean.data : "", clean.len, RASD_NORM_KEY, &k,
                                    &kl, NULL, NULL) != RASD_OK) {
        buf_free(&clean);
        out->oom = 1;
        return -1;
    }
    buf_free(&clean);
    enum { MAXW = 32 };
    size_t ws[MAXW], we[MAXW], nw = 0; /* words of k: [ws, we) byte ranges */
    for (size_t i = 0; i < kl && nw < MAXW;) {
        while (i < kl && k[i] == ' ')
            i++;
        size_t b = i;
        while (i < kl && k[i] != ' ')
            i++;
        if (i > b)
            ws[nw] = b, we[nw++] = i;
    }
    size_t first = 0, end = nw;
    while (end - first > 1 && word_in(k + ws[first], we[first] - ws[first], leading_words))
        first++;
    while (end - first > 1 && word_in(k + ws[end - 1], we[end - 1] - ws[end - 1], trailing_words))
        end--;
    static const char *const links[] = {"بن", "ابن", "بنت", NULL};
    static const char *const particles[] = {"عبد", "ابو", NULL};
    for (size_t i = first + 1; i + 1 < end; i++) {
        if (!word_in(k + ws[i], we[i] - ws[i], links))
            continue;
        size_t j = i + 1; /* the father's name, عبد / ابو glued to the next word */
        if (j + 1 < end && word_in(k + ws[j], we[j] - ws[j], particles))
            j++;
        /* سلمان بن عبدالعزيز آل سعود = سلمان بن عبدالعزيز, and محمد بن سلمان بن
           عبدالعزيز = محمد بن سلمان; but a family name right after the father's
           tells two men apart (حمد بن محمد العوهلي ≠ حمد بن محمد الحارثي) */
        size_t f = j + 1;
        int family = f < end && !proclitic_start(k + ws[f], we[f] - ws[f]) &&
                     !word_in(k + ws[f], we[f] - ws[f], links) &&
                     !word_in(k + ws[f], we[f] - ws[f], particles) &&
                     !word_in(k + ws[f], we[f] - ws[f], trailing_words);
        end = family ? f + 1 : j + 1;
        break;
    }
    Buf words = {0};
    for (size_t i = first; i < end; i++) {
        if (i > first)
            buf_putc(&words, ' ');
        if (i > first && we[i] - ws[i] == strlen("ابن") && !memcmp(k + ws[i], "ابن", strlen("ابن")))
            buf_puts(&words, "بن"); /* ابن inside a chain is بن */
        else
            buf_append(&words, k + ws[i], we[i] - ws[i]);
    }
    int rc = words.oom ? -1 : names_key(words.data ? words.data : "", words.len, out);
    if (words.oom)
        out->oom = 1;
    buf_free(&words);
    free(k);
    return rc;
}
