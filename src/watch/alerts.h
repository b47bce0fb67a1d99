/*
 * alerts.h — watch rules (`rasd alert add`) checked after each polling
 * round, and the story index they and the Atom feeds share.
 */
#ifndef RASD_WATCH_ALERTS_H
#define RASD_WATCH_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "store/store.h"

/* One stored article's place in the stories (store_each_story_article). */
typedef struct StoryRow {
    int64_t article;    /* row id */
    int64_t thread;     /* story number (thread id) */
    int64_t event;      /* event id */
    char *hash;         /* public id; owned */
    char *outlet;       /* owned, or NULL */
    char *title;        /* owned, or NULL */
    char *published;    /* owned, or NULL */
    char *headline;     /* the thread's headline; owned, or NULL */
} StoryRow;

typedef struct StoryIndex {
    StoryRow *v;        /* sorted by article row id */
    size_t n, cap;
} StoryIndex;

rasd_err story_index_load(Store *st, StoryIndex *ix, rasd_error *err);
const StoryRow *story_index_find(const StoryIndex *ix, int64_t article);
void story_index_free(StoryIndex *ix);
/* Distinct outlets of one thread. */
size_t story_index_outlets(const StoryIndex *ix, int64_t thread);
/* Articles of one thread. */
size_t story_index_articles(const StoryIndex *ix, int64_t thread);

typedef struct AlertOpts {
    const char *base_url;  /* brief links: BASE/stories/N/brief; NULL: a rasd command */
    const char *db_path;   /* named in the command link */
    /* Receives one alert as a JSON object (no newline). */
    void (*emit)(void *ctx, const char *json, size_t n);
    void *ctx;
} AlertOpts;

/* Checks every rule against the articles stored since it last looked and
   emits each alert once (the watch_alert_log remembers what was sent). */
rasd_err alerts_run(Store *st, int64_t now, const AlertOpts *o, size_t *sent, rasd_error *err);

/* A stored mention names key (names_key of the rule's name): by its stored
   key or by the key of its text. */
int alerts_mention_is(const StoredMention *m, const char *key);

/* Appends the brief link of story to b. */
void alerts_brief_link(Buf *b, const char *base_url, const char *db_path, int64_t story);

#endif
