/*
 * sqlite_impl.h — what the SQLite store's files share (sqlite.c: opening,
 * the schema, articles and mentions; sqlite_names.c: reads of names;
 * sqlite_stories.c: stories, incremental assignment, document frequencies;
 * sqlite_views.c: the engine's stored results, analyst corrections and
 * outlet names). Not part of store.h.
 */
#ifndef RASD_STORE_SQLITE_IMPL_H
#define RASD_STORE_SQLITE_IMPL_H

#include <sqlite3.h>

#include "store.h"
#include "entsum.h"
#include "store_impl.h"

enum { Q_FIND_HASH, Q_PUT_ARTICLE, Q_SET_COPY, Q_PUT_LSH, Q_LSH_CAND, Q_MINHASH, Q_LOG_FILE, Q_COUNT, Q_OUTLET, Q_FIND_BODY, Q_PUT_BODY,
       Q_PUT_MENTION, Q_PUT_VEC, Q_PUT_THREAD, Q_PUT_EVENT,
       Q_PUT_ART_EVENT, Q_SET_DF, Q_ADD_DF, NQ };

enum { SQ_KEPT = 24 }; /* statements sq_prep keeps prepared, by SQL text (8 for search) */

typedef struct SqStore {
    Store base;          /* the interface: base.ops is sqlite_ops */
    sqlite3 *db;         /* connection */
    sqlite3_stmt *q[NQ]; /* prepared statements, lazily */
    char *kept_sql[SQ_KEPT];          /* sq_prep's statements: their SQL (owned) ... */
    sqlite3_stmt *kept[SQ_KEPT];      /* ... and the statement; NULL = free slot */
    int readonly;        /* opened read-only */
    EntSum sum;          /* the entity summary's pending changes (entsum.h) */
    int64_t sum_article; /* the article whose outlet sum_outlet is */
    char *sum_outlet;    /* its outlet, or NULL */
} SqStore;

/* helpers (sqlite.c) */
rasd_err sq_db_fail(SqStore *s, rasd_error *err, const char *what);
sqlite3_stmt *sq_stmt(SqStore *s, int q);
int sq_prep(SqStore *s, const char *sql, sqlite3_stmt **st);
void sq_finish(SqStore *s, sqlite3_stmt *st);
int sq_exec(SqStore *s, const char *sql);
rasd_err sq_step_done(SqStore *s, sqlite3_stmt *st, const char *what, rasd_error *err);
rasd_err sq_run_once(SqStore *s, const char *sql, int64_t a, int64_t b, const void *p, size_t n,
                     int is_text, const char *what, rasd_error *err);

/* names: the entity list, mentions, spellings, a name's stories (sqlite_names.c) */
rasd_err sq_each_entity(Store *st_, const EntityFilter *f, int (*fn)(void *ctx,
                        const StoredEntity *x), void *ctx, rasd_error *err);
rasd_err sq_each_mention(Store *st_, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                         rasd_error *err);
rasd_err sq_each_article_mention(Store *st_, int64_t article, int (*fn)(void *ctx,
                                 const StoredMention *m), void *ctx, rasd_error *err);
rasd_err sq_each_spelling(Store *st_, const char *key, size_t n, size_t limit, int (*fn)(void *ctx,
                          const char *text, size_t n, int64_t count), void *ctx, rasd_error *err);
rasd_err sq_each_surname_key(Store *st_, const char *key, size_t n, size_t limit,
                             int (*fn)(void *ctx, const char *full, size_t n, int64_t mentions),
                             void *ctx, rasd_error *err);
int64_t sq_key_mentions(Store *st_, const char *key, size_t n);
rasd_err sq_key_stories(Store *st_, const char *key, size_t limit, int (*fn)(void *ctx,
                        int64_t story, const char *headline, const char *last, int64_t articles),
                        void *ctx, rasd_error *err);
rasd_err sq_story_headlines(Store *st_, const int64_t *ids, size_t n, int (*fn)(void *ctx,
                            int64_t story, const char *headline), void *ctx, rasd_error *err);
rasd_err sq_key_articles(Store *st_, const char *key, size_t limit, int (*fn)(void *ctx, int64_t id),
                         void *ctx, rasd_error *err);

/* stories, incremental assignment, document frequencies (sqlite_stories.c) */
rasd_err sq_put_vec(Store *st_, int64_t article, const void *vec, size_t n, rasd_error *err);
rasd_err sq_each_vec_from(Store *st_, const char *since, int (*fn)(void *ctx, const StoredVec *v),
                          void *ctx, rasd_error *err);
rasd_err sq_clear_stories(Store *st_, rasd_error *err);
rasd_err sq_get_story_checkpoint(Store *st_, Buf *out, int *found, rasd_error *err);
rasd_err sq_put_story_checkpoint(Store *st_, const void *p, size_t n, rasd_error *err);
rasd_err sq_ckpt_open(Store *st_, uint64_t n, void **h, rasd_error *err);
rasd_err sq_ckpt_write(Store *st_, void *h, uint64_t at, const void *p, size_t n,
                       rasd_error *err);
void sq_ckpt_close(Store *st_, void *h);
void sq_bind_opt_text(sqlite3_stmt *st, int i, const char *v);
rasd_err sq_put_thread(Store *st_, const StoredStory *t, rasd_error *err);
rasd_err sq_put_event(Store *st_, const StoredStory *e, rasd_error *err);
rasd_err sq_put_article_event(Store *st_, int64_t article, int64_t event, double score,
                              rasd_error *err);
rasd_err sq_each_story_article(Store *st_, const char *since, int64_t thread, int (*fn)(void *ctx,
                               const StoryArticle *r), void *ctx, rasd_error *err);
rasd_err sq_unassigned_from(Store *st_, char *out, size_t size, int *found, rasd_error *err);
rasd_err sq_has_events(Store *st_, int *yes, rasd_error *err);
rasd_err sq_story_max_ids(Store *st_, int64_t *event, int64_t *thread, rasd_error *err);
rasd_err sq_each_thread_profile(Store *st_, const char *since, int (*fn)(void *ctx, int64_t id,
                                const char *last, const void *profile, size_t n), void *ctx,
                                rasd_error *err);
rasd_err sq_set_thread_profile(Store *st_, int64_t id, const void *profile, size_t n,
                               rasd_error *err);
rasd_err sq_refresh_threads(Store *st_, rasd_error *err);
rasd_err sq_merge_event(Store *st_, int64_t keep, int64_t gone, rasd_error *err);
rasd_err sq_drop_event(Store *st_, int64_t id, rasd_error *err);
rasd_err sq_set_event_thread(Store *st_, int64_t event, int64_t thread, rasd_error *err);
rasd_err sq_refresh_events_from(Store *st_, const char *day, rasd_error *err);
rasd_err sq_each_df(Store *st_, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
                    rasd_error *err);
rasd_err sq_add_df(Store *st_, uint64_t id, uint32_t n, int replace, rasd_error *err);
rasd_err sq_clear_df(Store *st_, rasd_error *err);

/* stored results, corrections, outlet names (sqlite_views.c) */
rasd_err sq_put_annotations(Store *st_, int64_t article, const void *blob, size_t n,
                            rasd_error *err);
rasd_err sq_get_annotated(Store *st_, int64_t article, int (*fn)(void *ctx, const char *body,
                          size_t len, const void *blob, size_t n), void *ctx, rasd_error *err);
rasd_err sq_each_unannotated(Store *st_, int (*fn)(void *ctx, int64_t id), void *ctx,
                             rasd_error *err);
rasd_err sq_each_stale_annotation(Store *st_, const void *header, size_t n, int (*fn)(void *ctx,
                                  int64_t id), void *ctx, rasd_error *err);
rasd_err sq_track_stories(Store *st_, rasd_error *err);
rasd_err sq_each_changed_story(Store *st_, int (*fn)(void *ctx, int64_t event,
                               int64_t event_articles, int64_t thread, int64_t thread_events),
                               void *ctx, rasd_error *err);
rasd_err sq_each_story_from(Store *st_, int64_t first, const char *since, int (*fn)(void *ctx,
                            int64_t event, int64_t event_articles, int64_t thread,
                            int64_t thread_events), void *ctx, rasd_error *err);
rasd_err sq_add_sighting(Store *st_, int64_t article, const char *outlet, const char *url,
                         const char *published, const char *origin, int *added, rasd_error *err);
rasd_err sq_each_sighting(Store *st_, int64_t article, int (*fn)(void *ctx, const StoredSighting *x),
                          void *ctx, rasd_error *err);
rasd_err sq_get_cache(Store *st_, const char *kind, int64_t id, int64_t sig, Buf *out, int *found,
                      rasd_error *err);
rasd_err sq_put_cache(Store *st_, const char *kind, int64_t id, int64_t sig, const char *body,
                      size_t n, rasd_error *err);
rasd_err sq_add_override(Store *st_, const StoredOverride *o, int64_t *id, rasd_error *err);
rasd_err sq_each_override(Store *st_, int (*fn)(void *ctx, const StoredOverride *o), void *ctx,
                          rasd_error *err);
rasd_err sq_delete_override(Store *st_, int64_t id, int *found, rasd_error *err);
rasd_err sq_article_event(Store *st_, int64_t article, int64_t *event, int64_t *thread,
                          rasd_error *err);
rasd_err sq_set_article_event(Store *st_, int64_t article, int64_t event, rasd_error *err);
rasd_err sq_set_headline(Store *st_, int64_t event, int64_t thread, const char *headline,
                         rasd_error *err);
rasd_err sq_totals(Store *st_, int64_t *articles, int64_t *threads, char *last, size_t cap,
                   rasd_error *err);
rasd_err sq_each_thread(Store *st_, const ThreadPage *q, int (*fn)(void *ctx, const StoredStory *t),
                        void *ctx, int64_t *total, rasd_error *err);
rasd_err sq_each_outlet_count(Store *st_, int64_t thread, int (*fn)(void *ctx, const char *outlet,
                              int64_t n), void *ctx, rasd_error *err);
rasd_err sq_set_outlet_name(Store *st_, const char *name, const char *display, rasd_error *err);
rasd_err sq_each_outlet_name(Store *st_, int (*fn)(void *ctx, const char *name, const char *display),
                             void *ctx, rasd_error *err);

#endif
