/*
 * stories.h — the stateful `assign` stage over a store: replays every
 * stored story vector in canonical order through the assigner (cluster.h)
 * and writes the events and threads that changed, in one transaction. The
 * result is a function of the set of stored articles (stories.c).
 */
#ifndef RASD_STORY_STORIES_H
#define RASD_STORY_STORIES_H

#include "store/store.h"
#include "story/cluster.h"

typedef struct StoriesStats {
    size_t articles;     /* articles replayed */
    size_t added;        /* of them, articles that had no event yet */
    size_t events;       /* events, and of them */
    size_t multi;        /* events with 2+ articles */
    size_t threads;
    size_t bad_vectors;  /* stored vectors that could not be read (skipped) */
    int from_checkpoint; /* the days before the newest grouped one came from the checkpoint */
    size_t restored;     /* articles restored from it rather than placed again */
} StoriesStats;

/* o may be NULL (defaults). */
rasd_err stories_assign(Store *st, const AssignOpts *o, StoriesStats *stats, rasd_error *err);

#endif
