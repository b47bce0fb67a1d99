/*
 * annotate.h — one article through every annotator, as one typed result:
 * the text core's tokens and sentences, the names with their identity keys
 * and roles, the quotations with speakers, the dates, the quantities, the
 * identity hash and MinHash signature. annotate_article() is pure: the same
 * bytes give the same result on any machine, with no database.
 *
 * The engine stores the result at ingest (annot_encode, a versioned blob);
 * views load it back (annot_decode) and never run the text core or an
 * annotator themselves.
 */
#ifndef RASD_ANNOTATE_H
#define RASD_ANNOTATE_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "annotate/analyze.h"
#include "annotate/dates.h"
#include "annotate/quantities.h"
#include "annotate/quotes.h"
#include "ingest/ingest.h"
#include "story/fingerprint.h"
#include "util/util.h"

enum {
    ANNOT_NO_ENTITIES = 1 << 0 /* no names (and so no roles, no speaker keys) */
};

typedef struct Annotated {
    rasd_doc *doc;         /* the body: validated text, tokens, sentences; owned */
    EntityList ents;       /* names with keys and roles, in text order */
    QuoteList quotes;      /* quotations with speakers */
    DateSpan *dates;       /* date expressions resolved against the publication date; owned */
    size_t ndates;
    Quantity *quants;      /* figures with what they count; owned */
    size_t nquants;
    char id[17];           /* identity: 16 hex digits of the normalised body's hash */
    uint32_t minhash[FP_MINHASH]; /* near-copy signature (annotate_article only) */
    size_t nminhash;       /* FP_MINHASH, or 0 when the text is too short */
} Annotated;

/*
 * Runs every annotator on a (body, published date). flags: ANNOT_*.
 * t is the caller's text context (one per thread). *out is owned by the
 * caller: annotated_free.
 */
rasd_err annotate_article(rasd_text *t, const Article *a, unsigned flags, Annotated *out,
                          rasd_error *err);
void annotated_free(Annotated *a);

/* Appends the stored form of a (everything but the text, which the store
   keeps as the article's body) to out. */
void annot_encode(const Annotated *a, Buf *out);

/*
 * Rebuilds an Annotated from the article's stored body (text, len: the
 * validated text annotate_article saw) and its blob, checking every offset
 * and index against the text: a damaged or foreign blob is RASD_EFORMAT,
 * never a crash. minhash is not stored (nminhash 0). *out: annotated_free.
 */
rasd_err annot_decode(const char *text, size_t len, const void *blob, size_t n, Annotated *out,
                      rasd_error *err);

/* Counts for tests: how many times annotate_article ran in this process. A
   view test checks that building a brief does not move it. */
uint64_t annotate_calls(void);

#endif
