/*
 * watch_store.h — the tables of `rasd watch` (created by the store's
 * migration 9; wstore_init checks the store can hold them): sources and
 * their polling state, the items seen per source, alert rules and the log
 * of alerts already sent, and the size of each story when it was last seen
 * (for the Atom feeds' <updated>).
 */
#ifndef RASD_WATCH_STORE_H
#define RASD_WATCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "rasd.h"

typedef struct WSource {
    int64_t id;            /* row id */
    char *url;             /* feed or section page URL */
    char *outlet;          /* outlet name, or NULL */
    char *kind;            /* "feed", "page", or NULL until the first good response */
    char *etag;            /* validator of the last 200, or NULL */
    char *last_modified;   /* validator of the last 200, or NULL */
    char *last_error;      /* the latest error sentence, or NULL */
    int64_t interval_s;    /* current polling interval, seconds (0: not adapted yet) */
    int64_t next_poll;     /* Unix time of the next poll */
    int64_t errors;        /* consecutive failed polls (0 after a success) */
    int64_t errors_total;  /* failed polls ever */
    int64_t last_poll;     /* Unix time, 0 never */
    int64_t last_success;  /* Unix time, 0 never */
    int64_t last_new;      /* Unix time a poll last found new items, 0 never */
    int64_t items;         /* articles stored from this source */
} WSource;

typedef struct WRule {
    int64_t id;            /* row id */
    char *kind;            /* "query", "entity", "sources", "conflict" */
    char *arg;             /* query text, entity key, or story number (conflict) */
    int64_t n;             /* sources: the number of outlets; else 0 */
    int64_t since_article; /* articles with a larger row id are still to be checked */
} WRule;

rasd_err wstore_init(sqlite3 *db, rasd_error *err);

/* Adds (or, when it exists, renames when outlet != NULL) a source; *added 1 if new. */
rasd_err wstore_add_source(sqlite3 *db, const char *url, const char *outlet,
                           int64_t interval_s, int *added, rasd_error *err);
/* Removes by URL or row id; *removed 0 when there was none. */
rasd_err wstore_remove_source(sqlite3 *db, const char *url_or_id, int *removed,
                              rasd_error *err);
/* Sources whose next poll is at or before due (due < 0: all), by next poll then id. */
rasd_err wstore_load_sources(sqlite3 *db, int64_t due, WSource **out, size_t *n,
                             rasd_error *err);
void wstore_free_sources(WSource *v, size_t n);
/* Writes every mutable field of s back. */
rasd_err wstore_save_source(sqlite3 *db, const WSource *s, rasd_error *err);
/* Earliest next poll of any source; *found 0 when there are none. */
rasd_err wstore_next_due(sqlite3 *db, int64_t *when, int *found, rasd_error *err);

/* 1 seen, 0 not, -1 error */
int wstore_seen(sqlite3 *db, int64_t source, const char *key);
rasd_err wstore_mark_seen(sqlite3 *db, int64_t source, const char *key, int64_t now,
                          rasd_error *err);
rasd_err wstore_begin(sqlite3 *db, rasd_error *err);
rasd_err wstore_commit(sqlite3 *db, rasd_error *err);

/* Largest article row id (0 when there are none). */
rasd_err wstore_max_article(sqlite3 *db, int64_t *id, rasd_error *err);

rasd_err wstore_add_rule(sqlite3 *db, const char *kind, const char *arg, int64_t n, int64_t *id,
                         rasd_error *err);
rasd_err wstore_remove_rule(sqlite3 *db, int64_t id, int *removed, rasd_error *err);
rasd_err wstore_load_rules(sqlite3 *db, WRule **out, size_t *n, rasd_error *err);
void wstore_free_rules(WRule *v, size_t n);
rasd_err wstore_rule_since(sqlite3 *db, int64_t rule, int64_t since_article, rasd_error *err);
/* Records an alert unless (rule, story, key) was sent before; *fresh 1 when new. */
rasd_err wstore_alert_once(sqlite3 *db, int64_t rule, int64_t story, const char *key,
                           int64_t now, int *fresh, rasd_error *err);

/* The time story last grew: records (articles, now) when articles differs from
   the recorded count (or none is recorded) and returns that time in *updated. */
rasd_err wstore_story_updated(sqlite3 *db, int64_t story, int64_t articles, int64_t now,
                              int64_t *updated, rasd_error *err);

#endif
