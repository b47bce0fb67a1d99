/*
 * compare.h — what two outlets say differently, on two analysed texts and
 * no database: wording discrepancies and differing figures in aligned
 * sentences (story/align.h), quantities of the same counted thing that
 * cannot both hold, and whether two headlines contradict each other.
 * These are the building blocks of `rasd conflicts`; `rasd compare`
 * shows them for two files.
 */
#ifndef RASD_COMPARE_H
#define RASD_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "align.h"
#include "annotate/quantities.h"

/* What kind of difference an aligned pair shows. */
enum {
    CMP_WORDING = 1, /* a content word replaced by another (الصينية العسكرية / الصناعية الدفاعية) */
    CMP_NUMBER       /* figures that differ and are not a rounding, a bound or an update */
};

typedef struct Discrepancy {
    uint32_t kind;              /* CMP_* */
    uint32_t pair;              /* index into Alignment.pairs */
    uint32_t a_start, a_end;    /* A's phrase: byte offsets into A's text, [start,end) */
    uint32_t b_start, b_end;    /* B's phrase: byte offsets into B's text, [start,end) */
    uint32_t a_tok, a_tok_end;  /* A's phrase as token indexes, [begin,end) */
    uint32_t b_tok, b_tok_end;  /* B's phrase as token indexes, [begin,end) */
    int qc;                     /* CMP_NUMBER: quant_compat() of the two quantities,
                                   0 when a figure is not a quantity (a date's day) */
} Discrepancy;

/*
 * The differences worth reporting in the aligned pairs of al (made from a
 * and b). A difference is reported when, after dropping stopwords, light
 * words (reporting verbs, honorifics: data/lexicon/compare-words.txt),
 * words found elsewhere in the other sentence (moved, not changed) and
 * spelling variants (same stem, same name key, also across a word split:
 * بيونغيانغ / بيونغ يانغ), both sides still have a content word; an added
 * or dropped word is elaboration, not a discrepancy. Figures are compared
 * by value (1,000 = ألف) and as quantities (نحو 1000 / 987 is a rounding).
 * *out (malloc'd, *n entries, NULL when *n is 0) is owned by the caller.
 */
rasd_err compare_discrepancies(const rasd_doc *a, const rasd_doc *b, const Alignment *al,
                               Discrepancy **out, size_t *n, rasd_error *err);

/* Quantities of the same counted thing, one in each text, that cannot both hold. */
typedef struct QuantityMismatch {
    Quantity a, b; /* the two quantities (offsets into their own texts) */
    int qc;        /* quant_compat(): QC_INCOMPATIBLE */
    uint32_t pair; /* the aligned pair they stand in, or ALIGN_NONE (whole texts) */
} QuantityMismatch;

/*
 * Incompatible quantities of the same counted thing. With al (from
 * align_docs), only quantities in the two sentences of one aligned pair are
 * compared (what two articles count in different sentences may well be
 * different things); with al NULL, every quantity of a against every one
 * of b (for headlines and other short texts).
 */
rasd_err compare_quantities(const rasd_doc *a, const rasd_doc *b, const Alignment *al,
                            QuantityMismatch **out, size_t *n, rasd_error *err);
/* The same on quantities already found (quantities_find of a and of b): for
   callers comparing one article with many. */
rasd_err compare_quantities_of(const rasd_doc *a, const Quantity *qa, size_t nqa,
                               const rasd_doc *b, const Quantity *qb, size_t nqb,
                               const Alignment *al, QuantityMismatch **out, size_t *n,
                               rasd_error *err);

/* ---- contradiction of two headlines (contradict.c) ---------------------- */

/* Features of a headline pair, the inputs of the contradiction model. */
enum {
    CF_NEGATION = 0, /* one side negated or denied and the other not */
    CF_ANTONYM,      /* antonyms facing each other in the diff (ارتفاع / انخفاض) */
    CF_ANTONYM_ANY,  /* an antonym pair across the two, anywhere */
    CF_QUANTITY,     /* incompatible quantities of the same counted thing */
    CF_NUMBER,       /* both give figures, none compatible with one of the other's */
    CF_SUBST,        /* content words replaced (wording discrepancies) */
    CF_SUBST_NAME,   /* a replaced word is a name (different person or place) */
    CF_ONLY,         /* share of content words only one side has (the larger side) */
    CF_OVERLAP,      /* Dice similarity of the two word sequences (LCS) */
    CF_QUESTION,     /* one side is a question, the other not */
    CF_SUBST_CLOSE,  /* a content word replaced in otherwise close texts (similarity >= 0.5) */
    CF_COUNT         /* number of features */
};

/* Fills f[CF_COUNT] for headlines a and b. */
rasd_err compare_features(const rasd_doc *a, const rasd_doc *b, double f[CF_COUNT],
                          rasd_error *err);

typedef struct Contradiction {
    double score;     /* 0..1, the model's probability that the two contradict */
    int contradicts;  /* score >= the model's threshold */
    char reason[256]; /* the strongest evidence, one phrase with the words quoted
                         ("negation: لم only in A"), or "" */
} Contradiction;

/*
 * Do headlines (or short texts) a and b contradict each other? A logistic
 * model over compare_features() (weights trained on ANS, see contradict.c).
 */
rasd_err compare_contradicts(const rasd_doc *a, const rasd_doc *b, Contradiction *out,
                             rasd_error *err);

/* The weights the model uses, for the evaluation tool: f[CF_COUNT] + bias. */
typedef struct StanceModel {
    double w[CF_COUNT]; /* feature weights */
    double bias;        /* intercept */
    double threshold;   /* score at or above which a pair contradicts */
} StanceModel;
const StanceModel *compare_default_model(void);
double compare_model_score(const StanceModel *m, const double f[CF_COUNT]);
/*
 * Fits m->w and m->bias to n examples (X: n rows of CF_COUNT features, y:
 * 1 = contradicts) by logistic regression with an L2 penalty l2 on the
 * weights, batch gradient descent from zero for a fixed number of steps:
 * the same data always gives the same weights. m->threshold is not touched.
 */
void compare_fit_model(const double *X, const unsigned char *y, size_t n, double l2,
                       StanceModel *m);
/* Hand rules, the model's baseline: negation, antonyms or incompatible quantities. */
int compare_rules_contradict(const double f[CF_COUNT]);

#endif
