/*
 * brief_refresh.c — the engine's refresh stage (brief.h, brief_refresh):
 * every event with 2+ articles and every thread with 2+ events whose
 * stored brief is missing or was built from other members gets one built
 * and stored, so views read instead of computing.
 */
#include <stdlib.h>

#include "story/brief_int.h"

/* ---- refreshing the stored views ---- */

typedef struct Multi {
    int64_t *events;     /* events with 2+ articles */
    size_t nev, capev;
    int64_t *threads;    /* threads with 2+ events */
    size_t nth, capth;
    int64_t last_event, last_thread; /* rows come grouped by thread, then event */
    int oom;
} Multi;

static void push_id(int64_t **v, size_t *n, size_t *cap, int64_t id, int *oom)
{
    if (*n && (*v)[*n - 1] == id)
        return;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        int64_t *p = realloc(*v, c * sizeof *p);
        if (!p) {
            *oom = 1;
            return;
        }
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = id;
}

static int on_multi(void *p, const StoryArticle *r)
{
    Multi *m = p;
    if (r->event.articles >= 2)
        push_id(&m->events, &m->nev, &m->capev, r->event.id, &m->oom);
    if (r->thread.events >= 2)
        push_id(&m->threads, &m->nth, &m->capth, r->thread.id, &m->oom);
    return m->oom;
}

rasd_err brief_refresh(Store *st, const BriefOpts *o,
                       void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                       size_t *refreshed, rasd_error *err)
{
    Multi m = {0};
    *refreshed = 0;
    rasd_err e = store_each_story_article(st, NULL, 0, on_multi, &m, err);
    if (e == RASD_OK && m.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    size_t total = m.nev + m.nth, done = 0;
    Buf json = {0};
    for (size_t i = 0; e == RASD_OK && i < total; i++, done++) {
        if (progress && (done % 16 == 0))
            progress(ctx, done, total);
        int is_event = i < m.nev;
        int64_t id = is_event ? m.events[i] : m.threads[i - m.nev];
        Ctx c;
        e = brief_story_list(st, is_event ? 0 : id, is_event ? id : 0, &c, err);
        int found = 0;
        int64_t sig = e == RASD_OK ? brief_story_sig(&c) : 0;
        buf_reset(&json);
        if (e == RASD_OK)
            e = brief_cache_get(&c, "brief", sig, &json, &found, err);
        brief_story_free(&c);
        if (e != RASD_OK || found)
            continue;
        if ((*refreshed)++ % 64 == 0) { /* one transaction per 64 stories */
            if (*refreshed > 1)
                e = store_commit(st, err);
            if (e == RASD_OK)
                e = store_begin(st, err);
        }
        buf_reset(&json);
        if (e == RASD_OK)
            e = brief_build(st, is_event ? 0 : id, is_event ? id : 0, o, NULL, err);
        if (e == RASD_ENOTFOUND) /* an article without annotations: the next run */
            e = RASD_OK;
    }
    if (*refreshed) {
        if (e == RASD_OK)
            e = store_commit(st, err);
        else
            store_rollback(st);
    }
    if (progress && e == RASD_OK)
        progress(ctx, total, total);
    buf_free(&json);
    free(m.events);
    free(m.threads);
    return e;
}
