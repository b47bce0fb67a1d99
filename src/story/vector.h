/*
 * vector.h — what story grouping knows about one article: sparse TF-IDF
 * vectors over stems (whole text and headline), an entity-key vector and
 * the publication day. Built once per article (at ingest or in a
 * benchmark), compared many times (similarity.h), so comparison is a merge
 * of two sorted arrays and never touches the text again.
 */
#ifndef RASD_STORY_VECTOR_H
#define RASD_STORY_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "annotate/analyze.h"
#include "util/util.h"

#define SV_RAW_TERMS 192 /* stems a raw vector keeps (by tf × prior idf); all are weighted */
#define SV_MAX_TITLE 24  /* headline stems kept */
#define SV_MAX_ENTS 32   /* entity keys kept */
#define SV_MAX_NUMS 24   /* numbers kept */
#define SV_MAX_WHEN 16   /* days named in the text kept */
#define SV_MAX_PLACES 16 /* place keys kept */
#define SV_NO_DAY INT32_MIN

typedef struct SvTerm {
    uint64_t id;         /* XXH3 of the stem (of 0x01 + entity key, of 0x02 + number) */
    float w;             /* raw: count (entity counts scaled by type); weighted:
                            TF-IDF, each vector L2-normalised */
} SvTerm;

typedef struct StoryVec {
    SvTerm *terms;       /* stems of headline + body, sorted by id; owned */
    SvTerm *title;       /* headline stems (the lead's first words when no headline), sorted by id */
    SvTerm *ents;        /* entity keys weighted by type and rarity, sorted by id */
    SvTerm *nums;        /* numbers written in the body, sorted by id */
    SvTerm *when;        /* the days the text names (the dates annotator's single-day
                            values, datelines left out): id sv_when_id(day), raw w the
                            times named, weighted w 1; sorted by id */
    SvTerm *what;        /* the headline stems outside every name of the body (what
                            happened: انفجار، يستقبل، اتفاق), weighted like title */
    SvTerm *places;      /* the place keys of the body (ids as in ents), weighted by rarity */
    uint16_t nterms, ntitle, nents, nnums;
    uint16_t nwhen, nwhat, nplaces;
    int32_t day;         /* publication day (days since 1970-01-01), SV_NO_DAY if unknown */
    uint32_t sig[32];    /* first 32 MinHash values of the body (near-copy estimate) */
    uint8_t has_sig;     /* sig is valid */
    uint8_t tmpl;        /* derived by sv_weigh, not stored: the routine shape its headline
                            has (similarity.h sim_template), 0 for none */
} StoryVec;

/*
 * Document frequencies for IDF: an embedded prior (data/lexicon/idf.txt,
 * counted on openly licensed Arabic news text) plus every article added
 * with sv_df_add, so weights adapt to the archive being grouped.
 * Not thread-safe: one per assigner.
 */
typedef struct SvDf SvDf;
SvDf *sv_df_new(void);                 /* NULL on out of memory */
void sv_df_free(SvDf *df);
void sv_df_add(SvDf *df, const StoryVec *v); /* counts v's distinct terms and keys once */
double sv_df_idf(const SvDf *df, uint64_t id);
/* Counts as the store keeps them (stories.c): set one id's count, the
   number of articles, and walk every (id, count); sv_df_each stops when fn
   returns non-zero and then returns 1. Ids are as sv_df_add counted them
   (an id of 0 reads back as 1). */
int sv_df_set(SvDf *df, uint64_t id, uint32_t count);
void sv_df_set_docs(SvDf *df, uint32_t n);
uint32_t sv_df_docs(const SvDf *df);
int sv_df_each(const SvDf *df, int (*fn)(void *ctx, uint64_t id, uint32_t count), void *ctx);

/*
 * An outlet's own words (its name, its boilerplate lines: "رابط الخبر
 * بصحيفة الوئام", "للتواصل ارسل ... بالرمز"), learnt from the archive: per
 * outlet, the stems and entity keys of its articles are counted (lossy
 * counting: an id is kept while it is in at least 1/SV_OUT_W of the
 * outlet's articles since it was first counted, pruned at day ends, so
 * the counts do not grow with the archive); an id is the outlet's own when
 * it is in at least SV_OUT_SHARE of them and SV_OUT_RATIO times more often
 * than in other outlets' articles. sv_weigh_outlet leaves such ids out of
 * the outlet's vectors: they say who published, not what happened.
 * Counting a day's articles before weighing any of them, and pruning only
 * at day ends (sv_df_day_end), keeps the result independent of the order
 * within a day. outlet: a hash of the outlet's name, 0 for none (nothing
 * is counted or left out).
 */
int sv_df_add_outlet(SvDf *df, const StoryVec *v, uint64_t outlet); /* 0, -1 on OOM */
int sv_df_day_end(SvDf *df);                                       /* 0, -1 on OOM */
int sv_df_own(const SvDf *df, uint64_t outlet, uint64_t id);        /* 1: an own id */
/* The outlet counts as the checkpoint keeps them: each outlet's (outlet,
   docs, bucket, entries) then its entries' (id, count, delta). sv_df_each_outlet
   stops when a callback returns non-zero and then returns 1. */
typedef struct SvOutletEach {
    int (*outlet)(void *ctx, uint64_t outlet, uint32_t docs, uint32_t bucket, uint32_t n);
    int (*entry)(void *ctx, uint64_t id, uint32_t count, uint32_t delta);
    void *ctx;
} SvOutletEach;
int sv_df_each_outlet(const SvDf *df, const SvOutletEach *each);
/* Restores one outlet, then its entries; -1 on OOM or a repeated id. */
int sv_df_set_outlet(SvDf *df, uint64_t outlet, uint32_t docs, uint32_t bucket);
int sv_df_set_outlet_entry(SvDf *df, uint64_t outlet, uint64_t id, uint32_t count, uint32_t delta);

/* The vector's lists in a fixed order (terms, title, ents, nums, when, what,
   places) with their counts: what encoding, copying and freeing walk. */
#define SV_NLISTS 7
void sv_lists(StoryVec *v, SvTerm **lists[SV_NLISTS], uint16_t *counts[SV_NLISTS]);
/* The id a day has in StoryVec.when. */
#define sv_when_id(day) ((uint64_t)3 << 56 | (uint32_t)(day))

struct DateSpan;
/*
 * Builds the raw vector of an analysed body (and optional analysed
 * headline) with the body's entities (may be NULL): term counts, which
 * is what the store keeps, so that weights can follow the archive's own
 * document frequencies at assignment time. published: "YYYY-MM-DD..." or
 * NULL. Free with sv_free.
 */
rasd_err sv_build(StoryVec *v, const rasd_doc *body, const rasd_doc *title,
                  const EntityList *ents, const char *published, rasd_error *err);
/* sv_build finds the body's dates itself (annotate/dates.h, as annotation
   does). sv_build_sig takes what annotation already has: the body's date
   spans (dates_find of body and published; ndates may be 0) and its
   MinHash signature (FP_MINHASH values) or NULL. */
rasd_err sv_build_sig(StoryVec *v, const rasd_doc *body, const rasd_doc *title,
                      const EntityList *ents, const struct DateSpan *dates, size_t ndates,
                      const char *published, const uint32_t *sig, rasd_error *err);
/*
 * Turns a raw vector into the weighted one similarity.h compares, in
 * place: (1 + log tf) × idf under df (NULL: the prior alone), each list
 * L2-normalised. Returns 0, -1 on out of memory.
 */
int sv_weigh(StoryVec *v, const SvDf *df);
/* sv_weigh after leaving out the outlet's own ids (sv_df_own) from the
   stems, headline, entity keys, event words and places; outlet 0: sv_weigh. */
int sv_weigh_outlet(StoryVec *v, const SvDf *df, uint64_t outlet);
/* The id sv_df_add_outlet and sv_weigh_outlet know an outlet by (0 for none or ""). */
uint64_t sv_outlet_id(const char *outlet);
void sv_free(StoryVec *v);
/* A deep copy of src into dst; 0, or -1 on out of memory (dst zeroed). */
int sv_copy(StoryVec *dst, const StoryVec *src);
/* Days since 1970-01-01 of "YYYY-MM-DD...", or SV_NO_DAY. */
int32_t sv_day(const char *published);

/* Serialisation for the store: compact little-endian bytes. */
void sv_put_u32(Buf *b, uint32_t x);      /* appends x, little-endian (also cooc.c's encoding) */
uint32_t sv_get_u32(const unsigned char *p); /* reads 4 little-endian bytes */
void sv_encode(const StoryVec *v, Buf *out);
rasd_err sv_decode(StoryVec *v, const void *p, size_t n, rasd_error *err);

/* Cosine of two normalised sparse vectors (sorted by id). */
double sv_cosine(const SvTerm *a, size_t na, const SvTerm *b, size_t nb);

#endif
