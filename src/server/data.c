/*
 * data.c — the server's adapter to today's internals (see data.h for the
 * contract). Each endpoint is one function that borrows a pooled
 * connection, reads through the store interface where it has the call
 * (store_each_story_article, store_get_article, brief_build,
 * story_conflicts, engine_ingest_batch, engine_assign) and through its own SQLite
 * handle for what the interface lacks yet (paged thread lists, mention
 * counts by key, an article's event, near-copies of an article), and
 * returns a jansson document.
 *
 * The server's own state lives in two tables of the store (schema version
 * 9), read and written through the store interface so a PostgreSQL store
 * serves them too: overrides (analyst corrections: merge two stories, move
 * an article out of an event, dismiss a conflict — applied after every
 * story assignment by story/overrides.c) and outlet_names (display names
 * such as "الشرق الأوسط" for an outlet's stored name). Views still written
 * as SQL on the SQLite handle answer 501 on a PostgreSQL store.
 *
 * Annotations of one article are recomputed by the `rasd analyze` stage
 * (analyze_article) until the engine stores them at ingest.
 */
#include "server/data_impl.h"
#include "story/overrides.h"
#include "text/text.h"

/* ---- connections ------------------------------------------------------- */

static void conn_free(Conn *c)
{
    if (!c)
        return;
    store_close(c->st); /* c->db is the store's own handle */
    rasd_text_free(c->text);
    free(c);
}

Conn *conn_get(Data *d, DataReply *r)
{
    pthread_mutex_lock(&d->lock);
    Conn *c = d->idle;
    if (c)
        d->idle = c->next;
    pthread_mutex_unlock(&d->lock);
    if (c)
        return c;
    rasd_error err;
    c = calloc(1, sizeof *c);
    if (!c) {
        fail(r, 500, "out of memory");
        return NULL;
    }
    if (store_open(d->path, 1, &c->st, &err) != RASD_OK ||
        rasd_text_new(&c->text, &err) != RASD_OK) {
        fail(r, 500, "%s", err.msg);
        conn_free(c);
        return NULL;
    }
    /* lists touch thousands of article pages: map the file and keep a large
       cache, rather than one read() per page per request */
    if ((c->db = store_sqlite_handle(c->st)))
        sqlite3_exec(c->db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536", NULL, NULL,
                     NULL);
    return c;
}

int data_generation(Data *d, uint64_t *gen)
{
    if (!d->watch || !d->cache)
        return 0;
    pthread_mutex_lock(&d->watch_lock);
    int ok = store_generation(d->watch, gen);
    pthread_mutex_unlock(&d->watch_lock);
    return ok;
}

RespCache *data_cache(Data *d) { return d->cache; }

static int on_outlet_name(void *ctx, const char *name, const char *display)
{
    if (name && display)
        json_object_set_new(ctx, name, json_string(display));
    return 0;
}

Store *data_writer(Data *d, DataReply *r)
{
    rasd_error err;
    if (!d->writer && store_open(d->path, 0, &d->writer, &err) != RASD_OK) {
        fail(r, 500, "%s", err.msg);
        return NULL;
    }
    return d->writer;
}

static int on_known_outlet(void *ctx, const char *outlet, const char *name)
{
    json_object_set_new(ctx, outlet, json_string(name));
    return 0;
}

/* The names outlets are shown by: the ones rasd knows (data/lexicon/
   outlets.txt), then the analyst's, which win. */
json_t *data_outlet_names(Conn *c)
{
    json_t *m = json_object();
    rasd_error err;
    if (m) {
        outlet_each_known(on_known_outlet, m);
        store_each_outlet_name(c->st, on_outlet_name, m, &err); /* none on failure */
    }
    return m;
}

void conn_put(Data *d, Conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&d->lock);
    c->next = d->idle;
    d->idle = c;
    pthread_mutex_unlock(&d->lock);
}

rasd_err data_open(const char *path, Data **out, rasd_error *err)
{
    Store *st = NULL;
    rasd_err e = store_open(path, 0, &st, err); /* creates and migrates (the server's tables too) */
    if (e != RASD_OK)
        return e;
    store_close(st);
    Data *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->write, NULL);
    pthread_mutex_init(&d->watch_lock, NULL);
    /* the answer cache needs to see every commit: the store's generation
       (store_generation) read on a connection of its own */
    rasd_error ignore;
    uint64_t gen;
    if (store_open(path, 1, &d->watch, &ignore) == RASD_OK && !store_generation(d->watch, &gen)) {
        store_close(d->watch);
        d->watch = NULL;
    }
    if (d->watch)
        d->cache = cache_new((size_t)256 << 20);
    *out = d;
    return RASD_OK;
}

void data_close(Data *d)
{
    if (!d)
        return;
    while (d->idle) {
        Conn *c = d->idle;
        d->idle = c->next;
        conn_free(c);
    }
    store_close(d->writer);
    store_close(d->watch);
    cache_free(d->cache);
    pthread_mutex_destroy(&d->watch_lock);
    pthread_mutex_destroy(&d->lock);
    pthread_mutex_destroy(&d->write);
    free(d->path);
    free(d);
}

/* ---- status, stories ---------------------------------------------------- */

void data_status(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    int64_t articles = 0, threads = 0;
    char last[40];
    rasd_error err;
    if (store_totals(c->st, &articles, &threads, last, sizeof last, &err) != RASD_OK)
        fail(r, 500, "%s", err.msg);
    else
        done(r,
             json_pack("{s:I, s:I, s:o}", "articles", (json_int_t)articles, "stories",
                       (json_int_t)threads, "last_ingested", last[0] ? jstr(last) : json_null()),
             200);
    conn_put(d, c);
}

typedef struct OutletRows {
    json_t *names, *arr; /* display names; the array being filled */
} OutletRows;

static int on_outlet_count(void *ctx, const char *outlet, int64_t n)
{
    OutletRows *o = ctx;
    json_array_append_new(o->arr, outlet_obj(o->names, outlet, n));
    return 0;
}

/* [{name, display, articles}] of one thread, most articles first. */
static json_t *thread_outlets(Conn *c, json_t *names, int64_t thread)
{
    OutletRows o = {names, json_array()};
    rasd_error err;
    store_each_outlet_count(c->st, thread, on_outlet_count, &o, &err); /* none on failure */
    return o.arr;
}

typedef struct StoryList {
    Conn *c;
    json_t *names, *list;
} StoryList;

static int on_thread(void *ctx, const StoredStory *t)
{
    StoryList *l = ctx;
    json_t *outlets = thread_outlets(l->c, l->names, t->id);
    size_t named = 0, k;
    json_t *o;
    json_array_foreach(outlets, k, o) named += !json_is_null(json_object_get(o, "name"));
    json_array_append_new(
        l->list, json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o}", "id", (json_int_t)t->id,
                           "headline", jstr(t->headline), "first", jstr(t->first), "last",
                           jstr(t->last), "articles", (json_int_t)t->articles, "events",
                           (json_int_t)t->events, "outlet_count", (json_int_t)named, "outlets",
                           outlets));
    return 0;
}

void data_stories(Data *d, const DataStoriesQuery *sq, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    StoryList l = {c, data_outlet_names(c), json_array()};
    ThreadPage q = {sq->since, sq->outlet, sq->largest, sq->limit, sq->offset};
    int64_t total = 0;
    rasd_error err;
    if (store_each_thread(c->st, &q, on_thread, &l, &total, &err) != RASD_OK) {
        fail(r, 500, "listing stories failed: %s", err.msg);
        json_decref(l.list);
    } else {
        done(r,
             json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "offset",
                       (json_int_t)sq->offset, "limit", (json_int_t)sq->limit, "stories", l.list),
             200);
    }
    json_decref(l.names);
    conn_put(d, c);
}

/* store_each_story_article into {id, headline, ..., events:[{..., articles}]} */
typedef struct StoryBuild {
    json_t *story;       /* the thread object, NULL before the first row */
    json_t *event;       /* the current event's article array */
    int64_t event_id;    /* current event */
    json_t *names;       /* outlet display names */
    json_t *moved;       /* {article id: true} of moves not applied yet */
} StoryBuild;

static int on_story_row(void *ctx, const StoryArticle *a)
{
    StoryBuild *b = ctx;
    if (!b->story) {
        b->story = json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:[]}", "id",
                             (json_int_t)a->thread.id, "headline", jstr(a->thread.headline),
                             "first", jstr(a->thread.first), "last", jstr(a->thread.last),
                             "articles", (json_int_t)a->thread.articles, "event_count",
                             (json_int_t)a->thread.events, "events");
        if (!b->story)
            return 1;
    }
    if (a->event.id != b->event_id) {
        json_t *ev = json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:[]}", "id",
                               (json_int_t)a->event.id, "headline", jstr(a->event.headline),
                               "first", jstr(a->event.first), "last", jstr(a->event.last),
                               "article_count", (json_int_t)a->event.articles, "outlet_count",
                               (json_int_t)a->event.outlets, "articles");
        if (!ev)
            return 1;
        json_array_append_new(json_object_get(b->story, "events"), ev);
        b->event = json_object_get(ev, "articles");
        b->event_id = a->event.id;
    }
    json_t *disp = a->outlet ? json_object_get(b->names, a->outlet) : NULL;
    json_t *mv = a->hash ? json_object_get(b->moved, a->hash) : NULL; /* not applied yet */
    json_t *art = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:b}", "id", jstr(a->hash),
                            "title", jstr(a->title), "outlet", jstr(a->outlet), "display",
                            disp ? json_incref(disp) : jstr(a->outlet), "published",
                            jstr(a->published), "agency", jstr(a->agency), "score", a->score,
                            "moved_out", mv != NULL);
    if (!art)
        return 1;
    if (a->copy_of)
        json_object_set_new(art, "copy_of_row", json_integer(a->copy_of));
    json_array_append_new(b->event, art);
    return 0;
}

/* The corrections touching thread, as an array; moves not applied yet (the
   article still shares its event) also go into moved as {article: true}. */
typedef struct Touching {
    int64_t thread;
    json_t *arr, *moved;
} Touching;

static int on_touching(void *ctx, const StoredOverride *o, int64_t sa, int64_t sb)
{
    Touching *t = ctx;
    int move = strcmp(o->kind, "move") == 0;
    if (move && sa == t->thread && sb == t->thread && t->moved)
        json_object_set_new(t->moved, o->a, json_true());
    if (sa != t->thread && sb != t->thread)
        return 0;
    json_array_append_new(t->arr, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:I}", "id",
                                            (json_int_t)o->id, "kind", o->kind, "a", o->a, "b",
                                            o->b, "note", jstr(o->note), "at", jstr(o->at),
                                            "story_a", (json_int_t)sa, "story_b", (json_int_t)sb));
    return 0;
}

static json_t *story_overrides(Conn *c, int64_t thread, json_t *moved)
{
    Touching t = {thread, json_array(), moved};
    rasd_error err;
    overrides_each_placed(c->st, on_touching, &t, &err); /* none on failure */
    return t.arr;
}

void data_story(Data *d, int64_t thread, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    StoryBuild b = {0};
    b.names = data_outlet_names(c);
    b.moved = json_object();
    json_t *ovr = story_overrides(c, thread, b.moved);
    rasd_error err;
    rasd_err e = store_each_story_article(c->st, NULL, thread, on_story_row, &b, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        json_decref(b.story);
        json_decref(ovr);
    } else if (!b.story) {
        fail(r, 404, "there is no story %lld", (long long)thread);
        json_decref(ovr);
    } else {
        json_object_set_new(b.story, "outlets", thread_outlets(c, b.names, thread));
        json_object_set_new(b.story, "overrides", ovr);
        done(r, b.story, 200);
    }
    json_decref(b.names);
    json_decref(b.moved);
    conn_put(d, c);
}

