/*
 * fuzz_text.c — libFuzzer target for the text core: any bytes through
 * rasd_text_analyse and rasd_normalise (both levels, with the offset map),
 * checking the invariants later stages rely on, so a violation aborts with
 * the reason instead of corrupting a consumer far away.
 *
 *   make build/fuzz/fuzz_text
 *   build/fuzz/fuzz_text -max_len=65536 -timeout=10 build/fuzz/corpus-fuzz_text tests/fuzz/seeds
 *
 * Invariants checked:
 *   doc     cleaned text is valid UTF-8 and NUL-terminated at its length
 *   tokens  start <= end <= text length, in order and not overlapping; key
 *           and stem non-NULL, NUL-terminated at key_len / stem_len, valid
 *           UTF-8 without NUL; pre_len + suf_len <= key_len; a known type
 *   sents   cover all tokens in order without gaps (tok ranges contiguous,
 *           non-empty), and span exactly their first to their last token
 *   norm    output NUL-terminated at out_len; map has out_len + 1 entries,
 *           each <= input length, non-decreasing, the last == input length
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"

/* Reports a broken invariant and aborts so libFuzzer saves the input. */
#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_text: invariant failed: %s: ", #cond);     \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/* Strict UTF-8 check (no overlongs, surrogates or > U+10FFFF), as utf8.c. */
static int valid_utf8(const unsigned char *p, size_t n, int allow_nul)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0 && !allow_nul)
                return 0;
            i++;
            continue;
        }
        int len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c == 0xE0)
            len = 3, lo = 0xA0;
        else if (c == 0xED)
            len = 3, hi = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF)
            len = 3;
        else if (c == 0xF0)
            len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3)
            len = 4;
        else if (c == 0xF4)
            len = 4, hi = 0x8F;
        else
            return 0;
        if (n - i < (size_t)len || p[i + 1] < lo || p[i + 1] > hi)
            return 0;
        for (int k = 2; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
        i += (size_t)len;
    }
    return 1;
}

static rasd_text *ctx;

static void check_doc(const rasd_doc *d)
{
    size_t tlen;
    const char *text = rasd_doc_text(d, &tlen);
    REQUIRE(text != NULL, "no text");
    REQUIRE(text[tlen] == '\0', "text not NUL-terminated at %zu", tlen);
    REQUIRE(valid_utf8((const unsigned char *)text, tlen, 0), "cleaned text not valid UTF-8");

    size_t nt = rasd_doc_ntokens(d);
    const rasd_token *tk = rasd_doc_tokens(d);
    REQUIRE(nt == 0 || tk != NULL, "%zu tokens but no array", nt);
    for (size_t i = 0; i < nt; i++) {
        const rasd_token *t = &tk[i];
        REQUIRE(t->start <= t->end && t->end <= tlen, "token %zu [%u,%u) text %zu", i, t->start,
                t->end, tlen);
        REQUIRE(t->start < t->end, "token %zu is empty at %u", i, t->start);
        REQUIRE(i == 0 || tk[i - 1].end <= t->start, "token %zu [%u,%u) overlaps [%u,%u)", i,
                t->start, t->end, tk[i - 1].start, tk[i - 1].end);
        REQUIRE(t->type >= RASD_TOK_ARABIC && t->type <= RASD_TOK_MENTION, "token %zu type %u",
                i, t->type);
        REQUIRE(t->key && t->key[t->key_len] == '\0', "token %zu key not NUL-terminated at %u", i,
                t->key_len);
        REQUIRE(t->stem && t->stem[t->stem_len] == '\0',
                "token %zu stem not NUL-terminated at %u", i, t->stem_len);
        REQUIRE(valid_utf8((const unsigned char *)t->key, t->key_len, 0),
                "token %zu key not valid UTF-8 or holds NUL", i);
        REQUIRE(valid_utf8((const unsigned char *)t->stem, t->stem_len, 0),
                "token %zu stem not valid UTF-8 or holds NUL", i);
        REQUIRE((uint32_t)t->pre_len + t->suf_len <= t->key_len,
                "token %zu clitics %u+%u over key %u", i, t->pre_len, t->suf_len, t->key_len);
    }

    size_t ns = rasd_doc_nsentences(d);
    const rasd_sentence *s = rasd_doc_sentences(d);
    REQUIRE((nt == 0) == (ns == 0), "%zu tokens but %zu sentences", nt, ns);
    uint32_t next = 0;
    for (size_t i = 0; i < ns; i++) {
        REQUIRE(s[i].tok_begin == next, "sentence %zu starts at token %u, expected %u", i,
                s[i].tok_begin, next);
        REQUIRE(s[i].tok_begin < s[i].tok_end && s[i].tok_end <= nt,
                "sentence %zu tokens [%u,%u) of %zu", i, s[i].tok_begin, s[i].tok_end, nt);
        REQUIRE(s[i].start <= s[i].end && s[i].end <= tlen, "sentence %zu [%u,%u) text %zu", i,
                s[i].start, s[i].end, tlen);
        REQUIRE(s[i].start == tk[s[i].tok_begin].start && s[i].end == tk[s[i].tok_end - 1].end,
                "sentence %zu [%u,%u) does not span its tokens", i, s[i].start, s[i].end);
        next = s[i].tok_end;
    }
    REQUIRE(next == nt, "sentences cover %u of %zu tokens", next, nt);
}

static void check_normalise(const uint8_t *data, size_t size, int level)
{
    char *out = NULL;
    size_t out_len = 0;
    uint32_t *map = NULL;
    rasd_error err;
    rasd_err rc = rasd_normalise((const char *)data, size, level, &out, &out_len, &map, &err);
    REQUIRE(rc == RASD_OK, "rasd_normalise level %d: %s", level, err.msg);
    REQUIRE(out[out_len] == '\0', "level %d output not NUL-terminated at %zu", level, out_len);
    REQUIRE(valid_utf8((const unsigned char *)out, out_len, 1), "level %d output not UTF-8",
            level);
    for (size_t i = 0; i <= out_len; i++) {
        REQUIRE(map[i] <= size, "level %d map[%zu] = %u > input length %zu", level, i, map[i],
                size);
        REQUIRE(i == 0 || map[i - 1] <= map[i], "level %d map[%zu] = %u < map[%zu] = %u", level,
                i, map[i], i - 1, map[i - 1]);
    }
    REQUIRE(map[out_len] == size, "level %d last map entry %u, input length %zu", level,
            map[out_len], size);
    free(out);
    free(map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        rasd_error err;
        if (rasd_text_new(&ctx, &err) != RASD_OK) {
            fprintf(stderr, "fuzz_text: %s\n", err.msg);
            abort();
        }
    }
    rasd_doc *d = NULL;
    rasd_error err;
    rasd_err rc = rasd_text_analyse(ctx, (const char *)data, size, &d, &err);
    REQUIRE(rc == RASD_OK, "rasd_text_analyse on %zu bytes: %s", size, err.msg);
    check_doc(d);
    rasd_doc_free(d);
    check_normalise(data, size, RASD_NORM_DISPLAY);
    check_normalise(data, size, RASD_NORM_KEY);
    return 0;
}
