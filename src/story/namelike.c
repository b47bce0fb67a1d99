/*
 * namelike.c — could two name keys be one person (namelike.h)? Keys
 * (annotate/names.h) already fold most transliteration (شويغو / شويجو);
 * what is left is a dropped or swapped letter (هلند / الند for هولاند /
 * أولوند), عبد before a name, a name split in two (شي جينبينغ / شي جين
 * بينغ), a title kept in the name (الملك سلمان), and a name cut short.
 * Everything here compares words of keys: space-separated, UTF-8.
 */
#include "story/namelike.h"

#include <string.h>
#include <utf8proc.h>

/*
 * One person, as far as two names can tell: equal keys, or every word of
 * the shorter name in the longer one, in order (طلعت رضوان / طلعت بن سالم
 * رضوان; شويغو / سيرغي شويغو; فلاديمير / فلاديمير بوتين). Conflicts are
 * only reported between names that cannot be one person.
 */
int namelike_same_person(const char *a, size_t an, const char *b, size_t bn)
{
    if (an == bn && !memcmp(a, b, an))
        return 1;
    if (!an || !bn)
        return 0;
    if (an > bn) {
        const char *t = a;
        size_t tn = an;
        a = b;
        an = bn;
        b = t;
        bn = tn;
    }
    size_t i = 0, j = 0;
    while (i < an) {
        const char *wa = a + i;
        size_t la = 0;
        while (i + la < an && a[i + la] != ' ')
            la++;
        int found = 0;
        while (j < bn && !found) {
            size_t lb = 0;
            while (j + lb < bn && b[j + lb] != ' ')
                lb++;
            found = la == lb && !memcmp(wa, b + j, la);
            j += lb + 1;
        }
        if (!found)
            return 0;
        i += la + 1;
    }
    return 1;
}

/*
 * Do two name keys share a word (حمدان بن مانع / حمدان العمري; خالد محفوظ /
 * خالد بحاح; اشرف كن / اشرف عبدالكني)? Then they may be one person named
 * two ways, and a disagreement cannot be told from a spelling: conflicts
 * about who holds an office or who said something are reported only
 * between names that share no word. Kinship words (بن، ابن، بنت، ال) are
 * not names.
 */
int namelike_share_word(const char *a, size_t an, const char *b, size_t bn)
{
    for (size_t i = 0; i < an;) {
        size_t la = 0;
        while (i + la < an && a[i + la] != ' ')
            la++;
        int kin = (la == 6 && (!memcmp(a + i, "ابن", 6) || !memcmp(a + i, "بنت", 6) ||
                               !memcmp(a + i, "ابو", 6))) ||
                  (la == 4 && (!memcmp(a + i, "بن", 4) || !memcmp(a + i, "ال", 4) ||
                               !memcmp(a + i, "ام", 4)));
        for (size_t j = 0; j < bn && !kin;) {
            size_t lb = 0;
            while (j + lb < bn && b[j + lb] != ' ')
                lb++;
            if (la == lb && la > 2 && !memcmp(a + i, b + j, la))
                return 1;
            j += lb + 1;
        }
        i += la + 1;
    }
    return 0;
}

/* Code points of UTF-8 s[0..n) into out (at most max). */
size_t namelike_code_points(const char *s, size_t n, int32_t *out, size_t max)
{
    size_t m = 0;
    utf8proc_ssize_t used;
    utf8proc_int32_t c;
    for (size_t i = 0; i < n && m < max; i += (size_t)used) {
        used = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
        if (used <= 0)
            break;
        out[m++] = c;
    }
    return m;
}

/* Edit distance with adjacent transpositions (بسملا / بسلما = 1), capped at 3. */
int namelike_edit_distance(const int32_t *a, size_t n, const int32_t *b, size_t m)
{
    enum { W = 33 };
    int d[W][W];
    if (n >= W || m >= W)
        return 3;
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m] < 3 ? d[n][m] : 3;
}

/*
 * Two words of name keys that may be one name spelled two ways: keys
 * already fold most transliteration (شويغو / شويجو), but not a dropped or
 * swapped letter (هلند / الند for هولاند / أولوند; بسملا / بسلما; دكسلبلم /
 * دسلبلم) nor عبد before a name (كن / عبدالكني for غني / عبد الغني): one
 * edit in words of three or more letters, two in words of six or more.
 */
static int word_alike(const char *a, size_t an, const char *b, size_t bn)
{
    int32_t ca[32], cb[32];
    size_t na = namelike_code_points(a, an, ca, 32), nb = namelike_code_points(b, bn, cb, 32);
    /* عبد / عبدال before a name (the key joins them into one word) */
    static const int32_t ABD[] = { 0x639, 0x628, 0x62f };
    int32_t *pa = ca, *pb = cb;
    int abd = 0;
    if (na > 4 && !memcmp(ca, ABD, sizeof ABD)) {
        pa += 3, na -= 3, abd = 1;
        if (na > 3 && pa[0] == 0x627 && pa[1] == 0x644)
            pa += 2, na -= 2;
    }
    if (nb > 4 && !memcmp(cb, ABD, sizeof ABD)) {
        pb += 3, nb -= 3, abd = 1;
        if (nb > 3 && pb[0] == 0x627 && pb[1] == 0x644)
            pb += 2, nb -= 2;
    }
    size_t shortest = na < nb ? na : nb, longest = na > nb ? na : nb;
    if (!shortest)
        return 0;
    int dist = namelike_edit_distance(pa, na, pb, nb);
    if (dist == 0)
        return 1;
    if (abd && shortest >= 2 && dist <= 1)
        return 1;
    return (shortest >= 3 && dist <= 1) || (longest >= 6 && shortest >= 5 && dist <= 2);
}

/* Is this word of a name key a title (الملك، الأمير، الشيخ، الرئيس ... as keys)? */
static int is_honorific(const char *w, size_t n)
{
    static const char *const t[] = { "ملك", "مر", "شخ", "رس", "دكتر", "سد", "مهندس", "سلتان",
                                     "مم", "ملكا", "مرا" };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strlen(t[i]) == n && !memcmp(t[i], w, n))
            return 1;
    return 0;
}

/* Does word [w, w+wn) have a like word in name key k? */
static int has_alike_word(const char *w, size_t wn, const char *k, size_t kn)
{
    for (size_t j = 0; j < kn;) {
        size_t l = 0;
        while (j + l < kn && k[j + l] != ' ')
            l++;
        if (word_alike(w, wn, k + j, l))
            return 1;
        j += l + 1;
    }
    return 0;
}

/*
 * Two name keys that may be one person spelled two ways: every word of the
 * shorter name has a like word (word_alike) in the longer, or the family
 * names (last words) are alike and long (تسكلتس for اكلدس تسكلتس /
 * افكلدس تسكلتس). Kinship words (بن، ال) are skipped.
 */
int namelike_alike(const char *a, size_t an, const char *b, size_t bn)
{
    if (!an || !bn)
        return 0;
    /* one name with a word split in two (شي جينبينغ / شي جين بينغ) */
    char ja[128], jb[128];
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < an && na < sizeof ja; i++)
        if (a[i] != ' ')
            ja[na++] = a[i];
    for (size_t i = 0; i < bn && nb < sizeof jb; i++)
        if (b[i] != ' ')
            jb[nb++] = b[i];
    if (na == nb && !memcmp(ja, jb, na))
        return 1;
    {
        int32_t ca[64], cb[64];
        size_t ma = namelike_code_points(ja, na, ca, 64), mb = namelike_code_points(jb, nb, cb, 64);
        /* عبدالالا بنكرن / عبدالالا ابن كرن: one letter apart once joined */
        if (ma >= 8 && mb >= 8 && ma < 32 && mb < 32 && namelike_edit_distance(ca, ma, cb, mb) <= 1)
            return 1;
    }
    const char *s = an <= bn ? a : b, *l = an <= bn ? b : a;
    size_t sn = an <= bn ? an : bn, ln = an <= bn ? bn : an;
    int all = 1, matched = 0;
    for (size_t i = 0; i < sn && all;) {
        size_t w = 0;
        while (i + w < sn && s[i + w] != ' ')
            w++;
        int kin = w <= 4 || is_honorific(s + i, w); /* بن، ال; الملك، الأمير */
        if (!kin && !has_alike_word(s + i, w, l, ln))
            all = 0;
        matched += !kin;
        i += w + 1;
    }
    if (all && matched)
        return 1;
    const char *la = a + an, *lb = b + bn;
    while (la > a && la[-1] != ' ')
        la--;
    while (lb > b && lb[-1] != ' ')
        lb--;
    size_t lan = (size_t)(a + an - la), lbn = (size_t)(b + bn - lb);
    int32_t tmp[32];
    return (la != a || lb != b) && namelike_code_points(la, lan, tmp, 32) >= 5 &&
           namelike_code_points(lb, lbn, tmp, 32) >= 5 && word_alike(la, lan, lb, lbn);
}

