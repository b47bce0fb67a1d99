/*
 * pipeline.h — ingest as a job: expands paths (folders recursively), reads
 * each file with the right reader, fills missing metadata from a manifest
 * or the caller, and stores every article once: exact duplicates are
 * recognised by the identity hash and near-copies are linked to the
 * article they copy. One transaction per file: a file that fails is
 * reported and skipped, a crash loses at most the file being stored.
 */
#ifndef RASD_PIPELINE_H
#define RASD_PIPELINE_H

#include <stddef.h>

#include "rasd.h"
#include "ingest.h"
#include "store/store.h"

typedef struct IngestStats {
    size_t files;        /* input files seen */
    size_t files_failed; /* files that could not be read at all */
    size_t articles;     /* articles the readers produced */
    size_t added;        /* new articles stored */
    size_t duplicates;   /* already stored (same identity hash) */
    size_t near_copies;  /* stored, linked as a copy of an earlier article */
    size_t split_off;    /* appended articles split from their page */
    size_t item_errors;  /* items skipped inside otherwise readable files */
} IngestStats;

typedef struct IngestOptions {
    size_t max_bytes;       /* larger files are refused; 0 = 64 MiB */
    const char *date;       /* published date for articles lacking one, or NULL */
    const char *outlet;     /* outlet for articles lacking one, or NULL */
    const char *manifest;   /* JSON Lines {file, published, outlet, url}, or NULL */
    double copy_threshold;  /* estimated Jaccard for a near-copy; 0 = 0.6 */
    int no_entities;        /* do not tag and store named-entity mentions */
    /* Problems and notes for the user, one sentence naming file and line. */
    void (*on_message)(void *ctx, const char *msg);
    /* Called before each file: done files of total. */
    void (*on_progress)(void *ctx, size_t done, size_t total, const char *path);
    void *ctx;              /* passed to the callbacks */
} IngestOptions;

/*
 * Ingests every path (file, folder or "-" for stdin) into the store.
 * Returns RASD_OK when the job ran, even if some files failed (see stats);
 * an error only when it could not run at all (bad manifest, store failure).
 */
rasd_err ingest_run(Store *st, const IngestOptions *opt, char *const *paths, size_t npaths,
                    IngestStats *stats, rasd_error *err);

/* Reads and parses one input into a batch, no store: the "analyze" map stage. */
rasd_err ingest_read_file(const char *path, size_t max_bytes, Batch *out, rasd_error *err);

#endif
