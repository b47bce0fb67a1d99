/*
 * alerts.c — watch rules, checked after each polling round.
 *
 * Four kinds of rule (watch_rules.kind):
 *   query     an article stored since the rule last looked has the words
 *             in its title or text (a plain substring match until the
 *             search module lands);
 *   entity    such an article mentions the identity key (names.h);
 *   sources   a story holding such an article now has N or more outlets;
 *   conflict  the story numbered arg gained articles and the conflict
 *             finder reports more conflicts than were last alerted.
 * Each rule keeps the last article row id it has looked at (since_article),
 * so a restart neither repeats nor skips; the alert log's unique key (rule,
 * story, key) makes every alert go out once even if a round is re-run.
 *
 * An alert is one JSON object: rule id and kind, what matched, the story
 * number, its headline, the article (public id, title, outlet), the
 * story's outlet count and the link to its brief.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "annotate/names.h"
#include "ingest/ingest.h"
#include "story/brief.h"
#include "watch/alerts.h"
#include "watch/watch_store.h"

/* ---- the story index ---- */

static char *dup_or_null(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

typedef struct IndexLoad {
    StoryIndex *ix;
    int oom;
} IndexLoad;

static int on_row(void *ctx, const StoryArticle *a)
{
    IndexLoad *l = ctx;
    StoryIndex *ix = l->ix;
    if (ix->n == ix->cap) {
        size_t nc = ix->cap ? ix->cap * 2 : 256;
        StoryRow *nv = realloc(ix->v, nc * sizeof *nv);
        if (!nv) {
            l->oom = 1;
            return 1;
        }
        ix->v = nv;
        ix->cap = nc;
    }
    StoryRow *r = &ix->v[ix->n++];
    r->article = a->article;
    r->thread = a->thread.id;
    r->event = a->event.id;
    r->hash = dup_or_null(a->hash);
    r->outlet = dup_or_null(a->outlet);
    r->title = dup_or_null(a->title);
    r->published = dup_or_null(a->published);
    r->headline = dup_or_null(a->thread.headline);
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    int64_t x = ((const StoryRow *)a)->article, y = ((const StoryRow *)b)->article;
    return x < y ? -1 : x > y;
}

rasd_err story_index_load(Store *st, StoryIndex *ix, rasd_error *err)
{
    memset(ix, 0, sizeof *ix);
    IndexLoad l = {ix, 0};
    rasd_err e = store_each_story_article(st, NULL, 0, on_row, &l, err);
    if (e == RASD_OK && l.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory reading the stories");
    if (e != RASD_OK) {
        story_index_free(ix);
        return e;
    }
    if (ix->n)
        qsort(ix->v, ix->n, sizeof *ix->v, cmp_row);
    return RASD_OK;
}

const StoryRow *story_index_find(const StoryIndex *ix, int64_t article)
{
    StoryRow key = {0};
    key.article = article;
    return ix->n ? bsearch(&key, ix->v, ix->n, sizeof *ix->v, cmp_row) : NULL;
}

void story_index_free(StoryIndex *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->v[i].hash);
        free(ix->v[i].outlet);
        free(ix->v[i].title);
        free(ix->v[i].published);
        free(ix->v[i].headline);
    }
    free(ix->v);
    memset(ix, 0, sizeof *ix);
}

size_t story_index_outlets(const StoryIndex *ix, int64_t thread)
{
    /* the outlets of one story are few: compare with the earlier rows of the story */
    size_t n = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const StoryRow *r = &ix->v[i];
        if (r->thread != thread || !r->outlet)
            continue;
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++)
            dup = ix->v[k].thread == thread && ix->v[k].outlet &&
                  !strcmp(ix->v[k].outlet, r->outlet);
        n += !dup;
    }
    return n;
}

size_t story_index_articles(const StoryIndex *ix, int64_t thread)
{
    size_t n = 0;
    for (size_t i = 0; i < ix->n; i++)
        n += ix->v[i].thread == thread;
    return n;
}

void alerts_brief_link(Buf *b, const char *base_url, const char *db_path, int64_t story)
{
    if (base_url) {
        size_t n = strlen(base_url);
        while (n && base_url[n - 1] == '/')
            n--;
        buf_printf(b, "%.*s/stories/%lld/brief", (int)n, base_url, (long long)story);
    } else {
        buf_printf(b, "rasd brief --db %s %lld", db_path ? db_path : "rasd.db", (long long)story);
    }
}

/* ---- rules ---- */

typedef struct Run {
    Store *st;
    sqlite3 *db;
    const AlertOpts *o;
    int64_t now;
    StoryIndex ix;    /* loaded once */
    size_t sent;      /* alerts emitted */
} Run;

static void put_str(Buf *b, const char *k, const char *v)
{
    buf_printf(b, ",\"%s\":", k);
    if (v)
        buf_put_json_string(b, v, strlen(v));
    else
        buf_puts(b, "null");
}

static rasd_err emit(Run *run, const WRule *rule, const char *match, const StoryRow *row,
                     int64_t story, const char *key, size_t conflicts, rasd_error *err)
{
    int fresh = 0;
    rasd_err e = wstore_alert_once(run->db, rule->id, story, key, run->now, &fresh, err);
    if (e != RASD_OK || !fresh)
        return e;
    char when[32];
    time_t t = (time_t)run->now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const StoryRow *any = row;
    for (size_t i = 0; !any && i < run->ix.n; i++)
        if (run->ix.v[i].thread == story)
            any = &run->ix.v[i];
    Buf b = {0};
    buf_printf(&b, "{\"at\":\"%s\",\"rule\":%lld", when, (long long)rule->id);
    put_str(&b, "kind", rule->kind);
    put_str(&b, "match", match);
    buf_printf(&b, ",\"story\":%lld", (long long)story);
    put_str(&b, "headline", any ? any->headline : NULL);
    buf_printf(&b, ",\"articles\":%zu,\"outlets\":%zu", story_index_articles(&run->ix, story),
               story_index_outlets(&run->ix, story));
    if (row) {
        put_str(&b, "article", row->hash);
        put_str(&b, "title", row->title);
        put_str(&b, "outlet", row->outlet);
    }
    if (!strcmp(rule->kind, "conflict"))
        buf_printf(&b, ",\"conflicts\":%zu", conflicts);
    Buf link = {0};
    alerts_brief_link(&link, run->o->base_url, run->o->db_path, story);
    put_str(&b, "brief", link.data);
    buf_free(&link);
    buf_putc(&b, '}');
    if (b.oom) {
        buf_free(&b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory writing an alert");
    }
    run->sent++;
    if (run->o->emit)
        run->o->emit(run->o->ctx, b.data, b.len);
    buf_free(&b);
    return RASD_OK;
}

typedef struct MentionHit {
    const char *key;  /* the rule's key */
    int hit;          /* the article mentions it */
} MentionHit;

/* The stored key, or the context-free key of the mention as written (the
   tagger's key may differ by type), equals the rule's names_key(). */
int alerts_mention_is(const StoredMention *m, const char *key)
{
    if (m->key && !strcmp(m->key, key))
        return 1;
    if (!m->text)
        return 0;
    Buf k = {0};
    names_key(m->text, strlen(m->text), &k);
    int same = !k.oom && k.data && !strcmp(k.data, key);
    buf_free(&k);
    return same;
}

static int on_mention(void *ctx, const StoredMention *m)
{
    MentionHit *h = ctx;
    if (alerts_mention_is(m, h->key)) {
        h->hit = 1;
        return 1;
    }
    return 0;
}

static rasd_err check_article(Run *run, const WRule *rule, int64_t id, const char *title,
                              const char *body, rasd_error *err)
{
    const StoryRow *row = story_index_find(&run->ix, id);
    if (!row)
        return RASD_OK; /* not placed in a story (yet) */
    char key[64];
    if (!strcmp(rule->kind, "query")) {
        if (!((title && strstr(title, rule->arg)) || (body && strstr(body, rule->arg))))
            return RASD_OK;
        snprintf(key, sizeof key, "article:%s", row->hash ? row->hash : "?");
        return emit(run, rule, rule->arg, row, row->thread, key, 0, err);
    }
    if (!strcmp(rule->kind, "entity")) {
        MentionHit h = {rule->arg, 0};
        rasd_err e = store_each_article_mention(run->st, id, on_mention, &h, err);
        if (e != RASD_OK || !h.hit)
            return e;
        snprintf(key, sizeof key, "article:%s", row->hash ? row->hash : "?");
        return emit(run, rule, rule->arg, row, row->thread, key, 0, err);
    }
    if (!strcmp(rule->kind, "sources")) {
        size_t n = story_index_outlets(&run->ix, row->thread);
        if ((int64_t)n < rule->n)
            return RASD_OK;
        char what[64];
        snprintf(what, sizeof what, "%zu outlets", n);
        return emit(run, rule, what, row, row->thread, "sources", 0, err);
    }
    if (!strcmp(rule->kind, "conflict")) {
        char *end;
        long long story = strtoll(rule->arg, &end, 10);
        if (*end || row->thread != story)
            return RASD_OK;
        Buf json = {0};
        size_t count = 0;
        rasd_err e = story_conflicts(run->st, story, 0, &json, &count, err);
        buf_free(&json);
        if (e != RASD_OK || !count)
            return e;
        snprintf(key, sizeof key, "conflicts:%zu", count);
        char what[64];
        snprintf(what, sizeof what, "%zu conflicts", count);
        return emit(run, rule, what, row, story, key, count, err);
    }
    return RASD_OK;
}

rasd_err alerts_run(Store *st, int64_t now, const AlertOpts *o, size_t *sent, rasd_error *err)
{
    *sent = 0;
    Run run = {st, store_sqlite_handle(st), o, now, {0}, 0};
    WRule *rules = NULL;
    size_t nr = 0;
    int64_t upto = 0;
    rasd_err e = wstore_init(run.db, err);
    if (e == RASD_OK)
        e = wstore_load_rules(run.db, &rules, &nr, err);
    if (e == RASD_OK)
        e = wstore_max_article(run.db, &upto, err);
    int64_t from = upto;
    for (size_t i = 0; i < nr; i++)
        if (rules[i].since_article < from)
            from = rules[i].since_article;
    if (e != RASD_OK || !nr || from >= upto) {
        wstore_free_rules(rules, nr);
        return e;
    }
    if ((e = story_index_load(st, &run.ix, err)) != RASD_OK) {
        wstore_free_rules(rules, nr);
        return e;
    }
    /* the new articles, read once for every rule */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(run.db, "SELECT id, title, body FROM articles WHERE id > ?1 AND"
                                   " id <= ?2 ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK) {
        e = rasd_fail(err, RASD_EDB, "alerts: read new articles: %s", sqlite3_errmsg(run.db));
        goto out;
    }
    sqlite3_bind_int64(q, 1, from);
    sqlite3_bind_int64(q, 2, upto);
    int rc;
    while (e == RASD_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        const char *title = (const char *)sqlite3_column_text(q, 1);
        const char *body = (const char *)sqlite3_column_text(q, 2);
        for (size_t i = 0; i < nr && e == RASD_OK; i++)
            if (id > rules[i].since_article)
                e = check_article(&run, &rules[i], id, title, body, err);
    }
    sqlite3_finalize(q);
    for (size_t i = 0; i < nr && e == RASD_OK; i++)
        e = wstore_rule_since(run.db, rules[i].id, upto, err);
out:
    *sent = run.sent;
    story_index_free(&run.ix);
    wstore_free_rules(rules, nr);
    return e;
}
