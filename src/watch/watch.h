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

/* What one round did: the public struct (include/rasd.h), field for field. */
typedef rasd_watch_round WatchRound;

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
