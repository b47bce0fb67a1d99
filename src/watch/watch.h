/*
 * watch.h — live monitoring: poll the sources that are due, read what is
 * new, store it through the engine (engine_ingest_batch, engine_assign) and
 * report what happened. The CLI (src/cli/cmd_watch.c) loops over
 * watch_poll; `--once` calls it once.
 */
#ifndef RASD_WATCH_H
#define RASD_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "engine/engine.h"
#include "watch/fetch.h"

typedef struct WatchOpts {
    FetchLimits lim;         /* per-request fences and politeness */
    int64_t min_interval;    /* shortest polling interval, seconds; 0 = 300 */
    int64_t max_interval;    /* longest polling interval and backoff, seconds; 0 = 21600 */
    size_t max_links;        /* article links followed per section page; 0 = 20 */
    size_t summary_below;    /* a feed body shorter than this (bytes) is a summary: the
                                article page is fetched; 0 = 1500 */
    int no_pages;            /* never fetch article pages (feeds' own text only) */
    int force;               /* poll every source now, due or not */
    const IngestOptions *io; /* engine options (messages), or NULL */
    const AssignOpts *ao;    /* story assignment options */
    /* One line for the user about one source ("URL: 3 new articles"), errors too. */
    void (*on_message)(void *ctx, int is_error, const char *msg);
    void *ctx;               /* passed to on_message */
} WatchOpts;

typedef struct WatchRound {
    size_t sources;          /* sources polled */
    size_t unchanged;        /* answered 304 Not Modified */
    size_t failed;           /* polls that failed (network, limits, HTTP, robots, format) */
    size_t items;            /* items in the feeds and section pages read */
    size_t fresh;            /* items not seen before */
    size_t pages;            /* article pages fetched */
    size_t pages_failed;     /* article pages that could not be fetched */
    size_t added;            /* new articles stored */
    size_t duplicates;       /* items already stored (same content) */
    size_t near_copies;      /* stored as a near-copy of an earlier article */
    int assigned;            /* stories were updated */
    double fetch_s;          /* wall time until the last answer (feeds and pages) */
    double store_s;          /* wall time storing through the engine (summed) */
    double assign_s;         /* wall time placing new articles into stories (summed) */
    double total_s;          /* the whole round, slowest source included */
    double latency_s;        /* from the round's start to the last engine_assign that
                                placed new articles (slow sources do not hold it back) */
    int64_t first_article;   /* row ids of the articles added: (first_article, last_article] */
    int64_t last_article;
} WatchRound;

typedef struct Watch Watch;

/* Opens the watcher on a store (creates the watch tables). */
rasd_err watch_open(Store *st, const WatchOpts *o, Watch **out, rasd_error *err);
void watch_close(Watch *w);
/* Polls the sources due at now (Unix seconds); a failing source is reported
   and rescheduled, never an error of the round. */
rasd_err watch_poll(Watch *w, int64_t now, WatchRound *r, rasd_error *err);

/* Scheduling (schedule.c): the next interval after a good poll that found
   fresh new items, and the wait after the errors-th failure in a row. */
int64_t schedule_interval(int64_t interval, size_t fresh, int64_t min_s, int64_t max_s);
int64_t schedule_backoff(int64_t errors, long retry_after, int64_t min_s, int64_t max_s);

#endif
