/*
 * copies.h — near-copy originals chosen by the canonical order of store.h
 * (earliest published, then outlet, URL, title, hash), so the stored
 * relation is a function of the set of stored articles, whatever order they
 * arrived in and however many workers stored them.
 */
#ifndef RASD_ENGINE_COPIES_H
#define RASD_ENGINE_COPIES_H

#include <stdint.h>

#include "store/store.h"

/*
 * Links article id (signature sig, LSH keys keys of FP_BANDS) with the stored
 * articles at least thr similar: its original is, of those canonically
 * before it, the most similar (ties: the canonically first); and it becomes
 * the original of each one after it that it is more similar to than that
 * one's present original (ties again canonical). Call it when an article is
 * stored and again when its canonical copy changes (the relation only ever
 * needs the new article's neighbours: canonical keys only move earlier).
 * *is_copy: id now has an original. In the caller's transaction.
 */
rasd_err copies_link(Store *st, int64_t id, const uint32_t *sig, const uint64_t *keys,
                     double thr, int *is_copy, rasd_error *err);

#endif
