/*
 * overrides.c — applies the analyst's corrections after story assignment
 * (overrides.h).
 *
 * Story and event numbers are not stable: `stories --rebuild` renumbers
 * everything and an incremental run merges events. A correction is
 * therefore kept by anchor articles, chosen when it is made:
 *   merge   anchor_a = the oldest stored article (lowest row) of the story
 *           merged, anchor_b = the oldest of the story kept. Applying moves
 *           every event of anchor_a's current story into anchor_b's.
 *   move    a = the article, anchor_b = the oldest other article of the
 *           event it leaves. Applying: while the article shares an event
 *           with anchor_b, it is taken out into a new event in a new story
 *           of its own (counts of the event it left are recounted).
 *   dismiss anchor_a = the oldest article of the story; the conflict id is
 *           a hash of the conflict's content (server/data_view.c), so the
 *           dismissal follows the story wherever its anchor goes.
 * Applying is idempotent: a correction that already holds changes nothing.
 * Removing a move puts the article back into the event of anchor_b while it
 * still stands alone where the move put it; removing a merge does not split
 * the story again (which events came from which story is not recorded):
 * that waits for `stories --rebuild`.
 * A later assignment may undo one (a new article bridging the moved article
 * back into its event); the next application redoes it. Corrections made
 * before anchors existed (a, b only) are applied by their numbers when
 * those still mean the same thing.
 */
#include "story/overrides.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An owned copy of a stored correction. */
typedef struct Ovr {
    int64_t id;
    char *kind, *a, *b, *anchor_a, *anchor_b, *note, *at; /* see StoredOverride */
} Ovr;

typedef struct OvrList {
    Ovr *v;
    size_t n, cap;
    int oom;
} OvrList;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int on_override(void *ctx, const StoredOverride *o)
{
    OvrList *l = ctx;
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 16;
        Ovr *v = realloc(l->v, c * sizeof *v);
        if (!v) {
            l->oom = 1;
            return 1;
        }
        l->v = v;
        l->cap = c;
    }
    Ovr *x = &l->v[l->n++];
    x->id = o->id;
    x->kind = dup_or_null(o->kind);
    x->a = dup_or_null(o->a);
    x->b = dup_or_null(o->b);
    x->anchor_a = dup_or_null(o->anchor_a);
    x->anchor_b = dup_or_null(o->anchor_b);
    x->note = dup_or_null(o->note);
    x->at = dup_or_null(o->at);
    if (!x->kind || !x->a || !x->b || (o->anchor_a && !x->anchor_a) ||
        (o->anchor_b && !x->anchor_b))
        l->oom = 1;
    return l->oom;
}

static void list_free(OvrList *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].kind);
        free(l->v[i].a);
        free(l->v[i].b);
        free(l->v[i].anchor_a);
        free(l->v[i].anchor_b);
        free(l->v[i].note);
        free(l->v[i].at);
    }
    free(l->v);
}

static rasd_err load(Store *st, OvrList *l, rasd_error *err)
{
    memset(l, 0, sizeof *l);
    rasd_err e = store_each_override(st, on_override, l, err);
    if (e == RASD_OK && l->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory reading corrections");
    return e;
}

/* Row id and hash of an article named by hash (prefix) or row number. */
static rasd_err resolve(Store *st, const char *id, int64_t *row, char hash[17], rasd_error *err)
{
    StoredArticle sa;
    rasd_err e = store_get_article(st, id, &sa, err);
    if (e != RASD_OK)
        return e;
    *row = sa.id;
    snprintf(hash, 17, "%s", sa.hash);
    store_article_free(&sa);
    return RASD_OK;
}

/* The event and story an article named by hash stands in now (0, 0 when it
   is gone or unassigned). */
static rasd_err place(Store *st, const char *hash, int64_t *row, int64_t *event, int64_t *thread,
                      rasd_error *err)
{
    char h[17];
    *row = *event = *thread = 0;
    rasd_err e = resolve(st, hash, row, h, err);
    if (e == RASD_ENOTFOUND || e == RASD_EINVAL)
        return RASD_OK; /* the anchor was removed: the correction rests */
    if (e != RASD_OK)
        return e;
    return store_article_event(st, *row, event, thread, err);
}

/* What one pass over a story's or an event's rows collects. */
typedef struct Scan {
    int64_t skip;        /* article row to leave out of the anchor choice */
    int64_t oldest;      /* lowest other article row, 0 if none */
    char oldest_hash[17];
    size_t rows;         /* articles seen */
    int64_t *events;     /* distinct events, in order met */
    size_t nevents, cap;
    int oom;
    char day[11];        /* earliest publication day seen ("" if none) */
    int64_t self;        /* the row whose details follow */
    char self_day[11], *self_title;
    char *other_title;   /* first title of another row, in story order */
    char *event_headline, *thread_headline; /* as stored (of the last row seen) */
} Scan;

static int on_row(void *ctx, const StoryArticle *r)
{
    Scan *s = ctx;
    s->rows++;
    if (r->article != s->skip && (!s->oldest || r->article < s->oldest)) {
        s->oldest = r->article;
        snprintf(s->oldest_hash, sizeof s->oldest_hash, "%s", r->hash ? r->hash : "");
    }
    if (r->published && (!s->day[0] || strncmp(r->published, s->day, 10) < 0))
        snprintf(s->day, sizeof s->day, "%.10s", r->published);
    if (r->article != s->self && r->title && !s->other_title)
        s->other_title = strdup(r->title);
    if (!s->event_headline && r->event.headline)
        s->event_headline = strdup(r->event.headline);
    if (!s->thread_headline && r->thread.headline)
        s->thread_headline = strdup(r->thread.headline);
    if (r->article == s->self) {
        snprintf(s->self_day, sizeof s->self_day, "%.10s", r->published ? r->published : "");
        free(s->self_title);
        s->self_title = dup_or_null(r->title);
    }
    if (!s->nevents || s->events[s->nevents - 1] != r->event.id) {
        if (s->nevents == s->cap) {
            size_t c = s->cap ? s->cap * 2 : 16;
            int64_t *v = realloc(s->events, c * sizeof *v);
            if (!v) {
                s->oom = 1;
                return 1;
            }
            s->events = v;
            s->cap = c;
        }
        s->events[s->nevents++] = r->event.id;
    }
    return 0;
}

/* Scans a story (which > 0) or an event (which < 0: -event). */
static rasd_err scan(Store *st, int64_t which, int64_t skip, int64_t self, Scan *s,
                     rasd_error *err)
{
    memset(s, 0, sizeof *s);
    s->skip = skip;
    s->self = self;
    rasd_err e = store_each_story_article(st, NULL, which, on_row, s, err);
    if (e == RASD_OK && s->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    return e;
}

static void scan_free(Scan *s)
{
    free(s->events);
    free(s->self_title);
    free(s->other_title);
    free(s->event_headline);
    free(s->thread_headline);
}

/* ---- applying ---- */

static rasd_err apply_merge(Store *st, const Ovr *o, int *changed, rasd_error *err)
{
    int64_t row, ev, ta = 0, tb = 0;
    rasd_err e = RASD_OK;
    if (o->anchor_a && o->anchor_b) {
        e = place(st, o->anchor_a, &row, &ev, &ta, err);
        if (e == RASD_OK)
            e = place(st, o->anchor_b, &row, &ev, &tb, err);
    } else { /* made before anchors: the numbers as they stand */
        ta = atoll(o->a);
        tb = atoll(o->b);
    }
    if (e != RASD_OK || !ta || !tb || ta == tb)
        return e;
    Scan s;
    e = scan(st, ta, 0, 0, &s, err);
    for (size_t i = 0; e == RASD_OK && i < s.nevents; i++)
        e = store_set_event_thread(st, s.events[i], tb, err);
    if (e == RASD_OK && s.nevents)
        *changed = 1;
    scan_free(&s);
    return e;
}

/* The headline of a thread's largest event with one (a thread's headline is
   its largest event's, story/stories.c). */
typedef struct Largest {
    int64_t articles;
    char *headline;
} Largest;

static int on_largest(void *ctx, const StoryArticle *r)
{
    Largest *l = ctx;
    if (r->event.headline && r->event.articles > l->articles) {
        char *h = strdup(r->event.headline);
        if (!h)
            return 1;
        free(l->headline);
        l->headline = h;
        l->articles = r->event.articles;
    }
    return 0;
}

static rasd_err retitle_thread(Store *st, int64_t thread, rasd_error *err)
{
    Largest l = {0, NULL};
    rasd_err e = store_each_story_article(st, NULL, thread, on_largest, &l, err);
    if (e == RASD_OK)
        e = store_set_headline(st, 0, thread, l.headline, err);
    free(l.headline);
    return e;
}

static rasd_err apply_move(Store *st, const Ovr *o, int *changed, rasd_error *err)
{
    int64_t row, ev, th, crow = 0, cev = 0, cth;
    rasd_err e = place(st, o->a, &row, &ev, &th, err);
    if (e == RASD_OK && o->anchor_b)
        e = place(st, o->anchor_b, &crow, &cev, &cth, err);
    if (e != RASD_OK || !ev)
        return e;
    if (o->anchor_b ? cev != ev : ev != atoll(o->b))
        return RASD_OK; /* no longer together: the correction holds */
    Scan s;
    e = scan(st, -ev, row, row, &s, err);
    if (e != RASD_OK || s.rows < 2) {
        scan_free(&s);
        return e;
    }
    int64_t max_ev = 0, max_th = 0;
    e = store_story_max_ids(st, &max_ev, &max_th, err);
    const char *day = s.self_day[0] ? s.self_day : NULL;
    StoredStory t = {max_th + 1, max_th + 1, day, day, 1, 1, 0, s.self_title, NULL, 0};
    StoredStory x = {max_ev + 1, max_th + 1, day, day, 1, 1, 1, s.self_title, NULL, 0};
    if (e == RASD_OK)
        e = store_put_thread(st, &t, err);
    if (e == RASD_OK)
        e = store_put_event(st, &x, err);
    if (e == RASD_OK)
        e = store_set_article_event(st, row, x.id, err);
    if (e == RASD_OK) /* the event it left: its counts and dates */
        e = store_refresh_events_from(st, s.day, err);
    /* and its headline, when it was the moved article's title (none rather
       than a wrong one when no other article has a title) */
    const char *title = s.self_title;
    if (e == RASD_OK && title && s.event_headline && strcmp(s.event_headline, title) == 0)
        e = store_set_headline(st, ev, 0, s.other_title, err);
    if (e == RASD_OK && title && s.thread_headline && strcmp(s.thread_headline, title) == 0)
        e = retitle_thread(st, th, err);
    if (e == RASD_OK)
        *changed = 1;
    scan_free(&s);
    return e;
}

rasd_err overrides_apply(Store *st, size_t *applied, rasd_error *err)
{
    OvrList l;
    size_t n = 0;
    if (applied)
        *applied = 0;
    rasd_err e = load(st, &l, err);
    if (e != RASD_OK || l.n == 0) {
        list_free(&l);
        return e;
    }
    e = store_begin(st, err);
    int any = 0;
    for (size_t i = 0; e == RASD_OK && i < l.n; i++) {
        int changed = 0;
        if (strcmp(l.v[i].kind, "merge") == 0)
            e = apply_merge(st, &l.v[i], &changed, err);
        else if (strcmp(l.v[i].kind, "move") == 0)
            e = apply_move(st, &l.v[i], &changed, err);
        n += (size_t)changed;
        any |= changed;
    }
    if (e == RASD_OK && any)
        e = store_refresh_threads(st, err);
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    list_free(&l);
    if (e == RASD_OK && applied)
        *applied = n;
    return e;
}

/* ---- removing ---- */

/* Puts a moved article back into the event it was taken from, when it still
   stands alone in the event the move made for it and its anchor's event
   still exists (a later assignment that gave it company decided anew). */
static rasd_err undo_move(Store *st, const Ovr *o, int *changed, rasd_error *err)
{
    int64_t row, ev, th, crow, cev, cth;
    if (!o->anchor_b)
        return RASD_OK; /* made before anchors: the event it left is not known */
    rasd_err e = place(st, o->a, &row, &ev, &th, err);
    if (e == RASD_OK)
        e = place(st, o->anchor_b, &crow, &cev, &cth, err);
    if (e != RASD_OK || !ev || !cev || ev == cev)
        return e;
    Scan s;
    e = scan(st, -ev, 0, row, &s, err);
    int alone = e == RASD_OK && s.rows == 1;
    char day[11];
    snprintf(day, sizeof day, "%s", s.day);
    scan_free(&s);
    if (!alone)
        return e;
    e = store_merge_event(st, cev, ev, err); /* the article back; its own event gone */
    if (e == RASD_OK)
        e = store_refresh_events_from(st, day[0] ? day : NULL, err);
    if (e == RASD_OK)
        *changed = 1;
    return e;
}

rasd_err overrides_remove(Store *st, int64_t id, int *found, int *undone, rasd_error *err)
{
    OvrList l;
    *found = *undone = 0;
    rasd_err e = load(st, &l, err);
    const Ovr *o = NULL;
    for (size_t i = 0; e == RASD_OK && i < l.n; i++)
        if (l.v[i].id == id)
            o = &l.v[i];
    if (e != RASD_OK || !o) {
        list_free(&l);
        return e;
    }
    e = store_begin(st, err);
    if (e == RASD_OK && strcmp(o->kind, "move") == 0)
        e = undo_move(st, o, undone, err);
    if (e == RASD_OK && *undone)
        e = store_refresh_threads(st, err); /* the story the move made, now empty */
    if (e == RASD_OK)
        e = store_delete_override(st, id, found, err);
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    list_free(&l);
    return e;
}

/* ---- recording ---- */

/* The oldest article of a story (anchor); RASD_ENOTFOUND if there is none. */
static rasd_err story_anchor(Store *st, const char *story, char hash[17], rasd_error *err)
{
    Scan s;
    int64_t t = atoll(story);
    rasd_err e = t > 0 ? scan(st, t, 0, 0, &s, err) : RASD_OK;
    if (t <= 0)
        memset(&s, 0, sizeof s);
    if (e == RASD_OK && !s.oldest)
        e = rasd_fail(err, RASD_ENOTFOUND, "there is no story %s", story);
    if (e == RASD_OK)
        memcpy(hash, s.oldest_hash, 17);
    scan_free(&s);
    return e;
}

void overrides_free_one(StoredOverride *o)
{
    free((char *)o->kind);
    free((char *)o->a);
    free((char *)o->b);
    free((char *)o->anchor_a);
    free((char *)o->anchor_b);
    free((char *)o->note);
    free((char *)o->at);
    memset(o, 0, sizeof *o);
}

rasd_err overrides_add(Store *st, const char *kind, const char *a, const char *b,
                       const char *note, StoredOverride *out, rasd_error *err)
{
    char ha[17] = "", hb[17] = "", at[32];
    char arow[32];
    rasd_err e = RASD_OK;
    memset(out, 0, sizeof *out);
    if (strcmp(kind, "merge") == 0) {
        e = story_anchor(st, a, ha, err);
        if (e == RASD_OK)
            e = story_anchor(st, b, hb, err);
    } else if (strcmp(kind, "move") == 0) {
        int64_t row, ev, th;
        e = resolve(st, a, &row, ha, err);
        if (e == RASD_OK)
            e = store_article_event(st, row, &ev, &th, err);
        if (e == RASD_OK && ev != atoll(b))
            e = rasd_fail(err, RASD_ENOTFOUND, "article %s is not in event %s", a, b);
        Scan s = {0};
        if (e == RASD_OK)
            e = scan(st, -ev, row, 0, &s, err);
        if (e == RASD_OK && !s.oldest)
            e = rasd_fail(err, RASD_EINVAL, "article %s is alone in event %s: there is nothing "
                                            "to move it out of", a, b);
        if (e == RASD_OK)
            memcpy(hb, s.oldest_hash, 17);
        scan_free(&s);
        snprintf(arow, sizeof arow, "%s", ha); /* stored by its full hash */
        a = arow;
    } else if (strcmp(kind, "dismiss") == 0) {
        e = story_anchor(st, a, ha, err);
    } else {
        e = rasd_fail(err, RASD_EINVAL, "unknown correction '%s'", kind);
    }
    if (e != RASD_OK)
        return e;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    StoredOverride o = {0, kind, a, b, strcmp(kind, "move") == 0 ? NULL : ha,
                        hb[0] ? hb : NULL, note, at};
    e = store_begin(st, err);
    if (e == RASD_OK)
        e = store_add_override(st, &o, &o.id, err);
    if (e == RASD_OK)
        e = overrides_apply(st, NULL, err);
    if (e == RASD_OK)
        e = store_commit(st, err);
    else
        store_rollback(st);
    if (e != RASD_OK)
        return e;
    out->id = o.id;
    out->kind = strdup(kind);
    out->a = strdup(a);
    out->b = strdup(b);
    out->anchor_a = dup_or_null(o.anchor_a);
    out->anchor_b = dup_or_null(o.anchor_b);
    out->note = dup_or_null(note);
    out->at = strdup(at);
    if (!out->kind || !out->a || !out->b || !out->at) {
        overrides_free_one(out);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return RASD_OK;
}

/* ---- reading ---- */

rasd_err overrides_each_placed(Store *st,
                               int (*fn)(void *ctx, const StoredOverride *o, int64_t story_a,
                                         int64_t story_b),
                               void *ctx, rasd_error *err)
{
    OvrList l;
    rasd_err e = load(st, &l, err); /* copied first: placing them reads the store again */
    for (size_t i = 0; e == RASD_OK && i < l.n; i++) {
        const Ovr *x = &l.v[i];
        int64_t row, ev, ta = 0, tb = 0;
        int is_move = strcmp(x->kind, "move") == 0;
        const char *first = is_move ? x->a : x->anchor_a;
        if (first)
            e = place(st, first, &row, &ev, &ta, err);
        else
            ta = atoll(x->a);
        if (e == RASD_OK && x->anchor_b)
            e = place(st, x->anchor_b, &row, &ev, &tb, err);
        else if (strcmp(x->kind, "merge") == 0)
            tb = atoll(x->b);
        StoredOverride o = {x->id, x->kind, x->a, x->b, x->anchor_a, x->anchor_b, x->note, x->at};
        if (e == RASD_OK && fn(ctx, &o, ta, tb))
            break;
    }
    list_free(&l);
    return e;
}
