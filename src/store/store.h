/*
 * store.h — the storage interface every stage uses, chosen at open time:
 * store.c dispatches each call through the implementation's StoreOps
 * (store_impl.h); sqlite.c is the embedded implementation (WAL, foreign
 * keys, versioned migrations), a PostgreSQL one implements the same calls.
 *
 * Writes happen inside store_begin/store_commit: the ingest pipeline makes
 * one transaction per input file, so a crash leaves either the whole file
 * stored or none of it.
 */
#ifndef RASD_STORE_H
#define RASD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "util/util.h"

typedef struct Store Store;

/* A stored article as read back. Strings are owned by the struct: store_article_free. */
typedef struct StoredArticle {
    int64_t id;        /* row id */
    char hash[17];     /* public id: 16 hex digits of XXH3-64 of the normalised body */
    char *title, *outlet, *agency, *published, *url, *author, *body, *origin;
    int64_t parent;    /* row id of the page it was split from, or 0 */
    int64_t copy_of;   /* row id of the article this is a near-copy of, or 0 */
    double copy_sim;   /* estimated Jaccard with copy_of */
    char *ingested;    /* UTC time it was stored, ISO 8601 */
} StoredArticle;

/* What store_put_article writes. Strings may be NULL except body. */
typedef struct NewArticle {
    const char *hash;  /* 16 hex digits */
    const char *title, *outlet, *agency, *published, *url, *author, *body, *origin;
    int64_t parent;    /* row id or 0 */
    const uint32_t *minhash; /* signature, nminhash values, or NULL */
    size_t nminhash;
} NewArticle;

/*
 * Opens the store a location names, creating and migrating it if needed:
 * "postgresql://…" or "postgres://…" a PostgreSQL database (when rasd is
 * built with it), anything else an SQLite file. readonly: never writes.
 * Every implementation passes tests/unit/test_store.c (the conformance suite).
 */
rasd_err store_open(const char *path, int readonly, Store **out, rasd_error *err);
/* The SQLite file a store was opened on (to open more connections to it),
   or NULL for other implementations. Owned by the store. */
const char *store_path(Store *s);
/* "sqlite" or "postgresql" */
const char *store_kind(const Store *s);
void store_close(Store *s);
int store_schema_version(Store *s);
/* The SQLite connection (for store/fts.c, which shares the store's schema);
   NULL when the store is not the SQLite implementation. */
struct sqlite3 *store_sqlite(Store *s);
/* A statement of sql on store_sqlite(s), kept prepared on the connection
   between calls (search runs the same few on every request); release it
   with store_sqlite_finish, never sqlite3_finalize. SQLITE_OK or SQLite's
   error code (SQLITE_MISUSE on other stores). */
struct sqlite3_stmt;
int store_sqlite_prep(Store *s, const char *sql, struct sqlite3_stmt **st);
void store_sqlite_finish(Store *s, struct sqlite3_stmt *st);

rasd_err store_begin(Store *s, rasd_error *err);
rasd_err store_commit(Store *s, rasd_error *err);
void store_rollback(Store *s);

/* Row id of the article with this hash, 0 if none (or error). */
int64_t store_find_hash(Store *s, const char *hash);
/* Inserts; *id gets the new row id. */
rasd_err store_put_article(Store *s, const NewArticle *a, int64_t *id, rasd_error *err);
/* Records article id as a near-copy of of (0: of none). */
rasd_err store_set_copy(Store *s, int64_t id, int64_t of, double sim, rasd_error *err);

/* LSH buckets: keys are band hashes. */
rasd_err store_put_lsh(Store *s, int64_t id, const uint64_t *keys, size_t n, rasd_error *err);
/*
 * Calls fn for every distinct article (other than self) sharing a bucket
 * with keys, with that article's signature; stops early when fn returns non-zero.
 */
rasd_err store_lsh_candidates(Store *s, const uint64_t *keys, size_t n, int64_t self,
                              int (*fn)(void *ctx, int64_t id, const uint32_t *sig, size_t nsig),
                              void *ctx, rasd_error *err);

/*
 * Canonical copies (exact duplicates and near-copies are decided by them, so
 * the stored result does not depend on arrival order or on which worker got
 * there first): of the copies of an article, the canonical one holds its
 * metadata, the others are sightings; a near-copy's original is an article
 * canonically before it. store_canon_cmp orders copies: earliest published,
 * then outlet, then URL, then title (an absent or empty field sorts after
 * any present one), then hash; < 0 when a comes first.
 */
typedef struct CopyFacts {
    char *published, *outlet, *url, *title; /* owned: store_copy_facts_free */
    char hash[17];
    int64_t parent;    /* row id of the page it was split from, or 0 */
    int64_t copy_of;   /* its near-copy original, or 0 */
    double copy_sim;
} CopyFacts;
int store_canon_cmp(const char *pub_a, const char *outlet_a, const char *url_a,
                    const char *title_a, const char *hash_a, const CopyFacts *b);
/* The facts of article id; RASD_ENOTFOUND when there is none. */
rasd_err store_copy_facts(Store *s, int64_t id, CopyFacts *out, rasd_error *err);
void store_copy_facts_free(CopyFacts *f);
/* Makes m the canonical copy of article id: its title, outlet, agency,
   published, url, author and origin replace the stored ones (body, hash and
   signature are the article's own), the search index follows, and a
   sighting with m's outlet and URL is dropped (it is the article now). */
rasd_err store_set_canonical(Store *s, int64_t id, const NewArticle *m, rasd_error *err);

/* Records the outcome of one input file (ok / failed with message). */
rasd_err store_log_file(Store *s, const char *path, const char *status, const char *message,
                        size_t articles, rasd_error *err);

/* Lists articles in publication order; fn gets each (fields valid during the call). */
rasd_err store_each_article(Store *s, int (*fn)(void *ctx, const StoredArticle *a), void *ctx,
                            rasd_error *err);
/* Looks up by public hash id (or a unique prefix of at least 4 digits) or by row id. */
rasd_err store_get_article(Store *s, const char *id, StoredArticle *out, rasd_error *err);
void store_article_free(StoredArticle *a);
size_t store_count_articles(Store *s);

/* Named-entity mentions (schema version 2). */
rasd_err store_put_mention(Store *s, int64_t article, const char *type, const char *key,
                           size_t key_len, const char *text, size_t text_len, uint32_t start,
                           uint32_t end, rasd_error *err);
typedef struct StoredMention {
    const char *key;    /* identity key */
    const char *type;   /* PER LOC ORG MISC */
    const char *text;   /* as written */
    const char *outlet; /* of its article, or NULL */
    int64_t article;    /* row id */
} StoredMention;
/* Every mention ordered by key, type, text; fields valid during the call. */
rasd_err store_each_mention(Store *s, int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                            rasd_error *err);

/* The mentions of one article, in text order. */
rasd_err store_each_article_mention(Store *s, int64_t article,
                                    int (*fn)(void *ctx, const StoredMention *m), void *ctx,
                                    rasd_error *err);

/* ---- the entity summary (schema version 8, store/entsum.h) ---- */

/* A name as the summary holds it (include/rasd.h). */
typedef rasd_entity StoredEntity;
typedef rasd_count EntityCount;
/* Which names store_each_entity gives. */
/* Which names store_each_entity gives: the public filter (include/rasd.h),
   field for field; its story is the engine's to apply (the store ignores it). */
typedef rasd_entity_filter EntityFilter;
/* 1 when a name of this key, type and mention count passes f (NULL: every
   name but the adjectives): the rule store_each_entity applies, for callers
   that group mentions themselves. */
/* 1 for a name of the tagger's "other" kind (MISC) whose spelling is one
   definite nisba word (العربية، الإسلامي، الخليجيون): an adjective like the
   nationality adjectives, whose keys say so ("adj:"), but of no country, so
   its key does not. Left out of name lists unless adjectives are asked for. */
int store_nisba_adjective(const char *type, const char *spelling);
/* The spellings c[0..n) of one name with their counts: a spelling that is
   another of them with a proclitic the text core left on (وروسيا, لروسيا;
   للأمم المتحدة for الأمم المتحدة, whose alef ل + ال does not write) is
   counted under it and dropped, and so is one written with marks, tatweel,
   invisible characters, presentation forms or Persian ی ک (text_spelling_form),
   which is shown in its clean form (bytes in arena, reset here; c's texts
   may point into it until it is reset or freed); the rest sorted most used
   first. Returns how many are left. Used by the names list and the brief
   alike. */
size_t store_fold_spellings(EntityCount *c, size_t n, Buf *arena);
/* Which of the spellings c[0..n) (folded and sorted as above) names it for
   an analyst: the most used, or a fuller one (more words) used at least a
   quarter as often — ليندا توماس غرينفيلد rather than توماس, never السورية
   for سوريا (as long, not fuller). The one rule of the names list, a
   joined name and the brief. */
size_t store_display_spelling(const EntityCount *c, size_t n);
int store_entity_listed(const EntityFilter *f, const char *key, const char *type,
                        int64_t mentions);
/* Names most mentioned first (ties by key, type). The summary is updated by
   store_put_mention and store_put_role in the writer's transaction. */
rasd_err store_each_entity(Store *s, const EntityFilter *f,
                           int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                           rasd_error *err);
/* The stories (event with its article count, its thread with its event
   count) of the articles with row id >= first or published on or after
   since (NULL: no date); NULL op: RASD_EINVAL (the caller then refreshes
   every story). */
rasd_err store_each_story_from(Store *s, int64_t first, const char *since,
                               int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                         int64_t thread, int64_t thread_events),
                               void *ctx, rasd_error *err);
/* Stories whose membership changes: store_track_stories starts recording
   (first call on a connection) or forgets what was recorded; every later
   write on this connection that moves an article into or out of an event,
   or an event into or out of a thread, records them, whichever code makes
   it. store_each_changed_story lists the recorded ones that still exist, in
   store_each_story_from's shape (event 0 for a thread alone). NULL op or a
   store that cannot: RASD_EINVAL (the caller refreshes every story). */
rasd_err store_track_stories(Store *s, rasd_error *err);
rasd_err store_each_changed_story(Store *s,
                                  int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                            int64_t thread, int64_t thread_events),
                                  void *ctx, rasd_error *err);
/* Raw-body hashes (schema version 8): XXH3-64 of an article's body bytes as
   read, so an exact re-read of a stored article is known before it is
   annotated. find: the article (and its public hash id, 17 bytes) or 0. */
int64_t store_find_body_hash(Store *s, uint64_t h, char hash[17]);
rasd_err store_put_body_hash(Store *s, uint64_t h, int64_t article, rasd_error *err);
/* One role (office key) given to a stored mention of (type, key). */
rasd_err store_put_role(Store *s, int64_t article, const char *type, const char *key,
                        size_t key_len, const char *office, size_t office_len, rasd_error *err);

/* ---- stories (schema version 3) ---- */

/* An article's raw story vector (story/vector.h encoding). */
rasd_err store_put_vec(Store *s, int64_t article, const void *vec, size_t n, rasd_error *err);
/* A stored vector as store_each_vec_from gives it. */
typedef struct StoredVec {
    int64_t article;     /* row id */
    const char *published, *outlet, *title; /* may be NULL */
    const void *vec;     /* encoded raw vector */
    size_t n;            /* bytes */
    int64_t event, thread; /* its stored event and that event's thread, 0 if none yet */
    const char *hash;    /* the article's public hash id (identity), may be NULL */
    const char *event_headline; /* its stored event's headline, NULL if none */
} StoredVec;
/* Stored vectors in publication order (undated: by ingest time), of the
   articles published on or after since (undated ones too); since NULL: all. */
rasd_err store_each_vec_from(Store *s, const char *since,
                             int (*fn)(void *ctx, const StoredVec *v), void *ctx, rasd_error *err);

/* Document frequencies of story vectors (schema version 5): id 0 holds the
   number of articles counted. store_add_df adds n to id's count, or with
   replace sets it. */
rasd_err store_each_df(Store *s, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx,
                       rasd_error *err);
rasd_err store_add_df(Store *s, uint64_t id, uint32_t n, int replace, rasd_error *err);
rasd_err store_clear_df(Store *s, rasd_error *err);

/* A thread or an event as stored. */
typedef struct StoredStory {
    int64_t id;          /* thread or event id */
    int64_t thread;      /* an event's thread (a thread: itself) */
    const char *first, *last; /* publication dates of the first and last article, or NULL */
    int64_t events;      /* a thread's events (an event: 1) */
    int64_t articles;
    int64_t outlets;     /* distinct outlets (events only; 0 for threads) */
    const char *headline;
    const void *profile; /* threads: encoded profile (story/vector.h encoding), or NULL */
    size_t profile_len;  /* bytes */
} StoredStory;

/* The assignment result is replaced as a whole, inside the caller's transaction. */
rasd_err store_clear_stories(Store *s, rasd_error *err);
rasd_err store_put_thread(Store *s, const StoredStory *t, rasd_error *err);
rasd_err store_put_event(Store *s, const StoredStory *e, rasd_error *err);
rasd_err store_put_article_event(Store *s, int64_t article, int64_t event, double score,
                                 rasd_error *err);

/* ---- grouping checkpoint (schema version 10; PostgreSQL 14) ---- */

/* The state a grouping saved at the start of the newest day (stories.c),
   one value per store: *found 0 when there is none (out left empty). It is
   written in the grouping's transaction and dropped by
   store_clear_stories. */
rasd_err store_get_story_checkpoint(Store *s, Buf *out, int *found, rasd_error *err);
rasd_err store_put_story_checkpoint(Store *s, const void *p, size_t n, rasd_error *err);
/* The same written in pieces, so that a checkpoint of 45 MB is never held
   whole in memory: store_ckpt_open replaces the stored one with room for
   n bytes, store_ckpt_write puts bytes [at, at+len) of it, store_ckpt_close
   finishes (keep 0: a failed write, whose transaction the caller rolls
   back). A store that cannot write in pieces (PostgreSQL) keeps the bytes
   until store_ckpt_close. *out is NULL after an error. */
typedef struct StoreCkpt StoreCkpt;
rasd_err store_ckpt_open(Store *s, uint64_t n, StoreCkpt **out, rasd_error *err);
rasd_err store_ckpt_write(StoreCkpt *w, uint64_t at, const void *p, size_t len, rasd_error *err);
rasd_err store_ckpt_close(StoreCkpt *w, int keep, rasd_error *err);

/* ---- incremental assignment (schema version 4) ---- */

/* Earliest date (published, else ingested) of an article with a vector and
   no event yet; *found 0 when every article has one. */
rasd_err store_unassigned_from(Store *s, char *out, size_t size, int *found, rasd_error *err);
rasd_err store_has_events(Store *s, int *yes, rasd_error *err);
rasd_err store_story_max_ids(Store *s, int64_t *event, int64_t *thread, rasd_error *err);
/* Threads with a profile whose last event is on or after since. */
rasd_err store_each_thread_profile(Store *s, const char *since,
                                   int (*fn)(void *ctx, int64_t id, const char *last,
                                             const void *profile, size_t n),
                                   void *ctx, rasd_error *err);
rasd_err store_set_thread_profile(Store *s, int64_t id, const void *profile, size_t n,
                                  rasd_error *err);
/* Removes event id and its articles' rows (they are unassigned until put again). */
rasd_err store_drop_event(Store *s, int64_t id, rasd_error *err);
/* Moves gone's articles to keep and removes event gone. */
rasd_err store_merge_event(Store *s, int64_t keep, int64_t gone, rasd_error *err);
rasd_err store_set_event_thread(Store *s, int64_t event, int64_t thread, rasd_error *err);
/* Recounts the events with an article published on or after day (or undated). */
rasd_err store_refresh_events_from(Store *s, const char *day, rasd_error *err);
/* Recounts every thread from its events and removes threads left empty. */
rasd_err store_refresh_threads(Store *s, rasd_error *err);

/* One row per article of a story, ordered thread (largest first), event, date. */
typedef struct StoryArticle {
    StoredStory thread, event;
    int64_t article;     /* row id */
    const char *hash, *outlet, *title, *published, *agency, *url;
    int64_t copy_of;     /* near-copy of (row id) or 0 */
    double score;        /* similarity that brought it into its event (0: first) */
} StoryArticle;
/* since: only threads active on or after this date (NULL: all); thread: one
   thread (> 0), one event (< 0: -event id) or all (0). */
rasd_err store_each_story_article(Store *s, const char *since, int64_t thread,
                                  int (*fn)(void *ctx, const StoryArticle *r), void *ctx,
                                  rasd_error *err);

/* ---- the engine's stored results (schema version 6) ---- */

/* The annotate_article() blob of an article (annotate/annotate.h). */
rasd_err store_put_annotations(Store *s, int64_t article, const void *blob, size_t n,
                               rasd_error *err);
/* Calls fn once with the article's stored body and annotation blob (valid
   during the call). RASD_ENOTFOUND when there is no such article or it has
   no annotations yet. */
rasd_err store_get_annotated(Store *s, int64_t article,
                             int (*fn)(void *ctx, const char *body, size_t len, const void *blob,
                                       size_t n),
                             void *ctx, rasd_error *err);
/* Articles without annotations (stored by an older rasd), by row id. */
rasd_err store_each_unannotated(Store *s, int (*fn)(void *ctx, int64_t id), void *ctx,
                                rasd_error *err);

/* The same plus the articles whose blob does not start with header (n
   bytes: the running rasd's blob magic and version), by row id; stores
   that cannot tell list only the unannotated ones. */
rasd_err store_each_stale_annotation(Store *s, const void *header, size_t n,
                                     int (*fn)(void *ctx, int64_t id), void *ctx,
                                     rasd_error *err);

/* Another outlet or URL that carried an exact copy of a stored article. */
typedef struct StoredSighting {
    int64_t article;     /* row id of the stored article */
    const char *outlet, *url, *published, *origin; /* each may be NULL */
} StoredSighting;
/* Records a sighting unless the article or an earlier sighting has the same
   outlet and URL; *added (may be NULL) says whether it was new. */
rasd_err store_add_sighting(Store *s, int64_t article, const char *outlet, const char *url,
                            const char *published, const char *origin, int *added,
                            rasd_error *err);
/* Sightings of one article (article 0: all), by publication date. */
rasd_err store_each_sighting(Store *s, int64_t article,
                             int (*fn)(void *ctx, const StoredSighting *x), void *ctx,
                             rasd_error *err);

/* A view's stored result for one story (kind "brief", "conflicts" ...), valid
   while the story's membership signature is sig. */
rasd_err store_get_cache(Store *s, const char *kind, int64_t id, int64_t sig, Buf *out,
                         int *found, rasd_error *err);
rasd_err store_put_cache(Store *s, const char *kind, int64_t id, int64_t sig, const char *body,
                         size_t n, rasd_error *err);

/* The SQLite connection, for modules that keep their own tables (src/watch/). */
struct sqlite3 *store_sqlite_handle(Store *s);
/* ---- several processes on one store ---- */

/* Story assignment is single-writer: hold this lock from stories_assign's
   first read to its commit. PostgreSQL: a session advisory lock, waited for,
   released by store_unlock_assign or when the connection ends; SQLite: a
   no-op (its writers are serialised by BEGIN IMMEDIATE). */
rasd_err store_lock_assign(Store *s, rasd_error *err);
void store_unlock_assign(Store *s);
/* 1 when the transaction that just failed was chosen as a deadlock (or
   serialization) victim: running it again from store_begin may succeed.
   PostgreSQL only: two workers' batches can wait on each other's articles. */
int store_retryable(Store *s);

/* ---- analyst corrections and outlet names (schema version 9) ---- */

/* One analyst correction (story/overrides.h applies them). a and b are what
   the analyst named; the anchors are articles that keep the correction true
   when stories are regrouped and renumbered. */
typedef struct StoredOverride {
    int64_t id;          /* row id, set by the store */
    const char *kind;    /* "merge", "move" or "dismiss" */
    const char *a, *b;   /* merge: story, into; move: article, event; dismiss: story, conflict id */
    const char *anchor_a, *anchor_b; /* article hashes (merge: one of each story; move: b is an
                                        article that shared the event; dismiss: a only), or NULL */
    const char *note;    /* the analyst's words, or NULL */
    const char *at;      /* when, UTC ISO 8601 */
} StoredOverride;
rasd_err store_add_override(Store *s, const StoredOverride *o, int64_t *id, rasd_error *err);
/* In the order they were made. */
rasd_err store_each_override(Store *s, int (*fn)(void *ctx, const StoredOverride *o), void *ctx,
                             rasd_error *err);
/* *found 0 when there is no such correction. */
rasd_err store_delete_override(Store *s, int64_t id, int *found, rasd_error *err);
/* The event and thread an article (row id) is in: 0, 0 when it has none. */
rasd_err store_article_event(Store *s, int64_t article, int64_t *event, int64_t *thread,
                             rasd_error *err);
/* Moves one article into another (existing) event; counts are not refreshed. */
rasd_err store_set_article_event(Store *s, int64_t article, int64_t event, rasd_error *err);
/* Sets the headline of an event (event > 0) and of a thread (thread > 0). */
rasd_err store_set_headline(Store *s, int64_t event, int64_t thread, const char *headline,
                            rasd_error *err);
/* ---- reads for the server's lists (schema version 9) ---- */

/* Articles and threads stored, and when the newest article was ingested
   (last: "" when none). */
rasd_err store_totals(Store *s, int64_t *articles, int64_t *threads, char *last, size_t cap,
                      rasd_error *err);
/* One page of threads: active on or after since (NULL: any), with an
   article of outlet (NULL: any), newest first (largest: largest first);
   *total counts every matching thread. StoredStory.profile is not read. */
typedef struct ThreadPage {
    const char *since, *outlet; /* filters, or NULL */
    int largest;                /* order: 1 largest first, 0 newest first */
    int64_t limit, offset;
} ThreadPage;
rasd_err store_each_thread(Store *s, const ThreadPage *q,
                           int (*fn)(void *ctx, const StoredStory *t), void *ctx, int64_t *total,
                           rasd_error *err);
/* Articles per outlet (NULL outlet: none) of one thread (thread > 0) or of
   the whole store (0, renamed outlets without articles included with 0),
   most first. */
rasd_err store_each_outlet_count(Store *s, int64_t thread,
                                 int (*fn)(void *ctx, const char *outlet, int64_t n), void *ctx,
                                 rasd_error *err);

/* Display names of outlets ("الشرق الأوسط" for a slug); display NULL removes one. */
rasd_err store_set_outlet_name(Store *s, const char *name, const char *display, rasd_error *err);
rasd_err store_each_outlet_name(Store *s, int (*fn)(void *ctx, const char *name,
                                                    const char *display),
                                void *ctx, rasd_error *err);

/* The near-copies of article of (row ids, ascending); fn returns non-zero to stop. */
rasd_err store_each_copy(Store *s, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx,
                         rasd_error *err);

/* A number that moves whenever anyone commits to the store, for answer
   caches: SQLite's PRAGMA data_version (commits by other connections),
   on PostgreSQL a hash of a fresh snapshot (any commit changes it, so does
   a transaction of another database starting to write: a cache miss
   only). 1 and *gen set, or 0 when it cannot be read. */
int store_generation(Store *s, uint64_t *gen);

/* Search on a store without SQLite's FTS5 (fts.c's passes run through
   these; see store_impl.h): store_can_search says whether they exist. */
struct FtsOptions;
struct FtsHit;
int store_can_search(const Store *s);
rasd_err store_search_rank(Store *s, const char *expr, const struct FtsOptions *o,
                           const double w[3], size_t limit,
                           int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                           rasd_error *err);
rasd_err store_search_hits(Store *s, const char *expr, const struct FtsOptions *o,
                           struct FtsHit *v, size_t n, rasd_error *err);
/* The stored spellings (mention texts) of name key[0..n) with their
   mentions, most frequent first, then bytewise; at most limit. fn returns
   non-zero to stop. */
rasd_err store_each_spelling(Store *s, const char *key, size_t n, size_t limit,
                             int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                             void *ctx, rasd_error *err);
/* The mentions of name key[0..n) (0 on failure). */
int64_t store_key_mentions(Store *s, const char *key, size_t n);
/* The person keys (type PER) of two words or more whose last word is
   key[0..n) — a surname's full names (شكو: سرك شكو) — with their mentions,
   most first, then bytewise; at most limit. One indexed read (SQLite schema
   12, PostgreSQL 17). fn returns non-zero to stop. */
rasd_err store_each_surname_key(Store *s, const char *key, size_t n, size_t limit,
                                int (*fn)(void *ctx, const char *full, size_t n,
                                          int64_t mentions),
                                void *ctx, rasd_error *err);
/* The articles matching FTS5 match expression expr (a phrase), counted up
   to cap, on a store without SQLite's FTS5 (search's name lookup counts
   through FTS5 itself on SQLite); 0 on failure. */
int64_t store_phrase_docs(Store *s, const char *expr, int64_t cap);
/* A name's page: the stories (threads) whose articles mention key, most
   such articles first, then the latest, then by id; at most limit. fn gets
   the story, its headline and last date (either NULL) and the articles
   mentioning key; non-zero stops. */
rasd_err store_key_stories(Store *s, const char *key, size_t limit,
                           int (*fn)(void *ctx, int64_t story, const char *headline,
                                     const char *last, int64_t articles),
                           void *ctx, rasd_error *err);
/* The articles mentioning key, newest published first (undated last), then
   by id descending; at most limit. fn returns non-zero to stop. */
rasd_err store_key_articles(Store *s, const char *key, size_t limit,
                            int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err);
/* The headlines of stories (threads) ids[0..n) (a search page's hits): fn
   gets each stored story with its headline (NULL: none), in no set order;
   an id not stored is left out. */
rasd_err store_story_headlines(Store *s, const int64_t *ids, size_t n,
                               int (*fn)(void *ctx, int64_t story, const char *headline),
                               void *ctx, rasd_error *err);

#endif
