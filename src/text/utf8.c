/*
 * utf8.c — UTF-8 validation and decoding.
 *
 * utf8_clean() is the only place untrusted bytes enter the text core; it
 * follows the Unicode "maximal subpart" practice: each maximal prefix of a
 * would-be sequence that cannot be completed becomes one U+FFFD. Overlong
 * forms (C0, C1, E0 80..9F, F0 80..8F), encoded surrogates (ED A0..BF) and
 * code points above U+10FFFF are invalid. Everything downstream may then
 * assume valid UTF-8 but still never reads past the buffer end.
 */
#include <string.h>

#include "text.h"

static const char REPL[3] = {(char)0xEF, (char)0xBF, (char)0xBD}; /* U+FFFD */

/* Lower and upper bound of the second byte for a lead byte; 0,0 = invalid lead. */
static void second_range(unsigned char lead, unsigned char *lo, unsigned char *hi, int *len)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF)
        *len = 2;
    else if (lead == 0xE0) {
        *len = 3;
        *lo = 0xA0;
    } else if (lead == 0xED) {
        *len = 3;
        *hi = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF)
        *len = 3;
    else if (lead == 0xF0) {
        *len = 4;
        *lo = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3)
        *len = 4;
    else if (lead == 0xF4) {
        *len = 4;
        *hi = 0x8F;
    } else
        *len = 0;
}

size_t utf8_clean(const char *s, size_t n, Buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, bad = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    if (buf_reserve(out, n - i) < 0)
        return 0;
    while (i < n) {
        /* Run of valid characters (ASCII or well-formed sequences): copied
           with one append, because news text is almost all valid and a call
           per Arabic letter was a tenth of the whole analysis. The checks
           are exactly those of the slow path below. */
        size_t j = i;
        while (j < n) {
            unsigned char c = p[j];
            if (c < 0x80) {
                if (c == 0)
                    break;
                j++;
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF && j + 1 < n && (p[j + 1] & 0xC0) == 0x80) {
                j += 2; /* two-byte letter (Arabic): the common case, checked inline */
                continue;
            }
            unsigned char lo, hi;
            int len;
            second_range(c, &lo, &hi, &len);
            if (len == 0 || n - j < (size_t)len || p[j + 1] < lo || p[j + 1] > hi)
                break;
            int k = 2;
            while (k < len && p[j + k] >= 0x80 && p[j + k] <= 0xBF)
                k++;
            if (k < len)
                break;
            j += (size_t)len;
        }
        if (j > i) {
            buf_append(out, s + i, j - i);
            i = j;
            continue;
        }
        if (p[i] == 0) {
            buf_putc(out, ' ');
            i++;
            continue;
        }
        unsigned char lo, hi;
        int len;
        second_range(p[i], &lo, &hi, &len);
        if (len == 0) {
            buf_append(out, REPL, 3);
            bad++;
            i++;
            continue;
        }
        int k = 1; /* bytes of the sequence that are valid so far */
        if (i + 1 < n && p[i + 1] >= lo && p[i + 1] <= hi) {
            k = 2;
            while (k < len && i + (size_t)k < n && p[i + k] >= 0x80 && p[i + k] <= 0xBF)
                k++;
        }
        if (k == len) {
            buf_append(out, s + i, (size_t)len);
        } else {
            buf_append(out, REPL, 3);
            bad++;
        }
        i += (size_t)k;
    }
    return bad;
}

uint32_t utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = *i;
    unsigned char c = p[k];
    if (c < 0x80) {
        *i = k + 1;
        return c;
    }
    if (c < 0xE0 && k + 1 < n) {
        *i = k + 2;
        return ((uint32_t)(c & 0x1F) << 6) | (p[k + 1] & 0x3F);
    }
    if (c < 0xF0 && k + 2 < n) {
        *i = k + 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[k + 1] & 0x3F) << 6) |
               (p[k + 2] & 0x3F);
    }
    if (k + 3 < n) {
        *i = k + 4;
        return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[k + 1] & 0x3F) << 12) |
               ((uint32_t)(p[k + 2] & 0x3F) << 6) | (p[k + 3] & 0x3F);
    }
    *i = n; /* truncated: only possible on unvalidated input */
    return 0xFFFD;
}

int utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
