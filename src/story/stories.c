/*
 * stories.c — runs story assignment over the store (stories.h).
 *
 * Grouping is a function of the set of stored articles: the same articles
 * give the same events and threads whatever order they arrived in — one
 * batch, a day at a time, back-filled days, four writers at once.
 *
 * Canonical order. Articles are placed day by day in publication order;
 * within a day the assigner places them in its canonical order (fuller
 * reports first, then a content hash, then the article's identity hash —
 * never a row id or an arrival number). Undated articles belong to the
 * newest day of the store.
 *
 * Weights. The stored vectors are raw term counts; an article of day d is
 * weighed with the document frequencies of every article published on or
 * before d (prefix counts, over the embedded prior): a later day never
 * changes how an earlier article was weighed, so the decisions of a day
 * depend on that day and the days before it, nothing else.
 *
 * Every run re-decides. An incremental run that kept earlier decisions
 * fixed (the design up to session 4) placed a late batch against events
 * an earlier run had decided on fewer articles, so the result depended on
 * arrival order. Now every run is exactly one run over everything in
 * canonical order: it replays every stored vector, or (see "checkpoints"
 * below) restores the state the previous run saved at the start of its
 * newest day and replays from that day, which gives the same state
 * because the state at a day boundary depends only on earlier days. What
 * is written follows what changed: an event whose articles are exactly
 * those of a stored event keeps its row and id untouched; a changed event
 * takes the smallest stored id among its articles' events that no other
 * event kept, else a new id; threads likewise. Stored briefs are keyed by
 * id and membership, so stories that did not change keep theirs.
 *
 * An event's headline is the title most like the others' (largest summed
 * headline cosine over up to 40 members), chosen when its membership
 * changes; an unchanged event keeps its stored one. A thread's headline
 * is its largest event's.
 */
#include "story/stories.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "story/cluster_state.h"

typedef struct Member {
    int64_t article;     /* row id */
    char *published, *outlet, *title; /* owned copies, may be NULL */
    SvTerm *title_vec;   /* weighted headline vector (owned), NULL until placed */
    uint16_t ntitle;
    size_t art;          /* its number in the assigner */
    uint32_t event;      /* assigner's event id */
    double score;
    int64_t stored;      /* its event in the store before this run, 0 if none */
    int64_t stored_thread; /* and that event's stored thread, 0 if none */
    char *stored_headline; /* that event's stored headline (owned), may be NULL */
    uint64_t key;        /* identity and raw vector: what the checkpoint knows it by */
    int placed;          /* given to the assigner (or restored from the checkpoint) */
} Member;

/* An article read but not yet placed: its day is still being collected. */
typedef struct Held {
    StoryVec v;          /* raw vector (owned until placed) */
    size_t member;       /* index in Run.m */
    uint64_t ident;      /* identity: its public hash id as a number */
} Held;

typedef struct HeldList {
    Held *h;
    size_t n, cap;
} HeldList;

/* A member of the checkpoint: an article of the days before its day. */
typedef struct PreKey {
    uint64_t key;        /* Member.key */
    uint32_t idx;        /* its number in the assigner (checkpoint) or in Run.m (run) */
} PreKey;

/* The checkpoint read from the store (stories.c, "Checkpoints"). */
typedef struct Ckpt {
    Buf buf;             /* its bytes */
    int ok;              /* read and well-formed */
    int32_t day;         /* the state is the one before this day is placed */
    PreKey *keys;        /* the articles of earlier days, by key */
    size_t nkeys;
    ClReader df, outlets, titles, state; /* the parts, still to read */
} Ckpt;

typedef struct Run {
    Ckpt *ck;            /* the checkpoint to restore, NULL for a replay from scratch */
    int restored;        /* it was restored */
    int moved;           /* a day was placed since (else the stored one still holds) */
    int fallback;        /* it could not be used: replay from scratch */
    PreKey *pre;         /* with ck: the articles read before its day */
    size_t npre, cap_pre;
    rasd_err ck_e;       /* writing the checkpoint failed (ck_make): the grouping fails */
    rasd_error ck_err;
    Assigner *as;
    SvDf *df;            /* prefix counts: every article of the days placed so far */
    Member *m;
    size_t n, cap;
    size_t bad;
    int oom;
    HeldList day;        /* the day being read */
    int32_t cur_day;     /* its day, SV_NO_DAY before the first dated article */
    HeldList undated;    /* placed with the newest day */
} Run;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The public hash id (16 hex digits) as a number; 0 when absent. */
static uint64_t ident_of(const char *hash)
{
    return hash ? strtoull(hash, NULL, 16) : 0;
}

/* Room for one more item in *p (n used of *cap); -1 (r->oom) when out of memory. */
static int grow_one(Run *r, void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    void *np = realloc(*p, nc * size);
    if (!np) {
        r->oom = 1;
        return -1;
    }
    *p = np;
    *cap = nc;
    return 0;
}

static int held_push(Run *r, HeldList *l, StoryVec *v, size_t member, uint64_t ident)
{
    if (grow_one(r, (void **)&l->h, &l->cap, l->n, sizeof *l->h) < 0)
        return -1;
    l->h[l->n++] = (Held){ *v, member, ident };
    memset(v, 0, sizeof *v);
    return 0;
}

/*
 * Places one day: its articles are counted first (the prefix counts and
 * each outlet's counts then hold the day's end), then weighed without
 * their outlet's own words (vector.h sv_df_own) and given to the
 * assigner, which orders them canonically.
 */
static void place_day(Run *r, HeldList *l)
{
    r->moved = 1;
    for (size_t i = 0; i < l->n && !r->oom; i++) {
        sv_df_add(r->df, &l->h[i].v);
        if (sv_df_add_outlet(r->df, &l->h[i].v, sv_outlet_id(r->m[l->h[i].member].outlet)) < 0)
            r->oom = 1;
    }
    if (!r->oom && sv_df_day_end(r->df) < 0)
        r->oom = 1;
    for (size_t i = 0; i < l->n && !r->oom; i++) {
        Held *h = &l->h[i];
        Member *m = &r->m[h->member];
        if (sv_weigh_outlet(&h->v, r->df, sv_outlet_id(m->outlet)) < 0) {
            r->oom = 1;
            break;
        }
        m->title_vec = malloc((h->v.ntitle + 1) * sizeof(SvTerm));
        if (!m->title_vec) {
            r->oom = 1;
            break;
        }
        if (h->v.ntitle)
            memcpy(m->title_vec, h->v.title, h->v.ntitle * sizeof(SvTerm));
        m->ntitle = h->v.ntitle;
        long art = assign_add_id(r->as, &h->v, h->ident);
        if (art < 0) {
            r->oom = 1;
            break;
        }
        m->art = (size_t)art;
        m->placed = 1;
    }
    for (size_t i = 0; i < l->n; i++)
        sv_free(&l->h[i].v);
    l->n = 0;
}


/* ---- checkpoints ----
 *
 * The state at the start of a day depends only on the articles of earlier
 * days (canonical order, prefix counts). Each grouping saves it for the
 * newest day: the assigner's whole state (cluster_state.c), the prefix
 * counts, the key of every article of the earlier days (its identity and
 * raw vector bytes) with its number in the assigner, and the weighted
 * headline of each of those articles whose event is still open (an
 * event's headline is chosen among its members'). The next grouping reads
 * the store in publication order; when the articles before that day are
 * exactly the checkpoint's (same keys), it restores the state and places
 * only the days from there on. Anything else (a back-filled or removed
 * article, other options, another version, damaged bytes) replays from
 * scratch, silently: the result is the same either way, only slower.
 *
 * Layout: magic, version, XXH3 of the rest, day, keys (key, number),
 * counts (articles, then id, count), outlets' counts (outlets, then each
 * outlet's id, articles, bucket, entries and its entries' id, count,
 * delta), headlines (number, count, entries), state (length, bytes).
 */
#define CKPT_MAGIC 0x4b435352u /* "RSCK" */
#define CKPT_VERSION (1000u + CL_STATE_VERSION)

static int cmp_prekey(const void *a, const void *b)
{
    const PreKey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* A count of items of at least `each` bytes that the rest of r can hold. */
static size_t ck_count(ClReader *r, size_t each)
{
    uint64_t k = cl_get_u64(r);
    if (r->bad || k > (r->n - r->at) / each) {
        r->bad = 1;
        return 0;
    }
    return (size_t)k;
}

/* Reads the checkpoint's header and keys; ck->ok when well-formed. */
static void ck_parse(Ckpt *ck)
{
    ClReader r = { (const unsigned char *)ck->buf.data, ck->buf.len, 0, 0 };
    if (cl_get_u32(&r) != CKPT_MAGIC || cl_get_u32(&r) != CKPT_VERSION)
        return;
    uint64_t sum = cl_get_u64(&r);
    if (r.bad || sum != rasd_hash(r.p + r.at, r.n - r.at))
        return;
    ck->day = (int32_t)cl_get_u32(&r);
    size_t n = ck_count(&r, 12);
    if (r.bad)
        return;
    ck->keys = malloc((n ? n : 1) * sizeof *ck->keys);
    if (!ck->keys)
        return;
    for (size_t i = 0; i < n; i++) {
        ck->keys[i].key = cl_get_u64(&r);
        ck->keys[i].idx = cl_get_u32(&r);
    }
    ck->nkeys = n;
    /* counts: articles, then (id, count) */
    size_t start = r.at;
    cl_get_u32(&r);
    size_t nd = ck_count(&r, 12);
    cl_get_bytes(&r, nd * 12);
    ck->df = (ClReader){ r.p + start, r.at - start, 0, r.bad };
    /* outlets: (outlet, docs, bucket, n, then n × (id, count, delta)) */
    start = r.at;
    size_t no = ck_count(&r, 24);
    for (size_t i = 0; i < no && !r.bad; i++) {
        cl_get_u64(&r);
        cl_get_u32(&r);
        cl_get_u32(&r);
        size_t ne = ck_count(&r, 16);
        cl_get_bytes(&r, ne * 16);
    }
    ck->outlets = (ClReader){ r.p + start, r.at - start, 0, r.bad };
    /* headlines: (number, count, entries) */
    start = r.at;
    size_t nt = ck_count(&r, 8);
    for (size_t i = 0; i < nt && !r.bad; i++) {
        cl_get_u32(&r);
        uint32_t k = cl_get_u32(&r);
        cl_get_bytes(&r, (size_t)k * 12);
    }
    ck->titles = (ClReader){ r.p + start, r.at - start, 0, r.bad };
    uint64_t ns = cl_get_u64(&r);
    if (r.bad || ns != r.n - r.at)
        return;
    ck->state = (ClReader){ r.p + r.at, (size_t)ns, 0, 0 };
    ck->ok = 1;
}

static void ck_free(Ckpt *ck)
{
    buf_free(&ck->buf);
    free(ck->keys);
    memset(ck, 0, sizeof *ck);
}

static int put_df(void *ctx, uint64_t id, uint32_t count)
{
    ClSink *s = ctx;
    cl_put_u64(&s->b, id);
    cl_put_u32(&s->b, count);
    cl_sink_room(s);
    return 0;
}

static int put_outlet(void *ctx, uint64_t outlet, uint32_t docs, uint32_t bucket, uint32_t n)
{
    ClSink *s = ctx;
    cl_put_u64(&s->b, outlet);
    cl_put_u32(&s->b, docs);
    cl_put_u32(&s->b, bucket);
    cl_put_u64(&s->b, n);
    cl_sink_room(s);
    return 0;
}

static int put_outlet_entry(void *ctx, uint64_t id, uint32_t count, uint32_t delta)
{
    ClSink *s = ctx;
    cl_put_u64(&s->b, id);
    cl_put_u32(&s->b, count);
    cl_put_u32(&s->b, delta);
    cl_sink_room(s);
    return 0;
}

static int count_outlet(void *ctx, uint64_t outlet, uint32_t docs, uint32_t bucket, uint32_t n)
{
    (void)outlet;
    (void)docs;
    (void)bucket;
    (void)n;
    ++*(size_t *)ctx;
    return 0;
}

static int count_none(void *ctx, uint64_t id, uint32_t count, uint32_t delta)
{
    (void)ctx;
    (void)id;
    (void)count;
    (void)delta;
    return 0;
}

static int count_df(void *ctx, uint64_t id, uint32_t count)
{
    (void)id;
    (void)count;
    ++*(size_t *)ctx;
    return 0;
}

/*
 * Encodes the checkpoint for the day about to be placed (every member
 * placed so far is of an earlier day) into s, the state's length given
 * (its place holds state_len; the sum's 8 bytes at offset 8 are left 0).
 * The offset where the state starts goes to *state_at. -1 when it cannot
 * be made (out of memory), else 0.
 */
static int ck_encode(Run *r, int32_t day, uint64_t state_len, ClSink *s, uint64_t *state_at)
{
    Buf *b = &s->b;
    cl_put_u32(b, CKPT_MAGIC);
    cl_put_u32(b, CKPT_VERSION);
    cl_put_u64(b, 0); /* the sum, written last */
    cl_put_u32(b, (uint32_t)day);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->m[i].placed;
    PreKey *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return -1;
    n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->m[i].placed)
            keys[n++] = (PreKey){ r->m[i].key, (uint32_t)r->m[i].art };
    if (n > 1)
        qsort(keys, n, sizeof *keys, cmp_prekey);
    cl_put_u64(b, n);
    for (size_t i = 0; i < n; i++) {
        cl_put_u64(b, keys[i].key);
        cl_put_u32(b, keys[i].idx);
        cl_sink_room(s);
    }
    free(keys);
    size_t nd = 0;
    sv_df_each(r->df, count_df, &nd);
    cl_put_u32(b, sv_df_docs(r->df));
    cl_put_u64(b, nd);
    sv_df_each(r->df, put_df, s);
    size_t no = 0;
    sv_df_each_outlet(r->df, &(SvOutletEach){ count_outlet, count_none, &no });
    cl_put_u64(b, no);
    sv_df_each_outlet(r->df, &(SvOutletEach){ put_outlet, put_outlet_entry, s });
    size_t nt = 0;
    for (size_t i = 0; i < r->n; i++)
        nt += r->m[i].placed && r->m[i].title_vec && cl_state_article_open(r->as, r->m[i].art);
    cl_put_u64(b, nt);
    for (size_t i = 0; i < r->n; i++) {
        const Member *m = &r->m[i];
        if (!m->placed || !m->title_vec || !cl_state_article_open(r->as, m->art))
            continue;
        cl_put_u32(b, (uint32_t)m->art);
        cl_put_u32(b, m->ntitle);
        for (size_t k = 0; k < m->ntitle; k++) {
            cl_put_u64(b, m->title_vec[k].id);
            uint32_t w;
            memcpy(&w, &m->title_vec[k].w, 4);
            cl_put_u32(b, w);
        }
        cl_sink_room(s);
    }
    cl_put_u64(b, state_len);
    *state_at = s->done + b->len;
    return cl_state_write(r->as, s) < 0 || b->oom ? -1 : 0;
}

/* Where ck_make's second pass puts the bytes: the store, and the sum of
   everything after the first 16 bytes. */
typedef struct CkOut {
    StoreCkpt *w;
    XXH3_state_t *sum;
    rasd_err e;
    rasd_error err;
} CkOut;

static int ck_count_piece(void *ctx, uint64_t at, const void *p, size_t n)
{
    (void)ctx, (void)at, (void)p, (void)n;
    return 0;
}

static int ck_put_piece(void *ctx, uint64_t at, const void *p, size_t n)
{
    CkOut *o = ctx;
    size_t skip = at < 16 ? (size_t)(16 - at) : 0;
    if (n > skip)
        XXH3_64bits_update(o->sum, (const char *)p + skip, n - skip);
    o->e = store_ckpt_write(o->w, at, p, n, &o->err);
    return o->e != RASD_OK;
}

/*
 * Writes the checkpoint for the day about to be placed into the store
 * (in the caller's transaction, else its own), a mebibyte at a time: a
 * first pass counts its bytes, the second writes them, so the 45 MB of a
 * large store's state are never held whole. The state depends only on the
 * earlier days, so it is right whether or not this run's grouping is
 * committed. Nothing is written when it cannot be made (out of memory);
 * a store error is kept in r->ck_e for store_result.
 */
static void ck_make(Store *st, Run *r, int32_t day)
{
    if (day == SV_NO_DAY || r->oom || r->ck_e != RASD_OK)
        return;
    uint64_t state_at = 0, state_at2 = 0;
    ClSink count = { { 0 }, 0, ck_count_piece, NULL, 0, 0 };
    int rc = ck_encode(r, day, 0, &count, &state_at);
    uint64_t total = count.done;
    buf_free(&count.b);
    if (rc < 0)
        return;
    CkOut o = { NULL, XXH3_createState(), RASD_OK, { 0 } };
    ClSink s = { { 0 }, 0, ck_put_piece, &o, 0, 0 };
    if (!o.sum || XXH3_64bits_reset(o.sum) != XXH_OK)
        o.e = rasd_fail(&o.err, RASD_ENOMEM, "out of memory");
    if (o.e == RASD_OK)
        o.e = store_begin(st, &o.err);
    int begun = o.e == RASD_OK;
    if (o.e == RASD_OK)
        o.e = store_ckpt_open(st, total, &o.w, &o.err);
    if (o.e == RASD_OK) {
        rc = ck_encode(r, day, total - state_at, &s, &state_at2);
        if (o.e == RASD_OK && (rc < 0 || s.failed || state_at2 != state_at || s.done != total))
            o.e = rasd_fail(&o.err, RASD_ENOMEM, "out of memory writing the grouping checkpoint");
    }
    if (o.e == RASD_OK) {
        unsigned char sum[8];
        uint64_t h = XXH3_64bits_digest(o.sum);
        for (size_t i = 0; i < 8; i++)
            sum[i] = (unsigned char)(h >> (8 * i));
        o.e = store_ckpt_write(o.w, 8, sum, 8, &o.err);
    }
    if (o.w) {
        rasd_error cerr;
        rasd_err ce = store_ckpt_close(o.w, o.e == RASD_OK, &cerr);
        if (o.e == RASD_OK && ce != RASD_OK) {
            o.e = ce;
            o.err = cerr;
        }
    }
    if (begun && o.e == RASD_OK)
        o.e = store_commit(st, &o.err);
    else if (begun)
        store_rollback(st);
    buf_free(&s.b);
    XXH3_freeState(o.sum);
    if (o.e != RASD_OK) {
        r->ck_e = o.e;
        r->ck_err = o.err;
    }
}

/*
 * Restores the checkpoint when the articles read before its day are
 * exactly its own; otherwise (or on a damaged part) asks for a replay
 * from scratch. 0, or -1 (r->fallback or r->oom set).
 */
static int ck_restore(Run *r)
{
    Ckpt *ck = r->ck;
    r->fallback = 1;
    if (r->npre != ck->nkeys)
        return -1;
    if (r->npre > 1)
        qsort(r->pre, r->npre, sizeof *r->pre, cmp_prekey);
    size_t n = r->npre;
    size_t *member = malloc((n ? n : 1) * sizeof *member);
    if (!member) {
        r->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        member[i] = SIZE_MAX;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        uint32_t art = ck->keys[i].idx;
        if (r->pre[i].key != ck->keys[i].key || art >= n || member[art] != SIZE_MAX)
            ok = 0;
        else
            member[art] = r->pre[i].idx;
    }
    if (ok) {
        int rc = cl_state_load(r->as, ck->state.p, ck->state.n);
        if (rc == -2)
            r->oom = 1;
        ok = rc == 0 && assign_narticles(r->as) == n;
    }
    if (ok) { /* the prefix counts */
        ClReader d = ck->df;
        sv_df_set_docs(r->df, cl_get_u32(&d));
        uint64_t nd = cl_get_u64(&d);
        for (uint64_t i = 0; i < nd && !d.bad; i++) {
            uint64_t id = cl_get_u64(&d);
            if (sv_df_set(r->df, id, cl_get_u32(&d)) < 0)
                r->oom = 1;
        }
        ok = !d.bad && !r->oom;
    }
    if (ok) { /* the outlets' counts */
        ClReader d = ck->outlets;
        uint64_t no = cl_get_u64(&d);
        for (uint64_t i = 0; i < no && ok && !d.bad; i++) {
            uint64_t outlet = cl_get_u64(&d);
            uint32_t docs = cl_get_u32(&d), bucket = cl_get_u32(&d);
            uint64_t ne = cl_get_u64(&d);
            ok = !d.bad && sv_df_set_outlet(r->df, outlet, docs, bucket) == 0;
            for (uint64_t k = 0; k < ne && ok && !d.bad; k++) {
                uint64_t id = cl_get_u64(&d);
                uint32_t cnt = cl_get_u32(&d);
                ok = sv_df_set_outlet_entry(r->df, outlet, id, cnt, cl_get_u32(&d)) == 0;
            }
        }
        ok = ok && !d.bad;
    }
    ClReader t = ck->titles;
    uint64_t nt = ok ? cl_get_u64(&t) : 0;
    for (uint64_t i = 0; i < nt && ok; i++) {
        uint32_t art = cl_get_u32(&t), k = cl_get_u32(&t);
        const unsigned char *p = cl_get_bytes(&t, (size_t)k * 12);
        if (!p || art >= n || k > SV_MAX_TITLE || r->m[member[art]].title_vec) {
            ok = 0;
            break;
        }
        Member *m = &r->m[member[art]];
        m->title_vec = malloc((k + 1) * sizeof *m->title_vec);
        if (!m->title_vec) {
            r->oom = 1;
            ok = 0;
            break;
        }
        ClReader e = { p, (size_t)k * 12, 0, 0 };
        for (uint32_t j = 0; j < k; j++) {
            m->title_vec[j].id = cl_get_u64(&e);
            uint32_t w = cl_get_u32(&e);
            memcpy(&m->title_vec[j].w, &w, 4);
        }
        m->ntitle = (uint16_t)k;
    }
    if (ok) {
        for (size_t art = 0; art < n; art++) {
            r->m[member[art]].art = art;
            r->m[member[art]].placed = 1;
        }
        r->restored = 1;
        r->fallback = 0;
    }
    free(member);
    return ok ? 0 : -1;
}

static int pre_push(Run *r, uint64_t key, size_t idx)
{
    if (grow_one(r, (void **)&r->pre, &r->cap_pre, r->npre, sizeof *r->pre) < 0)
        return -1;
    r->pre[r->npre++] = (PreKey){ key, (uint32_t)idx };
    return 0;
}

static int on_vec(void *ctx, const StoredVec *sv)
{
    Run *r = ctx;
    StoryVec v;
    rasd_error err;
    rasd_err de = sv_decode(&v, sv->vec, sv->n, &err);
    if (de == RASD_ENOMEM) { /* not a bad vector: the run cannot go on without it */
        r->oom = 1;
        return 1;
    }
    if (de != RASD_OK) {
        r->bad++;
        return 0;
    }
    if (grow_one(r, (void **)&r->m, &r->cap, r->n, sizeof *r->m) < 0) {
        sv_free(&v);
        return 1;
    }
    Member *m = &r->m[r->n];
    memset(m, 0, sizeof *m);
    m->article = sv->article;
    m->published = dup_or_null(sv->published);
    m->outlet = dup_or_null(sv->outlet);
    m->title = dup_or_null(sv->title);
    m->stored = sv->event;
    m->stored_thread = sv->event ? sv->thread : 0;
    m->stored_headline = sv->event ? dup_or_null(sv->event_headline) : NULL;
    size_t idx = r->n++; /* from here its strings are freed with the run's */
    if ((sv->published && !m->published) || (sv->outlet && !m->outlet) ||
        (sv->title && !m->title) || (sv->event && sv->event_headline && !m->stored_headline)) {
        sv_free(&v); /* a member without its date or outlet would group elsewhere */
        r->oom = 1;
        return 1;
    }
    uint64_t ident = ident_of(sv->hash);
    m->key = rasd_hash(sv->vec, sv->n) ^ (ident * 0x9E3779B97F4A7C15ull);
    if (r->ck && !r->restored && v.day != SV_NO_DAY) {
        if (v.day < r->ck->day) { /* the checkpoint should know it */
            sv_free(&v);
            pre_push(r, m->key, idx);
            return r->oom;
        }
        if (ck_restore(r) < 0) { /* its first article on or after the checkpoint's day */
            sv_free(&v);
            return 1;
        }
    }
    if (v.day == SV_NO_DAY) {
        if (held_push(r, &r->undated, &v, idx, ident) < 0)
            sv_free(&v);
        return r->oom;
    }
    /* rows come in publication order: a new day means the last one is complete */
    if (r->cur_day != SV_NO_DAY && v.day != r->cur_day)
        place_day(r, &r->day);
    r->cur_day = v.day;
    if (held_push(r, &r->day, &v, idx, ident) < 0)
        sv_free(&v);
    return r->oom;
}

/* The last day, with the undated articles (they belong to the newest day);
   the checkpoint is the state before it. */
static void place_last(Store *st, Run *r)
{
    if (r->ck && !r->restored) { /* nothing on or after the checkpoint's day */
        r->fallback = 1;
        return;
    }
    if (!(r->restored && !r->moved && r->cur_day == r->ck->day))
        ck_make(st, r, r->cur_day); /* else the stored checkpoint is this very state */
    for (size_t i = 0; i < r->undated.n && !r->oom; i++) {
        Held *h = &r->undated.h[i];
        h->v.day = r->cur_day;
        if (held_push(r, &r->day, &h->v, h->member, h->ident) < 0)
            sv_free(&h->v);
    }
    r->undated.n = 0;
    place_day(r, &r->day);
}

/* Aggregates of one event or thread while building the result. */
typedef struct Agg {
    int64_t id;          /* stored id it keeps or gets, 0 until chosen */
    size_t first, last;  /* member indexes with the earliest / latest date */
    size_t articles, events;
    size_t head;         /* member whose title is the headline (changed events) */
    double head_score;
    const char *headline; /* the headline to write (borrowed from a member) */
    size_t thread;       /* events: its thread's index in the thread table */
    int64_t common;      /* stored id all its articles share (0: none yet; -1: several or new) */
    int64_t cand;        /* a changed one: smallest stored id among its articles' */
    int seen;            /* met in the member loop */
    int changed;         /* membership differs from every stored one */
    int dirty;           /* threads: row to write (changed, or holds a changed event) */
    size_t biggest;      /* threads: articles in the largest event */
} Agg;

static void take_dates(Agg *g, const Member *ms, size_t i)
{
    const char *d = ms[i].published;
    if (!d)
        return;
    if (!ms[g->first].published || strcmp(d, ms[g->first].published) < 0)
        g->first = i;
    if (!ms[g->last].published || strcmp(d, ms[g->last].published) > 0)
        g->last = i;
}

static void free_list(HeldList *l)
{
    for (size_t i = 0; i < l->n; i++)
        sv_free(&l->h[i].v);
    free(l->h);
}

static void free_members(Run *r)
{
    free_list(&r->day);
    free_list(&r->undated);
    for (size_t i = 0; i < r->n; i++) {
        free(r->m[i].published);
        free(r->m[i].outlet);
        free(r->m[i].title);
        free(r->m[i].title_vec);
        free(r->m[i].stored_headline);
    }
    free(r->m);
    free(r->pre);
}

/* "YYYY-MM-DD" prefix of a date, in buf. */
static const char *day_of(const char *d, char buf[11])
{
    if (!d)
        return NULL;
    size_t n = strlen(d) < 10 ? strlen(d) : 10;
    memcpy(buf, d, n);
    buf[n] = 0;
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x ? x : "", y ? y : "");
}

static int cmp_event_outlet(const void *a, const void *b)
{
    const Member *x = *(Member *const *)a, *y = *(Member *const *)b;
    if (x->event != y->event)
        return x->event < y->event ? -1 : 1;
    return cmp_str(&x->outlet, &y->outlet);
}

/* The profile of assigner thread t, encoded for the store (empty if none). */
static void encode_profile(const Assigner *as, uint32_t t, Buf *b)
{
    const SvTerm *terms, *ents;
    size_t nt, ne;
    int32_t last;
    buf_reset(b);
    if (assign_thread_profile(as, t, &terms, &nt, &ents, &ne, &last) < 0)
        return;
    StoryVec v;
    memset(&v, 0, sizeof v);
    v.terms = (SvTerm *)terms;
    v.nterms = (uint16_t)nt;
    v.ents = (SvTerm *)ents;
    v.nents = (uint16_t)ne;
    v.day = last;
    sv_encode(&v, b);
}

/* Whether every stored article already has an event (nothing to do). */
static rasd_err all_assigned(Store *st, int *yes, rasd_error *err)
{
    int has = 0, found = 0;
    char from[40];
    *yes = 0;
    rasd_err e = store_has_events(st, &has, err);
    if (e == RASD_OK && has)
        e = store_unassigned_from(st, from, sizeof from, &found, err);
    if (e == RASD_OK && has && !found)
        *yes = 1;
    return e;
}

/* Count of each stored id among the members (by event, or by thread). */
static int count_stored(const Run *r, int threads, IdMap *out)
{
    for (size_t i = 0; i < r->n; i++) {
        int64_t id = threads ? r->m[i].stored_thread : r->m[i].stored;
        if (id <= 0)
            continue;
        uint32_t *slot = idmap_slot(out, (uint64_t)id);
        if (!slot)
            return -1;
        ++*slot;
    }
    return 0;
}

static void note_common(Agg *g, int64_t stored, int first)
{
    if (first)
        g->common = stored > 0 ? stored : -1;
    else if (g->common != stored)
        g->common = -1;
    if (stored > 0 && (!g->cand || stored < g->cand))
        g->cand = stored;
}

/*
 * Ids: an event (thread) whose articles are exactly those of one stored
 * event (thread) keeps it; the others, in order of first article, take the
 * smallest stored id among their articles' that nothing kept or took,
 * else the next new id.
 */
static int choose_ids(Agg *g, size_t n, const IdMap *count, int64_t *next)
{
    IdMap taken = { 0 };
    int rc = 0;
    for (size_t x = 0; x < n && !rc; x++) {
        if (!g[x].seen)
            continue;
        g[x].changed = !(g[x].common > 0 && idmap_get(count, (uint64_t)g[x].common) ==
                                                 (uint32_t)g[x].articles);
        if (g[x].changed)
            continue;
        uint32_t *slot = idmap_slot(&taken, (uint64_t)g[x].common);
        if (!slot)
            rc = -1;
        else
            *slot = 1;
        g[x].id = g[x].common;
    }
    for (size_t x = 0; x < n && !rc; x++) {
        if (!g[x].seen || !g[x].changed)
            continue;
        if (g[x].cand > 0 && !idmap_get(&taken, (uint64_t)g[x].cand)) {
            uint32_t *slot = idmap_slot(&taken, (uint64_t)g[x].cand);
            if (!slot) {
                rc = -1;
                break;
            }
            *slot = 1;
            g[x].id = g[x].cand;
        } else {
            g[x].id = ++*next;
        }
    }
    idmap_free(&taken);
    return rc;
}

/*
 * The most central title among up to 40 members of each changed event; an
 * unchanged event keeps its stored headline (its row is not rewritten).
 * Returns -1 when a member's weighted headline is missing (a checkpoint
 * that did not keep it: the caller replays from scratch).
 */
static int choose_headlines(Run *r, Agg *ev, size_t nev)
{
    int missing = 0;
    for (size_t x = 0; x < nev; x++)
        if (ev[x].seen && !ev[x].changed)
            ev[x].headline = r->m[ev[x].first].stored_headline;
    size_t *seen = calloc(nev + 1, sizeof *seen);
    size_t **mem = calloc(nev + 1, sizeof *mem);
    for (size_t i = 0; seen && mem && i < r->n; i++) {
        uint32_t x = r->m[i].event;
        if (!ev[x].changed)
            continue;
        if (!mem[x])
            mem[x] = calloc(40, sizeof **mem);
        if (mem[x] && seen[x] < 40)
            mem[x][seen[x]++] = i;
    }
    for (size_t x = 0; seen && mem && x < nev; x++) {
        for (size_t a = 0; a < seen[x]; a++) {
            const Member *ma = &r->m[mem[x][a]];
            missing |= ma->title && !ma->title_vec;
            if (!ma->title)
                continue;
            double s = 0;
            for (size_t b = 0; b < seen[x]; b++)
                if (b != a)
                    s += sv_cosine(ma->title_vec, ma->ntitle, r->m[mem[x][b]].title_vec,
                                   r->m[mem[x][b]].ntitle);
            if (s > ev[x].head_score) {
                ev[x].head_score = s;
                ev[x].head = mem[x][a];
            }
        }
        free(mem[x]);
    }
    for (size_t x = 0; x < nev; x++)
        if (ev[x].seen && ev[x].changed)
            ev[x].headline = r->m[ev[x].head].title;
    free(mem);
    free(seen);
    return missing ? -1 : 0;
}

/* Distinct outlets per event: members sorted by (event, outlet); NULL on OOM. */
static size_t *count_outlets(Run *r, size_t nev)
{
    size_t *distinct = calloc(nev + 1, sizeof *distinct);
    Member **by = malloc((r->n + 1) * sizeof *by);
    if (by && distinct) {
        for (size_t i = 0; i < r->n; i++)
            by[i] = &r->m[i];
        if (r->n > 1)
            qsort(by, r->n, sizeof *by, cmp_event_outlet);
        for (size_t i = 0; i < r->n; i++)
            if (by[i]->outlet && *by[i]->outlet && /* no outlet is none (as SQL's count(DISTINCT)) */
                (i == 0 || by[i]->event != by[i - 1]->event ||
                 cmp_str(&by[i]->outlet, &by[i - 1]->outlet) != 0))
                distinct[by[i]->event]++;
    }
    free(by);
    return distinct;
}

/*
 * Writes what changed, in the caller's transaction: threads to write
 * first (events reference them), then the changed events (their stored
 * rows dropped, the new ones put with their articles), the thread of
 * unchanged events, and the threads' counts.
 */
static rasd_err write_changes(Store *st, Run *r, Agg *ev, size_t nev, Agg *th, size_t nth,
                              StoriesStats *stats, rasd_error *err)
{
    rasd_err e = RASD_OK;
    char b1[11], b2[11];
    Buf prof = { 0 };
    for (size_t t = 0; e == RASD_OK && t <= nth; t++) {
        if (!th[t].seen || !th[t].dirty)
            continue;
        encode_profile(r->as, (uint32_t)t, &prof);
        if (prof.oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        StoredStory s = { th[t].id, th[t].id, day_of(r->m[th[t].first].published, b1),
                          day_of(r->m[th[t].last].published, b2), (int64_t)th[t].events,
                          (int64_t)th[t].articles, 0, th[t].headline,
                          prof.len ? prof.data : NULL, prof.len };
        e = store_put_thread(st, &s, err);
    }
    buf_free(&prof);
    IdMap dropped = { 0 };
    for (size_t i = 0; e == RASD_OK && i < r->n; i++) {
        const Member *m = &r->m[i];
        if (!ev[m->event].changed || m->stored <= 0 || idmap_get(&dropped, (uint64_t)m->stored))
            continue;
        uint32_t *slot = idmap_slot(&dropped, (uint64_t)m->stored);
        if (!slot) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        *slot = 1;
        e = store_drop_event(st, m->stored, err);
    }
    idmap_free(&dropped);
    size_t *distinct = e == RASD_OK ? count_outlets(r, nev) : NULL;
    for (size_t x = 0; e == RASD_OK && x < nev; x++) {
        if (!ev[x].seen)
            continue;
        int64_t thread = th[ev[x].thread].id;
        if (!ev[x].changed) {
            const Member *m = &r->m[ev[x].first];
            if (m->stored_thread != thread)
                e = store_set_event_thread(st, ev[x].id, thread, err);
            continue;
        }
        StoredStory s = { ev[x].id, thread, day_of(r->m[ev[x].first].published, b1),
                          day_of(r->m[ev[x].last].published, b2), 1, (int64_t)ev[x].articles,
                          distinct ? (int64_t)distinct[x] : 0, ev[x].headline, NULL, 0 };
        e = store_put_event(st, &s, err);
    }
    free(distinct);
    for (size_t i = 0; e == RASD_OK && i < r->n; i++) {
        const Member *m = &r->m[i];
        if (ev[m->event].changed)
            e = store_put_article_event(st, m->article, ev[m->event].id, m->score, err);
        stats->added += !m->stored;
    }
    if (e == RASD_OK)
        e = store_refresh_threads(st, err);
    return e;
}

/* Events and threads of the run, with their ids; then the writes. */
static rasd_err store_result(Store *st, Run *r, StoriesStats *stats, rasd_error *err)
{
    size_t nev = assign_nevents(r->as), nth = assign_nthreads(r->as);
    int64_t max_ev = 0, max_th = 0;
    rasd_err e = store_story_max_ids(st, &max_ev, &max_th, err);
    if (e != RASD_OK)
        return e;
    Agg *ev = calloc(nev + 1, sizeof *ev), *th = calloc(nth + 1, sizeof *th);
    size_t *by_art = malloc((r->n + 1) * sizeof *by_art);
    IdMap ecount = { 0 }, tcount = { 0 };
    if (!ev || !th || !by_art || count_stored(r, 0, &ecount) < 0 ||
        count_stored(r, 1, &tcount) < 0) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    /* members in canonical order (the assigner's numbers) */
    for (size_t i = 0; i < r->n; i++)
        by_art[r->m[i].art] = i;
    for (size_t k = 0; k < r->n; k++) {
        size_t i = by_art[k];
        Member *m = &r->m[i];
        uint32_t x = assign_event(r->as, m->art);
        m->event = x;
        m->score = assign_best_score(r->as, m->art);
        Agg *g = &ev[x];
        int first = !g->seen;
        if (first) {
            g->seen = 1;
            g->first = g->last = g->head = i;
            g->head_score = -1;
            uint32_t t = assign_thread(r->as, x);
            g->thread = t == UINT32_MAX || t >= nth ? nth : t; /* never after finish */
            Agg *h = &th[g->thread];
            note_common(h, m->stored_thread, !h->seen);
            if (!h->seen) {
                h->seen = 1;
                h->first = h->last = i;
            }
            h->events++;
        } else {
            note_common(&th[g->thread], m->stored_thread, 0);
        }
        note_common(g, m->stored, first);
        g->articles++;
        take_dates(g, r->m, i);
        Agg *h = &th[g->thread];
        h->articles++;
        take_dates(h, r->m, i);
    }
    int64_t next_ev = max_ev, next_th = max_th;
    if (choose_ids(ev, nev, &ecount, &next_ev) < 0 || choose_ids(th, nth + 1, &tcount, &next_th) < 0) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t x = 0; x < nev; x++) {
        if (!ev[x].seen)
            continue;
        Agg *h = &th[ev[x].thread];
        h->dirty |= h->changed | ev[x].changed;
        stats->events++;
        stats->multi += ev[x].articles > 1;
    }
    for (size_t x = 0; x < nev; x++) /* a written thread's events give its headline */
        ev[x].dirty = ev[x].seen && th[ev[x].thread].dirty;
    if (choose_headlines(r, ev, nev) < 0 && r->restored) {
        r->fallback = 1;
        goto out;
    }
    for (size_t x = 0; x < nev; x++) {
        Agg *h = &th[ev[x].thread];
        if (ev[x].dirty && ev[x].articles > h->biggest) {
            h->biggest = ev[x].articles;
            h->headline = ev[x].headline;
        }
    }
    for (size_t t = 0; t <= nth; t++)
        stats->threads += th[t].seen;
    e = store_begin(st, err);
    if (e == RASD_OK)
        e = write_changes(st, r, ev, nev, th, nth, stats, err);
    if (e == RASD_OK && r->ck_e != RASD_OK) { /* ck_make wrote it earlier, or failed */
        e = r->ck_e;
        *err = r->ck_err;
    }
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
out:
    idmap_free(&ecount);
    idmap_free(&tcount);
    free(by_art);
    free(ev);
    free(th);
    return e;
}

/* One grouping: with r->ck, from the checkpoint if it fits (else
   r->fallback is set and nothing was written). */
static rasd_err run(Store *st, Run *r, StoriesStats *stats, rasd_error *err)
{
    rasd_err e = store_each_vec_from(st, NULL, on_vec, r, err);
    if (e == RASD_OK && !r->oom && !r->fallback)
        place_last(st, r);
    if (e == RASD_OK && r->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory during story assignment");
    if (e != RASD_OK || r->fallback)
        return e;
    if (assign_finish(r->as) < 0) /* an event left incomplete must not be stored */
        return rasd_fail(err, RASD_ENOMEM, "out of memory during story assignment");
    stats->articles = r->n;
    stats->bad_vectors = r->bad;
    stats->restored = r->restored ? r->npre : 0;
    return store_result(st, r, stats, err);
}

rasd_err stories_assign(Store *st, const AssignOpts *o, StoriesStats *stats, rasd_error *err)
{
    Ckpt ck = { 0 };
    memset(stats, 0, sizeof *stats);
    int nothing = 0, found = 0;
    rasd_err e = all_assigned(st, &nothing, err);
    if (e != RASD_OK || nothing)
        return e;
    e = store_get_story_checkpoint(st, &ck.buf, &found, err);
    if (e == RASD_OK && found)
        ck_parse(&ck);
    /* a checkpoint that does not fit costs one more read, never an error */
    for (int pass = ck.ok ? 0 : 1; e == RASD_OK && pass < 2; pass++) {
        Run r = { 0 };
        r.cur_day = SV_NO_DAY;
        r.ck = pass == 0 ? &ck : NULL;
        r.as = assign_new(o, NULL);
        r.df = sv_df_new();
        memset(stats, 0, sizeof *stats);
        if (!r.as || !r.df)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory starting story assignment");
        else
            e = run(st, &r, stats, err);
        int again = e == RASD_OK && r.fallback;
        stats->from_checkpoint = r.restored && !again;
        assign_free(r.as);
        sv_df_free(r.df);
        free_members(&r);
        if (!again)
            break;
    }
    ck_free(&ck);
    return e;
}
