/*
 * conflicts.h — where outlets contradict each other within one story:
 * one office with different holders (role), the same counted thing with
 * numbers that cannot both hold (number), the same happening at different
 * dates (date), one quotation given to different speakers (attribution),
 * and one phrase frame with a different content word (wording). Each
 * conflict carries the competing values, and for each value the outlets,
 * articles and exact sentences that give it.
 */
#ifndef RASD_STORY_CONFLICTS_H
#define RASD_STORY_CONFLICTS_H

#include <stddef.h>

#include "annotate/analyze.h"
#include "annotate/dates.h"
#include "annotate/quantities.h"
#include "annotate/quotes.h"
#include "util/util.h"
#include "views/views.h"

/* One analysed article of the story (all pointers borrowed). */
typedef struct ConflictDoc {
    const rasd_doc *doc;
    const EntityList *ents;   /* with roles (analyze_entities) */
    const QuoteList *quotes;  /* may be NULL */
    const char *published;    /* "YYYY-MM-DD..." or NULL */
    const char *outlet;       /* display name, or NULL */
    const char *id;           /* the article's public id */
    int source;               /* independent source: articles of one source never conflict */
    const DateSpan *dates;    /* its stored dates, or NULL: found here */
    size_t ndates;
    const Quantity *quants;   /* its stored quantities, or NULL: found here */
    size_t nquants;
} ConflictDoc;

typedef struct ConflictOpts {
    int max_gap_days;         /* only articles published this close are compared (7) */
    double wording_min_sim;   /* sentence pair similarity for wording frames (0.25) */
} ConflictOpts;

void conflict_opts_default(ConflictOpts *o);

/* The detection's version: a change to what conflicts_find reports bumps
   it, so that stored conflict lists and briefs (story/brief.c) are built
   again. */
#define CONFLICTS_VERSION 6 /* 3: glued names, انتقل, honorific speakers (session 6);
                               4: a figure revised later is an update (session 7);
                               5: the addressee of a quote is looked for in the speaker's
                               sentence only (session 8); 6: offices keyed by a state noun,
                               holders that are a piece of a name or a title before a
                               place, حسن ظن (session 10) */

/*
 * Appends a JSON array of conflicts to out (views_conflicts_json of
 * conflicts_collect's set):
 *   [{"id","kind","rule","slot","subject","update","values":[{"value","sources":[outlets],
 *     "articles":[ids],"sentences":[text],"published"}]}]
 * update: true when a figure conflict is a later figure replacing an
 * earlier one (its values fall apart in publication order, and one outlet
 * gives both or a casualty toll rose): the values are then earliest first;
 * published: the first publication of the value's articles.
 * id: 16 hex digits, a hash of kind, subject and values by their normalised
 * keys (stable across runs, for dismissing a conflict); rule: which rule
 * found it (one-office-two-holders, aligned-figures, aligned-dates,
 * same-quote-two-speakers, definite-frame); slot: what differs between the
 * values (holder, figure, date, speaker, words). The sentences of each
 * value are the aligned sentences the rule compared.
 * *count gets the number of conflicts. Articles of one source and pairs
 * published more than max_gap_days apart (or undated) are not compared.
 */
rasd_err conflicts_find(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Buf *out,
                        size_t *count, rasd_error *err);
/* The same as the result struct: set's items (set->n of them) are
   allocated in a, the arena set came with (views_conflicts_new, or a
   brief's); set's story and event are left as they are. */
rasd_err conflicts_collect(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Arena *a,
                           rasd_conflict_set *set, rasd_error *err);

#endif
