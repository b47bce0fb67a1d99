/*
 * encoding.c — turns the bytes of an input file into UTF-8, whatever
 * encoding it came in, or says plainly that it is not text.
 *
 * Order of decisions:
 *   1. a byte-order mark decides: UTF-8 (dropped), UTF-16 LE/BE (converted),
 *      UTF-32 (refused, named);
 *   2. bytes that are (mostly) valid UTF-8 pass through unchanged: a stray
 *      bad byte in a long UTF-8 file is a damaged file, not another
 *      encoding, and the text core replaces it with U+FFFD later;
 *   3. many NULs or control bytes mean binary (or UTF-16/32 without a BOM,
 *      which we convert only when the zero pattern is unmistakable);
 *   3b. a file mixing UTF-8 lines with windows-1256/ISO-8859-6 lines (two
 *      files pasted together) is decoded line by line (mixed_lines), never
 *      as one encoding: that would turn the UTF-8 half into mojibake;
 *   4. otherwise the bytes are decoded as windows-1256 and as ISO-8859-6 and
 *      each decoding is scored: Arabic letters count for it; undefined code
 *      points, C1 controls, Latin accented letters glued to Arabic letters
 *      and vowel marks that follow no letter count against it. The two
 *      encodings share the letters ء..غ but not ف..ي, so a wrong choice shows
 *      up at once as "ê" inside Arabic words (ISO read as 1256) or as marks
 *      and undefined bytes (1256 read as ISO). The winner must also make
 *      Arabic the bulk of the non-ASCII text; a Latin-1 or Shift-JIS file
 *      does not, and is refused — unless its bad bytes are under 1%, which
 *      is damaged UTF-8 (an English page with one Latin-1 "é"), passed on.
 *
 * The tables are built in (generated once from Python's codecs) so the
 * result does not depend on the iconv modules installed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

/* windows-1256, bytes 0x80..0xFF (every byte is defined). */
static const uint16_t cp1256[128] = {
    0x20AC, 0x067E, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0679, 0x2039, 0x0152, 0x0686, 0x0698, 0x0688,
    0x06AF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x06A9, 0x2122, 0x0691, 0x203A, 0x0153, 0x200C, 0x200D, 0x06BA,
    0x00A0, 0x060C, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x06BE, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x061B, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x061F,
    0x06C1, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627,
    0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F,
    0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x00D7,
    0x0637, 0x0638, 0x0639, 0x063A, 0x0640, 0x0641, 0x0642, 0x0643,
    0x00E0, 0x0644, 0x00E2, 0x0645, 0x0646, 0x0647, 0x0648, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0649, 0x064A, 0x00EE, 0x00EF,
    0x064B, 0x064C, 0x064D, 0x064E, 0x00F4, 0x064F, 0x0650, 0x00F7,
    0x0651, 0x00F9, 0x0652, 0x00FB, 0x00FC, 0x200E, 0x200F, 0x06D2,
};

/* ISO-8859-6, bytes 0x80..0xFF; 0 = undefined (0x80..0x9F are C1 controls,
   which never occur in real text, so they count as undefined too). */
static const uint16_t iso8859_6[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00A0, 0, 0, 0, 0x00A4, 0, 0, 0,
    0, 0, 0, 0, 0x060C, 0x00AD, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0x061B, 0, 0, 0, 0x061F,
    0, 0x0621, 0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0627,
    0x0628, 0x0629, 0x062A, 0x062B, 0x062C, 0x062D, 0x062E, 0x062F,
    0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x0637,
    0x0638, 0x0639, 0x063A, 0, 0, 0, 0, 0,
    0x0640, 0x0641, 0x0642, 0x0643, 0x0644, 0x0645, 0x0646, 0x0647,
    0x0648, 0x0649, 0x064A, 0x064B, 0x064C, 0x064D, 0x064E, 0x064F,
    0x0650, 0x0651, 0x0652, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
};

static size_t put_utf8(uint32_t cp, char *o)
{
    unsigned char *u = (unsigned char *)o;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- UTF-8 validation ---- */

typedef struct Utf8Stats {
    size_t multi;   /* well-formed multi-byte sequences */
    size_t bad;     /* bytes starting an ill-formed sequence */
    int bad_at_end; /* the last bad sequence is a truncation at the very end */
} Utf8Stats;

/* Length of the well-formed UTF-8 sequence at p[i] (2..4), or 0. */
static int utf8_seq(const unsigned char *p, size_t n, size_t i)
{
    unsigned char c = p[i];
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no encoded surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (i + (size_t)len > n)
        return 0;
    if (p[i + 1] < lo || p[i + 1] > hi)
        return 0;
    for (int k = 2; k < len; k++)
        if (p[i + k] < 0x80 || p[i + k] > 0xBF)
            return 0;
    return len;
}

static Utf8Stats utf8_stats(const unsigned char *p, size_t n)
{
    Utf8Stats st = {0, 0, 0};
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int len = utf8_seq(p, n, i);
        if (len) {
            st.multi++;
            i += (size_t)len;
        } else {
            st.bad++;
            /* a lead byte whose sequence runs past the end is a truncation */
            st.bad_at_end = (p[i] >= 0xC2 && p[i] <= 0xF4 && n - i < 4);
            i++;
        }
    }
    return st;
}

/* ---- binary / wide encodings without a BOM ---- */

typedef struct ByteStats {
    size_t nul;       /* 0x00 bytes */
    size_t ctrl;      /* other C0 controls than \t \n \v \f \r and ESC */
    size_t nul_even;  /* NULs at even offsets */
    size_t nul_odd;   /* NULs at odd offsets */
} ByteStats;

static ByteStats byte_stats(const unsigned char *p, size_t n)
{
    ByteStats s = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == 0) {
            s.nul++;
            if (i & 1)
                s.nul_odd++;
            else
                s.nul_even++;
        } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
                   c != '\r' && c != 0x1B)
            s.ctrl++;
    }
    return s;
}

/* UTF-32 shows three zero bytes in every four-byte unit for BMP text. */
static const char *utf32_guess(const unsigned char *p, size_t n)
{
    if (n < 8 || n % 4)
        return NULL;
    size_t le = 0, be = 0, units = n / 4;
    for (size_t i = 0; i + 3 < n; i += 4) {
        if (p[i + 3] == 0 && p[i + 2] <= 0x10 && (p[i] || p[i + 1]))
            le++;
        if (p[i] == 0 && p[i + 1] <= 0x10 && (p[i + 2] || p[i + 3]))
            be++;
    }
    if (le * 10 >= units * 9)
        return "UTF-32LE";
    if (be * 10 >= units * 9)
        return "UTF-32BE";
    return NULL;
}

/*
 * UTF-16 without a BOM: the high byte of almost every unit is 0x00 (Latin)
 * or 0x06 (Arabic) or 0x20 (punctuation), and the low byte is rarely zero.
 * Returns 1 for LE, 2 for BE, 0 when the pattern is not clear.
 */
static int utf16_guess(const unsigned char *p, size_t n)
{
    if (n < 8)
        return 0;
    size_t units = n / 2, le = 0, be = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned char a = p[i], b = p[i + 1];
        if ((b == 0x00 || b == 0x06 || b == 0x20 || b == 0xFE) && a != 0)
            le++;
        if ((a == 0x00 || a == 0x06 || a == 0x20 || a == 0xFE) && b != 0)
            be++;
    }
    if (le * 100 >= units * 95 && be * 2 < units)
        return 1;
    if (be * 100 >= units * 95 && le * 2 < units)
        return 2;
    return 0;
}

/* ---- conversions ---- */

static char *from_utf16(const unsigned char *p, size_t n, int big, size_t *out_len)
{
    if (n > (SIZE_MAX - 8) / 2)
        return NULL;
    /* each 2-byte unit becomes at most 3 bytes; a pair (4 bytes) becomes 4 */
    size_t cap = n / 2 * 3 + 8;
    char *o = malloc(cap);
    if (!o)
        return NULL;
    size_t k = 0, i = 0;
    while (i + 1 < n) {
        uint32_t u = big ? ((uint32_t)p[i] << 8 | p[i + 1]) : ((uint32_t)p[i + 1] << 8 | p[i]);
        i += 2;
        uint32_t cp = u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t v = 0;
            if (i + 1 < n)
                v = big ? ((uint32_t)p[i] << 8 | p[i + 1]) : ((uint32_t)p[i + 1] << 8 | p[i]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                cp = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            } else
                cp = 0xFFFD; /* high surrogate with no partner */
        } else if (u >= 0xDC00 && u <= 0xDFFF)
            cp = 0xFFFD; /* lone low surrogate */
        k += put_utf8(cp, o + k);
    }
    if (i < n) /* odd length: a half unit at the end */
        k += put_utf8(0xFFFD, o + k);
    o[k] = '\0';
    *out_len = k;
    return o;
}

static char *from_table(const unsigned char *p, size_t n, const uint16_t *tab, size_t *out_len)
{
    if (n > (SIZE_MAX - 8) / 3)
        return NULL;
    char *o = malloc(n * 3 + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = p[i] < 0x80 ? p[i] : tab[p[i] - 0x80];
        k += put_utf8(cp ? cp : 0xFFFD, o + k);
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

/* ---- single-byte Arabic scoring ---- */

static int is_ar_letter(uint32_t c) { return c >= 0x0621 && c <= 0x064A && c != 0x0640; }
static int is_ar_mark(uint32_t c) { return c >= 0x064B && c <= 0x0652; }
static int is_latin_accented(uint32_t c) { return c >= 0x00C0 && c <= 0x00FF && c != 0x00D7 && c != 0x00F7; }
static int is_ascii_letter(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

typedef struct Score {
    long score;        /* higher is more plausible */
    size_t arabic;     /* Arabic letters decoded */
    size_t nonascii;   /* bytes >= 0x80 */
} Score;

static Score score_table(const unsigned char *p, size_t n, const uint16_t *tab)
{
    Score s = {0, 0, 0};
    uint32_t prev = ' ';
    for (size_t i = 0; i < n; i++) {
        uint32_t c = p[i] < 0x80 ? p[i] : tab[p[i] - 0x80];
        uint32_t next = ' ';
        if (i + 1 < n)
            next = p[i + 1] < 0x80 ? p[i + 1] : tab[p[i + 1] - 0x80];
        if (p[i] >= 0x80)
            s.nonascii++;
        if (c == 0) {
            s.score -= 10;
        } else if (is_ar_letter(c)) {
            s.arabic++;
            s.score += 1;
            if (is_ascii_letter(prev) || is_ascii_letter(next))
                s.score -= 3; /* Arabic glued to Latin: a multi-byte encoding read wrongly */
        } else if (is_latin_accented(c)) {
            if (is_ar_letter(prev) || is_ar_letter(next) || is_ar_mark(prev))
                s.score -= 5;
        } else if (is_ar_mark(c)) {
            if (!is_ar_letter(prev) && prev != 0x0651 && prev != 0x0640)
                s.score -= 3; /* a vowel mark on nothing */
        }
        prev = c;
    }
    return s;
}

/*
 * A file whose lines are partly UTF-8 and partly a single-byte Arabic
 * encoding (a UTF-8 paragraph followed by a windows-1256 one): each line is
 * judged on its own. A line with no bad UTF-8 is UTF-8; a line with more
 * bad bytes than good multi-byte sequences is legacy (two Arabic letters
 * in a row are never valid UTF-8 in windows-1256 or ISO-8859-6); other
 * lines are damaged UTF-8 and stay. Applies only when at least 4 good
 * multi-byte sequences stand in clean lines and the legacy lines decode as
 * Arabic in one of the two tables (scored as in step 4); then the legacy
 * lines are decoded with that table and the rest passes unchanged.
 * Returns the malloc'd UTF-8, or NULL when the file is not such a mix (or
 * out of memory: the caller's whole-file path then reports it).
 */
static char *mixed_lines(const unsigned char *p, size_t n, size_t *out_len)
{
    size_t good_multi = 0, legacy = 0;
    Buf leg = {0}; /* the legacy lines, for scoring */
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && p[e] != '\n')
            e++;
        Utf8Stats ls = utf8_stats(p + i, e - i);
        if (ls.bad == 0)
            good_multi += ls.multi;
        else if (ls.bad > ls.multi) {
            legacy++;
            buf_append(&leg, p + i, e - i);
            buf_putc(&leg, '\n');
        }
        i = e < n ? e + 1 : n;
    }
    if (good_multi < 4 || legacy == 0 || leg.oom) {
        buf_free(&leg);
        return NULL;
    }
    const unsigned char *lp = (const unsigned char *)leg.data;
    Score s1256 = score_table(lp, leg.len, cp1256);
    Score siso = score_table(lp, leg.len, iso8859_6);
    buf_free(&leg);
    const Score *best = s1256.score >= siso.score ? &s1256 : &siso;
    if (best->score <= 0 || best->arabic * 2 < best->nonascii)
        return NULL;
    const uint16_t *tab = best == &s1256 ? cp1256 : iso8859_6;
    Buf o = {0};
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && p[e] != '\n')
            e++;
        Utf8Stats ls = utf8_stats(p + i, e - i);
        if (ls.bad > ls.multi) {
            size_t k = 0;
            char *dec = from_table(p + i, e - i, tab, &k);
            if (!dec) {
                buf_free(&o);
                return NULL;
            }
            buf_append(&o, dec, k);
            free(dec);
        } else {
            buf_append(&o, p + i, e - i);
        }
        if (e < n)
            buf_putc(&o, '\n');
        i = e < n ? e + 1 : n;
    }
    buf_append(&o, "", 0);
    if (o.oom) {
        buf_free(&o);
        return NULL;
    }
    *out_len = o.len;
    return buf_steal(&o);
}

rasd_err ingest_to_utf8(const char *bytes, size_t n, const char *origin, char **out,
                        size_t *out_len, rasd_error *err)
{
    if (!out || !out_len || (!bytes && n))
        return rasd_fail(err, RASD_EINVAL, "ingest_to_utf8: bad argument");
    const char *org = origin ? origin : "input";
    const unsigned char *p = (const unsigned char *)(bytes ? bytes : "");
    *out = NULL;
    *out_len = 0;
    char *o = NULL;
    size_t olen = 0;

    /* 1. byte-order marks (UTF-32LE's BOM starts like UTF-16LE's: test it first) */
    if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)
        return rasd_fail(err, RASD_EFORMAT, "%s: UTF-32LE is not supported; convert it to UTF-8", org);
    if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)
        return rasd_fail(err, RASD_EFORMAT, "%s: UTF-32BE is not supported; convert it to UTF-8", org);
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        o = from_utf16(p + 2, n - 2, p[0] == 0xFE, &olen);
        if (!o)
            return rasd_fail(err, RASD_ENOMEM, "%s: out of memory converting UTF-16", org);
        goto done;
    }
    size_t skip = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    const unsigned char *q = p + skip;
    size_t m = n - skip;

    /* 2. binary and BOM-less wide encodings */
    ByteStats bs = byte_stats(q, m);
    if (bs.nul * 8 > m || bs.ctrl * 20 > m) {
        const char *w = utf32_guess(q, m);
        if (w)
            return rasd_fail(err, RASD_EFORMAT, "%s: %s is not supported; convert it to UTF-8", org, w);
        int g = utf16_guess(q, m);
        if (g) {
            o = from_utf16(q, m, g == 2, &olen);
            if (!o)
                return rasd_fail(err, RASD_ENOMEM, "%s: out of memory converting UTF-16", org);
            goto done;
        }
        return rasd_fail(err, RASD_EFORMAT, "%s: not text (binary or unsupported encoding)", org);
    }

    /* 3. UTF-8, allowing a little damage; a file that is UTF-8 in some lines
       and windows-1256/ISO-8859-6 in others (pasted together) per line */
    Utf8Stats us = utf8_stats(q, m);
    if (us.bad && !(us.bad == 1 && us.bad_at_end)) {
        o = mixed_lines(q, m, &olen);
        if (o)
            goto done;
    }
    int utf8_ok = us.bad == 0 || (us.bad == 1 && us.bad_at_end) ||
                  (us.multi >= 8 && us.bad * 50 <= us.multi);
    if (utf8_ok) {
        o = xstrndup((const char *)q, m);
        if (!o)
            return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
        olen = m;
        goto done;
    }

    /* 4. windows-1256 or ISO-8859-6 */
    Score s1256 = score_table(q, m, cp1256);
    Score siso = score_table(q, m, iso8859_6);
    const Score *best = s1256.score >= siso.score ? &s1256 : &siso;
    /* Arabic must be most of what is not ASCII, or the guess is a guess. */
    if (best->score <= 0 || best->arabic * 2 < best->nonascii) {
        /* not Arabic: a text with one or two stray bytes (an English page with
           a Latin-1 "é") is damaged UTF-8, which the text core repairs */
        if (us.bad * 100 <= m) {
            o = xstrndup((const char *)q, m);
            if (!o)
                return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
            olen = m;
            goto done;
        }
        return rasd_fail(err, RASD_EFORMAT,
                         "%s: not text (binary or unsupported encoding): not UTF-8, and not "
                         "Arabic in windows-1256 or ISO-8859-6",
                         org);
    }
    o = from_table(q, m, best == &s1256 ? cp1256 : iso8859_6, &olen);
    if (!o)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory converting to UTF-8", org);

done:
    *out = o;
    *out_len = olen;
    return RASD_OK;
}
