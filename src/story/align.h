/*
 * align.h — sentences of two analysed texts paired across outlets: the
 * near-identical sentences that two rewrites of one wire story share, each
 * with its similarity and a word-level diff (what only A says, what only B
 * says, and which A word stands where B has another one).
 *
 * Words are compared by stem (clitics stripped, then Snowball), so وقال /
 * قال and المفاوضات / مفاوضات are the same word; a word whose name key
 * (annotate/names.h) equals the other's is the same word too, so
 * transliteration variants (شويغو / شويجو, الأمريكية / الأميركية) do not
 * count as differences, and so is one that differs only in an inflection
 * ending (صاروخ / صاروخا, word_light_key in annotate/quantities.h). Figures
 * are compared by value (1,000 / ١٬٠٠٠ / 1000). Punctuation is not a word.
 */
#ifndef RASD_ALIGN_H
#define RASD_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"

#define ALIGN_NONE UINT32_MAX  /* the side of an AlignOp that has no token */
#define ALIGN_MAX_WORDS 400    /* longer sentences are not aligned (quadratic diff) */
#define ALIGN_MIN_WORDS 3      /* shorter sentences are not aligned (bylines, "CNN") */
#define ALIGN_THRESHOLD 0.5    /* default minimum similarity of a pair */

/* What one step of a diff says. */
enum {
    ALIGN_SAME = 0, /* the same word in both (a and b set) */
    ALIGN_ONLY_A,   /* a word only A has here (b is ALIGN_NONE) */
    ALIGN_ONLY_B,   /* a word only B has here (a is ALIGN_NONE) */
    ALIGN_SUB       /* A has word a where B has word b */
};

typedef struct AlignOp {
    uint32_t kind; /* ALIGN_* */
    uint32_t a;    /* token index in A, or ALIGN_NONE */
    uint32_t b;    /* token index in B, or ALIGN_NONE */
} AlignOp;

typedef struct AlignPair {
    uint32_t sa, sb;           /* sentence indexes in A and B (ALIGN_NONE for a span
                                  pair made by align_span) */
    uint32_t a_begin, a_end;   /* token range of the A side, [begin,end) */
    uint32_t b_begin, b_end;   /* token range of the B side, [begin,end) */
    uint32_t words_a, words_b; /* words (not punctuation) on each side */
    uint32_t common;           /* words of the longest common subsequence */
    double sim;                /* 2·common / (words_a + words_b), 0..1 */
    size_t op_begin, op_end;   /* this pair's diff: Alignment.ops[op_begin, op_end) */
} AlignPair;

typedef struct Alignment {
    AlignPair *pairs; /* owned; in A's sentence order, one-to-one */
    size_t n;         /* pairs */
    AlignOp *ops;     /* owned; every pair's diff (each pair's range in text order) */
    size_t nops;      /* ops */
    size_t cap_pairs, cap_ops; /* allocated entries */
} Alignment;

/*
 * Pairs the sentences of a and b: candidates are found through an inverted
 * index of B's rarer stems (never every pair of sentences), scored by the
 * longest common subsequence of stems, and kept one-to-one, best first,
 * when their similarity is at least threshold (0 = ALIGN_THRESHOLD).
 * out is filled from empty; free it with align_free, also after an error.
 */
rasd_err align_docs(const rasd_doc *a, const rasd_doc *b, double threshold, Alignment *out,
                    rasd_error *err);

/*
 * One document made ready for align_docs_prep (signatures, sentence words,
 * stem index), for a caller that aligns it with many others; NULL when out
 * of memory. d must outlive it. Free with align_prep_free.
 */
typedef struct AlignPrep AlignPrep;
AlignPrep *align_prep(const rasd_doc *d);
void align_prep_free(AlignPrep *p);

/* align_docs on prepared documents: the same alignment. */
rasd_err align_docs_prep(const AlignPrep *a, const AlignPrep *b, double threshold,
                         Alignment *out, rasd_error *err);

/*
 * Appends one pair made of the token ranges [ab,ae) of a and [bb,be) of b,
 * whatever their similarity (for headlines, or a caller's own pairing).
 * Ranges longer than ALIGN_MAX_WORDS words are cut to their first words.
 */
rasd_err align_span(const rasd_doc *a, uint32_t ab, uint32_t ae, const rasd_doc *b,
                    uint32_t bb, uint32_t be, Alignment *out, rasd_error *err);

void align_free(Alignment *al);

/* Does the diff (and the CLI) count this token as a word? Letters and numbers, not punctuation. */
int align_is_word(const rasd_token *t);

/*
 * Are tokens x (of doc a) and y (of doc b) the same word for the aligner:
 * same stem, same name key (a transliteration variant) or, for numbers,
 * the same value?
 */
int align_same_word(const rasd_doc *a, uint32_t x, const rasd_doc *b, uint32_t y);

/*
 * The three signatures align_same_word compares, for callers that match
 * many words at once: sig[0] the stem (or value), sig[1] the name key,
 * sig[2] the light key; two words are the same when any sig[k] is equal
 * and non-zero (0 = none). All 0 for a token that is not a word.
 */
void align_word_sigs(const rasd_token *t, uint64_t sig[3]);
/* The same through a per-thread memo of recent words (for callers that see a word many times). */
void align_word_sigs_cached(const rasd_token *t, uint64_t sig[3]);

#endif
