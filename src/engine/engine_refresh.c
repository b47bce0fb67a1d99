/*
 * engine_refresh.c — the stage after grouping (engine.h): the refresh
 * marker that says which stories' stored briefs and conflicts are owed, and
 * the refresh itself on every core. Moved unchanged from engine.c.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "story/brief.h"
#include "story/overrides.h"

#define REFRESH_KIND "refresh"

/* ---- the refresh marker ---- */

/* The story_cache row REFRESH_KIND (id 0) says what the refresh stage still
   owes, committed with the grouping that made the debt: "pending" (every
   story: an older rasd, or a store that cannot record changes), "pending\n"
   followed by one story a line (events positive, threads negative: the
   stories whose membership the groupings since the last finished refresh
   changed), or "done". A refresh clears it only if no grouping added to it
   meanwhile. */

typedef struct Touched {
    int64_t *ids;        /* events, then threads (thread ids negated) */
    size_t n, cap;
    int oom;
} Touched;

static void touched_add(Touched *t, int64_t id)
{
    if (t->n == t->cap) {
        size_t c = t->cap ? t->cap * 2 : 64;
        int64_t *p = realloc(t->ids, c * sizeof *p);
        if (!p) {
            t->oom = 1;
            return;
        }
        t->ids = p;
        t->cap = c;
    }
    t->ids[t->n++] = id;
}

/* The stories brief_refresh keeps: events of 2+ articles, threads of 2+ events. */
static int on_touched(void *ctx, int64_t event, int64_t event_articles, int64_t thread,
                      int64_t thread_events)
{
    Touched *t = ctx;
    if (event_articles >= 2)
        touched_add(t, event);
    if (thread_events >= 2 && !(t->n && t->ids[t->n - 1] == -thread))
        touched_add(t, -thread);
    return t->oom;
}

/* events (positive) first, then threads, each in id order, without repeats */
static int by_story(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    if ((x > 0) != (y > 0))
        return x > 0 ? -1 : 1;
    int64_t ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
    return ax < ay ? -1 : ax > ay;
}

/* Sorts t's ids in refresh order and drops repeats; the count left. */
static size_t touched_sort(Touched *t)
{
    size_t n = 0;
    if (!t->n)
        return 0;
    qsort(t->ids, t->n, sizeof *t->ids, by_story);
    for (size_t i = 0; i < t->n; i++)
        if (!n || t->ids[n - 1] != t->ids[i])
            t->ids[n++] = t->ids[i];
    t->n = n;
    return n;
}

static int marker_is(const Buf *b, const char *what)
{
    size_t n = strlen(what);
    return b->len >= n && memcmp(b->data, what, n) == 0;
}

/* Reads the marker into *b (empty when there is none). */
static rasd_err marker_get(Store *st, Buf *b, rasd_error *err)
{
    int found = 0;
    buf_reset(b);
    rasd_err e = store_get_cache(st, REFRESH_KIND, 0, 0, b, &found, err);
    if (e == RASD_OK && !found)
        buf_reset(b);
    return e;
}

/* The stories a "pending\n…" marker lists, added to t. */
static void marker_ids(const Buf *b, Touched *t)
{
    for (size_t at = 8; at < b->len;) {
        const char *line = b->data + at, *nl = memchr(line, '\n', b->len - at);
        size_t len = nl ? (size_t)(nl - line) : b->len - at;
        char num[24];
        if (len && len < sizeof num) {
            memcpy(num, line, len);
            num[len] = '\0';
            int64_t id = strtoll(num, NULL, 10);
            if (id)
                touched_add(t, id);
        }
        at += len + 1;
    }
}

/* In the grouping's transaction: the stories it changed join the debt. */
static rasd_err marker_add(Store *st, int tracked, rasd_error *err)
{
    Buf old = {0}, body = {0};
    Touched t = {0};
    rasd_err e = marker_get(st, &old, err);
    int full = !tracked || (marker_is(&old, "pending") && !marker_is(&old, "pending\n"));
    if (e == RASD_OK && !full) {
        if (marker_is(&old, "pending\n"))
            marker_ids(&old, &t);
        rasd_error le;
        rasd_err ce = store_each_changed_story(st, on_touched, &t, &le);
        if (ce == RASD_EINVAL)
            full = 1;
        else if (ce != RASD_OK) {
            e = ce;
            *err = le;
        }
    }
    if (e == RASD_OK && t.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK) {
        buf_puts(&body, full ? "pending" : "pending\n");
        size_t n = full ? 0 : touched_sort(&t);
        for (size_t i = 0; i < n; i++)
            buf_printf(&body, "%lld\n", (long long)t.ids[i]);
        e = body.oom ? rasd_fail(err, RASD_ENOMEM, "out of memory")
                     : store_put_cache(st, REFRESH_KIND, 0, 0, body.data, body.len, err);
    }
    free(t.ids);
    buf_free(&old);
    buf_free(&body);
    return e;
}

rasd_err engine_assign(Store *st, const AssignOpts *o, StoriesStats *stats, int *ran,
                       rasd_error *err)
{
    char from[32];
    int pending = 0;
    *ran = 0;
    memset(stats, 0, sizeof *stats);
    /* one write transaction from the first read to the last write: two
       ingests finishing at once take turns, and the second sees the first's
       events (assignment reads state, then writes what follows from it) */
    rasd_err e = store_begin(st, err);
    if (e != RASD_OK)
        return e;
    e = store_unassigned_from(st, from, sizeof from, &pending, err);
    if (e == RASD_OK && pending) {
        *ran = 1;
        rasd_error te; /* a store that cannot record: every story is refreshed */
        int tracked = store_track_stories(st, &te) == RASD_OK;
        e = stories_assign(st, o, stats, err);
        if (e == RASD_OK) /* the analyst's corrections, after every assignment */
            e = overrides_apply(st, NULL, err);
        /* committed with the grouping: a refresh that never finishes is redone */
        if (e == RASD_OK)
            e = marker_add(st, tracked, err);
    }
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    if (*ran) /* the grouping's state is freed: hand it back before the refresh */
        engine_release_memory();
    return e;
}

int engine_refresh_pending(Store *st)
{
    Buf b = {0};
    rasd_error err;
    int pending = marker_get(st, &b, &err) == RASD_OK && marker_is(&b, "pending");
    buf_free(&b);
    return pending;
}

/* The refresh stage finished what the marker said when it started (seen):
   "done", unless a grouping added to it meanwhile. */
static rasd_err refresh_done(Store *st, rasd_err e, const Buf *seen, rasd_error *err)
{
    if (e != RASD_OK || !marker_is(seen, "pending"))
        return e;
    Buf now = {0};
    e = store_begin(st, err);
    if (e == RASD_OK)
        e = marker_get(st, &now, err);
    if (e == RASD_OK && now.len == seen->len && memcmp(now.data, seen->data, now.len) == 0)
        e = store_put_cache(st, REFRESH_KIND, 0, 0, "done", 4, err);
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    buf_free(&now);
    return e;
}

rasd_err engine_refresh(Store *st, void (*progress)(void *ctx, size_t done, size_t total),
                        void *ctx, size_t *refreshed, rasd_error *err)
{
    BriefOpts o;
    brief_opts_default(&o);
    Buf seen = {0};
    rasd_err e = marker_get(st, &seen, err);
    if (e == RASD_OK)
        e = brief_refresh(st, &o, progress, ctx, refreshed, err);
    e = refresh_done(st, e, &seen, err);
    buf_free(&seen);
    if (*refreshed >= 64)
        engine_release_memory();
    return e;
}

/* Rebuilds the stored briefs of the stories ids (refresh order) on this
   connection, one transaction per 64 stories as brief_refresh. */
static rasd_err refresh_serial(Store *st, const int64_t *ids, size_t n,
                               void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                               size_t *refreshed, rasd_error *err)
{
    BriefOpts o;
    brief_opts_default(&o);
    rasd_err e = RASD_OK;
    for (size_t i = 0; e == RASD_OK && i < n; i++) {
        if (progress && i % 16 == 0)
            progress(ctx, i, n);
        if (i % 64 == 0) {
            if (i)
                e = store_commit(st, err);
            if (e == RASD_OK)
                e = store_begin(st, err);
            if (e != RASD_OK)
                break;
        }
        int64_t id = ids[i];
        e = brief_build(st, id < 0 ? -id : 0, id > 0 ? id : 0, &o, NULL, err);
        if (e == RASD_ENOTFOUND) /* an article without annotations: the next run */
            e = RASD_OK;
        (*refreshed)++;
    }
    if (n) {
        if (e == RASD_OK)
            e = store_commit(st, err);
        else
            store_rollback(st);
    }
    if (progress && e == RASD_OK)
        progress(ctx, n, n);
    return e;
}

static rasd_err refresh_list(Store *st, int jobs, const int64_t *ids, size_t n,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err);

rasd_err engine_refresh_from(Store *st, int64_t first, const char *since,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err)
{
    *refreshed = 0;
    if (!first)
        return RASD_OK;
    Buf seen = {0};
    rasd_err e = marker_get(st, &seen, err);
    if (e == RASD_OK && marker_is(&seen, "pending\n")) { /* the groupings' own list covers them */
        buf_free(&seen);
        return engine_refresh_changed(st, 1, progress, ctx, refreshed, err);
    }
    buf_free(&seen);
    Touched t = {0};
    rasd_error le;
    if (e == RASD_OK)
        e = store_each_story_from(st, first, since, on_touched, &t, &le);
    if (e == RASD_EINVAL) { /* the store cannot say: every story */
        free(t.ids);
        return engine_refresh(st, progress, ctx, refreshed, err);
    }
    if (e != RASD_OK)
        *err = le;
    if (e == RASD_OK && t.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    size_t n = e == RASD_OK ? touched_sort(&t) : 0;
    if (e == RASD_OK)
        e = refresh_serial(st, t.ids, n, progress, ctx, refreshed, err);
    free(t.ids);
    return e;
}

/* ---- the refresh stage on every core ---- */

typedef struct RefreshWork {
    const int64_t *ids;  /* stories: events (> 0) and threads (< 0) */
    size_t n;
    atomic_size_t next;  /* next index to take */
    atomic_size_t done;  /* stories finished */
    atomic_int failed;   /* a worker failed: the others stop */
    pthread_mutex_t lock;
    rasd_err e;          /* the first failure, under lock */
    rasd_error err;
} RefreshWork;

typedef struct RefreshWorker {
    RefreshWork *w;
    Store *st;           /* its own connection (the caller's for worker 0) */
    void (*progress)(void *ctx, size_t done, size_t total); /* worker 0 only, or NULL */
    void *ctx;
} RefreshWorker;

static void *refresh_worker(void *arg)
{
    RefreshWorker *k = arg;
    RefreshWork *w = k->w;
    BriefOpts o;
    brief_opts_default(&o);
    rasd_error err;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->n || atomic_load(&w->failed))
            break;
        int64_t id = w->ids[i];
        if (k->progress && i % 16 == 0)
            k->progress(k->ctx, atomic_load(&w->done), w->n);
        /* outside a transaction: each stored brief is its own short write,
           so the workers compute side by side (SQLite WAL: readers never wait) */
        rasd_err e = brief_build(k->st, id < 0 ? -id : 0, id > 0 ? id : 0, &o, NULL, &err);
        if (e != RASD_OK && e != RASD_ENOTFOUND) { /* ENOTFOUND: no annotations yet */
            pthread_mutex_lock(&w->lock);
            if (w->e == RASD_OK) {
                w->e = e;
                w->err = err;
            }
            pthread_mutex_unlock(&w->lock);
            atomic_store(&w->failed, 1);
            break;
        }
        atomic_fetch_add(&w->done, 1);
    }
    return NULL;
}

/* Rebuilds the stored briefs of the stories ids (refresh order) on jobs
   threads (0: every core), each with its own connection to an SQLite store;
   one thread otherwise. *refreshed counts the stories checked. */
static rasd_err refresh_list(Store *st, int jobs, const int64_t *ids, size_t n,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err)
{
    IngestOptions io = {0};
    io.jobs = jobs;
    int nt = engine_jobs_wanted(&io);
    const char *path = store_path(st);
    if (nt < 2 || !path || n < 2)
        return refresh_serial(st, ids, n, progress, ctx, refreshed, err);
    RefreshWork w = {ids, n, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, RASD_OK, {0}};
    pthread_t th[64];
    RefreshWorker wk[64];
    int started = 0;
    for (int k = 1; k < nt && (size_t)k < n; k++) {
        wk[k] = (RefreshWorker){&w, NULL, NULL, NULL};
        rasd_error oe;
        if (store_open(path, 0, &wk[k].st, &oe) != RASD_OK)
            break; /* fewer threads, same result */
        if (pthread_create(&th[started], NULL, refresh_worker, &wk[k]) != 0) {
            store_close(wk[k].st);
            break;
        }
        started++;
    }
    wk[0] = (RefreshWorker){&w, st, progress, ctx}; /* the calling thread works and reports */
    refresh_worker(&wk[0]);
    for (int k = 0; k < started; k++) {
        pthread_join(th[k], NULL);
        store_close(wk[k + 1].st);
    }
    rasd_err e = w.e;
    if (e != RASD_OK)
        *err = w.err;
    if (e == RASD_OK) {
        *refreshed += atomic_load(&w.done);
        if (progress)
            progress(ctx, n, n);
    }
    pthread_mutex_destroy(&w.lock);
    engine_release_memory(); /* what the threads' arenas held for the stories */
    return e;
}

rasd_err engine_refresh_jobs(Store *st, int jobs,
                             void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                             size_t *refreshed, rasd_error *err)
{
    IngestOptions io = {0};
    io.jobs = jobs;
    *refreshed = 0;
    if (engine_jobs_wanted(&io) < 2 || !store_path(st))
        return engine_refresh(st, progress, ctx, refreshed, err);
    Buf seen = {0};
    Touched t = {0};
    rasd_err e = marker_get(st, &seen, err);
    if (e == RASD_OK)
        e = store_each_story_from(st, 0, NULL, on_touched, &t, err);
    if (e == RASD_OK && t.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK) /* the order brief_refresh uses: events, then threads */
        e = refresh_list(st, jobs, t.ids, touched_sort(&t), progress, ctx, refreshed, err);
    e = refresh_done(st, e, &seen, err);
    free(t.ids);
    buf_free(&seen);
    return e;
}

rasd_err engine_refresh_changed(Store *st, int jobs,
                                void (*progress)(void *ctx, size_t done, size_t total),
                                void *ctx, size_t *refreshed, rasd_error *err)
{
    Buf seen = {0};
    Touched t = {0};
    *refreshed = 0;
    rasd_err e = marker_get(st, &seen, err);
    if (e == RASD_OK && !marker_is(&seen, "pending\n")) { /* every story, or nothing owed */
        int all = marker_is(&seen, "pending");
        buf_free(&seen);
        return all ? engine_refresh_jobs(st, jobs, progress, ctx, refreshed, err) : RASD_OK;
    }
    if (e == RASD_OK) {
        marker_ids(&seen, &t);
        if (t.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (e == RASD_OK)
        e = refresh_list(st, jobs, t.ids, touched_sort(&t), progress, ctx, refreshed, err);
    e = refresh_done(st, e, &seen, err);
    free(t.ids);
    buf_free(&seen);
    return e;
}

