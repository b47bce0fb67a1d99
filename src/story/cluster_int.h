/*
 * cluster_int.h — what cluster.c (events) and threads.c (threads) share:
 * the assigner's state and the helpers both use. Private to src/story.
 */
#ifndef RASD_STORY_CLUSTER_INT_H
#define RASD_STORY_CLUSTER_INT_H

#include <stdlib.h>
#include <string.h>

#include "story/cluster.h"

#define ACC_MAX 600    /* profile entries before pruning to half */
#define TH_TERMS 48      /* a thread profile's strongest stems */
#define TH_ENTS 24       /* and entity keys */
#define THREAD_WALK 40   /* newest threads read per entity key */
#define THREAD_EVAL 12   /* candidate threads scored per closing event */


/* memcpy and qsort without the undefined NULL-with-zero-length case */
#define COPY(d, s, n) do { if (n) memcpy((d), (s), (n) * sizeof *(d)); } while (0)
#define SORT(p, n, cmp) do { if ((n) > 1) qsort((p), (n), sizeof *(p), (cmp)); } while (0)

/* A growable weighted term list kept sorted by id (a profile). */
typedef struct Acc {
    SvTerm *t;
    uint32_t n, cap;
} Acc;

typedef struct Event {
    uint32_t parent;     /* union-find parent (itself when a root) */
    uint32_t open;       /* its articles still in the window */
    uint32_t n;          /* articles */
    int32_t first, last; /* days */
    uint32_t thread;     /* UINT32_MAX until closed */
    Acc terms, ents;     /* profile: summed weighted vectors of its articles, freed when closed */
    Acc title, nums;     /* the same for headlines and numbers */
    Acc when, what, places; /* and for the days named, headline event words, places */
    float norm[6];       /* L2 norms of terms, title, ents, nums, what, places (valid
                            unless dirty) */
    uint8_t dirty;       /* the profile changed since the norms were taken */
    uint32_t mark;       /* consolidation: the event last compared with it */
    uint64_t key;        /* smallest content hash of its articles: the canonical order in
                            which events that close together join threads */
    SimSlot slot;        /* routine shape and slot of its first article that has one
                            (similarity.h): an article or event of that shape whose slot
                            disagrees never joins it */
    uint16_t ord;        /* ordinals of its first headline that counts (sim_ordinals): an
                            article or event counting others (the third plane, the second
                            plane) never joins it */
} Event;

typedef struct Thread {
    int32_t last;        /* day of its newest event */
    uint32_t nevents;
    SvTerm *prof;        /* nt stems then ne entity keys, each part normalised and
                            sorted by id; NULL for a thread no event can join */
    uint8_t nt, ne;
    uint32_t seen;       /* close_gen of the last event that compared with it */
    uint32_t slot;       /* its place in that event's candidate list */
} Thread;

typedef struct Posting {
    uint32_t *v;         /* article numbers, ascending */
    uint32_t n, cap, lo; /* entries [lo, n) may still be in the window */
} Posting;

typedef struct Slot {
    StoryVec v;          /* the article's vector (owned) */
    uint32_t art;        /* its number in order of arrival */
    uint32_t event;      /* event at the time it was added (resolve with find) */
    int32_t day;         /* day used for the window */
} Slot;

/* An article waiting for its day to be complete. */
typedef struct Pending {
    StoryVec v;
    uint32_t art;        /* arrival number */
    int32_t day;
    uint64_t key;        /* content hash: the canonical order within a day */
    uint64_t ident;      /* the article's identity (assign_add_id), else its arrival
                            number: the last tie-break of that order */
} Pending;

/* An event waiting to close, with its sort key (close_pending). */
typedef struct CloseKey {
    int32_t last;        /* day of its newest article */
    uint64_t key;        /* Event.key */
    uint32_t ev;
} CloseKey;

struct Assigner {
    AssignOpts o;
    SimModel m;
    /* every article ever added */
    uint32_t *art_event; /* event of each article (resolve with find) */
    float *art_score;    /* score that brought it into its event (0: it opened one) */
    uint32_t *art_near;  /* an opener's best other event (UINT32_MAX: none) */
    float *art_near_score; /* and that score */
    size_t nart, cap_art;
    /* the day being collected (articles wait here until a later day arrives) */
    Pending *pend;
    size_t npend, cap_pend;
    int32_t pend_day;
    size_t nproc;        /* articles placed so far (numbers in processing order) */
    /* the window: articles [win_lo, nproc) (processing order) live in ring[i & (rcap - 1)] */
    Slot *ring;
    size_t rcap, win_lo;
    int32_t newest;      /* newest day seen */
    int32_t swept;       /* day of the last sweep */
    IdMap index;         /* term/entity id -> posting number + 1 */
    Posting *post;
    size_t npost, cap_post;
    uint32_t *stamp, *hits; /* per ring slot: candidate counting */
    uint32_t gen;
    /* events and threads */
    Event *ev;
    size_t nev, cap_ev;
    Thread *th;
    size_t nth, cap_th;
    IdMap tindex;        /* entity id -> thread posting + 1 */
    Posting *tpost;
    size_t ntpost, cap_tpost;
    size_t scored;       /* pair scores computed (work counter) */
    uint32_t close_gen;  /* events closed so far (marks threads already compared) */
    CloseKey *closing;   /* events left empty by one expiry, closed in canonical order */
    size_t ncl, cap_cl;
    int oom;
};

int cl_grow(void **p, size_t *cap, size_t need, size_t size); /* 0, or -1 on OOM */
void cl_acc_free(Acc *c);
int cl_acc_add(Acc *c, const SvTerm *t, size_t n);
size_t cl_acc_top(const Acc *c, size_t max, SvTerm *out);
void cl_event_free_profile(Event *e);
/* The posting list of id (NULL if absent and !create, or on OOM: a->oom set). */
Posting *cl_posting(Assigner *a, IdMap *map, Posting **arr, size_t *n, size_t *cap,
                    uint64_t id, int create);
void cl_posting_push(Assigner *a, Posting *p, uint32_t x);
size_t cl_strongest(const SvTerm *t, size_t n, size_t k, SvTerm *out);
/* threads.c: an event left empty waits here; cl_close_pending links the waiting
   events to threads in canonical order */
void cl_to_close(Assigner *a, uint32_t e);
void cl_close_pending(Assigner *a);

#endif
