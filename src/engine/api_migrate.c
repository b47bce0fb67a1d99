/*
 * api_migrate.c — rasd_engine_migrate (include/rasd.h; `rasd migrate
 * --from SRC --to DST`): copies a whole archive from one store to another
 * (SQLite → PostgreSQL, or back) through the store interface only, so any
 * two implementations work.
 *
 * One transaction on the target: a migration that fails or is killed leaves
 * the target as it was (and it must hold no articles to begin with). Row ids
 * are the target's own; a map from source to target ids rewrites every
 * reference (parent page, near-copy, mentions, story vectors, events,
 * sightings). What is copied, in order:
 *  1. articles in publication order, each with its annotation blob; its
 *     mentions and near-copy signature (MinHash, LSH band keys) are rebuilt
 *     from that blob (annot_decode + fp_minhash), the same values ingest
 *     stored. A split-off article whose page is not copied yet waits for it.
 *  2. near-copy links, story vectors, threads, events and their articles,
 *     thread profiles, document frequencies and sightings, as stored.
 * Not copied: the file log and the view cache (views rebuild it on read).
 * rasd_engine_checksum gives what the caller verifies after the commit: the
 * article count and XXH3 of the sorted article hashes, equal on both stores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "annotate/analyze.h"
#include "annotate/annotate.h"
#include "story/fingerprint.h"

/* A near-copy link to set once every article is copied (source ids). */
typedef struct CopyLink {
    int64_t id, of;
    double sim;
} CopyLink;

typedef struct Mig {
    Store *src, *dst;
    IdMap map;          /* source row id -> target row id */
    CopyLink *links;
    size_t nlinks, caplinks;
    int64_t *waiting;   /* source ids whose parent page is not copied yet */
    size_t nwaiting, capwaiting;
    size_t articles, mentions, unannotated, vecs, events, threads, sightings, dfs;
    int64_t last_thread, last_event;
    rasd_err e;
    rasd_error *err;
} Mig;

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        void *p = realloc(*v, nc * size);
        if (!p)
            return -1;
        *v = p;
        *cap = nc;
    }
    (*n)++;
    return 0;
}

static int64_t mapped(const Mig *m, int64_t src) { return src > 0 ? idmap_get(&m->map, (uint64_t)src) : 0; }

/* The annotation blob of one source article, copied and decoded against its body. */
typedef struct Blob {
    rasd_buf blob;
    Annotated an;
    int have;   /* an is valid */
} Blob;

static int on_annotated(void *ctx, const char *body, size_t len, const void *blob, size_t n)
{
    Blob *b = ctx;
    rasd_buf_append(&b->blob, blob, n);
    rasd_error derr;
    if (annot_decode(body, len, blob, n, &b->an, &derr) == RASD_OK)
        b->have = 1;
    return 0;
}

static int oom(Mig *m)
{
    m->e = rasd_fail(m->err, RASD_ENOMEM, "out of memory");
    return 1;
}

static int copy_article(Mig *m, const StoredArticle *a)
{
    int64_t parent = mapped(m, a->parent);
    if (a->parent && !parent) {
        if (push((void **)&m->waiting, &m->nwaiting, &m->capwaiting, sizeof *m->waiting) != 0)
            return oom(m);
        m->waiting[m->nwaiting - 1] = a->id;
        return 0;
    }
    Blob b = {{0}, {0}, 0};
    rasd_error gerr;
    rasd_err ge = store_get_annotated(m->src, a->id, on_annotated, &b, &gerr);
    if (ge != RASD_OK && ge != RASD_ENOTFOUND) {
        m->e = rasd_fail(m->err, ge, "%s", gerr.msg);
        rasd_buf_free(&b.blob);
        return 1;
    }
    if (b.blob.oom) {
        rasd_buf_free(&b.blob);
        if (b.have)
            annotated_free(&b.an);
        return oom(m);
    }
    /* the signature is not part of StoredArticle: rebuilt from the stored tokens */
    uint32_t sig[FP_MINHASH];
    int have_sig = b.have && fp_minhash(b.an.doc, sig) > 0;
    NewArticle na = {a->hash, a->title, a->outlet, a->agency, a->published, a->url, a->author,
                     a->body ? a->body : "", a->origin, parent, have_sig ? sig : NULL,
                     have_sig ? FP_MINHASH : 0};
    int64_t id = 0;
    m->e = store_put_article(m->dst, &na, &id, m->err);
    uint32_t *slot = m->e == RASD_OK ? idmap_slot(&m->map, (uint64_t)a->id) : NULL;
    if (m->e == RASD_OK && !slot)
        m->e = rasd_fail(m->err, RASD_ENOMEM, "out of memory");
    if (slot) {
        *slot = (uint32_t)id;
        m->articles++;
    }
    if (m->e == RASD_OK && ge == RASD_OK)
        m->e = store_put_annotations(m->dst, id, b.blob.data ? b.blob.data : "", b.blob.len, m->err);
    else if (ge != RASD_OK)
        m->unannotated++;
    if (b.have) {
        const char *text = rasd_doc_text(b.an.doc, NULL);
        for (size_t k = 0; m->e == RASD_OK && k < b.an.ents.n; k++) {
            const Entity *x = &b.an.ents.items[k];
            m->e = store_put_mention(m->dst, id, entity_type_name(x->type),
                                     b.an.ents.keys.data ? b.an.ents.keys.data + x->key_off : "",
                                     x->key_len, text + x->start, x->end - x->start, x->start,
                                     x->end, m->err);
            m->mentions++;
        }
        annotated_free(&b.an);
    }
    rasd_buf_free(&b.blob);
    if (m->e == RASD_OK && have_sig) {
        uint64_t keys[FP_BANDS];
        fp_lsh_keys(sig, keys);
        m->e = store_put_lsh(m->dst, id, keys, FP_BANDS, m->err);
    }
    if (m->e == RASD_OK && a->copy_of) {
        if (push((void **)&m->links, &m->nlinks, &m->caplinks, sizeof *m->links) != 0)
            return oom(m);
        m->links[m->nlinks - 1] = (CopyLink){a->id, a->copy_of, a->copy_sim};
    }
    return m->e != RASD_OK;
}

static int on_article(void *ctx, const StoredArticle *a) { return copy_article(ctx, a); }

static int on_vec(void *ctx, const StoredVec *v)
{
    Mig *m = ctx;
    m->e = store_put_vec(m->dst, mapped(m, v->article), v->vec, v->n, m->err);
    m->vecs++;
    return m->e != RASD_OK;
}

static int on_story(void *ctx, const StoryArticle *r)
{
    Mig *m = ctx;
    if (r->thread.id != m->last_thread) {
        StoredStory t = r->thread;
        t.profile = NULL; /* set from each_thread_profile below */
        t.profile_len = 0;
        m->e = store_put_thread(m->dst, &t, m->err);
        m->last_thread = r->thread.id;
        m->threads++;
    }
    if (m->e == RASD_OK && r->event.id != m->last_event) {
        m->e = store_put_event(m->dst, &r->event, m->err);
        m->last_event = r->event.id;
        m->events++;
    }
    if (m->e == RASD_OK)
        m->e = store_put_article_event(m->dst, mapped(m, r->article), r->event.id, r->score,
                                       m->err);
    return m->e != RASD_OK;
}

static int on_profile(void *ctx, int64_t id, const char *last, const void *profile, size_t n)
{
    Mig *m = ctx;
    m->e = store_set_thread_profile(m->dst, id, profile, n, m->err);
    return m->e != RASD_OK;
}

static int on_df(void *ctx, uint64_t id, uint32_t n)
{
    Mig *m = ctx;
    m->e = store_add_df(m->dst, id, n, 1, m->err);
    m->dfs++;
    return m->e != RASD_OK;
}

static int on_sighting(void *ctx, const StoredSighting *x)
{
    Mig *m = ctx;
    int added = 0;
    m->e = store_add_sighting(m->dst, mapped(m, x->article), x->outlet, x->url, x->published,
                              x->origin, &added, m->err);
    m->sightings += (size_t)added;
    return m->e != RASD_OK;
}

/* A store's article hashes, 16 hex digits each, back to back in a Buf. */
static int on_hash(void *ctx, const StoredArticle *a)
{
    Buf *h = ctx;
    buf_append(h, a->hash, 16);
    return h->oom;
}

static int cmp_hash(const void *a, const void *b) { return memcmp(a, b, 16); }

RASD_API rasd_err rasd_engine_checksum(rasd_engine *e, size_t *articles, uint64_t *sum,
                                       rasd_error *err)
{
    if (!e || !articles || !sum)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_checksum: bad argument");
    Buf h = {0};
    rasd_err rc = store_each_article(e->st, on_hash, &h, err);
    if (rc == RASD_OK && h.oom)
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (rc == RASD_OK) {
        size_t n = h.len / 16;
        if (n)
            qsort(h.data, n, 16, cmp_hash);
        *articles = n;
        *sum = rasd_hash(h.data ? h.data : "", n * 16);
    }
    buf_free(&h);
    return rc;
}

static rasd_err migrate(Mig *m)
{
    rasd_err e = store_begin(m->dst, m->err);
    if (e != RASD_OK)
        return e;
    e = store_each_article(m->src, on_article, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    /* split-off articles whose page came later: until no progress */
    while (e == RASD_OK && m->nwaiting) {
        size_t before = m->nwaiting, n = m->nwaiting;
        int64_t *ids = m->waiting;
        m->waiting = NULL;
        m->nwaiting = m->capwaiting = 0;
        for (size_t i = 0; e == RASD_OK && i < n; i++) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)ids[i]);
            StoredArticle a;
            e = store_get_article(m->src, id, &a, m->err);
            if (e == RASD_OK) {
                copy_article(m, &a);
                e = m->e;
                store_article_free(&a);
            }
        }
        free(ids);
        if (e == RASD_OK && m->nwaiting == before)
            e = rasd_fail(m->err, RASD_EFORMAT, "%zu articles name a parent page that is not stored",
                          before);
    }
    for (size_t i = 0; e == RASD_OK && i < m->nlinks; i++)
        e = store_set_copy(m->dst, mapped(m, m->links[i].id), mapped(m, m->links[i].of),
                           m->links[i].sim, m->err);
    if (e == RASD_OK)
        e = store_each_vec_from(m->src, NULL, on_vec, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    if (e == RASD_OK)
        e = store_each_story_article(m->src, NULL, 0, on_story, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    if (e == RASD_OK) /* "" is before every date: all threads with a profile */
        e = store_each_thread_profile(m->src, "", on_profile, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    if (e == RASD_OK)
        e = store_each_df(m->src, on_df, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    if (e == RASD_OK)
        e = store_each_sighting(m->src, 0, on_sighting, m, m->err);
    if (e == RASD_OK)
        e = m->e;
    if (e == RASD_OK)
        e = store_commit(m->dst, m->err);
    else
        store_rollback(m->dst);
    return e;
}


RASD_API size_t rasd_engine_article_count(rasd_engine *e) { return e ? store_count_articles(e->st) : 0; }

RASD_API rasd_err rasd_engine_migrate(rasd_engine *src, rasd_engine *dst, rasd_migrate_report *r,
                                      rasd_error *err)
{
    rasd_err w = api_writable(dst, "rasd_engine_migrate", err);
    if (w != RASD_OK)
        return w;
    if (!src)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_migrate: no source");
    size_t held = store_count_articles(dst->st);
    if (held)
        return rasd_fail(err, RASD_EINVAL, "the target already holds %zu articles; migrate into "
                         "an empty store", held);
    Mig m = {0};
    m.src = src->st;
    m.dst = dst->st;
    m.err = err;
    rasd_err rc = migrate(&m);
    if (rc == RASD_OK && r)
        *r = (rasd_migrate_report){m.articles, m.mentions, m.unannotated, m.nlinks, m.vecs,
                                   m.threads, m.events, m.dfs, m.sightings};
    idmap_free(&m.map);
    free(m.links);
    free(m.waiting);
    return rc;
}
