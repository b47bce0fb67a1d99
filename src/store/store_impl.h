/*
 * store_impl.h — what an implementation of store.h provides: one StoreOps
 * table of functions (the same calls as store.h, minus store_open) and an
 * open function. Its handle starts with a Store, whose ops the dispatchers
 * in store.c follow. Only store implementations include this file.
 */
#ifndef RASD_STORE_IMPL_H
#define RASD_STORE_IMPL_H

#include "store/store.h"

struct FtsOptions;
struct FtsHit;

typedef struct StoreOps StoreOps;
struct StoreOps {
    void (*close)(Store *s);
    int (*schema_version)(Store *s);
    rasd_err (*begin)(Store *s, rasd_error *err);
    rasd_err (*commit)(Store *s, rasd_error *err);
    void (*rollback)(Store *s);
    int64_t (*find_hash)(Store *s, const char *hash);
    rasd_err (*put_article)(Store *s, const NewArticle *a, int64_t *id, rasd_error *err);
    rasd_err (*set_copy)(Store *s, int64_t id, int64_t of, double sim, rasd_error *err);
    rasd_err (*put_lsh)(Store *s, int64_t id, const uint64_t *keys, size_t n, rasd_error *err);
    rasd_err (*lsh_candidates)(Store *s, const uint64_t *keys, size_t n, int64_t self, int (*fn)(void *ctx, int64_t id, const uint32_t *sig, size_t nsig), void *ctx, rasd_error *err);
    rasd_err (*copy_facts)(Store *s, int64_t id, CopyFacts *out, rasd_error *err);
    rasd_err (*set_canonical)(Store *s, int64_t id, const NewArticle *m, rasd_error *err);
    rasd_err (*log_file)(Store *s, const char *path, const char *status, const char *message, size_t articles, rasd_error *err);
    rasd_err (*each_article)(Store *s, int (*fn)(void *ctx, const StoredArticle *a), void *ctx, rasd_error *err);
    rasd_err (*get_article)(Store *s, const char *id, StoredArticle *out, rasd_error *err);
    size_t (*count_articles)(Store *s);
    rasd_err (*put_mention)(Store *s, int64_t article, const char *type, const char *key, size_t key_len, const char *text, size_t text_len, uint32_t start, uint32_t end, rasd_error *err);
    rasd_err (*each_mention)(Store *s, int (*fn)(void *ctx, const StoredMention *m), void *ctx, rasd_error *err);
    rasd_err (*each_article_mention)(Store *s, int64_t article, int (*fn)(void *ctx, const StoredMention *m), void *ctx, rasd_error *err);
    rasd_err (*each_entity)(Store *s, const EntityFilter *f, int (*fn)(void *ctx, const StoredEntity *x), void *ctx, rasd_error *err);
    int64_t (*find_body_hash)(Store *s, uint64_t h, char hash[17]);
    rasd_err (*put_body_hash)(Store *s, uint64_t h, int64_t article, rasd_error *err);
    rasd_err (*each_stale_annotation)(Store *s, const void *header, size_t n, int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
    rasd_err (*track_stories)(Store *s, rasd_error *err);
    rasd_err (*each_changed_story)(Store *s, int (*fn)(void *ctx, int64_t event, int64_t event_articles, int64_t thread, int64_t thread_events), void *ctx, rasd_error *err);
    rasd_err (*each_story_from)(Store *s, int64_t first, const char *since, int (*fn)(void *ctx, int64_t event, int64_t event_articles, int64_t thread, int64_t thread_events), void *ctx, rasd_error *err);
    rasd_err (*put_role)(Store *s, int64_t article, const char *type, const char *key, size_t key_len, const char *office, size_t office_len, rasd_error *err);
    rasd_err (*put_vec)(Store *s, int64_t article, const void *vec, size_t n, rasd_error *err);
    rasd_err (*each_vec_from)(Store *s, const char *since, int (*fn)(void *ctx, const StoredVec *v), void *ctx, rasd_error *err);
    rasd_err (*each_df)(Store *s, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx, rasd_error *err);
    rasd_err (*add_df)(Store *s, uint64_t id, uint32_t n, int replace, rasd_error *err);
    rasd_err (*clear_df)(Store *s, rasd_error *err);
    rasd_err (*clear_stories)(Store *s, rasd_error *err);
    rasd_err (*get_story_checkpoint)(Store *s, Buf *out, int *found, rasd_error *err);
    rasd_err (*put_story_checkpoint)(Store *s, const void *p, size_t n, rasd_error *err);
    /* the same in pieces (store_ckpt_open): room for n bytes, then writes at
       offsets; NULL: store.c keeps the bytes and calls put_story_checkpoint */
    rasd_err (*ckpt_open)(Store *s, uint64_t n, void **h, rasd_error *err);
    rasd_err (*ckpt_write)(Store *s, void *h, uint64_t at, const void *p, size_t n,
                           rasd_error *err);
    void (*ckpt_close)(Store *s, void *h);
    rasd_err (*put_thread)(Store *s, const StoredStory *t, rasd_error *err);
    rasd_err (*put_event)(Store *s, const StoredStory *e, rasd_error *err);
    rasd_err (*put_article_event)(Store *s, int64_t article, int64_t event, double score, rasd_error *err);
    rasd_err (*unassigned_from)(Store *s, char *out, size_t size, int *found, rasd_error *err);
    rasd_err (*has_events)(Store *s, int *yes, rasd_error *err);
    rasd_err (*story_max_ids)(Store *s, int64_t *event, int64_t *thread, rasd_error *err);
    rasd_err (*each_thread_profile)(Store *s, const char *since, int (*fn)(void *ctx, int64_t id, const char *last, const void *profile, size_t n), void *ctx, rasd_error *err);
    rasd_err (*set_thread_profile)(Store *s, int64_t id, const void *profile, size_t n, rasd_error *err);
    rasd_err (*merge_event)(Store *s, int64_t keep, int64_t gone, rasd_error *err);
    rasd_err (*drop_event)(Store *s, int64_t id, rasd_error *err);
    rasd_err (*set_event_thread)(Store *s, int64_t event, int64_t thread, rasd_error *err);
    rasd_err (*refresh_events_from)(Store *s, const char *day, rasd_error *err);
    rasd_err (*refresh_threads)(Store *s, rasd_error *err);
    rasd_err (*each_story_article)(Store *s, const char *since, int64_t thread, int (*fn)(void *ctx, const StoryArticle *r), void *ctx, rasd_error *err);
    rasd_err (*put_annotations)(Store *s, int64_t article, const void *blob, size_t n, rasd_error *err);
    rasd_err (*get_annotated)(Store *s, int64_t article, int (*fn)(void *ctx, const char *body, size_t len, const void *blob, size_t n), void *ctx, rasd_error *err);
    rasd_err (*each_unannotated)(Store *s, int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
    rasd_err (*add_sighting)(Store *s, int64_t article, const char *outlet, const char *url, const char *published, const char *origin, int *added, rasd_error *err);
    rasd_err (*each_sighting)(Store *s, int64_t article, int (*fn)(void *ctx, const StoredSighting *x), void *ctx, rasd_error *err);
    rasd_err (*get_cache)(Store *s, const char *kind, int64_t id, int64_t sig, Buf *out, int *found, rasd_error *err);
    rasd_err (*put_cache)(Store *s, const char *kind, int64_t id, int64_t sig, const char *body, size_t n, rasd_error *err);
    /* single-writer story assignment (pg.c: a session advisory lock; sqlite.c: no-op) */
    rasd_err (*lock_assign)(Store *s, rasd_error *err);
    void (*unlock_assign)(Store *s);
    /* the last failed transaction was a deadlock victim: it may be run again (NULL: never) */
    int (*retryable)(Store *s);
    /* analyst corrections and outlet names (schema version 9) */
    rasd_err (*add_override)(Store *s, const StoredOverride *o, int64_t *id, rasd_error *err);
    rasd_err (*each_override)(Store *s, int (*fn)(void *ctx, const StoredOverride *o), void *ctx, rasd_error *err);
    rasd_err (*delete_override)(Store *s, int64_t id, int *found, rasd_error *err);
    rasd_err (*article_event)(Store *s, int64_t article, int64_t *event, int64_t *thread, rasd_error *err);
    rasd_err (*set_article_event)(Store *s, int64_t article, int64_t event, rasd_error *err);
    rasd_err (*set_headline)(Store *s, int64_t event, int64_t thread, const char *headline, rasd_error *err);
    rasd_err (*totals)(Store *s, int64_t *articles, int64_t *threads, char *last, size_t cap, rasd_error *err);
    rasd_err (*each_thread)(Store *s, const ThreadPage *q, int (*fn)(void *ctx, const StoredStory *t), void *ctx, int64_t *total, rasd_error *err);
    rasd_err (*each_outlet_count)(Store *s, int64_t thread, int (*fn)(void *ctx, const char *outlet, int64_t n), void *ctx, rasd_error *err);
    rasd_err (*set_outlet_name)(Store *s, const char *name, const char *display, rasd_error *err);
    rasd_err (*each_outlet_name)(Store *s, int (*fn)(void *ctx, const char *name, const char *display), void *ctx, rasd_error *err);
    /* search (store/fts.h) where SQLite's FTS5 is not there (NULL on SQLite):
       the rows of an FTS5 match expression ranked by FTS5's BM25, best first;
       then the fields and snippets of the hits kept */
    rasd_err (*search_rank)(Store *s, const char *expr, const struct FtsOptions *o, const double w[3], size_t limit, int (*fn)(void *ctx, int64_t id, double score), void *ctx, rasd_error *err);
    rasd_err (*search_hits)(Store *s, const char *expr, const struct FtsOptions *o, struct FtsHit *v, size_t n, rasd_error *err);
    /* the stored spellings of a name key, most frequent first (then bytewise) */
    rasd_err (*each_copy)(Store *s, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
    rasd_err (*each_spelling)(Store *s, const char *key, size_t n, size_t limit, int (*fn)(void *ctx, const char *text, size_t n, int64_t count), void *ctx, rasd_error *err);
    int64_t (*key_mentions)(Store *s, const char *key, size_t n);
    /* the person keys of several words whose last word is key[0..n) (store.h); NULL: none */
    rasd_err (*each_surname_key)(Store *s, const char *key, size_t n, size_t limit, int (*fn)(void *ctx, const char *full, size_t n, int64_t mentions), void *ctx, rasd_error *err);
    int (*generation)(Store *s, uint64_t *gen);
    int64_t (*phrase_docs)(Store *s, const char *expr, int64_t cap); /* NULL on SQLite */
    /* a name's page: its stories and its newest articles (store.h) */
    rasd_err (*key_stories)(Store *s, const char *key, size_t limit, int (*fn)(void *ctx, int64_t story, const char *headline, const char *last, int64_t articles), void *ctx, rasd_error *err);
    rasd_err (*key_articles)(Store *s, const char *key, size_t limit, int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
    rasd_err (*story_headlines)(Store *s, const int64_t *ids, size_t n, int (*fn)(void *ctx, int64_t story, const char *headline), void *ctx, rasd_error *err);
};

struct Store {
    const StoreOps *ops; /* the implementation's functions */
    const char *kind;    /* "sqlite", "postgresql" */
    int depth;           /* store_begin calls not yet committed (nested ones join the outer) */
    int doomed;          /* a nested transaction rolled back: the outer one must too */
};

rasd_err sqlite_store_open(const char *path, int readonly, Store **out, rasd_error *err);
#ifdef RASD_WITH_PG
rasd_err pg_store_open(const char *conninfo, int readonly, Store **out, rasd_error *err);
#endif

#endif
