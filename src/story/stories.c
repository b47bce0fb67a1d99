/*
 * stories.c — runs story assignment over the store (stories.h).
 *
 * The stored vectors are raw term counts, so the weights are computed here
 * with the document frequencies of every article the run sees (a first
 * pass counts them): the result does not depend on the order files were
 * ingested in, and an article replayed by a later run is weighed as one
 * run over everything would weigh it.
 *
 * Incremental runs. A new batch only reopens the tail of the archive: from
 * the earliest new article back by the event window. Articles of the tail
 * that already have an event go back into the assigner as members of that
 * event, unscored (assign_add_fixed), so new articles can join them and
 * bridge two of them (the store then merges the two); older articles are
 * not read at all: the document frequencies are kept in the store
 * (story_df) and only the new articles' counts are added; threads active
 * in the thread window are preloaded from their stored profiles, so a new
 * event can still join a thread months old. The cost of a batch follows
 * the window, not the archive. The first run, or `rasd stories --rebuild`,
 * replays everything.
 *
 * Threads of the tail. The events still open when a run ended (their last
 * article within the window of the newest day then) closed only for that
 * run: their threads were decided on what had arrived so far. The stored
 * thread profiles leave them out (the assigner's snapshot, cluster.c), the
 * next run's tail reaches back to them (the newest day of the last run is
 * kept in story_df under DF_NEWEST), and they are linked to threads again
 * when they close, in the same canonical order as in one run over
 * everything. So ingesting a day at a time gives the threads of ingesting
 * all at once. A thread made again keeps the smallest stored id of its
 * events whose thread was not preloaded.
 *
 * An event's headline is the title most like the others' (largest summed
 * headline cosine over up to 40 members); a thread's is its largest
 * event's. Ids are renumbered 1, 2, ... in order of first article.
 */
#include "story/stories.h"

#include <stdio.h>
#include "annotate/dates.h"

#include <stdlib.h>
#include <string.h>

typedef struct Member {
    int64_t article;     /* row id */
    char *published, *outlet, *title; /* owned copies, may be NULL */
    SvTerm *title_vec;   /* weighted headline vector (owned) */
    uint16_t ntitle;
    uint32_t event;      /* assigner's event id */
    double score;
    int64_t stored;      /* its event in the store before this run, 0 if new */
    int64_t stored_thread; /* and that event's stored thread, 0 if none */
    int32_t day;         /* publication day, SV_NO_DAY if unknown */
} Member;

/* story_df id holding the newest day (days since 1970) of the last run;
   no stem or key hashes to it in practice (64-bit ids) */
#define DF_NEWEST UINT64_C(0xFFFFFFFFFFFFFFFF)

typedef struct Run {
    Assigner *as;
    SvDf *df;
    Member *m;
    size_t n, cap;
    size_t bad;
    int oom;
    char cutoff[11];     /* articles published before this day are not replayed ("" = all) */
    int64_t *pre_id;     /* store id of each preloaded thread (assigner thread index) */
    size_t npre, cap_pre;
    IdMap pre_index;     /* stored thread id + 1 -> preloaded thread index + 1 */
    SvDf *delta;         /* incremental runs: the counts of the new articles alone */
    int32_t prev_newest; /* incremental runs: newest day of the last run, or SV_NO_DAY */
    int32_t newest;      /* newest day of this run's articles */
    StoryVec *held;      /* incremental runs: each member's vector, added once the tail is read
                            (add_held takes them; zeroed after) */
    size_t cap_held;
    IdMap ev_last;       /* stored event id + 1 -> its newest day in the tail + 1 */
} Run;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* First pass: the document frequencies of everything this run will see. */
static int count_vec(void *ctx, const StoredVec *sv)
{
    Run *r = ctx;
    StoryVec v;
    rasd_error err;
    if (sv->event && r->cutoff[0])
        return 0; /* stored counts hold the articles of earlier runs */
    if (sv_decode(&v, sv->vec, sv->n, &err) != RASD_OK)
        return 0;
    if (!r->cutoff[0] || !sv->published || strncmp(sv->published, r->cutoff, 10) >= 0) {
        sv_df_add(r->df, &v);
        if (r->delta)
            sv_df_add(r->delta, &v);
    }
    sv_free(&v);
    return r->oom;
}

static int on_vec(void *ctx, const StoredVec *sv)
{
    Run *r = ctx;
    StoryVec v;
    rasd_error err;
    if (sv_decode(&v, sv->vec, sv->n, &err) != RASD_OK) {
        r->bad++;
        return 0;
    }
    if (r->cutoff[0] && sv->published && strncmp(sv->published, r->cutoff, 10) < 0) {
        sv_free(&v); /* before the tail: already in the stored counts */
        return 0;
    }
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        Member *nm = realloc(r->m, nc * sizeof *nm);
        if (!nm) {
            sv_free(&v);
            r->oom = 1;
            return 1;
        }
        r->m = nm;
        r->cap = nc;
    }
    sv_weigh(&v, r->df);
    Member *m = &r->m[r->n];
    memset(m, 0, sizeof *m);
    m->article = sv->article;
    m->published = dup_or_null(sv->published);
    m->outlet = dup_or_null(sv->outlet);
    m->title = dup_or_null(sv->title);
    m->title_vec = malloc((v.ntitle + 1) * sizeof(SvTerm));
    if (!m->title_vec) {
        sv_free(&v);
        r->oom = 1;
        return 1;
    }
    if (v.ntitle)
        memcpy(m->title_vec, v.title, v.ntitle * sizeof(SvTerm));
    m->ntitle = v.ntitle;
    m->stored = r->cutoff[0] ? sv->event : 0;
    m->stored_thread = m->stored ? sv->thread : 0;
    m->day = v.day;
    if (v.day != SV_NO_DAY && (r->newest == SV_NO_DAY || v.day > r->newest))
        r->newest = v.day;
    if (r->cutoff[0] && r->cap_held < r->cap) {
        StoryVec *nh = realloc(r->held, r->cap * sizeof *nh);
        if (!nh) {
            free(m->published);
            free(m->outlet);
            free(m->title);
            free(m->title_vec);
            sv_free(&v);
            r->oom = 1;
            return 1;
        }
        r->held = nh;
        r->cap_held = r->cap;
    }
    r->n++;
    if (r->cutoff[0]) { /* held until the tail is read: see add_held */
        r->held[r->n - 1] = v;
        if (m->stored) {
            uint32_t *slot = idmap_slot(&r->ev_last, (uint64_t)m->stored + 1);
            uint32_t d = v.day == SV_NO_DAY ? UINT32_MAX : (uint32_t)(v.day + 1);
            if (!slot)
                r->oom = 1;
            else if (!*slot || d > *slot)
                *slot = d;
        }
        return r->oom;
    }
    if (assign_add(r->as, &v) < 0) {
        sv_free(&v);
        r->oom = 1;
        return 1;
    }
    return 0;
}

/*
 * Incremental runs: the tail's articles go to the assigner. An article of
 * an earlier run keeps its event; that event keeps its thread only when it
 * had closed for good in that run (its newest article older than the
 * window of that run's newest day), else its thread is decided again.
 */
static void add_held(Run *r, const AssignOpts *o)
{
    for (size_t i = 0; i < r->n && !r->oom; i++) {
        Member *m = &r->m[i];
        StoryVec *v = &r->held[i];
        long rc;
        if (m->stored) {
            long t = -1;
            uint32_t last = idmap_get(&r->ev_last, (uint64_t)m->stored + 1);
            int final = r->prev_newest != SV_NO_DAY && last != UINT32_MAX &&
                        (int64_t)last - 1 < (int64_t)r->prev_newest - o->window_days;
            if (final) {
                uint32_t k = idmap_get(&r->pre_index, (uint64_t)m->stored_thread + 1);
                t = k ? (long)k - 1 : -1;
            }
            rc = assign_add_fixed(r->as, v, m->stored, t);
        } else {
            rc = assign_add(r->as, v);
        }
        if (rc < 0)
            r->oom = 1;
    }
}

/* Aggregates of one event or thread while building the result. */
typedef struct Agg {
    int64_t id;          /* renumbered, 0 until seen */
    size_t first, last;  /* member indexes with the earliest / latest date */
    size_t articles, events;
    size_t head;         /* member whose title is the headline */
    double head_score;
    int64_t thread;      /* events: renumbered thread id */
    int64_t stored;      /* events: smallest stored event id among its articles, 0 if new */
    int seen;            /* met in the member loop */
    size_t biggest;      /* threads: articles in the largest event */
} Agg;

static const char *date_of(const Member *m) { return m->published; }

static void take_dates(Agg *g, const Member *ms, size_t i)
{
    const char *d = date_of(&ms[i]);
    if (!d)
        return;
    if (!date_of(&ms[g->first]) || strcmp(d, date_of(&ms[g->first])) < 0)
        g->first = i;
    if (!date_of(&ms[g->last]) || strcmp(d, date_of(&ms[g->last])) > 0)
        g->last = i;
}

static void free_members(Run *r)
{
    for (size_t i = 0; r->held && i < r->n; i++)
        sv_free(&r->held[i]);
    free(r->held);
    idmap_free(&r->ev_last);
    for (size_t i = 0; i < r->n; i++) {
        free(r->m[i].published);
        free(r->m[i].outlet);
        free(r->m[i].title);
        free(r->m[i].title_vec);
    }
    free(r->m);
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

/* "YYYY-MM-DD" of day (days since 1970-01-01). */
static void day_string(long day, char out[11])
{
    int y, m, d;
    dates_civil_from_days(day, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y < 0 ? 0 : y > 9999 ? 9999 : y, m, d);
}

static int on_df(void *ctx, uint64_t id, uint32_t n)
{
    Run *r = ctx;
    if (id == DF_NEWEST)
        r->prev_newest = (int32_t)n;
    else if (id == 0)
        sv_df_set_docs(r->df, n);
    else if (sv_df_set(r->df, id, n) < 0) {
        r->oom = 1;
        return 1;
    }
    return 0;
}

typedef struct DfWrite {
    Store *st;
    int replace;
    rasd_error *err;
    rasd_err e;
} DfWrite;

static int write_df(void *ctx, uint64_t id, uint32_t n)
{
    DfWrite *w = ctx;
    w->e = store_add_df(w->st, id, n, w->replace, w->err);
    return w->e != RASD_OK;
}

static int on_thread_profile(void *ctx, int64_t id, const char *last, const void *p, size_t n)
{
    Run *r = ctx;
    StoryVec v;
    rasd_error err;
    if (sv_decode(&v, p, n, &err) != RASD_OK)
        return 0; /* a damaged profile: that thread can no longer be joined */
    if (r->npre == r->cap_pre) {
        size_t nc = r->cap_pre ? r->cap_pre * 2 : 64;
        int64_t *ni = realloc(r->pre_id, nc * sizeof *ni);
        if (!ni) {
            sv_free(&v);
            r->oom = 1;
            return 1;
        }
        r->pre_id = ni;
        r->cap_pre = nc;
    }
    int32_t lastd = sv_day(last);
    long t = assign_preload_thread(r->as, lastd, v.terms, v.nterms, v.ents, v.nents);
    sv_free(&v);
    if (t < 0 || (size_t)t != r->npre) {
        r->oom = 1;
        return 1;
    }
    uint32_t *slot = idmap_slot(&r->pre_index, (uint64_t)id + 1);
    if (!slot) {
        r->oom = 1;
        return 1;
    }
    *slot = (uint32_t)r->npre + 1;
    r->pre_id[r->npre++] = id;
    return 0;
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

/*
 * Where this run starts: "" for everything, else the first day of the
 * tail (see the file comment). *nothing when every article has its event.
 */
static rasd_err find_cutoff(Store *st, const AssignOpts *o, char cutoff[11], int *nothing,
                            rasd_error *err)
{
    int has = 0, found = 0;
    char from[40];
    *nothing = 0;
    cutoff[0] = 0;
    rasd_err e = store_has_events(st, &has, err);
    if (e == RASD_OK)
        e = store_unassigned_from(st, from, sizeof from, &found, err);
    if (e != RASD_OK || !has)
        return e;
    if (!found) {
        *nothing = 1;
        return RASD_OK;
    }
    int32_t d = sv_day(from);
    if (d == SV_NO_DAY)
        return RASD_OK; /* undated new articles: replay everything */
    day_string((long)d - o->window_days - 1, cutoff);
    return RASD_OK;
}

rasd_err stories_assign(Store *st, const AssignOpts *o, StoriesStats *stats, rasd_error *err)
{
    Run r = { 0 };
    r.prev_newest = r.newest = SV_NO_DAY;
    memset(stats, 0, sizeof *stats);
    r.as = assign_new(o, NULL);
    r.df = sv_df_new();
    rasd_err e = RASD_OK;
    AssignOpts def;
    if (!o) {
        assign_opts_default(&def);
        o = &def;
    }
    if (!r.as || !r.df) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory starting story assignment");
        goto out;
    }
    int nothing = 0;
    e = find_cutoff(st, o, r.cutoff, &nothing, err);
    if (e != RASD_OK || nothing)
        goto out;
    if (r.cutoff[0]) {
        e = store_each_df(st, on_df, &r, err);
        if (e == RASD_OK && r.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory loading document frequencies");
        if (e != RASD_OK)
            goto out;
        if (sv_df_docs(r.df) == 0) {
            /* a store from before counts were kept: replay everything once */
            r.cutoff[0] = 0;
            e = store_begin(st, err);
            if (e == RASD_OK)
                e = store_clear_stories(st, err);
            if (e == RASD_OK)
                e = store_commit(st, err);
            if (e != RASD_OK)
                goto out;
        }
    }
    if (r.cutoff[0] && r.prev_newest != SV_NO_DAY &&
        sv_day(r.cutoff) > r.prev_newest - o->window_days) /* reach the open events' articles */
        day_string((long)r.prev_newest - o->window_days, r.cutoff);
    if (r.cutoff[0]) {
        r.delta = sv_df_new();
        if (!r.delta) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            goto out;
        }
        char since[11];
        day_string((long)sv_day(r.cutoff) - o->thread_days, since);
        e = store_each_thread_profile(st, since, on_thread_profile, &r, err);
        if (e == RASD_OK && r.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory loading thread profiles");
        if (e != RASD_OK)
            goto out;
    }
    stats->replayed_from = r.cutoff[0] ? 1 : 0;
    memcpy(stats->from, r.cutoff, sizeof stats->from);
    e = store_each_vec_from(st, r.cutoff[0] ? r.cutoff : NULL, count_vec, &r, err);
    if (e == RASD_OK && !r.oom)
        e = store_each_vec_from(st, r.cutoff[0] ? r.cutoff : NULL, on_vec, &r, err);
    if (e == RASD_OK && r.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory during story assignment");
    if (e != RASD_OK)
        goto out;
    if (r.cutoff[0]) {
        add_held(&r, o);
        if (r.oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory during story assignment");
            goto out;
        }
    }
    assign_finish(r.as);
    stats->articles = r.n;
    stats->bad_vectors = r.bad;

    size_t nev = assign_nevents(r.as), nth = assign_nthreads(r.as);
    int64_t max_ev = 0, max_th = 0;
    e = store_story_max_ids(st, &max_ev, &max_th, err);
    if (e != RASD_OK)
        goto out;
    if (!r.cutoff[0])
        max_ev = max_th = 0; /* everything is replayed: ids start again */
    Agg *ev = calloc(nev + 1, sizeof *ev), *th = calloc(nth + 1, sizeof *th);
    size_t *thread_of = calloc(nev + 1, sizeof *thread_of);
    if (!ev || !th || !thread_of) {
        free(ev);
        free(th);
        free(thread_of);
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    /* a thread made again keeps the smallest stored id among its events whose stored
       thread was not preloaded (its events were all reopened), each id once */
    int64_t *reuse = calloc(nth + 1, sizeof *reuse);
    IdMap claimed = { 0 };
    if (!reuse) {
        free(ev);
        free(th);
        free(thread_of);
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.n; i++) {
        int64_t st_th = r.m[i].stored_thread;
        if (!r.m[i].stored || st_th <= 0 || idmap_get(&r.pre_index, (uint64_t)st_th + 1))
            continue;
        uint32_t t = assign_thread(r.as, assign_event(r.as, i));
        size_t tk = t == UINT32_MAX || t >= nth ? nth : t;
        if (tk >= r.npre && (!reuse[tk] || st_th < reuse[tk]))
            reuse[tk] = st_th;
    }
    for (size_t t = 0; t <= nth; t++) {
        uint32_t *slot = reuse[t] ? idmap_slot(&claimed, (uint64_t)reuse[t]) : NULL;
        if (reuse[t] && (!slot || *slot))
            reuse[t] = 0; /* taken by another thread (or no memory: a new id) */
        else if (slot)
            *slot = 1;
    }
    idmap_free(&claimed);
    /* renumber in order of first article; collect members */
    int64_t next_ev = max_ev, next_th = max_th;
    for (size_t i = 0; i < r.n; i++) {
        uint32_t x = assign_event(r.as, i);
        r.m[i].event = x;
        r.m[i].score = assign_best_score(r.as, i);
        Agg *g = &ev[x];
        if (r.m[i].stored && (!g->stored || r.m[i].stored < g->stored))
            g->stored = r.m[i].stored; /* the event keeps the smallest stored id it holds */
        if (!g->seen) {
            g->seen = 1;
            g->first = g->last = g->head = i;
            g->head_score = -1;
            uint32_t t = assign_thread(r.as, x);
            size_t tk = t == UINT32_MAX || t >= nth ? nth : t; /* never after finish */
            thread_of[x] = tk;
            Agg *h = &th[tk];
            if (!h->id) {
                h->id = tk < r.npre ? r.pre_id[tk] : reuse[tk] ? reuse[tk] : ++next_th;
                h->first = h->last = i;
            }
            h->events++;
            g->thread = h->id;
        }
        g->articles++;
        take_dates(g, r.m, i);
        Agg *h = &th[thread_of[x]];
        h->articles++;
        take_dates(h, r.m, i);
    }
    /* ids: an event keeps the smallest stored id among its articles, new ones count on */
    for (size_t i = 0; i < r.n; i++) {
        Agg *g = &ev[r.m[i].event];
        if (!g->id)
            g->id = g->stored ? g->stored : ++next_ev;
    }
    /* headlines: the most central title among up to 40 members of each event */
    size_t *seen = calloc(nev + 1, sizeof *seen);
    size_t **mem = calloc(nev + 1, sizeof *mem);
    for (size_t i = 0; seen && mem && i < r.n; i++) {
        uint32_t x = r.m[i].event;
        if (!mem[x])
            mem[x] = calloc(40, sizeof **mem);
        if (mem[x] && seen[x] < 40)
            mem[x][seen[x]++] = i;
    }
    for (size_t x = 0; seen && mem && x < nev; x++) {
        for (size_t a = 0; a < seen[x]; a++) {
            const Member *ma = &r.m[mem[x][a]];
            if (!ma->title)
                continue;
            double s = 0;
            for (size_t b = 0; b < seen[x]; b++)
                if (b != a)
                    s += sv_cosine(ma->title_vec, ma->ntitle, r.m[mem[x][b]].title_vec,
                                   r.m[mem[x][b]].ntitle);
            if (s > ev[x].head_score) {
                ev[x].head_score = s;
                ev[x].head = mem[x][a];
            }
        }
        free(mem[x]);
    }
    free(mem);
    free(seen);

    e = store_begin(st, err);
    if (e == RASD_OK && !r.cutoff[0])
        e = store_clear_stories(st, err);
    /* stored events bridged by new articles become one (the smallest id) */
    for (size_t i = 0; e == RASD_OK && i < r.n; i++) {
        const Member *m = &r.m[i];
        int64_t keep = ev[m->event].stored;
        if (m->stored && m->stored != keep) {
            e = store_merge_event(st, keep, m->stored, err);
            for (size_t j = i + 1; j < r.n; j++) /* once per stored event */
                if (r.m[j].stored == m->stored)
                    r.m[j].stored = keep;
        }
    }
    /* threads first (events reference them); headline of the largest event */
    for (size_t x = 0; x < nev; x++) {
        if (!ev[x].id)
            continue;
        Agg *h = &th[thread_of[x]];
        if (ev[x].articles > h->biggest) {
            h->biggest = ev[x].articles;
            h->head = ev[x].head;
        }
    }
    char b1[11], b2[11];
    Buf prof = { 0 };
    for (size_t t = 0; e == RASD_OK && t <= nth; t++) {
        if (!th[t].id)
            continue;
        encode_profile(r.as, (uint32_t)t, &prof);
        if (prof.oom) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
        if (t < r.npre) { /* a known thread: new profile; counts are refreshed below */
            if (prof.len)
                e = store_set_thread_profile(st, th[t].id, prof.data, prof.len, err);
            continue;
        }
        StoredStory s = { th[t].id, th[t].id, day_of(date_of(&r.m[th[t].first]), b1),
                          day_of(date_of(&r.m[th[t].last]), b2), (int64_t)th[t].events,
                          (int64_t)th[t].articles, 0, r.m[th[t].head].title,
                          prof.len ? prof.data : NULL, prof.len };
        e = store_put_thread(st, &s, err);
        stats->threads++;
    }
    buf_free(&prof);
    /* distinct outlets per event: members sorted by (event, outlet) */
    size_t *distinct = calloc(nev + 1, sizeof *distinct);
    Member **by = malloc((r.n + 1) * sizeof *by);
    if (by && distinct) {
        for (size_t i = 0; i < r.n; i++)
            by[i] = &r.m[i];
        if (r.n > 1)
            qsort(by, r.n, sizeof *by, cmp_event_outlet);
        for (size_t i = 0; i < r.n; i++)
            if (i == 0 || by[i]->event != by[i - 1]->event ||
                cmp_str(&by[i]->outlet, &by[i - 1]->outlet) != 0)
                distinct[by[i]->event]++;
    }
    free(by);
    for (size_t x = 0; e == RASD_OK && x < nev; x++) {
        if (!ev[x].id)
            continue;
        if (ev[x].stored) { /* an event of an earlier run: its thread may be new */
            e = store_set_event_thread(st, ev[x].id, ev[x].thread, err);
            continue;
        }
        StoredStory s = { ev[x].id, ev[x].thread, day_of(date_of(&r.m[ev[x].first]), b1),
                          day_of(date_of(&r.m[ev[x].last]), b2), 1, (int64_t)ev[x].articles,
                          distinct ? (int64_t)distinct[x] : 0, r.m[ev[x].head].title, NULL, 0 };
        e = store_put_event(st, &s, err);
        stats->events++;
        stats->multi += ev[x].articles > 1;
    }
    free(distinct);
    for (size_t i = 0; e == RASD_OK && i < r.n; i++)
        if (!r.m[i].stored) { /* articles of earlier runs keep their row */
            e = store_put_article_event(st, r.m[i].article, ev[r.m[i].event].id, r.m[i].score,
                                        err);
            stats->added++;
        }
    if (e == RASD_OK && r.cutoff[0])
        e = store_refresh_events_from(st, r.cutoff, err);
    if (e == RASD_OK)
        e = store_refresh_threads(st, err);
    if (e == RASD_OK) { /* the counts: replaced after a full replay, added to otherwise */
        const SvDf *src = r.delta ? r.delta : r.df;
        DfWrite w = { st, !r.delta, err, RASD_OK };
        if (!r.delta)
            e = store_clear_df(st, err);
        if (e == RASD_OK) {
            sv_df_each(src, write_df, &w);
            e = w.e;
        }
        if (e == RASD_OK)
            e = store_add_df(st, 0, sv_df_docs(src), !r.delta, err);
        int32_t newest = r.newest;
        if (r.prev_newest != SV_NO_DAY && (newest == SV_NO_DAY || r.prev_newest > newest))
            newest = r.prev_newest;
        if (e == RASD_OK && newest != SV_NO_DAY && newest >= 0)
            e = store_add_df(st, DF_NEWEST, (uint32_t)newest, 1, err);
    }
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    free(ev);
    free(th);
    free(thread_of);
    free(reuse);
out:
    assign_free(r.as);
    sv_df_free(r.df);
    free_members(&r);
    free(r.pre_id);
    idmap_free(&r.pre_index);
    sv_df_free(r.delta);
    return e;
}
