/*
 * cluster.c — online assignment of articles to events and events to
 * threads (cluster.h).
 *
 * Events. The window keeps the articles of the last window_days (a ring
 * indexed by article number) and an inverted index from each article's
 * strongest stems and entity keys to the window articles carrying them.
 * A new article looks up its own keys, ranks the recent articles by how
 * many keys they share, and scores the best max_candidates with the
 * learned pair similarity. Per candidate event the link score is the best
 * pair score, and for an event of two or more articles the geometric mean
 * of that and the score against the event's profile (the summed vectors of
 * its articles; profile_weight): single link alone chains template news
 * (one greeting, then the same greeting to another country), while an
 * article that only matches one member's template matches the profile,
 * where what the members share outweighs the template, much less well.
 * The article joins the event with the best link score when it reaches
 * the threshold, else opens an event. Events merge when a new article
 * also links a second event strongly (merge_threshold), and once a day
 * when the profiles of two open events match that strongly: online
 * assignment splits a story whose first reports happened to differ, and
 * the profiles, which grow with every report, show it (consolidate).
 * An article also bridges its two best events when it shares the event
 * signature (similarity.h: actors and subject) with a report of each: one
 * negotiation reported on the 31st, the 1st and the 5th becomes one event
 * through the third report. Events of one routine shape (a congratulation
 * cable, a market close) whose slots disagree never merge, and two events
 * that together would span more than EVENT_SPAN days merge only when one
 * is a fragment (MERGE_SMALL) sharing the signature: a running topic's
 * events of different days stay apart however alike their profiles grow.
 * Two grown events (GROWN) never merge at all, and a report bridges two
 * events only when their profiles match too (BRIDGE_PROFILES): a roundup
 * that tells two happenings links each strongly, the happenings stay two.
 *
 * A report more than RECENT_DAYS older than the new article links it only
 * through the signature, and an event whose headline counts (the second
 * relief plane) never takes a report counting otherwise (the third one).
 *
 * Order. Articles of one day are collected and placed together when a
 * later day arrives (or on assign_flush/assign_finish), in a canonical
 * order: the fuller reports (more stems) first, ties by a content hash,
 * then by the article's identity (assign_add_id). Which file or feed came
 * first within a day does not change the events.
 *
 * Posting lists are in article order, so expiry is cutting a prefix; a
 * sweep each new day drops empty lists, keeping memory proportional to
 * the window.
 *
 * Threads. An event closes when its last article leaves the window and
 * then joins a thread (threads.c).
 *
 * Everything is deterministic: ties break on article and event numbers.
 */
#include "story/cluster_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KEY_TERMS 10   /* strongest stems of an article that go into the index */
#define KEY_ENTS 6     /* strongest entity keys that go into the index */
#define POSTING_WALK 300 /* newest postings read per key */
#define PROFILE_FLOOR 0.25 /* best pair score below which an event's profile is not scored */
#define CONSOLIDATE_EVAL 3 /* events scored per event in the daily consolidation */
#ifndef BRIDGE_MAX
#define BRIDGE_MAX 3 /* events a shared signature alone may bridge are this small: a big
                        event grows by its own links, not by chains of signatures */
#endif
#ifndef EVENT_SPAN
#define EVENT_SPAN 2 /* days after an event's first report in which any link may add to it;
                        later, only a report sharing the signature with one of its first
                        reports (a negotiation reported again days later), so a running
                        topic (a market, a club, a relief campaign) does not chain into one
                        event day after day */
#endif
#ifndef RECENT_DAYS
#define RECENT_DAYS 1 /* a report more than this many days older than a new one links it
                         to its event only by sharing the signature: the link to an event
                         runs through its reports of the last days, so a topic's week-old
                         report does not pull today's other news of that topic in */
#endif
#ifndef MERGE_SMALL
#define MERGE_SMALL 3 /* two events that together span more than EVENT_SPAN days merge (a
                         bridge or the daily consolidation) only through the signature and
                         only when one of them is this small: merging two grown events of
                         different days chained a running topic (a country's week of attacks,
                         arrests and talks) into one event */
#endif
#ifndef GROWN
#define GROWN 3 /* two events of more than this many reports each are two happenings: they
                   never merge (a bridge or the daily consolidation), whatever their days.
                   Online assignment splits one happening into a grown event and fragments;
                   two grown events that a report or their profiles link are one topic's
                   different happenings (a campaign's strikes and its arrests, one ministry's
                   two announcements of the day) */
#endif
#ifndef BRIDGE_PROFILES
#define BRIDGE_PROFILES 0.6 /* a report linking two events bridges them only when the two
                               events' profiles also score this: close to both cores, not
                               to one report of each (a roundup of two happenings) */
#endif
#ifndef PROFILE_SIG_ENTS
#define PROFILE_SIG_ENTS 0.6  /* entity and stem cosines of two events' profiles that */
#define PROFILE_SIG_TERMS 0.4 /* share the signature (consolidate) */
#endif


void assign_opts_default(AssignOpts *o)
{
    o->window_days = 7;
    o->thread_days = 400;
    o->event_threshold = -1; /* the model's */
    o->merge_threshold = 0.85;
    o->thread_threshold = 0.30;
    o->max_candidates = 40;
    o->profile_weight = 0.5;
}


int cl_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

Assigner *assign_new(const AssignOpts *o, const SimModel *m)
{
    Assigner *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (o)
        a->o = *o;
    else
        assign_opts_default(&a->o);
    a->m = m ? *m : *sim_default();
    if (a->o.event_threshold < 0)
        a->o.event_threshold = a->m.event_threshold;
    if (a->o.max_candidates < 1)
        a->o.max_candidates = 1;
    a->newest = a->swept = a->pend_day = SV_NO_DAY;
    a->rcap = 1024;
    a->ring = calloc(a->rcap, sizeof *a->ring);
    a->stamp = calloc(a->rcap, sizeof *a->stamp);
    a->hits = calloc(a->rcap, sizeof *a->hits);
    if (!a->ring || !a->stamp || !a->hits) {
        assign_free(a);
        return NULL;
    }
    return a;
}

void cl_acc_free(Acc *c)
{
    free(c->t);
    memset(c, 0, sizeof *c);
}

void cl_event_free_profile(Event *e)
{
    cl_acc_free(&e->terms);
    cl_acc_free(&e->ents);
    cl_acc_free(&e->title);
    cl_acc_free(&e->nums);
    cl_acc_free(&e->when);
    cl_acc_free(&e->what);
    cl_acc_free(&e->places);
}

void assign_free(Assigner *a)
{
    if (!a)
        return;
    for (size_t i = a->win_lo; i < a->nproc; i++)
        sv_free(&a->ring[i & (a->rcap - 1)].v);
    for (size_t i = 0; i < a->npend; i++)
        sv_free(&a->pend[i].v);
    free(a->pend);
    free(a->ring);
    free(a->stamp);
    free(a->hits);
    free(a->art_event);
    free(a->art_score);
    free(a->art_near);
    free(a->art_near_score);
    for (size_t i = 0; i < a->npost; i++)
        free(a->post[i].v);
    free(a->post);
    idmap_free(&a->index);
    for (size_t i = 0; i < a->nev; i++)
        cl_event_free_profile(&a->ev[i]);
    free(a->ev);
    for (size_t i = 0; i < a->nth; i++) {
        free(a->th[i].prof);
    }
    free(a->th);
    free(a->closing);
    for (size_t i = 0; i < a->ntpost; i++)
        free(a->tpost[i].v);
    free(a->tpost);
    idmap_free(&a->tindex);
    free(a);
}

static uint32_t find(Assigner *a, uint32_t e)
{
    while (a->ev[e].parent != e) {
        a->ev[e].parent = a->ev[a->ev[e].parent].parent;
        e = a->ev[e].parent;
    }
    return e;
}

/* ---- profiles ---- */

static int by_w_desc(const void *x, const void *y)
{
    const SvTerm *p = x, *q = y;
    if (p->w != q->w)
        return p->w < q->w ? 1 : -1;
    return p->id < q->id ? -1 : p->id > q->id;
}

static int by_id(const void *x, const void *y)
{
    const SvTerm *p = x, *q = y;
    return p->id < q->id ? -1 : p->id > q->id;
}

/* c += t (both sorted by id); prunes to the strongest half past ACC_MAX. */
int cl_acc_add(Acc *c, const SvTerm *t, size_t n)
{
    size_t cap = c->cap;
    SvTerm *out = malloc((c->n + n + 1) * sizeof *out);
    if (!out)
        return -1;
    size_t i = 0, j = 0, k = 0;
    while (i < c->n || j < n) {
        if (j == n || (i < c->n && c->t[i].id < t[j].id))
            out[k++] = c->t[i++];
        else if (i == c->n || t[j].id < c->t[i].id)
            out[k++] = t[j++];
        else {
            out[k] = c->t[i++];
            out[k++].w += t[j++].w;
        }
    }
    free(c->t);
    c->t = out;
    c->n = (uint32_t)k;
    c->cap = (uint32_t)(c->n + n + 1 > cap ? c->n + n + 1 : cap);
    if (c->n > ACC_MAX) {
        SORT(c->t, c->n, by_w_desc);
        c->n = ACC_MAX / 2;
        SORT(c->t, c->n, by_id);
    }
    return 0;
}

/* Normalised copy of the strongest max entries of c (sorted by id). */
size_t cl_acc_top(const Acc *c, size_t max, SvTerm *out)
{
    size_t n = c->n;
    COPY(out, c->t, n);
    if (n > max) {
        SORT(out, n, by_w_desc);
        n = max;
    }
    double norm = 0;
    for (size_t i = 0; i < n; i++)
        norm += (double)out[i].w * out[i].w;
    norm = sqrt(norm);
    for (size_t i = 0; i < n; i++)
        out[i].w = norm > 0 ? (float)(out[i].w / norm) : 0;
    SORT(out, n, by_id);
    return n;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
    return p < q ? -1 : p > q;
}

/* The k strongest of t[0..n) by weight (k small: a scan, not a sort), in
   out; ties keep the earlier (smaller id) entry, so the choice is stable. */
static size_t top_k(const SvTerm *t, size_t n, size_t k, SvTerm *out)
{
    size_t m = 0, lo = 0;
    for (size_t i = 0; i < n; i++) {
        if (m < k) {
            out[m++] = t[i];
        } else if (t[i].w > out[lo].w) {
            out[lo] = t[i];
        } else {
            continue;
        }
        if (m == k) /* the weakest kept, the one to replace next */
            for (size_t q = lo = 0; q < m; q++)
                if (out[q].w < out[lo].w || (out[q].w == out[lo].w && out[q].id > out[lo].id))
                    lo = q;
    }
    return m;
}

static size_t acc_strongest(const Acc *c, size_t k, SvTerm *out)
{
    return top_k(c->t, c->n, k, out);
}

/* ---- postings ---- */

Posting *cl_posting(Assigner *a, IdMap *map, Posting **arr, size_t *n, size_t *cap,
                        uint64_t id, int create)
{
    uint32_t got = idmap_get(map, id);
    if (got)
        return &(*arr)[got - 1];
    if (!create)
        return NULL;
    uint32_t *slot = idmap_slot(map, id);
    if (!slot || cl_grow((void **)arr, cap, *n + 1, sizeof **arr) < 0) {
        a->oom = 1;
        return NULL;
    }
    memset(&(*arr)[*n], 0, sizeof **arr);
    *slot = (uint32_t)++*n;
    return &(*arr)[*n - 1];
}

void cl_posting_push(Assigner *a, Posting *p, uint32_t x)
{
    if (p->n == p->cap) {
        if (p->lo > p->n / 2) { /* reuse the expired prefix */
            memmove(p->v, p->v + p->lo, (p->n - p->lo) * sizeof *p->v);
            p->n -= p->lo;
            p->lo = 0;
        } else {
            uint32_t nc = p->cap ? p->cap * 2 : 4;
            uint32_t *nv = realloc(p->v, nc * sizeof *nv);
            if (!nv) {
                a->oom = 1;
                return;
            }
            p->v = nv;
            p->cap = nc;
        }
    }
    p->v[p->n++] = x;
}

/* The k strongest entries of t (by weight), written to out. */
size_t cl_strongest(const SvTerm *t, size_t n, size_t k, SvTerm *out)
{
    return top_k(t, n, k, out);
}

/* Rebuilds the article index without expired entries (once per new day). */
static void sweep(Assigner *a)
{
    IdMap nm = { 0 };
    Posting *np = malloc((a->npost ? a->npost : 1) * sizeof *np);
    if (!np) {
        a->oom = 1;
        return;
    }
    size_t k = 0;
    for (size_t s = 0; s < a->index.cap; s++) {
        if (!a->index.ids[s])
            continue;
        Posting *p = &a->post[a->index.vals[s] - 1];
        while (p->lo < p->n && p->v[p->lo] < a->win_lo)
            p->lo++;
        if (p->lo == p->n) {
            free(p->v);
            continue;
        }
        uint32_t *slot = idmap_slot(&nm, a->index.ids[s]);
        if (!slot) { /* keep the old index: correct, only larger */
            a->oom = 1;
            idmap_free(&nm);
            free(np);
            return;
        }
        np[k] = *p;
        *slot = (uint32_t)++k;
    }
    free(a->post);
    idmap_free(&a->index);
    a->post = np;
    a->cap_post = a->npost ? a->npost : 1;
    a->npost = k;
    a->index = nm;
}

static void consolidate(Assigner *a);

/* |a - b| in days, without overflow for days a damaged vector may carry. */
static int day_gap(int32_t a, int32_t b)
{
    int64_t g = (int64_t)a - b;
    if (g < 0)
        g = -g;
    return g > INT32_MAX ? INT32_MAX : (int)g;
}

/* Drops articles older than the window; closes events left empty. */
static void expire(Assigner *a, int32_t today)
{
    while (a->win_lo < a->nproc) {
        Slot *s = &a->ring[a->win_lo & (a->rcap - 1)];
        if (today == SV_NO_DAY || s->day == SV_NO_DAY || (int64_t)s->day >= (int64_t)today - a->o.window_days)
            break;
        uint32_t e = find(a, s->event);
        sv_free(&s->v);
        a->win_lo++;
        if (--a->ev[e].open == 0)
            cl_to_close(a, e);
    }
    cl_close_pending(a);
    if (today != SV_NO_DAY && today != a->swept) {
        a->swept = today;
        sweep(a);
        consolidate(a);
    }
}

static int ring_fit(Assigner *a)
{
    if (a->nproc - a->win_lo < a->rcap)
        return 0;
    size_t nc = a->rcap * 2;
    Slot *nr = calloc(nc, sizeof *nr);
    uint32_t *ns = calloc(nc, sizeof *ns), *nh = calloc(nc, sizeof *nh);
    if (!nr || !ns || !nh) {
        free(nr);
        free(ns);
        free(nh);
        return -1;
    }
    for (size_t i = a->win_lo; i < a->nproc; i++)
        nr[i & (nc - 1)] = a->ring[i & (a->rcap - 1)];
    free(a->ring);
    free(a->stamp);
    free(a->hits);
    a->ring = nr;
    a->stamp = ns;
    a->hits = nh;
    a->rcap = nc;
    a->gen = 0;
    return 0;
}

/* ---- event profiles ---- */

static double acc_norm(const Acc *c)
{
    double q = 0;
    for (size_t i = 0; i < c->n; i++)
        q += (double)c->t[i].w * c->t[i].w;
    return sqrt(q);
}

static void profile_norms(Event *E)
{
    if (!E->dirty)
        return;
    E->norm[0] = (float)acc_norm(&E->terms);
    E->norm[1] = (float)acc_norm(&E->title);
    E->norm[2] = (float)acc_norm(&E->ents);
    E->norm[3] = (float)acc_norm(&E->nums);
    E->norm[4] = (float)acc_norm(&E->what);
    E->norm[5] = (float)acc_norm(&E->places);
    E->dirty = 0;
}

static double acc_cos(const SvTerm *t, size_t n, const Acc *c, float norm)
{
    return norm > 0 ? sv_cosine(t, n, c->t, c->n) / norm : 0;
}

/* Lists of a profile, in StoryVec's order (sv_lists): terms, title, ents,
   nums, when, what, places. */
#define PROFILE_LISTS 7

/* Adds an article's (or a merged event's) vectors to an event's profile. */
static int profile_add(Event *E, const SvTerm *const *lists, const size_t *lens)
{
    E->dirty = 1;
    Acc *acc[PROFILE_LISTS] = { &E->terms, &E->title, &E->ents,  &E->nums,
                                &E->when,  &E->what,  &E->places };
    int rc = 0;
    for (int i = 0; i < PROFILE_LISTS; i++)
        rc |= cl_acc_add(acc[i], lists[i], lens[i]);
    return rc;
}

/*
 * The pair model applied to v and the event's profile (the sum of its
 * articles), near: the best near-copy share of v with one of its articles.
 * An article that matches one member through a template (the same
 * greeting, another country) matches the profile, where what the members
 * share outweighs the template, much less well.
 */
static double profile_score(Assigner *a, Event *E, const StoryVec *v, double near, int32_t day)
{
    profile_norms(E);
    SimParts sp;
    memset(&sp, 0, sizeof sp);
    sp.f[SIM_TERMS] = acc_cos(v->terms, v->nterms, &E->terms, E->norm[0]);
    sp.f[SIM_TITLE] = acc_cos(v->title, v->ntitle, &E->title, E->norm[1]);
    sp.f[SIM_ENTS] = acc_cos(v->ents, v->nents, &E->ents, E->norm[2]);
    double c1 = acc_cos(v->title, v->ntitle, &E->terms, E->norm[0]);
    double c2 = E->norm[1] > 0 ? sv_cosine(E->title.t, E->title.n, v->terms, v->nterms) / E->norm[1] : 0;
    sp.f[SIM_CROSS] = c1 > c2 ? c1 : c2;
    sp.f[SIM_NEAR] = near;
    sp.f[SIM_NUMS] = acc_cos(v->nums, v->nnums, &E->nums, E->norm[3]);
    /* the "what / when" parts only when the model weighs them (the shipped
       model holds them at 0: their value could not change the score) */
    if (a->m.w[SIM_WHEN] > 0)
        sp.f[SIM_WHEN] = sim_when(v->when, v->nwhen, E->when.t, E->when.n);
    if (a->m.w[SIM_WHAT] > 0)
        sp.f[SIM_WHAT] = acc_cos(v->what, v->nwhat, &E->what, E->norm[4]);
    if (a->m.w[SIM_PLACE] > 0)
        sp.f[SIM_PLACE] = acc_cos(v->places, v->nplaces, &E->places, E->norm[5]);
    for (int f = 0; f < SIM_NFEAT; f++)
        if (sp.f[f] > 1)
            sp.f[f] = 1;
    sp.gap = day == SV_NO_DAY || E->last == SV_NO_DAY ? -1 : day_gap(day, E->last);
    return sim_score(&a->m, &sp);
}

/* Whether day is within EVENT_SPAN days of e's first report. */
static int early(const Event *e, int32_t day)
{
    return day == SV_NO_DAY || e->first == SV_NO_DAY ||
           (int64_t)day - e->first <= EVENT_SPAN;
}

/* Days from the first to the last report of x and y together. */
static int64_t span_of(const Event *x, const Event *y)
{
    if (x->first == SV_NO_DAY || y->first == SV_NO_DAY || x->last == SV_NO_DAY ||
        y->last == SV_NO_DAY)
        return 0;
    int64_t lo = x->first < y->first ? x->first : y->first;
    int64_t hi = x->last > y->last ? x->last : y->last;
    return hi - lo;
}

/*
 * An event of a day-slot shape (a market close, the weather, a commodity's
 * session) is one day's report: with day (SV_NO_DAY: none) its days would
 * span more than one (a report published the morning after its session is
 * one day later). Its slot's day alone is not enough: an event whose first
 * shaped report is of the 7th takes the 6th's and the 8th's, and becomes
 * a week of sessions.
 */
static int day_slot_span(const Event *e, int32_t day, const Event *other)
{
    if (!sim_slot_by_day(&e->slot) && !(other && sim_slot_by_day(&other->slot)))
        return 0;
    int64_t lo = e->first, hi = e->last;
    if (lo == SV_NO_DAY)
        return 0;
    if (day != SV_NO_DAY) {
        lo = day < lo ? day : lo;
        hi = day > hi ? day : hi;
    }
    if (other && other->first != SV_NO_DAY) {
        lo = other->first < lo ? other->first : lo;
        hi = other->last > hi ? other->last : hi;
    }
    return hi - lo > 1;
}

/* Both events count (the second, the third) and share no ordinal. */
static int ords_disagree(const Event *x, const Event *y)
{
    return x->ord && y->ord && !(x->ord & y->ord);
}

/* Makes two open events one; the smaller-numbered survives. Returns it. */
static uint32_t merge_events(Assigner *a, uint32_t x, uint32_t y)
{
    uint32_t keep = x < y ? x : y, gone = x < y ? y : x;

    Event *K = &a->ev[keep], *G = &a->ev[gone];
    G->parent = keep;
    K->open += G->open;
    K->n += G->n;
    if (G->first != SV_NO_DAY && (K->first == SV_NO_DAY || G->first < K->first))
        K->first = G->first;
    if (G->last != SV_NO_DAY && (K->last == SV_NO_DAY || G->last > K->last))
        K->last = G->last;
    const SvTerm *gl[PROFILE_LISTS] = { G->terms.t, G->title.t, G->ents.t,  G->nums.t,
                                        G->when.t,  G->what.t,  G->places.t };
    size_t gn[PROFILE_LISTS] = { G->terms.n, G->title.n, G->ents.n, G->nums.n,
                                 G->when.n,  G->what.n,  G->places.n };
    if (profile_add(K, gl, gn) < 0)
        a->oom = 1;
    if (G->key < K->key)
        K->key = G->key;
    if (!K->slot.tmpl)
        K->slot = G->slot;
    if (!K->ord)
        K->ord = G->ord;
    cl_event_free_profile(G);
    return keep;
}

static double acc_acc_cos(const Acc *x, float nx, const Acc *y, float ny)
{
    return nx > 0 && ny > 0 ? sv_cosine(x->t, x->n, y->t, y->n) / ((double)nx * ny) : 0;
}

/* The pair model applied to two event profiles (no near-copy evidence);
   *sig: the profiles share the event signature. */
static double profiles_score(Assigner *a, Event *X, Event *Y, int *sig)
{
    profile_norms(X);
    profile_norms(Y);
    SimParts sp;
    memset(&sp, 0, sizeof sp);
    sp.f[SIM_TERMS] = acc_acc_cos(&X->terms, X->norm[0], &Y->terms, Y->norm[0]);
    sp.f[SIM_TITLE] = acc_acc_cos(&X->title, X->norm[1], &Y->title, Y->norm[1]);
    sp.f[SIM_ENTS] = acc_acc_cos(&X->ents, X->norm[2], &Y->ents, Y->norm[2]);
    double c1 = acc_acc_cos(&X->title, X->norm[1], &Y->terms, Y->norm[0]);
    double c2 = acc_acc_cos(&Y->title, Y->norm[1], &X->terms, X->norm[0]);
    sp.f[SIM_CROSS] = c1 > c2 ? c1 : c2;
    sp.f[SIM_NUMS] = acc_acc_cos(&X->nums, X->norm[3], &Y->nums, Y->norm[3]);
    if (a->m.w[SIM_WHEN] > 0)
        sp.f[SIM_WHEN] = sim_when(X->when.t, X->when.n, Y->when.t, Y->when.n);
    if (a->m.w[SIM_WHAT] > 0)
        sp.f[SIM_WHAT] = acc_acc_cos(&X->what, X->norm[4], &Y->what, Y->norm[4]);
    if (a->m.w[SIM_PLACE] > 0)
        sp.f[SIM_PLACE] = acc_acc_cos(&X->places, X->norm[5], &Y->places, Y->norm[5]);
    for (int f = 0; f < SIM_NFEAT; f++)
        if (sp.f[f] > 1)
            sp.f[f] = 1;
    int32_t gx = X->last, gy = Y->last;
    sp.gap = gx == SV_NO_DAY || gy == SV_NO_DAY ? -1 : day_gap(gx, gy);
    double sc = sim_score(&a->m, &sp);
    /* profiles gather every actor of a story, so they need a closer match */
    *sig = sp.signature && sp.f[SIM_ENTS] >= PROFILE_SIG_ENTS && sp.f[SIM_TERMS] >= PROFILE_SIG_TERMS;
    return sc;
}

/*
 * Once a day: open events of two or more articles whose profiles match
 * strongly (merge_threshold) become one. Online assignment splits a story
 * when its first reports happen to differ and later ones would have
 * joined either; the profiles, which grow with every report, show it.
 * Candidates come through the index (window articles sharing an event's
 * strongest stems), so the pass costs about as much as assigning the
 * window's multi-article events once more.
 */
static void consolidate(Assigner *a)
{
    size_t nw = a->nproc - a->win_lo;
    if (a->o.merge_threshold > 1 || nw < 2)
        return;
    uint32_t *evs = malloc(nw * sizeof *evs);
    if (!evs) {
        a->oom = 1;
        return;
    }
    size_t ne = 0;
    for (size_t i = a->win_lo; i < a->nproc; i++) {
        uint32_t e = find(a, a->ring[i & (a->rcap - 1)].event);
        if (a->ev[e].n >= 2 && a->ev[e].thread == UINT32_MAX)
            evs[ne++] = e;
    }
    /* marks are x + 1 for the event x being consolidated: clear them, or an
       event compared with x on an earlier day is never a candidate of x again */
    for (size_t i = a->win_lo; i < a->nproc; i++)
        a->ev[find(a, a->ring[i & (a->rcap - 1)].event)].mark = 0;
    SORT(evs, ne, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (!k || evs[k - 1] != evs[i])
            evs[k++] = evs[i];
    ne = k;
    for (size_t i = 0; i < ne; i++) {
        uint32_t x = find(a, evs[i]);
        if (x != evs[i])
            continue; /* merged away earlier in this pass */
        /* candidates: events of window articles sharing x's strongest
           stems, counted; the CONSOLIDATE_EVAL most shared are scored */
        SvTerm top[KEY_TERMS];
        size_t nt = acc_strongest(&a->ev[x].terms, KEY_TERMS, top), nc = 0;
        uint32_t cy[KEY_TERMS * 20], ch[KEY_TERMS * 20];
        for (size_t t = 0; t < nt; t++) {
            Posting *p = cl_posting(a, &a->index, &a->post, &a->npost, &a->cap_post, top[t].id, 0);
            if (!p)
                continue;
            size_t walked = 0;
            for (uint32_t q = p->n; q > p->lo && walked < 20; q--, walked++) {
                if (p->v[q - 1] < a->win_lo)
                    break;
                uint32_t y = find(a, a->ring[p->v[q - 1] & (a->rcap - 1)].event);
                if (y <= x || a->ev[y].n < 2 || a->ev[y].thread != UINT32_MAX)
                    continue;
                if (a->ev[y].mark != x + 1) {
                    a->ev[y].mark = x + 1;
                    cy[nc] = y;
                    ch[nc++] = 0;
                }
                for (size_t c = 0; c < nc; c++)
                    if (cy[c] == y) {
                        ch[c]++;
                        break;
                    }
            }
        }
        uint32_t best = UINT32_MAX;
        double bs = a->o.merge_threshold;
        for (size_t done = 0; done < CONSOLIDATE_EVAL && done < nc; done++) {
            size_t bi = done;
            for (size_t c = done + 1; c < nc; c++)
                if (ch[c] > ch[bi] || (ch[c] == ch[bi] && cy[c] < cy[bi]))
                    bi = c;
            uint32_t y = cy[bi], h = ch[bi];
            cy[bi] = cy[done];
            ch[bi] = ch[done];
            cy[done] = y;
            ch[done] = h;
            if (h < 3)
                break; /* too little in common to be one story */
            if (sim_slots_disagree(&a->ev[x].slot, &a->ev[y].slot) || ords_disagree(&a->ev[x], &a->ev[y]) ||
                day_slot_span(&a->ev[x], SV_NO_DAY, &a->ev[y]))
                continue; /* one shape, another country or day */
            if (a->ev[x].n > GROWN && a->ev[y].n > GROWN)
                continue; /* two grown events: two happenings */
            int sig = 0;
            double sc = profiles_score(a, &a->ev[x], &a->ev[y], &sig);
            if (span_of(&a->ev[x], &a->ev[y]) > EVENT_SPAN &&
                (!sig || (a->ev[x].n > MERGE_SMALL && a->ev[y].n > MERGE_SMALL)))
                continue; /* a running topic's events of different days stay apart */
            if (sig && sc >= a->o.event_threshold && sc < a->o.merge_threshold)
                sc = a->o.merge_threshold; /* the two share the event's signature */
            if (sc > bs || (sc == bs && y < best)) {
                bs = sc;
                best = y;
            }
        }
        if (best != UINT32_MAX)
            merge_events(a, x, best);
    }
    free(evs);
}

typedef struct Cand {
    uint32_t art, hits;
} Cand;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *p = x, *q = y;
    if (p->hits != q->hits)
        return p->hits < q->hits ? 1 : -1;
    return p->art < q->art ? 1 : p->art > q->art ? -1 : 0; /* newer first */
}

static int place(Assigner *a, StoryVec *v, uint32_t art);

/* Content hash of a vector: its stems, entity keys and MinHash values. */
static uint64_t vec_key(const StoryVec *v)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < v->nterms; i++)
        h = (h ^ v->terms[i].id) * 0x100000001B3ull;
    for (size_t i = 0; i < v->nents; i++)
        h = (h ^ v->ents[i].id) * 0x100000001B3ull;
    if (v->has_sig)
        for (size_t i = 0; i < 32; i++)
            h = (h ^ v->sig[i]) * 0x100000001B3ull;
    return h ^ (h >> 29);
}

static int pend_cmp(const void *x, const void *y)
{
    const Pending *p = x, *q = y;
    if (p->day != q->day)
        return p->day < q->day ? -1 : 1;
    if (p->v.nterms != q->v.nterms) /* fuller reports first: they seed events best */
        return p->v.nterms > q->v.nterms ? -1 : 1;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    if (p->ident != q->ident)
        return p->ident < q->ident ? -1 : 1;
    return p->art < q->art ? -1 : p->art > q->art;
}

/*
 * Places the collected day in its canonical order: articles an earlier
 * run grouped, then by day and content hash. Arrival order within a day
 * (which file came first, which feed was polled first) no longer decides
 * which article opens an event and which joins it.
 */
static void flush(Assigner *a)
{
    if (!a->npend)
        return;
    for (size_t i = 0; i < a->npend; i++)
        if (a->pend[i].day == SV_NO_DAY)
            a->pend[i].day = a->pend_day; /* undated: the day it arrived in */
    SORT(a->pend, a->npend, pend_cmp);
    for (size_t i = 0; i < a->npend; i++) {
        Pending *p = &a->pend[i];
        if (!a->oom && place(a, &p->v, p->art) < 0)
            a->oom = 1;
        sv_free(&p->v);
    }
    a->npend = 0;
}

static long enqueue(Assigner *a, StoryVec *v, int has_ident, uint64_t ident)
{
    if (a->oom)
        return -1;
    int32_t day = v->day;
    if (a->npend && day != SV_NO_DAY && a->pend_day != SV_NO_DAY && day > a->pend_day)
        flush(a); /* a later day: the collected one is complete */
    if (day != SV_NO_DAY && (a->pend_day == SV_NO_DAY || day > a->pend_day || !a->npend))
        a->pend_day = day;
    if (cl_grow((void **)&a->art_event, &a->cap_art, a->nart + 1, sizeof *a->art_event) < 0)
        return -1;
    float *ns = realloc(a->art_score, a->cap_art * sizeof *ns);
    if (ns)
        a->art_score = ns;
    float *nns = realloc(a->art_near_score, a->cap_art * sizeof *nns);
    if (nns)
        a->art_near_score = nns;
    uint32_t *nn = realloc(a->art_near, a->cap_art * sizeof *nn);
    if (nn)
        a->art_near = nn;
    if (!ns || !nns || !nn)
        return -1;
    if (cl_grow((void **)&a->pend, &a->cap_pend, a->npend + 1, sizeof *a->pend) < 0)
        return -1;
    uint32_t art = (uint32_t)a->nart++;
    a->art_event[art] = UINT32_MAX;
    a->art_score[art] = 0;
    a->art_near[art] = UINT32_MAX;
    a->art_near_score[art] = 0;
    a->pend[a->npend++] = (Pending){ *v, art, day, vec_key(v), has_ident ? ident : art };
    memset(v, 0, sizeof *v);
    return (long)art;
}

long assign_add(Assigner *a, StoryVec *v)
{
    return enqueue(a, v, 0, 0);
}

long assign_add_id(Assigner *a, StoryVec *v, uint64_t ident)
{
    return enqueue(a, v, 1, ident);
}

void assign_flush(Assigner *a)
{
    flush(a);
}

static int place(Assigner *a, StoryVec *v, uint32_t art)
{
    if (a->oom)
        return -1;
    int32_t day = v->day;
    if (day == SV_NO_DAY)
        day = a->newest;
    if (day != SV_NO_DAY && (a->newest == SV_NO_DAY || day > a->newest))
        a->newest = day;
    expire(a, a->newest);
    if (ring_fit(a) < 0)
        return -1;

    /* the article's index keys */
    SvTerm keys[KEY_TERMS + KEY_ENTS], tmp[SV_RAW_TERMS];
    size_t nk = cl_strongest(v->terms, v->nterms, KEY_TERMS, tmp);
    COPY(keys, tmp, nk);
    size_t ne = cl_strongest(v->ents, v->nents, KEY_ENTS, tmp);
    COPY(keys + nk, tmp, ne);
    nk += ne;

    uint32_t ev, near = UINT32_MAX;
    double near_s = 0, s1 = 0;
    /* candidates: window articles sharing keys, by number of keys shared */
    if (++a->gen == 0) {
        memset(a->stamp, 0, a->rcap * sizeof *a->stamp);
        a->gen = 1;
    }
    Cand *cand = NULL;
    size_t nc = 0, capc = 0;
    for (size_t k = 0; k < nk; k++) {
        Posting *p = cl_posting(a, &a->index, &a->post, &a->npost, &a->cap_post, keys[k].id, 0);
        if (!p)
            continue;
        size_t walked = 0;
        for (uint32_t i = p->n; i > p->lo && walked < POSTING_WALK; i--, walked++) {
            uint32_t x = p->v[i - 1];
            if (x < a->win_lo)
                break;
            size_t r = x & (a->rcap - 1);
            if (a->stamp[r] != a->gen) {
                a->stamp[r] = a->gen;
                a->hits[r] = 0;
                if (cl_grow((void **)&cand, &capc, nc + 1, sizeof *cand) < 0) {
                    free(cand);
                    return -1;
                }
                cand[nc++] = (Cand){ x, 0 };
            }
            a->hits[r]++;
        }
    }
    for (size_t i = 0; i < nc; i++)
        cand[i].hits = a->hits[cand[i].art & (a->rcap - 1)];
    SORT(cand, nc, cand_cmp);
    if (nc > (size_t)a->o.max_candidates)
        nc = (size_t)a->o.max_candidates;

    /* score the candidates; per event, the best pair score and near-copy share */
    uint32_t *ce = malloc((nc ? nc : 1) * sizeof *ce);
    double *cp = malloc((nc ? nc : 1) * sizeof *cp), *cn = malloc((nc ? nc : 1) * sizeof *cn);
    uint8_t *cs = calloc(nc ? nc : 1, 1); /* a pair of that event shares the signature */
    uint8_t *cse = calloc(nc ? nc : 1, 1); /* and with one of its first reports */
    if (!ce || !cp || !cn || !cs || !cse) {
        free(cse);
        free(cs);
        free(ce);
        free(cp);
        free(cn);
        free(cand);
        return -1;
    }
    size_t nce = 0;
    for (size_t i = 0; i < nc; i++) {
        Slot *s = &a->ring[cand[i].art & (a->rcap - 1)];
        SimParts sp;
        sim_features(v, &s->v, &sp);
        double sc = sim_score(&a->m, &sp);
        a->scored++;
        uint32_t e = find(a, s->event);
        size_t k = 0;
        while (k < nce && ce[k] != e)
            k++;
        int sig = sp.signature && sc >= a->o.event_threshold;
        cs[k] |= (uint8_t)sig;
        cse[k] |= (uint8_t)(sig && early(&a->ev[e], s->day));
        if (!sig && day != SV_NO_DAY && s->day != SV_NO_DAY && (int64_t)day - s->day > RECENT_DAYS)
            sc = 0; /* an older report links only through the signature */
        if (k == nce) {
            ce[nce] = e;
            cp[nce] = sc;
            cn[nce++] = sp.f[SIM_NEAR];
        } else {
            if (sc > cp[k])
                cp[k] = sc;
            if (sp.f[SIM_NEAR] > cn[k])
                cn[k] = sp.f[SIM_NEAR];
        }
    }
    free(cand);
    /* link score: the best pair, tempered by the event's profile when the
       event has more than one article; best event and runner-up */
    uint32_t e1 = UINT32_MAX, e2 = UINT32_MAX;
    int sig1 = 0, sig2 = 0, early1 = 0, early2 = 0;
    double s2 = 0, pw = a->o.profile_weight;
    SimSlot vs;
    sim_slot_of(v, &vs);
    uint16_t vord = (uint16_t)sim_ordinals(v);
    for (size_t k = 0; k < nce; k++) {
        double L = cp[k];
        Event *E = &a->ev[ce[k]];
        if (vs.tmpl && sim_slots_disagree(&vs, &E->slot))
            continue; /* one shape, another slot: a report of the same shape joined it */
        if (vord && E->ord && !(vord & E->ord))
            continue; /* the second of a kind does not join the third */
        if (day_slot_span(E, day, NULL))
            continue; /* a day's routine report (a market, the weather): other days' news
                         of it, in that shape or not, are other events */
        if (!early(E, day) && !cse[k])
            continue; /* days after its first reports, and not about what they said */
        if (pw > 0 && E->n >= 2 && cp[k] >= PROFILE_FLOOR) {
            double prof = profile_score(a, E, v, cn[k], day);
            L = pow(cp[k], 1 - pw) * pow(prof, pw);
        }
        if (e1 == UINT32_MAX || L > s1 || (L == s1 && ce[k] < e1)) {
            e2 = e1;
            s2 = s1;
            sig2 = sig1;
            early2 = early1;
            e1 = ce[k];
            s1 = L;
            sig1 = cs[k];
            early1 = cse[k];
        } else if (e2 == UINT32_MAX || L > s2 || (L == s2 && ce[k] < e2)) {
            e2 = ce[k];
            s2 = L;
            sig2 = cs[k];
            early2 = cse[k];
        }
    }
    free(cse);
    free(cs);
    free(ce);
    free(cp);
    free(cn);

    if (e1 != UINT32_MAX && s1 >= a->o.event_threshold) {
        ev = e1;
        /* the article bridges them: a very strong link to both, or the
           event's signature shared with a report of each */
        int sig_bridge = sig1 && sig2 && s2 >= a->o.event_threshold && e2 != UINT32_MAX &&
                         a->ev[e1].n <= BRIDGE_MAX && a->ev[e2].n <= BRIDGE_MAX;
        int bridge = s2 >= a->o.merge_threshold || sig_bridge;
        if (bridge && e2 != UINT32_MAX && span_of(&a->ev[e1], &a->ev[e2]) > EVENT_SPAN &&
            (!(early1 && early2) || (a->ev[e1].n > MERGE_SMALL && a->ev[e2].n > MERGE_SMALL)))
            bridge = 0; /* the two would span more than the first days' reports, and a
                           signature shared with the first reports of both excuses that
                           only for a fragment (a running topic's day of news is not) */
        if (bridge && e2 != UINT32_MAX && (sim_slots_disagree(&a->ev[e1].slot, &a->ev[e2].slot) ||
                                           ords_disagree(&a->ev[e1], &a->ev[e2]) ||
                                           day_slot_span(&a->ev[e1], day, &a->ev[e2])))
            bridge = 0; /* one shape, another slot (a shapeless report links both) */
        if (bridge && e2 != UINT32_MAX && a->ev[e1].n > GROWN && a->ev[e2].n > GROWN)
            bridge = 0; /* two grown events: two happenings the report tells together */
        if (bridge && !sig_bridge && e2 != UINT32_MAX) {
            int psig = 0; /* the report is close to both: are the two events close? (fragments
                             sharing the signature are one happening's reports worded apart) */
            if (profiles_score(a, &a->ev[e1], &a->ev[e2], &psig) < BRIDGE_PROFILES)
                bridge = 0;
        }
        if (e2 != UINT32_MAX && bridge && a->ev[e2].thread == UINT32_MAX)
            ev = merge_events(a, e1, e2);
    } else {
        if (cl_grow((void **)&a->ev, &a->cap_ev, a->nev + 1, sizeof *a->ev) < 0)
            return -1;
        ev = (uint32_t)a->nev++;
        Event *E = &a->ev[ev];
        memset(E, 0, sizeof *E);
        E->parent = ev;
        E->first = E->last = day;
        E->thread = UINT32_MAX;
        near = e1;
        near_s = s1;
        s1 = 0;
    }
    Event *E = &a->ev[ev];
    if (!E->slot.tmpl)
        sim_slot_of(v, &E->slot);
    if (!E->ord)
        E->ord = vord;
    uint64_t vk = vec_key(v);
    if (E->n == 0 || vk < E->key)
        E->key = vk;
    E->n++;
    E->open++;
    if (day != SV_NO_DAY) {
        if (E->first == SV_NO_DAY || day < E->first)
            E->first = day;
        if (E->last == SV_NO_DAY || day > E->last)
            E->last = day;
    }
    const SvTerm *vl[PROFILE_LISTS] = { v->terms, v->title, v->ents,  v->nums,
                                        v->when,  v->what,  v->places };
    size_t vn[PROFILE_LISTS] = { v->nterms, v->ntitle, v->nents,  v->nnums,
                                 v->nwhen,  v->nwhat,  v->nplaces };
    if (profile_add(E, vl, vn) < 0)
        a->oom = 1;

    uint32_t idx = (uint32_t)a->nproc++;
    a->art_event[art] = ev;
    a->art_score[art] = (float)s1;
    a->art_near[art] = near;
    a->art_near_score[art] = (float)near_s;
    Slot *s = &a->ring[idx & (a->rcap - 1)];
    s->v = *v;
    s->art = art;
    s->event = ev;
    s->day = day;
    memset(v, 0, sizeof *v);
    for (size_t k = 0; k < nk; k++) {
        Posting *p = cl_posting(a, &a->index, &a->post, &a->npost, &a->cap_post, keys[k].id, 1);
        if (p)
            cl_posting_push(a, p, idx);
    }
    return a->oom ? -1 : 0;
}

int assign_finish(Assigner *a)
{
    flush(a);
    consolidate(a); /* the last day's reports may join two open events too */
    while (a->win_lo < a->nproc) {
        Slot *s = &a->ring[a->win_lo & (a->rcap - 1)];
        uint32_t e = find(a, s->event);
        sv_free(&s->v);
        a->win_lo++;
        if (--a->ev[e].open == 0)
            cl_to_close(a, e);
    }
    cl_close_pending(a);
    return a->oom ? -1 : 0;
}

size_t assign_narticles(const Assigner *a) { return a->nart; }
size_t assign_nevents(const Assigner *a) { return a->nev; }

uint32_t assign_event(Assigner *a, size_t article)
{
    if (article < a->nart && a->art_event[article] == UINT32_MAX)
        flush(a); /* still waiting for its day to complete */
    if (article >= a->nart || a->art_event[article] == UINT32_MAX)
        return UINT32_MAX;
    return find(a, a->art_event[article]);
}

uint32_t assign_thread(Assigner *a, uint32_t event)
{
    return event < a->nev ? a->ev[find(a, event)].thread : UINT32_MAX;
}

double assign_best_score(const Assigner *a, size_t article)
{
    return article < a->nart ? a->art_score[article] : 0;
}

uint32_t assign_nearest(Assigner *a, size_t article, double *score)
{
    if (article < a->nart && a->art_event[article] == UINT32_MAX)
        flush(a);
    if (article >= a->nart || a->art_near[article] == UINT32_MAX)
        return UINT32_MAX;
    if (score)
        *score = a->art_near_score[article];
    return find(a, a->art_near[article]);
}

void assign_stats(const Assigner *a, size_t *open_articles, size_t *index_terms, size_t *scored)
{
    if (open_articles)
        *open_articles = a->nproc - a->win_lo;
    if (index_terms)
        *index_terms = a->npost;
    if (scored)
        *scored = a->scored;
}
