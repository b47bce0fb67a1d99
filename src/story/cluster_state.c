/*
 * cluster_state.c — the assigner's state as bytes and back (cluster_state.h).
 *
 * Every field of Assigner, Event, Thread, Slot, Pending, Posting and
 * CloseKey (cluster_int.h) is written, capacities included, so a restored
 * assigner is the saved one field for field (only its pointers differ) and
 * goes on exactly as the saved one would have. The sizes of those structs
 * are checked at compile time below: a field added to cluster_int.h stops
 * the build here until it is written, read and CL_STATE_VERSION bumped.
 *
 * Encoding: little-endian integers, floats and doubles as their bits;
 * lists as a count then the items. The bytes go to a sink (ClSink) that
 * hands them on a mebibyte at a time, so a caller can write a state of
 * 45 MB into the store without ever holding it whole. Reading is bounds-checked and checks
 * every index against the table it points into, so damaged bytes give -1,
 * never a wild read.
 */
#include "story/cluster_state.h"

#include "story/cluster_int.h"

/* A field added to one of these structs must be serialised below (then
   update the size here and bump CL_STATE_VERSION). x86-64 / LP64 sizes. */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(struct Assigner) == 488, "Assigner changed: update cluster_state.c");
_Static_assert(sizeof(Event) == 264, "Event changed: update cluster_state.c");
_Static_assert(sizeof(Thread) == 32, "Thread changed: update cluster_state.c");
_Static_assert(sizeof(Slot) == 224, "Slot changed: update cluster_state.c");
_Static_assert(sizeof(Pending) == 232, "Pending changed: update cluster_state.c");
_Static_assert(sizeof(Posting) == 24, "Posting changed: update cluster_state.c");
_Static_assert(sizeof(CloseKey) == 24, "CloseKey changed: update cluster_state.c");
_Static_assert(sizeof(Acc) == 16, "Acc changed: update cluster_state.c");
_Static_assert(sizeof(StoryVec) == 208, "StoryVec changed: update cluster_state.c");
_Static_assert(sizeof(SimSlot) == 80, "SimSlot changed: update cluster_state.c");
_Static_assert(sizeof(AssignOpts) == 48, "AssignOpts changed: update cluster_state.c");
_Static_assert(sizeof(SimModel) == 88, "SimModel changed: update cluster_state.c");
#endif

#define MAGIC 0x41534c43u /* "CLSA" */

/* ---- primitives ---- */

void cl_put_u32(Buf *b, uint32_t x)
{
    unsigned char c[4] = { (unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                           (unsigned char)(x >> 24) };
    buf_append(b, c, 4);
}

void cl_put_u64(Buf *b, uint64_t x)
{
    cl_put_u32(b, (uint32_t)x);
    cl_put_u32(b, (uint32_t)(x >> 32));
}

#define CL_PIECE (1u << 20) /* a sink hands bytes on a mebibyte at a time */

void cl_sink_flush(ClSink *s)
{
    if (!s->put || !s->b.len)
        return;
    if (!s->failed && !s->b.oom && s->put(s->ctx, s->done, s->b.data, s->b.len) != 0)
        s->failed = 1;
    s->done += s->b.len;
    s->b.len = 0;
}

void cl_sink_room(ClSink *s)
{
    if (s->put && s->b.len >= (s->piece ? s->piece : CL_PIECE))
        cl_sink_flush(s);
}

static void put_f32(Buf *b, float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    cl_put_u32(b, x);
}

static void put_f64(Buf *b, double d)
{
    uint64_t x;
    memcpy(&x, &d, 8);
    cl_put_u64(b, x);
}

const unsigned char *cl_get_bytes(ClReader *r, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->at;
    r->at += n;
    return p;
}

uint32_t cl_get_u32(ClReader *r)
{
    const unsigned char *c = cl_get_bytes(r, 4);
    return c ? (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24
             : 0;
}

uint64_t cl_get_u64(ClReader *r)
{
    uint64_t lo = cl_get_u32(r);
    return lo | (uint64_t)cl_get_u32(r) << 32;
}

static float get_f32(ClReader *r)
{
    uint32_t x = cl_get_u32(r);
    float f;
    memcpy(&f, &x, 4);
    return f;
}

/* A count that the remaining bytes can hold at `each` bytes per item. */
static size_t get_count(ClReader *r, size_t each)
{
    uint64_t n = cl_get_u64(r);
    if (r->bad || n > (r->n - r->at) / (each ? each : 1)) {
        r->bad = 1;
        return 0;
    }
    return (size_t)n;
}

/* calloc of n items (at least one), NULL on out of memory. */
static void *alloc_n(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* A table's count and capacity (items of at least `each` bytes, `size` in
   memory; the capacity at most limit) and its zeroed array of that capacity; NULL when the capacity
   is 0, the bytes are damaged (r->bad) or memory ran out (*oom). */
static void *get_table(ClReader *r, size_t each, size_t size, size_t limit, size_t *n,
                       size_t *cap, int *oom)
{
    *n = get_count(r, each);
    uint64_t c = cl_get_u64(r);
    *cap = 0;
    if (r->bad || c < *n || c > limit) {
        r->bad = 1;
        return NULL;
    }
    void *p = c ? alloc_n((size_t)c, size) : NULL;
    if (c && !p)
        *oom = 1;
    else
        *cap = (size_t)c;
    return p;
}

/* ---- term lists, vectors, profiles ---- */

static void le32(unsigned char *p, uint32_t x)
{
    p[0] = (unsigned char)x;
    p[1] = (unsigned char)(x >> 8);
    p[2] = (unsigned char)(x >> 16);
    p[3] = (unsigned char)(x >> 24);
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Term lists are most of the bytes: written and read 12 bytes at a time. */
static void put_terms(Buf *b, const SvTerm *t, size_t n)
{
    if (!n || buf_reserve(b, n * 12) < 0)
        return;
    unsigned char *p = (unsigned char *)b->data + b->len;
    for (size_t i = 0; i < n; i++, p += 12) {
        uint32_t w;
        memcpy(&w, &t[i].w, 4);
        le32(p, (uint32_t)t[i].id);
        le32(p + 4, (uint32_t)(t[i].id >> 32));
        le32(p + 8, w);
    }
    b->len += n * 12;
    b->data[b->len] = '\0';
}

/* n terms into a new array of cap (>= n) items; NULL on OOM (*oom) or damage. */
static SvTerm *get_terms(ClReader *r, size_t n, size_t cap, int *oom)
{
    if (n > (r->n - r->at) / 12) {
        r->bad = 1;
        return NULL;
    }
    SvTerm *t = alloc_n(cap, sizeof *t);
    if (!t) {
        *oom = 1;
        return NULL;
    }
    const unsigned char *p = cl_get_bytes(r, n * 12);
    for (size_t i = 0; p && i < n; i++, p += 12) {
        uint32_t w = rd32(p + 8);
        t[i].id = (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
        memcpy(&t[i].w, &w, 4);
    }
    return t;
}

static void put_vec(Buf *b, const StoryVec *v)
{
    SvTerm **l[SV_NLISTS];
    uint16_t *c[SV_NLISTS];
    sv_lists((StoryVec *)v, l, c); /* read only */
    for (size_t i = 0; i < SV_NLISTS; i++)
        cl_put_u32(b, *c[i]);
    for (size_t i = 0; i < SV_NLISTS; i++)
        put_terms(b, *l[i], *c[i]);
    cl_put_u32(b, (uint32_t)v->day);
    for (size_t i = 0; i < 32; i++)
        cl_put_u32(b, v->sig[i]);
    cl_put_u32(b, v->has_sig);
    cl_put_u32(b, v->tmpl);
}

/* A u32 that must fit a narrower field (a flag, a shape number, ordinals): a
   larger value is damage (it would not save back to the same bytes). */
static uint32_t get_small(ClReader *r, uint32_t max)
{
    uint32_t v = cl_get_u32(r);
    if (v > max)
        r->bad = 1;
    return v;
}

/* Lists of a vector: each allocated as sv_decode would (sv_free frees them). */
static void get_vec(ClReader *r, StoryVec *v, int *oom)
{
    memset(v, 0, sizeof *v);
    uint32_t n[SV_NLISTS];
    for (size_t i = 0; i < SV_NLISTS; i++) {
        n[i] = cl_get_u32(r);
        if (n[i] > UINT16_MAX)
            r->bad = 1;
    }
    if (r->bad)
        return;
    SvTerm **lists[SV_NLISTS];
    uint16_t *counts[SV_NLISTS];
    sv_lists(v, lists, counts);
    for (size_t i = 0; i < SV_NLISTS && !r->bad && !*oom; i++) {
        *lists[i] = get_terms(r, n[i], n[i], oom);
        if (*lists[i])
            *counts[i] = (uint16_t)n[i];
    }
    v->day = (int32_t)cl_get_u32(r);
    for (size_t i = 0; i < 32; i++)
        v->sig[i] = cl_get_u32(r);
    v->has_sig = (uint8_t)get_small(r, 1);
    v->tmpl = (uint8_t)get_small(r, UINT8_MAX);
}

static void put_acc(Buf *b, const Acc *c)
{
    cl_put_u32(b, c->n);
    cl_put_u32(b, c->cap);
    put_terms(b, c->t, c->n);
}

static void get_acc(ClReader *r, Acc *c, int *oom)
{
    memset(c, 0, sizeof *c);
    uint32_t n = cl_get_u32(r), cap = cl_get_u32(r);
    if (r->bad || n > cap || cap > 4 * ACC_MAX + 16) {
        r->bad = 1;
        return;
    }
    if (!cap)
        return;
    c->t = get_terms(r, n, cap, oom);
    if (c->t) {
        c->n = n;
        c->cap = cap;
    }
}

static void put_slot(Buf *b, const SimSlot *s)
{
    cl_put_u32(b, s->tmpl);
    cl_put_u32(b, s->n);
    cl_put_u32(b, s->occ);
    cl_put_u32(b, s->told);
    for (size_t i = 0; i < SIM_SLOT_MAX; i++)
        cl_put_u64(b, s->id[i]);
    cl_put_u32(b, (uint32_t)s->day);
}

static void get_slot(ClReader *r, SimSlot *s)
{
    memset(s, 0, sizeof *s);
    s->tmpl = (uint8_t)get_small(r, UINT8_MAX);
    uint32_t n = cl_get_u32(r);
    s->occ = (uint8_t)get_small(r, 1);
    s->told = (uint8_t)get_small(r, 1);
    if (n > SIM_SLOT_MAX)
        r->bad = 1;
    s->n = (uint8_t)n;
    for (size_t i = 0; i < SIM_SLOT_MAX; i++)
        s->id[i] = cl_get_u64(r);
    s->day = (int32_t)cl_get_u32(r);
}

/* ---- maps and postings ---- */

static void put_map(ClSink *k, const IdMap *m)
{
    Buf *b = &k->b;
    cl_put_u64(b, m->cap);
    cl_put_u64(b, m->n);
    for (size_t s = 0; s < m->cap; s++)
        if (m->ids[s]) {
            cl_put_u64(b, s);
            cl_put_u64(b, m->ids[s]);
            cl_put_u32(b, m->vals[s]);
            cl_sink_room(k);
        }
}

/* Values must lie in 1..maxval (posting numbers + 1). */
static void get_map(ClReader *r, IdMap *m, size_t maxval, int *oom)
{
    /* a map doubles when half full: its capacity is at most 4 × its entries */
    memset(m, 0, sizeof *m);
    uint64_t cap = cl_get_u64(r);
    size_t n = get_count(r, 20);
    if (r->bad || (cap & (cap - 1)) || n > cap || cap > 4 * (uint64_t)n + 1024) {
        r->bad = 1;
        return;
    }
    if (!cap)
        return;
    m->ids = calloc((size_t)cap, sizeof *m->ids);
    m->vals = calloc((size_t)cap, sizeof *m->vals);
    if (!m->ids || !m->vals) {
        *oom = 1;
        idmap_free(m);
        return;
    }
    m->cap = (size_t)cap;
    for (size_t i = 0; i < n && !r->bad; i++) {
        uint64_t s = cl_get_u64(r), id = cl_get_u64(r);
        uint32_t val = cl_get_u32(r);
        if (s >= cap || !id || m->ids[s] || !val || val > maxval) {
            r->bad = 1;
            break;
        }
        m->ids[s] = id;
        m->vals[s] = val;
        m->n++;
    }
}

static void put_postings(ClSink *s, const Posting *p, size_t n, size_t cap)
{
    Buf *b = &s->b;
    cl_put_u64(b, n);
    cl_put_u64(b, cap);
    for (size_t i = 0; i < n; i++) {
        cl_put_u32(b, p[i].n);
        cl_put_u32(b, p[i].cap);
        cl_put_u32(b, p[i].lo);
        for (size_t k = 0; k < p[i].n; k++)
            cl_put_u32(b, p[i].v[k]);
        cl_sink_room(s);
    }
}

/* Entries must be < limit; a posting's capacity is at most 2 × most (it holds
   each article or thread once) and all of them together at most the state's
   bytes (they hold what was saved, at most twice over); the table's at most
   2 × its postings + 16 × most (a sweep keeps the capacity). *np counts the
   postings filled (for freeing). */
static Posting *get_postings(ClReader *r, size_t *np, size_t *capp, size_t limit, size_t most,
                             int *oom)
{
    uint64_t room = 0; /* capacities so far */
    size_t n = get_count(r, 12);
    uint64_t cap = cl_get_u64(r);
    *np = 0;
    if (r->bad || cap < n || cap > 2 * (uint64_t)n + 16 * (uint64_t)most) {
        r->bad = 1;
        return NULL;
    }
    Posting *p = alloc_n((size_t)cap, sizeof *p);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    *capp = (size_t)cap;
    for (size_t i = 0; i < n && !r->bad && !*oom; i++) {
        uint32_t pn = cl_get_u32(r), pc = cl_get_u32(r), lo = cl_get_u32(r);
        if (r->bad || pn > pc || lo > pn || pn > (r->n - r->at) / 4 || pc > 2 * (uint64_t)most ||
            (room += pc) > r->n + (1u << 20)) {
            r->bad = 1;
            break;
        }
        if (pc) {
            p[i].v = malloc(pc * sizeof *p[i].v);
            if (!p[i].v) {
                *oom = 1;
                break;
            }
        }
        p[i].cap = pc;
        *np = i + 1;
        for (uint32_t k = 0; k < pn; k++) {
            p[i].v[k] = cl_get_u32(r);
            if (p[i].v[k] >= limit)
                r->bad = 1;
        }
        p[i].n = pn;
        p[i].lo = lo;
    }
    return p;
}

/* ---- the assigner ---- */

static void put_opts(Buf *b, const AssignOpts *o, const SimModel *m)
{
    cl_put_u32(b, (uint32_t)o->window_days);
    cl_put_u32(b, (uint32_t)o->thread_days);
    put_f64(b, o->event_threshold);
    put_f64(b, o->merge_threshold);
    put_f64(b, o->thread_threshold);
    cl_put_u32(b, (uint32_t)o->max_candidates);
    put_f64(b, o->profile_weight);
    put_f64(b, m->bias);
    for (size_t i = 0; i < SIM_NFEAT; i++)
        put_f64(b, m->w[i]);
    put_f64(b, m->event_threshold);
}

static void put_event(Buf *b, const Event *e)
{
    cl_put_u32(b, e->parent);
    cl_put_u32(b, e->open);
    cl_put_u32(b, e->n);
    cl_put_u32(b, (uint32_t)e->first);
    cl_put_u32(b, (uint32_t)e->last);
    cl_put_u32(b, e->thread);
    put_acc(b, &e->terms);
    put_acc(b, &e->ents);
    put_acc(b, &e->title);
    put_acc(b, &e->nums);
    put_acc(b, &e->when);
    put_acc(b, &e->what);
    put_acc(b, &e->places);
    for (size_t i = 0; i < 6; i++)
        put_f32(b, e->norm[i]);
    cl_put_u32(b, e->dirty);
    cl_put_u32(b, e->mark);
    cl_put_u64(b, e->key);
    put_slot(b, &e->slot);
    cl_put_u32(b, e->ord);
}

int cl_state_write(const Assigner *a, ClSink *s)
{
    if (a->oom)
        return -1;
    Buf *b = &s->b;
    cl_put_u32(b, MAGIC);
    cl_put_u32(b, CL_STATE_VERSION);
    put_opts(b, &a->o, &a->m);
    /* every article */
    cl_put_u64(b, a->nart);
    cl_put_u64(b, a->cap_art);
    for (size_t i = 0; i < a->nart; i++) {
        cl_put_u32(b, a->art_event[i]);
        put_f32(b, a->art_score[i]);
        cl_put_u32(b, a->art_near[i]);
        put_f32(b, a->art_near_score[i]);
        cl_sink_room(s);
    }
    /* the day being collected */
    cl_put_u64(b, a->npend);
    cl_put_u64(b, a->cap_pend);
    for (size_t i = 0; i < a->npend; i++) {
        const Pending *p = &a->pend[i];
        put_vec(b, &p->v);
        cl_put_u32(b, p->art);
        cl_put_u32(b, (uint32_t)p->day);
        cl_put_u64(b, p->key);
        cl_put_u64(b, p->ident);
        cl_sink_room(s);
    }
    cl_put_u32(b, (uint32_t)a->pend_day);
    cl_put_u64(b, a->nproc);
    /* the window */
    cl_put_u64(b, a->rcap);
    cl_put_u64(b, a->win_lo);
    for (size_t i = a->win_lo; i < a->nproc; i++) {
        const Slot *w = &a->ring[i & (a->rcap - 1)];
        put_vec(b, &w->v);
        cl_put_u32(b, w->art);
        cl_put_u32(b, w->event);
        cl_put_u32(b, (uint32_t)w->day);
        cl_sink_room(s);
    }
    cl_put_u32(b, (uint32_t)a->newest);
    cl_put_u32(b, (uint32_t)a->swept);
    put_map(s, &a->index);
    put_postings(s, a->post, a->npost, a->cap_post);
    for (size_t i = 0; i < a->rcap; i++) {
        cl_put_u32(b, a->stamp[i]);
        cl_put_u32(b, a->hits[i]);
        cl_sink_room(s);
    }
    cl_put_u32(b, a->gen);
    /* events and threads */
    cl_put_u64(b, a->nev);
    cl_put_u64(b, a->cap_ev);
    for (size_t i = 0; i < a->nev; i++) {
        put_event(b, &a->ev[i]);
        cl_sink_room(s);
    }
    cl_put_u64(b, a->nth);
    cl_put_u64(b, a->cap_th);
    for (size_t i = 0; i < a->nth; i++) {
        const Thread *t = &a->th[i];
        cl_put_u32(b, (uint32_t)t->last);
        cl_put_u32(b, t->nevents);
        cl_put_u32(b, t->prof != NULL);
        cl_put_u32(b, t->nt);
        cl_put_u32(b, t->ne);
        if (t->prof)
            put_terms(b, t->prof, (size_t)t->nt + t->ne);
        cl_put_u32(b, t->seen);
        cl_put_u32(b, t->slot);
        cl_sink_room(s);
    }
    put_map(s, &a->tindex);
    put_postings(s, a->tpost, a->ntpost, a->cap_tpost);
    cl_put_u64(b, a->scored);
    cl_put_u32(b, a->close_gen);
    cl_put_u64(b, a->ncl);
    cl_put_u64(b, a->cap_cl);
    for (size_t i = 0; i < a->ncl; i++) {
        cl_put_u32(b, (uint32_t)a->closing[i].last);
        cl_put_u64(b, a->closing[i].key);
        cl_put_u32(b, a->closing[i].ev);
        cl_sink_room(s);
    }
    cl_put_u32(b, (uint32_t)a->oom);
    cl_sink_flush(s);
    return 0;
}

int cl_state_save(const Assigner *a, Buf *out)
{
    ClSink s = { *out, 0, NULL, NULL, 0, 0 };
    int rc = cl_state_write(a, &s);
    *out = s.b;
    return rc;
}

/* The saved options and model are the ones a was made with. */
static int same_opts(ClReader *r, const Assigner *a)
{
    Buf mine = { 0 };
    put_opts(&mine, &a->o, &a->m);
    const unsigned char *p = cl_get_bytes(r, mine.len);
    int same = !mine.oom && p && memcmp(p, mine.data, mine.len) == 0;
    buf_free(&mine);
    return same;
}

static int get_event(ClReader *r, Event *e, int *oom)
{
    memset(e, 0, sizeof *e);
    e->parent = cl_get_u32(r);
    e->open = cl_get_u32(r);
    e->n = cl_get_u32(r);
    e->first = (int32_t)cl_get_u32(r);
    e->last = (int32_t)cl_get_u32(r);
    e->thread = cl_get_u32(r);
    get_acc(r, &e->terms, oom);
    get_acc(r, &e->ents, oom);
    get_acc(r, &e->title, oom);
    get_acc(r, &e->nums, oom);
    get_acc(r, &e->when, oom);
    get_acc(r, &e->what, oom);
    get_acc(r, &e->places, oom);
    for (size_t i = 0; i < 6; i++)
        e->norm[i] = get_f32(r);
    e->dirty = (uint8_t)get_small(r, 1);
    e->mark = cl_get_u32(r);
    e->key = cl_get_u64(r);
    get_slot(r, &e->slot);
    e->ord = (uint16_t)get_small(r, UINT16_MAX);
    return r->bad || *oom ? -1 : 0;
}

/* The articles, the collected day and the window into t. */
static void load_articles(ClReader *r, Assigner *t, int *oom)
{
    size_t nart = get_count(r, 16);
    uint64_t cap = cl_get_u64(r);
    if (r->bad || cap < nart || cap > 2 * (uint64_t)nart + 1024) {
        r->bad = 1;
        return;
    }
    t->art_event = alloc_n((size_t)cap, sizeof *t->art_event);
    t->art_score = alloc_n((size_t)cap, sizeof *t->art_score);
    t->art_near = alloc_n((size_t)cap, sizeof *t->art_near);
    t->art_near_score = alloc_n((size_t)cap, sizeof *t->art_near_score);
    if (!t->art_event || !t->art_score || !t->art_near || !t->art_near_score) {
        *oom = 1;
        return;
    }
    t->cap_art = (size_t)cap;
    for (size_t i = 0; i < nart; i++) {
        t->art_event[i] = cl_get_u32(r);
        t->art_score[i] = get_f32(r);
        t->art_near[i] = cl_get_u32(r);
        t->art_near_score[i] = get_f32(r);
    }
    t->nart = nart;
    size_t npend;
    /* tables grow by doubling and hold at most every article (or one per
       article: events, threads, closing events): capacities past twice that
       are damage, and would be a large allocation */
    size_t most = 2 * nart + 1024;
    t->pend = get_table(r, 4 * 4 + 4 * 36 + 24, sizeof *t->pend, most, &npend, &t->cap_pend, oom);
    for (size_t i = 0; i < npend && !r->bad && !*oom; i++) {
        Pending *p = &t->pend[i];
        get_vec(r, &p->v, oom);
        t->npend = i + 1;
        p->art = cl_get_u32(r);
        p->day = (int32_t)cl_get_u32(r);
        p->key = cl_get_u64(r);
        p->ident = cl_get_u64(r);
        if (p->art >= nart)
            r->bad = 1;
    }
    t->pend_day = (int32_t)cl_get_u32(r);
    uint64_t nproc = cl_get_u64(r), rcap = cl_get_u64(r), win_lo = cl_get_u64(r);
    if (r->bad || nproc > nart || win_lo > nproc || !rcap || (rcap & (rcap - 1)) ||
        nproc - win_lo > rcap || rcap > most) {
        r->bad = 1;
        return;
    }
    t->ring = alloc_n((size_t)rcap, sizeof *t->ring);
    t->stamp = alloc_n((size_t)rcap, sizeof *t->stamp);
    t->hits = alloc_n((size_t)rcap, sizeof *t->hits);
    if (!t->ring || !t->stamp || !t->hits) {
        *oom = 1;
        return;
    }
    t->rcap = (size_t)rcap;
    t->win_lo = t->nproc = (size_t)win_lo; /* grows as slots are read (assign_free) */
    for (size_t i = (size_t)win_lo; i < nproc && !r->bad && !*oom; i++) {
        Slot *s = &t->ring[i & (t->rcap - 1)];
        get_vec(r, &s->v, oom);
        t->nproc = i + 1;
        s->art = cl_get_u32(r);
        s->event = cl_get_u32(r);
        s->day = (int32_t)cl_get_u32(r);
        if (s->art >= nart)
            r->bad = 1;
    }
    t->nproc = (size_t)nproc;
    t->newest = (int32_t)cl_get_u32(r);
    t->swept = (int32_t)cl_get_u32(r);
}

static void load_threads(ClReader *r, Assigner *t, int *oom)
{
    size_t nth;
    t->th = get_table(r, 24, sizeof *t->th, 2 * t->nart + 1024, &nth, &t->cap_th, oom);
    for (size_t i = 0; i < nth && !r->bad && !*oom; i++) {
        Thread *h = &t->th[i];
        t->nth = i + 1;
        h->last = (int32_t)cl_get_u32(r);
        h->nevents = cl_get_u32(r);
        uint32_t has = cl_get_u32(r), nt = cl_get_u32(r), ne = cl_get_u32(r);
        if (has > 1 || nt > TH_TERMS || ne > TH_ENTS || (!has && (nt || ne))) {
            r->bad = 1;
            break;
        }
        if (has)
            h->prof = get_terms(r, nt + ne, TH_TERMS + TH_ENTS, oom);
        h->nt = (uint8_t)nt;
        h->ne = (uint8_t)ne;
        h->seen = cl_get_u32(r);
        h->slot = cl_get_u32(r);
        if (h->slot >= 8 * THREAD_WALK)
            r->bad = 1;
    }
}

/* Every stored index points into its table. */
static int consistent(const Assigner *t)
{
    for (size_t i = 0; i < t->nart; i++)
        if ((t->art_event[i] != UINT32_MAX && t->art_event[i] >= t->nev) ||
            (t->art_near[i] != UINT32_MAX && t->art_near[i] >= t->nev))
            return 0;
    for (size_t i = t->win_lo; i < t->nproc; i++)
        if (t->ring[i & (t->rcap - 1)].event >= t->nev)
            return 0;
    for (size_t i = 0; i < t->nev; i++)
        if (t->ev[i].parent >= t->nev ||
            (t->ev[i].thread != UINT32_MAX && t->ev[i].thread >= t->nth))
            return 0;
    for (size_t i = 0; i < t->ncl; i++)
        if (t->closing[i].ev >= t->nev)
            return 0;
    return 1;
}

int cl_state_load(Assigner *a, const void *p, size_t n)
{
    ClReader r = { p, n, 0, 0 };
    if (cl_get_u32(&r) != MAGIC || cl_get_u32(&r) != CL_STATE_VERSION || !same_opts(&r, a))
        return -1;
    Assigner *t = calloc(1, sizeof *t);
    if (!t)
        return -2;
    t->o = a->o;
    t->m = a->m;
    int oom = 0;
    load_articles(&r, t, &oom);
    if (!r.bad && !oom) {
        get_map(&r, &t->index, (size_t)-1, &oom);
        t->post = get_postings(&r, &t->npost, &t->cap_post, t->nproc, t->nart + 1024, &oom);
    }
    if (!r.bad && !oom) {
        for (size_t i = 0; i < t->index.cap; i++)
            if (t->index.ids && t->index.ids[i] && t->index.vals[i] > t->npost)
                r.bad = 1;
        for (size_t i = 0; i < t->rcap; i++) {
            t->stamp[i] = cl_get_u32(&r);
            t->hits[i] = cl_get_u32(&r);
        }
        t->gen = cl_get_u32(&r);
        size_t nev;
        t->ev = get_table(&r, 100, sizeof *t->ev, 2 * t->nart + 1024, &nev, &t->cap_ev, &oom);
        for (size_t i = 0; i < nev && !r.bad && !oom; i++) {
            t->nev = i + 1;
            get_event(&r, &t->ev[i], &oom);
        }
    }
    if (!r.bad && !oom)
        load_threads(&r, t, &oom);
    if (!r.bad && !oom) {
        get_map(&r, &t->tindex, (size_t)-1, &oom);
        t->tpost = get_postings(&r, &t->ntpost, &t->cap_tpost, t->nth, t->nart + 1024, &oom);
        for (size_t i = 0; t->tindex.ids && i < t->tindex.cap; i++)
            if (t->tindex.ids[i] && t->tindex.vals[i] > t->ntpost)
                r.bad = 1;
    }
    if (!r.bad && !oom) {
        t->scored = (size_t)cl_get_u64(&r);
        t->close_gen = cl_get_u32(&r);
        size_t ncl;
        t->closing = get_table(&r, 16, sizeof *t->closing, 2 * t->nart + 1024, &ncl, &t->cap_cl,
                               &oom);
        for (size_t i = 0; i < ncl && !r.bad && !oom; i++) {
            t->closing[i].last = (int32_t)cl_get_u32(&r);
            t->closing[i].key = cl_get_u64(&r);
            t->closing[i].ev = cl_get_u32(&r);
            t->ncl = i + 1;
        }
        t->oom = (int)cl_get_u32(&r);
    }
    if (r.bad || oom || r.at != r.n || t->oom || !consistent(t)) {
        assign_free(t);
        return oom ? -2 : -1;
    }
    /* a becomes t: drop what assign_new gave a, keep t's tables */
    free(a->ring);
    free(a->stamp);
    free(a->hits);
    *a = *t;
    free(t);
    return 0;
}

int cl_state_article_open(const Assigner *a, size_t art)
{
    if (art >= a->nart || a->art_event[art] == UINT32_MAX)
        return 1;
    uint32_t e = a->art_event[art];
    while (a->ev[e].parent != e)
        e = a->ev[e].parent;
    return a->ev[e].thread == UINT32_MAX;
}
