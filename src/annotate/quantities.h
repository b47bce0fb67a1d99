/*
 * quantities.h — numbers with what they count: "68 دولة", "ملايين القذائف",
 * "نحو 1,000 صاروخ", "أكثر من 60 شخصا", "ما بين 20 و30 قتيلا", "5 في المئة",
 * and whether two of them (of the same counted thing) can both be true.
 *
 * A quantity is an interval of values: an exact figure is [v,v]; نحو /
 * حوالي / قرابة make it approximate (±10%, at least half its last
 * significant digit); أكثر من / ما لا يقل عن a lower bound; أقل من / حتى an
 * upper bound; بين X و Y / من X إلى Y / X-Y a range; عشرات / مئات / آلاف /
 * ملايين / بضعة a vague range (عشرات = 20..99, عشرات الآلاف = 20,000..99,000).
 * Numbers inside date expressions (annotate/dates.h) are not quantities.
 */
#ifndef RASD_QUANTITIES_H
#define RASD_QUANTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "../util/util.h"
#include "dates.h"

#define QUANT_NO_NOUN UINT32_MAX /* Quantity.noun when nothing counted was found */

/* How the text states the figure. */
enum {
    QUANT_EXACT = 1, /* 68 */
    QUANT_APPROX,    /* نحو 1000, 1000 تقريبا */
    QUANT_MIN,       /* أكثر من 60 (strict), ما لا يقل عن 60, 60 على الأقل */
    QUANT_MAX,       /* أقل من 60 (strict), حتى 60 */
    QUANT_RANGE,     /* بين 20 و30, عشرات */
};

typedef struct Quantity {
    uint32_t start, end;         /* byte offsets of the expression (modifier to counted
                                    noun) into rasd_doc_text(), [start,end) */
    uint32_t tok_begin, tok_end; /* the same as token indexes, [begin,end) */
    uint32_t num_begin, num_end; /* tokens of the figure itself, [begin,end) */
    uint32_t noun;               /* token of the counted noun, or QUANT_NO_NOUN */
    double value;                /* the stated figure (RANGE: its lower end) */
    double lo, hi;               /* the values it allows (hi may be INFINITY) */
    double precision;            /* unit of the last significant digit of value
                                    (1000 → 1000, 987 → 1, 1.5 → 0.1) */
    uint8_t kind;                /* QUANT_* */
    uint8_t strict;              /* the bound excludes value itself (أكثر من) */
    uint8_t vague;               /* stated with a word like عشرات, not a figure */
    uint8_t percent;             /* % / في المئة: the noun is "per cent" */
    uint8_t update;              /* the sentence marks it as a revised figure
                                    (ارتفع عدد القتلى إلى ...، حصيلة جديدة) */
    double alt;                  /* another reading of an ambiguous figure
                                    (63ر54: 54.63 or 63.54; 17.338: 17.338
                                    or 17338), or 0 */
} Quantity;

/*
 * Finds the quantities of d, left to right, never overlapping. *out
 * (malloc'd, *n entries, NULL when *n is 0) is owned by the caller: free().
 */
rasd_err quantities_find(const rasd_doc *d, Quantity **out, size_t *n, rasd_error *err);
/* The same with d's date expressions already found (dates_find: nd spans,
   left to right), whose numbers are not quantities: quantities_find finds
   them itself, without a publication date. */
rasd_err quantities_find_dates(const rasd_doc *d, const DateSpan *dates, size_t nd,
                               Quantity **out, size_t *n, rasd_error *err);

/* Whether two quantities can both be true. */
enum {
    QC_EQUAL = 1,    /* the same figure (1,000 / ألف / 1000) */
    QC_ROUNDING,     /* one is a rounding of the other (نحو 1000 / 987, 70 / 68) */
    QC_BOUNDS,       /* a bound or range allows the other (أكثر من 60 / 68) */
    QC_UPDATE,       /* different, but one is marked as a revised figure */
    QC_INCOMPATIBLE  /* they cannot both hold */
};
int quant_compat(const Quantity *a, const Quantity *b);
const char *quant_compat_name(int qc); /* "equal", "rounding", ... */

/*
 * Do qa (in a) and qb (in b) count the same thing: both percentages, or
 * counted nouns with the same stem or the same name key (قتيل / قتلى)?
 * Quantities without a noun count the same thing only as each other.
 */
int quant_same_thing(const rasd_doc *a, const Quantity *qa, const rasd_doc *b,
                     const Quantity *qb);

/*
 * Value of a number token's key ("1,000", "3.5", "12"): 0 and *v set, or
 * -1 if the key is not a plain decimal number.
 */
int quant_number_value(const char *key, size_t n, double *v);

/* Is t a number word (ثلاثة، ألف، عشرات) or an ordinal (الثالث، الحادية)? */
int quant_is_number_word(const rasd_token *t);

/*
 * The clitic-free key of word t with up to two inflection endings cut,
 * keeping at least three letters: accusative ا, ة (ه in keys), nisba ي,
 * verb plural وا / و, sound plurals and duals. صاروخا / صاروخ, مدنيين /
 * مدنيا, الصناعية / صناعي meet here where Snowball may not (it keeps a
 * word it finds in its lexicon whole). *n is set; NULL for a non-Arabic
 * word, a stopword, or when less than three letters would remain.
 */
const char *word_light_key(const rasd_token *t, size_t *n);
/* The same cut on any key k[0..n): returns the length kept (n if nothing is cut). */
size_t key_light(const char *k, size_t n);

/* "text => value [noun]" lines, one per quantity, for golden tests. */
void quantities_format_lines(const rasd_doc *d, const Quantity *q, size_t n, Buf *out);
/* The value part alone: "68", "~1000", ">60", ">=60", "<=60", "20..99". */
void quant_format_value(const Quantity *q, Buf *out);

#endif
