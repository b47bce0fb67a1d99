/*
 * fingerprint.h — compact signatures of an article's text: the exact
 * identity hash (same normalised body, same hash) and a MinHash signature
 * over word shingles with LSH band keys, for finding near-copies (wire
 * rewrites with a new headline or a trimmed paragraph) without comparing
 * every pair.
 */
#ifndef RASD_FINGERPRINT_H
#define RASD_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"

#define FP_MINHASH 128 /* signature length */
#define FP_BANDS 32    /* LSH bands of FP_ROWS values: pairs above ~0.45 Jaccard meet */
#define FP_ROWS 4
#define FP_SHINGLE 5   /* words per shingle */

/* XXH3-64 of the token keys joined by spaces; 16 hex digits into hex[17]. */
uint64_t fp_identity(const rasd_doc *d, char hex[17]);
/* MinHash of the doc's word shingles; returns the number of shingles (0: empty text). */
size_t fp_minhash(const rasd_doc *d, uint32_t sig[FP_MINHASH]);
/* One key per band; band index is mixed in so bands never collide with each other. */
void fp_lsh_keys(const uint32_t sig[FP_MINHASH], uint64_t keys[FP_BANDS]);
/* Estimated Jaccard similarity: share of equal signature positions. */
double fp_similarity(const uint32_t *a, const uint32_t *b, size_t n);
/* Hashes of the doc's distinct shingles (for exact Jaccard in evaluation); malloc'd, sorted. */
uint64_t *fp_shingles(const rasd_doc *d, size_t *n);

#endif
