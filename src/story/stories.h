/*
 * stories.h — the stateful `assign` stage over a store: replays stored
 * story vectors in publication order through the assigner (cluster.h) —
 * all of them the first time, afterwards only the tail a new batch
 * reopens — and writes the events and threads, in one transaction.
 */
#ifndef RASD_STORY_STORIES_H
#define RASD_STORY_STORIES_H

#include "store/store.h"
#include "story/cluster.h"

typedef struct StoriesStats {
    size_t articles;     /* articles replayed */
    size_t added;        /* of them, articles that had no event yet */
    size_t events;       /* new events, and of them */
    size_t multi;        /* events with 2+ articles */
    size_t threads;
    size_t bad_vectors;  /* stored vectors that could not be read (skipped) */
    int replayed_from;   /* 1: only articles from `from` on were replayed */
    char from[11];       /* "YYYY-MM-DD" */
} StoriesStats;

/* o may be NULL (defaults). */
rasd_err stories_assign(Store *st, const AssignOpts *o, StoriesStats *stats, rasd_error *err);

#endif
