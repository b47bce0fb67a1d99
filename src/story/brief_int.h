/*
 * brief_int.h — what the brief's files share (brief.c: loading the story,
 * sources, summary, assembly and the stored results; brief_parts.c:
 * timeline, names, quotes; brief_refresh.c: the refresh stage).
 */
#ifndef RASD_STORY_BRIEF_INT_H
#define RASD_STORY_BRIEF_INT_H

#include <stdint.h>

#include "story/brief.h"
#include "annotate/annotate.h"

typedef struct BArt {
    int64_t id, copy_of, event;
    char *hash, *outlet, *title, *published, *agency, *url;
    char *name;          /* what a reader is shown: outlet, agency, site or title */
    int source;          /* independent source number (union-find root index) */
    Annotated an;        /* its stored annotations: body, names, quotes, dates, quantities */
    rasd_doc *doc;       /* an.doc */
    EntityList ents;     /* its names, keys and roles (moved out of an) */
    QuoteList quotes;    /* its quotations (moved out of an) */
    const char *r_id, *r_outlet, *r_name; /* hash, outlet, name copied into the result's arena */
} BArt;

typedef struct Ctx {
    Store *st;
    int64_t event;       /* only this event, or 0 */
    BArt *arts;
    size_t narts, cap;
    int64_t thread;
    char *headline, *first, *last;
    size_t total;        /* articles in the story (narts may be a sample of them) */
    int oom;
    rasd_brief *out;     /* the brief being built (views_brief_new) */
    Arena *ar;           /* where everything out points to is allocated */
} Ctx;

/* brief.c */
/* The distinct citation names of the articles flagged in mark (in c->ar). */
void brief_outlets(const Ctx *c, const uint8_t *mark, const char ***v, size_t *n);
const char *brief_art_text(const BArt *a);
rasd_err brief_story_list(Store *st, int64_t thread, int64_t event, Ctx *c, rasd_error *err);
int64_t brief_story_sig(const Ctx *c);
rasd_err brief_cache_get(Ctx *c, const char *kind, int64_t sig, Buf *out, int *found,
                         rasd_error *err);
void brief_story_free(Ctx *c);
/* brief_parts.c */
/* Each fills its part of c->out, allocating in c->ar. */
void brief_timeline(Ctx *c);
void brief_entities(Ctx *c);
void brief_quotes(Ctx *c);

#endif
