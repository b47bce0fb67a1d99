/*
 * fuzz_names.c — libFuzzer target for the name keys (src/annotate/names.c):
 * any bytes through names_key, names_skeleton and names_form, and through
 * the matcher (names_match, names_form_distance) with the input cut in two,
 * checking what consumers of a key or a match rely on.
 *
 *   make build/fuzz/fuzz_names
 *   build/fuzz/fuzz_names -max_total_time=60 build/fuzz/corpus-fuzz_names
 *
 * Invariants checked:
 *   - both calls succeed and give NUL-terminated, valid UTF-8 without
 *     control characters, leading, trailing or doubled spaces;
 *   - the key is deterministic (a second call gives the same bytes);
 *   - a key is a fixed point of the skeleton for Latin-only keys, and keying
 *     the input twice appended to one buffer gives the key twice;
 *   - the form has the key's shape; the distance of two forms (also of the
 *     raw bytes taken as forms) is not negative, not NaN, symmetric, and 0
 *     for a form with words against itself; names_match is 0 or 1 and
 *     symmetric;
 *   - names_person_key succeeds with the same shape, deterministically, and
 *     names_trailing_word / names_link_word answer 0 or 1;
 *   - text_spelling_form (the names list's shown spelling) of the input as
 *     UTF-8 answers 0 or 1, gives valid UTF-8 without a NUL inside, and is a
 *     fixed point: the shown form of a shown form is itself;
 *   - the input as a stored spellings list ("text TAB mentions TAB articles"
 *     a line, store/entsum.c) listed for a place: every name listed has the
 *     row's key or "KEY|" and its first spelling, and more than one name
 *     is listed only when the row splits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/names.h"
#include "store/entsum.h"
#include "text/text.h"

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_names: invariant failed: %s: ", #cond);    \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static void check_shape(const Buf *b)
{
    if (!b->data)
        return;
    REQUIRE(strlen(b->data) == b->len, "NUL inside a key of %zu bytes", b->len);
    Buf clean = {0};
    REQUIRE(utf8_clean(b->data, b->len, &clean) == 0, "invalid UTF-8 in key");
    buf_free(&clean);
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        REQUIRE(c >= 0x20 && c != 0x7F, "control byte %02x at %zu", c, i);
        if (c == ' ')
            REQUIRE(i > 0 && i + 1 < b->len && b->data[i + 1] != ' ', "bad space at %zu", i);
    }
}

typedef struct Listed {
    int rows, split;
} Listed;

static int on_listed(void *ctx, const StoredEntity *x)
{
    Listed *l = ctx;
    l->rows++;
    REQUIRE(strncmp(x->key, "k", 1) == 0 && (x->key[1] == '\0' || x->key[1] == '|'),
            "listed key %s", x->key);
    if (x->key[1] == '|') {
        l->split = 1;
        REQUIRE(x->nspellings > 0 && strcmp(x->key + 2, x->spellings[0].text) == 0,
                "split name %s without its spelling", x->key);
    }
    return 0;
}

/* The input as a stored spellings list of a place (entsum_emit, the read
   of both stores). */
static void check_list(const char *s, size_t size)
{
    Buf u = {0};
    utf8_clean(s, size, &u);
    buf_putc(&u, '\0'); /* a C string (cut at a NUL inside, if any) */
    EntRow r = {"k", "LOC", 1, 1, u.data ? u.data : "", "", "", NULL};
    EntityFilter f = {0};
    f.adjectives = 1;
    Listed l = {0};
    size_t kept = 0;
    REQUIRE(entsum_emit(&r, &f, &kept, on_listed, &l) == 0, "entsum_emit failed");
    REQUIRE(l.rows <= 1 || l.split, "%d rows without a split", l.rows);
    buf_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    Buf a = {0}, b = {0}, sk = {0};
    REQUIRE(names_key(s, size, &a) == 0, "names_key failed");
    REQUIRE(names_key(s, size, &b) == 0, "names_key failed");
    REQUIRE(names_skeleton(s, size, &sk) == 0, "names_skeleton failed");
    check_shape(&a);
    check_shape(&sk);
    Buf pk = {0}, pk2 = {0};
    REQUIRE(names_person_key(s, size, &pk) == 0, "names_person_key failed");
    REQUIRE(names_person_key(s, size, &pk2) == 0, "names_person_key failed");
    check_shape(&pk);
    REQUIRE(pk.len == pk2.len && (pk.len == 0 || memcmp(pk.data, pk2.data, pk.len) == 0),
            "person key not deterministic");
    buf_free(&pk);
    buf_free(&pk2);
    Buf u = {0}, shown = {0};
    utf8_clean(s, size, &u);
    int sf = text_spelling_form(u.data ? u.data : "", u.len, &shown);
    REQUIRE(sf == 0 || sf == 1, "text_spelling_form gave %d", sf);
    if (sf == 1) {
        size_t n = strlen(shown.data);
        REQUIRE(n + 1 == shown.len, "NUL inside a shown spelling");
        Buf clean = {0}, again = {0};
        REQUIRE(utf8_clean(shown.data, n, &clean) == 0, "invalid UTF-8 in a shown spelling");
        REQUIRE(text_spelling_form(shown.data, n, &again) == 0, "a shown spelling is not shown as itself");
        buf_free(&clean);
        buf_free(&again);
    }
    buf_free(&u);
    buf_free(&shown);
    check_list(s, size);
    int tw = names_trailing_word(s, size), lw = names_link_word(s, size);
    REQUIRE((tw == 0 || tw == 1) && (lw == 0 || lw == 1), "word tests not 0/1");
    REQUIRE(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0),
            "key not deterministic");
    size_t first = b.len;
    REQUIRE(names_key(s, size, &b) == 0, "names_key failed");
    REQUIRE(b.len == 2 * first && (first == 0 || memcmp(b.data, b.data + first, first) == 0),
            "appending changed the key");
    int latin = 1;
    for (size_t i = 0; i < a.len; i++)
        latin &= (a.data[i] >= 'a' && a.data[i] <= 'z') || (a.data[i] >= '0' && a.data[i] <= '9') ||
                 a.data[i] == ' ';
    if (latin && a.len) {
        Buf again = {0};
        REQUIRE(names_key(a.data, a.len, &again) == 0, "names_key failed");
        /* a Latin key keys to itself unless it is an alias (cnn stays cnn) */
        REQUIRE(again.data != NULL, "a Latin key lost its letters");
        buf_free(&again);
    }
    /* the matcher: the input cut in two at its middle */
    size_t half = size / 2;
    Buf fa = {0}, fb = {0};
    REQUIRE(names_form(s, size, &fa) == 0, "names_form failed");
    check_shape(&fa);
    double self = names_form_distance(fa.data, fa.len, fa.data, fa.len);
    REQUIRE(self == 0.0 || (self >= 1e8 && strspn(fa.data ? fa.data : "", " *!") == fa.len),
            "a form is %g from itself", self);
    buf_reset(&fa);
    REQUIRE(names_form(s, half, &fa) == 0 && names_form(s + half, size - half, &fb) == 0,
            "names_form failed");
    double d1 = names_form_distance(fa.data, fa.len, fb.data, fb.len),
           d2 = names_form_distance(fb.data, fb.len, fa.data, fa.len);
    REQUIRE(!isnan(d1) && d1 >= 0 && d1 == d2, "form distance %g / %g", d1, d2);
    d1 = names_form_distance(s, half, s + half, size - half);
    d2 = names_form_distance(s + half, size - half, s, half);
    REQUIRE(!isnan(d1) && d1 >= 0 && d1 == d2, "raw distance %g / %g", d1, d2);
    int m1 = names_match(s, half, s + half, size - half),
        m2 = names_match(s + half, size - half, s, half);
    REQUIRE((m1 == 0 || m1 == 1) && m1 == m2, "names_match %d / %d", m1, m2);
    buf_free(&fa);
    buf_free(&fb);
    buf_free(&a);
    buf_free(&b);
    buf_free(&sk);
    return 0;
}
