/*
 * compare_lex.h — the comparison's word lists (data/lexicon/compare-words.txt
 * and data/lexicon/antonyms.txt, embedded at build time), looked up by a
 * token's key without clitics. Private to src/story.
 */
#ifndef RASD_COMPARE_LEX_H
#define RASD_COMPARE_LEX_H

#include "rasd.h"

enum {
    CLX_LIGHT = 1 << 0, /* a swap of this word is not a discrepancy (قال / أكد) */
    CLX_NEG = 1 << 1,   /* negation or denial (لم، لا، ينفي، يرفض) */
    CLX_CREDIT = 1 << 2 /* heads a credit: وكالة، صحيفة (+ the next two words) */
};

/* Builds the tables once (thread-safe); 0 ok, -1 out of memory. */
int cmplex_init(void);
/* CLX_* bits of token t (0 for non-words or before a successful cmplex_init). */
int cmplex_flags(const rasd_token *t);
/* Synonym group of t (1, 2, ...), 0 if none: same group, same meaning. */
int cmplex_synonym(const rasd_token *t);
/* Antonym group of t (1, 2, ...) and its side (0 or 1) in *side; 0 if none. */
int cmplex_antonym(const rasd_token *t, int *side);

#endif
