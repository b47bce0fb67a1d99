/*
 * similarity.h — how likely two articles report the same event, from 0 to
 * 1, with the components that make it up: stem TF-IDF cosine, headline
 * cosine, entity-key cosine, the cross cosine of each headline with the
 * other's text, a near-copy estimate, the numbers both give, the days both
 * texts name, the places, the headlines' event words, and the time gap. A logistic model
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
    SIM_WHEN,   /* the days both texts name agree: 1 one is shared, 0 both name days and
                   none is shared, 0.5 when either names none (sim_when) */
    SIM_PLACE,  /* cosine of the place keys */
    SIM_WHAT,   /* cosine of the headlines' words outside names (what happened) */
    SIM_NFEAT
};

typedef struct SimParts {
    double f[SIM_NFEAT]; /* component values, each 0..1 */
    int gap;             /* |day difference|, or -1 when a date is unknown */
    int tmpl;            /* the routine shape both headlines have (sim_template), 0 none */
    int conflict;        /* SIM_SLOT_NAME / SIM_SLOT_DAY: the shape's slot disagrees;
                            SIM_SLOT_ORD: the headlines' ordinals do; the score is 0
                            whatever the components say */
    int signature;       /* the event's signature is shared: the same actors and places
                            (entity keys, SIM_SIG_ENTS) and the same subject (stems,
                            SIM_SIG_TERMS); such a pair is far likelier one event than its
                            components alone say, and stays so over a week */
    double content;      /* the model's probability from the components */
    double time;         /* factor from the gap, 0..1 */
    double score;        /* content × time */
} SimParts;

typedef struct SimModel {
    double bias;
    double w[SIM_NFEAT];
    double event_threshold;  /* score at which an article joins an event */
} SimModel;

/*
 * Routine shapes (data/lexicon/templates.txt): congratulation cables, press
 * roundups, market closes, weather, prayer times. Two items of one shape
 * are one event only when the shape's slot agrees: the name (the
 * headline's words outside the shape share one) and/or the day (at most
 * one apart, and one apart only with shared figures or copied text and
 * not when both texts name their days; a
 * report's day is the day its text names, else its publication day:
 * sim_slot_of).
 */
enum { SIM_SLOT_NAME = 1, SIM_SLOT_DAY = 2, SIM_SLOT_ORD = 4 };
/* Both headlines count (the second, the third ...) and share no ordinal: a
   pair's conflict (SIM_SLOT_ORD) unless one copies the other's text. */
int sim_ordinals_disagree(const StoryVec *a, const StoryVec *b);
/* The ordinals of v's headline as a mask (bit r: the (r+1)th), 0 for none. */
uint32_t sim_ordinals(const StoryVec *v);
/* The shape of a headline (its weighted or raw stem list): 1.. or 0 for none. */
int sim_template(const SvTerm *title, size_t n);
const char *sim_template_name(int t); /* "greeting", ... ; "" for 0 */
/* Which slot of a and b's common shape disagrees (SIM_SLOT_*), 0 if none
   or no common shape; nums and near as in SimParts, gap in days or -1. */
int sim_slot_conflict(const StoryVec *a, const StoryVec *b, double nums, double near, int gap);
/*
 * The slot of one article, kept for comparing whole events (cluster.c):
 * its shape, up to SIM_SLOT_MAX headline stems outside the shape and its day
 * (for a day-slot shape the day its text tells: the publication day when
 * named, else the latest named day of the six before, else the day after
 * when named, else the publication day).
 */
#define SIM_SLOT_MAX 8
typedef struct SimSlot {
    uint8_t tmpl, n;
    uint8_t occ;         /* its text names an occasion word of the shape (templates.txt
                            "occasion"): two such items' names need not agree */
    uint8_t told;        /* a day-slot shape's day is one its text names (not only the
                            publication day): two such items a day apart are two days' */
    uint64_t id[SIM_SLOT_MAX];
    int32_t day;
} SimSlot;
void sim_slot_of(const StoryVec *v, SimSlot *s);
/* The same test on two kept slots (no figures: a day apart passes unless both
   slots' days are named by their texts). */
int sim_slots_disagree(const SimSlot *a, const SimSlot *b);
/* Whether s is of a shape whose slot is the day and day is more than one
   day from it: any item of that day, shaped or not, is another day's report. */
int sim_slot_other_day(const SimSlot *s, int32_t day);
/* Whether s is of a shape whose slot is the day (a market close, the weather): an
   event of that shape tells one day's report, so its own days span at most one. */
int sim_slot_by_day(const SimSlot *s);

#ifndef SIM_SIG_ENTS
#define SIM_SIG_ENTS 0.5   /* entity-key cosine of a shared signature */
#define SIM_SIG_TERMS 0.3  /* and stem cosine */
#endif
#define SIM_SIG_DAYS 7     /* days over which a shared signature keeps its full weight */

/* The embedded model (models/similarity.txt); never NULL. */
const SimModel *sim_default(void);
/* Parses the model text format; 0 ok, -1 malformed. */
int sim_model_parse(SimModel *m, const char *text, size_t n);
void sim_model_format(const SimModel *m, Buf *out);
const char *sim_feature_name(int f);

/* SIM_WHEN of two sorted day lists (StoryVec.when, or an event's). */
double sim_when(const SvTerm *a, size_t na, const SvTerm *b, size_t nb);

/* Components of a and b, then the score under m. */
void sim_features(const StoryVec *a, const StoryVec *b, SimParts *out);
double sim_score(const SimModel *m, SimParts *p); /* fills content, time, score */
double sim_time_factor(int gap);

#endif
