/*
 * similarity.h — how likely two articles report the same event, from 0 to
 * 1, with the components that make it up: stem TF-IDF cosine, headline
 * cosine, entity-key cosine, the cross cosine of each headline with the
 * other's text, a near-copy estimate, the numbers both give, and the time
 * gap. A logistic model
 * (models/similarity.txt, trained by tools/train_similarity.c) combines the
 * content components; the time gap then scales the result (neither
 * training set tells how fast a story goes stale, so that part is set by
 * hand: see similarity.c).
 */
#ifndef RASD_STORY_SIMILARITY_H
#define RASD_STORY_SIMILARITY_H

#include "story/vector.h"

enum {
    SIM_TERMS,  /* cosine of the whole texts' stems */
    SIM_TITLE,  /* cosine of the headlines */
    SIM_ENTS,   /* cosine of the entity keys */
    SIM_CROSS,  /* each headline against the other's whole text (the larger) */
    SIM_NEAR,   /* MinHash near-copy estimate */
    SIM_NUMS,   /* cosine of the numbers */
    SIM_NFEAT
};

typedef struct SimParts {
    double f[SIM_NFEAT]; /* component values, each 0..1 */
    int gap;             /* |day difference|, or -1 when a date is unknown */
    double content;      /* the model's probability from the components */
    double time;         /* factor from the gap, 0..1 */
    double score;        /* content × time */
} SimParts;

typedef struct SimModel {
    double bias;
    double w[SIM_NFEAT];
    double event_threshold;  /* score at which an article joins an event */
} SimModel;

/* The embedded model (models/similarity.txt); never NULL. */
const SimModel *sim_default(void);
/* Parses the model text format; 0 ok, -1 malformed. */
int sim_model_parse(SimModel *m, const char *text, size_t n);
void sim_model_format(const SimModel *m, Buf *out);
const char *sim_feature_name(int f);

/* Components of a and b, then the score under m. */
void sim_features(const StoryVec *a, const StoryVec *b, SimParts *out);
double sim_score(const SimModel *m, SimParts *p); /* fills content, time, score */
double sim_time_factor(int gap);

#endif
