/*
 * ner.h — the named-entity tagger: marks people (PERS), places (LOC),
 * organisations (ORG) and other names (MISC: nationalities, events, prizes)
 * in analysed text, as BIO tags on the text core's tokens.
 *
 * The tagger is an averaged structured perceptron over hashed features
 * (word key, stem, clitics, affixes, shape, a ±2 window, cue words and
 * gazetteer matches) with first-order tag transitions, decoded by Viterbi.
 * The trained model (models/ner.bin, which also carries the cue list and
 * gazetteers it was trained with) is compiled into the library; it is
 * loaded once, on first use, and is read-only afterwards, so tagging is
 * thread-safe.
 *
 * Training and the CoNLL helpers used by `rasd tag`, tools/train_ner.c,
 * tools/eval_ner.c and the benchmark live here too: the features must be
 * computed by exactly the same code at training and tagging time.
 */
#ifndef RASD_NER_H
#define RASD_NER_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "../util/util.h"

/* ---- tags and entity types ------------------------------------------- */

/* Entity types; 0 is "no entity". */
enum { NER_NONE = 0, NER_PERS, NER_LOC, NER_ORG, NER_MISC, NER_NTYPES };

/* Tags: 0 = O, then B- and I- of each type: tag = 2*type-1 (B) or 2*type (I). */
#define NER_O 0
#define NER_NTAGS 9
#define NER_B(type) ((uint8_t)(2 * (type) - 1))
#define NER_I(type) ((uint8_t)(2 * (type)))
#define NER_TAG_TYPE(tag) (((tag) + 1) / 2) /* NER_NONE for O */
#define NER_TAG_IS_B(tag) (((tag) & 1) != 0)

const char *ner_tag_name(unsigned tag);  /* "O", "B-PERS" ...; "?" if out of range */
const char *ner_type_name(unsigned type);/* "PERS", "LOC", "ORG", "MISC"; "" for none */
/* Parses a CoNLL tag (O, B-PERS or B-PER, I-LOC ...); -1 if unknown. */
int ner_tag_parse(const char *s, size_t n);

/* ---- the model --------------------------------------------------------- */

typedef struct NerModel NerModel;

/*
 * The model compiled into the library, loaded on first call (pthread_once).
 * Returns NULL, with err filled, if it is missing, corrupt or memory ran
 * out. The model is owned by the library and never freed.
 */
const NerModel *ner_default(rasd_error *err);

/* Loads a model from the bytes of a model file. *out is owned by the caller. */
rasd_err ner_model_load(const unsigned char *bytes, size_t len, NerModel **out,
                        rasd_error *err);
void ner_model_free(NerModel *m);

/*
 * 1 if the text core still analyses words (keys, stems, clitics) as it did
 * when m was trained, 0 if it changed since: the model then sees features
 * it never learned and should be retrained (make model). Tagging works
 * either way.
 */
int ner_model_current(const NerModel *m);

/* ---- tagging ----------------------------------------------------------- */

/*
 * Tags every token of d with the default model, the document's sentences
 * as in ner_tag_sentences;
 * tags must hold rasd_doc_ntokens(d) entries. Tokens outside every
 * sentence get O.
 */
rasd_err ner_tag(const rasd_doc *d, uint8_t *tags, rasd_error *err);
rasd_err ner_tag_doc(const NerModel *m, const rasd_doc *d, uint8_t *tags, rasd_error *err);

/*
 * Tags n tokens as one sequence (a sentence). Sequences longer than
 * NER_MAX_SEQ tokens are decoded in pieces of that length.
 */
#define NER_MAX_SEQ 512
rasd_err ner_tag_tokens(const NerModel *m, const rasd_token *toks, size_t n, uint8_t *tags,
                        rasd_error *err);

/*
 * Tags toks[0..n) as one document of sentences: sentence k is tokens
 * [se[2k], se[2k+1]) (in order, not overlapping). A two-stage model tags the
 * whole document first with its first stage; ner_tag_tokens is one sentence.
 * Tokens outside every sentence are tagged O.
 */
rasd_err ner_tag_sentences(const NerModel *m, const rasd_token *toks, size_t n,
                           const uint32_t *se, size_t nsent, uint8_t *tags, rasd_error *err);

/* 2 for a two-stage model (document features), else 1. */
int ner_model_stages(const NerModel *m);

/* An entity: a run of tokens that begins with B-X (or a stray I-X) and continues with I-X. */
typedef struct NerSpan {
    uint8_t type;         /* NER_PERS ... NER_MISC */
    uint32_t first, last; /* token indexes, inclusive */
    uint32_t start, end;  /* byte offsets into the document text, [start,end); 0 when toks was NULL */
} NerSpan;

/*
 * Turns tags into entity spans with the CoNLL convention (an I-X that does
 * not continue an X starts a new entity). Writes at most cap spans to out
 * and returns how many there are in all (call with cap 0 to count). toks
 * may be NULL (then start and end are 0).
 */
size_t ner_spans(const rasd_token *toks, const uint8_t *tags, size_t n, NerSpan *out,
                 size_t cap);

/*
 * A person's span the tagger ended before the family name (الرائد عبدالعزيز
 * | جزاء الحربي): takes a following family name in ال…ي (الحربي،
 * القحطاني), or a bare father's name then one when the span ends in a
 * listed given name. Never a nationality adjective
 * (الروسي) or a common adjective in ال…ي (الوطني، التخصصي), a word written
 * with ى (التقى), a title, a time word, a word with a conjunction or
 * preposition on it, a word past a line break, or a word another span has.
 * spans[0..n) are d's, in order.
 */
void ner_extend_family(const rasd_doc *d, NerSpan *spans, size_t n);

/*
 * A given name the tagger called "other" or a place, right before a
 * person's span: تركي (Turki, also "Turkish") in "العقيد تركي المالكي" or
 * "الشيخ تركي | بن حميد". A one-word MISC or LOC span that is a listed
 * Arabic given name (names_given_name), with no clitic or article, directly
 * followed on the same line by a PERS span becomes the start of that span.
 * spans[0..n) are d's, in order; returns how many are left.
 */
size_t ner_join_given(const rasd_doc *d, NerSpan *spans, size_t n);

/* ---- CoNLL files: `rasd tag`, training and evaluation ------------------ */

/* One sentence of a CoNLL file. */
typedef struct NerConllSent {
    uint32_t word_begin, word_end; /* words [word_begin, word_end) of the file */
} NerConllSent;

/* A CoNLL file: one word per line (first column), blank line between sentences. */
typedef struct NerConll {
    char *pool;          /* the words' text, back to back, each NUL-terminated */
    size_t pool_len, pool_cap; /* bytes used and allocated in pool */
    uint32_t *woff;      /* start of each word in pool */
    uint32_t *wlen;      /* bytes of each word */
    uint8_t *gold;       /* gold tag of each word (NER_O when the file has none) */
    size_t nwords, cap_words;
    NerConllSent *sent;  /* sentences in file order */
    size_t nsent, cap_sent;
    int has_gold;        /* every word line had a tag in its last column */
} NerConll;

/*
 * Parses CoNLL text: the word is the first whitespace-separated column, the
 * tag the last (when there are two or more columns); "-DOCSTART-" lines are
 * skipped. With want_gold, a line without a tag or with an unknown tag is
 * an error naming the line (name is used in messages). c is owned by the
 * caller: ner_conll_free.
 */
rasd_err ner_conll_parse(const char *s, size_t n, int want_gold, const char *name,
                         NerConll *c, rasd_error *err);
void ner_conll_free(NerConll *c);

/*
 * Analyses sentence s: its words (made valid UTF-8), each after one space.
 * *doc and *tok_word (for each token, the index in the file of the word it
 * starts in) are owned by the caller (rasd_doc_free, free).
 */
rasd_err ner_conll_analyse(rasd_text *t, const NerConll *c, size_t s, rasd_doc **doc,
                           uint32_t **tok_word, rasd_error *err);

/*
 * Word tags from token tags: each token span covers the words its tokens
 * start in; the first word gets B-, the rest I-. words[] has
 * word_end - word_begin entries.
 */
void ner_conll_words_from_tokens(const NerConll *c, size_t s, const rasd_doc *doc,
                                 const uint32_t *tok_word, const uint8_t *tok_tags,
                                 uint8_t *words);

/* Tags sentence s with m, writing word tags (as ner_conll_words_from_tokens). */
rasd_err ner_conll_tag(const NerModel *m, rasd_text *t, const NerConll *c, size_t s,
                       uint8_t *words, rasd_error *err);

/*
 * The dev split used to report quality: every NER_DEV_EVERY-th sentence of
 * the training file (sentence indexes 9, 19, 29 ...), so dev covers the
 * whole file's documents and topics rather than its last ones.
 */
#define NER_DEV_EVERY 10
int ner_is_dev(size_t sentence_index);

/* Exact-span CoNLL scoring (as conlleval): counts per entity type. */
typedef struct NerScore {
    uint64_t tp[NER_NTYPES]; /* predicted spans that match a gold span exactly (type, first, last) */
    uint64_t fp[NER_NTYPES]; /* predicted spans with no exact gold match */
    uint64_t fn[NER_NTYPES]; /* gold spans with no exact predicted match */
} NerScore;

void ner_score_add(NerScore *s, const uint8_t *gold, const uint8_t *pred, size_t n);
/* Tags sentences sents[0..n) of c (which has gold tags) with m and adds their scores. */
rasd_err ner_conll_eval(const NerModel *m, const NerConll *c, const size_t *sents, size_t n,
                        NerScore *score, rasd_error *err);
/* F1 of one type, or micro-averaged over all types when type is NER_NONE. */
double ner_score_f1(const NerScore *s, unsigned type, double *precision, double *recall);

/* ---- training ---------------------------------------------------------- */

/* A lexicon carried by the model: the cue list or one gazetteer list. */
typedef struct NerSection {
    int kind;         /* NER_SEC_CUES, NER_SEC_GAZ or NER_SEC_CLUSTERS ("word fine coarse" lines) */
    const char *name; /* file name, e.g. "countries.txt": its hash names the feature */
    const char *text; /* the file's contents (UTF-8 lines) */
    size_t len;       /* bytes in text */
} NerSection;
/* NER_SEC_STAGE1: a whole first-stage model file (written by ner_train with
   NerTrainOpts.stacked); its tags over the document give the document features */
enum { NER_SEC_CUES = 1, NER_SEC_GAZ = 2, NER_SEC_CLUSTERS = 3, NER_SEC_STAGE1 = 4 };

typedef struct NerTrainOpts {
    int epochs;       /* passes over the training sentences */
    uint64_t seed;    /* seed of the per-epoch shuffle */
    unsigned bits;    /* log2 of the feature buckets (weights = buckets × NER_NTAGS) */
    int margin;       /* cost-augmented training: score added to every wrong tag while
                         training (0 = plain perceptron) */
    int o_penalty;    /* subtracted from the averaged score of O at every token: trades
                         precision for recall (0 = none) */
    int stacked;      /* nonzero: a two-stage model: a first-stage model tags the whole
                         document, and the second sees, for each word, the first stage's
                         tag of it and of its other occurrences in the document (trained
                         on first-stage tags from models that did not see the sentence:
                         NER_STACK_FOLDS contiguous blocks) */
} NerTrainOpts;
#define NER_STACK_FOLDS 5
/* CoNLL files have no document boundaries: training and evaluation treat each run of
   NER_CONLL_DOC consecutive sentences (in the order given) as one document */
#define NER_CONLL_DOC 20

/*
 * Trains on the sentences sents[0..nsents) of c (which must have gold tags)
 * and appends the model file's bytes to out. Deterministic: the same data,
 * sections and options give the same bytes.
 */
rasd_err ner_train(const NerConll *c, const size_t *sents, size_t nsents,
                   const NerSection *secs, size_t nsecs, const NerTrainOpts *opts, Buf *out,
                   rasd_error *err);

#endif
