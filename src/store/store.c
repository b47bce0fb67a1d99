/*
 * store.c — the store interface's dispatch (store.h): store_open picks the
 * implementation from the location's form, every other call goes through
 * the handle's StoreOps.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_impl.h"

rasd_err store_open(const char *path, int readonly, Store **out, rasd_error *err)
{
    if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0) {
#ifdef RASD_WITH_PG
        return pg_store_open(path, readonly, out, err);
#else
        return rasd_fail(err, RASD_EINVAL,
                         "%.40s...: this rasd was built without PostgreSQL support", path);
#endif
    }
    rasd_err e = sqlite_store_open(path, readonly, out, err);
    if (e == RASD_EDB && readonly && err && strstr(err->msg, "needs an upgrade")) {
        /* an older store opened for reading: upgrade it once, then read */
        Store *w = NULL;
        if (sqlite_store_open(path, 0, &w, err) != RASD_OK)
            return RASD_EDB;
        store_close(w);
        e = sqlite_store_open(path, readonly, out, err);
    }
    return e;
}

const char *store_path(Store *s)
{
    sqlite3 *db = store_sqlite(s);
    const char *p = db ? sqlite3_db_filename(db, "main") : NULL;
    return p && *p ? p : NULL;
}

const char *store_kind(const Store *s) { return s->kind ? s->kind : "sqlite"; }

void store_article_free(StoredArticle *a)
{
    free(a->title);
    free(a->outlet);
    free(a->agency);
    free(a->published);
    free(a->url);
    free(a->author);
    free(a->body);
    free(a->origin);
    free(a->ingested);
    memset(a, 0, sizeof *a);
}

void store_close(Store *s)
{
    if (s)
        s->ops->close(s);
}

int store_schema_version(Store *s)
{
    return s->ops->schema_version(s);
}

/*
 * Transactions nest: a stage that begins its own inside a caller's joins
 * it, and only the outermost commit writes. A nested rollback dooms the
 * outer transaction, whose commit then rolls back and fails.
 */
rasd_err store_begin(Store *s, rasd_error *err)
{
    if (s->depth++ > 0)
        return RASD_OK;
    s->doomed = 0;
    rasd_err e = s->ops->begin(s, err);
    if (e != RASD_OK)
        s->depth = 0;
    return e;
}

rasd_err store_commit(Store *s, rasd_error *err)
{
    if (s->depth > 1) {
        s->depth--;
        return RASD_OK;
    }
    s->depth = 0;
    if (s->doomed) {
        s->ops->rollback(s);
        return rasd_fail(err, RASD_EDB, "a step of this transaction failed; nothing was written");
    }
    return s->ops->commit(s, err);
}

void store_rollback(Store *s)
{
    if (s->depth > 1) {
        s->depth--;
        s->doomed = 1;
        return;
    }
    s->depth = 0;
    s->ops->rollback(s);
}

int64_t store_find_hash(Store *s, const char *hash)
{
    return s->ops->find_hash(s, hash);
}

rasd_err store_put_article(Store *s, const NewArticle *a, int64_t *id, rasd_error *err)
{
    return s->ops->put_article(s, a, id, err);
}

rasd_err store_set_copy(Store *s, int64_t id, int64_t of, double sim, rasd_error *err)
{
    return s->ops->set_copy(s, id, of, sim, err);
}

rasd_err store_put_lsh(Store *s, int64_t id, const uint64_t *keys, size_t n, rasd_error *err)
{
    return s->ops->put_lsh(s, id, keys, n, err);
}

rasd_err store_lsh_candidates(Store *s, const uint64_t *keys, size_t n, int64_t self, int (*fn)(void *ctx, int64_t id, const uint32_t *sig, size_t nsig), void *ctx, rasd_error *err)
{
    return s->ops->lsh_candidates(s, keys, n, self, fn, ctx, err);
}

/* NULL and "" sort after any present value */
static int canon_field(const char *a, const char *b)
{
    int ha = a && *a, hb = b && *b;
    if (!ha || !hb)
        return hb - ha;
    return strcmp(a, b);
}

int store_canon_cmp(const char *pub_a, const char *outlet_a, const char *url_a,
                    const char *title_a, const char *hash_a, const CopyFacts *b)
{
    int c = canon_field(pub_a, b->published);
    if (!c)
        c = canon_field(outlet_a, b->outlet);
    if (!c)
        c = canon_field(url_a, b->url);
    if (!c)
        c = canon_field(title_a, b->title);
    if (!c)
        c = canon_field(hash_a, b->hash);
    return c;
}

rasd_err store_copy_facts(Store *s, int64_t id, CopyFacts *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    return s->ops->copy_facts(s, id, out, err);
}

void store_copy_facts_free(CopyFacts *f)
{
    free(f->published), free(f->outlet), free(f->url), free(f->title);
    memset(f, 0, sizeof *f);
}

rasd_err store_set_canonical(Store *s, int64_t id, const NewArticle *m, rasd_error *err)
{
    return s->ops->set_canonical(s, id, m, err);
}

rasd_err store_log_file(Store *s, const char *path, const char *status, const char *message, size_t articles, rasd_error *err)
{
    return s->ops->log_file(s, path, status, message, articles, err);
}

rasd_err store_each_article(Store *s, int (*fn)(void *ctx, const StoredArticle *a), void *ctx, rasd_error *err)
{
    return s->ops->each_article(s, fn, ctx, err);
}

rasd_err store_get_article(Store *s, const char *id, StoredArticle *out, rasd_error *err)
{
    return s->ops->get_article(s, id, out, err);
}

size_t store_count_articles(Store *s)
{
    return s->ops->count_articles(s);
}

rasd_err store_put_mention(Store *s, int64_t article, const char *type, const char *key, size_t key_len, const char *text, size_t text_len, uint32_t start, uint32_t end, rasd_error *err)
{
    return s->ops->put_mention(s, article, type, key, key_len, text, text_len, start, end, err);
}

rasd_err store_each_mention(Store *s, int (*fn)(void *ctx, const StoredMention *m), void *ctx, rasd_error *err)
{
    return s->ops->each_mention(s, fn, ctx, err);
}

rasd_err store_each_article_mention(Store *s, int64_t article, int (*fn)(void *ctx, const StoredMention *m), void *ctx, rasd_error *err)
{
    return s->ops->each_article_mention(s, article, fn, ctx, err);
}

rasd_err store_each_entity(Store *s, const EntityFilter *f,
                           int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                           rasd_error *err)
{
    return s->ops->each_entity(s, f, fn, ctx, err);
}

int64_t store_find_body_hash(Store *s, uint64_t h, char hash[17])
{
    return s->ops->find_body_hash ? s->ops->find_body_hash(s, h, hash) : 0;
}

rasd_err store_put_body_hash(Store *s, uint64_t h, int64_t article, rasd_error *err)
{
    return s->ops->put_body_hash ? s->ops->put_body_hash(s, h, article, err) : RASD_OK;
}

rasd_err store_each_stale_annotation(Store *s, const void *header, size_t n,
                                     int (*fn)(void *ctx, int64_t id), void *ctx,
                                     rasd_error *err)
{
    if (!s->ops->each_stale_annotation)
        return s->ops->each_unannotated(s, fn, ctx, err);
    return s->ops->each_stale_annotation(s, header, n, fn, ctx, err);
}

rasd_err store_each_story_from(Store *s, int64_t first, const char *since,
                               int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                         int64_t thread, int64_t thread_events),
                               void *ctx, rasd_error *err)
{
    if (!s->ops->each_story_from)
        return rasd_fail(err, RASD_EINVAL, "this store cannot list the stories of new articles");
    return s->ops->each_story_from(s, first, since, fn, ctx, err);
}

rasd_err store_track_stories(Store *s, rasd_error *err)
{
    if (!s->ops->track_stories)
        return rasd_fail(err, RASD_EINVAL, "this store cannot record changed stories");
    return s->ops->track_stories(s, err);
}

rasd_err store_each_changed_story(Store *s,
                                  int (*fn)(void *ctx, int64_t event, int64_t event_articles,
                                            int64_t thread, int64_t thread_events),
                                  void *ctx, rasd_error *err)
{
    if (!s->ops->each_changed_story)
        return rasd_fail(err, RASD_EINVAL, "this store cannot record changed stories");
    return s->ops->each_changed_story(s, fn, ctx, err);
}

rasd_err store_put_role(Store *s, int64_t article, const char *type, const char *key,
                        size_t key_len, const char *office, size_t office_len, rasd_error *err)
{
    return s->ops->put_role(s, article, type, key, key_len, office, office_len, err);
}

rasd_err store_put_vec(Store *s, int64_t article, const void *vec, size_t n, rasd_error *err)
{
    return s->ops->put_vec(s, article, vec, n, err);
}

rasd_err store_each_vec_from(Store *s, const char *since, int (*fn)(void *ctx, const StoredVec *v), void *ctx, rasd_error *err)
{
    return s->ops->each_vec_from(s, since, fn, ctx, err);
}

rasd_err store_each_df(Store *s, int (*fn)(void *ctx, uint64_t id, uint32_t n), void *ctx, rasd_error *err)
{
    return s->ops->each_df(s, fn, ctx, err);
}

rasd_err store_add_df(Store *s, uint64_t id, uint32_t n, int replace, rasd_error *err)
{
    return s->ops->add_df(s, id, n, replace, err);
}

rasd_err store_clear_df(Store *s, rasd_error *err)
{
    return s->ops->clear_df(s, err);
}

rasd_err store_clear_stories(Store *s, rasd_error *err)
{
    return s->ops->clear_stories(s, err);
}

rasd_err store_put_thread(Store *s, const StoredStory *t, rasd_error *err)
{
    return s->ops->put_thread(s, t, err);
}

rasd_err store_put_event(Store *s, const StoredStory *e, rasd_error *err)
{
    return s->ops->put_event(s, e, err);
}

rasd_err store_put_article_event(Store *s, int64_t article, int64_t event, double score, rasd_error *err)
{
    return s->ops->put_article_event(s, article, event, score, err);
}

rasd_err store_unassigned_from(Store *s, char *out, size_t size, int *found, rasd_error *err)
{
    return s->ops->unassigned_from(s, out, size, found, err);
}

rasd_err store_has_events(Store *s, int *yes, rasd_error *err)
{
    return s->ops->has_events(s, yes, err);
}

rasd_err store_get_story_checkpoint(Store *s, Buf *out, int *found, rasd_error *err)
{
    buf_reset(out);
    *found = 0;
    if (!s->ops->get_story_checkpoint)
        return RASD_OK; /* a store without checkpoints: every grouping replays all */
    return s->ops->get_story_checkpoint(s, out, found, err);
}

rasd_err store_put_story_checkpoint(Store *s, const void *p, size_t n, rasd_error *err)
{
    if (!s->ops->put_story_checkpoint)
        return RASD_OK;
    return s->ops->put_story_checkpoint(s, p, n, err);
}

struct StoreCkpt {
    Store *s;
    void *h;             /* the store's handle (ckpt_open), or NULL: bytes kept in mem */
    unsigned char *mem;  /* n bytes, for a store without ckpt_open */
    uint64_t n;
};

rasd_err store_ckpt_open(Store *s, uint64_t n, StoreCkpt **out, rasd_error *err)
{
    *out = NULL;
    StoreCkpt *w = calloc(1, sizeof *w);
    if (!w)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    *w = (StoreCkpt){ s, NULL, NULL, n };
    rasd_err e = RASD_OK;
    if (s->ops->ckpt_open)
        e = s->ops->ckpt_open(s, n, &w->h, err);
    else if (n > SIZE_MAX || !(w->mem = malloc(n ? (size_t)n : 1)))
        e = rasd_fail(err, RASD_ENOMEM, "out of memory for the grouping checkpoint");
    if (e != RASD_OK) {
        free(w);
        return e;
    }
    *out = w;
    return RASD_OK;
}

rasd_err store_ckpt_write(StoreCkpt *w, uint64_t at, const void *p, size_t len, rasd_error *err)
{
    if (at > w->n || len > w->n - at)
        return rasd_fail(err, RASD_EINVAL, "grouping checkpoint: a write past its end");
    if (w->h)
        return w->s->ops->ckpt_write(w->s, w->h, at, p, len, err);
    if (w->mem && len)
        memcpy(w->mem + at, p, len);
    return RASD_OK;
}

rasd_err store_ckpt_close(StoreCkpt *w, int keep, rasd_error *err)
{
    rasd_err e = RASD_OK;
    if (w->h)
        w->s->ops->ckpt_close(w->s, w->h);
    else if (keep && w->mem)
        e = store_put_story_checkpoint(w->s, w->mem, (size_t)w->n, err);
    free(w->mem);
    free(w);
    return e;
}

rasd_err store_story_max_ids(Store *s, int64_t *event, int64_t *thread, rasd_error *err)
{
    return s->ops->story_max_ids(s, event, thread, err);
}

rasd_err store_each_thread_profile(Store *s, const char *since, int (*fn)(void *ctx, int64_t id, const char *last, const void *profile, size_t n), void *ctx, rasd_error *err)
{
    return s->ops->each_thread_profile(s, since, fn, ctx, err);
}

rasd_err store_set_thread_profile(Store *s, int64_t id, const void *profile, size_t n, rasd_error *err)
{
    return s->ops->set_thread_profile(s, id, profile, n, err);
}

rasd_err store_drop_event(Store *s, int64_t id, rasd_error *err)
{
    return s->ops->drop_event(s, id, err);
}

rasd_err store_merge_event(Store *s, int64_t keep, int64_t gone, rasd_error *err)
{
    return s->ops->merge_event(s, keep, gone, err);
}

rasd_err store_set_event_thread(Store *s, int64_t event, int64_t thread, rasd_error *err)
{
    return s->ops->set_event_thread(s, event, thread, err);
}

rasd_err store_refresh_events_from(Store *s, const char *day, rasd_error *err)
{
    return s->ops->refresh_events_from(s, day, err);
}

rasd_err store_refresh_threads(Store *s, rasd_error *err)
{
    return s->ops->refresh_threads(s, err);
}

rasd_err store_each_story_article(Store *s, const char *since, int64_t thread, int (*fn)(void *ctx, const StoryArticle *r), void *ctx, rasd_error *err)
{
    return s->ops->each_story_article(s, since, thread, fn, ctx, err);
}

rasd_err store_put_annotations(Store *s, int64_t article, const void *blob, size_t n, rasd_error *err)
{
    return s->ops->put_annotations(s, article, blob, n, err);
}

rasd_err store_get_annotated(Store *s, int64_t article, int (*fn)(void *ctx, const char *body, size_t len, const void *blob, size_t n), void *ctx, rasd_error *err)
{
    return s->ops->get_annotated(s, article, fn, ctx, err);
}

rasd_err store_each_unannotated(Store *s, int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err)
{
    return s->ops->each_unannotated(s, fn, ctx, err);
}

rasd_err store_add_sighting(Store *s, int64_t article, const char *outlet, const char *url, const char *published, const char *origin, int *added, rasd_error *err)
{
    return s->ops->add_sighting(s, article, outlet, url, published, origin, added, err);
}

rasd_err store_each_sighting(Store *s, int64_t article, int (*fn)(void *ctx, const StoredSighting *x), void *ctx, rasd_error *err)
{
    return s->ops->each_sighting(s, article, fn, ctx, err);
}

rasd_err store_get_cache(Store *s, const char *kind, int64_t id, int64_t sig, Buf *out, int *found, rasd_error *err)
{
    return s->ops->get_cache(s, kind, id, sig, out, found, err);
}

rasd_err store_put_cache(Store *s, const char *kind, int64_t id, int64_t sig, const char *body, size_t n, rasd_error *err)
{
    return s->ops->put_cache(s, kind, id, sig, body, n, err);
}

rasd_err store_lock_assign(Store *s, rasd_error *err)
{
    return s->ops->lock_assign ? s->ops->lock_assign(s, err) : RASD_OK;
}

void store_unlock_assign(Store *s)
{
    if (s->ops->unlock_assign)
        s->ops->unlock_assign(s);
}

int store_retryable(Store *s)
{
    return s->ops->retryable ? s->ops->retryable(s) : 0;
}

/* ---- analyst corrections and outlet names (schema version 9) ---- */

rasd_err store_add_override(Store *s, const StoredOverride *o, int64_t *id, rasd_error *err)
{
    return s->ops->add_override(s, o, id, err);
}

rasd_err store_each_override(Store *s, int (*fn)(void *ctx, const StoredOverride *o), void *ctx,
                             rasd_error *err)
{
    return s->ops->each_override(s, fn, ctx, err);
}

rasd_err store_delete_override(Store *s, int64_t id, int *found, rasd_error *err)
{
    return s->ops->delete_override(s, id, found, err);
}

rasd_err store_article_event(Store *s, int64_t article, int64_t *event, int64_t *thread,
                             rasd_error *err)
{
    return s->ops->article_event(s, article, event, thread, err);
}

rasd_err store_set_article_event(Store *s, int64_t article, int64_t event, rasd_error *err)
{
    return s->ops->set_article_event(s, article, event, err);
}

rasd_err store_set_headline(Store *s, int64_t event, int64_t thread, const char *headline,
                            rasd_error *err)
{
    return s->ops->set_headline(s, event, thread, headline, err);
}

rasd_err store_totals(Store *s, int64_t *articles, int64_t *threads, char *last, size_t cap,
                      rasd_error *err)
{
    return s->ops->totals(s, articles, threads, last, cap, err);
}

rasd_err store_each_thread(Store *s, const ThreadPage *q,
                           int (*fn)(void *ctx, const StoredStory *t), void *ctx, int64_t *total,
                           rasd_error *err)
{
    return s->ops->each_thread(s, q, fn, ctx, total, err);
}

rasd_err store_each_outlet_count(Store *s, int64_t thread,
                                 int (*fn)(void *ctx, const char *outlet, int64_t n), void *ctx,
                                 rasd_error *err)
{
    return s->ops->each_outlet_count(s, thread, fn, ctx, err);
}

rasd_err store_set_outlet_name(Store *s, const char *name, const char *display, rasd_error *err)
{
    return s->ops->set_outlet_name(s, name, display, err);
}

rasd_err store_each_outlet_name(Store *s, int (*fn)(void *ctx, const char *name,
                                                    const char *display),
                                void *ctx, rasd_error *err)
{
    return s->ops->each_outlet_name(s, fn, ctx, err);
}

int store_can_search(const Store *s) { return s->ops->search_rank && s->ops->search_hits; }

rasd_err store_search_rank(Store *s, const char *expr, const struct FtsOptions *o,
                           const double w[3], size_t limit,
                           int (*fn)(void *ctx, int64_t id, double score), void *ctx,
                           rasd_error *err)
{
    if (!s->ops->search_rank)
        return rasd_fail(err, RASD_EINVAL, "search is not available on this store");
    return s->ops->search_rank(s, expr, o, w, limit, fn, ctx, err);
}

rasd_err store_search_hits(Store *s, const char *expr, const struct FtsOptions *o,
                           struct FtsHit *v, size_t n, rasd_error *err)
{
    if (!s->ops->search_hits)
        return rasd_fail(err, RASD_EINVAL, "search is not available on this store");
    return s->ops->search_hits(s, expr, o, v, n, err);
}

rasd_err store_each_spelling(Store *s, const char *key, size_t n, size_t limit,
                             int (*fn)(void *ctx, const char *text, size_t n, int64_t count),
                             void *ctx, rasd_error *err)
{
    return s->ops->each_spelling(s, key, n, limit, fn, ctx, err);
}

int store_generation(Store *s, uint64_t *gen)
{
    return s->ops->generation ? s->ops->generation(s, gen) : 0;
}

int64_t store_key_mentions(Store *s, const char *key, size_t n)
{
    return s->ops->key_mentions(s, key, n);
}

rasd_err store_each_surname_key(Store *s, const char *key, size_t n, size_t limit,
                                int (*fn)(void *ctx, const char *full, size_t n,
                                          int64_t mentions),
                                void *ctx, rasd_error *err)
{
    return s->ops->each_surname_key ? s->ops->each_surname_key(s, key, n, limit, fn, ctx, err)
                                    : RASD_OK;
}

rasd_err store_key_stories(Store *s, const char *key, size_t limit,
                           int (*fn)(void *ctx, int64_t story, const char *headline,
                                     const char *last, int64_t articles),
                           void *ctx, rasd_error *err)
{
    return s->ops->key_stories(s, key, limit, fn, ctx, err);
}

rasd_err store_story_headlines(Store *s, const int64_t *ids, size_t n,
                               int (*fn)(void *ctx, int64_t story, const char *headline),
                               void *ctx, rasd_error *err)
{
    return s->ops->story_headlines(s, ids, n, fn, ctx, err);
}

rasd_err store_key_articles(Store *s, const char *key, size_t limit,
                            int (*fn)(void *ctx, int64_t id), void *ctx, rasd_error *err)
{
    return s->ops->key_articles(s, key, limit, fn, ctx, err);
}

int64_t store_phrase_docs(Store *s, const char *expr, int64_t cap)
{
    return s->ops->phrase_docs ? s->ops->phrase_docs(s, expr, cap) : 0;
}

rasd_err store_each_copy(Store *s, int64_t of, int (*fn)(void *ctx, int64_t id), void *ctx,
                         rasd_error *err)
{
    return s->ops->each_copy(s, of, fn, ctx, err);
}
