/*
 * chars.c — what every code point is (class) and what it becomes in a
 * matching key (fold), plus rasd_normalise().
 *
 * The table covers the BMP and is built once from utf8proc (NFKC, casefold,
 * strip marks) with rasd's Arabic rules applied on top, so the hot loop of
 * the tokeniser is one array read per character instead of a utf8proc call.
 * Characters outside the BMP (emoji, historic scripts) go through utf8proc
 * directly; they are rare in news text.
 *
 * Arabic rules (design.md, issue 2): tashkeel, tatweel (U+0640, which
 * utf8proc keeps), bidi marks and ZWJ/ZWNJ are dropped; أ إ آ ٱ → ا;
 * ى → ي; ة → ه; ؤ → و; ئ → ي; Persian/Urdu letter forms → Arabic;
 * Arabic-Indic and Persian digits → ASCII; ، ؛ ؟ ٪ ٫ ٬ → , ; ? % . ,
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

#define NBMP 65536

static uint8_t cls_tab[NBMP];   /* enum CharClass of each BMP code point */
static uint32_t fold_tab[NBMP]; /* (offset into fold_pool << 8) | length */
static char *fold_pool;         /* UTF-8 of all folds, back to back */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int is_arabic_block(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF);
}

static int is_quote(uint32_t cp)
{
    switch (cp) {
    case '"': case '\'': case 0x00AB: case 0x00BB: case 0x2018: case 0x2019:
    case 0x201A: case 0x201B: case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x2039: case 0x203A: case 0x300C: case 0x300D: case 0x300E: case 0x300F:
    case 0xFF02: case 0xFF07: case 0x2032: case 0x2033:
        return 1;
    }
    return 0;
}

static int is_ignorable(uint32_t cp)
{
    /* tashkeel; not U+0653-0655 (madda, hamza above/below), which NFKC
       composes with alif into آ أ إ and which keys strip as marks anyway */
    if ((cp >= 0x064B && cp <= 0x0652) || (cp >= 0x0656 && cp <= 0x065F)) return 1;
    if (cp == 0x0670 || cp == 0x0640) return 1;  /* superscript alef, tatweel */
    if (cp >= 0x0610 && cp <= 0x061A) return 1;  /* honorific and Quranic signs */
    if (cp >= 0x06D6 && cp <= 0x06DC) return 1;
    if (cp >= 0x06DF && cp <= 0x06E4) return 1;
    if (cp >= 0x06E7 && cp <= 0x06E8) return 1;
    if (cp >= 0x06EA && cp <= 0x06ED) return 1;
    if (cp >= 0x08D3 && cp <= 0x08FF && cp != 0x08E2) return 1;
    if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F)
        return 1; /* zero width space, ZWNJ, ZWJ, LRM, RLM */
    if (cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        return 1; /* bidi embedding, override, isolate marks */
    if (cp == 0x00AD || cp == 0x2060 || cp == 0xFEFF || cp == 0x034F) return 1;
    if (cp >= 0xFE00 && cp <= 0xFE0F) return 1; /* variation selectors */
    return 0;
}

/* Arabic letter folding applied after NFKC; returns the replacement or cp. */
static uint32_t arabic_fold(uint32_t cp)
{
    switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
        return 0x0627; /* آ أ إ ٱ → ا */
    case 0x0649: case 0x06CC: case 0x06D0: case 0x0626: case 0x06CD:
        return 0x064A; /* ى ی ې ئ → ي */
    case 0x0629: case 0x06C0: case 0x06C1: case 0x06C2: case 0x06C3: case 0x06D5:
        return 0x0647; /* ة ۀ ہ ۂ ۃ ە → ه */
    case 0x0624: return 0x0648; /* ؤ → و */
    case 0x06A9: case 0x06AA: return 0x0643; /* ک ڪ → ك */
    case 0x060C: return ',';
    case 0x061B: return ';';
    case 0x061F: return '?';
    case 0x066A: return '%';
    case 0x066B: return '.';
    case 0x066C: return ',';
    case 0x06D4: return '.';
    }
    if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);
    return cp;
}

static int classify(uint32_t cp)
{
    if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x0085) return CL_NEWLINE;
    if (is_ignorable(cp)) return CL_IGNORE;
    if (is_quote(cp)) return CL_QUOTE;
    switch (cp) {
    case '.': case '!': case '?': case 0x061F: case 0x2026: case 0x06D4: case 0x203C:
    case 0x2047: case 0x2048: case 0x2049: case 0xFF01: case 0xFF1F:
        return CL_SENT;
    case '-': case 0x2010: case 0x2011:
        return CL_HYPHEN;
    case 0x066B: case 0x066C:
        return CL_DECSEP;
    case '_':
        return CL_PUNCT;
    }
    if (cp >= 0x0660 && cp <= 0x0669) return CL_DIGIT;
    if (cp >= 0x06F0 && cp <= 0x06F9) return CL_DIGIT;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return is_arabic_block(cp) ? CL_AR : CL_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return CL_MARK;
    case UTF8PROC_CATEGORY_ND:
        return CL_DIGIT;
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return CL_SYMBOL;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
        return CL_SPACE;
    case UTF8PROC_CATEGORY_CF:
        return CL_IGNORE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return CL_PUNCT;
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return CL_SYMBOL;
    default:
        return CL_OTHER;
    }
}

/* Full matching fold of one code point into out (room for 64 bytes); returns length. */
static size_t fold_slow(uint32_t cp, char *out)
{
    if (is_ignorable(cp))
        return 0;
    uint32_t a = arabic_fold(cp);
    if (a != cp)
        return (size_t)utf8_put(a, out);
    if (is_quote(cp)) { /* every quote mark matches every other */
        out[0] = (cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x201A ||
                  cp == 0x201B || cp == 0x2039 || cp == 0x203A || cp == 0xFF07 ||
                  cp == 0x2032) ? '\'' : '"';
        return 1;
    }
    utf8proc_int32_t buf[32];
    utf8proc_ssize_t n = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, buf, 32,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
            UTF8PROC_IGNORE,
        NULL);
    if (n < 0 || n > 32) /* unassigned or too long: keep as is */
        return (size_t)utf8_put(cp, out);
    size_t len = 0;
    for (utf8proc_ssize_t k = 0; k < n && len + 4 <= 60; k++) {
        uint32_t c = (uint32_t)buf[k];
        if (is_ignorable(c))
            continue;
        utf8proc_category_t cat = utf8proc_category(buf[k]);
        if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
            cat == UTF8PROC_CATEGORY_ME)
            continue;
        len += (size_t)utf8_put(arabic_fold(c), out + len);
    }
    return len;
}

static void build(void)
{
    size_t cap = 1 << 19, used = 0;
    fold_pool = malloc(cap);
    for (uint32_t cp = 0; cp < NBMP; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cls_tab[cp] = CL_OTHER;
            fold_tab[cp] = 0;
            continue;
        }
        cls_tab[cp] = (uint8_t)classify(cp);
        char tmp[64];
        size_t n = fold_slow(cp, tmp);
        /* isolated tashkeel forms (U+FE70..) are "letters" whose NFKC is a
           space and a mark: nothing a word can be made of */
        if (cls_tab[cp] == CL_AR || cls_tab[cp] == CL_LETTER) {
            size_t k = 0;
            while (k < n && tmp[k] == ' ')
                k++;
            if (k == n) {
                cls_tab[cp] = CL_IGNORE;
                n = 0;
            }
        }
        if (fold_pool && used + n > cap) {
            char *p = realloc(fold_pool, cap * 2);
            if (!p) {
                free(fold_pool);
                fold_pool = NULL;
            } else {
                fold_pool = p;
                cap *= 2;
            }
        }
        if (!fold_pool) { /* out of memory at start-up: fall back to slow path */
            fold_tab[cp] = 0xFFFFFFFFu;
            continue;
        }
        memcpy(fold_pool + used, tmp, n);
        fold_tab[cp] = (uint32_t)(used << 8) | (uint32_t)n;
        used += n;
    }
}

void chars_init(void) { pthread_once(&once, build); }

int char_class(uint32_t cp)
{
    if (cp < NBMP)
        return cls_tab[cp];
    if (cp >= 0xE0000 && cp <= 0xE0FFF)
        return CL_IGNORE; /* tags and variation selectors supplement */
    return classify(cp);
}

const char *char_fold(uint32_t cp, size_t *len, char tmp[64])
{
    if (cp < NBMP && fold_tab[cp] != 0xFFFFFFFFu && fold_pool) {
        uint32_t v = fold_tab[cp];
        *len = v & 0xFF;
        return fold_pool + (v >> 8);
    }
    *len = fold_slow(cp, tmp);
    return tmp;
}

/* ---- rasd_normalise ---- */

/* Display level: NFKC of each base character with its marks, ignorables removed. */
static void norm_display(const char *s, size_t n, Buf *out, Buf *map)
{
    size_t i = 0;
    Buf run = {0};
    while (i < n) {
        size_t start = i;
        uint32_t cp = utf8_next(s, n, &i);
        if (is_ignorable(cp) || char_class(cp) == CL_IGNORE)
            continue;
        /* gather following combining marks (not ignorables) into the run */
        buf_reset(&run);
        buf_append(&run, s + start, i - start);
        while (i < n) {
            size_t j = i;
            uint32_t c2 = utf8_next(s, n, &j);
            int cl = char_class(c2);
            if (cl == CL_IGNORE) {
                i = j;
                continue;
            }
            if (cl != CL_MARK)
                break;
            buf_append(&run, s + i, j - i);
            i = j;
        }
        if (run.oom) break;
        utf8proc_uint8_t *res = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)run.data,
                                          (utf8proc_ssize_t)run.len, &res,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
        const char *src = run.data;
        size_t srclen = run.len;
        if (m >= 0 && res) {
            src = (const char *)res;
            srclen = (size_t)m;
        }
        size_t before = out->len;
        /* NFKC can produce tatweel-free but still ignorable output (rare): filter */
        size_t k = 0;
        while (k < srclen) {
            size_t k0 = k;
            uint32_t c = utf8_next(src, srclen, &k);
            if (!is_ignorable(c))
                buf_append(out, src + k0, k - k0);
        }
        if (map)
            for (size_t b = before; b < out->len; b++) {
                uint32_t off = (uint32_t)start;
                buf_append(map, &off, sizeof off);
            }
        free(res);
    }
    buf_free(&run);
}

/* Could s be written differently in the form text_spelling_form gives? Only
   bytes that start a mark, tatweel, a Persian letter form, a format
   character or a presentation form say yes; plain Arabic and Latin do not. */
static int spelling_may_change(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = s[i], c = i + 1 < n ? s[i + 1] : 0;
        if (b >= 0xE0 || b == 0xCC || b == 0xCD || b == 0xDA || b == 0xDB)
            return 1; /* U+0800 and up, combining marks, U+0680-06FF */
        if (b == 0xD9 && (c == 0x80 || (c >= 0x8B && c <= 0x9F) || c == 0xB0))
            return 1; /* tatweel, tashkeel, superscript alef */
        if (b == 0xD8 && c >= 0x90 && c <= 0x9C)
            return 1; /* honorific signs, the Arabic letter mark */
        if (b == 0xC2 && c == 0xAD)
            return 1; /* soft hyphen */
    }
    return 0;
}

int text_spelling_form(const char *s, size_t n, Buf *out)
{
    if (!spelling_may_change((const unsigned char *)s, n))
        return 0;
    chars_init();
    Buf d = {0};
    norm_display(s, n, &d, NULL);
    size_t start = out->len;
    for (size_t i = 0; i < d.len; i++) {
        unsigned char b = (unsigned char)d.data[i], c = i + 1 < d.len ? (unsigned char)d.data[i + 1] : 0;
        if (b == 0xDB && c == 0x8C) { /* ی → ي */
            buf_append(out, "\xD9\x8A", 2);
            i++;
        } else if (b == 0xDA && c == 0xA9) { /* ک → ك */
            buf_append(out, "\xD9\x83", 2);
            i++;
        } else {
            buf_putc(out, (char)b);
        }
    }
    int oom = d.oom || out->oom;
    buf_free(&d);
    if (oom)
        return -1;
    size_t m = out->len - start;
    if (m == n && memcmp(out->data + start, s, n) == 0) {
        out->len = start;
        out->data[start] = '\0';
        return 0;
    }
    buf_putc(out, '\0');
    return out->oom ? -1 : 1;
}

static void norm_key(const char *s, size_t n, Buf *out, Buf *map)
{
    size_t i = 0;
    char tmp[64];
    while (i < n) {
        size_t start = i;
        uint32_t cp = utf8_next(s, n, &i);
        size_t len;
        const char *f = char_fold(cp, &len, tmp);
        int cl = char_class(cp);
        if (cp < 0x80 && (cl == CL_SPACE || cl == CL_NEWLINE)) { /* tab, CR, LF as they are */
            f = s + start;
            len = i - start;
        } else if (cl == CL_SPACE) { /* NBSP, thin space ...: a plain space, as NFKC does */
            f = " ";
            len = 1;
        } else if (cl == CL_NEWLINE) { /* U+2028, U+2029, NEL */
            f = "\n";
            len = 1;
        }
        size_t before = out->len;
        buf_append(out, f, len);
        if (map)
            for (size_t b = before; b < out->len; b++) {
                uint32_t off = (uint32_t)start;
                buf_append(map, &off, sizeof off);
            }
    }
}

/*
 * Offset in s of the input that produced each byte of c = utf8_clean(s)
 * (cn + 1 entries, the last = len), or NULL when out of memory. utf8_clean
 * keeps valid characters byte for byte, drops a leading BOM, turns NUL into
 * a space and each maximal bad subpart into U+FFFD; walking s and c side by
 * side undoes that. A bad subpart's length is found by cleaning growing
 * windows of s: a window gives a single U+FFFD exactly while it stays
 * inside the subpart, so utf8_clean remains the only definition of "bad".
 */
static uint32_t *clean_offsets(const char *s, size_t len, const char *c, size_t cn)
{
    uint32_t *m = malloc((cn + 1) * sizeof *m);
    if (!m)
        return NULL;
    size_t i = 0, j = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (j < cn) {
        if (i >= len) { /* cannot happen while this mirrors utf8_clean: stay in bounds */
            for (; j < cn; j++)
                m[j] = (uint32_t)len;
            break;
        }
        size_t j2 = j;
        utf8_next(c, cn, &j2);
        size_t k = j2 - j;
        if (s[i] == '\0' && c[j] == ' ') {
            k = 1;
        } else if (len - i < k || memcmp(s + i, c + j, k) != 0) {
            k = 1; /* U+FFFD: the longest window of s that cleans to just it */
            for (size_t w = 2; w <= 4 && i + w <= len; w++) {
                Buf t = {0};
                utf8_clean(s + i, w, &t);
                int one = !t.oom && t.len == 3 && memcmp(t.data, "\xEF\xBF\xBD", 3) == 0;
                int oom = t.oom;
                buf_free(&t);
                if (oom) {
                    free(m);
                    return NULL;
                }
                if (!one)
                    break;
                k = w;
            }
        }
        for (size_t b = j; b < j2; b++)
            m[b] = (uint32_t)i;
        i += k;
        j = j2;
    }
    m[cn] = (uint32_t)len;
    return m;
}

rasd_err rasd_normalise(const char *s, size_t len, int level, char **out,
                        size_t *out_len, uint32_t **map, rasd_error *err)
{
    if (!s || !out || !out_len || (level != RASD_NORM_DISPLAY && level != RASD_NORM_KEY))
        return rasd_fail(err, RASD_EINVAL, "rasd_normalise: bad argument");
    if (len > UINT32_MAX - 1)
        return rasd_fail(err, RASD_ETOOBIG, "rasd_normalise: text over 4 GiB");
    chars_init();
    Buf clean = {0}, o = {0}, m = {0};
    size_t bad = utf8_clean(s, len, &clean);
    const char *src = clean.data ? clean.data : "";
    size_t n = clean.len;
    if (level == RASD_NORM_DISPLAY)
        norm_display(src, n, &o, map ? &m : NULL);
    else
        norm_key(src, n, &o, map ? &m : NULL);
    uint32_t last = (uint32_t)n;
    if (map)
        buf_append(&m, &last, sizeof last);
    buf_append(&o, "", 0);
    /* The map is built on the cleaned copy but must give offsets in s. They
       agree unless a BOM was dropped (a shift by 3) or bad bytes became
       U+FFFD (which is 3 bytes whatever it replaced). */
    int oom = clean.oom || o.oom || m.oom;
    if (map && !oom && (bad || n != len)) {
        uint32_t *c2s = bad ? clean_offsets(s, len, src, n) : NULL;
        uint32_t *mp = (uint32_t *)m.data;
        if (bad && !c2s)
            oom = 1;
        for (size_t b = 0; !oom && b <= o.len; b++)
            mp[b] = c2s ? c2s[mp[b]] : mp[b] + (uint32_t)(len - n);
        free(c2s);
    }
    if (oom) {
        buf_free(&clean);
        buf_free(&o);
        buf_free(&m);
        return rasd_fail(err, RASD_ENOMEM, "rasd_normalise: out of memory");
    }
    buf_free(&clean);
    *out_len = o.len;
    *out = buf_steal(&o);
    if (map)
        *map = (uint32_t *)buf_steal(&m);
    return RASD_OK;
}
