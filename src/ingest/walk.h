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
typedef struct WalkSeen WalkSeen;

typedef struct InputSet {
    ManifestEntry *man;  /* manifest entries (all manifests seen; later ones win) */
    size_t nman, capman;
    char **files;        /* expanded input paths, in reading order; owned */
    size_t nfiles, capfiles;
    size_t failed;       /* folders that could not be listed */
    WalkSeen *seen;      /* real files and folders met (device+inode), so each is
                            read once and symbolic link loops end; owned */
    size_t nseen, capseen;
    /* Problems and notes for the user, one sentence naming the path. */
    void (*on_message)(void *ctx, const char *msg);
    void *ctx;           /* passed to on_message */
} InputSet;

/* Loads a JSON Lines manifest {file, published, outlet, url}; bad lines are reported. */
rasd_err input_set_add_manifest(InputSet *s, const char *path, rasd_error *err);
/* The same from bytes in memory (name names it in messages): the manifest
   parser alone, for tests and fuzzing. A `published` that is not a date
   (ingest_valid_date) is reported and ignored. */
rasd_err input_set_add_manifest_bytes(InputSet *s, const char *bytes, size_t n,
                                      const char *name, rasd_error *err);
/* Adds a file, "-" (stdin) or a folder (walked; its manifest.jsonl is loaded). */
rasd_err input_set_add_path(InputSet *s, const char *path, rasd_error *err);
/* Fills what a's reader left empty from the manifest entry of path, then date/outlet. */
void input_set_fill(const InputSet *s, Article *a, const char *path, const char *date,
                    const char *outlet);
void input_set_free(InputSet *s);

/* Replaces a metadata field that is not valid UTF-8 by its cleaned copy. */
void article_clean_field(char **f);

/* Reads and parses one input into a batch, no store: the "analyze" map stage.
   max_bytes 0: 64 MiB. "-" is stdin (named "stdin" in messages). Never
   blocks on open; refuses devices and sockets. A zip/gzip/tar archive
   yields all its members' articles in this one batch (origins
   "archive.zip:member..."). Every `published` passes ingest_valid_date. */
rasd_err ingest_read_file(const char *path, size_t max_bytes, Batch *out, rasd_error *err);

/* Called once per Batch by ingest_read_each: name is the member
   ("a.zip:day1.json") or the path; e/err say why that member could not be
   read (e != RASD_OK: b holds only item errors, if any). The callee may
   keep b's contents by moving them out; rasd frees b after fn returns.
   Returning non-zero stops the walk (ingest_read_each then returns
   RASD_OK having reported nothing more). */
typedef int (*IngestEachFn)(void *ctx, const char *name, Batch *b, rasd_err e,
                            const rasd_error *err);
/* Like ingest_read_file, but an archive gives one Batch per member (fn per
   member) instead of one for all; other files give exactly one fn call.
   Returns an error only when the file itself cannot be read (then fn is
   not called) or out of memory. */
rasd_err ingest_read_each(const char *path, size_t max_bytes, IngestEachFn fn, void *ctx,
                          rasd_error *err);

/* The bytes of one input (already in memory) to articles: decoded to
   UTF-8, the reader chosen by content, dates checked. name names it in
   messages and origins. */
rasd_err ingest_read_bytes(const char *bytes, size_t n, const char *name, Batch *out,
                           rasd_error *err);

/* archive.c: does this look like a zip, gzip, tar, 7z or xz/bzip2 file (by magic)? */
int ingest_is_archive(const char *bytes, size_t n);
/* Reads each member of the archive in bytes (named name) through
   ingest_read_bytes and hands its Batch to fn, member named
   "name:member". Each member is limited to max_member bytes, the whole to
   a total and a ratio (zip bombs): a member over a limit is reported
   through fn, and past the total the rest is not read. Returns an error
   only when the archive cannot be opened at all or out of memory. */
rasd_err ingest_archive_each(const char *bytes, size_t n, const char *name, size_t max_member,
                             IngestEachFn fn, void *ctx, rasd_error *err);

#endif
