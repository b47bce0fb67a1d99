/*
 * fuzz_ner.c — libFuzzer target for the NER tagger: any bytes are analysed
 * by the text core and tagged (per sentence with ner_tag, and the whole
 * token list as one sequence, which exercises the NER_MAX_SEQ pieces), and
 * the same bytes are read as a CoNLL file and tagged word by word. Then the
 * invariants later stages rely on are checked; a violation aborts.
 *
 *   make build/fuzz/fuzz_ner
 *   build/fuzz/fuzz_ner -max_len=65536 -timeout=10 build/fuzz/corpus-fuzz_ner tests/fuzz/seeds
 *
 * Invariants checked:
 *   tags    every tag < NER_NTAGS; no I-X after a token that is not B-X or I-X
 *           (within a sentence), none at a sentence's first token
 *   spans   in order, not overlapping, first <= last < ntokens, one type,
 *           byte range = first token's start to last token's end, inside
 *           the text; the count matches a second call with cap 0
 *   conll   word tags < NER_NTAGS, one per word
 *   model   an input that starts with "RASDNER" is a model file (its checksum
 *           fixed up so the parser is reached): loading never crashes, and a
 *           model that loads tags a sentence with valid tags
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/ner.h"

#define REQUIRE(cond, ...)                                                \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "fuzz_ner: invariant failed: %s: ", #cond);   \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
            abort();                                                      \
        }                                                                 \
    } while (0)

static void check_tags(const uint8_t *tags, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        REQUIRE(tags[i] < NER_NTAGS, "token %zu tag %u", i, tags[i]);
        if (tags[i] != NER_O && !NER_TAG_IS_B(tags[i])) {
            REQUIRE(i > b, "I- tag at the first token %zu of a sequence", i);
            REQUIRE(tags[i - 1] != NER_O &&
                        NER_TAG_TYPE(tags[i - 1]) == NER_TAG_TYPE(tags[i]),
                    "token %zu: %s after %s", i, ner_tag_name(tags[i]),
                    ner_tag_name(tags[i - 1]));
        }
    }
}

static void check_spans(const rasd_doc *d, const uint8_t *tags)
{
    size_t n = rasd_doc_ntokens(d), len;
    const rasd_token *toks = rasd_doc_tokens(d);
    rasd_doc_text(d, &len);
    size_t count = ner_spans(toks, tags, n, NULL, 0);
    NerSpan *sp = malloc((count + 1) * sizeof *sp);
    REQUIRE(sp, "out of memory");
    REQUIRE(ner_spans(toks, tags, n, sp, count) == count, "span count changed");
    for (size_t k = 0; k < count; k++) {
        REQUIRE(sp[k].type >= NER_PERS && sp[k].type <= NER_MISC, "span %zu type", k);
        REQUIRE(sp[k].first <= sp[k].last && sp[k].last < n, "span %zu tokens", k);
        REQUIRE(k == 0 || sp[k].first > sp[k - 1].last, "span %zu overlaps", k);
        REQUIRE(sp[k].start == toks[sp[k].first].start && sp[k].end == toks[sp[k].last].end,
                "span %zu bytes", k);
        REQUIRE(sp[k].start <= sp[k].end && sp[k].end <= len, "span %zu outside text", k);
        for (uint32_t i = sp[k].first; i <= sp[k].last; i++)
            REQUIRE(NER_TAG_TYPE(tags[i]) == sp[k].type, "span %zu mixes types", k);
    }
    free(sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rasd_text *t;
    if (!t && rasd_text_new(&t, NULL) != RASD_OK)
        abort();
    rasd_error err;
    if (!ner_default(&err)) {
        fprintf(stderr, "fuzz_ner: %s\n", err.msg);
        abort();
    }
    if (size >= 16 && memcmp(data, "RASDNER", 7) == 0) {
        /* fix the checksum up, or the fuzzer would never get past it to
           the parser */
        unsigned char *copy = malloc(size);
        REQUIRE(copy, "out of memory");
        memcpy(copy, data, size);
        uint64_t h = rasd_hash(copy, size - 8);
        for (int k = 0; k < 8; k++)
            copy[size - 8 + (size_t)k] = (unsigned char)(h >> (8 * k));
        NerModel *m = NULL;
        if (ner_model_load(copy, size, &m, NULL) == RASD_OK) {
            static const char s[] = "قال الرئيس إن الوفد وصل إلى القاهرة";
            rasd_doc *d = NULL;
            if (rasd_text_analyse(t, s, sizeof s - 1, &d, NULL) == RASD_OK) {
                uint8_t tags[64];
                size_t n = rasd_doc_ntokens(d) < 64 ? rasd_doc_ntokens(d) : 64;
                REQUIRE(ner_tag_tokens(m, rasd_doc_tokens(d), n, tags, NULL) == RASD_OK,
                        "tagging with a loaded model failed");
                check_tags(tags, 0, n);
                rasd_doc_free(d);
            }
            ner_model_free(m);
        }
        free(copy);
        return 0;
    }

    rasd_doc *d = NULL;
    if (rasd_text_analyse(t, (const char *)data, size, &d, NULL) != RASD_OK)
        return 0;
    size_t n = rasd_doc_ntokens(d);
    uint8_t *tags = malloc(n + 1);
    REQUIRE(tags, "out of memory");
    REQUIRE(ner_tag(d, tags, &err) == RASD_OK, "ner_tag: %s", err.msg);
    const rasd_sentence *ss = rasd_doc_sentences(d);
    for (size_t s = 0; s < rasd_doc_nsentences(d); s++)
        check_tags(tags, ss[s].tok_begin, ss[s].tok_end);
    check_spans(d, tags);
    /* the whole text as one sequence: pieces of NER_MAX_SEQ tokens */
    REQUIRE(ner_tag_tokens(ner_default(NULL), rasd_doc_tokens(d), n, tags, &err) == RASD_OK,
            "ner_tag_tokens: %s", err.msg);
    for (size_t b = 0; b < n; b += NER_MAX_SEQ)
        check_tags(tags, b, b + NER_MAX_SEQ < n ? b + NER_MAX_SEQ : n);
    check_spans(d, tags);
    free(tags);
    rasd_doc_free(d);

    NerConll c;
    if (ner_conll_parse((const char *)data, size, 0, "fuzz", &c, NULL) == RASD_OK) {
        uint8_t *w = malloc(c.nwords + 1);
        REQUIRE(w, "out of memory");
        for (size_t s = 0; s < c.nsent && s < 64; s++) {
            size_t nw = c.sent[s].word_end - c.sent[s].word_begin;
            memset(w, 0xFF, nw);
            REQUIRE(ner_conll_tag(ner_default(NULL), t, &c, s, w, &err) == RASD_OK,
                    "ner_conll_tag: %s", err.msg);
            for (size_t i = 0; i < nw; i++)
                REQUIRE(w[i] < NER_NTAGS, "word %zu of sentence %zu untagged", i, s);
        }
        free(w);
        ner_conll_free(&c);
    }
    return 0;
}
