/*
 * ner_impl.h — what the tagger (ner.c) and the trainer (ner_train.c) share
 * and nobody else needs: the model's layout, the lexicon tables, the
 * feature extractor and the Viterbi decoder. Keeping one copy of the
 * feature code is what makes training and tagging see the same features.
 */
#ifndef RASD_NER_IMPL_H
#define RASD_NER_IMPL_H

#include "ner.h"

#define NER_MAGIC "RASDNER\0"
#define NER_FORMAT 1      /* model file layout version */
#define NER_FEATURES 1    /* feature set version: bump when ner_feats changes (the cluster
                             features exist only in models with a cluster section, the
                             document features only in a model's second stage) */
#define NER_MAX_FEATS 64  /* feature indexes one token can have */
#define NER_MAX_LISTS 24  /* gazetteer lists one model can carry */
#define NER_MIN_BITS 6    /* at least one NerRank entry */
#define NER_START NER_NTAGS /* row of the transition table for "before the first token" */
#define NER_JROW 18  /* int16 weights in a joint row of a two-stage model (NerModel.jrows) */
#define NER_DOC_FEATS 7 /* document features of a second-stage token (ner_feats) */
#define NER_ILLEGAL (-(1 << 28)) /* score of a forbidden transition (I-X after non-X) */

/* Open-addressing map from nonzero 64-bit hashes to 32-bit values. */
typedef struct NerMap {
    uint64_t *keys; /* 0 = empty slot */
    uint32_t *vals; /* value of each slot */
    size_t mask;    /* capacity - 1 (capacity is a power of two) */
    size_t n;       /* keys stored */
} NerMap;

uint32_t ner_map_get(const NerMap *m, uint64_t key); /* 0 if absent */

/* Cue words and gazetteers, as hashes of the text core's clitic-free remainders. */
typedef struct NerLex {
    NerMap cues;      /* remainder hash -> cue class bits (1 << NER_PERS ...) */
    NerMap seqs;      /* token-sequence hash -> bit per list that has it as an entry,
                         plus NER_SEQ_MORE when some entry continues past it */
    NerMap timewords; /* remainder hashes of time adverbs (أمس، الآن ...), never inside a
                         person's name in the tagger's output (not model data) */
    NerMap clusters;  /* remainder hash -> word cluster: fine + 1 | (coarse + 1) << 16
                         (tools/make_ner_clusters.c); empty = no cluster features */
    size_t nlists;    /* gazetteer lists */
    uint32_t list_id[NER_MAX_LISTS]; /* feature value naming each list: hash of its name */
    int maxlen;       /* tokens in the longest gazetteer entry */
    uint64_t fingerprint; /* hash of the text core's analysis (keys, stems, clitics) of
                             every lexicon entry and of a probe text: changes when the
                             text core analyses words differently */
} NerLex;
#define NER_SEQ_MORE 0x80000000u

/*
 * Which feature buckets have a nonzero weight row, 64 buckets per entry:
 * most buckets are empty, so only nonzero rows are stored, and a bucket's
 * row is found by counting the set bits before it (rank).
 */
typedef struct NerRank {
    uint64_t bits;    /* bit b: bucket 64·i+b has a row */
    uint32_t before;  /* rows of all buckets before 64·i */
    uint32_t pad;     /* keeps entries 16 bytes */
} NerRank;

/* Set bits of x (portable: no popcnt instruction needed). */
static inline unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* Row of bucket b in a rank/rows table, or NULL when the bucket has none. */
static inline const int16_t *row_of(const NerRank *rank, const int16_t *rows, size_t width, uint32_t b)
{
    const NerRank *rk = &rank[b >> 6];
    uint64_t bit = 1ULL << (b & 63);
    if (!(rk->bits & bit))
        return NULL;
    return rows + (size_t)(rk->before + popcount64(rk->bits & (bit - 1))) * width;
}

struct NerModel {
    NerLex lex;       /* built from the lexicon sections in the model file */
    unsigned bits;    /* log2 of the feature buckets */
    NerRank *rank;    /* (1 << bits) / 64 entries */
    int16_t *rows;    /* nonzero weight rows in bucket order, NER_NTAGS each, plus
                         NER_NTAGS zeros at the end (vector loads read 8 ahead) */
    size_t nrows;     /* rows stored */
    int stale;        /* the text core changed since training (fingerprints differ) */
    struct NerModel *first; /* a two-stage model's first stage (NER_SEC_STAGE1), else NULL;
                               it shares this model's lexicons */
    NerRank *jrank;   /* two-stage models (same bits): rank over the buckets either stage
                         has a row for, else NULL */
    int16_t *jrows;   /* their joint rows, NER_JROW each: the first stage's tags 0..7,
                         this stage's tags 0..7, then tag 8 of each; one read serves both
                         stages (ner.c, tag_stacked) */
    int32_t trans[(NER_NTAGS + 1) * NER_NTAGS]; /* [prev][tag]; prev NER_START = first token;
                                                    forbidden moves hold NER_ILLEGAL */
};

/* What the features need to know about one token, computed once per token. */
typedef struct NerTok {
    uint64_t key;      /* hash of the key (matching form) */
    uint64_t stem;     /* hash of the stem */
    uint64_t rem;      /* hash of the remainder (key without clitics): lexicon lookups */
    uint64_t pre, suf; /* proclitic and enclitic bytes, packed */
    uint64_t px[4];    /* the remainder's first 1..4 letters, packed */
    uint64_t sx[4];    /* its last 1..4 letters, packed */
    uint64_t gaz;      /* 2 bits per gazetteer list: 1 = first token of a match, 2 = later token */
    uint32_t clu;      /* word cluster (NerLex.clusters), 0 = none or not listed */
    uint8_t cue;       /* cue class bits of the word */
    uint8_t shape;     /* token type × length bucket */
    uint8_t flags;     /* quote and hyphen flags that matter for names */
    uint8_t dtag;      /* second stage only: 1 + the first stage's tag of this token; 0 = no
                          document features (a first stage or one-stage model) */
    uint8_t dother;    /* second stage only: what the first stage made of the word's other
                          occurrences in the document (ner_doc_fill) */
    uint8_t dbi;       /* second stage only: what it made of the other occurrences of this
                          word followed by the next (one entity or not) */
} NerTok;

/*
 * Document features: for tokens info[0..n) of one document (sentences back
 * to back) and the first stage's tags of them, sets every token's dtag and
 * dother. 0 ok, -1 out of memory.
 */
int ner_doc_fill(NerTok *info, size_t n, const uint8_t *tags1);

/* Emission scores e[NER_NTAGS] of a token with features f[0..nf) under m. */
void ner_emission(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e);

/* Builds the lexicon from model sections (analysed by t). 0 ok, -1 out of memory. */
int ner_lex_build(NerLex *lex, rasd_text *t, const NerSection *secs, size_t nsecs);
void ner_lex_free(NerLex *lex);

/* Fills info[0..n) for tokens toks[0..n) (one sequence). */
void ner_tok_info(const NerLex *lex, const rasd_token *toks, size_t n, NerTok *info);

/* Feature bucket indexes of token i of the sequence; returns how many (<= NER_MAX_FEATS). */
size_t ner_feats(const NerLex *lex, unsigned bits, const NerTok *info, size_t n, size_t i,
                 uint32_t *out);

/* The document features alone of token i of a sequence of n (what ner_feats adds for a
   second stage's token, whose dtag is set, to a first stage's features); how many. */
size_t ner_doc_feats(unsigned bits, const NerTok *info, size_t n, size_t i, uint32_t *out);

/*
 * Both stages' emission scores of a token of a model with a joint table
 * (m->jrows): e1 the first stage's from its features f[0..nf) (ner_feats
 * without document features), e2 the second stage's from the same features
 * as the second stage keeps them, without the document features' rows.
 */
void ner_emission_joint(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e1,
                        int32_t *e2);

/* Bucket of the bias feature, which every token has. */
uint32_t ner_bias_bucket(unsigned bits);

/*
 * Best tag sequence for emission scores emit[n][NER_NTAGS] under trans
 * (first-order, with forbidden moves). bp is scratch of n × NER_NTAGS bytes.
 */
void ner_viterbi(const int32_t *emit, const int32_t *trans, size_t n, uint8_t *bp,
                 uint8_t *out);

/* The same for a loaded model's scores (int16 weights), faster: I-X is scored only after
   B-X or I-X, which gives the same tags there (ner_model.c). */
void ner_viterbi_bio(const int32_t *emit, const int32_t *trans, size_t n, uint8_t *bp,
                     uint8_t *out);

/* Sets the forbidden moves of trans to NER_ILLEGAL (I-X only after B-X or I-X). */
void ner_trans_forbid(int32_t *trans);

#endif
