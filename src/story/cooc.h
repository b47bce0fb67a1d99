/*
 * cooc.h — a similarity learned from the archive itself: which stems and
 * names occur in the same articles more often than chance (normalised
 * PMI), so that two reports worded differently (شراء ذخيرة / صفقة
 * أسلحة, a person's name and the office he holds) still come close
 * without a pretrained model. Counted from the story vectors of the
 * articles the user ingests, deterministically: the counts depend only on
 * which articles were added, never on the order they came in.
 */
#ifndef RASD_STORY_COOC_H
#define RASD_STORY_COOC_H

#include "story/vector.h"

#define COOC_CTX 16   /* context items of one article: headline stems, then its strongest
                         stems and entity keys */
#define COOC_MIN 3    /* articles a pair must share before it counts as related */
#define COOC_WHY 6    /* soft links cooc_soft reports */

typedef struct Cooc Cooc;

/* An empty model; NULL on out of memory. max_pairs bounds memory (0: the
   default, 2 M pairs ~ 50 MB): past it, the rarest pairs are dropped. */
Cooc *cooc_new(size_t max_pairs);
void cooc_free(Cooc *c);
/* Counts one weighted article (sv_weigh): its context items and every pair
   of them. 0, or -1 on out of memory (the model is then unchanged). */
int cooc_update(Cooc *c, const StoryVec *v);
uint32_t cooc_docs(const Cooc *c);
size_t cooc_pairs(const Cooc *c);
/* Normalised PMI of two ids (-1..1), 0 when they share fewer than COOC_MIN articles. */
double cooc_npmi(const Cooc *c, uint64_t x, uint64_t y);

/* One link that made two articles close: x of a, y of b, and how related. */
typedef struct CoocLink {
    uint64_t x, y;       /* item ids (vector.h: stem hashes, 0x01-prefixed entity keys) */
    double npmi;         /* 1 for the same item */
    double w;            /* share of the score this link carries, 0..1 */
} CoocLink;
typedef struct CoocWhy {
    CoocLink link[COOC_WHY]; /* the strongest soft links (different items), best first */
    size_t n;
    double exact;        /* the score from items both have */
} CoocWhy;

/*
 * Soft overlap of two weighted vectors' contexts, 0..1: each item of one
 * side counts by its weight times 1 when the other side has it, else the
 * best positive NPMI with an item of the other side; the two directions
 * are averaged. why (may be NULL) gets the soft links.
 */
double cooc_soft(const Cooc *c, const StoryVec *a, const StoryVec *b, CoocWhy *why);

/* Serialisation (little-endian, "RCO1"): the whole model, for storing it. */
void cooc_encode(const Cooc *c, Buf *out);
rasd_err cooc_decode(Cooc **out, const void *p, size_t n, rasd_error *err);

#endif
