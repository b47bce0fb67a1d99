/*
 * walk.h — the inputs of an ingest: paths expanded (folders recursively, in
 * sorted order), manifests loaded, one file read into a Batch of Articles.
 * Readers only: nothing here touches the store (src/engine/ does).
 */
#ifndef RASD_INGEST_WALK_H
#define RASD_INGEST_WALK_H

#include <stddef.h>

#include "rasd.h"
#include "ingest/ingest.h"

typedef struct ManifestEntry ManifestEntry;

typedef struct InputSet {
    ManifestEntry *man;  /* manifest entries (all manifests seen; later ones win) */
    size_t nman, capman;
    char **files;        /* expanded input paths, in reading order; owned */
    size_t nfiles, capfiles;
    size_t failed;       /* folders that could not be listed */
    /* Problems and notes for the user, one sentence naming the path. */
    void (*on_message)(void *ctx, const char *msg);
    void *ctx;           /* passed to on_message */
} InputSet;

/* Loads a JSON Lines manifest {file, published, outlet, url}; bad lines are reported. */
rasd_err input_set_add_manifest(InputSet *s, const char *path, rasd_error *err);
/* Adds a file, "-" (stdin) or a folder (walked; its manifest.jsonl is loaded). */
rasd_err input_set_add_path(InputSet *s, const char *path, rasd_error *err);
/* Fills what a's reader left empty from the manifest entry of path, then date/outlet. */
void input_set_fill(const InputSet *s, Article *a, const char *path, const char *date,
                    const char *outlet);
void input_set_free(InputSet *s);

/* Replaces a metadata field that is not valid UTF-8 by its cleaned copy. */
void article_clean_field(char **f);

/* Reads and parses one input into a batch, no store: the "analyze" map stage.
   max_bytes 0: 64 MiB. */
rasd_err ingest_read_file(const char *path, size_t max_bytes, Batch *out, rasd_error *err);

#endif
