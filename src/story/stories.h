/*
 * stories.h — the stateful `assign` stage over a store: replays every
 * stored story vector in publication order through the assigner
 * (cluster.h) and replaces the stored events and threads with the result,
 * in one transaction.
 */
#ifndef RASD_STORY_STORIES_H
#define RASD_STORY_STORIES_H

#include "store/store.h"
#include "story/cluster.h"

typedef struct StoriesStats {
    size_t articles;     /* articles assigned */
    size_t events;       /* events, and of them */
    size_t multi;        /* events with 2+ articles */
    size_t threads;
    size_t bad_vectors;  /* stored vectors that could not be read (skipped) */
} StoriesStats;

/* o may be NULL (defaults). */
rasd_err stories_assign(Store *st, const AssignOpts *o, StoriesStats *stats, rasd_error *err);

#endif
