/*
 * engine.h — the one place that knows the order of rasd's stages:
 * read (src/ingest/) → annotate (src/annotate/annotate.h) → store
 * (src/store/) → assign stories (src/story/stories.h) → refresh what the
 * views read. `rasd ingest`, `POST /api/articles` and `rasd watch` all call
 * it; none of them repeats the sequence.
 *
 * One transaction per input file (or per batch given by a caller): a crash
 * loses at most that file, and a re-run completes it. Story assignment is
 * resumable: the store knows which articles have no event yet, and any later
 * run places them.
 */
#ifndef RASD_ENGINE_H
#define RASD_ENGINE_H

#include <stddef.h>

#include "rasd.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "story/stories.h"

typedef struct IngestStats {
    size_t files;        /* input files seen */
    size_t files_failed; /* files that could not be read at all */
    size_t articles;     /* articles the readers produced */
    size_t added;        /* new articles stored */
    size_t duplicates;   /* already stored (same identity hash) */
    size_t near_copies;  /* stored, linked as a copy of an earlier article */
    size_t split_off;    /* appended articles split from their page */
    size_t item_errors;  /* items that could not be read inside otherwise readable files */
    size_t skipped;      /* items with no text at all (cartoons, empty items): not failures */
    size_t sightings;    /* duplicates that came from another outlet or URL */
    int64_t first_new;   /* row id of the first article this run stored (later ones
                            are larger), 0 if none: engine_refresh_from's argument */
    size_t bytes;        /* input bytes read */
    double read_s;       /* wall seconds reading and parsing files */
    double annotate_s;   /* wall seconds annotating (on every core) */
    double store_s;      /* wall seconds writing rows and committing */
    double read_cpu, annotate_cpu, store_cpu; /* the same stages in CPU seconds (every
                            thread of the process, user + system) */
} IngestStats;

typedef struct IngestOptions {
    size_t max_bytes;       /* larger files are refused; 0 = 64 MiB */
    const char *date;       /* published date for articles lacking one, or NULL */
    const char *outlet;     /* outlet for articles lacking one, or NULL */
    const char *manifest;   /* JSON Lines {file, published, outlet, url}, or NULL */
    double copy_threshold;  /* estimated Jaccard for a near-copy; 0 = 0.6 */
    int no_entities;        /* do not tag and store named-entity mentions */
    int jobs;               /* annotation threads; 0 = all cores */
    /* Problems and notes for the user, one sentence naming file and line. */
    void (*on_message)(void *ctx, const char *msg);
    /* Called before each file: done files of total. */
    void (*on_progress)(void *ctx, size_t done, size_t total, const char *path);
    /* Called as each stage of a file starts: "read", "annotate" (per chunk of
       articles), "store"; where names the file. May be NULL. */
    void (*on_stage)(void *ctx, const char *stage, const char *where);
    void *ctx;              /* passed to the callbacks */
    /* Set (e.g. by a signal handler) to stop after the file being stored:
       what was committed stays, nothing is half-stored. May be NULL. */
    volatile int *cancel;
} IngestOptions;

/*
 * Ingests every path (file, folder or "-" for stdin) into the store.
 * Returns RASD_OK when the job ran, even if some files failed (see stats);
 * an error only when it could not run at all (bad manifest, store failure).
 */
/* CPU seconds used so far by every thread of the process (user + system):
   the stage figures of IngestStats and rasd ingest --times. */
double engine_cpu_s(void);

rasd_err engine_ingest_paths(Store *st, const IngestOptions *opt, char *const *paths,
                             size_t npaths, IngestStats *stats, rasd_error *err);

/*
 * Stores the articles of one batch a caller read itself (an HTTP POST, a
 * fetched feed) in one transaction; origin names it in messages. Item
 * errors already in the batch are counted, not stored.
 */
rasd_err engine_ingest_batch(Store *st, const IngestOptions *opt, Batch *b, const char *origin,
                             IngestStats *stats, rasd_error *err);

/*
 * Places every article that has no event yet (resumable: a run that was
 * killed during grouping is completed here) and refreshes what the views
 * read. *ran is 0 when nothing was waiting.
 */
rasd_err engine_assign(Store *st, const AssignOpts *o, StoriesStats *stats, int *ran,
                       rasd_error *err);

/* Annotates and stores the articles that have no stored annotations, or
   annotations in an older format (kept by an older rasd), or a story vector
   in an older format (RSV2): both are rewritten; *done gets how many. Their
   mentions, the entity summary and the stories are left as they are (a
   regroup, `rasd stories --rebuild`, puts the new vectors to use). */
rasd_err engine_reannotate(Store *st, const IngestOptions *opt, size_t *done, rasd_error *err);

/*
 * The refresh stage: stores the brief and conflicts of every story whose
 * membership changed since they were last built (story/brief.h), so that
 * views only read. progress (may be NULL) gets stories done of total.
 */
rasd_err engine_refresh(Store *st, void (*progress)(void *ctx, size_t done, size_t total),
                        void *ctx, size_t *refreshed, rasd_error *err);
/* 1 when a grouping committed stories whose stored briefs a full refresh
   (engine_refresh, engine_refresh_jobs) has not finished rebuilding since —
   a run killed or stopped in the refresh stage: the next run completes it. */
int engine_refresh_pending(Store *st);
/* Hands the memory freed by a stage back to the system (glibc keeps it in
   its per-thread arenas otherwise, and one process's stages then peak on
   top of each other: 15 days peaked at 359 MB against 224 / 235 MB for the
   ingest and the grouping alone). Each stage that held much memory (a run
   of PREPARE_CHUNK articles or more, a grouping, a refresh) calls it as it
   ends, so every caller (rasd ingest, watch, a POST) gets it. */
void engine_release_memory(void);
/* Threads a stage runs on: opt->jobs, or every core (at most 64). */
int engine_jobs_wanted(const IngestOptions *opt);
/* The same on jobs threads (0: every core), each with its own connection to
   an SQLite store (others: one thread); *refreshed counts the stories
   checked, rebuilt or found current. The stored briefs do not depend on jobs. */
rasd_err engine_refresh_jobs(Store *st, int jobs,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err);

/*
 * What the groupings since the last finished refresh owe (rasd ingest's
 * refresh stage): the stories whose membership they changed (the store
 * records them, store_track_stories), on jobs threads as
 * engine_refresh_jobs; every story when a grouping could not record them
 * (an older rasd, a store that cannot); nothing when no refresh is owed.
 * The stored briefs are those a full refresh would leave.
 */
rasd_err engine_refresh_changed(Store *st, int jobs,
                                void (*progress)(void *ctx, size_t done, size_t total),
                                void *ctx, size_t *refreshed, rasd_error *err);

/*
 * The same for the stories that hold an article with row id >= first (the
 * run's IngestStats.first_new) or published on or after since (the window
 * story assignment replayed, StoriesStats.from; NULL: none) instead of a
 * scan of every story: what a POST of a few articles or a daily ingest
 * touched. A story that lost all its articles in the window to a regrouping
 * keeps its stale brief, which views rebuild when read. Stores that cannot
 * list them (PostgreSQL) refresh every story.
 */
rasd_err engine_refresh_from(Store *st, int64_t first, const char *since,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err);

#endif
