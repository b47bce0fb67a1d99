/*
 * cluster.h — online story assignment (design.md §2 `assign`): articles
 * arrive in publication order; each joins the event it matches best (its
 * most similar recent article, checked against the event's profile), or
 * opens a new event; events whose articles have all left the time window
 * close and join the thread whose entities and terms they share, or open a
 * new thread. Articles of one day are placed in a canonical order, so
 * arrival order within a day does not matter. Cost per article depends on the window,
 * not on the archive.
 */
#ifndef RASD_STORY_CLUSTER_H
#define RASD_STORY_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "story/similarity.h"

typedef struct AssignOpts {
    int window_days;        /* how long an event stays open after its last article (default 7: one
                               negotiation is reported over days) */
    int thread_days;        /* how long a thread stays open after its last event (default 400) */
    double event_threshold; /* pair score to join an event (default: the model's) */
    double merge_threshold; /* link score with a second event, or score of two open
                               events' profiles, that merges them (default 0.85) */
    double thread_threshold;/* event-to-thread similarity to join a thread (default 0.30) */
    int max_candidates;     /* recent articles scored per new article (default 40) */
    double profile_weight;  /* link score = pair^(1-w) × profile^w for events of 2+
                               articles (default 0.5; 0: single link to the nearest article) */
} AssignOpts;

void assign_opts_default(AssignOpts *o);

typedef struct Assigner Assigner;

/* m may be NULL (the embedded model). NULL on out of memory. */
Assigner *assign_new(const AssignOpts *o, const SimModel *m);
void assign_free(Assigner *a);

/*
 * Adds the next article (publication order; a slightly earlier day is
 * tolerated). Takes ownership of *v (zeroed on return). Returns the
 * article's index (0, 1, 2 ... in order of adding), or -1 on out of memory.
 * Articles of one day are collected and placed together, in a canonical
 * order (content hash), when a later day arrives, on assign_flush or
 * assign_finish: the order articles arrive in within a day does not change
 * the events. assign_event and assign_nearest flush on demand.
 */
long assign_add(Assigner *a, StoryVec *v);
/* The same with the article's identity (a hash of its stored identity, not a
   row id): the last tie-break of the canonical order within a day, so two
   articles with the same vector are placed in the same order whichever
   came first. */
long assign_add_id(Assigner *a, StoryVec *v, uint64_t ident);
/* Places the articles collected so far (the newest day may still grow). */
void assign_flush(Assigner *a);
/* Closes every open event (threads are final after this). */
int assign_finish(Assigner *a); /* -1: out of memory on the way (events incomplete) */

/* Results, valid at any time (threads only for closed events). */
size_t assign_narticles(const Assigner *a);
uint32_t assign_event(Assigner *a, size_t article); /* event id (merges resolved) */
uint32_t assign_thread(Assigner *a, uint32_t event); /* thread id, UINT32_MAX while open */
size_t assign_nevents(const Assigner *a);            /* ids are < this (merged ids unused) */
/* Best score of the article against earlier articles (0 for an event's first). */
double assign_best_score(const Assigner *a, size_t article);
/* For an article that opened an event: the event of its best candidate
   and that score (a near miss), or UINT32_MAX when it had no candidate. */
uint32_t assign_nearest(Assigner *a, size_t article, double *score);
size_t assign_nthreads(const Assigner *a); /* thread indexes are < this */
/* A thread's profile (borrowed: normalised stem and entity-key lists sorted by id)
   and last day; -1 if t has none. */
int assign_thread_profile(const Assigner *a, uint32_t t, const SvTerm **terms, size_t *nt,
                          const SvTerm **ents, size_t *ne, int32_t *last);
/* Work counters for benchmarks. */
void assign_stats(const Assigner *a, size_t *open_articles, size_t *index_terms,
                  size_t *scored);

#endif
