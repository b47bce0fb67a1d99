/*
 * fuzz_quotes.c — libFuzzer target for the quotation finder: any bytes
 * through rasd_text_analyse, analyze_entities and quotes_find (with the
 * entities and without them), checking the invariants consumers rely on.
 *
 *   make build/fuzz/fuzz_quotes
 *   build/fuzz/fuzz_quotes -max_total_time=180 -max_len=65536 -timeout=10 \
 *       build/fuzz/corpus-fuzz_quotes tests/fuzz/seeds
 *
 * Invariants checked:
 *   spans    every quote's words are a non-empty span inside the text, and
 *            its cue, speaker, name and channel spans are empty or inside
 *            it too, all on UTF-8 character boundaries; quotes in order
 *   fields   kind is a QS_* value, direct is 0 or 1, the key lies inside
 *            the key buffer
 *   work     bounded visits per token (linear time, whatever the input)
 *   json     quotes_format_json is valid JSON (jansson), one object a quote
 *   groups   quotes_group over the two lists (as two articles of a story):
 *            every speaker index points at a group head (its own speaker),
 *            every entry at an earlier-or-same quote of that speaker that
 *            is its own entry
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/analyze.h"
#include "annotate/quotes.h"

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_quotes: invariant failed: %s: ", #cond);   \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static rasd_text *ctx;

static int boundary(const char *text, size_t tlen, uint32_t at)
{
    return at == tlen || (at < tlen && ((unsigned char)text[at] & 0xC0) != 0x80);
}

static void check_span(const char *text, size_t tlen, uint32_t a, uint32_t b, const char *what,
                       size_t i)
{
    if (a == b)
        return;
    REQUIRE(a < b && b <= tlen, "quote %zu %s [%u,%u) of %zu", i, what, a, b, tlen);
    REQUIRE(boundary(text, tlen, a) && boundary(text, tlen, b), "quote %zu %s [%u,%u) cuts a "
            "character", i, what, a, b);
}

static void check(const rasd_doc *d, const QuoteList *l)
{
    size_t tlen;
    const char *text = rasd_doc_text(d, &tlen);
    for (size_t i = 0; i < l->n; i++) {
        const Quote *q = &l->items[i];
        REQUIRE(q->start < q->end, "quote %zu is empty", i);
        check_span(text, tlen, q->start, q->end, "text", i);
        check_span(text, tlen, q->cue_start, q->cue_end, "cue", i);
        check_span(text, tlen, q->said_start, q->said_end, "said", i);
        check_span(text, tlen, q->spk_start, q->spk_end, "speaker", i);
        check_span(text, tlen, q->via_start, q->via_end, "via", i);
        REQUIRE(i == 0 || l->items[i - 1].start <= q->start, "quote %zu out of order", i);
        REQUIRE(q->kind <= QS_IMPLICIT && q->direct <= 1, "quote %zu kind %d direct %d", i,
                q->kind, q->direct);
        REQUIRE((uint64_t)q->key_off + q->key_len <= l->keys.len, "quote %zu key outside", i);
    }
    size_t nt = rasd_doc_ntokens(d);
    REQUIRE(l->work <= 200 * (uint64_t)nt + 1000, "work %llu for %zu tokens",
            (unsigned long long)l->work, nt);
    Buf out = {0};
    quotes_format_json(d, l, &out);
    json_error_t jerr;
    json_t *j = json_loadb(out.data ? out.data : "", out.len, 0, &jerr);
    REQUIRE(j && json_is_array(j) && json_array_size(j) == l->n, "JSON: %s", jerr.text);
    json_decref(j);
    buf_reset(&out);
    quotes_format_lines(d, l, &out);
    REQUIRE(out.data != NULL, "no lines");
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        abort();
    rasd_doc *d = NULL;
    rasd_error err;
    REQUIRE(rasd_text_analyse(ctx, (const char *)data, size, &d, &err) == RASD_OK, "%s",
            err.msg);
    EntityList ents = {0};
    REQUIRE(analyze_entities(d, &ents, &err) == RASD_OK, "%s", err.msg);
    QuoteList a = {0}, b = {0};
    REQUIRE(quotes_find(d, &ents, &a, &err) == RASD_OK, "%s", err.msg);
    REQUIRE(quotes_find(d, NULL, &b, &err) == RASD_OK, "%s", err.msg);
    check(d, &a);
    check(d, &b);
    QuoteDoc docs[2] = {{d, &a}, {d, &b}};
    QuoteGroups g;
    REQUIRE(quotes_group(docs, 2, &g, &err) == RASD_OK, "%s", err.msg);
    REQUIRE(g.n == a.n + b.n, "groups %zu of %zu quotes", g.n, a.n + b.n);
    for (size_t i = 0; i < g.n; i++) {
        const QuoteRef *r = &g.refs[i];
        REQUIRE(r->speaker < g.n && g.refs[r->speaker].speaker == r->speaker, "speaker of %zu", i);
        REQUIRE(r->entry <= i && g.refs[r->entry].entry == r->entry &&
                g.refs[r->entry].speaker == r->speaker, "entry of %zu", i);
    }
    quotes_groups_free(&g);
    quotes_free(&a);
    quotes_free(&b);
    entities_free(&ents);
    rasd_doc_free(d);
    return 0;
}
