/*
 * poll.c — one polling round of `rasd watch`.
 *
 * A round, for the sources that are due:
 *   1. robots.txt of every origin not known in the last hour is fetched
 *      (one request each, all at once); a source or page robots.txt
 *      forbids is not fetched and counts as a failed poll;
 *   2. every due source is fetched at once (fetch.c: conditional GET with
 *      the stored ETag/Last-Modified, per-host limits, size/time fences);
 *   3. each answer is judged on its own: 304 leaves the source alone, 429
 *      and 5xx back off (Retry-After honoured), a body is converted to UTF-8
 *      from its bytes (a wrong charset header cannot mislead it) and read
 *      as RSS/Atom, JSON Feed, JSON, or an HTML section page whose article
 *      links become items. A feed Content-Type over an HTML body is refused
 *      by name (it is usually a login or error page);
 *   4. items this source gave before (by URL, else by a hash of title and
 *      text: the watch_seen table) are dropped; for the rest the article
 *      page is fetched when the item has no text (section links) or only a
 *      summary (shorter than summary_below), and the page's text, boilerplate
 *      removed by the HTML reader, replaces the summary when it is longer.
 *      A page that cannot be fetched leaves the feed's own text;
 *   5. each source's new items are stored by engine_ingest_batch in one
 *      transaction (the engine drops exact copies by content hash and
 *      records another outlet's copy as a sighting), then marked seen;
 *   6. if anything was added, engine_assign places it into stories at once.
 * One source's failure is a message and a backoff for that source only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/store.h"
#include "watch/parse.h"
#include "watch/watch.h"
#include "watch/watch_store.h"

typedef struct Robots {
    char origin[256];  /* scheme://host:port */
    char *txt;         /* robots.txt body, or NULL (none: everything allowed) */
    size_t n;          /* bytes of txt */
    int deny_all;      /* robots.txt unreachable (5xx, network): fetch nothing there */
    int64_t fetched;   /* Unix time it was fetched */
} Robots;

struct Watch {
    Store *st;          /* the engine's store */
    sqlite3 *db;        /* its connection, for the watch tables */
    WatchOpts o;        /* options, defaults filled */
    Robots *robots;     /* robots.txt cache, one per origin */
    size_t nrobots, caprobots;
};

typedef struct Item {
    Article a;         /* the article (owned until moved into the engine's batch) */
    char *key;         /* seen key: URL or "sha:" hash; owned */
    int parent;        /* index in the job's items of the page it was split from, or -1 */
    int page_only;     /* a section-page link: no text until its page is fetched */
    int no_text;       /* its page was fetched but holds no article text */
    long page;         /* index of its article-page request, or -1 */
} Item;

typedef struct Job {
    WSource *s;        /* the source (row loaded for this round) */
    long req;          /* index of its request, or -1 (not fetched) */
    Item *items;       /* fresh items */
    size_t n, cap;
    size_t read;       /* items the reader produced */
    int done;          /* outcome recorded (failed or unchanged) */
    int unchanged;     /* answered 304 Not Modified */
    FetchReq *preqs;   /* its article-page requests */
    long *pitem;       /* the item of each page request */
    size_t np;         /* page requests */
    size_t pending;    /* page requests not answered yet */
    size_t given;      /* items handed to the engine */
} Job;

static double now_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void say(Watch *w, int is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(Watch *w, int is_error, const char *fmt, ...)
{
    if (!w->o.on_message)
        return;
    char m[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    w->o.on_message(w->o.ctx, is_error, m);
}

rasd_err watch_open(Store *st, const WatchOpts *o, Watch **out, rasd_error *err)
{
    Watch *w = calloc(1, sizeof *w);
    if (!w)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    w->st = st;
    w->db = store_sqlite_handle(st);
    w->o = *o;
    if (w->o.min_interval <= 0)
        w->o.min_interval = 300;
    if (w->o.max_interval <= 0)
        w->o.max_interval = 21600;
    if (w->o.max_interval < w->o.min_interval)
        w->o.max_interval = w->o.min_interval;
    if (!w->o.max_links)
        w->o.max_links = 20;
    if (!w->o.summary_below)
        w->o.summary_below = 1500;
    rasd_err e = wstore_init(w->db, err);
    if (e != RASD_OK) {
        free(w);
        return e;
    }
    *out = w;
    return RASD_OK;
}

void watch_close(Watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nrobots; i++)
        free(w->robots[i].txt);
    free(w->robots);
    free(w);
}

/* ---- robots.txt ---- */

static Robots *robots_find(Watch *w, const char *origin)
{
    for (size_t i = 0; i < w->nrobots; i++)
        if (!strcmp(w->robots[i].origin, origin))
            return &w->robots[i];
    return NULL;
}

/* Fetches robots.txt for the origins of urls not known in the last hour. */
static rasd_err robots_refresh(Watch *w, char **urls, size_t n, int64_t now, rasd_error *err)
{
    FetchReq *reqs = calloc(n ? n : 1, sizeof *reqs);
    char **origins = calloc(n ? n : 1, sizeof *origins);
    size_t k = 0;
    rasd_err e = RASD_OK;
    if (!reqs || !origins) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char origin[256];
        if (!urls[i] || fetch_origin(urls[i], origin, sizeof origin) < 0)
            continue;
        Robots *r = robots_find(w, origin);
        if (r && now - r->fetched < 3600)
            continue;
        int dup = 0;
        for (size_t j = 0; j < k && !dup; j++)
            dup = !strcmp(origins[j], origin);
        if (dup)
            continue;
        size_t len = strlen(origin) + sizeof "/robots.txt";
        origins[k] = malloc(len);
        if (!origins[k]) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            goto out;
        }
        snprintf(origins[k], len, "%s/robots.txt", origin);
        reqs[k].url = origins[k];
        origins[k][strlen(origin)] = '\0'; /* keep the origin; the URL is rebuilt below */
        k++;
    }
    /* the request URLs: origin + "/robots.txt" (restore the '/') */
    for (size_t j = 0; j < k; j++)
        origins[j][strlen(origins[j])] = '/';
    FetchLimits lim = w->o.lim;
    if (!lim.max_bytes || lim.max_bytes > 512 * 1024)
        lim.max_bytes = 512 * 1024; /* RFC 9309: at least 500 KiB is read */
    if (k && (e = fetch_run(reqs, k, &lim, err)) != RASD_OK)
        goto out;
    for (size_t j = 0; j < k; j++) {
        char origin[256];
        fetch_origin(reqs[j].url, origin, sizeof origin);
        Robots *r = robots_find(w, origin);
        if (!r) {
            if (w->nrobots == w->caprobots) {
                size_t nc = w->caprobots ? w->caprobots * 2 : 8;
                Robots *nv = realloc(w->robots, nc * sizeof *nv);
                if (!nv) {
                    e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                    goto out;
                }
                w->robots = nv;
                w->caprobots = nc;
            }
            r = &w->robots[w->nrobots++];
            memset(r, 0, sizeof *r);
            snprintf(r->origin, sizeof r->origin, "%s", origin);
        }
        free(r->txt);
        r->txt = NULL;
        r->n = 0;
        r->fetched = now;
        long st = reqs[j].status;
        r->deny_all = reqs[j].fail != FETCH_OK || st >= 500 || st == 429;
        if (reqs[j].fail == FETCH_OK && st >= 200 && st < 300) {
            r->n = reqs[j].body.len;
            r->txt = buf_steal(&reqs[j].body);
        }
        if (r->deny_all)
            say(w, 1, "%s: robots.txt unreachable (%s); nothing is fetched there for now",
                origin, reqs[j].fail != FETCH_OK ? reqs[j].error : "server error");
    }
out:
    for (size_t j = 0; j < k; j++) {
        fetch_req_free(&reqs[j]);
        free(origins[j]);
    }
    free(reqs);
    free(origins);
    return e;
}

static int robots_ok(Watch *w, const char *url)
{
    char origin[256];
    if (fetch_origin(url, origin, sizeof origin) < 0)
        return 0;
    Robots *r = robots_find(w, origin);
    if (!r)
        return 1;
    if (r->deny_all)
        return 0;
    const char *path = url + strlen(origin);
    return robots_allowed(r->txt, r->n, "rasd", *path ? path : "/");
}

/* ---- one source's outcome ---- */

static void source_failed(Watch *w, Job *j, int64_t now, long retry_after, WatchRound *r,
                          const char *msg)
{
    WSource *s = j->s;
    s->errors++;
    s->errors_total++;
    free(s->last_error);
    s->last_error = xstrndup(msg, strlen(msg));
    s->next_poll = now + schedule_backoff(s->errors, retry_after, w->o.min_interval,
                                          w->o.max_interval);
    j->done = 1;
    r->failed++;
    say(w, 1, "%s (failure %lld in a row; next try in %lld s)", msg, (long long)s->errors,
        (long long)(s->next_poll - now));
}

static Item *job_item(Job *j)
{
    if (j->n == j->cap) {
        size_t nc = j->cap ? j->cap * 2 : 16;
        Item *nv = realloc(j->items, nc * sizeof *nv);
        if (!nv)
            return NULL;
        j->items = nv;
        j->cap = nc;
    }
    Item *it = &j->items[j->n++];
    memset(it, 0, sizeof *it);
    it->parent = -1;
    it->page = -1;
    return it;
}

static char *item_key(const Article *a)
{
    if (a->url)
        return xstrndup(a->url, strlen(a->url));
    Buf b = {0};
    if (a->title)
        buf_puts(&b, a->title);
    buf_putc(&b, '\n');
    buf_puts(&b, a->body ? a->body : "");
    uint64_t h = b.oom ? 0 : rasd_hash(b.data, b.len);
    buf_free(&b);
    char k[32];
    snprintf(k, sizeof k, "sha:%016llx", (unsigned long long)h);
    return xstrndup(k, strlen(k));
}

static int job_has_key(const Job *j, const char *key)
{
    for (size_t i = 0; i < j->n; i++)
        if (j->items[i].key && !strcmp(j->items[i].key, key))
            return 1;
    return 0;
}

/* Moves the batch's unseen articles into the job (children follow their page). */
static int take_items(Watch *w, Job *j, Batch *b)
{
    int *map = malloc((b->n ? b->n : 1) * sizeof *map);
    if (!map)
        return -1;
    j->read += b->n;
    for (size_t i = 0; i < b->n; i++) {
        Article *a = &b->items[i];
        map[i] = -1;
        if (a->parent >= 0 && ((size_t)a->parent >= i || map[a->parent] < 0))
            continue; /* its page was seen before: so was it */
        char *key = item_key(a);
        if (!key) {
            free(map);
            return -1;
        }
        int seen = wstore_seen(w->db, j->s->id, key);
        if (seen != 0 || job_has_key(j, key)) {
            free(key);
            continue;
        }
        Item *it = job_item(j);
        if (!it) {
            free(key);
            free(map);
            return -1;
        }
        it->a = *a;
        it->key = key;
        it->parent = a->parent >= 0 ? map[a->parent] : -1;
        memset(a, 0, sizeof *a);
        a->parent = -1;
        map[i] = (int)(j->n - 1);
    }
    free(map);
    return 0;
}

static int take_links(Watch *w, Job *j, const LinkList *l)
{
    j->read += l->n;
    for (size_t i = 0; i < l->n; i++) {
        int seen = wstore_seen(w->db, j->s->id, l->v[i]);
        if (seen != 0 || job_has_key(j, l->v[i]))
            continue;
        Item *it = job_item(j);
        if (!it)
            return -1;
        it->key = xstrndup(l->v[i], strlen(l->v[i]));
        it->a.url = xstrndup(l->v[i], strlen(l->v[i]));
        it->page_only = 1;
        if (!it->key || !it->a.url)
            return -1;
    }
    return 0;
}

static int ci_contains(const char *s, const char *w)
{
    size_t k = strlen(w);
    for (; *s; s++)
        if (!strncasecmp(s, w, k))
            return 1;
    return 0;
}

static int ct_says_feed(const char *ct)
{
    if (!ct)
        return 0;
    return ci_contains(ct, "rss") || ci_contains(ct, "atom") || ci_contains(ct, "xml") ||
           ci_contains(ct, "json");
}

static void read_body(Watch *w, Job *j, FetchReq *q, int64_t now, WatchRound *r)
{
    WSource *s = j->s;
    char msg[700];
    char *text = NULL;
    size_t tlen = 0;
    rasd_error err;
    if (!q->body.len) {
        snprintf(msg, sizeof msg, "%s: empty response (HTTP %ld)", s->url, q->status);
        source_failed(w, j, now, -1, r, msg);
        return;
    }
    if (ingest_to_utf8(q->body.data, q->body.len, s->url, &text, &tlen, &err) != RASD_OK) {
        snprintf(msg, sizeof msg, "%s", err.msg);
        source_failed(w, j, now, -1, r, msg);
        return;
    }
    const char *base = q->final_url ? q->final_url : s->url;
    IngestFormat fmt = ingest_detect(text, tlen, base);
    int is_jsonfeed = jsonfeed_detect(text, tlen);
    int was_feed = s->kind && !strcmp(s->kind, "feed");
    Batch b = {0};
    rasd_err e = RASD_OK;
    const char *kind = "feed";
    if (fmt == FMT_HTML && (ct_says_feed(q->content_type) || was_feed)) {
        snprintf(msg, sizeof msg,
                 "%s: the body is an HTML page where a feed was expected (Content-Type %s)",
                 s->url, q->content_type ? q->content_type : "none");
        source_failed(w, j, now, -1, r, msg);
        free(text);
        return;
    }
    if (is_jsonfeed)
        e = jsonfeed_read(text, tlen, s->url, &b, &err);
    else if (fmt == FMT_FEED)
        e = ingest_feed(text, tlen, s->url, &b, &err);
    else if (fmt == FMT_JSON)
        e = ingest_json(text, tlen, s->url, &b, &err);
    else if (fmt == FMT_HTML) {
        kind = "page";
        LinkList l = {0};
        e = links_extract(text, tlen, base, w->o.max_links, &l, &err);
        if (e == RASD_OK && take_links(w, j, &l) < 0)
            e = rasd_fail(&err, RASD_ENOMEM, "%s: out of memory", s->url);
        links_free(&l);
    } else {
        snprintf(msg, sizeof msg, "%s: neither a feed nor an HTML page (Content-Type %s)", s->url,
                 q->content_type ? q->content_type : "none");
        source_failed(w, j, now, -1, r, msg);
        free(text);
        return;
    }
    free(text);
    for (size_t i = 0; i < b.nerrors; i++)
        say(w, 1, "%s", b.errors[i]);
    if (e == RASD_OK && fmt != FMT_HTML && take_items(w, j, &b) < 0)
        e = rasd_fail(&err, RASD_ENOMEM, "%s: out of memory", s->url);
    batch_free(&b);
    if (e != RASD_OK) {
        source_failed(w, j, now, -1, r, err.msg);
        return;
    }
    free(s->kind);
    s->kind = xstrndup(kind, strlen(kind));
    /* validators are kept only from a response that was read */
    free(s->etag);
    free(s->last_modified);
    s->etag = q->etag_out;
    s->last_modified = q->last_modified_out;
    q->etag_out = q->last_modified_out = NULL;
}

static void judge(Watch *w, Job *j, FetchReq *q, int64_t now, WatchRound *r)
{
    char msg[700];
    if (q->fail != FETCH_OK) {
        source_failed(w, j, now, -1, r, q->error);
        return;
    }
    if (q->status == 304) {
        j->done = 1;
        j->unchanged = 1;
        r->unchanged++;
        return;
    }
    if (q->status == 429 || q->status >= 500) {
        snprintf(msg, sizeof msg, "%s: HTTP %ld%s", j->s->url, q->status,
                 q->retry_after >= 0 ? " (Retry-After honoured)" : "");
        source_failed(w, j, now, q->retry_after, r, msg);
        return;
    }
    if (q->status < 200 || q->status >= 300) {
        snprintf(msg, sizeof msg, "%s: HTTP %ld", j->s->url, q->status);
        source_failed(w, j, now, -1, r, msg);
        return;
    }
    read_body(w, j, q, now, r);
}

/* ---- article pages ---- */

static int wants_page(const Watch *w, const Item *it)
{
    if (w->o.no_pages && !it->page_only)
        return 0;
    if (!it->a.url || it->parent >= 0)
        return 0;
    return it->page_only || !it->a.body || strlen(it->a.body) < w->o.summary_below;
}

/* Replaces a summary by the page's text when the page's is longer. */
static void merge_page(Watch *w, Item *it, FetchReq *q, WatchRound *r)
{
    rasd_error err;
    char *text = NULL;
    size_t tlen = 0;
    if (q->fail != FETCH_OK || q->status < 200 || q->status >= 300) {
        r->pages_failed++;
        if (q->fail != FETCH_OK)
            say(w, 1, "%s", q->error);
        else
            say(w, 1, "%s: HTTP %ld", q->url, q->status);
        return;
    }
    if (ingest_to_utf8(q->body.data ? q->body.data : "", q->body.len, q->url, &text, &tlen,
                       &err) != RASD_OK) {
        r->pages_failed++;
        say(w, 1, "%s", err.msg);
        return;
    }
    Batch pb = {0};
    if (ingest_html(text, tlen, q->url, &pb, &err) == RASD_OK && pb.n && pb.items[0].body) {
        Article *p = &pb.items[0];
        size_t have = it->a.body ? strlen(it->a.body) : 0;
        if (strlen(p->body) > have) {
            free(it->a.body);
            it->a.body = p->body;
            p->body = NULL;
        }
        if (!it->a.title) {
            it->a.title = p->title;
            p->title = NULL;
        }
        if (!it->a.published) {
            it->a.published = p->published;
            p->published = NULL;
        }
        if (!it->a.author) {
            it->a.author = p->author;
            p->author = NULL;
        }
    } else {
        r->pages_failed++;
        it->no_text = 1; /* an index or gallery page: not asked for again */
        say(w, 1, "%s: no article text on the page", q->url);
    }
    batch_free(&pb);
    free(text);
}

/* ---- storing ---- */

/* Moves the job's items with text into b (children after their page). */
static rasd_err job_to_batch(Job *j, Batch *b, rasd_error *err)
{
    WSource *s = j->s;
    int *map = malloc((j->n ? j->n : 1) * sizeof *map);
    if (!map)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t i = 0; i < j->n; i++) {
        Item *it = &j->items[i];
        map[i] = -1;
        if (!it->a.body || !*it->a.body)
            continue; /* a section link whose page failed: tried again next poll */
        if (it->parent >= 0 && map[it->parent] < 0)
            continue;
        Article *a = batch_add(b);
        if (!a) {
            free(map);
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        }
        *a = it->a;
        memset(&it->a, 0, sizeof it->a);
        a->parent = it->parent >= 0 ? map[it->parent] : -1;
        if (s->outlet) { /* the name the user gave the source wins over the feed's title */
            free(a->outlet);
            a->outlet = xstrndup(s->outlet, strlen(s->outlet));
        }
        if (a->url) {
            free(a->origin);
            a->origin = xstrndup(a->url, strlen(a->url));
        }
        map[i] = (int)(b->n - 1);
        j->given++;
    }
    free(map);
    return RASD_OK;
}

/* Remembers the job's items as seen: everything handed to the engine (stored
   or already stored); section links whose page had no text are retried. */
static rasd_err job_mark_seen(Watch *w, Job *j, int64_t now, rasd_error *err)
{
    for (size_t i = 0; i < j->n; i++) {
        Item *it = &j->items[i];
        if (it->page_only && it->a.url && !it->no_text)
            continue; /* its page could not be fetched: tried again next poll */
        rasd_err e = wstore_mark_seen(w->db, j->s->id, it->key, now, err);
        if (e != RASD_OK)
            return e;
    }
    return RASD_OK;
}

static void job_free(Job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        article_free(&j->items[i].a);
        free(j->items[i].key);
    }
    free(j->items);
    for (size_t i = 0; i < j->np; i++)
        fetch_req_free(&j->preqs[i]);
    free(j->preqs);
    free(j->pitem);
}

/* ---- the round ---- */

/* A request's tag: which job, and which of its items (-1: the source itself). */
typedef struct Tag {
    Job *job;
    long item;
} Tag;

typedef struct Round {
    Watch *w;
    WatchRound *r;
    FetchQueue *q;
    int64_t now;
    double t0;          /* monotonic start */
    Job **ready;        /* answered jobs waiting for the next flush */
    size_t nready;
    Tag **tags;         /* one per request, freed with the round */
    size_t ntags, captags;
} Round;

static Tag *new_tag(Round *rd, Job *j, long item)
{
    if (rd->ntags == rd->captags) {
        size_t nc = rd->captags ? rd->captags * 2 : 64;
        Tag **nv = realloc(rd->tags, nc * sizeof *nv);
        if (!nv)
            return NULL;
        rd->tags = nv;
        rd->captags = nc;
    }
    Tag *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->job = j;
    t->item = item;
    rd->tags[rd->ntags++] = t;
    return t;
}

/*
 * Stores every ready job's new items through the engine in ONE batch and
 * transaction (the engine's per-call set-up costs more than a few articles),
 * marks them seen, then places them into stories (engine_assign). Called
 * when the queue has been idle for 200 ms and at the end of the round, so
 * fast sources are grouped while a slow one is still running.
 */
static rasd_err flush(Round *rd, rasd_error *err)
{
    Watch *w = rd->w;
    WatchRound *r = rd->r;
    if (!rd->nready)
        return RASD_OK;
    double t = now_mono();
    Batch b = {0};
    rasd_err e = RASD_OK;
    for (size_t i = 0; i < rd->nready && e == RASD_OK; i++)
        e = job_to_batch(rd->ready[i], &b, err);
    IngestStats is;
    memset(&is, 0, sizeof is);
    if (e == RASD_OK && b.n) {
        IngestOptions io = {0};
        if (w->o.io)
            io = *w->o.io;
        e = engine_ingest_batch(w->st, &io, &b, "watch", &is, err);
    }
    batch_free(&b);
    if (e == RASD_OK)
        e = wstore_begin(w->db, err);
    for (size_t i = 0; i < rd->nready && e == RASD_OK; i++)
        e = job_mark_seen(w, rd->ready[i], rd->now, err);
    if (e == RASD_OK)
        e = wstore_commit(w->db, err);
    else
        sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
    if (e != RASD_OK)
        return e;
    for (size_t i = 0; i < rd->nready; i++) {
        Job *j = rd->ready[i];
        j->s->items += (int64_t)j->given;
        if (j->n)
            say(w, 0, "%s: %zu items, %zu new", j->s->url, j->read, j->n);
    }
    rd->nready = 0;
    r->added += is.added;
    r->duplicates += is.duplicates;
    r->near_copies += is.near_copies;
    r->store_s += now_mono() - t;
    if (!is.added)
        return RASD_OK;
    t = now_mono();
    StoriesStats ss;
    int ran = 0;
    if ((e = engine_assign(w->st, w->o.ao, &ss, &ran, err)) != RASD_OK)
        return e;
    r->assigned |= ran;
    r->assign_s += now_mono() - t;
    double lat = now_mono() - rd->t0;
    if (lat > r->latency_s)
        r->latency_s = lat;
    return RASD_OK;
}

static rasd_err finish_job(Round *rd, Job *j, rasd_error *err)
{
    Watch *w = rd->w;
    WatchRound *r = rd->r;
    r->items += j->read;
    r->fresh += j->n;
    WSource *s = j->s;
    s->errors = 0;
    free(s->last_error);
    s->last_error = NULL;
    s->last_success = rd->now;
    if (j->n)
        s->last_new = rd->now;
    s->interval_s = schedule_interval(s->interval_s, j->n, w->o.min_interval, w->o.max_interval);
    s->next_poll = rd->now + s->interval_s;
    if (!j->n)
        return RASD_OK;
    rd->ready[rd->nready++] = j; /* room for every job: allocated with the round */
    (void)err;
    return RASD_OK;
}

/* After a source's answer was read: queue the article pages its items need. */
static rasd_err start_pages(Round *rd, Job *j, rasd_error *err)
{
    Watch *w = rd->w;
    size_t want = 0;
    for (size_t k = 0; k < j->n; k++)
        want += wants_page(w, &j->items[k]);
    if (!want)
        return finish_job(rd, j, err);
    char **urls = calloc(want, sizeof *urls);
    j->preqs = calloc(want, sizeof *j->preqs);
    j->pitem = calloc(want, sizeof *j->pitem);
    if (!urls || !j->preqs || !j->pitem) {
        free(urls);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t k = 0; k < j->n; k++)
        if (wants_page(w, &j->items[k]))
            urls[m++] = j->items[k].a.url;
    rasd_err e = robots_refresh(w, urls, m, rd->now, err);
    free(urls);
    if (e != RASD_OK)
        return e;
    for (size_t k = 0; k < j->n; k++) {
        Item *it = &j->items[k];
        if (!wants_page(w, it))
            continue;
        if (!robots_ok(w, it->a.url)) {
            say(w, 1, "%s: robots.txt does not allow rasd to fetch it", it->a.url);
            continue;
        }
        j->preqs[j->np].url = it->a.url;
        j->pitem[j->np] = (long)k;
        j->np++;
    }
    for (size_t p = 0; p < j->np; p++) {
        Tag *t = new_tag(rd, j, j->pitem[p]);
        if (!t)
            return rasd_fail(err, RASD_ENOMEM, "out of memory");
        if ((e = fetch_queue_add(rd->q, &j->preqs[p], t, err)) != RASD_OK)
            return e;
        j->pending++;
    }
    rd->r->pages += j->np;
    return j->pending ? RASD_OK : finish_job(rd, j, err);
}

static rasd_err on_answer(Round *rd, FetchReq *fr, rasd_error *err)
{
    Tag *t = fr->tag;
    Job *j = t->job;
    long item = t->item;
    if (item < 0) {
        judge(rd->w, j, fr, rd->now, rd->r);
        return j->done ? RASD_OK : start_pages(rd, j, err);
    }
    merge_page(rd->w, &j->items[item], fr, rd->r);
    buf_free(&fr->body);
    return --j->pending ? RASD_OK : finish_job(rd, j, err);
}

rasd_err watch_poll(Watch *w, int64_t now, WatchRound *r, rasd_error *err)
{
    memset(r, 0, sizeof *r);
    WSource *src = NULL;
    size_t ns = 0;
    rasd_err e = wstore_load_sources(w->db, w->o.force ? -1 : now, &src, &ns, err);
    if (e != RASD_OK || !ns)
        return e;
    Round rd = {w, r, NULL, now, now_mono(), NULL, 0, NULL, 0, 0};
    rd.ready = calloc(ns, sizeof *rd.ready);
    Job *jobs = calloc(ns, sizeof *jobs);
    FetchReq *reqs = calloc(ns, sizeof *reqs);
    char **urls = calloc(ns, sizeof *urls);
    if (!jobs || !reqs || !urls || !rd.ready) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    if ((e = wstore_max_article(w->db, &r->first_article, err)) != RASD_OK)
        goto out;
    r->sources = ns;
    for (size_t i = 0; i < ns; i++)
        urls[i] = src[i].url;
    if ((e = robots_refresh(w, urls, ns, now, err)) != RASD_OK)
        goto out;
    if ((e = fetch_queue_new(&w->o.lim, &rd.q, err)) != RASD_OK)
        goto out;
    for (size_t i = 0; i < ns && e == RASD_OK; i++) {
        Job *j = &jobs[i];
        j->s = &src[i];
        j->req = -1;
        j->s->last_poll = now;
        if (!robots_ok(w, j->s->url)) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s: robots.txt does not allow rasd to fetch it", j->s->url);
            source_failed(w, j, now, -1, r, msg);
            continue;
        }
        reqs[i].url = j->s->url;
        reqs[i].etag = j->s->etag;
        reqs[i].last_modified = j->s->last_modified;
        j->req = (long)i;
        Tag *t = new_tag(&rd, j, -1);
        if (!t)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        else
            e = fetch_queue_add(rd.q, &reqs[i], t, err);
    }
    /* answers as they come: a fast source is stored (and, once the queue is
       idle for 200 ms, grouped) while a slow one is still running */
    while (e == RASD_OK && fetch_queue_pending(rd.q)) {
        FetchReq *fr = fetch_queue_next(rd.q, rd.nready ? 200 : -1);
        if (!fr) {
            e = flush(&rd, err);
            continue;
        }
        e = on_answer(&rd, fr, err);
    }
    r->fetch_s = now_mono() - rd.t0;
    if (e == RASD_OK)
        e = flush(&rd, err);
    for (size_t i = 0; i < ns && e == RASD_OK; i++) {
        Job *j = &jobs[i];
        if (j->unchanged) { /* 304: nothing new, so it publishes less often */
            j->s->errors = 0;
            free(j->s->last_error);
            j->s->last_error = NULL;
            j->s->last_success = now;
            j->s->interval_s = schedule_interval(j->s->interval_s, 0, w->o.min_interval,
                                                 w->o.max_interval);
            j->s->next_poll = now + j->s->interval_s;
        }
        e = wstore_save_source(w->db, j->s, err);
    }
    r->total_s = now_mono() - rd.t0;
    if (e == RASD_OK)
        e = wstore_max_article(w->db, &r->last_article, err);
out:
    fetch_queue_free(rd.q);
    for (size_t i = 0; i < rd.ntags; i++)
        free(rd.tags[i]);
    free(rd.tags);
    free(rd.ready);
    if (reqs)
        for (size_t i = 0; i < ns; i++)
            fetch_req_free(&reqs[i]);
    free(reqs);
    free(urls);
    if (jobs)
        for (size_t i = 0; i < ns; i++)
            job_free(&jobs[i]);
    free(jobs);
    wstore_free_sources(src, ns);
    return e;
}
