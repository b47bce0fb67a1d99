/*
 * conflicts_impl.h — what conflicts.c (roles, attributions, output) and
 * conflicts_pairs.c (figures, dates and wording in aligned sentences)
 * share: the conflict list being built, the kinds (compared by address),
 * and the helpers each calls in the other.
 */
#ifndef RASD_CONFLICTS_IMPL_H
#define RASD_CONFLICTS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "story/conflicts.h"
#include "annotate/names.h"
#include "annotate/quantities.h"

/* The kinds; a Conflict's kind is one of these pointers. */
extern const char K_ROLE[], K_NUMBER[], K_DATE[], K_WORDING[], K_ATTRIB[];

typedef struct Evidence {
    size_t doc;
    uint32_t s_start, s_end; /* the sentence, bytes in the doc's text */
} Evidence;

typedef struct Value {
    char *text;          /* owned */
    char *key;           /* owned: what makes two values one (may equal text) */
    Evidence *ev;
    size_t nev, cap;
    const char *first;   /* number: the first publication of an article stating it
                            (mark_updates), else NULL: the first of its evidence */
} Value;

typedef struct Conflict {
    const char *kind;    /* K_*: role, number, date, attribution, wording */
    const char *rule;    /* R_*: the rule that found it (one per detector) */
    const char *slot;    /* what differs between the values: holder, figure, date,
                            speaker, words */
    char *subject;       /* owned */
    char *key;           /* owned: conflicts of one kind and key are one conflict */
    int dropped;         /* found not to be a disagreement (see settle) */
    int update;          /* number: a later figure replacing an earlier one (see
                            mark_updates); the values are then in publication order */
    size_t ref_doc;      /* number: the article of the first figure ... */
    Quantity ref;        /* ... and that figure (what is counted) */
    Value *v;
    size_t nv;
} Conflict;

typedef struct Out {
    Conflict *c;
    size_t n, cap;
    int oom;
} Out;

/*
 * The content words of every sentence of one article, built once per
 * article (not once per article pair): token indexes in text order, and
 * the stems' hashes sorted, so "do two sentences share six content words"
 * is a binary search per word instead of comparing every word with every
 * word. At most WORDS_MAX words a sentence are kept.
 */
enum { WORDS_MAX = 160 };
typedef struct SentWords {
    size_t *first;   /* sentence k's words are w[first[k] .. first[k+1]) */
    uint32_t *w;     /* token indexes */
    uint64_t *hash;  /* stem hash of each word, in text order */
    uint64_t *sorted; /* the same hashes, sorted within each sentence */
    uint64_t (*sig)[3]; /* align_word_sigs of each word, in text order */
    size_t ns;       /* sentences */
    uint8_t *frame;  /* per word: 1 definite (ال), 2 also not a light word: may hold a frame */
    uint64_t (*mask)[4]; /* per sentence: bit (hash & 255) set for each word's stem hash */
    struct AlignPrep *ap; /* the article prepared for align_docs_prep (align.h) */
} SentWords;

/* figures are compared only between reports at most this many days apart */
enum { FIGURE_GAP_DAYS = 2 };

#define NO_VALUE ((size_t)-1) /* conflicts_value_of on OOM */

Conflict *conflicts_new_conflict(Out *o, const char *kind, const char *subj, size_t subj_len,
                              const char *key, size_t key_len);
size_t conflicts_value_of(Out *o, Conflict *c, const char *key, size_t kl, const char *text,
                       size_t tl);
void conflicts_add_evidence(Out *o, Conflict *c, size_t vi, size_t doc, uint32_t s, uint32_t e);
void conflicts_stem_key(const rasd_doc *d, uint32_t s, uint32_t e, size_t max, Buf *b);
const char *conflicts_noun_key(const rasd_token *t, char *buf, size_t size);
void conflicts_sentence_at(const rasd_doc *d, uint32_t at, uint32_t *s, uint32_t *e);
const char *conflicts_ekey(const EntityList *l, const Entity *e, size_t *n);
int conflicts_content_word(const rasd_token *t);
int conflicts_sent_words_build(const rasd_doc *d, SentWords *sw);
void conflicts_sent_words_free(SentWords *sw);
void conflicts_pair_conflicts(const ConflictDoc *docs, size_t ai, size_t bi, DateSpan *const *dates,
                           const size_t *ndates, Quantity *const *qs, const size_t *nqs,
                           const SentWords *sw, const ConflictOpts *o, Out *out);

/* conflicts.c helpers the role and attribution rules use, and those rules
   (conflicts_roles.c) */
void conflicts_role_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Out *out);
void conflicts_attribution_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Out *out);
int conflicts_comparable(const ConflictDoc *a, const ConflictDoc *b, int max_gap);
int conflicts_fuller_name_joins(const ConflictDoc *docs, size_t n, const char *a, size_t an, const char *b, size_t bn);
int conflicts_names_person_in(const ConflictDoc *d, uint32_t s, uint32_t e, const char *k, size_t kl);
int conflicts_name_reads_on(const ConflictDoc *d, const Entity *e, const char *k, size_t kl);
int conflicts_known_name(const ConflictDoc *docs, size_t n, const char *k, size_t kl);
int conflicts_one_name_but_abd(const char *a, size_t an, const char *b, size_t bn);
/* Is one name the other's last word with one more word read on (أوباما
   فغالب / باراك أوباما: the tagger took the next word into the name)? */
int conflicts_name_glued(const char *a, size_t an, const char *b, size_t bn);
int conflicts_honorific_speaker(const char *t, size_t n);
int conflicts_prospective(const char *t, uint32_t s, uint32_t at);
int conflicts_tells_succession(const char *t, uint32_t s, uint32_t e);
int conflicts_many_holders(const char *p, size_t n);
int conflicts_past_or_proxy(const ConflictDoc *d, uint32_t r_start, uint32_t r_end, uint32_t s, uint32_t e);
size_t conflicts_people_in(const ConflictDoc *d, uint32_t s, uint32_t e);
int conflicts_coordinated(const ConflictDoc *d, uint32_t s, uint32_t e);

#endif
